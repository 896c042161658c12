import Dispatch

/// Expected packets between cores of a loaded network, the placer's input.
///
/// Each source neuron sends one packet to each of its destination cores per spike, so the
/// traffic from core i to core j is Σ over i's neurons with an output axon on j of their expected
/// spikes — 1 per neuron when no rates are known (connectivity only), or their spike counts from
/// an earlier run (`neuroemu run --save-rates`).
public struct TrafficEstimate: Sendable, Equatable {
    public var traffic: TrafficMatrix
    public var hostTraffic: [Double]

    /// - Parameters:
    ///   - neuronWeights: expected spikes of each neuron of each core (engine order, local index),
    ///     or nil for 1 each.
    ///   - inputWeights: expected spikes of each host input neuron, or nil for 1 each.
    ///   - threads: threads that build runs of rows at once (each row is summed alike, so the
    ///     estimate does not depend on it).
    public init(_ loaded: LoadedNetwork, neuronWeights: [[Double]]? = nil, inputWeights: [Double]? = nil, threads: Int = 1) {
        let count = loaded.programs.count
        let parts = max(1, min(threads, count))
        var builders: [TrafficMatrix.Builder?] = Array(repeating: nil, count: parts)
        builders.withUnsafeMutableBufferPointer { builders in
            nonisolated(unsafe) let builders = builders  // part p writes builders[p] only
            let build: @Sendable (Int) -> Void = { part in
                let cores = count * part / parts..<count * (part + 1) / parts
                // Each neuron's destinations are at most one entry each.
                let destinations = loaded.programs[cores].reduce(0) { total, program in program.destinations.reduce(total) { $0 + $1.count } }
                var builder = TrafficMatrix.Builder(count: count, rowCount: cores.count, entryCapacity: destinations)
                for core in cores {
                    for (neuron, outputs) in loaded.programs[core].destinations.enumerated() {
                        let weight = neuronWeights?[core][neuron] ?? 1
                        builder.add(columns: outputs.lazy.map { Int($0.core) }, packets: weight)
                    }
                    builder.endRow()
                }
                builders[part] = builder
            }
            if parts == 1 { build(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: build) }
        }
        traffic = TrafficMatrix(stacking: builders.compactMap { $0 })
        hostTraffic = Array(repeating: 0, count: count)
        for (input, outputs) in loaded.inputDestinations.enumerated() {
            let weight = inputWeights?[input] ?? 1
            for output in outputs { hostTraffic[Int(output.core)] += weight }
        }
    }
}
