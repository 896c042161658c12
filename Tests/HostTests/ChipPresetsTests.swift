import Chip
import Foundation
import Testing
@testable import Host

@Suite struct ChipPresetsTests {
    @Test func everyConfigFileIsAPresetAndEveryPresetHasAConfigFile() throws {
        let names = ChipPresets.names
        #expect(names.first == "loihi")
        #expect(names.contains("tiny"))
        #expect(Set(names).count == names.count)
        let files = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("configs/chips").path)
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(".json".count)) }
        #expect(Set(files) == Set(names))
    }

    @Test(arguments: ChipPresets.names)
    func embeddedPresetEqualsTheConfigFileByteForByte(name: String) throws {
        let url = repositoryRoot.appendingPathComponent("configs/chips/\(name).json")
        let onDisk = try Data(contentsOf: url)
        let embedded = try #require(ChipPresets.text(named: name))
        let difference = firstDifference(Array(embedded.utf8), [UInt8](onDisk))
        #expect(difference == nil, "Sources/Host/ChipPresetText.swift and configs/chips/\(name).json differ")
    }

    @Test(arguments: ChipPresets.names)
    func presetParsesUnderItsOwnName(name: String) throws {
        let chip = try ChipPresets.resolve(name)
        #expect(chip.name == name)
        let file = repositoryRoot.appendingPathComponent("configs/chips/\(name).json").path
        #expect(try chip == ChipFile.load(path: file))
    }

    @Test(arguments: ChipPresets.names)
    func everyNumberOfAPresetHasProvenance(name: String) throws {
        let chip = try ChipPresets.resolve(name)
        // Every preset is a single chip, so it has no `board` numbers to source.
        let paths = ChipFile.numberPaths.filter { $0 != "board" }
        for path in paths {
            let source = chip.provenance[path]
            #expect(source != nil, "preset \(name) has no provenance for \(path)")
            #expect(!(source ?? "").trimmingCharacters(in: .whitespaces).isEmpty, "preset \(name): empty provenance for \(path)")
        }
        #expect(Set(chip.provenance.keys) == Set(paths))
    }

    @Test func loihiProvenanceCitesTheSource() throws {
        let chip = try ChipPresets.resolve("loihi")
        #expect(chip.provenance["costs.synaptic_op"]?.contains("23.6 pJ") == true)
        #expect(chip.provenance["costs.synaptic_op"]?.contains("Davies et al. 2018") == true)
        #expect(chip.provenance["barrier"]?.contains("113 ns") == true)
    }

    @Test func unknownPresetNameSuggestsTheNearest() {
        let presets = ChipPresets.names.joined(separator: ", ")
        #expect(throws: ConfigError.unreadable(
            file: "loihy",
            reason: "no chip preset of this name (presets: " + presets + #"; or give the path of a chip file); did you mean "loihi"?"#)) {
            try ChipPresets.resolve("loihy")
        }
        #expect(throws: ConfigError.unreadable(
            file: "hal9000",
            reason: "no chip preset of this name (presets: \(presets); or give the path of a chip file)")) {
            try ChipPresets.resolve("hal9000")
        }
        let error = #expect(throws: ConfigError.self) { try ChipPresets.resolve("loihy") }
        #expect(error?.description.hasPrefix("loihy: cannot read: no chip preset of this name") == true)
    }

    @Test func aPathIsReadAsAChipFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-preset-\(UUID().uuidString).json").path
        try ChipPresets.text(named: "tiny")!.write(toFile: path, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ChipPresets.resolve(path) == ChipPresets.resolve("tiny"))
        // Anything with a slash or a .json suffix is a path, never a preset name.
        #expect(throws: ConfigError.unreadable(file: "missing.json", reason: "no such file")) {
            try ChipPresets.resolve("missing.json")
        }
    }

    @Test func textOfUnknownPresetIsNil() {
        #expect(ChipPresets.text(named: "Loihi") == nil)
        #expect(ChipPresets.text(named: "") == nil)
    }

    @Test func tinyListing() throws {
        let listing = ChipPresets.listing(of: try ChipPresets.resolve("tiny")).components(separatedBy: "\n")
        #expect(listing.count == 4 + EventClass.allCases.count - 1 + 1)  // a single chip lists no inter-chip hop price
        #expect(listing[0] == "tiny")
        #expect(listing[1] == "  mesh            2×2 tiles, 2 cores per tile (8 cores), host port at (0, 0), clock 100 MHz")
        #expect(listing[2] == "  core            64 neurons, 256 input axons, 256 output axons, 65536 synapse-memory bits, 8-bit weights, delays up to 15 steps")
        #expect(listing[3] == "  router          ideal, xy routing, 2 flits per packet")
        #expect(listing[4] == "  prices          synaptic_op             1 cycle, 10.000 pJ")
        #expect(listing[12] == "                  barrier                 10–16 cycles (1–4 tiles), 50.000 pJ")
        #expect(listing[13] == "                  static power            1 mW")
    }

    @Test func loihiPriceList() throws {
        let prices = ChipPresets.priceList(try ChipPresets.resolve("loihi"))
        #expect(prices == [
            "synaptic_op             35 cycles, 23.600 pJ",
            "neuron_update_active    84 cycles, 81.000 pJ",
            "neuron_update_inactive  53 cycles, 52.000 pJ",
            "spike_out               0 cycles, 0.000 pJ",
            "packet                  21 cycles, 1.700 pJ",
            "flit_hop_east_west      41 cycles, 3.000 pJ",
            "flit_hop_north_south    65 cycles, 4.000 pJ",
            "stdp_update             61 cycles, 120.000 pJ",
            "barrier                 1130–4650 cycles (1–32 tiles), 0.000 pJ",
            "static power            0 mW",
        ])
    }

    @Test func loihiListingHeader() throws {
        let listing = ChipPresets.listing(of: try ChipPresets.resolve("loihi")).components(separatedBy: "\n")
        #expect(listing[1] == "  mesh            8×4 tiles, 4 cores per tile (128 cores), host port at (0, 0), clock 10 GHz")
        #expect(listing[3] == "  router          ideal, xy routing, 1 flit per packet")
    }

    @Test func trueNorthPresetFollowsMerolla2014() throws {
        let chip = try ChipPresets.resolve("truenorth")
        #expect(chip.mesh.width == 64 && chip.mesh.height == 64 && chip.mesh.coresPerTile == 1)
        #expect(chip.coreLimits.neurons == 256 && chip.coreLimits.inputAxons == 256 && chip.coreLimits.outputAxons == 256)
        #expect(chip.costs[.synapticOp].energyFemtojoules == 26_000)
        #expect(chip.costs[.eastWestFlitHop].energyFemtojoules == 2_300 && chip.costs[.northSouthFlitHop].energyFemtojoules == 2_300)
        // The 1 kHz tick is a whole number of cycles: 1 ms at 1 GHz, for any number of tiles.
        #expect(chip.clockHertz == 1_000_000_000)
        #expect(chip.barrier.cycles(tiles: 1) == 1_000_000 && chip.barrier.cycles(tiles: 4096) == 1_000_000)
        // All-in: nothing else is charged, so nothing is counted twice.
        for event in EventClass.allCases where ![.synapticOp, .eastWestFlitHop, .northSouthFlitHop].contains(event) {
            #expect(chip.costs[event].energyFemtojoules == 0, "\(event.key)")
        }
        #expect(chip.staticPowerNanowatts == 0)
        #expect(chip.provenance["costs.synaptic_op"]?.contains("Merolla et al. 2014: 26 pJ per synaptic event") == true)
        #expect(chip.provenance["costs.synaptic_op"]?.contains("all-in") == true)
        #expect(chip.provenance["costs.flit_hop_east_west"]?.contains("2.3 pJ") == true)
        #expect(chip.provenance["barrier"]?.contains("1 kHz tick") == true)
        #expect(chip.provenance["clock_hz"]?.hasPrefix("Assumed") == true)
    }

    @Test func spiNNaker2PresetFollowsHoppner2019() throws {
        let chip = try ChipPresets.resolve("spinnaker2")
        #expect(chip.mesh.width == 6 && chip.mesh.height == 6 && chip.mesh.coresPerTile == 4)
        #expect(chip.costs[.synapticOp].energyFemtojoules == 450_000)
        #expect(chip.costs[.neuronUpdateActive].energyFemtojoules == 2_190_000)
        #expect(chip.costs[.neuronUpdateInactive].energyFemtojoules == 2_190_000)
        #expect(chip.clockHertz == 500_000_000)
        #expect(chip.provenance["costs.synaptic_op"]?.contains("Hoppner et al. 2019: 450 pJ per synaptic event, measured") == true)
        #expect(chip.provenance["costs.neuron_update_active"]?.contains("2.19 nJ per neuron update") == true)
        #expect(chip.provenance["mesh.width"]?.contains("144 PEs") == true)
        #expect(chip.provenance["costs.stdp_update"]?.hasPrefix("Not published") == true)
    }

    @Test func everyPresetSaysWhatItAssumes() throws {
        // Numbers that no paper gives must say so in their provenance.
        for (name, path) in [("truenorth", "costs.neuron_update_active"), ("spinnaker2", "core.neurons"), ("spinnaker2", "costs.flit_hop_east_west"), ("loihi", "mesh.host_port")] {
            let source = try ChipPresets.resolve(name).provenance[path] ?? ""
            #expect(source.contains("ssumed") || source.contains("Not published") || source.contains("Included in"), "\(name) \(path): \(source)")
        }
    }
}
