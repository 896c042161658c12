/// How many times each `EventClass` happened.
public struct EventCounts: Sendable, Equatable {
    private var counts: [UInt64] = Array(repeating: 0, count: EventClass.allCases.count)

    public init() {}

    public subscript(_ event: EventClass) -> UInt64 {
        get { counts[event.rawValue] }
        set { counts[event.rawValue] = newValue }
    }

    public static func += (lhs: inout EventCounts, rhs: EventCounts) {
        for index in lhs.counts.indices { lhs.counts[index] &+= rhs.counts[index] }
    }

    /// Dynamic energy in femtojoules: Σ count × price.
    public func dynamicEnergyFemtojoules(_ costs: EventCosts) -> Int64 {
        EventClass.allCases.reduce(0) { total, event in
            total + Int64(self[event]) * costs[event].energyFemtojoules
        }
    }
}
