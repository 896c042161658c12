/// A weight node of a NIR graph as a sparse linear map from its input elements to its output
/// elements (C order), with an extra delay in timesteps per input element (non-zero only for
/// Delay nodes) and a bias per output element.
///
/// Rows are stored back to back (compressed sparse rows): 16 bytes per weight, not an array per
/// input element.
struct NIRLinearMap {
    /// Input element `i` reaches `outputs[rowStarts[i] ..< rowStarts[i + 1]]` with those `weights`.
    private(set) var rowStarts: [Int]
    private(set) var outputs: [Int]
    private(set) var weights: [Double]
    var outputShape: [Int]
    var bias: [Double]
    /// Extra timesteps per input element.
    var delays: [Int]
    /// False for maps that only move elements (Flatten, Delay, a subgraph's Input and Output),
    /// which may sit between a neuron and an Output node.
    var carriesWeights: Bool

    var inputCount: Int { rowStarts.count - 1 }

    /// Entry indices of input element `input`'s row.
    func row(_ input: Int) -> Range<Int> { rowStarts[input] ..< rowStarts[input + 1] }

    static func identity(shape: [Int], delays: [Int]? = nil) -> NIRLinearMap {
        let count = shape.reduce(1, *)
        return NIRLinearMap(rowStarts: Array(0...count), outputs: Array(0..<count), weights: Array(repeating: 1, count: count), outputShape: shape,
                            bias: Array(repeating: 0, count: count), delays: delays ?? Array(repeating: 0, count: count), carriesWeights: false)
    }

    /// A dense (out, in) matrix, row-major; zero weights are left out. The matrix is read in
    /// its own order, twice (count each input's weights, then place them), not a column at a
    /// time, which would miss the cache at every weight of a large layer.
    static func matrix(_ weight: NIRTensor, bias: [Double]?) -> NIRLinearMap {
        let outputCount = weight.shape[0], inputs = weight.shape[1]
        var rowStarts = [Int](repeating: 0, count: inputs + 1)
        for o in 0..<outputCount {
            for i in 0..<inputs where weight.values[o * inputs + i] != 0 { rowStarts[i + 1] += 1 }
        }
        for i in 0..<inputs { rowStarts[i + 1] += rowStarts[i] }
        var outputs = [Int](repeating: 0, count: rowStarts[inputs])
        var weights = [Double](repeating: 0, count: rowStarts[inputs])
        // Each row's start serves as its cursor, and ends at the next row's start.
        for o in 0..<outputCount {  // outputs ascending within each input's row
            for i in 0..<inputs where weight.values[o * inputs + i] != 0 {
                outputs[rowStarts[i]] = o
                weights[rowStarts[i]] = weight.values[o * inputs + i]
                rowStarts[i] += 1
            }
        }
        for i in stride(from: inputs, to: 0, by: -1) { rowStarts[i] = rowStarts[i - 1] }
        rowStarts[0] = 0
        return NIRLinearMap(rowStarts: rowStarts, outputs: outputs, weights: weights, outputShape: [outputCount],
                            bias: bias ?? Array(repeating: 0, count: outputCount), delays: Array(repeating: 0, count: inputs), carriesWeights: true)
    }

    static func scale(_ factors: NIRTensor, shape: [Int]) -> NIRLinearMap {
        var map = identity(shape: shape)
        if factors.count == 1 {
            map.weights = Array(repeating: factors.values[0], count: map.inputCount)
        } else {
            map.weights = factors.values
        }
        map.carriesWeights = true
        return map
    }

    /// A 2-D convolution of a (C, H, W) input; `padding` gives the top and left padding and the
    /// output size follows PyTorch's rule. A 1-D convolution is the case H = 1, kernel height 1.
    static func convolution(input: (channels: Int, height: Int, width: Int), weight: [Double], kernel: (outputs: Int, perGroup: Int, height: Int, width: Int),
                            stride: (Int, Int), padding: (Int, Int), outputSize: (Int, Int), dilation: (Int, Int), groups: Int, bias: [Double]) -> NIRLinearMap {
        let (channels, height, width) = input
        let (outHeight, outWidth) = outputSize
        let outputsPerGroup = kernel.outputs / groups
        let perPosition = outHeight * outWidth
        var map = NIRLinearMap(rowStarts: [0], outputs: [], weights: [], outputShape: [kernel.outputs, outHeight, outWidth],
                               bias: (0..<(kernel.outputs * perPosition)).map { bias[$0 / perPosition] },
                               delays: Array(repeating: 0, count: channels * height * width), carriesWeights: true)
        map.rowStarts.reserveCapacity(channels * height * width + 1)
        // Input elements in C order, (c, y, x), so that each row is appended in turn.
        for c in 0..<channels {
            let group = c / kernel.perGroup
            let local = c % kernel.perGroup
            for y in 0..<height {
                for x in 0..<width {
                    for o in (group * outputsPerGroup)..<((group + 1) * outputsPerGroup) {
                        for ky in 0..<kernel.height {
                            let sy = y + padding.0 - ky * dilation.0
                            guard sy >= 0, sy % stride.0 == 0, sy / stride.0 < outHeight else { continue }
                            for kx in 0..<kernel.width {
                                let sx = x + padding.1 - kx * dilation.1
                                guard sx >= 0, sx % stride.1 == 0, sx / stride.1 < outWidth else { continue }
                                let w = weight[((o * kernel.perGroup + local) * kernel.height + ky) * kernel.width + kx]
                                if w != 0 { map.append(output: (o * outHeight + sy / stride.0) * outWidth + sx / stride.1, weight: w) }
                            }
                        }
                    }
                    map.endRow()
                }
            }
        }
        return map
    }

    /// Adds an entry to the row being built.
    private mutating func append(output: Int, weight: Double) {
        outputs.append(output)
        weights.append(weight)
    }

    /// Ends the row being built; the next entries belong to the next input element.
    private mutating func endRow() { rowStarts.append(outputs.count) }

    /// The map applied to a dense vector (used for biases, which flow through later weight nodes).
    func apply(_ vector: [Double]) -> [Double] {
        var output = bias
        for i in 0..<inputCount where vector[i] != 0 {
            for entry in row(i) { output[outputs[entry]] += weights[entry] * vector[i] }
        }
        return output
    }
}

/// The composed map from one spiking source (an input group or a neuron population) to some node:
/// per source element, the reached elements with their summed weight and delay in timesteps.
///
/// Rows are stored back to back (compressed sparse rows), each in increasing key order with every
/// key once. Contributions that meet at a key are summed in an order fixed by the graph (the
/// source row's key order, then the weight node's row order), so a composed weight is the same
/// Double in every process — a hashed row's order changed with the process's hash seed — and a
/// row costs 16 bytes per entry instead of a dictionary's storage (an `Input` of 16 M elements
/// into a 2-neuron `Linear`: 6.4 GB before, see docs/nir.md).
struct NIRSourceMap {
    /// Row `s` is entries `rowStarts[s] ..< rowStarts[s + 1]` of `keys` and `weights`.
    private(set) var rowStarts: [Int]
    /// (element, extra delay) packed by `key`.
    private(set) var keys: [Int64]
    private(set) var weights: [Double]
    /// True when some map on the way carries weights.
    var carriesWeights: Bool

    var sourceCount: Int { rowStarts.count - 1 }

    /// Entry indices of source element `source`'s row.
    func row(_ source: Int) -> Range<Int> { rowStarts[source] ..< rowStarts[source + 1] }

    static func identity(count: Int) -> NIRSourceMap {
        NIRSourceMap(rowStarts: Array(0...count), keys: (0..<count).map { key($0, 0) }, weights: Array(repeating: 1, count: count), carriesWeights: false)
    }

    /// A key packs an element and a delay below `delayCap`; a chain of Delay nodes that adds up
    /// to more is held at the cap (and refused later), never carried into the element.
    static func key(_ element: Int, _ delay: Int) -> Int64 { Int64(element) << 16 | Int64(min(delay, delayCap)) }
    static func element(_ key: Int64) -> Int { Int(key >> 16) }
    static func delay(_ key: Int64) -> Int { Int(key & 0xffff) }
    static let delayCap = 0xffff

    /// This map followed by `map`.
    func then(_ map: NIRLinearMap) -> NIRSourceMap {
        var result = NIRSourceMap(rowStarts: [0], keys: [], weights: [], carriesWeights: carriesWeights || map.carriesWeights)
        result.rowStarts.reserveCapacity(rowStarts.count)
        result.keys.reserveCapacity(keys.count)
        result.weights.reserveCapacity(keys.count)
        // One row's contributions in the order they are summed.
        var contributions: [(key: Int64, order: Int, weight: Double)] = []
        for source in 0..<sourceCount {
            contributions.removeAll(keepingCapacity: true)
            var ordered = true
            for entry in row(source) {
                let middle = Self.element(keys[entry])
                let delay = Self.delay(keys[entry]) + map.delays[middle]
                for step in map.row(middle) {
                    let key = Self.key(map.outputs[step], delay)
                    let weight = map.weights[step]
                    if let last = contributions.last, last.key >= key { ordered = false }
                    contributions.append((key, contributions.count, weights[entry] * weight))
                }
            }
            if !ordered { contributions.sort { ($0.key, $0.order) < ($1.key, $1.order) } }
            for contribution in contributions {
                if result.keys.count > result.rowStarts[source], result.keys[result.keys.count - 1] == contribution.key {
                    result.weights[result.weights.count - 1] += contribution.weight
                } else {
                    result.keys.append(contribution.key)
                    result.weights.append(contribution.weight)
                }
            }
            result.rowStarts.append(result.keys.count)
        }
        return result
    }

    /// The sum of two maps from the same source (two paths that meet); at a key both reach, this
    /// map's weight plus the other's.
    func adding(_ other: NIRSourceMap) -> NIRSourceMap {
        precondition(sourceCount == other.sourceCount, "maps from one source have one row per source element")
        var result = NIRSourceMap(rowStarts: [0], keys: [], weights: [], carriesWeights: carriesWeights || other.carriesWeights)
        result.rowStarts.reserveCapacity(rowStarts.count)
        result.keys.reserveCapacity(keys.count + other.keys.count)
        result.weights.reserveCapacity(keys.count + other.keys.count)
        for source in 0..<sourceCount {
            var mine = row(source).lowerBound
            var theirs = other.row(source).lowerBound
            let myEnd = row(source).upperBound
            let theirEnd = other.row(source).upperBound
            while mine < myEnd || theirs < theirEnd {
                if theirs == theirEnd || (mine < myEnd && keys[mine] < other.keys[theirs]) {
                    result.keys.append(keys[mine])
                    result.weights.append(weights[mine])
                    mine += 1
                } else if mine == myEnd || other.keys[theirs] < keys[mine] {
                    result.keys.append(other.keys[theirs])
                    result.weights.append(other.weights[theirs])
                    theirs += 1
                } else {
                    result.keys.append(keys[mine])
                    result.weights.append(weights[mine] + other.weights[theirs])
                    mine += 1
                    theirs += 1
                }
            }
            result.rowStarts.append(result.keys.count)
        }
        return result
    }
}
