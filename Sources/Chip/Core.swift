import Router

/// One neuromorphic core: a table of per-neuron parameters and state (one row per variable,
/// padded to whole SIMD vectors), a ring buffer of input accumulators (one slot per timestep of
/// delay), its synapse memory (`SynapseMemory`: rows by input axon) and the output axons of its
/// neurons (`OutputAxonTable`).
///
/// A core is mutated in place by the engine (`cores[i].updateNeurons(…)`); it never touches
/// another core's memory, so cores can run on any thread.
public struct Core: Sendable {
    /// Neurons loaded on the core (without the padding to whole SIMD vectors).
    public let neuronCount: Int
    /// Input accumulator groups (see `CoreProgram`).
    public let groupCount: Int
    /// Slots in the input ring buffer.
    public let delaySlots: Int

    /// Rows of `neuronTable`: the bias, state and this step's input (one value per neuron), then
    /// the kernel's other parameters (`isShareable`).
    enum NeuronRow: Int, CaseIterable {
        case bias  // bias_mant << bias_exp
        case u  // synaptic current, 24-bit
        case v  // membrane voltage, 24-bit
        case refractory  // steps left
        case input  // this step's summed weights
        case currentDecay  // 4095 − du
        case voltageDecay  // 4096 − dv
        case threshold  // vth << 6
        case refractoryPeriod  // steps

        /// A parameter row that shrinks to one vector when the core's neurons share their
        /// parameters (see `sharesParameters`). The bias is never shared: padding neurons must
        /// keep a zero bias to stay at rest.
        var isShareable: Bool { rawValue >= NeuronRow.currentDecay.rawValue }
    }
    /// Everything a core's neuron phase and synapse unit read and write each step, in one
    /// allocation (`TableLayout`): the kernels' rows (`NeuronRow`), each `lanes` long or, for
    /// shared parameters, 8 long; the flag bytes of the last update; the input accumulators.
    /// One uniqueness check per phase instead of one per array, and on networks of thousands of
    /// small cores one storage header to miss in the cache per core and step instead of three.
    private var neuronTable: [Int32]
    /// Where each part of `neuronTable` starts.
    private let layout: TableLayout

    /// The parts of `neuronTable`, computed from their lengths (not read from an array of their
    /// own, which would be one more cache miss per core and step). Starts are in Int32s.
    private struct TableLayout {
        /// Length of the per-neuron rows (`lanes`) and of the parameter rows (8 when shared).
        let neuronRowLength: Int
        let parameterRowLength: Int
        /// Length of the input row, the last per-neuron row: `lanes`, or 0 where the kernel
        /// reads the accumulator slot in place (`Core.readsInputSlot`).
        let inputRowLength: Int

        /// Start of row `row` (a `NeuronRow` raw value; `NeuronRow.allCases.count` is the end).
        subscript(row: Int) -> Int {
            let firstParameterRow = NeuronRow.currentDecay.rawValue  // after the input row
            return row < firstParameterRow
                ? row &* neuronRowLength
                : (firstParameterRow &- 1) &* neuronRowLength &+ inputRowLength &+ (row &- firstParameterRow) &* parameterRowLength
        }

        /// Start of the flag bytes: one per neuron (padded to `lanes`), bit 0 active update,
        /// bit 1 spiked (`spikeValue` holds the value in the general kernel).
        var flagsStart: Int { self[NeuronRow.allCases.count] }
        /// Start of the input accumulators, `[slot][group][neuron]` with slots
        /// `accumulatorSlotStride` apart: sums of effective weights, added in any order (integer
        /// addition commutes) and read once per neuron update.
        var accumulatorStart: Int { flagsStart &+ neuronRowLength / 4 }
    }
    /// True when all neurons have the same decays, threshold (not negative: padding neurons at
    /// v = 0 must not spike) and refractory period, as a population's neurons usually do: the
    /// four rows then hold one vector each (16 instead of 32 bytes per neuron in the table, 20
    /// instead of 36 with an input row) and the kernel keeps them in registers instead of
    /// loading them for every 8 neurons.
    let sharesParameters: Bool
    /// `neuronCount` rounded up to whole SIMD vectors of 8; the padding neurons have zero bias
    /// and state (and, in unshared rows, zero parameters), so they never become active or spike
    /// and the kernel needs no scalar remainder loop.
    let lanes: Int
    /// Int32s per delay slot of the input accumulators: groups × neurons, or `lanes` for a core
    /// with one group, whose slot is then laid out like a kernel row (padding included) so that
    /// the plain kernel reads it in place as its input instead of a copy.
    var accumulatorSlotStride: Int { Self.accumulatorSlotStride(groups: groupCount, neurons: neuronCount, lanes: lanes) }
    /// Whether the neuron phase reads its input from the step's accumulator slot (one group, the
    /// plain kernel); such a core's table has no input row.
    var readsInputSlot: Bool { Self.readsInputSlot(groups: groupCount, extended: !extendedParameters.isEmpty) }

    private static func accumulatorSlotStride(groups: Int, neurons: Int, lanes: Int) -> Int {
        groups == 1 ? lanes : groups * neurons
    }

    private static func readsInputSlot(groups: Int, extended: Bool) -> Bool {
        groups == 1 && !extended
    }

    /// Full parameters, kept only when some neuron uses a mechanism beyond CUBA-LIF with a
    /// refractory period; such a core runs the general kernel (chosen once per core, never per
    /// neuron).
    private let extendedParameters: [LoihiNeuron.Parameters]
    /// `extendedParameters` with adaptive thresholds held (no step, no decay), built when a
    /// schedule first holds or clears them; empty while thresholds adapt.
    private var heldThresholdParameters: [LoihiNeuron.Parameters] = []
    /// Adaptive threshold and v at the start of the previous step (general kernel only), per
    /// neuron.
    public private(set) var adaptation: [Int32]
    private var previousV: [Int32]

    /// Whether a plain core at rest with no input skips its neuron kernel (bit-exact either way;
    /// off only to check that claim).
    public var skipsQuietNeurons = true
    /// Neuron phases skipped because the core was at rest with no input.
    public private(set) var skippedNeuronPhases = 0
    /// True when every u, v and refractory counter was zero after the last plain-kernel update.
    private var stateIsZero = false
    /// False while every u and v lies in −2^23…2^23 − 1: then an input below 2^18 in magnitude
    /// keeps the update of u within one wrap of 24 bits (and v saturates), so the plain kernel's
    /// 32-bit lanes are exact and the state stays in that range, and the kernel checks only the
    /// input. True after a state set from outside (initially or by `setState`) or an update on
    /// the scalar path (a larger input can leave u beyond 24 bits); the kernel then checks u and
    /// v too.
    private var stateMayBeWide: Bool
    /// True when some neuron has a non-zero bias (such a core is never at rest).
    private let hasBias: Bool

    /// Synaptic current of each neuron (24-bit, in Int32).
    public var u: NeuronValues { values(.u) }
    /// Membrane voltage of each neuron (24-bit, in Int32).
    public var v: NeuronValues { values(.v) }
    /// Refractory steps left of each neuron.
    public var refractory: NeuronValues { values(.refractory) }

    /// Each neuron's v summed after every neuron phase since `sumVoltages(true)` (empty while
    /// the core does not sum): what a mean-voltage readout divides by the steps. Summed by the
    /// thread that updates the core, so that a host needs no look at the core between steps.
    public private(set) var voltageSums: [Int64] = []

    /// Starts (or restarts, from zero) the sums of `voltageSums`; `false` stops them.
    public mutating func sumVoltages(_ sums: Bool) {
        voltageSums = sums ? Array(repeating: 0, count: neuronCount) : []
    }

    private func values(_ row: NeuronRow) -> NeuronValues {
        NeuronValues(table: neuronTable, offset: layout[row.rawValue], count: neuronCount)
    }

    private let groupExponents: [Int32]
    /// Groups with a negative weight exponent whose synapses have two or more delays: their
    /// sums are shifted per delivery step, as Lava's delayed Dense shifts each step's sum per
    /// delay before it joins the delay buffer (a slot then holds sums of several steps, which a
    /// shift of the whole would floor differently). Empty on almost every core.
    private let foldedGroups: [Int32]
    /// The shifted sums of `foldedGroups`, `[slot][k][neuron]` for the k-th folded group: the
    /// accumulators of a folded group hold one step's deliveries until the next neuron phase
    /// shifts them into these (`foldDeliveries`).
    private var foldedSums: [Int32]

    /// Synapse memory, rows by input axon.
    public private(set) var synapses: SynapseMemory

    // Output axons, compressed rows by neuron.
    /// Every neuron's output axons.
    public let outputAxons: OutputAxonTable

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
    /// Updates of neurons at rest in the last neuron phase (u = v = 0, no input, no bias).
    public private(set) var inactiveUpdates = 0
    /// Synaptic weight updates of the last learning phase.
    public private(set) var learningUpdates = 0

    var plasticity: PlasticityUnit
    /// The value of each neuron's spike in the last update (general kernel).
    private var spikeValue: [Int32] = []

    /// A core's synapse memory and plasticity unit: what it builds from its program's synapses.
    /// A loader may build them core by core (`synapseParts(of:)`) and let each program's synapse
    /// list (24 bytes per synapse) go before the next core's is laid out.
    public struct SynapseParts: Sendable {
        let memory: SynapseMemory
        let plasticity: PlasticityUnit
        /// See `Core.foldedGroups`.
        let foldedGroups: [Int32]
    }

    /// The synapse memory and plasticity unit of a core loaded with `program`.
    public static func synapseParts(of program: CoreProgram) -> SynapseParts {
        let count = program.neurons.count
        var plastic: (synapse: [Int32], rule: [Int32], axon: [Int32], target: [Int32], weight: [Int32]) = ([], [], [], [], [])
        for axon in 0..<program.axonCount {
            for index in Int(program.axonSynapseStart[axon])..<Int(program.axonSynapseStart[axon + 1]) {
                let synapse = program.synapses[index]
                guard synapse.learningRule >= 0 else { continue }
                precondition(Int(synapse.learningRule) < program.learningRules.count, "unknown learning rule")
                plastic.synapse.append(Int32(index))
                plastic.rule.append(synapse.learningRule)
                plastic.axon.append(Int32(axon))
                plastic.target.append(synapse.target)
                plastic.weight.append(synapse.fileWeight)
            }
        }
        let memory = SynapseMemory(
            synapses: program.synapses, rowStarts: program.axonSynapseStart, neuronCount: count,
            accumulatorCount: program.groupExponents.count * count, delaySlots: program.delaySlots)
        let plasticity = PlasticityUnit(
            rules: program.learningRules, synapse: plastic.synapse, rule: plastic.rule, axon: plastic.axon,
            target: plastic.target, weight: plastic.weight, axonCount: program.axonCount, neuronCount: count,
            seed: program.learningSeed)
        return SynapseParts(memory: memory, plasticity: plasticity, foldedGroups: foldedGroups(of: program))
    }

    /// The groups of `program` with a negative weight exponent and synapses of two or more
    /// delays (`Core.foldedGroups`).
    static func foldedGroups(of program: CoreProgram) -> [Int32] {
        let negative = program.groupExponents.indices.filter { program.groupExponents[$0] < 0 }
        guard !negative.isEmpty else { return [] }
        var firstDelay = [Int32](repeating: 0, count: program.groupExponents.count)  // 0: none yet (delays are ≥ 1)
        var severalDelays = [Bool](repeating: false, count: program.groupExponents.count)
        for synapse in program.synapses {
            let group = Int(synapse.group)
            if firstDelay[group] == 0 { firstDelay[group] = synapse.delay } else if firstDelay[group] != synapse.delay { severalDelays[group] = true }
        }
        return negative.filter { severalDelays[$0] }.map(Int32.init)
    }

    /// A core loaded with `program`: its neuron table, synapse memory and axon tables laid out, every
    /// neuron at its initial state.
    public init(program: CoreProgram) {
        self.init(program: program, synapseParts: Self.synapseParts(of: program))
    }

    /// A core loaded with `program`, whose synapses are already laid out in `synapseParts`
    /// (`synapseParts(of:)` of the same program; the program's own synapse list is not read
    /// and may have been emptied since).
    public init(program: CoreProgram, synapseParts: SynapseParts) {
        let count = program.neurons.count
        precondition(program.initialU.count == count && program.initialV.count == count && program.destinations.count == count)
        precondition(program.groupExponents.first == 0 && program.delaySlots >= 2)
        neuronCount = count
        groupCount = program.groupExponents.count
        delaySlots = program.delaySlots
        let lanes = (count + 7) / 8 * 8
        self.lanes = lanes
        let slotStride = Self.accumulatorSlotStride(groups: program.groupExponents.count, neurons: count, lanes: lanes)
        let extended = program.neurons.contains { !$0.runsOnPlainKernel }
        let readsSlot = Self.readsInputSlot(groups: program.groupExponents.count, extended: extended)
        func kernelValue(_ row: NeuronRow, _ neuron: LoihiNeuron.Parameters) -> Int32 {
            switch row {
            case .bias: LoihiNeuron.bias(mantissa: neuron.biasMantissa, exponent: neuron.biasExponent)
            case .currentDecay: 4095 - neuron.du
            case .voltageDecay: 4096 - neuron.dv
            case .threshold: neuron.vth << LoihiNeuron.thresholdShift
            case .refractoryPeriod: neuron.refractoryPeriod
            case .u, .v, .refractory, .input: 0
            }
        }
        let shares = program.neurons.first.map { first in
            kernelValue(.threshold, first) >= 0 && program.neurons.allSatisfy { neuron in
                NeuronRow.allCases.allSatisfy { !$0.isShareable || kernelValue($0, neuron) == kernelValue($0, first) }
            }
        } ?? false
        let tableLayout = TableLayout(neuronRowLength: lanes, parameterRowLength: shares ? 8 : lanes, inputRowLength: readsSlot ? 0 : lanes)
        let length = tableLayout.accumulatorStart + program.delaySlots * slotStride
        var table = [Int32](repeating: 0, count: length)
        for (i, neuron) in program.neurons.enumerated() {
            for row in NeuronRow.allCases where row == .bias || (row.isShareable && !shares) {
                table[tableLayout[row.rawValue] + i] = kernelValue(row, neuron)
            }
            table[tableLayout[NeuronRow.u.rawValue] + i] = program.initialU[i]
            table[tableLayout[NeuronRow.v.rawValue] + i] = program.initialV[i]
        }
        if shares, let first = program.neurons.first {  // a shared row: the value in all 8 lanes
            for row in NeuronRow.allCases where row.isShareable {
                for lane in 0..<8 { table[tableLayout[row.rawValue] + lane] = kernelValue(row, first) }
            }
        }
        neuronTable = table
        layout = tableLayout
        stateMayBeWide = zip(program.initialU, program.initialV).contains { !Self.isNarrow($0) || !Self.isNarrow($1) }
        sharesParameters = shares
        extendedParameters = extended ? program.neurons : []
        hasBias = program.neurons.contains { kernelValue(.bias, $0) != 0 }
        adaptation = extended ? Array(repeating: 0, count: count) : []
        previousV = extended ? program.initialV : []
        groupExponents = program.groupExponents
        foldedGroups = synapseParts.foldedGroups
        foldedSums = Array(repeating: 0, count: synapseParts.foldedGroups.count * program.delaySlots * count)

        synapses = synapseParts.memory
        plasticity = synapseParts.plasticity

        outputAxons = OutputAxonTable(program.destinations)
    }

    /// Input axons of this core.
    public var inputAxonCount: Int { synapses.rows.axonCount }
    /// Synapses stored in this core.
    public var synapseCount: Int { synapses.count }
    /// Output axon entries of this core.
    public var outputAxonCount: Int { outputAxons.count }

    /// Bytes this core's state takes (its arrays' elements): neuron state and parameters, input
    /// accumulators, synapse memory, axon tables and learning state. The same before and after
    /// any run, on any threads: the per-step spike lists (one step's events, like the packet
    /// lists) are left out, and capacities are not counted, since they follow the allocator.
    public var memoryBytes: Int {
        func bytes<Element>(_ array: [Element]) -> Int { array.count * MemoryLayout<Element>.stride }
        let neuronBytes = bytes(neuronTable) + bytes(extendedParameters) + bytes(adaptation) + bytes(previousV) + bytes(spikeValue) + bytes(foldedSums)
        let synapseBytes = synapses.memoryBytes
        let axonBytes = outputAxons.memoryBytes
        return neuronBytes + synapseBytes + axonBytes + plasticity.memoryBytes
    }

    /// Synapses reached through one input axon.
    @inline(__always)
    public func synapseCount(axon: Int) -> Int {
        synapses.rows.row(axon).count
    }

    /// Output axons of one neuron, as a range of `outputAxons` entries.
    @inline(__always)
    public func destinations(of neuron: Int) -> Range<Int> {
        outputAxons.range(of: neuron)
    }

    /// The neuron phase of `timestep`: every neuron, in index order, reads its input for this step,
    /// updates `u` and `v` with Loihi's integer arithmetic, and spikes if `v` passes threshold.
    ///
    /// Two passes: a branch-free update of all neurons that writes one flag byte per neuron, then
    /// a scan of the flags, eight at a time, that collects spikes and gives each its completion
    /// cycle (active updates cost more than inactive ones) — skipped where the plain kernel's own
    /// tally saw no spike.
    public mutating func updateNeurons(timestep: Int, activeCycles: UInt32, inactiveCycles: UInt32) {
        let count = neuronCount
        let ringSlot = timestep % delaySlots
        let slot = layout.accumulatorStart &+ ringSlot &* accumulatorSlotStride
        // With one group the plain kernel reads this step's slot as its input and clears it;
        // otherwise the groups are summed into the input row first (and the slot cleared).
        // Folded groups are shifted out of the slot before, and their sums added after.
        if foldedGroups.isEmpty {
            if !readsInputSlot { gatherInput(slot: slot) }
        } else {
            foldDeliveries()
            gatherInput(slot: slot)
            addFoldedSums(ringSlot: ringSlot)
        }
        let input = readsInputSlot ? slot : layout[NeuronRow.input.rawValue]

        var tally: PlainKernelTally?
        if extendedParameters.isEmpty {
            // A core at rest (u, v and refractory counters all zero, no bias) that receives no
            // input stays at rest: every update is inactive and nothing spikes, so the kernel
            // can be skipped without changing any state or count.
            if skipsQuietNeurons && stateIsZero && !hasBias && isInputZero(at: input) {
                clearSpikes()
                activeUpdates = 0
                inactiveUpdates = count
                neuronPhaseCycles = UInt32(truncatingIfNeeded: count) &* inactiveCycles
                skippedNeuronPhases &+= 1
                return
            }
            tally = updatePlainNeurons(input: input)
        } else {
            updateExtendedNeurons()
        }

        clearSpikes()
        // Most cores of most steps have no spike: then the kernel's own count of active lanes
        // is the phase's, and the flags need no second look.
        let active: Int
        if let tally, !tally.anySpiked {
            active = tally.activeLanes
        } else {
            active = collectFlags(activeCycles: activeCycles, inactiveCycles: inactiveCycles)
        }
        activeUpdates = active
        inactiveUpdates = count - active
        neuronPhaseCycles = UInt32(truncatingIfNeeded: active) &* activeCycles &+ UInt32(truncatingIfNeeded: count - active) &* inactiveCycles
        if !voltageSums.isEmpty { addVoltages() }  // a skipped phase leaves every v at 0: nothing to add
    }

    /// Writes the u and v of the `count` neurons `neurons` lists into `values`, neuron k's at
    /// 2 · `sites[k]` (for a pulled batch's state probes, `StateProbes`). Mutating though it
    /// writes nothing of the core, so that a part calls it on the core in place: a non-mutating
    /// call on a core behind a pointer may copy it, retaining every one of its arrays.
    mutating func captureStates(neurons: UnsafePointer<Int32>, sites: UnsafePointer<Int32>, count: Int, into values: UnsafeMutablePointer<Int32>) {
        let uStart = layout[NeuronRow.u.rawValue], vStart = layout[NeuronRow.v.rawValue]
        neuronTable.withUnsafeBufferPointer { table in
            for k in 0..<count {
                let neuron = Int(neurons[k]), at = 2 &* Int(sites[k])
                values[at] = table[uStart &+ neuron]
                values[at &+ 1] = table[vStart &+ neuron]
            }
        }
    }

    /// Adds each neuron's v into `voltageSums`.
    private mutating func addVoltages() {
        let start = layout[NeuronRow.v.rawValue]
        neuronTable.withUnsafeBufferPointer { table in
            voltageSums.withUnsafeMutableBufferPointer { sums in
                for neuron in sums.indices { sums[neuron] &+= Int64(table[start &+ neuron]) }
            }
        }
    }

    /// Counts the active neurons from the neuron phase's flags and lists the spikes (neuron,
    /// value, completion cycle) in neuron order; returns the active count.
    private mutating func collectFlags(activeCycles: UInt32, inactiveCycles: UInt32) -> Int {
        let extended = !extendedParameters.isEmpty
        var active = 0
        let flagsOffset = layout.flagsStart &* 4
        neuronTable.withUnsafeBytes { table in
            let flags = UnsafeRawBufferPointer(rebasing: table[flagsOffset..<(flagsOffset &+ lanes)])
            // Eight flag bytes per word: bit 0 of each byte = active, bit 1 = spiked. The flags
            // are padded to whole words with zeros (padding neurons never act).
            let activeBits: UInt64 = 0x0101_0101_0101_0101
            let spikeBits: UInt64 = 0x0202_0202_0202_0202
            let words = lanes / 8
            var i = 0
            for word in 0..<words {
                let flagWord = flags.loadUnaligned(fromByteOffset: word * 8, as: UInt64.self)
                if flagWord & spikeBits == 0 {
                    active &+= (flagWord & activeBits).nonzeroBitCount
                    i &+= 8
                    continue
                }
                for _ in 0..<8 {
                    collect(flags[i], neuron: i, active: &active, extended: extended, activeCycles: activeCycles, inactiveCycles: inactiveCycles)
                    i &+= 1
                }
            }
        }
        return active
    }

    /// Prefetches each cache line the neuron phase of `timestep` reads first (the kernel's rows,
    /// the flags, the step's accumulator slot): the engine calls it for the core
    /// `ChipEngine.prefetchCores` ahead of the one it updates. Mutating, like `listPackets`
    /// and the synapse units' prefetches, only so that the call reads the core in place (a
    /// non-mutating call on `cores[i]` may copy the whole core first).
    mutating func prefetchNeuronPhase(timestep: Int) {
        let slot = layout.accumulatorStart &+ (timestep % delaySlots) &* accumulatorSlotStride
        let slotBytes = accumulatorSlotStride &* MemoryLayout<Int32>.stride
        neuronTable.withUnsafeBufferPointer { table in
            guard let base = table.baseAddress else { return }
            Self.prefetchHeader(ofElements: base)
            prefetchLines(base, byteCount: layout.accumulatorStart &* MemoryLayout<Int32>.stride)
            prefetchLines(base + slot, byteCount: slotBytes)
        }
    }

    /// Prefetches the storage header of the array whose elements start at `elements`: opening
    /// `neuronTable` for writing (the kernel, delivery) checks its reference count there, a
    /// cache miss per core and phase on large networks unless prefetched.
    @inline(__always)
    private static func prefetchHeader(ofElements elements: UnsafePointer<Int32>) {
        prefetch(UnsafeRawPointer(elements) - arrayHeaderBytes)
    }

    /// Moves the neuron table into new storage of its own, values unchanged
    /// (`ChipEngine.layOutNeuronTablesInCoreOrder` does it for every core in turn).
    mutating func reallocateNeuronTable() {
        neuronTable = neuronTable.withUnsafeBufferPointer { Array($0) }
    }

    /// Address of the neuron table's first element (tests check where it moved).
    var neuronTableAddress: Int { neuronTable.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) } }

    /// Bytes from an array's storage object to its first element in the Swift runtime: the
    /// object header (metadata, reference count), the count and the capacity. A test checks it
    /// against an array's storage address.
    static var arrayHeaderBytes: Int { 4 * MemoryLayout<Int>.size }

    /// `spikes.count`, kept in the core itself so that finding a core without spikes does not
    /// read the list's storage (a cache miss per core and step on large networks).
    public private(set) var spikeCount = 0

    /// Empties the spike lists, keeping their storage (most cores of a large network have no
    /// spike in most steps, and clearing an empty array is not free).
    @inline(__always)
    private mutating func clearSpikes() {
        guard spikeCount > 0 else { return }
        spikeCount = 0
        spikes.removeAll(keepingCapacity: true)
        spikeValues.removeAll(keepingCapacity: true)
        spikeCycles.removeAll(keepingCapacity: true)
    }

    /// Counts one neuron's update and, if it spiked, records the spike with the cycle its update
    /// finished at (all updates up to and including it).
    @inline(__always)
    private mutating func collect(_ flags: UInt8, neuron i: Int, active: inout Int, extended: Bool, activeCycles: UInt32, inactiveCycles: UInt32) {
        active &+= Int(flags & 1)
        guard flags & 2 != 0 else { return }
        spikeCount &+= 1
        spikes.append(Int32(i))
        spikeValues.append(extended ? spikeValue[i] : 1)
        spikeCycles.append(UInt32(truncatingIfNeeded: active) &* activeCycles &+ UInt32(truncatingIfNeeded: i + 1 - active) &* inactiveCycles)
    }

    /// Packets the spikes of the last neuron phase make: one per output axon of each neuron that
    /// spiked (`listPackets` writes that many). Mutating for the reason `listPackets` is.
    public mutating func packetCount() -> Int {
        var total = 0
        for neuron in spikes { total &+= outputAxons.range(of: Int(neuron)).count }
        return total
    }

    /// Writes the spikes of the last neuron phase as core `index`'s exports from `destination`
    /// (room for `spikeCount` of them), their packets entering the network `spikeOutCycles`
    /// after each spike; returns how many (`ChipEngine.pullsPackets`).
    mutating func exportSpikes(core index: Int32, spikeOutCycles: UInt32, into destination: UnsafeMutablePointer<ExportedSpike>) -> Int {
        for k in 0..<spikeCount {
            destination[k] = ExportedSpike(core: index, neuron: spikes[k], injectCycle: spikeCycles[k] &+ spikeOutCycles, payload: spikeValues[k])
        }
        return spikeCount
    }

    /// Writes one packet per output axon of each neuron that spiked in the last neuron phase,
    /// in (neuron, axon) order, into `packets` from index `start` (which must leave room for
    /// `packetCount()` of them), numbering spikes from `spikeNumber`. Returns the packets
    /// written and the packets the core sends: one per output axon, or with multicast one per
    /// spike that has any.
    /// (Mutating only so that `cores[i].listPackets(…)` reads the core in place: a non-mutating
    /// call copied the whole core, retaining each of its arrays, for every core that spiked.)
    public mutating func listPackets(
        source: Int32, coreEndpoints: UnsafeBufferPointer<Int32>, spikeOutCycles: UInt32, multicast: Bool,
        spikeNumber: inout Int32, into packets: UnsafeMutableBufferPointer<AERPacket>, at start: Int
    ) -> (written: Int, sent: Int) {
        // Written into a buffer: a busy step lists thousands of packets, and appending each one
        // checked the array's uniqueness and capacity; several workers may list into one list.
        // The room is checked once per spike, not by counting the packets again.
        precondition(start >= 0, "packets start at a negative index")
        var sent = 0
        var index = start
        for k in spikes.indices {
            let neuron = Int(spikes[k])
            let inject = spikeCycles[k] &+ spikeOutCycles
            let range = outputAxons.range(of: neuron)
            precondition(index &+ range.count <= packets.count, "no room for the core's packets")
            sent += multicast ? (range.isEmpty ? 0 : 1) : range.count
            spikeNumber &+= 1
            for d in range {
                let output = outputAxons[d]
                packets[index] = AERPacket(
                    source: source, destination: coreEndpoints[Int(output.core)],
                    axon: output.axon, payload: spikeValues[k], injectCycle: inject, spike: spikeNumber)
                index &+= 1
            }
        }
        return (index - start, sent)
    }

    /// The kernel of CUBA-LIF cores (with or without a refractory period): one branch-free pass
    /// over the neuron table, eight neurons at a time in 32-bit SIMD lanes (the compiler cannot
    /// vectorize the scalar loop: it cannot prove the rows do not overlap). It reads the step's
    /// input from the `lanes` Int32s at `input` in the table and leaves them zero. Returns its
    /// tally of the lanes, or nil where some lanes took the scalar path (whose flags it does
    /// not tally).
    private mutating func updatePlainNeurons(input inputOffset: Int) -> PlainKernelTally? {
        let count = neuronCount
        guard count > 0 else { return PlainKernelTally(activeLanes: 0, anySpiked: false) }
        let lanes = self.lanes
        var isAtRest = false
        var mayBeWide = true
        var tally: PlainKernelTally?
        neuronTable.withUnsafeMutableBufferPointer { table in
            typealias Vector = SIMD8<Int32>
            let tableBase = table.baseAddress!
            @inline(__always) func row(_ row: NeuronRow) -> UnsafeMutableRawPointer {
                UnsafeMutableRawPointer(tableBase + layout[row.rawValue])
            }
            let currentDecayBase = row(.currentDecay), voltageDecayBase = row(.voltageDecay)
            let biasBase = row(.bias), thresholdBase = row(.threshold), periodBase = row(.refractoryPeriod)
            let uBase = row(.u), vBase = row(.v), refractoryBase = row(.refractory)
            let inputBase = UnsafeMutableRawPointer(tableBase + inputOffset)
            let activityBase = UnsafeMutableRawPointer(tableBase + layout.flagsStart)
            @inline(__always) func load(_ base: UnsafeMutableRawPointer, _ i: Int) -> Vector {
                base.loadUnaligned(fromByteOffset: i &* 4, as: Vector.self)
            }
            @inline(__always) func store(_ value: Vector, _ base: UnsafeMutableRawPointer, _ i: Int) {
                base.storeBytes(of: value, toByteOffset: i &* 4, as: Vector.self)
            }
            // Everything below is lane-wise arithmetic: conditions become all-ones masks through
            // the sign bit (x &>> 31), because SIMD comparisons compile to per-lane loops.
            let wrapOffset = Vector(repeating: Int32(LoihiNeuron.stateLimit) - 1)  // (−2^23, 2^23] → [0, 2^24)
            let wrapMask = Vector(repeating: Int32(2 * LoihiNeuron.stateLimit) - 1)
            let voltageLimit = Vector(repeating: LoihiNeuron.voltageLimit)
            let range18 = Vector(repeating: 1 << 18)
            let range23 = Vector(repeating: 1 << 23)
            let zero = Vector(repeating: 0)
            let one = Vector(repeating: 1)
            let two = Vector(repeating: 2)
            // LoihiNeuron.decay rounds x·factor/4096 toward zero: the magnitude's product in
            // 64-bit lanes (|x| ≤ 2^24 and 0 ≤ factor ≤ 4096, so it needs 37 bits), shifted,
            // then the sign restored. The products are taken in place, the even lanes' and the
            // odd lanes' in four 64-bit lanes each (a 32 × 32 → 64 multiply of each lane's low
            // half, which every x86-64 has): widening eight lanes to 64 bits took 512-bit
            // registers where the CPU has them, and while 512-bit instructions are in flight
            // Intel cores run every vector instruction on two ports instead of three.
            @inline(__always) func decay(_ x: Vector, _ factor: Vector) -> Vector {
                typealias Wide = SIMD4<UInt64>
                let sign = x &>> 31
                let magnitude = unsafeBitCast((x ^ sign) &- sign, to: Wide.self)
                let factors = unsafeBitCast(factor, to: Wide.self)
                let low = Wide(repeating: 0xFFFF_FFFF)
                let even = (magnitude & low) &* (factors & low)
                let odd = (magnitude &>> 32) &* (factors &>> 32)
                let quotient = unsafeBitCast(((even &>> 12) & low) | ((odd &>> 12) &<< 32), to: Vector.self)
                return (quotient ^ sign) &- sign
            }
            @inline(__always) func isAnyLaneNonzero(_ x: Vector) -> Bool {
                let words = unsafeBitCast(x, to: (UInt64, UInt64, UInt64, UInt64).self)
                return words.0 | words.1 | words.2 | words.3 != 0
            }
            // The pass over all neurons, written once and compiled four times (generic over its
            // variant, so each is specialized even where the compiler does not inline it): with
            // shared parameters held in registers or loaded with each vector, and with or
            // without the test of u and v (`stateMayBeWide`).
            @inline(__always) func pass<Variant: PlainKernelVariant>(_: Variant.Type) -> (tookScalarPath: Bool, tally: PlainKernelTally) {
                let sharing = Variant.sharesParameters, checkingState = Variant.checksState
                var tookScalarPath = false
                // 1 per active lane; any lane that spiked (all ones).
                var activeLanes = zero, spikedLanes = zero
                let sharedCurrentDecay = load(currentDecayBase, 0), sharedVoltageDecay = load(voltageDecayBase, 0)
                let sharedThreshold = load(thresholdBase, 0), sharedPeriod = load(periodBase, 0)
                var i = 0
                while i < lanes {
                    let a = load(inputBase, i)
                    let oldU = load(uBase, i)
                    let oldV = load(vBase, i)
                    // |a| < 2^18 and |u|, |v| ≤ 2^23 keep every intermediate in 32 bits and the new
                    // state in that range (`stateMayBeWide`). A larger input, or a wide state,
                    // takes the scalar path (`updatePlainNeuron`), whose sums wrap in 32 bits as
                    // Lava's arrays do.
                    let wideInput = (a &+ range18) &>> 19
                    let wide = checkingState ? wideInput | ((oldU &+ range23) &>> 24) | ((oldV &+ range23) &>> 24) : wideInput
                    if isAnyLaneNonzero(wide) {
                        for k in i..<(i &+ 8) {
                            Self.updatePlainNeuron(k, input: a[k &- i], table: tableBase, layout: layout, sharesParameters: sharing, flags: activityBase)
                        }
                        store(zero, inputBase, i)
                        tookScalarPath = true
                        i &+= 8
                        continue
                    }
                    let left = load(refractoryBase, i)
                    let b = load(biasBase, i)
                    let unwrapped = decay(oldU, sharing ? sharedCurrentDecay : load(currentDecayBase, i)) &+ (a &<< 6)
                    // u wraps once into (−2^23, 2^23], like LoihiNeuron.wrapCurrent; as |decay| ≤ 2^23
                    // and |a · 64| < 2^24 here, that one wrap is the residue modulo 2^24 there.
                    let newU = ((unwrapped &+ wrapOffset) & wrapMask) &- wrapOffset
                    let sum = decay(oldV, sharing ? sharedVoltageDecay : load(voltageDecayBase, i)) &+ newU &+ b
                    // Saturate to ±(2^23 − 1): min, then max, by masks on the differences.
                    let over = voltageLimit &- sum
                    let capped = sum &+ (over & (over &>> 31))
                    let under = capped &+ voltageLimit
                    let newV = capped &- (under & (under &>> 31))
                    let resting = (0 &- left) &>> 31  // left > 0 (left is never negative)
                    let spiked = ~resting & ((sharing ? sharedThreshold : load(thresholdBase, i)) &- newV) &>> 31
                    store(zero, inputBase, i)
                    store(newU, uBase, i)
                    store(newV & ~(resting | spiked), vBase, i)
                    store(((sharing ? sharedPeriod : load(periodBase, i)) & spiked) | ((left &- one) & resting), refractoryBase, i)
                    let state = oldU | oldV | a | b | left
                    let isActive = (state | (0 &- state)) &>> 31
                    let activeFlag = isActive & one
                    let flags = activeFlag | (spiked & two)
                    activityBase.storeBytes(of: SIMD8<UInt8>(truncatingIfNeeded: flags), toByteOffset: i, as: SIMD8<UInt8>.self)
                    activeLanes &+= activeFlag
                    spikedLanes |= spiked
                    i &+= 8
                }
                return (tookScalarPath, PlainKernelTally(activeLanes: Int(activeLanes.wrappedSum()), anySpiked: isAnyLaneNonzero(spikedLanes)))
            }
            let result: (tookScalarPath: Bool, tally: PlainKernelTally)
            switch (sharesParameters, stateMayBeWide) {
            case (true, false): result = pass(SharedParametersNarrowState.self)
            case (false, false): result = pass(OwnParametersNarrowState.self)
            case (true, true): result = pass(SharedParametersWideState.self)
            case (false, true): result = pass(OwnParametersWideState.self)
            }
            mayBeWide = result.tookScalarPath
            if !result.tookScalarPath { tally = result.tally }
            // At rest unless some neuron has state; an active core stops at its first neuron.
            let u = tableBase + layout[NeuronRow.u.rawValue], v = tableBase + layout[NeuronRow.v.rawValue]
            let refractory = tableBase + layout[NeuronRow.refractory.rawValue]
            isAtRest = !(0..<count).contains { u[$0] != 0 || v[$0] != 0 || refractory[$0] != 0 }
        }
        stateIsZero = isAtRest
        stateMayBeWide = mayBeWide
        return tally
    }

    /// Whether a state value lies in −2^23…2^23 − 1 (see `stateMayBeWide`).
    private static func isNarrow(_ value: Int32) -> Bool {
        value >= -(1 << 23) && value < 1 << 23
    }

    /// True when this step's input, the neurons' Int32s at `input` in the table, is zero for
    /// every neuron (an OR over the row, which the compiler vectorizes).
    private func isInputZero(at input: Int) -> Bool {
        neuronTable.withUnsafeBufferPointer { table in
            var any: Int32 = 0
            for value in table[input..<(input + neuronCount)] { any |= value }
            return any == 0
        }
    }

    /// One neuron of the plain kernel in scalar form (lanes whose input or state is too large for
    /// 32-bit lanes).
    private static func updatePlainNeuron(_ i: Int, input a: Int32, table: UnsafeMutablePointer<Int32>, layout: TableLayout, sharesParameters: Bool, flags: UnsafeMutableRawPointer) {
        @inline(__always) func at(_ row: NeuronRow) -> UnsafeMutablePointer<Int32> {
            table + (layout[row.rawValue] &+ (sharesParameters && row.isShareable ? 0 : i))
        }
        let oldU = at(.u).pointee
        let oldV = at(.v).pointee
        let left = at(.refractory).pointee
        let bias = at(.bias).pointee
        // The sums wrap in 32 bits, as the scalar reference (and Lava) do.
        let newU = LoihiNeuron.newCurrent(decayed: LoihiNeuron.decay(oldU, factor: at(.currentDecay).pointee), input: a)
        let newV = LoihiNeuron.newVoltage(decayed: LoihiNeuron.decay(oldV, factor: at(.voltageDecay).pointee), current: newU, bias: bias)
        let resting = left > 0
        let spiked = !resting && newV > at(.threshold).pointee
        at(.u).pointee = newU
        at(.v).pointee = resting || spiked ? 0 : newV
        at(.refractory).pointee = resting ? left &- 1 : (spiked ? at(.refractoryPeriod).pointee : 0)
        let isActive = (oldU | oldV | a | bias | left) != 0
        flags.storeBytes(of: (isActive ? 1 : 0) | (spiked ? 2 : 0), toByteOffset: i, as: UInt8.self)
    }

    /// The kernel of cores with extra mechanisms (refractory period, subtractive reset, adaptive
    /// and dynamic thresholds, ternary and graded spikes): the same integer update as
    /// `LoihiNeuron.step(state:input:parameters:meanVoltage:)`, neuron by neuron.
    private mutating func updateExtendedNeurons() {
        let count = neuronCount
        if spikeValue.count != count { spikeValue = Array(repeating: 0, count: count) }
        let parameterTable = heldThresholdParameters.isEmpty ? extendedParameters : heldThresholdParameters
        parameterTable.withUnsafeBufferPointer { parameters in
        neuronTable.withUnsafeMutableBufferPointer { table in
        adaptation.withUnsafeMutableBufferPointer { adaptation in
        previousV.withUnsafeMutableBufferPointer { previousV in
        spikeValue.withUnsafeMutableBufferPointer { values in
            let base = table.baseAddress!
            let flags = UnsafeMutableRawPointer(base + layout.flagsStart)
            let bias = base + layout[NeuronRow.bias.rawValue], input = base + layout[NeuronRow.input.rawValue]
            let u = base + layout[NeuronRow.u.rawValue], v = base + layout[NeuronRow.v.rawValue]
            let refractory = base + layout[NeuronRow.refractory.rawValue]
            var meanSum: Int64 = 0
            var meanCount: Int64 = 0
            for i in 0..<count where parameters[i].meanVoltageGain != 0 {
                meanSum += Int64(v[i])
                meanCount += 1
            }
            // Floor division, as documented (only max(0, mean) is used, but the rule should not depend on it).
            let meanVoltage = meanCount > 0 ? Int32(meanSum >= 0 ? meanSum / meanCount : -((-meanSum + meanCount - 1) / meanCount)) : 0
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
                flags.storeBytes(of: (active ? 1 : 0) | (value != 0 ? 2 : 0), toByteOffset: i, as: UInt8.self)
            }
        }}}}}
    }

    /// Sets what the adaptive thresholds do from the next step on (see `ThresholdAdaptation`);
    /// `off` clears them now.
    public mutating func setThresholdAdaptation(_ mode: ThresholdAdaptation) {
        if mode == .off { for i in adaptation.indices { adaptation[i] = 0 } }
        if mode == .adapt {
            heldThresholdParameters = []
        } else if heldThresholdParameters.isEmpty {
            heldThresholdParameters = extendedParameters.map { parameters in
                var held = parameters
                held.thresholdStep = 0
                held.thresholdDecay = 0
                return held
            }
        }
    }

    /// Sums the accumulator groups of this step's slot (`slot`, in the table) into the input row
    /// (applying each group's weight exponent to its sum) and clears the slot for reuse
    /// `delaySlots` steps later.
    private mutating func gatherInput(slot: Int) {
        guard neuronCount > 0 else { return }
        Self.gather(
            slot: slot, count: neuronCount, groups: groupCount, inputOffset: layout[NeuronRow.input.rawValue],
            groupExponents: groupExponents, table: &neuronTable)
    }

    /// Shifts what the folded groups' accumulators received since the last neuron phase (one
    /// step's deliveries, every delay) into `foldedSums`, slot by slot, and clears them.
    private mutating func foldDeliveries() {
        let count = neuronCount
        let groups = foldedGroups.count
        let slotStride = accumulatorSlotStride
        let start = layout.accumulatorStart
        for (k, group) in foldedGroups.enumerated() {
            let shift = -groupExponents[Int(group)]
            for slot in 0..<delaySlots {
                let raw = start + slot * slotStride + Int(group) * count
                let folded = (slot * groups + k) * count
                for i in 0..<count where neuronTable[raw + i] != 0 {
                    foldedSums[folded + i] &+= neuronTable[raw + i] >> shift
                    neuronTable[raw + i] = 0
                }
            }
        }
    }

    /// Adds the folded groups' shifted sums of ring slot `ringSlot` to the input row and clears
    /// them (their accumulators, folded just before, added nothing in `gatherInput`).
    private mutating func addFoldedSums(ringSlot: Int) {
        let count = neuronCount
        let input = layout[NeuronRow.input.rawValue]
        for k in foldedGroups.indices {
            let folded = (ringSlot * foldedGroups.count + k) * count
            for i in 0..<count {
                neuronTable[input + i] &+= foldedSums[folded + i]
                foldedSums[folded + i] = 0
            }
        }
    }

    /// `gatherInput`'s work, static with the core's arrays as arguments so that each is used in
    /// place (a closure inside the method copied the exponent table, retaining it, per core and
    /// step).
    private static func gather(
        slot: Int, count: Int, groups: Int, inputOffset: Int, groupExponents: borrowing [Int32], table: inout [Int32]
    ) {
        table.withUnsafeMutableBufferPointer { table in
            let input = table.baseAddress! + inputOffset
            let accumulators = table.baseAddress! + slot
            // Group 0 is a plain copy and clear (memcpy and memset, not a scalar loop).
            input.update(from: accumulators, count: count)
            accumulators.update(repeating: 0, count: count)
            for group in 1..<max(groups, 1) {
                let offset = group * count
                let exponent = groupExponents[group]
                for i in 0..<count {
                    input[i] &+= WeightExponent.scale(accumulators[offset + i], exponent: exponent)
                    accumulators[offset + i] = 0
                }
            }
        }
    }

    /// Cycle at which the synapse unit finished the last step's packets (0 if it had none).
    public private(set) var synapseUnitIdleCycle: UInt32 = 0
    /// Synapses processed by the synapse unit in the last step.
    public private(set) var synapticOps = 0

    /// The synapse unit's work for one step: `clock` holds the packed `EventKey`s of the packets
    /// bound for this core, in ascending order; each packet starts at max(arrival, unit free),
    /// takes `synapses × synapticOpCycles` and adds its weights (see `receive`).
    ///
    /// `packets` is the storage of the step's packet list, which the engine's phases hold for
    /// all cores (so that no core retains the list); `EventKey.rank` indexes it. With
    /// `synapseCounts`, the synapses of each packet are also written there at its rank
    /// (`ChipEngine.advance` times the unit later, once the network has timed the packets).
    ///
    /// With `rows`, the packets' synapse rows were found beforehand by `lookUpSynapseRows`.
    public mutating func runSynapseUnit(
        clock: UnsafeBufferPointer<UInt64>, packets: UnsafeBufferPointer<AERPacket>, synapticOpCycles: UInt32, timestep: Int,
        synapseCounts: UnsafeMutablePointer<UInt32>? = nil, rows: UnsafePointer<UInt64>? = nil
    ) {
        guard !clock.isEmpty else {
            synapseUnitIdleCycle = 0
            synapticOps = 0
            return
        }
        var free: UInt32 = 0
        var operations = 0
        let slotStride = accumulatorSlotStride
        let slots = delaySlots
        let current = timestep % slots
        // Pre spikes are noted in a pass of their own, so the delivery loop below touches no
        // part of the core but its accumulators (with the plasticity unit in the same loop, the
        // synapse memory was copied, retaining its arrays, for every core and step).
        if !plasticity.isEmpty {
            for raw in clock { plasticity.notePreSpike(axon: Int(packets[EventKey(rawValue: raw).rank].axon)) }
        }
        (free, operations) = Self.deliver(
            clock, packets: packets, synapses: synapses, table: &neuronTable, accumulatorStart: layout.accumulatorStart,
            current: current, slots: slots, slotStride: slotStride, synapticOpCycles: synapticOpCycles,
            synapseCounts: synapseCounts, rows: rows)
        synapseUnitIdleCycle = free
        synapticOps = operations
    }

    /// The delivery loop of `runSynapseUnit`: returns the cycle the unit is free again and the
    /// synapses processed. Static, with the synapse memory and the accumulators as arguments, so
    /// that both are used in place: as a closure inside the method, the compiler copied the
    /// synapse memory (retaining its arrays) for every core and step. The synapse tables are
    /// taken once for all of the step's packets (a call per packet cost more than its one or two
    /// synapses on sparse networks).
    private static func deliver(
        _ clock: UnsafeBufferPointer<UInt64>, packets: UnsafeBufferPointer<AERPacket>, synapses: borrowing SynapseMemory,
        table: inout [Int32], accumulatorStart: Int, current: Int, slots: Int, slotStride: Int, synapticOpCycles: UInt32,
        synapseCounts: UnsafeMutablePointer<UInt32>?, rows: UnsafePointer<UInt64>?
    ) -> (free: UInt32, operations: Int) {
        var free: UInt32 = 0
        var operations = 0
        synapses.withDelivery { delivery in
        withAccumulators(in: &table, from: accumulatorStart) { accumulators in
            for raw in clock {
                let key = EventKey(rawValue: raw)
                let packet = packets[key.rank]
                let count = if let rows {
                    delivery.deliver(row: Self.row(rows[key.rank]), payload: packet.payload, current: current, slots: slots, slotStride: slotStride, into: accumulators)
                } else {
                    delivery.deliver(axon: Int(packet.axon), payload: packet.payload, current: current, slots: slots, slotStride: slotStride, into: accumulators)
                }
                free = max(key.cycle, free) &+ UInt32(truncatingIfNeeded: count) &* synapticOpCycles
                operations &+= count
                synapseCounts?[key.rank] = UInt32(truncatingIfNeeded: count)
            }
        }}
        return (free, operations)
    }

    /// The first half of `runSynapseUnit(…rows:)`, run ahead of delivery (a few cores ahead in a
    /// pulled sweep, in a sweep of its own step by step): writes the synapse row of each packet
    /// `ranks` (indices into `packets`, all bound for this core) into `rows` at its rank. Each
    /// row costs a cache miss on large networks; found ahead, those misses overlap each other
    /// instead of each waiting in a chain with its packet's synapse words and accumulators.
    public mutating func lookUpSynapseRows(of ranks: UnsafeBufferPointer<Int32>, packets: UnsafeBufferPointer<AERPacket>, into rows: UnsafeMutablePointer<UInt64>) {
        guard !ranks.isEmpty else { return }
        synapses.rows.withLookup { lookup in
            for rank in ranks {
                rows[Int(rank)] = Self.packed(lookup.row(Int(packets[Int(rank)].axon)))
            }
        }
    }

    /// Prefetches the synapse-row entries of the packets `ranks` (indices into `packets`, all
    /// bound for this core), so that `lookUpSynapseRows` finds them in the cache. The engine
    /// calls the three prefetches a few cores ahead of its sweeps
    /// (`ChipEngine.prefetchCores`), so that the misses of many packets are in flight
    /// together, where the sweeps' own loads would wait for them one chain at a time.
    mutating func prefetchSynapseRows(of ranks: UnsafeBufferPointer<Int32>, packets: UnsafeBufferPointer<AERPacket>) {
        Self.prefetchRows(of: ranks, packets: packets, synapses: synapses)
    }

    /// Prefetches the first synapse word of each packet's row (`rows`, by rank, from
    /// `lookUpSynapseRows`).
    mutating func prefetchSynapseWords(of ranks: UnsafeBufferPointer<Int32>, rows: UnsafePointer<UInt64>) {
        Self.prefetchWords(of: ranks, rows: rows, synapses: synapses)
    }

    /// Prefetches the accumulator that the first synapse of each packet's row adds into in
    /// step `timestep`. It reads the synapse words to find them, which should be cached by
    /// then (`prefetchSynapseWords`).
    mutating func prefetchInputAccumulators(of ranks: UnsafeBufferPointer<Int32>, rows: UnsafePointer<UInt64>, timestep: Int) {
        Self.prefetchAccumulators(
            of: ranks, rows: rows, synapses: synapses, table: neuronTable, accumulatorStart: layout.accumulatorStart,
            current: timestep % delaySlots, slots: delaySlots, slotStride: accumulatorSlotStride)
    }

    // The prefetches' loops, static with the core's memory as arguments so that it is read in
    // place (as `deliver` is).
    private static func prefetchRows(of ranks: UnsafeBufferPointer<Int32>, packets: UnsafeBufferPointer<AERPacket>, synapses: borrowing SynapseMemory) {
        guard !ranks.isEmpty else { return }
        synapses.rows.withLookup { lookup in
            for rank in ranks { lookup.prefetchRow(Int(packets[Int(rank)].axon)) }
        }
    }

    private static func prefetchWords(of ranks: UnsafeBufferPointer<Int32>, rows: UnsafePointer<UInt64>, synapses: borrowing SynapseMemory) {
        guard !ranks.isEmpty else { return }
        synapses.withDelivery { delivery in
            for rank in ranks {
                let row = Self.row(rows[Int(rank)])
                if !row.isEmpty { delivery.prefetchWord(row.lowerBound) }
            }
        }
    }

    private static func prefetchAccumulators(
        of ranks: UnsafeBufferPointer<Int32>, rows: UnsafePointer<UInt64>, synapses: borrowing SynapseMemory, table: borrowing [Int32],
        accumulatorStart: Int, current: Int, slots: Int, slotStride: Int
    ) {
        guard !ranks.isEmpty else { return }
        synapses.withDelivery { delivery in
            table.withUnsafeBufferPointer { table in
                guard let base = table.baseAddress else { return }
                prefetchHeader(ofElements: base)
                for rank in ranks {
                    let row = Self.row(rows[Int(rank)])
                    guard !row.isEmpty else { continue }
                    let accumulator = delivery.target(ofSynapse: row.lowerBound, current: current, slots: slots, slotStride: slotStride)
                    prefetch(base + (accumulatorStart &+ accumulator))
                }
            }
        }
    }

    /// A row as `lookUpSynapseRows` writes it: first synapse in the high half, end in the low.
    @inline(__always)
    private static func packed(_ row: Range<Int>) -> UInt64 {
        UInt64(truncatingIfNeeded: row.lowerBound) &<< 32 | UInt64(truncatingIfNeeded: row.upperBound)
    }

    /// The row `packed(_:)` packed.
    @inline(__always)
    private static func row(_ packed: UInt64) -> Range<Int> {
        Int(truncatingIfNeeded: packed &>> 32)..<Int(UInt32(truncatingIfNeeded: packed))
    }

    /// Delivers one spike that arrived on input axon `axon` during `timestep`: each synapse adds
    /// `weight × payload` into the accumulator of slot `timestep + delay`. Returns the synapses
    /// processed.
    @discardableResult
    public mutating func receive(axon: Int, payload: Int32, timestep: Int) -> Int {
        precondition(axon >= 0 && axon < inputAxonCount, "input axon \(axon) outside 0..<\(inputAxonCount)")
        if !plasticity.isEmpty { plasticity.notePreSpike(axon: axon) }
        let slotStride = accumulatorSlotStride
        let slots = delaySlots
        let current = timestep % slots
        return synapses.withDelivery { delivery in
            Self.withAccumulators(in: &neuronTable, from: layout.accumulatorStart) { accumulators in
                delivery.deliver(axon: axon, payload: payload, current: current, slots: slots, slotStride: slotStride, into: accumulators)
            }
        }
    }

    /// Calls `body` with the input accumulators, the end of the neuron table from `start`.
    @inline(__always)
    private static func withAccumulators<Result>(in table: inout [Int32], from start: Int, _ body: (UnsafeMutableBufferPointer<Int32>) -> Result) -> Result {
        table.withUnsafeMutableBufferPointer { table in body(UnsafeMutableBufferPointer(rebasing: table[start...])) }
    }

    /// Adds `value` to input accumulator `index` (`[slot][group][neuron]`).
    mutating func addToAccumulator(_ index: Int, _ value: Int32) {
        precondition(index >= 0 && index < delaySlots * accumulatorSlotStride, "accumulator \(index) outside the ring")
        neuronTable[layout.accumulatorStart + index] &+= value
    }

    /// True when some synapse of this core learns.
    public var hasPlasticity: Bool { !plasticity.isEmpty }

    /// The learning phase of `timestep` (see `STDPRule`); sets `learningUpdates`.
    public mutating func learn(timestep: Int) {
        guard !plasticity.isEmpty else { return }
        learningUpdates = plasticity.learn(timestep: timestep, postSpikes: spikes, weights: &synapses.weights)
    }

    /// Weights, in file units, of the plastic synapses in synapse-memory order (axon by axon).
    public var plasticWeights: [Int32] { plasticity.weight }

    /// Overwrites the state of one neuron (tests and checkpoints).
    public mutating func setState(neuron: Int, u: Int32, v: Int32) {
        precondition(neuron >= 0 && neuron < neuronCount, "neuron \(neuron) outside 0..<\(neuronCount)")
        stateIsZero = false
        if !Self.isNarrow(u) || !Self.isNarrow(v) { stateMayBeWide = true }
        neuronTable[layout[NeuronRow.u.rawValue] + neuron] = u
        neuronTable[layout[NeuronRow.v.rawValue] + neuron] = v
        if !previousV.isEmpty { previousV[neuron] = v }
    }
}

/// What the plain kernel's pass counted in its lanes (`Core.updatePlainNeurons`): the active
/// neurons (padding lanes never act) and whether any neuron spiked.
struct PlainKernelTally {
    var activeLanes: Int
    var anySpiked: Bool
}

/// A variant of the plain kernel's pass (`Core.updatePlainNeurons`): whether the core's neurons
/// share their parameters, and whether u and v are checked for the 32-bit lanes' range.
private protocol PlainKernelVariant {
    static var sharesParameters: Bool { get }
    static var checksState: Bool { get }
}
private enum SharedParametersNarrowState: PlainKernelVariant { static let sharesParameters = true, checksState = false }
private enum OwnParametersNarrowState: PlainKernelVariant { static let sharesParameters = false, checksState = false }
private enum SharedParametersWideState: PlainKernelVariant { static let sharesParameters = true, checksState = true }
private enum OwnParametersWideState: PlainKernelVariant { static let sharesParameters = false, checksState = true }
