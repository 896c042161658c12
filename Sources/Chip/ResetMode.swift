/// What happens to the membrane voltage when a neuron spikes.
public enum ResetMode: String, Sendable, CaseIterable {
    /// v ← 0, as on Loihi.
    case zero
    /// v ← v − threshold (v + threshold after a negative ternary spike): the LIF with subtractive
    /// reset, which keeps the charge above threshold.
    case subtract
}
