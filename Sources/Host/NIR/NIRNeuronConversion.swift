/// How a NIR neuron node maps onto the float `lif` model the `Quantizer` converts to Loihi
/// integers. Every neuron is normalised so that its threshold sits 1 above its rest:
///
///     x = (v − v_leak) / (v_threshold − v_leak)
///
/// which leaves spikes unchanged and lets neurons with different thresholds, resistances and
/// time constants share one population (Loihi's threshold is per population, its decays and
/// bias per neuron). An input I (the weighted sum of spikes, plus biases) then adds `gain · I`
/// to x (LIF, IF, LI, Threshold) or to the synaptic current (CubaLIF, CubaLI):
///
/// | node | gain | τ_mem | τ_syn |
/// |---|---|---|---|
/// | LIF | dt/τ · r / span | τ | dt (current lasts one step) |
/// | CubaLIF | dt/τ_mem · r · w_in / span | τ_mem | τ_syn |
/// | IF | r / span | ∞ (no leak) | dt |
/// | LI, CubaLI | as LIF, CubaLIF with span 1 | | |
/// | Threshold | 1 / threshold | dt | dt |
struct NIRNeuronConversion {
    /// One per neuron.
    var floats: [FloatNeurons]
    /// Multiplies every incoming weight of neuron i.
    var gains: [Double]
    /// Constant input per step, in x units, that a bias b adds: `biasGain[i] · b`.
    var biasGains: [Double]
    /// NIR volts per x unit (the span), and the rest, per neuron: v = leak + x · span.
    var spans: [Double]
    var leaks: [Double]
    /// True for LI and CubaLI: never spike; read through `mean_v` / `last_v`.
    var isReadout: Bool

    static func convert(_ node: NIRNode, size: Int, dt: Double, name: String, file: String) throws(NIRError) -> NIRNeuronConversion {
        func value(_ tensor: NIRTensor, _ i: Int) -> Double { tensor.values[tensor.count == 1 ? 0 : i] }
        func fail(_ reason: String) -> NIRError { .cannotMap(file: file, node: name, reason: reason) }
        let tensors: [NIRTensor]
        switch node {
        case let .lif(a, b, c, d, e): tensors = [a, b, c, d, e]
        case let .cubaLIF(a, b, c, d, e, f, g): tensors = [a, b, c, d, e, f, g]
        case let .integrateAndFire(a, b, c): tensors = [a, b, c]
        case let .leakyIntegrator(a, b, c): tensors = [a, b, c]
        case let .cubaLI(a, b, c, d, e): tensors = [a, b, c, d, e]
        case .threshold(let a): tensors = [a]
        default: tensors = []
        }
        for tensor in tensors where tensor.count != 1 && tensor.count != size {
            throw fail("a parameter has \(tensor.count) values for \(size) neurons; give one value or one per neuron")
        }
        var result = NIRNeuronConversion(floats: [], gains: [], biasGains: [], spans: [], leaks: [], isReadout: false)
        for i in 0..<size {
            var tauMemory = dt, tauSynapse = dt, gain = 1.0, span = 1.0, leak = 0.0
            func checkTau(_ tau: Double, _ key: String) throws(NIRError) {
                guard tau >= dt else {
                    throw fail("\(key) = \(tau) s at neuron \(i) is shorter than the step dt = \(dt) s; use a smaller --dt")
                }
            }
            func checkSpan(threshold: Double, reset: Double, rest: Double) throws(NIRError) {
                guard threshold > rest else { throw fail("v_threshold (\(threshold)) must be above the resting voltage (\(rest)) at neuron \(i)") }
                guard reset == rest else {
                    throw fail("v_reset (\(reset)) differs from the resting voltage (\(rest)) at neuron \(i); the chip resets a neuron to rest")
                }
                span = threshold - rest
                leak = rest
            }
            switch node {
            case let .lif(tau, r, vLeak, vThreshold, vReset):
                try checkTau(value(tau, i), "tau")
                try checkSpan(threshold: value(vThreshold, i), reset: value(vReset, i), rest: value(vLeak, i))
                tauMemory = value(tau, i)
                gain = dt / tauMemory * value(r, i) / span
            case let .cubaLIF(tauMem, tauSyn, r, vLeak, vThreshold, vReset, wIn):
                try checkTau(value(tauMem, i), "tau_mem")
                try checkTau(value(tauSyn, i), "tau_syn")
                try checkSpan(threshold: value(vThreshold, i), reset: value(vReset, i), rest: value(vLeak, i))
                tauMemory = value(tauMem, i)
                tauSynapse = value(tauSyn, i)
                gain = dt / tauMemory * value(r, i) * value(wIn, i) / span
            case let .integrateAndFire(r, vThreshold, vReset):
                try checkSpan(threshold: value(vThreshold, i), reset: value(vReset, i), rest: 0)
                tauMemory = .infinity
                gain = value(r, i) / span
            case let .leakyIntegrator(tau, r, vLeak):
                try checkTau(value(tau, i), "tau")
                tauMemory = value(tau, i)
                leak = value(vLeak, i)
                gain = dt / tauMemory * value(r, i)
                result.isReadout = true
            case let .cubaLI(tauMem, tauSyn, r, vLeak, wIn):
                try checkTau(value(tauMem, i), "tau_mem")
                try checkTau(value(tauSyn, i), "tau_syn")
                tauMemory = value(tauMem, i)
                tauSynapse = value(tauSyn, i)
                leak = value(vLeak, i)
                gain = dt / tauMemory * value(r, i) * value(wIn, i)
                result.isReadout = true
            case .threshold(let threshold):
                guard value(threshold, i) > 0 else { throw fail("threshold (\(value(threshold, i))) must be positive at neuron \(i): the chip compares against a positive threshold") }
                span = value(threshold, i)
                gain = 1 / span
            default:
                throw fail("\(node.typeName) is not a neuron")
            }
            // A bias enters the synaptic current; Loihi adds bias to v, so for a current-based
            // neuron the bias is its steady-state effect on v: one step's input lasts τ_syn/dt steps.
            let biasGain = gain * tauSynapse / dt
            guard gain.isFinite else {
                throw fail("its parameters at neuron \(i) give an input gain of \(gain) (r, w_in and the time constants over the threshold span); it must be finite")
            }
            guard biasGain.isFinite else {
                throw fail("its parameters at neuron \(i) give a bias gain of \(biasGain) (the input gain \(gain) times tau_syn / dt); it must be finite")
            }
            result.floats.append(FloatNeurons(tauMemory: tauMemory, tauSynapse: tauSynapse, dt: dt, threshold: 1, reset: 0, leak: 0, bias: 0))
            result.gains.append(gain)
            result.biasGains.append(biasGain)
            result.spans.append(span)
            result.leaks.append(leak)
        }
        return result
    }
}
