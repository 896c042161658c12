import Chip
import Foundation
import Router
import Testing
@testable import Host

/// The `tiny` preset text with `replacements` applied (each must match exactly once).
private func tinyText(_ replacements: [(String, String)] = []) -> String {
    var text = ChipPresets.text(named: "tiny")!
    for (old, new) in replacements {
        #expect(text.components(separatedBy: old).count == 2, "\(old) must occur once in the tiny preset")
        text = text.replacingOccurrences(of: old, with: new)
    }
    return text
}

private func chipError(_ text: String) -> ConfigError? {
    do {
        _ = try ChipFile.parse(text, file: "chip.json")
        return nil
    } catch {
        return error
    }
}

struct BadChipCase: Sendable, CustomTestStringConvertible {
    var label: String
    var replacements: [[String]]
    var path: String
    var rule: String
    var testDescription: String { label }
}

private func bad(_ label: String, _ replacements: [[String]], _ path: String, _ rule: String) -> BadChipCase {
    BadChipCase(label: label, replacements: replacements, path: path, rule: rule)
}

private let badChipCases: [BadChipCase] = [
    bad("wrong format tag", [[#""neuroemu-chip/1""#, #""neuroemu-network/1""#]],
        "$.format", #"must be "neuroemu-chip/1", got "neuroemu-network/1""#),
    bad("a network file's format and keys", [[#""neuroemu-chip/1""#, #""neuroemu-network/1""#], [#""clock_hz": 100000000"#, #""steps": 10"#]],
        "$.format", #"must be "neuroemu-chip/1", got "neuroemu-network/1""#),
    bad("unknown top-level key with suggestion", [[#""clock_hz": 100000000"#, #""clock_hzz": 100000000"#]],
        "$.clock_hzz", #"unknown key "clock_hzz"; did you mean "clock_hz"?"#),
    bad("unknown core key with suggestion", [[#""neurons": 64"#, #""neuron": 64"#]],
        "$.core.neuron", #"unknown key "neuron"; did you mean "neurons"?"#),
    bad("unknown cost key with suggestion", [[#""synaptic_op":            {"#, #""synaptic_ops": {"#]],
        "$.costs.synaptic_ops", #"unknown key "synaptic_ops"; did you mean "synaptic_op"?"#),
    bad("missing cost", [[#""spike_out":              { "cycles": 1, "energy_pj": 2 },"#, ""]],
        "$.costs", #"missing required key "spike_out""#),
    bad("energy with sub-femtojoule precision", [[#""energy_pj": 10 }"#, #""energy_pj": 10.0005 }"#]],
        "$.costs.synaptic_op.energy_pj", "must be a whole number of femtojoules (at most 3 decimals of pJ), got 10.0005"),
    bad("negative energy", [[#""energy_pj": 10 }"#, #""energy_pj": -1 }"#]],
        "$.costs.synaptic_op.energy_pj", "must be a number in 0.0…1000000000.0, got -1"),
    bad("east-west hop of 0 cycles", [[#""flit_hop_east_west":     { "cycles": 2"#, #""flit_hop_east_west":     { "cycles": 0"#]],
        "$.costs.flit_hop_east_west.cycles", "must be an integer in 1…1000000, got 0"),
    bad("north-south hop of 0 cycles", [[#""flit_hop_north_south":   { "cycles": 3"#, #""flit_hop_north_south":   { "cycles": 0"#]],
        "$.costs.flit_hop_north_south.cycles", "must be an integer in 1…1000000, got 0"),
    bad("fractional cycles", [[#""packet":                 { "cycles": 2"#, #""packet":                 { "cycles": 2.5"#]],
        "$.costs.packet.cycles", "must be an integer, got number 2.5"),
    bad("host port inside the mesh",
        [[#""width": 2, "height": 2"#, #""width": 3, "height": 3"#], [#""host_port": { "x": 0, "y": 0 }"#, #""host_port": { "x": 1, "y": 1 }"#]],
        "$.mesh.host_port", "the host port must attach to an edge router of the 3 × 3 mesh; (1, 1) is inside"),
    bad("host port outside the mesh", [[#""host_port": { "x": 0, "y": 0 }"#, #""host_port": { "x": 2, "y": 0 }"#]],
        "$.mesh.host_port.x", "must be an integer in 0…1, got 2"),
    bad("unknown provenance key with suggestion", [[#""costs.stdp_update": "Illustrative round number.""#, #""costs.stdp_updates": "x""#]],
        #"$.provenance["costs.stdp_updates"]"#, #""costs.stdp_updates" is not a number of the chip file; did you mean "costs.stdp_update"?"#),
    bad("provenance of the wrong type", [[#""core.weight_bits": "Illustrative.""#, #""core.weight_bits": 8"#]],
        #"$.provenance["core.weight_bits"]"#, "must be a string, got integer 8"),
    bad("weight bits 9", [[#""weight_bits": 8"#, #""weight_bits": 9"#]],
        "$.core.weight_bits", "must be an integer in 1…8, got 9"),
    bad("delay slots beyond the network file's delays", [[#""delay_slots": 16"#, #""delay_slots": 64"#]],
        "$.core.delay_slots", "must be an integer in 2…63, got 64"),
    bad("unknown router fidelity", [[#""fidelity": "ideal""#, #""fidelity": "flitt""#]],
        "$.router.fidelity", #"must be one of "ideal", "flit"; got "flitt""#),
    bad("unknown routing order", [[#""routing": "xy""#, #""routing": "zz""#]],
        "$.router.routing", #"must be one of "xy", "yx"; got "zz""#),
    bad("static power finer than a nanowatt", [[#""static_power_mw": 1,"#, #""static_power_mw": 0.0000001,"#]],
        "$.static_power_mw", "must be a whole number of nanowatts (at most 6 decimals of mW), got 1e-07"),
    bad("missing barrier", [[#""barrier": { "cycles": 10, "energy_pj": 50, "reference_tiles": 4, "reference_cycles": 16 },"#, ""]],
        "$", #"missing required key "barrier""#),
    bad("barrier reference cycles without reference tiles",
        [[#""barrier": { "cycles": 10, "energy_pj": 50, "reference_tiles": 4, "reference_cycles": 16 }"#, #""barrier": { "cycles": 10, "energy_pj": 50, "reference_cycles": 100000 }"#]],
        "$.barrier.reference_cycles", "`reference_cycles` is the latency at `reference_tiles` tiles, which must be 2…65536 to give a second point; at one tile the latency is `cycles` (10)"),
    bad("barrier reference at one tile", [[#""reference_tiles": 4"#, #""reference_tiles": 1"#]],
        "$.barrier.reference_cycles", "`reference_cycles` is the latency at `reference_tiles` tiles, which must be 2…65536 to give a second point; at one tile the latency is `cycles` (10)"),
    bad("a flit chip whose routers' records pass 4 GiB",
        [[#""fidelity": "ideal""#, #""fidelity": "flit""#], [#""buffer_flits": 8"#, #""buffer_flits": 65536"#], [#""width": 2, "height": 2"#, #""width": 64, "height": 64"#]],
        "$.router.buffer_flits", "4,096 routers with 65,536-flit buffers (32,768 packets per input) need 5,368,791,040 bytes of packet records; the flit model allows at most 4,294,967,296 (4 GiB): give smaller buffers or a smaller mesh"),
    bad("more than 2^20 cores", [[#""cores_per_tile": 2"#, #""cores_per_tile": 64"#], [#""width": 2, "height": 2"#, #""width": 256, "height": 256"#]],
        "$.mesh", "256 × 256 tiles of 64 cores is 4194304 cores; a chip or board may have at most 1048576"),
    bad("clock of 0 Hz", [[#""clock_hz": 100000000"#, #""clock_hz": 0"#]],
        "$.clock_hz", "must be an integer in 1…1000000000000, got 0"),
]

@Suite struct ChipFileTests {
    @Test(arguments: badChipCases)
    func invalidChipFileIsRejectedWithPathAndRule(_ bad: BadChipCase) {
        let text = tinyText(bad.replacements.map { ($0[0], $0[1]) })
        #expect(chipError(text) == .invalid(file: "chip.json", path: bad.path, rule: bad.rule))
    }

    /// A step's cycles are 32-bit counts: a chip whose slowest step could not be counted is
    /// refused, naming the part that makes it slow, instead of wrapping at run time.
    @Test func aStepThatCouldOutgrowItsCycleCountIsRefused() throws {
        let text = tinyText([
            (#""neurons": 64"#, #""neurons": 5000"#),
            (#""neuron_update_inactive": { "cycles": 1"#, #""neuron_update_inactive": { "cycles": 1000000"#),
        ])
        guard case let .invalid(file, path, rule) = chipError(text) else {
            Issue.record("a 5,000,000,000-cycle neuron phase was accepted")
            return
        }
        #expect(file == "chip.json" && path == "$.costs")
        #expect(rule.hasPrefix("with these cycle costs and core limits one step could take 5000032793 cycles"))
        #expect(rule.contains("more than the 2147483648 a step may count"))
        #expect(rule.contains("5000 neurons of a core × 1000000 cycles a neuron update = 5000000000; "), "the largest part comes first")
        #expect(rule.contains("4681 synapses a core can hold × 3 STDP updates × 2 cycles an STDP update = 28086"))
        // One fewer zero fits: 5,000 × 100,000 cycles is 5 × 10⁸, below 2³¹.
        let fits = tinyText([
            (#""neurons": 64"#, #""neurons": 5000"#),
            (#""neuron_update_inactive": { "cycles": 1"#, #""neuron_update_inactive": { "cycles": 100000"#),
        ])
        #expect(chipError(fits) == nil)
    }

    /// A barrier that falls with the tiles is slowest on one tile, where a run on one tile pays
    /// it: 4,294,967,295 cycles there wrapped a step's count before the bound took that end.
    @Test func aFallingBarrierIsBoundedAtOneTile() throws {
        let text = tinyText([(#""barrier": { "cycles": 10"#, #""barrier": { "cycles": 4294967295"#)])
        guard case let .invalid(file, path, rule) = chipError(text) else {
            Issue.record("a 4,294,967,295-cycle barrier at one tile was accepted")
            return
        }
        #expect(file == "chip.json" && path == "$.costs")
        #expect(rule.contains("the barrier over 1 to 4 tiles = 4294967295"))
    }

    /// A description edited in code is held to a chip file's ranges: the error names the chip
    /// and the path, and `Simulation` throws it instead of trapping or misreporting.
    @Test func aChipEditedInCodeIsCheckedAsAFileIs() throws {
        for name in ChipPresets.names { try ChipPresets.resolve(name).checkStructure() }
        let loihi = try ChipPresets.resolve("loihi")
        let network = try GoldenNetwork.network()
        let edits: [(String, (inout ChipDescription) -> Void, String)] = [
            ("$.router.flits_per_packet", { $0.flitsPerPacket = 0 }, "must be an integer in 1…64, got 0"),
            ("$.core.delay_slots", { $0.coreLimits.delaySlots = 0 }, "must be an integer in 2…63, got 0"),
            ("$.core.neurons", { $0.coreLimits.neurons = 0 }, "must be an integer in 1…65536, got 0"),
            ("$.clock_hz", { $0.clockHertz = 0 }, "must be an integer in 1…1000000000000, got 0"),
            ("$.router.buffer_flits", { $0.routerBufferFlits = 0 }, "must be an integer in 1…65536, got 0"),
            // A hop of no cycles, or a pipeline that leaves a link none, would stop the process
            // where the router is built (`NetworkTiming`, `FlitNetwork`).
            ("$.costs.flit_hop_east_west.cycles", { $0.costs[.eastWestFlitHop].cycles = 0 }, "must be an integer in 1…1000000, got 0"),
            ("$.costs.flit_hop_north_south.cycles", { $0.costs[.northSouthFlitHop].cycles = 0 }, "must be an integer in 1…1000000, got 0"),
            ("$.costs.synaptic_op.cycles", { $0.costs[.synapticOp].cycles = 1_000_001 }, "must be an integer in 0…1000000, got 1000001"),
            ("$.router.pipeline_cycles", { $0.routerFidelity = .flit; $0.routerPipelineCycles = 41 },
             "a router pipeline of 41 cycles must be below the shortest hop, 41 cycles: a hop is the pipeline plus a link of at least 1 cycle"),
            // Negative power trapped in the static energy, power above 18 kW wrapped it; a negative
            // price subtracted energy.
            ("$.static_power_mw", { $0.staticPowerNanowatts = -1 }, "must be 0…1000000000000 nW (1 kW a chip), got -1 nW"),
            ("$.static_power_mw", { $0.staticPowerNanowatts = 20_000_000_000_000 }, "must be 0…1000000000000 nW (1 kW a chip), got 20000000000000 nW"),
            ("$.costs.synaptic_op.energy_pj", { $0.costs[.synapticOp].energyFemtojoules = -5 }, "must be at least 0 fJ, got -5 fJ"),
            ("$.barrier.energy_pj", { $0.costs[.barrier].energyFemtojoules = -1 }, "must be at least 0 fJ, got -1 fJ"),
            // The step-cycle budget a file is held to.
            ("$.costs", { $0.coreLimits.neurons = 65_536; $0.costs[.neuronUpdateActive].cycles = 1_000_000 },
             "with these cycle costs and core limits one step could take "),
        ]
        for (path, edit, rule) in edits {
            var chip = loihi
            edit(&chip)
            guard path == "$.costs" else {
                let expected = ConfigError.invalid(file: "chip `loihi`", path: path, rule: rule)
                #expect(throws: expected) { try chip.checkStructure() }
                #expect(throws: MappingError.invalidChip(expected)) { try Simulation(network: network, chip: chip) }
                continue
            }
            // The budget's message lists the parts: its start is enough here (tested in full above).
            do {
                try chip.checkStructure()
                Issue.record("a step of 65,536 × 1,000,000 cycles was accepted")
            } catch {
                guard case let .invalid(file, errorPath, text) = error else { Issue.record("\(error)"); continue }
                #expect(file == "chip `loihi`" && errorPath == path && text.hasPrefix(rule), "\(error)")
            }
        }
    }

    @Test func everyPresetStepFitsItsCycleCount() throws {
        for name in ChipPresets.names {
            let chip = try ChipPresets.resolve(name)
            let worst = chip.worstStepCycleParts.reduce(0) { $0 + $1.cycles }
            #expect(worst > 0 && worst <= ChipDescription.stepCycleBudget, "\(name): \(worst)")
        }
    }

    @Test func unknownProvenanceKeyWithoutNearNameListsTheNumbers() {
        let text = tinyText([(#""clock_hz": "Illustrative: 100 MHz, so one cycle is 10 ns.""#, #""colour": "red""#)])
        #expect(chipError(text) == .invalid(
            file: "chip.json", path: "$.provenance.colour",
            rule: #""colour" is not a number of the chip file; provenance keys are: "# + ChipFile.numberPaths.joined(separator: ", ")))
    }

    @Test func loihiNumbers() throws {
        let chip = try ChipPresets.resolve("loihi")
        #expect(chip.name == "loihi")
        #expect(chip.clockHertz == 10_000_000_000)
        #expect(chip.mesh == Mesh(width: 8, height: 4, coresPerTile: 4, hostTile: TileCoordinate(x: 0, y: 0)))
        #expect(chip.mesh.coreCount == 128)
        #expect(chip.coreLimits == CoreLimits(neurons: 1024, inputAxons: 4096, outputAxons: 4096, synapseMemoryBits: 128 * 1024 * 8, weightBits: 8, delaySlots: 63))
        #expect(chip.routerFidelity == .ideal && chip.routing == .xy && chip.flitsPerPacket == 1)
        #expect(chip.routerBufferFlits == 129 && chip.routerPipelineCycles == 1)
        // Davies et al. 2018, Table 2, at a 0.1 ns reference clock.
        #expect(chip.costs[.synapticOp] == EventCost(cycles: 35, energyFemtojoules: 23_600))
        #expect(chip.costs[.neuronUpdateActive] == EventCost(cycles: 84, energyFemtojoules: 81_000))
        #expect(chip.costs[.neuronUpdateInactive] == EventCost(cycles: 53, energyFemtojoules: 52_000))
        #expect(chip.costs[.packet] == EventCost(cycles: 21, energyFemtojoules: 1_700))
        #expect(chip.costs[.eastWestFlitHop] == EventCost(cycles: 41, energyFemtojoules: 3_000))
        #expect(chip.costs[.northSouthFlitHop] == EventCost(cycles: 65, energyFemtojoules: 4_000))
        #expect(chip.costs[.stdpUpdate] == EventCost(cycles: 61, energyFemtojoules: 120_000))
        #expect(chip.costs[.spikeOut] == EventCost(cycles: 0, energyFemtojoules: 0))
        #expect(chip.costs[.barrier] == EventCost(cycles: 1130, energyFemtojoules: 0))
        #expect(chip.barrier == BarrierModel(oneTileCycles: 1130, referenceCycles: 4650, referenceTiles: 32))
        #expect(chip.barrier.cycles(tiles: 1) == 1130)
        #expect(chip.barrier.cycles(tiles: 32) == 4650)
        #expect(chip.staticPowerNanowatts == 0)
    }

    @Test func tinyNumbers() throws {
        let chip = try ChipPresets.resolve("tiny")
        #expect(chip.name == "tiny")
        #expect(chip.clockHertz == 100_000_000)
        #expect(chip.mesh.coreCount == 8 && chip.mesh.hostEndpoint == 8)
        #expect(chip.coreLimits == CoreLimits(neurons: 64, inputAxons: 256, outputAxons: 256, synapseMemoryBits: 65_536, weightBits: 8, delaySlots: 16))
        #expect(chip.flitsPerPacket == 2)
        #expect(chip.costs[.synapticOp] == EventCost(cycles: 1, energyFemtojoules: 10_000))
        #expect(chip.costs[.barrier] == EventCost(cycles: 10, energyFemtojoules: 50_000))
        #expect(chip.barrier.cycles(tiles: 4) == 16)
        #expect(chip.staticPowerNanowatts == 1_000_000)
        // 1 mW for one 10 ns cycle is 10 pJ.
        #expect(chip.staticEnergyFemtojoules(cycles: 1) == 10_000)
    }

    @Test func optionalFieldsTakeTheirDefaults() throws {
        let text = tinyText([
            (#""router": { "fidelity": "ideal", "routing": "xy", "flits_per_packet": 2, "buffer_flits": 8, "pipeline_cycles": 1 }"#, #""router": {}"#),
            (#", "host_port": { "x": 0, "y": 0 }"#, ""),
            (#""barrier": { "cycles": 10, "energy_pj": 50, "reference_tiles": 4, "reference_cycles": 16 }"#, #""barrier": { "cycles": 10, "energy_pj": 50 }"#),
        ])
        let chip = try ChipFile.parse(text, file: "chip.json")
        #expect(chip.routerFidelity == .ideal && chip.routing == .xy && chip.flitsPerPacket == 1)
        #expect(chip.routerBufferFlits == nil && chip.routerPipelineCycles == nil)
        #expect(chip.mesh.hostTile == TileCoordinate(x: 0, y: 0))
        #expect(chip.barrier == BarrierModel(oneTileCycles: 10, referenceCycles: 10, referenceTiles: 1))
        #expect(chip.barrier.cycles(tiles: 4) == 10)
    }

    @Test func provenanceIsOptionalAndKeptByKey() throws {
        let withProvenance = try ChipFile.parse(tinyText(), file: "chip.json")
        #expect(withProvenance.provenance["core.neurons"] == "Illustrative: small, so tests exercise splitting.")
        let start = tinyText().range(of: #","# + "\n" + #"  "provenance": {"#)!.lowerBound
        let stripped = String(tinyText()[..<start]) + "\n}\n"
        let without = try ChipFile.parse(stripped, file: "chip.json")
        #expect(without.provenance.isEmpty)
        var expected = withProvenance
        expected.provenance = [:]
        #expect(without == expected)
    }

    @Test func energiesConvertExactlyToFemtojoules() throws {
        for (picojoules, femtojoules) in [("0.001", 1), ("1.7", 1700), ("23.6", 23_600), ("0.1", 100), ("120", 120_000), ("4.1", 4100), ("999999.999", 999_999_999)] {
            let text = tinyText([(#""energy_pj": 10 }"#, #""energy_pj": \#(picojoules) }"#)])
            #expect(try ChipFile.parse(text, file: "chip.json").costs[.synapticOp].energyFemtojoules == Int64(femtojoules), "\(picojoules) pJ")
        }
    }

    @Test func hostPortOnAnyEdgeIsAccepted() throws {
        let text = tinyText([
            (#""width": 2, "height": 2"#, #""width": 3, "height": 3"#),
            (#""host_port": { "x": 0, "y": 0 }"#, #""host_port": { "x": 2, "y": 1 }"#),
        ])
        let chip = try ChipFile.parse(text, file: "chip.json")
        #expect(chip.mesh.hostTile == TileCoordinate(x: 2, y: 1))
        #expect(chip.mesh.coreCount == 18)
    }

    @Test func numberPathsCoverEveryPricedEvent() {
        #expect(ChipFile.numberPaths.count == Set(ChipFile.numberPaths).count)
        // Barriers and inter-chip hops are priced by their own objects (`barrier`, `board.link`).
        for event in EventClass.allCases where event != .barrier && event != .interChipFlitHop {
            #expect(ChipFile.numberPaths.contains("costs.\(event.key)"))
        }
        #expect(ChipFile.numberPaths.contains("barrier"))
        #expect(ChipFile.numberPaths.contains("board"))
        #expect(ChipFile.numberPaths.contains("static_power_mw"))
    }

    @Test func loadReadsAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-chip-\(UUID().uuidString).json").path
        try tinyText().write(toFile: path, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ChipFile.load(path: path) == ChipFile.parse(tinyText(), file: "x"))
    }
}
