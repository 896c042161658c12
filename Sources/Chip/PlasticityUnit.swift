/// The learning engine of one core: traces, pending weight changes and the weights of its plastic
/// synapses. It reads only the spikes of the synapses' own pre- and post-synaptic neurons.
struct PlasticityUnit: Sendable {
    let rules: [LearningRule]
    /// Per plastic synapse: its index in the core's synapse arrays, rule, input axon and target.
    let synapse: [Int32]
    let rule: [Int32]
    let axon: [Int32]
    let target: [Int32]
    /// Per plastic synapse: weight in file units, and the pending change (× 128).
    private(set) var weight: [Int32]
    private var pending: [Int32]
    /// The plastic synapses whose pending change was touched since it was last applied (each
    /// once, `isTouched`), so that applying the changes visits them instead of every synapse:
    /// a step of the digits demo touches about 450 of 6,400, and the scan of all took a third
    /// of its run.
    private var touched: [Int32] = []
    private var isTouched: [Bool]
    /// Plastic synapses by target neuron and by input axon (compressed rows of plastic indices).
    private let byTargetStart: [Int32]
    private let byTarget: [Int32]
    private let byAxonStart: [Int32]
    private let byAxon: [Int32]
    /// Traces `[rule][axon]` and `[rule][neuron]`, 7-bit.
    private var preTrace: [Int32]
    private var postTrace: [Int32]
    private let axonCount: Int
    private let neuronCount: Int
    /// Axons that received a spike this step, and whether each did (to list each once).
    private var spikedAxons: [Int32] = []
    private var axonSpiked: [Bool]
    private var generator: SeededGenerator
    /// False while the schedule switches learning off: spikes are not noted, traces and weights
    /// stay as they are and no update is counted.
    var isLearning = true
    /// Set during a sleep phase: weights drift toward a baseline (see `SleepPhase`).
    var sleep: SleepPhase.WeightDecay?

    var isEmpty: Bool { synapse.isEmpty }

    /// Bytes the unit's state takes (its arrays' elements), without the working lists of the
    /// synapses touched and the axons spiked, which follow a run's activity: the same before
    /// and after any run.
    var memoryBytes: Int {
        let arrays = [synapse, rule, axon, target, weight, pending, byTargetStart, byTarget, byAxonStart, byAxon, preTrace, postTrace]
        return arrays.reduce(0) { $0 + $1.count } * MemoryLayout<Int32>.stride + axonSpiked.count + isTouched.count
    }

    init(rules: [LearningRule], synapse: [Int32], rule: [Int32], axon: [Int32], target: [Int32], weight: [Int32], axonCount: Int, neuronCount: Int, seed: UInt64) {
        self.rules = rules
        self.synapse = synapse
        self.rule = rule
        self.axon = axon
        self.target = target
        self.weight = weight
        pending = Array(repeating: 0, count: synapse.count)
        isTouched = Array(repeating: false, count: synapse.count)
        touched.reserveCapacity(synapse.count)  // its largest
        self.axonCount = axonCount
        self.neuronCount = neuronCount
        // A core without plastic synapses keeps no learning tables (they would cost 4 bytes per axon).
        (byTargetStart, byTarget) = synapse.isEmpty ? ([], []) : Self.rows(of: target, count: neuronCount)
        (byAxonStart, byAxon) = synapse.isEmpty ? ([], []) : Self.rows(of: axon, count: axonCount)
        preTrace = Array(repeating: 0, count: rules.count * axonCount)
        postTrace = Array(repeating: 0, count: rules.count * neuronCount)
        axonSpiked = Array(repeating: false, count: synapse.isEmpty ? 0 : axonCount)
        generator = SeededGenerator(seed: seed)
    }

    /// Compressed rows: for each key, the plastic indices with that key, ascending.
    private static func rows(of keys: [Int32], count: Int) -> ([Int32], [Int32]) {
        var start = Array(repeating: Int32(0), count: count + 1)
        for key in keys { start[Int(key) + 1] += 1 }
        for k in 1..<start.count { start[k] += start[k - 1] }
        var cursor = start
        var items = Array(repeating: Int32(0), count: keys.count)
        for (index, key) in keys.enumerated() {
            items[Int(cursor[Int(key)])] = Int32(index)
            cursor[Int(key)] += 1
        }
        return (start, items)
    }

    /// Notes a pre-synaptic spike on `axon` this step.
    @inline(__always)
    mutating func notePreSpike(axon: Int) {
        guard isLearning, !axonSpiked.isEmpty, !axonSpiked[axon] else { return }
        axonSpiked[axon] = true
        spikedAxons.append(Int32(axon))
    }

    /// The learning phase of `timestep`: decays traces, accumulates pair terms for this step's
    /// post spikes (`postSpikes`, ascending) and pre spikes, applies impulses, and every `epoch`
    /// steps applies pending changes to `weights` (the core's stored weights). Returns the number of
    /// synaptic updates (pair terms accumulated).
    mutating func learn(timestep: Int, postSpikes: [Int32], weights: inout [Int16]) -> Int {
        guard !synapse.isEmpty else { return 0 }
        var updates = 0
        if let sleep { updates += decayTowardBaseline(sleep, timestep: timestep, weights: &weights) }
        guard isLearning else { return updates }
        for (r, learning) in rules.enumerated() {
            let rule = learning.stdp
            let preBase = r * axonCount
            let postBase = r * neuronCount
            for k in 0..<axonCount { preTrace[preBase + k] = LoihiNeuron.decay(preTrace[preBase + k], factor: 4096 - rule.preDecay) }
            for k in 0..<neuronCount { postTrace[postBase + k] = LoihiNeuron.decay(postTrace[postBase + k], factor: 4096 - rule.postDecay) }
        }
        spikedAxons.sort()
        for neuron in postSpikes {
            for k in Int(byTargetStart[Int(neuron)])..<Int(byTargetStart[Int(neuron) + 1]) {
                let index = Int(byTarget[k])
                let r = Int(rule[index])
                pending[index] &+= rules[r].stdp.potentiation &* preTrace[r * axonCount + Int(axon[index])]
                    &- ((rules[r].stdp.weightDecay &* weight[index]) &>> 5)  // w_decay · w / 4096 weight units, floored
                touch(index)
                updates += 1
            }
        }
        for spiked in spikedAxons {
            for k in Int(byAxonStart[Int(spiked)])..<Int(byAxonStart[Int(spiked) + 1]) {
                let index = Int(byAxon[k])
                let r = Int(rule[index])
                pending[index] &-= rules[r].stdp.depression &* postTrace[r * neuronCount + Int(target[index])]
                touch(index)
                updates += 1
            }
        }
        for (r, learning) in rules.enumerated() {
            for spiked in spikedAxons {
                let slot = r * axonCount + Int(spiked)
                preTrace[slot] = min(STDPRule.traceLimit, preTrace[slot] + learning.stdp.preImpulse)
            }
            for neuron in postSpikes {
                let slot = r * neuronCount + Int(neuron)
                postTrace[slot] = min(STDPRule.traceLimit, postTrace[slot] + learning.stdp.postImpulse)
            }
        }
        for spiked in spikedAxons { axonSpiked[Int(spiked)] = false }
        spikedAxons.removeAll(keepingCapacity: true)

        // Changes are applied in ascending synapse order, as a scan of every synapse would
        // (each draws from the core's generator); a touched change not yet due stays touched.
        guard rules.contains(where: { timestep % Int($0.stdp.epoch) == 0 }) else { return updates }
        touched.sort()
        var kept = 0
        for position in touched.indices {
            let index = Int(touched[position])
            let learning = rules[Int(rule[index])]
            guard pending[index] != 0 else {
                isTouched[index] = false
                continue
            }
            guard timestep % Int(learning.stdp.epoch) == 0 else {
                touched[kept] = Int32(index)
                kept += 1
                continue
            }
            isTouched[index] = false
            let divisor = Int64(128) << Int64(learning.granularity)
            let change = Int64(pending[index])
            var steps = change >= 0 ? change / divisor : -((-change + divisor - 1) / divisor)  // floor
            let remainder = change - steps * divisor
            if Int64(generator.next() % UInt64(divisor)) < remainder { steps += 1 }
            pending[index] = 0
            let moved = Int64(weight[index]) + steps << Int64(learning.granularity)
            let bounded = Int32(min(max(moved, Int64(learning.stdp.minimumWeight)), Int64(learning.stdp.maximumWeight)))
            weight[index] = bounded
            weights[Int(synapse[index])] = Int16(clamping: learning.storedWeight(bounded))
        }
        touched.removeLast(touched.count - kept)
        return updates
    }

    /// Notes that plastic synapse `index`'s pending change was touched.
    @inline(__always)
    private mutating func touch(_ index: Int) {
        guard !isTouched[index] else { return }
        isTouched[index] = true
        touched.append(Int32(index))
    }

    /// A uniform 64-bit draw from the core's generator (spontaneous activity during sleep).
    mutating func nextRandom() -> UInt64 { generator.next() }

    /// The sleep phase's drift: every `interval` steps each plastic weight moves by
    /// `(baseline − w) · decay / 4096` (baseline clamped to the rule's bounds), stochastically
    /// rounded to the stored weight step. Every plastic synapse visited counts as one update.
    private mutating func decayTowardBaseline(_ sleep: SleepPhase.WeightDecay, timestep: Int, weights: inout [Int16]) -> Int {
        guard sleep.decay > 0, timestep % sleep.interval == 0 else { return 0 }
        for index in synapse.indices {
            let learning = rules[Int(rule[index])]
            let baseline = min(max(sleep.baseline, learning.stdp.minimumWeight), learning.stdp.maximumWeight)
            let change = Int64(baseline - weight[index]) * Int64(sleep.decay)
            guard change != 0 else { continue }
            let divisor = Int64(4096) << Int64(learning.granularity)
            var steps = change >= 0 ? change / divisor : -((-change + divisor - 1) / divisor)  // floor
            let remainder = change - steps * divisor
            if Int64(generator.next() % UInt64(divisor)) < remainder { steps += 1 }
            // Rounded up, a move could pass the baseline (16 → 48 toward 40 in steps of 16): it
            // stops at the last whole step short of it.
            let distance = Int64(baseline - weight[index])
            steps = distance >= 0 ? min(steps, distance >> Int64(learning.granularity)) : max(steps, -((-distance) >> Int64(learning.granularity)))
            guard steps != 0 else { continue }
            let moved = Int64(weight[index]) + steps << Int64(learning.granularity)
            let bounded = Int32(min(max(moved, Int64(learning.stdp.minimumWeight)), Int64(learning.stdp.maximumWeight)))
            weight[index] = bounded
            weights[Int(synapse[index])] = Int16(clamping: learning.storedWeight(bounded))
        }
        return synapse.count
    }
}
