import Chip
import Router
import Testing
@testable import Host

/// A network of the given JSON sections (inputs and projections optional).
private func network(inputs: String = "[]", populations: String, projections: String = "[]") throws -> NetworkDescription {
    try NetworkFile.parse("""
        { "format": "neuroemu-network/1", "name": "p", "steps": 10,
          "inputs": \(inputs), "populations": \(populations), "projections": \(projections) }
        """, file: "p.json")
}

/// `{ "name": …, "size": …, "neuron": … }` of a plain population.
private func population(_ name: String, _ size: Int) -> String {
    #"{ "name": "\#(name)", "size": \#(size), "neuron": { "model": "loihi_lif", "vth": 100 } }"#
}

private func poisson(_ name: String, _ size: Int) -> String {
    #"{ "name": "\#(name)", "size": \#(size), "poisson": { "probability": 0.1 } }"#
}

/// Sparse connectivity where target neuron i receives from sources `i*fanIn ..< (i+1)*fanIn`.
private func disjointFanIn(targets: Int, fanIn: Int) -> String {
    let sources = (0..<targets * fanIn).map(String.init).joined(separator: ", ")
    let targetList = (0..<targets * fanIn).map { String($0 / fanIn) }.joined(separator: ", ")
    let weights = Array(repeating: "1", count: targets * fanIn).joined(separator: ", ")
    return #""sparse": { "source": [\#(sources)], "target": [\#(targetList)], "weight": [\#(weights)] }"#
}

private func tiny() throws -> ChipDescription { try ChipPresets.resolve("tiny") }

private func slices(_ mapping: Mapping) -> [[Int]] {
    mapping.slices.map { [$0.population, $0.start, $0.count, $0.core] }
}

@Suite struct PartitionerTests {
    @Test func populationLargerThanACoreIsSplitInOrder() throws {
        let mapping = try Partitioner.partition(network(populations: "[\(population("A", 150))]"), on: tiny())
        #expect(slices(mapping) == [[0, 0, 64, 0], [0, 64, 64, 1], [0, 128, 22, 2]])
        #expect(mapping.coreNeuronCounts == [64, 64, 22])
        #expect(mapping.coreEndpoints == [0, 1, 2])
        #expect(mapping.slices.allSatisfy { $0.coreOffset == 0 })
    }

    @Test func smallPopulationsShareACore() throws {
        // Packing: B continues on A's core, C fills the rest of it (59 of its 64 neurons fit after
        // A's 3 and B's 2) and spills onto a second core. Before packing every population started
        // a fresh core ([[0, 0, 3, 0], [1, 0, 2, 1], [2, 0, 64, 2]]), which is still available as
        // `.onePopulationPerCore` below.
        let net = try network(populations: "[\(population("A", 3)), \(population("B", 2)), \(population("C", 64))]")
        let mapping = try Partitioner.partition(net, on: tiny())
        #expect(slices(mapping) == [[0, 0, 3, 0], [1, 0, 2, 0], [2, 0, 59, 0], [2, 59, 5, 1]])
        #expect(mapping.slices.map(\.coreOffset) == [0, 3, 5, 0])
        #expect(mapping.coreNeuronCounts == [64, 5])
        #expect(mapping.slices(of: 1) == [Slice(population: 1, start: 0, count: 2, core: 0, coreOffset: 3)])
    }

    @Test func onePopulationPerCoreStartsEachPopulationOnAFreshCore() throws {
        let net = try network(populations: "[\(population("A", 3)), \(population("B", 2)), \(population("C", 64))]")
        let mapping = try Partitioner.partition(net, on: tiny(), packing: .onePopulationPerCore)
        #expect(slices(mapping) == [[0, 0, 3, 0], [1, 0, 2, 1], [2, 0, 64, 2]])
        #expect(mapping.coreNeuronCounts == [3, 2, 64])
        #expect(mapping.slices.allSatisfy { $0.coreOffset == 0 })
    }

    @Test func packingStopsAtEveryLimitNotJustTheNeuronCount() throws {
        // A's 10 neurons have no synapses; each B neuron listens to 50 inputs of its own, so A and
        // five B neurons share core 0 (250 of 256 input axons) and the sixth opens core 1.
        let net = try network(
            inputs: "[\(poisson("in", 400))]",
            populations: "[\(population("A", 10)), \(population("B", 8))]",
            projections: #"[{ "name": "p", "source": "in", "target": "B", \#(disjointFanIn(targets: 8, fanIn: 50)) }]"#)
        let mapping = try Partitioner.partition(net, on: tiny())
        #expect(slices(mapping) == [[0, 0, 10, 0], [1, 0, 5, 0], [1, 5, 3, 1]])
        #expect(mapping.slices.map(\.coreOffset) == [0, 10, 0])
    }

    @Test func aDynamicThresholdPopulationNeverSharesACore() throws {
        // v̄ is the mean over a core's neurons with a non-zero mean_voltage_gain; keeping such a
        // population apart keeps v̄ the mean of one population's slice (docs/neurons.md).
        let dynamic = #"{ "name": "D", "size": 4, "neuron": { "model": "neuroemu_lif", "vth": 100, "mean_voltage_gain": [0, 1024, 0, 0] } }"#
        let net = try network(populations: "[\(population("A", 3)), \(dynamic), \(population("B", 2)), \(population("C", 2))]")
        let mapping = try Partitioner.partition(net, on: tiny())
        #expect(slices(mapping) == [[0, 0, 3, 0], [1, 0, 4, 1], [2, 0, 2, 2], [3, 0, 2, 2]])
        #expect(mapping.coreNeuronCounts == [3, 4, 4])
    }

    @Test func aPopulationsNeuronCapSizesItsSlicesOnly() throws {
        // A may put at most 20 neurons on a core: 50 → 20, 20, 10. B, uncapped, continues on A's
        // last core (its 10 neurons leave 54 of the 64) and fills it, spilling 6 onto a fourth.
        var net = try network(populations: "[\(population("A", 50)), \(population("B", 60))]")
        net.populations[0].constraints.maxNeuronsPerCore = 20
        let mapping = try Partitioner.partition(net, on: tiny())
        #expect(slices(mapping) == [[0, 0, 20, 0], [0, 20, 20, 1], [0, 40, 10, 2], [1, 0, 54, 2], [1, 54, 6, 3]])
        #expect(mapping.coreNeuronCounts == [20, 20, 64, 6])
    }

    @Test func aPopulationPinnedToTilesKeepsItsCoresToItself() throws {
        var net = try network(populations: "[\(population("A", 3)), \(population("P", 2)), \(population("B", 2))]")
        net.populations[1].constraints.tiles = [TileCoordinate(x: 1, y: 0)]
        let mapping = try Partitioner.partition(net, on: tiny())
        #expect(slices(mapping) == [[0, 0, 3, 0], [1, 0, 2, 1], [2, 0, 2, 2]])
    }

    @Test func runningOutOfCoresNamesACapOrPinnedTiles() throws {
        var net = try network(populations: "[\(population("A", 200)), \(population("P", 1)), \(population("B", 1))]")
        net.populations[0].constraints.maxNeuronsPerCore = 30  // 7 cores
        net.populations[1].constraints.tiles = [TileCoordinate(x: 1, y: 1)]
        var closings = CoreClosings(limits: try tiny().coreLimits)
        closings.populationCap = 6
        closings.tilesBoundary = 2
        let expected = MappingError.outOfCores(population: "B", neuron: 0, chip: "tiny", cores: 8, closings: closings)
        #expect(throws: expected) { try Partitioner.partition(net, on: tiny()) }
        #expect(expected.description.hasSuffix(
            "(cores filled: 6 closed at a population's neuron cap (`max_neurons_per_core` or --max-neurons-per-core); 2 closed at a population boundary, since a population placed on `tiles` keeps its cores to itself)"))
    }

    @Test func coresWithTooManyOutputAxonsAreCut() throws {
        // Two neurons per core: A fills cores 0–1 and B cores 2–4, so every A neuron reaches three
        // cores. Core limit 4 output axons: two A neurons (6) do not fit, so each A neuron gets a
        // core of its own.
        var chip = try tiny()
        chip.coreLimits.neurons = 2
        chip.coreLimits.outputAxons = 4
        let net = try network(
            populations: "[\(population("A", 4)), \(population("B", 6))]",
            projections: #"[{ "name": "AB", "source": "A", "target": "B", "all_to_all": { "weight": 1 } }]"#)
        let mapping = try Partitioner.partition(net, on: chip)
        #expect(mapping.coreNeuronCounts == [1, 1, 1, 1, 2, 2, 2])
        #expect(slices(mapping) == [[0, 0, 1, 0], [0, 1, 1, 1], [0, 2, 1, 2], [0, 3, 1, 3], [1, 0, 2, 4], [1, 2, 2, 5], [1, 4, 2, 6]])
        let loaded = try ChipLoader.load(net, mapping: mapping, on: chip)
        #expect(loaded.usage.map(\.outputAxons) == [3, 3, 3, 3, 0, 0, 0])
        // With 6 output axons per core the first fill already fits.
        chip.coreLimits.outputAxons = 6
        #expect(try Partitioner.partition(net, on: chip).coreNeuronCounts == [2, 2, 2, 2, 2])
    }

    @Test func cuttingForOutputAxonsRepeatsUntilEveryCoreFits() throws {
        // Recurrent all-to-all over 6 neurons, 5 output axons per core. One core: 6 neurons × 1
        // destination = 6, so cut into [0–4] [5]. Now each neuron reaches 2 cores: [0–4] needs 10,
        // cut into [0–1] [2–3] [4]. Now each reaches 4 cores: the pairs need 8, cut into single
        // neurons, which reach 6 cores each: more than a whole core has, named as such.
        var chip = try tiny()
        chip.coreLimits.outputAxons = 5
        let net = try network(
            populations: "[\(population("A", 6))]",
            projections: #"[{ "name": "AA", "source": "A", "target": "A", "all_to_all": { "weight": 1 } }]"#)
        let expected = MappingError.neuronDoesNotFit(population: "A", neuron: 0, resource: "output axons", needed: 6, limit: 5, projections: ["AA"])
        #expect(throws: expected) { try Partitioner.partition(net, on: chip) }
        #expect(expected.description == "population `A` neuron 0 alone needs 6 output axons (projection `AA`); core limit is 5")
        // One output axon more per core and the first, single core fits.
        chip.coreLimits.outputAxons = 6
        #expect(try Partitioner.partition(net, on: chip).coreNeuronCounts == [6])
    }

    @Test func inputAxonsLimitTheSlice() throws {
        // Each target neuron listens to 50 sources of its own; 5 × 50 = 250 ≤ 256 input axons, 6 × 50 do not fit.
        let net = try network(
            inputs: "[\(poisson("in", 400))]",
            populations: "[\(population("A", 8))]",
            projections: #"[{ "name": "p", "source": "in", "target": "A", \#(disjointFanIn(targets: 8, fanIn: 50)) }]"#)
        let mapping = try Partitioner.partition(net, on: tiny())
        #expect(slices(mapping) == [[0, 0, 5, 0], [0, 5, 3, 1]])
    }

    @Test func synapseMemoryLimitsTheSlice() throws {
        // 200 shared sources: the axon count stays 200, but every neuron adds a 14-bit synapse
        // (8 weight bits + 6 index bits) to each of 200 rows. 18 neurons need rows of
        // 64 + 18 × 14 = 316 → 320 bits, 200 × 320 = 64,000 ≤ 65,536; 19 need 384-bit rows.
        let net = try network(
            inputs: "[\(poisson("in", 200))]",
            populations: "[\(population("A", 64))]",
            projections: #"[{ "name": "p", "source": "in", "target": "A", "all_to_all": { "weight": 1 } }]"#)
        let mapping = try Partitioner.partition(net, on: tiny())
        #expect(mapping.coreNeuronCounts == [18, 18, 18, 10])
        #expect(slices(mapping) == [[0, 0, 18, 0], [0, 18, 18, 1], [0, 36, 18, 2], [0, 54, 10, 3]])
    }

    @Test func delaysAndMixedSignsCostSynapseMemory() throws {
        // A delay above 1 adds ⌈log2 16⌉ = 4 delay bits: 18-bit synapses, 64 + 14 × 18 = 316 → 320.
        let delayed = try network(
            inputs: "[\(poisson("in", 200))]",
            populations: "[\(population("A", 64))]",
            projections: #"[{ "name": "p", "source": "in", "target": "A", "delay": 2, "all_to_all": { "weight": 1 } }]"#)
        #expect(try Partitioner.partition(delayed, on: tiny()).coreNeuronCounts == [14, 14, 14, 14, 8])
        // Mixed sign adds a sign bit: 15-bit synapses, 64 + 17 × 15 = 319 → 320.
        let mixed = try network(
            inputs: "[\(poisson("in", 200))]",
            populations: "[\(population("A", 64))]",
            projections: #"[{ "name": "p", "source": "in", "target": "A", "sign_mode": "mixed", "all_to_all": { "weight": 1 } }]"#)
        #expect(try Partitioner.partition(mixed, on: tiny()).coreNeuronCounts == [17, 17, 17, 13])
    }

    @Test func neuronWithTooManyInputAxonsCannotFit() throws {
        let net = try network(
            inputs: "[\(poisson("in", 300))]",
            populations: "[\(population("hidden", 2))]",
            projections: #"[{ "name": "p", "source": "in", "target": "hidden", "all_to_all": { "weight": 1 } }]"#)
        let expected = MappingError.neuronDoesNotFit(population: "hidden", neuron: 0, resource: "input axons", needed: 300, limit: 256, projections: ["p"])
        #expect(throws: expected) { try Partitioner.partition(net, on: tiny()) }
        #expect(expected.description == "population `hidden` neuron 0 alone needs 300 input axons (projection `p`); core limit is 256")
    }

    @Test func neuronWithTooMuchSynapseMemoryCannotFitAndIsNamed() throws {
        var chip = try tiny()
        chip.coreLimits.synapseMemoryBits = 1024
        // Neuron 0 has 2 sources (256 bits); neuron 1 has 9 sources of one 14-bit synapse each:
        // 9 rows of 128 bits = 1152 bits, more than a whole core.
        let net = try network(
            inputs: "[\(poisson("in", 11))]",
            populations: "[\(population("A", 2))]",
            projections: #"[{ "name": "p", "source": "in", "target": "A", "sparse": { "source": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "target": [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1], "weight": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] } }]"#)
        let expected = MappingError.neuronDoesNotFit(population: "A", neuron: 1, resource: "bits of synapse memory", needed: 1152, limit: 1024, projections: ["p"])
        #expect(throws: expected) { try Partitioner.partition(net, on: chip) }
        #expect(expected.description == "population `A` neuron 1 alone needs 1,152 bits of synapse memory (projection `p`); core limit is 1,024")
    }

    /// Closings of tiny's cores, `n` of them at the neuron limit.
    private func closedAtTheNeuronLimit(_ n: Int) throws -> CoreClosings {
        var closings = CoreClosings(limits: try tiny().coreLimits)
        closings.neuronLimit = n
        return closings
    }

    @Test func runningOutOfCoresInsideAPopulation() throws {
        let net = try network(populations: "[\(population("big", 9 * 64))]")
        let expected = MappingError.outOfCores(population: "big", neuron: 512, chip: "tiny", cores: 8, closings: try closedAtTheNeuronLimit(8))
        #expect(throws: expected) { try Partitioner.partition(net, on: tiny()) }
        #expect(expected.description == "the network does not fit on chip `tiny`: all 8 cores are full at population `big` neuron 512 (cores filled: 8 closed at the neuron limit (64))")
    }

    /// A cap equal to the chip's neuron limit binds with it; the chip's limit is the one named.
    @Test func aCapAtTheChipsLimitLeavesTheClosingsToTheLimit() throws {
        var net = try network(populations: "[\(population("big", 9 * 64))]")
        net.populations[0].constraints.maxNeuronsPerCore = 64
        let expected = MappingError.outOfCores(population: "big", neuron: 512, chip: "tiny", cores: 8, closings: try closedAtTheNeuronLimit(8))
        #expect(throws: expected) { try Partitioner.partition(net, on: tiny()) }
    }

    @Test func runningOutOfCoresAtAPopulationStart() throws {
        // Eight populations fill the eight cores exactly; the ninth has nowhere to go. (Nine
        // one-neuron populations no longer run out: they share one core.)
        let populations = ((0..<8).map { population("p\($0)", 64) } + [population("p8", 1)]).joined(separator: ", ")
        let net = try network(populations: "[\(populations)]")
        #expect(throws: MappingError.outOfCores(population: "p8", neuron: 0, chip: "tiny", cores: 8, closings: try closedAtTheNeuronLimit(8))) {
            try Partitioner.partition(net, on: tiny())
        }
    }

    /// Cores closed with room to spare name the rule that closed them, not a full chip: one-neuron
    /// populations with a dynamic threshold each keep a core, and one output axon a core cuts
    /// every neuron of a one-to-one projection onto a core of its own.
    @Test func runningOutOfCoresNamesTheRuleThatClosedThem() throws {
        let dynamic = (0..<9).map { #"{ "name": "D\#($0)", "size": 1, "neuron": { "model": "neuroemu_lif", "vth": 100, "mean_voltage_gain": 1 } }"# }
        var boundaries = CoreClosings(limits: try tiny().coreLimits)
        boundaries.dynamicThresholdBoundary = 8
        let expected = MappingError.outOfCores(population: "D8", neuron: 0, chip: "tiny", cores: 8, closings: boundaries)
        #expect(throws: expected) { try Partitioner.partition(network(populations: "[\(dynamic.joined(separator: ", "))]"), on: tiny()) }
        #expect(expected.description.hasSuffix(
            "neuron 0 (cores filled: 8 closed at a population boundary, since a population with a dynamic threshold (`mean_voltage_gain`) keeps its cores to itself)"))

        var chip = try tiny()
        chip.coreLimits.outputAxons = 1
        let chain = try network(
            populations: "[\(population("P", 9)), \(population("Q", 9))]",
            projections: #"[{ "name": "pq", "source": "P", "target": "Q", "one_to_one": { "weight": 10 } }]"#)
        do {
            _ = try Partitioner.partition(chain, on: chip)
            Issue.record("nine neurons of one output axon each fitted eight cores")
        } catch {
            guard case let .outOfCores(population, neuron, _, cores, closings, needed) = error, let closings else {
                Issue.record("unexpected error: \(error)")
                return
            }
            // One core of all 18 neurons, cut into nine of one output axon each (P0 … P7, then P8
            // with Q): P8 is the first beyond the eight cores.
            #expect(population == "P" && neuron == 8 && cores == 8 && needed == 9)
            #expect(closings.neuronLimit == 0 && closings.outputAxonCuts == 8)
            #expect(error.description == "the network does not fit on chip `tiny`: it needs 9 cores and the chip has 8; population `P` neuron 8 is the first beyond them (cores: 1 filled, then 8 more made by cutting cores to the output-axon limit (1))")
        }
    }

    @Test func exactlyAFullChipFits() throws {
        let mapping = try Partitioner.partition(network(populations: "[\(population("big", 8 * 64))]"), on: tiny())
        #expect(mapping.coreNeuronCounts == Array(repeating: 64, count: 8))
        #expect(mapping.coreEndpoints == Array(0..<8))
    }

    @Test func partitionIsDeterministic() throws {
        let net = try network(
            inputs: "[\(poisson("in", 100))]",
            populations: "[\(population("A", 100)), \(population("B", 30))]",
            projections: #"""
                [{ "name": "inA", "source": "in", "target": "A", "random": { "p": 0.5, "weight": 1 } },
                 { "name": "AB", "source": "A", "target": "B", "random": { "p": 0.8, "weight_range": [-5, 5] } },
                 { "name": "BA", "source": "B", "target": "A", "random": { "p": 0.3, "weight": -2 } }]
                """#)
        let first = try Partitioner.partition(net, on: tiny())
        #expect(try Partitioner.partition(net, on: tiny()) == first)
        // Every neuron is placed exactly once, in population order.
        for population in net.populations.indices {
            let own = first.slices(of: population)
            #expect(own.first?.start == 0)
            #expect(zip(own, own.dropFirst()).allSatisfy { $0.start + $0.count == $1.start })
            #expect(own.reduce(0) { $0 + $1.count } == net.populations[population].size)
        }
    }

    /// Counting output axons on several threads (each a run of neurons) cuts the cores where one
    /// thread does, whether the cuts all fit or a neuron alone does not.
    @Test(arguments: [2, 3, 5])
    func outputAxonsCountedOnSeveralThreadsCutTheSameCores(threads: Int) throws {
        var chip = try tiny()
        chip.coreLimits.neurons = 16
        chip.mesh = Mesh(width: 4, height: 4, coresPerTile: 4, hostTile: TileCoordinate(x: 0, y: 0))  // room for the cuts
        let net = try network(
            populations: "[\(population("A", 120)), \(population("B", 40))]",
            projections: #"""
                [{ "name": "AA", "source": "A", "target": "A", "random": { "p": 0.1, "weight": 1 } },
                 { "name": "AB", "source": "A", "target": "B", "random": { "p": 0.2, "weight": 1 } },
                 { "name": "BA", "source": "B", "target": "A", "random": { "p": 0.3, "weight": -1 } }]
                """#)
        let numbering = NeuronNumbering(net)
        for limit in [200, 64, 24] {
            chip.coreLimits.outputAxons = limit
            var closings = CoreClosings(limits: chip.coreLimits)
            let filled = try Partitioner.fill(net, on: chip, numbering: numbering, packing: .packed, closings: &closings)
            func split(threads: Int) -> Result<[Int], MappingError> {
                var starts = filled
                do {
                    try Partitioner.splitForOutputAxons(net, on: chip, numbering: numbering, coreStarts: &starts, threads: threads, neuronsPerThread: 1)
                    return .success(starts)
                } catch {
                    return .failure(error)
                }
            }
            let one = split(threads: 1)
            #expect(split(threads: threads) == one, "output-axon limit \(limit)")
            // 200 output axons hold every core as filled, 64 hold every neuron but not every core
            // (68 cores instead of 10), 24 not neuron 4 of A (25).
            switch (limit, one) {
            case (200, .success(let starts)): #expect(starts == filled)
            case (64, .success(let starts)): #expect(starts.count == 68 && filled.count == 10)
            case (24, .failure(let error)): #expect(error.description == "population `A` neuron 4 alone needs 25 output axons (projections `AA`, `AB`); core limit is 24")
            default: Issue.record("output-axon limit \(limit): \(one)")
            }
        }
    }

    @Test func sourceNumberingPutsInputsFirst() throws {
        let net = try network(
            inputs: "[\(poisson("a", 3)), \(poisson("b", 2))]",
            populations: "[\(population("X", 4)), \(population("Y", 1))]",
            projections: #"[{ "name": "bX", "source": "b", "target": "X", "all_to_all": { "weight": 1 } }, { "name": "XY", "source": "X", "target": "Y", "all_to_all": { "weight": 1 } }]"#)
        let numbering = SourceNumbering(net)
        #expect(numbering.inputOffsets == [0, 3])
        #expect(numbering.populationOffsets == [5, 9])
        #expect(numbering.total == 10)
        #expect(numbering.first(of: net.projections[0]) == 3)
        #expect(numbering.first(of: net.projections[1]) == 5)
    }
}
