import Testing
@testable import Chip
import Router

@Suite struct CoreTests {
    /// The neuron table's header is prefetched at `Core.arrayHeaderBytes` before its first
    /// element: the start of the array's storage object, whose reference count opening the
    /// table for writing checks.
    @Test func arrayHeaderBytesReachTheStorageObject() {
        let table: [Int32] = [1, 2, 3]
        let storage = unsafeBitCast(table, to: UnsafeRawPointer.self)
        let elements = table.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress!) }
        #expect(elements - Core.arrayHeaderBytes == storage)
    }

    /// A neuron whose `u` shows exactly this step's input (`u = input << 6`) and never spikes.
    static let probe = LoihiNeuron.Parameters(du: 4095, dv: 0, vth: 131_071)

    // MARK: The kernel against the scalar oracle

    /// With parameters per neuron, and shared by all neurons but the bias (the kernel then keeps
    /// them in registers); 77 neurons leave 3 padding lanes, which must never spike. With four
    /// accumulator groups the kernel reads the summed input row; with one it reads the step's
    /// accumulator slot in place (padded to the lanes) and must leave it zero for the ring's
    /// next turn.
    @Test(arguments: [(1, false, 4), (2, false, 4), (3, false, 4), (4, true, 4), (5, true, 4), (6, false, 1), (7, true, 1), (8, false, 1)] as [(UInt64, Bool, Int)])
    func kernelMatchesScalarOracle(seed: UInt64, sharesParameters: Bool, groups: Int) {
        var generator = SeededGenerator(seed: seed, stream: 17)
        let neuronCount = 77
        let axonCount = 40
        let delaySlots = 5
        let groupExponents: [Int32] = Array([0, -1, -3, 2].prefix(groups))
        var neurons = (0..<neuronCount).map { _ in
            LoihiNeuron.Parameters(
                du: Int32.random(in: 0...4095, using: &generator), dv: Int32.random(in: 0...4095, using: &generator),
                vth: Int32.random(in: 0...400, using: &generator), biasMantissa: Int32.random(in: -300...300, using: &generator),
                biasExponent: Int32.random(in: 0...5, using: &generator))
        }
        if sharesParameters {
            for i in neurons.indices { (neurons[i].du, neurons[i].dv, neurons[i].vth) = (neurons[0].du, neurons[0].dv, neurons[0].vth) }
        }
        var u = (0..<neuronCount).map { _ in Int32.random(in: -(1 << 23) + 1...(1 << 23), using: &generator) }
        var v = (0..<neuronCount).map { _ in Int32.random(in: -(1 << 23) + 1...(1 << 23) - 1, using: &generator) }
        let axonSynapses = (0..<axonCount).map { _ in
            (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                Synapse(
                    target: Int32.random(in: 0..<Int32(neuronCount), using: &generator),
                    group: Int32.random(in: 0..<Int32(groupExponents.count), using: &generator),
                    weight: Int32.random(in: -256...255, using: &generator),
                    delay: Int32.random(in: 1..<Int32(delaySlots), using: &generator))
            }
        }
        var core = Core(program: CoreProgram(
            neurons: neurons, initialU: u, initialV: v, groupExponents: groupExponents,
            delaySlots: delaySlots, axonSynapses: axonSynapses))
        #expect(Array(core.u) == u && Array(core.v) == v)
        #expect(core.accumulatorSlotStride == (groups == 1 ? 80 : groups * neuronCount))
        #expect(core.readsInputSlot == (groups == 1))

        let steps = 60
        // pending[t][group][neuron]: the input the oracle expects at step t, each group's sums of
        // one delivery step and delay already shifted by its exponent (Lava's delayed Dense).
        var pending = Array(repeating: Array(repeating: Array(repeating: Int32(0), count: neuronCount), count: groupExponents.count), count: steps + delaySlots + 1)
        var totalSpikes = 0
        for t in 1...steps {
            core.updateNeurons(timestep: t, activeCycles: 3, inactiveCycles: 1)
            var expectedSpikes: [Int32] = []
            for i in 0..<neuronCount {
                let input = pending[t].reduce(0) { $0 &+ $1[i] }
                if LoihiNeuron.step(u: &u[i], v: &v[i], input: input, parameters: neurons[i]) {
                    expectedSpikes.append(Int32(i))
                }
            }
            guard core.u == u, core.v == v, core.spikes == expectedSpikes else {
                Issue.record("kernel and oracle differ at step \(t)")
                return
            }
            totalSpikes += expectedSpikes.count
            var stepSums = Array(repeating: Array(repeating: Array(repeating: Int32(0), count: neuronCount), count: groupExponents.count), count: delaySlots)
            for axon in 0..<axonCount where generator.nextUnitInterval() < 0.3 {
                let payload = Int32.random(in: -3...3, using: &generator)
                #expect(core.receive(axon: axon, payload: payload, timestep: t) == axonSynapses[axon].count)
                for synapse in axonSynapses[axon] {
                    stepSums[Int(synapse.delay)][Int(synapse.group)][Int(synapse.target)] += synapse.weight * payload
                }
            }
            for delay in 1..<delaySlots {
                for group in groupExponents.indices {
                    for i in 0..<neuronCount {
                        pending[t + delay][group][i] += WeightExponent.scale(stepSums[delay][group][i], exponent: groupExponents[group])
                    }
                }
            }
        }
        // The run exercised spiking and silent neurons both.
        #expect(totalSpikes > 0 && totalSpikes < steps * neuronCount)
    }

    /// The neuron phase counts as active every neuron with state, input or bias (the scalar
    /// kernel's rule). A core without spikes takes the count from the kernel's lanes, one with
    /// a spike from its flags: both must agree, and the 3 padding lanes of 77 neurons never count.
    @Test(arguments: [false, true])
    func activeCountsWithAndWithoutSpikes(withSpike: Bool) {
        // Biased neurons never reach threshold, except neuron 76 where asked (bias 5 > vth 0:
        // it spikes at every step).
        var neurons = (0..<77).map { i in
            LoihiNeuron.Parameters(du: 4095, dv: 0, vth: 131_071, biasMantissa: i % 3 == 0 ? 5 : 0)
        }
        if withSpike { neurons[76] = LoihiNeuron.Parameters(du: 4095, dv: 0, vth: 0, biasMantissa: 5) }
        var core = Core(program: CoreProgram(neurons: neurons))
        let active = 26 + (withSpike ? 1 : 0)  // i = 0, 3, …, 75, and 76
        for t in 1...3 {
            core.updateNeurons(timestep: t, activeCycles: 3, inactiveCycles: 1)
            #expect(core.activeUpdates == active && core.inactiveUpdates == 77 - active, "step \(t)")
            #expect(core.neuronPhaseCycles == UInt32(3 * active + (77 - active)), "step \(t)")
            #expect(core.spikes == (withSpike ? [76] : []), "step \(t)")
        }
    }

    /// A core's memory is a property of what was loaded: the per-step spike lists are not part
    /// of it, so steps that spike leave the figure unchanged.
    @Test func memoryBytesDoNotChangeWithARunsSpikes() {
        let neurons = Array(repeating: LoihiNeuron.Parameters(du: 0, dv: 0, vth: 1, biasMantissa: 100, biasExponent: 6), count: 40)
        var core = Core(program: CoreProgram(neurons: neurons))
        let loaded = core.memoryBytes
        var spiked = 0
        for t in 1...5 {
            core.updateNeurons(timestep: t, activeCycles: 3, inactiveCycles: 1)
            spiked += core.spikes.count
        }
        #expect(spiked == 5 * 40)
        #expect(core.memoryBytes == loaded)
    }

    /// Shared parameters keep four rows of the neuron table at one vector each, so the core holds
    /// less than when one neuron differs. A negative threshold is never shared (the padding
    /// lanes, at v = 0, would spike), and such a core still never reports a padding neuron.
    @Test func sharedParametersShrinkTheNeuronTable() {
        let shared = Array(repeating: LoihiNeuron.Parameters(du: 100, dv: 200, vth: 10, biasMantissa: 3), count: 77)
        var varied = shared
        varied[76].vth = 11
        let sharedCore = Core(program: CoreProgram(neurons: shared))
        let variedCore = Core(program: CoreProgram(neurons: varied))
        #expect(sharedCore.sharesParameters && !variedCore.sharesParameters)
        #expect(variedCore.memoryBytes - sharedCore.memoryBytes >= 4 * 72 * 4 - 64)  // 4 rows × 72 lanes × 4 bytes, give or take allocation rounding

        // 13 neurons: 16 lanes, 3 of them padding.
        let negative = Array(repeating: LoihiNeuron.Parameters(vth: -1), count: 13)
        var negativeCore = Core(program: CoreProgram(neurons: negative))
        let positiveCore = Core(program: CoreProgram(neurons: Array(repeating: LoihiNeuron.Parameters(vth: 1), count: 13)))
        #expect(positiveCore.sharesParameters && !negativeCore.sharesParameters)
        negativeCore.updateNeurons(timestep: 1, activeCycles: 1, inactiveCycles: 1)
        #expect(negativeCore.spikes == (0..<13).map(Int32.init))  // v = 0 > −64: every real neuron, no padding lane
    }

    // MARK: Weight exponent per projection sum

    /// One probe neuron; each axon carries one synapse (group, weight) into it, all spiking at step 1.
    @Test(arguments: [
        // Two spikes of weight 1 into one group with exponent −1: (1 + 1) >> 1 = 1.
        ([0, -1], [(1, 1), (1, 1)], Int32(1)),
        // The same spikes into two groups with exponent −1 each: (1 >> 1) + (1 >> 1) = 0.
        ([0, -1, -1], [(1, 1), (2, 1)], 0),
        // Negative sums floor: (−1 − 1) >> 1 = −1, but (−1 >> 1) + (−1 >> 1) = −2.
        ([0, -1], [(1, -1), (1, -1)], -1),
        ([0, -1, -1], [(1, -1), (2, -1)], -2),
        // Group 0 is unscaled; a −2 group adds 3 >> 2 = 0, then 5 >> 2 = 1.
        ([0, -2], [(0, 3), (1, 3)], 3),
        ([0, -2], [(0, 3), (1, 3), (1, 2)], 4),
        // A positive exponent multiplies the sum.
        ([0, 3], [(1, 2), (1, -1)], 8),
    ] as [([Int32], [(Int32, Int32)], Int32)])
    func weightExponentAppliesToTheSum(exponents: [Int32], synapses: [(Int32, Int32)], expectedInput: Int32) {
        var core = Core(program: CoreProgram(
            neurons: [Self.probe], groupExponents: exponents,
            axonSynapses: synapses.map { [Synapse(target: 0, group: $0.0, weight: $0.1)] }))
        core.updateNeurons(timestep: 1, activeCycles: 1, inactiveCycles: 1)
        for axon in synapses.indices { core.receive(axon: axon, payload: 1, timestep: 1) }
        core.updateNeurons(timestep: 2, activeCycles: 1, inactiveCycles: 1)
        #expect(core.u[0] == expectedInput << 6)
    }

    @Test func payloadMultipliesTheWeight() {
        var core = Core(program: CoreProgram(neurons: [Self.probe], axonSynapses: [[Synapse(target: 0, weight: -2)]]))
        core.receive(axon: 0, payload: 3, timestep: 0)
        core.updateNeurons(timestep: 1, activeCycles: 1, inactiveCycles: 1)
        #expect(core.u[0] == -6 << 6)
    }

    // MARK: Delays

    @Test(arguments: 1...7)
    func spikeReachesInputExactlyDelayStepsLater(delay: Int) {
        let delaySlots = 8
        for receiveStep in [1, 5, 8] {  // 5 and 8 make t + d wrap around the ring
            var core = Core(program: CoreProgram(
                neurons: [Self.probe], delaySlots: delaySlots,
                axonSynapses: [[Synapse(target: 0, weight: 5, delay: Int32(delay))]]))
            var arrivals: [Int] = []
            for t in 1...(receiveStep + 3 * delaySlots) {
                core.updateNeurons(timestep: t, activeCycles: 1, inactiveCycles: 1)
                if core.u[0] != 0 {
                    #expect(core.u[0] == 5 << 6)
                    arrivals.append(t)
                }
                if t == receiveStep { core.receive(axon: 0, payload: 1, timestep: t) }
            }
            #expect(arrivals == [receiveStep + delay], "received at step \(receiveStep)")
        }
    }

    @Test func oneAxonWithSeveralDelaysSpreadsOverSteps() {
        var core = Core(program: CoreProgram(
            neurons: [Self.probe, Self.probe], delaySlots: 4,
            axonSynapses: [[
                Synapse(target: 0, weight: 1, delay: 1), Synapse(target: 0, weight: 2, delay: 3),
                Synapse(target: 1, weight: 7, delay: 3), Synapse(target: 1, weight: -4, delay: 3),
            ]]))
        var inputs: [[Int32]] = []
        for t in 1...8 {
            core.updateNeurons(timestep: t, activeCycles: 1, inactiveCycles: 1)
            inputs.append(core.u.map { $0 >> 6 })
            if t == 2 || t == 3 { core.receive(axon: 0, payload: 1, timestep: t) }
        }
        // Spikes at steps 2 and 3: delay 1 lands at 3 and 4, delay 3 at 5 and 6.
        #expect(inputs == [[0, 0], [0, 0], [1, 0], [1, 0], [2, 3], [2, 3], [0, 0], [0, 0]])
    }

    // MARK: Activity and cycles

    @Test func activeAndInactiveUpdatesWithOneBiasedNeuron() {
        var core = Core(program: CoreProgram(neurons: [
            LoihiNeuron.Parameters(vth: 100), LoihiNeuron.Parameters(vth: 100, biasMantissa: 1), LoihiNeuron.Parameters(vth: 100),
        ]))
        core.updateNeurons(timestep: 1, activeCycles: 1, inactiveCycles: 2)
        #expect(core.activeUpdates == 1)
        #expect(core.inactiveUpdates == 2)
        #expect(core.neuronPhaseCycles == 1 + 2 * 2)
        #expect(core.spikes.isEmpty && core.spikeCycles.isEmpty)
    }

    @Test func activityCyclesAndSpikeCompletionCycles() {
        let neurons = [
            LoihiNeuron.Parameters(vth: 0),  // 0: at rest, inactive
            LoihiNeuron.Parameters(vth: 0, biasMantissa: 1),  // 1: bias → active, spikes every step
            LoihiNeuron.Parameters(vth: 0),  // 2: inactive
            LoihiNeuron.Parameters(vth: 0),  // 3: v = 5 → active, spikes once
            LoihiNeuron.Parameters(du: 4095, vth: 0),  // 4: u = 3 → active, no spike (u drops to 0)
            LoihiNeuron.Parameters(du: 4095, vth: 1000),  // 5: input → active
        ]
        var core = Core(program: CoreProgram(
            neurons: neurons, initialU: [0, 0, 0, 0, 3, 0], initialV: [0, 0, 0, 5, 0, 0],
            axonSynapses: [[Synapse(target: 5, weight: 1)]]))
        core.receive(axon: 0, payload: 1, timestep: 0)
        core.updateNeurons(timestep: 1, activeCycles: 7, inactiveCycles: 2)
        // Completion cycles: 2, 9, 11, 18, 25, 32.
        #expect(core.spikes == [1, 3])
        #expect(core.spikeCycles == [9, 18])
        #expect(core.activeUpdates == 4 && core.inactiveUpdates == 2)
        #expect(core.neuronPhaseCycles == 32)
        #expect(Array(core.u) == [0, 0, 0, 0, 0, 64])

        // Step 2: neuron 1 spikes again; neuron 5 still has u = 64 (active); 3 and 4 are at rest.
        core.updateNeurons(timestep: 2, activeCycles: 7, inactiveCycles: 2)
        #expect(core.spikes == [1])
        #expect(core.spikeCycles == [2 + 7])
        #expect(core.activeUpdates == 2 && core.inactiveUpdates == 4)
        #expect(core.neuronPhaseCycles == 2 * 7 + 4 * 2)
    }

    @Test func spikeListIsInIndexOrderAndReplacedEachStep() {
        var core = Core(program: CoreProgram(
            neurons: (0..<10).map { LoihiNeuron.Parameters(vth: 0, biasMantissa: $0 % 3 == 0 ? 1 : 0) }))
        core.updateNeurons(timestep: 1, activeCycles: 1, inactiveCycles: 1)
        #expect(core.spikes == [0, 3, 6, 9])
        #expect(core.spikeCycles == [1, 4, 7, 10])
        core.updateNeurons(timestep: 2, activeCycles: 1, inactiveCycles: 1)
        #expect(core.spikes == [0, 3, 6, 9])
    }

    // MARK: Tables and state

    @Test func synapseAndDestinationTables() {
        let core = Core(program: CoreProgram(
            neurons: [Self.probe, Self.probe, Self.probe],
            axonSynapses: [[Synapse(target: 0, weight: 1), Synapse(target: 2, weight: 1)], [], [Synapse(target: 1, weight: 4)]],
            destinations: [[OutputAxon(core: 1, axon: 4), OutputAxon(core: 2, axon: 0)], [], [OutputAxon(core: 0, axon: 9)]]))
        #expect(core.neuronCount == 3)
        #expect(core.inputAxonCount == 3)
        #expect(core.synapseCount == 3)
        #expect((0..<3).map { core.synapseCount(axon: $0) } == [2, 0, 1])
        #expect(core.outputAxonCount == 3)
        #expect(core.destinations(of: 0) == 0..<2)
        #expect(core.destinations(of: 1) == 2..<2)
        #expect(core.destinations(of: 2) == 2..<3)
        #expect((0..<3).map { core.outputAxons[$0] } == [OutputAxon(core: 1, axon: 4), OutputAxon(core: 2, axon: 0), OutputAxon(core: 0, axon: 9)])
        #expect(core.groupCount == 1 && core.delaySlots == 2)
    }

    @Test func receiveReturnsSynapsesProcessed() {
        var core = Core(program: CoreProgram(
            neurons: [Self.probe], axonSynapses: [[], [Synapse(target: 0, weight: 1), Synapse(target: 0, weight: 1)]]))
        #expect(core.receive(axon: 0, payload: 1, timestep: 1) == 0)
        #expect(core.receive(axon: 1, payload: 1, timestep: 1) == 2)
    }

    @Test func setStateOverwritesOneNeuron() {
        var core = Core(program: CoreProgram(neurons: [Self.probe, Self.probe], initialU: [1, 2], initialV: [3, 4]))
        core.setState(neuron: 1, u: -7, v: 99)
        #expect(Array(core.u) == [1, -7])
        #expect(Array(core.v) == [3, 99])
        core.updateNeurons(timestep: 1, activeCycles: 1, inactiveCycles: 1)
        #expect(Array(core.v) == [3, 99])  // dv = 0 holds v; du = 4095 clears u
        #expect(Array(core.u) == [0, 0])
    }

    @Test func delayOutsideTheRingBufferTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Core(program: CoreProgram(
                neurons: [LoihiNeuron.Parameters(vth: 1)], delaySlots: 4, axonSynapses: [[Synapse(target: 0, weight: 1, delay: 4)]]))
        }
    }

    /// A synapse naming an accumulator group the core does not have would land, masked, on
    /// another neuron's accumulator: loading it traps instead.
    @Test func synapseOfAMissingGroupTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Core(program: CoreProgram(
                neurons: [LoihiNeuron.Parameters(vth: 1), LoihiNeuron.Parameters(vth: 1)], axonSynapses: [[Synapse(target: 1, group: 1, weight: 1)]]))
        }
    }

    /// A core without neurons (a mapping may leave one empty) loads and steps.
    @Test func emptyCoreLoadsAndSteps() {
        var core = Core(program: CoreProgram(neurons: []))
        core.updateNeurons(timestep: 1, activeCycles: 5, inactiveCycles: 2)
        #expect(core.neuronCount == 0 && core.synapseCount == 0 && core.spikes.isEmpty)
        #expect(core.neuronPhaseCycles == 0)
    }

    // MARK: The general kernel (neuroemu_lif mechanisms)

    /// Floor of the mean v over the neurons whose mean-voltage gain is non-zero (0 if none).
    static func meanVoltage(_ states: [LoihiNeuron.State], _ neurons: [LoihiNeuron.Parameters]) -> Int32 {
        var sum: Int64 = 0
        var count: Int64 = 0
        for (state, p) in zip(states, neurons) where p.meanVoltageGain != 0 {
            sum += Int64(state.v)
            count += 1
        }
        guard count > 0 else { return 0 }
        return Int32(sum / count - (sum % count < 0 ? 1 : 0))
    }

    /// 0–6 synapses per axon into random neurons of group 0, weights −256…255, random delays.
    static func randomSynapseRows(axons: Int, neurons: Int, delaySlots: Int, using generator: inout SeededGenerator) -> [[Synapse]] {
        (0..<axons).map { _ in
            (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                Synapse(
                    target: Int32.random(in: 0..<Int32(neurons), using: &generator), group: 0,
                    weight: Int32.random(in: -256...255, using: &generator), delay: Int32.random(in: 1..<Int32(delaySlots), using: &generator))
            }
        }
    }

    @Test(arguments: [4, 5, 6] as [UInt64])
    func generalKernelMatchesScalarOracle(seed: UInt64) {
        var generator = SeededGenerator(seed: seed, stream: 23)
        let neuronCount = 72
        let axonCount = 30
        let delaySlots = 4
        func maybe(_ range: ClosedRange<Int32>) -> Int32 { generator.nextUnitInterval() < 0.5 ? 0 : Int32.random(in: range, using: &generator) }
        var neurons = (0..<neuronCount).map { _ in
            LoihiNeuron.Parameters(
                du: Int32.random(in: 0...4095, using: &generator), dv: Int32.random(in: 0...4095, using: &generator),
                vth: Int32.random(in: 0...300, using: &generator), biasMantissa: Int32.random(in: -300...300, using: &generator),
                biasExponent: Int32.random(in: 0...5, using: &generator),
                refractoryPeriod: maybe(1...5), resetMode: Bool.random(using: &generator) ? .zero : .subtract,
                thresholdStep: maybe(1...5000), thresholdDecay: Int32.random(in: 0...4095, using: &generator),
                meanVoltageGain: maybe(1...4096), depolarizationGain: maybe(1...4096),
                spikeMode: SpikeMode.allCases.randomElement(using: &generator)!, gradedShift: Int32.random(in: 0...12, using: &generator))
        }
        neurons[0].refractoryPeriod = 1  // at least one extended neuron
        neurons[1] = LoihiNeuron.Parameters(du: 100, dv: 200, vth: 50, biasMantissa: 30)  // and one plain one
        let initialU = (0..<neuronCount).map { _ in Int32.random(in: -100_000...100_000, using: &generator) }
        let initialV = (0..<neuronCount).map { _ in Int32.random(in: -100_000...100_000, using: &generator) }
        let axonSynapses = Self.randomSynapseRows(axons: axonCount, neurons: neuronCount, delaySlots: delaySlots, using: &generator)
        var core = Core(program: CoreProgram(
            neurons: neurons, initialU: initialU, initialV: initialV, delaySlots: delaySlots, axonSynapses: axonSynapses))
        var states = (0..<neuronCount).map { LoihiNeuron.State(u: initialU[$0], v: initialV[$0], previousV: initialV[$0]) }
        let steps = 60
        var pending = Array(repeating: Array(repeating: Int32(0), count: neuronCount), count: steps + delaySlots + 1)
        var valuesSeen = Set<Int32>()
        for t in 1...steps {
            core.updateNeurons(timestep: t, activeCycles: 5, inactiveCycles: 2)
            let mean = Self.meanVoltage(states, neurons)
            var spikes: [Int32] = []
            var values: [Int32] = []
            var active = 0
            for i in 0..<neuronCount {
                let s = states[i]
                let bias = LoihiNeuron.bias(mantissa: neurons[i].biasMantissa, exponent: neurons[i].biasExponent)
                if (s.u | s.v | pending[t][i] | bias | s.refractory | s.adaptation) != 0 { active += 1 }
                let value = LoihiNeuron.step(state: &states[i], input: pending[t][i], parameters: neurons[i], meanVoltage: mean)
                if value != 0 {
                    spikes.append(Int32(i))
                    values.append(value)
                }
            }
            guard core.u == states.map(\.u), core.v == states.map(\.v), core.refractory == states.map(\.refractory),
                core.adaptation == states.map(\.adaptation), core.spikes == spikes, core.spikeValues == values
            else {
                Issue.record("general kernel and oracle differ at step \(t)")
                return
            }
            #expect(core.activeUpdates == active)
            #expect(core.neuronPhaseCycles == UInt32(5 * active + 2 * (neuronCount - active)))
            valuesSeen.formUnion(values)
            for axon in 0..<axonCount where generator.nextUnitInterval() < 0.3 {
                let payload = Int32.random(in: -2...20, using: &generator)
                core.receive(axon: axon, payload: payload, timestep: t)
                for synapse in axonSynapses[axon] { pending[t + Int(synapse.delay)][Int(synapse.target)] += synapse.weight * payload }
            }
        }
        // Ternary −1, binary 1 and graded values above 1 all occurred.
        #expect(valuesSeen.contains(-1) && valuesSeen.contains(1) && valuesSeen.contains { $0 > 1 })
    }

    /// A summing core adds each neuron's v after every neuron phase — plain kernel, extended
    /// neurons, a phase skipped at rest — and restarts from zero; a core that stops keeps none.
    @Test func voltageSumsAddEveryNeuronPhasesV() {
        let neurons = [
            LoihiNeuron.Parameters(du: 100, dv: 200, vth: 500, biasMantissa: 30),
            LoihiNeuron.Parameters(du: 0, dv: 4095, vth: 50),  // at rest without input
            LoihiNeuron.Parameters(du: 10, dv: 20, vth: 300, refractoryPeriod: 2),  // extended
        ]
        for kernels in [[neurons[0], neurons[1]], neurons, [neurons[1]]] {
            var core = Core(program: CoreProgram(
                neurons: kernels, initialU: kernels.map { _ in 0 }, initialV: kernels.map { _ in 0 }, delaySlots: 2,
                axonSynapses: [[Synapse(target: 0, weight: 40)], [Synapse(target: Int32(kernels.count - 1), weight: -90)]]))
            #expect(core.voltageSums.isEmpty)
            core.updateNeurons(timestep: 1, activeCycles: 1, inactiveCycles: 1)  // not summed
            core.sumVoltages(true)
            var expected = Array(repeating: Int64(0), count: kernels.count)
            for t in 2...30 {
                if t % 3 == 0 { core.receive(axon: t % 2, payload: 5, timestep: t - 1) }
                core.updateNeurons(timestep: t, activeCycles: 1, inactiveCycles: 1)
                for (i, v) in core.v.enumerated() { expected[i] += Int64(v) }
                #expect(core.voltageSums == expected, "step \(t)")
            }
            #expect(expected.contains { $0 != 0 })
            core.sumVoltages(true)
            #expect(core.voltageSums == Array(repeating: 0, count: kernels.count))
            core.sumVoltages(false)
            core.updateNeurons(timestep: 31, activeCycles: 1, inactiveCycles: 1)
            #expect(core.voltageSums.isEmpty)
        }
    }

    /// A neuron table moved into new storage (`reallocateNeuronTable`, what large networks'
    /// engines do for every core) holds the same state and goes on exactly as before, with its
    /// accumulators' pending input.
    @Test func aReallocatedNeuronTableGoesOnTheSame() {
        var generator = SeededGenerator(seed: 6, stream: 31)
        let neuronCount = 20
        let axonSynapses = Self.randomSynapseRows(axons: 30, neurons: neuronCount, delaySlots: 3, using: &generator)
        let neuron = LoihiNeuron.Parameters(du: 400, dv: 300, vth: 40, biasMantissa: 3)
        var kept = Core(program: CoreProgram(
            neurons: Array(repeating: neuron, count: neuronCount), initialU: Array(repeating: 0, count: neuronCount),
            initialV: (0..<neuronCount).map { Int32($0 * 7) }, delaySlots: 3, axonSynapses: axonSynapses))
        let packets = (0..<30).map { AERPacket(source: 0, destination: 0, axon: Int32($0), payload: 1, injectCycle: 0) }
        let clock = packets.indices.map { EventKey(cycle: 0, kind: .delivery, rank: $0).rawValue }
        packets.withUnsafeBufferPointer { packets in
            clock.withUnsafeBufferPointer { kept.runSynapseUnit(clock: $0, packets: packets, synapticOpCycles: 1, timestep: 1) }
        }
        var moved = kept
        let address = moved.neuronTableAddress
        moved.reallocateNeuronTable()
        #expect(moved.neuronTableAddress != address)
        var spikes = 0
        for t in 2...30 {
            kept.updateNeurons(timestep: t, activeCycles: 5, inactiveCycles: 2)
            moved.updateNeurons(timestep: t, activeCycles: 5, inactiveCycles: 2)
            #expect(kept.u == moved.u && kept.v == moved.v && kept.spikes == moved.spikes, "step \(t)")
            spikes += kept.spikeCount
        }
        #expect(spikes > 0)
    }

    /// Synapse rows found in a sweep of their own (`lookUpSynapseRows`, what large networks do)
    /// deliver what the synapse unit delivers finding them itself: the same rows, sums, synapse
    /// counts and busy cycle, step after step.
    @Test(arguments: [3, 4] as [UInt64])
    func rowsFoundFirstDeliverTheSame(seed: UInt64) {
        var generator = SeededGenerator(seed: seed, stream: 31)
        let neuronCount = 20
        let axonCount = 40
        let delaySlots = 4
        let axonSynapses = Self.randomSynapseRows(axons: axonCount, neurons: neuronCount, delaySlots: delaySlots, using: &generator)
        let neuron = LoihiNeuron.Parameters(du: 400, dv: 300, vth: 40)
        var alone = Core(program: CoreProgram(
            neurons: Array(repeating: neuron, count: neuronCount), initialU: Array(repeating: 0, count: neuronCount),
            initialV: Array(repeating: 0, count: neuronCount), delaySlots: delaySlots, axonSynapses: axonSynapses))
        var sweeping = alone
        var spikes = 0
        for t in 1...40 {
            alone.updateNeurons(timestep: t, activeCycles: 5, inactiveCycles: 2)
            sweeping.updateNeurons(timestep: t, activeCycles: 5, inactiveCycles: 2)
            guard alone.u == sweeping.u, alone.v == sweeping.v, alone.spikes == sweeping.spikes else {
                Issue.record("rows found first changed the neurons at step \(t)")
                return
            }
            spikes += alone.spikeCount
            let packets = (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                AERPacket(
                    source: 0, destination: 0, axon: Int32.random(in: 0..<Int32(axonCount), using: &generator),
                    payload: Int32.random(in: -2...6, using: &generator), injectCycle: 0)
            }
            let clock = packets.indices.map { EventKey(cycle: UInt32.random(in: 0...40, using: &generator), kind: .delivery, rank: $0).rawValue }.sorted()
            let ranks = packets.indices.map { Int32($0) }
            var rows = [UInt64](repeating: .max, count: packets.count)
            packets.withUnsafeBufferPointer { packets in
            clock.withUnsafeBufferPointer { clock in
            ranks.withUnsafeBufferPointer { ranks in
            rows.withUnsafeMutableBufferPointer { rows in
                alone.runSynapseUnit(clock: clock, packets: packets, synapticOpCycles: 3, timestep: t)
                sweeping.lookUpSynapseRows(of: ranks, packets: packets, into: rows.baseAddress!)
                sweeping.runSynapseUnit(clock: clock, packets: packets, synapticOpCycles: 3, timestep: t, rows: UnsafePointer(rows.baseAddress))
            }}}}
            // Each packet's row: its axon's synapses (start in the high half, end in the low).
            for (rank, packed) in rows.enumerated() {
                #expect(Int(packed & 0xFFFF_FFFF) - Int(packed >> 32) == axonSynapses[Int(packets[rank].axon)].count)
            }
            #expect(sweeping.synapticOps == alone.synapticOps && sweeping.synapseUnitIdleCycle == alone.synapseUnitIdleCycle)
        }
        #expect(spikes > 0)
    }

    /// The plain kernel's SIMD lanes, its scalar remainder (77 = 9 · 8 + 5 neurons) and its scalar
    /// fallback for inputs beyond 2^24 against the scalar oracle, with refractory periods.
    @Test(arguments: [7, 8, 9] as [UInt64])
    func plainKernelWithRefractoryMatchesScalarOracle(seed: UInt64) {
        var generator = SeededGenerator(seed: seed, stream: 29)
        let neuronCount = 77
        let axonCount = 30
        let delaySlots = 3
        let neurons = (0..<neuronCount).map { _ in
            LoihiNeuron.Parameters(
                du: Int32.random(in: 0...4095, using: &generator), dv: Int32.random(in: 0...4095, using: &generator),
                vth: Int32.random(in: 0...300, using: &generator), biasMantissa: Int32.random(in: -300...300, using: &generator),
                biasExponent: Int32.random(in: 0...5, using: &generator),
                refractoryPeriod: generator.nextUnitInterval() < 0.5 ? 0 : Int32.random(in: 1...6, using: &generator))
        }
        let initialU = (0..<neuronCount).map { _ in Int32.random(in: -(1 << 23) + 1...(1 << 23), using: &generator) }
        let initialV = (0..<neuronCount).map { _ in Int32.random(in: -(1 << 23) + 1...(1 << 23) - 1, using: &generator) }
        let axonSynapses = Self.randomSynapseRows(axons: axonCount, neurons: neuronCount, delaySlots: delaySlots, using: &generator)
        var core = Core(program: CoreProgram(
            neurons: neurons, initialU: initialU, initialV: initialV, delaySlots: delaySlots, axonSynapses: axonSynapses))
        #expect(core.adaptation.isEmpty)  // the plain kernel runs this core
        var states = (0..<neuronCount).map { LoihiNeuron.State(u: initialU[$0], v: initialV[$0], previousV: initialV[$0]) }
        let steps = 80
        var pending = Array(repeating: Array(repeating: Int32(0), count: neuronCount), count: steps + delaySlots + 1)
        var hugeInputs = 0
        var refractorySteps = 0
        for t in 1...steps {
            core.updateNeurons(timestep: t, activeCycles: 5, inactiveCycles: 2)
            var spikes: [Int32] = []
            var cycles: [UInt32] = []
            var elapsed: UInt32 = 0
            var active = 0
            for i in 0..<neuronCount {
                let s = states[i]
                let bias = LoihiNeuron.bias(mantissa: neurons[i].biasMantissa, exponent: neurons[i].biasExponent)
                let isActive = (s.u | s.v | pending[t][i] | bias | s.refractory) != 0
                active += isActive ? 1 : 0
                elapsed += isActive ? 5 : 2
                if abs(Int64(pending[t][i])) >= 1 << 24 { hugeInputs += 1 }
                if s.refractory > 0 { refractorySteps += 1 }
                if LoihiNeuron.step(state: &states[i], input: pending[t][i], parameters: neurons[i], meanVoltage: 0) != 0 {
                    spikes.append(Int32(i))
                    cycles.append(elapsed)
                }
            }
            guard core.u == states.map(\.u), core.v == states.map(\.v), core.refractory == states.map(\.refractory),
                core.spikes == spikes, core.spikeCycles == cycles
            else {
                let i = (0..<neuronCount).first { core.u[$0] != states[$0].u || core.v[$0] != states[$0].v || core.refractory[$0] != states[$0].refractory } ?? -1
                Issue.record("plain kernel and oracle differ at step \(t), neuron \(i): \(i >= 0 ? "\(core.u[i]) \(core.v[i]) \(core.refractory[i]) vs \(states[i]) input \(pending[t][i]) \(neurons[i])" : "\(core.spikes) \(spikes) \(core.spikeCycles) \(cycles)")")
                return
            }
            #expect(core.activeUpdates == active)
            #expect(core.neuronPhaseCycles == UInt32(5 * active + 2 * (neuronCount - active)))
            for axon in 0..<axonCount where generator.nextUnitInterval() < 0.3 {
                // Now and then a payload large enough to push inputs past 2^24 (the scalar fallback).
                let payload = generator.nextUnitInterval() < 0.1 ? Int32.random(in: 70_000...140_000, using: &generator) : Int32.random(in: -2...3, using: &generator)
                core.receive(axon: axon, payload: payload, timestep: t)
                for synapse in axonSynapses[axon] { pending[t + Int(synapse.delay)][Int(synapse.target)] &+= synapse.weight &* payload }
            }
        }
        #expect(hugeInputs > 0 && refractorySteps > 0)
    }

    /// Inputs that put the unwrapped current on and just past ±2^23 (du = 4095: u = 64 · input),
    /// all below 2^18 so that the SIMD lanes take them: u wraps exactly as the scalar oracle does.
    @Test func currentWrapsAtTheBoundariesLikeTheOracle() {
        let inputs: [Int32] = [1 << 17, (1 << 17) + 1, -(1 << 17), -(1 << 17) - 1, (1 << 18) - 1, -(1 << 18) + 1, 3, 0]
        let neuron = LoihiNeuron.Parameters(du: 4095, dv: 4096, vth: 1 << 17)
        var core = Core(program: CoreProgram(
            neurons: Array(repeating: neuron, count: 8), axonSynapses: (0..<8).map { [Synapse(target: Int32($0), weight: 1)] }))
        for (axon, input) in inputs.enumerated() { core.receive(axon: axon, payload: input, timestep: 0) }
        core.updateNeurons(timestep: 1, activeCycles: 1, inactiveCycles: 1)
        let expected = inputs.map { input in
            var state = LoihiNeuron.State()
            _ = LoihiNeuron.step(state: &state, input: input, parameters: neuron, meanVoltage: 0)
            return state.u
        }
        #expect(Array(core.u) == expected)
        #expect(expected[0] == 1 << 23 && expected[1] == -(1 << 23) + 64 && expected[2] == 1 << 23 && expected[3] == (1 << 23) - 64)
    }

    /// The core's kernels follow Lava's traces: each fixture case's neurons on one core (SIMD
    /// lanes, the scalar path for inputs beyond ±2^18 and wide states), each neuron fed its
    /// step's exact input through one synapse of weight 1.
    @Test func kernelFollowsLavasTraces() throws {
        let fixture = try LavaFixture.load()
        var checked = 0
        for fixtureCase in fixture.cases {
            let neurons = fixtureCase.neurons
            var core = Core(program: CoreProgram(
                neurons: neurons.map(\.parameters), initialU: neurons.map(\.uInit), initialV: neurons.map(\.vInit),
                axonSynapses: neurons.indices.map { [Synapse(target: Int32($0), weight: 1)] }))
            for k in 0..<fixtureCase.steps {
                for (axon, neuron) in neurons.enumerated() where neuron.a[k] != 0 {
                    core.receive(axon: axon, payload: neuron.a[k], timestep: k)
                }
                core.updateNeurons(timestep: k + 1, activeCycles: 1, inactiveCycles: 1)
                let spikes = neurons.indices.filter { neurons[$0].spiked[k] == 1 }.map(Int32.init)
                guard Array(core.u) == neurons.map({ $0.u[k] }), Array(core.v) == neurons.map({ $0.v[k] }), core.spikes == spikes else {
                    Issue.record("\(fixtureCase.name) step \(k + 1): the core differs from Lava")
                    return
                }
                checked += 1
            }
        }
        #expect(checked == fixture.cases.reduce(0) { $0 + $1.steps })
    }

    /// u and v beyond the kernel's 32-bit lanes can only come from outside — an initial state or
    /// `setState` — and the kernel checks them only then: both ways the core follows the scalar
    /// oracle, and a wide state set in the middle of a run is caught too.
    @Test func wideStateFromOutsideMatchesScalarOracle() {
        let neurons = (0..<12).map { LoihiNeuron.Parameters(du: 100 * Int32($0), dv: 300, vth: 200, refractoryPeriod: $0 % 3 == 0 ? 2 : 0) }
        let wide: Int32 = 30_000_000  // beyond 2^24
        let initialU = (0..<12).map { $0 == 3 ? -wide : Int32($0) }
        let initialV = (0..<12).map { $0 == 9 ? wide : -Int32($0) }
        var core = Core(program: CoreProgram(neurons: neurons, initialU: initialU, initialV: initialV))
        var states = (0..<12).map { LoihiNeuron.State(u: initialU[$0], v: initialV[$0], previousV: initialV[$0]) }
        for t in 1...6 {
            if t == 4 {
                core.setState(neuron: 5, u: wide, v: -wide)
                states[5] = LoihiNeuron.State(u: wide, v: -wide, previousV: -wide)
            }
            core.updateNeurons(timestep: t, activeCycles: 1, inactiveCycles: 1)
            var spikes: [Int32] = []
            for i in 0..<12 where LoihiNeuron.step(state: &states[i], input: 0, parameters: neurons[i], meanVoltage: 0) != 0 { spikes.append(Int32(i)) }
            #expect(Array(core.u) == states.map(\.u), "u at step \(t)")
            #expect(Array(core.v) == states.map(\.v), "v at step \(t)")
            #expect(core.spikes == spikes, "spikes at step \(t)")
        }
    }

    /// A core without bias that gets input now and then: with skipping on, the steps at rest
    /// skip the kernel, and state, spikes and cycles equal a core that never skips.
    @Test func quietCoreSkipsItsKernelBitExactly() {
        let neurons = (0..<20).map { _ in LoihiNeuron.Parameters(du: 1000, dv: 2000, vth: 2, refractoryPeriod: 2) }
        let synapses = (0..<20).map { [Synapse(target: Int32($0), weight: 200)] }
        var skipping = Core(program: CoreProgram(neurons: neurons, axonSynapses: synapses))
        var reference = skipping
        reference.skipsQuietNeurons = false
        for t in 1...300 {
            if t % 50 == 1 {
                for axon in 0..<20 where axon % 3 == t % 3 {
                    skipping.receive(axon: axon, payload: 1, timestep: t)
                    reference.receive(axon: axon, payload: 1, timestep: t)
                }
            }
            skipping.updateNeurons(timestep: t, activeCycles: 7, inactiveCycles: 3)
            reference.updateNeurons(timestep: t, activeCycles: 7, inactiveCycles: 3)
            #expect(skipping.u == reference.u && skipping.v == reference.v && skipping.refractory == reference.refractory)
            #expect(skipping.spikes == reference.spikes && skipping.spikeCycles == reference.spikeCycles)
            #expect(skipping.neuronPhaseCycles == reference.neuronPhaseCycles && skipping.activeUpdates == reference.activeUpdates)
        }
        #expect(reference.skippedNeuronPhases == 0)
        // u and v decay to 0 within a few dozen steps after each input; the rest of each gap is at rest.
        #expect(skipping.skippedNeuronPhases > 80)  // 95 of 300 with these decays
    }

    @Test func refractoryAndAdaptationKeepANeuronActive() {
        // Both spike at step 1 from v = 100 and are then at rest (u = v = 0, no input, no bias).
        // Neuron 0 stays active while refractory (steps 2, 3); neuron 1 while its adaptive
        // threshold decays 100 → 50 → 25 → 12 → 6 → 3 → 1 → 0 (active up to step 8).
        var core = Core(program: CoreProgram(
            neurons: [
                LoihiNeuron.Parameters(du: 4095, dv: 0, vth: 0, refractoryPeriod: 2),
                LoihiNeuron.Parameters(du: 4095, dv: 0, vth: 0, thresholdStep: 100, thresholdDecay: 2048),
            ],
            initialV: [100, 100]))
        var active: [Int] = []
        var adaptation: [Int32] = []
        for t in 1...10 {
            core.updateNeurons(timestep: t, activeCycles: 3, inactiveCycles: 1)
            active.append(core.activeUpdates)
            adaptation.append(core.adaptation[1])
        }
        #expect(active == [2, 2, 2, 1, 1, 1, 1, 1, 0, 0])
        #expect(adaptation == [100, 50, 25, 12, 6, 3, 1, 0, 0, 0])
    }

    @Test func heldThresholdsNeitherStepNorDecayAndOffClearsThem() {
        // v is set far above threshold before every step, so the neuron spikes at each one.
        // Adapting: 0 → 100 (step). Held for three steps: 100 throughout. Adapting again: 100
        // decays to 50, the spike adds 100 → 150. Off: cleared, and 0 although it spikes.
        var core = Core(program: CoreProgram(
            neurons: [LoihiNeuron.Parameters(du: 4095, dv: 0, vth: 0, thresholdStep: 100, thresholdDecay: 2048)],
            initialV: [0]))
        var adaptation: [Int32] = []
        var spikes = 0
        for t in 1...7 {
            if t == 2 { core.setThresholdAdaptation(.hold) }
            if t == 5 { core.setThresholdAdaptation(.adapt) }
            if t == 6 { core.setThresholdAdaptation(.off) }
            core.setState(neuron: 0, u: 0, v: 1 << 20)
            core.updateNeurons(timestep: t, activeCycles: 3, inactiveCycles: 1)
            adaptation.append(core.adaptation[0])
            spikes += core.spikes.count
        }
        #expect(spikes == 7)
        #expect(adaptation == [100, 100, 100, 100, 150, 0, 0])
    }

    @Test func meanVoltageCountsOnlyNeuronsWithTheGain() {
        // Neurons 0 and 1 use the mean (2000); neuron 2's large v must not enter it.
        let dynamic = LoihiNeuron.Parameters(vth: 0, meanVoltageGain: 4096)
        var core = Core(program: CoreProgram(neurons: [dynamic, dynamic, LoihiNeuron.Parameters(vth: 0)], initialV: [1000, 3000, 50_000]))
        core.updateNeurons(timestep: 1, activeCycles: 1, inactiveCycles: 1)
        // θ = 2000 for neurons 0 and 1: 1000 stays, 3000 spikes; neuron 2 (θ = 0) spikes.
        #expect(core.spikes == [1, 2])
        #expect(Array(core.v) == [1000, 0, 0])
    }

    @Test func plainCoreSpikeValuesAreOne() {
        var core = Core(program: CoreProgram(neurons: (0..<4).map { _ in LoihiNeuron.Parameters(vth: 0, biasMantissa: 1) }))
        core.updateNeurons(timestep: 1, activeCycles: 1, inactiveCycles: 1)
        #expect(core.spikeValues == [1, 1, 1, 1])
        #expect(core.adaptation.isEmpty)  // plain cores keep no general-kernel state
        #expect(Array(core.refractory) == [0, 0, 0, 0])  // the plain kernel counts refractory steps (none here)
    }

    // MARK: Learning

    @Test func plasticSynapseLearnsFromReceivedAndEmittedSpikes() {
        // Axon 0: plastic (the worked example's rule), weight 60. Axon 1: static, weight 200, which
        // makes the neuron (θ = 6400) spike at step 12; the pre spike arrives at step 10.
        var program = CoreProgram(
            neurons: [LoihiNeuron.Parameters(du: 4095, dv: 4095, vth: 100)],
            axonSynapses: [[Synapse(target: 0, weight: 60, learningRule: 0, fileWeight: 60)], [Synapse(target: 0, weight: 200)]])
        program.learningRules = [PlasticityUnitTests.rule()]
        program.learningSeed = 1
        var core = Core(program: program)
        #expect(core.hasPlasticity)
        var updates: [Int] = []
        var spikeSteps: [Int] = []
        for t in 1...14 {
            core.updateNeurons(timestep: t, activeCycles: 1, inactiveCycles: 1)
            if !core.spikes.isEmpty { spikeSteps.append(t) }
            if t == 10 || t == 13 { core.receive(axon: 0, payload: 1, timestep: t) }
            if t == 11 { core.receive(axon: 1, payload: 1, timestep: t) }
            core.learn(timestep: t)
            updates.append(core.learningUpdates)
            if t == 12 { #expect(core.plasticWeights == [65]) }
            if t == 14 { #expect(Array(core.u) == [65 << 6]) }  // the spike of step 13 used the learned weight
        }
        #expect(spikeSteps == [12])
        #expect(updates == [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0])
        // Step 13's pre spike depresses by 24 · dec(64) = 24 · 51 = 1224 / 128 = 9.56.
        #expect(core.plasticWeights == [55])
    }

    @Test func staticCoreHasNoLearning() {
        var core = Core(program: CoreProgram(neurons: [Self.probe], axonSynapses: [[Synapse(target: 0, weight: 1)]]))
        #expect(!core.hasPlasticity)
        core.receive(axon: 0, payload: 1, timestep: 1)
        core.learn(timestep: 1)
        #expect(core.learningUpdates == 0)
        #expect(core.plasticWeights.isEmpty)
    }
}

