import Chip

/// Produces the host's input spikes, step by step: explicit spike times, or seeded Bernoulli
/// ("Poisson") draws, including those of presented samples and their teacher. Input neurons are
/// numbered globally, inputs in file order.
public struct InputDriver: Sendable {
    private let inputs: [InputDescription]
    private let offsets: [Int]
    /// Spike-time inputs as (step, global input neuron), sorted; `next` is the first not yet sent.
    /// A flat list (not one array per step) keeps memory proportional to the spikes.
    private let scheduled: [(step: Int32, neuron: Int32)]
    private var next = 0
    /// One generator per input, keyed by the input's position: appending an input never changes
    /// the spikes of the inputs before it.
    private var generators: [SeededGenerator]
    /// Per samples input: the row whose probabilities are cached, and those probabilities.
    private var cachedSample: [Int]
    private var cachedProbabilities: [[Double]]

    /// What a schedule presents at one step.
    public struct Presentation: Sendable, Equatable {
        /// Row of the samples file.
        public var sample: Int
        /// Whether teacher inputs follow the sample's label (training).
        public var teaches: Bool

        /// Row `sample` presented, with its teacher input on when `teaches`.
        public init(sample: Int, teaches: Bool) {
            self.sample = sample
            self.teaches = teaches
        }
    }

    /// The driver of `network`'s inputs over a run of `steps` steps (spike times after
    /// `steps` are dropped).
    public init(network: NetworkDescription, steps: Int) {
        // One probability for a whole Poisson input is its every neuron's.
        inputs = network.inputs.map { input in
            guard case .poisson(let probability) = input.source, probability.count == 1, input.size > 1 else { return input }
            var each = input
            each.source = .poisson(probability: Array(repeating: probability[0], count: input.size))
            return each
        }
        var offset = 0
        offsets = network.inputs.map { input in defer { offset += input.size }; return offset }
        var events: [(step: Int32, neuron: Int32)] = []
        for (index, input) in network.inputs.enumerated() {
            guard case .spikeTimes(let times) = input.source else { continue }
            for (neuron, list) in times.enumerated() {
                for t in list where t <= steps { events.append((Int32(t), Int32(offsets[index] + neuron))) }
            }
        }
        scheduled = events.sorted { $0.step != $1.step ? $0.step < $1.step : $0.neuron < $1.neuron }
        generators = network.inputs.indices.map { SeededGenerator(seed: network.seed, stream: 0x1_0000 + UInt64($0)) }
        cachedSample = Array(repeating: -1, count: network.inputs.count)
        cachedProbabilities = Array(repeating: [], count: network.inputs.count)
    }

    /// Input neurons spiking at step `t`, ascending. `presentation` is what a schedule presents
    /// (samples and teacher inputs are silent without one); `suppressed` silences every input (a
    /// sleep phase: spike times of those steps are dropped, no random draws are made).
    public mutating func spikes(at t: Int, presentation: Presentation? = nil, suppressed: Bool = false) -> [Int32] {
        var result: [Int32] = []
        while next < scheduled.count && Int(scheduled[next].step) < t { next += 1 }
        var end = next
        while end < scheduled.count && Int(scheduled[end].step) == t { end += 1 }
        var fixed = scheduled[next..<end].map(\.neuron)[...]
        next = end
        if suppressed { return result }
        for (index, input) in inputs.enumerated() {
            let range = Int32(offsets[index])..<Int32(offsets[index] + input.size)
            switch input.source {
            case .spikeTimes:
                while let first = fixed.first, range.contains(first) {
                    result.append(first)
                    fixed = fixed.dropFirst()
                }
            case .poisson(let probability):
                for neuron in 0..<input.size where generators[index].nextUnitInterval() < probability[neuron] {
                    result.append(range.lowerBound + Int32(neuron))
                }
            case .samples(let samples):
                guard let presentation else { continue }
                if cachedSample[index] != presentation.sample {
                    cachedSample[index] = presentation.sample
                    cachedProbabilities[index] = samples.probabilities(sample: presentation.sample)
                }
                let probability = cachedProbabilities[index]
                for neuron in 0..<input.size where generators[index].nextUnitInterval() < probability[neuron] {
                    result.append(range.lowerBound + Int32(neuron))
                }
            case .teacher(let teacher):
                guard let presentation, presentation.teaches, case .samples(let samples) = inputs[teacher.samplesInput].source else { continue }
                if generators[index].nextUnitInterval() < teacher.probability {
                    result.append(range.lowerBound + Int32(samples.samples.labels[presentation.sample]))
                }
            }
        }
        return result
    }

    /// (input index, neuron within it) of a global input neuron.
    public func locate(_ neuron: Int32) -> (input: Int, index: Int) {
        var input = 0
        while input + 1 < offsets.count && offsets[input + 1] <= Int(neuron) { input += 1 }
        return (input, Int(neuron) - offsets[input])
    }
}
