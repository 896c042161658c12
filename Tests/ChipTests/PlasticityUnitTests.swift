import Testing
@testable import Chip

@Suite struct PlasticityUnitTests {
    /// The rule of the worked example in docs/learning.md.
    static func rule(
        preImpulse: Int32 = 64, postImpulse: Int32 = 64, preDecay: Int32 = 820, postDecay: Int32 = 820,
        potentiation: Int32 = 16, depression: Int32 = 24, minimumWeight: Int32 = 0, maximumWeight: Int32 = 255, epoch: Int32 = 1,
        signMode: SignMode = .excitatory, numWeightBits: Int = 8, storedShift: Int = 0
    ) -> LearningRule {
        LearningRule(
            stdp: STDPRule(
                preImpulse: preImpulse, postImpulse: postImpulse, preDecay: preDecay, postDecay: postDecay,
                potentiation: potentiation, depression: depression, minimumWeight: minimumWeight, maximumWeight: maximumWeight, epoch: epoch),
            signMode: signMode, numWeightBits: numWeightBits, storedShift: storedShift)
    }

    /// One plastic synapse (axon 0 → neuron 0, weight 60) driven by scripted pre and post spikes.
    /// Returns the final weight and the updates per step.
    static func pair(pre: Set<Int>, post: Set<Int>, rule: LearningRule = rule(), seed: UInt64 = 1, steps: Int = 15) -> (weight: Int32, stored: Int32, updates: [Int]) {
        var unit = PlasticityUnit(
            rules: [rule], synapse: [0], rule: [0], axon: [0], target: [0], weight: [60], axonCount: 1, neuronCount: 1, seed: seed)
        var weights: [Int16] = [Int16(rule.storedWeight(60))]
        var updates: [Int] = []
        for t in 1...steps {
            if pre.contains(t) { unit.notePreSpike(axon: 0) }
            updates.append(unit.learn(timestep: t, postSpikes: post.contains(t) ? [0] : [], weights: &weights))
        }
        return (unit.weight[0], Int32(weights[0]), updates)
    }

    /// The unit's memory is its state: the working lists of touched synapses and spiked axons,
    /// filled and emptied by a run (with epoch 4, touched changes wait three steps), are not
    /// part of it, so it reads the same before, during and after.
    @Test func memoryBytesAreTheSameThroughARun() {
        var unit = PlasticityUnit(
            rules: [Self.rule(epoch: 4)], synapse: [0, 1], rule: [0, 0], axon: [0, 1], target: [0, 0], weight: [60, 60], axonCount: 2, neuronCount: 1, seed: 1)
        var weights: [Int16] = [60, 60]
        let loaded = unit.memoryBytes
        for t in 1...9 {
            unit.notePreSpike(axon: t % 2)
            _ = unit.learn(timestep: t, postSpikes: t % 3 == 0 ? [0] : [], weights: &weights)
            #expect(unit.memoryBytes == loaded, "step \(t)")
        }
        #expect(unit.weight != [60, 60])  // it learned: the lists were used
    }

    @Test func preBeforePostPotentiatesExactly() {
        // At step 12 the pre trace is dec(dec(64)) = 40: pending = 16 · 40 = 640, Δw = +5 exactly.
        for seed: UInt64 in 1...8 {
            let result = Self.pair(pre: [10], post: [12], seed: seed)
            #expect(result.weight == 65)
            #expect(result.stored == 65)
            #expect(result.updates == [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0])
        }
    }

    @Test func postBeforePreDepressesWithStochasticRounding() {
        // pending = −24 · 40 = −960: Δw = −7.5 → −8 or −7, each with probability ½.
        var outcomes: [Int32: Int] = [:]
        for seed: UInt64 in 1...200 {
            outcomes[Self.pair(pre: [12], post: [10], seed: seed).weight, default: 0] += 1
        }
        #expect(Set(outcomes.keys) == [52, 53])
        #expect((70...130).contains(outcomes[52] ?? 0))
        // The same seed gives the same weight.
        #expect(Self.pair(pre: [12], post: [10], seed: 99).weight == Self.pair(pre: [12], post: [10], seed: 99).weight)
    }

    /// The whole STDP window: with A = 128 a pair k steps apart changes the weight by exactly
    /// dec^k(64) — potentiation for pre before post, depression for post before pre — so the
    /// window is the trace's decay sampled at whole steps, and it vanishes once the trace does.
    @Test(arguments: Array(1...24))
    func windowFollowsTheTraceDecay(k: Int) {
        let exact = Self.rule(potentiation: 128, depression: 128)
        var trace: Int32 = 64
        for _ in 0..<k { trace = LoihiNeuron.decay(trace, factor: 4096 - 820) }
        #expect(Self.pair(pre: [5], post: [5 + k], rule: exact, steps: 35).weight == 60 + trace)
        #expect(Self.pair(pre: [5 + k], post: [5], rule: exact, steps: 35).weight == 60 - trace)
    }

    @Test func spikesOfTheSameStepChangeNothing() {
        let result = Self.pair(pre: [10], post: [10])
        #expect(result.weight == 60)
        #expect(result.updates[9] == 2)  // both pair terms are still counted
    }

    @Test func stochasticRoundingProbabilityIsRemainderOverDivisor() {
        // a+ = 1, x = 32 (no decay): pending = 32 → +1 with probability 32/128.
        var ups = 0
        for seed: UInt64 in 1...400 {
            let weight = Self.pair(pre: [1], post: [2], rule: Self.rule(preImpulse: 32, preDecay: 0, potentiation: 1), seed: seed, steps: 2).weight
            #expect(weight == 60 || weight == 61)
            if weight == 61 { ups += 1 }
        }
        #expect((70...130).contains(ups))
    }

    @Test func tracesSaturateAtSevenBits() {
        // Two pre spikes with impulse 100 and no decay: x = min(127, 200) = 127; a+ = 128 → +127.
        let rule = Self.rule(preImpulse: 100, preDecay: 0, potentiation: 128, maximumWeight: 1000)
        #expect(Self.pair(pre: [1, 2], post: [3], rule: rule, steps: 3).weight == 60 + 127)
    }

    @Test func weightsStayWithinBounds() {
        let up = Self.rule(preDecay: 0, potentiation: 4096, minimumWeight: 10, maximumWeight: 100)
        #expect(Self.pair(pre: [1], post: [2], rule: up, steps: 2).weight == 100)
        let down = Self.rule(postDecay: 0, depression: 4096, minimumWeight: 10, maximumWeight: 100)
        #expect(Self.pair(pre: [2], post: [1], rule: down, steps: 2).weight == 10)
    }

    @Test func coarseWeightsMoveInStoredSteps() {
        // 6-bit excitatory weights drop 2 bits: D = 512; pending = 128 · 64 = 8192 → 16 steps of 4.
        let rule = Self.rule(preDecay: 0, potentiation: 128, numWeightBits: 6, storedShift: 1)
        let result = Self.pair(pre: [1], post: [2], rule: rule, steps: 2)
        #expect(result.weight == 60 + 64)
        #expect(result.stored == 124 << 1)
    }

    @Test func changesWaitForTheEpoch() {
        // Pre at 1, post at 2 and 3 (x stays 64): two terms of 128 · 64 = 64 weight units each,
        // applied together at step 4.
        let rule = Self.rule(preDecay: 0, potentiation: 128, epoch: 4)
        var unit = PlasticityUnit(rules: [rule], synapse: [0], rule: [0], axon: [0], target: [0], weight: [60], axonCount: 1, neuronCount: 1, seed: 1)
        var weights: [Int16] = [60]
        var history: [Int32] = []
        for t in 1...5 {
            if t == 1 { unit.notePreSpike(axon: 0) }
            _ = unit.learn(timestep: t, postSpikes: t == 2 || t == 3 ? [0] : [], weights: &weights)
            history.append(unit.weight[0])
        }
        #expect(history == [60, 60, 60, 188, 188])
        #expect(weights == [188])
    }

    /// Changes are applied in ascending synapse order whatever order the step touched them in,
    /// and a touched change that sums to zero takes no draw: synapse 1 (→ n0) is touched before
    /// synapse 0 (→ n1), both gain half a weight unit (1 · x 64 / 128) and are rounded up with
    /// probability ½, one draw each from the core's generator, synapse 0's first.
    @Test(arguments: [UInt64(1), 5, 9, 12])
    func roundingDrawsGoToTheSynapsesInAscendingOrder(seed: UInt64) {
        let rule = Self.rule(preDecay: 0, potentiation: 1)
        #expect(rule.granularity == 0)
        var unit = PlasticityUnit(
            rules: [rule], synapse: [0, 1], rule: [0, 0], axon: [0, 0], target: [1, 0], weight: [60, 60], axonCount: 1, neuronCount: 2, seed: seed)
        var weights: [Int16] = [60, 60]
        unit.notePreSpike(axon: 0)
        #expect(unit.learn(timestep: 1, postSpikes: [], weights: &weights) == 2)  // depression · y 0: touched, zero
        #expect(unit.learn(timestep: 2, postSpikes: [0, 1], weights: &weights) == 2)
        var generator = SeededGenerator(seed: seed)
        let expected = (0..<2).map { _ in Int32(60) + (generator.next() % 128 < 64 ? 1 : 0) }
        #expect(unit.weight == expected)
        #expect(weights == expected.map { Int16($0) })
    }

    @Test func onlyTheSynapsesOfTheSpikingNeuronsLearn() {
        // Synapses: 0: axon 0 → n0, 1: axon 1 → n0, 2: axon 0 → n1, 3: axon 1 → n1 (stored at 10…13).
        let rule = Self.rule(preDecay: 0, postDecay: 0, potentiation: 128, depression: 128, maximumWeight: 1000)
        var unit = PlasticityUnit(
            rules: [rule], synapse: [10, 11, 12, 13], rule: [0, 0, 0, 0], axon: [0, 1, 0, 1], target: [0, 0, 1, 1],
            weight: [60, 60, 60, 60], axonCount: 2, neuronCount: 2, seed: 1)
        var weights = Array(repeating: Int16(-1), count: 14)
        unit.notePreSpike(axon: 0)
        unit.notePreSpike(axon: 0)  // a second packet on the same axon in one step counts once
        #expect(unit.learn(timestep: 1, postSpikes: [], weights: &weights) == 2)
        // Post spike of n0: synapses 0 and 1 see x = 64 and 0.
        #expect(unit.learn(timestep: 2, postSpikes: [0], weights: &weights) == 2)
        #expect(unit.weight == [124, 60, 60, 60])
        // Pre spike on axon 1: synapses 1 and 3 see y(n0) = 64 and y(n1) = 0.
        unit.notePreSpike(axon: 1)
        #expect(unit.learn(timestep: 3, postSpikes: [], weights: &weights) == 2)
        #expect(unit.weight == [124, 0, 60, 60])
        // Only changed synapses are written to the core's weights, at their own indices.
        #expect(weights[10] == 124 && weights[11] == 0 && weights[12] == -1 && weights[13] == -1)
    }

    @Test func emptyUnit() {
        var unit = PlasticityUnit(rules: [], synapse: [], rule: [], axon: [], target: [], weight: [], axonCount: 3, neuronCount: 2, seed: 0)
        #expect(unit.isEmpty)
        unit.notePreSpike(axon: 1)  // ignored
        var weights: [Int16] = [5]
        #expect(unit.learn(timestep: 1, postSpikes: [0], weights: &weights) == 0)
        #expect(weights == [5])
    }
}

@Suite struct WeightDecayRuleTests {
    /// At a post spike the weight-dependent term subtracts `weightDecay · w / 4096` weight units:
    /// with no pre trace, w = 64 and weightDecay = 1024, pending = −1024 · 64 / 32 = −2048 and
    /// Δw = −16 exactly.
    @Test func postSpikeWithoutPreTraceShrinksTheWeight() {
        var rule = PlasticityUnitTests.rule()
        rule.stdp.weightDecay = 1024
        var unit = PlasticityUnit(rules: [rule], synapse: [0], rule: [0], axon: [0], target: [0], weight: [64], axonCount: 1, neuronCount: 1, seed: 1)
        var weights: [Int16] = [64]
        #expect(unit.learn(timestep: 1, postSpikes: [0], weights: &weights) == 1)
        #expect(unit.weight == [48])
        #expect(weights == [48])
    }

    /// Under a steady pre trace x the weight settles where a_plus · x = weightDecay · w.
    @Test func weightSettlesWhereTheTwoTermsBalance() {
        // Pre spike every step (impulse 30, decay 2048): after the decay the trace is 29 or so at
        // each post spike; a_plus 8, weightDecay 64 → w ≈ 8 · 32 / 64 · x = 4 · x.
        var rule = PlasticityUnitTests.rule(preImpulse: 30, preDecay: 2048, potentiation: 8, depression: 0)
        rule.stdp.weightDecay = 64
        var unit = PlasticityUnit(rules: [rule], synapse: [0], rule: [0], axon: [0], target: [0], weight: [10], axonCount: 1, neuronCount: 1, seed: 3)
        var weights: [Int16] = [10]
        var trace: Int32 = 0
        for t in 1...3000 {
            unit.notePreSpike(axon: 0)
            trace = min(127, LoihiNeuron.decay(trace, factor: 2048)) // the trace the post spike sees
            _ = unit.learn(timestep: t, postSpikes: [0], weights: &weights)
            trace = min(127, trace + 30)
        }
        let settled = 4 * Int(LoihiNeuron.decay(trace, factor: 2048))
        #expect(abs(Int(unit.weight[0]) - settled) <= 4, "weight \(unit.weight[0]), expected about \(settled)")
    }

    /// With `weightDecay` 0 (the default) a post spike without a pre trace leaves the weight as
    /// it is (the test above loses 16 with 1024), and the worked pair gains its plain +5.
    @Test func zeroWeightDecayIsPlainPairSTDP() {
        let rule = PlasticityUnitTests.rule()
        #expect(rule.stdp.weightDecay == 0)
        var unit = PlasticityUnit(rules: [rule], synapse: [0], rule: [0], axon: [0], target: [0], weight: [64], axonCount: 1, neuronCount: 1, seed: 1)
        var weights: [Int16] = [64]
        _ = unit.learn(timestep: 1, postSpikes: [0], weights: &weights)
        #expect(unit.weight == [64] && weights == [64])
        #expect(PlasticityUnitTests.pair(pre: [10], post: [12], rule: rule).weight == 65)
        var decaying = rule
        decaying.stdp.weightDecay = 1024
        #expect(PlasticityUnitTests.pair(pre: [10], post: [12], rule: decaying).weight < 65)
    }
}

/// The learning phase written the obvious way: every plastic synapse scanned at every step for
/// a pending change, as the unit did before it kept a list of the touched ones.
private struct ReferencePlasticity {
    let rules: [LearningRule]
    let synapse: [Int32], rule: [Int32], axon: [Int32], target: [Int32]
    var weight: [Int32]
    var pending: [Int32]
    var preTrace: [Int32], postTrace: [Int32]
    let axonCount: Int, neuronCount: Int
    var generator: SeededGenerator

    init(rules: [LearningRule], synapse: [Int32], rule: [Int32], axon: [Int32], target: [Int32], weight: [Int32], axonCount: Int, neuronCount: Int, seed: UInt64) {
        (self.rules, self.synapse, self.rule, self.axon, self.target, self.weight) = (rules, synapse, rule, axon, target, weight)
        pending = Array(repeating: 0, count: synapse.count)
        preTrace = Array(repeating: 0, count: rules.count * axonCount)
        postTrace = Array(repeating: 0, count: rules.count * neuronCount)
        (self.axonCount, self.neuronCount) = (axonCount, neuronCount)
        generator = SeededGenerator(seed: seed)
    }

    mutating func learn(timestep: Int, preSpikes: [Int], postSpikes: [Int32], weights: inout [Int16]) -> Int {
        var updates = 0
        for (r, learning) in rules.enumerated() {
            for k in 0..<axonCount { preTrace[r * axonCount + k] = LoihiNeuron.decay(preTrace[r * axonCount + k], factor: 4096 - learning.stdp.preDecay) }
            for k in 0..<neuronCount { postTrace[r * neuronCount + k] = LoihiNeuron.decay(postTrace[r * neuronCount + k], factor: 4096 - learning.stdp.postDecay) }
        }
        for neuron in postSpikes {
            for index in synapse.indices where target[index] == neuron {
                let stdp = rules[Int(rule[index])].stdp
                pending[index] &+= stdp.potentiation &* preTrace[Int(rule[index]) * axonCount + Int(axon[index])] &- ((stdp.weightDecay &* weight[index]) &>> 5)
                updates += 1
            }
        }
        for spiked in preSpikes {
            for index in synapse.indices where Int(axon[index]) == spiked {
                pending[index] &-= rules[Int(rule[index])].stdp.depression &* postTrace[Int(rule[index]) * neuronCount + Int(target[index])]
                updates += 1
            }
        }
        for (r, learning) in rules.enumerated() {
            for spiked in preSpikes { preTrace[r * axonCount + spiked] = min(STDPRule.traceLimit, preTrace[r * axonCount + spiked] + learning.stdp.preImpulse) }
            for neuron in postSpikes { postTrace[r * neuronCount + Int(neuron)] = min(STDPRule.traceLimit, postTrace[r * neuronCount + Int(neuron)] + learning.stdp.postImpulse) }
        }
        for index in synapse.indices where pending[index] != 0 {
            let learning = rules[Int(rule[index])]
            guard timestep % Int(learning.stdp.epoch) == 0 else { continue }
            let divisor = Int64(128) << Int64(learning.granularity)
            let change = Int64(pending[index])
            var steps = change >= 0 ? change / divisor : -((-change + divisor - 1) / divisor)
            if Int64(generator.next() % UInt64(divisor)) < change - steps * divisor { steps += 1 }
            pending[index] = 0
            let moved = Int64(weight[index]) + steps << Int64(learning.granularity)
            weight[index] = Int32(min(max(moved, Int64(learning.stdp.minimumWeight)), Int64(learning.stdp.maximumWeight)))
            weights[Int(synapse[index])] = Int16(clamping: learning.storedWeight(weight[index]))
        }
        return updates
    }
}

@Suite struct PlasticityUnitReferenceTests {
    /// Three rules with epochs 1, 2 and 3 and different weight steps, random spikes, and a
    /// stretch with learning off: the unit's weights, stored weights, update counts and draws
    /// follow the full scan at every step.
    @Test(arguments: [UInt64(1), 2, 3])
    func touchedListFollowsTheFullScan(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let rules = [(1, 8, SignMode.excitatory), (2, 7, .mixed), (3, 6, .inhibitory)].map { epoch, bits, sign in
            LearningRule(
                stdp: STDPRule(
                    preImpulse: Int32.random(in: 10...80, using: &generator), postImpulse: Int32.random(in: 10...80, using: &generator),
                    preDecay: Int32.random(in: 0...2000, using: &generator), postDecay: Int32.random(in: 0...2000, using: &generator),
                    potentiation: Int32.random(in: 1...200, using: &generator), depression: Int32.random(in: 1...200, using: &generator),
                    minimumWeight: -255, maximumWeight: 255, epoch: Int32(epoch), weightDecay: Int32.random(in: 0...3, using: &generator)),
                signMode: sign, numWeightBits: bits, storedShift: 0)
        }
        let (axons, neurons, count) = (5, 6, 40)
        let axon = (0..<count).map { _ in Int32.random(in: 0..<Int32(axons), using: &generator) }
        let target = (0..<count).map { _ in Int32.random(in: 0..<Int32(neurons), using: &generator) }
        let rule = (0..<count).map { _ in Int32.random(in: 0..<3, using: &generator) }
        let weight = (0..<count).map { _ in Int32.random(in: -100...100, using: &generator) }
        let synapse = (0..<count).map { Int32($0 * 2) }
        var unit = PlasticityUnit(rules: rules, synapse: synapse, rule: rule, axon: axon, target: target, weight: weight, axonCount: axons, neuronCount: neurons, seed: seed)
        var reference = ReferencePlasticity(rules: rules, synapse: synapse, rule: rule, axon: axon, target: target, weight: weight, axonCount: axons, neuronCount: neurons, seed: seed)
        var unitWeights = Array(repeating: Int16(0), count: 2 * count)
        var referenceWeights = unitWeights
        for t in 1...300 {
            let learning = !(120...160).contains(t)
            unit.isLearning = learning
            let pre = (0..<axons).filter { _ in generator.nextUnitInterval() < 0.3 }
            let post = (0..<neurons).filter { _ in generator.nextUnitInterval() < 0.25 }.map { Int32($0) }
            for a in pre { unit.notePreSpike(axon: a) }
            let updates = unit.learn(timestep: t, postSpikes: post, weights: &unitWeights)
            let expected = learning ? reference.learn(timestep: t, preSpikes: pre, postSpikes: post, weights: &referenceWeights) : 0
            #expect(updates == expected, "step \(t)")
            #expect(unit.weight == reference.weight, "step \(t)")
            #expect(unitWeights == referenceWeights, "step \(t)")
            if unit.weight != reference.weight { break }
        }
        #expect(unit.weight != weight, "the weights moved")
    }
}
