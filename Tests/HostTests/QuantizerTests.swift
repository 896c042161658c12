import Chip
import Foundation
import Testing
@testable import Host

private func neurons(tauMemory: Double = 20, tauSynapse: Double = 5, dt: Double = 1, threshold: Double = 1, leak: Double = 0, bias: Double = 0) -> FloatNeurons {
    FloatNeurons(tauMemory: tauMemory, tauSynapse: tauSynapse, dt: dt, threshold: threshold, reset: leak, leak: leak, bias: bias)
}

/// The report recomputed from its definition: realised weight = effective stored mantissa ·
/// 2^exponent / scale (Loihi drops the lowest bit of a mixed-mode 8-bit weight).
private func recomputed(_ float: [Double], weights: [Int32], exponent: Int, signMode: SignMode, scale: Double) -> (relative: Double, maximum: Double) {
    var squaredError = 0.0
    var squaredWeight = 0.0
    var maximum = 0.0
    for (w, m) in zip(float, weights) {
        let realised = Double(signMode.effectiveWeight(Int(m), numWeightBits: 8)) * pow(2, Double(exponent)) / scale
        squaredError += (realised - w) * (realised - w)
        squaredWeight += w * w
        maximum = max(maximum, abs(realised - w))
    }
    return (squaredWeight > 0 ? (squaredError / squaredWeight).squareRoot() : 0, maximum)
}

/// `count` uniform weights in `range`, from a seed.
private func randomWeights(_ count: Int, in range: ClosedRange<Double>, seed: UInt64) -> [Double] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in range.lowerBound + (range.upperBound - range.lowerBound) * generator.nextUnitInterval() }
}

@Suite struct QuantizerTests {
    // MARK: neurons

    @Test func decaysFromTimeConstants() {
        // u decays by (4095 − du)/4096 per step and v by (4096 − dv)/4096, so
        // du = 4095 − 4096 (1 − dt/τ_syn) = 4095 − 3276.8 = 818.2 → 818 and
        // dv = 4096 dt/τ_mem = 204.8 → 205.
        let (p, _) = Quantizer.neurons(neurons(), maximumWeight: 0.5)
        #expect(p.du == 818)
        #expect(p.dv == 205)
        // τ = dt: u keeps only this step's input (du 4095); v keeps 0/4096 → dv clamps to 4095.
        let fast = Quantizer.neurons(neurons(tauMemory: 1, tauSynapse: 1), maximumWeight: 0.5).parameters
        #expect(fast.du == 4095)
        #expect(fast.dv == 4095)
        // dt 0.5 ms, τ_syn 10 ms: 4095 − 4096 · 0.95 = 203.8 → 204; τ_mem 100 ms: 20.48 → 20.
        let slow = Quantizer.neurons(neurons(tauMemory: 100, tauSynapse: 10, dt: 0.5), maximumWeight: 0.5).parameters
        #expect(slow.du == 204)
        #expect(slow.dv == 20)
        #expect(slow.isPlainLoihi)
    }

    @Test func thresholdIsLimitedByTheLargestWeight() {
        // vth = ⌊255 · 2^7 · (v_threshold − v_leak) / max |w|⌋, so the largest weight is exactly
        // mantissa 255 at exponent 7.
        let (p, scale) = Quantizer.neurons(neurons(), maximumWeight: 0.5)
        #expect(p.vth == 65_280)
        #expect(scale == 65_280)
        // The span, not the threshold, sets it: v_leak −1, v_threshold 1 doubles vth.
        let (q, qScale) = Quantizer.neurons(neurons(threshold: 1, leak: -1), maximumWeight: 2)
        #expect(q.vth == 32_640)
        #expect(qScale == 16_320)
        // A weight larger than 255 · 2^7 spans gets the smallest threshold, 1.
        #expect(Quantizer.neurons(neurons(), maximumWeight: 1e9).parameters.vth == 1)
    }

    @Test func thresholdIsLimitedBy131071() {
        // Small weights would allow a threshold above the 17-bit mantissa.
        let (p, scale) = Quantizer.neurons(neurons(), maximumWeight: 0.1)
        #expect(p.vth == 131_071)
        #expect(scale == 131_071)
        // No incoming weights at all.
        #expect(Quantizer.neurons(neurons(), maximumWeight: 0).parameters.vth == 131_071)
    }

    @Test func biasInVoltageUnits() {
        // bias · scale · 64 = 0.001 · 65280 · 64 = 4177.92 > 4095: exponent 1, mantissa 2088.96 → 2089.
        let (p, _) = Quantizer.neurons(neurons(bias: 0.001), maximumWeight: 0.5)
        #expect(p.biasMantissa == 2089)
        #expect(p.biasExponent == 1)
        let (n, _) = Quantizer.neurons(neurons(bias: -0.001), maximumWeight: 0.5)
        #expect(n.biasMantissa == -2089)
        #expect(n.biasExponent == 1)
        // 0.0005 · 65280 · 64 = 2088.96 fits the mantissa at exponent 0.
        let (s, _) = Quantizer.neurons(neurons(bias: 0.0005), maximumWeight: 0.5)
        #expect(s.biasMantissa == 2089)
        #expect(s.biasExponent == 0)
        let (z, _) = Quantizer.neurons(neurons(), maximumWeight: 0.5)
        #expect(z.biasMantissa == 0 && z.biasExponent == 0)
        // The exponent grows only past a mantissa of 4095: 4094.9 units stay at exponent 0
        // (mantissa 4095), 4095.6 take exponent 1 (2047.8 → 2048).
        let (edge, _) = Quantizer.neurons(neurons(bias: 4094.9 / (65_280 * 64)), maximumWeight: 0.5)
        #expect(edge.biasMantissa == 4095 && edge.biasExponent == 0)
        let (past, _) = Quantizer.neurons(neurons(bias: 4095.6 / (65_280 * 64)), maximumWeight: 0.5)
        #expect(past.biasMantissa == 2048 && past.biasExponent == 1)
        // The largest bias the chip holds at this scale: 4095 · 2^7 mantissa units.
        let (_, scale) = Quantizer.neurons(neurons(), maximumWeight: 0.5)
        #expect(scale == 65_280 && Quantizer.largestBias(scale: scale) == 4095.0 * 128 / (65_280 * 64))
    }

    /// At `smallestMaximumWeight(holding: b)` the scale holds b, whatever the span, and just
    /// below 8190 thresholds per step (bias_mant 4095 · 2^7 at vth 1) still does.
    @Test func smallestMaximumWeightHoldsTheBias() {
        for (bias, threshold) in [(0.2, 1.0), (0.001, 1.0), (3.7, 2.5), (1e-6, 40.0), (8189.0, 1.0), (0.5, 0.3)] {
            let float = neurons(threshold: threshold, bias: bias)
            let (parameters, scale) = Quantizer.neurons(float, maximumWeight: Quantizer.smallestMaximumWeight(holding: -bias))
            #expect(bias <= Quantizer.largestBias(scale: scale), "bias \(bias), threshold \(threshold)")
            let realised = Double(parameters.biasMantissa) * Double(1 << parameters.biasExponent) / (scale * 64)
            #expect(abs(realised - bias) <= 0.5 * Double(1 << parameters.biasExponent) / (scale * 64), "bias \(bias) realised as \(realised)")
            // Two mantissa units more would not hold it: the scale is within one unit of the largest
            // that does (one is given up to rounding when 8190 / b is a whole number).
            #expect(bias > Quantizer.largestBias(scale: (Double(parameters.vth) + 2) / threshold) || parameters.vth == 131_071, "bias \(bias)")
        }
    }

    // MARK: weights

    @Test func smallestExponentThatKeepsMantissasWithin255() {
        // Scale 1: weights 3, 100, 510 → 510 / 2 = 255 at exponent 1; exponent 0 would need 510.
        let (weights, exponent, mode, _) = Quantizer.weights([3, 100, 510], scale: 1, name: "p")
        #expect(exponent == 1)
        #expect(mode == .excitatory)
        #expect(weights == [2, 50, 255])  // 1.5 rounds away from zero
        // 511 no longer fits at exponent 1.
        #expect(Quantizer.weights([511], scale: 1, name: "p").exponent == 2)
        // Exactly 255 stays at exponent 0; tiny weights go down to −8.
        #expect(Quantizer.weights([255], scale: 1, name: "p").exponent == 0)
        #expect(Quantizer.weights([0.5], scale: 1, name: "p").exponent == -8)
        #expect(Quantizer.weights([0.5], scale: 1, name: "p").weights == [128])
        // The largest weight at the threshold the quantizer chose: mantissa 255 at exponent 7.
        let (big, bigExponent, _, _) = Quantizer.weights([0.5, 0.25], scale: 65_280, name: "p")
        #expect(bigExponent == 7)
        #expect(big == [255, 128])
    }

    @Test func signModesAreInferred() {
        #expect(Quantizer.weights([1, 2, 3], scale: 1, name: "p").signMode == .excitatory)
        #expect(Quantizer.weights([-1, -2, -3], scale: 1, name: "p").signMode == .inhibitory)
        #expect(Quantizer.weights([-1, 2], scale: 1, name: "p").signMode == .mixed)
        #expect(Quantizer.weights([-200, -10], scale: 1, name: "p").weights == [-200, -10])
        #expect(Quantizer.weights([], scale: 1, name: "p").signMode == .excitatory)
    }

    @Test func mixedProjectionsGetEvenMantissas() {
        // Mixed mode loses the lowest bit at 8 weight bits, so odd mantissas would not be stored.
        let float = randomWeights(200, in: -1...1, seed: 11) + [1, -1]
        let (weights, exponent, mode, _) = Quantizer.weights(float, scale: 32_640, name: "p")
        #expect(mode == .mixed)
        #expect(exponent == 7)
        #expect(weights.allSatisfy { $0 % 2 == 0 }, "odd: \(weights.filter { $0 % 2 != 0 })")
        #expect(weights.allSatisfy { (-256...254).contains($0) })
        // ±1 · 32640 / 128 = ±255: +255 can only be stored as 254, −255 as −256.
        #expect(weights.suffix(2) == [254, -256])
    }

    @Test(arguments: [(-1.0...1.0, 32_640.0), (0.0...0.5, 65_280.0), (-3.0...0.0, 1000.0), (-0.01...0.02, 131_071.0), (-1.0...1.0, 77.0)])
    func reportedErrorsMatchARecomputation(range: ClosedRange<Double>, scale: Double) {
        let float = randomWeights(300, in: range, seed: 5)
        let (weights, exponent, mode, report) = Quantizer.weights(float, scale: scale, name: "proj")
        #expect(report.projection == "proj")
        #expect(report.weightExponent == exponent)
        #expect(report.signMode == mode)
        let expected = recomputed(float, weights: weights, exponent: exponent, signMode: mode, scale: scale)
        #expect(abs(report.relativeRMSError - expected.relative) <= 1e-12 * expected.relative)
        #expect(report.maximumAbsoluteError == expected.maximum)
        // Rounding to the nearest representable weight: at most half a step (2 units in mixed mode).
        let step = mode == .mixed ? 2.0 : 1.0
        let halfStep = pow(2, Double(exponent)) * step / scale / 2
        #expect(report.maximumAbsoluteError <= halfStep * (1 + 1e-12))
        #expect(report.maximumAbsoluteError > 0)
        #expect(report.relativeRMSError < 0.02)
    }

    @Test func integerRepresentableWeightsQuantizeExactly() {
        // Excitatory at scale 1: 255 · 2^7, 128 = 1 · 2^7, 1280 = 10 · 2^7.
        let exact = Quantizer.weights([32_640, 128, 1280], scale: 1, name: "p")
        #expect(exact.exponent == 7)
        #expect(exact.weights == [255, 1, 10])
        #expect(exact.report.relativeRMSError == 0)
        #expect(exact.report.maximumAbsoluteError == 0)
        // Mixed: multiples of 2 · 2^2 fit even mantissas at exponent 2.
        let mixed = Quantizer.weights([1000, -248, 8], scale: 1, name: "p")
        #expect(mixed.exponent == 2)
        #expect(mixed.weights == [250, -62, 2])
        #expect(mixed.report.relativeRMSError == 0)
        #expect(mixed.report.maximumAbsoluteError == 0)
        // A power-of-two scale keeps dyadic float weights exact too.
        let scaled = Quantizer.weights([0.5, 0.25, 0.125], scale: 512, name: "p")
        #expect(scaled.exponent == 1)
        #expect(scaled.weights == [128, 64, 32])
        #expect(scaled.report.maximumAbsoluteError == 0)
    }

    @Test func weightsBeyondTheLargestExponentAreClampedAndReported() {
        // Only reachable when the threshold mantissa is already at its floor of 1 (a weight
        // over 255 · 2^7 threshold spans): 50000 at scale 1 needs mantissa 390.6 at exponent 7,
        // so it is clamped to 255, and the report says so with its error instead of hiding it.
        let (parameters, scale) = Quantizer.neurons(neurons(), maximumWeight: 50_000)
        #expect(parameters.vth == 1 && scale == 1)
        let (weights, exponent, _, report) = Quantizer.weights([50_000, 100], scale: scale, name: "p")
        #expect(exponent == 7)
        #expect(weights == [255, 1])
        #expect(report.maximumAbsoluteError == 50_000 - 255 * 128)
        let expected = recomputed([50_000, 100], weights: weights, exponent: exponent, signMode: .excitatory, scale: scale)
        #expect(abs(report.relativeRMSError - expected.relative) <= 1e-12 * expected.relative)
        #expect(report.relativeRMSError > 0.3)
    }

    /// Weights near the largest doubles would square to infinity: the error is still a number.
    @Test func hugeWeightsReportAFiniteError() {
        let (_, _, _, report) = Quantizer.weights([1e300, -3e299], scale: 1e-300, name: "p")
        #expect(report.relativeRMSError.isFinite && report.relativeRMSError >= 0 && report.relativeRMSError < 1)
    }

    @Test func allZeroWeightsReportNoError() {
        let (weights, _, mode, report) = Quantizer.weights([0, 0], scale: 100, name: "p")
        #expect(weights == [0, 0])
        #expect(mode == .excitatory)
        #expect(report.relativeRMSError == 0)
        #expect(report.maximumAbsoluteError == 0)
    }
}
