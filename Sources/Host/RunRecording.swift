import Chip

/// What a run did step by step, collected through the `observer` of `Simulation.run`: one
/// compact record per step (for reports and the per-step picture) and, when asked for, the
/// spikes of every input and population (for the raster picture).
///
/// Spikes are thinned by neuron so memory stays bounded on long runs: only neurons whose index
/// within their group is a multiple of `spikeStride` are kept, and the stride doubles whenever
/// more than `spikeCapacity` spikes are held. Each kept neuron keeps its whole spike train.
public struct RunRecording: Sendable {
    /// One step's totals.
    public struct Step: Sendable, Equatable {
        /// Cycles from the start of the step to the end of its barrier.
        public var cycles: UInt32
        /// Spikes of chip neurons.
        public var spikes: Int
        /// Spikes sent by the host.
        public var inputSpikes: Int
        /// Packets routed in the step.
        public var packets: UInt64
        /// Synaptic ops of the step.
        public var synapticOps: UInt64
        /// Energy of the step (dynamic + static) in femtojoules.
        public var energyFemtojoules: Int64
    }

    /// One recorded spike. `group` numbers inputs first, then populations, in file order.
    public struct Spike: Sendable, Equatable {
        /// Timestep of the spike.
        public var step: Int32
        /// Input or population: inputs first, then populations, in file order.
        public var group: Int32
        /// Index of the neuron within its input or population.
        public var index: Int32
    }

    /// Records of the steps run so far, in order.
    public private(set) var steps: [Step] = []
    /// Kept spikes in (step, group, index) order.
    public private(set) var spikes: [Spike] = []
    /// Spikes seen per group (inputs, then populations), thinned or not.
    public private(set) var spikesPerGroup: [Int]
    /// Only spikes of neurons whose index is a multiple of this are kept (a power of two).
    public private(set) var spikeStride = 1
    /// True when spikes are recorded at all.
    public let keepsSpikes: Bool
    /// Thinning starts when more spikes than this are held.
    public let spikeCapacity: Int

    private let inputCount: Int
    private let populationSlices: [[Slice]]
    private var inputs: InputDriver?

    /// - Parameters:
    ///   - simulation: the simulation about to run (its network and mapping locate spikes).
    ///   - steps: steps the run will take (input spikes are regenerated from the simulation's
    ///     input streams as they stand before the run, so a second run's are its own).
    ///   - keepsSpikes: also record spikes, for a raster.
    ///   - spikeCapacity: spikes held before thinning by neuron begins.
    public init(simulation: Simulation, steps: Int, keepsSpikes: Bool, spikeCapacity: Int = 1 << 20) {
        let network = simulation.network
        self.keepsSpikes = keepsSpikes
        self.spikeCapacity = max(1, spikeCapacity)
        inputCount = network.inputs.count
        populationSlices = simulation.mapping.slicesByPopulation(populationCount: network.populations.count)
        spikesPerGroup = Array(repeating: 0, count: network.inputs.count + network.populations.count)
        inputs = keepsSpikes ? simulation.inputDriver : nil
        self.steps.reserveCapacity(min(steps, 1 << 16))
    }

    /// Records the step the engine just completed. Call it from `Simulation.run`'s observer.
    public mutating func record(step: Int, engine: ChipEngine) {
        let summary = engine.lastStep
        steps.append(Step(
            cycles: summary.cycles, spikes: summary.neuronSpikes, inputSpikes: summary.inputSpikes,
            packets: summary.counts[.packet], synapticOps: summary.counts[.synapticOp],
            energyFemtojoules: summary.energyFemtojoules))
        guard keepsSpikes, var driver = inputs else { return }
        let t = Int32(step)
        for neuron in driver.spikes(at: engine.timestep) {  // the driver counts the simulation's steps
            let (input, index) = driver.locate(neuron)
            keep(Spike(step: t, group: Int32(input), index: Int32(index)))
        }
        inputs = driver
        for (population, slices) in populationSlices.enumerated() {
            let group = Int32(inputCount + population)
            for slice in slices {
                let low = Int32(slice.coreOffset)
                let high = Int32(slice.coreOffset + slice.count)
                for local in engine.cores[slice.core].spikes where local >= low && local < high {
                    keep(Spike(step: t, group: group, index: Int32(slice.start) + local - low))
                }
            }
        }
    }

    private mutating func keep(_ spike: Spike) {
        spikesPerGroup[Int(spike.group)] += 1
        guard Int(spike.index) % spikeStride == 0 else { return }
        spikes.append(spike)
        if spikes.count > spikeCapacity {
            spikeStride *= 2
            let stride = Int32(spikeStride)
            spikes.removeAll { $0.index % stride != 0 }
        }
    }

    /// Spikes seen in total (inputs included).
    public var spikeTotal: Int { spikesPerGroup.reduce(0, +) }
}
