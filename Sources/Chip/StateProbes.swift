/// A neuron a host probes: its engine core and its index within the core.
public struct NeuronSite: Sendable, Equatable {
    /// Engine core index.
    public var core: Int
    /// Index of the neuron within its core.
    public var neuron: Int

    /// Neuron `neuron` of engine core `core`.
    public init(core: Int, neuron: Int) {
        self.core = core
        self.neuron = neuron
    }
}

/// The u and v of the probed neurons after one step, as a pulled batch hands them to its
/// `alongside` work (`ChipEngine.runPulledSteps(count:threads:probing:inputs:alongside:)`), in the
/// order the host listed the sites. It points into the engine's memory and is valid only inside
/// that closure.
public struct StepStates {
    /// The step the states are of.
    public let timestep: Int
    /// How many sites there are.
    public let count: Int
    private let values: UnsafePointer<Int32>?

    init(timestep: Int, values: UnsafePointer<Int32>?, count: Int) {
        self.timestep = timestep
        self.values = values
        self.count = count
    }

    /// Synaptic current of site `site`.
    public func u(_ site: Int) -> Int32 {
        precondition(site >= 0 && site < count, "site \(site) outside 0..<\(count)")
        return values.unsafelyUnwrapped[2 &* site]
    }

    /// Membrane voltage of site `site`.
    public func v(_ site: Int) -> Int32 {
        precondition(site >= 0 && site < count, "site \(site) outside 0..<\(count)")
        return values.unsafelyUnwrapped[2 &* site &+ 1]
    }
}

/// Where the workers of a pulled batch leave the u and v of the probed neurons after each
/// neuron phase, each worker for its own cores: the sites grouped by core, and the values of
/// `turns` steps in turn (the caller hands the states of step t while the others may already
/// run the neuron phase of step t + 2). Plain pointers into `StateProbeMemory`.
struct StateProbes {
    /// Core c's sites are entries `coreStarts[c] ..< coreStarts[c + 1]`.
    let coreStarts: UnsafePointer<Int32>
    /// Each entry's neuron within its core, and its site (the host's order).
    let neurons: UnsafePointer<Int32>
    let sites: UnsafePointer<Int32>
    /// `turns` × sites × (u, v).
    let values: UnsafeMutablePointer<Int32>
    let count: Int

    /// The batch's turns: what a region writes was last read three regions before.
    static let turns = PulledBatchMemory.turns

    /// The values of step `step`.
    func values(ofStep step: Int) -> UnsafeMutablePointer<Int32> { values + (step % Self.turns) &* 2 &* count }

    /// Leaves the u and v of core `index`'s sites after its neuron phase of step `step`.
    @inline(__always)
    func capture(core: inout Core, index: Int, step: Int) {
        let first = Int(coreStarts[index]), end = Int(coreStarts[index &+ 1])
        guard first < end else { return }
        core.captureStates(neurons: neurons + first, sites: sites + first, count: end &- first, into: values(ofStep: step))
    }
}

/// The memory of `StateProbes` for a list of sites on a chip of `coreCount` cores; kept by the
/// engine from batch to batch while the sites stay the same.
final class StateProbeMemory: @unchecked Sendable {  // written by each worker only for its own cores' sites
    let sites: [NeuronSite]
    let coreCount: Int
    let probes: StateProbes

    init(sites: [NeuronSite], coreCount: Int) {
        self.sites = sites
        self.coreCount = coreCount
        let coreStarts = UnsafeMutablePointer<Int32>.allocate(capacity: coreCount + 1)
        coreStarts.initialize(repeating: 0, count: coreCount + 1)
        for site in sites { coreStarts[site.core + 1] += 1 }
        for core in 0..<coreCount { coreStarts[core + 1] += coreStarts[core] }
        let neurons = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, sites.count))
        let order = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, sites.count))
        var next = (0..<coreCount).map { Int(coreStarts[$0]) }
        for (index, site) in sites.enumerated() {
            neurons[next[site.core]] = Int32(site.neuron)
            order[next[site.core]] = Int32(index)
            next[site.core] += 1
        }
        let values = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, StateProbes.turns * 2 * sites.count))
        values.initialize(repeating: 0, count: max(1, StateProbes.turns * 2 * sites.count))
        probes = StateProbes(coreStarts: coreStarts, neurons: neurons, sites: order, values: values, count: sites.count)
    }

    deinit {
        probes.coreStarts.deallocate()
        probes.neurons.deallocate()
        probes.sites.deallocate()
        probes.values.deallocate()
    }
}
