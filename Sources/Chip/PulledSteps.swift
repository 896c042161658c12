import Router

/// What pulled steps (`ChipEngine.pullsPackets`) keep between regions: the spikes each worker
/// exported for the pending step, the workers' workspaces, every core's output axons, and the
/// host's input spikes and the packet count of the pending step.
struct PulledSteps {
    /// The read-only tables (made by the first `prepare`).
    var tableStorage: PulledTableStorage?
    /// The spikes each worker's cores sent, by export slot (`exportSlot`, `neuronCount` apart: a
    /// core sends at most one spike per neuron and step), and how many each slot holds.
    var exports: [ExportedSpike] = []
    var exportCounts: [Int] = []
    /// Workers whose export slots hold the pending step's spikes.
    var exportWorkers = 0
    var workspaces: [PullWorkspace] = []
    /// The memory of each workspace (`workspaces[w]` points into `workspaceMemory[w]`).
    var workspaceMemory: [PullWorkspaceMemory] = []
    /// The host's input spikes of the pending step, and the step's packets (the cores' and the
    /// host's), for the region that pulls them.
    var inputSpikes: [Int32] = PulledSteps.emptyList(capacity: 64)
    var packetCount = 0
    /// What the last region's parts read (see `PlainJobContext`): the workers' runs of cores,
    /// and the region's description.
    var runStarts: [Int] = []
    var partContext: PlainJobContext<PulledPart>?
    /// The memory of `ChipEngine.runPulledSteps` (made by its first call), and of its state
    /// probes (made for the sites of the last batch that probed).
    var batchMemory: PulledBatchMemory?
    var probeMemory: StateProbeMemory?
    /// `PulledStorage.spikingCores`: an entry per core and a line's worth per worker.
    var spikingCores: [Int32] = []

    /// An empty list with a buffer of its own (`capacity` elements), which a mutable access
    /// finds unique; the shared empty array never is, so each access would make a new one.
    static func emptyList(capacity: Int) -> [Int32] {
        var list: [Int32] = []
        list.reserveCapacity(capacity)
        return list
    }

    /// Export counts sit this many `Int`s apart, so that two workers' counts never share a
    /// cache line (128 bytes: adjacent lines are fetched in pairs).
    static let exportCountStride = 16

    /// Where worker `worker`, whose run of cores starts at `runStart`, lists its spiking cores
    /// in `PulledStorage.spikingCores`, ending with −1: 16 entries (a line) apart from worker to
    /// worker, so that the end of one run's list and the first entries of the next are never on
    /// one line, which both workers would write.
    static func firstSpikingCoreSlot(worker: Int, runStart: Int) -> Int { runStart &+ 16 &* worker }

    /// Appends to `cores` the spiking cores `workers` workers listed in `lists`, run r starting at
    /// `runStarts[r]`: each list up to its end mark, not its count in the worker's totals, so
    /// that its line is fetched from the worker's cache together with the totals' lines, not
    /// after them (and element by element: a slice would retain an array).
    static func appendSpikingCores(listedIn lists: UnsafePointer<Int32>, workers: Int, runStarts: UnsafePointer<Int>, to cores: inout [Int32]) {
        for worker in 0..<workers {
            var slot = firstSpikingCoreSlot(worker: worker, runStart: runStarts[worker])
            while lists[slot] >= 0 {
                cores.append(lists[slot])
                slot &+= 1
            }
        }
    }

    /// Export slot of `worker` for the spikes of step `step`, one of `exportSlotsPerWorker` in
    /// turn: a region reads the slots of the step before while it writes those of its own, and
    /// in a batch (`ChipEngine.runPulledSteps`) the caller reads the step before that while the
    /// helpers may already write the next; the slots a region writes were last read two regions
    /// before, which every worker has finished, so no part ever waits for another.
    static func exportSlot(worker: Int, step: Int) -> Int { exportSlotsPerWorker &* worker &+ step % exportSlotsPerWorker }
    static let exportSlotsPerWorker = 3

    /// Makes the tables (once: `makeTables`; returned) and room for the spiking cores and
    /// `workers` workers' workspaces (for `packetCount` packets) and export slots, keeping the
    /// slots already written (slot positions do not depend on the worker count).
    mutating func prepare(
        workers: Int, coreCount: Int, neuronCount: Int, packetCount: Int, makeTables: () -> PulledTableStorage
    ) -> PulledTables {
        let spikingCoreSlots = Self.firstSpikingCoreSlot(worker: workers, runStart: coreCount)
        if spikingCores.count < spikingCoreSlots { spikingCores = Array(repeating: 0, count: spikingCoreSlots) }
        for worker in 0..<workers {
            if worker == workspaceMemory.count {
                let memory = PullWorkspaceMemory(packetCapacity: packetCount, startCount: coreCount &+ 1)
                workspaceMemory.append(memory)
                workspaces.append(PullWorkspace(memory.lists))
            } else if workspaceMemory[worker].packetCapacity < packetCount || workspaceMemory[worker].startCount != coreCount &+ 1
                || !isKnownUniquelyReferenced(&workspaceMemory[worker]) {  // too small, or shared with an engine copied
                let memory = PullWorkspaceMemory(
                    packetCapacity: max(packetCount, 2 &* workspaceMemory[worker].packetCapacity), startCount: coreCount &+ 1)
                workspaceMemory[worker] = memory
                workspaces[worker] = PullWorkspace(memory.lists)
            }
        }
        let slots = Self.exportSlot(worker: workers, step: 0)
        if exportCounts.count < slots * Self.exportCountStride {
            exports.append(contentsOf: repeatElement(ExportedSpike(core: 0, neuron: 0, injectCycle: 0, payload: 0), count: slots * neuronCount - exports.count))
            exportCounts.append(contentsOf: repeatElement(0, count: slots * Self.exportCountStride - exportCounts.count))
        }
        if let storage = tableStorage { return storage.tables }
        let storage = makeTables()
        tableStorage = storage
        return storage.tables
    }
}

/// A spike of a pulled step (`ChipEngine.pullsPackets`) as the worker that ran its core leaves
/// it for the next region, where every worker builds the packets bound for its own cores from
/// it: 16 bytes, the core's neuron and what its packets carry.
struct ExportedSpike {
    /// Engine core index of the spiking neuron.
    var core: Int32
    /// The neuron within its core.
    var neuron: Int32
    /// Cycle its packets enter the network (the spike's cycle plus the spike-out cost).
    var injectCycle: UInt32
    /// The spike's value (1 for a plain spike).
    var payload: Int32
}

/// What one worker's run of cores did in a pulled region, summed by the worker itself: the
/// neuron phase's counts, the synapse units' operations and last cycle, and what its network
/// model counted routing the run's packets (read by the caller from here, not from the model,
/// whose lines sit in the worker's cache).
struct RunTotals {
    var activeUpdates: UInt64 = 0
    var inactiveUpdates: UInt64 = 0
    var lastNeuronCycle: UInt32 = 0
    var lastSynapseCycle: UInt32 = 0
    var spikes = 0
    /// Packets the run's spikes make (one per output axon).
    var packets = 0
    var synapticOps: UInt64 = 0
    /// Cores of the run whose neurons spiked.
    var spikingCores = 0
    var routedPackets: UInt64 = 0
    var eastWestFlitHops: UInt64 = 0
    var northSouthFlitHops: UInt64 = 0
    var interChipFlitHops: UInt64 = 0

    /// Adds what a network model counted between two of its totals.
    mutating func addRouting(from before: NetworkCounters.Totals, to after: NetworkCounters.Totals) {
        routedPackets &+= after.packets &- before.packets
        eastWestFlitHops &+= after.eastWestFlitHops &- before.eastWestFlitHops
        northSouthFlitHops &+= after.northSouthFlitHops &- before.northSouthFlitHops
        interChipFlitHops &+= after.interChipFlitHops &- before.interChipFlitHops
    }

    mutating func add(_ other: RunTotals) {
        activeUpdates &+= other.activeUpdates
        inactiveUpdates &+= other.inactiveUpdates
        lastNeuronCycle = max(lastNeuronCycle, other.lastNeuronCycle)
        lastSynapseCycle = max(lastSynapseCycle, other.lastSynapseCycle)
        spikes &+= other.spikes
        spikingCores &+= other.spikingCores
        packets &+= other.packets
        synapticOps &+= other.synapticOps
        routedPackets &+= other.routedPackets
        eastWestFlitHops &+= other.eastWestFlitHops
        northSouthFlitHops &+= other.northSouthFlitHops
        interChipFlitHops &+= other.interChipFlitHops
    }
}

/// The read-only tables of pulled steps, as plain pointers into a `PulledTableStorage`: every
/// core's output axons (below), each core's endpoint, and where the host's inputs go.
///
/// The output axons: a worker reads the axons of spikes of cores another worker is updating,
/// which the cores' own tables (inside `Core` values being written) cannot offer. Entries are
/// (destination core << 16 | input axon), so the table is built only where both fit 16 bits
/// (`OutputAxonTable.isNarrow`). Each neuron's entries are ordered by destination core, those
/// of one core in the neuron's own order: a worker finds its run's entries by bisection, and the
/// packets of one spike to one core keep their order, the only order the synapse units' clocks
/// depend on.
struct PulledTables {
    /// Index of each core's first neuron in `axonStart`.
    let neuronBase: UnsafeBufferPointer<Int32>
    /// Neuron n (by `neuronBase`) has entries `axonStart[n] ..< axonStart[n + 1]`.
    let axonStart: UnsafeBufferPointer<Int32>
    let axons: UnsafeBufferPointer<UInt32>
    let coreEndpoints: UnsafeBufferPointer<Int32>
    let hostEndpoint: Int32
    /// Input neuron i's packets go to `inputCore[d]`, axon `inputAxon[d]`, for d in
    /// `inputStart[i] ..< inputStart[i + 1]`.
    let inputStart: UnsafeBufferPointer<Int32>
    let inputCore: UnsafeBufferPointer<Int32>
    let inputAxon: UnsafeBufferPointer<Int32>
}

/// The memory of the pulled steps' `PulledTables`, made once and never changed. A class that
/// owns it, so that a region's description holds plain pointers and no hand-out retains or
/// releases an array (each of those is an atomic write on the caller's path of a step).
final class PulledTableStorage: @unchecked Sendable {  // never written after init
    let tables: PulledTables

    init(cores: [Core], coreEndpoints: [Int32], hostEndpoint: Int32, inputStart: [Int32], inputCore: [Int32], inputAxon: [Int32]) {
        var neuronBase: [Int32] = []
        var start: [Int32] = [0]
        var entries: [UInt32] = []
        neuronBase.reserveCapacity(cores.count)
        entries.reserveCapacity(cores.reduce(0) { $0 + $1.outputAxonCount })
        for core in cores {
            neuronBase.append(Int32(start.count - 1))
            for neuron in 0..<core.neuronCount {
                let first = entries.count
                for d in core.outputAxons.range(of: neuron) {
                    let output = core.outputAxons[d]
                    entries.append(UInt32(output.core) << 16 | UInt32(output.axon))
                }
                // Stable by core: by (core, position in the neuron's list).
                let ordered = entries[first...].enumerated().sorted { ($0.element >> 16, $0.offset) < ($1.element >> 16, $1.offset) }
                for (k, entry) in ordered.enumerated() { entries[first + k] = entry.element }
                start.append(Int32(entries.count))
            }
        }
        tables = PulledTables(
            neuronBase: Self.copy(neuronBase), axonStart: Self.copy(start), axons: Self.copy(entries),
            coreEndpoints: Self.copy(coreEndpoints), hostEndpoint: hostEndpoint,
            inputStart: Self.copy(inputStart), inputCore: Self.copy(inputCore), inputAxon: Self.copy(inputAxon))
    }

    deinit {
        tables.neuronBase.deallocate()
        tables.axonStart.deallocate()
        tables.axons.deallocate()
        tables.coreEndpoints.deallocate()
        tables.inputStart.deallocate()
        tables.inputCore.deallocate()
        tables.inputAxon.deallocate()
    }

    private static func copy<Element>(_ array: [Element]) -> UnsafeBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: array.count)
        _ = buffer.initialize(from: array)
        return UnsafeBufferPointer(buffer)
    }
}

/// What every worker of a pulled region reads and nobody writes: the spikes of the step before
/// (each worker's exports and the host's input spikes) and how to turn them into packets.
struct PulledSpikes {  // read-only while the region runs
    /// Every export slot (`PulledSteps.exportSlot`), `spikesPerSlot` apart.
    let exports: UnsafeBufferPointer<ExportedSpike>
    let spikesPerSlot: Int
    /// The spikes in each slot, at `PulledSteps.exportCountStride` apart.
    let exportCounts: UnsafeBufferPointer<Int>
    /// The slots of the step to pull: those of step `step` of the workers that exported it.
    let exportingWorkers: Int
    let step: Int
    let tables: PulledTables
    let inputSpikes: UnsafeBufferPointer<Int32>
}

/// What a pulled region's parts share besides the spikes: the constants of the step.
struct PulledRegion {
    let synapseUnitsOf: Int?
    let neuronPhaseOf: Int?
    let synapticOpCycles: UInt32
    let activeCycles: UInt32
    let inactiveCycles: UInt32
    let spikeOutCycles: UInt32
    /// Whether the parts time themselves (`ChipEngine.runPulledSteps`, for `CoreRuns`).
    var timed = false
    /// How many cores ahead of the one it runs each part prefetches memory
    /// (`ChipEngine.pulledPrefetchCores`), or 0: none.
    var prefetchCores = 0
}

/// The storage a pulled region's parts write: each only its own cores, their step results
/// and per-core totals, its own network model, workspace and export slot.
struct PulledStorage {
    let cores: UnsafeMutableBufferPointer<Core>
    let steps: UnsafeMutableBufferPointer<ChipEngine.CoreStep>
    let totals: UnsafeMutableBufferPointer<UInt64>
    let models: UnsafeMutableBufferPointer<any NetworkModel>
    let workspaces: UnsafeMutableBufferPointer<PullWorkspace>
    /// The memory of each workspace (`PulledSteps.workspaceMemory`).
    let workspaceMemory: UnsafeMutablePointer<PullWorkspaceMemory>
    let exports: UnsafeMutableBufferPointer<ExportedSpike>
    let exportCounts: UnsafeMutableBufferPointer<Int>
    /// The cores that spiked, each run's from `PulledSteps.firstSpikingCoreSlot` on (ascending,
    /// then −1), so that the caller finds them where it knows to look without first reading the
    /// worker's other lines.
    var spikingCores: UnsafeMutableBufferPointer<Int32>
    /// Where each worker leaves its run's totals (`PulledBatchMemory.Records`), or nil: in its
    /// workspace.
    var records: PulledBatchMemory.Records?
    /// Where each part leaves the probed neurons' states after its cores' neuron phases (a
    /// batch's, `ChipEngine.runPulledSteps`), or nil.
    var probes: StateProbes?
}

/// The engine's per-core arrays while a pulled region or batch hands them to the workers as
/// plain pointers (`ChipEngine.takePulledArrays`): moved out of the engine, which stays free
/// for the caller's own work between the workers' parts.
struct PulledArrays {
    var cores: [Core] = []
    var steps: [ChipEngine.CoreStep] = []
    var totals: [UInt64] = []
    var models: [any NetworkModel] = []

    /// Runs `body` with the storage of the workers' parts over these arrays and the given
    /// buffers of `PulledSteps` (records in the workspaces).
    mutating func withStorage<Result>(
        workspaces: inout [PullWorkspace], workspaceMemory: inout [PullWorkspaceMemory], exports: inout [ExportedSpike],
        exportCounts: inout [Int], spikingCores: inout [Int32], probes: StateProbes? = nil, _ body: (PulledStorage) -> Result
    ) -> Result {
        cores.withUnsafeMutableBufferPointer { cores in
        steps.withUnsafeMutableBufferPointer { steps in
        totals.withUnsafeMutableBufferPointer { totals in
        models.withUnsafeMutableBufferPointer { models in
        workspaces.withUnsafeMutableBufferPointer { workspaces in
        workspaceMemory.withUnsafeMutableBufferPointer { workspaceMemory in
        exports.withUnsafeMutableBufferPointer { exports in
        exportCounts.withUnsafeMutableBufferPointer { exportCounts in
        spikingCores.withUnsafeMutableBufferPointer { spikingCores in
            body(PulledStorage(
                cores: cores, steps: steps, totals: totals, models: models, workspaces: workspaces,
                workspaceMemory: workspaceMemory.baseAddress!, exports: exports, exportCounts: exportCounts, spikingCores: spikingCores,
                probes: probes))
        }}}}}}}}}
    }
}

/// A pulled region's description for the workers' parts, kept from region to region in
/// `PulledSteps.partContext`.
struct PulledPart {
    let region: PulledRegion
    let spikes: PulledSpikes
    let storage: PulledStorage
    /// Worker w's run of cores is `starts[w] ..< starts[w + 1]`.
    let starts: UnsafeBufferPointer<Int>
}
