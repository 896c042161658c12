/// Latencies of the mesh in chip clock cycles, and the packet size in flits.
public struct NetworkTiming: Sendable, Equatable {
    /// Cycles for a packet to leave its source core into the local router and, at the end, leave
    /// the destination router into its core (a within-tile spike costs exactly this).
    public var localCycles: UInt32
    /// Cycles per hop over an east–west link (at least 1: every link costs a cycle).
    public var eastWestHopCycles: UInt32
    /// Cycles per hop over a north–south link (at least 1).
    public var northSouthHopCycles: UInt32
    /// Flits per AER packet (at least 1); a packet's tail follows its head by `flits − 1` cycles.
    public var flitsPerPacket: Int
    /// Cycles per hop over a link between two chips of a board (replaces the E–W or N–S latency).
    public var interChipHopCycles: UInt32

    /// Values `validationError(eastWestHopCycles:northSouthHopCycles:flitsPerPacket:)` refuses
    /// stop the process with its message: check values a user gave with it first.
    /// - Parameters:
    ///   - interChipHopCycles: nil: the slower of the two hop latencies; at least 1 either way.
    public init(localCycles: UInt32, eastWestHopCycles: UInt32, northSouthHopCycles: UInt32, flitsPerPacket: Int, interChipHopCycles: UInt32? = nil) {
        if let problem = Self.validationError(eastWestHopCycles: eastWestHopCycles, northSouthHopCycles: northSouthHopCycles, flitsPerPacket: flitsPerPacket) {
            preconditionFailure(problem)
        }
        self.interChipHopCycles = max(1, interChipHopCycles ?? max(eastWestHopCycles, northSouthHopCycles))
        self.localCycles = localCycles
        self.eastWestHopCycles = eastWestHopCycles
        self.northSouthHopCycles = northSouthHopCycles
        self.flitsPerPacket = flitsPerPacket
    }

    /// Why `init` would refuse these values (the rule, its limit and the value given), or nil
    /// when it accepts them: every link costs at least one cycle, and a packet has a flit.
    public static func validationError(eastWestHopCycles: UInt32, northSouthHopCycles: UInt32, flitsPerPacket: Int) -> String? {
        if eastWestHopCycles < 1 { return "an east–west hop must take at least 1 cycle, got \(eastWestHopCycles)" }
        if northSouthHopCycles < 1 { return "a north–south hop must take at least 1 cycle, got \(northSouthHopCycles)" }
        if flitsPerPacket < 1 { return "a packet must have at least 1 flit, got \(flitsPerPacket)" }
        return nil
    }

    /// `validationError(eastWestHopCycles:northSouthHopCycles:flitsPerPacket:)` of this timing,
    /// whose properties may have been changed since `init` checked them; the network models
    /// refuse a timing for which it is not nil.
    public var validationError: String? {
        if let problem = Self.validationError(eastWestHopCycles: eastWestHopCycles, northSouthHopCycles: northSouthHopCycles, flitsPerPacket: flitsPerPacket) {
            return problem
        }
        return interChipHopCycles < 1 ? "a hop between chips must take at least 1 cycle, got \(interChipHopCycles)" : nil
    }

    /// Zero-load latency of a packet over the given hops: local entry/exit, every hop, and the
    /// serialization of the remaining flits.
    @inline(__always)
    public func zeroLoadLatency(eastWestHops: Int, northSouthHops: Int, interChipHops: Int = 0) -> UInt32 {
        localCycles
            + UInt32(eastWestHops) * eastWestHopCycles
            + UInt32(northSouthHops) * northSouthHopCycles
            + UInt32(interChipHops) * interChipHopCycles
            + UInt32(flitsPerPacket - 1)
    }
}
