/// A contiguous range of one population's neurons placed on one core.
public struct Slice: Sendable, Equatable {
    /// Index into the network's populations.
    public var population: Int
    /// First neuron of the population in this slice.
    public var start: Int
    /// Neurons in this slice.
    public var count: Int
    /// Engine core index (position in `Mapping.coreEndpoints`).
    public var core: Int
    /// First neuron of the core that this slice occupies.
    public var coreOffset: Int

    /// Neurons `start ..< start + count` of population `population` on engine core `core`,
    /// from the core's neuron `coreOffset`.
    public init(population: Int, start: Int, count: Int, core: Int, coreOffset: Int = 0) {
        self.population = population
        self.start = start
        self.count = count
        self.core = core
        self.coreOffset = coreOffset
    }
}

/// Where every neuron of a network lives on the chip.
public struct Mapping: Sendable, Equatable {
    /// All slices, population by population, each population's slices in neuron order.
    public var slices: [Slice]
    /// Mesh core number of each engine core.
    public var coreEndpoints: [Int32]
    /// Neurons on each engine core.
    public var coreNeuronCounts: [Int]

    /// A mapping of `slices` onto engine cores at mesh core numbers `coreEndpoints`, holding
    /// `coreNeuronCounts` neurons each.
    public init(slices: [Slice], coreEndpoints: [Int32], coreNeuronCounts: [Int]) {
        self.slices = slices
        self.coreEndpoints = coreEndpoints
        self.coreNeuronCounts = coreNeuronCounts
    }

    /// Slices of one population, in neuron order.
    public func slices(of population: Int) -> [Slice] { slices.filter { $0.population == population } }

    /// Slices of every one of `coreCount` engine cores, in population and neuron order: one pass
    /// over the slices instead of a filter per core (50,000 cores took seconds).
    public func slicesByCore(coreCount: Int) -> [[Slice]] {
        var table = Array(repeating: [Slice](), count: coreCount)
        for slice in slices { table[slice.core].append(slice) }
        return table
    }

    /// Slices of every one of `populationCount` populations, in neuron order: `slices(of:)` for
    /// each, in one pass over the slices.
    public func slicesByPopulation(populationCount: Int) -> [[Slice]] {
        var table = Array(repeating: [Slice](), count: populationCount)
        for slice in slices { table[slice.population].append(slice) }
        return table
    }

    /// Per-population lookup from neuron index to (engine core, neuron within core).
    public func locator(populationCount: Int) -> [[(core: Int32, local: Int32)]] {
        var table: [[(core: Int32, local: Int32)]] = Array(repeating: [], count: populationCount)
        for slice in slices {
            for k in 0..<slice.count {
                table[slice.population].append((Int32(slice.core), Int32(slice.coreOffset + k)))
            }
        }
        return table
    }
}
