/// Why a network cannot be loaded onto a chip: the rule, the object and the limit.
public enum MappingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A single neuron needs more of a core resource than a whole core has.
    case neuronDoesNotFit(population: String, neuron: Int, resource: String, needed: Int, limit: Int)
    /// The network needs more cores than the chip has.
    case outOfCores(population: String, neuron: Int, chip: String, cores: Int)
    /// A loaded core exceeds one of its limits.
    case coreLimitExceeded(core: Int, contents: String, resource: String, needed: Int, limit: Int)
    /// A projection's delay does not fit the chip's delay slots.
    case delayTooLong(projection: String, delay: Int, maximum: Int, chip: String)
    /// A projection asks for more weight precision than the chip stores.
    case weightPrecision(projection: String, bits: Int, maximum: Int, chip: String)

    public var description: String {
        switch self {
        case let .neuronDoesNotFit(population, neuron, resource, needed, limit):
            "population `\(population)` neuron \(neuron) alone needs \(needed) \(resource); core limit is \(limit)"
        case let .outOfCores(population, neuron, chip, cores):
            "the network does not fit on chip `\(chip)`: all \(cores) cores are full at population `\(population)` neuron \(neuron)"
        case let .coreLimitExceeded(core, contents, resource, needed, limit):
            "core \(core) (\(contents)) needs \(needed) \(resource); core limit is \(limit)"
        case let .delayTooLong(projection, delay, maximum, chip):
            "projection `\(projection)` has delay \(delay) steps; chip `\(chip)` allows at most \(maximum)"
        case let .weightPrecision(projection, bits, maximum, chip):
            "projection `\(projection)` uses \(bits) weight bits; chip `\(chip)` stores at most \(maximum)"
        }
    }
}
