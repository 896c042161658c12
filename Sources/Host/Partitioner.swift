import Chip

/// The first mapper: splits populations in file order into slices and fills cores in order,
/// one population per core, adding neurons to a core while every core limit still holds.
///
/// The limits checked while filling are neurons, input axons (distinct presynaptic sources) and
/// synapse memory (`SynapseMemoryModel`). A dense layer with a large fan-in therefore gets
/// smaller slices than the neuron limit alone would give. Output axons depend on where targets
/// land and are checked by the loader. Deterministic: no randomness, no hashing.
public enum Partitioner {
    public static func partition(_ network: NetworkDescription, on chip: ChipDescription) throws(MappingError) -> Mapping {
        let limits = chip.coreLimits
        let memory = SynapseMemoryModel(limits: limits)
        let sourceOffsets = SourceNumbering(network)

        // Incoming synapses per population neuron: (global source, synapse bits), by target.
        var incomingStart: [[Int32]] = []
        var incoming: [[(source: Int32, bits: Int32)]] = []
        for population in network.populations.indices {
            var counts = Array(repeating: Int32(0), count: network.populations[population].size + 1)
            for projection in network.projections where projection.target == population {
                for synapse in projection.synapses { counts[Int(synapse.target) + 1] += 1 }
            }
            for i in 1..<counts.count { counts[i] += counts[i - 1] }
            var cursor = counts
            var entries = Array(repeating: (source: Int32(0), bits: Int32(0)), count: Int(counts.last ?? 0))
            for projection in network.projections where projection.target == population {
                let bits = Int32(memory.synapseBits(numWeightBits: projection.numWeightBits, signMode: projection.signMode, usesDelays: projection.maximumDelay > 1))
                let base = sourceOffsets.first(of: projection)
                for synapse in projection.synapses {
                    let slot = Int(cursor[Int(synapse.target)])
                    entries[slot] = (Int32(base) + synapse.source, bits)
                    cursor[Int(synapse.target)] += 1
                }
            }
            incomingStart.append(counts)
            incoming.append(entries)
        }

        // Per-core bookkeeping, reset when a core is closed.
        var rowBits = Array(repeating: Int32(0), count: sourceOffsets.total)  // synapse bits per source row
        var touched: [Int32] = []
        var coreAxons = 0
        var coreMemory = 0
        var coreNeurons = 0

        var slices: [Slice] = []
        var coreNeuronCounts: [Int] = []
        func closeCore() {
            for source in touched { rowBits[Int(source)] = 0 }
            touched.removeAll(keepingCapacity: true)
            coreAxons = 0
            coreMemory = 0
            coreNeurons = 0
        }

        for (populationIndex, population) in network.populations.enumerated() {
            let starts = incomingStart[populationIndex]
            let entries = incoming[populationIndex]
            var sliceStart = 0
            if coreNeurons > 0 { closeCore() }
            var core = coreNeuronCounts.count
            guard core < chip.mesh.coreCount else {
                throw .outOfCores(population: population.name, neuron: 0, chip: chip.name, cores: chip.mesh.coreCount)
            }
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
                let fits = coreNeurons + 1 <= limits.neurons
                    && coreAxons + newAxons <= limits.inputAxons
                    && coreMemory + memoryDelta <= limits.synapseMemoryBits
                if fits {
                    for entry in journal where entry.old == 0 { touched.append(entry.source) }
                    coreNeurons += 1
                    coreAxons += newAxons
                    coreMemory += memoryDelta
                    neuron += 1
                    continue
                }
                for entry in journal.reversed() { rowBits[Int(entry.source)] = entry.old }
                guard coreNeurons > 0 else {
                    let resource = coreAxons + newAxons > limits.inputAxons ? "input axons" : "bits of synapse memory"
                    let needed = resource == "input axons" ? newAxons : memoryDelta
                    let limit = resource == "input axons" ? limits.inputAxons : limits.synapseMemoryBits
                    throw .neuronDoesNotFit(population: population.name, neuron: neuron, resource: resource, needed: needed, limit: limit)
                }
                slices.append(Slice(population: populationIndex, start: sliceStart, count: neuron - sliceStart, core: core))
                coreNeuronCounts.append(neuron - sliceStart)
                sliceStart = neuron
                closeCore()
                core += 1
                guard core < chip.mesh.coreCount else {
                    throw .outOfCores(population: population.name, neuron: neuron, chip: chip.name, cores: chip.mesh.coreCount)
                }
            }
            slices.append(Slice(population: populationIndex, start: sliceStart, count: population.size - sliceStart, core: core))
            coreNeuronCounts.append(population.size - sliceStart)
        }
        return Mapping(slices: slices, coreEndpoints: (0..<coreNeuronCounts.count).map { Int32($0) }, coreNeuronCounts: coreNeuronCounts)
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
