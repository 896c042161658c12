/// The price of one event: its latency in chip clock cycles and its energy in femtojoules.
public struct EventCost: Sendable, Equatable {
    /// Latency in cycles of the chip clock.
    public var cycles: UInt32
    /// Energy in femtojoules (integer, so energies add up exactly).
    public var energyFemtojoules: Int64

    /// An event of `cycles` chip cycles and `energyFemtojoules` fJ.
    public init(cycles: UInt32, energyFemtojoules: Int64) {
        self.cycles = cycles
        self.energyFemtojoules = energyFemtojoules
    }
}

/// The price list of a chip: one `EventCost` per `EventClass`.
public struct EventCosts: Sendable, Equatable {
    private var costs: [EventCost] = Array(repeating: EventCost(cycles: 0, energyFemtojoules: 0), count: EventClass.allCases.count)
    /// The energies again, one lane per event class like `EventCounts` (the unused lanes zero),
    /// so that a step's energy is one vector product (`EventCounts.dynamicEnergyFemtojoules`).
    private(set) var energyLanes = SIMD16<Int64>()

    /// Every event free: no cycles, no energy (set each with the subscript).
    public init() {}

    /// The cycles and femtojoules one `event` costs.
    public subscript(_ event: EventClass) -> EventCost {
        get { costs[event.rawValue] }
        set {
            costs[event.rawValue] = newValue
            energyLanes[event.rawValue] = newValue.energyFemtojoules
        }
    }
}
