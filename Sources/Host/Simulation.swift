import Chip
import Router

/// A network mapped and loaded onto a chip, ready to run: the host side of a run.
public struct Simulation: Sendable {
    /// The network as loaded (integer, quantized where it was float).
    public let network: NetworkDescription
    /// The chip it runs on, checked.
    public let chip: ChipDescription
    /// Which neurons each core holds and where each core sits.
    public let mapping: Mapping
    /// What each loaded core uses of its limits, by engine core.
    public let usage: [CoreUsage]
    /// Where each plastic synapse of each core comes from (see `LoadedNetwork`).
    private let plasticOrigins: [[(projection: Int, synapse: Int)]]
    /// The chip's state: cores, network and clock (`engine.timestep` is the steps run so far).
    public private(set) var engine: ChipEngine
    /// The inputs and the schedule's walk, kept from run to run: a second `run` goes on from
    /// the step the first ended at, as the chip does (spike times, random streams and samples
    /// continue; nothing is replayed). The driver, which holds every spike time of the inputs,
    /// is made at the first run: mapping alone needs none.
    private var inputs: InputDriver?
    private var scheduleProgress: ScheduleProgress?
    /// The classifier's spike counts of the sample slot under way (a slot a run ends inside
    /// goes on in the next).
    private(set) var classifiedSpikes: [Int] = []
    /// The input driver where the next run starts (for recordings that regenerate its spikes).
    var inputDriver: InputDriver { inputs ?? InputDriver(network: network, steps: NetworkFile.maximumSteps) }
    /// Σ traffic × hops of the in-order placement and of the one used.
    public let placementCost: (inOrder: Double, placed: Double)
    /// The placer of these cores without the populations' `tiles` (nil when no population is
    /// pinned, or with in-order placement), for `unpinnedPlacementCost()`.
    private let unpinnedPlacer: Placer?

    /// Σ traffic × hops of the same cores placed without the populations' `tiles`: what the
    /// pins cost (nil when no population is pinned, or with in-order placement). It places the
    /// cores again on each call, so only the summaries ask for it.
    public func unpinnedPlacementCost() -> Double? {
        unpinnedPlacer.map { free in min(free.cost(free.place()), free.cost(free.inOrderPlacement().endpoints)) }
    }
    /// How the cores were placed, as the trace header names it: `optimized` (connectivity only),
    /// `rates` (weighted by measured spike counts) or `inorder`.
    public let placementName: String
    /// How populations were packed onto cores, as the trace header names it: `packed` (the
    /// default, written as no key, so traces of packed runs are as they always were) or
    /// `population` (one population per core).
    public let packingName: String
    /// `--max-neurons-per-core`: the cap applied to every population on top of its own
    /// constraints (nil: none), as the trace header records it.
    public let maxNeuronsPerCore: Int?
    /// Whether the placement cost weighs each source by the spike counts of `--rates` (else by
    /// one round of spikes: every neuron spiking once).
    public let trafficFromRates: Bool

    /// Where the cores go on the mesh.
    public enum Placement: Sendable, Equatable {
        /// Core c on mesh core c: tiles fill in order.
        case inOrder
        /// The `Placer`'s traffic-aware placement (the default).
        case optimized

        /// The name `--placement` gives it: `inorder` or `optimized`.
        public var name: String { self == .inOrder ? "inorder" : "optimized" }

        /// The placement named `name` (`inorder` or `optimized`), or nil.
        public init?(name: String) {
            switch name {
            case "inorder": self = .inOrder
            case "optimized": self = .optimized
            default: return nil
            }
        }
    }

    /// Maps (partitions and places) the network and loads it onto a fresh chip.
    ///
    /// - Parameters:
    ///   - rates: spike counts of an earlier run, to weigh the placer's traffic estimate.
    ///   - packing: whether small populations may share a core (they do by default).
    ///   - maxNeuronsPerCore: at most this many neurons of any one population per core, on top
    ///     of each population's own `constraints` (nil: none); at least 1. It shapes the
    ///     partition made here; a `partition` given must have been made with it.
    ///   - partition: `Partitioner.partition(network, on:, packing:)` done already for a chip
    ///     with this chip's core limits (the mesh may differ, as long as this one holds its
    ///     cores); nil partitions here.
    ///   - threads: threads that partition and lay out the cores (the run takes its own
    ///     count); results do not depend on it.
    ///   - phases: called as each part of the work begins ("partitioning", "loading cores",
    ///     "placing cores"), to show progress on large networks.
    public init(
        network: NetworkDescription, chip: ChipDescription, placement: Placement = .optimized, rates: SpikeRates? = nil,
        packing: Partitioner.Packing = .packed, maxNeuronsPerCore: Int? = nil, partition: Mapping? = nil, threads: Int = 1,
        phases: ((String) -> Void)? = nil
    ) throws(MappingError) {
        // What the mapper works with: the network with `maxNeuronsPerCore` on every population
        // (the network kept, and saved by `--save-network`, is the user's).
        var constrained = network
        if let cap = maxNeuronsPerCore {
            for index in constrained.populations.indices { constrained.populations[index].constraints = network.populations[index].constraints.capped(at: cap) }
        }
        do {
            try chip.checkStructure()
        } catch {
            throw .invalidChip(error)
        }
        if let problem = Self.routerProblem(chip) { throw problem }
        do {
            try constrained.checkStructure()  // the network's own rules, and a cap of at least 1
        } catch {
            throw .invalidNetwork(error)
        }
        for (index, population) in network.populations.enumerated() {
            if let (tile, problem) = population.constraints.tileProblem(on: chip) {
                throw .tilesNotOnMesh(population: population.name, populationIndex: index, tileIndex: tile, problem: problem)
            }
        }
        self.network = network
        self.chip = chip
        if partition == nil { phases?("partitioning") }
        var mapping = if let partition { partition } else { try Partitioner.partition(constrained, on: chip, packing: packing, threads: threads) }
        if partition != nil, let problem = Partitioner.constraintProblem(mapping, network: constrained) { throw problem }
        guard mapping.coreEndpoints.count <= chip.mesh.coreCount else {  // a partition given for a larger mesh
            let last = mapping.slices.last
            throw .outOfCores(
                population: last.map { network.populations[$0.population].name } ?? "", neuron: last.map { $0.start + $0.count - 1 } ?? 0,
                chip: chip.name, cores: chip.mesh.coreCount)
        }
        // The cores take their synapses into their own layouts as the loader makes them, so the
        // programs' synapse lists (24 bytes per synapse) never all exist at once, nor with the
        // placer's matrices. Cores do not depend on where they are placed.
        // The pins are matched to tiles before loading: a network whose pins cannot be met is
        // refused before the loader's work.
        let allowedTiles = Self.allowedTiles(constrained, mapping: mapping, mesh: chip.mesh)
        let inOrder = TilePins(allowedTiles: allowedTiles, mesh: chip.mesh).inOrderPlacement(coreCount: mapping.coreEndpoints.count)
        if let core = inOrder.unplaced.first {
            throw Self.tilesFull(core: core, placement: inOrder.endpoints, allowedTiles: allowedTiles, mesh: chip.mesh, network: constrained, mapping: mapping)
        }
        mapping.coreEndpoints = inOrder.endpoints
        phases?("loading cores")
        let (loaded, cores) = try ChipLoader.loadCores(network, mapping: mapping, on: chip, threads: threads)
        phases?("placing cores")
        let estimate = Self.traffic(loaded, mapping: mapping, network: network, rates: rates)
        let placer = Placer(
            traffic: estimate.traffic, hostTraffic: estimate.hostTraffic, mesh: chip.mesh, interChipWeight: Self.interChipWeight(chip),
            allowedTiles: allowedTiles)
        let inOrderCost = placer.cost(mapping.coreEndpoints)
        var finalCost = inOrderCost
        if placement == .optimized {
            let placed = placer.place(from: inOrder.endpoints)
            // Keep in-order placement unless the placer really improves it (the placer returns
            // it unchanged where its passes could not pay, and a cost is a scan of all traffic).
            let placedCost = placed == mapping.coreEndpoints ? inOrderCost : placer.cost(placed)
            if placedCost < inOrderCost {
                mapping.coreEndpoints = placed
                finalCost = placedCost
            }
        }
        placementCost = (inOrderCost, finalCost)
        unpinnedPlacer = placement == .optimized && !allowedTiles.isEmpty
            ? Placer(traffic: placer.traffic, hostTraffic: placer.hostTraffic, mesh: chip.mesh, interChipWeight: placer.interChipWeight) : nil
        placementName = placement == .optimized && rates != nil ? "rates" : placement.name
        packingName = packing.name
        self.maxNeuronsPerCore = maxNeuronsPerCore
        trafficFromRates = rates != nil
        self.mapping = mapping
        usage = loaded.usage.enumerated().map { core, usage in
            var placed = usage
            placed.endpoint = Int(mapping.coreEndpoints[core])
            return placed
        }
        plasticOrigins = loaded.plasticOrigins
        engine = ChipEngine(chip: chip, cores: cores, coreEndpoints: mapping.coreEndpoints, inputDestinations: loaded.inputDestinations)
        scheduleProgress = network.schedule.map { ScheduleProgress(schedule: $0, seed: network.seed) }
    }

    /// Turns skipping the neuron kernel of cores at rest on or off (see `Core.skipsQuietNeurons`).
    public mutating func setQuietNeuronSkipping(_ skips: Bool) {
        engine.setQuietNeuronSkipping(skips)
    }

    /// Why `steps` more steps from step `start` cannot run (nil when they can): a network with a
    /// schedule runs no further than the schedule's steps, which it has no sample for. Callers
    /// check it before `run`, where it is a programming error.
    public static func scheduleProblem(network: NetworkDescription, from start: Int = 0, steps: Int) -> String? {
        guard let schedule = network.schedule, start + steps > schedule.steps else { return nil }
        return "\(start + steps) steps run past the schedule of network `\(network.name)`, which has \(schedule.steps); give --steps \(schedule.steps - start) or fewer"
    }

    /// Runs `steps` timesteps, writing the trace and returning the totals.
    ///
    /// A run goes on from the last: the chip's state, the inputs (spike times, random draws)
    /// and the schedule continue from the step the last run ended at, so two runs are one run
    /// cut in two. The trace numbers this run's steps from 1, and the result (and the trace's
    /// end line) counts this run alone.
    ///
    /// When writing fails (or the observer throws), or the energy outgrows 64-bit femtojoules,
    /// the trace file is discarded and the error thrown; the simulation then stands as a run of
    /// the steps it had advanced leaves it (every one completed), so another run goes on from there.
    /// Fewer than one step, a readout of a population the network lacks, or steps past the
    /// network's schedule throw `RunError.invalidRequest` before anything runs (trace discarded).
    ///
    /// - Parameters:
    ///   - threads: worker threads for the per-core phases; results are identical for any count.
    ///   - progress: called after each step with (step, steps).
    ///   - readouts: population summaries to compute (see `Readout`).
    ///   - observer: called after each step with the engine, for reports and waveforms that need
    ///     more than the trace (per-core counts, spike cycles, packets).
    public mutating func run(
        steps: Int, threads: Int, trace: inout TraceWriter, readouts: [Readout] = [], measuresRates: Bool = false,
        observer: ((_ step: Int, _ engine: ChipEngine) throws(OutputError) -> Void)? = nil,
        progress: ((Int, Int) -> Void)? = nil
    ) throws(RunError) -> RunResult {
        // A library caller's mistakes are errors it can handle (the command line checks them first).
        if let problem = requestProblem(steps: steps, readouts: readouts) {
            trace.discard()
            throw .invalidRequest(problem)
        }
        do throws(OutputError) {
            var result = try runSteps(steps: steps, threads: threads, trace: &trace, readouts: readouts, measuresRates: measuresRates, observer: observer, progress: progress)
            if engine.energyOverflowStep == nil {
                result.digest = try trace.finish(steps: steps, spikes: result.neuronSpikes + result.inputSpikeCount, energyFemtojoules: result.energyFemtojoules)
                return result
            }
        } catch {
            trace.discard()  // never leave a partial trace file behind
            throw .output(error)
        }
        trace.discard()
        throw .energyOverflow(step: engine.energyOverflowStep ?? 0, chip: chip.name)
    }

    /// Why `run` cannot do what it is asked, or nil.
    private func requestProblem(steps: Int, readouts: [Readout]) -> String? {
        if steps < 1 { return "a run has at least one step; got \(steps)" }
        if let readout = readouts.first(where: { !network.populations.indices.contains($0.population) }) {
            return "a readout of population \(readout.population); network `\(network.name)` has \(network.populations.count) (0…\(network.populations.count - 1))"
        }
        return Self.scheduleProblem(network: network, from: engine.timestep, steps: steps)
    }

    private mutating func runSteps(
        steps: Int, threads: Int, trace: inout TraceWriter, readouts: [Readout], measuresRates: Bool,
        observer: ((_ step: Int, _ engine: ChipEngine) throws(OutputError) -> Void)?,
        progress: ((Int, Int) -> Void)?
    ) throws(OutputError) -> RunResult {
        // The inputs and the schedule go on from the step the last run ended at (`first`): the
        // driver and the walk are this run's copies, handed back however the run ends. Trace
        // lines and results number this run's steps from 1.
        let first = engine.timestep
        var inputs = inputDriver
        var scheduleProgress = self.scheduleProgress
        defer {
            self.inputs = inputs
            self.scheduleProgress = scheduleProgress
        }
        let (totalsBefore, cyclesBefore, energyBefore) = (engine.totals, engine.totalCycles, engine.totalEnergyFemtojoules)
        var result = RunResult(populationSpikes: Array(repeating: 0, count: network.populations.count), inputSpikes: Array(repeating: 0, count: network.inputs.count))
        let populationSlices = mapping.slicesByPopulation(populationCount: network.populations.count)
        // Each probed neuron's core and local index, found once: the mapping does not change.
        let probeSites: [(name: String, index: Int, core: Int, local: Int)] = stateProbeIndices().flatMap { population, indices in
            let locator = populationSlices[population]
            var sliceIndex = 0
            return indices.map { index in
                while index >= locator[sliceIndex].start + locator[sliceIndex].count { sliceIndex += 1 }
                let slice = locator[sliceIndex]
                return (network.populations[population].name, index, slice.core, slice.coreOffset + index - slice.start)
            }
        }
        func stateLine(step t: Int, site: Int, u: Int32, v: Int32) -> String {
            "state \(t) \(probeSites[site].name) \(probeSites[site].index) u=\(u) v=\(v)"
        }
        let recordSpikes = trace.level >= .spikes
        let recordPackets = trace.level >= .packets
        let readPopulations = Set(readouts.map(\.population))
        // Mean voltages: the cores holding those populations sum their neurons' v after every
        // neuron phase, on the threads that update them, so the host reads no core between steps.
        let summedPopulations = Set(readouts.filter { $0.mode == .meanV }.map(\.population))
        engine.sumVoltages(ofCores: Set(summedPopulations.flatMap { populationSlices[$0].map(\.core) }))
        var inputCounts = network.inputs.map { Array(repeating: 0, count: measuresRates ? $0.size : 0) }
        let classifier = network.schedule?.classifier
        var tally = SpikeTally(
            network: network, populationSlices: populationSlices, coreCount: engine.cores.count,
            measured: { measuresRates || readPopulations.contains($0) }, classifier: classifier?.population, writesLines: recordSpikes)
        if classifiedSpikes.count == tally.classifiedSpikes.count { tally.classifiedSpikes = classifiedSpikes }
        defer { classifiedSpikes = tally.classifiedSpikes }
        var position: ScheduleProgress.Position?

        try trace.line("neuroemu-trace/1 network=\(network.name) chip=\(chip.name) seed=\(network.seed) level=\(trace.level.rawValue) router=\(chip.routerFidelity.rawValue) placement=\(placementName)\(packingName == Partitioner.Packing.packed.name ? "" : " packing=\(packingName)")\(maxNeuronsPerCore.map { " max_neurons_per_core=\($0)" } ?? "")\(trace.nir?.headerText ?? "")")

        // Where the network model is most of a step (the flit router), several threads time the
        // networks of several steps at once: the chip runs `batchSize` steps ahead (the network
        // never changes which spikes happen), then the steps are timed together and closed in
        // order. Lines that need the chip's state at a step (spikes, probes) are formatted when
        // the chip has run it and written when the step closes, so the trace is the same.
        let batchSize = observer == nil && threads > 1 && engine.timesNetworksInBatches ? 8 * threads : 1
        // Otherwise, on several threads and a chip small enough to gain, a step's neuron phase
        // shares one parallel region with the synapse units of the step before
        // (`stepPipelined`), so each step closes during the next: its lines are taken as above
        // and written two steps later, while the chip runs (`alongside`). Packet lines, schedules
        // (their state resets and phase switches come between steps) and observers need every
        // step closed in turn.
        let pipelines = batchSize == 1 && observer == nil && threads > 1 && !recordPackets
            && network.schedule == nil && engine.gainsFromPipelinedSteps
        // What a step's lines need of the chip at that step, taken when the chip has run it.
        typealias StepLines = (spikeLines: TraceLines, stateLines: [String], position: ScheduleProgress.Position?)
        // Pipelined steps: the lines of the last two steps the chip has run, oldest first.
        var lagging: [StepLines] = []
        var pending: [PendingStep] = []
        var deferred: [StepLines] = []
        // The lines of the batch whose networks the helpers are timing, if one is.
        var routingLines: [StepLines]?

        // Step t's lines from its summary, in two parts (the lines of its packets,
        // `recordPackets`, go between them). Neither reads the engine or the network, so that
        // pipelined steps can write them alongside the chip's work.
        func writeSpikeLines(_ lines: StepLines) throws(OutputError) {
            try trace.append(lines.spikeLines)
        }
        func writeStateAndStepLines(step t: Int, summary: StepSummary, _ lines: StepLines) throws(OutputError) {
            for line in lines.stateLines { try trace.line(line) }
            let spikes = summary.neuronSpikes + summary.inputSpikes
            try trace.stepLine(
                step: t, cycles: summary.cycles, spikes: spikes, packets: summary.counts[.packet],
                synapticOps: summary.counts[.synapticOp], energyFemtojoules: summary.energyFemtojoules)
            result.maximumStepCycles = max(result.maximumStepCycles, summary.cycles)
        }
        func close(step t: Int, _ lines: StepLines) throws(OutputError) {
            let summary = engine.lastStep
            try writeSpikeLines(lines)
            if recordPackets { try writePackets(step: t, to: &trace) }
            try writeStateAndStepLines(step: t, summary: summary, lines)
            if let position = lines.position, let schedule = network.schedule { recordPhase(step: summary, position: position, schedule: schedule, result: &result) }
            try observer?(t, engine)
            progress?(t, steps)
        }
        // Pipelined steps close two steps late: with two steps lagging, the oldest (t, whose
        // summary is `engine.lastStep` before the engine's next call) is written while the chip
        // runs step t + 2, by the engine's `alongside`; an error waits there for the call's end.
        // The newest (t + 1) gets its spikes' lines there too, from the spikes the engine hands
        // over (the cores' spike lists, which the helper threads wrote, are not read).
        var failure: OutputError?
        func tallyAlongside(_ spikes: StepSpikes, step t: Int) {
            guard t >= 1, !lagging.isEmpty else { return }  // no step of this run before
            tally.add(spikes, step: t, lines: &lagging[lagging.count - 1].spikeLines)
        }
        func writeOldestAlongside(step t: Int, summary: StepSummary) {
            guard lagging.count == 2 else { return }
            let lines = lagging.removeFirst()
            do {
                try writeSpikeLines(lines)
                try writeStateAndStepLines(step: t, summary: summary, lines)
                progress?(t, steps)
            } catch {
                failure = error
            }
        }
        func closeSteps(_ routed: [PendingStep], _ lines: [StepLines]) throws(OutputError) {
            for (step, lines) in zip(routed, lines) {
                engine.complete(step)
                try close(step: step.timestep, lines)
            }
        }
        // A batch's networks are timed by the helpers while the chip runs the next batch on the
        // calling thread (`startRoutingNetworks`); the batch closes when the next one is full.
        // The last batch is timed on every thread at once.
        func closePending(last: Bool) throws(OutputError) {
            let earlier = routingLines.map { (engine.finishRoutingNetworks(), $0) }
            routingLines = nil
            if last {
                engine.routeNetworks(of: &pending, threads: threads)
            } else {
                engine.startRoutingNetworks(of: pending, threads: threads)
                routingLines = deferred
            }
            do {
                if let earlier { try closeSteps(earlier.0, earlier.1) }
                if last { try closeSteps(pending, deferred) }
            } catch {
                // The engine completes every step the chip has advanced (their lines go with the
                // discarded trace), so that it stays as a run of those steps leaves it: its
                // models back, its counters and summaries caught up, ready for another run.
                var unclosed = earlier?.0 ?? []
                if routingLines != nil { unclosed += engine.finishRoutingNetworks() } else if last { unclosed += pending }
                for step in unclosed where step.timestep > engine.completedSteps { engine.complete(step) }
                throw error
            }
            pending.removeAll(keepingCapacity: true)
            deferred.removeAll(keepingCapacity: true)
        }

        // Counts step t's input spikes; their lines, the first of the step's spike lines.
        let inputNames = network.inputs.map { Array($0.name.utf8) }
        func noteInputs(_ inputSpikes: [Int32], step t: Int) -> TraceLines {
            var spikeLines = TraceLines()
            for neuron in inputSpikes {
                let (input, index) = inputs.locate(neuron)
                result.inputSpikes[input] += 1
                if measuresRates { inputCounts[input][index] += 1 }
                if recordSpikes { spikeLines.spike(step: t, name: inputNames[input], index: index) }
            }
            return spikeLines
        }

        // Pipelined steps run as one batch where the engine pulls packets (`runPulledSteps`):
        // the helper threads go on to each next step while this thread closes the one before
        // and writes its lines, with the probed neurons' states the workers left for it. The
        // lines lag as in the loop below: step t − 1's are written beside the spikes of step t.
        // A write that fails stops the writing; its error is thrown when the batch ends.
        var ranAsBatch = false
        if pipelines {
            var firstLagging = 1  // the step of `lagging[0]`
            // The engine numbers steps from its first; a run, from its own (a second run goes on).
            let stepsBefore = first
            let sites = probeSites.map { NeuronSite(core: $0.core, neuron: $0.local) }
            ranAsBatch = engine.runPulledSteps(count: steps, threads: threads, probing: sites) { engineStep in
                let t = engineStep - stepsBefore
                let inputSpikes = inputs.spikes(at: engineStep, presentation: nil, suppressed: false)
                lagging.append((noteInputs(inputSpikes, step: t), [], nil))
                return inputSpikes
            } alongside: { spikesBefore, states, closed in
                if let closed, failure == nil {
                    let lines = lagging.removeFirst()
                    firstLagging += 1
                    do throws(OutputError) {
                        try writeSpikeLines(lines)
                        try writeStateAndStepLines(step: closed.timestep - stepsBefore, summary: closed, lines)
                        progress?(closed.timestep - stepsBefore, steps)
                    } catch {
                        failure = error
                    }
                }
                let t = spikesBefore.timestep - stepsBefore
                guard t >= 1 else { return }
                tally.add(spikesBefore, step: t, lines: &lagging[t - firstLagging].spikeLines)
                lagging[t - firstLagging].stateLines = probeSites.indices.map { stateLine(step: t, site: $0, u: states.u($0), v: states.v($0)) }
            }
            if let failure { throw failure }
            if ranAsBatch { try close(step: steps, lagging.removeFirst()) }
        }

        for t in 1...steps where !ranAsBatch {
            var presentation: InputDriver.Presentation?
            var suppressed = false
            if var walker = scheduleProgress, let schedule = network.schedule {
                let here = walker.position(at: first + t)
                scheduleProgress = walker
                position = here
                let segment = schedule.segments[here.segment]
                if here.entersSegment {
                    engine.setLearning(segment.learning, sleep: ScheduleProgress.sleepPhase(segment, mapping: mapping))
                    engine.setThresholdAdaptation(segment.homeostasis)
                }
                // A run that starts inside a test segment reports the rest of it as its own.
                if here.entersSegment || t == 1, segment.kind == .test, let classifier {
                    result.classifications.append(Classification(segment: here.segment, classes: network.populations[classifier.population].size / classifier.groupSize))
                }
                if schedule.resetsState && here.startsSlot { resetNeuronState() }
                if let sample = here.sample, here.presents { presentation = InputDriver.Presentation(sample: sample, teaches: segment.kind == .train) }
                suppressed = segment.kind == .sleep
            }
            let inputSpikes = inputs.spikes(at: first + t, presentation: presentation, suppressed: suppressed)
            if batchSize > 1 {
                pending.append(engine.advance(inputSpikes: inputSpikes, threads: threads))
            } else if pipelines {
                let summary = engine.lastStep
                engine.stepPipelined(inputSpikes: inputSpikes, threads: threads) { spikesBefore in
                    tallyAlongside(spikesBefore, step: t - 1)
                    writeOldestAlongside(step: t - 2, summary: summary)
                }
                if let failure {
                    engine.finishPipeline(threads: threads)  // step t completes: the engine stays usable
                    throw failure
                }
            } else {
                engine.step(inputSpikes: inputSpikes, threads: threads)
            }

            var spikeLines = noteInputs(inputSpikes, step: t)
            // Read the cores' arrays in place: binding a whole `Core` would copy (retain) every
            // one of its arrays, for every slice at every step.
            let cores = engine.cores
            if !pipelines {  // pipelined steps tally in the next call (`tallyAlongside`)
                tally.add(cores: cores, spikingCores: engine.spikingCores, step: t, lines: &spikeLines)
            }
            let stateLines = probeSites.indices.map { k in
                let site = probeSites[k]
                return stateLine(step: t, site: k, u: cores[site.core].u[site.local], v: cores[site.core].v[site.local])
            }
            if let position, let schedule = network.schedule, position.endsSlot, let sample = position.sample {
                if schedule.segments[position.segment].kind == .test, !result.classifications.isEmpty,
                   case .samples(let samples) = network.inputs[schedule.input].source {
                    result.classifications[result.classifications.count - 1].samples.append(sample)
                    result.classifications[result.classifications.count - 1].labels.append(samples.samples.labels[sample])
                    result.classifications[result.classifications.count - 1].predictions.append(Classification.prediction(neuronSpikes: tally.classifiedSpikes, groupSize: classifier?.groupSize ?? 1, vote: classifier?.vote ?? .group))
                }
            }
            if let position, position.endsSlot || position.sample == nil { for k in tally.classifiedSpikes.indices { tally.classifiedSpikes[k] = 0 } }

            if batchSize > 1 {
                deferred.append((spikeLines, stateLines, position))
                if pending.count == batchSize || t == steps { try closePending(last: t == steps) }
            } else if pipelines {
                lagging.append((spikeLines, stateLines, position))
            } else {
                try close(step: t, (spikeLines, stateLines, position))
            }
        }
        if pipelines && !ranAsBatch {
            let summary = engine.lastStep
            engine.finishPipeline(threads: threads) { spikesBefore in
                tallyAlongside(spikesBefore, step: steps)
                writeOldestAlongside(step: steps - 1, summary: summary)
            }
            if let failure { throw failure }
            try close(step: steps, lagging[0])
        }
        result.steps = steps
        result.populationSpikes = tally.populationSpikes
        result.totals = engine.totals - totalsBefore
        result.totalCycles = engine.totalCycles - cyclesBefore
        // Wrapping: after an energy overflow (reported by `run`) both totals mean nothing.
        result.energyFemtojoules = engine.totalEnergyFemtojoules &- energyBefore
        result.staticEnergyFemtojoules = result.energyFemtojoules &- result.totals.dynamicEnergyFemtojoules(chip.costs)
        for readout in readouts {
            if readout.mode == .argmax, readout.population == classifier?.population {
                // With a classifying schedule, argmax is per presented test sample: its predicted
                // class (none before a test sample has finished, rather than a neuron's index).
                result.readouts.append((readout, result.classifications.flatMap(\.predictions).map(Int64.init)))
                continue
            }
            let slices = populationSlices[readout.population]
            let lastV = slices.flatMap { slice in
                let v = engine.cores[slice.core].v
                return (0..<slice.count).map { Int64(v[slice.coreOffset + $0]) }
            }
            let voltageSums = readout.mode != .meanV ? [] : slices.flatMap { slice in
                engine.cores[slice.core].voltageSums[slice.coreOffset..<slice.coreOffset + slice.count]
            }
            result.readouts.append((readout, readout.values(counts: tally.neuronSpikes[readout.population], voltageSums: voltageSums, lastV: lastV, steps: steps)))
        }
        if measuresRates {
            result.rates = SpikeRates(
                network: network.name, steps: steps,
                inputs: Dictionary(uniqueKeysWithValues: zip(network.inputs.map(\.name), inputCounts)),
                populations: Dictionary(uniqueKeysWithValues: zip(network.populations.map(\.name), tally.neuronSpikes.map { $0.map { Int($0) } })))
        }
        return result
    }

    /// Sets u and v of every chip neuron to 0 (between presented samples).
    private mutating func resetNeuronState() {
        for core in engine.cores.indices {
            for neuron in 0..<engine.cores[core].neuronCount { engine.setState(core: core, neuron: neuron, u: 0, v: 0) }
        }
    }

    /// Adds a step's events and energy to the totals of its segment's kind.
    private func recordPhase(step: StepSummary, position: ScheduleProgress.Position, schedule: Schedule, result: inout RunResult) {
        let kind = schedule.segments[position.segment].kind
        let index: Int
        if let existing = result.phases.firstIndex(where: { $0.kind == kind }) {
            index = existing
        } else {
            result.phases.append(PhaseTotals(kind: kind))
            result.phases.sort { (Schedule.Kind.allCases.firstIndex(of: $0.kind) ?? 0) < (Schedule.Kind.allCases.firstIndex(of: $1.kind) ?? 0) }
            index = result.phases.firstIndex { $0.kind == kind } ?? 0
        }
        result.phases[index].steps += 1
        result.phases[index].counts += step.counts
        result.phases[index].cycles += UInt64(step.cycles)
        result.phases[index].energyFemtojoules += step.energyFemtojoules
        if position.endsSlot { result.phases[index].samples += 1 }
    }

    /// Packet lines of the last step, ordered by (inject cycle, source, destination), then by
    /// their (origin, sequence) rank so equal keys still have one order.
    private func writePackets(step t: Int, to trace: inout TraceWriter) throws(OutputError) {
        let packets = engine.packets
        let deliveries = engine.deliveries
        // Two packed keys, (inject, source) and (destination, index), sorted as integers: a
        // comparison closure over the packets cost more than the lines.
        func ordered(_ value: Int32) -> UInt64 { UInt64(UInt32(bitPattern: value) ^ 0x8000_0000) }
        var keys: [(UInt64, UInt64)] = []
        keys.reserveCapacity(packets.count)
        for (index, packet) in packets.enumerated() {
            keys.append((UInt64(packet.injectCycle) << 32 | ordered(packet.source), ordered(packet.destination) << 32 | UInt64(index)))
        }
        keys.sort { $0 < $1 }
        for key in keys {
            let k = Int(key.1 & 0xFFFF_FFFF)
            let packet = packets[k]
            let delivery = deliveries[k]
            try trace.packetLine(
                step: t, source: packet.source, destination: packet.destination, injectCycle: packet.injectCycle,
                arriveCycle: delivery.arriveCycle, hops: delivery.hops)
        }
    }

    /// The placer's `allowedTiles`: for each engine core, the tile numbers of the pinned
    /// population on it (a pinned population keeps its cores to itself), or none for the rest;
    /// empty when no population is pinned.
    static func allowedTiles(_ network: NetworkDescription, mapping: Mapping, mesh: Mesh) -> [[Int32]] {
        guard network.populations.contains(where: { !$0.constraints.tiles.isEmpty }) else { return [] }
        var allowed = Array(repeating: [Int32](), count: mapping.coreEndpoints.count)
        for slice in mapping.slices {
            let tiles = network.populations[slice.population].constraints.tiles
            if !tiles.isEmpty { allowed[slice.core] = tiles.map { Int32(mesh.tileIndex(of: $0)) } }
        }
        return allowed
    }

    /// The error for pinned engine core `core`, which found its tiles full in `placement`.
    private static func tilesFull(
        core: Int, placement: [Int32], allowedTiles: [[Int32]], mesh: Mesh, network: NetworkDescription, mapping: Mapping
    ) -> MappingError {
        let population = mapping.slices.first { $0.core == core }?.population ?? 0
        let constraints = network.populations[population].constraints
        let tileNumbers = Set(allowedTiles[core])
        // Other pinned populations' cores on these tiles, and those populations in file order.
        var others: Set<Int> = []
        var takenByOthers: Set<Int> = []
        for slice in mapping.slices where slice.population != population && !allowedTiles[slice.core].isEmpty {
            let endpoint = placement[slice.core]
            guard endpoint >= 0, tileNumbers.contains(endpoint / Int32(mesh.coresPerTile)) else { continue }
            others.insert(slice.population)
            takenByOthers.insert(slice.core)
        }
        return .tilesFull(
            population: network.populations[population].name, populationIndex: population,
            cores: Set(mapping.slices.filter { $0.population == population }.map(\.core)).count, tiles: constraints.tiles,
            tileCores: constraints.tiles.count * mesh.coresPerTile, takenByOthers: takenByOthers.count,
            others: others.sorted().map { network.populations[$0].name }, cap: constraints.maxNeuronsPerCore)
    }

    /// What the placement cost adds to its summary lines: on a board, the hops a chip crossing
    /// counts as; nothing on one chip.
    var placementCostNote: String {
        let pins = unpinnedPlacementCost().map { "; \(RunSummary.whole($0)) without the pins" } ?? ""
        guard chip.mesh.chipCount > 1 else { return pins }
        let weight = Self.interChipWeight(chip)
        return "\(pins); a chip crossing counts as \(RunSummary.counted(weight, "hop"))"
    }

    /// "tile (1, 1)", "tiles (0, 0), (1, 0)", or beyond eight of them their count and extent:
    /// "750 tiles in x 0…31, y 0…23".
    static func tilesText(_ tiles: [TileCoordinate]) -> String {
        guard tiles.count > 8 else { return (tiles.count == 1 ? "tile " : "tiles ") + tiles.map(\.description).joined(separator: ", ") }
        let xs = tiles.map(\.x), ys = tiles.map(\.y)
        return "\(tiles.count) tiles in x \(xs.min() ?? 0)…\(xs.max() ?? 0), y \(ys.min() ?? 0)…\(ys.max() ?? 0)"
    }

    /// The constraints the mapping honoured, for `map` and the run summary: "at most 2 neurons
    /// of a population per core (--max-neurons-per-core); `hidden` at most 64 per core; `out`
    /// on tile (1, 1)" — a cap the chip's neuron limit makes moot says so — or nil without any.
    var constraintsSummary: String? {
        let limit = chip.coreLimits.neurons
        func moot(_ cap: Int) -> String { cap >= limit ? " (the chip's \(RunSummary.counted(limit, "neuron")) per core bind first)" : "" }
        var parts: [String] = []
        if let cap = maxNeuronsPerCore { parts.append("at most \(RunSummary.counted(cap, "neuron")) of a population per core (--max-neurons-per-core)\(moot(cap))") }
        for population in network.populations where !population.constraints.isEmpty {
            let constraints = population.constraints
            let cap = constraints.maxNeuronsPerCore.map { "at most \($0) per core\(moot($0))" }
            let tiles = constraints.tiles.isEmpty ? nil : "on " + Self.tilesText(constraints.tiles)
            parts.append("`\(population.name)` " + [cap, tiles].compactMap { $0 }.joined(separator: ", "))
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// How many ordinary hops a hop between chips is worth to the placer: the ratio of their
    /// energies (or, with free hops, latencies), rounded, at least 1.
    static func interChipWeight(_ chip: ChipDescription) -> Int {
        guard chip.mesh.chipCount > 1 else { return 1 }
        let costs = chip.costs
        let hopEnergy = Double(costs[.eastWestFlitHop].energyFemtojoules + costs[.northSouthFlitHop].energyFemtojoules) / 2
        let hopCycles = Double(costs[.eastWestFlitHop].cycles + costs[.northSouthFlitHop].cycles) / 2
        let ratio = hopEnergy > 0 && costs[.interChipFlitHop].energyFemtojoules > 0
            ? Double(costs[.interChipFlitHop].energyFemtojoules) / hopEnergy
            : Double(costs[.interChipFlitHop].cycles) / max(1, hopCycles)
        return max(1, Int(ratio.rounded()))
    }

    /// Why the chip's router fidelity cannot run it, or nil: the flit model times one chip with
    /// unicast packets, so boards and multicasting chips run with the ideal router only, and
    /// its routers' records must fit in memory (`FlitNetwork.maximumRecordBytes`).
    public static func routerProblem(_ chip: ChipDescription) -> MappingError? {
        guard chip.routerFidelity == .flit else { return nil }
        if chip.mesh.chipCount > 1 { return .flitRouterOnBoard(chip: chip.name, chips: chip.mesh.chipCount) }
        if chip.multicast { return .flitRouterWithMulticast(chip: chip.name) }
        return chip.flitModelProblem.map { .flitRouterCannotTime(chip: chip.name, reason: $0) }
    }

    /// The placer's traffic estimate, weighted by measured spike counts when given.
    static func traffic(_ loaded: LoadedNetwork, mapping: Mapping, network: NetworkDescription, rates: SpikeRates?) -> TrafficEstimate {
        guard let rates else { return TrafficEstimate(loaded) }
        var neuronWeights = mapping.coreNeuronCounts.map { Array(repeating: 0.0, count: $0) }
        for slice in mapping.slices {
            let counts = rates.populations[network.populations[slice.population].name]
            for k in 0..<slice.count { neuronWeights[slice.core][slice.coreOffset + k] = Double(counts?[slice.start + k] ?? 0) }
        }
        let inputWeights = network.inputs.flatMap { input in (rates.inputs[input.name] ?? Array(repeating: 0, count: input.size)).map(Double.init) }
        return TrafficEstimate(loaded, neuronWeights: neuronWeights, inputWeights: inputWeights)
    }

    /// The network with every plastic synapse at its learned weight, ready to be saved and resumed.
    public func learnedNetwork() -> NetworkDescription {
        var learned = network
        for (core, origins) in plasticOrigins.enumerated() {
            let weights = engine.cores[core].plasticWeights
            for (k, origin) in origins.enumerated() {
                learned.projections[origin.projection].synapses[origin.synapse].weight = weights[k]
            }
        }
        return learned
    }

    /// For each population whose probes record u or v: the union of probed neurons, ascending.
    private func stateProbeIndices() -> [(population: Int, indices: [Int])] {
        network.populations.indices.compactMap { population in
            let probes = network.probes.filter { $0.population == population && $0.recordsState }
            guard !probes.isEmpty else { return nil }
            return (population, Array(Set(probes.flatMap(\.indices))).sorted())
        }
    }
}

/// Totals of a finished run.
public struct RunResult: Sendable {
    /// Timesteps run.
    public var steps = 0
    /// Spikes per population, in file order.
    public var populationSpikes: [Int]
    /// Spikes per input, in file order.
    public var inputSpikes: [Int]
    /// Events of the run, by class.
    public var totals = EventCounts()
    /// Cycles of the run, every step's.
    public var totalCycles: UInt64 = 0
    /// Cycles of the longest step.
    public var maximumStepCycles: UInt32 = 0
    /// Total energy (dynamic + static) in femtojoules.
    public var energyFemtojoules: Int64 = 0
    /// The static part of `energyFemtojoules`.
    public var staticEnergyFemtojoules: Int64 = 0
    /// FNV-1a digest of the trace.
    public var digest = ""
    /// Spike counts per neuron, when the run measured them (`measuresRates`).
    public var rates: SpikeRates?
    /// Requested readouts and their values.
    public var readouts: [(readout: Readout, values: [Int64])] = []
    /// With a schedule: events and energy per kind of segment (train, test, sleep, in that order).
    public var phases: [PhaseTotals] = []
    /// With a schedule that classifies: one result per test segment.
    public var classifications: [Classification] = []

    /// Empty totals with these spike counts per population and per input.
    public init(populationSpikes: [Int], inputSpikes: [Int]) {
        self.populationSpikes = populationSpikes
        self.inputSpikes = inputSpikes
    }

    /// Spikes of chip neurons, every population's.
    public var neuronSpikes: Int { populationSpikes.reduce(0, +) }
    /// Spikes the host sent, every input's.
    public var inputSpikeCount: Int { inputSpikes.reduce(0, +) }
}
