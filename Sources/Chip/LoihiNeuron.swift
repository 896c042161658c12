/// The exact integer arithmetic of Loihi's CUBA-LIF neuron, as in Lava's bit-accurate
/// `loihi_lif` model. Every function here is the oracle the per-core kernel must match.
///
/// State `u` (synaptic current) and `v` (membrane voltage) are signed 24-bit values held in
/// `Int32`. Within a timestep, with `a` the synaptic input of this step:
///
///     u' = wrap(dec(u, 4095 − du) + (a << 6))
///     v' = saturate(dec(v, 4096 − dv) + u' + (bias_mant << bias_exp))
///     spike iff v' > (vth << 6); on a spike v' ← 0 (u is not reset)
///
/// Both sums are taken in 32 bits, wrapping modulo 2^32 as Lava's `int32` arrays do, before
/// u's one wrap into 24 bits and v's saturation. With |a| ≥ 2^25 (a sum of many large weights)
/// that decides the sign of u; the voltage sum wraps only for a v set from outside beyond
/// 24 bits (after its one wrap |u| < 2^31 − 2^23 − 2^19).
public enum LoihiNeuron {
    /// 2^23: the edge of the 24-bit state window.
    public static let stateLimit: Int64 = 1 << 23
    /// Largest |v| after saturation: 2^23 − 1.
    public static let voltageLimit: Int32 = (1 << 23) - 1
    /// Synaptic input enters `u` shifted left by this many bits.
    public static let inputShift: Int32 = 6
    /// Thresholds are given as mantissas shifted left by this many bits.
    public static let thresholdShift: Int32 = 6

    /// Toward-zero decay `(x · factor) / 4096` for any `Int32` x and 0 ≤ factor ≤ 4096 (a u left
    /// outside the 24-bit window by its one wrap decays too).
    ///
    /// Computed exactly in `Int32` (the product would need 43 bits): with `hi = x >> 12` and
    /// `lo = (x & 4095) · factor`, the floor of the quotient is `hi · factor + (lo >> 12)`, and
    /// truncation toward zero adds one when x < 0 and the division was inexact. This form
    /// vectorizes where the `Int64` product and division do not.
    @inline(__always)
    public static func decay(_ x: Int32, factor: Int32) -> Int32 {
        let high = x &>> 12
        let low = (x & 4095) &* factor
        let floor = high &* factor &+ (low &>> 12)
        let inexact: Int32 = (low & 4095) != 0 ? 1 : 0
        let negative: Int32 = x < 0 ? 1 : 0
        return floor &+ (inexact & negative)
    }

    /// Wraps a new current once into the window (−2^23, 2^23], Lava's boundary convention (a sum
    /// beyond ±3·2^23 stays outside it, as in Lava; no result leaves `Int32`).
    @inline(__always)
    public static func wrapCurrent(_ u: Int32) -> Int32 {
        let limit = Int32(stateLimit)
        if u > limit { return u &- 2 &* limit }
        if u <= -limit { return u &+ 2 &* limit }
        return u
    }

    /// The new current from the old one decayed and this step's input: `(a << 6)` added in 32
    /// bits, wrapping modulo 2^32 as Lava's `int32` arrays do, then `wrapCurrent`.
    @inline(__always)
    public static func newCurrent(decayed: Int32, input: Int32) -> Int32 {
        wrapCurrent(decayed &+ (input &<< inputShift))
    }

    /// Saturates a new voltage to [−(2^23 − 1), 2^23 − 1].
    @inline(__always)
    public static func saturateVoltage(_ v: Int32) -> Int32 {
        min(max(v, -voltageLimit), voltageLimit)
    }

    /// The new voltage before the threshold: the decayed voltage, the new current and the bias
    /// added in 32 bits (wrapping as Lava's `int32` arrays do), then `saturateVoltage`.
    @inline(__always)
    public static func newVoltage(decayed: Int32, current: Int32, bias: Int32) -> Int32 {
        saturateVoltage(decayed &+ current &+ bias)
    }

    /// The per-step bias `bias_mant << bias_exp`; `bias_exp` is 0…7 (a negative exponent would be a
    /// flooring right shift).
    @inline(__always)
    public static func bias(mantissa: Int32, exponent: Int32) -> Int32 {
        exponent >= 0 ? mantissa << exponent : mantissa >> -exponent
    }

    /// Parameters of one neuron in the chip's integer units.
    ///
    /// The first five are Loihi's CUBA-LIF; the rest are the chip's extra mechanisms, all off by
    /// default (their defaults give exactly the Loihi neuron).
    public struct Parameters: Sendable, Equatable {
        /// Current decay, 0…4095 (4095: u holds only this step's input).
        public var du: Int32
        /// Voltage decay, 0…4095 (0: no leak).
        public var dv: Int32
        /// Threshold mantissa, 0…131071; the comparison uses `vth << 6`.
        public var vth: Int32
        /// Bias mantissa, −4096…4095.
        public var biasMantissa: Int32
        /// Bias exponent, 0…7.
        public var biasExponent: Int32
        /// Steps after a spike during which v is held at 0 and the neuron cannot spike, 0…63.
        public var refractoryPeriod: Int32
        /// What v becomes after a spike: 0 (Loihi) or v minus the threshold.
        public var resetMode: ResetMode
        /// Adaptive threshold: added to the threshold on every spike, in `v` units (0…2^23−1).
        public var thresholdStep: Int32
        /// Adaptive threshold decay, 0…4095: adaptation ← adaptation·(4096 − decay)/4096 per step.
        public var thresholdDecay: Int32
        /// Dynamic threshold: gain on the mean membrane voltage of the core's dynamic neurons, in
        /// 1/4096 (0…4096).
        public var meanVoltageGain: Int32
        /// Dynamic threshold: gain on the neuron's preceding rate of depolarization, in 1/4096 (0…4096).
        public var depolarizationGain: Int32
        /// What a spike carries: 1, ±1 (ternary) or a graded payload.
        public var spikeMode: SpikeMode
        /// Graded spikes: right shift from v to the payload, 0…23.
        public var gradedShift: Int32

        /// A neuron's parameters (docs/neurons.md): Loihi's `du`, `dv`, `vth` and bias, plus the
        /// `neuroemu_lif` mechanisms, which default to off (a plain Loihi neuron).
        public init(
            du: Int32 = 0, dv: Int32 = 0, vth: Int32, biasMantissa: Int32 = 0, biasExponent: Int32 = 0,
            refractoryPeriod: Int32 = 0, resetMode: ResetMode = .zero, thresholdStep: Int32 = 0, thresholdDecay: Int32 = 0,
            meanVoltageGain: Int32 = 0, depolarizationGain: Int32 = 0, spikeMode: SpikeMode = .binary, gradedShift: Int32 = 0
        ) {
            self.du = du
            self.dv = dv
            self.vth = vth
            self.biasMantissa = biasMantissa
            self.biasExponent = biasExponent
            self.refractoryPeriod = refractoryPeriod
            self.resetMode = resetMode
            self.thresholdStep = thresholdStep
            self.thresholdDecay = thresholdDecay
            self.meanVoltageGain = meanVoltageGain
            self.depolarizationGain = depolarizationGain
            self.spikeMode = spikeMode
            self.gradedShift = gradedShift
        }

        /// True when the core's fast kernel runs this neuron exactly: CUBA-LIF with an optional
        /// refractory period, zero reset, a fixed threshold and binary spikes.
        public var runsOnPlainKernel: Bool {
            resetMode == .zero && thresholdStep == 0 && meanVoltageGain == 0 && depolarizationGain == 0 && spikeMode == .binary
        }

        /// True when every extra mechanism is off: the neuron is exactly Loihi's CUBA-LIF.
        public var isPlainLoihi: Bool {
            refractoryPeriod == 0 && resetMode == .zero && thresholdStep == 0 && meanVoltageGain == 0
                && depolarizationGain == 0 && spikeMode == .binary
        }
    }

    /// One timestep of one plain CUBA-LIF neuron: the scalar reference the core's kernel is
    /// checked against. Returns true when the neuron spikes.
    public static func step(u: inout Int32, v: inout Int32, input: Int32, parameters p: Parameters) -> Bool {
        let newU = newCurrent(decayed: decay(u, factor: 4095 - p.du), input: input)
        let newV = newVoltage(decayed: decay(v, factor: 4096 - p.dv), current: newU, bias: bias(mantissa: p.biasMantissa, exponent: p.biasExponent))
        u = newU
        if newV > p.vth << thresholdShift {
            v = 0
            return true
        }
        v = newV
        return false
    }

    /// The full state of one neuron with every mechanism.
    public struct State: Sendable, Equatable {
        /// Synaptic current, a signed 24-bit value in chip units.
        public var u: Int32 = 0
        /// Membrane voltage, a signed 24-bit value in chip units (|v| ≤ 2^23 − 1).
        public var v: Int32 = 0
        /// Refractory steps left.
        public var refractory: Int32 = 0
        /// Adaptive part of the threshold, in `v` units.
        public var adaptation: Int32 = 0
        /// v at the start of the previous step (for the rate of depolarization).
        public var previousV: Int32 = 0

        /// A neuron's state; all zero is a neuron at rest.
        public init(u: Int32 = 0, v: Int32 = 0, refractory: Int32 = 0, adaptation: Int32 = 0, previousV: Int32 = 0) {
            self.u = u
            self.v = v
            self.refractory = refractory
            self.adaptation = adaptation
            self.previousV = previousV
        }
    }

    /// The effective threshold in `v` units:
    /// `max(0, (vth << 6) + adaptation + (meanGain·max(0, meanV)) >> 12 − (rateGain·max(0, v − previousV)) >> 12)`.
    @inline(__always)
    public static func threshold(_ p: Parameters, adaptation: Int32, meanVoltage: Int32, v: Int32, previousV: Int32) -> Int32 {
        let depolarization = Int64(max(0, v &- previousV))
        let dynamic = (Int64(p.meanVoltageGain) * Int64(max(0, meanVoltage))) >> 12 - (Int64(p.depolarizationGain) * depolarization) >> 12
        return Int32(clamping: max(0, Int64(p.vth << thresholdShift) + Int64(adaptation) + dynamic))
    }

    /// One timestep of one neuron with every mechanism: the reference for the general kernel.
    ///
    /// Order within the step: u updates as in `step`; the adaptive threshold decays; a refractory
    /// neuron holds v at 0 and counts down; otherwise v updates, is compared with the effective
    /// threshold (and its negative, for ternary neurons), and on a spike resets (to zero or by
    /// subtraction), starts its refractory period and raises its adaptive threshold.
    ///
    /// - Parameter meanVoltage: mean v, at the start of the step, over the core's neurons that use
    ///   the dynamic threshold (floor division).
    /// - Returns: the spike value — 0 for no spike, 1 (binary), ±1 (ternary) or the payload (graded).
    public static func step(state s: inout State, input: Int32, parameters p: Parameters, meanVoltage: Int32) -> Int32 {
        let newU = newCurrent(decayed: decay(s.u, factor: 4095 - p.du), input: input)
        let adaptation = decay(s.adaptation, factor: 4096 - p.thresholdDecay)
        let startV = s.v
        let theta = threshold(p, adaptation: adaptation, meanVoltage: meanVoltage, v: startV, previousV: s.previousV)
        s.u = newU
        s.previousV = startV
        s.adaptation = adaptation
        if s.refractory > 0 {
            s.refractory -= 1
            s.v = 0
            return 0
        }
        let newV = newVoltage(decayed: decay(startV, factor: 4096 - p.dv), current: newU, bias: bias(mantissa: p.biasMantissa, exponent: p.biasExponent))
        var value: Int32 = 0
        if newV > theta {
            switch p.spikeMode {
            case .binary, .ternary: value = 1
            case .graded: value = min(max(1, newV >> p.gradedShift), SpikeMode.maximumPayload)
            }
        } else if p.spikeMode == .ternary && newV < -theta {
            value = -1
        }
        guard value != 0 else {
            s.v = newV
            return 0
        }
        switch p.resetMode {
        case .zero: s.v = 0
        case .subtract: s.v = value < 0 ? newV + theta : newV - theta
        }
        s.refractory = p.refractoryPeriod
        s.adaptation = Int32(clamping: Int64(adaptation) + Int64(p.thresholdStep))
        return value
    }
}
