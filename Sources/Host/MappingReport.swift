import Chip
import Router

/// What the mapper did with a network: per core its slices and resource use against the chip's
/// limits, chip totals, the placement's traffic × hops against in-order placement, and the
/// quantization of float projections. `neuroemu map` prints it; `--json FILE` writes it.
public struct MappingReport: Sendable {
    /// The mapped simulation the report describes.
    public let simulation: Simulation

    /// The mapping of `simulation` (nothing needs to have run).
    public init(simulation: Simulation) { self.simulation = simulation }

    /// One loaded core; `rows` lists them by mesh core number.
    struct CoreRow {
        /// Engine order (`ChipEngine.cores`).
        var core: Int
        /// Mesh core number (endpoint).
        var endpoint: Int
        var tile: TileCoordinate
        var slices: [Slice]
        var usage: CoreUsage
    }

    var rows: [CoreRow] {
        let mesh = simulation.chip.mesh
        let slices = simulation.mapping.slicesByCore(coreCount: simulation.usage.count)
        return simulation.usage.enumerated().map { core, usage in
            CoreRow(
                core: core, endpoint: usage.endpoint, tile: mesh.coordinate(ofEndpoint: usage.endpoint),
                slices: slices[core], usage: usage)
        }.sorted { $0.endpoint < $1.endpoint }
    }

    /// A slice as the table prints it: `name[first…last]`.
    private func sliceText(_ slice: Slice) -> String {
        "\(simulation.network.populations[slice.population].name)[\(slice.start)…\(slice.start + slice.count - 1)]"
    }

    /// `value` in fixed notation with `digits` significant digits, or all its integer digits when
    /// it has more: 0.0009734 → "0.000973", 1234.5 → "1235".
    static func significant(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite, value != 0 else { return RunSummary.fixed(value, 0) }
        var decimals = digits - 1
        var magnitude = abs(value)
        while magnitude < 1 && decimals < 17 { magnitude *= 10; decimals += 1 }
        while magnitude >= 10 && decimals > 0 { magnitude /= 10; decimals -= 1 }
        return RunSummary.fixed(value, decimals)
    }

    static func percent(_ used: Int, _ limit: Int) -> String {
        RunSummary.fixed(100 * Double(used) / Double(max(limit, 1)), 1) + " %"
    }

    /// The table `neuroemu map` prints: a row per core, the totals, the placement and quantization.
    public func render() -> String {
        let limits = simulation.chip.coreLimits
        let network = simulation.network
        let rows = rows  // built once
        var lines = ["network \(network.name) on chip \(simulation.chip.name): \(rows.count) of \(simulation.chip.mesh.coreCount) cores on \(RunSummary.counted(simulation.engine.tilesUsed, "tile"))"]
        lines.append("core  tile      neurons        input axons    output axons   synapse bits        slices")
        for row in rows {
            let u = row.usage
            lines.append(String(row.endpoint).padding(toLength: 6, withPad: " ", startingAt: 0)
                + "\(row.tile)".padding(toLength: 10, withPad: " ", startingAt: 0)
                + "\(u.neurons) \(Self.percent(u.neurons, limits.neurons))".padding(toLength: 15, withPad: " ", startingAt: 0)
                + "\(u.inputAxons) \(Self.percent(u.inputAxons, limits.inputAxons))".padding(toLength: 15, withPad: " ", startingAt: 0)
                + "\(u.outputAxons) \(Self.percent(u.outputAxons, limits.outputAxons))".padding(toLength: 15, withPad: " ", startingAt: 0)
                + "\(u.synapseMemoryBits) \(Self.percent(u.synapseMemoryBits, limits.synapseMemoryBits))".padding(toLength: 20, withPad: " ", startingAt: 0)
                + row.slices.map(sliceText).joined(separator: " "))
        }
        let usage = simulation.usage
        lines.append("total neurons \(usage.reduce(0) { $0 + $1.neurons }), synapses \(usage.reduce(0) { $0 + $1.synapses }), input axons \(usage.reduce(0) { $0 + $1.inputAxons }), output axons \(usage.reduce(0) { $0 + $1.outputAxons }), synapse bits \(usage.reduce(0) { $0 + $1.synapseMemoryBits })")
        let cost = simulation.placementCost
        let saving = cost.inOrder > 0 ? 100 * (cost.inOrder - cost.placed) / cost.inOrder : 0
        let unit = simulation.trafficFromRates ? "over the --rates run's spikes" : "per round of spikes"
        lines.append("placement: traffic × hops \(RunSummary.whole(cost.placed)) \(unit) (in-order \(RunSummary.whole(cost.inOrder)), \(RunSummary.fixed(saving, 1)) % less\(simulation.placementCostNote))")
        if let constraints = simulation.constraintsSummary { lines.append("constraints: " + constraints) }
        for report in network.quantization {
            lines.append("quantized \(report.projection): weight_exp \(report.weightExponent), \(report.signMode.rawValue), relative RMS error \(RunSummary.fixed(100 * report.relativeRMSError, 3)) %, max error \(Self.significant(report.maximumAbsoluteError, 3)) (float weight units)")
        }
        return lines.joined(separator: "\n")
    }

    /// Each constrained population's constraints, in the network's order: `population`,
    /// `max_neurons_per_core` (integer or null) and `tiles` (`{x, y}` objects). The map and the
    /// energy report both write it.
    static func constraintsJSON(_ network: NetworkDescription) -> JSONValue {
        .array(network.populations.filter { !$0.constraints.isEmpty }.map { population in
            .fields([
                "population": .string(population.name),
                "max_neurons_per_core": population.constraints.maxNeuronsPerCore.map { .count($0) } ?? .null,
                "tiles": .array(population.constraints.tiles.map { .tile($0) }),
            ])
        })
    }

    /// The format tag of the JSON report. Version 2 writes tiles and slices as objects (as the
    /// energy report does), names both core numbers and gives all six core limits.
    public static let format = "neuroemu-map/2"

    /// The report as JSON (schema in docs/mapping.md).
    public func json() -> String {
        let limits = simulation.chip.coreLimits
        let cost = simulation.placementCost
        let network = simulation.network
        let cores: [JSONValue] = rows.map { row in
            let u = row.usage
            return .fields([
                "core": .count(row.core),
                "mesh_core": .count(row.endpoint),
                "tile": .tile(row.tile),
                "slices": .array(row.slices.map { .slice($0, of: network) }),
                "neurons": .count(u.neurons),
                "input_axons": .count(u.inputAxons),
                "output_axons": .count(u.outputAxons),
                "synapses": .count(u.synapses),
                "synapse_memory_bits": .count(u.synapseMemoryBits),
            ])
        }
        let quantization: [JSONValue] = simulation.network.quantization.map { report in
            .object([
                JSONMember(key: "projection", value: .string(report.projection)),
                JSONMember(key: "weight_exp", value: .integer(Int64(report.weightExponent))),
                JSONMember(key: "sign_mode", value: .string(report.signMode.rawValue)),
                JSONMember(key: "relative_rms_error", value: .number(report.relativeRMSError)),
                JSONMember(key: "maximum_absolute_error", value: .number(report.maximumAbsoluteError)),
            ])
        }
        return JSONWriter.text(.object([
            JSONMember(key: "format", value: .string(Self.format)),
            JSONMember(key: "network", value: .string(simulation.network.name)),
            JSONMember(key: "chip", value: .string(simulation.chip.name)),
            JSONMember(key: "limits", value: .object([
                JSONMember(key: "neurons", value: .integer(Int64(limits.neurons))),
                JSONMember(key: "input_axons", value: .integer(Int64(limits.inputAxons))),
                JSONMember(key: "output_axons", value: .integer(Int64(limits.outputAxons))),
                JSONMember(key: "synapse_memory_bits", value: .integer(Int64(limits.synapseMemoryBits))),
                JSONMember(key: "weight_bits", value: .integer(Int64(limits.weightBits))),
                JSONMember(key: "delay_slots", value: .integer(Int64(limits.delaySlots))),
            ])),
            JSONMember(key: "cores", value: .array(cores)),
            JSONMember(key: "packing", value: .string(simulation.packingName)),
            JSONMember(key: "max_neurons_per_core", value: simulation.maxNeuronsPerCore.map { .integer(Int64($0)) } ?? .null),
            JSONMember(key: "constraints", value: Self.constraintsJSON(simulation.network)),
            JSONMember(key: "placement", value: .object([
                JSONMember(key: "method", value: .string(simulation.placementName)),
                JSONMember(key: "traffic_hops", value: .number(cost.placed)),
                JSONMember(key: "traffic_hops_in_order", value: .number(cost.inOrder)),
                JSONMember(key: "traffic", value: .string(simulation.trafficFromRates ? "rates" : "round")),
            ])),
            JSONMember(key: "quantization", value: .array(quantization)),
        ])) + "\n"
    }

    /// Writes `json()` to `path` atomically.
    public func write(to path: String) throws(OutputError) {
        try AtomicFile.write(json(), to: path)
    }
}

extension JSONValue {
    /// A tile as `{x, y}`, as the map and energy reports write it.
    static func tile(_ tile: TileCoordinate) -> JSONValue { .fields(["x": .count(tile.x), "y": .count(tile.y)]) }

    /// A core's slice as `{population, first, count}`, as the map and energy reports write it.
    static func slice(_ slice: Slice, of network: NetworkDescription) -> JSONValue {
        .fields(["population": .string(network.populations[slice.population].name), "first": .count(slice.start), "count": .count(slice.count)])
    }
}
