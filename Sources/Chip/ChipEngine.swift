import Foundation
import Router

/// The timestep engine: drives every core through the neuron phase, moves the resulting packets
/// through the network model on the event clock, delivers them to synapse units, and closes the
/// step with the barrier — counting every event and its cycles.
///
/// Results never depend on the thread count: cores only touch their own memory within a phase,
/// packets are listed in (origin, sequence) order, and the clock orders deliveries by a total key.
public struct ChipEngine: Sendable {
    /// The chip the engine runs.
    public let chip: ChipDescription
    /// The loaded cores, in engine order.
    public internal(set) var cores: [Core]
    /// Mesh core number of each engine core.
    public let coreEndpoints: [Int32]
    /// Engine core index of each mesh core number (−1 where nothing is loaded).
    private let engineIndexByEndpoint: [Int32]
    /// Output axons of each host input neuron, compressed rows.
    private let inputDestinationStart: [Int32]
    private let inputDestinationCore: [Int32]
    private let inputDestinationAxon: [Int32]
    /// The mesh's host endpoint (read per step without touching the mesh's arrays, which the
    /// network models share and whose reference counts would cross between the threads).
    private let hostEndpoint: Int32

    /// The network model; `routeNetworks` on several threads adds more of the same fidelity,
    /// one per thread, each with counters of its own (merged in `networkCounters`).
    var networks: [any NetworkModel]
    /// The network fidelity asked for (nil: the chip's).
    let fidelity: RouterFidelity?
    /// True when any core has plastic synapses (the learning phase runs only then).
    private let hasPlasticity: Bool
    /// Neurons on all cores (the neuron phase's work).
    let neuronCount: Int
    private let barrierCycles: UInt32

    /// The sleep phase in force, if any (see `SleepPhase`).
    public private(set) var sleepPhase: SleepPhase?

    /// Timesteps the chip has advanced (`step`, `advance` or `stepPipelined`).
    public internal(set) var timestep = 0
    /// Timesteps closed (`step`, `complete`, or pipelined steps once the next call or
    /// `finishPipeline` closes them): `timestep` unless steps are pending.
    public private(set) var completedSteps = 0
    /// Events of all completed steps.
    public private(set) var totals = EventCounts()
    /// Cycles of all completed steps.
    public private(set) var totalCycles: UInt64 = 0
    /// Energy of all completed steps in femtojoules (the sum of the steps' energies).
    public private(set) var totalEnergyFemtojoules: Int64 = 0
    /// The first step (1-based) whose energy, or the total up to it, exceeded `Int64.max` fJ
    /// (9.2 kJ); energies from there on are saturated and mean nothing.
    public private(set) var energyOverflowStep: Int?
    /// Events of all completed steps attributed to each core (engine order): its neuron updates,
    /// spikes, packets sent, synaptic ops (as destination) and learning updates. Flit-hops belong
    /// to links (`networkCounters`), barriers to the whole chip, host-sent packets to `hostTotals`.
    public var coreTotals: [EventCounts] {
        (0..<cores.count).map { core in
            var counts = EventCounts()
            for event in EventClass.allCases { counts[event] = coreEventTotals[core * EventClass.allCases.count + event.rawValue] }
            return counts
        }
    }
    /// `coreTotals` as one flat array, core-major (one array instead of one per core keeps the
    /// per-step bookkeeping cheap on chips with thousands of cores).
    var coreEventTotals: [UInt64]
    /// Packet deliveries to cores so far: the packets unicast would have sent (with multicast,
    /// `totals[.packet]` counts route trees instead).
    public internal(set) var totalDeliveries: UInt64 = 0
    /// Packets sent by the host port.
    public internal(set) var hostTotals = EventCounts()
    /// The last step's summary.
    public private(set) var lastStep = StepSummary()
    /// The last step's packets in (origin, sequence) order, and what the network did with each.
    public private(set) var packets: [AERPacket] = []
    /// What the network did with each of `packets` (arrival cycle and hops), in the same order.
    public private(set) var deliveries: [PacketDelivery] = []

    /// What a core's phases leave for the serial part of a step, written by the worker that ran
    /// the core: the caller then reads one contiguous array, not every core's fields and arrays
    /// (which, on several threads, sit in the other worker's cache). 32 bytes, two to a cache
    /// line: a core's counts of one step fit 32 bits (its neurons, its output axons).
    struct CoreStep {
        var activeUpdates: UInt32 = 0
        var inactiveUpdates: UInt32 = 0
        var neuronPhaseCycles: UInt32 = 0
        var synapseUnitIdleCycle: UInt32 = 0
        var spikes: UInt32 = 0
        /// `Core.packetCount()` after the neuron phase.
        var packets: UInt32 = 0
        var synapticOps = 0

        @inline(__always)
        mutating func recordNeuronPhase(of core: inout Core) {
            activeUpdates = UInt32(truncatingIfNeeded: core.activeUpdates)
            inactiveUpdates = UInt32(truncatingIfNeeded: core.inactiveUpdates)
            neuronPhaseCycles = core.neuronPhaseCycles
            spikes = UInt32(truncatingIfNeeded: core.spikeCount)
            packets = spikes == 0 ? 0 : UInt32(truncatingIfNeeded: core.packetCount())
        }

        @inline(__always)
        mutating func recordSynapseUnit(of core: borrowing Core) {
            synapticOps = core.synapticOps
            synapseUnitIdleCycle = core.synapseUnitIdleCycle
        }
    }
    /// One per core, engine order (moved out while the workers write it: `withCoreSteps`).
    var coreSteps: [CoreStep]

    /// Spikes of core `core` (engine order) in the last neuron phase, as `cores[core].spikes`
    /// holds them; read from the engine's compact per-core results, which a host scanning
    /// thousands of cores per step reads far faster than each core's spike list.
    public func spikeCount(ofCore core: Int) -> Int { Int(coreSteps[core].spikes) }

    /// Synapses of input axon `axon` of core `core` (engine order): a packet's synaptic events.
    /// Read field by field through a buffer pointer: calling `synapseCount(axon:)` on
    /// `cores[core]`, even so, copied the whole core first, every array reference in it (a
    /// waveform spent a fifth of its time on the copies).
    public func synapseCount(core: Int, axon: Int) -> Int {
        precondition(cores.indices.contains(core), "core \(core) outside 0..<\(cores.count)")
        return cores.withUnsafeBufferPointer { $0[core].synapses.rows.row(axon).count }
    }

    /// The engine cores with spikes in the last neuron phase, ascending (those whose
    /// `spikeCount(ofCore:)` is not 0): a host looking for the step's spikes reads this short
    /// list instead of every core's count, half of which the other worker has just written.
    public internal(set) var spikingCores: [Int32] = []

    /// Clock keys of the step's deliveries, grouped by destination core (reused between steps).
    private var clockKeys: [UInt64] = []
    /// Each packet's synapse row when the synapse units find rows first (reused between steps).
    private var synapseRows: [UInt64] = []
    private var deliveryStart: [Int32]
    private var deliveryOrder: [Int32] = []
    private var deliveryCursor: [Int32] = []

    /// A step of `stepPipelined` whose synapse units have not run: its counts and neuron-phase
    /// results so far (its packets, deliveries and their grouping by core are the engine's).
    struct PipelinedStep {
        var counts: EventCounts
        var neuronSpikes: Int
        var lastNeuronCycle: UInt32
        var inputSpikes: Int
    }
    var pipelined: PipelinedStep?
    /// Storage of `withGatheredSpikes`.
    private var gatheredSpikes: [ExportedSpike] = []

    /// Whether `stepPipelined` pulls packets: each worker builds the packets bound for its own
    /// cores from every core's spikes of the step before, routes them through a network model
    /// of its own and groups them by core, inside the region where it runs those cores' synapse
    /// units and neuron phases. A step then has no serial listing, routing or grouping, and
    /// only the spikes (and a sum per worker) cross between the threads. True where the network
    /// model routes packets independently, without multicast (one packet per output axon),
    /// and every core index and axon fits 16 bits; tests turn it off (before the first pipelined
    /// step) to pipeline the other way. Pulled regions sweep each worker's cores once, running a
    /// core's synapse unit and then its neuron phase, and where memory is far
    /// (`sweepsFarMemory`) prefetch the neuron table of the core `prefetchCores` ahead, find
    /// its packets' synapse rows and prefetch their first words (`runPulledPart`; `cuba-40k`,
    /// 24 MB, 2 threads, 5,000 steps: 0.97–1.13 → 0.85–0.94 s with the tables and rows
    /// prefetched, 0.83–1.10 → 0.77–0.86 s with the words too). Hosts pipeline only chips within
    /// `pipelineMemoryBytes`.
    var pullsPackets: Bool
    /// What pulled steps keep between regions.
    var pullState = PulledSteps()

    /// - Parameters:
    ///   - coreEndpoints: the mesh core number each program is loaded into.
    ///   - inputDestinations: output axons of each host input neuron.
    public init(chip: ChipDescription, programs: [CoreProgram], coreEndpoints: [Int32], inputDestinations: [[OutputAxon]], fidelity: RouterFidelity? = nil) {
        self.init(chip: chip, cores: programs.map(Core.init(program:)), coreEndpoints: coreEndpoints, inputDestinations: inputDestinations, fidelity: fidelity)
    }

    /// An engine over cores already loaded (`Core(program:)`), so that a host can let go of the
    /// programs' synapse lists before it does other work (see `Simulation`).
    ///
    /// - Parameters:
    ///   - coreEndpoints: the mesh core number each core sits on.
    ///   - inputDestinations: output axons of each host input neuron.
    public init(chip: ChipDescription, cores: [Core], coreEndpoints: [Int32], inputDestinations: [[OutputAxon]], fidelity: RouterFidelity? = nil) {
        precondition(cores.count == coreEndpoints.count)
        self.chip = chip
        self.cores = cores
        self.coreEndpoints = coreEndpoints
        var engineIndex = Array(repeating: Int32(-1), count: chip.mesh.coreCount)
        for (engine, endpoint) in coreEndpoints.enumerated() { engineIndex[Int(endpoint)] = Int32(engine) }
        engineIndexByEndpoint = engineIndex
        var start: [Int32] = [0]
        var core: [Int32] = []
        var axon: [Int32] = []
        for outputs in inputDestinations {
            for output in outputs {
                core.append(output.core)
                axon.append(output.axon)
            }
            start.append(Int32(core.count))
        }
        inputDestinationStart = start
        inputDestinationCore = core
        inputDestinationAxon = axon
        hostEndpoint = Int32(chip.mesh.hostEndpoint)
        networks = [chip.makeNetwork(fidelity: fidelity)]
        self.fidelity = fidelity
        hasPlasticity = cores.contains { $0.hasPlasticity }
        neuronCount = cores.reduce(0) { $0 + $1.neuronCount }
        barrierCycles = chip.barrier.cycles(tiles: max(1, Set(coreEndpoints.map { chip.mesh.tileIndex(ofEndpoint: Int($0)) }).count))
        coreEventTotals = Array(repeating: 0, count: cores.count * EventClass.allCases.count)
        deliveryStart = Array(repeating: 0, count: cores.count + 1)
        coreSteps = Array(repeating: CoreStep(), count: cores.count)
        coreRuns = BalancedPhase.allCases.map { _ in CoreRuns(coreCount: cores.count, workers: 1) }
        let memory = cores.reduce(0) { $0 + $1.memoryBytes }
        sweepsFarMemory = memory >= Self.farMemoryBytes
        exceedsPipelineMemory = memory > Self.pipelineMemoryBytes
        pullsPackets = !chip.multicast && networks[0].routesPacketsIndependently && cores.count <= 1 << 16
            && cores.allSatisfy { $0.outputAxons.isNarrow }
        if sweepsFarMemory { layOutNeuronTablesInCoreOrder() }
    }

    /// Bytes held by the loaded cores (see `Core.memoryBytes`): what the chip's state costs the
    /// emulator, without the per-step packet lists.
    public var coreMemoryBytes: Int { cores.reduce(0) { $0 + $1.memoryBytes } }

    /// Whether a host gains by running the chip ahead and timing several steps' networks at once
    /// (`advance`, `routeNetworks`, `complete`) when it has threads to spare: true for the flit
    /// router, whose network phase is most of a step (the ideal router's is a small part).
    public var timesNetworksInBatches: Bool {
        (fidelity ?? chip.routerFidelity) == .flit
    }

    /// Network counters accumulated over the run (over every model `routeNetworks` used).
    public var networkCounters: NetworkCounters {
        precondition(backgroundRouting == nil, Self.modelsAway)
        var counters = networks[0].counters
        for model in networks.dropFirst() { counters.add(model.counters) }
        return counters
    }
    /// Tiles hosting at least one loaded core.
    public var tilesUsed: Int { Set(coreEndpoints.map { chip.mesh.tileIndex(ofEndpoint: Int($0)) }).count }

    /// Runs one timestep.
    ///
    /// - Parameters:
    ///   - inputSpikes: host input neurons spiking at this step, ascending.
    ///   - threads: worker threads for the per-core phases (1 runs everything on the caller).
    public mutating func step(inputSpikes: [Int32], threads: Int = 1) {
        precondition(pipelined == nil, "finishPipeline before step")
        timestep += 1
        let t = timestep
        var counts = EventCounts()
        // 3. Network phase (with the listing): the network model times every packet.
        let chipWork = runNeuronPhaseAndListPackets(inputSpikes: inputSpikes, threads: threads, counts: &counts, routesPackets: true)

        // 4. Synapse units: each destination core takes its packets off the clock in
        // (cycle, kind, origin, sequence) order; a packet starts when it has arrived and the unit
        // is free, takes one synaptic-op latency per synapse, and adds its weights (integer sums,
        // so any thread may do it). Cores are independent here, so they run in parallel.
        bucketDeliveriesByCore(arrivalOrder: chipWork.arrivalOrder)
        // A packet costs about as much as ten neuron updates (sorting its key, one or more
        // synapses). Whenever the neuron phase runs on several workers this phase does too,
        // however few the packets: the workers mostly take the same cores in both phases, so
        // a core's accumulators stay with the worker that reads them next (on one thread,
        // the next neuron phase waited for them to come over from the other core's cache:
        // cuba-4k on 2 threads, 2.2 → 1.8 µs per step for this phase).
        runSynapseUnits(timestep: t, threads: threads, work: max(10 * packets.count, neuronCount))
        let lastSynapseCycle = countSynapticOps(into: &counts)

        let learningCycles = runLearningPhase(threads: threads, counts: &counts)
        closeStep(
            counts: counts, busyCycles: max(chipWork.lastNeuronCycle, lastSynapseCycle) &+ learningCycles,
            neuronSpikes: chipWork.neuronSpikes, inputSpikes: inputSpikes.count)
    }

    /// Whether `stepPipelined` may run this chip: no plastic synapses (their learning phase
    /// comes between a step's synapse units and the next neuron phase) and no sleep phase.
    public var pipelinesSteps: Bool { !hasPlasticity && sleepPhase == nil }

    /// Whether a host on several threads gains by `stepPipelined`: where it may, and where the
    /// cores' memory stays within `pipelineMemoryBytes`.
    public var gainsFromPipelinedSteps: Bool { pipelinesSteps && !exceedsPipelineMemory }
    /// Cores' memory (bytes) up to which pipelined steps pay. On small chips a step is a few
    /// microseconds and the hand-off saved is a good part of it (2 threads: `cuba-4k`, 1.3 MB,
    /// 4 % faster, `dense-1k` 15 %). On `cuba-40k` (24 MB) step-by-step pipelining ran 10 %
    /// slower (a core's synapse unit between the neuron updates breaks the phases' sweeps
    /// through memory), but pulled steps in one batch run 15 % faster (3,000 steps, medians of
    /// six alternating runs: 0.97 → 0.82 s); on `cuba-400k` (243 MB) the batch lost 20 %
    /// (3.40 → 4.07 s) and, with both prefetching, lost 30 % (2 threads, 1,000 steps: 2.14–2.26 s
    /// step by step, 2.80–2.95 s in the batch) until the batch prefetched synapse words as well;
    /// since then the two run even (eight alternating runs: medians 2.61 and 2.63 s), so the
    /// step-by-step phases keep it.
    static let pipelineMemoryBytes = 64 << 20
    private let exceedsPipelineMemory: Bool

    /// Runs timestep t's neuron phase in one parallel region with the synapse units of step
    /// t − 1 (a core adds its packets of t − 1, then updates its neurons: the only data a core's
    /// neuron phase reads from the synapse phase is its own accumulators), then lists and routes
    /// step t's packets, whose synapse units run in the next call or in `finishPipeline`, and
    /// closes step t − 1. A step hands work to the helper threads once instead of twice; results,
    /// summaries and totals are those of `step`, step for step.
    ///
    /// After the call the cores hold step t's neuron state and spikes and `packets` and
    /// `deliveries` are step t's (empty where the engine pulls packets, `pullsPackets`: no
    /// step's packets are listed whole), while `lastStep`, `completedSteps` and the totals describe
    /// step t − 1 (`totalDeliveries` and `hostTotals` already count t's packets). Between
    /// calls a host may read the cores but not change them. Requires `pipelinesSteps`.
    ///
    /// `alongside` is the host's own work, run once on the calling thread before anything of the
    /// step changes what the host can read of the engine (`lastStep` still describes t − 2): where
    /// the engine pulls packets, while the helper threads run their parts, so that it costs the
    /// step only what the caller's shorter run of cores leaves it; otherwise first. It must
    /// not read the engine (the compiler sees to that: the engine is busy), but it gets the
    /// spikes of step t − 1 (`StepSpikes`), which the cores' spike lists held before the call.
    public mutating func stepPipelined(inputSpikes: [Int32], threads: Int = 1, alongside: (_ spikesBefore: StepSpikes) -> Void = { _ in }) {
        precondition(pipelinesSteps, "pipelined steps need a chip without plastic synapses and no sleep phase")
        if pullsPackets { return stepPulled(inputSpikes: inputSpikes, threads: threads, alongside: alongside) }
        withGatheredSpikes(ofStep: timestep) { _, spikes in alongside(spikes) }
        timestep += 1
        let previous = pipelined
        var counts = EventCounts()
        let chipWork = runNeuronPhaseAndListPackets(
            inputSpikes: inputSpikes, threads: threads, counts: &counts, synapseUnitsOf: previous == nil ? nil : timestep - 1, routesPackets: true)
        if let previous { closePipelinedStep(previous) }
        bucketDeliveriesByCore(arrivalOrder: chipWork.arrivalOrder)
        pipelined = PipelinedStep(
            counts: counts, neuronSpikes: chipWork.neuronSpikes, lastNeuronCycle: chipWork.lastNeuronCycle, inputSpikes: inputSpikes.count)
    }

    /// Runs the synapse units of the last `stepPipelined` step and closes it; afterwards the
    /// engine is as after `step`. Does nothing but `alongside` (as in `stepPipelined`, with the
    /// spikes of that step) when no step is pending.
    public mutating func finishPipeline(threads: Int = 1, alongside: (_ spikesBefore: StepSpikes) -> Void = { _ in }) {
        guard let last = pipelined else { return withGatheredSpikes(ofStep: timestep) { _, spikes in alongside(spikes) } }
        if pullsPackets {
            closePulledStep(last, run: runPulledRegion(threads: threads, synapseUnitsOf: timestep, neuronPhaseOf: nil, alongside: alongside))
            return
        }
        withGatheredSpikes(ofStep: timestep) { _, spikes in alongside(spikes) }
        runSynapseUnits(timestep: timestep, threads: threads, work: max(10 * packets.count, neuronCount))
        closePipelinedStep(last)
    }

    /// Closes a pipelined step once its synapse units have run (no learning phase: the chip has
    /// no plastic synapses).
    private mutating func closePipelinedStep(_ step: PipelinedStep) {
        var counts = step.counts
        let lastSynapseCycle = countSynapticOps(into: &counts)
        closeStep(
            counts: counts, busyCycles: max(step.lastNeuronCycle, lastSynapseCycle),
            neuronSpikes: step.neuronSpikes, inputSpikes: step.inputSpikes)
        pipelined = nil
    }

    /// `stepPipelined` where the engine pulls packets (`pullsPackets`): one region runs step
    /// t − 1's synapse units (each worker pulling, routing and grouping their packets first)
    /// and step t's neuron phases, then the caller sums one record per worker and closes t − 1.
    private mutating func stepPulled(inputSpikes: [Int32], threads: Int, alongside: (StepSpikes) -> Void) {
        if !packets.isEmpty {  // from steps before: no step is listed whole here
            packets.removeAll()
            deliveries.removeAll()
        }
        timestep += 1
        let previous = pipelined
        let next = timestep
        let run = previous == nil
            ? withGatheredSpikes(ofStep: next - 1) { engine, spikes in  // no worker exported the step before
                engine.runPulledRegion(threads: threads, synapseUnitsOf: nil, neuronPhaseOf: next, spikesBefore: spikes, alongside: alongside)
            }
            : runPulledRegion(threads: threads, synapseUnitsOf: next - 1, neuronPhaseOf: next, alongside: alongside)
        if let previous { closePulledStep(previous, run: run) }
        var counts = EventCounts()
        counts[.neuronUpdateActive] = run.activeUpdates
        counts[.neuronUpdateInactive] = run.inactiveUpdates
        counts[.spikeOut] = UInt64(run.spikes)
        let hostDeliveries = hostDeliveryCount(of: inputSpikes)
        totalDeliveries &+= UInt64(run.packets &+ hostDeliveries)
        hostTotals[.packet] &+= UInt64(hostDeliveries)
        // Copied into a buffer the engine alone holds, which the region reads without retaining.
        pullState.inputSpikes.removeAll(keepingCapacity: true)
        pullState.inputSpikes.append(contentsOf: inputSpikes)
        pullState.packetCount = run.packets &+ hostDeliveries
        pipelined = PipelinedStep(counts: counts, neuronSpikes: run.spikes, lastNeuronCycle: run.lastNeuronCycle, inputSpikes: inputSpikes.count)
    }

    /// Runs `body` with the spikes of the step the cores ran last (`step`), gathered from their
    /// spike lists (`alongside` work where no worker exported them), into storage kept from
    /// call to call.
    mutating func withGatheredSpikes<Result>(ofStep step: Int, _ body: (inout ChipEngine, StepSpikes) -> Result) -> Result {
        var list: [ExportedSpike] = []
        swap(&list, &gatheredSpikes)
        list.removeAll(keepingCapacity: true)
        for core in spikingCores {
            let index = Int(core)
            for (k, neuron) in cores[index].spikes.enumerated() {
                list.append(ExportedSpike(core: core, neuron: neuron, injectCycle: 0, payload: cores[index].spikeValues[k]))
            }
        }
        var count = list.count
        let result = list.withUnsafeBufferPointer { spikes in
            withUnsafePointer(to: &count) { count in
                body(&self, StepSpikes(timestep: step, list: spikes.baseAddress, count: count))
            }
        }
        swap(&list, &gatheredSpikes)
        return result
    }

    /// Closes a pulled step once the region after it (`run`) has routed its packets and run its
    /// synapse units.
    mutating func closePulledStep(_ step: PipelinedStep, run: RunTotals) {
        var counts = step.counts
        counts[.packet] = run.routedPackets
        counts[.eastWestFlitHop] = run.eastWestFlitHops
        counts[.northSouthFlitHop] = run.northSouthFlitHops
        counts[.interChipFlitHop] = run.interChipFlitHops
        counts[.synapticOp] = run.synapticOps
        closeStep(
            counts: counts, busyCycles: max(step.lastNeuronCycle, run.lastSynapseCycle),
            neuronSpikes: step.neuronSpikes, inputSpikes: step.inputSpikes)
        pipelined = nil
    }

    /// One parallel region of pulled steps: on each worker's run of cores, step `previous`'s
    /// synapse units on the packets the worker pulls for them (if any), then step `next`'s
    /// neuron phases (if any), whose spikes the worker exports; the caller runs `alongside`
    /// before its own part, with `spikesBefore` or else the spikes the workers exported for
    /// `previous`. Returns the workers' totals, summed.
    private mutating func runPulledRegion(
        threads: Int, synapseUnitsOf previous: Int?, neuronPhaseOf next: Int?, spikesBefore: StepSpikes? = nil,
        alongside: (StepSpikes) -> Void
    ) -> RunTotals {
        let packetCount = previous == nil ? 0 : pullState.packetCount
        let work = (next == nil ? 0 : neuronCount) &+ 10 &* packetCount
        let workers = work < minimumParallelWork ? 1 : max(1, min(threads, cores.count))
        while networks.count < workers { networks.append(chip.makeNetwork(fidelity: fidelity)) }
        let pool = workers > 1 ? unretainedPool(for: workers) : nil
        var state = PulledSteps()
        swap(&state, &pullState)
        let tables = prepare(&state, workers: workers, packetCount: packetCount)
        let exportingWorkers = previous == nil ? 0 : state.exportWorkers
        let timed = balancedRuns(of: .synapseUnitsAndNeurons, workers: workers, into: &state.runStarts)
        var region = PulledRegion(
            synapseUnitsOf: previous, neuronPhaseOf: next,
            synapticOpCycles: chip.costs[.synapticOp].cycles, activeCycles: chip.costs[.neuronUpdateActive].cycles,
            inactiveCycles: chip.costs[.neuronUpdateInactive].cycles, spikeOutCycles: chip.costs[.spikeOut].cycles)
        region.prefetchCores = pulledPrefetchCores
        if next != nil { state.exportWorkers = workers }
        var times: [WorkerPool.PartTime] = []
        var arrays = takePulledArrays()
        arrays.withStorage(
            workspaces: &state.workspaces, workspaceMemory: &state.workspaceMemory, exports: &state.exports,
            exportCounts: &state.exportCounts, spikingCores: &state.spikingCores
        ) { storage in
        // Mutable access to buffers only the engine holds: a uniqueness check reads the count
        // where a read-only access would retain and release the buffer, and the release after the
        // join would first take back the line from the helpers, which read these starts.
        state.inputSpikes.withUnsafeMutableBufferPointer { inputSpikes in
        state.runStarts.withUnsafeMutableBufferPointer { starts in
            let spikes = PulledSpikes(
                exports: UnsafeBufferPointer(storage.exports), spikesPerSlot: neuronCount, exportCounts: UnsafeBufferPointer(storage.exportCounts),
                exportingWorkers: exportingWorkers, step: previous ?? 0, tables: tables, inputSpikes: UnsafeBufferPointer(inputSpikes))
            let exported = StepSpikes(exportsOf: previous ?? 0, in: storage, slotLength: neuronCount, workers: exportingWorkers)
            let description = PulledPart(region: region, spikes: spikes, storage: storage, starts: UnsafeBufferPointer(starts))
            if !isKnownUniquelyReferenced(&state.partContext) {
                state.partContext = PlainJobContext(description)  // the first region, or an engine copied
            }
            let context = state.partContext.unsafelyUnwrapped.pointer
            let spikesBefore = spikesBefore ?? exported
            if let pool {
                times = pool._withUnsafeGuaranteedRef { pool in
                    pool.run(
                        timed: timed, callerFirst: { alongside(spikesBefore) }, context: UnsafeMutableRawPointer(context),
                        prepare: { PlainJobContext.update(context, to: description) }
                    ) { context, worker in
                        Self.runPulledPart(UnsafePointer(context.assumingMemoryBound(to: PulledPart.self)), worker: worker)
                    }
                }
            } else {
                PlainJobContext.update(context, to: description)
                alongside(spikesBefore)
                Self.runPulledPart(context, worker: 0)
            }
        }}}
        restorePulledArrays(&arrays)
        if timed { coreRuns[BalancedPhase.synapseUnitsAndNeurons.rawValue].record(times) }
        var sum = RunTotals()
        for worker in 0..<workers { sum.add(state.workspaces[worker].totals) }
        if next != nil {
            spikingCores.removeAll(keepingCapacity: true)
            state.spikingCores.withUnsafeMutableBufferPointer { lists in
            state.runStarts.withUnsafeMutableBufferPointer { starts in
                PulledSteps.appendSpikingCores(listedIn: lists.baseAddress!, workers: workers, runStarts: starts.baseAddress!, to: &spikingCores)
            }}
        }
        if previous != nil && next == nil { state.exportWorkers = 0 }
        swap(&state, &pullState)
        return sum
    }

    /// Moves the per-core arrays out of the engine for a pulled region or batch (`PulledArrays`).
    mutating func takePulledArrays() -> PulledArrays {
        precondition(backgroundRouting == nil, Self.modelsAway)
        var arrays = PulledArrays()
        swap(&arrays.cores, &cores)
        swap(&arrays.steps, &coreSteps)
        swap(&arrays.totals, &coreEventTotals)
        swap(&arrays.models, &networks)
        return arrays
    }

    /// Puts back what `takePulledArrays` moved out.
    mutating func restorePulledArrays(_ arrays: inout PulledArrays) {
        swap(&arrays.cores, &cores)
        swap(&arrays.steps, &coreSteps)
        swap(&arrays.totals, &coreEventTotals)
        swap(&arrays.models, &networks)
    }

    /// `state.prepare` for this engine's cores and `workers` workers.
    func prepare(_ state: inout PulledSteps, workers: Int, packetCount: Int) -> PulledTables {
        state.prepare(workers: workers, coreCount: cores.count, neuronCount: neuronCount, packetCount: packetCount) {
            PulledTableStorage(
                cores: cores, coreEndpoints: coreEndpoints, hostEndpoint: hostEndpoint,
                inputStart: inputDestinationStart, inputCore: inputDestinationCore, inputAxon: inputDestinationAxon)
        }
    }

    /// Worker `worker`'s part of the pulled region `part` describes.
    static func runPulledPart(_ part: UnsafePointer<PulledPart>, worker: Int) {
        let region = part.pointee.region, spikes = part.pointee.spikes, storage = part.pointee.storage
        let run = part.pointee.starts[worker]..<part.pointee.starts[worker &+ 1]
        let workspace = storage.workspaces.baseAddress! + worker
        // Stored now, so that the line is this CPU's again (the caller read it after the last
        // join) long before the part's totals are stored; nothing reads it until then.
        workspace.pointee.totals = RunTotals()
        var sum = RunTotals()
        if region.synapseUnitsOf != nil {
            workspace.pointee.pull(
                spikes, forCores: run, coreCount: storage.cores.count, through: &storage.models[worker], counting: &sum,
                memory: storage.workspaceMemory + worker)
        }
        let slot = region.neuronPhaseOf.map { PulledSteps.exportSlot(worker: worker, step: $0) }
        let firstSpikingCore = PulledSteps.firstSpikingCoreSlot(worker: worker, runStart: run.lowerBound)
        var exported = 0
        let lists = workspace.pointee.lists
        let packets = UnsafeBufferPointer(lists.packets), deliveries = UnsafeBufferPointer(lists.deliveries)
        let order = UnsafeBufferPointer(lists.order), starts = lists.starts, keys = lists.keys
        let rows = lists.rows
        // Where the region prefetches, each core's packets find their synapse rows ahead of
        // delivery: the row entries are prefetched twice `prefetchCores` ahead, looked up
        // `prefetchCores` ahead and their first synapse words prefetched then, beside the neuron
        // table (which holds the accumulators that delay-1 synapses add into).
        let findsRowsAhead = region.synapseUnitsOf != nil && region.prefetchCores > 0
        @inline(__always) func ranks(of core: Int) -> UnsafeBufferPointer<Int32> {
            ChipEngine.packetRanks(ofCore: core, order: order, starts: UnsafeBufferPointer(starts))
        }
        for index in run {
            if findsRowsAhead {
                for ahead in coresToPrefetch(before: index, in: run, distance: 2 &* region.prefetchCores) {
                    storage.cores[ahead].prefetchSynapseRows(of: ranks(of: ahead), packets: packets)
                }
                for ahead in coresToPrefetch(before: index, in: run, distance: region.prefetchCores) {
                    storage.cores[ahead].lookUpSynapseRows(of: ranks(of: ahead), packets: packets, into: rows.baseAddress!)
                    storage.cores[ahead].prefetchSynapseWords(of: ranks(of: ahead), rows: rows.baseAddress!)
                }
            }
            if let next = region.neuronPhaseOf {
                for ahead in coresToPrefetch(before: index, in: run, distance: region.prefetchCores) {
                    storage.cores[ahead].prefetchNeuronPhase(timestep: next)
                }
            }
            let step = storage.steps.baseAddress! + index
            if let previous = region.synapseUnitsOf {
                let clock = sortedClock(Int(starts[index])..<Int(starts[index + 1]), order: order, deliveries: deliveries, keys: keys)
                storage.cores[index].runSynapseUnit(
                    clock: clock, packets: packets, synapticOpCycles: region.synapticOpCycles, timestep: previous,
                    rows: findsRowsAhead ? UnsafePointer(rows.baseAddress) : nil)
                step.pointee.recordSynapseUnit(of: storage.cores[index])
                let operations = UInt64(step.pointee.synapticOps)
                sum.synapticOps &+= operations
                sum.lastSynapseCycle = max(sum.lastSynapseCycle, step.pointee.synapseUnitIdleCycle)
                add(operations, to: storage.totals, core: index, event: .synapticOp)
            }
            if let next = region.neuronPhaseOf, let slot {
                storage.cores[index].updateNeurons(timestep: next, activeCycles: region.activeCycles, inactiveCycles: region.inactiveCycles)
                if let probes = storage.probes { probes.capture(core: &storage.cores[index], index: index, step: next) }
                step.pointee.recordNeuronPhase(of: &storage.cores[index])
                let result = step.pointee
                sum.activeUpdates &+= UInt64(result.activeUpdates)
                sum.inactiveUpdates &+= UInt64(result.inactiveUpdates)
                sum.lastNeuronCycle = max(sum.lastNeuronCycle, result.neuronPhaseCycles)
                sum.spikes &+= Int(result.spikes)
                sum.packets &+= Int(result.packets)
                if result.spikes > 0 {
                    storage.spikingCores[firstSpikingCore &+ sum.spikingCores] = Int32(truncatingIfNeeded: index)
                    sum.spikingCores &+= 1
                }
                add(UInt64(result.activeUpdates), to: storage.totals, core: index, event: .neuronUpdateActive)
                add(UInt64(result.inactiveUpdates), to: storage.totals, core: index, event: .neuronUpdateInactive)
                add(UInt64(result.spikes), to: storage.totals, core: index, event: .spikeOut)
                add(UInt64(result.packets), to: storage.totals, core: index, event: .packet)
                if result.spikes > 0 {
                    exported &+= storage.cores[index].exportSpikes(
                        core: Int32(truncatingIfNeeded: index), spikeOutCycles: region.spikeOutCycles,
                        into: storage.exports.baseAddress! + (slot &* spikes.spikesPerSlot &+ exported))
                }
            }
        }
        if let slot {
            storage.exportCounts[slot &* PulledSteps.exportCountStride] = exported
            storage.spikingCores[firstSpikingCore &+ sum.spikingCores] = -1
        }
        if let records = storage.records {
            records.totals(of: worker).pointee = sum
        } else {
            workspace.pointee.totals = sum
        }
    }

    /// Does the chip's work of the next timestep and leaves its timing for later: the neuron
    /// phase, the packets, the synapse units' sums (without their cycles) and the learning phase.
    /// `routeNetworks` then times the packets of one or more such steps (on several threads) and
    /// `complete` closes them in order, which gives the same results, summaries and totals as
    /// `step` (the network never changes which spikes happen). Between `advance` and `complete`
    /// the engine's step counters and `lastStep` still describe the last completed step.
    public mutating func advance(inputSpikes: [Int32], threads: Int = 1) -> PendingStep {
        precondition(pipelined == nil, "finishPipeline before advance")
        // While the helpers time earlier steps (`startRoutingNetworks`), the pool is theirs.
        let threads = backgroundRouting == nil ? threads : 1
        timestep += 1
        let t = timestep
        var counts = EventCounts()
        let chipWork = runNeuronPhaseAndListPackets(inputSpikes: inputSpikes, threads: threads, counts: &counts)

        // The synapse units' sums: they do not depend on arrival cycles, so each core takes its
        // packets in (origin, sequence) order and notes how many synapses each one reached.
        bucketDeliveriesByCore(arrivalOrder: nil)  // not routed yet
        var synapseCounts = [UInt32](repeating: 0, count: packets.count)
        synapseCounts.withUnsafeMutableBufferPointer { countBuffer in
            nonisolated(unsafe) let synapses = countBuffer.baseAddress  // each core writes only its packets' counts
            withSynapseUnitWork(timestep: t) { engine, unit in
                engine.withCoreSteps { engine, steps in
                    engine.forEachCore(threads: threads, work: max(10 * unit.packets.count, engine.neuronCount)) { core, index in
                        let range = Int(unit.starts[index])..<Int(unit.starts[index + 1])
                        for k in range { unit.keys[k] = EventKey(cycle: 0, kind: .delivery, rank: Int(unit.order[k])).rawValue }
                        core.runSynapseUnit(
                            clock: UnsafeBufferPointer(rebasing: unit.keys[range]), packets: unit.packets, synapticOpCycles: 0, timestep: t,
                            synapseCounts: synapses)
                        steps[index].recordSynapseUnit(of: core)
                    }
                }
            }
        }
        _ = countSynapticOps(into: &counts)  // the units' cycles come when the step is routed
        let learningCycles = runLearningPhase(threads: threads, counts: &counts)
        return PendingStep(
            timestep: t, packets: packets, counts: counts, neuronSpikes: chipWork.neuronSpikes, inputSpikes: inputSpikes.count,
            lastNeuronCycle: chipWork.lastNeuronCycle, learningCycles: learningCycles,
            deliveryStart: deliveryStart, deliveryOrder: Array(deliveryOrder[0..<packets.count]), synapseCounts: synapseCounts)
    }

    /// Times the packets of steps from `advance` through the network model, and from their
    /// arrivals each destination core's synapse unit, on up to `threads` threads: each thread
    /// claims the next step not yet timed and routes it through a network model of its own (of
    /// the engine's fidelity, with counters of its own, merged in `networkCounters`), so a
    /// faster or earlier thread times more steps. That is exact because each step's network
    /// starts from an empty mesh and the counters only add up or take maxima. Results do not
    /// depend on the thread count or on which thread timed which step.
    public mutating func routeNetworks(of steps: inout [PendingStep], threads: Int = 1) {
        startRoutingNetworks(of: steps, threads: threads)
        steps = finishRoutingNetworks()  // the caller claims steps at once, beside the helpers
    }

    /// `routeNetworks` without waiting: the worker pool's helpers start timing `steps` (from
    /// `advance`) and the call returns at once, so that the caller can advance the next steps
    /// meanwhile; `finishRoutingNetworks` then times what no helper has taken and returns them.
    /// Until then the network models are the job's: the engine may `advance` and `complete`
    /// (steps routed before), and its phases run on the calling thread alone (the helpers are
    /// busy). Results do not depend on which thread timed which step.
    public mutating func startRoutingNetworks(of steps: [PendingStep], threads: Int) {
        precondition(backgroundRouting == nil, Self.modelsAway)
        let parts = max(1, min(threads, cores.count))  // the phases' worker count: one pool serves both
        while networks.count < parts { networks.append(chip.makeNetwork(fidelity: fidelity)) }
        var models: [any NetworkModel] = []
        swap(&models, &networks)
        backgroundRouting = BackgroundRouting(
            steps: steps, models: models, pool: parts > 1 ? workerPool(for: parts) : nil, synapticOpCycles: chip.costs[.synapticOp].cycles)
    }

    /// The steps of `startRoutingNetworks`, routed, once every one is timed (the calling thread
    /// times those no helper has claimed); the network models go back to the engine.
    public mutating func finishRoutingNetworks() -> [PendingStep] {
        guard let routing = backgroundRouting else { preconditionFailure("startRoutingNetworks before finishing") }
        backgroundRouting = nil
        let (steps, models) = routing.finish()
        networks = models
        return steps
    }

    /// Times one pending step: its packets through `network`, then each destination core's
    /// synapse unit over its packets in (arrival cycle, kind, origin, sequence) order, by the
    /// rule of `Core.runSynapseUnit` (a packet starts at max(arrival, unit free)). Where the
    /// network gives its `arrivalOrder`, each core's packets are listed again in it, so that
    /// their clocks need no sorting.
    static func route(_ step: inout PendingStep, through network: inout any NetworkModel, synapticOpCycles: UInt32) {
        guard !step.isRouted else { return }  // timed once, whoever is handed it again
        let before = network.counterTotals
        network.route(step.packets, into: &step.deliveries)
        addNetworkCounts(from: before, to: network.counterTotals, into: &step.counts)
        var order = step.deliveryOrder
        if let arrivalOrder = network.arrivalOrder, arrivalOrder.count == step.packets.count {
            var cursor = step.deliveryStart
            var coreOf = [Int32](repeating: 0, count: arrivalOrder.count)
            coreOf.withUnsafeMutableBufferPointer { coreOf in
            cursor.withUnsafeMutableBufferPointer { cursor in
            order.withUnsafeMutableBufferPointer { order in
                // Each packet's core, from the step's listing by core (before it is redone).
                for core in 0..<(cursor.count - 1) {
                    for k in Int(cursor[core])..<Int(cursor[core + 1]) { coreOf[Int(order[k])] = Int32(truncatingIfNeeded: core) }
                }
                listByCore(arrivalOrder, coreOf: UnsafeBufferPointer(coreOf), cursor: cursor, into: order)
            }}}
        }
        var keys = [UInt64](repeating: 0, count: step.packets.count)
        var lastSynapseCycle: UInt32 = 0
        keys.withUnsafeMutableBufferPointer { keys in
            for core in 0..<(step.deliveryStart.count - 1) {
                let range = Int(step.deliveryStart[core])..<Int(step.deliveryStart[core + 1])
                guard !range.isEmpty else { continue }
                let clock = order.withUnsafeBufferPointer { order in
                    step.deliveries.withUnsafeBufferPointer { deliveries in sortedClock(range, order: order, deliveries: deliveries, keys: keys) }
                }
                var free: UInt32 = 0
                for raw in clock {
                    let key = EventKey(rawValue: raw)
                    free = max(key.cycle, free) &+ step.synapseCounts[key.rank] &* synapticOpCycles
                }
                lastSynapseCycle = max(lastSynapseCycle, free)
            }
        }
        step.lastSynapseCycle = lastSynapseCycle
        step.isRouted = true
    }

    /// The synapse units of every core on the engine's current packets (step `timestep`'s,
    /// grouped by `bucketDeliveriesByCore`), in parallel when `work` is worth it.
    ///
    /// Where the cores' memory is far beyond the caches (`sweepsFarMemory`), in two sweeps over
    /// each worker's cores: every packet's synapse row first, then the deliveries (see
    /// `Core.lookUpSynapseRows`), each prefetching the memory it needs a few cores ahead.
    private mutating func runSynapseUnits(timestep t: Int, threads: Int, work: Int) {
        let findsRowsFirst = sweepsFarMemory
        withSynapseUnitWork(timestep: t, findingRowsFirst: findsRowsFirst) { engine, synapseUnit in
            engine.withCoreSteps { engine, steps in
                guard findsRowsFirst else {
                    engine.forEachCore(threads: threads, work: work, balanced: .synapseUnits) { core, index in
                        synapseUnit.run(on: &core, index: index)
                        steps[index].recordSynapseUnit(of: core)
                    }
                    return
                }
                engine.forEachCore(
                    threads: threads, work: work, balanced: .synapseUnits, prefetchingAhead: synapseUnit.prefetchRowsAhead,
                    { core, index in synapseUnit.lookUpRows(on: &core, index: index) },
                    thenPrefetchingAhead: synapseUnit.prefetchDeliveriesAhead,
                    then: { core, index in
                        synapseUnit.deliver(on: &core, index: index)
                        steps[index].recordSynapseUnit(of: core)
                    })
            }
        }
    }

    /// The synapse units' view of the engine's current packets (step `timestep`'s, grouped by
    /// `bucketDeliveriesByCore`): the storage of the packet, delivery and grouping lists and of
    /// the clock keys, which the workers share without retaining any list.
    private struct SynapseUnitWork: @unchecked Sendable {  // each core writes only its own range of `keys`
        let packets: UnsafeBufferPointer<AERPacket>
        let deliveries: UnsafeBufferPointer<PacketDelivery>
        let order: UnsafeBufferPointer<Int32>
        let starts: UnsafeBufferPointer<Int32>
        let keys: UnsafeMutableBufferPointer<UInt64>
        /// Each packet's synapse row, by rank, when rows are found first (else empty).
        let rows: UnsafeMutableBufferPointer<UInt64>
        let synapticOpCycles: UInt32
        let timestep: Int
        /// Cores the prefetches run ahead of the sweeps (`ChipEngine.prefetchCores`).
        let prefetchCores: Int

        /// One core's synapse unit: its clock (the keys of its packets, sorted in its own range
        /// of `keys`), then `Core.runSynapseUnit`.
        @inline(__always)
        func run(on core: inout Core, index: Int) {
            let clock = ChipEngine.sortedClock(Int(starts[index])..<Int(starts[index + 1]), order: order, deliveries: deliveries, keys: keys)
            core.runSynapseUnit(clock: clock, packets: packets, synapticOpCycles: synapticOpCycles, timestep: timestep)
        }

        /// The first sweep of synapse units that find rows first: one core's clock, and its
        /// packets' rows.
        @inline(__always)
        func lookUpRows(on core: inout Core, index: Int) {
            _ = ChipEngine.sortedClock(Int(starts[index])..<Int(starts[index + 1]), order: order, deliveries: deliveries, keys: keys)
            if let rows = rows.baseAddress { core.lookUpSynapseRows(of: ranks(of: index), packets: packets, into: rows) }
        }

        /// The second sweep: one core's deliveries on the clock and rows of the first.
        @inline(__always)
        func deliver(on core: inout Core, index: Int) {
            let clock = UnsafeBufferPointer(rebasing: keys[Int(starts[index])..<Int(starts[index + 1])])
            core.runSynapseUnit(clock: clock, packets: packets, synapticOpCycles: synapticOpCycles, timestep: timestep, rows: UnsafePointer(rows.baseAddress))
        }

        /// The packets bound for core `index` (ranks, in `order`).
        @inline(__always)
        private func ranks(of index: Int) -> UnsafeBufferPointer<Int32> {
            ChipEngine.packetRanks(ofCore: index, order: order, starts: starts)
        }

        /// Before each core of a worker's rows sweep, prefetches the row entries of the packets of
        /// the core `prefetchCores` ahead (`ChipEngine.coresToPrefetch`), so that the sweep finds
        /// them cached (`Core.prefetchSynapseRows`).
        func prefetchRowsAhead(_ cores: UnsafeMutableBufferPointer<Core>, run: Range<Int>, index: Int) {
            for core in ChipEngine.coresToPrefetch(before: index, in: run, distance: prefetchCores) {
                cores[core].prefetchSynapseRows(of: ranks(of: core), packets: packets)
            }
        }

        /// Before each core of a worker's delivery sweep, prefetches the first synapse word of
        /// each packet of the core twice `prefetchCores` ahead and the accumulator of each packet
        /// of the core `prefetchCores` ahead (whose word is cached by then), so that delivery
        /// finds both cached.
        func prefetchDeliveriesAhead(_ cores: UnsafeMutableBufferPointer<Core>, run: Range<Int>, index: Int) {
            guard let rows = UnsafePointer(rows.baseAddress) else { return }
            for core in ChipEngine.coresToPrefetch(before: index, in: run, distance: 2 &* prefetchCores) {
                cores[core].prefetchSynapseWords(of: ranks(of: core), rows: rows)
            }
            for core in ChipEngine.coresToPrefetch(before: index, in: run, distance: prefetchCores) {
                cores[core].prefetchInputAccumulators(of: ranks(of: core), rows: rows, timestep: timestep)
            }
        }
    }

    /// Calls `body` with the engine and the synapse units' view of its current packets; the
    /// lists are moved out of the engine meanwhile (so the phase may mutate the cores) and put
    /// back afterwards.
    private mutating func withSynapseUnitWork(timestep t: Int, findingRowsFirst: Bool = false, _ body: (inout ChipEngine, SynapseUnitWork) -> Void) {
        var keyStorage = takeClockKeys()
        var rowStorage: [UInt64] = []
        if findingRowsFirst {
            swap(&rowStorage, &synapseRows)
            if rowStorage.count < packets.count { rowStorage = Array(repeating: 0, count: packets.count) }
        }
        var packetList: [AERPacket] = []
        var deliveryList: [PacketDelivery] = []
        var order: [Int32] = []
        var starts: [Int32] = []
        swap(&packetList, &packets)
        swap(&deliveryList, &deliveries)
        swap(&order, &deliveryOrder)
        swap(&starts, &deliveryStart)
        let synapticOpCycles = chip.costs[.synapticOp].cycles
        keyStorage.withUnsafeMutableBufferPointer { keys in
        rowStorage.withUnsafeMutableBufferPointer { rows in
        packetList.withUnsafeBufferPointer { packets in
        deliveryList.withUnsafeBufferPointer { deliveries in
        order.withUnsafeBufferPointer { order in
        starts.withUnsafeBufferPointer { starts in
            body(&self, SynapseUnitWork(
                packets: packets, deliveries: deliveries, order: order, starts: starts, keys: keys, rows: rows,
                synapticOpCycles: synapticOpCycles, timestep: t, prefetchCores: prefetchCores))
        }}}}}}
        swap(&packetList, &packets)
        swap(&deliveryList, &deliveries)
        swap(&order, &deliveryOrder)
        swap(&starts, &deliveryStart)
        clockKeys = keyStorage
        if findingRowsFirst { synapseRows = rowStorage }
    }

    /// The reused clock-key storage, moved out of the engine (the caller puts it back in
    /// `clockKeys` after the phase) and at least as long as this step's packet list.
    private mutating func takeClockKeys() -> [UInt64] {
        var keys = clockKeys
        clockKeys = []
        if keys.count < packets.count { keys = Array(repeating: 0, count: packets.count) }
        return keys
    }

    /// One core's clock: the keys (arrival cycle, delivery, rank) of its packets `order[range]`,
    /// written into `keys[range]` and sorted (a check, where `order` lists them in arrival
    /// order: `NetworkModel.arrivalOrder`).
    @inline(__always)
    private static func sortedClock(
        _ range: Range<Int>, order: UnsafeBufferPointer<Int32>, deliveries: UnsafeBufferPointer<PacketDelivery>, keys: UnsafeMutableBufferPointer<UInt64>
    ) -> UnsafeBufferPointer<UInt64> {
        var ascending = true
        var previous: UInt64 = 0
        for k in range {
            let rank = Int(order[k])
            let key = EventKey(cycle: deliveries[rank].arriveCycle, kind: .delivery, rank: rank).rawValue
            ascending = ascending && key > previous
            previous = key
            keys[k] = key
        }
        let clock = UnsafeMutableBufferPointer(rebasing: keys[range])
        if !ascending { KeySort.sort(clock) }  // in arrival order already where the network gave one
        return UnsafeBufferPointer(clock)
    }

    /// Closes a step from `advance` once `routeNetworks` has timed it: its barrier, summary,
    /// totals, `packets` and `deliveries`. Steps must be completed in the order they advanced.
    public mutating func complete(_ step: PendingStep) {
        precondition(step.isRouted, "a pending step is completed after routeNetworks")
        precondition(step.timestep == completedSteps + 1, "pending steps are completed in order")
        packets = step.packets
        deliveries = step.deliveries
        closeStep(
            counts: step.counts, busyCycles: max(step.lastNeuronCycle, step.lastSynapseCycle) &+ step.learningCycles,
            neuronSpikes: step.neuronSpikes, inputSpikes: step.inputSpikes)
    }

    /// Steps 1 and 2 of a timestep: spontaneous input during sleep, the neuron phase (with
    /// `previous`, each core runs its synapse unit on that step's packets first), and the step's
    /// packets in (origin, sequence) order into `packets`; with `routesPackets`, step 3 too:
    /// their deliveries through the network model into `deliveries`, its events into `counts`,
    /// and, where the model routed the step whole and knows one, its `arrivalOrder`.
    private mutating func runNeuronPhaseAndListPackets(
        inputSpikes: [Int32], threads: Int, counts: inout EventCounts, synapseUnitsOf previous: Int? = nil, routesPackets: Bool = false
    ) -> (neuronSpikes: Int, lastNeuronCycle: UInt32, arrivalOrder: [Int32]?) {
        let t = timestep
        let costs = chip.costs

        // 1. Neuron phase: independent per core (after spontaneous input, during sleep).
        if let sleep = sleepPhase, !sleep.spontaneousThreshold.isEmpty {
            forEachCore(threads: threads) { core, index in
                core.injectSpontaneousInput(timestep: t, threshold: sleep.spontaneousThreshold[index], amplitude: sleep.spontaneousAmplitude[index])
            }
        }
        let activeCycles = costs[.neuronUpdateActive].cycles
        let inactiveCycles = costs[.neuronUpdateInactive].cycles
        if let previous {
            // Each core first runs its synapse unit on the packets of step `previous` (still the
            // engine's), then its neuron phase (`stepPipelined`).
            withSynapseUnitWork(timestep: previous) { engine, synapseUnit in
                engine.withCoreSteps { engine, steps in
                    engine.forEachCore(
                        threads: threads, work: engine.neuronCount + 10 * synapseUnit.packets.count, balanced: .synapseUnitsAndNeurons,
                        prefetchingAhead: engine.prefetchingNeuronPhase(t)
                    ) { core, index in
                        synapseUnit.run(on: &core, index: index)
                        steps[index].recordSynapseUnit(of: core)
                        core.updateNeurons(timestep: t, activeCycles: activeCycles, inactiveCycles: inactiveCycles)
                        steps[index].recordNeuronPhase(of: &core)
                    }
                }
            }
        } else {
            withCoreSteps { engine, steps in
                engine.forEachCore(threads: threads, work: engine.neuronCount, balanced: .neurons, prefetchingAhead: engine.prefetchingNeuronPhase(t)) { core, index in
                    core.updateNeurons(timestep: t, activeCycles: activeCycles, inactiveCycles: inactiveCycles)
                    steps[index].recordNeuronPhase(of: &core)
                }
            }
        }

        // 2. Packets in (origin, sequence) order: cores by engine index, then the host port.
        // The list keeps its length from step to step and is resized to the step's packets,
        // which are then written in place (appending would fill every new element first).
        // One pass over the cores' results: the step's counts, and where each worker's run of
        // cores (as in `forEachCore`) starts in the packet list and in the spike numbering.
        let workers = max(1, min(threads, cores.count))
        var activeUpdates: UInt64 = 0
        var inactiveUpdates: UInt64 = 0
        var lastNeuronCycle: UInt32 = 0
        var corePacketCount = 0
        var neuronSpikes = 0
        runStarts.resize(to: workers + 1, filling: RunStart())
        let runBoundaries = workers > 1 ? neuronPhaseRuns(workers: workers, pipelined: previous != nil) : [0, cores.count]
        var spiking = spikingCores
        spikingCores = []
        spiking.removeAll(keepingCapacity: true)
        coreSteps.withUnsafeBufferPointer { steps in
            var core = 0
            for run in 0...workers {
                runStarts[run] = RunStart(core: core, packet: corePacketCount, spike: Int32(truncatingIfNeeded: neuronSpikes))
                let end = run < workers ? runBoundaries[run + 1] : core
                while core < end {
                    let step = steps[core]
                    activeUpdates &+= UInt64(step.activeUpdates)
                    inactiveUpdates &+= UInt64(step.inactiveUpdates)
                    lastNeuronCycle = max(lastNeuronCycle, step.neuronPhaseCycles)
                    corePacketCount &+= Int(step.packets)
                    neuronSpikes &+= Int(step.spikes)
                    if step.spikes > 0 { spiking.append(Int32(truncatingIfNeeded: core)) }
                    core &+= 1
                }
            }
        }
        spikingCores = spiking
        counts[.neuronUpdateActive] = activeUpdates
        counts[.neuronUpdateInactive] = inactiveUpdates
        counts[.spikeOut] = UInt64(neuronSpikes)
        let hostDeliveries = hostDeliveryCount(of: inputSpikes)
        packets.resize(to: corePacketCount &+ hostDeliveries, filling: AERPacket(source: 0, destination: 0, axon: 0, injectCycle: 0))
        writeHostPackets(inputSpikes, at: corePacketCount, firstSpike: Int32(truncatingIfNeeded: neuronSpikes))
        totalDeliveries &+= UInt64(packets.count)

        // Busy steps list their packets on every worker, each its run of cores (the one it has
        // just updated) from where the earlier runs' packets end, and route its part where the
        // network model routes packets independently (the last part takes the host's packets).
        let parallel = workers > 1 && corePacketCount >= minimumParallelPackets
        let routesInParts = parallel && routesPackets && networks[0].routesPacketsIndependently
        if routesInParts {
            while networks.count < workers { networks.append(chip.makeNetwork(fidelity: fidelity)) }
            deliveries.resize(to: packets.count, filling: PacketDelivery(arriveCycle: 0, hops: 0))
        }
        let before = routesPackets ? networkTotals() : nil
        let listing = PacketListing(spikeOutCycles: costs[.spikeOut].cycles, multicast: chip.multicast)
        var totals = takeCoreEventTotals()
        if parallel {
            let pool = workerPool(for: workers)
            let runStarts = runStarts
            withPacketLists(totals: &totals) { engine, lists in
                engine.networks.withUnsafeMutableBufferPointer { models in
                    nonisolated(unsafe) let models = models  // part p uses model p only
                    pool.run { run in
                        let start = runStarts[run], end = runStarts[run + 1]
                        lists.listPackets(ofCores: start.core..<end.core, at: start.packet, firstSpike: start.spike, listing: listing)
                        if routesInParts {
                            let packetEnd = run == workers - 1 ? lists.packets.count : end.packet
                            models[run].route(
                                part: UnsafeBufferPointer(rebasing: lists.packets[start.packet..<packetEnd]),
                                into: UnsafeMutableBufferPointer(rebasing: lists.deliveries[start.packet..<packetEnd]))
                        }
                    }
                }
            }
        } else {
            withPacketLists(totals: &totals) { _, lists in
                lists.listPackets(ofCores: 0..<lists.cores.count, at: 0, firstSpike: 0, listing: listing)
            }
        }
        coreEventTotals = totals
        var arrivalOrder: [Int32]?
        if let before {
            if !routesInParts {
                networks[0].route(packets, into: &deliveries)
                arrivalOrder = networks[0].arrivalOrder
            }
            Self.addNetworkCounts(from: before, to: networkTotals(), into: &counts)
        }
        // With multicast the host sends one packet per input spike that has destinations.
        hostTotals[.packet] &+= UInt64(chip.multicast ? inputSpikes.count { inputDestinationStart[Int($0)] < inputDestinationStart[Int($0) + 1] } : hostDeliveries)
        return (neuronSpikes, lastNeuronCycle, arrivalOrder)
    }

    /// Steps with at least this many packets from cores list them (and, with a network model
    /// that routes packets independently, route them) on every worker; fewer are listed and
    /// routed on the calling thread, where the hand-off would cost more than it saves.
    static let parallelListingPackets = 4_096
    /// `parallelListingPackets`, per engine: tests lower it to list small networks' packets on
    /// several workers.
    var minimumParallelPackets = ChipEngine.parallelListingPackets

    /// The counter totals of every network model the engine has used, summed.
    private func networkTotals() -> NetworkCounters.Totals {
        precondition(backgroundRouting == nil, Self.modelsAway)
        var sum = networks[0].counterTotals
        for model in networks.dropFirst() {
            let totals = model.counterTotals
            sum.packets &+= totals.packets
            sum.eastWestFlitHops &+= totals.eastWestFlitHops
            sum.northSouthFlitHops &+= totals.northSouthFlitHops
            sum.interChipFlitHops &+= totals.interChipFlitHops
        }
        return sum
    }

    /// Packets the host port's `inputSpikes` make: one per output axon of each.
    func hostDeliveryCount(of inputSpikes: some Sequence<Int32>) -> Int {
        var count = 0
        for input in inputSpikes { count &+= Int(inputDestinationStart[Int(input) + 1] &- inputDestinationStart[Int(input)]) }
        return count
    }

    /// Writes the host port's packets of `inputSpikes` from index `start` of `packets` (which
    /// has room for them), numbering their spikes after `firstSpike`.
    private mutating func writeHostPackets(_ inputSpikes: [Int32], at start: Int, firstSpike: Int32) {
        let host = Int32(chip.mesh.hostEndpoint)
        var index = start
        var spikeNumber = firstSpike
        for input in inputSpikes {
            spikeNumber &+= 1
            for d in Int(inputDestinationStart[Int(input)])..<Int(inputDestinationStart[Int(input) + 1]) {
                packets[index] = AERPacket(
                    source: host, destination: coreEndpoints[Int(inputDestinationCore[d])],
                    axon: inputDestinationAxon[d], injectCycle: 0, spike: spikeNumber)
                index &+= 1
            }
        }
    }

    /// What listing a core's packets needs of the chip.
    private struct PacketListing: Sendable {
        let spikeOutCycles: UInt32
        let multicast: Bool
    }

    /// Where a worker's run of cores starts: its first core, its first packet in the step's
    /// list, the spike number before its first spike.
    private struct RunStart {
        var core = 0
        var packet = 0
        var spike: Int32 = 0
    }
    /// One per worker and one past the last (reused between steps).
    private var runStarts: [RunStart] = []

    /// The storage the listing workers share: each writes only its own cores, their per-core
    /// totals and its own range of packets and deliveries.
    private struct PacketLists: @unchecked Sendable {
        let cores: UnsafeMutableBufferPointer<Core>
        let steps: UnsafeBufferPointer<CoreStep>
        let coreEndpoints: UnsafeBufferPointer<Int32>
        let packets: UnsafeMutableBufferPointer<AERPacket>
        let deliveries: UnsafeMutableBufferPointer<PacketDelivery>
        let totals: UnsafeMutableBufferPointer<UInt64>

        /// Lists the packets of cores `range` from index `start`, numbering spikes after
        /// `firstSpike`, and adds each core's neuron updates, spikes and packets sent to its
        /// totals.
        func listPackets(ofCores range: Range<Int>, at start: Int, firstSpike: Int32, listing: PacketListing) {
            var listed = start
            var spikeNumber = firstSpike
            for index in range {
                let step = steps[index]
                var sent = 0
                if step.spikes > 0 {
                    let (written, corePackets) = cores[index].listPackets(
                        source: coreEndpoints[index], coreEndpoints: coreEndpoints, spikeOutCycles: listing.spikeOutCycles,
                        multicast: listing.multicast, spikeNumber: &spikeNumber, into: packets, at: listed)
                    listed &+= written
                    sent = corePackets
                }
                ChipEngine.add(UInt64(step.activeUpdates), to: totals, core: index, event: .neuronUpdateActive)
                ChipEngine.add(UInt64(step.inactiveUpdates), to: totals, core: index, event: .neuronUpdateInactive)
                ChipEngine.add(UInt64(step.spikes), to: totals, core: index, event: .spikeOut)
                ChipEngine.add(UInt64(sent), to: totals, core: index, event: .packet)
            }
        }
    }

    /// Calls `body` with the engine and its cores, step results, packet and delivery lists and
    /// `totals` as shared storage; the lists are moved out of the engine meanwhile.
    private mutating func withPacketLists(totals: inout [UInt64], _ body: (inout ChipEngine, PacketLists) -> Void) {
        var coreList: [Core] = []
        var steps: [CoreStep] = []
        var packetList: [AERPacket] = []
        var deliveryList: [PacketDelivery] = []
        swap(&coreList, &cores)
        swap(&steps, &coreSteps)
        swap(&packetList, &packets)
        swap(&deliveryList, &deliveries)
        coreList.withUnsafeMutableBufferPointer { cores in
        steps.withUnsafeBufferPointer { steps in
        coreEndpoints.withUnsafeBufferPointer { coreEndpoints in
        packetList.withUnsafeMutableBufferPointer { packets in
        deliveryList.withUnsafeMutableBufferPointer { deliveries in
        totals.withUnsafeMutableBufferPointer { totals in
            body(&self, PacketLists(cores: cores, steps: steps, coreEndpoints: coreEndpoints, packets: packets, deliveries: deliveries, totals: totals))
        }}}}}}
        swap(&coreList, &cores)
        swap(&steps, &coreSteps)
        swap(&packetList, &packets)
        swap(&deliveryList, &deliveries)
    }

    /// Adds the synapse units' operations of the step to its counts and to each core's totals;
    /// returns the cycle the last unit finished.
    private mutating func countSynapticOps(into counts: inout EventCounts) -> UInt32 {
        var lastSynapseCycle: UInt32 = 0
        let steps = coreSteps
        var totals = takeCoreEventTotals()
        totals.withUnsafeMutableBufferPointer { totals in
            for index in steps.indices {
                let operations = UInt64(steps[index].synapticOps)
                counts[.synapticOp] &+= operations
                Self.add(operations, to: totals, core: index, event: .synapticOp)
                lastSynapseCycle = max(lastSynapseCycle, steps[index].synapseUnitIdleCycle)
            }
        }
        coreEventTotals = totals
        return lastSynapseCycle
    }

    /// The network's events of one route call: the difference of its totals before and after.
    private static func addNetworkCounts(from before: NetworkCounters.Totals, to after: NetworkCounters.Totals, into counts: inout EventCounts) {
        counts[.packet] = after.packets &- before.packets
        counts[.eastWestFlitHop] = after.eastWestFlitHops &- before.eastWestFlitHops
        counts[.northSouthFlitHop] = after.northSouthFlitHops &- before.northSouthFlitHops
        counts[.interChipFlitHop] = after.interChipFlitHops &- before.interChipFlitHops
    }

    /// 6. Learning phase: local rules on cores with plastic synapses. Returns its cycles.
    private mutating func runLearningPhase(threads: Int, counts: inout EventCounts) -> UInt32 {
        guard hasPlasticity else { return 0 }
        let t = timestep
        forEachCore(threads: threads) { core, _ in core.learn(timestep: t) }
        let stdpCycles = chip.costs[.stdpUpdate].cycles
        var learningCycles: UInt32 = 0
        var totals = takeCoreEventTotals()
        totals.withUnsafeMutableBufferPointer { totals in
            for index in cores.indices {
                let updates = cores[index].learningUpdates  // read in place, not by binding the core
                counts[.stdpUpdate] &+= UInt64(updates)
                Self.add(UInt64(updates), to: totals, core: index, event: .stdpUpdate)
                learningCycles = max(learningCycles, UInt32(clamping: updates) &* stdpCycles)
            }
        }
        coreEventTotals = totals
        return learningCycles
    }

    /// 7. Barrier: the step ends `barrierCycles` after its last work; its summary and energy
    /// join the totals.
    mutating func closeStep(counts stepCounts: EventCounts, busyCycles: UInt32, neuronSpikes: Int, inputSpikes: Int) {
        var counts = stepCounts
        counts[.barrier] = 1
        let stepCycles = busyCycles &+ barrierCycles
        // Energies are 64-bit femtojoules (at most 9.2 kJ): a sum beyond that saturates and the
        // first such step is noted, for the caller to report instead of a wrong total.
        var energy = Int64.max
        var stepOverflow = true
        if let dynamic = counts.checkedDynamicEnergyFemtojoules(chip.costs),
            let staticEnergy = chip.staticEnergyFemtojoules(cycles: UInt64(stepCycles)),
            case let (sum, overflow) = dynamic.addingReportingOverflow(staticEnergy), !overflow {
            energy = sum
            stepOverflow = false
        }
        let (total, totalOverflow) = totalEnergyFemtojoules.addingReportingOverflow(energy)
        if stepOverflow || totalOverflow, energyOverflowStep == nil { energyOverflowStep = completedSteps + 1 }
        totals += counts
        totalCycles &+= UInt64(stepCycles)
        totalEnergyFemtojoules = totalOverflow ? Int64.max : total
        completedSteps += 1
        lastStep = StepSummary(
            timestep: completedSteps, cycles: stepCycles, counts: counts, energyFemtojoules: energy,
            neuronSpikes: neuronSpikes, inputSpikes: inputSpikes)
    }

    /// The per-core totals, moved out of the engine for a loop over their storage that reads
    /// the cores (the caller puts them back; see `add(_:to:core:event:)`).
    private mutating func takeCoreEventTotals() -> [UInt64] {
        var totals: [UInt64] = []
        swap(&totals, &coreEventTotals)
        return totals
    }

    /// The `coreSteps` storage as the workers see it: each writes only its own cores' entries.
    struct CoreStepStorage: @unchecked Sendable {
        fileprivate let base: UnsafeMutablePointer<CoreStep>

        subscript(core: Int) -> CoreStep {
            get { base[core] }
            nonmutating _modify { yield &base[core] }
        }
    }

    /// Calls `body` with the engine and the `coreSteps` storage, moved out of the engine so
    /// that the workers may write it while the phase mutates the cores.
    private mutating func withCoreSteps(_ body: (inout ChipEngine, CoreStepStorage) -> Void) {
        var steps = coreSteps
        coreSteps = []
        steps.withUnsafeMutableBufferPointer { buffer in
            body(&self, CoreStepStorage(base: buffer.baseAddress!))
        }
        coreSteps = steps
    }

    /// Adds `count` to core `core`'s total of `event` in the per-core totals' storage
    /// (`takeCoreEventTotals`: core-major, one entry per event class).
    @inline(__always)
    private static func add(_ count: UInt64, to totals: UnsafeMutableBufferPointer<UInt64>, core: Int, event: EventClass) {
        totals[core &* EventClass.allCases.count &+ event.rawValue] &+= count
    }

    /// Lists packet indices per destination core: a stable counting sort over the packets in
    /// (origin, sequence) order or in `arrivalOrder` (the network's, of this step's packets), so
    /// that each core's clock comes out sorted. The sums do not depend on the order.
    private mutating func bucketDeliveriesByCore(arrivalOrder: [Int32]?) {
        if deliveryOrder.count < packets.count { deliveryOrder = Array(repeating: 0, count: packets.count * 2) }
        if deliveryCursor.count != deliveryStart.count { deliveryCursor = deliveryStart }
        if deliveryCore.count < packets.count { deliveryCore = Array(repeating: 0, count: packets.count * 2) }
        packets.withUnsafeBufferPointer { packets in
        engineIndexByEndpoint.withUnsafeBufferPointer { engineIndex in
        deliveryStart.withUnsafeMutableBufferPointer { start in
        deliveryCursor.withUnsafeMutableBufferPointer { cursor in
        deliveryCore.withUnsafeMutableBufferPointer { coreOf in
        deliveryOrder.withUnsafeMutableBufferPointer { order in
            start.update(repeating: 0)
            for rank in packets.indices {
                let core = engineIndex[Int(packets[rank].destination)]
                coreOf[rank] = core
                start[Int(core) &+ 1] &+= 1
            }
            for index in 1..<start.count { start[index] &+= start[index - 1] }
            _ = cursor.update(fromContentsOf: start)
            Self.listByCore(
                arrivalOrder?.count == packets.count ? arrivalOrder : nil, coreOf: UnsafeBufferPointer(rebasing: coreOf[..<packets.count]),
                cursor: cursor, into: order)
        }}}}}}
    }

    /// The counting sort's placing pass: each packet rank, in `ranks` order (every packet once)
    /// or in packet order (nil), goes to its core's next slot of `order` (`cursor`: each core's
    /// next slot, from its start). `coreOf` holds each packet's core, found before: `ranks` in
    /// arrival order visits the packets at random, and 4 bytes a packet stay in cache where the
    /// packet records do not.
    @inline(__always)
    private static func listByCore(
        _ ranks: [Int32]?, coreOf: UnsafeBufferPointer<Int32>, cursor: UnsafeMutableBufferPointer<Int32>, into order: UnsafeMutableBufferPointer<Int32>
    ) {
        @inline(__always) func place(_ rank: Int) {
            let core = Int(coreOf[rank])
            order[Int(cursor[core])] = Int32(truncatingIfNeeded: rank)
            cursor[core] &+= 1
        }
        if let ranks {
            for rank in ranks { place(Int(rank)) }
        } else {
            for rank in coreOf.indices { place(rank) }
        }
    }

    /// Scratch of `bucketDeliveriesByCore`: each packet's destination core, found in its
    /// sequential pass (the arrival order then visits the packets at random).
    private var deliveryCore: [Int32] = []

    /// Work (in neuron updates) below which a phase runs on the calling thread: handing a phase
    /// to a helper of `WorkerPool` and joining it costs about as much as 1,000 neuron updates,
    /// so smaller phases are faster on one thread. Results do not depend on it.
    static let parallelWorkThreshold = 2_048
    /// The helper threads of phases run on several workers (made on first use, for as many
    /// workers as the phases use).
    private var workerPool: WorkerPool?
    /// Steps whose networks the pool's helpers are timing (`startRoutingNetworks`), with the
    /// network models; nil otherwise.
    private var backgroundRouting: BackgroundRouting?
    private static let modelsAway = "the network models are timing steps: finishRoutingNetworks first"

    /// `workerPool` without a count of its own (`workerPool` keeps it alive): a region's caller
    /// uses it without retaining and releasing it, two locked writes on the step's serial path.
    private var unretainedWorkerPool: Unmanaged<WorkerPool>?

    /// The pool for `workers` workers (made on first use or when the count changes).
    private mutating func workerPool(for workers: Int) -> WorkerPool {
        if let pool = workerPool, pool.threads == workers { return pool }
        let pool = WorkerPool(threads: workers)
        workerPool = pool
        unretainedWorkerPool = Unmanaged.passUnretained(pool)
        return pool
    }

    /// `workerPool(for:)`, not retained: valid while the engine keeps its pool.
    mutating func unretainedPool(for workers: Int) -> Unmanaged<WorkerPool> {
        if let pool = unretainedWorkerPool, workerPool?.threads == workers { return pool }
        return Unmanaged.passUnretained(workerPool(for: workers))
    }

    /// `parallelWorkThreshold`, per engine: tests lower it to run small networks' phases on
    /// several workers.
    var minimumParallelWork = ChipEngine.parallelWorkThreshold

    /// The most workers a pulled batch (`runPulledSteps`) runs: the CPUs this process may use.
    /// Its workers meet at every step, so a worker without a CPU holds up the others (3 threads
    /// on 2 CPUs: `cuba-4k` twice as slow as 2); results do not depend on the worker count.
    /// Tests raise it to run more workers than CPUs.
    var batchWorkerLimit = ProcessInfo.processInfo.activeProcessorCount

    /// Whether the phases sweep the cores so that their cache misses overlap, for cores' memory
    /// far beyond the caches: the neuron phase prefetches the memory of a core a few ahead
    /// (`Core.prefetchNeuronPhase`) while it updates a core, and the synapse units find every
    /// packet's synapse row in a sweep of their own before any of them delivers
    /// (`Core.lookUpSynapseRows`), both sweeps prefetching the rows, synapse words and
    /// accumulators of the packets of a core a few ahead (`SynapseUnitWork.prefetchRowsAhead`,
    /// `prefetchDeliveriesAhead`), so that misses overlap with other work where the kernel's
    /// and the delivery's own loads would wait for them one chain at a time.
    private var sweepsFarMemory: Bool
    /// Cores' memory (bytes) from which the phases sweep it that way: on `cuba-400k` (250 MB,
    /// a 16 MB neuron table swept every step) reading ahead with loads saved 15–20 % of the
    /// loop and the rows' sweep 15 % more; `cuba-40k` (25 MB, mostly in the 32 MB last-level
    /// cache) about 6 %; the 4k cases (1–4 MB) fit the caches and would only pay the extra
    /// sweep. The synapse units' reads ahead, which cost more than they saved on `cuba-40k`
    /// while they were loads, began at 64 MB; as prefetches they pay there too (1 thread,
    /// 5,000 steps: 1.89–2.14 → 1.64–1.99 s).
    static let farMemoryBytes = 16 << 20
    /// Cores the sweeps for far memory prefetch ahead: before running core i a worker asks for
    /// the lines core i + 8 will read first (on `cuba-400k`, about 16 lines of neuron table and
    /// 3–4 packets a core). Prefetches, unlike the loads that read ahead before (eight or 32
    /// cores at a time), never wait for their lines, so spreading them one core at a time keeps
    /// the work between them (1,000 steps on 2 threads: 2.85–3.11 s reading ahead, 2.27–2.43 s
    /// prefetching; 4 and 16 cores measured alike, 64 slower for the synapse units).
    static let defaultPrefetchCores = 8
    /// `defaultPrefetchCores`, per engine: tests lower it so that small networks' sweeps
    /// prefetch ahead inside a worker's run.
    var prefetchCores = ChipEngine.defaultPrefetchCores
    /// How far ahead pulled regions prefetch (`PulledRegion.prefetchCores`): `prefetchCores`
    /// where the phases sweep far memory, else 0 (none).
    var pulledPrefetchCores: Int { sweepsFarMemory ? prefetchCores : 0 }

    /// The ranks of the packets bound for core `core`, where packets are grouped by destination
    /// core: `order[starts[core] ..< starts[core + 1]]` (the synapse units' lists and a pulled
    /// worker's alike).
    @inline(__always)
    static func packetRanks(ofCore core: Int, order: UnsafeBufferPointer<Int32>, starts: UnsafeBufferPointer<Int32>) -> UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(rebasing: order[Int(starts[core])..<Int(starts[core &+ 1])])
    }

    /// The cores a sweep prefetches before it runs core `index` of a worker's `run`, `distance`
    /// ahead: at the run's start every core up to `index + distance` (nothing came before them
    /// to prefetch them during), after that the one core; never a core outside the run, which
    /// another worker may be writing. Empty for a distance of 0.
    @inline(__always)
    static func coresToPrefetch(before index: Int, in run: Range<Int>, distance: Int) -> Range<Int> {
        let last = index &+ min(distance, run.upperBound &- index)  // no overflow, at most the run's end
        let first = index == run.lowerBound ? index : last
        return distance > 0 ? first..<min(last &+ 1, run.upperBound) : index..<index
    }

    /// Prefetches memory of the cores ahead of a sweep so that its cache misses overlap: called before
    /// each core of a worker's run with the cores, the run and the core's index; it must only
    /// read cores of the run (another worker may be writing the others).
    typealias PrefetchAhead = @Sendable (_ cores: UnsafeMutableBufferPointer<Core>, _ run: Range<Int>, _ index: Int) -> Void

    /// The neuron phase's prefetch ahead of `timestep` where the phases sweep far memory
    /// (`sweepsFarMemory`): before each core, the kernel rows, flags and accumulator slot of
    /// the core `prefetchCores` ahead (`Core.prefetchNeuronPhase`).
    private func prefetchingNeuronPhase(_ timestep: Int) -> PrefetchAhead? {
        guard sweepsFarMemory else { return nil }
        let distance = prefetchCores
        return { cores, run, index in
            for core in ChipEngine.coresToPrefetch(before: index, in: run, distance: distance) { cores[core].prefetchNeuronPhase(timestep: timestep) }
        }
    }

    /// Runs `body` on every core, spread over `threads` workers (each a contiguous run of cores)
    /// when the phase's `work` (in neuron updates) is worth it, else on this thread; with
    /// `prefetchFirst`, each worker prefetches memory ahead before each core. With `second`, each
    /// worker then runs `second` on every core of its run, likewise after `prefetchSecond`.
    ///
    /// With `balanced`, the runs are that phase's `CoreRuns`, cut by the workers' measured
    /// speed (every `CoreRuns.timingInterval`-th call is timed); otherwise even.
    private mutating func forEachCore(
        threads: Int, work: Int = Int.max, balanced phase: BalancedPhase? = nil,
        prefetchingAhead prefetchFirst: PrefetchAhead? = nil, _ first: @escaping @Sendable (inout Core, Int) -> Void,
        thenPrefetchingAhead prefetchSecond: PrefetchAhead? = nil, then second: (@Sendable (inout Core, Int) -> Void)? = nil
    ) {
        let workers = work < minimumParallelWork ? 1 : max(1, min(threads, cores.count))
        let pool = workers > 1 ? workerPool(for: workers) : nil
        var timed = false
        var starts: [Int] = []
        if pool != nil {
            if let phase {
                (starts, timed) = balancedRuns(of: phase, workers: workers)
            } else {
                starts = CoreRuns.evenStarts(coreCount: cores.count, workers: workers)
            }
        }
        var times: [WorkerPool.PartTime] = []
        cores.withUnsafeMutableBufferPointer { buffer in
            // Never touches a core at or past `end`: another worker may be writing it.
            @Sendable func run(_ cores: UnsafeMutableBufferPointer<Core>, from start: Int, to end: Int) {
                for index in start..<end {
                    prefetchFirst?(cores, start..<end, index)
                    first(&cores[index], index)
                }
                if let second {
                    for index in start..<end {
                        prefetchSecond?(cores, start..<end, index)
                        second(&cores[index], index)
                    }
                }
            }
            guard let pool else {
                run(buffer, from: 0, to: buffer.count)
                return
            }
            nonisolated(unsafe) let shared = buffer
            // Each worker takes one contiguous run of cores: interleaving them would have the
            // workers write neighbouring `Core` values, which share cache lines.
            let runStarts = starts
            times = pool.run(timed: timed) { worker in
                run(shared, from: runStarts[worker], to: runStarts[worker + 1])
            }
        }
        if let phase, timed { coreRuns[phase.rawValue].record(times) }
    }

    /// Where each worker's run of cores starts in the next call of `phase` on `workers` workers
    /// (`CoreRuns`), and whether to time that call (and `record` its parts' times).
    private mutating func balancedRuns(of phase: BalancedPhase, workers: Int) -> (starts: [Int], timed: Bool) {
        let timed = countBalancedCall(of: phase, workers: workers)
        return (coreRuns[phase.rawValue].starts, timed)
    }

    /// Counts a call of `phase` on `workers` workers (making its `CoreRuns` for them if the
    /// workers or cores changed); whether to time it. `coreCount` is `cores.count` unless the
    /// cores are moved out of the engine.
    mutating func countBalancedCall(of phase: BalancedPhase, workers: Int, coreCount: Int? = nil) -> Bool {
        let index = phase.rawValue
        let coreCount = coreCount ?? cores.count
        if coreRuns[index].workers != workers || coreRuns[index].coreCount != coreCount {
            coreRuns[index] = CoreRuns(coreCount: coreCount, workers: workers)
        }
        return workers > 1 && coreRuns[index].nextCallIsTimed()
    }

    /// `balancedRuns` written into `starts`, element by element and only where they changed:
    /// a buffer of the caller's own, which nothing else retains and whose lines the workers'
    /// caches keep from call to call.
    private mutating func balancedRuns(of phase: BalancedPhase, workers: Int, into starts: inout [Int]) -> Bool {
        let index = phase.rawValue
        let timed = countBalancedCall(of: phase, workers: workers)
        if starts.count != workers &+ 1 { starts = Array(repeating: 0, count: workers &+ 1) }
        for run in 0...workers where starts[run] != coreRuns[index].starts[run] { starts[run] = coreRuns[index].starts[run] }
        return timed
    }

    /// The phases whose runs of cores follow the workers' measured speed, a `CoreRuns` each
    /// (they differ in where their work lies).
    enum BalancedPhase: Int, CaseIterable {
        case neurons, synapseUnits, synapseUnitsAndNeurons
    }
    var coreRuns: [CoreRuns]

    /// The runs of cores the neuron phase just used on `workers` workers (where each worker's
    /// listing starts, so that it lists the cores it has just updated).
    private func neuronPhaseRuns(workers: Int, pipelined: Bool) -> [Int] {
        let runs = coreRuns[(pipelined ? BalancedPhase.synapseUnitsAndNeurons : .neurons).rawValue]
        if runs.workers == workers && runs.coreCount == cores.count { return runs.starts }
        return CoreRuns.evenStarts(coreCount: cores.count, workers: workers)
    }

    /// Test hook: cuts `phase`'s cores at `starts` (one run per worker) until its next timed
    /// call moves the cut; results must not change.
    mutating func cutCores(of phase: BalancedPhase, at starts: [Int]) {
        precondition(starts.last == cores.count, "the runs must cover every core")
        coreRuns[phase.rawValue] = CoreRuns(starts: starts)
    }

    /// Switches learning on or off and enters (`sleep` non-nil) or leaves a sleep phase, from
    /// the next step on.
    public mutating func setLearning(_ isLearning: Bool, sleep: SleepPhase?) {
        precondition(sleep.map { $0.spontaneousThreshold.isEmpty || $0.spontaneousThreshold.count == cores.count } ?? true)
        sleepPhase = sleep
        for index in cores.indices { cores[index].setLearning(isLearning, sleep: sleep?.weightDecay) }
    }

    /// Sets what the adaptive thresholds of every neuron do from the next step on (see
    /// `ThresholdAdaptation`).
    public mutating func setThresholdAdaptation(_ mode: ThresholdAdaptation) {
        for index in cores.indices { cores[index].setThresholdAdaptation(mode) }
    }

    /// Turns skipping the kernel of cores at rest on or off (on by default; results are the same
    /// either way, which tests check).
    public mutating func setQuietNeuronSkipping(_ skips: Bool) {
        for index in cores.indices { cores[index].skipsQuietNeurons = skips }
    }

    /// Turns the sweeps for far memory (`sweepsFarMemory`: prefetching ahead, synapse rows found
    /// in a sweep of their own) on or off; on by default when the cores' memory exceeds
    /// `farMemoryBytes`. Results are the same either way, which tests check.
    public mutating func setFarMemorySweeps(_ sweeps: Bool) {
        sweepsFarMemory = sweeps
        if sweeps { layOutNeuronTablesInCoreOrder() }
    }

    /// Moves every core's neuron table into new storage, core after core, so that the tables lie
    /// one after another in memory in the order the phases sweep them (loading leaves each
    /// beside its core's other arrays, 18 KB apart on `cuba-400k`; moved, 0.8–1.6 KB), and the
    /// processor's own prefetcher follows the sweep as a stream. `cuba-400k`, 1,000 steps: 2
    /// threads 2.12–2.48 → 2.06–2.26 s (five pairs), 1 thread 3.69–3.84 → 3.50–3.72 s (three).
    private mutating func layOutNeuronTablesInCoreOrder() {
        for index in cores.indices { cores[index].reallocateNeuronTable() }
    }

    /// Makes the cores `summing` sum each neuron's v after every neuron phase from now on,
    /// starting from zero (`Core.voltageSums`), and every other core stop.
    public mutating func sumVoltages(ofCores summing: Set<Int>) {
        for index in cores.indices where summing.contains(index) || !cores[index].voltageSums.isEmpty {
            cores[index].sumVoltages(summing.contains(index))
        }
    }

    /// Overwrites one neuron's state (tests and checkpoints).
    public mutating func setState(core: Int, neuron: Int, u: Int32, v: Int32) {
        cores[core].setState(neuron: neuron, u: u, v: v)
    }
}

