import Chip
import Router

/// One network run on several chips, side by side (`neuroemu compare-chips`): energy per spike,
/// per synaptic op, time per step and cores used. Network timing changes time and energy, never
/// which spikes happen, so the rows differ only in cost — except for networks that learn: STDP's
/// stochastic rounding draws per core, so a plastic network cut into cores differently can learn,
/// and then spike, differently (`render` says when spikes differ).
public struct ChipComparison: Sendable {
    /// What one chip made of the network.
    public enum Outcome: Sendable, Equatable {
        case ran(Measurement)
        /// The network does not map onto this chip; the reason names the rule and the limit.
        case doesNotFit(reason: String)
        /// The run stopped (its energy outgrew what a run counts); the reason says where.
        case stopped(reason: String)
        /// The flit router (`--router flit`, or the chip file's own fidelity) cannot run the chip:
        /// a board, a chip that multicasts, or a mesh whose routers' records would not fit in
        /// memory. The network may well fit, so the row must not say it does not.
        case cannotRunWithFlitRouter(reason: String)
    }

    /// The numbers of one successful run.
    public struct Measurement: Sendable, Equatable {
        /// Cores the network was mapped onto.
        public var coresUsed: Int
        /// Cores of the chip's mesh.
        public var cores: Int
        /// Tiles hosting at least one loaded core.
        public var tilesUsed: Int
        /// Spikes of chip neurons over the run.
        public var spikes: Int
        /// Synaptic ops over the run.
        public var synapticOps: UInt64
        /// Energy of the run (dynamic + static), in femtojoules.
        public var energyFemtojoules: Int64
        /// Energy of the run divided by its spikes, in picojoules (nil without spikes).
        public var energyPerSpikePicojoules: Double?
        /// Energy of the run divided by its synaptic ops, in picojoules (nil without synaptic ops).
        public var energyPerSynapticOpPicojoules: Double?
        /// Mean step length in seconds at the chip clock.
        public var secondsPerStep: Double
        /// Mean step length in chip cycles.
        public var meanCyclesPerStep: Double
        /// Digest of the run's steps-level trace.
        public var digest: String
    }

    /// One chip's line of the comparison.
    public struct Row: Sendable, Equatable {
        /// The chip's name (followed by its preset or file as given when two chips share a name).
        public var chip: String
        /// What the chip made of the network.
        public var outcome: Outcome
    }

    /// The network that was run.
    public let network: NetworkDescription
    /// Timesteps run on each chip.
    public let steps: Int
    /// Where cores went on each mesh, as given.
    public let placement: Simulation.Placement
    /// How populations shared cores, as given.
    public let packing: Partitioner.Packing
    /// The neuron cap on every population (`--max-neurons-per-core`), nil without one.
    public let maxNeuronsPerCore: Int?
    /// One row per chip, in the order given.
    public let rows: [Row]

    /// Runs `network` for `steps` steps on each chip in turn.
    ///
    /// - Parameters:
    ///   - chips: preset names or chip-file paths; one that cannot be read throws.
    ///   - placement: where cores go on each mesh (the placer's, by default).
    ///   - packing: whether populations share cores (they do by default).
    ///   - maxNeuronsPerCore: `Simulation`'s cap on every population's neurons per core.
    ///   - router: the network model for every chip, instead of each chip file's.
    ///   - nir: a NIR file's conversion (`NetworkSource.Loaded.nir`), so that each digest is the
    ///     one `run` prints.
    ///   - progress: called after each step with (chip name, step, steps).
    public init(
        network: NetworkDescription, chips: [String], steps: Int, threads: Int = 1, placement: Simulation.Placement = .optimized,
        packing: Partitioner.Packing = .packed, maxNeuronsPerCore: Int? = nil, router: RouterFidelity? = nil, nir: NIRTraceFields? = nil, progress: ((_ chip: String, _ step: Int, _ steps: Int) -> Void)? = nil
    ) throws(ConfigError) {
        self.network = network
        self.steps = steps
        self.placement = placement
        self.packing = packing
        self.maxNeuronsPerCore = maxNeuronsPerCore
        var resolved: [ChipDescription] = []
        for name in chips { resolved.append(try ChipPresets.resolve(name)) }
        var rows: [Row] = []
        for (given, chip) in zip(chips, resolved) {
            var chip = chip
            if let router { chip.routerFidelity = router }
            // Two chip files may carry one name: their rows then say which file each is.
            let label = resolved.filter { $0.name == chip.name }.count > 1 ? "\(chip.name) (\(given))" : chip.name
            let report = progress.map { report in { (step: Int, steps: Int) in report(label, step, steps) } }
            rows.append(Row(chip: label, outcome: Self.measure(network, on: chip, steps: steps, threads: threads, placement: placement, packing: packing, maxNeuronsPerCore: maxNeuronsPerCore, nir: nir, progress: report)))
        }
        self.rows = rows
    }

    static func measure(
        _ network: NetworkDescription, on chip: ChipDescription, steps: Int, threads: Int, placement: Simulation.Placement = .optimized,
        packing: Partitioner.Packing = .packed, maxNeuronsPerCore: Int? = nil, nir: NIRTraceFields? = nil, progress: ((Int, Int) -> Void)? = nil
    ) -> Outcome {
        do {
            var simulation = try Simulation(network: network, chip: chip, placement: placement, packing: packing, maxNeuronsPerCore: maxNeuronsPerCore)
            var trace = try TraceWriter(level: .steps, path: nil)
            trace.nir = nir
            let result = try simulation.run(steps: steps, threads: threads, trace: &trace, progress: progress)
            let summary = RunSummary(simulation: simulation, result: result, threads: threads)
            let seconds = chip.seconds(cycles: result.totalCycles)
            return .ran(Measurement(
                coresUsed: simulation.mapping.coreEndpoints.count, cores: chip.mesh.coreCount, tilesUsed: simulation.engine.tilesUsed,
                spikes: result.neuronSpikes, synapticOps: result.totals[.synapticOp], energyFemtojoules: result.energyFemtojoules,
                energyPerSpikePicojoules: summary.energyPerSpikePicojoules, energyPerSynapticOpPicojoules: summary.energyPerSynapticOpPicojoules,
                secondsPerStep: seconds / Double(max(1, steps)), meanCyclesPerStep: Double(result.totalCycles) / Double(max(1, steps)),
                digest: result.digest))
        } catch let error as MappingError {
            switch error {
            case .flitRouterOnBoard, .flitRouterWithMulticast, .flitRouterCannotTime: return .cannotRunWithFlitRouter(reason: error.description)
            default: return .doesNotFit(reason: error.description)
            }
        } catch {
            // A trace without a file cannot fail to write, but the energy can outgrow its count;
            // keep the row rather than abort the table.
            return .stopped(reason: "\(error)")
        }
    }

    /// The table: a header naming the network, one row per chip, and a closing line.
    public func render() -> String {
        var lines = ["network \(network.name): \(network.neuronCount) neurons, \(network.inputNeuronCount) input neurons, \(network.synapseCount) synapses; \(steps) steps, seed \(network.seed)", ""]
        let header = ["chip", "cores used", "energy/spike", "energy/synop", "time/step", "energy"]
        var table: [[String]] = []
        for row in rows {
            switch row.outcome {
            case .ran(let m):
                table.append([
                    row.chip, "\(m.coresUsed) of \(m.cores)",
                    m.energyPerSpikePicojoules.map { RunSummary.fixed($0, 3) + " pJ" } ?? "n/a",
                    m.energyPerSynapticOpPicojoules.map { RunSummary.fixed($0, 3) + " pJ" } ?? "n/a",
                    RunSummary.duration(m.secondsPerStep), RunSummary.energy(m.energyFemtojoules),
                ])
            case .doesNotFit(let reason):
                table.append([row.chip, "does not fit: \(reason)"])
            case .stopped(let reason):
                table.append([row.chip, "stopped: \(reason)"])
            case .cannotRunWithFlitRouter(let reason):
                table.append([row.chip, "cannot run with the flit router: \(reason)"])
            }
        }
        let widths = header.indices.map { column in
            // The chip column takes every row's name, a row that did not run included.
            ([header] + table.filter { $0.count == header.count || column == 0 }).map { $0[column].count }.max() ?? 0
        }
        func format(_ cells: [String]) -> String {
            guard cells.count == header.count else { return cells[0].padding(toLength: widths[0], withPad: " ", startingAt: 0) + "  " + cells[1] }
            return cells.enumerated().map { column, cell in
                column == 0 || column == 1 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0) : cell.leftPadded(widths[column])
            }.joined(separator: "  ").trimmingTrailingSpaces
        }
        lines.append(format(header))
        lines += table.map(format)
        let measured = rows.compactMap { row -> Measurement? in if case .ran(let m) = row.outcome { m } else { nil } }
        if let first = measured.first {
            lines.append("")
            if measured.allSatisfy({ $0.spikes == first.spikes && $0.synapticOps == first.synapticOps }) {
                let every = measured.count == rows.count ? "every chip ran" : "every chip that ran had"
                lines.append("\(every) the same \(first.spikes) spikes and \(first.synapticOps) synaptic ops; only time and energy differ")
            } else {
                lines.append("spikes differ between chips: " + zip(rows, rows.map(\.outcome)).compactMap { row, outcome in
                    if case .ran(let m) = outcome { "\(row.chip) \(m.spikes)" } else { nil }
                }.joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension ChipComparison {
    /// The `format` of the JSON comparison.
    public static let format = "neuroemu-compare/1"

    /// The comparison as JSON (`compare-chips --json`, described in README): one row per chip with
    /// its outcome and, for a chip that ran, the numbers the table shows, unrounded.
    public var json: JSONValue {
        .fields([
            "format": .string(Self.format),
            "network": .fields([
                "name": .string(network.name), "neurons": .count(network.neuronCount), "input_neurons": .count(network.inputNeuronCount),
                "synapses": .count(network.synapseCount), "seed": .integer(Int64(bitPattern: network.seed)),
            ]),
            "steps": .count(steps),
            "placement": .string(placement.name),
            "packing": .string(packing.name),
            "max_neurons_per_core": maxNeuronsPerCore.map { .count($0) } ?? .null,
            "rows": .array(rows.map { row in
                switch row.outcome {
                case .ran(let m):
                    .fields([
                        "chip": .string(row.chip), "outcome": .string("ran"), "cores_used": .count(m.coresUsed), "cores": .count(m.cores),
                        "tiles_used": .count(m.tilesUsed), "spikes": .count(m.spikes), "synops": .count(m.synapticOps), "energy_fj": .integer(m.energyFemtojoules),
                        "energy_per_spike_pj": .optionalNumber(m.energyPerSpikePicojoules), "energy_per_synop_pj": .optionalNumber(m.energyPerSynapticOpPicojoules),
                        "seconds_per_step": .number(m.secondsPerStep), "mean_cycles_per_step": .number(m.meanCyclesPerStep), "digest": .string(m.digest),
                    ])
                case .doesNotFit(let reason): Self.notRun(row.chip, "does_not_fit", reason)
                case .stopped(let reason): Self.notRun(row.chip, "stopped", reason)
                case .cannotRunWithFlitRouter(let reason): Self.notRun(row.chip, "cannot_run_with_flit_router", reason)
                }
            }),
        ])
    }

    private static func notRun(_ chip: String, _ outcome: String, _ reason: String) -> JSONValue {
        .fields(["chip": .string(chip), "outcome": .string(outcome), "reason": .string(reason)])
    }

    /// Writes `json` to `path` atomically.
    public func write(to path: String) throws(OutputError) {
        try AtomicFile.write(JSONWriter.text(json), to: path)
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
