import Foundation

/// Spike counts per neuron from an earlier run (`neuroemu run --save-rates FILE`), used to weigh
/// the placer's traffic estimate (`--rates FILE`). Format `neuroemu-rates/1`:
///
///     { "format": "neuroemu-rates/1", "network": "name", "steps": 1000,
///       "inputs": { "drive": [3, 0, ...] }, "populations": { "exc": [12, 7, ...] } }
public struct SpikeRates: Sendable, Equatable {
    /// The format tag of a rates file.
    public static let format = "neuroemu-rates/1"

    /// Name of the network that was run.
    public var network: String
    /// Timesteps the counts cover.
    public var steps: Int
    /// Spike counts of each input's neurons, by input name.
    public var inputs: [String: [Int]]
    /// Spike counts of each population's neurons, by population name.
    public var populations: [String: [Int]]

    /// Spike counts over `steps` steps of network `network`, per neuron of each input and population
    /// by name.
    public init(network: String, steps: Int, inputs: [String: [Int]], populations: [String: [Int]]) {
        self.network = network
        self.steps = steps
        self.inputs = inputs
        self.populations = populations
    }

    /// The rates file's JSON text (`neuroemu-rates/1`), groups in `network`'s order.
    public func text(order network: NetworkDescription) -> String {
        func block(_ names: [String], _ counts: [String: [Int]]) -> String {
            names.compactMap { name in counts[name].map { "    \(quoted(name)): [" + $0.map(String.init).joined(separator: ", ") + "]" } }.joined(separator: ",\n")
        }
        return """
            {
              "format": "\(Self.format)",
              "network": \(quoted(self.network)),
              "steps": \(steps),
              "inputs": {
            \(block(network.inputs.map(\.name), inputs))
              },
              "populations": {
            \(block(network.populations.map(\.name), populations))
              }
            }

            """
    }

    /// Writes `text(order:)` to `path` atomically.
    public func write(to path: String, order network: NetworkDescription) throws(OutputError) {
        try AtomicFile.write(text(order: network), to: path)
    }

    /// Reads a rates file and checks it against the network it will weigh.
    public static func load(path: String, for network: NetworkDescription) throws(ConfigError) -> SpikeRates {
        let root = JSONNode(value: try JSONParser.parse(contentsOfFile: path), file: path)
        let object = try root.fileObject(format: format, allowedKeys: ["format", "network", "steps", "inputs", "populations"])
        let nameNode = try object.required("network")
        let name = try nameNode.string()
        guard name == network.name else {
            throw nameNode.error("these rates were measured on network \"\(name)\", not \"\(network.name)\"")
        }
        let steps = try object.int("steps", in: 1...NetworkFile.maximumSteps)
        // A group left out weighs nothing (docs/mapping.md); a neuron spikes at most once per step.
        let groups = GroupNames(inputs: network.inputs, populations: network.populations)
        func counts(_ key: String, size: (String) -> Int?) throws(ConfigError) -> [String: [Int]] {
            var result: [String: [Int]] = [:]
            guard let node = object.optional(key) else { return result }
            for (group, child) in try node.members() {
                guard let size = size(group) else {
                    throw child.error("the network has no \(key == "inputs" ? "input" : "population") named \"\(group)\"")
                }
                let values = try child.intArray(in: 0...steps)
                guard values.count == size else { throw child.error("must have one count per neuron: \(size), got \(values.count)") }
                result[group] = values
            }
            return result
        }
        return SpikeRates(
            network: name, steps: steps,
            inputs: try counts("inputs") { groups.input(named: $0).map { network.inputs[$0].size } },
            populations: try counts("populations") { groups.population(named: $0).map { network.populations[$0].size } })
    }
}
