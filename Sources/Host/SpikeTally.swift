import Chip

/// What the host counts of each step's neuron spikes: spikes per population, per neuron where
/// measured (rates, readouts) and in the classifier's population, and the trace's spike lines.
///
/// The per-spike loop runs in these mutating methods: pipelined steps tally inside a closure
/// (`ChipEngine.stepPipelined`'s `alongside`), where every access to a captured variable is
/// checked for exclusivity at run time — once per call here instead of several times per spike.
/// Counts do not depend on the order of the spikes, lines do: without lines each spike is
/// counted as it comes, through its core's slices; with them the spikes are first grouped by
/// core and taken in the trace's order.
struct SpikeTally {
    /// Spikes of each population so far.
    private(set) var populationSpikes: [Int]
    /// Spikes of each neuron so far, for the populations measured (empty for the others).
    private(set) var neuronSpikes: [[Int64]]
    /// Spikes of each neuron of the classifier's population since the host last cleared them.
    var classifiedSpikes: [Int]
    private let classifierPopulation: Int?
    /// Each population's slices, and what its spike lines show.
    private let populationSlices: [[Slice]]
    /// Every slice by core: core c's are `slicesByCore[coreSliceStart[c] ..< coreSliceStart[c + 1]]`.
    private let slicesByCore: [Slice]
    private let coreSliceStart: [Int]
    /// Population names in UTF-8, for the spike lines.
    private let names: [[UInt8]]
    private let valued: [Bool]
    private let writesLines: Bool
    private var spikes: SpikesByCore

    /// - Parameters:
    ///   - populationSlices: each population's slices (`Mapping.slices(of:)`).
    ///   - measured: per population, whether to count spikes per neuron.
    ///   - classifier: the classifier's population, if any.
    ///   - writesLines: whether `add` appends spike lines (trace level spikes or packets).
    init(network: NetworkDescription, populationSlices: [[Slice]], coreCount: Int, measured: (Int) -> Bool, classifier: Int?, writesLines: Bool) {
        populationSpikes = Array(repeating: 0, count: network.populations.count)
        neuronSpikes = network.populations.enumerated().map { index, population in
            Array(repeating: 0, count: measured(index) ? population.size : 0)
        }
        classifiedSpikes = Array(repeating: 0, count: classifier.map { network.populations[$0].size } ?? 0)
        classifierPopulation = classifier
        self.populationSlices = populationSlices
        slicesByCore = populationSlices.joined().sorted { ($0.core, $0.coreOffset) < ($1.core, $1.coreOffset) }
        var start = Array(repeating: 0, count: coreCount + 1)
        for slice in slicesByCore { start[slice.core + 1] += 1 }
        for core in 0..<coreCount { start[core + 1] += start[core] }
        coreSliceStart = start
        names = network.populations.map { Array($0.name.utf8) }
        valued = network.populations.map(\.spikesCarryValues)
        self.writesLines = writesLines
        spikes = SpikesByCore(coreCount: coreCount)
    }

    /// Counts step `t`'s spikes as a pipelined call hands them over, appending their lines.
    mutating func add(_ handed: StepSpikes, step t: Int, lines: inout TraceLines) {
        guard writesLines else { return handed.forEach { core, neuron, _ in count(core: core, neuron: neuron) } }
        spikes.fill(from: handed)
        countInTraceOrder(step: t, lines: &lines)
    }

    /// Counts step `t`'s spikes from the cores' spike lists (`spikingCores`: the cores that have
    /// any), appending their lines.
    mutating func add(cores: [Core], spikingCores: [Int32], step t: Int, lines: inout TraceLines) {
        guard writesLines else {
            for core in spikingCores {
                for neuron in cores[Int(core)].spikes { count(core: Int(core), neuron: Int(neuron)) }
            }
            return
        }
        spikes.fill(fromCores: cores, spikingCores: spikingCores)
        countInTraceOrder(step: t, lines: &lines)
    }

    /// Counts a spike of neuron `neuron` of core `core` in the population of its slice.
    private mutating func count(core: Int, neuron: Int) {
        for k in coreSliceStart[core]..<coreSliceStart[core + 1] {
            let slice = slicesByCore[k]
            guard neuron >= slice.coreOffset && neuron < slice.coreOffset + slice.count else { continue }
            count(population: slice.population, index: slice.start + neuron - slice.coreOffset)
            return
        }
    }

    private mutating func count(population: Int, index: Int) {
        populationSpikes[population] += 1
        if !neuronSpikes[population].isEmpty { neuronSpikes[population][index] += 1 }
        if population == classifierPopulation { classifiedSpikes[index] += 1 }
    }

    /// Counts `spikes` and appends their lines, population by population, slice by slice, each
    /// core's spikes in their order: the order of the trace's spike lines.
    private mutating func countInTraceOrder(step t: Int, lines: inout TraceLines) {
        for (population, slices) in populationSlices.enumerated() {
            for slice in slices {
                for k in spikes.spikes(of: slice.core) {
                    let local = Int(spikes.neurons[k])
                    guard local >= slice.coreOffset && local < slice.coreOffset + slice.count else { continue }
                    let index = slice.start + local - slice.coreOffset
                    count(population: population, index: index)
                    lines.spike(step: t, name: names[population], index: index, value: valued[population] ? spikes.values[k] : nil)
                }
            }
        }
    }
}
