/// A pair-based STDP rule of one projection, in the chip's integer units.
///
/// Each synapse sees a 7-bit pre-synaptic trace `x` (of its source) and a 7-bit post-synaptic
/// trace `y` (of its target). Every step, in the learning phase:
///
///     x ← dec(x, 4096 − preDecay),  y ← dec(y, 4096 − postDecay)        (decay first)
///     target spiked this step:  pending += potentiation · x              (pre before post)
///     source spiked this step:  pending −= depression · y                (post before pre)
///     then impulses: x ← min(127, x + preImpulse) on a pre spike, y likewise on a post spike
///     target spiked this step:  pending −= ⌊weightDecay · w / 32⌋         (optional, see below)
///
/// So a pair of spikes `k ≥ 1` steps apart changes the weight by `A · dec^k(impulse)`; spikes in
/// the same step cancel nothing and change nothing. Every `epoch` steps the pending change is
/// applied: divided by `128 · 2^granularity` (the weight's stored step, see `SignMode`) with
/// stochastic rounding from the core's seeded generator, added in steps of the stored
/// granularity, and the weight is kept within `[minimumWeight, maximumWeight]`.
///
/// `weightDecay` (0 by default, which is plain pair STDP) makes the rule weight-dependent: at each
/// post spike the weight also loses `weightDecay · w / 4096`, so under a steady input it settles
/// where `potentiation · x̄ / 128 = weightDecay · w / 4096` — proportional to the mean pre trace
/// at the target's spikes. With competing outputs that is prototype learning.
public struct STDPRule: Sendable, Equatable {
    /// Added to the pre trace on a pre-synaptic spike, 0…127.
    public var preImpulse: Int32
    /// Added to the post trace on a post-synaptic spike, 0…127.
    public var postImpulse: Int32
    /// Pre trace decay per step, 0…4095 (in 1/4096).
    public var preDecay: Int32
    /// Post trace decay per step, 0…4095.
    public var postDecay: Int32
    /// A+: weight change per unit of pre trace at a post spike, in weight units × 128, 0…4096.
    public var potentiation: Int32
    /// A−: weight change per unit of post trace at a pre spike, in weight units × 128, 0…4096.
    public var depression: Int32
    /// Weight bounds in the network file's weight units.
    public var minimumWeight: Int32
    /// Upper weight bound, in the network file's weight units.
    public var maximumWeight: Int32
    /// Steps between weight applications, 1…1024.
    public var epoch: Int32
    /// Weight-dependent depression at a post spike, in 1/4096 of the weight, 0…4096 (0: none).
    public var weightDecay: Int32

    /// Largest trace value (7 bits).
    public static let traceLimit: Int32 = 127

    /// A pair-based rule in the units of docs/learning.md (`potentiation` and `depression` are
    /// `a_plus` and `a_minus`).
    public init(preImpulse: Int32, postImpulse: Int32, preDecay: Int32, postDecay: Int32, potentiation: Int32, depression: Int32, minimumWeight: Int32, maximumWeight: Int32, epoch: Int32 = 1, weightDecay: Int32 = 0) {
        self.preImpulse = preImpulse
        self.postImpulse = postImpulse
        self.preDecay = preDecay
        self.postDecay = postDecay
        self.potentiation = potentiation
        self.depression = depression
        self.minimumWeight = minimumWeight
        self.maximumWeight = maximumWeight
        precondition(epoch >= 1, "an epoch is at least one step (network files allow 1…1024)")
        self.epoch = epoch
        self.weightDecay = weightDecay
    }
}

/// A projection's learning rule together with how its weights are stored.
public struct LearningRule: Sendable, Equatable {
    /// The STDP rule itself: traces, amplitudes, bounds and epoch.
    public var stdp: STDPRule
    /// The sign mode of the projection's weights.
    public var signMode: SignMode
    /// Weight precision in bits, 1…8.
    public var numWeightBits: Int
    /// Non-negative weight exponent the stored weights are pre-shifted by (0 for negative
    /// exponents, whose projections have an accumulator group of their own).
    public var storedShift: Int

    /// A rule as a core applies it to one projection's synapses: weights of `signMode` in
    /// `numWeightBits` bits, moved in steps of 2^`storedShift`.
    public init(stdp: STDPRule, signMode: SignMode, numWeightBits: Int, storedShift: Int) {
        self.stdp = stdp
        self.signMode = signMode
        self.numWeightBits = numWeightBits
        self.storedShift = storedShift
    }

    /// Bits dropped when a weight is stored: the weight moves in steps of `2^granularity`.
    public var granularity: Int { 8 - numWeightBits + (signMode == .mixed ? 1 : 0) }

    /// The weight as the synapse unit adds it.
    @inline(__always)
    public func storedWeight(_ weight: Int32) -> Int32 {
        Int32(signMode.effectiveWeight(Int(weight), numWeightBits: numWeightBits) << storedShift)
    }
}
