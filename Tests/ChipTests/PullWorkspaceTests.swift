import Router
import Testing
@testable import Chip

@Suite struct PullWorkspaceTests {
    /// A worker pulls exactly the packets bound for its run of cores, each core's in the order
    /// of the whole step's list (cores' spikes by core, each spike's output axons in order,
    /// then the host's), routed as the network model routes them one by one.
    @Test(arguments: [0..<7, 0..<3, 3..<7, 2..<5])
    func pullsTheRunsPacketsInTheStepsOrder(run: Range<Int>) {
        let network = RandomNetwork(seed: 72, cores: 7, steps: 1)
        let cores = network.programs.map(Core.init(program:))
        var generator = SeededGenerator(seed: 9)
        // Two workers' exports (cores 0–3 and 4–6) of step 1.
        let neuronCount = cores.reduce(0) { $0 + $1.neuronCount }
        var exports = Array(repeating: ExportedSpike(core: 0, neuron: 0, injectCycle: 0, payload: 0), count: 2 * PulledSteps.exportSlotsPerWorker * neuronCount)
        var counts = Array(repeating: 0, count: 2 * PulledSteps.exportSlotsPerWorker * PulledSteps.exportCountStride)
        var spikes: [ExportedSpike] = []
        for worker in 0..<2 {
            let slot = PulledSteps.exportSlot(worker: worker, step: 1)
            var written = 0
            for core in (worker == 0 ? 0..<4 : 4..<7) {
                for neuron in 0..<cores[core].neuronCount where generator.nextUnitInterval() < 0.4 {
                    let spike = ExportedSpike(
                        core: Int32(core), neuron: Int32(neuron), injectCycle: UInt32.random(in: 0...90, using: &generator),
                        payload: Int32.random(in: 1...9, using: &generator))
                    exports[slot * neuronCount + written] = spike
                    spikes.append(spike)
                    written += 1
                }
            }
            counts[slot * PulledSteps.exportCountStride] = written
        }
        let inputSpikes: [Int32] = [1, 5, 6]
        var inputStart: [Int32] = [0]
        for outputs in network.inputDestinations { inputStart.append(inputStart.last! + Int32(outputs.count)) }
        let inputs = network.inputDestinations.flatMap { $0 }
        let endpoints = network.endpoints
        let host = Int32(network.chip.mesh.hostEndpoint)
        let storage = PulledTableStorage(
            cores: cores, coreEndpoints: endpoints, hostEndpoint: host,
            inputStart: inputStart, inputCore: inputs.map(\.core), inputAxon: inputs.map(\.axon))

        // The whole step's list, by the rule of `Core.listPackets` and the host port.
        var expected: [AERPacket] = []
        for spike in spikes {
            let core = cores[Int(spike.core)]
            for d in core.outputAxons.range(of: Int(spike.neuron)) {
                let output = core.outputAxons[d]
                expected.append(AERPacket(
                    source: endpoints[Int(spike.core)], destination: endpoints[Int(output.core)], axon: output.axon,
                    payload: spike.payload, injectCycle: spike.injectCycle))
            }
        }
        for input in inputSpikes {
            for d in Int(inputStart[Int(input)])..<Int(inputStart[Int(input) + 1]) {
                expected.append(AERPacket(source: host, destination: endpoints[Int(inputs[d].core)], axon: inputs[d].axon, injectCycle: 0))
            }
        }
        var reference = network.chip.makeNetwork(fidelity: .ideal)
        var expectedDeliveries: [PacketDelivery] = []
        reference.route(expected, into: &expectedDeliveries)

        // Too small: the pull moves its lists into memory with room for every packet.
        var memory = PullWorkspaceMemory(packetCapacity: 1, startCount: 1)
        var workspace = PullWorkspace(memory.lists)
        var totals = RunTotals()
        var model = network.chip.makeNetwork(fidelity: .ideal)
        exports.withUnsafeBufferPointer { exports in
        counts.withUnsafeBufferPointer { counts in
        inputSpikes.withUnsafeBufferPointer { inputSpikes in
            let pulled = PulledSpikes(
                exports: exports, spikesPerSlot: neuronCount, exportCounts: counts, exportingWorkers: 2, step: 1,
                tables: storage.tables, inputSpikes: inputSpikes)
            workspace.pull(pulled, forCores: run, coreCount: cores.count, through: &model, counting: &totals, memory: &memory)
        }}}
        var pulledCount = 0
        for core in 0..<cores.count {
            let wanted = expected.indices.filter { expected[$0].destination == endpoints[core] }
            guard run.contains(core) else { continue }
            let ranks = workspace.lists.order[Int(workspace.lists.starts[core])..<Int(workspace.lists.starts[core + 1])].map { Int($0) }
            #expect(ranks.map { workspace.lists.packets[$0] } == wanted.map { expected[$0] })
            #expect(ranks.map { workspace.lists.deliveries[$0] } == wanted.map { expectedDeliveries[$0] })
            pulledCount += ranks.count
        }
        #expect(workspace.lists.starts[run.upperBound] == Int32(pulledCount))  // nothing for other cores
        #expect(model.counterTotals.packets == UInt64(pulledCount))
        #expect(totals.routedPackets == UInt64(pulledCount))
        #expect(pulledCount > 0)
        #expect(memory.packetCapacity >= expected.count && workspace.lists.packets.baseAddress == memory.lists.packets.baseAddress)
        withExtendedLifetime(memory) {}
    }
}
