/// Expected packets between cores of a loaded network, the placer's input.
///
/// Each source neuron sends one packet to each of its destination cores per spike, so the
/// traffic from core i to core j is Σ over i's neurons with an output axon on j of their expected
/// spikes — 1 per neuron when no rates are known (connectivity only), or their spike counts from
/// an earlier run (`neuroemu run --save-rates`).
public struct TrafficEstimate: Sendable, Equatable {
    /// Expected packets from each engine core to each engine core.
    public var traffic: TrafficMatrix
    /// Expected packets from the host port to each engine core.
    public var hostTraffic: [Double]

    /// - Parameters:
    ///   - neuronWeights: expected spikes of each neuron of each core (engine order, local index),
    ///     or nil for 1 each.
    ///   - inputWeights: expected spikes of each host input neuron, or nil for 1 each.
    public init(_ loaded: LoadedNetwork, neuronWeights: [[Double]]? = nil, inputWeights: [Double]? = nil) {
        let count = loaded.programs.count
        // Each neuron's destinations are at most one entry each.
        let destinations = loaded.programs.reduce(0) { total, program in program.destinations.reduce(total) { $0 + $1.count } }
        var builder = TrafficMatrix.Builder(count: count, entryCapacity: destinations)
        for (core, program) in loaded.programs.enumerated() {
            for (neuron, outputs) in program.destinations.enumerated() {
                let weight = neuronWeights?[core][neuron] ?? 1
                builder.add(columns: outputs.lazy.map { Int($0.core) }, packets: weight)
            }
            builder.endRow()
        }
        traffic = builder.matrix
        hostTraffic = Array(repeating: 0, count: count)
        for (input, outputs) in loaded.inputDestinations.enumerated() {
            let weight = inputWeights?[input] ?? 1
            for output in outputs { hostTraffic[Int(output.core)] += weight }
        }
    }
}
