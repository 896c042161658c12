import Foundation
import Router
@testable import Chip

/// Hand-made chip descriptions for the Chip tests (no chip file is read here).
enum TestChip {
    /// Distinct prices for every event class, so a wrong count shows up in the energy.
    static func costs() -> EventCosts {
        var costs = EventCosts()
        costs[.synapticOp] = EventCost(cycles: 6, energyFemtojoules: 23_600)
        costs[.neuronUpdateActive] = EventCost(cycles: 10, energyFemtojoules: 81_000)
        costs[.neuronUpdateInactive] = EventCost(cycles: 4, energyFemtojoules: 52_000)
        costs[.spikeOut] = EventCost(cycles: 3, energyFemtojoules: 500)
        costs[.packet] = EventCost(cycles: 2, energyFemtojoules: 1_700)
        costs[.eastWestFlitHop] = EventCost(cycles: 5, energyFemtojoules: 3_000)
        costs[.northSouthFlitHop] = EventCost(cycles: 9, energyFemtojoules: 4_000)
        costs[.stdpUpdate] = EventCost(cycles: 61, energyFemtojoules: 120_000)
        costs[.barrier] = EventCost(cycles: 20, energyFemtojoules: 10_000)
        return costs
    }

    /// A chip with the prices above: 100 MHz clock, 3 µW static power (30 fJ per cycle), a barrier of
    /// 20 cycles for one tile rising to 100 cycles for 5 tiles, two flits per packet.
    static func chip(
        width: Int = 2, height: Int = 2, coresPerTile: Int = 2, hostTile: TileCoordinate = TileCoordinate(x: 0, y: 1),
        routing: RoutingOrder = .xy, flitsPerPacket: Int = 2, costs: EventCosts = TestChip.costs(),
        barrier: BarrierModel = BarrierModel(oneTileCycles: 20, referenceCycles: 100, referenceTiles: 5),
        staticPowerNanowatts: Int64 = 3_000, clockHertz: Int64 = 100_000_000, delaySlots: Int = 8
    ) -> ChipDescription {
        ChipDescription(
            name: "test", clockHertz: clockHertz,
            mesh: Mesh(width: width, height: height, coresPerTile: coresPerTile, hostTile: hostTile),
            coreLimits: CoreLimits(neurons: 64, inputAxons: 64, outputAxons: 64, synapseMemoryBits: 1 << 20, weightBits: 8, delaySlots: delaySlots),
            routerFidelity: .ideal, routing: routing, flitsPerPacket: flitsPerPacket, costs: costs, barrier: barrier,
            staticPowerNanowatts: staticPowerNanowatts, provenance: ["costs": "made up for tests"])
    }
}

/// A random network loaded onto a random set of cores, with random host input spikes.
struct RandomNetwork {
    var chip: ChipDescription
    var programs: [CoreProgram]
    var endpoints: [Int32]
    var inputDestinations: [[OutputAxon]]
    /// Host input spikes of each step (index 0 is step 1).
    var inputSpikes: [[Int32]]

    /// - Parameters:
    ///   - extended: give about half the neurons random `neuroemu_lif` mechanisms.
    ///   - plastic: make about half the synapses learn (one random STDP rule per core, mixed 8-bit weights).
    init(seed: UInt64, cores: Int, steps: Int, extended: Bool = false, plastic: Bool = false) {
        var generator = SeededGenerator(seed: seed)
        chip = TestChip.chip(width: 3, height: 3, coresPerTile: 2, hostTile: TileCoordinate(x: 2, y: 1))
        endpoints = Array((0..<Int32(chip.mesh.coreCount)).shuffled(using: &generator).prefix(cores))
        let neuronCounts = (0..<cores).map { _ in Int.random(in: 12...24, using: &generator) }
        let axonCounts = (0..<cores).map { _ in Int.random(in: 4...10, using: &generator) }

        func randomOutput() -> OutputAxon {
            let core = Int.random(in: 0..<cores, using: &generator)
            return OutputAxon(core: Int32(core), axon: Int32.random(in: 0..<Int32(axonCounts[core]), using: &generator))
        }

        programs = []
        for core in 0..<cores {
            let count = neuronCounts[core]
            var neurons = (0..<count).map { _ in
                LoihiNeuron.Parameters(
                    du: Int32.random(in: 0...4095, using: &generator), dv: Int32.random(in: 0...4095, using: &generator),
                    vth: Int32.random(in: 0...60, using: &generator), biasMantissa: Int32.random(in: -20...50, using: &generator),
                    biasExponent: Int32.random(in: 0...3, using: &generator))
            }
            if extended {
                for i in neurons.indices where generator.nextUnitInterval() < 0.5 {
                    neurons[i].refractoryPeriod = Int32.random(in: 0...3, using: &generator)
                    neurons[i].resetMode = Bool.random(using: &generator) ? .zero : .subtract
                    neurons[i].thresholdStep = Int32.random(in: 0...2000, using: &generator)
                    neurons[i].thresholdDecay = Int32.random(in: 0...4095, using: &generator)
                    neurons[i].meanVoltageGain = Int32.random(in: 0...2048, using: &generator)
                    neurons[i].depolarizationGain = Int32.random(in: 0...2048, using: &generator)
                    neurons[i].spikeMode = SpikeMode.allCases.randomElement(using: &generator)!
                    neurons[i].gradedShift = Int32.random(in: 4...10, using: &generator)
                }
            }
            let rule = LearningRule(
                stdp: STDPRule(
                    preImpulse: Int32.random(in: 0...127, using: &generator), postImpulse: Int32.random(in: 0...127, using: &generator),
                    preDecay: Int32.random(in: 0...4095, using: &generator), postDecay: Int32.random(in: 0...4095, using: &generator),
                    potentiation: Int32.random(in: 0...256, using: &generator), depression: Int32.random(in: 0...256, using: &generator),
                    minimumWeight: -256, maximumWeight: 255, epoch: Int32.random(in: 1...3, using: &generator)),
                signMode: .mixed, numWeightBits: 8, storedShift: 0)
            let groupExponents: [Int32] = [0] + (0..<Int.random(in: 0...2, using: &generator)).map { _ in Int32.random(in: -4 ... -1, using: &generator) }
            let delaySlots = Int.random(in: 2...6, using: &generator)
            let axonSynapses = (0..<axonCounts[core]).map { _ in
                (0..<Int.random(in: 0...8, using: &generator)).map { _ in
                    var synapse = Synapse(
                        target: Int32.random(in: 0..<Int32(count), using: &generator),
                        group: Int32.random(in: 0..<Int32(groupExponents.count), using: &generator),
                        weight: Int32.random(in: -64...128, using: &generator),
                        delay: Int32.random(in: 1..<Int32(delaySlots), using: &generator))
                    if plastic && generator.nextUnitInterval() < 0.5 {
                        synapse.learningRule = 0
                        synapse.fileWeight = synapse.weight
                        synapse.weight = rule.storedWeight(synapse.weight)
                    }
                    return synapse
                }
            }
            let destinations = (0..<count).map { _ in (0..<Int.random(in: 0...3, using: &generator)).map { _ in randomOutput() } }
            programs.append(CoreProgram(
                neurons: neurons,
                initialU: (0..<count).map { _ in Int32.random(in: -5000...5000, using: &generator) },
                initialV: (0..<count).map { _ in Int32.random(in: -5000...5000, using: &generator) },
                groupExponents: groupExponents, delaySlots: delaySlots, axonSynapses: axonSynapses, destinations: destinations))
            if plastic {
                programs[core].learningRules = [rule]
                programs[core].learningSeed = generator.next()
            }
        }
        inputDestinations = (0..<8).map { _ in (0..<Int.random(in: 1...3, using: &generator)).map { _ in randomOutput() } }
        inputSpikes = (0..<steps).map { _ in (0..<Int32(8)).filter { _ in generator.nextUnitInterval() < 0.25 } }
    }

    func makeEngine(fidelity: RouterFidelity? = nil) -> ChipEngine {
        ChipEngine(chip: chip, programs: programs, coreEndpoints: endpoints, inputDestinations: inputDestinations, fidelity: fidelity)
    }

    /// The reference for other ways of running: every step with `step` on one thread, and what
    /// each step gave (its summary and deliveries).
    func steppedRun(fidelity: RouterFidelity) -> (engine: ChipEngine, summaries: [StepSummary], deliveries: [[PacketDelivery]]) {
        var engine = makeEngine(fidelity: fidelity)
        var summaries: [StepSummary] = []
        var deliveries: [[PacketDelivery]] = []
        for spikes in inputSpikes {
            engine.step(inputSpikes: spikes, threads: 1)
            summaries.append(engine.lastStep)
            deliveries.append(engine.deliveries)
        }
        return (engine, summaries, deliveries)
    }
}

extension EventCounts {
    /// Σ count × price, computed independently of `dynamicEnergyFemtojoules`.
    func priced(_ costs: EventCosts) -> Int64 {
        var total: Int64 = 0
        for event in EventClass.allCases { total += Int64(self[event]) * costs[event].energyFemtojoules }
        return total
    }
}

/// Traces of Lava's bit-accurate Loihi LIF (`PyLifModelBitAcc`), written by
/// `Tests/ChipTests/Lava/make_lava_fixtures.py` (see the README there): per case, neurons with
/// their parameters, initial state and the exact input `a` of every step, and the u, v and spike
/// Lava computed after each step.
struct LavaFixture: Decodable {
    struct Neuron: Decodable {
        let du, dv, vth, biasMant, biasExp, uInit, vInit: Int32
        /// Index k is step k + 1.
        let a, u, v: [Int32]
        let spiked: [Int32]

        var parameters: LoihiNeuron.Parameters {
            LoihiNeuron.Parameters(du: du, dv: dv, vth: vth, biasMantissa: biasMant, biasExponent: biasExp)
        }
    }

    struct Case: Decodable {
        let name: String
        let steps: Int
        let neurons: [Neuron]
    }

    let lavaNcVersion: String
    let cases: [Case]

    /// The fixture beside this file's `Lava` folder.
    static func load() throws -> LavaFixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Lava/lava_lif_fixture.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(LavaFixture.self, from: Data(contentsOf: url))
    }
}
