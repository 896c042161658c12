import Chip

/// Produces the host's input spikes, step by step: explicit spike times, or seeded Bernoulli
/// ("Poisson") draws. Input neurons are numbered globally, inputs in file order.
public struct InputDriver: Sendable {
    private let inputs: [InputDescription]
    private let offsets: [Int]
    /// Spike-time inputs: global input neurons per step (index = step).
    private var scheduled: [[Int32]]
    /// One generator per input, so adding an input never changes another input's spikes.
    private var generators: [SeededGenerator]

    public init(network: NetworkDescription, steps: Int) {
        inputs = network.inputs
        var offset = 0
        offsets = network.inputs.map { input in defer { offset += input.size }; return offset }
        scheduled = Array(repeating: [], count: steps + 1)
        for (index, input) in network.inputs.enumerated() {
            guard case .spikeTimes(let times) = input.source else { continue }
            for (neuron, list) in times.enumerated() {
                for t in list where t <= steps { scheduled[t].append(Int32(offsets[index] + neuron)) }
            }
        }
        for t in scheduled.indices { scheduled[t].sort() }
        generators = network.inputs.indices.map { SeededGenerator(seed: network.seed, stream: 0x1_0000 + UInt64($0)) }
    }

    /// Input neurons spiking at step `t`, ascending.
    public mutating func spikes(at t: Int) -> [Int32] {
        var result: [Int32] = []
        var fixed = t < scheduled.count ? scheduled[t][...] : []
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
