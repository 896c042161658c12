import Router
import Testing
@testable import Chip

@Suite struct ChipEngineTests {
    // MARK: One step computed by hand

    /// 2 × 2 mesh, 2 cores per tile, host port on tile (0, 1); see `TestChip.costs()` for prices.
    ///
    /// - core A (engine 0) on endpoint 0, tile (0, 0): neuron 0 spikes every step (bias 1, vth 0) into
    ///   B axon 0 and C axon 0; neuron 1 is at rest.
    /// - core B (engine 1) on endpoint 2, tile (1, 0) — one hop east of A: one neuron; axon 0 has 2
    ///   synapses, axon 1 has 3.
    /// - core C (engine 2) on endpoint 4, tile (0, 1) — one hop north of A, the host's tile: two
    ///   neurons; axon 0 has 1 synapse.
    /// - host input 0 → B axon 1; host input 1 → C axon 0.
    static func handEngine() -> ChipEngine {
        let quiet = LoihiNeuron.Parameters(vth: 131_071)
        let a = CoreProgram(
            neurons: [LoihiNeuron.Parameters(vth: 0, biasMantissa: 1), quiet],
            destinations: [[OutputAxon(core: 1, axon: 0), OutputAxon(core: 2, axon: 0)], []])
        let b = CoreProgram(
            neurons: [quiet],
            axonSynapses: [
                [Synapse(target: 0, weight: 1), Synapse(target: 0, weight: 10)],
                [Synapse(target: 0, weight: 100), Synapse(target: 0, weight: 100), Synapse(target: 0, weight: 100)],
            ])
        let c = CoreProgram(neurons: [quiet, quiet], axonSynapses: [[Synapse(target: 1, weight: 3)]])
        return ChipEngine(
            chip: TestChip.chip(), programs: [a, b, c], coreEndpoints: [0, 2, 4],
            inputDestinations: [[OutputAxon(core: 1, axon: 1)], [OutputAxon(core: 2, axon: 0)]])
    }

    @Test func handComputedStep() {
        var engine = Self.handEngine()
        engine.step(inputSpikes: [0, 1])

        // Neuron phase: A = active 10 (spike done at 10) + inactive 4 = 14; B = 4; C = 8.
        // A's spike leaves at 10 + spikeOut 3 = 13; host packets leave at cycle 0.
        #expect(engine.packets == [
            // Spikes are numbered within the step: the neuron's spike, then the two input spikes.
            AERPacket(source: 0, destination: 2, axon: 0, injectCycle: 13, spike: 1),
            AERPacket(source: 0, destination: 4, axon: 0, injectCycle: 13, spike: 1),
            AERPacket(source: 8, destination: 2, axon: 1, injectCycle: 0, spike: 2),
            AERPacket(source: 8, destination: 4, axon: 0, injectCycle: 0, spike: 3),
        ])
        // Latency = local 2 + 5 per E–W hop + 9 per N–S hop + 1 (second flit).
        // A → B: east 1 → 13 + 8 = 21. A → C: north 1 → 13 + 12 = 25.
        // host (0,1) → B (1,0): east then south → 0 + 17. host → C: same tile → 0 + 3.
        #expect(engine.deliveries == [
            PacketDelivery(arriveCycle: 21, hops: 1), PacketDelivery(arriveCycle: 25, hops: 1),
            PacketDelivery(arriveCycle: 17, hops: 2), PacketDelivery(arriveCycle: 3, hops: 0),
        ])
        // Synapse units (6 cycles per synapse), in arrival order:
        //   C: host packet at 3 → 9;  B: host packet at 17, 3 synapses → 35;
        //   B: A's packet at 21 waits until 35, 2 synapses → 47;  C: A's packet at 25 → 31.
        // busy = max(14, 47) = 47; barrier over 3 tiles = 20 + 80 · 2 / 4 = 60.
        let step = engine.lastStep
        #expect(step.timestep == 1)
        #expect(step.cycles == 107)
        #expect(step.neuronSpikes == 1 && step.inputSpikes == 2)

        var counts = EventCounts()
        counts[.synapticOp] = 7
        counts[.neuronUpdateActive] = 1
        counts[.neuronUpdateInactive] = 4
        counts[.spikeOut] = 1
        counts[.packet] = 4
        counts[.eastWestFlitHop] = 4  // two packets × one E–W hop × two flits
        counts[.northSouthFlitHop] = 4
        counts[.barrier] = 1
        #expect(step.counts == counts)
        // 7·23 600 + 81 000 + 4·52 000 + 500 + 4·1 700 + 4·3 000 + 4·4 000 + 10 000 = 499 500 dynamic,
        // plus 107 cycles × 30 fJ static.
        #expect(step.energyFemtojoules == 499_500 + 3_210)
        #expect(engine.totalEnergyFemtojoules == 502_710)
        #expect(engine.totalCycles == 107)
        #expect(engine.totals == counts)
        #expect(engine.tilesUsed == 3)

        // The weights land at step 2 (delay 1): B gets 1 + 10 + 300, C's neuron 1 gets 3 + 3.
        engine.step(inputSpikes: [])
        #expect(Array(engine.cores[1].u) == [311 << 6])
        #expect(Array(engine.cores[2].u) == [0, 6 << 6])
        #expect(engine.timestep == 2)
    }

    @Test func routingOrderChangesLinksNotTiming() {
        var xy = Self.handEngine()
        xy.step(inputSpikes: [0, 1])
        let quiet = LoihiNeuron.Parameters(vth: 131_071)
        var yx = ChipEngine(
            chip: TestChip.chip(routing: .yx),
            programs: [
                CoreProgram(neurons: [LoihiNeuron.Parameters(vth: 0, biasMantissa: 1), quiet], destinations: [[OutputAxon(core: 1, axon: 0), OutputAxon(core: 2, axon: 0)], []]),
                CoreProgram(neurons: [quiet], axonSynapses: [[Synapse(target: 0, weight: 1), Synapse(target: 0, weight: 10)], [Synapse(target: 0, weight: 100), Synapse(target: 0, weight: 100), Synapse(target: 0, weight: 100)]]),
                CoreProgram(neurons: [quiet, quiet], axonSynapses: [[Synapse(target: 1, weight: 3)]]),
            ],
            coreEndpoints: [0, 2, 4], inputDestinations: [[OutputAxon(core: 1, axon: 1)], [OutputAxon(core: 2, axon: 0)]])
        yx.step(inputSpikes: [0, 1])
        #expect(yx.deliveries == xy.deliveries)
        #expect(yx.lastStep == xy.lastStep)
        // The host packet to B turns at (0, 0) under YX and at (1, 1) under XY.
        let mesh = xy.chip.mesh
        #expect(xy.networkCounters.linkFlits[mesh.linkIndex(tile: 2, direction: .east)] == 2)
        #expect(yx.networkCounters.linkFlits[mesh.linkIndex(tile: 2, direction: .east)] == 0)
        #expect(yx.networkCounters.linkFlits[mesh.linkIndex(tile: 2, direction: .south)] == 2)
    }

    @Test func neuronPhaseCanBoundTheStep() {
        // One core, five neurons at rest, no spikes: 5 × 4 inactive cycles + the one-tile barrier (20).
        var engine = ChipEngine(
            chip: TestChip.chip(), programs: [CoreProgram(neurons: Array(repeating: LoihiNeuron.Parameters(vth: 1), count: 5))],
            coreEndpoints: [7], inputDestinations: [])
        engine.step(inputSpikes: [])
        #expect(engine.lastStep.cycles == 40)
        #expect(engine.lastStep.counts[.neuronUpdateInactive] == 5)
        #expect(engine.lastStep.counts[.barrier] == 1)
        #expect(engine.lastStep.energyFemtojoules == 5 * 52_000 + 10_000 + 40 * 30)
        #expect(engine.packets.isEmpty && engine.deliveries.isEmpty)
        #expect(engine.tilesUsed == 1)
    }

    // MARK: Delays through the engine

    /// Host input at step 1 makes core 0's neuron spike at step 2; its spike reaches core 1 (another
    /// tile) through a synapse of delay `delay`, so core 1's probe neuron sees input at step 2 + delay.
    @Test(arguments: 1...5)
    func spikeAtStepTThroughDelayDArrivesAtTPlusD(delay: Int) {
        let delaySlots = 6
        let relay = CoreProgram(
            neurons: [LoihiNeuron.Parameters(du: 4095, dv: 4095, vth: 0)], delaySlots: delaySlots,
            axonSynapses: [[Synapse(target: 0, weight: 1, delay: 1)]], destinations: [[OutputAxon(core: 1, axon: 0)]])
        let target = CoreProgram(
            neurons: [CoreTests.probe], delaySlots: delaySlots, axonSynapses: [[Synapse(target: 0, weight: 7, delay: Int32(delay))]])
        for threads in [1, 2] {
            var engine = ChipEngine(
                chip: TestChip.chip(delaySlots: delaySlots), programs: [relay, target], coreEndpoints: [1, 6],
                inputDestinations: [[OutputAxon(core: 0, axon: 0)]])
            var relaySpikes: [Int] = []
            var arrivals: [Int] = []
            for t in 1...(2 + 3 * delaySlots) {
                engine.step(inputSpikes: t == 1 ? [0] : [], threads: threads)
                if engine.lastStep.neuronSpikes > 0 { relaySpikes.append(t) }
                if engine.cores[1].u[0] != 0 {
                    #expect(engine.cores[1].u[0] == 7 << 6)
                    arrivals.append(t)
                }
            }
            #expect(relaySpikes == [2])
            #expect(arrivals == [2 + delay])
        }
    }

    // MARK: Random networks

    /// Independent recomputation of one step's accounting from the engine's public state.
    static func checkStepAccounting(_ engine: ChipEngine, network: RandomNetwork, inputSpikes: [Int32]) {
        let chip = engine.chip
        let costs = chip.costs
        let step = engine.lastStep
        var engineIndex: [Int32: Int] = [:]
        for (index, endpoint) in engine.coreEndpoints.enumerated() { engineIndex[endpoint] = index }

        // Packets: one per (spike, destination), cores in engine order, then host inputs.
        var expected: [AERPacket] = []
        var spikeNumber: Int32 = 0  // every spike of the step, numbered from 1 in packet order
        for (index, core) in engine.cores.enumerated() {
            for (k, neuron) in core.spikes.enumerated() {
                spikeNumber += 1
                for d in core.destinations(of: Int(neuron)) {
                    expected.append(AERPacket(
                        source: engine.coreEndpoints[index], destination: engine.coreEndpoints[Int(core.outputAxons[d].core)],
                        axon: core.outputAxons[d].axon, injectCycle: core.spikeCycles[k] + costs[.spikeOut].cycles, spike: spikeNumber))
                }
            }
        }
        for input in inputSpikes {
            spikeNumber += 1
            for output in network.inputDestinations[Int(input)] {
                expected.append(AERPacket(
                    source: Int32(chip.mesh.hostEndpoint), destination: engine.coreEndpoints[Int(output.core)], axon: output.axon, injectCycle: 0, spike: spikeNumber))
            }
        }
        #expect(engine.packets == expected)
        #expect(engine.deliveries.count == expected.count)
        #expect(step.counts[.packet] == UInt64(expected.count))
        let spikes = engine.cores.reduce(0) { $0 + $1.spikes.count }
        #expect(step.neuronSpikes == spikes && step.counts[.spikeOut] == UInt64(spikes))
        #expect(step.inputSpikes == inputSpikes.count)

        // Synaptic ops: the synapses of each delivered packet's axon.
        let synapses = engine.packets.map { engine.cores[engineIndex[$0.destination]!].synapseCount(axon: Int($0.axon)) }
        #expect(step.counts[.synapticOp] == UInt64(synapses.reduce(0, +)))
        #expect(engine.packets.map { engine.synapseCount(core: engineIndex[$0.destination]!, axon: Int($0.axon)) } == synapses)

        // Flit-hops and delivery times from the mesh geometry.
        var eastWest = 0
        var northSouth = 0
        for (packet, delivery) in zip(engine.packets, engine.deliveries) {
            let hops = chip.mesh.hops(from: Int(packet.source), to: Int(packet.destination))
            eastWest += hops.eastWest
            northSouth += hops.northSouth
            #expect(delivery.arriveCycle == packet.injectCycle + chip.networkTiming.zeroLoadLatency(eastWestHops: hops.eastWest, northSouthHops: hops.northSouth))
        }
        #expect(step.counts[.eastWestFlitHop] == UInt64(eastWest * chip.flitsPerPacket))
        #expect(step.counts[.northSouthFlitHop] == UInt64(northSouth * chip.flitsPerPacket))

        // Neuron updates.
        #expect(step.counts[.neuronUpdateActive] + step.counts[.neuronUpdateInactive] == UInt64(engine.cores.reduce(0) { $0 + $1.neuronCount }))
        #expect(step.counts[.neuronUpdateActive] == UInt64(engine.cores.reduce(0) { $0 + $1.activeUpdates }))
        #expect(step.counts[.barrier] == 1 && step.counts[.stdpUpdate] == 0)

        // Cycles: each synapse unit serves packets in (arrival, rank) order, one after another.
        let order = engine.deliveries.indices.sorted { (engine.deliveries[$0].arriveCycle, $0) < (engine.deliveries[$1].arriveCycle, $1) }
        var busyUntil = Array(repeating: UInt32(0), count: engine.cores.count)
        var lastSynapse: UInt32 = 0
        for rank in order {
            let core = engineIndex[engine.packets[rank].destination]!
            let start = max(engine.deliveries[rank].arriveCycle, busyUntil[core])
            busyUntil[core] = start + UInt32(synapses[rank]) * costs[.synapticOp].cycles
            lastSynapse = max(lastSynapse, busyUntil[core])
        }
        let lastNeuron = engine.cores.map(\.neuronPhaseCycles).max() ?? 0
        let tiles = Set(engine.coreEndpoints.map { chip.mesh.tileIndex(ofEndpoint: Int($0)) }).count
        #expect(step.cycles == max(lastNeuron, lastSynapse) + chip.barrier.cycles(tiles: tiles))

        // Energy: Σ count × price + static energy over the step's cycles, exactly.
        #expect(step.energyFemtojoules == step.counts.priced(costs) + (chip.staticEnergyFemtojoules(cycles: UInt64(step.cycles)) ?? -1))
    }

    @Test func randomNetworkAccountingInvariants() {
        let steps = 120
        let network = RandomNetwork(seed: 31, cores: 7, steps: steps)
        var engine = network.makeEngine()
        var totals = EventCounts()
        var energy: Int64 = 0
        var cycles: UInt64 = 0
        var packets = 0
        for t in 1...steps {
            engine.step(inputSpikes: network.inputSpikes[t - 1])
            Self.checkStepAccounting(engine, network: network, inputSpikes: network.inputSpikes[t - 1])
            #expect(engine.lastStep.timestep == t)
            totals += engine.lastStep.counts
            energy += engine.lastStep.energyFemtojoules
            cycles += UInt64(engine.lastStep.cycles)
            packets += engine.packets.count
        }
        #expect(engine.totals == totals)
        #expect(engine.totalEnergyFemtojoules == energy)
        #expect(engine.totalCycles == cycles)
        #expect(engine.networkCounters.packets == UInt64(packets))
        #expect(engine.networkCounters.eastWestFlitHops == totals[.eastWestFlitHop])
        #expect(engine.networkCounters.northSouthFlitHops == totals[.northSouthFlitHop])
        // The network was busy: spikes and packets every few steps, not saturated.
        #expect(totals[.spikeOut] > UInt64(steps) && totals[.packet] > UInt64(steps))
        #expect(totals[.spikeOut] < totals[.neuronUpdateActive] + totals[.neuronUpdateInactive])
    }

    /// Whole-chip oracle: every neuron stepped by `LoihiNeuron.step`, every spike delivered to the
    /// synapses of its destination axons at step t + delay, with per-group weight exponents
    /// applied to each step's sum per delay (Lava's delayed Dense).
    @Test func randomNetworkMatchesScalarOracle() {
        let steps = 100
        let network = RandomNetwork(seed: 77, cores: 6, steps: steps)
        #expect(network.programs.contains { !Core.foldedGroups(of: $0).isEmpty })  // some core folds its deliveries
        var engine = network.makeEngine()
        var u = network.programs.map(\.initialU)
        var v = network.programs.map(\.initialV)
        let horizon = steps + 8
        var totalSpikes = 0
        var pending = network.programs.map { program in
            Array(repeating: Array(repeating: Array(repeating: Int32(0), count: program.neurons.count), count: program.groupExponents.count), count: horizon)
        }
        // This step's sums per core, delay, group and neuron, shifted into `pending` at its end.
        var stepSums = pending.map { Array($0.prefix(8)) }
        func deliver(to output: OutputAxon) {
            let core = Int(output.core)
            for synapse in network.programs[core].axonSynapses[Int(output.axon)] {
                stepSums[core][Int(synapse.delay)][Int(synapse.group)][Int(synapse.target)] += synapse.weight
            }
        }
        for t in 1...steps {
            engine.step(inputSpikes: network.inputSpikes[t - 1])
            var spikes: [[Int32]] = []
            for (core, program) in network.programs.enumerated() {
                var coreSpikes: [Int32] = []
                for i in program.neurons.indices {
                    let input = pending[core][t].reduce(0) { $0 &+ $1[i] }
                    if LoihiNeuron.step(u: &u[core][i], v: &v[core][i], input: input, parameters: program.neurons[i]) {
                        coreSpikes.append(Int32(i))
                    }
                }
                spikes.append(coreSpikes)
            }
            guard engine.cores.map({ Array($0.u) }) == u, engine.cores.map({ Array($0.v) }) == v, engine.cores.map(\.spikes) == spikes else {
                Issue.record("engine and oracle differ at step \(t)")
                return
            }
            totalSpikes += spikes.joined().count
            for (core, coreSpikes) in spikes.enumerated() {
                for neuron in coreSpikes { network.programs[core].destinations[Int(neuron)].forEach { deliver(to: $0) } }
            }
            for input in network.inputSpikes[t - 1] { network.inputDestinations[Int(input)].forEach { deliver(to: $0) } }
            for (core, program) in network.programs.enumerated() {
                for delay in 1..<8 {
                    for group in program.groupExponents.indices {
                        for i in program.neurons.indices {
                            pending[core][t + delay][group][i] += WeightExponent.scale(stepSums[core][delay][group][i], exponent: program.groupExponents[group])
                            stepSums[core][delay][group][i] = 0
                        }
                    }
                }
            }
        }
        // The run exercised spiking and silent neurons both.
        #expect(totalSpikes > 0 && totalSpikes < steps * network.programs.reduce(0) { $0 + $1.neurons.count })
    }

    /// An engine over cores loaded beforehand runs exactly as one that loads the programs itself.
    @Test func engineFromLoadedCoresMatchesEngineFromPrograms() {
        let steps = 60
        let network = RandomNetwork(seed: 9, cores: 6, steps: steps, extended: false, plastic: true)
        var fromPrograms = network.makeEngine()
        var fromCores = ChipEngine(
            chip: network.chip, cores: network.programs.map(Core.init(program:)), coreEndpoints: network.endpoints,
            inputDestinations: network.inputDestinations)
        for t in 1...steps {
            fromPrograms.step(inputSpikes: network.inputSpikes[t - 1])
            fromCores.step(inputSpikes: network.inputSpikes[t - 1])
        }
        #expect(fromCores.cores.map(\.v) == fromPrograms.cores.map(\.v))
        #expect(fromCores.cores.map(\.plasticWeights) == fromPrograms.cores.map(\.plasticWeights))
        #expect(fromCores.totals == fromPrograms.totals)
        #expect(fromCores.totalEnergyFemtojoules == fromPrograms.totalEnergyFemtojoules)
        #expect(fromCores.totals[.spikeOut] > 0)
    }

    @Test(arguments: [(false, false), (true, true)])
    func oneAndTwoThreadsAreBitIdentical(extended: Bool, plastic: Bool) {
        let steps = 120
        let network = RandomNetwork(seed: 5, cores: 8, steps: steps, extended: extended, plastic: plastic)
        var one = network.makeEngine()
        var two = network.makeEngine()
        two.minimumParallelWork = 0  // small as it is, the network runs on two workers
        for t in 1...steps {
            one.step(inputSpikes: network.inputSpikes[t - 1], threads: 1)
            two.step(inputSpikes: network.inputSpikes[t - 1], threads: 2)
            guard one.cores.map(\.u) == two.cores.map(\.u), one.cores.map(\.v) == two.cores.map(\.v),
                one.cores.map(\.spikes) == two.cores.map(\.spikes), one.cores.map(\.spikeCycles) == two.cores.map(\.spikeCycles),
                one.cores.map(\.spikeValues) == two.cores.map(\.spikeValues), one.cores.map(\.plasticWeights) == two.cores.map(\.plasticWeights),
                one.packets == two.packets, one.deliveries == two.deliveries, one.lastStep == two.lastStep
            else {
                Issue.record("1 and 2 threads differ at step \(t)")
                return
            }
        }
        #expect(one.totals == two.totals)
        #expect(one.totalCycles == two.totalCycles)
        #expect(one.totalEnergyFemtojoules == two.totalEnergyFemtojoules)
        #expect(one.networkCounters == two.networkCounters)
        #expect(one.totals[.spikeOut] > 0)
        #expect((one.totals[.stdpUpdate] > 0) == plastic)
        if plastic {
            // Learning moved some weights away from their initial values.
            let initial = network.programs.map { $0.axonSynapses.flatMap { $0.filter { $0.learningRule >= 0 }.map(\.fileWeight) } }
            #expect(one.cores.map(\.plasticWeights) != initial)
        }
    }

    /// The sweeps for far memory (what large networks do: prefetching the cores ahead, synapse
    /// rows found in a sweep of their own, the synapse units' rows, words and accumulators
    /// prefetched cores ahead, at no distance, a short one and one past the runs' end) change no result, on one worker or two (the second reads only
    /// cores of its own run), with the general kernel and learning too.
    @Test(arguments: [(1, false, 2), (2, false, 2), (1, true, 2), (2, true, 2), (2, false, 0), (2, true, 50)])
    func farMemorySweepsChangeNothing(threads: Int, extendedAndPlastic: Bool, prefetchCores: Int) {
        let steps = 80
        let network = RandomNetwork(seed: 12, cores: 7, steps: steps, extended: extendedAndPlastic, plastic: extendedAndPlastic)
        var plain = network.makeEngine()
        var sweeping = network.makeEngine()
        let tables = sweeping.cores.map(\.neuronTableAddress)
        sweeping.setFarMemorySweeps(true)
        #expect(zip(tables, sweeping.cores.map(\.neuronTableAddress)).allSatisfy { $0 != $1 }, "every neuron table moved")
        sweeping.minimumParallelWork = 0  // so that two threads do run two workers
        sweeping.prefetchCores = prefetchCores  // none, inside a worker's run, beyond its end
        for t in 1...steps {
            plain.step(inputSpikes: network.inputSpikes[t - 1], threads: 1)
            sweeping.step(inputSpikes: network.inputSpikes[t - 1], threads: threads)
            guard plain.cores.map(\.u) == sweeping.cores.map(\.u), plain.cores.map(\.v) == sweeping.cores.map(\.v),
                plain.cores.map(\.spikes) == sweeping.cores.map(\.spikes), plain.packets == sweeping.packets,
                plain.deliveries == sweeping.deliveries, plain.lastStep == sweeping.lastStep
            else {
                Issue.record("the far-memory sweeps changed step \(t)")
                return
            }
        }
        #expect(plain.totals == sweeping.totals && plain.totalEnergyFemtojoules == sweeping.totalEnergyFemtojoules)
        #expect(plain.totals[.spikeOut] > 0)
        #expect((plain.totals[.stdpUpdate] > 0) == extendedAndPlastic)
    }

    /// A sweep prefetches, before each core of a run, the core `distance` ahead, and at the
    /// run's start every core up to there; never a core outside the run, nothing at distance 0.
    @Test func coresToPrefetchStayInsideTheRun() {
        func ahead(_ run: Range<Int>, _ distance: Int) -> [[Int]] {
            run.map { Array(ChipEngine.coresToPrefetch(before: $0, in: run, distance: distance)) }
        }
        #expect(ahead(3..<8, 2) == [[3, 4, 5], [6], [7], [], []])
        #expect(ahead(3..<8, 1) == [[3, 4], [5], [6], [7], []])
        #expect(ahead(3..<6, 8) == [[3, 4, 5], [], []])
        #expect(ahead(3..<6, 0) == [[], [], []])
        #expect(ahead(5..<6, 3) == [[5]])
        #expect(ChipEngine.coresToPrefetch(before: 1, in: 0..<4, distance: .max).isEmpty)
    }

    /// Busy steps list their packets on every worker (and, with the ideal router, route them
    /// in parts, one network model per worker): packets, deliveries, summaries, per-core and
    /// host totals and the network counters are those of one thread, with unicast and
    /// multicast, stepped, pipelined and in batches (the flit router lists in parallel and
    /// routes whole steps). Every way of stepping reports each core's spike count.
    @Test(arguments: [(RouterFidelity.ideal, false), (.ideal, true), (.flit, false)], [2, 3])
    func packetsListedAndRoutedOnSeveralWorkersMatchOneThread(router: (fidelity: RouterFidelity, multicast: Bool), threads: Int) {
        let steps = 50
        var network = RandomNetwork(seed: 44, cores: 9, steps: steps)
        #expect(network.programs.contains { !Core.foldedGroups(of: $0).isEmpty })  // some core folds its deliveries
        network.chip.multicast = router.multicast
        var one = network.makeEngine(fidelity: router.fidelity)
        var stepped = network.makeEngine(fidelity: router.fidelity)
        var pipelined = network.makeEngine(fidelity: router.fidelity)
        var batched = network.makeEngine(fidelity: router.fidelity)
        stepped.minimumParallelWork = 0
        stepped.minimumParallelPackets = 1  // every step with a packet lists on several workers
        pipelined.minimumParallelWork = 0
        pipelined.minimumParallelPackets = 1
        pipelined.pullsPackets = false  // this test is about listing; pulled steps have tests of their own
        batched.minimumParallelWork = 0
        batched.minimumParallelPackets = 1
        var pending: [PendingStep] = []
        var batchedSummaries: [StepSummary] = []
        var pipelinedSummaries: [StepSummary] = []
        var summaries: [StepSummary] = []
        for t in 1...steps {
            let input = network.inputSpikes[t - 1]
            one.step(inputSpikes: input, threads: 1)
            summaries.append(one.lastStep)
            stepped.step(inputSpikes: input, threads: threads)
            pipelined.stepPipelined(inputSpikes: input, threads: threads)
            if t > 1 { pipelinedSummaries.append(pipelined.lastStep) }
            pending.append(batched.advance(inputSpikes: input, threads: threads))
            for engine in [one, stepped, pipelined, batched] {
                #expect(engine.cores.indices.map(engine.spikeCount(ofCore:)) == engine.cores.map(\.spikes.count))
                #expect(engine.spikingCores == engine.cores.indices.filter { !engine.cores[$0].spikes.isEmpty }.map(Int32.init))
            }
            guard one.packets == stepped.packets, one.deliveries == stepped.deliveries, one.lastStep == stepped.lastStep,
                one.packets == pipelined.packets, one.deliveries == pipelined.deliveries
            else {
                Issue.record("listing or routing on \(threads) workers differs at step \(t)")
                return
            }
            if pending.count == 4 || t == steps {
                batched.routeNetworks(of: &pending, threads: threads)
                for step in pending {
                    batched.complete(step)
                    batchedSummaries.append(batched.lastStep)
                }
                pending.removeAll()
            }
        }
        pipelined.finishPipeline(threads: threads)
        pipelinedSummaries.append(pipelined.lastStep)
        #expect(pipelinedSummaries == summaries && batchedSummaries == summaries)
        for engine in [stepped, pipelined, batched] {
            #expect(engine.totals == one.totals && engine.totalEnergyFemtojoules == one.totalEnergyFemtojoules)
            #expect(engine.coreTotals == one.coreTotals && engine.hostTotals == one.hostTotals)
            #expect(engine.totalDeliveries == one.totalDeliveries)
            #expect(engine.networkCounters == one.networkCounters)
        }
        #expect(one.totals[.packet] > 0 && one.hostTotals[.packet] > 0)
        #expect(one.totals[.packet] < one.totalDeliveries || !router.multicast)  // multicast did merge deliveries
    }

    /// However the cores are cut between the workers (`CoreRuns` moves the cut by measured
    /// speed), every step is the same: runs of one core, lopsided and even runs, in every
    /// balanced phase, stepped and pipelined, with listing on the workers; and so with the
    /// sweeps for far memory prefetching a core ahead inside runs of one to eight cores.
    @Test(arguments: [2, 3], [false, true])
    func unevenCutsOfTheCoresChangeNothing(threads: Int, prefetching: Bool) {
        let steps = 40
        let network = RandomNetwork(seed: 45, cores: 9, steps: steps)
        #expect(network.programs.contains { !Core.foldedGroups(of: $0).isEmpty })  // some core folds its deliveries
        var one = network.makeEngine()
        var stepped = network.makeEngine()
        var pipelined = network.makeEngine()
        var pulled = network.makeEngine()
        stepped.minimumParallelWork = 0  // several workers in every phase
        stepped.minimumParallelPackets = 1  // listing on the workers, by the neuron phase's runs
        pipelined.minimumParallelWork = 0
        pipelined.minimumParallelPackets = 1
        pipelined.pullsPackets = false
        pulled.minimumParallelWork = 0
        #expect(pulled.pullsPackets)
        if prefetching {
            stepped.setFarMemorySweeps(true)
            pipelined.setFarMemorySweeps(true)
            pulled.setFarMemorySweeps(true)
            stepped.prefetchCores = 1
            pipelined.prefetchCores = 1
            pulled.prefetchCores = 1
        }
        let cuts: [[Int]] = threads == 2 ? [[0, 1, 9], [0, 8, 9], [0, 4, 9], [0, 6, 9]] : [[0, 1, 2, 9], [0, 7, 8, 9], [0, 3, 6, 9], [0, 1, 8, 9]]
        var summaries: [StepSummary] = []
        var pipelinedSummaries: [StepSummary] = []
        var pulledSummaries: [StepSummary] = []
        for t in 1...steps {
            let input = network.inputSpikes[t - 1]
            for phase in ChipEngine.BalancedPhase.allCases {
                stepped.cutCores(of: phase, at: cuts[(t + phase.rawValue) % cuts.count])
                pipelined.cutCores(of: phase, at: cuts[(t + 2 * phase.rawValue) % cuts.count])
                pulled.cutCores(of: phase, at: cuts[(t + 3 * phase.rawValue) % cuts.count])
            }
            one.step(inputSpikes: input, threads: 1)
            summaries.append(one.lastStep)
            stepped.step(inputSpikes: input, threads: threads)
            pipelined.stepPipelined(inputSpikes: input, threads: threads)
            pulled.stepPipelined(inputSpikes: input, threads: threads)
            if t > 1 {
                pipelinedSummaries.append(pipelined.lastStep)
                pulledSummaries.append(pulled.lastStep)
            }
            guard one.packets == stepped.packets, one.deliveries == stepped.deliveries, one.lastStep == stepped.lastStep,
                one.packets == pipelined.packets, one.deliveries == pipelined.deliveries,
                one.cores.map(\.v) == stepped.cores.map(\.v), one.cores.map(\.v) == pipelined.cores.map(\.v),
                one.cores.map(\.v) == pulled.cores.map(\.v), one.cores.map(\.spikes) == pulled.cores.map(\.spikes)
            else {
                Issue.record("a cut of the cores on \(threads) workers changes step \(t)")
                return
            }
        }
        pipelined.finishPipeline(threads: threads)
        pulled.finishPipeline(threads: threads)
        pipelinedSummaries.append(pipelined.lastStep)
        pulledSummaries.append(pulled.lastStep)
        #expect(pipelinedSummaries == summaries && pulledSummaries == summaries)
        for engine in [stepped, pipelined, pulled] {
            #expect(engine.totals == one.totals && engine.coreTotals == one.coreTotals)
            #expect(engine.networkCounters == one.networkCounters)
        }
        #expect(one.totals[.packet] > 0)
    }

    /// The cores' step results the serial part of a step reads for every core stay two to a
    /// cache line.
    @Test func coreStepResultsFitHalfACacheLine() {
        #expect(MemoryLayout<ChipEngine.CoreStep>.stride == 32)
    }

    @Test func moreThreadsThanCoresStillMatches() {
        let network = RandomNetwork(seed: 8, cores: 6, steps: 30)
        var one = network.makeEngine()
        var many = network.makeEngine()
        for t in 1...30 {
            one.step(inputSpikes: network.inputSpikes[t - 1], threads: 1)
            many.step(inputSpikes: network.inputSpikes[t - 1], threads: 16)
        }
        #expect(one.cores.map(\.v) == many.cores.map(\.v))
        #expect(one.totals == many.totals && one.totalEnergyFemtojoules == many.totalEnergyFemtojoules)
    }

    @Test func setStateReachesTheCore() {
        var engine = Self.handEngine()
        engine.setState(core: 2, neuron: 1, u: 640, v: -5)
        #expect(Array(engine.cores[2].u) == [0, 640])
        #expect(Array(engine.cores[2].v) == [0, -5])
    }

    // MARK: Spike values and learning through the engine

    @Test func gradedAndTernarySpikeValuesTravelAsPayloads() {
        // Core 0: a graded neuron (v̂ = 16000 → 16000 >> 10 = 15) and a ternary one (v̂ = −16000 → −1).
        let graded = LoihiNeuron.Parameters(du: 4095, dv: 4095, vth: 0, biasMantissa: 1000, biasExponent: 4, spikeMode: .graded, gradedShift: 10)
        let ternary = LoihiNeuron.Parameters(du: 4095, dv: 4095, vth: 10, biasMantissa: -1000, biasExponent: 4, spikeMode: .ternary)
        var engine = ChipEngine(
            chip: TestChip.chip(),
            programs: [
                CoreProgram(neurons: [graded, ternary], destinations: [[OutputAxon(core: 1, axon: 0)], [OutputAxon(core: 1, axon: 1)]]),
                CoreProgram(neurons: [CoreTests.probe, CoreTests.probe], axonSynapses: [[Synapse(target: 0, weight: 3)], [Synapse(target: 1, weight: 5)]]),
            ],
            coreEndpoints: [0, 7], inputDestinations: [])
        engine.step(inputSpikes: [])
        #expect(engine.packets.map(\.payload) == [15, -1])
        #expect(engine.cores[0].spikeValues == [15, -1])
        #expect(engine.lastStep.neuronSpikes == 2)
        engine.step(inputSpikes: [])
        #expect(Array(engine.cores[1].u) == [45 << 6, -5 << 6])
    }

    @Test func learningPhaseIsCountedAndTimed() {
        // One core on the host's tile with one plastic synapse fed by host input 0.
        var program = CoreProgram(
            neurons: [LoihiNeuron.Parameters(vth: 131_071)],
            axonSynapses: [[Synapse(target: 0, weight: 60, learningRule: 0, fileWeight: 60)]])
        program.learningRules = [PlasticityUnitTests.rule()]
        var engine = ChipEngine(chip: TestChip.chip(), programs: [program], coreEndpoints: [4], inputDestinations: [[OutputAxon(core: 0, axon: 0)]])
        engine.step(inputSpikes: [0])
        // Neuron phase 4 (inactive); host packet arrives at 2 + 1 = 3, one synapse → 9;
        // learning: one pair term × 61 cycles; barrier (1 tile) 20.
        #expect(engine.lastStep.counts[.stdpUpdate] == 1)
        #expect(engine.lastStep.cycles == 9 + 61 + 20)
        // 23 600 + 52 000 + 1 700 + 120 000 + 10 000 dynamic, 90 × 30 static.
        #expect(engine.lastStep.energyFemtojoules == 207_300 + 2_700)
        engine.step(inputSpikes: [])
        // No spikes, no pair terms: the learning phase costs nothing. One active update (u = 60 · 64).
        #expect(engine.lastStep.counts[.stdpUpdate] == 0)
        #expect(engine.lastStep.cycles == 10 + 20)
        #expect(engine.totals[.stdpUpdate] == 1)
    }

    // MARK: Steps timed in batches

    /// Running the chip ahead (`advance`), timing the batch's networks on several threads
    /// (`routeNetworks`) and closing the steps in order (`complete`) gives every step exactly
    /// what `step` gives: summaries, packets, deliveries, state, totals and network counters.
    @Test(arguments: [
        (RouterFidelity.flit, 1, 1), (.flit, 2, 3), (.flit, 2, 8), (.flit, 3, 5), (.ideal, 2, 4),
    ])
    func advancedStepsTimedInBatchesMatchSteppedOnes(fidelity: RouterFidelity, threads: Int, batch: Int) {
        let steps = 60
        let network = RandomNetwork(seed: 21, cores: 8, steps: steps, extended: true, plastic: true)
        var batched = network.makeEngine(fidelity: fidelity)
        batched.minimumParallelWork = 0  // two workers in the chip phases too
        var pending: [PendingStep] = []
        var summaries: [StepSummary] = []
        var deliveries: [[PacketDelivery]] = []
        for t in 1...steps {
            pending.append(batched.advance(inputSpikes: network.inputSpikes[t - 1], threads: threads))
            #expect(batched.completedSteps == t - pending.count)
            if pending.count == batch || t == steps {
                batched.routeNetworks(of: &pending, threads: threads)
                for step in pending {
                    batched.complete(step)
                    summaries.append(batched.lastStep)
                    deliveries.append(batched.deliveries)
                }
                pending.removeAll()
            }
        }
        let (stepped, steppedSummaries, steppedDeliveries) = network.steppedRun(fidelity: fidelity)
        #expect(summaries == steppedSummaries)
        #expect(deliveries == steppedDeliveries)
        #expect(batched.cores.map(\.v) == stepped.cores.map(\.v) && batched.cores.map(\.u) == stepped.cores.map(\.u))
        #expect(batched.totals == stepped.totals && batched.totalCycles == stepped.totalCycles)
        #expect(batched.totalEnergyFemtojoules == stepped.totalEnergyFemtojoules)
        #expect(batched.coreTotals == stepped.coreTotals && batched.hostTotals == stepped.hostTotals)
        #expect(batched.networkCounters == stepped.networkCounters)
        #expect(batched.completedSteps == steps && batched.timestep == steps)
        #expect(stepped.totals[.packet] > 0 && stepped.totals[.stdpUpdate] > 0)
        if fidelity == .flit { #expect(stepped.networkCounters.linkStallCycles.reduce(0, +) > 0) }  // packets contended
    }
}

extension ChipEngineTests {
    // MARK: Pipelined steps

    /// A step's neuron phase sharing its parallel region with the synapse units of the step
    /// before (`stepPipelined`, then `finishPipeline`) gives every step exactly what `step` gives:
    /// summaries (one call later), spikes and neuron state (at once), deliveries, totals and
    /// network counters. Every call runs the host's work `alongside` once, a `finishPipeline`
    /// with nothing left too, and hands it the spikes of the step before, as the cores held them.
    ///
    /// With the ideal router the engine pulls packets (`pullsPackets`) and lists none; with the
    /// flit router (whose packets depend on each other), or told not to, it lists them whole.
    @Test(arguments: [(RouterFidelity.ideal, 1, true), (.ideal, 2, true), (.ideal, 3, true), (.ideal, 2, false), (.flit, 2, false)])
    func pipelinedStepsMatchSteppedOnes(fidelity: RouterFidelity, threads: Int, pulls: Bool) {
        let steps = 60
        let network = RandomNetwork(seed: 34, cores: 8, steps: steps, extended: true, plastic: false)
        var stepped = network.makeEngine(fidelity: fidelity)
        var pipelined = network.makeEngine(fidelity: fidelity)
        pipelined.minimumParallelWork = 0  // several workers in every region
        #expect(pipelined.pipelinesSteps && pipelined.gainsFromPipelinedSteps)  // a small chip
        #expect(pipelined.pullsPackets == (fidelity == .ideal))
        pipelined.pullsPackets = pulls
        var summaries: [StepSummary] = []
        var steppedSummaries: [StepSummary] = []
        var alongsideRuns = 0
        var valuedSpikes = 0
        func expectSpikes(_ spikes: StepSpikes, of step: Int, _ expected: [[Int]]) {
            var handed: [[Int]] = []
            spikes.forEach { core, neuron, value in handed.append([core, neuron, Int(value)]) }
            #expect(spikes.timestep == step && spikes.count == expected.count)
            #expect(handed == expected)
            valuedSpikes += expected.filter { $0[2] != 1 }.count
        }
        for t in 1...steps {
            let spikesBefore = Self.spikeList(of: stepped)
            stepped.step(inputSpikes: network.inputSpikes[t - 1], threads: 1)
            steppedSummaries.append(stepped.lastStep)
            pipelined.stepPipelined(inputSpikes: network.inputSpikes[t - 1], threads: threads) { spikes in
                alongsideRuns += 1
                expectSpikes(spikes, of: t - 1, spikesBefore)
            }
            #expect(alongsideRuns == t)
            #expect(pipelined.timestep == t && pipelined.completedSteps == t - 1)
            if t > 1 { summaries.append(pipelined.lastStep) }
            #expect(pipelined.cores.map(\.spikes) == stepped.cores.map(\.spikes))
            #expect(pipelined.spikingCores == stepped.spikingCores)
            #expect(stepped.spikingCores == stepped.cores.indices.filter { !stepped.cores[$0].spikes.isEmpty }.map(Int32.init))
            #expect(pipelined.cores.map(\.v) == stepped.cores.map(\.v) && pipelined.cores.map(\.u) == stepped.cores.map(\.u))
            if pulls {
                #expect(pipelined.packets.isEmpty && pipelined.deliveries.isEmpty)
            } else {
                #expect(pipelined.packets == stepped.packets && pipelined.deliveries == stepped.deliveries)
            }
            #expect(pipelined.totalDeliveries == stepped.totalDeliveries && pipelined.hostTotals == stepped.hostTotals)
        }
        let lastSpikes = Self.spikeList(of: stepped)
        #expect(!lastSpikes.isEmpty)
        pipelined.finishPipeline(threads: threads) { spikes in
            alongsideRuns += 1
            expectSpikes(spikes, of: steps, lastSpikes)
        }
        summaries.append(pipelined.lastStep)
        pipelined.finishPipeline(threads: threads) { spikes in  // nothing left: no change
            alongsideRuns += 1
            expectSpikes(spikes, of: steps, lastSpikes)
        }
        #expect(alongsideRuns == steps + 2)
        #expect(valuedSpikes > 0)  // spike values pass too
        #expect(summaries == steppedSummaries)
        #expect(pipelined.completedSteps == steps)
        #expect(pipelined.totals == stepped.totals && pipelined.totalCycles == stepped.totalCycles)
        #expect(pipelined.totalEnergyFemtojoules == stepped.totalEnergyFemtojoules)
        #expect(pipelined.coreTotals == stepped.coreTotals && pipelined.hostTotals == stepped.hostTotals)
        #expect(pipelined.networkCounters == stepped.networkCounters)
        #expect(stepped.totals[.packet] > 0 && stepped.totals[.synapticOp] > 0)
        // The synapse units' sums of the last step landed too: the next steps agree as well.
        stepped.step(inputSpikes: [], threads: 1)
        pipelined.step(inputSpikes: [], threads: threads)
        #expect(pipelined.lastStep == stepped.lastStep && pipelined.cores.map(\.v) == stepped.cores.map(\.v))
    }

    /// Every neuron spike of the step the cores ran last, core by core, as (core, neuron, value).
    static func spikeList(of engine: ChipEngine) -> [[Int]] {
        engine.cores.indices.flatMap { core in
            engine.cores[core].spikes.indices.map { k in [core, Int(engine.cores[core].spikes[k]), Int(engine.cores[core].spikeValues[k])] }
        }
    }

    /// Pulled steps read the spikes every worker of the region before exported, however many
    /// workers that region had: the thread count may change from step to step.
    @Test func pulledStepsMayChangeTheirThreadCountEveryStep() {
        let steps = 45
        let network = RandomNetwork(seed: 35, cores: 8, steps: steps, extended: true)
        var stepped = network.makeEngine()
        var pulled = network.makeEngine()
        pulled.minimumParallelWork = 0
        #expect(pulled.pullsPackets)
        var summaries: [StepSummary] = []
        var pulledSummaries: [StepSummary] = []
        for t in 1...steps {
            stepped.step(inputSpikes: network.inputSpikes[t - 1], threads: 1)
            summaries.append(stepped.lastStep)
            pulled.stepPipelined(inputSpikes: network.inputSpikes[t - 1], threads: [1, 3, 2, 2, 1, 4][t % 6])
            if t > 1 { pulledSummaries.append(pulled.lastStep) }
            guard pulled.cores.map(\.v) == stepped.cores.map(\.v), pulled.spikingCores == stepped.spikingCores else {
                Issue.record("pulled step \(t) differs")
                return
            }
        }
        pulled.finishPipeline(threads: 3)
        pulledSummaries.append(pulled.lastStep)
        #expect(pulledSummaries == summaries)
        #expect(pulled.totals == stepped.totals && pulled.coreTotals == stepped.coreTotals)
        #expect(pulled.networkCounters == stepped.networkCounters && pulled.totalDeliveries == stepped.totalDeliveries)
        #expect(stepped.totals[.packet] > 0)
    }

    @Test func chipsWithPlasticSynapsesDoNotPipeline() {
        let network = RandomNetwork(seed: 21, cores: 4, steps: 2, extended: false, plastic: true)
        let engine = network.makeEngine()
        #expect(!engine.pipelinesSteps && !engine.gainsFromPipelinedSteps)
    }
}
