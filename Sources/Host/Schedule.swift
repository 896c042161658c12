import Chip

/// The phases of a run that presents samples: training segments (teacher on, learning on), test
/// segments (teacher off, learning off) and sleep segments (external input off, weights drift
/// toward a baseline, spontaneous activity), in order. `"schedule"` in the network file.
///
/// A presented sample occupies `stepsPerSample` steps of input followed by `restSteps` silent
/// steps. The schedule fixes the run's length.
public struct Schedule: Sendable, Equatable {
    /// Kind of segment: train (teacher on), test (teacher off, samples scored) or sleep
    /// (external input off).
    public enum Kind: String, Sendable, CaseIterable {
        case train, test, sleep
    }

    /// The order in which a segment presents its rows.
    public enum Order: String, Sendable, CaseIterable {
        /// Rows in file order.
        case file
        /// A seeded shuffle of the rows, drawn again for each repeat.
        case shuffled
    }

    /// Spontaneous input pulses for one population during sleep.
    public struct Spontaneous: Sendable, Equatable {
        /// Index into the network's populations.
        public var population: Int
        /// Probability of a pulse per neuron per step, 0…1.
        public var probability: Double
        /// The pulse, in synaptic input units (like a weight).
        public var amplitude: Int32

        /// Pulses of `amplitude`, with `probability` per neuron and step, into `population`.
        public init(population: Int, probability: Double, amplitude: Int32) {
            self.population = population
            self.probability = probability
            self.amplitude = amplitude
        }
    }

    /// One phase of the schedule: a train, test or sleep segment.
    public struct Segment: Sendable, Equatable {
        /// Train, test or sleep.
        public var kind: Kind
        /// Whether learning rules run.
        public var learning: Bool
        /// What adaptive thresholds do during the segment (`homeostasis`, default `adapt`).
        public var homeostasis = ThresholdAdaptation.adapt
        /// Train and test: the rows presented, `first ..< first + count`, their order and passes.
        public var first = 0
        /// Rows presented, from `first`.
        public var count = 0
        /// File order, or a seeded shuffle drawn again for each repeat.
        public var order = Order.file
        /// Passes over the rows, 1…10,000.
        public var repeats = 1
        /// Steps of input per presented sample.
        public var stepsPerSample = 0
        /// Silent steps after each presented sample.
        public var restSteps = 0
        /// Sleep: its length in steps, the weight drift and the spontaneous activity.
        public var sleepSteps = 0
        /// Drift of the plastic weights toward a baseline (nil: none).
        public var weightDecay: SleepPhase.WeightDecay?
        /// Spontaneous input pulses, per population (empty: none).
        public var spontaneous: [Spontaneous] = []

        /// A segment of `kind`, with learning on or off; the other fields keep their defaults.
        public init(kind: Kind, learning: Bool) {
            self.kind = kind
            self.learning = learning
        }

        /// Steps one presented sample takes.
        public var stepsPerPresentation: Int { stepsPerSample + restSteps }
        /// Samples presented (with repeats).
        public var presentations: Int { kind == .sleep ? 0 : count * repeats }
        /// Length of the segment in steps.
        public var steps: Int { kind == .sleep ? sleepSteps : presentations * stepsPerPresentation }
    }

    /// How test segments are scored: a population split into `groupSize`-neuron groups, one per
    /// class in order. Spikes are counted over each sample's presentation and rest steps; the
    /// predicted class is the group with the most spikes (`group` vote) or the group of the single
    /// neuron with the most spikes (`neuron` vote) — the lowest on ties, none without spikes.
    public struct Classifier: Sendable, Equatable {
        /// How a test sample's class is chosen.
        public enum Vote: String, Sendable, CaseIterable {
            case group, neuron
        }

        /// Index of the classifying population in the network's populations.
        public var population: Int
        /// Neurons per class group (dividing the population's size).
        public var groupSize: Int
        /// Whether the group with the most spikes wins, or the group of the neuron with the most.
        public var vote: Vote

        /// A classifier of `population` in groups of `groupSize` neurons.
        public init(population: Int, groupSize: Int, vote: Vote = .group) {
            self.population = population
            self.groupSize = groupSize
            self.vote = vote
        }
    }

    /// Index of the samples input the schedule presents.
    public var input: Int
    /// The segments, in the order they run.
    public var segments: [Segment]
    /// How test segments are scored (nil: they are not).
    public var classifier: Classifier?
    /// Whether u and v of every neuron are set to 0 before each presented sample, so samples do
    /// not leak into each other (adaptive thresholds, traces and weights are kept).
    public var resetsState: Bool

    /// A schedule presenting samples input `input` through `segments`.
    public init(input: Int, segments: [Segment], classifier: Classifier?, resetsState: Bool = false) {
        self.input = input
        self.segments = segments
        self.classifier = classifier
        self.resetsState = resetsState
    }

    /// Steps of the whole schedule.
    public var steps: Int { segments.reduce(0) { $0 + $1.steps } }

    /// First step (1-based) of each segment.
    public var segmentStarts: [Int] {
        var start = 1
        return segments.map { segment in defer { start += segment.steps }; return start }
    }

    /// The rows a segment presents, in order (empty for sleep). A shuffled segment draws from a
    /// stream of the network seed keyed by the segment's position, so changing one segment never
    /// reorders another.
    public func presentationOrder(segment index: Int, seed: UInt64) -> [Int] {
        let segment = segments[index]
        guard segment.kind != .sleep else { return [] }
        var generator = SeededGenerator(seed: seed, stream: 0x3_0000 + UInt64(index))
        var order: [Int] = []
        order.reserveCapacity(segment.presentations)
        for _ in 0..<segment.repeats {
            var rows = Array(segment.first..<(segment.first + segment.count))
            if segment.order == .shuffled && rows.count > 1 {
                for k in stride(from: rows.count - 1, to: 0, by: -1) {
                    let j = Int(generator.next() % UInt64(k + 1))
                    rows.swapAt(k, j)
                }
            }
            order += rows
        }
        return order
    }
}

extension NetworkFile {
    static let segmentKeys: [Schedule.Kind: [String]] = [
        .train: ["kind", "first", "count", "order", "repeat", "learning", "homeostasis", "steps_per_sample", "rest_steps"],
        .test: ["kind", "first", "count", "order", "repeat", "learning", "homeostasis", "steps_per_sample", "rest_steps"],
        .sleep: ["kind", "steps", "fraction", "learning", "homeostasis", "baseline", "decay", "decay_interval", "spontaneous"],
    ]

    /// `"schedule": { "input", "steps_per_sample", "rest_steps", "classify", "segments": [...] }`.
    static func readSchedule(_ node: JSONNode, inputs: [InputDescription], populations: [PopulationDescription]) throws(ConfigError) -> Schedule {
        let object = try node.object(allowedKeys: ["input", "steps_per_sample", "rest_steps", "reset_state", "classify", "segments"])
        let sampleInputs = inputs.indices.filter { if case .samples = inputs[$0].source { true } else { false } }
        let input: Int
        if let inputNode = object.optional("input") {
            let name = try inputNode.string()
            guard let index = sampleInputs.first(where: { inputs[$0].name == name }) else {
                throw inputNode.error("no samples input is named \"\(name)\"\(suggestion(name, sampleInputs.map { inputs[$0].name }))")
            }
            input = index
        } else {
            guard sampleInputs.count == 1 else {
                throw node.error(sampleInputs.isEmpty
                    ? "a schedule presents samples, but no input has \"samples\""
                    : "several inputs have \"samples\"; name the one to present with \"input\"")
            }
            input = sampleInputs[0]
        }
        guard case .samples(let samples) = inputs[input].source else { throw node.error("the presented input has no samples") }
        let sampleCount = samples.samples.count
        // Every samples input shows the presented sample's row (two views of one sample set, or a
        // teacher's labels), so each needs as many rows.
        for other in sampleInputs where other != input {
            guard case .samples(let otherSamples) = inputs[other].source, otherSamples.samples.count != sampleCount else { continue }
            throw node.error(
                "input \"\(inputs[other].name)\" has \(otherSamples.samples.count) samples but the presented input \"\(inputs[input].name)\" has \(sampleCount); "
                    + "every samples input shows the presented sample, so their files need the same number of rows")
        }
        let stepsPerSample = try object.int("steps_per_sample", in: 1...100_000)
        let restSteps = try object.int("rest_steps", in: 0...100_000, default: 0)

        var classifier: Schedule.Classifier?
        if let classifyNode = object.optional("classify") {
            let classify = try classifyNode.object(allowedKeys: ["population", "group_size", "vote"])
            let populationNode = try classify.required("population")
            let name = try populationNode.string()
            guard let population = populations.firstIndex(where: { $0.name == name }) else {
                throw populationNode.error("no population is named \"\(name)\"\(suggestion(name, populations.map(\.name)))")
            }
            let size = populations[population].size
            let groupNode = try classify.required("group_size")
            let groupSize = try groupNode.int(in: 1...size)
            guard size % groupSize == 0 else {
                throw groupNode.error("\(name) has \(size) neurons, not a whole number of groups of \(groupSize)")
            }
            let classes = size / groupSize
            if let label = samples.samples.labels.firstIndex(where: { $0 >= classes }) {
                throw groupNode.error("sample \(label) of \(samples.file) has label \(samples.samples.labels[label]), but \(name) has only \(classes) groups of \(groupSize)")
            }
            let vote = Schedule.Classifier.Vote(rawValue: try classify.string("vote", oneOf: Schedule.Classifier.Vote.allCases.map(\.rawValue), default: "group")) ?? .group
            classifier = Schedule.Classifier(population: population, groupSize: groupSize, vote: vote)
        }

        let segmentsNode = try object.required("segments")
        let segmentNodes = try segmentsNode.array()
        guard !segmentNodes.isEmpty else { throw segmentsNode.error("must list at least one segment") }
        var segments: [Schedule.Segment] = []
        for segmentNode in segmentNodes {
            let kindNode = try segmentNode.object(allowedKeys: segmentNode.members().map(\.key)).required("kind")
            guard let kind = Schedule.Kind(rawValue: try kindNode.string(oneOf: Schedule.Kind.allCases.map(\.rawValue))) else {
                throw kindNode.error("unknown segment kind")
            }
            let segment = try segmentNode.object(allowedKeys: segmentKeys[kind] ?? [])
            var result = Schedule.Segment(kind: kind, learning: try segment.bool("learning", default: kind != .test))
            result.homeostasis = ThresholdAdaptation(rawValue: try segment.string("homeostasis", oneOf: ThresholdAdaptation.allCases.map(\.rawValue), default: "adapt")) ?? .adapt
            if kind == .sleep {
                switch (segment.optional("steps"), segment.optional("fraction")) {
                case (let stepsNode?, nil):
                    result.sleepSteps = try stepsNode.int(in: 1...maximumSteps)
                case (nil, let fractionNode?):
                    let fraction = try fractionNode.double(in: 0.0...100.0)
                    guard let training = segments.last(where: { $0.kind == .train }) else {
                        throw fractionNode.error("a fraction of training needs a \"train\" segment before this sleep segment")
                    }
                    result.sleepSteps = max(1, Int((fraction * Double(training.steps)).rounded()))
                case (.some, .some):
                    throw segmentNode.error("give either \"steps\" or \"fraction\", not both")
                case (nil, nil):
                    throw segmentNode.error("a sleep segment needs \"steps\" or \"fraction\" (of the last training segment's steps)")
                }
                let decay = try segment.int("decay", in: 0...4096, default: 0)
                let baselineNode = segment.optional("baseline")
                let baseline = try segment.int("baseline", in: weightRange, default: 0)
                let interval = try segment.int("decay_interval", in: 1...1_000_000, default: 1)
                if decay > 0 { result.weightDecay = SleepPhase.WeightDecay(baseline: Int32(baseline), decay: Int32(decay), interval: interval) }
                if decay == 0, let baselineNode { throw baselineNode.error("has no effect without \"decay\"") }
                for (name, spontaneousNode) in try segment.optional("spontaneous")?.members() ?? [] {
                    guard let population = populations.firstIndex(where: { $0.name == name }) else {
                        throw spontaneousNode.error("no population is named \"\(name)\"\(suggestion(name, populations.map(\.name)))")
                    }
                    let spontaneous = try spontaneousNode.object(allowedKeys: ["probability", "amplitude"])
                    result.spontaneous.append(Schedule.Spontaneous(
                        population: population, probability: try spontaneous.double("probability", in: 0.0...1.0),
                        amplitude: Int32(try spontaneous.int("amplitude", in: weightRange))))
                }
            } else {
                result.first = try segment.int("first", in: 0...max(0, sampleCount - 1), default: 0)
                // At most the rows from `first` to the end of the file; all of them by default.
                let rowsLeft = sampleCount - result.first
                result.count = rowsLeft
                if let countNode = segment.optional("count") {
                    result.count = try countNode.int()
                    guard result.count >= 1, result.count <= rowsLeft else {
                        throw countNode.error(
                            "must be an integer in 1…\(rowsLeft), got \(countNode.value.numberText ?? "\(result.count)"): \(samples.file) has \(sampleCount) samples and this segment starts at row \(result.first)")
                    }
                }
                result.order = Schedule.Order(rawValue: try segment.string("order", oneOf: Schedule.Order.allCases.map(\.rawValue), default: "file")) ?? .file
                result.repeats = try segment.int("repeat", in: 1...10_000, default: 1)
                result.stepsPerSample = try segment.int("steps_per_sample", in: 1...100_000, default: stepsPerSample)
                result.restSteps = try segment.int("rest_steps", in: 0...100_000, default: restSteps)
            }
            segments.append(result)
        }
        let schedule = Schedule(input: input, segments: segments, classifier: classifier, resetsState: try object.bool("reset_state", default: false))
        guard schedule.steps <= maximumSteps else {
            throw segmentsNode.error("the schedule runs \(schedule.steps) steps; at most \(maximumSteps)")
        }
        return schedule
    }
}
