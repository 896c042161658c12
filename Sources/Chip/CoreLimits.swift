/// What one core can hold; the mapper splits and places a network within these limits.
public struct CoreLimits: Sendable, Equatable {
    /// Neurons per core.
    public var neurons: Int
    /// Distinct presynaptic sources (input axons) whose synapses a core can hold.
    public var inputAxons: Int
    /// Destination-core entries (output axons) the neurons of a core can address in total.
    public var outputAxons: Int
    /// Synapse memory in bits (see `SynapseMemoryModel` for what a synapse costs).
    public var synapseMemoryBits: Int
    /// Largest weight precision in bits.
    public var weightBits: Int
    /// Slots of the input ring buffer: the largest synaptic delay is `delaySlots − 1` steps.
    public var delaySlots: Int

    /// The limits of one core; `ChipDescription.checkStructure()` holds them to a chip file's ranges.
    public init(neurons: Int, inputAxons: Int, outputAxons: Int, synapseMemoryBits: Int, weightBits: Int, delaySlots: Int) {
        self.neurons = neurons
        self.inputAxons = inputAxons
        self.outputAxons = outputAxons
        self.synapseMemoryBits = synapseMemoryBits
        self.weightBits = weightBits
        self.delaySlots = delaySlots
    }
}
