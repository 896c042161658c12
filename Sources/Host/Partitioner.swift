import Chip
import Dispatch

/// Splits a network's populations into core-sized slices under every core limit, packing small
/// populations together.
///
/// Neurons are taken in one global order — populations in file order, each in neuron order — and
/// every core holds a contiguous run of that order, so a core holds one or more slices and every
/// slice is a contiguous range of one population. Two passes:
///
/// 1. **Fill.** Neurons are added to the current core while its neurons, input axons (distinct
///    presynaptic sources) and synapse memory (`SynapseMemoryModel`) stay within the limits; the
///    neuron that does not fit opens the next core. A population continues on the current core
///    when its first neurons fit there (packing), except that a population using the dynamic
///    threshold (`mean_voltage_gain` ≠ 0 on some neuron) never shares a core with another
///    population, so its mean voltage v̄ stays the mean of one population's slice, and neither
///    does one placed on tiles by hand (`MappingConstraints.tiles`). A population's
///    `maxNeuronsPerCore` closes a core like the neuron limit, for that population's neurons.
/// 2. **Output axons.** A core's output axons (one per neuron and destination core) depend on
///    where the targets landed, so they are checked once the fill is known: a core over the limit
///    is cut into consecutive pieces that fit, which can spread other neurons' targets over more
///    cores, so the check repeats until every core fits. Cuts only ever split cores, so input-side
///    limits still hold and the loop ends.
///
/// Per-projection limits (delay slots, weight bits) are checked first. Deterministic: no
/// randomness, no hashing.
public enum Partitioner {
    /// Whether populations may share a core.
    public enum Packing: Sendable, Equatable {
        /// A population continues on the current core when its first neurons fit (the default).
        case packed
        /// Every population starts on a fresh core (the first mapper's rule; useful to give each
        /// population its own core in experiments and tests of the mesh).
        case onePopulationPerCore

        /// The name `--packing` and a trace header give it: `packed` or `population`.
        public var name: String { self == .packed ? "packed" : "population" }

        /// The packing named `name` (`packed` or `population`), or nil.
        public init?(name: String) {
            switch name {
            case "packed": self = .packed
            case "population": self = .onePopulationPerCore
            default: return nil
            }
        }
    }

    /// - Parameter threads: threads that count the neurons' output axons (results do not depend
    ///   on it).
    public static func partition(_ network: NetworkDescription, on chip: ChipDescription, packing: Packing = .packed, threads: Int = 1) throws(MappingError) -> Mapping {
        try checkProjections(network, on: chip)
        let neuronOffsets = NeuronNumbering(network)
        var closings = CoreClosings(limits: chip.coreLimits)
        var coreStarts = try fill(network, on: chip, numbering: neuronOffsets, packing: packing, closings: &closings)
        let filled = coreStarts.count
        try splitForOutputAxons(network, on: chip, numbering: neuronOffsets, coreStarts: &coreStarts, threads: threads)
        guard coreStarts.count <= chip.mesh.coreCount else {
            let (population, neuron) = neuronOffsets.locate(coreStarts[chip.mesh.coreCount])
            closings.outputAxonCuts = coreStarts.count - filled
            throw .outOfCores(
                population: network.populations[population].name, neuron: neuron, chip: chip.name, cores: chip.mesh.coreCount, closings: closings,
                needed: coreStarts.count)
        }
        return mapping(coreStarts: coreStarts, numbering: neuronOffsets, network: network)
    }

    /// Why `mapping` breaks a population's constraints — a slice over its neuron cap, or a
    /// pinned population sharing a core — as the error `Simulation` throws for a partition made
    /// without them, or nil.
    static func constraintProblem(_ mapping: Mapping, network: NetworkDescription) -> MappingError? {
        let byCore = mapping.slicesByCore(coreCount: mapping.coreEndpoints.count)
        for slice in mapping.slices {
            let population = network.populations[slice.population]
            if let cap = population.constraints.maxNeuronsPerCore, slice.count > cap {
                return .partitionBreaksConstraints(population: population.name, reason: "a slice of \(slice.count) neurons on engine core \(slice.core), over its cap of \(cap) per core")
            }
            if !population.constraints.tiles.isEmpty, byCore[slice.core].contains(where: { $0.population != slice.population }) {
                return .partitionBreaksConstraints(population: population.name, reason: "it shares engine core \(slice.core) with another population, though it is pinned to tiles")
            }
        }
        return nil
    }

    /// Delays and weight precision, which no partition can fix.
    static func checkProjections(_ network: NetworkDescription, on chip: ChipDescription) throws(MappingError) {
        for projection in network.projections {
            if let problem = projectionProblem(projection, on: chip) { throw problem }
        }
    }

    /// Why `neurons` cannot fit `chip` whatever their connections — more than all its cores
    /// hold — as the end of a sentence naming what holds them, or nil. Network files and NIR
    /// graphs check it before their neurons are expanded.
    static func neuronCountProblem(_ neurons: Int, on chip: ChipDescription) -> String? {
        let cores = chip.mesh.coreCount
        let capacity = cores * chip.coreLimits.neurons
        guard neurons > capacity else { return nil }
        return "hold \(MappingError.count(neurons)) neurons in all; chip `\(chip.name)` holds at most \(MappingError.count(capacity)) (\(MappingError.count(cores)) cores of \(MappingError.count(chip.coreLimits.neurons))), so the network cannot fit"
    }

    /// Why `projection` cannot be stored on `chip` however it is partitioned (its weight bits or
    /// its longest delay), or nil. A network file read for a chip reports it at the projection's
    /// JSON path (`NetworkFile.read`).
    static func projectionProblem(_ projection: ProjectionDescription, on chip: ChipDescription) -> MappingError? {
        let limits = chip.coreLimits
        if projection.numWeightBits > limits.weightBits {
            return .weightPrecision(
                projection: projection.name, bits: projection.numWeightBits, maximum: limits.weightBits, chip: chip.name, quantized: projection.floatWeights != nil)
        }
        if projection.maximumDelay >= limits.delaySlots {
            return .delayTooLong(projection: projection.name, delay: projection.maximumDelay, maximum: limits.delaySlots - 1, chip: chip.name)
        }
        return nil
    }

    /// True when some neuron of the population uses the dynamic threshold's mean voltage.
    static func usesMeanVoltage(_ population: PopulationDescription) -> Bool {
        population.neurons.contains { $0.meanVoltageGain != 0 }
    }

    /// Pass 1: the first global neuron of every core, filling cores under the neuron, input-axon
    /// and synapse-memory limits; `closings` counts which rule closed each core.
    static func fill(
        _ network: NetworkDescription, on chip: ChipDescription, numbering: NeuronNumbering, packing: Packing, closings: inout CoreClosings
    ) throws(MappingError) -> [Int] {
        let limits = chip.coreLimits
        let memory = SynapseMemoryModel(limits: limits)
        let sourceOffsets = SourceNumbering(network)

        // Per-core bookkeeping, reset when a core is closed.
        var rowBits = Array(repeating: Int32(0), count: sourceOffsets.total)  // synapse bits per source row
        var touched: [Int32] = []
        var coreAxons = 0
        var coreMemory = 0
        var coreNeurons = 0
        var coreIsExclusive = false  // holds a population that may not share its cores
        var coreIsPinned = false  // holds a population placed on tiles by hand
        var populationOnCore = 0  // neurons of the population being filled on this core
        var coreStarts: [Int] = []
        func closeCore() {
            for source in touched { rowBits[Int(source)] = 0 }
            touched.removeAll(keepingCapacity: true)
            coreAxons = 0
            coreMemory = 0
            coreNeurons = 0
            coreIsExclusive = false
            coreIsPinned = false
            populationOnCore = 0
        }

        // Projections by target, found once: a scan of all of them per population made networks
        // of many populations quadratic.
        var projectionsInto = Array(repeating: [Int](), count: network.populations.count)
        for (index, projection) in network.projections.enumerated() { projectionsInto[projection.target].append(index) }
        for (populationIndex, population) in network.populations.enumerated() {
            let (starts, entries) = incomingSynapses(
                of: populationIndex, through: projectionsInto[populationIndex], in: network, memory: memory, sources: sourceOffsets)
            let pinned = !population.constraints.tiles.isEmpty
            let exclusive = packing == .onePopulationPerCore || usesMeanVoltage(population) || pinned
            if coreNeurons > 0 && (exclusive || coreIsExclusive) {
                if packing == .onePopulationPerCore {
                    closings.populationBoundary += 1
                } else if pinned || coreIsPinned {
                    closings.tilesBoundary += 1
                } else {
                    closings.dynamicThresholdBoundary += 1
                }
                closeCore()
            }
            let cap = population.constraints.maxNeuronsPerCore ?? Int.max
            populationOnCore = 0
            var neuron = 0
            while neuron < population.size {
                // Tentatively add the neuron's synapses, with a journal to undo.
                var journal: [(source: Int32, old: Int32)] = []
                var newAxons = 0
                var memoryDelta = 0
                for k in Int(starts[neuron])..<Int(starts[neuron + 1]) {
                    let (source, bits) = entries[k]
                    let old = rowBits[Int(source)]
                    journal.append((source, old))
                    if old == 0 { newAxons += 1 }
                    let new = old + bits
                    memoryDelta += SynapseMemoryModel.rowBits(synapseBits: Int(new)) - (old == 0 ? 0 : SynapseMemoryModel.rowBits(synapseBits: Int(old)))
                    rowBits[Int(source)] = new
                }
                let capFits = populationOnCore < cap
                let chipNeuronsFit = coreNeurons + 1 <= limits.neurons
                let neuronsFit = chipNeuronsFit && capFits
                let axonsFit = coreAxons + newAxons <= limits.inputAxons
                if neuronsFit && axonsFit && coreMemory + memoryDelta <= limits.synapseMemoryBits {
                    if coreNeurons == 0 {
                        guard coreStarts.count < chip.mesh.coreCount else {
                            throw .outOfCores(population: population.name, neuron: neuron, chip: chip.name, cores: chip.mesh.coreCount, closings: closings)
                        }
                        coreStarts.append(numbering.populationOffsets[populationIndex] + neuron)
                    }
                    for entry in journal where entry.old == 0 { touched.append(entry.source) }
                    coreNeurons += 1
                    coreAxons += newAxons
                    coreMemory += memoryDelta
                    coreIsExclusive = coreIsExclusive || exclusive
                    coreIsPinned = coreIsPinned || pinned
                    populationOnCore += 1
                    neuron += 1
                    continue
                }
                for entry in journal.reversed() { rowBits[Int(entry.source)] = entry.old }
                guard coreNeurons > 0 else {
                    let axons = newAxons > limits.inputAxons
                    let projections = network.projections.filter { projection in
                        projection.target == populationIndex && projection.synapses.contains { Int($0.target) == neuron }
                    }.map(\.name)
                    throw .neuronDoesNotFit(
                        population: population.name, neuron: neuron, resource: axons ? "input axons" : "bits of synapse memory",
                        needed: axons ? newAxons : memoryDelta, limit: axons ? limits.inputAxons : limits.synapseMemoryBits,
                        projections: projections)
                }
                // Where the chip's limit and a cap bind at once, the chip's is the one named.
                if !chipNeuronsFit {
                    closings.neuronLimit += 1
                } else if !capFits { closings.populationCap += 1 } else if !axonsFit { closings.inputAxonLimit += 1 } else { closings.synapseMemoryLimit += 1 }
                closeCore()
            }
        }
        return coreStarts
    }

    /// Incoming synapses of every neuron of a population as (global source, synapse bits), in
    /// compressed rows by target neuron; `projections` are the indices of those into it.
    private static func incomingSynapses(
        of population: Int, through projections: [Int], in network: NetworkDescription, memory: SynapseMemoryModel, sources: SourceNumbering
    ) -> (starts: [Int32], entries: [(source: Int32, bits: Int32)]) {
        var counts = Array(repeating: Int32(0), count: network.populations[population].size + 1)
        for index in projections {
            for synapse in network.projections[index].synapses { counts[Int(synapse.target) + 1] += 1 }
        }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        var cursor = counts
        var entries = Array(repeating: (source: Int32(0), bits: Int32(0)), count: Int(counts.last ?? 0))
        for index in projections {
            let projection = network.projections[index]
            let bits = Int32(memory.synapseBits(numWeightBits: projection.numWeightBits, signMode: projection.signMode, usesDelays: projection.maximumDelay > 1))
            let base = sources.first(of: projection)
            for synapse in projection.synapses {
                let slot = Int(cursor[Int(synapse.target)])
                entries[slot] = (Int32(base) + synapse.source, bits)
                cursor[Int(synapse.target)] += 1
            }
        }
        return (counts, entries)
    }

    /// Pass 2: cuts cores whose neurons need more output axons than a core has, until all fit.
    /// `threads` count the output axons, each a run of at least `neuronsPerThread` neurons.
    static func splitForOutputAxons(
        _ network: NetworkDescription, on chip: ChipDescription, numbering: NeuronNumbering, coreStarts: inout [Int], threads: Int = 1,
        neuronsPerThread: Int = 4_096
    ) throws(MappingError) {
        let limit = chip.coreLimits.outputAxons
        let total = numbering.total
        // Outgoing targets of every population neuron (global numbers), in compressed rows.
        var start = Array(repeating: 0, count: total + 1)
        for projection in network.projections where !projection.sourceIsInput {
            let base = numbering.populationOffsets[projection.source]
            for synapse in projection.synapses { start[base + Int(synapse.source) + 1] += 1 }
        }
        for i in 0..<total { start[i + 1] += start[i] }
        guard start[total] > 0 else { return }
        var cursor = start
        var targets = Array(repeating: Int32(0), count: start[total])
        for projection in network.projections where !projection.sourceIsInput {
            let base = numbering.populationOffsets[projection.source]
            let targetBase = numbering.populationOffsets[projection.target]
            for synapse in projection.synapses {
                let source = base + Int(synapse.source)
                targets[cursor[source]] = Int32(targetBase + Int(synapse.target))
                cursor[source] += 1
            }
        }

        var coreOf = Array(repeating: Int32(0), count: total)
        var outputs = Array(repeating: 0, count: total)
        // Each pass reads every synapse (32 million on cuba-400k, about five passes), one
        // neuron at a time and independently, so the threads each take a run of neurons.
        let parts = max(1, min(threads, total / max(1, neuronsPerThread)))
        func countOutputs() {
            for (core, first) in coreStarts.enumerated() {
                let end = core + 1 < coreStarts.count ? coreStarts[core + 1] : total
                for neuron in first..<end { coreOf[neuron] = Int32(core) }
            }
            // Output axons of each neuron: its distinct destination cores.
            let coreCount = coreStarts.count
            start.withUnsafeBufferPointer { start in
            targets.withUnsafeBufferPointer { targets in
            coreOf.withUnsafeBufferPointer { coreOf in
            outputs.withUnsafeMutableBufferPointer { outputs in
                nonisolated(unsafe) let outputs = outputs  // part p writes its own neurons only
                nonisolated(unsafe) let start = start, targets = targets, coreOf = coreOf  // read only
                let count: @Sendable (Int) -> Void = { part in
                    var lastSource = Array(repeating: -1, count: coreCount)
                    for neuron in total * part / parts..<total * (part + 1) / parts {
                        var count = 0
                        for k in start[neuron]..<start[neuron + 1] {
                            let core = Int(coreOf[Int(targets[k])])
                            if lastSource[core] != neuron {
                                lastSource[core] = neuron
                                count += 1
                            }
                        }
                        outputs[neuron] = count
                    }
                }
                if parts == 1 { count(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: count) }
            }}}}
        }

        // Splitting cores gives every neuron more destination cores, so cutting the overfull
        // cores one piece at a time over-splits into fragments (random fan-out: most cores ended
        // with a few neurons). Instead, re-pack each pass-1 core greedily with the output counts
        // of the previous partition until the packing stops changing, and
        // only then cut what still does not fit.
        let pass1Starts = coreStarts
        var countsAreCurrent = false  // `outputs` counted for `coreStarts` as they are
        for _ in 0..<12 {
            countOutputs()
            var packed: [Int] = []
            for (core, first) in pass1Starts.enumerated() {
                let end = core + 1 < pass1Starts.count ? pass1Starts[core + 1] : total
                // Equal shares of the segment's output axons, as few pieces as the limit allows
                // (a greedy fill would leave a small remainder piece per segment).
                let sum = outputs[first..<end].reduce(0, +)
                let pieces = max(1, (sum + limit - 1) / limit)
                packed.append(first)
                var cumulative = 0
                var piece = 1
                for neuron in first..<end {
                    if piece < pieces && cumulative >= sum * piece / pieces && neuron > packed[packed.count - 1] {
                        packed.append(neuron)
                        piece += 1
                    }
                    cumulative += outputs[neuron]
                }
            }
            if packed == coreStarts {
                countsAreCurrent = true  // the cut pass below can use this pass's counts
                break
            }
            coreStarts = packed
        }

        while true {
            if !countsAreCurrent { countOutputs() }
            countsAreCurrent = false
            var cut: [Int] = []
            for (core, first) in coreStarts.enumerated() {
                let end = core + 1 < coreStarts.count ? coreStarts[core + 1] : total
                var used = 0
                for neuron in first..<end {
                    guard outputs[neuron] <= limit else {
                        let (population, index) = numbering.locate(neuron)
                        let projections = network.projections.filter { projection in
                            !projection.sourceIsInput && projection.source == population && projection.synapses.contains { Int($0.source) == index }
                        }.map(\.name)
                        throw .neuronDoesNotFit(
                            population: network.populations[population].name, neuron: index, resource: "output axons",
                            needed: outputs[neuron], limit: limit, projections: projections)
                    }
                    if used + outputs[neuron] > limit {
                        cut.append(neuron)
                        used = 0
                    }
                    used += outputs[neuron]
                }
            }
            if cut.isEmpty { return }
            coreStarts = (coreStarts + cut).sorted()
        }
    }

    /// Slices from core boundaries in the global neuron order.
    static func mapping(coreStarts: [Int], numbering: NeuronNumbering, network: NetworkDescription) -> Mapping {
        var slices: [Slice] = []
        var coreNeuronCounts: [Int] = []
        for (core, first) in coreStarts.enumerated() {
            let end = core + 1 < coreStarts.count ? coreStarts[core + 1] : numbering.total
            coreNeuronCounts.append(end - first)
            var neuron = first
            while neuron < end {
                let (population, index) = numbering.locate(neuron)
                let count = min(end, numbering.populationOffsets[population] + network.populations[population].size) - neuron
                slices.append(Slice(population: population, start: index, count: count, core: core, coreOffset: neuron - first))
                neuron += count
            }
        }
        // Population by population, each in neuron order (cores ascend with neuron order).
        slices.sort { ($0.population, $0.start) < ($1.population, $1.start) }
        return Mapping(slices: slices, coreEndpoints: (0..<coreStarts.count).map { Int32($0) }, coreNeuronCounts: coreNeuronCounts)
    }
}

/// Numbers every population neuron of a network in one order: populations in file order, each
/// in neuron order.
struct NeuronNumbering {
    let populationOffsets: [Int]
    let total: Int

    init(_ network: NetworkDescription) {
        var offset = 0
        populationOffsets = network.populations.map { population in defer { offset += population.size }; return offset }
        total = offset
    }

    /// (population, neuron within it) of a global neuron number.
    func locate(_ neuron: Int) -> (population: Int, index: Int) {
        // The last population whose offset is ≤ neuron (binary search; offsets ascend).
        var low = 0
        var high = populationOffsets.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if populationOffsets[middle] <= neuron { low = middle } else { high = middle - 1 }
        }
        return (low, neuron - populationOffsets[low])
    }
}

/// Numbers every presynaptic source of a network: host input neurons first (inputs in file
/// order), then population neurons (populations in file order).
struct SourceNumbering {
    let inputOffsets: [Int]
    let populationOffsets: [Int]
    let total: Int

    init(_ network: NetworkDescription) {
        var offset = 0
        inputOffsets = network.inputs.map { input in defer { offset += input.size }; return offset }
        populationOffsets = network.populations.map { population in defer { offset += population.size }; return offset }
        total = offset
    }

    /// Global number of a projection's source neuron 0.
    func first(of projection: ProjectionDescription) -> Int {
        projection.sourceIsInput ? inputOffsets[projection.source] : populationOffsets[projection.source]
    }
}
