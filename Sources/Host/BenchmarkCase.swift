import Chip
import Router

/// One network of the benchmark suite (`neuroemu bench`, docs/performance.md): a network file
/// generated from a few parameters and the chip it runs on.
///
/// The CUBA cases express the Vogels–Abbott (2005) current-based network, as in Brian2's CUBA
/// example, in `neuroemu_lif` integers with one step = 0.1 ms:
///
/// | CUBA (float) | NeuroEmu (integer) |
/// |---|---|
/// | v − V_r in mV, threshold V_t − V_r = 10 mV | v in units of 1/200,000 mV: threshold 2,000,000 = `vth` 31,250 · 2^6 |
/// | τ_m = 20 ms | `dv` = 20: (4096 − 20)/4096 = 0.99512 ≈ e^(−0.1/20) = 0.99501 per step |
/// | τ_e = 5 ms | `du` = 80: (4095 − 80)/4096 = 0.98022 ≈ e^(−0.1/5) = 0.98020 per step |
/// | τ_i = 10 ms | one current per neuron on the chip: inhibition also decays with 5 ms, at twice the amplitude (same charge per spike) |
/// | E_l − V_r = 11 mV drives v | bias = dt/τ_m · 11 mV = 11,000 units = `bias_mant` 2,750 · 2^2 |
/// | w_e = 1.62 mV jump of g_e | v gains dt/τ_m · 1.62 mV = 1,620 units per step at first: weight 25 (25 · 2^6 = 1,600, −1.2 %) |
/// | w_i = −9 mV jump of g_i | doubled for the shorter decay: weight −141, `weight_exp` 1 (−18,048 vs −18,000 units) |
/// | refractory 5 ms, v = V_r | `refractory` 50 steps, reset to 0 |
/// | v(0) uniform in [V_r, V_t] | `v_init` uniform in [0, 2,000,000) from the case's seed |
/// | p = 0.02 (80 inputs at 4,000 neurons) | exactly 64 excitatory and 16 inhibitory inputs per neuron (`fixed_in`) at every size |
public struct BenchmarkCase: Sendable, Equatable {
    /// Case name, as `--suite` takes it (e.g. `cuba-4k`).
    public let name: String
    /// One line on what the case measures.
    public let summary: String
    /// Timesteps the case runs.
    public let steps: Int
    /// Simulated time of one step, in milliseconds (for firing rates in Hz).
    public let stepMilliseconds: Double
    /// Which network generator makes the case's network file (texts are generated on demand:
    /// cuba-400k's initial voltages alone are megabytes).
    let network: Network
    /// How the chip is derived from the `loihi` preset.
    public let chipShape: ChipShape

    enum Network: Sendable, Equatable {
        case cuba(neurons: Int)
        case dense(size: Int)
        case random(neurons: Int, inputs: Int)
    }

    /// The generated network file (`neuroemu-network/1`).
    public var networkText: String {
        switch network {
        case .cuba(let neurons): Self.cubaText(neurons: neurons, steps: steps)
        case .dense(let size): Self.denseText(size: size, steps: steps)
        case .random(let neurons, let inputs): Self.randomText(neurons: neurons, inputs: inputs, steps: steps)
        }
    }

    /// The chip a case runs on: the `loihi` preset, as is or with a change the case needs.
    public enum ChipShape: Sendable, Equatable {
        /// The preset unchanged (128 cores).
        case preset
        /// At most this many neurons per core (to spread a network over more cores).
        case neuronsPerCore(Int)
        /// The same cores, tiles and prices on a mesh just large enough for the network (Loihi
        /// meshes extend across chips; `board` inter-chip links are not modelled here).
        case grownMesh
    }

    /// Every case, smallest first.
    public static let all: [BenchmarkCase] = [
        cuba(neurons: 4_000, steps: 10_000),
        cuba(neurons: 40_000, steps: 10_000),
        cuba(neurons: 400_000, steps: 1_000),
        dense(size: 1_000, steps: 1_000),
        random(neurons: 4_096, inputs: 100, steps: 1_000),
    ]

    /// The case named `name`, if any.
    public static func named(_ name: String) -> BenchmarkCase? { all.first { $0.name == name } }

    /// The network, parsed and expanded exactly like a network file; `threads` expand its
    /// projections at once (the same network on any count).
    public func networkDescription(threads: Int = 1) throws(ConfigError) -> NetworkDescription {
        try NetworkFile.parse(networkText, file: "\(name).network.json", threads: threads)
    }

    /// The file `saveNetwork(in:)` writes: `DIRECTORY/NAME.network.json`.
    public func networkPath(in directory: String) -> String {
        directory.hasSuffix("/") ? directory + "\(name).network.json" : directory + "/\(name).network.json"
    }

    /// Writes the network file as `DIRECTORY/NAME.network.json` (atomically) and returns its path.
    public func saveNetwork(in directory: String) throws(OutputError) -> String {
        let path = networkPath(in: directory)
        try AtomicFile.write(networkText + "\n", to: path)
        return path
    }

    /// The CUBA network with `neurons` neurons (80 % excitatory); see the type's table.
    public static func cuba(neurons: Int, steps: Int) -> BenchmarkCase {
        BenchmarkCase(
            name: "cuba-\(neurons / 1000)k", summary: "CUBA, \(neurons) neurons, 80 inputs each, 0.1 ms steps",
            steps: steps, stepMilliseconds: 0.1, network: .cuba(neurons: neurons), chipShape: neurons <= 4_000 ? .preset : .grownMesh)
    }

    static func cubaText(neurons: Int, steps: Int) -> String {
        let excitatory = neurons * 4 / 5
        let inhibitory = neurons - excitatory
        var generator = SeededGenerator(seed: 2005)
        let threshold = 2_000_000
        func population(_ name: String, _ size: Int) -> String {
            let voltages = (0..<size).map { _ in String(Int(generator.next() % UInt64(threshold))) }.joined(separator: ",")
            return """
                { "name": "\(name)", "size": \(size), "neuron": { "model": "neuroemu_lif", "du": 80, "dv": 20, "vth": \(threshold >> 6),
                  "bias_mant": 2750, "bias_exp": 2, "refractory": 50, "v_init": [\(voltages)] } }
                """
        }
        func projection(_ source: String, _ target: String, k: Int, weight: Int, exponent: Int, seed: Int) -> String {
            """
            { "name": "\(source)_\(target)", "source": "\(source)", "target": "\(target)", "weight_exp": \(exponent),
              "fixed_in": { "k": \(k), "seed": \(seed), "weight": \(weight) } }
            """
        }
        return """
            { "format": "neuroemu-network/1", "name": "cuba-\(neurons / 1000)k", "steps": \(steps), "seed": 1,
              "description": "Vogels-Abbott CUBA network in loihi integers, one step = 0.1 ms",
              "populations": [\(population("exc", excitatory)), \(population("inh", inhibitory))],
              "projections": [
                \(projection("exc", "exc", k: 64, weight: 25, exponent: 0, seed: 11)),
                \(projection("exc", "inh", k: 64, weight: 25, exponent: 0, seed: 12)),
                \(projection("inh", "exc", k: 16, weight: -141, exponent: 1, seed: 13)),
                \(projection("inh", "inh", k: 16, weight: -141, exponent: 1, seed: 14))
              ] }
            """
    }

    /// A dense feed-forward layer: `size` Poisson inputs (2 % per step, 20 Hz at 1 ms) onto
    /// `size` LIF neurons through every pair, weights uniform in −16…24.
    public static func dense(size: Int, steps: Int) -> BenchmarkCase {
        BenchmarkCase(
            name: "dense-\(size / 1000)k", summary: "\(size) Poisson inputs -> \(size) LIF neurons, every pair",
            steps: steps, stepMilliseconds: 1, network: .dense(size: size), chipShape: .preset)
    }

    static func denseText(size: Int, steps: Int) -> String {
        """
            { "format": "neuroemu-network/1", "name": "dense-\(size / 1000)k", "steps": \(steps), "seed": 1,
              "description": "dense feed-forward layer under Poisson input",
              "inputs": [ { "name": "in", "size": \(size), "poisson": { "probability": 0.02 } } ],
              "populations": [ { "name": "out", "size": \(size), "neuron": { "model": "loihi_lif", "du": 1024, "dv": 256, "vth": 400 } } ],
              "projections": [ { "name": "in_out", "source": "in", "target": "out", "all_to_all": { "weight_range": [-16, 24] } } ] }
            """
    }

    /// SANA-FE's random-network shape: `neurons` neurons, each with exactly `inputs` random
    /// presynaptic neurons, about 6 % spiking per step, 32 neurons per core over the 128 cores
    /// of `loihi`. A bias alone brings a neuron to threshold in 16 steps; balanced random weights
    /// (mean 0) jitter that, so activity stays near 1/16 ≈ 6 % without running away.
    public static func random(neurons: Int, inputs: Int, steps: Int) -> BenchmarkCase {
        BenchmarkCase(
            name: "random-\(neurons / 1000)k", summary: "\(neurons) neurons, \(inputs) random inputs each, 32 neurons per core",
            steps: steps, stepMilliseconds: 1, network: .random(neurons: neurons, inputs: inputs), chipShape: .neuronsPerCore(32))
    }

    static func randomText(neurons: Int, inputs: Int, steps: Int) -> String {
        // Start at random phases of the 16-step cycle rather than all spiking together at step 16.
        var generator = SeededGenerator(seed: 4096)
        let voltages = (0..<neurons).map { _ in String(Int(generator.next() % 16_384)) }.joined(separator: ",")
        return """
            { "format": "neuroemu-network/1", "name": "random-\(neurons / 1000)k", "steps": \(steps), "seed": 1,
              "description": "random network: fixed in-degree, bias-driven activity",
              "populations": [ { "name": "net", "size": \(neurons), "neuron": { "model": "loihi_lif", "du": 4095, "dv": 0, "vth": 256, "bias_mant": 1025,
                "v_init": [\(voltages)] } } ],
              "projections": [ { "name": "net_net", "source": "net", "target": "net", "fixed_in": { "k": \(inputs), "seed": 7, "weight_range": [-8, 8] } } ] }
            """
    }
}
