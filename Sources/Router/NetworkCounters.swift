/// Activity counters of the mesh: per directed link, per router, and totals.
///
/// Counts accumulate over a whole run; a per-step view is the difference of two snapshots.
public struct NetworkCounters: Sendable, Equatable {
    /// Flits carried, per directed link slot (`Mesh.linkIndex`).
    public var linkFlits: [UInt64]
    /// Cycles each link was busy carrying a flit.
    public var linkBusyCycles: [UInt64]
    /// Cycles a flit waited at each link for buffer space or arbitration (0 in the ideal model).
    /// In the flit model: cycles a packet's head, ready to leave through this output, waited for
    /// the output, a credit or arbitration (body flits of a granted packet never wait).
    public var linkStallCycles: [UInt64]
    /// Largest number of flits queued for each link (0 in the ideal model, which has no queues).
    /// In the flit model: the largest occupancy, in flits, of the input buffer this link fills at
    /// the neighbouring router — the buffer whose credits back-pressure the link (at most its size).
    public var linkMaxQueueDepth: [UInt32]
    /// Flits that entered each router (from its cores, the host port or a neighbour).
    public var routerFlits: [UInt64]
    /// Flits each router delivered to its own cores through its ejection port.
    public var routerEjectedFlits: [UInt64]
    /// Cycles packet heads waited inside each router for any output, ejection included (0 in the
    /// ideal model). The sum of a router's outgoing `linkStallCycles` plus its ejection stalls.
    public var routerStallCycles: [UInt64]
    /// Largest occupancy, in flits, of any neighbour input buffer of each router (0 in the ideal
    /// model): the maximum of `linkMaxQueueDepth` over the links arriving at the router.
    public var routerMaxBufferFlits: [UInt32]
    /// Largest backlog, in flits, of each router's injection queue (0 in the ideal model): packets
    /// its cores and host port had handed over and that had not yet started into the router.
    public var routerMaxSourceQueueFlits: [UInt32]
    /// Packets injected into the network.
    public var packets: UInt64 = 0
    /// Flit-hops over east–west links.
    public var eastWestFlitHops: UInt64 = 0
    /// Flit-hops over north–south links.
    public var northSouthFlitHops: UInt64 = 0
    /// Flit-hops over links between chips of a board (not counted as east–west or north–south).
    public var interChipFlitHops: UInt64 = 0

    /// The four totals, apart from the per-link and per-router arrays.
    public struct Totals: Sendable, Equatable {
        /// Packets injected into the network.
        public var packets: UInt64
        /// Flit-hops over east–west links.
        public var eastWestFlitHops: UInt64
        /// Flit-hops over north–south links.
        public var northSouthFlitHops: UInt64
        /// Flit-hops over links between chips of a board.
        public var interChipFlitHops: UInt64
    }

    /// The totals alone: a snapshot that holds no reference to the arrays (holding a whole
    /// `NetworkCounters` across a `route` call would make the model copy every array it updates).
    public var totals: Totals {
        Totals(packets: packets, eastWestFlitHops: eastWestFlitHops, northSouthFlitHops: northSouthFlitHops, interChipFlitHops: interChipFlitHops)
    }

    /// Zero counts for every link and router of `mesh`.
    public init(mesh: Mesh) {
        linkFlits = Array(repeating: 0, count: mesh.linkSlotCount)
        linkBusyCycles = Array(repeating: 0, count: mesh.linkSlotCount)
        linkStallCycles = Array(repeating: 0, count: mesh.linkSlotCount)
        linkMaxQueueDepth = Array(repeating: 0, count: mesh.linkSlotCount)
        routerFlits = Array(repeating: 0, count: mesh.tileCount)
        routerEjectedFlits = Array(repeating: 0, count: mesh.tileCount)
        routerStallCycles = Array(repeating: 0, count: mesh.tileCount)
        routerMaxBufferFlits = Array(repeating: 0, count: mesh.tileCount)
        routerMaxSourceQueueFlits = Array(repeating: 0, count: mesh.tileCount)
    }

    /// Adds the activity of another run of the same mesh: sums the counts, keeps the larger
    /// of each maximum (so the order in which runs are added never matters).
    public mutating func add(_ other: NetworkCounters) {
        precondition(linkFlits.count == other.linkFlits.count && routerFlits.count == other.routerFlits.count, "counters of different meshes")
        for link in linkFlits.indices {
            linkFlits[link] &+= other.linkFlits[link]
            linkBusyCycles[link] &+= other.linkBusyCycles[link]
            linkStallCycles[link] &+= other.linkStallCycles[link]
            linkMaxQueueDepth[link] = max(linkMaxQueueDepth[link], other.linkMaxQueueDepth[link])
        }
        for router in routerFlits.indices {
            routerFlits[router] &+= other.routerFlits[router]
            routerEjectedFlits[router] &+= other.routerEjectedFlits[router]
            routerStallCycles[router] &+= other.routerStallCycles[router]
            routerMaxBufferFlits[router] = max(routerMaxBufferFlits[router], other.routerMaxBufferFlits[router])
            routerMaxSourceQueueFlits[router] = max(routerMaxSourceQueueFlits[router], other.routerMaxSourceQueueFlits[router])
        }
        packets &+= other.packets
        eastWestFlitHops &+= other.eastWestFlitHops
        northSouthFlitHops &+= other.northSouthFlitHops
        interChipFlitHops &+= other.interChipFlitHops
    }
}
