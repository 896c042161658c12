import Router

/// Pending steps whose networks the worker pool's helpers time while the engine advances the
/// next steps (`ChipEngine.startRoutingNetworks`). The steps and the engine's network models are
/// moved into memory of this object's own for the job, which the threads share with no value
/// another thread may change: each step is claimed by one thread, and model p serves part p.
final class BackgroundRouting: @unchecked Sendable {  // shared as described above
    private let steps: UnsafeMutableBufferPointer<PendingStep>
    private let models: UnsafeMutableBufferPointer<any NetworkModel>
    private let synapticOpCycles: UInt32
    /// The pool running the job and the job; nil if no helper was free (`finish` then times
    /// every step on the calling thread).
    private let pool: WorkerPool?
    private let job: WorkerPool.StartedJob?

    /// Moves `steps` and `models` in and hands the steps to `pool`'s helpers, if it is free;
    /// part p times the steps it claims through `models[p]` (so `models` has one per part).
    init(steps: [PendingStep], models: [any NetworkModel], pool: WorkerPool?, synapticOpCycles: UInt32) {
        self.steps = Self.moved(steps)
        self.models = Self.moved(models)
        self.synapticOpCycles = synapticOpCycles
        nonisolated(unsafe) let stepBuffer = self.steps  // each step is claimed once
        nonisolated(unsafe) let modelBuffer = self.models  // part p uses model p only
        job = pool?.start(claiming: stepBuffer.count) { part, index in
            ChipEngine.route(&stepBuffer[index], through: &modelBuffer[part], synapticOpCycles: synapticOpCycles)
        }
        self.pool = job == nil ? nil : pool
    }

    /// Waits until every step is timed (timing on the calling thread those no helper claimed)
    /// and moves the steps and the models out again.
    func finish() -> (steps: [PendingStep], models: [any NetworkModel]) {
        if let pool, let job {
            pool.finish(job)
        } else {
            for index in steps.indices { ChipEngine.route(&steps[index], through: &models[0], synapticOpCycles: synapticOpCycles) }
        }
        return (Self.moved(steps), Self.moved(models))
    }

    /// `values` moved into a new buffer.
    private static func moved<Element>(_ values: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: values.count)
        _ = buffer.initialize(fromContentsOf: values)
        return buffer
    }

    /// `buffer`'s elements moved into an array, the buffer freed.
    private static func moved<Element>(_ buffer: UnsafeMutableBufferPointer<Element>) -> [Element] {
        let values = [Element](unsafeUninitializedCapacity: buffer.count) { array, count in
            _ = array.moveInitialize(fromContentsOf: buffer)
            count = buffer.count
        }
        buffer.deallocate()
        return values
    }
}
