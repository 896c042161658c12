/// One synapse as loaded into a core's synapse memory.
public struct Synapse: Sendable, Equatable {
    /// Target neuron, local to the core.
    public var target: Int32
    /// Input accumulator group (see `CoreProgram.groupExponents`).
    public var group: Int32
    /// Effective weight as the chip stores it (after sign-mode clipping and bit truncation; for
    /// group 0, already shifted left by the projection's non-negative weight exponent).
    public var weight: Int32
    /// Synaptic delay in timesteps, ≥ 1.
    public var delay: Int32
    /// Index into `CoreProgram.learningRules`, or −1 for a static synapse.
    public var learningRule: Int32
    /// For a plastic synapse, its weight in the network file's units (what learning changes).
    public var fileWeight: Int32

    /// A synapse onto neuron `target` of the core with `weight` (the stored mantissa) arriving `delay`
    /// steps after its spike; `learningRule` ≥ 0 makes it plastic.
    public init(target: Int32, group: Int32 = 0, weight: Int32, delay: Int32 = 1, learningRule: Int32 = -1, fileWeight: Int32 = 0) {
        self.target = target
        self.group = group
        self.weight = weight
        self.delay = delay
        self.learningRule = learningRule
        self.fileWeight = fileWeight
    }
}

/// One output axon: where a neuron's spike goes, as (destination core, input axon there).
public struct OutputAxon: Sendable, Equatable {
    /// Index of the destination core in the engine's core list.
    public var core: Int32
    /// Input-axon index in the destination core.
    public var axon: Int32

    /// A destination: input axon `axon` of engine core `core`.
    public init(core: Int32, axon: Int32) {
        self.core = core
        self.axon = axon
    }
}

/// Everything the host loads into one core: neuron parameters and initial state, synapse memory
/// grouped by input axon, and each neuron's output axons.
///
/// Input accumulators come in groups because Dense synapses apply the weight exponent to the
/// *sum* per projection, flooring when it is negative. Group 0 collects every projection whose
/// exponent is ≥ 0 (its weights are pre-shifted, which is exact); each projection with a
/// negative exponent gets a group of its own, shifted once per neuron update, or per delivery
/// step and delay where its synapses have several delays (`Core.foldedGroups`).
public struct CoreProgram: Sendable, Equatable {
    /// Parameters of each of the core's neurons, in core order.
    public var neurons: [LoihiNeuron.Parameters]
    /// Initial u (synaptic current) of each neuron, in chip units.
    public var initialU: [Int32]
    /// Initial v (membrane voltage) of each neuron, in chip units.
    public var initialV: [Int32]
    /// Weight exponent of each accumulator group; group 0's is 0.
    public var groupExponents: [Int32]
    /// Slots of the input ring buffer, > the largest delay of any synapse.
    public var delaySlots: Int
    /// Synapse memory in compressed rows: the synapses of input axon a are
    /// `synapses[axonSynapseStart[a]..<axonSynapseStart[a + 1]]` (one flat array, not an array
    /// per axon: a random network has about one synapse per axon and millions of axons).
    public var synapses: [Synapse]
    /// Row starts into `synapses`, one per input axon plus the end.
    public var axonSynapseStart: [Int32]
    /// Synapses of each input axon (a view of the compressed rows, for building small programs).
    public var axonSynapses: [[Synapse]] {
        get { (0..<axonCount).map { Array(synapses[Int(axonSynapseStart[$0])..<Int(axonSynapseStart[$0 + 1])]) } }
        set { (synapses, axonSynapseStart) = Self.compressedRows(newValue) }
    }

    /// Rows as one flat array and its row starts.
    static func compressedRows(_ rows: [[Synapse]]) -> ([Synapse], [Int32]) {
        var starts: [Int32] = [0]
        for row in rows { starts.append(starts[starts.count - 1] + Int32(row.count)) }
        return (rows.flatMap { $0 }, starts)
    }
    /// Input axons.
    public var axonCount: Int { axonSynapseStart.count - 1 }
    /// Output axons of each neuron.
    public var destinations: [[OutputAxon]]
    /// Learning rules referenced by plastic synapses.
    public var learningRules: [LearningRule] = []
    /// Seed of the core's generator for stochastic rounding.
    public var learningSeed: UInt64 = 0

    /// What a core holds: its neurons' parameters (and initial u and v, 0 when nil), its synapses and
    /// its output axons, as the loader builds them.
    public init(
        neurons: [LoihiNeuron.Parameters], initialU: [Int32]? = nil, initialV: [Int32]? = nil,
        groupExponents: [Int32] = [0], delaySlots: Int = 2, axonSynapses: [[Synapse]] = [], destinations: [[OutputAxon]]? = nil
    ) {
        self.neurons = neurons
        self.initialU = initialU ?? Array(repeating: 0, count: neurons.count)
        self.initialV = initialV ?? Array(repeating: 0, count: neurons.count)
        self.groupExponents = groupExponents
        self.delaySlots = delaySlots
        (synapses, axonSynapseStart) = Self.compressedRows(axonSynapses)
        self.destinations = destinations ?? Array(repeating: [], count: neurons.count)
    }
}
