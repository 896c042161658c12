/// The spikes of the step a pipelined call follows, as its `alongside` work sees them
/// (`ChipEngine.stepPipelined`, `finishPipeline`): each spiking core's neurons in ascending
/// core order, each core's in the order of its `Core.spikes`, with their values.
///
/// It points into the engine's memory and is valid only inside that closure. Where the engine
/// pulls packets these are the spikes its workers exported, which the caller's own part reads
/// next anyway; the host need not read the cores' spike lists after the call, on lines the
/// helper threads just wrote.
public struct StepSpikes {
    /// The step the spikes happened in (0 before the first step).
    public let timestep: Int
    /// The spikes sit in `slotCount` slots, slot s at `spikes + slotLength · (firstSlot + slotStride · s)`
    /// and holding `counts[countStride · (firstSlot + slotStride · s)]` of them, in ascending
    /// core order from slot to slot.
    private let spikes: UnsafePointer<ExportedSpike>?
    private let slotLength: Int
    private let counts: UnsafePointer<Int>?
    private let countStride: Int
    private let firstSlot: Int
    private let slotStride: Int
    private let slotCount: Int

    init(
        timestep: Int, spikes: UnsafePointer<ExportedSpike>?, slotLength: Int, counts: UnsafePointer<Int>?, countStride: Int,
        firstSlot: Int, slotStride: Int, slotCount: Int
    ) {
        self.timestep = timestep
        self.spikes = spikes
        self.slotLength = slotLength
        self.counts = counts
        self.countStride = countStride
        self.firstSlot = firstSlot
        self.slotStride = slotStride
        self.slotCount = slotCount
    }

    /// The spikes of step `timestep` that `workers` workers of a pulled region exported into
    /// `storage`'s export slots (`PulledSteps.exportSlot`, `slotLength` spikes each).
    init(exportsOf timestep: Int, in storage: PulledStorage, slotLength: Int, workers: Int) {
        self.init(
            timestep: timestep, spikes: UnsafePointer(storage.exports.baseAddress), slotLength: slotLength,
            counts: UnsafePointer(storage.exportCounts.baseAddress), countStride: PulledSteps.exportCountStride,
            firstSlot: PulledSteps.exportSlot(worker: 0, step: timestep),
            slotStride: PulledSteps.exportSlotsPerWorker, slotCount: workers)
    }

    /// The spikes of one list: `count.pointee` of them from `spikes`.
    init(timestep: Int, list spikes: UnsafePointer<ExportedSpike>?, count: UnsafePointer<Int>) {
        self.init(timestep: timestep, spikes: spikes, slotLength: 0, counts: count, countStride: 0, firstSlot: 0, slotStride: 0, slotCount: 1)
    }

    /// How many spikes there are.
    public var count: Int {
        guard let counts else { return 0 }
        var total = 0
        for s in 0..<slotCount { total &+= counts[countStride &* (firstSlot &+ slotStride &* s)] }
        return total
    }

    /// Calls `body` with each spike in order: its core (engine index), its neuron within the
    /// core, and its value (1 for a plain spike).
    public func forEach(_ body: (_ core: Int, _ neuron: Int, _ value: Int32) throws -> Void) rethrows {
        guard let spikes, let counts else { return }
        for s in 0..<slotCount {
            let slot = firstSlot &+ slotStride &* s
            let first = spikes + slotLength &* slot
            for k in 0..<counts[countStride &* slot] {
                let spike = first[k]
                try body(Int(spike.core), Int(spike.neuron), spike.payload)
            }
        }
    }
}
