import Chip

/// How a NIR graph becomes a runnable network: the step length, the run length and the inputs.
public struct NIRImportOptions: Sendable, Equatable {
    /// Length of one timestep in seconds (`--dt` is in milliseconds); NIR time constants and
    /// delays are divided by it.
    public var dt: Double = 0.001
    /// Timesteps to run (NIR graphs carry no run length).
    public var steps: Int = 100
    /// Seed of the network's random streams (the Poisson inputs).
    public var seed: UInt64 = 1
    /// Input spike times, one entry per top-level Input node (from `--input FILE`); nil: Poisson.
    public var inputs: [InputDescription]?
    /// The file `inputs` came from, named in errors about them (nil: the NIR file is named).
    public var inputsFile: String?
    /// Rate of the Poisson inputs used without `--input`, in spikes per second; the per-step
    /// probability is `rate · dt` (capped at 1).
    public var poissonRate: Double = NIRImportOptions.defaultPoissonRate
    /// The chip the network will run on, if known: a graph whose neuron nodes hold more neurons
    /// than all its cores do is refused before any neuron is converted (a file of a few hundred
    /// kilobytes may declare millions, gigabytes once converted).
    public var chip: ChipDescription?

    /// 100 Hz: a probability of 0.1 per step at the default dt of 1 ms.
    public static let defaultPoissonRate = 100.0

    /// Options with a step of `dt` seconds, `steps` timesteps, `seed`, the inputs (nil: Poisson)
    /// and the Poisson rate in spikes per second; `inputsFile` and `chip` start nil.
    public init(dt: Double = 0.001, steps: Int = 100, seed: UInt64 = 1, inputs: [InputDescription]? = nil, poissonRate: Double = NIRImportOptions.defaultPoissonRate) {
        self.dt = dt
        self.steps = steps
        self.seed = seed
        self.inputs = inputs
        self.poissonRate = poissonRate
    }
}
