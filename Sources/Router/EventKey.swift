/// The total order of the event clock, packed into one `UInt64` so the heap compares integers.
///
/// Bits 63…32 hold the cycle within the timestep, bits 31…28 the event kind, bits 27…0 the
/// origin rank: the index of the packet in the step's packet list, which is built in
/// (origin endpoint, per-origin sequence) order. Comparing keys is therefore comparing
/// `(cycle, kind, origin, sequence)` — a total order that never depends on heap stability,
/// addresses or hashing, so runs are identical on any thread count.
public struct EventKey: Comparable, Hashable, Sendable {
    public let rawValue: UInt64

    /// Largest origin rank a key can carry (2^28 − 1 packets in one timestep).
    public static let maximumRank = (1 << 28) - 1

    @inline(__always)
    public init(cycle: UInt32, kind: EventKind, rank: Int) {
        precondition(rank >= 0 && rank <= EventKey.maximumRank, "more than 2^28 events in one timestep")
        rawValue = UInt64(cycle) << 32 | UInt64(kind.rawValue) << 28 | UInt64(rank)
    }

    @inline(__always)
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public var cycle: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 32) }
    public var kind: EventKind { EventKind(rawValue: UInt8(truncatingIfNeeded: (rawValue >> 28) & 0xF)) ?? .delivery }
    public var rank: Int { Int(rawValue & UInt64(EventKey.maximumRank)) }

    @inline(__always)
    public static func < (lhs: EventKey, rhs: EventKey) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Kinds of clock events; at equal cycles a smaller kind happens first.
public enum EventKind: UInt8, Sendable {
    /// A router output port arbitrates and may start sending a packet's flits (flit-level model;
    /// the key's rank is then the output port index, see `FlitSimulator`).
    case linkTraversal = 1
    /// A packet reaches its destination core's synapse unit.
    case delivery = 2
}
