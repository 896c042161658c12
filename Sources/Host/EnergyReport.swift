import Chip
import Router

/// Where a run's energy went: totals, every event class with its count and price, every core,
/// the host port, every link that carried traffic, the barriers and static power, every step —
/// plus NeuroBench-style counts. Written as `--report FILE.json` (schema in docs/report.md).
///
/// Every femtojoule of the run is attributed exactly once: core events to the core that did
/// them, host-sent packets to the host port, flit-hops to the link they crossed, barriers and
/// static power to the whole chip. `attributedEnergyFemtojoules` adds them up again; it equals
/// the run's energy exactly.
public struct EnergyReport: Sendable {
    /// The format tag of the report file.
    public static let format = "neuroemu-report/1"

    /// One event class: how often it happened and what that cost.
    public struct EventRow: Sendable, Equatable {
        /// The event class.
        public var event: EventClass
        /// Times it happened in the run.
        public var count: UInt64
        /// Energy of one event, in femtojoules.
        public var priceFemtojoules: Int64
        /// count × price, in femtojoules.
        public var energyFemtojoules: Int64
    }

    /// One loaded core: where it sits, what it holds, what it did and what that cost.
    public struct CoreRow: Sendable, Equatable {
        /// Engine order (`ChipEngine.cores`).
        public var core: Int
        /// Mesh core number (endpoint).
        public var meshCore: Int
        /// Tile the core sits on.
        public var tile: TileCoordinate
        /// Neurons placed on the core.
        public var neurons: Int
        /// Slices placed on the core: (population, first neuron, count).
        public var slices: [Slice]
        /// Events of the core since the simulation was made.
        public var counts: EventCounts
        /// Dynamic energy of those events, in femtojoules.
        public var energyFemtojoules: Int64
    }

    /// One population's share of the cores: exact where its cores hold it alone (always, with
    /// `--packing population`); a core it shares with other populations is counted in
    /// `sharedCores`, its energy in none of theirs.
    public struct PopulationRow: Sendable, Equatable {
        /// Index into the network's populations.
        public var population: Int
        /// Neuron spikes of the population over the run.
        public var spikes: Int
        /// Cores holding any of its neurons.
        public var cores: Int
        /// Of those, the cores that also hold another population.
        public var sharedCores: Int
        /// Dynamic energy of the cores that hold it alone, in femtojoules: all of its cores'
        /// energy when `sharedCores` is 0. Links, host packets, barriers and static power are
        /// the chip's, not a population's.
        public var energyFemtojoules: Int64
    }

    /// One directed link between neighbouring routers that carried at least one flit.
    public struct LinkRow: Sendable, Equatable {
        /// Tile the link leaves.
        public var from: TileCoordinate
        /// Direction the link leaves it in.
        public var direction: LinkDirection
        /// True when the link joins two chips of a board: its flits are inter-chip hops, priced
        /// at `board.link`, not at the on-chip price of its direction.
        public var interChip: Bool
        /// Flits carried.
        public var flits: UInt64
        /// Cycles the link was busy carrying a flit.
        public var busyCycles: UInt64
        /// Cycles flits waited at the link for buffer space or arbitration (0 with the ideal
        /// router).
        public var stallCycles: UInt64
        /// Largest number of flits queued for the link (0 with the ideal router: no queues).
        public var maximumQueueDepth: UInt32
        /// Energy of the link's flit-hops, in femtojoules.
        public var energyFemtojoules: Int64

        /// The neighbouring tile the link leads to.
        public var to: TileCoordinate {
            switch direction {
            case .east: TileCoordinate(x: from.x + 1, y: from.y)
            case .west: TileCoordinate(x: from.x - 1, y: from.y)
            case .north: TileCoordinate(x: from.x, y: from.y + 1)
            case .south: TileCoordinate(x: from.x, y: from.y - 1)
            }
        }
    }

    /// The simulation that ran.
    public let simulation: Simulation
    /// The run's totals.
    public let result: RunResult
    /// The run's per-step records.
    public let recording: RunRecording
    /// Level of the trace whose digest the report quotes.
    public let traceLevel: TraceLevel

    /// One row per event class, every class listed, with the run's counts.
    public let events: [EventRow]
    /// One row per loaded core, in engine order.
    public let cores: [CoreRow]
    /// Packets the host port sent, and their energy.
    public let hostPackets: UInt64
    /// Energy of the packets the host port sent, in femtojoules.
    public let hostEnergyFemtojoules: Int64
    /// Links that carried traffic, by tile then direction (E, W, N, S).
    public let links: [LinkRow]
    /// Energy of the run's barriers, in femtojoules.
    public let barrierEnergyFemtojoules: Int64

    /// The report of `result`, the simulation's run. The per-core and host rows and the links
    /// are the engine's counts since the simulation was made (a link's deepest queue cannot be
    /// split by run): for a simulation's first run, the run's; after a second, every run's so
    /// far, while the event table is that run's.
    public init(simulation: Simulation, result: RunResult, recording: RunRecording, traceLevel: TraceLevel) {
        self.simulation = simulation
        self.result = result
        self.recording = recording
        self.traceLevel = traceLevel
        let chip = simulation.chip
        let engine = simulation.engine
        let prices = chip.costs
        events = EventClass.allCases.map { event in
            let count = result.totals[event]
            let price = prices[event].energyFemtojoules
            return EventRow(event: event, count: count, priceFemtojoules: price, energyFemtojoules: Int64(count) * price)
        }
        let mesh = chip.mesh
        let slices = simulation.mapping.slicesByCore(coreCount: engine.coreTotals.count)
        cores = engine.coreTotals.enumerated().map { index, counts in
            let endpoint = Int(engine.coreEndpoints[index])
            return CoreRow(
                core: index, meshCore: endpoint, tile: mesh.coordinate(ofEndpoint: endpoint),
                neurons: simulation.mapping.coreNeuronCounts[index],
                slices: slices[index],
                counts: counts, energyFemtojoules: counts.dynamicEnergyFemtojoules(prices))
        }
        hostPackets = engine.hostTotals[.packet]
        hostEnergyFemtojoules = engine.hostTotals.dynamicEnergyFemtojoules(prices)
        let counters = engine.networkCounters
        var links: [LinkRow] = []
        for tile in 0..<mesh.tileCount {
            for direction in LinkDirection.allCases {
                let link = mesh.linkIndex(tile: tile, direction: direction)
                let flits = counters.linkFlits[link]
                guard flits > 0 else { continue }
                let interChip = mesh.isInterChip(tile: tile, direction: direction)
                let hop: EventClass = interChip ? .interChipFlitHop : direction.isEastWest ? .eastWestFlitHop : .northSouthFlitHop
                let price = prices[hop].energyFemtojoules
                links.append(LinkRow(
                    from: mesh.coordinate(ofTile: tile), direction: direction, interChip: interChip, flits: flits,
                    busyCycles: counters.linkBusyCycles[link], stallCycles: counters.linkStallCycles[link],
                    maximumQueueDepth: counters.linkMaxQueueDepth[link], energyFemtojoules: Int64(flits) * price))
            }
        }
        self.links = links
        barrierEnergyFemtojoules = Int64(result.totals[.barrier]) * prices[.barrier].energyFemtojoules
    }

    // MARK: Derived numbers

    /// Σ count × price over every event class.
    public var dynamicEnergyFemtojoules: Int64 { events.reduce(0) { $0 + $1.energyFemtojoules } }

    /// Static power × each step's cycles, floored per step and summed.
    public var staticEnergyFemtojoules: Int64 { result.staticEnergyFemtojoules }

    /// Cores + host port + links + barriers + static: the run's energy, attributed piece by piece.
    public var attributedEnergyFemtojoules: Int64 {
        cores.reduce(0) { $0 + $1.energyFemtojoules } + hostEnergyFemtojoules
            + links.reduce(0) { $0 + $1.energyFemtojoules } + barrierEnergyFemtojoules + staticEnergyFemtojoules
    }

    /// Energy per chip-neuron spike in picojoules (nil without spikes).
    public var energyPerSpikePicojoules: Double? {
        RunSummary(simulation: simulation, result: result, threads: 1).energyPerSpikePicojoules
    }

    /// Energy per synaptic operation in picojoules (nil without synaptic ops).
    public var energyPerSynapticOpPicojoules: Double? {
        RunSummary(simulation: simulation, result: result, threads: 1).energyPerSynapticOpPicojoules
    }

    /// Synaptic operations actually performed (NeuroBench's effective synaptic operations).
    public var effectiveSynapticOps: UInt64 { result.totals[.synapticOp] }

    /// Synaptic operations a dense implementation would perform: every synapse of every
    /// projection evaluated at every step, whether its source spiked or not.
    public var denseSynapticOps: UInt64 { UInt64(simulation.network.synapseCount) * UInt64(result.steps) }

    /// 1 − spikes / (neurons × steps) of each population, in file order.
    public var activationSparsity: [Double] {
        simulation.network.populations.enumerated().map { index, population in
            Self.sparsity(spikes: result.populationSpikes[index], neurons: population.size, steps: result.steps)
        }
    }

    /// 1 − spikes / (neurons × steps) over all populations together.
    public var networkActivationSparsity: Double {
        Self.sparsity(spikes: result.neuronSpikes, neurons: simulation.network.neuronCount, steps: result.steps)
    }

    static func sparsity(spikes: Int, neurons: Int, steps: Int) -> Double {
        let slots = Double(neurons) * Double(steps)
        return slots > 0 ? 1 - Double(spikes) / slots : 1
    }

    // MARK: JSON

    /// The report as a JSON value (see docs/report.md).
    public var json: JSONValue {
        guard case .object(var members) = baseJSON, !result.phases.isEmpty else { return baseJSON }
        // Runs with a schedule add their phases (train, test, sleep) and test accuracies.
        members.append(JSONMember(key: "phases", value: .array(result.phases.map { phase in
            .fields([
                "kind": .string(phase.kind.rawValue), "steps": .count(phase.steps), "samples": .count(phase.samples),
                "cycles": .integer(Int64(phase.cycles)), "energy_fj": .integer(phase.energyFemtojoules),
                "energy_per_sample_fj": phase.energyPerSampleFemtojoules.map { .integer($0) } ?? .null,
                "synops": .count(phase.counts[.synapticOp]), "stdp_updates": .count(phase.counts[.stdpUpdate]),
                "spikes": .count(phase.counts[.spikeOut]),
            ])
        })))
        members.append(JSONMember(key: "classification", value: .array(result.classifications.map { classification in
            .fields([
                "segment": .count(classification.segment), "samples": .count(classification.labels.count),
                "correct": .count(classification.correct), "accuracy": .optionalNumber(classification.accuracy),
                "confusion": .array(classification.confusion.map { .array($0.map { .count($0) }) }),
                "predictions": .array(classification.predictions.map { .integer(Int64($0)) }),
            ])
        })))
        return .object(members)
    }

    private var baseJSON: JSONValue {
        .fields([
            "format": .string(Self.format),
            "network": networkJSON,
            "chip": chipJSON,
            "trace": .fields(["level": .string(traceLevel.rawValue), "digest": .string(result.digest)]),
            "mapping": .fields([
                "placement": .string(simulation.placementName), "packing": .string(simulation.packingName),
                "max_neurons_per_core": simulation.maxNeuronsPerCore.map { .count($0) } ?? .null,
                "constraints": MappingReport.constraintsJSON(simulation.network),
            ]),
            "totals": totalsJSON,
            "neurobench": neurobenchJSON,
            "events": .array(events.map { row in
                .fields(["event": .string(row.event.key), "count": .count(row.count), "price_fj": .integer(row.priceFemtojoules), "energy_fj": .integer(row.energyFemtojoules)])
            }),
            "cores": .array(cores.map(coreJSON)),
            "populations": .array(populations.map { row in
                .fields([
                    "name": .string(simulation.network.populations[row.population].name), "neurons": .count(simulation.network.populations[row.population].size),
                    "spikes": .count(row.spikes),
                    "cores": .count(row.cores), "shared_cores": .count(row.sharedCores), "energy_fj": .integer(row.energyFemtojoules),
                ])
            }),
            "host": hostJSON,
            "links": .array(links.map(linkJSON)),
            "barriers": .fields(["count": .count(result.totals[.barrier]), "energy_fj": .integer(barrierEnergyFemtojoules)]),
            "steps": stepsJSON ?? .array(recording.steps.indices.map(stepJSON)),
        ])
    }

    /// Step `index`'s row (step index + 1).
    private func stepJSON(_ index: Int) -> JSONValue {
        let step = recording.steps[index]
        return .fields([
            "step": .count(index + 1), "cycles": .integer(Int64(step.cycles)), "spikes": .count(step.spikes),
            "input_spikes": .count(step.inputSpikes), "packets": .count(step.packets), "synops": .count(step.synapticOps),
            "energy_fj": .integer(step.energyFemtojoules),
        ])
    }

    /// What `baseJSON` holds for the steps instead of their rows (nil: the rows).
    private var stepsJSON: JSONValue? = nil

    /// One row per population, in the network's order (see `PopulationRow`).
    public var populations: [PopulationRow] {
        var rows = simulation.network.populations.indices.map { population in
            PopulationRow(population: population, spikes: result.populationSpikes[population], cores: 0, sharedCores: 0, energyFemtojoules: 0)
        }
        for core in cores {
            let held = Set(core.slices.map(\.population))
            for population in held {
                rows[population].cores += 1
                if held.count == 1 { rows[population].energyFemtojoules += core.energyFemtojoules } else { rows[population].sharedCores += 1 }
            }
        }
        return rows
    }

    /// The report as JSON text.
    public var text: String { JSONWriter.text(json) }

    /// Writes the report to `path` atomically, the same bytes as `text`. The step rows are
    /// written one at a time rather than built as one value first: as a tree they took about
    /// 630 bytes a step (1.9 GB for three million steps).
    public func write(to path: String) throws(OutputError) {
        // Five rows or more never fit one line (a row is at least 95 characters), so the array
        // is laid out a row per line, as `JSONWriter` lays out any array that does not fit.
        let steps = recording.steps.count
        guard steps >= 5 else { return try AtomicFile.write(text, to: path) }
        var placeholder = self
        placeholder.stepsJSON = .string(Self.stepsPlaceholder)
        let whole = placeholder.text
        // Found from the end: free text earlier in the report (a chip's provenance) may hold the
        // same characters, while only the phases' and classification's numbers and names follow.
        let marker = JSONWriter.compact(.string(Self.stepsPlaceholder))
        guard let range = whole.range(of: marker, options: .backwards) else { preconditionFailure("the steps placeholder is written") }
        let file = try AtomicFile(path: path)
        var bytes = Array(whole[..<range.lowerBound].utf8) + Array("[\n".utf8)
        for index in 0..<steps {
            bytes += Array(("    " + JSONWriter.compact(stepJSON(index)) + (index + 1 < steps ? ",\n" : "\n")).utf8)
            if bytes.count >= 1 << 20 {
                try file.write(bytes)
                bytes.removeAll(keepingCapacity: true)
            }
        }
        bytes += Array("  ]".utf8) + Array(whole[range.upperBound...].utf8)
        try file.write(bytes)
        try file.commit()
    }

    /// Stands for the steps array while the rest of a report is laid out.
    private static let stepsPlaceholder = "\u{1}steps"

    private var networkJSON: JSONValue {
        let network = simulation.network
        func groupName(_ projection: ProjectionDescription) -> String {
            projection.sourceIsInput ? network.inputs[projection.source].name : network.populations[projection.source].name
        }
        return .fields([
            "name": .string(network.name),
            "seed": .integer(Int64(clamping: network.seed)),
            "steps": .count(result.steps),
            "neurons": .count(network.neuronCount),
            "input_neurons": .count(network.inputNeuronCount),
            "synapses": .count(network.synapseCount),
            "inputs": .array(network.inputs.enumerated().map { index, input in
                .fields(["name": .string(input.name), "size": .count(input.size), "spikes": .count(result.inputSpikes[index])])
            }),
            "populations": .array(network.populations.enumerated().map { index, population in
                .fields(["name": .string(population.name), "size": .count(population.size), "model": .string(population.model), "spikes": .count(result.populationSpikes[index])])
            }),
            "projections": .array(network.projections.map { projection in
                .fields([
                    "name": .string(projection.name), "source": .string(groupName(projection)),
                    "target": .string(network.populations[projection.target].name), "synapses": .count(projection.synapses.count),
                ])
            }),
        ])
    }

    private var chipJSON: JSONValue {
        let chip = simulation.chip
        let limits = chip.coreLimits
        let mesh = chip.mesh
        return .fields([
            "name": .string(chip.name),
            "clock_hz": .integer(chip.clockHertz),
            "mesh": .fields([
                "width": .count(mesh.width), "height": .count(mesh.height), "cores_per_tile": .count(mesh.coresPerTile),
                "cores": .count(mesh.coreCount), "host_port": .tile(mesh.hostTile),
            ]),
            "core": .fields([
                "neurons": .count(limits.neurons), "input_axons": .count(limits.inputAxons), "output_axons": .count(limits.outputAxons),
                "synapse_memory_bits": .count(limits.synapseMemoryBits), "weight_bits": .count(limits.weightBits), "delay_slots": .count(limits.delaySlots),
            ]),
            "router": .fields([
                "fidelity": .string(chip.routerFidelity.rawValue), "routing": .string(chip.routing.rawValue), "flits_per_packet": .count(chip.flitsPerPacket),
            ]),
            "prices": .object(EventClass.allCases.map { event in
                JSONMember(key: event.key, value: .fields([
                    "cycles": .integer(Int64(chip.costs[event].cycles)), "energy_fj": .integer(chip.costs[event].energyFemtojoules),
                ]))
            }),
            "barrier": .fields([
                "one_tile_cycles": .integer(Int64(chip.barrier.oneTileCycles)), "reference_tiles": .count(chip.barrier.referenceTiles),
                "reference_cycles": .integer(Int64(chip.barrier.referenceCycles)),
                "cycles_this_run": .integer(Int64(chip.barrier.cycles(tiles: max(1, simulation.engine.tilesUsed)))),
            ]),
            "static_power_nw": .integer(chip.staticPowerNanowatts),
            "provenance": .object(ChipFile.numberPaths.compactMap { path in
                chip.provenance[path].map { JSONMember(key: path, value: .string($0)) }
            }),
        ])
    }

    private var totalsJSON: JSONValue {
        let totals = result.totals
        let chip = simulation.chip
        let seconds = chip.seconds(cycles: result.totalCycles)
        return .fields([
            "energy_fj": .integer(result.energyFemtojoules),
            "dynamic_energy_fj": .integer(dynamicEnergyFemtojoules),
            "static_energy_fj": .integer(staticEnergyFemtojoules),
            "energy_per_spike_pj": .optionalNumber(energyPerSpikePicojoules),
            "energy_per_synop_pj": .optionalNumber(energyPerSynapticOpPicojoules),
            "spikes": .count(result.neuronSpikes),
            "input_spikes": .count(result.inputSpikeCount),
            "synops": .count(totals[.synapticOp]),
            "neuron_updates_active": .count(totals[.neuronUpdateActive]),
            "neuron_updates_inactive": .count(totals[.neuronUpdateInactive]),
            "packets": .count(totals[.packet]),
            "flit_hops_east_west": .count(totals[.eastWestFlitHop]),
            "flit_hops_north_south": .count(totals[.northSouthFlitHop]),
            "flit_hops_inter_chip": .count(totals[.interChipFlitHop]),
            "stdp_updates": .count(totals[.stdpUpdate]),
            "barriers": .count(totals[.barrier]),
            "cycles": .count(result.totalCycles),
            "max_step_cycles": .integer(Int64(result.maximumStepCycles)),
            "seconds": .number(seconds),
            "seconds_per_step": .number(seconds / Double(max(1, result.steps))),
            "cores_used": .count(cores.count),
            "tiles_used": .count(simulation.engine.tilesUsed),
        ])
    }

    private var neurobenchJSON: JSONValue {
        let sparsity = activationSparsity
        return .fields([
            "effective_synaptic_operations": .count(effectiveSynapticOps),
            "dense_synaptic_operations": .count(denseSynapticOps),
            "activation_sparsity": .number(networkActivationSparsity),
            "populations": .array(simulation.network.populations.enumerated().map { index, population in
                .fields([
                    "name": .string(population.name), "neurons": .count(population.size),
                    "spikes": .count(result.populationSpikes[index]), "activation_sparsity": .number(sparsity[index]),
                ])
            }),
        ])
    }

    private func coreJSON(_ row: CoreRow) -> JSONValue {
        let network = simulation.network
        var members = [
            JSONMember(key: "core", value: .count(row.core)),
            JSONMember(key: "mesh_core", value: .count(row.meshCore)),
            JSONMember(key: "tile", value: .tile(row.tile)),
            JSONMember(key: "neurons", value: .count(row.neurons)),
            JSONMember(key: "slices", value: .array(row.slices.map { .slice($0, of: network) })),
        ]
        members += Self.coreEvents.map { JSONMember(key: $0.key, value: .count(row.counts[$0])) }
        members.append(JSONMember(key: "energy_fj", value: .integer(row.energyFemtojoules)))
        return .object(members)
    }

    /// The event classes a core is charged for (the others belong to links, the host or the chip).
    public static let coreEvents: [EventClass] = [.synapticOp, .neuronUpdateActive, .neuronUpdateInactive, .spikeOut, .packet, .stdpUpdate]

    private var hostJSON: JSONValue {
        let tile = simulation.chip.mesh.hostTile
        return .fields([
            "endpoint": .count(simulation.chip.mesh.hostEndpoint),
            "tile": .tile(tile),
            "packets": .count(hostPackets),
            "energy_fj": .integer(hostEnergyFemtojoules),
        ])
    }

    private func linkJSON(_ row: LinkRow) -> JSONValue {
        .fields([
            "from": .tile(row.from),
            "to": .tile(row.to),
            "direction": .string(row.direction.letter),
            "inter_chip": .bool(row.interChip),
            "flits": .count(row.flits),
            "busy_cycles": .count(row.busyCycles),
            "stall_cycles": .count(row.stallCycles),
            "max_queue_depth": .integer(Int64(row.maximumQueueDepth)),
            "energy_fj": .integer(row.energyFemtojoules),
        ])
    }
}
