import Chip
import Dispatch
import Router

/// Resources one loaded core uses, for summaries and reports.
public struct CoreUsage: Sendable, Equatable {
    /// Mesh core number the core sits at.
    public var endpoint: Int
    /// Neurons placed on the core.
    public var neurons: Int
    /// Input axons: distinct presynaptic sources whose synapses the core holds.
    public var inputAxons: Int
    /// Output axons: destination-core entries of the core's neurons.
    public var outputAxons: Int
    /// Synapses the core holds.
    public var synapses: Int
    /// Synapse memory the synapses take on the modelled chip, in bits (`SynapseMemoryModel`).
    public var synapseMemoryBits: Int
}

/// What the loader produces: one program per core plus the host's input routing.
public struct LoadedNetwork: Sendable {
    /// One program per engine core.
    public var programs: [CoreProgram]
    /// Output axons of each host input neuron (inputs in file order).
    public var inputDestinations: [[OutputAxon]]
    /// Resources each engine core uses.
    public var usage: [CoreUsage]
    /// For each core, the (projection, synapse index) of each plastic synapse, in the order of
    /// `Core.plasticWeights`.
    public var plasticOrigins: [[(projection: Int, synapse: Int)]]
}

/// Builds the tables the cores need from a mapped network: synapse memory grouped by input axon,
/// accumulator groups for weight exponents, and every neuron's output axons.
public enum ChipLoader {
    /// - Parameter threads: threads that lay out the cores (results do not depend on it).
    public static func load(_ network: NetworkDescription, mapping: Mapping, on chip: ChipDescription, threads: Int = 1) throws(MappingError) -> LoadedNetwork {
        try load(network, mapping: mapping, on: chip, threads: threads, buildingCores: false).loaded
    }

    /// Loads the network and builds the cores too, laying out each core's synapses as soon as
    /// its program has them and letting the program's synapse list go at once: the returned
    /// programs have no synapses (`synapses` and `axonSynapseStart` are empty). On `cuba-400k`
    /// the programs' lists (24 bytes per synapse, 0.8 GB) never all exist at the same time.
    public static func loadCores(
        _ network: NetworkDescription, mapping: Mapping, on chip: ChipDescription, threads: Int = 1
    ) throws(MappingError) -> (loaded: LoadedNetwork, cores: [Core]) {
        try load(network, mapping: mapping, on: chip, threads: threads, buildingCores: true)
    }

    private static func load(
        _ network: NetworkDescription, mapping: Mapping, on chip: ChipDescription, threads: Int, buildingCores: Bool
    ) throws(MappingError) -> (loaded: LoadedNetwork, cores: [Core]) {
        let limits = chip.coreLimits
        let memory = SynapseMemoryModel(limits: limits)
        let numbering = SourceNumbering(network)
        let locator = mapping.locator(populationCount: network.populations.count)
        let coreCount = mapping.coreEndpoints.count

        // Neuron parameters and initial state per core.
        var programs = mapping.coreNeuronCounts.map { count in
            CoreProgram(neurons: Array(repeating: LoihiNeuron.Parameters(vth: 0), count: count))
        }
        for slice in mapping.slices {
            let population = network.populations[slice.population]
            for k in 0..<slice.count {
                programs[slice.core].neurons[slice.coreOffset + k] = population.neurons[slice.start + k]
                programs[slice.core].initialU[slice.coreOffset + k] = population.initialU[slice.start + k]
                programs[slice.core].initialV[slice.coreOffset + k] = population.initialV[slice.start + k]
            }
        }

        // Every synapse as a 12-byte entry (global source, projection, index in the projection),
        // grouped by destination core with a counting sort: one flat list instead of a list of
        // loaded synapses per core keeps setup's memory (and the time to fault it in) small;
        // cuba-400k's 32 million synapses took 1.3 GB as 40-byte entries in growing arrays.
        let projectionCount = network.projections.count
        var entryStart = Array(repeating: 0, count: coreCount + 1)
        // Accumulator group and learning rule of each (core, projection), found on first use.
        var groupOf = Array(repeating: Int32(-1), count: coreCount * projectionCount)
        var ruleOf = Array(repeating: Int32(-1), count: coreCount * projectionCount)
        var maximumDelay = Array(repeating: 1, count: coreCount)
        // What the row layout below reads of each projection, taken out once: binding a
        // projection per synapse copied it (retaining its arrays) 32 million times on cuba-400k.
        let synapsesOfProjection = network.projections.map(\.synapses)
        let formats = network.projections.map { projection in
            (signMode: projection.signMode, weightBits: projection.numWeightBits, shift: max(0, projection.weightExponent), target: projection.target,
             memoryBits: memory.synapseBits(numWeightBits: projection.numWeightBits, signMode: projection.signMode, usesDelays: projection.maximumDelay > 1))
        }
        // Checked again here: a partition may come from elsewhere than `Partitioner.partition`.
        try Partitioner.checkProjections(network, on: chip)
        for (projectionIndex, projection) in network.projections.enumerated() {
            let targets = locator[projection.target]
            for synapse in projection.synapses {
                let core = Int(targets[Int(synapse.target)].core)
                entryStart[core + 1] += 1
                maximumDelay[core] = max(maximumDelay[core], Int(synapse.delay))
                let slot = core * projectionCount + projectionIndex
                if let stdp = projection.stdp, ruleOf[slot] < 0 {
                    ruleOf[slot] = Int32(programs[core].learningRules.count)
                    programs[core].learningRules.append(LearningRule(stdp: stdp, signMode: projection.signMode, numWeightBits: projection.numWeightBits, storedShift: formats[projectionIndex].shift))
                }
                if projection.weightExponent < 0 && groupOf[slot] < 0 {
                    groupOf[slot] = Int32(programs[core].groupExponents.count)
                    programs[core].groupExponents.append(Int32(projection.weightExponent))
                }
            }
        }
        for core in 0..<coreCount { entryStart[core + 1] += entryStart[core] }
        var entries = Array(repeating: SynapseEntry(source: 0, projection: 0, index: 0), count: entryStart[coreCount])
        var cursor = entryStart
        for (projectionIndex, projection) in network.projections.enumerated() {
            let base = Int32(numbering.first(of: projection))
            let targets = locator[projection.target]
            for (synapseIndex, synapse) in projection.synapses.enumerated() {
                let core = Int(targets[Int(synapse.target)].core)
                entries[cursor[core]] = SynapseEntry(source: base + synapse.source, projection: Int32(projectionIndex), index: Int32(truncatingIfNeeded: synapseIndex))
                cursor[core] += 1
            }
        }

        // Input axons: distinct sources per core in ascending source number; output axons follow.
        // Each core is laid out on its own (its rows, synapses, usage and the output axons that
        // reach it), so several threads may each take a run of cores; the runs' output axons are
        // joined in core order and the first error in core order is thrown, so nothing depends
        // on the thread count. (cuba-400k: 1.8 s of its 5.7 s setup on one thread.)
        let parts = max(1, min(threads, coreCount))
        var usage = Array(repeating: CoreUsage(endpoint: 0, neurons: 0, inputAxons: 0, outputAxons: 0, synapses: 0, synapseMemoryBits: 0), count: coreCount)
        var plasticOrigins: [[(projection: Int, synapse: Int)]] = Array(repeating: [], count: coreCount)
        var synapseParts: [Core.SynapseParts?] = Array(repeating: nil, count: buildingCores ? coreCount : 0)
        var runs = Array(repeating: CoreRun(), count: parts)
        do {
            let layout = CoreLayout(
                network: network, mapping: mapping, limits: limits, entries: entries, entryStart: entryStart, locator: locator,
                synapsesOfProjection: synapsesOfProjection, formats: formats, groupOf: groupOf, ruleOf: ruleOf,
                maximumDelay: maximumDelay, sourceCount: numbering.total, buildsCores: buildingCores)
            entries = []  // 12 bytes per synapse: gone when the layout is
            programs.withUnsafeMutableBufferPointer { programs in
            usage.withUnsafeMutableBufferPointer { usage in
            plasticOrigins.withUnsafeMutableBufferPointer { plasticOrigins in
            synapseParts.withUnsafeMutableBufferPointer { synapseParts in
            runs.withUnsafeMutableBufferPointer { runs in
                let output = CoreLayout.Output(programs: programs, usage: usage, plasticOrigins: plasticOrigins, synapseParts: synapseParts)
                nonisolated(unsafe) let runs = runs  // part p writes run p only
                let layOut: @Sendable (Int) -> Void = { part in
                    let cores = coreCount * part / parts..<coreCount * (part + 1) / parts
                    let capacity = layout.entryStart[part == 0 ? coreCount : cores.upperBound] - layout.entryStart[cores.lowerBound]
                    runs[part] = layout.layOut(cores: cores, reserving: capacity, into: output)
                }
                if parts == 1 { layOut(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: layOut) }
            }}}}}
        }
        if let error = runs.lazy.compactMap(\.error).first { throw error }
        // The runs' output axons joined in core order: the first run's lists taken over, the
        // others' appended and let go one by one.
        var destinationSources: [Int32] = []
        var destinations: [OutputAxon] = []
        swap(&destinationSources, &runs[0].destinationSources)
        swap(&destinations, &runs[0].destinations)
        for part in runs.indices.dropFirst() {
            destinationSources += runs[part].destinationSources
            destinations += runs[part].destinations
            runs[part] = CoreRun()
        }

        let sourceDestinations = Self.groupedBySource(taking: &destinations, sources: &destinationSources, sourceCount: numbering.total)

        // Output axons of population neurons live in their core's program.
        for slice in mapping.slices {
            let first = numbering.populationOffsets[slice.population] + slice.start
            for k in 0..<slice.count {
                let outputs = sourceDestinations[first + k]
                programs[slice.core].destinations[slice.coreOffset + k] = outputs
                usage[slice.core].outputAxons += outputs.count
            }
        }
        for core in 0..<coreCount where usage[core].outputAxons > limits.outputAxons {
            // The projections whose synapses these neurons' spikes must reach.
            let outgoing = network.projections.filter { projection in
                !projection.sourceIsInput && projection.synapses.contains { Int(locator[projection.source][Int($0.source)].core) == core }
            }.map(\.name)
            throw .coreLimitExceeded(
                core: usage[core].endpoint, contents: describe(core: core, mapping: mapping, network: network),
                resource: "output axons", needed: usage[core].outputAxons, limit: limits.outputAxons, projections: outgoing)
        }
        let inputDestinations = Array(sourceDestinations[0..<(numbering.populationOffsets.first ?? numbering.total)])
        let cores = zip(programs, synapseParts).map { program, parts in
            guard let parts else { preconditionFailure("every core was laid out") }
            return Core(program: program, synapseParts: parts)
        }
        return (LoadedNetwork(programs: programs, inputDestinations: inputDestinations, usage: usage, plasticOrigins: plasticOrigins), cores)
    }

    /// Each source's output axons, in the order found (a stable counting sort by source). Empties
    /// `destinations` and `sources` once they are sorted, before the per-source lists are made:
    /// on `cuba-400k` they are 32 million entries (0.4 GB) at setup's peak.
    private static func groupedBySource(taking destinations: inout [OutputAxon], sources: inout [Int32], sourceCount: Int) -> [[OutputAxon]] {
        var starts = Array(repeating: 0, count: sourceCount + 1)
        for source in sources { starts[Int(source) + 1] += 1 }
        for source in 0..<sourceCount { starts[source + 1] += starts[source] }
        var grouped = Array(repeating: OutputAxon(core: 0, axon: 0), count: destinations.count)
        var cursor = starts
        for (destination, source) in zip(destinations, sources) {
            grouped[cursor[Int(source)]] = destination
            cursor[Int(source)] += 1
        }
        destinations = []
        sources = []
        return (0..<sourceCount).map { Array(grouped[starts[$0]..<starts[$0 + 1]]) }
    }

    /// A core's entries ordered by source, keeping insertion order among equal sources (a
    /// counting sort: linear in the entries plus finding the distinct sources in order).
    /// `rowOfSource` is all −1 and `sourceBits` (a bit per source) all 0 on entry and on return.
    private static func sortedBySource(_ entries: ArraySlice<SynapseEntry>, rowOfSource: inout [Int32], sourceBits: inout [UInt64]) -> [SynapseEntry] {
        guard let first = entries.first else { return [] }
        var sources: [Int32] = []
        if sourceBits.count <= Self.sourceBitsPerEntry * entries.count {
            // A bit per source, read back in order: cheaper than sorting where the core has
            // many entries per word of bits (`cuba-400k`: about 3,100 sources of 400,000 on
            // each of 10,197 cores; sorting them was a tenth of its setup).
            sourceBits.withUnsafeMutableBufferPointer { bits in
                for entry in entries {
                    let source = Int(entry.source)
                    precondition(source >= 0 && source &>> 6 < bits.count, "synapse source \(source) outside the network's neurons")
                    bits[source &>> 6] |= 1 &<< UInt64(source & 63)
                }
                bits.drainSetBits { sources.append(Int32(truncatingIfNeeded: $0)) }
            }
        } else {
            // Distinct sources as 64-bit keys, sorted by `KeySort` (distinct, so an unstable
            // sort will do; the standard library's stable sort took a tenth of `cuba-400k`'s
            // setup).
            var keys: [UInt64] = []
            for entry in entries where rowOfSource[Int(entry.source)] < 0 {
                rowOfSource[Int(entry.source)] = 0
                keys.append(UInt64(entry.source))
            }
            keys.withUnsafeMutableBufferPointer { KeySort.sort($0) }
            sources = keys.map { Int32(truncatingIfNeeded: $0) }
        }
        var counts = Array(repeating: 0, count: sources.count + 1)
        for (row, source) in sources.enumerated() { rowOfSource[Int(source)] = Int32(row) }
        for entry in entries { counts[Int(rowOfSource[Int(entry.source)]) + 1] += 1 }
        for row in 0..<sources.count { counts[row + 1] += counts[row] }
        var sorted = Array(repeating: first, count: entries.count)
        for entry in entries {
            let row = Int(rowOfSource[Int(entry.source)])
            sorted[counts[row]] = entry
            counts[row] += 1
        }
        for source in sources { rowOfSource[Int(source)] = -1 }
        return sorted
    }

    /// Words of the source bitmap read per entry of a core, at most, for `sortedBySource` to
    /// find the core's distinct sources through it rather than by sorting them: a word read
    /// costs about what one comparison of a sort does, and a sort makes about log₂ n of them
    /// per source. Entries, not distinct sources, are counted because the distinct count is
    /// only known afterwards; a core with many synapses from few sources may read the bitmap
    /// where a sort was cheaper, which costs time, never a different order.
    static let sourceBitsPerEntry = 8

    /// Names of the projections with synapses among a core's entries, in file order.
    private static func projections(in entries: ArraySlice<SynapseEntry>, network: NetworkDescription) -> [String] {
        Set(entries.map { Int($0.projection) }).sorted().map { network.projections[$0].name }
    }

    /// What laying out a run of cores leaves besides the per-core results: the output axons
    /// that reach its cores, in core order, and the first error. The output axons are flat
    /// lists (source, axon), grouped by source once all runs are done: appending to a list per
    /// source checked and grew 400,000 small arrays on cuba-400k.
    private struct CoreRun {
        var destinationSources: [Int32] = []
        var destinations: [OutputAxon] = []
        var error: MappingError?
    }

    /// The loader's tables that laying out a core reads (shared by the threads, read only).
    private struct CoreLayout: Sendable {
        let network: NetworkDescription
        let mapping: Mapping
        let limits: CoreLimits
        /// Every synapse, grouped by destination core (`entryStart`).
        let entries: [SynapseEntry]
        let entryStart: [Int]
        let locator: [[(core: Int32, local: Int32)]]
        let synapsesOfProjection: [[SynapseDescription]]
        let formats: [(signMode: SignMode, weightBits: Int, shift: Int, target: Int, memoryBits: Int)]
        /// Accumulator group and learning rule of each (core, projection), −1 where none.
        let groupOf: [Int32]
        let ruleOf: [Int32]
        let maximumDelay: [Int]
        let sourceCount: Int
        let buildsCores: Bool

        /// Where the threads write their cores' results (each only its own cores').
        struct Output: @unchecked Sendable {
            let programs: UnsafeMutableBufferPointer<CoreProgram>
            let usage: UnsafeMutableBufferPointer<CoreUsage>
            let plasticOrigins: UnsafeMutableBufferPointer<[(projection: Int, synapse: Int)]>
            let synapseParts: UnsafeMutableBufferPointer<Core.SynapseParts?>
        }

        /// Lays out cores `range` in order, stopping at the first that breaks a limit.
        /// `reserving`: output axons to make room for, at least the range's (a core has at
        /// most an output axon per entry); the first run reserves every core's, so that the
        /// others' can be appended to it without moving it (unused room is never touched).
        func layOut(cores range: Range<Int>, reserving capacity: Int, into output: Output) -> CoreRun {
            var run = CoreRun()
            run.destinationSources.reserveCapacity(capacity)
            run.destinations.reserveCapacity(capacity)
            var rowOfSource = Array(repeating: Int32(-1), count: sourceCount)  // scratch for `sortedBySource`
            var sourceBits = Array(repeating: UInt64(0), count: (sourceCount + 63) / 64)  // likewise
            let projectionCount = network.projections.count
            for core in range {
                var program = output.programs[core]
                program.learningSeed = {
                    var streams = SeededGenerator(seed: network.seed, stream: 0x2_0000 + UInt64(core))
                    return streams.next()
                }()
                let coreEntries = entries[entryStart[core]..<entryStart[core + 1]]
                let sorted = ChipLoader.sortedBySource(coreEntries, rowOfSource: &rowOfSource, sourceBits: &sourceBits)
                var synapses: [Synapse] = []
                synapses.reserveCapacity(sorted.count)
                var rowStarts: [Int32] = [0]
                var memoryBits = 0
                var rowSynapseBits = 0
                var previous: Int32 = -1
                var plasticOrigins: [(projection: Int, synapse: Int)] = []
                for entry in sorted {
                    if entry.source != previous {
                        if previous >= 0 { memoryBits += SynapseMemoryModel.rowBits(synapseBits: rowSynapseBits) }
                        rowSynapseBits = 0
                        previous = entry.source
                        if !synapses.isEmpty { rowStarts.append(Int32(synapses.count)) }
                        run.destinationSources.append(entry.source)
                        run.destinations.append(OutputAxon(core: Int32(core), axon: Int32(rowStarts.count - 1)))
                    }
                    let projectionIndex = Int(entry.projection)
                    let synapse = synapsesOfProjection[projectionIndex][Int(entry.index)]
                    let slot = core * projectionCount + projectionIndex
                    let format = formats[projectionIndex]
                    let stored = format.signMode.effectiveWeight(Int(synapse.weight), numWeightBits: format.weightBits)
                    let rule = ruleOf[slot]
                    synapses.append(Synapse(
                        target: locator[format.target][Int(synapse.target)].local, group: max(groupOf[slot], 0),
                        weight: Int32(stored << format.shift), delay: synapse.delay, learningRule: rule, fileWeight: synapse.weight))
                    if rule >= 0 { plasticOrigins.append((projectionIndex, Int(entry.index))) }
                    rowSynapseBits += format.memoryBits
                }
                if previous >= 0 { memoryBits += SynapseMemoryModel.rowBits(synapseBits: rowSynapseBits) }
                if !synapses.isEmpty { rowStarts.append(Int32(synapses.count)) }
                let rowCount = rowStarts.count - 1
                program.synapses = synapses
                program.axonSynapseStart = rowStarts
                program.delaySlots = maximumDelay[core] + 1
                guard rowCount <= limits.inputAxons, memoryBits <= limits.synapseMemoryBits else {
                    let axons = rowCount > limits.inputAxons
                    run.error = .coreLimitExceeded(
                        core: Int(mapping.coreEndpoints[core]), contents: ChipLoader.describe(core: core, mapping: mapping, network: network),
                        resource: axons ? "input axons" : "bits of synapse memory", needed: axons ? rowCount : memoryBits,
                        limit: axons ? limits.inputAxons : limits.synapseMemoryBits,
                        projections: ChipLoader.projections(in: coreEntries, network: network))
                    output.programs[core] = program
                    return run
                }
                output.usage[core] = CoreUsage(
                    endpoint: Int(mapping.coreEndpoints[core]), neurons: mapping.coreNeuronCounts[core], inputAxons: rowCount, outputAxons: 0,
                    synapses: coreEntries.count, synapseMemoryBits: memoryBits)
                output.plasticOrigins[core] = plasticOrigins
                if buildsCores {
                    output.synapseParts[core] = Core.synapseParts(of: program)
                    program.synapses = []
                    program.axonSynapseStart = []
                }
                output.programs[core] = program
            }
            return run
        }
    }

    /// A synapse on its way to a core: its global source number and where the network file
    /// has it (the loaded synapse is built from there when its core's rows are laid out).
    /// Indices fit 32 bits: 2^31 synapses of one projection would take 32 GB to describe.
    private struct SynapseEntry {
        var source: Int32
        var projection: Int32
        var index: Int32
    }

    /// "population `hidden` neurons 1024–2047" for error messages.
    static func describe(core: Int, mapping: Mapping, network: NetworkDescription) -> String {
        mapping.slices.filter { $0.core == core }.map { slice in
            "population `\(network.populations[slice.population].name)` neurons \(slice.start)–\(slice.start + slice.count - 1)"
        }.joined(separator: ", ")
    }
}
