/// A summary of one population's activity over a run, asked for with `--readout POP:MODE`.
public struct Readout: Sendable, Equatable {
    /// What a readout reports per population.
    public enum Mode: String, Sendable, CaseIterable {
        /// Spikes per neuron.
        case counts
        /// Mean membrane voltage per neuron over all steps (after each step's update and reset),
        /// floored.
        case meanV = "mean_v"
        /// Membrane voltage per neuron after the last step.
        case lastV = "last_v"
        /// Index of the neuron with the most spikes (the lowest index on ties): the predicted class.
        case argmax
    }

    /// Index into the network's populations.
    public var population: Int
    /// What is reported.
    public var mode: Mode

    /// A readout of `mode` for population `population`.
    public init(population: Int, mode: Mode) {
        self.population = population
        self.mode = mode
    }

    /// Parses `POP:MODE` against the network's population names.
    public static func parse(_ text: String, network: NetworkDescription) throws(ReadoutError) -> Readout {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw .malformed(text) }
        guard let population = network.populations.firstIndex(where: { $0.name == parts[0] }) else {
            throw .unknownPopulation(parts[0], known: network.populations.map(\.name))
        }
        guard let mode = Mode(rawValue: parts[1]) else { throw .unknownMode(parts[1]) }
        return Readout(population: population, mode: mode)
    }

    /// The line `run` prints: `readout POP:MODE` and the values. With `units` (the population
    /// comes from a NIR file), `mean_v` and `last_v` are printed in the NIR model's voltage units
    /// (`NIRVoltageUnits.text`); otherwise, and for `counts` and `argmax`, as integers.
    public func line(_ values: [Int64], network: NetworkDescription, units: NIRVoltageUnits? = nil) -> String {
        let texts = if let units, mode == .meanV || mode == .lastV { units.text(values) } else { values.map(String.init) }
        return (["readout \(network.populations[population].name):\(mode.rawValue)"] + texts).joined(separator: " ")
    }

    /// The readout's values from per-neuron spike counts, voltage sums and last voltages.
    func values(counts: [Int64], voltageSums: [Int64], lastV: [Int64], steps: Int) -> [Int64] {
        switch mode {
        case .counts: return counts
        case .meanV: return voltageSums.map { sum in sum >= 0 ? sum / Int64(steps) : -((-sum + Int64(steps) - 1) / Int64(steps)) }
        case .lastV: return lastV
        case .argmax:
            var best = 0
            for index in counts.indices where counts[index] > counts[best] { best = index }
            return [Int64(best)]
        }
    }
}

/// A `--readout` argument that names no population or mode.
public enum ReadoutError: Error, CustomStringConvertible, Equatable, Sendable {
    case malformed(String)
    case unknownPopulation(String, known: [String])
    case unknownMode(String)

    /// A one-line message naming the argument and, where it helps, the valid choices.
    public var description: String {
        switch self {
        case .malformed(let text):
            "--readout takes POP:MODE, got '\(text)'"
        case let .unknownPopulation(name, known):
            "--readout: no population named '\(name)'; populations: \(known.joined(separator: ", "))"
        case .unknownMode(let mode):
            "--readout: unknown mode '\(mode)'; modes: \(Readout.Mode.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }
}
