import Foundation
import Testing
@testable import Host

@Suite struct DefaultNetworkTests {
    @Test func embeddedTextEqualsTheConfigFileByteForByte() throws {
        let onDisk = try Data(contentsOf: repositoryRoot.appendingPathComponent("configs/networks/default.network.json"))
        let difference = firstDifference(Array(DefaultNetwork.text.utf8), [UInt8](onDisk))
        #expect(difference == nil, "Sources/Host/DefaultNetwork.swift and configs/networks/default.network.json differ")
    }

    @Test func parsesIntoTheDescribedNetwork() throws {
        let network = try DefaultNetwork.load()
        #expect(network.neuronCount == 4000)
        #expect(network.populations.map(\.name) == ["exc", "inh"])
        #expect(network.populations.map(\.size) == [3200, 800])
        #expect(network.inputNeuronCount == 400)
        #expect(network.steps == 1000)
        #expect(network.seed == 7)
        // Every projection is random, so its synapse count is near p × sources × targets.
        let expected: [String: Double] = [
            "drive_exc": 0.1 * 400 * 3200, "drive_inh": 0.1 * 400 * 800,
            "exc_exc": 0.02 * 3200 * 3199, "exc_inh": 0.02 * 3200 * 800,
            "inh_exc": 0.02 * 800 * 3200, "inh_inh": 0.02 * 800 * 799,
        ]
        #expect(Set(network.projections.map(\.name)) == Set(expected.keys))
        for projection in network.projections {
            let mean = expected[projection.name]!
            #expect(abs(Double(projection.synapses.count) - mean) < 6 * mean.squareRoot(), "\(projection.name)")
        }
        // Recurrent random projections never connect a neuron to itself.
        for projection in network.projections where !projection.sourceIsInput && projection.source == projection.target {
            #expect(projection.synapses.allSatisfy { $0.source != $0.target })
        }
    }

    @Test func seedOverrideChangesOnlyTheSeedAndRandomDraws() throws {
        let original = try DefaultNetwork.load()
        let network = try DefaultNetwork.load(seed: 8)
        #expect(original.seed != 8 && network.seed == 8)
        #expect(network.name == original.name && network.steps == original.steps)
        #expect(network.populations.map(\.name) == original.populations.map(\.name))
        #expect(network.populations.map(\.neurons) == original.populations.map(\.neurons))
        #expect(network.inputs.map(\.name) == original.inputs.map(\.name) && network.inputs.map(\.size) == original.inputs.map(\.size))
        #expect(network.projections.map(\.name) == original.projections.map(\.name))
        // The random connectivity is drawn anew: about as many synapses, not the same ones.
        #expect(network.projections.map(\.synapses) != original.projections.map(\.synapses))
        #expect(abs(network.synapseCount - original.synapseCount) < original.synapseCount / 50)
    }
}
