import Chip
import Testing
@testable import Host

private func network(inputs: String = "[]", populations: String, projections: String = "[]") throws -> NetworkDescription {
    try NetworkFile.parse("""
        { "format": "neuroemu-network/1", "name": "l", "steps": 10,
          "inputs": \(inputs), "populations": \(populations), "projections": \(projections) }
        """, file: "l.json")
}

private func population(_ name: String, _ size: Int, _ neuron: String = #""vth": 100"#) -> String {
    #"{ "name": "\#(name)", "size": \#(size), "neuron": { "model": "loihi_lif", \#(neuron) } }"#
}

private func tiny() throws -> ChipDescription { try ChipPresets.resolve("tiny") }

/// Synapse rows as (target, group, stored weight, delay), leaving out learning fields.
private func rows(_ program: CoreProgram) -> [[[Int32]]] {
    program.axonSynapses.map { row in row.map { [$0.target, $0.group, $0.weight, $0.delay] } }
}

/// `Synapse(…)` of the expected rows, in the same form as `rows`.
private func S(target: Int32, group: Int32 = 0, weight: Int32, delay: Int32 = 1) -> [Int32] { [target, group, weight, delay] }

/// Partitions and loads `network` onto `chip`.
private func load(_ network: NetworkDescription, on chip: ChipDescription, packing: Partitioner.Packing = .packed) throws -> (Mapping, LoadedNetwork) {
    let mapping = try Partitioner.partition(network, on: chip, packing: packing)
    return (mapping, try ChipLoader.load(network, mapping: mapping, on: chip))
}

@Suite struct ChipLoaderTests {
    @Test func inputAxonsAreNumberedAscendingBySource() throws {
        // The projection from population A is listed first, but host inputs are numbered before
        // population neurons, so the input's axons come first on B's core. A and B share core 0
        // (packing): A is neurons 0–1 there and B neurons 2–3, so B's synapses target 2 and 3 and
        // A's spikes go to the core they come from.
        let net = try network(
            inputs: #"[{ "name": "in", "size": 2, "spike_times": [[1], [2]] }]"#,
            populations: "[\(population("A", 2)), \(population("B", 2))]",
            projections: #"""
                [{ "name": "AB", "source": "A", "target": "B", "one_to_one": { "weight": 5 } },
                 { "name": "inB", "source": "in", "target": "B", "all_to_all": { "weight": 1 } }]
                """#)
        let (mapping, loaded) = try load(net, on: tiny())
        #expect(mapping.coreNeuronCounts == [4])
        #expect(mapping.slices.map(\.coreOffset) == [0, 2])
        #expect(rows(loaded.programs[0]) == [
            [S(target: 2, weight: 1), S(target: 3, weight: 1)],  // in[0]
            [S(target: 2, weight: 1), S(target: 3, weight: 1)],  // in[1]
            [S(target: 2, weight: 5)],  // A[0]
            [S(target: 3, weight: 5)],  // A[1]
        ])
        #expect(loaded.inputDestinations == [[OutputAxon(core: 0, axon: 0)], [OutputAxon(core: 0, axon: 1)]])
        #expect(loaded.programs[0].destinations == [[OutputAxon(core: 0, axon: 2)], [OutputAxon(core: 0, axon: 3)], [], []])
        #expect(loaded.usage == [
            // Four rows of 14-bit synapses (8 weight + 6 index bits), each padded to 128 bits.
            CoreUsage(endpoint: 0, neurons: 4, inputAxons: 4, outputAxons: 2, synapses: 6, synapseMemoryBits: 512),
        ])

        // One population per core: the same tables, with A's axons leaving for core 1.
        let (separate, apart) = try load(net, on: tiny(), packing: .onePopulationPerCore)
        #expect(separate.coreNeuronCounts == [2, 2])
        #expect(apart.programs[0].axonSynapses.isEmpty)
        #expect(rows(apart.programs[1]) == [
            [S(target: 0, weight: 1), S(target: 1, weight: 1)],
            [S(target: 0, weight: 1), S(target: 1, weight: 1)],
            [S(target: 0, weight: 5)],
            [S(target: 1, weight: 5)],
        ])
        #expect(apart.inputDestinations == [[OutputAxon(core: 1, axon: 0)], [OutputAxon(core: 1, axon: 1)]])
        #expect(apart.programs[0].destinations == [[OutputAxon(core: 1, axon: 2)], [OutputAxon(core: 1, axon: 3)]])
        #expect(apart.usage.map(\.outputAxons) == [2, 0])
    }

    @Test func rowsFollowAscendingSourcesWhetherFoundByBitsOrBySorting() throws {
        // 2,000 host inputs take 32 words of source bits. B's core has 3 synapses (24 words'
        // worth: its distinct sources are sorted), C's and D's 5 (40: read from the bits).
        // Either way rows come in ascending source order, a source's synapses in file order.
        let net = try network(
            inputs: #"[{ "name": "in", "size": 2000, "poisson": { "probability": 0.01 } }]"#,
            populations: "[\(population("B", 2)), \(population("C", 2)), \(population("D", 2))]",
            projections: #"""
                [{ "name": "inB", "source": "in", "target": "B", "sparse": { "source": [1500, 7, 900], "target": [0, 1, 0], "weight": [1, 2, 3] } },
                 { "name": "inC", "source": "in", "target": "C", "sparse": { "source": [1999, 3, 1000, 3, 64], "target": [0, 1, 0, 0, 1], "weight": [4, 5, 6, 7, 8] } },
                 { "name": "inD", "source": "in", "target": "D", "sparse": { "source": [65, 2, 65, 1998, 4], "target": [0, 0, 1, 1, 0], "weight": [9, 10, 11, 12, 13] } }]
                """#)
        #expect(3 * ChipLoader.sourceBitsPerEntry < 32 && 32 <= 5 * ChipLoader.sourceBitsPerEntry)
        let (_, loaded) = try load(net, on: tiny(), packing: .onePopulationPerCore)
        #expect(rows(loaded.programs[0]) == [[S(target: 1, weight: 2)], [S(target: 0, weight: 3)], [S(target: 0, weight: 1)]])
        #expect(rows(loaded.programs[1]) == [
            [S(target: 1, weight: 5), S(target: 0, weight: 7)], [S(target: 1, weight: 8)], [S(target: 0, weight: 6)], [S(target: 0, weight: 4)],
        ])
        // D reads the bits after C: none of C's may be left set.
        #expect(rows(loaded.programs[2]) == [
            [S(target: 0, weight: 10)], [S(target: 0, weight: 13)], [S(target: 0, weight: 9), S(target: 1, weight: 11)], [S(target: 1, weight: 12)],
        ])
        #expect(loaded.inputDestinations[900] == [OutputAxon(core: 0, axon: 1)])
        #expect(loaded.inputDestinations[3] == [OutputAxon(core: 1, axon: 0)])
    }

    @Test func outputAxonsListEveryDestinationCoreOfASplitTarget() throws {
        var chip = try tiny()
        chip.coreLimits.neurons = 2
        let net = try network(
            populations: "[\(population("A", 1)), \(population("B", 3)), \(population("C", 1))]",
            projections: #"""
                [{ "name": "AB", "source": "A", "target": "B", "all_to_all": { "weight": 3 } },
                 { "name": "AC", "source": "A", "target": "C", "all_to_all": { "weight": 4 } }]
                """#)
        // Packed two to a core: [A0 B0] [B1 B2] [C0]. A0 reaches B0 on its own core, B1–B2 on
        // core 1 and C0 on core 2: one output axon per destination core.
        let (mapping, loaded) = try load(net, on: chip)
        #expect(mapping.coreNeuronCounts == [2, 2, 1])
        #expect(loaded.programs[0].destinations == [[OutputAxon(core: 0, axon: 0), OutputAxon(core: 1, axon: 0), OutputAxon(core: 2, axon: 0)], []])
        #expect(rows(loaded.programs[0]) == [[S(target: 1, weight: 3)]])
        #expect(rows(loaded.programs[1]) == [[S(target: 0, weight: 3), S(target: 1, weight: 3)]])
        #expect(rows(loaded.programs[2]) == [[S(target: 0, weight: 4)]])
        #expect(loaded.usage[0].outputAxons == 3)
    }

    @Test func negativeWeightExponentsGetTheirOwnAccumulatorGroups() throws {
        let net = try network(
            inputs: #"[{ "name": "in", "size": 1, "spike_times": [[1]] }]"#,
            populations: "[\(population("A", 2))]",
            projections: #"""
                [{ "name": "shiftDown2", "source": "in", "target": "A", "weight_exp": -2, "all_to_all": { "weight": 7 } },
                 { "name": "shiftUp1", "source": "in", "target": "A", "weight_exp": 1, "all_to_all": { "weight": 7 } },
                 { "name": "shiftDown1", "source": "in", "target": "A", "weight_exp": -1, "sparse": { "source": [0], "target": [1], "weight": [9] } },
                 { "name": "plain", "source": "in", "target": "A", "all_to_all": { "weight": 3 } }]
                """#)
        let (_, loaded) = try load(net, on: tiny())
        let program = loaded.programs[0]
        #expect(program.groupExponents == [0, -2, -1])
        #expect(rows(program) == [[
            S(target: 0, group: 1, weight: 7), S(target: 1, group: 1, weight: 7),  // exponent −2: own group, unshifted
            S(target: 0, group: 0, weight: 14), S(target: 1, group: 0, weight: 14),  // exponent +1: pre-shifted
            S(target: 1, group: 2, weight: 9),  // exponent −1: another group
            S(target: 0, group: 0, weight: 3), S(target: 1, group: 0, weight: 3),
        ]])
    }

    @Test func storedWeightsAreTruncatedBySignModeThenShifted() throws {
        let net = try network(
            inputs: #"[{ "name": "in", "size": 2, "spike_times": [[1], [1]] }]"#,
            populations: "[\(population("A", 1))]",
            projections: #"""
                [{ "name": "exc", "source": "in", "target": "A", "num_weight_bits": 6, "weight_exp": 2, "weights": [[7, 255]] },
                 { "name": "mix", "source": "in", "target": "A", "weights": [[7, -3]] },
                 { "name": "inh", "source": "in", "target": "A", "num_weight_bits": 6, "weights": [[-7, -255]] }]
                """#)
        #expect(net.projections.map(\.signMode) == [.excitatory, .mixed, .inhibitory])
        let (_, loaded) = try load(net, on: tiny())
        // exc: 6 bits drop 2 (floor) → 4, 252, then << 2 → 16, 1008.
        // mix: 8 bits with a sign bit drop 1 (floor) → 6, −4.
        // inh: 6 bits drop 2 toward zero → −4, −252.
        #expect(rows(loaded.programs[0]) == [
            [S(target: 0, weight: 16), S(target: 0, weight: 6), S(target: 0, weight: -4)],
            [S(target: 0, weight: 1008), S(target: 0, weight: -4), S(target: 0, weight: -252)],
        ])
    }

    @Test func neuronParametersAndInitialStateFollowTheirSlice() throws {
        var chip = try tiny()
        chip.coreLimits.neurons = 2
        let net = try network(populations: "[\(population("A", 3, #""vth": [10, 20, 30], "du": [1, 2, 3], "u_init": [4, 5, 6], "v_init": [-1, -2, -3]"#))]")
        let (_, loaded) = try load(net, on: chip)
        #expect(loaded.programs.map { $0.neurons.map(\.vth) } == [[10, 20], [30]])
        #expect(loaded.programs.map { $0.neurons.map(\.du) } == [[1, 2], [3]])
        #expect(loaded.programs.map(\.initialU) == [[4, 5], [6]])
        #expect(loaded.programs.map(\.initialV) == [[-1, -2], [-3]])
    }

    @Test func delaysAreKeptAndSizeTheRingBuffer() throws {
        let net = try network(
            inputs: #"[{ "name": "in", "size": 2, "spike_times": [[1], [1]] }]"#,
            populations: "[\(population("A", 1)), \(population("B", 1))]",
            projections: #"""
                [{ "name": "inA", "source": "in", "target": "A", "sparse": { "source": [0, 1], "target": [0, 0], "weight": [1, 2], "delay": [3, 15] } },
                 { "name": "inB", "source": "in", "target": "B", "all_to_all": { "weight": 1 } }]
                """#)
        // One population per core: each core's ring holds its own largest delay.
        let (_, loaded) = try load(net, on: tiny(), packing: .onePopulationPerCore)
        #expect(rows(loaded.programs[0]) == [[S(target: 0, weight: 1, delay: 3)], [S(target: 0, weight: 2, delay: 15)]])
        #expect(loaded.programs[0].delaySlots == 16)
        #expect(loaded.programs[1].delaySlots == 2)
        // Packed, A and B share a core and so a ring sized for the larger delay.
        let (_, packed) = try load(net, on: tiny())
        #expect(packed.programs.map(\.delaySlots) == [16])
        #expect(rows(packed.programs[0]) == [
            [S(target: 0, weight: 1, delay: 3), S(target: 1, weight: 1)],
            [S(target: 0, weight: 2, delay: 15), S(target: 1, weight: 1)],
        ])
    }

    @Test func delayAboveTheChipsSlotsIsAMappingError() throws {
        let net = try network(
            inputs: #"[{ "name": "in", "size": 1, "spike_times": [[1]] }]"#,
            populations: "[\(population("A", 1))]",
            projections: #"[{ "name": "slow", "source": "in", "target": "A", "delay": 16, "all_to_all": { "weight": 1 } }]"#)
        let expected = MappingError.delayTooLong(projection: "slow", delay: 16, maximum: 15, chip: "tiny")
        #expect(throws: expected) { try load(net, on: tiny()) }
        #expect(throws: expected) { try Simulation(network: net, chip: tiny()) }
        #expect(expected.description == "projection `slow` has delay 16 steps; chip `tiny` allows at most 15")
        // 15 is the largest delay tiny's 16 slots hold.
        let fits = try network(
            inputs: #"[{ "name": "in", "size": 1, "spike_times": [[1]] }]"#,
            populations: "[\(population("A", 1))]",
            projections: #"[{ "name": "slow", "source": "in", "target": "A", "delay": 15, "all_to_all": { "weight": 1 } }]"#)
        #expect(try load(fits, on: tiny()).1.programs[0].delaySlots == 16)
    }

    @Test func weightPrecisionAboveTheChipsIsAMappingError() throws {
        var chip = try tiny()
        chip.coreLimits.weightBits = 4
        let net = try network(
            inputs: #"[{ "name": "in", "size": 1, "spike_times": [[1]] }]"#,
            populations: "[\(population("A", 1))]",
            projections: #"[{ "name": "fine", "source": "in", "target": "A", "all_to_all": { "weight": 1 } }]"#)
        let expected = MappingError.weightPrecision(projection: "fine", bits: 8, maximum: 4, chip: "tiny")
        #expect(throws: expected) { try load(net, on: chip) }
        #expect(expected.description == "projection `fine` uses 8 weight bits; chip `tiny` stores at most 4")
    }

    /// A float projection's 8 bits come from the quantizer, not the file: the message says so
    /// and what would map it.
    @Test func floatWeightsAboveTheChipsPrecisionSayTheyAreQuantized() throws {
        var chip = try tiny()
        chip.coreLimits.weightBits = 4
        let net = try NetworkFile.parse(#"""
            { "format": "neuroemu-network/1", "name": "f", "steps": 5,
              "inputs": [{ "name": "in", "size": 2, "spike_times": [[1], [2]] }],
              "populations": [{ "name": "A", "size": 2, "neuron": { "model": "lif", "tau_mem": 20.0, "tau_syn": 5.0, "dt": 1.0, "v_threshold": 1.0 } }],
              "projections": [{ "name": "in_A", "source": "in", "target": "A", "all_to_all": { "weight": 0.5 } }] }
            """#, file: "f.json")
        let expected = MappingError.weightPrecision(projection: "in_A", bits: 8, maximum: 4, chip: "tiny", quantized: true)
        #expect(throws: expected) { try load(net, on: chip) }
        #expect(expected.description == "projection `in_A` has float weights, which are quantized to 8 bits; chip `tiny` stores at most 4 "
            + "(map the float network on a chip of 8 weight bits, or give integer weights with `num_weight_bits`)")
    }

    @Test func tooManyOutputAxonsIsAMappingError() throws {
        var chip = try tiny()
        chip.coreLimits.outputAxons = 1
        let net = try network(
            populations: "[\(population("A", 1)), \(population("B", 1)), \(population("C", 1))]",
            projections: #"""
                [{ "name": "AB", "source": "A", "target": "B", "all_to_all": { "weight": 1 } },
                 { "name": "AC", "source": "A", "target": "C", "all_to_all": { "weight": 1 } }]
                """#)
        // Packed, all three share core 0 and A needs one output axon: it fits.
        #expect(try load(net, on: chip).1.usage.map(\.outputAxons) == [1])
        // On three cores A's neuron needs two; the partitioner cannot cut a single neuron.
        let alone = MappingError.neuronDoesNotFit(population: "A", neuron: 0, resource: "output axons", needed: 2, limit: 1, projections: ["AB", "AC"])
        #expect(throws: alone) { try load(net, on: chip, packing: .onePopulationPerCore) }
        #expect(alone.description == "population `A` neuron 0 alone needs 2 output axons (projections `AB`, `AC`); core limit is 1")
        // The loader checks a mapping it is given, naming the projections that need the axons.
        let mapping = Mapping(
            slices: [Slice(population: 0, start: 0, count: 1, core: 0), Slice(population: 1, start: 0, count: 1, core: 1), Slice(population: 2, start: 0, count: 1, core: 2)],
            coreEndpoints: [0, 1, 2], coreNeuronCounts: [1, 1, 1])
        let expected = MappingError.coreLimitExceeded(core: 0, contents: "population `A` neurons 0–0", resource: "output axons", needed: 2, limit: 1, projections: ["AB", "AC"])
        #expect(throws: expected) { try ChipLoader.load(net, mapping: mapping, on: chip) }
        #expect(expected.description == "projections `AB`, `AC` need 2 output axons on core 0 (population `A` neurons 0–0); the limit is 1")
    }

    @Test func describeNamesEverySliceOfACore() throws {
        var chip = try tiny()
        chip.coreLimits.neurons = 3
        let net = try network(populations: "[\(population("hidden", 7))]")
        let mapping = try Partitioner.partition(net, on: chip)
        #expect(ChipLoader.describe(core: 1, mapping: mapping, network: net) == "population `hidden` neurons 3–5")
        #expect(ChipLoader.describe(core: 2, mapping: mapping, network: net) == "population `hidden` neurons 6–6")
        // A packed core names each of its slices.
        let packed = try network(populations: "[\(population("A", 2)), \(population("B", 4))]")
        let packedMapping = try Partitioner.partition(packed, on: chip)
        #expect(ChipLoader.describe(core: 0, mapping: packedMapping, network: packed) == "population `A` neurons 0–1, population `B` neurons 0–0")
        #expect(ChipLoader.describe(core: 1, mapping: packedMapping, network: packed) == "population `B` neurons 1–3")
    }

    @Test func plasticSynapsesReferToTheirProjectionsRule() throws {
        let rule = #""stdp": { "pre_impulse": 64, "post_impulse": 32, "pre_decay": 100, "post_decay": 200, "a_plus": 16, "a_minus": 8, "w_min": 0, "w_max": 200 }"#
        let net = try network(
            inputs: #"[{ "name": "in", "size": 2, "spike_times": [[1], [1]] }]"#,
            populations: "[\(population("A", 2))]",
            projections: #"""
                [{ "name": "fixed", "source": "in", "target": "A", "one_to_one": { "weight": 5 } },
                 { "name": "learn", "source": "in", "target": "A", "weight_exp": 1, "all_to_all": { "weight": 10 }, \#(rule) }]
                """#)
        let (_, loaded) = try load(net, on: tiny())
        let program = loaded.programs[0]
        #expect(program.learningRules == [LearningRule(stdp: net.projections[1].stdp!, signMode: .excitatory, numWeightBits: 8, storedShift: 1)])
        // Rows by source; within a row, file order: the static synapse first.
        #expect(program.axonSynapses.map { $0.map(\.learningRule) } == [[-1, 0, 0], [-1, 0, 0]])
        #expect(program.axonSynapses.map { $0.map(\.weight) } == [[5, 20, 20], [5, 20, 20]])
        #expect(program.axonSynapses.map { $0.filter { $0.learningRule >= 0 }.map(\.fileWeight) } == [[10, 10], [10, 10]])
        // all_to_all is target-major: synapse k of `learn` connects source k % 2 to target k / 2.
        #expect(loaded.plasticOrigins[0].map { [$0.projection, $0.synapse] } == [[1, 0], [1, 2], [1, 1], [1, 3]])
    }

    @Test func eachCoreGetsItsOwnLearningSeedFromTheNetworkSeed() throws {
        var chip = try tiny()
        chip.coreLimits.neurons = 1
        let text = """
            { "format": "neuroemu-network/1", "name": "l", "steps": 10, "seed": SEED,
              "populations": [\(population("A", 3))] }
            """
        let one = try load(NetworkFile.parse(text.replacingOccurrences(of: "SEED", with: "1"), file: "a"), on: chip).1
        let again = try load(NetworkFile.parse(text.replacingOccurrences(of: "SEED", with: "1"), file: "a"), on: chip).1
        let two = try load(NetworkFile.parse(text.replacingOccurrences(of: "SEED", with: "2"), file: "a"), on: chip).1
        let seeds = one.programs.map(\.learningSeed)
        #expect(Set(seeds).count == 3)
        #expect(again.programs.map(\.learningSeed) == seeds)
        #expect(Set(two.programs.map(\.learningSeed)).isDisjoint(with: seeds))
    }

    @Test func loaderAgreesWithThePartitionerOnSynapseMemory() throws {
        // The partitioner fills cores to 18 neurons of 200 shared 14-bit-synapse sources
        // (PartitionerTests); the loader must count the same bits: 200 rows × 320 bits for a full
        // core, 200 × 256 for the last one (10 synapses: 64 + 140 = 204 → 256).
        let net = try network(
            inputs: #"[{ "name": "in", "size": 200, "poisson": { "probability": 0.1 } }]"#,
            populations: "[\(population("A", 64))]",
            projections: #"[{ "name": "p", "source": "in", "target": "A", "all_to_all": { "weight": 1 } }]"#)
        let (_, loaded) = try load(net, on: tiny())
        #expect(loaded.usage.map(\.synapseMemoryBits) == [64_000, 64_000, 64_000, 51_200])
        #expect(loaded.usage.map(\.inputAxons) == [200, 200, 200, 200])
        #expect(loaded.usage.map(\.synapses) == [3600, 3600, 3600, 2000])
        #expect(loaded.inputDestinations.allSatisfy { $0.map(\.core) == [0, 1, 2, 3] })
    }

    /// Cores built while loading (each core's synapses laid out as soon as its program has them,
    /// on one thread or several) are the cores built from the loaded programs: the same synapse
    /// memory, plastic synapses and output axons, so two engines step alike, learning included;
    /// the programs come back without their synapse lists and otherwise unchanged.
    @Test(arguments: [1, 2, 3])
    func coresBuiltWhileLoadingMatchCoresBuiltFromThePrograms(threads: Int) throws {
        let rule = #""stdp": { "pre_impulse": 64, "post_impulse": 32, "pre_decay": 100, "post_decay": 200, "a_plus": 16, "a_minus": 8, "w_min": 0, "w_max": 200 }"#
        let net = try network(
            inputs: #"[{ "name": "in", "size": 6, "poisson": { "probability": 0.3 } }]"#,
            populations: "[\(population("A", 9, #""vth": 20"#)), \(population("B", 5, #""vth": 20"#))]",
            projections: #"""
                [{ "name": "in-a", "source": "in", "target": "A", "random": { "p": 0.6, "weight": 30 } },
                 { "name": "a-b", "source": "A", "target": "B", "weight_exp": 1, "all_to_all": { "weight": 20 }, \#(rule) },
                 { "name": "b-a", "source": "B", "target": "A", "weight_exp": -1, "random": { "p": 0.5, "weight": -40 } }]
                """#)
        var chip = try tiny()
        chip.coreLimits.neurons = 4  // several cores, so spikes cross between them
        let mapping = try Partitioner.partition(net, on: chip)
        let loaded = try ChipLoader.load(net, mapping: mapping, on: chip)
        let (stripped, cores) = try ChipLoader.loadCores(net, mapping: mapping, on: chip, threads: threads)
        #expect(cores.count == loaded.programs.count && cores.count > 2)
        #expect(stripped.programs.allSatisfy { $0.synapses.isEmpty && $0.axonSynapseStart.isEmpty })
        var emptied = loaded.programs
        for core in emptied.indices {
            emptied[core].synapses = []
            emptied[core].axonSynapseStart = []
        }
        #expect(stripped.programs == emptied)
        #expect(stripped.usage == loaded.usage && stripped.inputDestinations == loaded.inputDestinations)
        #expect(stripped.plasticOrigins.map { $0.map { [$0.projection, $0.synapse] } } == loaded.plasticOrigins.map { $0.map { [$0.projection, $0.synapse] } })
        #expect(loaded.plasticOrigins.contains { !$0.isEmpty })
        #expect(cores.map(\.synapseCount) == loaded.programs.map(\.synapses.count))
        #expect(cores.map(\.inputAxonCount) == loaded.programs.map(\.axonCount))

        var fromPrograms = ChipEngine(chip: chip, programs: loaded.programs, coreEndpoints: mapping.coreEndpoints, inputDestinations: loaded.inputDestinations)
        var fromLoading = ChipEngine(chip: chip, cores: cores, coreEndpoints: mapping.coreEndpoints, inputDestinations: stripped.inputDestinations)
        fromPrograms.setLearning(true, sleep: nil)
        fromLoading.setLearning(true, sleep: nil)
        var inputs = InputDriver(network: net, steps: 60)
        for t in 1...60 {
            let spikes = inputs.spikes(at: t, presentation: nil, suppressed: false)
            fromPrograms.step(inputSpikes: spikes)
            fromLoading.step(inputSpikes: spikes)
        }
        #expect(fromLoading.cores.map(\.v) == fromPrograms.cores.map(\.v))
        #expect(fromLoading.cores.map(\.plasticWeights) == fromPrograms.cores.map(\.plasticWeights))
        #expect(fromLoading.totals == fromPrograms.totals)
        #expect(fromPrograms.totals[.stdpUpdate] > 0 && fromPrograms.totals[.synapticOp] > 0)
    }

    /// Laid out on several threads, the cores that break a limit are found in core order: the
    /// error names the first (core 1), not the one a later thread met (core 3).
    @Test(arguments: [1, 2, 3, 4])
    func theFirstCoreOverALimitIsReportedOnAnyThreadCount(threads: Int) throws {
        // Neuron i of A listens to inputs 75i…75i + 74; cores 1 and 3 get four neurons each,
        // 300 input axons on a core of 256.
        let sources = (0..<825).map(String.init).joined(separator: ", ")
        let targets = (0..<825).map { String($0 / 75) }.joined(separator: ", ")
        let weights = Array(repeating: "1", count: 825).joined(separator: ", ")
        let net = try network(
            inputs: #"[{ "name": "in", "size": 825, "poisson": { "probability": 0.1 } }]"#,
            populations: "[\(population("A", 11))]",
            projections: #"[{ "name": "wide", "source": "in", "target": "A", "sparse": { "source": [\#(sources)], "target": [\#(targets)], "weight": [\#(weights)] } }]"#)
        let crowded = Mapping(
            slices: [Slice(population: 0, start: 0, count: 2, core: 0), Slice(population: 0, start: 2, count: 4, core: 1),
                     Slice(population: 0, start: 6, count: 1, core: 2), Slice(population: 0, start: 7, count: 4, core: 3)],
            coreEndpoints: [0, 1, 2, 3], coreNeuronCounts: [2, 4, 1, 4])
        #expect(throws: MappingError.coreLimitExceeded(
            core: 1, contents: "population `A` neurons 2–5", resource: "input axons", needed: 300, limit: 256, projections: ["wide"])
        ) {
            try ChipLoader.loadCores(net, mapping: crowded, on: tiny(), threads: threads)
        }
    }

    @Test func aLoadedProgramBuildsACore() throws {
        let net = try network(
            inputs: #"[{ "name": "in", "size": 3, "spike_times": [[1], [1], [1]] }]"#,
            populations: "[\(population("A", 4))]",
            projections: #"[{ "name": "p", "source": "in", "target": "A", "random": { "p": 0.5, "weight": 2 } }]"#)
        let (_, loaded) = try load(net, on: tiny())
        let core = Core(program: loaded.programs[0])
        #expect(core.synapseCount == net.synapseCount)
        #expect(core.inputAxonCount == Set(net.projections[0].synapses.map(\.source)).count)
        #expect(loaded.usage[0].synapses == net.synapseCount)
    }
}
