/// The exact integer arithmetic of Loihi's CUBA-LIF neuron, as in Lava's bit-accurate
/// `loihi_lif` model. Every function here is the oracle the per-core kernel must match.
///
/// State `u` (synaptic current) and `v` (membrane voltage) are signed 24-bit values held in
/// `Int32`. Within a timestep, with `a` the synaptic input of this step:
///
///     u' = wrap(dec(u, 4095 − du) + (a << 6))
///     v' = saturate(dec(v, 4096 − dv) + u' + (bias_mant << bias_exp))
///     spike iff v' > (vth << 6); on a spike v' ← 0 (u is not reset)
public enum LoihiNeuron {
    /// 2^23: the edge of the 24-bit state window.
    public static let stateLimit: Int64 = 1 << 23
    /// Largest |v| after saturation: 2^23 − 1.
    public static let voltageLimit: Int32 = (1 << 23) - 1
    /// Synaptic input enters `u` shifted left by this many bits.
    public static let inputShift: Int32 = 6
    /// Thresholds are given as mantissas shifted left by this many bits.
    public static let thresholdShift: Int32 = 6

    /// Toward-zero decay `(x · factor) / 4096` for |x| < 2^23 and 0 ≤ factor ≤ 4096.
    ///
    /// Computed exactly in `Int32` (the product would need 36 bits): with `hi = x >> 12` and
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

    /// Wraps a new current once into the window (−2^23, 2^23], Lava's boundary convention.
    @inline(__always)
    public static func wrapCurrent(_ u: Int64) -> Int32 {
        var wrapped = u
        if wrapped > stateLimit {
            wrapped -= 2 * stateLimit
        } else if wrapped <= -stateLimit {
            wrapped += 2 * stateLimit
        }
        return Int32(truncatingIfNeeded: wrapped)
    }

    /// Saturates a new voltage to [−(2^23 − 1), 2^23 − 1].
    @inline(__always)
    public static func saturateVoltage(_ v: Int64) -> Int32 {
        Int32(min(max(v, -Int64(voltageLimit)), Int64(voltageLimit)))
    }

    /// The per-step bias `bias_mant << bias_exp`; `bias_exp` is 0…7 (a negative exponent would be a
    /// flooring right shift).
    @inline(__always)
    public static func bias(mantissa: Int32, exponent: Int32) -> Int32 {
        exponent >= 0 ? mantissa << exponent : mantissa >> -exponent
    }

    /// Parameters of one neuron in the chip's integer units.
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

        public init(du: Int32 = 0, dv: Int32 = 0, vth: Int32, biasMantissa: Int32 = 0, biasExponent: Int32 = 0) {
            self.du = du
            self.dv = dv
            self.vth = vth
            self.biasMantissa = biasMantissa
            self.biasExponent = biasExponent
        }
    }

    /// One timestep of one neuron: the scalar reference the core's kernel is checked against.
    /// Returns true when the neuron spikes.
    public static func step(u: inout Int32, v: inout Int32, input: Int32, parameters p: Parameters) -> Bool {
        let newU = wrapCurrent(Int64(decay(u, factor: 4095 - p.du)) + (Int64(input) << Int64(inputShift)))
        let newV = saturateVoltage(
            Int64(decay(v, factor: 4096 - p.dv)) + Int64(newU) + Int64(bias(mantissa: p.biasMantissa, exponent: p.biasExponent)))
        u = newU
        if newV > p.vth << thresholdShift {
            v = 0
            return true
        }
        v = newV
        return false
    }
}
