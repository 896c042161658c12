import Router

/// Why a network cannot be loaded onto a chip: the rule, the object and the limit.
///
/// Quantities are printed with thousands separators ("5,120 input axons"); indices of neurons
/// and cores are printed plainly.
public enum MappingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A single neuron needs more of a core resource than a whole core has; `projections` are
    /// the projections that bring its synapses (input axons, synapse memory) or carry its spikes
    /// (output axons).
    case neuronDoesNotFit(population: String, neuron: Int, resource: String, needed: Int, limit: Int, projections: [String] = [])
    /// The network needs more cores than the chip has.
    /// `closings` says which rules closed the cores, when the partitioner filled them.
    case outOfCores(population: String, neuron: Int, chip: String, cores: Int, closings: CoreClosings? = nil, needed: Int? = nil)
    /// A loaded core exceeds one of its limits; `projections` are the projections that use the
    /// resource on that core.
    case coreLimitExceeded(core: Int, contents: String, resource: String, needed: Int, limit: Int, projections: [String] = [])
    /// A projection's delay does not fit the chip's delay slots.
    case delayTooLong(projection: String, delay: Int, maximum: Int, chip: String)
    /// A projection asks for more weight precision than the chip stores.
    /// `quantized`: the projection's weights are floats, which the quantizer always makes 8-bit.
    case weightPrecision(projection: String, bits: Int, maximum: Int, chip: String, quantized: Bool = false)
    /// The flit-level router was asked for on a board of several chips.
    case flitRouterOnBoard(chip: String, chips: Int)
    /// The flit-level router was asked for on a chip that multicasts.
    case flitRouterWithMulticast(chip: String)
    /// The flit-level router cannot time the chip's mesh (`FlitNetwork.validationError`: its
    /// buffers' records would take too much memory).
    case flitRouterCannotTime(chip: String, reason: String)
    /// A population's `tiles` constraint names a tile the chip's mesh lacks, or one twice:
    /// population number `populationIndex`, its tile number `tileIndex`, the rule it breaks
    /// (`MappingConstraints.tileProblem(on:)`).
    case tilesNotOnMesh(population: String, populationIndex: Int, tileIndex: Int, problem: String)
    /// A population pinned to `tiles` needs more cores than its tiles can give it: they hold
    /// `tileCores` cores, and `others`, pinned to some of them too, need `takenByOthers`; `cap`
    /// is the population's neuron cap, if it has one.
    case tilesFull(
        population: String, populationIndex: Int, cores: Int, tiles: [TileCoordinate], tileCores: Int, takenByOthers: Int, others: [String] = [], cap: Int? = nil)
    /// A partition given to `Simulation` breaks a population's constraints (`reason` ends the
    /// sentence): it was made without them.
    case partitionBreaksConstraints(population: String, reason: String)
    /// A network built in code breaks a rule a network file is checked for
    /// (`NetworkDescription.checkStructure`).
    case invalidNetwork(ConfigError)
    /// A chip description built or edited in code breaks a rule a chip file is checked for
    /// (`ChipDescription.checkStructure`).
    case invalidChip(ConfigError)

    /// A one-line message: what does not fit or breaks a rule, and the limit.
    public var description: String {
        switch self {
        case let .neuronDoesNotFit(population, neuron, resource, needed, limit, projections):
            let cause = projections.isEmpty ? "" : " (\(Self.list(projections)))"
            return "population `\(population)` neuron \(neuron) alone needs \(Self.count(needed)) \(resource)\(cause); core limit is \(Self.count(limit))"
        case let .outOfCores(population, neuron, chip, cores, closings, needed):
            let cause = closings.map { " (cores filled: \($0.summary))" } ?? ""
            // Known when cutting to the output-axon limit made the cores (the counts then add up
            // to more than the chip has).
            if let needed {
                let made = closings.map { " (cores: \($0.neededSummary(needed)))" } ?? ""
                return "the network does not fit on chip `\(chip)`: it needs \(Self.count(needed)) cores and the chip has \(Self.count(cores)); population `\(population)` neuron \(neuron) is the first beyond them\(made)"
            }
            return "the network does not fit on chip `\(chip)`: all \(Self.count(cores)) cores are full at population `\(population)` neuron \(neuron)\(cause)"
        case let .coreLimitExceeded(core, contents, resource, needed, limit, projections):
            if projections.isEmpty {
                return "core \(core) (\(contents)) needs \(Self.count(needed)) \(resource); core limit is \(Self.count(limit))"
            }
            return "\(Self.list(projections)) \(projections.count == 1 ? "needs" : "need") \(Self.count(needed)) \(resource) on core \(core) (\(contents)); the limit is \(Self.count(limit))"
        case let .delayTooLong(projection, delay, maximum, chip):
            return "projection `\(projection)` has delay \(Self.count(delay)) steps; chip `\(chip)` allows at most \(Self.count(maximum))"
        case let .weightPrecision(projection, bits, maximum, chip, quantized):
            guard quantized else { return "projection `\(projection)` uses \(bits) weight bits; chip `\(chip)` stores at most \(maximum)" }
            return "projection `\(projection)` has float weights, which are quantized to \(bits) bits; chip `\(chip)` stores at most \(maximum) "
                + "(map the float network on a chip of \(bits) weight bits, or give integer weights with `num_weight_bits`)"
        case let .flitRouterWithMulticast(chip):
            return "chip `\(chip)` multicasts; multicast route trees are modelled by the ideal router only"
        case let .tilesNotOnMesh(population, populationIndex, tileIndex, problem):
            return "population `\(population)` ($.populations[\(populationIndex)].constraints.tiles[\(tileIndex)]): \(problem)"
        case let .tilesFull(population, populationIndex, cores, tiles, tileCores, takenByOthers, others, cap):
            let one = tiles.count == 1
            let names = others.map { "`\($0)`" }.joined(separator: ", ")
            let taken = takenByOthers > 0 ? ", \(Self.count(takenByOthers)) of them needed by \(names), pinned there too" : ""
            let raise = cap.map { ", or a neuron cap above its \(Self.count($0)) per core" } ?? ""
            return "population `\(population)` ($.populations[\(populationIndex)].constraints.tiles) needs \(Self.count(cores)) \(cores == 1 ? "core" : "cores") on its \(one ? "tile" : "tiles") "
                + tiles.map(\.description).joined(separator: ", ") + ", which \(one ? "holds" : "hold") \(Self.count(tileCores)) \(tileCores == 1 ? "core" : "cores")\(taken); "
                + "give it more tiles\(raise)"
        case let .partitionBreaksConstraints(population, reason):
            return "the partition given breaks population `\(population)`'s constraints: \(reason); partition with them (`Partitioner.partition` of the network that carries them)"
        case let .invalidNetwork(error), let .invalidChip(error):
            return error.description
        case let .flitRouterCannotTime(chip, reason):
            return "the flit router cannot time chip `\(chip)`: \(reason)"
        case let .flitRouterOnBoard(chip, chips):
            return "`\(chip)` is a board of \(chips) chips; boards run with the ideal router (the flit model times one chip)"
        }
    }

    /// "projection `a`" or "projections `a`, `b`".
    static func list(_ projections: [String]) -> String {
        (projections.count == 1 ? "projection " : "projections ") + projections.map { "`\($0)`" }.joined(separator: ", ")
    }

    /// A quantity with thousands separators: 5120 → "5,120".
    static func count(_ value: Int) -> String { value.grouped }
}
