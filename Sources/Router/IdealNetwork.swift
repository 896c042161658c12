/// The contention-free network model: every packet takes its zero-load latency.
///
/// It still walks each route link by link, so per-link and per-router counters and the
/// east–west / north–south flit-hop totals are exact; only queueing is left out.
public struct IdealNetwork: NetworkModel {
    public let mesh: Mesh
    public let timing: NetworkTiming
    public let routing: RoutingOrder
    public private(set) var counters: NetworkCounters

    public init(mesh: Mesh, timing: NetworkTiming, routing: RoutingOrder) {
        self.mesh = mesh
        self.timing = timing
        self.routing = routing
        self.counters = NetworkCounters(mesh: mesh)
    }

    public mutating func route(_ packets: [AERPacket], into deliveries: inout [PacketDelivery]) {
        deliveries.removeAll(keepingCapacity: true)
        deliveries.reserveCapacity(packets.count)
        let flits = UInt64(timing.flitsPerPacket)
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
