import Chip

/// Quantizes one imported population and the projections onto it, with the float `lif` path of
/// network files (`Quantizer`), after the normalisation of `NIRNeuronConversion`.
enum NIRPopulationQuantizer {
    /// Sets the population's integer neuron parameters and the weights, exponents and sign modes
    /// of every projection onto it. `bias` is the bias reaching each neuron (NIR units, before the
    /// neuron's gain). Returns the weight reports and how the population's chip voltages read in
    /// NIR units.
    static func quantize(population index: Int, conversion: NIRNeuronConversion, bias: [Double], dt: Double,
                         populations: inout [PopulationDescription], projections: inout [ProjectionDescription],
                         fail: (String) -> NIRError) throws(NIRError) -> (reports: [QuantizationReport], voltageUnits: NIRVoltageUnits) {
        var reports: [QuantizationReport] = []
        let incoming = projections.indices.filter { projections[$0].target == index }
        let largest = incoming.flatMap { projections[$0].floatWeights ?? [] }.map(abs).max() ?? 0
        // Headroom: Loihi's current u is a 24-bit value, so the largest input one step can
        // bring (every source spiking at once: the sum of a neuron's positive or negative
        // weights), accumulated over the synaptic time constant, must stay below 2^23 chip
        // units. Quantizer.neurons puts the largest weight at 255 · 2^7 mantissa units, so a
        // peak of P float units needs a reference weight of at least P / 4.
        var positive = [Double](repeating: 0, count: populations[index].size)
        var negative = positive
        for p in incoming {
            for (synapse, w) in zip(projections[p].synapses, projections[p].floatWeights ?? []) {
                if w > 0 { positive[Int(synapse.target)] += w } else { negative[Int(synapse.target)] -= w }
            }
        }
        var peak = 0.0
        var accumulation = 1.0
        for i in positive.indices {
            let steps = conversion.floats[i].tauSynapse / dt
            let neuronPeak = max(positive[i], negative[i]) * steps
            guard neuronPeak.isFinite else {
                let sign = positive[i] >= negative[i] ? "positive" : "negative"
                throw fail("the \(sign) weights onto neuron \(i), summed over one step and accumulated over tau_syn/dt = \(steps) steps, exceed the range of a Double (\(neuronPeak)); no chip scale holds such an input: scale down the weights of the nodes before it")
            }
            peak = max(peak, neuronPeak)
            accumulation = max(accumulation, conversion.floats[i].tauMemory / dt)
        }
        if let i = bias.indices.first(where: { !(bias[$0] * conversion.biasGains[$0]).isFinite }) {
            throw fail("the bias reaching neuron \(i) is not finite (\(bias[i] * conversion.biasGains[i])): the biases, weights and gains on the way multiply beyond the range of a Double")
        }
        // A readout never spikes: its threshold sits above the largest voltage its inputs and
        // bias can build up over the membrane time constant (one value for the population).
        let largestBias = bias.indices.map { abs(bias[$0] * conversion.biasGains[$0]) }.max() ?? 0
        let readoutThreshold = max((peak + largestBias) * accumulation, 1e-9)
        if conversion.isReadout, !readoutThreshold.isFinite {
            throw fail("as a readout it needs a threshold above the largest voltage its inputs (up to \(peak) per step) and bias (up to \(largestBias) per step) build over tau_mem/dt = \(accumulation) steps, and that voltage exceeds the range of a Double; scale down the weights and biases before it, or shorten tau_mem")
        }
        // The scale fits the largest weight, the peak (headroom) and the largest bias: a bias of
        // b voltage units needs a threshold mantissa of at most 8190 / b (bias_mant 4095 · 2^7).
        let reference = max(largest, peak / 4, Quantizer.smallestMaximumWeight(holding: largestBias))
        var scale = 1.0
        var parameters: [LoihiNeuron.Parameters] = []
        for i in 0..<populations[index].size {
            var float = conversion.floats[i]
            float.bias = bias[i] * conversion.biasGains[i]
            if conversion.isReadout { float.threshold = readoutThreshold }
            let (neuron, neuronScale) = Quantizer.neurons(float, maximumWeight: reference)
            guard abs(float.bias) <= Quantizer.largestBias(scale: neuronScale) else {
                // Only a bias beyond 8190 thresholds per step, at threshold mantissa 1, gets here.
                let span = float.threshold - float.leak
                throw fail("neuron \(i)'s bias is \(abs(float.bias) / span) thresholds per step, beyond the \(Quantizer.largestBias(scale: neuronScale) / span) the chip's bias holds at the smallest scale (threshold mantissa \(neuron.vth), bias_mant 4095 · 2^7); a bias above 1 threshold per step fires the neuron at every step whatever its input: reduce the bias reaching it (the `bias` of the Affine or Conv node before it) or raise its v_threshold")
            }
            parameters.append(neuron)
            scale = neuronScale
        }
        populations[index].neurons = parameters
        for p in incoming {
            let (weights, exponent, signMode, report) = Quantizer.weights(projections[p].floatWeights ?? [], scale: scale, name: projections[p].name)
            for j in weights.indices { projections[p].synapses[j].weight = weights[j] }
            projections[p].weightExponent = exponent
            projections[p].signMode = signMode
            reports.append(report)
        }
        // Chip v = x · scale · 64 and v_NIR = leak + x · span, span per neuron.
        return (reports, NIRVoltageUnits(rest: conversion.leaks, chipUnitsPerNIRUnit: conversion.spans.map { scale * 64 / $0 }))
    }
}
