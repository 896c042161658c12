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

    public init(localCycles: UInt32, eastWestHopCycles: UInt32, northSouthHopCycles: UInt32, flitsPerPacket: Int, interChipHopCycles: UInt32? = nil) {
        self.interChipHopCycles = max(1, interChipHopCycles ?? max(eastWestHopCycles, northSouthHopCycles))
        precondition(eastWestHopCycles >= 1 && northSouthHopCycles >= 1, "every link costs at least one cycle")
        precondition(flitsPerPacket >= 1, "a packet has at least one flit")
        self.localCycles = localCycles
        self.eastWestHopCycles = eastWestHopCycles
        self.northSouthHopCycles = northSouthHopCycles
        self.flitsPerPacket = flitsPerPacket
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
