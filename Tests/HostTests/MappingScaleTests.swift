import Chip
import Testing
@testable import Host

/// Networks built in code (a 1,000 × 1,000 JSON matrix would dominate the test's time).
enum ScaleNetworks {
    static func population(_ name: String, _ size: Int) -> PopulationDescription {
        PopulationDescription(
            name: name, size: size, neurons: Array(repeating: LoihiNeuron.Parameters(du: 1024, dv: 256, vth: 200), count: size),
            initialU: Array(repeating: 0, count: size), initialV: Array(repeating: 0, count: size))
    }

    /// Weight of the dense layer's synapse from `source` to `target`: every value of −256…254.
    static func denseWeight(source: Int, target: Int) -> Int32 { Int32((source * 7 + target * 13) % 511 - 256) }

    /// Poisson input `in` (1,000) → `A` (1,000) one to one → `B` (1,000) dense, mixed signs.
    static func denseLayer() -> NetworkDescription {
        let n = 1000
        let oneToOne = (0..<n).map { SynapseDescription(source: Int32($0), target: Int32($0), weight: 100, delay: 1) }
        var dense: [SynapseDescription] = []
        dense.reserveCapacity(n * n)
        for target in 0..<n {
            for source in 0..<n {
                dense.append(SynapseDescription(source: Int32(source), target: Int32(target), weight: denseWeight(source: source, target: target), delay: 1))
            }
        }
        return NetworkDescription(
            name: "dense", steps: 1, seed: 1,
            inputs: [InputDescription(name: "in", size: n, source: .poisson(probability: [0.05]))],
            populations: [population("A", n), population("B", n)],
            projections: [
                ProjectionDescription(name: "in_A", source: 0, sourceIsInput: true, target: 0, synapses: oneToOne, signMode: .excitatory, weightExponent: 0, numWeightBits: 8),
                ProjectionDescription(name: "A_B", source: 0, sourceIsInput: false, target: 1, synapses: dense, signMode: .mixed, weightExponent: 0, numWeightBits: 8),
            ],
            probes: [])
    }

    /// Synapses from every neuron of a `side` × `side` sheet to the neurons of another (or the
    /// same) sheet within Chebyshev distance `radius`, row-major, without self-connections.
    static func local(side: Int, radius: Int, weight: (Int, Int) -> Int32, delay: Int32 = 1, recurrent: Bool) -> [SynapseDescription] {
        var synapses: [SynapseDescription] = []
        for y in 0..<side {
            for x in 0..<side {
                for dy in -radius...radius {
                    for dx in -radius...radius {
                        let (sx, sy) = (x + dx, y + dy)
                        guard sx >= 0, sx < side, sy >= 0, sy < side, !(recurrent && dx == 0 && dy == 0) else { continue }
                        synapses.append(SynapseDescription(source: Int32(sy * side + sx), target: Int32(y * side + x), weight: weight(dx, dy), delay: delay))
                    }
                }
            }
        }
        return synapses
    }

    /// A 64 × 64 topographic sheet: a 64 × 64 Poisson input sheet drives it through 9 × 9
    /// receptive fields (delay 2), and each sheet neuron reaches its 5 × 5 neighbourhood with
    /// mixed-sign weights (delay 2): about 400,000 synapses, enough to spread over three tiles.
    static func sheet() -> NetworkDescription {
        let side = 64
        let feedforward = local(side: side, radius: 4, weight: { dx, dy in Int32(60 - 8 * max(abs(dx), abs(dy))) }, delay: 2, recurrent: false)
        let lateral = local(side: side, radius: 2, weight: { dx, dy in Int32(30 - 20 * max(abs(dx), abs(dy))) }, delay: 2, recurrent: true)
        return NetworkDescription(
            name: "sheet", steps: 1, seed: 1,
            inputs: [InputDescription(name: "retina", size: side * side, source: .poisson(probability: [0.05]))],
            populations: [population("sheet", side * side)],
            projections: [
                ProjectionDescription(name: "retina_sheet", source: 0, sourceIsInput: true, target: 0, synapses: feedforward, signMode: .excitatory, weightExponent: 0, numWeightBits: 8),
                ProjectionDescription(name: "lateral", source: 0, sourceIsInput: false, target: 0, synapses: lateral, signMode: .mixed, weightExponent: 1, numWeightBits: 8),
            ],
            probes: [])
    }
}

@Suite struct MappingScaleTests {
    /// The dense layer is also the layered network of the placement test: host → A → B.
    @Test func aThousandByThousandDenseLayerMapsOnLoihiAndThePlacerShortensItsRoutes() throws {
        let network = ScaleNetworks.denseLayer()
        let chip = try ChipPresets.resolve("loihi")
        let mapping = try Partitioner.partition(network, on: chip)
        let loaded = try ChipLoader.load(network, mapping: mapping, on: chip)
        let checker = MappingCheck(network: network, chip: chip, mapping: mapping, loaded: loaded)
        #expect(checker.sliceProblems() == [])
        #expect(checker.limitProblems() == [])

        // Every one of the million dense synapses is loaded exactly once with its stored weight
        // (mixed sign at 8 bits drops the lowest bit, flooring), and so is every one-to-one synapse.
        let n = 1000
        var seen = Array(repeating: UInt8(0), count: n * n)
        var oneToOne = Array(repeating: UInt8(0), count: n)
        var wrong: [String] = []
        let problems = checker.forEachSynapse { _, _, source, target, projection, synapse in
            switch projection {
            case 0:
                if source.index != target.index || synapse.weight != 100 { wrong.append("in_A \(source.index)→\(target.index) w\(synapse.weight)") }
                oneToOne[target.index] &+= 1
            case 1:
                let expected = Int32(SignMode.mixed.effectiveWeight(Int(ScaleNetworks.denseWeight(source: source.index, target: target.index)), numWeightBits: 8))
                if synapse.weight != expected || synapse.group != 0 || synapse.delay != 1 { wrong.append("A_B \(source.index)→\(target.index) w\(synapse.weight)") }
                seen[source.index * n + target.index] &+= 1
            default:
                wrong.append("synapse of no projection")
            }
        }
        #expect(problems == [])
        #expect(Array(wrong.prefix(5)) == [])
        #expect(seen.allSatisfy { $0 == 1 })
        #expect(oneToOne.allSatisfy { $0 == 1 })

        // B's slices are bound by synapse memory: a row of 50 synapses of 19 bits (8 weight, 1
        // sign, 10 index) is 64 + 950 → 1,024 bits, 1,000 rows fill 1,024,000 of 1,048,576 bits;
        // 51 would need 1,088 bits a row. A's are bound by output axons: each A neuron reaches
        // B's 21 cores, so at most 195 fit in 4,096 output axons; the fill put all of A and 24 of B
        // on one core of 1,024, which splits into six equal shares of A's 21,000 output axons
        // (167 neurons, 3,507 axons each; the last share also holds B's first 24 neurons).
        #expect(mapping.coreNeuronCounts == [167, 167, 166, 167, 167, 190] + Array(repeating: 50, count: 19) + [26])
        #expect(Array(loaded.usage.map(\.outputAxons).prefix(6)) == [3507, 3507, 3486, 3507, 3507, 3486])
        #expect(Array(loaded.usage.map(\.synapseMemoryBits)[6..<25]) == Array(repeating: 1_024_000, count: 19))

        // The placer puts A's cores in the middle of B's: far less traffic × hops than in order.
        let simulation = try Simulation(network: network, chip: chip)
        #expect(simulation.mapping.slices == mapping.slices)
        let cost = simulation.placementCost
        #expect(cost.placed < 0.6 * cost.inOrder, "\(cost)")
    }

    @Test func aTopographicSheetMapsOnLoihiAndThePlacerShortensItsRoutes() throws {
        let network = ScaleNetworks.sheet()
        let chip = try ChipPresets.resolve("loihi")
        let mapping = try Partitioner.partition(network, on: chip)
        let loaded = try ChipLoader.load(network, mapping: mapping, on: chip)
        let checker = MappingCheck(network: network, chip: chip, mapping: mapping, loaded: loaded)
        #expect(checker.sliceProblems() == [])
        #expect(checker.limitProblems() == [])
        let (synapses, problems) = checker.loadedSynapses()
        #expect(problems == [])
        #expect(synapses == MappingCheck.expectedSynapses(of: network))
        // Bound by synapse memory, not neurons: 11 bands of about six rows, over three tiles.
        #expect(mapping.coreNeuronCounts.count == 11)
        #expect(mapping.coreNeuronCounts.allSatisfy { $0 < 512 })
        #expect(loaded.usage.dropLast().allSatisfy { $0.synapseMemoryBits > 1_000_000 })

        // In order the bands run along the bottom row of tiles, away from the host port at
        // (0, 0); the placer folds them into a block around it.
        let simulation = try Simulation(network: network, chip: chip)
        let cost = simulation.placementCost
        #expect(cost.placed < 0.85 * cost.inOrder, "\(cost)")
        let rows = Set(simulation.mapping.coreEndpoints.map { chip.mesh.coordinate(ofEndpoint: Int($0)).y })
        #expect(rows.count > 1)
    }
}
