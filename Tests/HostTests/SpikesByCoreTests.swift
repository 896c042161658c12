import Chip
import Testing
@testable import Host

@Suite struct SpikesByCoreTests {
    @Test func groupsEachCoresSpikesInOrder() {
        var index = SpikesByCore(coreCount: 5)
        index.append(core: 1, neuron: 7, value: 1)
        index.append(core: 1, neuron: 2, value: 3)
        index.append(core: 4, neuron: 0, value: -2)
        #expect(index.spikes(of: 1) == 0..<2 && index.spikes(of: 4) == 2..<3)
        #expect(index.spikes(of: 0).isEmpty && index.spikes(of: 2).isEmpty && index.spikes(of: 3).isEmpty)
        #expect(index.spikes(of: 1).map { index.neurons[$0] } == [7, 2])
        #expect(index.spikes(of: 1).map { index.values[$0] } == [1, 3])
        #expect(index.values[index.spikes(of: 4).lowerBound] == -2)
    }

    @Test func removeAllForgetsEveryCoresSpikes() {
        var index = SpikesByCore(coreCount: 3)
        index.append(core: 0, neuron: 1, value: 1)
        index.append(core: 2, neuron: 5, value: 1)
        index.removeAll()
        #expect(index.neurons.isEmpty && index.values.isEmpty)
        #expect((0..<3).allSatisfy { index.spikes(of: $0).isEmpty })
        index.append(core: 2, neuron: 4, value: 9)
        #expect(index.spikes(of: 2) == 0..<1 && index.spikes(of: 0).isEmpty)
    }

    /// Filled from the cores, it holds what their spike lists hold, whatever it held before.
    @Test func fillsFromTheCoresSpikeLists() throws {
        let network = try GoldenNetwork.network()
        var engine = try Simulation(network: network, chip: try GoldenNetwork.chip()).engine
        var inputs = InputDriver(network: network, steps: network.steps)
        var index = SpikesByCore(coreCount: engine.cores.count)
        index.append(core: 0, neuron: 99, value: 5)  // stale
        var seen = 0
        for t in 1...network.steps {
            engine.step(inputSpikes: inputs.spikes(at: t, presentation: nil, suppressed: false), threads: 1)
            let cores = engine.cores
            index.fill(fromCores: cores, spikingCores: engine.spikingCores)
            for core in cores.indices {
                #expect(index.spikes(of: core).map { index.neurons[$0] } == cores[core].spikes)
                #expect(index.spikes(of: core).map { index.values[$0] } == cores[core].spikeValues)
                seen += cores[core].spikes.count
            }
            #expect(index.neurons.count == cores.reduce(0) { $0 + $1.spikes.count })
        }
        #expect(seen > 0)
    }
}
