import Testing
@testable import Chip

@Suite struct SleepPhaseTests {
    /// One plastic synapse (axon 0 → neuron 0) at weight `weight` under `rule`.
    static func unit(weight: Int32, rule: LearningRule = PlasticityUnitTests.rule(), seed: UInt64 = 1) -> (PlasticityUnit, [Int16]) {
        let unit = PlasticityUnit(
            rules: [rule], synapse: [0], rule: [0], axon: [0], target: [0], weight: [weight], axonCount: 1, neuronCount: 1, seed: seed)
        return (unit, [Int16(rule.storedWeight(weight))])
    }

    @Test func thresholdOfAProbability() {
        #expect(SleepPhase.threshold(probability: 0) == 0)
        #expect(SleepPhase.threshold(probability: 0.5) == 1 << 63)
        #expect(SleepPhase.threshold(probability: 1) == UInt64.max)
    }

    @Test func weightsDriftTowardTheBaselineWithoutOvershoot() {
        // decay 4096 covers the whole distance at once: exactly the baseline, no rounding.
        var (unit, weights) = Self.unit(weight: 200)
        unit.sleep = SleepPhase.WeightDecay(baseline: 40, decay: 4096)
        #expect(unit.learn(timestep: 1, postSpikes: [], weights: &weights) == 1)
        #expect(unit.weight == [40])
        #expect(weights == [40])
        // decay 1024: a quarter of the distance per step, stochastically rounded; the weight falls
        // monotonically from 200 and never passes 40.
        for seed: UInt64 in 1...20 {
            var (unit, weights) = Self.unit(weight: 200, seed: seed)
            unit.sleep = SleepPhase.WeightDecay(baseline: 40, decay: 1024)
            var previous: Int32 = 200
            for t in 1...60 {
                _ = unit.learn(timestep: t, postSpikes: [], weights: &weights)
                #expect(unit.weight[0] <= previous && unit.weight[0] >= 40)
                previous = unit.weight[0]
            }
            #expect((40...43).contains(previous))
        }
        // From below, it rises: (40 − 10) · 2048 / 4096 = 15 exactly.
        var (rising, risingWeights) = Self.unit(weight: 10)
        rising.sleep = SleepPhase.WeightDecay(baseline: 40, decay: 2048)
        _ = rising.learn(timestep: 1, postSpikes: [], weights: &risingWeights)
        #expect(rising.weight == [25])
    }

    /// With coarse stored weights the rounded-up step could pass the baseline (4 weight bits:
    /// steps of 16, so 16 toward 40 went to 48 half the time); it stops at the last step short
    /// of it, from above and from below, on every seed.
    @Test func coarseStepsStopShortOfTheBaseline() {
        let coarse = PlasticityUnitTests.rule(numWeightBits: 4)
        #expect(coarse.granularity == 4)
        for seed: UInt64 in 1...40 {
            var (rising, risingWeights) = Self.unit(weight: 16, rule: coarse, seed: seed)
            rising.sleep = SleepPhase.WeightDecay(baseline: 40, decay: 4096)
            _ = rising.learn(timestep: 1, postSpikes: [], weights: &risingWeights)
            #expect(rising.weight == [32], "seed \(seed)")
            var (falling, fallingWeights) = Self.unit(weight: 96, rule: coarse, seed: seed)
            falling.sleep = SleepPhase.WeightDecay(baseline: 41, decay: 4096)
            _ = falling.learn(timestep: 1, postSpikes: [], weights: &fallingWeights)
            #expect(falling.weight == [48], "seed \(seed)")
        }
    }

    @Test func driftIsAppliedEveryIntervalAndCountedPerSynapse() {
        var (unit, weights) = Self.unit(weight: 100)
        unit.sleep = SleepPhase.WeightDecay(baseline: 0, decay: 2048, interval: 3)
        let updates = (1...6).map { unit.learn(timestep: $0, postSpikes: [], weights: &weights) }
        #expect(updates == [0, 0, 1, 0, 0, 1])
        #expect(unit.weight == [25])  // 100 → 50 at step 3 → 25 at step 6
    }

    @Test func baselineIsClampedToTheRuleBounds() {
        var (unit, weights) = Self.unit(weight: 100, rule: PlasticityUnitTests.rule(minimumWeight: 20))
        unit.sleep = SleepPhase.WeightDecay(baseline: 0, decay: 4096)
        _ = unit.learn(timestep: 1, postSpikes: [], weights: &weights)
        #expect(unit.weight == [20])
    }

    @Test func learningOffFreezesTracesAndWeights() {
        // Pre at 10 and post at 12 potentiate by exactly 5 (docs/learning.md), but not while off.
        var (unit, weights) = Self.unit(weight: 60)
        unit.isLearning = false
        var updates: [Int] = []
        for t in 1...15 {
            if t == 10 { unit.notePreSpike(axon: 0) }
            updates.append(unit.learn(timestep: t, postSpikes: t == 12 ? [0] : [], weights: &weights))
        }
        #expect(updates.allSatisfy { $0 == 0 })
        #expect(unit.weight == [60])
        unit.isLearning = true
        for t in 16...30 {
            if t == 20 { unit.notePreSpike(axon: 0) }
            _ = unit.learn(timestep: t, postSpikes: t == 22 ? [0] : [], weights: &weights)
        }
        #expect(unit.weight == [65])
    }

    @Test func spontaneousInputReachesOnlyTheChosenNeurons() {
        // Two neurons, vth 0: an input pulse makes a neuron spike at once. Neuron 0 always gets a
        // pulse (probability 1), neuron 1 never.
        let program = CoreProgram(neurons: [LoihiNeuron.Parameters(du: 4095, vth: 0), LoihiNeuron.Parameters(du: 4095, vth: 0)])
        var engine = ChipEngine(chip: TestChip.chip(), programs: [program], coreEndpoints: [0], inputDestinations: [])
        engine.setLearning(true, sleep: SleepPhase(weightDecay: nil, spontaneousThreshold: [[UInt64.max, 0]], spontaneousAmplitude: [[5, 5]]))
        for _ in 1...4 {
            engine.step(inputSpikes: [])
            #expect(engine.cores[0].spikes == [0])
        }
        engine.setLearning(true, sleep: nil)
        engine.step(inputSpikes: [])
        #expect(engine.cores[0].spikes.isEmpty)
    }

    @Test func spontaneousPulsesFollowTheProbabilityAndRepeatOnAnyThreadCount() {
        let neurons = Array(repeating: LoihiNeuron.Parameters(du: 4095, dv: 4095, vth: 0), count: 40)
        func spikes(threads: Int) -> [[Int32]] {
            let programs = (0..<3).map { core in CoreProgram(neurons: neurons).with(seed: UInt64(core) + 7) }
            var engine = ChipEngine(chip: TestChip.chip(), programs: programs, coreEndpoints: [0, 1, 2], inputDestinations: [])
            let threshold = SleepPhase.threshold(probability: 0.25)
            engine.setLearning(false, sleep: SleepPhase(
                weightDecay: nil, spontaneousThreshold: Array(repeating: Array(repeating: threshold, count: 40), count: 3),
                spontaneousAmplitude: Array(repeating: Array(repeating: 1, count: 40), count: 3)))
            return (1...50).flatMap { _ in
                engine.step(inputSpikes: [], threads: threads)
                return engine.cores.map(\.spikes)
            }
        }
        let one = spikes(threads: 1)
        #expect(one == spikes(threads: 2))
        let total = one.reduce(0) { $0 + $1.count }
        #expect((1300...1700).contains(total))  // 3 × 40 × 50 × 0.25 = 1500
    }
}

private extension CoreProgram {
    func with(seed: UInt64) -> CoreProgram {
        var copy = self
        copy.learningSeed = seed
        return copy
    }
}
