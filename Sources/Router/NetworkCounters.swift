/// Activity counters of the mesh: per directed link, per router, and totals.
///
/// Counts accumulate over a whole run; a per-step view is the difference of two snapshots.
public struct NetworkCounters: Sendable, Equatable {
    /// Flits carried, per directed link slot (`Mesh.linkIndex`).
    public var linkFlits: [UInt64]
    /// Cycles each link was busy carrying a flit.
    public var linkBusyCycles: [UInt64]
    /// Cycles a flit waited at each link for buffer space or arbitration (0 in the ideal model).
    public var linkStallCycles: [UInt64]
    /// Largest number of flits queued for each link (0 in the ideal model, which has no queues).
    public var linkMaxQueueDepth: [UInt32]
    /// Flits that entered each router (from its cores, the host port or a neighbour).
    public var routerFlits: [UInt64]
    /// Packets injected into the network.
    public var packets: UInt64 = 0
    /// Flit-hops over east–west links.
    public var eastWestFlitHops: UInt64 = 0
    /// Flit-hops over north–south links.
    public var northSouthFlitHops: UInt64 = 0

    public init(mesh: Mesh) {
        linkFlits = Array(repeating: 0, count: mesh.linkSlotCount)
        linkBusyCycles = Array(repeating: 0, count: mesh.linkSlotCount)
        linkStallCycles = Array(repeating: 0, count: mesh.linkSlotCount)
        linkMaxQueueDepth = Array(repeating: 0, count: mesh.linkSlotCount)
        routerFlits = Array(repeating: 0, count: mesh.tileCount)
    }
}
