import Testing
@testable import Host

@Suite struct NIRLinearMapTests {
    /// Entries of every row as (output, weight) pairs.
    private func rows(_ map: NIRLinearMap) -> [[(Int, Double)]] {
        (0..<map.inputCount).map { input in map.row(input).map { (map.outputs[$0], map.weights[$0]) } }
    }

    /// Entries of every row as (element, delay, weight).
    private func rows(_ map: NIRSourceMap) -> [[(Int, Int, Double)]] {
        (0..<map.sourceCount).map { source in
            map.row(source).map { (NIRSourceMap.element(map.keys[$0]), NIRSourceMap.delay(map.keys[$0]), map.weights[$0]) }
        }
    }

    @Test func aMatrixHasARowPerInputWithoutItsZeros() {
        // (out, in) = (3, 2): W = [[1, 0], [0, 2], [3, 4]].
        let map = NIRLinearMap.matrix(NIRTensor(shape: [3, 2], values: [1, 0, 0, 2, 3, 4]), bias: [0.5, 0, -1])
        let read = rows(map)
        #expect(read.count == 2)
        #expect(read[0].map(\.0) == [0, 2] && read[0].map(\.1) == [1, 3])
        #expect(read[1].map(\.0) == [1, 2] && read[1].map(\.1) == [2, 4])
        #expect(map.apply([1, 10]) == [1.5, 20, 42])
    }

    @Test func aConvolutionRowListsTheOutputsItsInputFeeds() {
        // One 1×3 input row, one output channel, a kernel [1, 2] with stride 1 and no padding:
        // out[j] = in[j]·1 + in[j+1]·2 in PyTorch's cross-correlation.
        let map = NIRLinearMap.convolution(input: (1, 1, 3), weight: [1, 2], kernel: (1, 1, 1, 2), stride: (1, 1), padding: (0, 0),
                                           outputSize: (1, 2), dilation: (1, 1), groups: 1, bias: [0])
        let read = rows(map)
        // Input 1 feeds output 1 through the kernel's first tap and output 0 through its second.
        #expect(read.map { $0.map(\.0) } == [[0], [1, 0], [1]])
        #expect(read.map { $0.map(\.1) } == [[1], [1, 2], [2]])
        #expect(map.apply([1, 10, 100]) == [21, 210])
    }

    /// Paths meeting at an element are summed in the graph's order, so the composed Double is the
    /// same in every process: 0.1 + 0.2 first, then 0.3 (0.6000000000000001, where 0.3 + 0.2 +
    /// 0.1 gives 0.6).
    @Test func compositionSumsInTheGraphsOrder() {
        let fanOut = NIRLinearMap.matrix(NIRTensor(shape: [3, 1], values: [0.1, 0.2, 0.3]), bias: nil)
        let fanIn = NIRLinearMap.matrix(NIRTensor(shape: [1, 3], values: [1, 1, 1]), bias: nil)
        let composed = NIRSourceMap.identity(count: 1).then(fanOut).then(fanIn)
        let read = rows(composed)
        #expect(read.count == 1 && read[0].count == 1)
        #expect(read[0][0].2 == (0.1 + 0.2) + 0.3)
        #expect(read[0][0].2 != (0.3 + 0.2) + 0.1)
        #expect(composed.carriesWeights)
    }

    @Test func compositionCarriesDelaysAndKeepsKeysInOrder() {
        // Element 0 reaches outputs 2 and 0 through a matrix, then a delay of 3 steps on element 0.
        let weights = NIRLinearMap.matrix(NIRTensor(shape: [3, 1], values: [5, 0, 7]), bias: nil)
        let delay = NIRLinearMap.identity(shape: [3], delays: [3, 0, 0])
        let read = rows(NIRSourceMap.identity(count: 1).then(weights).then(delay))
        #expect(read[0].map(\.0) == [0, 2])
        #expect(read[0].map(\.1) == [3, 0])
        #expect(read[0].map(\.2) == [5, 7])
        #expect(!NIRSourceMap.identity(count: 3).then(delay).carriesWeights)
    }

    @Test func addingMergesRowsAndSumsSharedKeys() {
        let a = NIRSourceMap.identity(count: 2).then(NIRLinearMap.matrix(NIRTensor(shape: [3, 2], values: [1, 0, 0, 2, 3, 0]), bias: nil))
        let b = NIRSourceMap.identity(count: 2).then(NIRLinearMap.matrix(NIRTensor(shape: [3, 2], values: [0, 0, 10, 0, 20, 30]), bias: nil))
        let read = rows(a.adding(b))
        // Row 0: a reaches 0 (1) and 2 (3); b reaches 1 (10) and 2 (20).
        #expect(read[0].map(\.0) == [0, 1, 2] && read[0].map(\.2) == [1, 10, 23])
        // Row 1: a reaches 1 (2); b reaches 2 (30).
        #expect(read[1].map(\.0) == [1, 2] && read[1].map(\.2) == [2, 30])
    }
}
