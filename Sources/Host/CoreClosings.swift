import Chip

/// Why the partitioner closed the cores it filled, counted by rule, so that "the network does
/// not fit" can name the limit that binds (a core may be full of neurons, or hold one neuron and
/// no more output axons).
public struct CoreClosings: Sendable, Equatable {
    /// Cores closed because the next neuron would pass the core's neuron limit.
    public var neuronLimit = 0
    /// … its input-axon limit (distinct presynaptic sources).
    public var inputAxonLimit = 0
    /// … its synapse memory.
    public var synapseMemoryLimit = 0
    /// Cores closed at a population boundary because a population with a dynamic threshold
    /// (`mean_voltage_gain` ≠ 0) keeps its cores to itself.
    public var dynamicThresholdBoundary = 0
    /// Cores closed at a population boundary because every population starts a core
    /// (`Partitioner.Packing.onePopulationPerCore`).
    public var populationBoundary = 0
    /// Cores closed because the population being filled reached its neuron cap
    /// (`MappingConstraints.maxNeuronsPerCore`, from the file or `--max-neurons-per-core`).
    public var populationCap = 0
    /// Cores closed at a population boundary because a population placed on tiles by hand
    /// (`MappingConstraints.tiles`) keeps its cores to itself.
    public var tilesBoundary = 0
    /// Cores added by cutting filled cores to the output-axon limit.
    public var outputAxonCuts = 0
    /// The limits the counts refer to.
    public var limits: CoreLimits

    /// No closings yet, against `limits`.
    public init(limits: CoreLimits) {
        self.limits = limits
    }

    /// Cores the fill closed, whatever the rule.
    var closed: Int { neuronLimit + inputAxonLimit + synapseMemoryLimit + dynamicThresholdBoundary + populationBoundary + populationCap + tilesBoundary }

    /// The non-zero counts: "3 closed at the neuron limit (64); 2 more made by cutting cores to
    /// the output-axon limit (4,096)" ("2 made by cutting …" when no core was closed).
    public var summary: String {
        (fillParts + [cutPart].compactMap { $0 }).joined(separator: "; ")
    }

    /// The fill's non-zero counts, by rule.
    var fillParts: [String] {
        let count = MappingError.count
        let parts: [(Int, String)] = [
            (neuronLimit, "closed at the neuron limit (\(count(limits.neurons)))"),
            (inputAxonLimit, "closed at the input-axon limit (\(count(limits.inputAxons)))"),
            (synapseMemoryLimit, "closed at the synapse-memory limit (\(count(limits.synapseMemoryBits)) bits)"),
            (dynamicThresholdBoundary, "closed at a population boundary, since a population with a dynamic threshold (`mean_voltage_gain`) keeps its cores to itself"),
            (populationBoundary, "closed at a population boundary (one population per core)"),
            (populationCap, "closed at a population's neuron cap (`max_neurons_per_core` or --max-neurons-per-core)"),
            (tilesBoundary, "closed at a population boundary, since a population placed on `tiles` keeps its cores to itself"),
        ]
        return parts.filter { $0.0 > 0 }.map { "\(count($0.0)) \($0.1)" }
    }

    /// "2 more made by cutting cores to the output-axon limit (4,096)", or nil without cuts.
    var cutPart: String? {
        guard outputAxonCuts > 0 else { return nil }
        return "\(MappingError.count(outputAxonCuts)) \(closed > 0 ? "more " : "")made by cutting cores to the output-axon limit (\(MappingError.count(limits.outputAxons)))"
    }

    /// For a network that needed `needed` cores after the cuts: how the fill made its cores (the
    /// one it left open included) and how many the cuts added, which add up to `needed`.
    func neededSummary(_ needed: Int) -> String {
        let count = MappingError.count
        let fill = fillParts.isEmpty ? "" : ": " + fillParts.joined(separator: ", ")
        let cuts = outputAxonCuts > 0 ? ", then \(count(outputAxonCuts)) more made by cutting cores to the output-axon limit (\(count(limits.outputAxons)))" : ""
        return "\(count(needed - outputAxonCuts)) filled\(fill)\(cuts)"
    }
}
