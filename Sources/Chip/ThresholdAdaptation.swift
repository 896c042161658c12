/// What the adaptive thresholds of a core do (set per schedule segment, `homeostasis` in the
/// network file).
public enum ThresholdAdaptation: String, Sendable, CaseIterable {
    /// Each spike raises the neuron's threshold by `thresholdStep`, which decays by
    /// `thresholdDecay`/4096 per step (the neuron model as configured).
    case adapt
    /// Each threshold keeps the value it has reached: no step at a spike, no decay (the test phase
    /// of homeostatic learning, with the thresholds learned in training).
    case hold
    /// Adaptation is cleared and stays at zero: every neuron fires at its base threshold (a test
    /// phase that reads the learned weights alone, after a homeostatic "conscience" in training).
    case off
}
