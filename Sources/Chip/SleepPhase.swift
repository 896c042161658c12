/// What the cores do during a sleep phase of a schedule: plastic weights drift stochastically
/// toward a baseline, and chosen neurons receive spontaneous (Poisson) input pulses. The host
/// suppresses its external input meanwhile; learning rules may stay on.
///
/// Both mechanisms are local to a core and draw from the core's seeded generator (the one that
/// rounds weight changes), so a run repeats bit for bit on any number of threads.
public struct SleepPhase: Sendable, Equatable {
    /// The stochastic drift of plastic weights toward `baseline`.
    public struct WeightDecay: Sendable, Equatable {
        /// Weight, in the network file's units, the weights drift toward (clamped to each rule's
        /// bounds).
        public var baseline: Int32
        /// Fraction of the distance to the baseline covered per application, in 1/4096, 0…4096.
        public var decay: Int32
        /// Steps between applications, ≥ 1.
        public var interval: Int

        /// A drift of `decay`/4096 of the distance to `baseline` every `interval` steps.
        public init(baseline: Int32, decay: Int32, interval: Int = 1) {
            precondition(interval >= 1 && (0...4096).contains(decay))
            self.baseline = baseline
            self.decay = decay
            self.interval = interval
        }
    }

    /// The drift of plastic weights, or nil for none.
    public var weightDecay: WeightDecay?
    /// Per engine core, per neuron: the probability of a spontaneous pulse each step, as a
    /// threshold on a uniform 64-bit draw (0: never). Empty for a core without spontaneous input.
    public var spontaneousThreshold: [[UInt64]]
    /// Per engine core, per neuron: the pulse, in synaptic input units (like a weight: it adds
    /// `amplitude << 6` to u).
    public var spontaneousAmplitude: [[Int32]]

    /// A sleep phase with an optional weight drift and, per engine core and neuron, a spontaneous
    /// pulse's chance (as a threshold on a 64-bit draw) and amplitude; both lists have an entry
    /// per core (empty lists: no spontaneous input).
    public init(weightDecay: WeightDecay?, spontaneousThreshold: [[UInt64]] = [], spontaneousAmplitude: [[Int32]] = []) {
        precondition(spontaneousThreshold.count == spontaneousAmplitude.count)
        self.weightDecay = weightDecay
        self.spontaneousThreshold = spontaneousThreshold
        self.spontaneousAmplitude = spontaneousAmplitude
    }

    /// The draw threshold of a per-step probability (0…1).
    public static func threshold(probability: Double) -> UInt64 {
        probability >= 1 ? UInt64.max : UInt64(max(0, probability) * 18_446_744_073_709_551_616.0)
    }
}

extension Core {
    /// Switches the learning rules of this core on or off and sets (or clears) the sleep drift.
    mutating func setLearning(_ isLearning: Bool, sleep: SleepPhase.WeightDecay?) {
        plasticity.isLearning = isLearning
        plasticity.sleep = plasticity.isEmpty ? nil : sleep
    }

    /// Adds spontaneous pulses to the input this core's neurons read at `timestep`: neuron `i`
    /// gets `amplitude[i]` when a draw of the core's generator falls below `threshold[i]`.
    mutating func injectSpontaneousInput(timestep: Int, threshold: [UInt64], amplitude: [Int32]) {
        guard threshold.count == neuronCount else { return }
        let slot = (timestep % delaySlots) * accumulatorSlotStride
        for neuron in 0..<neuronCount where threshold[neuron] > 0 && plasticity.nextRandom() < threshold[neuron] {
            addToAccumulator(slot + neuron, amplitude[neuron])
        }
    }
}
