import Chip
import Foundation

/// A population described in floating point, as trained networks export it (model `lif`).
///
/// The model is the discrete-time CUBA-LIF that Loihi integrates, in real units, per step of `dt`:
///
///     I ← I·(1 − dt/τ_syn) + Σ w·s          (current jumps by w per input spike)
///     v ← v_leak + (v − v_leak)·(1 − dt/τ_mem) + I + bias
///     spike iff v > v_threshold; then v ← v_reset (which must equal v_leak: Loihi resets to rest)
public struct FloatNeurons: Sendable, Equatable {
    /// Membrane time constant τ_mem, in the network's time unit (≥ `dt`).
    public var tauMemory: Double
    /// Synaptic current time constant τ_syn, in the network's time unit (≥ `dt`).
    public var tauSynapse: Double
    /// The time one step stands for, in the network's time unit.
    public var dt: Double
    /// Threshold voltage `v_threshold`, in the network's voltage units (> `leak`).
    public var threshold: Double
    /// Reset voltage `v_reset`, in the network's voltage units (equal to `leak`).
    public var reset: Double
    /// Resting voltage `v_leak`, in the network's voltage units.
    public var leak: Double
    /// Constant input added to v every step, in the network's voltage units.
    public var bias: Double

    /// A float population with these parameters, in the units of its network.
    public init(tauMemory: Double, tauSynapse: Double, dt: Double, threshold: Double, reset: Double, leak: Double, bias: Double) {
        self.tauMemory = tauMemory
        self.tauSynapse = tauSynapse
        self.dt = dt
        self.threshold = threshold
        self.reset = reset
        self.leak = leak
        self.bias = bias
    }
}

/// How one projection's float weights became chip integers.
public struct QuantizationReport: Sendable, Equatable {
    /// Name of the projection.
    public var projection: String
    /// Chosen weight exponent (−8…7) and sign mode.
    public var weightExponent: Int
    /// Chosen sign mode.
    public var signMode: SignMode
    /// sqrt(Σ (ŵ − w)² / Σ w²) over the projection's synapses, where ŵ is the weight the chip
    /// realises, mapped back to float units.
    public var relativeRMSError: Double
    /// Largest |ŵ − w| in float units.
    public var maximumAbsoluteError: Double
}

/// Converts float `lif` populations and the float weights projecting onto them to `loihi_lif`
/// integers, choosing per population the threshold mantissa and per projection the weight
/// exponent that keep the most precision without overflow.
public enum Quantizer {
    /// Largest 8-bit weight magnitude a mantissa may take.
    static let mantissaLimit = 255.0

    /// The largest |bias| in float voltage units a chip neuron holds at `scale` (from `neurons`):
    /// `bias_mant` 4095 at `bias_exp` 7, in v units of scale · 64 per voltage unit. Beyond it
    /// `neurons` would clamp, so callers refuse such a bias instead.
    public static func largestBias(scale: Double) -> Double { 4095 * 128 / (scale * 64) }

    /// The smallest `maximumWeight` (float units) at which `neurons` chooses a scale that holds
    /// `bias` (float voltage units per step): the threshold mantissa `floor(255 · 2^7 · span /
    /// maximumWeight)` is then at most `largestBias(scale: 1) · span / |bias|`, whatever the span.
    /// It is taken 2^-30 larger so that rounding cannot put the mantissa one above that bound.
    /// A bias beyond `largestBias` at threshold mantissa 1 is not held at any scale.
    public static func smallestMaximumWeight(holding bias: Double) -> Double {
        abs(bias) * mantissaLimit * 128 / largestBias(scale: 1) * (1 + 0x1p-30)
    }

    /// The `loihi_lif` parameters for float neurons whose incoming weights reach at most
    /// `maximumWeight` (float units), and the scale `vth / (v_threshold − v_leak)` that maps float
    /// voltages to weight-mantissa units.
    public static func neurons(_ float: FloatNeurons, maximumWeight: Double) -> (parameters: LoihiNeuron.Parameters, scale: Double) {
        let span = float.threshold - float.leak
        // Largest threshold mantissa such that the largest weight still fits 255 · 2^7.
        let limit = maximumWeight > 0 ? (mantissaLimit * 128 * span / maximumWeight).rounded(.down) : 131_071
        let vth = Int32(max(1, min(131_071, limit)))
        let scale = Double(vth) / span
        let du = Int32(max(0, min(4095, (4095 - 4096 * (1 - float.dt / float.tauSynapse)).rounded())))
        let dv = Int32(max(0, min(4095, (4096 * float.dt / float.tauMemory).rounded())))
        // Bias in v units is bias · scale · 64 = bias_mant · 2^bias_exp.
        var biasMantissa: Int32 = 0
        var biasExponent: Int32 = 0
        let biasUnits = float.bias * scale * 64
        if biasUnits != 0 {
            while abs(biasUnits) / Double(1 << biasExponent) > 4095, biasExponent < 7 { biasExponent += 1 }
            biasMantissa = Int32(max(-4096, min(4095, (biasUnits / Double(1 << biasExponent)).rounded())))
        }
        return (LoihiNeuron.Parameters(du: du, dv: dv, vth: vth, biasMantissa: biasMantissa, biasExponent: biasExponent), scale)
    }

    /// Integer weights and exponent for float weights at `scale` (mantissa units per float unit).
    /// The exponent is the smallest that keeps every |mantissa| ≤ 255; mixed-sign projections
    /// round to even mantissas, since Loihi drops their lowest bit at 8 weight bits.
    public static func weights(_ float: [Double], scale: Double, name: String) -> (weights: [Int32], exponent: Int, signMode: SignMode, report: QuantizationReport) {
        let scaled = float.map { $0 * scale }
        let largest = scaled.map(abs).max() ?? 0
        var exponent = WeightExponent.range.lowerBound
        while exponent < WeightExponent.range.upperBound && largest / pow(2, Double(exponent)) > mantissaLimit { exponent += 1 }
        let hasPositive = float.contains { $0 > 0 }
        let hasNegative = float.contains { $0 < 0 }
        let signMode: SignMode = hasPositive && hasNegative ? .mixed : (hasNegative ? .inhibitory : .excitatory)
        let step = signMode == .mixed ? 2.0 : 1.0
        let unit = pow(2, Double(exponent))
        var weights: [Int32] = []
        var squaredError = 0.0
        var squaredWeight = 0.0
        var worst = 0.0
        // Mixed mode clamps to 254, not 255: 255 would be stored as 254 anyway, and an odd
        // mantissa would break the promise above (and be saved as a weight the chip never uses).
        let largestMantissa = signMode == .mixed ? 254.0 : mantissaLimit
        // The relative error's sums are taken in units of the largest weight, so that weights
        // near the largest doubles do not square to infinity.
        let norm = float.map(abs).max() ?? 0
        for (w, x) in zip(float, scaled) {
            let mantissa = max(-256, min(largestMantissa, (x / unit / step).rounded() * step))
            weights.append(Int32(mantissa))
            let realised = Double(signMode.effectiveWeight(Int(mantissa), numWeightBits: 8)) * unit / scale
            squaredError += ((realised - w) / norm) * ((realised - w) / norm)
            squaredWeight += (w / norm) * (w / norm)
            worst = max(worst, abs(realised - w))
        }
        let relative = squaredWeight > 0 ? (squaredError / squaredWeight).squareRoot() : 0
        return (weights, exponent, signMode, QuantizationReport(projection: name, weightExponent: exponent, signMode: signMode, relativeRMSError: relative, maximumAbsoluteError: worst))
    }
}
