import Chip

/// A network as the user describes it (`neuroemu-network/1`), validated and with every
/// connectivity rule expanded into explicit synapses. The mapper turns it into core programs.
public struct NetworkDescription: Sendable, Equatable {
    /// Name of the network, as trace headers and summaries give it.
    public var name: String
    /// Timesteps to run.
    public var steps: Int
    /// Seed of every random stream of the run (Poisson inputs, random connectivity without a seed).
    public var seed: UInt64
    /// Host input groups, in file order.
    public var inputs: [InputDescription]
    /// Populations of chip neurons, in file order.
    public var populations: [PopulationDescription]
    /// Projections, in file order.
    public var projections: [ProjectionDescription]
    /// What to record, in file order.
    public var probes: [ProbeDescription]
    /// How float projections were converted to integers (empty for integer networks).
    public var quantization: [QuantizationReport] = []
    /// Train, test and sleep segments, when the network presents samples.
    public var schedule: Schedule?

    /// A network of these parts, without quantization reports or schedule.
    public init(name: String, steps: Int, seed: UInt64, inputs: [InputDescription], populations: [PopulationDescription], projections: [ProjectionDescription], probes: [ProbeDescription]) {
        self.name = name
        self.steps = steps
        self.seed = seed
        self.inputs = inputs
        self.populations = populations
        self.projections = projections
        self.probes = probes
    }

    /// Total host input neurons.
    public var inputNeuronCount: Int { inputs.reduce(0) { $0 + $1.size } }
    /// Total chip neurons.
    public var neuronCount: Int { populations.reduce(0) { $0 + $1.size } }
    /// Total synapses.
    public var synapseCount: Int { projections.reduce(0) { $0 + $1.synapses.count } }
}

/// A group of host input neurons: spikes the host sends into the chip.
public struct InputDescription: Sendable, Equatable {
    /// Where an input's spikes come from.
    public enum Source: Sendable, Equatable {
        /// Explicit 1-based spike timesteps, one ascending list per neuron.
        case spikeTimes([[Int]])
        /// Independent Bernoulli draws each step with this probability: one per neuron, or one for all.
        case poisson(probability: [Double])
        /// Features of labelled samples, presented by the network's schedule.
        case samples(SampleInput)
        /// One neuron per label, driven while a training segment presents a sample of that label.
        case teacher(TeacherInput)
    }

    /// Name of the input, unique among inputs and populations.
    public var name: String
    /// Input neurons, 1…16,777,216.
    public var size: Int
    /// Where the spikes come from.
    public var source: Source

    /// An input `name` of `size` neurons fed from `source`.
    public init(name: String, size: Int, source: Source) {
        self.name = name
        self.size = size
        self.source = source
    }
}

/// A population of chip neurons with their per-neuron parameters in chip units.
public struct PopulationDescription: Sendable, Equatable {
    /// Name of the population, unique among inputs and populations.
    public var name: String
    /// Neurons, 1…16,777,216.
    public var size: Int
    /// `loihi_lif` or `neuroemu_lif`.
    public var model: String
    /// Neuron parameters, one per neuron.
    public var neurons: [LoihiNeuron.Parameters]
    /// Initial u (synaptic current) of each neuron, in chip units.
    public var initialU: [Int32]
    /// Initial v (membrane voltage) of each neuron, in chip units.
    public var initialV: [Int32]
    /// For a float `lif` population, its parameters in float units (`neurons` hold the quantized ones).
    public var float: FloatNeurons?
    /// What the mapper must respect beyond the chip's limits (none by default).
    public var constraints = MappingConstraints()

    /// True when spikes carry a value worth printing (ternary and graded neurons).
    public var spikesCarryValues: Bool { neurons.first.map { $0.spikeMode != .binary } ?? false }

    /// A population `name` of `size` neurons with `neurons` parameters and initial state.
    public init(name: String, size: Int, model: String = "loihi_lif", neurons: [LoihiNeuron.Parameters], initialU: [Int32], initialV: [Int32], float: FloatNeurons? = nil) {
        self.float = float
        self.name = name
        self.size = size
        self.model = model
        self.neurons = neurons
        self.initialU = initialU
        self.initialV = initialV
    }
}

/// One explicit synapse of a projection, in the user's units: the integer weight before the
/// chip's bit truncation. A network file refuses a weight outside its projection's sign mode;
/// in a network built in code the chip clips it to that range (`SignMode.effectiveWeight`).
public struct SynapseDescription: Sendable, Equatable {
    /// Index of the source neuron within the projection's source input or population.
    public var source: Int32
    /// Index of the target neuron within the projection's target population.
    public var target: Int32
    /// Weight, −256…255 within the projection's sign mode.
    public var weight: Int32
    /// Delay in timesteps, 1…62.
    public var delay: Int32

    /// A synapse from `source` to `target` of `weight`, arriving `delay` steps after the spike.
    public init(source: Int32, target: Int32, weight: Int32, delay: Int32) {
        self.source = source
        self.target = target
        self.weight = weight
        self.delay = delay
    }
}

/// A projection between an input or population and a population.
public struct ProjectionDescription: Sendable, Equatable {
    /// Name of the projection, unique among projections.
    public var name: String
    /// Index into `inputs` or `populations`, depending on `sourceIsInput`.
    public var source: Int
    /// True when `source` indexes `inputs`, false when it indexes `populations`.
    public var sourceIsInput: Bool
    /// Index into `populations`.
    public var target: Int
    /// The synapses, every connectivity rule expanded.
    public var synapses: [SynapseDescription]
    /// How the weights are stored: excitatory, inhibitory or mixed.
    public var signMode: SignMode
    /// Weight exponent, −8…7: each step's summed weights per delay are shifted by it.
    public var weightExponent: Int
    /// Weight precision in bits, 1…8.
    public var numWeightBits: Int
    /// The projection's learning rule, if its weights learn.
    public var stdp: STDPRule?
    /// For a projection onto a float population, its weights in float units (one per synapse).
    public var floatWeights: [Double]?

    /// A projection `name` from `source` to population `target`; `stdp` nil: static weights.
    public init(name: String, source: Int, sourceIsInput: Bool, target: Int, synapses: [SynapseDescription], signMode: SignMode, weightExponent: Int, numWeightBits: Int, stdp: STDPRule? = nil) {
        self.stdp = stdp
        self.name = name
        self.source = source
        self.sourceIsInput = sourceIsInput
        self.target = target
        self.synapses = synapses
        self.signMode = signMode
        self.weightExponent = weightExponent
        self.numWeightBits = numWeightBits
    }

    /// Largest delay of any synapse, in timesteps.
    public var maximumDelay: Int { Int(synapses.lazy.map(\.delay).max() ?? 1) }  // lazy: no array of every delay
}

/// What to record of a population.
public struct ProbeDescription: Sendable, Equatable {
    /// What a probe records: spikes, u or v.
    public enum Variable: String, Sendable, CaseIterable {
        case spikes, u, v
    }

    /// Index into `populations`.
    public var population: Int
    /// What is recorded of the probed neurons.
    public var variables: Set<Variable>
    /// Neurons recorded, ascending; all neurons when the file gives none.
    public var indices: [Int]

    /// A probe of `variables` of `indices` of population `population`.
    public init(population: Int, variables: Set<Variable>, indices: [Int]) {
        self.population = population
        self.variables = variables
        self.indices = indices
    }

    /// True when state lines (`u`, `v`) are recorded.
    public var recordsState: Bool { variables.contains(.u) || variables.contains(.v) }
}

extension NetworkDescription {
    /// Checks what a network built in code could get wrong and the engine relies on (a network
    /// file is checked as it is read, so one loaded by `NetworkFile` always passes): names,
    /// sizes, per-neuron arrays, the indices of projections, synapses, probes, teachers and the
    /// schedule, and delays. The error
    /// names the network as its file and a JSON path as a network file would have it.
    public func checkStructure() throws(ConfigError) {
        let file = "network `\(name)`"
        func fail(_ path: String, _ rule: String) -> ConfigError { .invalid(file: file, path: path, rule: rule) }
        // Names: valid in a trace line, unique among inputs and populations, and among projections.
        if let problem = NetworkFile.nameProblem(name) { throw fail("$.name", problem) }
        var seen: Set<String> = []
        let named = inputs.enumerated().map { ("$.inputs[\($0)].name", $1.name) } + populations.enumerated().map { ("$.populations[\($0)].name", $1.name) }
        for (path, groupName) in named {
            if let problem = NetworkFile.nameProblem(groupName) { throw fail(path, problem) }
            guard seen.insert(groupName).inserted else { throw fail(path, "name \"\(groupName)\" is already used; names of inputs and populations must be unique") }
        }
        var projectionNames: Set<String> = []
        for (index, projection) in projections.enumerated() {
            if let problem = NetworkFile.nameProblem(projection.name) { throw fail("$.projections[\(index)].name", problem) }
            guard projectionNames.insert(projection.name).inserted else { throw fail("$.projections[\(index)].name", "projection name \"\(projection.name)\" is used twice") }
        }
        func isSamplesInput(_ index: Int) -> Bool {
            guard inputs.indices.contains(index), case .samples = inputs[index].source else { return false }
            return true
        }
        for (index, input) in inputs.enumerated() {
            if case .teacher(let teacher) = input.source, !isSamplesInput(teacher.samplesInput) {
                throw fail("$.inputs[\(index)].teacher", "follows input \(teacher.samplesInput), which is not a samples input")
            }
        }
        if let schedule {
            guard isSamplesInput(schedule.input) else { throw fail("$.schedule", "presents input \(schedule.input), which is not a samples input") }
            if let classifier = schedule.classifier, !populations.indices.contains(classifier.population) {
                throw fail("$.schedule.classify.population", "population \(classifier.population) does not exist: the network has \(populations.count)")
            }
        }
        for (index, input) in inputs.enumerated() {
            guard input.size >= 1 else { throw fail("$.inputs[\(index)].size", "must be at least 1, got \(input.size)") }
            switch input.source {
            case .spikeTimes(let times) where times.count != input.size:
                throw fail("$.inputs[\(index)].spike_times", "must have one list per neuron: \(input.size), got \(times.count)")
            case .poisson(let probability) where probability.count != 1 && probability.count != input.size:
                throw fail("$.inputs[\(index)].poisson.probability", "must be one value or one per neuron: \(input.size), got \(probability.count)")
            default: break
            }
        }
        for (index, population) in populations.enumerated() {
            let size = population.size
            guard size >= 1 else { throw fail("$.populations[\(index)].size", "must be at least 1, got \(size)") }
            for (key, count) in [("neuron", population.neurons.count), ("u_init", population.initialU.count), ("v_init", population.initialV.count)] where count != size {
                throw fail("$.populations[\(index)].\(key)", "must have one value per neuron: \(size), got \(count)")
            }
            if let cap = population.constraints.maxNeuronsPerCore, cap < 1 {
                throw fail("$.populations[\(index)].constraints.max_neurons_per_core", "must be at least 1, got \(cap)")
            }
        }
        // Sizes gathered once, not per projection (quadratic in networks of many populations).
        let inputSizes = inputs.map(\.size), populationSizes = populations.map(\.size)
        for (index, projection) in projections.enumerated() {
            let path = "$.projections[\(index)]"
            let sources = projection.sourceIsInput ? inputSizes : populationSizes
            guard sources.indices.contains(projection.source) else {
                throw fail(path + ".source", "\(projection.sourceIsInput ? "input" : "population") \(projection.source) does not exist: the network has \(sources.count)")
            }
            guard populations.indices.contains(projection.target) else {
                throw fail(path + ".target", "population \(projection.target) does not exist: the network has \(populations.count)")
            }
            let sourceSize = Int32(sources[projection.source]), targetSize = Int32(populations[projection.target].size)
            let delays = Int32(1)...Int32(NetworkFile.maximumDelay)
            for (k, synapse) in projection.synapses.enumerated() where !(0..<sourceSize).contains(synapse.source) || !(0..<targetSize).contains(synapse.target) || !delays.contains(synapse.delay) {
                let (key, value, rule) = !(0..<sourceSize).contains(synapse.source) ? ("source", synapse.source, "0…\(sourceSize - 1)")
                    : !(0..<targetSize).contains(synapse.target) ? ("target", synapse.target, "0…\(targetSize - 1)") : ("delay", synapse.delay, "1…\(NetworkFile.maximumDelay) steps")
                throw fail("\(path).synapses[\(k)].\(key)", "must be in \(rule), got \(value)")
            }
        }
        for (index, probe) in probes.enumerated() {
            guard populations.indices.contains(probe.population) else {
                throw fail("$.probes[\(index)].population", "population \(probe.population) does not exist: the network has \(populations.count)")
            }
            let size = populations[probe.population].size
            if let bad = probe.indices.first(where: { !(0..<size).contains($0) }) {
                throw fail("$.probes[\(index)].indices", "must be in 0…\(size - 1), got \(bad)")
            }
        }
    }
}
