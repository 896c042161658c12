/// What a spike carries to the synapses it reaches (the weight is multiplied by it).
public enum SpikeMode: String, Sendable, CaseIterable {
    /// A plain spike: value 1.
    case binary
    /// +1 when v exceeds the threshold, −1 when v falls below its negative.
    case ternary
    /// A graded spike: value `max(1, v >> graded_shift)`, at most `SpikeMode.maximumPayload`.
    case graded

    /// Largest graded payload (15 bits), so weight × payload stays within 32 bits.
    public static let maximumPayload: Int32 = (1 << 15) - 1
}
