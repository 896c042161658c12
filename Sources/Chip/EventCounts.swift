/// How many times each `EventClass` happened.
public struct EventCounts: Sendable, Equatable {
    /// One lane per event class (the unused lanes stay zero): a value with no heap storage, so
    /// the engine's per-step counts allocate nothing.
    private var counts = SIMD16<UInt64>()

    public init() {}

    public subscript(_ event: EventClass) -> UInt64 {
        get { counts[event.rawValue] }
        set { counts[event.rawValue] = newValue }
    }

    public static func += (lhs: inout EventCounts, rhs: EventCounts) {
        lhs.counts &+= rhs.counts
    }

    /// Dynamic energy in femtojoules: Σ count × price.
    public func dynamicEnergyFemtojoules(_ costs: EventCosts) -> Int64 {
        // Lane by lane, with wrapping arithmetic: no real count times price comes near 2^63 fJ.
        (SIMD16<Int64>(truncatingIfNeeded: counts) &* costs.energyLanes).wrappedSum()
    }
}
