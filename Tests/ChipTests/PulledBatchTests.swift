import Router
import Testing
@testable import Chip

@Suite struct PulledBatchTests {
    /// A batch of pulled steps (`runPulledSteps`) gives every step what `step` gives: the
    /// summaries handed alongside (step t − 1 with the spikes of step t) and the last one in
    /// `lastStep`, spikes and neuron state, totals, energy and network counters; it asks for each
    /// step's inputs once, in order, and hands each step's spikes and probed states once (the
    /// sites in the host's order, not the cores'). A second batch goes on
    /// from the first, and a plain step after it agrees too (the last synapse units landed).
    /// Prefetching the cores ahead, as on far memory, changes nothing.
    @Test(arguments: [2, 3], [false, true])
    func batchesMatchSteppedSteps(threads: Int, prefetching: Bool) {
        let steps = 50
        let network = RandomNetwork(seed: 36, cores: 8, steps: 2 * steps, extended: true)
        #expect(network.programs.contains { !Core.foldedGroups(of: $0).isEmpty })  // some core folds its deliveries
        var stepped = network.makeEngine()
        var batched = network.makeEngine()
        batched.minimumParallelWork = 0
        batched.batchWorkerLimit = .max  // three workers even on two CPUs
        if prefetching {
            batched.setFarMemorySweeps(true)
            batched.prefetchCores = 1  // runs of two or three cores: prefetch inside them
        }
        var steppedSummaries: [StepSummary] = []
        var steppedSpikes: [[[Int]]] = [ChipEngineTests.spikeList(of: stepped)]
        let sites = stepped.cores.indices.reversed().flatMap { core in
            [NeuronSite(core: core, neuron: stepped.cores[core].neuronCount - 1), NeuronSite(core: core, neuron: 0)]
        }
        func states(of engine: ChipEngine) -> [[Int32]] { sites.map { [engine.cores[$0.core].u[$0.neuron], engine.cores[$0.core].v[$0.neuron]] } }
        var steppedStates = [states(of: stepped)]
        for t in 1...(2 * steps) {
            stepped.step(inputSpikes: network.inputSpikes[t - 1], threads: 1)
            steppedSummaries.append(stepped.lastStep)
            steppedSpikes.append(ChipEngineTests.spikeList(of: stepped))
            steppedStates.append(states(of: stepped))
        }
        #expect(Set(steppedStates.joined().joined()).count > 10)
        var summaries: [StepSummary] = []
        var askedSteps: [Int] = []
        var handedSteps: [Int] = []
        for batch in 0..<2 {
            let ran = batched.runPulledSteps(count: steps, threads: threads, probing: sites) { t in
                askedSteps.append(t)
                return network.inputSpikes[t - 1]
            } alongside: { spikes, states, closed in
                var handed: [[Int]] = []
                spikes.forEach { core, neuron, value in handed.append([core, neuron, Int(value)]) }
                #expect(handed == steppedSpikes[spikes.timestep], "spikes of step \(spikes.timestep)")
                #expect(states.timestep == spikes.timestep && states.count == sites.count)
                #expect(sites.indices.map { [states.u($0), states.v($0)] } == steppedStates[spikes.timestep], "states of step \(spikes.timestep)")
                handedSteps.append(spikes.timestep)
                if let closed {
                    #expect(closed.timestep == spikes.timestep - 1)
                    summaries.append(closed)
                }
            }
            #expect(ran)
            summaries.append(batched.lastStep)
            #expect(batched.timestep == (batch + 1) * steps && batched.completedSteps == (batch + 1) * steps)
            #expect(batched.cores.map(\.v) == stepped.cores.map(\.v) || batch == 0)
        }
        #expect(askedSteps == Array(1...(2 * steps)))
        #expect(handedSteps == Array(0...steps) + Array(steps...(2 * steps)))
        #expect(summaries == steppedSummaries)
        #expect(batched.cores.map(\.v) == stepped.cores.map(\.v) && batched.cores.map(\.u) == stepped.cores.map(\.u))
        #expect(batched.cores.map(\.spikes) == stepped.cores.map(\.spikes) && batched.spikingCores == stepped.spikingCores)
        #expect(batched.totals == stepped.totals && batched.totalCycles == stepped.totalCycles)
        #expect(batched.totalEnergyFemtojoules == stepped.totalEnergyFemtojoules)
        #expect(batched.coreTotals == stepped.coreTotals && batched.hostTotals == stepped.hostTotals)
        #expect(batched.totalDeliveries == stepped.totalDeliveries && batched.networkCounters == stepped.networkCounters)
        #expect(stepped.totals[.packet] > 0 && stepped.totals[.synapticOp] > 0 && stepped.hostTotals[.packet] > 0)
        stepped.step(inputSpikes: [], threads: 1)
        batched.step(inputSpikes: [], threads: threads)
        #expect(batched.lastStep == stepped.lastStep && batched.cores.map(\.v) == stepped.cores.map(\.v))
    }

    /// Where a batch does not apply it runs nothing and says so: one thread, one CPU for its
    /// workers (`batchWorkerLimit`), or a router whose packets depend on each other (the flit
    /// router lists them).
    @Test func batchesRunOnlyWherePulledStepsDo() {
        let network = RandomNetwork(seed: 37, cores: 8, steps: 4)
        var engine = network.makeEngine()
        engine.minimumParallelWork = 0
        var calls = 0
        let ranOnOneThread = engine.runPulledSteps(count: 4, threads: 1, inputs: { _ in calls += 1; return [] }, alongside: { _, _, _ in calls += 1 })
        #expect(!ranOnOneThread)
        engine.batchWorkerLimit = 1
        let ranOnOneCPU = engine.runPulledSteps(count: 4, threads: 2, inputs: { _ in calls += 1; return [] }, alongside: { _, _, _ in calls += 1 })
        #expect(!ranOnOneCPU)
        var flit = network.makeEngine(fidelity: .flit)
        flit.minimumParallelWork = 0
        let ranWithFlits = flit.runPulledSteps(count: 4, threads: 2, inputs: { _ in calls += 1; return [] }, alongside: { _, _, _ in calls += 1 })
        #expect(!ranWithFlits)
        #expect(calls == 0 && engine.timestep == 0 && flit.timestep == 0)
    }
}
