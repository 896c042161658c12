/// What synapses cost in a core's synapse memory, in bits.
///
/// Synapses are stored in rows, one per input axon: a 64-bit row header (axon id, row length,
/// format), then per synapse its stored weight (`num_weight_bits`, plus a sign bit in mixed
/// mode), its delay (`⌈log2 delay_slots⌉` bits, only for projections that use delays above 1)
/// and its target-neuron index (`⌈log2 neurons-per-core⌉` bits). Rows are padded to 64-bit words.
public struct SynapseMemoryModel: Sendable, Equatable {
    /// Bits of a row header (axon id, row length, format).
    public static let rowHeaderBits = 64
    /// Bits of a memory word: rows are padded to whole words.
    public static let wordBits = 64

    /// Bits of a target-neuron index.
    public let indexBits: Int
    /// Bits of a delay field.
    public let delayBits: Int

    /// The model of a core of `limits`: its index and delay fields are as wide as they must be.
    public init(limits: CoreLimits) {
        indexBits = Self.bitsToCount(limits.neurons)
        delayBits = Self.bitsToCount(limits.delaySlots)
    }

    /// Bits of one synapse of a projection.
    public func synapseBits(numWeightBits: Int, signMode: SignMode, usesDelays: Bool) -> Int {
        numWeightBits + (signMode == .mixed ? 1 : 0) + (usesDelays ? delayBits : 0) + indexBits
    }

    /// Bits of one row holding synapses of `synapseBits` bits in total.
    @inline(__always)
    public static func rowBits(synapseBits: Int) -> Int {
        (rowHeaderBits + synapseBits + wordBits - 1) / wordBits * wordBits
    }

    /// ⌈log2 count⌉, at least 1: bits needed to number `count` things.
    static func bitsToCount(_ count: Int) -> Int {
        var bits = 1
        while (1 << bits) < count { bits += 1 }
        return bits
    }
}
