import Chip
import Testing
@testable import Host

/// The scale an imported population gets: from its weights, its peak input and its bias, and
/// refusals of inputs and biases no scale holds.
@Suite struct NIRPopulationQuantizerTests {
    /// `n` values in a tensor of shape [n].
    private func tensor(_ values: [Double]) -> NIRTensor { NIRTensor(shape: [values.count], values: values) }

    /// Input(2) → `weights` → `neuron` → Output(2).
    private func graph(_ weights: NIRNode, _ neuron: NIRNode) -> NIRGraph {
        NIRGraph(nodes: [("input", .input(shape: [2])), ("w", weights), ("neuron", neuron), ("output", .output(shape: [2]))],
                 edges: [("input", "w"), ("w", "neuron"), ("neuron", "output")])
    }

    /// tau = dt (1 ms), r = 1, rest 0, threshold 1: the gain is 1, so a bias b is b thresholds per step.
    private let lif = NIRNode.lif(tau: NIRTensor(shape: [2], values: [0.001, 0.001]), r: NIRTensor(shape: [2], values: [1, 1]), vLeak: NIRTensor(shape: [2], values: [0, 0]),
                                  vThreshold: NIRTensor(shape: [2], values: [1, 1]), vReset: NIRTensor(shape: [2], values: [0, 0]))

    /// Weights of 0.3 alone give threshold mantissa floor(255 · 2^7 / 0.3) = 108800, at which the
    /// bias holds only 8190 / 108800 = 0.075 thresholds; a bias of 0.2 lowers the mantissa to
    /// 8190 / 0.2 = 40950 (less 2^-30), so it is held and realised exactly enough.
    @Test func aBiasLargerThanTheWeightsScaleAllowsSetsTheScale() throws {
        let affine = NIRNode.affine(weight: NIRTensor(shape: [2, 2], values: [0.3, 0, 0, 0.3]), bias: tensor([0.2, 0]))
        let network = try NIRImporter.convert(graph(affine, lif), name: "bias", file: "bias.nir", options: NIRImportOptions()).network
        let neuron = network.populations[0].neurons[0]
        #expect(neuron.vth == 40949)
        let realisedBias = Double(neuron.biasMantissa) * Double(1 << neuron.biasExponent) / (Double(neuron.vth) * 64)
        #expect(abs(realisedBias - 0.2) < 0.0002, "bias \(realisedBias)")
        #expect(network.populations[0].neurons[1].biasMantissa == 0)
        // The weights are still within 1 % at the lower scale.
        let projection = network.projections[0]
        let realisedWeight = Double(projection.synapses[0].weight) * Double(1 << projection.weightExponent) / Double(neuron.vth)
        #expect(abs(realisedWeight - 0.3) < 0.003, "weight \(realisedWeight)")
    }

    /// A bias that the weights' scale already holds leaves the scale to the weights:
    /// floor(255 · 2^7 / 0.3) = 108800, as without a bias.
    @Test func aBiasTheWeightsScaleHoldsChangesNothing() throws {
        let affine = NIRNode.affine(weight: NIRTensor(shape: [2, 2], values: [0.3, 0, 0, 0.3]), bias: tensor([0.05, 0]))
        let network = try NIRImporter.convert(graph(affine, lif), name: "bias", file: "bias.nir", options: NIRImportOptions()).network
        #expect(network.populations[0].neurons[0].vth == 108_800)
    }

    /// Above 8190 thresholds per step no scale holds a bias (bias_mant 4095 · 2^7 against vth 1).
    @Test func aBiasNoScaleHoldsIsRefusedWithWhatToDo() {
        let affine = NIRNode.affine(weight: NIRTensor(shape: [2, 2], values: [0.3, 0, 0, 0.3]), bias: tensor([1e4, 0]))
        #expect(throws: NIRError.cannotMap(file: "bias.nir", node: "neuron", reason: "neuron 0's bias is 10000.0 thresholds per step, beyond the 8190.0 the chip's bias holds at the smallest scale (threshold mantissa 1, bias_mant 4095 · 2^7); a bias above 1 threshold per step fires the neuron at every step whatever its input: reduce the bias reaching it (the `bias` of the Affine or Conv node before it) or raise its v_threshold")) {
            try NIRImporter.convert(graph(affine, lif), name: "bias", file: "bias.nir", options: NIRImportOptions())
        }
        // Just inside the bound the bias is held, at threshold mantissa 1.
        let largest = NIRNode.affine(weight: NIRTensor(shape: [2, 2], values: [0.3, 0, 0, 0.3]), bias: tensor([8190, 0]))
        let network = try? NIRImporter.convert(graph(largest, lif), name: "bias", file: "bias.nir", options: NIRImportOptions()).network
        #expect(network?.populations[0].neurons[0].vth == 1 && network?.populations[0].neurons[0].biasMantissa == 4095)
    }

    /// Linear [[1.7e308, 1.7e308], [1, 1]] into an LI: each weight is finite, their sum is not.
    /// The scale would be NaN and every weight quantized to 0; the import is refused instead.
    @Test func inputsThatSumBeyondADoubleAreRefused() {
        let huge = NIRNode.linear(weight: NIRTensor(shape: [2, 2], values: [1.7e308, 1.7e308, 1, 1]))
        let li = NIRNode.leakyIntegrator(tau: tensor([0.001, 0.001]), r: tensor([1, 1]), vLeak: tensor([0, 0]))
        #expect(throws: NIRError.cannotMap(file: "lihuge.nir", node: "neuron", reason: "the positive weights onto neuron 0, summed over one step and accumulated over tau_syn/dt = 1.0 steps, exceed the range of a Double (inf); no chip scale holds such an input: scale down the weights of the nodes before it")) {
            try NIRImporter.convert(graph(huge, li), name: "lihuge", file: "lihuge.nir", options: NIRImportOptions())
        }
        // A spiking population is refused alike.
        let integrateAndFire = NIRNode.integrateAndFire(r: tensor([1, 1]), vThreshold: tensor([1, 1]), vReset: tensor([0, 0]))
        let error = #expect(throws: NIRError.self) { try NIRImporter.convert(graph(huge, integrateAndFire), name: "ifhuge", file: "ifhuge.nir", options: NIRImportOptions()) }
        #expect(error?.description.contains("exceed the range of a Double") == true, "\(String(describing: error))")
    }

    /// A readout whose inputs are finite but whose membrane integrates them over so many steps
    /// that the voltage it must hold overflows: the input per step is 10^300 · dt/tau · r =
    /// 10^297, over tau/dt = 10^13 steps.
    @Test func aReadoutVoltageBeyondADoubleIsRefused() {
        let large = NIRNode.linear(weight: NIRTensor(shape: [2, 2], values: [1e300, 0, 0, 1]))
        let slow = NIRNode.leakyIntegrator(tau: tensor([1e10, 1e10]), r: tensor([1e10, 1e10]), vLeak: tensor([0, 0]))
        let error = #expect(throws: NIRError.self) { try NIRImporter.convert(graph(large, slow), name: "slow", file: "slow.nir", options: NIRImportOptions()) }
        guard case let .cannotMap(_, node, reason)? = error else {
            Issue.record("expected cannotMap, got \(String(describing: error))")
            return
        }
        #expect(node == "neuron" && reason.hasPrefix("as a readout it needs a threshold above the largest voltage") && reason.hasSuffix("exceeds the range of a Double; scale down the weights and biases before it, or shorten tau_mem"), "\(reason)")
    }
}
