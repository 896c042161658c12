import Chip

/// The chip descriptions shipped with NeuroEmu, with provenance for every number.
public enum ChipPresets {
    /// Preset names, in the order `neuroemu chips` lists them.
    public static let names = ["loihi", "truenorth", "spinnaker2", "tiny"]

    /// The JSON text of a preset, as saved under `configs/chips/`.
    public static func text(named name: String) -> String? {
        switch name {
        case "loihi": ChipPresetText.loihi
        case "truenorth": ChipPresetText.truenorth
        case "spinnaker2": ChipPresetText.spinnaker2
        case "tiny": ChipPresetText.tiny
        default: nil
        }
    }

    /// A preset by name, or a chip file by path.
    public static func resolve(_ nameOrPath: String) throws(ConfigError) -> ChipDescription {
        if let text = text(named: nameOrPath) {
            return try ChipFile.parse(text, file: "preset \(nameOrPath)")
        }
        guard nameOrPath.contains("/") || nameOrPath.hasSuffix(".json") else {
            let near = NetworkFile.suggestion(nameOrPath, names)
            throw ConfigError.unreadable(file: nameOrPath, reason: "no chip preset of this name (presets: \(names.joined(separator: ", ")); or give the path of a chip file)\(near)")
        }
        return try ChipFile.load(path: nameOrPath)
    }
}

extension ChipPresets {
    /// Why a trace recorded on a chip file that takes a preset's name needs care, or nil: a trace
    /// keeps only the chip's name, and `verify` re-runs a preset's name on the preset unless
    /// given `--chip FILE`, so a file called `loihi` with other prices would fail verification at
    /// its first step as if the run had changed. A file equal to its preset (its provenance
    /// aside) is fine, and so is the preset itself (`given`, the name or path the user gave, is
    /// a preset's name).
    public static func presetNameProblem(_ chip: ChipDescription, given file: String) -> String? {
        guard !names.contains(file), names.contains(chip.name), let preset = try? resolve(chip.name) else { return nil }
        var comparable = chip
        comparable.provenance = preset.provenance
        if chip.routerFidelity == .ideal {  // the flit model's buffers and pipeline change nothing then
            comparable.routerBufferFlits = preset.routerBufferFlits
            comparable.routerPipelineCycles = preset.routerPipelineCycles
        }
        comparable.routerFidelity = preset.routerFidelity  // the trace header records the router itself
        guard comparable != preset else { return nil }
        return "\(file): the chip is named `\(chip.name)`, as the preset is, but differs from it; a trace names only its chip, "
            + "so verify this one with --chip \(file) (without it, verify re-runs the preset and reports a mismatch), or give the chip file a name of its own"
    }

    /// A few lines describing a chip: geometry, core limits, router and prices.
    public static func listing(of chip: ChipDescription) -> String {
        let limits = chip.coreLimits
        let mesh = chip.mesh
        return ([
            chip.name,
            "  mesh            \(mesh.width)×\(mesh.height) tiles, \(RunSummary.counted(mesh.coresPerTile, "core")) per tile (\(mesh.coreCount) cores), host port at \(mesh.hostTile), clock \(RunSummary.frequency(chip.clockHertz))",
            "  core            \(limits.neurons) neurons, \(limits.inputAxons) input axons, \(limits.outputAxons) output axons, \(limits.synapseMemoryBits) synapse-memory bits, \(limits.weightBits)-bit weights, delays up to \(limits.delaySlots - 1) steps",
            "  router          \(chip.routerFidelity.rawValue), \(chip.routing.rawValue) routing, \(RunSummary.counted(chip.flitsPerPacket, "flit")) per packet",
        ] + priceList(chip).enumerated().map { index, line in (index == 0 ? "  prices          " : "                  ") + line }).joined(separator: "\n")
    }

    /// One line per event class: `synaptic_op  35 cycles  23.600 pJ`, for listings.
    public static func priceList(_ chip: ChipDescription) -> [String] {
        EventClass.allCases.filter { $0 != .interChipFlitHop || chip.mesh.chipCount > 1 }.map { event in
            let cost = chip.costs[event]
            let barrier = chip.barrier
            let cycles = event != .barrier ? RunSummary.counted(Int(cost.cycles), "cycle")
                : barrier.oneTileCycles == barrier.referenceCycles ? RunSummary.counted(Int(barrier.oneTileCycles), "cycle")  // the same on any number of tiles
                : "\(barrier.oneTileCycles)–\(barrier.referenceCycles) cycles (1–\(barrier.referenceTiles) tiles)"
            return event.key.padding(toLength: 24, withPad: " ", startingAt: 0) + cycles + ", " + RunSummary.fixed(Double(cost.energyFemtojoules) / 1000, 3) + " pJ"
        } + ["static power".padding(toLength: 24, withPad: " ", startingAt: 0) + RunSummary.milliwatts(chip.staticPowerNanowatts)]
    }
}
