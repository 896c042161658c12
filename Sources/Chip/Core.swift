import Router

/// One neuromorphic core: neuron state in struct-of-arrays, a ring buffer of input accumulators
/// (one slot per timestep of delay), synapse memory in compressed rows by input axon, and the
/// output axons of its neurons.
///
/// A core is mutated in place by the engine (`cores[i].updateNeurons(…)`); it never touches
/// another core's memory, so cores can run on any thread.
public struct Core: Sendable {
    public let neuronCount: Int
    /// Input accumulator groups (see `CoreProgram`).
    public let groupCount: Int
    /// Slots in the input ring buffer.
    public let delaySlots: Int

    // Neuron parameters, per neuron, in kernel form.
    private var currentDecay: [Int32]  // 4095 − du
    private var voltageDecay: [Int32]  // 4096 − dv
    private var bias: [Int32]  // bias_mant << bias_exp
    private var threshold: [Int32]  // vth << 6

    /// Full parameters, kept only when some neuron uses a mechanism beyond plain CUBA-LIF; such a
    /// core runs the general kernel (chosen once per core, never per neuron).
    private let extendedParameters: [LoihiNeuron.Parameters]
    /// Refractory steps left, adaptive threshold and v at the start of the previous step, per
    /// neuron (general kernel only).
    public private(set) var refractory: [Int32]
    public private(set) var adaptation: [Int32]
    private var previousV: [Int32]

    /// Synaptic current of each neuron (24-bit, in Int32).
    public private(set) var u: [Int32]
    /// Membrane voltage of each neuron (24-bit, in Int32).
    public private(set) var v: [Int32]

    private let groupExponents: [Int32]
    /// `[slot][group][neuron]` sums of effective weights, added in any order (integer addition
    /// commutes) and read once per neuron update.
    var accumulators: [Int32]

    // Synapse memory, compressed rows by input axon.
    private let axonSynapseStart: [Int32]
    private let synapseAccumulator: [Int32]  // group · neuronCount + target
    private var synapseWeight: [Int32]
    private let synapseDelay: [Int32]

    // Output axons, compressed rows by neuron.
    private let destinationStart: [Int32]
    public let destinationCore: [Int32]
    public let destinationAxon: [Int32]

    /// Neurons that spiked in the last neuron phase, in index order.
    public private(set) var spikes: [Int32] = []
    /// Value each of `spikes` carries: 1, or ±1 for ternary and the payload for graded neurons.
    public private(set) var spikeValues: [Int32] = []
    /// Cycle (within the step) at which each of `spikes` finished its update.
    public private(set) var spikeCycles: [UInt32] = []
    /// Cycles the last neuron phase took.
    public private(set) var neuronPhaseCycles: UInt32 = 0
    /// Active and inactive neuron updates of the last neuron phase.
    public private(set) var activeUpdates = 0
    public private(set) var inactiveUpdates = 0
    /// Synaptic weight updates of the last learning phase.
    public private(set) var learningUpdates = 0

    var plasticity: PlasticityUnit
    private var input: [Int32]
    /// Per neuron: bit 0 active update, bit 1 spiked; `values` holds the spike value.
    private var activity: [UInt8]
    private var values: [Int32] = []

    public init(program: CoreProgram) {
        let count = program.neurons.count
        precondition(program.initialU.count == count && program.initialV.count == count && program.destinations.count == count)
        precondition(program.groupExponents.first == 0 && program.delaySlots >= 2)
        neuronCount = count
        groupCount = program.groupExponents.count
        delaySlots = program.delaySlots
        currentDecay = program.neurons.map { 4095 - $0.du }
        voltageDecay = program.neurons.map { 4096 - $0.dv }
        bias = program.neurons.map { LoihiNeuron.bias(mantissa: $0.biasMantissa, exponent: $0.biasExponent) }
        threshold = program.neurons.map { $0.vth << LoihiNeuron.thresholdShift }
        u = program.initialU
        v = program.initialV
        let extended = program.neurons.contains { !$0.isPlainLoihi }
        extendedParameters = extended ? program.neurons : []
        refractory = extended ? Array(repeating: 0, count: count) : []
        adaptation = extended ? Array(repeating: 0, count: count) : []
        previousV = extended ? program.initialV : []
        groupExponents = program.groupExponents
        accumulators = Array(repeating: 0, count: program.delaySlots * groupCount * count)

        var start: [Int32] = [0]
        var accumulator: [Int32] = []
        var weight: [Int32] = []
        var delay: [Int32] = []
        var plastic: (synapse: [Int32], rule: [Int32], axon: [Int32], target: [Int32], weight: [Int32]) = ([], [], [], [], [])
        for (axon, synapses) in program.axonSynapses.enumerated() {
            for synapse in synapses {
                if synapse.learningRule >= 0 {
                    precondition(Int(synapse.learningRule) < program.learningRules.count, "unknown learning rule")
                    plastic.synapse.append(Int32(accumulator.count))
                    plastic.rule.append(synapse.learningRule)
                    plastic.axon.append(Int32(axon))
                    plastic.target.append(synapse.target)
                    plastic.weight.append(synapse.fileWeight)
                }
                precondition(synapse.delay >= 1 && Int(synapse.delay) < program.delaySlots, "delay outside the ring buffer")
                precondition(synapse.target >= 0 && Int(synapse.target) < count && Int(synapse.group) < groupCount)
                accumulator.append(synapse.group * Int32(count) + synapse.target)
                weight.append(synapse.weight)
                delay.append(synapse.delay)
            }
            start.append(Int32(accumulator.count))
        }
        axonSynapseStart = start
        plasticity = PlasticityUnit(
            rules: program.learningRules, synapse: plastic.synapse, rule: plastic.rule, axon: plastic.axon,
            target: plastic.target, weight: plastic.weight, axonCount: program.axonSynapses.count, neuronCount: count,
            seed: program.learningSeed)
        synapseAccumulator = accumulator
        synapseWeight = weight
        synapseDelay = delay

        var destinationStart: [Int32] = [0]
        var destinationCore: [Int32] = []
        var destinationAxon: [Int32] = []
        for outputs in program.destinations {
            for output in outputs {
                destinationCore.append(output.core)
                destinationAxon.append(output.axon)
            }
            destinationStart.append(Int32(destinationCore.count))
        }
        self.destinationStart = destinationStart
        self.destinationCore = destinationCore
        self.destinationAxon = destinationAxon
        input = Array(repeating: 0, count: count)
        activity = Array(repeating: 0, count: count)
    }

    /// Input axons of this core.
    public var inputAxonCount: Int { axonSynapseStart.count - 1 }
    /// Synapses stored in this core.
    public var synapseCount: Int { synapseWeight.count }
    /// Output axon entries of this core.
    public var outputAxonCount: Int { destinationCore.count }

    /// Synapses reached through one input axon.
    @inline(__always)
    public func synapseCount(axon: Int) -> Int {
        Int(axonSynapseStart[axon + 1] - axonSynapseStart[axon])
    }

    /// Output axons of one neuron, as a range into `destinationCore`/`destinationAxon`.
    @inline(__always)
    public func destinations(of neuron: Int) -> Range<Int> {
        Int(destinationStart[neuron])..<Int(destinationStart[neuron + 1])
    }

    /// The neuron phase of `timestep`: every neuron, in index order, reads its input for this step,
    /// updates `u` and `v` with Loihi's integer arithmetic, and spikes if `v` passes threshold.
    ///
    /// Two passes: a branch-free update of all neurons, then a scan that collects spikes and
    /// assigns each update its completion cycle (active updates cost more than inactive ones).
    public mutating func updateNeurons(timestep: Int, activeCycles: UInt32, inactiveCycles: UInt32) {
        let count = neuronCount
        let base = (timestep % delaySlots) * groupCount * count
        gatherInput(base: base)

        if extendedParameters.isEmpty {
            updatePlainNeurons()
        } else {
            updateExtendedNeurons()
        }

        spikes.removeAll(keepingCapacity: true)
        spikeValues.removeAll(keepingCapacity: true)
        spikeCycles.removeAll(keepingCapacity: true)
        let extended = !extendedParameters.isEmpty
        var cycles: UInt32 = 0
        var active = 0
        activity.withUnsafeBufferPointer { activity in
            for i in 0..<count {
                let flags = activity[i]
                let isActive = flags & 1 != 0
                cycles &+= isActive ? activeCycles : inactiveCycles
                active &+= isActive ? 1 : 0
                if flags & 2 != 0 {
                    spikes.append(Int32(i))
                    spikeValues.append(extended ? values[i] : 1)
                    spikeCycles.append(cycles)
                }
            }
        }
        neuronPhaseCycles = cycles
        activeUpdates = active
        inactiveUpdates = count - active
    }

    /// The kernel of plain CUBA-LIF cores: one branch-free pass over struct-of-arrays.
    private mutating func updatePlainNeurons() {
        let count = neuronCount
        currentDecay.withUnsafeBufferPointer { currentDecay in
        voltageDecay.withUnsafeBufferPointer { voltageDecay in
        bias.withUnsafeBufferPointer { bias in
        threshold.withUnsafeBufferPointer { threshold in
        input.withUnsafeBufferPointer { input in
        u.withUnsafeMutableBufferPointer { u in
        v.withUnsafeMutableBufferPointer { v in
        activity.withUnsafeMutableBufferPointer { activity in
            for i in 0..<count {
                let oldU = u[i]
                let oldV = v[i]
                let a = input[i]
                let newU = LoihiNeuron.wrapCurrent(
                    Int64(LoihiNeuron.decay(oldU, factor: currentDecay[i])) &+ (Int64(a) &<< 6))
                let newV = LoihiNeuron.saturateVoltage(
                    Int64(LoihiNeuron.decay(oldV, factor: voltageDecay[i])) &+ Int64(newU) &+ Int64(bias[i]))
                let spiked = newV > threshold[i]
                u[i] = newU
                v[i] = spiked ? 0 : newV
                let active: UInt8 = (oldU | oldV | a | bias[i]) != 0 ? 1 : 0
                activity[i] = active | (spiked ? 2 : 0)
            }
        }}}}}}}}

    }

    /// The kernel of cores with extra mechanisms (refractory period, subtractive reset, adaptive
    /// and dynamic thresholds, ternary and graded spikes): the same integer update as
    /// `LoihiNeuron.step(state:input:parameters:meanVoltage:)`, neuron by neuron.
    private mutating func updateExtendedNeurons() {
        let count = neuronCount
        var meanSum: Int64 = 0
        var meanCount: Int64 = 0
        for (i, p) in extendedParameters.enumerated() where p.meanVoltageGain != 0 {
            meanSum += Int64(v[i])
            meanCount += 1
        }
        // Floor division, as documented (only max(0, mean) is used, but the rule should not depend on it).
        let meanVoltage = meanCount > 0 ? Int32(meanSum >= 0 ? meanSum / meanCount : -((-meanSum + meanCount - 1) / meanCount)) : 0
        if values.count != count { values = Array(repeating: 0, count: count) }
        extendedParameters.withUnsafeBufferPointer { parameters in
        bias.withUnsafeBufferPointer { bias in
        input.withUnsafeBufferPointer { input in
        u.withUnsafeMutableBufferPointer { u in
        v.withUnsafeMutableBufferPointer { v in
        refractory.withUnsafeMutableBufferPointer { refractory in
        adaptation.withUnsafeMutableBufferPointer { adaptation in
        previousV.withUnsafeMutableBufferPointer { previousV in
        values.withUnsafeMutableBufferPointer { values in
        activity.withUnsafeMutableBufferPointer { activity in
            for i in 0..<count {
                let a = input[i]
                let active = (u[i] | v[i] | a | bias[i] | refractory[i] | adaptation[i]) != 0
                var state = LoihiNeuron.State(u: u[i], v: v[i], refractory: refractory[i], adaptation: adaptation[i], previousV: previousV[i])
                let value = LoihiNeuron.step(state: &state, input: a, parameters: parameters[i], meanVoltage: meanVoltage)
                u[i] = state.u
                v[i] = state.v
                refractory[i] = state.refractory
                adaptation[i] = state.adaptation
                previousV[i] = state.previousV
                values[i] = value
                activity[i] = (active ? 1 : 0) | (value != 0 ? 2 : 0)
            }
        }}}}}}}}}}
    }

    /// Sums the accumulator groups of this step's slot into `input` (applying each group's weight
    /// exponent to its sum) and clears the slot for reuse `delaySlots` steps later.
    private mutating func gatherInput(base: Int) {
        let count = neuronCount
        let groups = groupCount
        let exponents = groupExponents
        accumulators.withUnsafeMutableBufferPointer { accumulators in
        input.withUnsafeMutableBufferPointer { input in
            for i in 0..<count {
                input[i] = accumulators[base + i]
                accumulators[base + i] = 0
            }
            for group in 1..<max(groups, 1) {
                let offset = base + group * count
                let exponent = exponents[group]
                for i in 0..<count {
                    input[i] &+= WeightExponent.scale(accumulators[offset + i], exponent: exponent)
                    accumulators[offset + i] = 0
                }
            }
        }}
    }

    /// Cycle at which the synapse unit finished the last step's packets (0 if it had none).
    public private(set) var synapseUnitIdleCycle: UInt32 = 0
    /// Synapses processed by the synapse unit in the last step.
    public private(set) var synapticOps = 0

    /// The synapse unit's work for one step: `clock` holds the packed `EventKey`s of the packets
    /// bound for this core, in ascending order; each packet starts at max(arrival, unit free),
    /// takes `synapses × synapticOpCycles` and adds its weights (see `receive`).
    public mutating func runSynapseUnit(clock: UnsafeBufferPointer<UInt64>, packets: [AERPacket], synapticOpCycles: UInt32, timestep: Int) {
        var free: UInt32 = 0
        var operations = 0
        for raw in clock {
            let key = EventKey(rawValue: raw)
            let packet = packets[key.rank]
            let synapses = receive(axon: Int(packet.axon), payload: packet.payload, timestep: timestep)
            free = max(key.cycle, free) &+ UInt32(synapses) &* synapticOpCycles
            operations &+= synapses
        }
        synapseUnitIdleCycle = free
        synapticOps = operations
    }

    /// Delivers one spike that arrived on input axon `axon` during `timestep`: each synapse adds
    /// `weight × payload` into the accumulator of slot `timestep + delay`. Returns the synapses
    /// processed.
    @discardableResult
    public mutating func receive(axon: Int, payload: Int32, timestep: Int) -> Int {
        if !plasticity.isEmpty { plasticity.notePreSpike(axon: axon) }
        let first = Int(axonSynapseStart[axon])
        let end = Int(axonSynapseStart[axon + 1])
        let slotStride = groupCount * neuronCount
        let slots = delaySlots
        synapseAccumulator.withUnsafeBufferPointer { target in
        synapseWeight.withUnsafeBufferPointer { weight in
        synapseDelay.withUnsafeBufferPointer { delay in
        accumulators.withUnsafeMutableBufferPointer { accumulators in
            for s in first..<end {
                let slot = (timestep + Int(delay[s])) % slots
                accumulators[slot * slotStride + Int(target[s])] &+= weight[s] &* payload
            }
        }}}}
        return end - first
    }

    /// True when some synapse of this core learns.
    public var hasPlasticity: Bool { !plasticity.isEmpty }

    /// The learning phase of `timestep` (see `STDPRule`); sets `learningUpdates`.
    public mutating func learn(timestep: Int) {
        guard !plasticity.isEmpty else { return }
        learningUpdates = plasticity.learn(timestep: timestep, postSpikes: spikes, weights: &synapseWeight)
    }

    /// Weights, in file units, of the plastic synapses in synapse-memory order (axon by axon).
    public var plasticWeights: [Int32] { plasticity.weight }

    /// Overwrites the state of one neuron (tests and checkpoints).
    public mutating func setState(neuron: Int, u: Int32, v: Int32) {
        self.u[neuron] = u
        self.v[neuron] = v
        if !previousV.isEmpty { previousV[neuron] = v }
    }
}
