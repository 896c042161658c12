import Chip

/// Walks a schedule step by step during a run: which segment is in force, which sample (if any)
/// is presented, and when a presented sample's slot (its input and rest steps) ends.
struct ScheduleProgress {
    let schedule: Schedule
    let seed: UInt64
    private let starts: [Int]
    /// The segment in force and the rows it presents.
    private(set) var segment = -1
    private var order: [Int] = []

    /// Where one step stands.
    struct Position {
        var segment: Int
        /// True at the segment's first step.
        var entersSegment: Bool
        /// The presented row, for train and test.
        var sample: Int?
        /// True while the sample's input runs (false in its rest steps).
        var presents: Bool
        /// True at the slot's first and last step.
        var startsSlot: Bool
        var endsSlot: Bool
    }

    init(schedule: Schedule, seed: UInt64) {
        self.schedule = schedule
        self.seed = seed
        starts = schedule.segmentStarts
    }

    /// The position of step `t` (steps must be visited in order).
    mutating func position(at t: Int) -> Position {
        var entered = false
        while segment + 1 < starts.count && starts[segment + 1] <= t {
            segment += 1
            entered = true
            order = schedule.presentationOrder(segment: segment, seed: seed)
        }
        let current = schedule.segments[segment]
        guard current.kind != .sleep else {
            return Position(segment: segment, entersSegment: entered, sample: nil, presents: false, startsSlot: false, endsSlot: false)
        }
        let offset = t - starts[segment]
        let slot = offset / current.stepsPerPresentation
        let within = offset % current.stepsPerPresentation
        return Position(
            segment: segment, entersSegment: entered, sample: order[slot],
            presents: within < current.stepsPerSample, startsSlot: within == 0, endsSlot: within == current.stepsPerPresentation - 1)
    }

    /// The sleep phase the chip runs in a segment (nil outside sleep): weight drift and the
    /// spontaneous pulse probabilities of every neuron, per engine core.
    static func sleepPhase(_ segment: Schedule.Segment, mapping: Mapping) -> SleepPhase? {
        guard segment.kind == .sleep else { return nil }
        guard !segment.spontaneous.isEmpty else { return SleepPhase(weightDecay: segment.weightDecay) }
        var thresholds = mapping.coreNeuronCounts.map { Array(repeating: UInt64(0), count: $0) }
        var amplitudes = mapping.coreNeuronCounts.map { Array(repeating: Int32(0), count: $0) }
        for spontaneous in segment.spontaneous {
            let threshold = SleepPhase.threshold(probability: spontaneous.probability)
            for slice in mapping.slices(of: spontaneous.population) {
                for k in 0..<slice.count {
                    thresholds[slice.core][slice.coreOffset + k] = threshold
                    amplitudes[slice.core][slice.coreOffset + k] = spontaneous.amplitude
                }
            }
        }
        return SleepPhase(weightDecay: segment.weightDecay, spontaneousThreshold: thresholds, spontaneousAmplitude: amplitudes)
    }
}

/// The events, cycles and energy of all steps of one kind of segment (train, test or sleep).
public struct PhaseTotals: Sendable, Equatable {
    /// The kind of segment the totals are for.
    public var kind: Schedule.Kind
    /// Steps run in segments of this kind.
    public var steps = 0
    /// Samples presented (0 for sleep).
    public var samples = 0
    /// Events of those steps, by class.
    public var counts = EventCounts()
    /// Cycles of those steps.
    public var cycles: UInt64 = 0
    /// Energy of those steps (dynamic + static), in femtojoules.
    public var energyFemtojoules: Int64 = 0

    /// Empty totals for segments of `kind`.
    public init(kind: Schedule.Kind) { self.kind = kind }

    /// Energy per presented sample in femtojoules (nil without samples).
    public var energyPerSampleFemtojoules: Int64? { samples > 0 ? energyFemtojoules / Int64(samples) : nil }
}

/// How a test segment classified its samples (see `Schedule.Classifier`).
public struct Classification: Sendable, Equatable {
    /// Index of the test segment in the schedule.
    public var segment: Int
    /// Number of classes: the population's size divided by the group size.
    public var classes: Int
    /// Per presented sample: its row, its label and the predicted class (−1: no spike).
    public var samples: [Int] = []
    /// The label of each presented sample.
    public var labels: [Int] = []
    /// The class predicted for each presented sample (−1: no spike).
    public var predictions: [Int] = []

    /// An empty classification for test segment `segment` of `classes` classes.
    public init(segment: Int, classes: Int) {
        self.segment = segment
        self.classes = classes
    }

    /// Samples whose predicted class is their label.
    public var correct: Int { zip(labels, predictions).filter { $0 == $1 }.count }
    /// Fraction of samples classified correctly, 0…1; nil before a sample has finished (a run
    /// that ends inside the segment's first sample).
    public var accuracy: Double? { labels.isEmpty ? nil : Double(correct) / Double(labels.count) }
    /// `confusion[label][prediction]`; the last column counts samples without any spike.
    public var confusion: [[Int]] {
        var matrix = Array(repeating: Array(repeating: 0, count: classes + 1), count: classes)
        for (label, prediction) in zip(labels, predictions) where label < classes {
            matrix[label][prediction < 0 ? classes : prediction] += 1
        }
        return matrix
    }

    /// The predicted class from per-neuron spike counts of one sample: the group with the most
    /// spikes, or the group of the neuron with the most (lowest on ties); −1 without spikes.
    static func prediction(neuronSpikes: [Int], groupSize: Int, vote: Schedule.Classifier.Vote) -> Int {
        let counts: [Int]
        switch vote {
        case .group:
            counts = stride(from: 0, to: neuronSpikes.count, by: groupSize).map { neuronSpikes[$0..<($0 + groupSize)].reduce(0, +) }
        case .neuron:
            counts = neuronSpikes
        }
        var best = -1
        for (index, spikes) in counts.enumerated() where spikes > 0 && (best < 0 || spikes > counts[best]) { best = index }
        return best < 0 ? -1 : (vote == .group ? best : best / groupSize)
    }
}
