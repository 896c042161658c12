/// The total order of the event clock, packed into one `UInt64` so the heap compares integers.
///
/// Bits 63…32 hold the cycle within the timestep, bits 31…28 the event kind, bits 27…0 the
/// rank. A delivery's rank is the index of the packet in the step's packet list, which is built
/// in (origin endpoint, per-origin sequence) order, so comparing keys compares
/// `(cycle, kind, origin, sequence)`; a router's wake-up ranks by its tile. Either way the order
/// is total and never depends on heap stability, addresses or hashing, so runs are identical on
/// any thread count.
public struct EventKey: Comparable, Hashable, Sendable {
    /// The packed key: cycle in bits 63…32, kind in 31…28, rank in 27…0.
    public let rawValue: UInt64

    /// Largest rank a key can carry (2^28 − 1 packets in one timestep).
    public static let maximumRank = (1 << 28) - 1

    /// The key of an event of `kind` at `cycle` of the timestep with rank `rank`
    /// (0…`maximumRank`).
    @inline(__always)
    public init(cycle: UInt32, kind: EventKind, rank: Int) {
        precondition(rank >= 0 && rank <= EventKey.maximumRank, "more than 2^28 events in one timestep")
        rawValue = UInt64(cycle) << 32 | UInt64(kind.rawValue) << 28 | UInt64(rank)
    }

    /// A key from its packed value.
    @inline(__always)
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Cycle within the timestep (bits 63…32).
    public var cycle: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 32) }
    /// Kind of event (bits 31…28; bits that name no kind read as `.delivery`).
    public var kind: EventKind { EventKind(rawValue: UInt8(truncatingIfNeeded: (rawValue >> 28) & 0xF)) ?? .delivery }
    /// Rank (bits 27…0): the packet's index in the step's packet list, or for a link traversal
    /// the tile of the router woken.
    public var rank: Int { Int(rawValue & UInt64(EventKey.maximumRank)) }

    /// Earlier in the clock's total order: by cycle, then kind, then rank.
    @inline(__always)
    public static func < (lhs: EventKey, rhs: EventKey) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Kinds of clock events; at equal cycles a smaller kind happens first.
public enum EventKind: UInt8, Sendable {
    /// A router wakes to run its output ports' arbitrations, which may start sending packets'
    /// flits (flit-level model, in `FlitEngine`'s far queue; the key's rank is the router's tile).
    case linkTraversal = 1
    /// A packet reaches its destination core's synapse unit.
    case delivery = 2
}
