import Foundation
import Router
import Synchronization

/// What the helpers of a pulled batch (`ChipEngine.runPulledSteps`) read: the two region
/// descriptions (by region parity), where the workers count their progress, and how many
/// regions there are.
struct PulledBatch {
    /// Region r's description is `parts[r & 1]`.
    let parts: UnsafeMutablePointer<PulledPart>
    let sync: PulledBatchSync
    let regions: Int
}

/// The counters and records of a pulled batch, as plain pointers into a `PulledBatchMemory`:
/// the last region published, each worker's last region done, and each worker's totals (and
/// part time) of the regions of each parity. Every counter and record has cache lines of its
/// own.
struct PulledBatchSync {
    let base: UnsafeMutableRawPointer
    let workers: Int

    /// Bytes from one counter or record to the next: two cache lines (adjacent lines are
    /// fetched in pairs).
    static let stride = 128

    /// The last region whose description the caller has written.
    var published: UnsafeMutablePointer<Atomic<Int>> { base.assumingMemoryBound(to: Atomic<Int>.self) }

    /// The last region worker `worker` has finished.
    func done(_ worker: Int) -> UnsafeMutablePointer<Atomic<Int>> {
        (base + (1 &+ worker) &* Self.stride).assumingMemoryBound(to: Atomic<Int>.self)
    }

    /// The records of the regions of turn `turn` (region % `PulledBatchMemory.turns`).
    func records(turn: Int) -> PulledBatchMemory.Records {
        PulledBatchMemory.Records(base: base + (1 &+ workers &+ turn &* workers) &* Self.stride)
    }

    /// Waits until region `region` is published and every worker but `worker` has finished the
    /// region before it (whose spikes `worker` pulls, and whose cores may now be `worker`'s).
    static func waitForRegion(_ region: Int, worker: Int, sync: PulledBatchSync) {
        var polls = 0
        while sync.published.pointee.load(ordering: .acquiring) < region { pause(&polls) }
        for other in 0..<sync.workers where other != worker {
            while sync.done(other).pointee.load(ordering: .acquiring) < region &- 1 { pause(&polls) }
        }
    }

    /// A poll of a wait: every 1,024th gives the CPU away, so that with more workers than CPUs
    /// a waiting worker lets the one it waits for run.
    @inline(__always)
    static func pause(_ polls: inout Int) {
        polls &+= 1
        if polls & 1023 == 0 { sched_yield() }
    }
}

/// The memory of a pulled batch: its `PulledBatchSync` lines, the two region descriptions and
/// the header the helpers read, the runs of cores and spiking-core lists of three regions in
/// turn (`turns`), and two steps' host input spikes. Made for a worker count and core count and kept from batch to batch; a class so that
/// an engine copied with it can tell it is shared (`isKnownUniquelyReferenced`).
final class PulledBatchMemory: @unchecked Sendable {  // written by the caller between regions, by each worker only in its own lines
    let workers: Int
    let coreCount: Int
    let sync: PulledBatchSync
    let header: UnsafeMutablePointer<PulledBatch>
    let parts: UnsafeMutablePointer<PulledPart>
    /// Runs of cores (`workers + 1` starts) of the regions of each turn.
    let starts: UnsafeMutablePointer<Int>
    /// Spiking-core lists (`PulledStorage.spikingCores`) of the regions of each turn.
    let spikingCores: UnsafeMutablePointer<Int32>
    /// Regions whose records, runs of cores and spiking-core lists are kept apart: the caller
    /// reads region r's after its own part of region r + 1, while a helper may already run
    /// region r + 2 (as the export slots, `PulledSteps.exportSlotsPerWorker`).
    static let turns = PulledSteps.exportSlotsPerWorker
    let spikingCoreSlots: Int
    /// The host's input spikes of the steps of each parity.
    private(set) var inputs: [UnsafeMutableBufferPointer<Int32>]
    private(set) var inputCounts = [0, 0]

    /// A worker's totals and part time of one region.
    struct Records {
        let base: UnsafeMutableRawPointer

        func totals(of worker: Int) -> UnsafeMutablePointer<RunTotals> {
            (base + worker &* PulledBatchSync.stride).assumingMemoryBound(to: RunTotals.self)
        }

        /// Where a timed region's part started and ended for `CoreRuns` (after the totals).
        func time(of worker: Int) -> UnsafeMutablePointer<WorkerPool.PartTime> {
            (base + (worker &* PulledBatchSync.stride &+ Self.timeOffset)).assumingMemoryBound(to: WorkerPool.PartTime.self)
        }

        static let timeOffset = 96
    }

    init(workers: Int, coreCount: Int) {
        precondition(MemoryLayout<RunTotals>.size <= Records.timeOffset
            && Records.timeOffset + MemoryLayout<WorkerPool.PartTime>.size <= PulledBatchSync.stride, "a record fits its lines")
        self.workers = workers
        self.coreCount = coreCount
        let lines = 1 + workers + Self.turns * workers
        let base = UnsafeMutableRawPointer.allocate(byteCount: lines * PulledBatchSync.stride, alignment: PulledBatchSync.stride)
        for counter in 0...workers {
            (base + counter * PulledBatchSync.stride).initializeMemory(as: Atomic<Int>.self, to: Atomic(0))
        }
        sync = PulledBatchSync(base: base, workers: workers)
        header = .allocate(capacity: 1)
        parts = .allocate(capacity: 2)
        starts = .allocate(capacity: Self.turns * (workers + 1))
        starts.initialize(repeating: 0, count: Self.turns * (workers + 1))
        spikingCoreSlots = PulledSteps.firstSpikingCoreSlot(worker: workers, runStart: coreCount)
        spikingCores = .allocate(capacity: Self.turns * spikingCoreSlots)
        spikingCores.initialize(repeating: 0, count: Self.turns * spikingCoreSlots)
        inputs = [.allocate(capacity: 64), .allocate(capacity: 64)]
    }

    deinit {
        sync.base.deallocate()
        header.deallocate()
        parts.deallocate()
        starts.deallocate()
        spikingCores.deallocate()
        for buffer in inputs { buffer.deallocate() }
    }

    /// Keeps `spikes` as the input spikes of the steps of `parity` (no region reads the ones
    /// they replace any more).
    func keepInputs(_ spikes: [Int32], parity: Int) {
        if inputs[parity].count < spikes.count {
            inputs[parity].deallocate()
            inputs[parity] = .allocate(capacity: max(spikes.count, 2 * inputs[parity].count))
        }
        _ = UnsafeMutableBufferPointer(rebasing: inputs[parity][..<spikes.count]).initialize(from: spikes)
        inputCounts[parity] = spikes.count
    }

    func inputSpikes(parity: Int) -> UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(rebasing: inputs[parity][..<inputCounts[parity]])
    }
}

extension ChipEngine {
    /// Runs steps `timestep + 1 … timestep + count` like `stepPipelined` and `finishPipeline`,
    /// with the same results, but in one parallel job in which each worker goes on to its part
    /// of the next region as soon as the others have finished the region before: the caller's
    /// work between regions (summing the workers' totals, closing a step, the host's work)
    /// overlaps the helpers' parts instead of leaving them idle, and no region waits for a
    /// hand-out. Each region runs the synapse units of one step and the neuron phase of the
    /// next, pulling its packets (`pullsPackets`).
    ///
    /// The host works only through the closures (the engine is busy until the call returns):
    /// `inputs(t)` gives step t's input spikes, asked for in step t's region; `alongside` runs
    /// once per region on the calling thread, with the spikes of the step before that region's
    /// (as `stepPipelined` hands them) and the summary of the step closed just before, if any
    /// (step t − 1 alongside the spikes of step t), and the u and v after that step of the
    /// neurons `sites` lists (the workers leave them after each neuron phase, so the host reads
    /// no core between steps). The summary of the last step is `lastStep` afterwards.
    ///
    /// Returns false, having run nothing, where it does not apply: the engine does not pull
    /// packets or pipeline steps, one worker would run the regions (`threads`, cores, or too
    /// little work), or the thread pool is busy with another engine's job. The host then runs
    /// the steps one call at a time.
    public mutating func runPulledSteps(
        count: Int, threads: Int, probing sites: [NeuronSite] = [], inputs: (_ step: Int) -> [Int32],
        alongside: (_ spikesBefore: StepSpikes, _ statesBefore: StepStates, _ closed: StepSummary?) -> Void
    ) -> Bool {
        precondition(sites.allSatisfy { cores.indices.contains($0.core) && (0..<cores[$0.core].neuronCount).contains($0.neuron) }, "a probed site outside the chip")
        precondition(pipelined == nil, "finishPipeline before runPulledSteps")
        let workers = max(1, min(threads, cores.count, batchWorkerLimit))
        guard pullsPackets, pipelinesSteps, count >= 1, workers > 1, neuronCount >= minimumParallelWork else { return false }
        return withGatheredSpikes(ofStep: timestep) { engine, spikesBefore in
            engine.runPulledBatch(count: count, workers: workers, sites: sites, spikesBefore: spikesBefore, inputs: inputs, alongside: alongside)
        }
    }

    private mutating func runPulledBatch(
        count: Int, workers: Int, sites: [NeuronSite], spikesBefore: StepSpikes, inputs: (Int) -> [Int32],
        alongside: (StepSpikes, StepStates, StepSummary?) -> Void
    ) -> Bool {
        while networks.count < workers { networks.append(chip.makeNetwork(fidelity: fidelity)) }
        let pool = unretainedPool(for: workers)
        var state = PulledSteps()
        swap(&state, &pullState)
        defer { swap(&state, &pullState) }
        let tables = prepare(&state, workers: workers, packetCount: 0)
        if state.batchMemory?.workers != workers || state.batchMemory?.coreCount != cores.count || !isKnownUniquelyReferenced(&state.batchMemory) {
            state.batchMemory = PulledBatchMemory(workers: workers, coreCount: cores.count)
        }
        let memory = state.batchMemory.unsafelyUnwrapped
        let sync = memory.sync
        for counter in 0...workers { (sync.base + counter * PulledBatchSync.stride).assumingMemoryBound(to: Atomic<Int>.self).pointee.store(0, ordering: .relaxed) }
        let first = timestep
        let regions = count + 1
        var probes: StateProbes?
        if !sites.isEmpty {
            if state.probeMemory?.sites != sites || state.probeMemory?.coreCount != cores.count || !isKnownUniquelyReferenced(&state.probeMemory) {
                state.probeMemory = StateProbeMemory(sites: sites, coreCount: cores.count)
            }
            probes = state.probeMemory.unsafelyUnwrapped.probes
            for index in cores.indices { probes.unsafelyUnwrapped.capture(core: &cores[index], index: index, step: first) }  // the states handed first
        }
        memory.header.initialize(to: PulledBatch(parts: memory.parts, sync: sync, regions: regions))
        let costs = chip.costs
        var arrays = takePulledArrays()
        defer { restorePulledArrays(&arrays) }
        var ran = false
        arrays.withStorage(
            workspaces: &state.workspaces, workspaceMemory: &state.workspaceMemory, exports: &state.exports,
            exportCounts: &state.exportCounts, spikingCores: &state.spikingCores, probes: probes
        ) { shared in
            // Region r runs the synapse units of step first + r − 1 (none in the first) and the
            // neuron phase of step first + r (none in the last).
            let turns = PulledBatchMemory.turns
            var timedRegions = [Bool](repeating: false, count: turns)
            func describe(region r: Int) {
                let turn = r % turns
                let previous: Int? = r == 1 ? nil : first + r - 1
                let next: Int? = r == regions ? nil : first + r
                let timed = countBalancedCall(of: .synapseUnitsAndNeurons, workers: workers, coreCount: shared.cores.count)
                let runStarts = memory.starts + turn * (workers + 1)
                for run in 0...workers { runStarts[run] = coreRuns[BalancedPhase.synapseUnitsAndNeurons.rawValue].starts[run] }
                timedRegions[turn] = timed
                var region = PulledRegion(
                    synapseUnitsOf: previous, neuronPhaseOf: next, synapticOpCycles: costs[.synapticOp].cycles,
                    activeCycles: costs[.neuronUpdateActive].cycles, inactiveCycles: costs[.neuronUpdateInactive].cycles,
                    spikeOutCycles: costs[.spikeOut].cycles)
                region.timed = timed
                region.prefetchCores = pulledPrefetchCores
                let spikes = PulledSpikes(
                    exports: UnsafeBufferPointer(shared.exports), spikesPerSlot: neuronCount, exportCounts: UnsafeBufferPointer(shared.exportCounts),
                    exportingWorkers: previous == nil ? 0 : workers, step: previous ?? 0, tables: tables,
                    inputSpikes: previous.map { memory.inputSpikes(parity: $0 & 1) } ?? UnsafeBufferPointer(start: nil, count: 0))
                var storage = shared
                storage.spikingCores = UnsafeMutableBufferPointer(start: memory.spikingCores + turn * memory.spikingCoreSlots, count: memory.spikingCoreSlots)
                storage.records = sync.records(turn: turn)
                (memory.parts + (r & 1)).initialize(to: PulledPart(
                    region: region, spikes: spikes, storage: storage, starts: UnsafeBufferPointer(start: runStarts, count: workers + 1)))
            }
            describe(region: 1)
            sync.published.pointee.store(1, ordering: .releasing)
            ran = pool._withUnsafeGuaranteedRef { pool in
                pool.runRounds(context: UnsafeMutableRawPointer(memory.header)) { takeOver in
                    var owned = [true] + Array(repeating: false, count: workers - 1)
                    var pending: PipelinedStep?
                    // The caller's work between its parts, which `CoreRuns` counts as its start delay
                    // (not its wait for the others: a caller waiting for a slow helper must not be
                    // given fewer cores for it).
                    var workBetweenParts: UInt64 = 0
                    for r in 1...regions {
                        if r >= 2 {
                            // The others' region r − 1, whose spikes this region pulls.
                            for worker in 1..<workers where !owned[worker] {
                                var polls = 0
                                while sync.done(worker).pointee.load(ordering: .acquiring) < r - 1 {
                                    PulledBatchSync.pause(&polls)
                                    // A helper that never started (a missed wake) would hold the batch up for good.
                                    if polls == 1 << 16, sync.done(worker).pointee.load(ordering: .acquiring) == 0, takeOver(worker) {
                                        owned[worker] = true
                                        for missed in 1..<r {
                                            Self.runPulledPart(UnsafePointer(memory.parts + (missed & 1)), worker: worker)
                                            sync.done(worker).pointee.store(missed, ordering: .releasing)
                                        }
                                    }
                                }
                            }
                        }
                        let timed = timedRegions[r % turns]
                        let iterationStart = timed ? WorkerPool.nanoseconds() &- workBetweenParts : 0
                        // The host's inputs of this region's step, which the next region pulls, and its description.
                        if r <= count { memory.keepInputs(inputs(first + r), parity: (first + r) & 1) }
                        if r < regions {
                            describe(region: r + 1)
                            sync.published.pointee.store(r + 1, ordering: .releasing)
                        }
                        let part = UnsafePointer(memory.parts + (r & 1))
                        var partEnd: UInt64 = 0
                        for worker in 0..<workers where owned[worker] {
                            let partStart = timed ? WorkerPool.nanoseconds() : 0
                            Self.runPulledPart(part, worker: worker)
                            if timed {
                                partEnd = WorkerPool.nanoseconds()
                                sync.records(turn: r % turns).time(of: worker).pointee = worker == 0
                                    ? WorkerPool.PartTime(start: partStart &- iterationStart, end: partEnd &- iterationStart)
                                    : WorkerPool.PartTime(start: 0, end: partEnd &- partStart)
                            }
                            sync.done(worker).pointee.store(r, ordering: .releasing)
                        }
                        // Between the caller's parts, while the others already run region r + 1: the
                        // records of region r − 1 close step first + r − 2 and make step first + r − 1
                        // pending, and the host gets that step's spikes and the closed summary.
                        let measuresWork = r < regions && timedRegions[(r + 1) % turns]
                        let workStart = measuresWork ? (timed ? partEnd : WorkerPool.nanoseconds()) : 0
                        var closed: StepSummary?
                        if r >= 2 {
                            let records = sync.records(turn: (r - 1) % turns)
                            var sum = RunTotals()
                            for worker in 0..<workers { sum.add(records.totals(of: worker).pointee) }
                            if timedRegions[(r - 1) % turns] {
                                coreRuns[BalancedPhase.synapseUnitsAndNeurons.rawValue].record((0..<workers).map { records.time(of: $0).pointee })
                            }
                            if let step = pending {
                                closePulledStep(step, run: sum)
                                closed = lastStep
                            }
                            pending = nil
                            if r - 1 <= count {  // region r − 1 ran the neuron phase of step first + r − 1
                                let step = first + r - 1
                                spikingCores.removeAll(keepingCapacity: true)
                                PulledSteps.appendSpikingCores(
                                    listedIn: memory.spikingCores + ((r - 1) % turns) * memory.spikingCoreSlots, workers: workers,
                                    runStarts: memory.starts + ((r - 1) % turns) * (workers + 1), to: &spikingCores)
                                var counts = EventCounts()
                                counts[.neuronUpdateActive] = sum.activeUpdates
                                counts[.neuronUpdateInactive] = sum.inactiveUpdates
                                counts[.spikeOut] = UInt64(sum.spikes)
                                let inputSpikes = memory.inputSpikes(parity: step & 1)
                                let hostDeliveries = hostDeliveryCount(of: inputSpikes)
                                totalDeliveries &+= UInt64(sum.packets &+ hostDeliveries)
                                hostTotals[.packet] &+= UInt64(hostDeliveries)
                                pending = PipelinedStep(
                                    counts: counts, neuronSpikes: sum.spikes, lastNeuronCycle: sum.lastNeuronCycle, inputSpikes: inputSpikes.count)
                            }
                        }
                        let handed = r == 1 ? spikesBefore : StepSpikes(exportsOf: first + r - 1, in: shared, slotLength: neuronCount, workers: workers)
                        let states = StepStates(timestep: first + r - 1, values: probes.map { UnsafePointer($0.values(ofStep: first + r - 1)) }, count: sites.count)
                        alongside(handed, states, closed)
                        workBetweenParts = measuresWork ? WorkerPool.nanoseconds() &- workStart : 0
                    }
                    // The last region's synapse units close the last step.
                    for worker in 1..<workers where !owned[worker] {
                        var polls = 0
                        while sync.done(worker).pointee.load(ordering: .acquiring) < regions { PulledBatchSync.pause(&polls) }
                    }
                    var sum = RunTotals()
                    let records = sync.records(turn: regions % turns)
                    for worker in 0..<workers { sum.add(records.totals(of: worker).pointee) }
                    if let step = pending { closePulledStep(step, run: sum) }
                } _: { context, worker in
                    Self.runPulledBatchPart(UnsafePointer(context.assumingMemoryBound(to: PulledBatch.self)), worker: worker)
                }
            }
        }
        guard ran else { return false }
        timestep = first + count
        state.exportWorkers = 0
        return true
    }

    /// A helper's part of a pulled batch: every region in turn, each once the caller has
    /// published it and the other workers have finished the region before.
    private static func runPulledBatchPart(_ batch: UnsafePointer<PulledBatch>, worker: Int) {
        let sync = batch.pointee.sync
        for region in 1...batch.pointee.regions {
            PulledBatchSync.waitForRegion(region, worker: worker, sync: sync)
            let part = UnsafePointer(batch.pointee.parts + (region & 1))
            let timed = part.pointee.region.timed
            let start = timed ? WorkerPool.nanoseconds() : 0
            runPulledPart(part, worker: worker)
            if timed { sync.records(turn: region % PulledBatchMemory.turns).time(of: worker).pointee = WorkerPool.PartTime(start: 0, end: WorkerPool.nanoseconds() &- start) }
            sync.done(worker).pointee.store(region, ordering: .releasing)
        }
    }
}
