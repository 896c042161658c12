import Chip

/// One step's spikes grouped by core, each core's in the order its neurons spiked: what the host
/// tallies per population slice. Filled from the cores' spike lists after a step, or from the
/// `StepSpikes` a pipelined call hands its `alongside` work; its storage is kept from step to
/// step.
struct SpikesByCore {
    /// Each spike's neuron within its core, and its value, core by core.
    private(set) var neurons: [Int32] = []
    private(set) var values: [Int32] = []
    /// Core c's spikes are `first[c] ..< first[c] + count[c]` (count 0: none).
    private var first: [Int]
    private var count: [Int]
    /// The cores with a nonzero count, to clear.
    private var spikingCores: [Int] = []

    init(coreCount: Int) {
        first = Array(repeating: 0, count: coreCount)
        count = Array(repeating: 0, count: coreCount)
    }

    /// Forgets the last step's spikes.
    mutating func removeAll() {
        for core in spikingCores { count[core] = 0 }
        spikingCores.removeAll(keepingCapacity: true)
        neurons.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    /// Adds a spike of `core`; a core's spikes come one after another, in order.
    mutating func append(core: Int, neuron: Int32, value: Int32) {
        if count[core] == 0 {
            first[core] = neurons.count
            spikingCores.append(core)
        }
        precondition(first[core] + count[core] == neurons.count, "a core's spikes come one after another")
        count[core] += 1
        neurons.append(neuron)
        values.append(value)
    }

    /// Replaces the spikes with those a pipelined call hands its `alongside` work.
    mutating func fill(from spikes: StepSpikes) {
        removeAll()
        spikes.forEach { core, neuron, value in append(core: core, neuron: Int32(neuron), value: value) }
    }

    /// Replaces the spikes with those in the cores' spike lists (`spikingCores`: the cores
    /// that have any, as `ChipEngine.spikingCores`).
    mutating func fill(fromCores cores: [Core], spikingCores: [Int32]) {
        removeAll()
        for core in spikingCores {
            let index = Int(core)
            for (k, neuron) in cores[index].spikes.enumerated() {
                append(core: index, neuron: neuron, value: cores[index].spikeValues[k])
            }
        }
    }

    /// Indices into `neurons` and `values` of core `core`'s spikes.
    func spikes(of core: Int) -> Range<Int> {
        first[core]..<(first[core] + count[core])
    }
}
