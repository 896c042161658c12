/// How many times each `EventClass` happened.
public struct EventCounts: Sendable, Equatable {
    /// One lane per event class (the unused lanes stay zero): a value with no heap storage, so
    /// the engine's per-step counts allocate nothing.
    private var counts = SIMD16<UInt64>()

    /// No events.
    public init() {}

    /// How many times `event` happened.
    public subscript(_ event: EventClass) -> UInt64 {
        get { counts[event.rawValue] }
        set { counts[event.rawValue] = newValue }
    }

    /// Adds `rhs`'s counts, class by class.
    public static func += (lhs: inout EventCounts, rhs: EventCounts) {
        lhs.counts &+= rhs.counts
    }

    /// The counts of `lhs` beyond `rhs`, which it includes (a run's counts: the totals after it
    /// less those before).
    public static func - (lhs: EventCounts, rhs: EventCounts) -> EventCounts {
        var difference = EventCounts()
        difference.counts = lhs.counts &- rhs.counts
        return difference
    }

    /// Dynamic energy in femtojoules: Σ count × price. Wraps beyond 2^63 fJ (9.2 kJ); the engine
    /// checks each step's sum with `checkedDynamicEnergyFemtojoules`, so a total that did not
    /// overflow there cannot here.
    public func dynamicEnergyFemtojoules(_ costs: EventCosts) -> Int64 {
        (SIMD16<Int64>(truncatingIfNeeded: counts) &* costs.energyLanes).wrappedSum()
    }

    /// Σ count × price in femtojoules, or nil when it exceeds `Int64.max` (9.2 kJ).
    public func checkedDynamicEnergyFemtojoules(_ costs: EventCosts) -> Int64? {
        var sum: Int64 = 0
        for lane in 0..<counts.scalarCount where counts[lane] != 0 {
            guard let count = Int64(exactly: counts[lane]) else { return nil }
            let (energy, productOverflow) = count.multipliedReportingOverflow(by: costs.energyLanes[lane])
            let (total, sumOverflow) = sum.addingReportingOverflow(energy)
            guard !productOverflow, !sumOverflow else { return nil }
            sum = total
        }
        return sum
    }
}
