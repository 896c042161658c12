import Chip
import Router

/// The human-readable summary a run prints: what ran where, what happened, what it cost.
public struct RunSummary: Sendable {
    /// The simulation that ran.
    public let simulation: Simulation
    /// The run's totals.
    public let result: RunResult
    /// Worker threads of the run.
    public let threads: Int
    /// Host wall-clock time of the run in seconds, when measured (it varies run to run).
    public let wallSeconds: Double?

    /// The summary of `result`, the simulation's run. Its network lines (links, multicast
    /// deliveries) read the engine's counters since the simulation was made: the run's for a
    /// simulation's first run, every run's so far after a second.
    public init(simulation: Simulation, result: RunResult, threads: Int, wallSeconds: Double? = nil) {
        self.simulation = simulation
        self.result = result
        self.threads = threads
        self.wallSeconds = wallSeconds
    }

    /// Energy per chip-neuron spike in picojoules (nil without spikes). Host input spikes are not
    /// chip events, so they are not in the denominator.
    public var energyPerSpikePicojoules: Double? {
        result.neuronSpikes > 0 ? Double(result.energyFemtojoules) / 1000 / Double(result.neuronSpikes) : nil
    }

    /// Energy per synaptic operation in picojoules (nil without synaptic ops).
    public var energyPerSynapticOpPicojoules: Double? {
        let ops = result.totals[.synapticOp]
        return ops > 0 ? Double(result.energyFemtojoules) / 1000 / Double(ops) : nil
    }

    /// The summary `neuroemu run` prints, a line per row (README shows one).
    public func render() -> String {
        let network = simulation.network
        let chip = simulation.chip
        let mesh = chip.mesh
        let totals = result.totals
        let steps = max(1, result.steps)
        var lines: [String] = []
        // A label longer than its column (a population's name) is kept whole, two spaces before
        // its value: cut, two names sharing a prefix could not be told apart.
        func row(_ label: String, _ value: String) {
            lines.append((label.count < 15 ? label.padding(toLength: 16, withPad: " ", startingAt: 0) : label + "  ") + value)
        }

        row("network", "\(network.name): \(network.neuronCount) neurons in \(network.populations.count) populations, \(network.inputNeuronCount) input neurons, \(network.synapseCount) synapses")
        row("chip", "\(chip.name): \(mesh.chipCount > 1 ? "board of \(mesh.chipCount) chips, " : "")\(mesh.width)×\(mesh.height) mesh, \(Self.counted(mesh.coresPerTile, "core")) per tile, clock \(Self.frequency(chip.clockHertz)), router \(chip.routerFidelity.rawValue) \(chip.routing.rawValue)")
        // Each maximum is over the cores on its own: the three may come from different cores.
        row("cores used", "\(simulation.mapping.coreEndpoints.count) of \(mesh.coreCount) on \(Self.counted(simulation.engine.tilesUsed, "tile")) (most on a core: \(simulation.usage.map(\.neurons).max() ?? 0) neurons, \(simulation.usage.map(\.inputAxons).max() ?? 0) input axons, \(simulation.usage.map(\.synapseMemoryBits).max() ?? 0) synapse-memory bits)")
        for report in network.quantization {
            row("quantized", "\(report.projection): weight_exp \(report.weightExponent), \(report.signMode.rawValue), relative RMS weight error \(Self.fixed(100 * report.relativeRMSError, 3)) %")
        }
        let cost = simulation.placementCost
        let saving = cost.inOrder > 0 ? 100 * (cost.inOrder - cost.placed) / cost.inOrder : 0
        row("placement", "traffic × hops \(Self.whole(cost.placed)) (in-order placement \(Self.whole(cost.inOrder)), \(Self.fixed(saving, 1)) % less\(simulation.placementCostNote))")
        if let constraints = simulation.constraintsSummary { row("constraints", constraints) }
        row("steps", "\(result.steps)")
        let rate = Double(result.neuronSpikes) / Double(max(1, network.neuronCount)) / Double(steps)
        row("spikes", "\(result.neuronSpikes) neuron spikes (\(Self.fixed(rate, 5)) per neuron per step), \(result.inputSpikeCount) input spikes")
        for (index, population) in network.populations.enumerated() {
            let populationRate = Double(result.populationSpikes[index]) / Double(population.size) / Double(steps)
            row("  \(population.name)", "\(result.populationSpikes[index]) spikes, \(Self.fixed(populationRate, 5)) per neuron per step")
        }
        row("synaptic ops", "\(totals[.synapticOp])")
        row("neuron updates", "\(totals[.neuronUpdateActive]) active, \(totals[.neuronUpdateInactive]) inactive")
        if chip.multicast {
            let unicast = simulation.engine.totalDeliveries
            let saved = unicast > 0 ? 100 * Double(unicast - min(unicast, totals[.packet])) / Double(unicast) : 0
            row("packets", "\(totals[.packet]) multicast route trees (unicast would send \(unicast): \(Self.fixed(saved, 1)) % fewer)")
        } else {
            row("packets", "\(totals[.packet])")
        }
        if mesh.chipCount > 1 {
            row("flit-hops", "\(totals[.eastWestFlitHop] + totals[.northSouthFlitHop] + totals[.interChipFlitHop]) (east–west \(totals[.eastWestFlitHop]), north–south \(totals[.northSouthFlitHop]), between chips \(totals[.interChipFlitHop]))")
        } else {
            row("flit-hops", "\(totals[.eastWestFlitHop] + totals[.northSouthFlitHop]) (east–west \(totals[.eastWestFlitHop]), north–south \(totals[.northSouthFlitHop]))")
        }
        let links = simulation.engine.networkCounters
        let busiest = links.linkFlits.indices.filter { links.linkFlits[$0] > 0 }
            .sorted { links.linkFlits[$0] != links.linkFlits[$1] ? links.linkFlits[$0] > links.linkFlits[$1] : $0 < $1 }
            .prefix(3)
        for (rank, link) in busiest.enumerated() {
            let tile = mesh.coordinate(ofTile: link / 4)
            let direction = LinkDirection(rawValue: link % 4)?.letter ?? "?"
            row(rank == 0 ? "busiest links" : "", "\(tile)\(direction): \(links.linkFlits[link]) flits, busy \(links.linkBusyCycles[link]) cycles, stalled \(links.linkStallCycles[link]) cycles, max queue \(links.linkMaxQueueDepth[link]) flits")
        }
        let meanCycles = Double(result.totalCycles) / Double(steps)
        row("cycles/step", "mean \(Self.fixed(meanCycles, 1)), max \(result.maximumStepCycles)")
        row("chip time", "\(Self.duration(chip.seconds(cycles: result.totalCycles))) at the chip clock (\(Self.duration(chip.seconds(cycles: result.totalCycles) / Double(steps))) per step)")
        row("energy", "\(Self.energy(result.energyFemtojoules)) (dynamic \(Self.energy(result.energyFemtojoules - result.staticEnergyFemtojoules)), static \(Self.energy(result.staticEnergyFemtojoules)))")
        row("energy/spike", energyPerSpikePicojoules.map { "\(Self.fixed($0, 3)) pJ" } ?? "n/a (no spikes)")
        row("energy/synop", energyPerSynapticOpPicojoules.map { "\(Self.fixed($0, 3)) pJ" } ?? "n/a (no synaptic ops)")
        lines.append("energy by event:")
        // Inter-chip hops exist only on boards; `neuroemu chips` omits them on one chip too.
        for event in EventClass.allCases where event != .interChipFlitHop || mesh.chipCount > 1 {
            let count = totals[event]
            let energy = Int64(count) * chip.costs[event].energyFemtojoules
            let share = result.energyFemtojoules > 0 ? 100 * Double(energy) / Double(result.energyFemtojoules) : 0
            lines.append("  " + event.key.padding(toLength: 24, withPad: " ", startingAt: 0)
                + String(count).leftPadded(12) + "  × " + Self.fixed(Double(chip.costs[event].energyFemtojoules) / 1000, 3).leftPadded(9) + " pJ ="
                + Self.energy(energy).leftPadded(14) + Self.fixed(share, 1).leftPadded(7) + " %")
        }
        // Static power is the rest of the energy: with it the shares add up to 100 %.
        let staticShare = result.energyFemtojoules > 0 ? 100 * Double(result.staticEnergyFemtojoules) / Double(result.energyFemtojoules) : 0
        lines.append("  " + "static".padding(toLength: 24, withPad: " ", startingAt: 0) + "".leftPadded(12) + "  "
            + "at \(Self.milliwatts(chip.staticPowerNanowatts))".leftPadded(14) + " ="
            + Self.energy(result.staticEnergyFemtojoules).leftPadded(14) + Self.fixed(staticShare, 1).leftPadded(7) + " %")
        if !result.phases.isEmpty {
            lines.append("energy by phase:")
            for phase in result.phases {
                let perSample = phase.energyPerSampleFemtojoules.map { ", \(Self.energy($0)) per sample" } ?? ""
                lines.append("  " + phase.kind.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)
                    + "\(phase.steps) steps, \(phase.samples) samples, \(phase.counts[.stdpUpdate]) stdp updates: \(Self.energy(phase.energyFemtojoules))\(perSample)")
            }
        }
        for classification in result.classifications {
            let accuracy = classification.accuracy.map { "\(Self.fixed(100 * $0, 1)) %" } ?? "n/a"
            row("accuracy", "\(accuracy) (\(classification.correct) of \(classification.labels.count) samples, test segment \(classification.segment))")
            lines.append("confusion (rows: label, columns: predicted class, last: no spike):")
            for (label, counts) in classification.confusion.enumerated() {
                lines.append(String(label).leftPadded(4) + " " + counts.map { String($0).leftPadded(5) }.joined())
            }
        }
        row("digest", result.digest)
        if let wallSeconds {
            let rate = Double(totals[.synapticOp]) / max(wallSeconds, 1e-9) / 1e6
            row("wall time", "\(Self.fixed(wallSeconds, 3)) s on \(Self.counted(threads, "thread")) (\(Self.fixed(rate, 2)) M synaptic events/s)")
        }
        return lines.joined(separator: "\n")
    }

    /// `value` with `decimals` digits after the point; from 10^15 on in Swift's shortest
    /// round-trip form instead, so that the whole part always fits the `Int` it is printed from.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (abs(value) * scale).rounded()
        let whole = Int(rounded / scale)
        var fraction = String(Int(rounded.truncatingRemainder(dividingBy: scale)))
        fraction = String(repeating: "0", count: max(0, decimals - fraction.count)) + fraction
        return (value < 0 && rounded > 0 ? "-" : "") + (decimals > 0 ? "\(whole).\(fraction)" : "\(whole)")
    }

    /// `value` rounded to a whole number with all its digits, as the summary prints its counts
    /// (`fixed(value, 0)` switches to Swift's shortest form from 10^15 on: "1649795400000000.0",
    /// then "1.6e+16"). Only beyond UInt64, which no count reaches either, the shortest form stays.
    static func whole(_ value: Double) -> String {
        let magnitude = abs(value).rounded()
        guard magnitude < 0x1p64 else { return "\(value)" }
        return (value < 0 && magnitude > 0 ? "-" : "") + String(UInt64(magnitude))
    }

    /// "1 tile", "2 tiles": a count and its noun, in the plural unless the count is 1.
    static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// Energy units above the femtojoule: (femtojoules per unit, unit), largest first. Int64
    /// femtojoules reach 9.2 kJ, so joules are the last unit needed.
    static let energyUnits: [(Double, String)] = [(1e15, "J"), (1e12, "mJ"), (1e9, "µJ"), (1e6, "nJ"), (1e3, "pJ")]

    /// Whether `value` in units of `scale`, as `fixed` prints it with `decimals` digits, is at
    /// least 1: a unit is chosen by the printed number, so that 999,999,600 fJ is "1.000 µJ",
    /// not "1000.000 nJ".
    public static func printsAtLeastOne(_ value: Double, in scale: Double, decimals: Int) -> Bool {
        var digits = 1.0
        for _ in 0..<decimals { digits *= 10 }
        return (abs(value) / scale * digits).rounded() >= digits
    }

    /// Femtojoules in the largest unit that keeps the printed number ≥ 1.
    static func energy(_ femtojoules: Int64) -> String {
        let value = Double(femtojoules)
        for (scale, unit) in energyUnits where printsAtLeastOne(value, in: scale, decimals: 3) {
            return "\(fixed(value / scale, 3)) \(unit)"
        }
        return "\(femtojoules) fJ"
    }

    static func duration(_ seconds: Double) -> String {
        for (scale, unit) in [(1.0, "s"), (1e-3, "ms"), (1e-6, "µs")] where printsAtLeastOne(seconds, in: scale, decimals: 3) {
            return "\(fixed(seconds / scale, 3)) \(unit)"
        }
        // Below a nanosecond (chips clocked beyond 1 GHz), picoseconds: "0.0 ns" would say nothing.
        if printsAtLeastOne(seconds, in: 1e-9, decimals: 1) || seconds == 0 { return "\(fixed(seconds / 1e-9, 1)) ns" }
        return "\(fixed(seconds / 1e-12, 1)) ps"
    }

    /// Static power in milliwatts with the nanowatts it holds: "1 mW", "0.000123 mW".
    public static func milliwatts(_ nanowatts: Int64) -> String {
        "\(fixed(Double(nanowatts) / 1e6, 6).trimmingZeros) mW"
    }

    static func frequency(_ hertz: Int64) -> String {
        for (scale, unit) in [(1e9, "GHz"), (1e6, "MHz"), (1e3, "kHz")] where printsAtLeastOne(Double(hertz), in: scale, decimals: 3) {
            return "\(fixed(Double(hertz) / scale, 3).trimmingZeros) \(unit)"
        }
        return "\(hertz) Hz"
    }
}

extension String {
    /// The string right-aligned in `width` characters (unchanged when it is wider).
    public func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    /// "10.000" → "10", "2.500" → "2.5".
    var trimmingZeros: String {
        guard contains(".") else { return self }
        var text = self
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
