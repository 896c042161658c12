import Chip

/// Quantizes one imported population and the projections onto it, with the float `lif` path of
/// network files (`Quantizer`), after the normalisation of `NIRNeuronConversion`.
enum NIRPopulationQuantizer {
    /// Sets the population's integer neuron parameters and the weights, exponents and sign modes
    /// of every projection onto it. `bias` is the bias reaching each neuron (NIR units, before the
    /// neuron's gain). Returns the weight reports and the voltage scale: chip v units per NIR
    /// volt (`v_NIR = v_leak + v_chip / scale`).
    static func quantize(population index: Int, conversion: NIRNeuronConversion, bias: [Double], dt: Double,
                         populations: inout [PopulationDescription], projections: inout [ProjectionDescription],
                         fail: (String) -> NIRError) throws(NIRError) -> (reports: [QuantizationReport], voltageScale: Double) {
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
            peak = max(peak, max(positive[i], negative[i]) * steps)
            accumulation = max(accumulation, conversion.floats[i].tauMemory / dt)
        }
        let reference = max(largest, peak / 4)
        var scale = 1.0
        var parameters: [LoihiNeuron.Parameters] = []
        // A readout never spikes: its threshold sits above the largest voltage its inputs and
        // bias can build up over the membrane time constant (one value for the population).
        let largestBias = bias.indices.map { abs(bias[$0] * conversion.biasGains[$0]) }.max() ?? 0
        let readoutThreshold = max((peak + largestBias) * accumulation, 1e-9)
        for i in 0..<populations[index].size {
            var float = conversion.floats[i]
            float.bias = bias[i] * conversion.biasGains[i]
            if conversion.isReadout { float.threshold = readoutThreshold }
            let (neuron, neuronScale) = Quantizer.neurons(float, maximumWeight: reference)
            guard abs(float.bias) <= Quantizer.largestBias(scale: neuronScale) else {
                throw fail("neuron \(i)'s bias \(float.bias) is beyond the ±\(Quantizer.largestBias(scale: neuronScale)) the chip's bias holds at this population's scale")
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
        // Chip v = x · scale · 64 and v_NIR = leak + x · span (one span per population for readouts).
        return (reports, scale * 64 / (conversion.spans.first ?? 1))
    }
}
