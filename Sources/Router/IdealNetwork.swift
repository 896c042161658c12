/// The contention-free network model: every packet takes its zero-load latency.
///
/// It still walks each route link by link, so per-link and per-router counters and the
/// east–west / north–south flit-hop totals are exact; only queueing is left out.
public struct IdealNetwork: NetworkModel {
    public let mesh: Mesh
    public let timing: NetworkTiming
    public let routing: RoutingOrder
    public private(set) var counters: NetworkCounters

    /// Multicast: the deliveries of one spike form one packet along the union of their
    /// dimension-order routes, replicated where the routes part (SpiNNaker-style).
    public let multicast: Bool
    /// Links of the current multicast tree, to count each once.
    private var treeLinks: [Int] = []

    public init(mesh: Mesh, timing: NetworkTiming, routing: RoutingOrder, multicast: Bool = false) {
        self.mesh = mesh
        self.timing = timing
        self.routing = routing
        self.multicast = multicast
        self.counters = NetworkCounters(mesh: mesh)
    }

    public mutating func route(_ packets: [AERPacket], into deliveries: inout [PacketDelivery]) {
        deliveries.removeAll(keepingCapacity: true)
        deliveries.reserveCapacity(packets.count)
        let flits = UInt64(timing.flitsPerPacket)
        var index = 0
        while index < packets.count {
            // A packet: one delivery, or with multicast every consecutive delivery of one spike.
            var end = index + 1
            if multicast && packets[index].spike >= 0 {
                while end < packets.count && packets[end].spike == packets[index].spike && packets[end].source == packets[index].source { end += 1 }
            }
            treeLinks.removeAll(keepingCapacity: true)
            let source = Int(packets[index].source)
            counters.routerFlits[mesh.tileIndex(ofEndpoint: source)] &+= flits
            counters.packets &+= 1
            for k in index..<end {
                let packet = packets[k]
                var hops = (eastWest: 0, northSouth: 0, interChip: 0)
                mesh.forEachLink(from: source, to: Int(packet.destination), order: routing) { link, direction in
                    switch hopKind(link: link, direction: direction) {
                    case .interChip: hops.interChip += 1
                    case .eastWest: hops.eastWest += 1
                    case .northSouth: hops.northSouth += 1
                    }
                    treeLinks.append(link)
                }
                counters.routerEjectedFlits[mesh.tileIndex(ofEndpoint: Int(packet.destination))] &+= flits
                let latency = timing.zeroLoadLatency(eastWestHops: hops.eastWest, northSouthHops: hops.northSouth, interChipHops: hops.interChip)
                deliveries.append(PacketDelivery(arriveCycle: packet.injectCycle + latency, hops: UInt16(hops.eastWest + hops.northSouth + hops.interChip)))
            }
            // Dimension-order routes from one source form a tree: a link shared by two routes of
            // a multicast packet is the same hop, so it counts once (a unicast route has no repeats).
            if end - index > 1 { treeLinks.sort() }
            var previous = -1
            for link in treeLinks where link != previous {
                previous = link
                let direction = LinkDirection(rawValue: link & 3) ?? .east
                counters.linkFlits[link] &+= flits
                counters.linkBusyCycles[link] &+= flits
                counters.routerFlits[(link >> 2) + Self.tileStep(direction, width: mesh.width)] &+= flits
                switch hopKind(link: link, direction: direction) {
                case .interChip: counters.interChipFlitHops &+= flits
                case .eastWest: counters.eastWestFlitHops &+= flits
                case .northSouth: counters.northSouthFlitHops &+= flits
                }
            }
            index = end
        }
    }

    enum HopKind { case eastWest, northSouth, interChip }

    /// Which price a hop pays: a link between chips, else its direction's.
    @inline(__always)
    func hopKind(link: Int, direction: LinkDirection) -> HopKind {
        if mesh.isInterChip(tile: link >> 2, direction: direction) { return .interChip }
        return direction.isEastWest ? .eastWest : .northSouth
    }

    /// Tile-index offset of the neighbour reached through `direction`.
    @inline(__always)
    static func tileStep(_ direction: LinkDirection, width: Int) -> Int {
        switch direction {
        case .east: 1
        case .west: -1
        case .north: width
        case .south: -width
        }
    }
}
