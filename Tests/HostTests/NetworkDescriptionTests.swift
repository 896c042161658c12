import Chip
import Testing
@testable import Host

@Suite struct NetworkDescriptionTests {
    private func projection(_ delays: [Int32]) -> ProjectionDescription {
        ProjectionDescription(
            name: "p", source: 0, sourceIsInput: true, target: 0,
            synapses: delays.map { SynapseDescription(source: 0, target: 0, weight: 1, delay: $0) },
            signMode: .excitatory, weightExponent: 0, numWeightBits: 8)
    }

    @Test func countsAddUpOverParts() {
        let network = NetworkDescription(
            name: "n", steps: 3, seed: 1,
            inputs: [InputDescription(name: "a", size: 2, source: .spikeTimes([[], []])), InputDescription(name: "b", size: 5, source: .poisson(probability: Array(repeating: 0, count: 5)))],
            populations: [
                PopulationDescription(name: "A", size: 3, neurons: Array(repeating: LoihiNeuron.Parameters(vth: 1), count: 3), initialU: [0, 0, 0], initialV: [0, 0, 0]),
                PopulationDescription(name: "B", size: 1, neurons: [LoihiNeuron.Parameters(vth: 1)], initialU: [0], initialV: [0]),
            ],
            projections: [projection([1, 2]), projection([4])],
            probes: [])
        #expect(network.inputNeuronCount == 7)
        #expect(network.neuronCount == 4)
        #expect(network.synapseCount == 3)
    }

    @Test func maximumDelay() {
        #expect(projection([1, 7, 3]).maximumDelay == 7)
        #expect(projection([]).maximumDelay == 1)
    }

    @Test func probeRecordsStateWhenItRecordsUOrV() {
        #expect(!ProbeDescription(population: 0, variables: [.spikes], indices: [0]).recordsState)
        #expect(ProbeDescription(population: 0, variables: [.u], indices: [0]).recordsState)
        #expect(ProbeDescription(population: 0, variables: [.spikes, .v], indices: [0]).recordsState)
        #expect(ProbeDescription.Variable.allCases.map(\.rawValue) == ["spikes", "u", "v"])
    }

    @Test func spikesCarryValuesOnlyForTernaryAndGradedNeurons() {
        func population(_ mode: SpikeMode) -> PopulationDescription {
            PopulationDescription(name: "P", size: 1, model: "neuroemu_lif", neurons: [LoihiNeuron.Parameters(vth: 1, spikeMode: mode)], initialU: [0], initialV: [0])
        }
        #expect(!population(.binary).spikesCarryValues)
        #expect(population(.ternary).spikesCarryValues)
        #expect(population(.graded).spikesCarryValues)
        #expect(PopulationDescription(name: "P", size: 1, neurons: [LoihiNeuron.Parameters(vth: 1)], initialU: [0], initialV: [0]).model == "loihi_lif")
    }
}
