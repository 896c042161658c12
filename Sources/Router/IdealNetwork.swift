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
        if multicast {
            routeTrees(packets, into: &deliveries)
            return
        }
        for packet in packets {
            let source = Int(packet.source)
            let destination = Int(packet.destination)
            var eastWest = 0
            var northSouth = 0
            var interChip = 0
            counters.routerFlits[mesh.tileIndex(ofEndpoint: source)] &+= flits
            mesh.forEachLink(from: source, to: destination, order: routing) { link, direction in
                counters.linkFlits[link] &+= flits
                counters.linkBusyCycles[link] &+= flits
                counters.routerFlits[(link >> 2) + Self.tileStep(direction, width: mesh.width)] &+= flits
                if mesh.isInterChip(tile: link >> 2, direction: direction) {
                    interChip += 1
                } else if direction.isEastWest {
                    eastWest += 1
                } else {
                    northSouth += 1
                }
            }
            counters.routerEjectedFlits[mesh.tileIndex(ofEndpoint: destination)] &+= flits
            counters.packets &+= 1
            counters.eastWestFlitHops &+= UInt64(eastWest) * flits
            counters.northSouthFlitHops &+= UInt64(northSouth) * flits
            counters.interChipFlitHops &+= UInt64(interChip) * flits
            let latency = timing.zeroLoadLatency(eastWestHops: eastWest, northSouthHops: northSouth, interChipHops: interChip)
            deliveries.append(PacketDelivery(arriveCycle: packet.injectCycle + latency, hops: UInt16(eastWest + northSouth + interChip)))
        }
    }

    /// Multicast routing (kept apart from the unicast loop above, which counts links as it walks
    /// them and is about twice as fast as collecting and sorting them):
    /// consecutive deliveries of the same spike share one packet; every link of
    /// the union of their routes carries the packet's flits once, and each destination sees the
    /// latency of its own route (replication at a branch router costs no extra cycle here).
    private mutating func routeTrees(_ packets: [AERPacket], into deliveries: inout [PacketDelivery]) {
        let flits = UInt64(timing.flitsPerPacket)
        var index = 0
        while index < packets.count {
            var end = index + 1
            if packets[index].spike >= 0 {
                while end < packets.count && packets[end].spike == packets[index].spike && packets[end].source == packets[index].source { end += 1 }
            }
            treeLinks.removeAll(keepingCapacity: true)
            let source = Int(packets[index].source)
            counters.routerFlits[mesh.tileIndex(ofEndpoint: source)] &+= flits
            counters.packets &+= 1
            for k in index..<end {
                let packet = packets[k]
                var eastWest = 0
                var northSouth = 0
                var interChip = 0
                mesh.forEachLink(from: source, to: Int(packet.destination), order: routing) { link, direction in
                    if mesh.isInterChip(tile: link >> 2, direction: direction) {
                        interChip += 1
                    } else if direction.isEastWest {
                        eastWest += 1
                    } else {
                        northSouth += 1
                    }
                    treeLinks.append(link)
                }
                counters.routerEjectedFlits[mesh.tileIndex(ofEndpoint: Int(packet.destination))] &+= flits
                let latency = timing.zeroLoadLatency(eastWestHops: eastWest, northSouthHops: northSouth, interChipHops: interChip)
                deliveries.append(PacketDelivery(arriveCycle: packet.injectCycle + latency, hops: UInt16(eastWest + northSouth + interChip)))
            }
            // Dimension-order routes from one source form a tree: a link shared by two routes is
            // the same hop of the same packet, so it counts once.
            treeLinks.sort()
            var previous = -1
            for link in treeLinks where link != previous {
                previous = link
                let direction = LinkDirection(rawValue: link & 3) ?? .east
                counters.linkFlits[link] &+= flits
                counters.linkBusyCycles[link] &+= flits
                counters.routerFlits[(link >> 2) + Self.tileStep(direction, width: mesh.width)] &+= flits
                if mesh.isInterChip(tile: link >> 2, direction: direction) {
                    counters.interChipFlitHops &+= flits
                } else if direction.isEastWest {
                    counters.eastWestFlitHops &+= flits
                } else {
                    counters.northSouthFlitHops &+= flits
                }
            }
            index = end
        }
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
