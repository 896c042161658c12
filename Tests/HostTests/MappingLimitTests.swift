import Chip
import Testing
@testable import Host

private func network(inputs: String = "[]", populations: String, projections: String = "[]") throws -> NetworkDescription {
    try NetworkFile.parse("""
        { "format": "neuroemu-network/1", "name": "limits", "steps": 10,
          "inputs": \(inputs), "populations": \(populations), "projections": \(projections) }
        """, file: "limits.json")
}

private func population(_ name: String, _ size: Int) -> String {
    #"{ "name": "\#(name)", "size": \#(size), "neuron": { "model": "loihi_lif", "vth": 100 } }"#
}

private func poisson(_ name: String, _ size: Int) -> String {
    #"{ "name": "\#(name)", "size": \#(size), "poisson": { "probability": 0.1 } }"#
}

/// The message a network gets when it is mapped for a run on `chip` (nil if it fits).
private func failure(_ network: NetworkDescription, on chip: ChipDescription) -> String? {
    do {
        _ = try Simulation(network: network, chip: chip)
        return nil
    } catch {
        return error.description
    }
}

private func tiny(_ change: (inout CoreLimits) -> Void = { _ in }) throws -> ChipDescription {
    var chip = try ChipPresets.resolve("tiny")
    change(&chip.coreLimits)
    return chip
}

/// Every core limit violated on purpose, through the whole mapping pipeline (as `neuroemu run`
/// and `map` see it, before anything runs), with the exact message.
@Suite struct MappingLimitTests {
    @Test func neuronsRunOutOfCores() throws {
        let net = try network(populations: "[\(population("big", 9 * 64))]")
        #expect(failure(net, on: try tiny()) == "the network does not fit on chip `tiny`: all 8 cores are full at population `big` neuron 512 (cores filled: 8 closed at the neuron limit (64))")
        // 8 × 64 neurons fit exactly.
        #expect(failure(try network(populations: "[\(population("big", 8 * 64))]"), on: try tiny()) == nil)
    }

    @Test func inputAxonsOfOneNeuron() throws {
        let net = try network(
            inputs: "[\(poisson("in", 300))]",
            populations: "[\(population("hidden", 2))]",
            projections: #"[{ "name": "in_hidden", "source": "in", "target": "hidden", "all_to_all": { "weight": 1 } }]"#)
        #expect(failure(net, on: try tiny()) == "population `hidden` neuron 0 alone needs 300 input axons (projection `in_hidden`); core limit is 256")
    }

    @Test func inputAxonsOfALoadedCore() throws {
        // Neuron i of A listens to inputs 75i…75i + 74: the partitioner puts three neurons on a
        // core (225 axons); a mapping with all four on one core needs 300.
        let sources = (0..<300).map(String.init).joined(separator: ", ")
        let targets = (0..<300).map { String($0 / 75) }.joined(separator: ", ")
        let weights = Array(repeating: "1", count: 300).joined(separator: ", ")
        let net = try network(
            inputs: "[\(poisson("in", 300))]",
            populations: "[\(population("A", 4))]",
            projections: #"[{ "name": "wide", "source": "in", "target": "A", "sparse": { "source": [\#(sources)], "target": [\#(targets)], "weight": [\#(weights)] } }]"#)
        let chip = try tiny()
        #expect(try Partitioner.partition(net, on: chip).coreNeuronCounts == [3, 1])
        let crowded = Mapping(slices: [Slice(population: 0, start: 0, count: 4, core: 0)], coreEndpoints: [0], coreNeuronCounts: [4])
        do {
            _ = try ChipLoader.load(net, mapping: crowded, on: chip)
            Issue.record("the loader accepted 300 input axons on a core of 256")
        } catch {
            #expect(error.description == "projection `wide` needs 300 input axons on core 0 (population `A` neurons 0–3); the limit is 256")
        }
    }

    @Test func outputAxonsOfOneNeuron() throws {
        // One neuron per core: A0 reaches B's three cores, with room for two output axons.
        let net = try network(
            populations: "[\(population("A", 1)), \(population("B", 3))]",
            projections: #"[{ "name": "AB", "source": "A", "target": "B", "all_to_all": { "weight": 1 } }]"#)
        let chip = try tiny { $0.neurons = 1; $0.outputAxons = 2 }
        #expect(failure(net, on: chip) == "population `A` neuron 0 alone needs 3 output axons (projection `AB`); core limit is 2")
        #expect(failure(net, on: try tiny { $0.neurons = 1; $0.outputAxons = 3 }) == nil)
    }

    @Test func outputAxonsOfALoadedCore() throws {
        // Two neurons per core and 4 output axons: each A neuron reaches B's three cores, so the
        // partitioner gives each its own core; a mapping with both on one core needs 6.
        let net = try network(
            populations: "[\(population("A", 2)), \(population("B", 6))]",
            projections: #"[{ "name": "AB", "source": "A", "target": "B", "all_to_all": { "weight": 1 } }]"#)
        let chip = try tiny { $0.neurons = 2; $0.outputAxons = 4 }
        #expect(try Partitioner.partition(net, on: chip).coreNeuronCounts == [1, 1, 2, 2, 2])
        let crowded = Mapping(
            slices: [Slice(population: 0, start: 0, count: 2, core: 0), Slice(population: 1, start: 0, count: 2, core: 1),
                     Slice(population: 1, start: 2, count: 2, core: 2), Slice(population: 1, start: 4, count: 2, core: 3)],
            coreEndpoints: [0, 1, 2, 3], coreNeuronCounts: [2, 2, 2, 2])
        do {
            _ = try ChipLoader.load(net, mapping: crowded, on: chip)
            Issue.record("the loader accepted 6 output axons on a core of 4")
        } catch {
            #expect(error.description == "projection `AB` needs 6 output axons on core 0 (population `A` neurons 0–1); the limit is 4")
        }
    }

    @Test func synapseMemoryOfOneNeuron() throws {
        // 200 sources, one 14-bit synapse each: 200 rows of 128 bits = 25,600 bits.
        let net = try network(
            inputs: "[\(poisson("in", 200))]",
            populations: "[\(population("A", 2))]",
            projections: #"[{ "name": "in_A", "source": "in", "target": "A", "all_to_all": { "weight": 1 } }]"#)
        let chip = try tiny { $0.synapseMemoryBits = 16_384 }
        #expect(failure(net, on: chip) == "population `A` neuron 0 alone needs 25,600 bits of synapse memory (projection `in_A`); core limit is 16,384")
    }

    @Test func synapseMemoryOfALoadedCore() throws {
        // 200 sources (two inputs of 100) reach every neuron of A through two projections. A row
        // of n 14-bit synapses takes 64 + 14n bits, padded: 128 bits up to n = 4, 192 from n = 5.
        // So the partitioner puts 4 neurons on a core of 32,768 bits (200 × 128 = 25,600); all 8
        // on one core need 200 × 192 = 38,400.
        let net = try network(
            inputs: "[\(poisson("in", 100)), \(poisson("cue", 100))]",
            populations: "[\(population("A", 8))]",
            projections: #"""
                [{ "name": "in_A", "source": "in", "target": "A", "all_to_all": { "weight": 1 } },
                 { "name": "cue_A", "source": "cue", "target": "A", "all_to_all": { "weight": 2 } }]
                """#)
        let chip = try tiny { $0.synapseMemoryBits = 32_768 }
        #expect(try Partitioner.partition(net, on: chip).coreNeuronCounts == [4, 4])
        let crowded = Mapping(slices: [Slice(population: 0, start: 0, count: 8, core: 0)], coreEndpoints: [0], coreNeuronCounts: [8])
        do {
            _ = try ChipLoader.load(net, mapping: crowded, on: chip)
            Issue.record("the loader accepted 38,400 bits on a core of 32,768")
        } catch {
            #expect(error.description == "projections `in_A`, `cue_A` need 38,400 bits of synapse memory on core 0 (population `A` neurons 0–7); the limit is 32,768")
        }
    }

    @Test func delaySlots() throws {
        let net = try network(
            inputs: "[\(poisson("in", 1))]",
            populations: "[\(population("A", 1))]",
            projections: #"[{ "name": "slow", "source": "in", "target": "A", "delay": 16, "all_to_all": { "weight": 1 } }]"#)
        #expect(failure(net, on: try tiny()) == "projection `slow` has delay 16 steps; chip `tiny` allows at most 15")
    }

    @Test func weightBits() throws {
        let net = try network(
            inputs: "[\(poisson("in", 1))]",
            populations: "[\(population("A", 1))]",
            projections: #"[{ "name": "fine", "source": "in", "target": "A", "all_to_all": { "weight": 1 } }]"#)
        #expect(failure(net, on: try tiny { $0.weightBits = 4 }) == "projection `fine` uses 8 weight bits; chip `tiny` stores at most 4")
    }

    @Test func projectionRulesAreCheckedBeforeCoresRunOut() throws {
        // Too big for the chip and too slow for its delay slots: the delay is named, since no
        // partition can fix it.
        let net = try network(
            inputs: "[\(poisson("in", 1))]",
            populations: "[\(population("big", 9 * 64))]",
            projections: #"[{ "name": "slow", "source": "in", "target": "big", "delay": 20, "sparse": { "source": [0], "target": [0], "weight": [1] } }]"#)
        #expect(failure(net, on: try tiny()) == "projection `slow` has delay 20 steps; chip `tiny` allows at most 15")
    }
}
