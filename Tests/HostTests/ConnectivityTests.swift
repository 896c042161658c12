import Testing
@testable import Host

/// Synapses as (source, target, weight, delay) tuples, for compact expectations.
private func edges(_ synapses: [SynapseDescription]) -> [[Int]] {
    synapses.map { [Int($0.source), Int($0.target), Int($0.weight), Int($0.delay)] }
}

/// (source, target) pairs only.
private func pairs(_ synapses: [SynapseDescription]) -> [[Int]] {
    synapses.map { [Int($0.source), Int($0.target)] }
}

@Suite struct ConnectivityTests {
    // MARK: Dense

    @Test func denseIsTargetMajorAndSkipsZeros() {
        let rule = Connectivity.dense([
            [0, 5, -3],
            [7, 0, 0],
            [0, 0, 0],
            [1, 2, 3],
        ])
        let synapses = rule.synapses(sourceSize: 3, targetSize: 4, delay: 2, seed: 0)
        #expect(edges(synapses) == [
            [1, 0, 5, 2], [2, 0, -3, 2],
            [0, 1, 7, 2],
            [0, 3, 1, 2], [1, 3, 2, 2], [2, 3, 3, 2],
        ])
    }

    @Test func denseIgnoresTheSeed() {
        let rule = Connectivity.dense([[1, 2], [3, 4]])
        #expect(rule.synapses(sourceSize: 2, targetSize: 2, delay: 1, seed: 1) == rule.synapses(sourceSize: 2, targetSize: 2, delay: 1, seed: 2))
    }

    // MARK: Sparse

    @Test func sparseKeepsFileOrderWithPerSynapseDelays() {
        let rule = Connectivity.sparse(sources: [2, 0, 2, 1], targets: [1, 1, 0, 0], weights: [5, -6, 7, 0], delays: [3, 1, 62, 4])
        #expect(edges(rule.synapses(sourceSize: 3, targetSize: 2, delay: 9, seed: 0)) == [
            [2, 1, 5, 3], [0, 1, -6, 1], [2, 0, 7, 62], [1, 0, 0, 4],
        ])
    }

    @Test func sparseWithoutDelaysUsesTheProjectionDelay() {
        let rule = Connectivity.sparse(sources: [0, 0], targets: [0, 0], weights: [1, 2], delays: nil)
        // Repeated (source, target) pairs are kept: they are separate synapses.
        #expect(edges(rule.synapses(sourceSize: 1, targetSize: 1, delay: 5, seed: 0)) == [[0, 0, 1, 5], [0, 0, 2, 5]])
    }

    // MARK: One-to-one and all-to-all

    @Test func oneToOneConnectsEqualIndices() {
        let synapses = Connectivity.oneToOne(.constant(-4)).synapses(sourceSize: 3, targetSize: 3, delay: 1, seed: 0)
        #expect(edges(synapses) == [[0, 0, -4, 1], [1, 1, -4, 1], [2, 2, -4, 1]])
    }

    @Test func allToAllIsTargetMajor() {
        let synapses = Connectivity.allToAll(.constant(3)).synapses(sourceSize: 2, targetSize: 3, delay: 7, seed: 0)
        #expect(edges(synapses) == [
            [0, 0, 3, 7], [1, 0, 3, 7],
            [0, 1, 3, 7], [1, 1, 3, 7],
            [0, 2, 3, 7], [1, 2, 3, 7],
        ])
    }

    @Test func uniformWeightsStayInRangeAndRepeatPerSeed() {
        let rule = Connectivity.allToAll(.uniform(-3...5))
        let first = rule.synapses(sourceSize: 20, targetSize: 20, delay: 1, seed: 11)
        let again = rule.synapses(sourceSize: 20, targetSize: 20, delay: 1, seed: 11)
        let other = rule.synapses(sourceSize: 20, targetSize: 20, delay: 1, seed: 12)
        #expect(first == again)
        #expect(first != other)
        #expect(first.allSatisfy { (-3...5).contains($0.weight) })
        // 400 draws from 9 values: every value appears.
        #expect(Set(first.map(\.weight)) == Set(-3...5))
        #expect(pairs(first) == pairs(other))
    }

    @Test func uniformRangeOfOneValueIsConstant() {
        let synapses = Connectivity.oneToOne(.uniform(4...4)).synapses(sourceSize: 5, targetSize: 5, delay: 1, seed: 3)
        #expect(synapses.map(\.weight) == [4, 4, 4, 4, 4])
    }

    // MARK: Random

    @Test func randomIsDeterministicForASeed() {
        let rule = Connectivity.random(probability: 0.2, seed: nil, weight: .constant(1), excludeSelf: false)
        let a = rule.synapses(sourceSize: 30, targetSize: 30, delay: 1, seed: 42)
        let b = rule.synapses(sourceSize: 30, targetSize: 30, delay: 1, seed: 42)
        let c = rule.synapses(sourceSize: 30, targetSize: 30, delay: 1, seed: 43)
        #expect(a == b)
        #expect(pairs(a) != pairs(c))
    }

    @Test func randomRuleSeedOverridesTheStreamSeed() {
        let rule = Connectivity.random(probability: 0.2, seed: 9, weight: .constant(1), excludeSelf: false)
        #expect(rule.synapses(sourceSize: 30, targetSize: 30, delay: 1, seed: 1) == rule.synapses(sourceSize: 30, targetSize: 30, delay: 1, seed: 2))
    }

    @Test func randomHonoursTheProbabilityOnALargeCase() {
        let rule = Connectivity.random(probability: 0.1, seed: nil, weight: .constant(1), excludeSelf: false)
        let synapses = rule.synapses(sourceSize: 200, targetSize: 200, delay: 1, seed: 5)
        // 40,000 Bernoulli(0.1) trials: mean 4,000, standard deviation 60; allow 5 σ.
        #expect(abs(synapses.count - 4000) <= 300)
        // Each target gets about 20 sources; none of 200 targets gets all or none of them.
        var perTarget = Array(repeating: 0, count: 200)
        for synapse in synapses { perTarget[Int(synapse.target)] += 1 }
        #expect(perTarget.allSatisfy { (1...60).contains($0) })
    }

    @Test func randomIsOrderedByTargetThenSource() {
        let rule = Connectivity.random(probability: 0.5, seed: nil, weight: .constant(1), excludeSelf: false)
        let synapses = rule.synapses(sourceSize: 20, targetSize: 20, delay: 1, seed: 8)
        let keys = synapses.map { Int($0.target) * 1000 + Int($0.source) }
        #expect(keys == keys.sorted())
        #expect(Set(keys).count == keys.count)
    }

    @Test func randomExcludesSelfConnectionsOnARecurrentProjection() {
        let all = Connectivity.random(probability: 1, seed: nil, weight: .constant(2), excludeSelf: true)
            .synapses(sourceSize: 10, targetSize: 10, delay: 1, seed: 1)
        #expect(all.count == 90)
        #expect(all.allSatisfy { $0.source != $0.target })
        let withSelf = Connectivity.random(probability: 1, seed: nil, weight: .constant(2), excludeSelf: false)
            .synapses(sourceSize: 10, targetSize: 10, delay: 1, seed: 1)
        #expect(withSelf.count == 100)
    }

    @Test func randomRecurrentProjectionFromAFileHasNoSelfConnections() throws {
        let text = """
            { "format": "neuroemu-network/1", "name": "r", "steps": 1,
              "populations": [{ "name": "A", "size": 50, "neuron": { "model": "loihi_lif", "vth": 1 } }],
              "projections": [{ "name": "AA", "source": "A", "target": "A", "random": { "p": 0.5, "weight": 1 } }] }
            """
        let synapses = try NetworkFile.parse(text, file: "r.json").projections[0].synapses
        #expect(synapses.count > 1000)
        #expect(synapses.allSatisfy { $0.source != $0.target })
    }

    @Test func randomProbabilityZeroAndOne() {
        let none = Connectivity.random(probability: 0, seed: nil, weight: .constant(1), excludeSelf: false)
        #expect(none.synapses(sourceSize: 50, targetSize: 50, delay: 1, seed: 1).isEmpty)
        let every = Connectivity.random(probability: 1, seed: nil, weight: .constant(1), excludeSelf: false)
        #expect(pairs(every.synapses(sourceSize: 2, targetSize: 2, delay: 1, seed: 1)) == [[0, 0], [1, 0], [0, 1], [1, 1]])
    }

    // MARK: conv2d

    private func conv(_ shape: (Int, Int, Int), _ kernel: [[[[Int]]]], stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0)) -> Connectivity.Conv2D {
        Connectivity.Conv2D(inputShape: shape, kernel: kernel, stride: stride, padding: padding)
    }

    @Test func conv2dOneChannelNoPadding() {
        // Input (3×3, row-major):   Kernel:
        //   0 1 2                     1 2
        //   3 4 5                     3 4
        //   6 7 8
        let geometry = conv((1, 3, 3), [[[[1, 2], [3, 4]]]])
        #expect(geometry.outputHeight == 2 && geometry.outputWidth == 2 && geometry.outputSize == 4 && geometry.inputSize == 9)
        let synapses = Connectivity.conv2d(geometry).synapses(sourceSize: 9, targetSize: 4, delay: 1, seed: 0)
        #expect(edges(synapses) == [
            [0, 0, 1, 1], [1, 0, 2, 1], [3, 0, 3, 1], [4, 0, 4, 1],
            [1, 1, 1, 1], [2, 1, 2, 1], [4, 1, 3, 1], [5, 1, 4, 1],
            [3, 2, 1, 1], [4, 2, 2, 1], [6, 2, 3, 1], [7, 2, 4, 1],
            [4, 3, 1, 1], [5, 3, 2, 1], [7, 3, 3, 1], [8, 3, 4, 1],
        ])
    }

    @Test func conv2dWithPaddingAndStride() {
        // 3×3 input, 3×3 kernel 1…9, padding 1, stride 2: a 2×2 output whose corners see only
        // the in-bounds quarter of the kernel.
        let geometry = conv((1, 3, 3), [[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]], stride: (2, 2), padding: (1, 1))
        #expect(geometry.outputHeight == 2 && geometry.outputWidth == 2)
        let synapses = Connectivity.conv2d(geometry).synapses(sourceSize: 9, targetSize: 4, delay: 1, seed: 0)
        #expect(edges(synapses) == [
            [0, 0, 5, 1], [1, 0, 6, 1], [3, 0, 8, 1], [4, 0, 9, 1],
            [1, 1, 4, 1], [2, 1, 5, 1], [4, 1, 7, 1], [5, 1, 8, 1],
            [3, 2, 2, 1], [4, 2, 3, 1], [6, 2, 5, 1], [7, 2, 6, 1],
            [4, 3, 1, 1], [5, 3, 2, 1], [7, 3, 4, 1], [8, 3, 5, 1],
        ])
    }

    @Test func conv2dWithRectangularStrideAndSkippedZeros() {
        // 1×2×4 input, 1×2 kernel [0, 3] (the zero stores nothing), stride (1, 2): output 2×2.
        let geometry = conv((1, 2, 4), [[[[0, 3]]]], stride: (1, 2))
        #expect(geometry.outputHeight == 2 && geometry.outputWidth == 2)
        let synapses = Connectivity.conv2d(geometry).synapses(sourceSize: 8, targetSize: 4, delay: 3, seed: 0)
        #expect(edges(synapses) == [[1, 0, 3, 3], [3, 1, 3, 3], [5, 2, 3, 3], [7, 3, 3, 3]])
    }

    @Test func conv2dMixesChannelsChannelMajor() {
        // Two 1×2 input channels, two output channels, 1×1 kernels: output channel o, pixel p
        // reads (channel c, pixel p) with weight kernel[o][c].
        let geometry = conv((2, 1, 2), [[[[1]], [[2]]], [[[3]], [[4]]]])
        #expect(geometry.outputChannels == 2 && geometry.outputSize == 4)
        let synapses = Connectivity.conv2d(geometry).synapses(sourceSize: 4, targetSize: 4, delay: 1, seed: 0)
        #expect(edges(synapses) == [
            [0, 0, 1, 1], [2, 0, 2, 1],
            [1, 1, 1, 1], [3, 1, 2, 1],
            [0, 2, 3, 1], [2, 2, 4, 1],
            [1, 3, 3, 1], [3, 3, 4, 1],
        ])
    }

    @Test func conv2dFromAFileMatchesTheRule() throws {
        let text = """
            { "format": "neuroemu-network/1", "name": "c", "steps": 1,
              "inputs": [{ "name": "img", "size": 9, "poisson": { "probability": 0.5 } }],
              "populations": [{ "name": "A", "size": 4, "neuron": { "model": "loihi_lif", "vth": 1 } }],
              "projections": [{ "name": "c", "source": "img", "target": "A", "delay": 2,
                                "conv2d": { "input_shape": [1, 3, 3], "kernel": [[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]], "stride": 2, "padding": [1, 1] } }] }
            """
        let network = try NetworkFile.parse(text, file: "c.json")
        let expected = Connectivity.conv2d(conv((1, 3, 3), [[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]], stride: (2, 2), padding: (1, 1)))
            .synapses(sourceSize: 9, targetSize: 4, delay: 2, seed: 0)
        #expect(network.projections[0].synapses == expected)
        #expect(network.projections[0].synapses.count == 16)
    }

    @Test func conv2dEquality() {
        let a = conv((1, 3, 3), [[[[1, 2], [3, 4]]]])
        #expect(a == conv((1, 3, 3), [[[[1, 2], [3, 4]]]]))
        #expect(a != conv((1, 3, 3), [[[[1, 2], [3, 4]]]], stride: (1, 2)))
        #expect(a != conv((1, 3, 3), [[[[1, 2], [3, 4]]]], padding: (1, 0)))
        #expect(a != conv((1, 3, 3), [[[[1, 2], [3, 5]]]]))
    }
}
