import Chip
import Testing
@testable import Host

/// An independent check of a loaded mapping, for the property and scale tests. It recomputes
/// every core resource from the loaded `CoreProgram`s with the cost model written out again
/// here (not `SynapseMemoryModel`), and maps every loaded synapse back to (projection, source,
/// target) through the output axons that name its input axon and the slices that hold its target.
///
/// Projections are recognised by (source input or population, target population), so networks
/// checked here have at most one projection per such pair.
struct MappingCheck {
    let network: NetworkDescription
    let chip: ChipDescription
    let mapping: Mapping
    let loaded: LoadedNetwork

    /// A presynaptic source: neuron `index` of input or population `group`.
    struct Source: Hashable {
        var isInput: Bool
        var group: Int
        var index: Int
    }

    /// One synapse as the chip holds it, in the network's terms.
    struct LoadedSynapse: Hashable {
        var projection: Int
        var source: Int
        var target: Int
        var delay: Int32
        /// The stored weight: sign-mode truncated, pre-shifted by a non-negative exponent.
        var weight: Int32
        /// The exponent of its accumulator group (0, or the projection's negative exponent).
        var exponent: Int32
    }

    /// ⌈log2 count⌉, at least 1.
    static func bits(toCount count: Int) -> Int {
        var bits = 1
        while (1 << bits) < count { bits += 1 }
        return bits
    }

    /// `projectionOf[sourceGroup][targetPopulation]`: groups are inputs then populations; −1 none.
    var projectionOf: [[Int]] {
        var table = Array(repeating: Array(repeating: -1, count: network.populations.count), count: network.inputs.count + network.populations.count)
        for (index, projection) in network.projections.enumerated() {
            let group = projection.sourceIsInput ? projection.source : network.inputs.count + projection.source
            precondition(table[group][projection.target] < 0, "MappingCheck needs one projection per (source, target) pair")
            table[group][projection.target] = index
        }
        return table
    }

    /// The source of every input axon of every core, from the output axons that name it.
    func axonSources() -> (sources: [[Source?]], problems: [String]) {
        var sources = loaded.programs.map { Array(repeating: Source?.none, count: $0.axonSynapses.count) }
        var problems: [String] = []
        func claim(_ output: OutputAxon, by source: Source) {
            guard output.core >= 0, Int(output.core) < sources.count, output.axon >= 0, Int(output.axon) < sources[Int(output.core)].count else {
                problems.append("\(source) names a missing axon \(output)")
                return
            }
            if let existing = sources[Int(output.core)][Int(output.axon)] { problems.append("axon \(output) named by \(existing) and \(source)") }
            sources[Int(output.core)][Int(output.axon)] = source
        }
        var flat = 0
        for (input, description) in network.inputs.enumerated() {
            for index in 0..<description.size {
                for output in loaded.inputDestinations[flat] { claim(output, by: Source(isInput: true, group: input, index: index)) }
                flat += 1
            }
        }
        if loaded.inputDestinations.count != flat { problems.append("\(loaded.inputDestinations.count) input destination lists for \(flat) input neurons") }
        for slice in mapping.slices {
            for k in 0..<slice.count {
                for output in loaded.programs[slice.core].destinations[slice.coreOffset + k] {
                    claim(output, by: Source(isInput: false, group: slice.population, index: slice.start + k))
                }
            }
        }
        for (core, axons) in sources.enumerated() {
            for (axon, source) in axons.enumerated() where source == nil { problems.append("core \(core) axon \(axon): no source sends to it") }
        }
        return (sources, problems)
    }

    /// (population, neuron) of every local neuron of every core.
    func neuronsOfCores() -> [[(population: Int, index: Int)]] {
        var table = mapping.coreNeuronCounts.map { Array(repeating: (population: -1, index: -1), count: $0) }
        for slice in mapping.slices {
            for k in 0..<slice.count { table[slice.core][slice.coreOffset + k] = (slice.population, slice.start + k) }
        }
        return table
    }

    /// Visits every loaded synapse with its core, row and projection (nil: none matches).
    func forEachSynapse(_ body: (_ core: Int, _ axon: Int, _ source: Source, _ target: (population: Int, index: Int), _ projection: Int?, _ synapse: Synapse) -> Void) -> [String] {
        let (sources, problems) = axonSources()
        let neurons = neuronsOfCores()
        let table = projectionOf
        for (core, program) in loaded.programs.enumerated() {
            for (axon, row) in program.axonSynapses.enumerated() {
                guard let source = sources[core][axon] else { continue }
                let group = source.isInput ? source.group : network.inputs.count + source.group
                for synapse in row {
                    let target = neurons[core][Int(synapse.target)]
                    let projection = table[group][target.population]
                    body(core, axon, source, target, projection >= 0 ? projection : nil, synapse)
                }
            }
        }
        return problems
    }

    /// Problems with the slices: every neuron placed exactly once, slices contiguous in neuron
    /// order, each core's slices tiling its neurons, at most the chip's cores, and a population
    /// with a dynamic threshold alone on its cores.
    func sliceProblems() -> [String] {
        var problems: [String] = []
        let coreCount = mapping.coreNeuronCounts.count
        if coreCount > chip.mesh.coreCount { problems.append("\(coreCount) cores on a chip of \(chip.mesh.coreCount)") }
        if mapping.coreEndpoints.count != coreCount || loaded.programs.count != coreCount { problems.append("core counts differ") }
        if Set(mapping.coreEndpoints).count != coreCount || mapping.coreEndpoints.contains(where: { $0 < 0 || Int($0) >= chip.mesh.coreCount }) {
            problems.append("endpoints not distinct mesh cores: \(mapping.coreEndpoints)")
        }
        var covered = mapping.coreNeuronCounts.map { Array(repeating: 0, count: $0) }
        var populationsOfCore = Array(repeating: Set<Int>(), count: coreCount)
        for population in network.populations.indices {
            var next = 0
            for slice in mapping.slices(of: population) {
                if slice.start != next { problems.append("population \(population): slice starts at \(slice.start), expected \(next)") }
                next = slice.start + slice.count
                guard slice.count > 0, slice.core >= 0, slice.core < coreCount, slice.coreOffset >= 0,
                      slice.coreOffset + slice.count <= mapping.coreNeuronCounts[slice.core] else {
                    problems.append("slice \(slice) outside its core")
                    continue
                }
                for k in 0..<slice.count { covered[slice.core][slice.coreOffset + k] += 1 }
                populationsOfCore[slice.core].insert(population)
            }
            if next != network.populations[population].size { problems.append("population \(population) covers \(next) of \(network.populations[population].size)") }
        }
        for (core, counts) in covered.enumerated() where counts.contains(where: { $0 != 1 }) {
            problems.append("core \(core): neurons not covered exactly once")
        }
        for (core, populations) in populationsOfCore.enumerated() where populations.count > 1 {
            for population in populations where network.populations[population].neurons.contains(where: { $0.meanVoltageGain != 0 }) {
                problems.append("core \(core): dynamic-threshold population \(population) shares the core with \(populations.sorted())")
            }
        }
        for (core, program) in loaded.programs.enumerated() where program.neurons.count != mapping.coreNeuronCounts[core] {
            problems.append("core \(core): \(program.neurons.count) loaded neurons, mapping says \(mapping.coreNeuronCounts[core])")
        }
        return problems
    }

    /// Problems with the resources of the loaded programs against the chip's limits, and
    /// disagreements with the loader's own `usage`.
    func limitProblems() -> [String] {
        let limits = chip.coreLimits
        let indexBits = Self.bits(toCount: limits.neurons)
        let delayBits = Self.bits(toCount: limits.delaySlots)
        var problems: [String] = []
        for projection in network.projections where projection.numWeightBits > limits.weightBits {
            problems.append("projection \(projection.name): \(projection.numWeightBits) weight bits > \(limits.weightBits)")
        }
        // A synapse costs its weight bits, a sign bit in mixed mode, a delay field if its
        // projection uses delays above 1, and a target index; a row adds a 64-bit header and is
        // padded to 64-bit words.
        let synapseBits = network.projections.map { projection in
            projection.numWeightBits + (projection.signMode == .mixed ? 1 : 0) + (projection.maximumDelay > 1 ? delayBits : 0) + indexBits
        }
        // Bits of every row of every core, flat: core c's rows start at rowBase[c].
        var rowBase = [0]
        for program in loaded.programs { rowBase.append(rowBase[rowBase.count - 1] + program.axonSynapses.count) }
        var rowBits = Array(repeating: 64, count: rowBase[rowBase.count - 1])
        let sourceProblems = forEachSynapse { core, axon, source, target, projection, synapse in
            guard let projection else {
                problems.append("core \(core) axon \(axon): no projection from \(source) to population \(target.population)")
                return
            }
            rowBits[rowBase[core] + axon] += synapseBits[projection]
            if synapse.delay < 1 || Int(synapse.delay) >= loaded.programs[core].delaySlots {
                problems.append("core \(core): delay \(synapse.delay) outside \(loaded.programs[core].delaySlots) slots")
            }
        }
        problems += sourceProblems
        for (core, program) in loaded.programs.enumerated() {
            let neurons = program.neurons.count
            let inputAxons = program.axonSynapses.count
            let outputAxons = program.destinations.reduce(0) { $0 + $1.count }
            let memory = rowBits[rowBase[core]..<rowBase[core + 1]].reduce(0) { $0 + ($1 + 63) / 64 * 64 }
            let synapses = program.axonSynapses.reduce(0) { $0 + $1.count }
            if neurons > limits.neurons { problems.append("core \(core): \(neurons) neurons > \(limits.neurons)") }
            if inputAxons > limits.inputAxons { problems.append("core \(core): \(inputAxons) input axons > \(limits.inputAxons)") }
            if outputAxons > limits.outputAxons { problems.append("core \(core): \(outputAxons) output axons > \(limits.outputAxons)") }
            if memory > limits.synapseMemoryBits { problems.append("core \(core): \(memory) synapse bits > \(limits.synapseMemoryBits)") }
            if program.delaySlots > limits.delaySlots { problems.append("core \(core): \(program.delaySlots) delay slots > \(limits.delaySlots)") }
            let usage = loaded.usage[core]
            if [usage.neurons, usage.inputAxons, usage.outputAxons, usage.synapses, usage.synapseMemoryBits] != [neurons, inputAxons, outputAxons, synapses, memory] {
                problems.append("core \(core): loader usage \(usage) differs from recomputed \([neurons, inputAxons, outputAxons, synapses, memory])")
            }
        }
        return problems
    }

    /// Every loaded synapse in the network's terms, counted.
    func loadedSynapses() -> (synapses: [LoadedSynapse: Int], problems: [String]) {
        var synapses: [LoadedSynapse: Int] = [:]
        var problems: [String] = []
        let sourceProblems = forEachSynapse { core, axon, source, target, projection, synapse in
            guard let projection else {
                problems.append("core \(core) axon \(axon): no projection from \(source) to population \(target.population)")
                return
            }
            let exponent = loaded.programs[core].groupExponents[Int(synapse.group)]
            let key = LoadedSynapse(projection: projection, source: source.index, target: target.index, delay: synapse.delay, weight: synapse.weight, exponent: exponent)
            synapses[key, default: 0] += 1
        }
        return (synapses, problems + sourceProblems)
    }

    /// Every synapse of the network as the chip should hold it, counted.
    static func expectedSynapses(of network: NetworkDescription) -> [LoadedSynapse: Int] {
        var synapses: [LoadedSynapse: Int] = [:]
        for (index, projection) in network.projections.enumerated() {
            let exponent = projection.weightExponent
            for synapse in projection.synapses {
                let stored = projection.signMode.effectiveWeight(Int(synapse.weight), numWeightBits: projection.numWeightBits)
                let key = LoadedSynapse(
                    projection: index, source: Int(synapse.source), target: Int(synapse.target), delay: synapse.delay,
                    weight: Int32(exponent >= 0 ? stored << exponent : stored), exponent: Int32(min(0, exponent)))
                synapses[key, default: 0] += 1
            }
        }
        return synapses
    }
}
