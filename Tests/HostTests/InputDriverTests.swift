import Testing
@testable import Host

private func network(inputs: String, seed: Int = 1, steps: Int = 10) throws -> NetworkDescription {
    try NetworkFile.parse("""
        { "format": "neuroemu-network/1", "name": "d", "steps": \(steps), "seed": \(seed),
          "inputs": \(inputs),
          "populations": [{ "name": "A", "size": 1, "neuron": { "model": "loihi_lif", "vth": 1 } }] }
        """, file: "d.json")
}

/// All spikes of steps 1…steps, one list per step.
private func schedule(_ network: NetworkDescription, steps: Int) -> [[Int32]] {
    var driver = InputDriver(network: network, steps: steps)
    return (1...steps).map { driver.spikes(at: $0) }
}

@Suite struct InputDriverTests {
    @Test func spikeTimesAreNumberedGloballyAndAscending() throws {
        let net = try network(inputs: #"""
            [{ "name": "a", "size": 2, "spike_times": [[1, 3], [2, 3]] },
             { "name": "b", "size": 3, "spike_times": [[3], [], [1, 4]] }]
            """#)
        #expect(schedule(net, steps: 5) == [[0, 4], [1], [0, 1, 2], [4], []])
    }

    /// A network built in code may give a Poisson input one probability for all its neurons.
    @Test func oneProbabilityServesEveryNeuron() throws {
        var net = try network(inputs: #"[{ "name": "p", "size": 50, "poisson": { "probability": 0.3 } }]"#)
        let expanded = schedule(net, steps: 20)
        #expect(expanded.joined().count > 100)  // 1,000 draws at 0.3
        net.inputs[0].source = .poisson(probability: [0.3])
        #expect(schedule(net, steps: 20) == expanded)
    }

    @Test func spikeTimesBeyondTheRunAreDropped() throws {
        let net = try network(inputs: #"[{ "name": "a", "size": 1, "spike_times": [[1, 6, 10]] }]"#)
        var driver = InputDriver(network: net, steps: 5)
        #expect((1...5).map { driver.spikes(at: $0) } == [[0], [], [], [], []])
        // Asking past the run's end is harmless.
        #expect(driver.spikes(at: 6) == [])
        #expect(driver.spikes(at: 10) == [])
    }

    @Test func locateFindsTheInputAndIndex() throws {
        let net = try network(inputs: #"""
            [{ "name": "a", "size": 2, "spike_times": [[1], [1]] },
             { "name": "b", "size": 1, "poisson": { "probability": 0 } },
             { "name": "c", "size": 3, "spike_times": [[1], [1], [1]] }]
            """#)
        let driver = InputDriver(network: net, steps: 1)
        #expect((0..<6).map { driver.locate(Int32($0)) }.map { [$0.input, $0.index] } == [[0, 0], [0, 1], [1, 0], [2, 0], [2, 1], [2, 2]])
    }

    @Test func poissonProbabilitiesZeroAndOne() throws {
        let net = try network(inputs: #"""
            [{ "name": "always", "size": 2, "poisson": { "probability": 1 } },
             { "name": "never", "size": 2, "poisson": { "probability": 0 } },
             { "name": "some", "size": 4, "poisson": { "probability": [1, 0, 0, 1] } }]
            """#)
        #expect(schedule(net, steps: 3) == Array(repeating: [0, 1, 4, 7], count: 3))
    }

    @Test func poissonAndSpikeTimesInterleaveInGlobalOrder() throws {
        let net = try network(inputs: #"""
            [{ "name": "first", "size": 1, "spike_times": [[2]] },
             { "name": "noise", "size": 2, "poisson": { "probability": 1 } },
             { "name": "last", "size": 2, "spike_times": [[1], [2]] }]
            """#)
        #expect(schedule(net, steps: 2) == [[1, 2, 3], [0, 1, 2, 4]])
    }

    @Test func poissonDrawsRepeatForASeedAndDifferAcrossSeeds() throws {
        let text = #"[{ "name": "noise", "size": 50, "poisson": { "probability": 0.2 } }]"#
        let first = schedule(try network(inputs: text, seed: 5), steps: 40)
        #expect(schedule(try network(inputs: text, seed: 5), steps: 40) == first)
        #expect(schedule(try network(inputs: text, seed: 6), steps: 40) != first)
        #expect(first.allSatisfy { $0 == $0.sorted() && Set($0).count == $0.count })
    }

    @Test func poissonRateIsHonoured() throws {
        let net = try network(inputs: #"[{ "name": "noise", "size": 40, "poisson": { "probability": 0.25 } }]"#, seed: 9)
        let count = schedule(net, steps: 200).reduce(0) { $0 + $1.count }
        // 8,000 trials of probability 0.25: mean 2,000, σ ≈ 39; allow 5 σ.
        #expect(abs(count - 2000) <= 200)
    }

    @Test func appendingAnInputLeavesEarlierPoissonInputsUnchanged() throws {
        let alone = try network(inputs: #"[{ "name": "noise", "size": 30, "poisson": { "probability": 0.3 } }]"#)
        let extended = try network(inputs: #"""
            [{ "name": "noise", "size": 30, "poisson": { "probability": 0.3 } },
             { "name": "more", "size": 30, "poisson": { "probability": 0.3 } }]
            """#)
        let aloneSpikes = schedule(alone, steps: 20)
        let extendedSpikes = schedule(extended, steps: 20).map { $0.filter { $0 < 30 } }
        #expect(aloneSpikes == extendedSpikes)
        // The second input draws from its own stream, not a copy of the first.
        let second = schedule(extended, steps: 20).map { $0.filter { $0 >= 30 }.map { $0 - 30 } }
        #expect(second != aloneSpikes)
    }

    @Test func runLengthDoesNotChangeEarlierDraws() throws {
        let net = try network(inputs: #"[{ "name": "noise", "size": 20, "poisson": { "probability": 0.4 } }]"#)
        #expect(Array(schedule(net, steps: 30).prefix(10)) == schedule(net, steps: 10))
    }

    @Test func networkWithoutInputsDrivesNothing() throws {
        let net = try network(inputs: "[]")
        #expect(schedule(net, steps: 3) == [[], [], []])
    }
}
