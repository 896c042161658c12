import Chip
import Foundation
import Router
import Testing
@testable import Host

/// Two neurons, one synapse, spikes known by hand.
///
/// `src` (du = dv = 0, bias 2 << 6, vth 8) gains 128 per step and spikes when v > 512: at steps 5
/// and 10 (Lava's known answer). Its one synapse (weight 1, delay 1) reaches `dst` (du = dv =
/// 4095, vth 1000) at step 6: u = 64, v = 64, no spike; at step 7 both decay to 0. So over 10
/// steps: 2 synaptic ops (steps 5 and 10), 2 spikes, 2 packets, 12 active updates (src every
/// step, dst at 6 and 7), 8 inactive ones (dst at rest) and 10 barriers — on any chip and any
/// mapping. What the mapping changes is time and hops: by default the two neurons share one core;
/// with one population per core, placed in order, `src` is mesh core 0 and `dst` mesh core 1, one
/// tile apart on `truenorth` (one core per tile, so each packet makes one east–west hop) and on
/// the same tile on the other presets.
enum PairNetwork {
    static let text = """
        { "format": "neuroemu-network/1", "name": "pair", "steps": 10, "seed": 1,
          "populations": [
            { "name": "src", "size": 1, "neuron": { "model": "loihi_lif", "du": 0, "dv": 0, "vth": 8, "bias_mant": 2, "bias_exp": 6 } },
            { "name": "dst", "size": 1, "neuron": { "model": "loihi_lif", "du": 4095, "dv": 4095, "vth": 1000 } }
          ],
          "projections": [{ "name": "src_dst", "source": "src", "target": "dst", "weights": [[1]] }] }
        """

    static func network() throws -> NetworkDescription { try NetworkFile.parse(text, file: "pair.json") }

    /// The pair with one population per core, placed in order (two cores).
    static func report(on chip: String) throws -> EnergyReport {
        try runReport(network(), on: ChipPresets.resolve(chip), steps: 10, placement: .inOrder, packing: .onePopulationPerCore)
    }

    /// The pair mapped by default (one shared core).
    static func defaultReport(on chip: String) throws -> EnergyReport {
        try runReport(network(), on: ChipPresets.resolve(chip), steps: 10)
    }
}

/// Runs a network with a recording and returns its report.
func runReport(
    _ network: NetworkDescription, on chip: ChipDescription, steps: Int, placement: Simulation.Placement = .optimized,
    packing: Partitioner.Packing = .packed, threads: Int = 1, keepsSpikes: Bool = true, level: TraceLevel = .spikes
) throws -> EnergyReport {
    var simulation = try Simulation(network: network, chip: chip, placement: placement, packing: packing)
    var recording = RunRecording(simulation: simulation, steps: steps, keepsSpikes: keepsSpikes)
    var trace = try TraceWriter(level: level, path: nil)
    let result = try simulation.run(steps: steps, threads: threads, trace: &trace, observer: { step, engine in recording.record(step: step, engine: engine) })
    return EnergyReport(simulation: simulation, result: result, recording: recording, traceLevel: level)
}

/// Hand-computed numbers of `PairNetwork` on one preset.
struct PairExpectation: Sendable, CustomStringConvertible {
    var chip: String
    var eastWestHops: UInt64
    var energyFemtojoules: Int64
    var staticFemtojoules: Int64
    var cycles: UInt64
    var description: String { chip }
}

@Suite struct EnergyReportTests {
    // MARK: The hand-computable pair

    /// One population per core, placed in order: `src` on mesh core 0, `dst` on mesh core 1.
    static let pairExpectations = [
        // 2 × 23.6 + 12 × 81 + 8 × 52 + 2 × 1.7 pJ. Cycles: a quiet step is src's update (84) + the
        // one-tile barrier (1130); a spike step ends when the synapse unit does: 84 + 21 (packet) +
        // 35 (one synaptic op) = 140, + 1130.
        PairExpectation(chip: "loihi", eastWestHops: 0, energyFemtojoules: 1_438_600, staticFemtojoules: 0, cycles: 8 * 1214 + 2 * 1270),
        // 2 × 26 pJ all-in + 2 hops × 2.3 pJ. A step is the 1 ms tick (10^6 cycles at 1 GHz); a
        // spike step adds the one-cycle hop.
        PairExpectation(chip: "truenorth", eastWestHops: 2, energyFemtojoules: 56_600, staticFemtojoules: 0, cycles: 10 * 1_000_000 + 2),
        // 2 × 450 pJ + 20 updates × 2.19 nJ. Cycles: 100 per update; a spike step adds 10 (packet)
        // + 20 (synaptic op); no barrier.
        PairExpectation(chip: "spinnaker2", eastWestHops: 0, energyFemtojoules: 44_700_000, staticFemtojoules: 0, cycles: 8 * 100 + 2 * 130),
        // Dynamic: 2 × 10 + 12 × 20 + 8 × 5 + 2 × 2 (spike out) + 2 × 5 (packet) + 10 × 50 (barrier)
        // = 814 pJ. Cycles: quiet step 2 + 10 (barrier); spike step 2 + 1 (spike out) + 2 (packet)
        // + 1 (second flit) + 1 (synaptic op) = 7, + 10. Static: 1 mW × 10 ns = 10 pJ per cycle.
        PairExpectation(chip: "tiny", eastWestHops: 0, energyFemtojoules: 814_000 + 130 * 10_000, staticFemtojoules: 130 * 10_000, cycles: 8 * 12 + 2 * 17),
    ]

    /// The default mapping: both neurons on one core, so no hops, and the core updates src then
    /// dst in one neuron phase (the synapse unit still runs beside it).
    static let sharedCoreExpectations = [
        // Same events and energy as on two cores (no hops either way). Cycles: quiet steps 84 + 53
        // (+ 1130); steps 6 and 7, dst active: 84 + 84; spike steps end with the synapse unit at
        // 140, after the 137-cycle neuron phase.
        PairExpectation(chip: "loihi", eastWestHops: 0, energyFemtojoules: 1_438_600, staticFemtojoules: 0, cycles: 6 * 1267 + 2 * 1298 + 2 * 1270),
        // 2 × 26 pJ and no hop: every step is exactly the tick.
        PairExpectation(chip: "truenorth", eastWestHops: 0, energyFemtojoules: 52_000, staticFemtojoules: 0, cycles: 10 * 1_000_000),
        // The 200-cycle neuron phase (two updates) outlasts the 130 cycles of a spike's delivery.
        PairExpectation(chip: "spinnaker2", eastWestHops: 0, energyFemtojoules: 44_700_000, staticFemtojoules: 0, cycles: 10 * 200),
        // Quiet steps 2 + 1 (+ 10); steps 6 and 7: 2 + 2; spike steps end at 7 as before, + 10.
        PairExpectation(chip: "tiny", eastWestHops: 0, energyFemtojoules: 814_000 + 140 * 10_000, staticFemtojoules: 140 * 10_000, cycles: 6 * 13 + 2 * 14 + 2 * 17),
    ]

    /// Each population's row: with one population per core, its cores' energy, exactly, and
    /// the rows add up to the cores'; packed onto one shared core, no energy is its alone.
    @Test func populationRowsAreExactOnCoresOfTheirOwn() throws {
        let apart = try PairNetwork.report(on: "loihi")
        #expect(apart.populations.map(\.cores) == [1, 1] && apart.populations.map(\.sharedCores) == [0, 0])
        #expect(apart.populations.map(\.spikes) == [2, 0])
        for row in apart.populations {
            let own = apart.cores.filter { $0.slices.contains { $0.population == row.population } }
            #expect(row.energyFemtojoules == own.reduce(0) { $0 + $1.energyFemtojoules } && row.energyFemtojoules > 0)
        }
        #expect(apart.populations.reduce(0) { $0 + $1.energyFemtojoules } == apart.cores.reduce(0) { $0 + $1.energyFemtojoules })
        let shared = try PairNetwork.defaultReport(on: "loihi")
        #expect(shared.populations.map(\.cores) == [1, 1] && shared.populations.map(\.sharedCores) == [1, 1])
        #expect(shared.populations.map(\.energyFemtojoules) == [0, 0])
        #expect(apart.text.contains(#""populations": ["#) && apart.text.contains(#""name": "src""#))
    }

    @Test func everyPresetHasAPairExpectation() {
        #expect(Self.pairExpectations.map(\.chip) == ChipPresets.names)
        #expect(Self.sharedCoreExpectations.map(\.chip) == ChipPresets.names)
    }

    @Test(arguments: pairExpectations)
    func pairOnTwoCoresHasTheHandComputedCountsEnergyAndCycles(expected: PairExpectation) throws {
        let report = try PairNetwork.report(on: expected.chip)
        try #require(report.cores.count == 2)
        Self.check(report, expected)
    }

    @Test(arguments: sharedCoreExpectations)
    func pairMappedByDefaultHasTheHandComputedCountsEnergyAndCycles(expected: PairExpectation) throws {
        let report = try PairNetwork.defaultReport(on: expected.chip)
        try #require(report.cores.count == 1)
        Self.check(report, expected)
        #expect(report.cores[0].energyFemtojoules == report.result.energyFemtojoules - report.staticEnergyFemtojoules - report.barrierEnergyFemtojoules)
    }

    static func check(_ report: EnergyReport, _ expected: PairExpectation) {
        let totals = report.result.totals
        #expect(totals[.synapticOp] == 2)
        #expect(totals[.neuronUpdateActive] == 12)
        #expect(totals[.neuronUpdateInactive] == 8)
        #expect(totals[.spikeOut] == 2)
        #expect(totals[.packet] == 2)
        #expect(totals[.eastWestFlitHop] == expected.eastWestHops)
        #expect(totals[.northSouthFlitHop] == 0)
        #expect(totals[.stdpUpdate] == 0)
        #expect(totals[.barrier] == 10)
        #expect(report.result.populationSpikes == [2, 0])
        #expect(report.result.energyFemtojoules == expected.energyFemtojoules)
        #expect(report.staticEnergyFemtojoules == expected.staticFemtojoules)
        #expect(report.result.totalCycles == expected.cycles)
        #expect(report.energyPerSpikePicojoules == Double(expected.energyFemtojoules) / 1000 / 2)
        #expect(report.energyPerSynapticOpPicojoules == Double(expected.energyFemtojoules) / 1000 / 2)
    }

    @Test(arguments: ChipPresets.names)
    func pairEventsAreAttributedToTheCoreThatDidThem(chip: String) throws {
        let report = try PairNetwork.report(on: chip)
        try #require(report.cores.count == 2)
        let (source, target) = (report.cores[0], report.cores[1])
        #expect(source.meshCore == 0 && target.meshCore == 1)
        #expect(source.counts[.neuronUpdateActive] == 10 && source.counts[.neuronUpdateInactive] == 0)
        #expect(source.counts[.spikeOut] == 2 && source.counts[.packet] == 2 && source.counts[.synapticOp] == 0)
        #expect(target.counts[.synapticOp] == 2 && target.counts[.neuronUpdateActive] == 2 && target.counts[.neuronUpdateInactive] == 8)
        #expect(target.counts[.spikeOut] == 0 && target.counts[.packet] == 0)
        #expect(report.hostPackets == 0 && report.hostEnergyFemtojoules == 0)
        #expect(report.attributedEnergyFemtojoules == report.result.energyFemtojoules)
    }

    @Test func pairOnTrueNorthCrossesOneEastboundLink() throws {
        let report = try PairNetwork.report(on: "truenorth")
        #expect(report.links.count == 1)
        let link = try #require(report.links.first)
        #expect(link.from == TileCoordinate(x: 0, y: 0) && link.to == TileCoordinate(x: 1, y: 0))
        #expect(link.direction == .east)
        #expect(link.flits == 2 && link.busyCycles == 2)
        #expect(link.energyFemtojoules == 4_600)
        // The all-in synaptic-event price is the only other energy.
        #expect(report.cores[1].energyFemtojoules == 52_000)
        #expect(report.cores[0].energyFemtojoules == 0)
    }

    @Test func pairStepsMatchTheHandWorkedTimeline() throws {
        let report = try PairNetwork.report(on: "tiny")
        try #require(report.cores.count == 2)
        let steps = report.recording.steps
        #expect(steps.count == 10)
        #expect(steps.map(\.cycles) == [12, 12, 12, 12, 17, 12, 12, 12, 12, 17])
        #expect(steps.map(\.spikes) == [0, 0, 0, 0, 1, 0, 0, 0, 0, 1])
        #expect(steps.map(\.synapticOps) == [0, 0, 0, 0, 1, 0, 0, 0, 0, 1])
        #expect(steps.map(\.packets) == [0, 0, 0, 0, 1, 0, 0, 0, 0, 1])
        // Step 6: src active (20), dst active (20), barrier (50), 12 cycles of static (120).
        #expect(steps[5].energyFemtojoules == 210_000)
        #expect(steps.reduce(0) { $0 + $1.energyFemtojoules } == report.result.energyFemtojoules)
    }

    // MARK: The invariant on the default network

    static func defaultReport(chip: ChipDescription, threads: Int = 1) throws -> EnergyReport {
        try runReport(DefaultNetwork.load(), on: chip, steps: 50, threads: threads)
    }

    /// loihi, spinnaker2, and loihi with the flit-level router (stalls and queues on links).
    static func invariantChips() throws -> [ChipDescription] {
        var flit = try ChipPresets.resolve("loihi")
        flit.routerFidelity = .flit
        return [try ChipPresets.resolve("loihi"), try ChipPresets.resolve("spinnaker2"), flit]
    }

    @Test func energyIsCountsTimesPricesPlusStaticPerEventClassAndInTotal() throws {
        for chip in try Self.invariantChips() {
            let report = try Self.defaultReport(chip: chip)
            let totals = report.result.totals
            #expect(report.events.map(\.event) == EventClass.allCases)
            for row in report.events {
                #expect(row.count == totals[row.event], "\(chip.name) \(row.event.key)")
                #expect(row.priceFemtojoules == chip.costs[row.event].energyFemtojoules)
                #expect(row.energyFemtojoules == Int64(row.count) * row.priceFemtojoules, "\(chip.name) \(row.event.key)")
            }
            var staticEnergy: Int64 = 0
            for step in report.recording.steps { staticEnergy += chip.staticEnergyFemtojoules(cycles: UInt64(step.cycles)) ?? -1 }
            #expect(report.staticEnergyFemtojoules == staticEnergy)
            #expect(report.result.energyFemtojoules == report.dynamicEnergyFemtojoules + staticEnergy)
            #expect(report.result.energyFemtojoules == report.recording.steps.reduce(0) { $0 + $1.energyFemtojoules })
            #expect(totals[.synapticOp] > 0 && totals[.spikeOut] > 0 && totals[.eastWestFlitHop] + totals[.northSouthFlitHop] > 0, "the run exercised the network")
        }
    }

    @Test func coresHostLinksAndBarriersAddUpToTheTotals() throws {
        for chip in try Self.invariantChips() {
            let report = try Self.defaultReport(chip: chip)
            let totals = report.result.totals
            var cores = EventCounts()
            for row in report.cores { cores += row.counts }
            for event in EnergyReport.coreEvents where event != .packet {
                #expect(cores[event] == totals[event], "\(chip.name) \(event.key)")
            }
            #expect(cores[.packet] + report.hostPackets == totals[.packet])
            #expect(report.hostPackets > 0, "the default network has host inputs")
            let eastWest = report.links.filter { $0.direction.isEastWest }.reduce(UInt64(0)) { $0 + $1.flits }
            let northSouth = report.links.filter { !$0.direction.isEastWest }.reduce(UInt64(0)) { $0 + $1.flits }
            #expect(eastWest == totals[.eastWestFlitHop] && northSouth == totals[.northSouthFlitHop], "\(chip.name)")
            #expect(report.links.allSatisfy { !$0.interChip } && totals[.interChipFlitHop] == 0, "\(chip.name)")
            #expect(totals[.barrier] == 50)
            for row in report.cores {
                #expect(row.energyFemtojoules == row.counts.dynamicEnergyFemtojoules(chip.costs))
                #expect(row.counts[.eastWestFlitHop] == 0 && row.counts[.northSouthFlitHop] == 0 && row.counts[.barrier] == 0)
            }
            #expect(report.attributedEnergyFemtojoules == report.result.energyFemtojoules, "\(chip.name)")
        }
    }

    /// On a board, links across a chip boundary carry the inter-chip hops at the board link's
    /// price, the others the on-chip hops of their direction, and everything still adds up.
    @Test func boardLinksArePricedAtTheBoardLinkAndAddUp() throws {
        let board = try ChipFile.parse(BoardTests.boardText(), file: "board.json")
        let network = try NetworkFile.load(path: "\(BoardTests.directory)/two-chips.network.json")
        let report = try runReport(network, on: board, steps: 20)
        let totals = report.result.totals
        let mesh = board.mesh
        func flits(_ include: (EnergyReport.LinkRow) -> Bool) -> UInt64 { report.links.filter(include).reduce(0) { $0 + $1.flits } }
        #expect(totals[.interChipFlitHop] > 0, "the run crossed the board")
        #expect(flits { $0.interChip } == totals[.interChipFlitHop])
        #expect(flits { !$0.interChip && $0.direction.isEastWest } == totals[.eastWestFlitHop])
        #expect(flits { !$0.interChip && !$0.direction.isEastWest } == totals[.northSouthFlitHop])
        for row in report.links {
            let crosses = row.from.x / mesh.chipWidth != row.to.x / mesh.chipWidth || row.from.y / mesh.chipHeight != row.to.y / mesh.chipHeight
            #expect(row.interChip == crosses, "\(row.from) \(row.direction.letter)")
            let price: Int64 = row.interChip ? 50_000 : row.direction.isEastWest ? 3_000 : 4_000
            #expect(row.energyFemtojoules == Int64(row.flits) * price, "\(row.from) \(row.direction.letter)")
        }
        #expect(report.attributedEnergyFemtojoules == report.result.energyFemtojoules)
        var issues: [String] = []
        Self.validate(report.json, issues: &issues)
        #expect(issues.isEmpty, "\(issues)")
    }

    @Test func coresAreInEngineOrderWithTheirPlacement() throws {
        let report = try Self.defaultReport(chip: ChipPresets.resolve("loihi"))
        let simulation = report.simulation
        #expect(report.cores.map(\.core) == Array(simulation.mapping.coreEndpoints.indices))
        #expect(report.cores.map(\.meshCore) == simulation.mapping.coreEndpoints.map(Int.init))
        #expect(report.cores.map(\.neurons) == simulation.mapping.coreNeuronCounts)
        #expect(report.cores.map(\.neurons).reduce(0, +) == 4000)
        for row in report.cores {
            #expect(row.tile == simulation.chip.mesh.coordinate(ofEndpoint: row.meshCore))
            #expect(row.slices.map(\.count).reduce(0, +) == row.neurons)
        }
    }

    @Test func linksAreOnlyThoseThatCarriedTrafficInTileThenDirectionOrder() throws {
        var chip = try ChipPresets.resolve("loihi")
        chip.routerFidelity = .flit
        let report = try Self.defaultReport(chip: chip)
        let counters = report.simulation.engine.networkCounters
        let mesh = chip.mesh
        #expect(report.links.count == counters.linkFlits.filter { $0 > 0 }.count)
        let keys = report.links.map { ($0.from.y * mesh.width + $0.from.x) * 4 + $0.direction.rawValue }
        #expect(keys == keys.sorted())
        for row in report.links {
            let index = mesh.linkIndex(tile: row.from.y * mesh.width + row.from.x, direction: row.direction)
            #expect(row.flits == counters.linkFlits[index] && row.busyCycles == counters.linkBusyCycles[index])
            #expect(row.stallCycles == counters.linkStallCycles[index] && row.maximumQueueDepth == counters.linkMaxQueueDepth[index])
        }
    }

    @Test func neuroBenchCounts() throws {
        let report = try Self.defaultReport(chip: ChipPresets.resolve("loihi"))
        let network = report.simulation.network
        #expect(report.effectiveSynapticOps == report.result.totals[.synapticOp])
        #expect(report.denseSynapticOps == UInt64(network.synapseCount) * 50)
        #expect(report.effectiveSynapticOps < report.denseSynapticOps)
        for (index, population) in network.populations.enumerated() {
            #expect(report.activationSparsity[index] == 1 - Double(report.result.populationSpikes[index]) / Double(population.size * 50))
        }
        #expect(report.networkActivationSparsity == 1 - Double(report.result.neuronSpikes) / Double(4000 * 50))
        #expect(EnergyReport.sparsity(spikes: 0, neurons: 0, steps: 10) == 1)
    }

    // MARK: The JSON

    /// Keys and types of the report's objects as docs/report.md documents them.
    static let schema: [String: [(String, String)]] = [
        "$": [("format", "string"), ("network", "object"), ("chip", "object"), ("trace", "object"), ("mapping", "object"), ("totals", "object"), ("neurobench", "object"),
              ("events", "array"), ("cores", "array"), ("populations", "array"), ("host", "object"), ("links", "array"), ("barriers", "object"), ("steps", "array")],
        "network": [("name", "string"), ("seed", "integer"), ("steps", "integer"), ("neurons", "integer"), ("input_neurons", "integer"),
                    ("synapses", "integer"), ("inputs", "array"), ("populations", "array"), ("projections", "array")],
        "network.inputs[]": [("name", "string"), ("size", "integer"), ("spikes", "integer")],
        "network.populations[]": [("name", "string"), ("size", "integer"), ("model", "string"), ("spikes", "integer")],
        "network.projections[]": [("name", "string"), ("source", "string"), ("target", "string"), ("synapses", "integer")],
        "chip": [("name", "string"), ("clock_hz", "integer"), ("mesh", "object"), ("core", "object"), ("router", "object"), ("prices", "object"),
                 ("barrier", "object"), ("static_power_nw", "integer"), ("provenance", "object")],
        "chip.mesh": [("width", "integer"), ("height", "integer"), ("cores_per_tile", "integer"), ("cores", "integer"), ("host_port", "object")],
        "chip.core": [("neurons", "integer"), ("input_axons", "integer"), ("output_axons", "integer"), ("synapse_memory_bits", "integer"),
                      ("weight_bits", "integer"), ("delay_slots", "integer")],
        "chip.router": [("fidelity", "string"), ("routing", "string"), ("flits_per_packet", "integer")],
        "chip.barrier": [("one_tile_cycles", "integer"), ("reference_tiles", "integer"), ("reference_cycles", "integer"), ("cycles_this_run", "integer")],
        "trace": [("level", "string"), ("digest", "string")],
        "mapping": [("placement", "string"), ("packing", "string"), ("max_neurons_per_core", "null"), ("constraints", "array")],
        "totals": [("energy_fj", "integer"), ("dynamic_energy_fj", "integer"), ("static_energy_fj", "integer"), ("energy_per_spike_pj", "number"),
                   ("energy_per_synop_pj", "number"), ("spikes", "integer"), ("input_spikes", "integer"), ("synops", "integer"),
                   ("neuron_updates_active", "integer"), ("neuron_updates_inactive", "integer"), ("packets", "integer"),
                   ("flit_hops_east_west", "integer"), ("flit_hops_north_south", "integer"), ("flit_hops_inter_chip", "integer"), ("stdp_updates", "integer"), ("barriers", "integer"),
                   ("cycles", "integer"), ("max_step_cycles", "integer"), ("seconds", "number"), ("seconds_per_step", "number"),
                   ("cores_used", "integer"), ("tiles_used", "integer")],
        "neurobench": [("effective_synaptic_operations", "integer"), ("dense_synaptic_operations", "integer"), ("activation_sparsity", "number"), ("populations", "array")],
        "neurobench.populations[]": [("name", "string"), ("neurons", "integer"), ("spikes", "integer"), ("activation_sparsity", "number")],
        "events[]": [("event", "string"), ("count", "integer"), ("price_fj", "integer"), ("energy_fj", "integer")],
        "cores[]": [("core", "integer"), ("mesh_core", "integer"), ("tile", "object"), ("neurons", "integer"), ("slices", "array"),
                    ("synaptic_op", "integer"), ("neuron_update_active", "integer"), ("neuron_update_inactive", "integer"), ("spike_out", "integer"),
                    ("packet", "integer"), ("stdp_update", "integer"), ("energy_fj", "integer")],
        "cores[].slices[]": [("population", "string"), ("first", "integer"), ("count", "integer")],
        "populations[]": [("name", "string"), ("neurons", "integer"), ("spikes", "integer"), ("cores", "integer"), ("shared_cores", "integer"), ("energy_fj", "integer")],
        "host": [("endpoint", "integer"), ("tile", "object"), ("packets", "integer"), ("energy_fj", "integer")],
        "links[]": [("from", "object"), ("to", "object"), ("direction", "string"), ("inter_chip", "boolean"), ("flits", "integer"), ("busy_cycles", "integer"),
                    ("stall_cycles", "integer"), ("max_queue_depth", "integer"), ("energy_fj", "integer")],
        "barriers": [("count", "integer"), ("energy_fj", "integer")],
        "steps[]": [("step", "integer"), ("cycles", "integer"), ("spikes", "integer"), ("input_spikes", "integer"), ("packets", "integer"),
                    ("synops", "integer"), ("energy_fj", "integer")],
    ]

    /// Checks every object the schema names: exactly the documented keys, in order, with their types.
    static func validate(_ value: JSONValue, path: String = "$", issues: inout [String]) {
        func members(_ value: JSONValue) -> [JSONMember]? { if case .object(let m) = value { m } else { nil } }
        if let expected = schema[path] {
            guard let found = members(value) else { issues.append("\(path): not an object"); return }
            if found.map(\.key) != expected.map(\.0) { issues.append("\(path): keys \(found.map(\.key)), documented \(expected.map(\.0))") }
            for (key, type) in expected {
                guard let member = found.first(where: { $0.key == key }) else { continue }
                if member.value.typeName != type { issues.append("\(path).\(key): \(member.value.typeName), documented \(type)") }
            }
        }
        switch value {
        case .object(let found):
            for member in found { validate(member.value, path: path == "$" ? member.key : "\(path).\(member.key)", issues: &issues) }
        case .array(let elements):
            for element in elements { validate(element, path: path + "[]", issues: &issues) }
        default: break
        }
    }

    @Test func jsonParsesBackWithTheDocumentedKeysAndTypes() throws {
        let report = try Self.defaultReport(chip: ChipPresets.resolve("loihi"))
        let parsed = try JSONParser.parse(report.text, file: "report.json")
        #expect(parsed == report.json)
        var issues: [String] = []
        Self.validate(parsed, issues: &issues)
        #expect(issues.isEmpty, "\(issues)")
        // Every documented path was present in this report.
        guard case .object(let top) = parsed, case .array(let links)? = top.first(where: { $0.key == "links" })?.value,
              case .array(let inputs)? = (top.first(where: { $0.key == "network" })?.value).flatMap({ value -> JSONValue? in
                  if case .object(let m) = value { m.first { $0.key == "inputs" }?.value } else { nil }
              }) else {
            Issue.record("report lacks links or inputs")
            return
        }
        #expect(!links.isEmpty && inputs.count == 1)
    }

    @Test func jsonCoreSumsEqualItsTotals() throws {
        let report = try Self.defaultReport(chip: ChipPresets.resolve("loihi"))
        let root = try JSONNode(value: JSONParser.parse(report.text, file: "report.json"), file: "report.json")
        let top = try root.object(allowedKeys: EnergyReportTests.schema["$"]!.map(\.0))
        let totalsNode = try top.required("totals").members()
        func integer(_ members: [(key: String, node: JSONNode)], _ key: String) throws -> Int64 {
            guard let node = members.first(where: { $0.key == key })?.node, case .integer(let value) = node.value else { throw ConfigError.invalid(file: "report", path: key, rule: "missing integer") }
            return value
        }
        var sums: [String: Int64] = [:]
        var coreEnergy: Int64 = 0
        for core in try top.required("cores").array() {
            let members = try core.members()
            for key in ["synaptic_op", "neuron_update_active", "neuron_update_inactive", "spike_out", "packet", "stdp_update"] {
                sums[key, default: 0] += try integer(members, key)
            }
            coreEnergy += try integer(members, "energy_fj")
        }
        #expect(sums["synaptic_op"] == (try integer(totalsNode, "synops")))
        #expect(sums["neuron_update_active"] == (try integer(totalsNode, "neuron_updates_active")))
        #expect(sums["neuron_update_inactive"] == (try integer(totalsNode, "neuron_updates_inactive")))
        #expect(sums["spike_out"] == (try integer(totalsNode, "spikes")))
        #expect(sums["stdp_update"] == (try integer(totalsNode, "stdp_updates")))
        let host = try top.required("host").members()
        #expect(sums["packet"]! + (try integer(host, "packets")) == (try integer(totalsNode, "packets")))
        var linkEnergy: Int64 = 0
        for link in try top.required("links").array() { linkEnergy += try integer(link.members(), "energy_fj") }
        let barriers = try top.required("barriers").members()
        #expect(coreEnergy + (try integer(host, "energy_fj")) + linkEnergy + (try integer(barriers, "energy_fj")) + (try integer(totalsNode, "static_energy_fj"))
                == (try integer(totalsNode, "energy_fj")))
    }

    @Test func reportIsIdenticalOnOneAndTwoThreadsAndEchoesTheDigest() throws {
        let chip = try ChipPresets.resolve("loihi")
        let one = try Self.defaultReport(chip: chip, threads: 1)
        let two = try Self.defaultReport(chip: chip, threads: 2)
        #expect(one.text == two.text)
        #expect(one.text.contains("\"digest\": \"\(one.result.digest)\""))
        #expect(one.result.digest.count == 16)
    }

    @Test func ratiosAreNullWithoutSpikesOrSynapticOps() throws {
        let quiet = try NetworkFile.parse("""
            { "format": "neuroemu-network/1", "name": "quiet", "steps": 3,
              "populations": [{ "name": "A", "size": 2, "neuron": { "model": "loihi_lif", "vth": 10 } }] }
            """, file: "quiet.json")
        let report = try runReport(quiet, on: ChipPresets.resolve("tiny"), steps: 3)
        let text = report.text
        // Three steps fit one line (`"steps": [{…}, {…}, {…}]`), and the file says so too.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-report-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try report.write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        #expect(text.contains("\"steps\": [{\"step\": 1,"))
        #expect(text.contains("\"energy_per_spike_pj\": null"))
        #expect(text.contains("\"energy_per_synop_pj\": null"))
        #expect(text.contains("\"links\": []"))
        #expect(report.events.first { $0.event == .neuronUpdateInactive }?.count == 6)
    }

    @Test func writeIsAtomicAndNamesAMissingDirectory() throws {
        let report = try PairNetwork.report(on: "tiny")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("r.json").path
        try report.write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == report.text)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["r.json"])
        // Free text in the chip's provenance holding the characters the steps stand in by while
        // the rest is laid out: the file still equals the text.
        var chip = try ChipPresets.resolve("tiny")
        chip.provenance["clock_hz"] = "\u{1}steps"
        let tricky = try runReport(PairNetwork.network(), on: chip, steps: 10)
        try tricky.write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == tricky.text)
        let missing = directory.appendingPathComponent("no/such/r.json").path
        #expect(throws: OutputError.self) { try report.write(to: missing) }
        do {
            try report.write(to: missing)
        } catch {
            #expect(error.description.hasPrefix(missing + ": cannot write"))
        }
    }

    @Test func chipSectionEchoesThePresetAndItsProvenance() throws {
        let report = try PairNetwork.report(on: "truenorth")
        let text = report.text
        #expect(text.contains("\"clock_hz\": 1000000000"))
        #expect(text.contains("\"synaptic_op\": {\"cycles\": 0, \"energy_fj\": 26000}"))
        #expect(text.contains("\"flit_hop_east_west\": {\"cycles\": 1, \"energy_fj\": 2300}"))
        #expect(text.contains("\"one_tile_cycles\": 1000000"))
        #expect(text.contains("\"costs.synaptic_op\": \"Merolla et al. 2014: 26 pJ per synaptic event"))
        #expect(text.contains("\"level\": \"spikes\""))
    }
}

@Suite struct EnergyReportPhaseTests {
    /// A scheduled run adds `phases` (whose energies add up to the total) and `classification`;
    /// other runs keep the keys they always had.
    @Test func scheduledRunsReportPhasesAndAccuracy() throws {
        let directory = try FourPatterns.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let network = try FourPatterns.network(in: directory, schedule: """
            { "steps_per_sample": 20, "rest_steps": 5, "reset_state": true, "classify": { "population": "out", "group_size": 1 },
              "segments": [ { "kind": "train", "repeat": 10 }, { "kind": "sleep", "steps": 30, "learning": false },
                            { "kind": "test" } ] }
            """)
        let report = try runReport(network, on: ChipPresets.resolve("loihi"), steps: network.steps)
        let root = try JSONNode(value: JSONParser.parse(report.text, file: "report.json"), file: "report.json")
        let top = try root.object(allowedKeys: EnergyReportTests.schema["$"]!.map(\.0) + ["phases", "classification"])
        let phases = try top.required("phases").array().map { try $0.object(allowedKeys: [
            "kind", "steps", "samples", "cycles", "energy_fj", "energy_per_sample_fj", "synops", "stdp_updates", "spikes",
        ]) }
        #expect(try phases.map { try $0.string("kind") } == ["train", "test", "sleep"])
        #expect(try phases.map { try $0.int("steps") } == [1000, 100, 30])
        #expect(try phases.map { try $0.int("samples") } == [40, 4, 0])
        #expect(try phases[2].required("energy_per_sample_fj").value == .null)
        let energy = try phases.reduce(0) { $0 + (try $1.int("energy_fj")) }
        #expect(Int64(energy) == report.result.energyFemtojoules)
        let classification = try top.required("classification").array()
        #expect(classification.count == 1)
        let test = try classification[0].object(allowedKeys: ["segment", "samples", "correct", "accuracy", "confusion", "predictions"])
        #expect(try test.int("segment") == 2)
        #expect(try test.int("correct") == 4)
        #expect(try test.required("predictions").intArray(in: -1...3) == [0, 1, 2, 3])
        // The file, its 1,130 step rows written one at a time, holds the same bytes as `text`.
        let path = directory + "/report.json"
        try report.write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == report.text)
        // Without a schedule the report has exactly its old keys.
        let plain = try JSONNode(value: JSONParser.parse(PairNetwork.defaultReport(on: "loihi").text, file: "r.json"), file: "r.json")
        #expect(try plain.members().map(\.key) == EnergyReportTests.schema["$"]!.map(\.0))
    }
}
