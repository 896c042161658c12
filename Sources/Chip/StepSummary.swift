/// What one timestep cost: its length in cycles, its events and its energy.
public struct StepSummary: Sendable, Equatable {
    /// 1-based timestep.
    public var timestep: Int
    /// Cycles from the start of the step to the end of its barrier.
    public var cycles: UInt32
    /// Events of the step, by class.
    public var counts: EventCounts
    /// Dynamic energy of the step's events plus static energy over its cycles, in femtojoules.
    public var energyFemtojoules: Int64
    /// Spikes of chip neurons (host input spikes are not counted here).
    public var neuronSpikes: Int
    /// Input spikes sent by the host.
    public var inputSpikes: Int

    /// A step's totals; all zero before a step has run.
    public init(timestep: Int = 0, cycles: UInt32 = 0, counts: EventCounts = EventCounts(), energyFemtojoules: Int64 = 0, neuronSpikes: Int = 0, inputSpikes: Int = 0) {
        self.timestep = timestep
        self.cycles = cycles
        self.counts = counts
        self.energyFemtojoules = energyFemtojoules
        self.neuronSpikes = neuronSpikes
        self.inputSpikes = inputSpikes
    }
}
