import Chip
import Testing
@testable import Host

/// `tiny` with 2 neurons per core, so each population of two below fills exactly one core
/// (0: A, 1: B, 2: C) whether or not the partitioner packs small populations together.
private func twoNeuronTiny() throws -> ChipDescription {
    try ChipFile.parse(ChipPresets.text(named: "tiny")!.replacingOccurrences(of: #""neurons": 64"#, with: #""neurons": 2"#), file: "tiny2.json")
}

/// Output axons (one per neuron and destination core):
///
///     in0 → core 0 (A0)            in1 → core 0 (A1) and core 2 (C0)
///     A0  → core 1 (B0, B1)        A1  → core 1 (B1) and core 0 (A0, recurrent)
///     B0  → core 2 (C0)            B1  → core 2 (C1)        C0, C1 → nowhere
private let handText = """
    { "format": "neuroemu-network/1", "name": "traffic", "steps": 4,
      "inputs": [{ "name": "in", "size": 2, "spike_times": [[1], [2]] }],
      "populations": [
        { "name": "A", "size": 2, "neuron": { "model": "loihi_lif", "vth": 10 } },
        { "name": "B", "size": 2, "neuron": { "model": "loihi_lif", "vth": 10 } },
        { "name": "C", "size": 2, "neuron": { "model": "loihi_lif", "vth": 10 } }
      ],
      "projections": [
        { "name": "in_A", "source": "in", "target": "A", "weights": [[4, 0], [0, 4]] },
        { "name": "in_C", "source": "in", "target": "C", "weights": [[0, 7], [0, 0]] },
        { "name": "A_B", "source": "A", "target": "B", "weights": [[3, 0], [3, 3]] },
        { "name": "A_A", "source": "A", "target": "A", "sparse": { "source": [1], "target": [0], "weight": [1] } },
        { "name": "B_C", "source": "B", "target": "C", "one_to_one": { "weight": 2 } }
      ] }
    """

private func loadHand() throws -> (NetworkDescription, Mapping, LoadedNetwork) {
    let network = try NetworkFile.parse(handText, file: "traffic.json")
    let chip = try twoNeuronTiny()
    let mapping = try Partitioner.partition(network, on: chip)
    return (network, mapping, try ChipLoader.load(network, mapping: mapping, on: chip))
}

@Suite struct TrafficEstimateTests {
    @Test func connectivityOnlyCountsOnePacketPerNeuronAndDestinationCore() throws {
        let (_, mapping, loaded) = try loadHand()
        #expect(mapping.coreNeuronCounts == [2, 2, 2])
        #expect(mapping.slices.map(\.core) == [0, 1, 2])
        let estimate = TrafficEstimate(loaded)
        // Row i, column j: packets core i sends core j when each of i's neurons spikes once.
        #expect(estimate.traffic == [
            [1, 2, 0],  // A1 → core 0; A0 and A1 → core 1 (A0's two targets there cost one packet)
            [0, 0, 2],  // B0, B1 → core 2
            [0, 0, 0],
        ])
        // in0 → core 0; in1 → core 0 and core 2 (one packet per core, not per synapse).
        #expect(estimate.hostTraffic == [2, 0, 1])
    }

    @Test func ratesMultiplyEachNeuronsPackets() throws {
        let (_, _, loaded) = try loadHand()
        let estimate = TrafficEstimate(loaded, neuronWeights: [[3, 5], [2, 4], [9, 1]], inputWeights: [10, 20])
        #expect(estimate.traffic == [
            [5, 3 + 5, 0],
            [0, 0, 2 + 4],
            [0, 0, 0],  // C spikes 10 times but has no output axons
        ])
        #expect(estimate.hostTraffic == [10 + 20, 0, 20])
        // Zero rates give zero traffic: silent neurons cost nothing.
        let silent = TrafficEstimate(loaded, neuronWeights: [[0, 0], [0, 0], [0, 0]], inputWeights: [0, 0])
        #expect(silent.traffic == [[0, 0, 0], [0, 0, 0], [0, 0, 0]])
        #expect(silent.traffic.offDiagonalCount == 0)
        #expect(silent.hostTraffic == [0, 0, 0])
    }

    @Test func simulationWeighsTheEstimateWithSpikeRatesByName() throws {
        let (network, mapping, loaded) = try loadHand()
        // Per-neuron counts in population order; "C" and the input are missing from the file, so
        // they weigh 0.
        let rates = SpikeRates(network: "traffic", steps: 4, inputs: [:], populations: ["A": [3, 5], "B": [2, 4]])
        let estimate = Simulation.traffic(loaded, mapping: mapping, network: network, rates: rates)
        #expect(estimate == TrafficEstimate(loaded, neuronWeights: [[3, 5], [2, 4], [0, 0]], inputWeights: [0, 0]))
        let withInputs = SpikeRates(network: "traffic", steps: 4, inputs: ["in": [10, 20]], populations: ["C": [9, 1]])
        #expect(Simulation.traffic(loaded, mapping: mapping, network: network, rates: withInputs)
            == TrafficEstimate(loaded, neuronWeights: [[0, 0], [0, 0], [9, 1]], inputWeights: [10, 20]))
        #expect(Simulation.traffic(loaded, mapping: mapping, network: network, rates: nil) == TrafficEstimate(loaded))
    }

    @Test func placementCostOfTheHandNetworkOnTiny() throws {
        // Two cores per tile, host on (0, 0). In order, cores 0 and 1 share tile (0, 0) and
        // core 2 sits on (1, 0): B → C costs 2 × 1 and host → C 1 × 1. No placement does better
        // (C away from the host pays 1, and away from B 2; else A and B split and A → B pays 2,
        // or A leaves the host tile and pays 2).
        let (network, _, _) = try loadHand()
        let simulation = try Simulation(network: network, chip: twoNeuronTiny())
        #expect(simulation.placementCost.inOrder == 3)
        #expect(simulation.placementCost.placed == 3)
    }

    @Test func aSplitPopulationSendsOnePacketPerDestinationSlice() throws {
        // 30 inputs all-to-all onto 70 neurons: the population splits 64 + 6 on tiny, and every
        // input neuron sends one packet to each of the two cores.
        let network = try NetworkFile.parse("""
            { "format": "neuroemu-network/1", "name": "split", "steps": 1,
              "inputs": [{ "name": "in", "size": 30, "poisson": { "probability": 0.1 } }],
              "populations": [{ "name": "P", "size": 70, "neuron": { "model": "loihi_lif", "vth": 10 } }],
              "projections": [{ "name": "in_P", "source": "in", "target": "P", "all_to_all": { "weight": 1 } }] }
            """, file: "split.json")
        let chip = try ChipPresets.resolve("tiny")
        let mapping = try Partitioner.partition(network, on: chip)
        let estimate = TrafficEstimate(try ChipLoader.load(network, mapping: mapping, on: chip))
        #expect(mapping.coreNeuronCounts == [64, 6])
        #expect(estimate.hostTraffic == [30, 30])
        #expect(estimate.traffic == [[0, 0], [0, 0]])
    }
}
