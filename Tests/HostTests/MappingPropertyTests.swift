import Chip
import Router
import Testing
@testable import Host

/// Seeded random networks for the mapping property test: random population sizes (mostly
/// small, so that they pack, sometimes larger than a core), random sparse connectivity with
/// duplicates, every sign mode, weight precisions, weight exponents and delays, and now and then
/// a population with a dynamic threshold. At most one projection per (source, target) pair, so
/// `MappingCheck` can tell projections apart.
struct RandomNetwork {
    var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed, stream: 0x6d61_7070) }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(generator.next() % UInt64(range.count))
    }

    mutating func chance(_ probability: Double) -> Bool { generator.nextUnitInterval() < probability }

    mutating func make(name: String) -> NetworkDescription {
        let inputs = (0..<int(0...2)).map { k in
            InputDescription(name: "in\(k)", size: int(1...24), source: .poisson(probability: [0.1]))
        }
        var populations: [PopulationDescription] = []
        for k in 0..<int(1...5) {
            let size = chance(0.2) ? int(20...80) : int(1...20)
            var parameters = Array(repeating: LoihiNeuron.Parameters(du: 1024, dv: 256, vth: 100), count: size)
            if chance(0.15) {
                for i in parameters.indices where chance(0.5) { parameters[i].meanVoltageGain = 1024 }
                parameters[0].meanVoltageGain = 2048  // at least one neuron uses v̄
            }
            populations.append(PopulationDescription(
                name: "p\(k)", size: size, model: parameters[0].meanVoltageGain != 0 ? "neuroemu_lif" : "loihi_lif",
                neurons: parameters, initialU: Array(repeating: 0, count: size), initialV: Array(repeating: 0, count: size)))
        }
        // Distinct (source group, target) pairs; groups are inputs, then populations.
        var pairs: [(group: Int, target: Int)] = []
        for group in 0..<(inputs.count + populations.count) {
            for target in populations.indices { pairs.append((group, target)) }
        }
        var projections: [ProjectionDescription] = []
        let delayStyle = int(0...19)  // 0–13: no delays; 14–18: up to 7 steps; 19: up to 15
        for k in 0..<min(pairs.count, int(1...6)) {
            let (group, target) = pairs.remove(at: int(0...(pairs.count - 1)))
            let isInput = group < inputs.count
            let source = isInput ? group : group - inputs.count
            let sourceSize = isInput ? inputs[source].size : populations[source].size
            let signMode = SignMode.allCases[int(0...2)]
            let probability = [0.05, 0.1, 0.3, 0.6][int(0...3)]
            var synapses: [SynapseDescription] = []
            for t in 0..<populations[target].size {
                for s in 0..<sourceSize where chance(probability) {
                    let delay: Int32 = delayStyle < 14 ? 1 : Int32(int(1...(delayStyle < 19 ? 7 : 15)))
                    let weight = Int32(int(signMode.weightRange))
                    synapses.append(SynapseDescription(source: Int32(s), target: Int32(t), weight: weight, delay: delay))
                    if chance(0.02) { synapses.append(synapses[synapses.count - 1]) }  // a duplicate synapse
                }
            }
            projections.append(ProjectionDescription(
                name: "j\(k)", source: source, sourceIsInput: isInput, target: target, synapses: synapses,
                signMode: signMode, weightExponent: int(-3...3), numWeightBits: int(1...8)))
        }
        return NetworkDescription(name: name, steps: 1, seed: 1, inputs: inputs, populations: populations, projections: projections, probes: [])
    }
}

/// The input axons and synapse-memory bits a population neuron needs on a core of its own,
/// recomputed from the cost model (for checking "alone needs" errors).
private func aloneNeeds(_ network: NetworkDescription, population: Int, neuron: Int, limits: CoreLimits) -> (axons: Int, bits: Int) {
    var rowBits: [MappingCheck.Source: Int] = [:]
    for projection in network.projections where projection.target == population {
        let bits = projection.numWeightBits + (projection.signMode == .mixed ? 1 : 0)
            + (projection.maximumDelay > 1 ? MappingCheck.bits(toCount: limits.delaySlots) : 0) + MappingCheck.bits(toCount: limits.neurons)
        for synapse in projection.synapses where Int(synapse.target) == neuron {
            rowBits[MappingCheck.Source(isInput: projection.sourceIsInput, group: projection.source, index: Int(synapse.source)), default: 64] += bits
        }
    }
    return (rowBits.count, rowBits.values.reduce(0) { $0 + ($1 + 63) / 64 * 64 })
}

/// A chip tighter than `tiny` in every limit but with more cores: 16 neurons, 48 input axons,
/// 40 output axons, 6,144 synapse-memory bits and 8 delay slots per core; 4 × 4 tiles of 2 cores.
func tightChip() throws -> ChipDescription {
    var chip = try ChipPresets.resolve("tiny")
    chip.name = "tight"
    chip.mesh = Mesh(width: 4, height: 4, coresPerTile: 2, hostTile: TileCoordinate(x: 0, y: 0))
    chip.coreLimits = CoreLimits(neurons: 16, inputAxons: 48, outputAxons: 40, synapseMemoryBits: 6144, weightBits: 8, delaySlots: 8)
    return chip
}

@Suite struct MappingPropertyTests {
    /// What happened to the mappings of one batch.
    struct Tally: Sendable {
        var mapped = 0
        /// Cores holding more than one slice.
        var packedCores = 0
        /// Mappings where output axons cut cores after the fill.
        var outputCuts = 0
        var rejected: [String: Int] = [:]
    }

    /// Maps one network on one chip and checks the result; returns what happened.
    static func check(_ network: NetworkDescription, on chip: ChipDescription, packing: Partitioner.Packing, tally: inout Tally) throws {
        let context = "\(network.name) on \(chip.name)"
        let mapping: Mapping
        let loaded: LoadedNetwork
        do throws(MappingError) {
            mapping = try Partitioner.partition(network, on: chip, packing: packing)
            loaded = try ChipLoader.load(network, mapping: mapping, on: chip)
        } catch {
            // A rejection must be true: the object named really exceeds the limit named.
            let limits = chip.coreLimits
            switch error {
            case let .delayTooLong(name, delay, maximum, _):
                let projection = try #require(network.projections.first { $0.name == name })
                #expect(projection.maximumDelay == delay && delay > maximum && maximum == limits.delaySlots - 1, "\(context): \(error)")
                tally.rejected["delay", default: 0] += 1
            case let .neuronDoesNotFit(name, neuron, resource, needed, limit, _):
                let population = try #require(network.populations.firstIndex { $0.name == name })
                let alone = aloneNeeds(network, population: population, neuron: neuron, limits: limits)
                switch resource {
                case "input axons": #expect(needed == alone.axons && needed > limit && limit == limits.inputAxons, "\(context): \(error)")
                case "bits of synapse memory": #expect(needed == alone.bits && needed > limit && limit == limits.synapseMemoryBits, "\(context): \(error)")
                case "output axons": #expect(needed > limit && limit == limits.outputAxons, "\(context): \(error)")
                default: Issue.record("\(context): unknown resource in \(error)")
                }
                tally.rejected[resource, default: 0] += 1
            case let .outOfCores(_, _, _, cores, _, _):
                #expect(cores == chip.mesh.coreCount, "\(context): \(error)")
                tally.rejected["cores", default: 0] += 1
            default:
                Issue.record("\(context): the partitioner let through a mapping the loader rejects: \(error)")
            }
            return
        }
        #expect(try Partitioner.partition(network, on: chip, packing: packing) == mapping, "deterministic: \(context)")
        let checker = MappingCheck(network: network, chip: chip, mapping: mapping, loaded: loaded)
        #expect(checker.sliceProblems() == [], "\(context)")
        #expect(checker.limitProblems() == [], "\(context)")
        let (synapses, problems) = checker.loadedSynapses()
        #expect(problems == [], "\(context)")
        #expect(synapses == MappingCheck.expectedSynapses(of: network), "\(context): loaded synapses differ from the network's")
        tally.mapped += 1
        var closings = CoreClosings(limits: chip.coreLimits)
        let filled = try Partitioner.fill(network, on: chip, numbering: NeuronNumbering(network), packing: packing, closings: &closings)
        tally.outputCuts += filled.count < mapping.coreNeuronCounts.count ? 1 : 0
        tally.packedCores += Set(mapping.slices.map(\.core)).filter { core in mapping.slices.filter { $0.core == core }.count > 1 }.count
    }

    /// 200 networks (8 batches of 25), each mapped on `tiny` and on `tightChip()`, packed; every
    /// fourth also one population per core.
    @Test(arguments: 0..<8)
    func everyMappingSatisfiesEveryLimitAndHoldsEverySynapseOnce(batch: Int) throws {
        let chips = [try ChipPresets.resolve("tiny"), try tightChip()]
        var tallies = [Tally(), Tally()]
        for seed in (batch * 25)..<(batch * 25 + 25) {
            var random = RandomNetwork(seed: UInt64(seed))
            let network = random.make(name: "random\(seed)")
            for (k, chip) in chips.enumerated() {
                try Self.check(network, on: chip, packing: .packed, tally: &tallies[k])
                if seed % 4 == 0 {
                    var ignored = Tally()
                    try Self.check(network, on: chip, packing: .onePopulationPerCore, tally: &ignored)
                }
            }
        }
        // Most networks fit, and enough of them share cores for the test to mean something.
        #expect(tallies[0].mapped >= 20, "tiny: \(tallies[0])")
        #expect(tallies[1].mapped >= 10, "tight: \(tallies[1])")
        #expect(tallies[0].packedCores + tallies[1].packedCores >= 10, "\(tallies)")
        #expect(tallies[1].outputCuts >= 1, "tight: \(tallies[1])")
    }

    @Test func theRandomNetworksCoverWhatTheyClaim() {
        var modes = Set<SignMode>()
        var delayed = 0
        var dynamic = 0
        var duplicates = 0
        var large = 0
        for seed in 0..<200 {
            var random = RandomNetwork(seed: UInt64(seed))
            let network = random.make(name: "n")
            modes.formUnion(network.projections.map(\.signMode))
            delayed += network.projections.contains { $0.maximumDelay > 1 } ? 1 : 0
            dynamic += network.populations.contains { $0.neurons.contains { $0.meanVoltageGain != 0 } } ? 1 : 0
            large += network.populations.contains { $0.size > 64 } ? 1 : 0
            for projection in network.projections {
                let pairs = projection.synapses.map { [$0.source, $0.target] }
                duplicates += Set(pairs).count < pairs.count ? 1 : 0
            }
        }
        #expect(modes == Set(SignMode.allCases))
        #expect(delayed >= 20 && dynamic >= 20 && duplicates >= 10 && large >= 10, "\([delayed, dynamic, duplicates, large])")
    }
}
