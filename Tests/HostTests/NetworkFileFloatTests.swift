import Chip
import Foundation
import Testing
@testable import Host

/// A network with an integer population `I` (2 neurons), an input `in` (2 neurons) and the float
/// population `F` (2 neurons) whose neuron object holds `neuron`, plus `projections`.
private func floatNetwork(
    neuron: String = #""tau_mem": 20, "tau_syn": 5, "dt": 1, "v_threshold": 1.0"#,
    projections: String = "[]"
) -> String {
    """
    { "format": "neuroemu-network/1", "name": "float", "steps": 10,
      "inputs": [{ "name": "in", "size": 2, "spike_times": [[1, 3], [2]] }],
      "populations": [
        { "name": "I", "size": 2, "neuron": { "model": "loihi_lif", "vth": 10 } },
        { "name": "F", "size": 2, "neuron": { "model": "lif", \(neuron) } }
      ],
      "projections": \(projections) }
    """
}

/// `floatNetwork` with one projection `p` from `in` to `F` holding `body`.
private func floatProjection(_ body: String, source: String = "in") -> String {
    floatNetwork(projections: #"[{ "name": "p", "source": "\#(source)", "target": "F", \#(body) }]"#)
}

private func parseError(_ text: String) -> ConfigError? {
    do {
        _ = try NetworkFile.parse(text, file: "f.json")
        return nil
    } catch {
        return error
    }
}

struct BadFloatCase: Sendable, CustomTestStringConvertible {
    var label: String
    var text: String
    var path: String
    var rule: String
    var testDescription: String { label }
}

private let notAvailable = #"not available on a projection onto the float population "F": the quantizer chooses weight exponents and sign modes; use "weights", "sparse", "one_to_one", "all_to_all" or "random" with float weights"#

private let badFloatCases: [BadFloatCase] = [
    // The scale is chosen to hold the bias too, down to a threshold mantissa of 1, where the
    // bias holds at most 4095 · 2^7 / 64 = 8190 spans: a bias of 9000 would have been clamped.
    BadFloatCase(label: "bias beyond what the chip holds",
        text: floatNetwork(neuron: #""tau_mem": 20, "tau_syn": 5, "dt": 1, "v_threshold": 1.0, "bias": 9000.0"#),
        path: "$.populations[1].neuron.bias",
        rule: "9000.0 is beyond the ±8190.0 voltage units the chip's bias holds at the smallest scale (threshold mantissa 1, bias_mant 4095 · 2^7): a bias above the threshold span fires the neuron at every step whatever its input; reduce it or widen v_threshold − v_leak"),
    BadFloatCase(label: "v_reset differs from v_leak",
        text: floatNetwork(neuron: #""tau_mem": 20, "tau_syn": 5, "dt": 1, "v_threshold": 1.0, "v_leak": 0.0, "v_reset": -0.5"#),
        path: "$.populations[1].neuron.v_reset", rule: "must equal v_leak (0.0): the chip resets v to its resting value, got -0.5"),
    BadFloatCase(label: "v_reset given, v_leak defaulted",
        text: floatNetwork(neuron: #""tau_mem": 20, "tau_syn": 5, "dt": 1, "v_threshold": 1.0, "v_reset": 0.25"#),
        path: "$.populations[1].neuron.v_reset", rule: "must equal v_leak (0.0): the chip resets v to its resting value, got 0.25"),
    BadFloatCase(label: "v_threshold at v_leak",
        text: floatNetwork(neuron: #""tau_mem": 20, "tau_syn": 5, "dt": 1, "v_threshold": -65, "v_leak": -65, "v_reset": -65"#),
        path: "$.populations[1].neuron.v_threshold", rule: "must be above v_leak (-65.0), got -65.0"),
    BadFloatCase(label: "v_threshold below v_leak",
        text: floatNetwork(neuron: #""tau_mem": 20, "tau_syn": 5, "dt": 1, "v_threshold": -1"#),
        path: "$.populations[1].neuron.v_threshold", rule: "must be above v_leak (0.0), got -1.0"),
    BadFloatCase(label: "threshold span beyond a Double",
        text: floatNetwork(neuron: #""tau_mem": 20, "tau_syn": 5, "dt": 1, "v_threshold": 1e308, "v_leak": -1e308"#),
        path: "$.populations[1].neuron.v_threshold",
        rule: "v_threshold − v_leak must be a finite number, got 1e+308 − (-1e+308), beyond 1.7976931348623157e+308"),
    BadFloatCase(label: "tau_syn below dt",
        text: floatNetwork(neuron: #""tau_mem": 20, "tau_syn": 0.5, "dt": 1, "v_threshold": 1"#),
        path: "$.populations[1].neuron.tau_syn", rule: "must be at least dt (1.0); a time constant shorter than the step cannot be integrated"),
    BadFloatCase(label: "tau_mem below dt",
        text: floatNetwork(neuron: #""tau_mem": 0.1, "tau_syn": 5, "dt": 0.25, "v_threshold": 1"#),
        path: "$.populations[1].neuron.tau_mem", rule: "must be at least dt (0.25); a time constant shorter than the step cannot be integrated"),
    BadFloatCase(label: "dt zero",
        text: floatNetwork(neuron: #""tau_mem": 20, "tau_syn": 5, "dt": 0, "v_threshold": 1"#),
        path: "$.populations[1].neuron.dt", rule: "must be a positive number, got 0"),
    BadFloatCase(label: "negative tau_mem",
        text: floatNetwork(neuron: #""tau_mem": -20, "tau_syn": 5, "dt": 1, "v_threshold": 1"#),
        path: "$.populations[1].neuron.tau_mem", rule: "must be a positive number, got -20"),
    BadFloatCase(label: "missing v_threshold",
        text: floatNetwork(neuron: #""tau_mem": 20, "tau_syn": 5, "dt": 1"#),
        path: "$.populations[1].neuron", rule: #"missing required key "v_threshold""#),
    BadFloatCase(label: "unknown key in a lif neuron",
        text: floatNetwork(neuron: #""tau_mem": 20, "tau_syn": 5, "dt": 1, "v_threshold": 1, "tau_sym": 5"#),
        path: "$.populations[1].neuron.tau_sym", rule: #"unknown key "tau_sym"; did you mean "tau_syn"?"#),
    BadFloatCase(label: "integer parameter in a lif neuron",
        text: floatNetwork(neuron: #""tau_mem": 20, "tau_syn": 5, "dt": 1, "v_threshold": 1, "bias_mant": 5"#),
        path: "$.populations[1].neuron.bias_mant",
        rule: #""bias_mant" is a parameter of the integer models "loihi_lif" and "neuroemu_lif", not of "lif", whose keys are "model", "tau_mem", "tau_syn", "dt", "v_threshold", "v_reset", "v_leak", "bias""#),
    BadFloatCase(label: "weight_exp onto a float population",
        text: floatProjection(#""weight_exp": 2, "weights": [[0.5, 0], [0, 0.5]]"#),
        path: "$.projections[0].weight_exp", rule: notAvailable),
    BadFloatCase(label: "sign_mode onto a float population",
        text: floatProjection(#""sign_mode": "excitatory", "weights": [[0.5, 0], [0, 0.5]]"#),
        path: "$.projections[0].sign_mode", rule: notAvailable),
    BadFloatCase(label: "num_weight_bits onto a float population",
        text: floatProjection(#""num_weight_bits": 6, "weights": [[0.5, 0], [0, 0.5]]"#),
        path: "$.projections[0].num_weight_bits", rule: notAvailable),
    BadFloatCase(label: "stdp onto a float population",
        text: floatNetwork(projections: #"[{ "name": "p", "source": "I", "target": "F", "one_to_one": { "weight": 0.5 }, "stdp": { "a_plus": 1 } }]"#),
        path: "$.projections[0].stdp", rule: notAvailable),
    BadFloatCase(label: "conv2d onto a float population",
        text: floatProjection(#""conv2d": { "input_shape": [1, 1, 2], "kernel": [[[[1]]]] }"#),
        path: "$.projections[0].conv2d", rule: notAvailable),
    BadFloatCase(label: "weights with too few rows",
        text: floatProjection(#""weights": [[0.5, 0.25]]"#),
        path: "$.projections[0].weights", rule: "must have one row per target neuron: F has 2 neurons, got 1 rows"),
    BadFloatCase(label: "weights row too short",
        text: floatProjection(#""weights": [[0.5, 0.25], [0.5]]"#),
        path: "$.projections[0].weights[1]", rule: "must have one weight per source neuron: 2 neurons, got 1"),
    BadFloatCase(label: "non-numeric float weight",
        text: floatProjection(#""weights": [[0.5, 0.25], [0.5, "x"]]"#),
        path: "$.projections[0].weights[1][1]", rule: #"must be a number, got string "x""#),
    BadFloatCase(label: "two connectivities",
        text: floatProjection(#""weights": [[0.5, 0], [0, 0.5]], "one_to_one": { "weight": 0.5 }"#),
        path: "$.projections[0]", rule: #"a projection takes exactly one connectivity: one of "weights", "sparse", "one_to_one", "all_to_all", "random""#),
    BadFloatCase(label: "sparse lengths differ",
        text: floatProjection(#""sparse": { "source": [0, 1], "target": [0], "weight": [0.5, 0.5] }"#),
        path: "$.projections[0].sparse", rule: #""source", "target", "weight" and "delay" must have equal lengths"#),
    BadFloatCase(label: "weight_range in a float rule",
        text: floatProjection(#""all_to_all": { "weight_range": [0, 1] }"#),
        path: "$.projections[0].all_to_all.weight_range", rule: #"unknown key "weight_range"; allowed keys: "weight""#),
]

@Suite struct NetworkFileFloatTests {
    /// A bias larger than small weights' scale can hold picks a smaller threshold mantissa
    /// instead of being refused: bias 0.2 with weights of 0.3 (which alone would choose vth
    /// 108,800, holding ±0.075) maps at vth 40,949 and realises 0.2 within one bias unit.
    @Test func aBiasBeyondTheWeightsScaleSetsTheScale() throws {
        let text = floatNetwork(
            neuron: #""tau_mem": 20, "tau_syn": 5, "dt": 1, "v_threshold": 1.0, "bias": 0.2"#,
            projections: #"[{ "name": "in_F", "source": "in", "target": "F", "one_to_one": { "weight": 0.3 } }]"#)
        let neuron = try #require(NetworkFile.parse(text, file: "f.json").populations[1].neurons.first)
        #expect(neuron.vth == 40_949)
        let realised = Double(neuron.biasMantissa << neuron.biasExponent) / 64 / Double(neuron.vth)
        #expect(abs(realised - 0.2) <= Double(1 << neuron.biasExponent) / 64 / Double(neuron.vth))
    }

    @Test func aValidFloatNetworkParsesToLoihiIntegers() throws {
        let text = floatNetwork(
            neuron: #""tau_mem": 20, "tau_syn": 5, "dt": 1, "v_threshold": 1.0, "bias": 0.001"#,
            projections: #"""
                [{ "name": "in_F", "source": "in", "target": "F", "weights": [[0.5, -0.25], [0, 0.125]] },
                 { "name": "I_F", "source": "I", "target": "F", "delay": 3, "one_to_one": { "weight": 0.25 } },
                 { "name": "in_I", "source": "in", "target": "I", "one_to_one": { "weight": 20 } }]
                """#)
        let network = try NetworkFile.parse(text, file: "f.json")
        let population = network.populations[1]
        #expect(population.model == "lif")
        #expect(population.float == FloatNeurons(tauMemory: 20, tauSynapse: 5, dt: 1, threshold: 1, reset: 0, leak: 0, bias: 0.001))
        // Largest incoming weight 0.5 → vth 65280 (scale 65280 per float unit); du 818, dv 205;
        // bias 0.001 · 65280 · 64 = 4177.92 → 2089 · 2^1.
        let expected = LoihiNeuron.Parameters(du: 818, dv: 205, vth: 65_280, biasMantissa: 2089, biasExponent: 1)
        #expect(population.neurons == [expected, expected])
        #expect(population.neurons.allSatisfy { $0.isPlainLoihi })
        #expect(population.initialU == [0, 0] && population.initialV == [0, 0])

        // in_F is mixed: 0.5 · 65280 / 2^7 = 255 → even 254; −0.25 → −127.5 → −128; 0.125 → 63.75 → 64.
        let inF = network.projections[0]
        #expect(inF.signMode == .mixed)
        #expect(inF.weightExponent == 7)
        #expect(inF.numWeightBits == 8)
        #expect(inF.synapses.map(\.weight) == [254, -128, 64])  // the zero weight has no synapse
        #expect(inF.synapses.map(\.source) == [0, 1, 1])
        #expect(inF.synapses.map(\.target) == [0, 0, 1])
        #expect(inF.floatWeights == [0.5, -0.25, 0.125])
        // I_F is excitatory at the same scale, with its own exponent: 0.25 · 65280 = 16320 =
        // 255 · 2^6, so exponent 6 holds it exactly (exponent 7 would round 127.5 to 128).
        let iF = network.projections[1]
        #expect(iF.signMode == .excitatory)
        #expect(iF.weightExponent == 6)
        #expect(iF.synapses.map(\.weight) == [255, 255])
        #expect(iF.synapses.map(\.delay) == [3, 3])
        // The integer projection is untouched and has no float weights.
        #expect(network.projections[2].synapses.map(\.weight) == [20, 20])
        #expect(network.projections[2].floatWeights == nil)

        // One report per float projection, with the errors the quantizer measured.
        #expect(network.quantization.map(\.projection) == ["in_F", "I_F"])
        let reports = Dictionary(uniqueKeysWithValues: network.quantization.map { ($0.projection, $0) })
        let scale = 65_280.0
        // in_F: |254·128/s − 0.5|, |−128·128/s + 0.25|, |64·128/s − 0.125| (mixed stores 254 as is).
        let inFErrors = [254.0 * 128 / scale - 0.5, -128.0 * 128 / scale + 0.25, 64.0 * 128 / scale - 0.125]
        #expect(reports["in_F"]?.maximumAbsoluteError == inFErrors.map(abs).max())
        #expect(reports["in_F"]?.weightExponent == 7 && reports["in_F"]?.signMode == .mixed)
        let rms = (inFErrors.map { $0 * $0 }.reduce(0, +) / (0.25 + 0.0625 + 0.015625)).squareRoot()
        #expect(abs((reports["in_F"]?.relativeRMSError ?? 0) - rms) < 1e-15)
        #expect(reports["I_F"]?.signMode == .excitatory)
        #expect(reports["I_F"]?.relativeRMSError == 0)
        #expect(reports["I_F"]?.maximumAbsoluteError == 0)
        #expect(reports["I_F"]?.weightExponent == 6)
    }

    @Test func aSavedFloatNetworkReloadsAsTheLoihiIntegersItWasQuantizedTo() throws {
        let network = try NetworkFile.parse(floatNetwork(
            neuron: #""tau_mem": 20, "tau_syn": 5, "dt": 1, "v_threshold": 1.0, "bias": 0.001"#,
            projections: #"[{ "name": "in_F", "source": "in", "target": "F", "weights": [[0.5, -0.25], [0, 0.125]] }]"#), file: "f.json")
        let text = NetworkWriter.text(of: network)
        #expect(text.contains(#""neuron": { "model": "loihi_lif", "du": 818, "dv": 205, "vth": 65280, "bias_mant": 2089, "bias_exp": 1 }"#))
        let reloaded = try NetworkFile.parse(text, file: "saved.json")
        #expect(reloaded.populations[1].model == "loihi_lif")
        #expect(reloaded.populations[1].neurons == network.populations[1].neurons)
        #expect(reloaded.projections[0].synapses == network.projections[0].synapses)
        #expect(reloaded.projections[0].signMode == .mixed && reloaded.projections[0].weightExponent == 7)
        #expect(reloaded.quantization.isEmpty)
    }

    @Test func theShippedFloatExampleParsesWithAReportPerProjection() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../configs/networks/float-lif.network.json")
        let network = try NetworkFile.load(path: url.standardizedFileURL.path)
        let floatProjections = network.projections.filter { $0.floatWeights != nil }.map(\.name)
        #expect(!floatProjections.isEmpty)
        #expect(Set(network.quantization.map(\.projection)) == Set(floatProjections))
        #expect(network.quantization.count == floatProjections.count)
        for report in network.quantization {
            #expect(report.relativeRMSError > 0 && report.relativeRMSError < 0.05, "\(report.projection)")
        }
    }

    @Test func aFloatPopulationWithoutIncomingWeightsGetsTheLargestThreshold() throws {
        let network = try NetworkFile.parse(floatNetwork(), file: "f.json")
        #expect(network.populations[1].neurons.map(\.vth) == [131_071, 131_071])
        #expect(network.quantization.isEmpty)
    }

    @Test func reportsFollowPopulationOrderThenProjectionOrder() throws {
        // Two float populations; the projection onto the second one is listed first.
        let text = """
            { "format": "neuroemu-network/1", "name": "two", "steps": 5,
              "inputs": [{ "name": "in", "size": 1, "spike_times": [[1]] }],
              "populations": [
                { "name": "P", "size": 1, "neuron": { "model": "lif", "tau_mem": 10, "tau_syn": 2, "dt": 1, "v_threshold": 1 } },
                { "name": "Q", "size": 1, "neuron": { "model": "lif", "tau_mem": 10, "tau_syn": 2, "dt": 1, "v_threshold": 1 } }
              ],
              "projections": [
                { "name": "to_Q", "source": "in", "target": "Q", "all_to_all": { "weight": 0.3 } },
                { "name": "to_P_b", "source": "in", "target": "P", "all_to_all": { "weight": -0.1 } },
                { "name": "to_P_a", "source": "in", "target": "P", "all_to_all": { "weight": 0.2 } }
              ] }
            """
        let network = try NetworkFile.parse(text, file: "two.json")
        #expect(network.quantization.map(\.projection) == ["to_P_b", "to_P_a", "to_Q"])
        // Each threshold is set by the largest incoming weight over all projections onto it:
        // P: ⌊32640 / 0.2⌋ = 163200 → capped at 131071; Q: ⌊32640 / 0.3⌋ = 108800.
        #expect(network.populations[0].neurons[0].vth == 131_071)
        #expect(network.populations[1].neurons[0].vth == 108_800)
        #expect(network.quantization.map(\.signMode) == [.inhibitory, .excitatory, .excitatory])
    }

    @Test(arguments: badFloatCases)
    func invalidFloatNetworksGiveExactErrors(_ bad: BadFloatCase) {
        #expect(parseError(bad.text) == .invalid(file: "f.json", path: bad.path, rule: bad.rule))
    }

    @Test func aFloatSourceOntoAnIntegerTargetNeedsIntegerWeights() {
        // Only the target decides: a projection from F onto the integer population I is integer.
        let text = floatNetwork(projections: #"[{ "name": "FI", "source": "F", "target": "I", "one_to_one": { "weight": 0.5 } }]"#)
        #expect(parseError(text) == .invalid(file: "f.json", path: "$.projections[0].one_to_one.weight", rule: "must be an integer, got number 0.5"))
    }
}
