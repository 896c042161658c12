import Chip
import Foundation
import Testing
@testable import Host

/// End to end: float `lif` networks through the quantizer, the partitioner and the loader, with
/// the weights the chip really holds compared against the float weights of the file.
@Suite struct QuantizationRoundTripTests {
    /// A float network: 12 inputs drive `hidden` (mixed-sign float weights of many magnitudes),
    /// which drives `out` (excitatory) with a delay.
    static let floatText: String = {
        var generator = SeededGenerator(seed: 21)
        func weight(_ low: Double, _ high: Double) -> String {
            String(format: "%.6f", low + (high - low) * generator.nextUnitInterval())
        }
        let hidden = (0..<10).map { _ in "[" + (0..<12).map { _ in weight(-0.8, 1.3) }.joined(separator: ", ") + "]" }
        let out = (0..<3).map { _ in "[" + (0..<10).map { _ in weight(0.01, 0.4) }.joined(separator: ", ") + "]" }
        return """
            { "format": "neuroemu-network/1", "name": "float", "steps": 40, "seed": 2,
              "inputs": [{ "name": "in", "size": 12, "poisson": { "probability": 0.3 } }],
              "populations": [
                { "name": "hidden", "size": 10, "neuron": { "model": "lif", "tau_mem": 20e-3, "tau_syn": 5e-3, "dt": 1e-3,
                                                           "v_threshold": 1.0, "v_reset": 0.0, "v_leak": 0.0, "bias": 0.01 } },
                { "name": "out", "size": 3, "neuron": { "model": "lif", "tau_mem": 10e-3, "tau_syn": 2e-3, "dt": 1e-3,
                                                       "v_threshold": 0.5, "v_reset": -0.1, "v_leak": -0.1 } }
              ],
              "projections": [
                { "name": "in_hidden", "source": "in", "target": "hidden", "weights": [\(hidden.joined(separator: ", "))] },
                { "name": "hidden_out", "source": "hidden", "target": "out", "delay": 3, "weights": [\(out.joined(separator: ", "))] }
              ] }
            """
    }()

    /// Float weights by (projection, source, target), read back from the file's matrices.
    static func floatWeights(_ network: NetworkDescription) -> [[Int: Double]] {
        network.projections.map { projection in
            var weights: [Int: Double] = [:]
            for (k, synapse) in projection.synapses.enumerated() {
                weights[Int(synapse.source) << 32 | Int(synapse.target)] = projection.floatWeights?[k]
            }
            return weights
        }
    }

    /// The float weight each loaded synapse realises — stored weight × 2^(its group's exponent)
    /// ÷ the target population's scale vth / (v_threshold − v_leak) — next to the file's float
    /// weight, by projection.
    static func realisedWeights(_ network: NetworkDescription, on chip: ChipDescription) throws -> [[(realised: Double, float: Double)]] {
        let mapping = try Partitioner.partition(network, on: chip)
        let loaded = try ChipLoader.load(network, mapping: mapping, on: chip)
        let check = MappingCheck(network: network, chip: chip, mapping: mapping, loaded: loaded)
        let floats = floatWeights(network)
        var result = Array(repeating: [(realised: Double, float: Double)](), count: network.projections.count)
        var missing = 0
        let problems = check.forEachSynapse { core, _, source, target, projection, synapse in
            guard let projection, let float = floats[projection][source.index << 32 | target.index],
                  let description = network.populations[target.population].float else {
                missing += 1
                return
            }
            let slice = mapping.slices.first { $0.population == target.population && $0.start <= target.index && target.index < $0.start + $0.count }!
            let vth = loaded.programs[core].neurons[slice.coreOffset + target.index - slice.start].vth
            let scale = Double(vth) / (description.threshold - description.leak)
            let exponent = Int(loaded.programs[core].groupExponents[Int(synapse.group)])
            result[projection].append((Double(synapse.weight) * pow(2, Double(exponent)) / scale, float))
        }
        #expect(problems == [] && missing == 0)
        return result
    }

    @Test func theReportedErrorBoundHoldsForTheWeightsTheChipHolds() throws {
        let network = try NetworkFile.parse(Self.floatText, file: "float.json")
        let chip = try ChipPresets.resolve("loihi")
        let realised = try Self.realisedWeights(network, on: chip)
        #expect(network.quantization.map(\.projection) == ["in_hidden", "hidden_out"])
        #expect(network.quantization.map(\.signMode) == [.mixed, .excitatory])
        for (index, report) in network.quantization.enumerated() {
            let pairs = realised[index]
            #expect(pairs.count == network.projections[index].synapses.count)
            let errors = pairs.map { abs($0.realised - $0.float) }
            let worst = errors.max() ?? 0
            let squaredError = pairs.reduce(0) { $0 + ($1.realised - $1.float) * ($1.realised - $1.float) }
            let squaredWeight = pairs.reduce(0) { $0 + $1.float * $1.float }
            // The report is the truth about the chip: the largest error and the relative RMS
            // error of the weights it really holds.
            #expect(abs(worst - report.maximumAbsoluteError) <= 1e-12 * max(1, worst), "\(report)")
            #expect(abs((squaredError / squaredWeight).squareRoot() - report.relativeRMSError) <= 1e-9, "\(report)")
            // And the bound is half a quantization step: 2^exp / scale, twice that in mixed mode
            // (whose lowest mantissa bit the chip drops).
            let target = network.projections[index].target
            let float = try #require(network.populations[target].float)
            let scale = Double(network.populations[target].neurons[0].vth) / (float.threshold - float.leak)
            let step = pow(2, Double(report.weightExponent)) / scale * (report.signMode == .mixed ? 2 : 1)
            #expect(worst <= step / 2 * (1 + 1e-12), "\(report): worst \(worst), half step \(step / 2)")
            #expect(report.relativeRMSError > 0 && report.relativeRMSError < 0.02, "\(report)")
        }
    }

    /// Float parameters whose quantization is exact: span v_threshold − v_leak = 1 and largest
    /// weight 255 (or 254, mixed) give vth = ⌊255 · 128 / 255⌋ = 128, a scale of 128 mantissa units
    /// per float unit, weight_exp 7 and mantissas equal to the float weights, which are integers
    /// (even in mixed mode). τ_syn = 4 dt and τ_mem = 8 dt give du = 4095 − 3072 = 1023, dv = 512.
    static func exactText(model: String) -> String {
        let neuron = model == "lif"
            ? #"{ "model": "lif", "tau_mem": 8, "tau_syn": 4, "dt": 1, "v_threshold": 1, "v_reset": 0, "v_leak": 0 }"#
            : #"{ "model": "loihi_lif", "du": 1023, "dv": 512, "vth": 128 }"#
        let exponent = model == "lif" ? "" : #""weight_exp": 7, "#
        return """
            { "format": "neuroemu-network/1", "name": "exact", "steps": 60, "seed": 5,
              "inputs": [{ "name": "in", "size": 4, "poisson": { "probability": 0.4 } }],
              "populations": [{ "name": "A", "size": 3, "neuron": \(neuron) },
                              { "name": "B", "size": 2, "neuron": \(neuron) }],
              "projections": [
                { "name": "in_A", "source": "in", "target": "A", \(exponent)"weights": [[255, 17, 0, 90], [3, 200, 128, 1], [64, 0, 33, 250]] },
                { "name": "A_B", "source": "A", "target": "B", \(exponent)"delay": 2, "weights": [[-254, 130, 96], [60, -2, 254]] }
              ],
              "probes": [{ "target": "A", "record": ["u", "v"] }, { "target": "B", "record": ["spikes", "v"] }] }
            """
    }

    @Test func anExactlyRepresentableFloatNetworkQuantizesWithoutError() throws {
        let float = try NetworkFile.parse(Self.exactText(model: "lif"), file: "exact-float.json")
        #expect(float.quantization.map(\.relativeRMSError) == [0, 0])
        #expect(float.quantization.map(\.maximumAbsoluteError) == [0, 0])
        #expect(float.quantization.map(\.weightExponent) == [7, 7])
        #expect(float.quantization.map(\.signMode) == [.excitatory, .mixed])
        let realised = try Self.realisedWeights(float, on: ChipPresets.resolve("tiny"))
        #expect(realised.map(\.count) == float.projections.map(\.synapses.count) && !realised.joined().isEmpty)
        #expect(realised.allSatisfy { $0.allSatisfy { $0.realised == $0.float } })

        // The same network written in chip integers is the same network: same parameters, same
        // synapses, and a run gives the same trace, line for line.
        let integer = try NetworkFile.parse(Self.exactText(model: "loihi_lif"), file: "exact-int.json")
        #expect(float.populations.map(\.neurons) == integer.populations.map(\.neurons))
        #expect(float.projections.map(\.synapses) == integer.projections.map(\.synapses))
        #expect(float.projections.map(\.weightExponent) == integer.projections.map(\.weightExponent))
        #expect(float.projections.map(\.signMode) == integer.projections.map(\.signMode))
        let chip = try ChipPresets.resolve("tiny")
        let floatRun = try traceOfRun(float, on: chip, level: .spikes)
        let integerRun = try traceOfRun(integer, on: chip, level: .spikes)
        #expect(floatRun.text == integerRun.text)
        #expect(floatRun.result.neuronSpikes > 5)
    }
}
