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
        if multicast {
            routeTrees(packets, into: &deliveries)
            return
        }
        if mesh.tileCount <= Self.pairTableTileLimit {
            routeByTilePairs(packets, into: &deliveries)
            return
        }
        for packet in packets {
            let source = Int(packet.source)
            let destination = Int(packet.destination)
            let route = walk(from: source, to: destination, count: 1)
            deliveries.append(PacketDelivery(arriveCycle: packet.injectCycle + route.latency, hops: route.hops))
        }
    }

    /// Meshes up to this many tiles route through per-step tile-pair counts (tables of tiles²
    /// entries, 84 MB at the limit, filled only for pairs in use); larger ones walk every
    /// packet's route.
    static let pairTableTileLimit = 2048

    /// Each (source tile, destination tile) route, filled on first use.
    private var pairRoutes: [PairRoute] = []
    /// The links of every route filled so far, route after route (`PairRoute.linkOffset`).
    private var pairLinks: [Int32] = []
    /// Packets per tile pair in the current step, and the pairs used (to reset and walk them).
    private var pairCounts: [UInt32] = []
    private var pairsUsed: [Int32] = []

    private struct PairRoute {
        var latency: UInt32 = 0
        var linkOffset: Int32 = -1
        var eastWest: UInt16 = 0
        var northSouth: UInt16 = 0
        var interChip: UInt16 = 0
        var known: Bool { linkOffset >= 0 }
        var hops: UInt16 { eastWest + northSouth + interChip }
    }

    /// Unicast routing in two passes: every packet takes its pair's latency from a table and
    /// bumps its pair's count; then each pair used in this step adds count × flits along its
    /// stored route. The counters equal walking every packet's route.
    private mutating func routeByTilePairs(_ packets: [AERPacket], into deliveries: inout [PacketDelivery]) {
        let tiles = mesh.tileCount
        if pairRoutes.isEmpty {
            pairRoutes = Array(repeating: PairRoute(), count: tiles * tiles)
            pairCounts = Array(repeating: 0, count: tiles * tiles)
        }
        for packet in packets {
            let pair = mesh.tileIndex(ofEndpoint: Int(packet.source)) * tiles + mesh.tileIndex(ofEndpoint: Int(packet.destination))
            if !pairRoutes[pair].known { fillRoute(pair: pair) }
            if pairCounts[pair] == 0 { pairsUsed.append(Int32(pair)) }
            pairCounts[pair] &+= 1
            let route = pairRoutes[pair]
            deliveries.append(PacketDelivery(arriveCycle: packet.injectCycle + route.latency, hops: route.hops))
        }
        addPairTraffic()
    }

    /// Records the route between two tiles: its links in walking order, hops of each kind and
    /// zero-load latency.
    private mutating func fillRoute(pair: Int) {
        let tiles = mesh.tileCount
        var route = PairRoute(linkOffset: Int32(pairLinks.count))
        var links: [Int32] = []
        mesh.forEachLink(from: (pair / tiles) * mesh.coresPerTile, to: (pair % tiles) * mesh.coresPerTile, order: routing) { link, direction in
            links.append(Int32(link))
            if mesh.isInterChip(tile: link >> 2, direction: direction) {
                route.interChip += 1
            } else if direction.isEastWest {
                route.eastWest += 1
            } else {
                route.northSouth += 1
            }
        }
        pairLinks += links
        route.latency = timing.zeroLoadLatency(eastWestHops: Int(route.eastWest), northSouthHops: Int(route.northSouth), interChipHops: Int(route.interChip))
        pairRoutes[pair] = route
    }

    /// Adds the step's pair counts to the link and router counters and clears them.
    private mutating func addPairTraffic() {
        let tiles = mesh.tileCount
        let flitsPerPacket = UInt64(timing.flitsPerPacket)
        // Tile-index step across a link, by direction (east, west, north, south).
        let tileStep = [1, -1, mesh.width, -mesh.width]
        var packetCount: UInt64 = 0
        var eastWest: UInt64 = 0
        var northSouth: UInt64 = 0
        var interChip: UInt64 = 0
        pairRoutes.withUnsafeBufferPointer { routes in
        pairLinks.withUnsafeBufferPointer { links in
        pairCounts.withUnsafeMutableBufferPointer { pairCounts in
        counters.linkFlits.withUnsafeMutableBufferPointer { linkFlits in
        counters.linkBusyCycles.withUnsafeMutableBufferPointer { linkBusy in
        counters.routerFlits.withUnsafeMutableBufferPointer { routerFlits in
        counters.routerEjectedFlits.withUnsafeMutableBufferPointer { routerEjected in
            for pair in pairsUsed {
                let count = UInt64(pairCounts[Int(pair)])
                pairCounts[Int(pair)] = 0
                let flits = count &* flitsPerPacket
                let route = routes[Int(pair)]
                routerFlits[Int(pair) / tiles] &+= flits
                let first = Int(route.linkOffset)
                for k in first..<(first + Int(route.hops)) {
                    let link = Int(links[k])
                    linkFlits[link] &+= flits
                    linkBusy[link] &+= flits
                    routerFlits[(link >> 2) &+ tileStep[link & 3]] &+= flits
                }
                routerEjected[Int(pair) % tiles] &+= flits
                packetCount &+= count
                eastWest &+= UInt64(route.eastWest) &* flits
                northSouth &+= UInt64(route.northSouth) &* flits
                interChip &+= UInt64(route.interChip) &* flits
            }
        }}}}}}}
        counters.packets &+= packetCount
        counters.eastWestFlitHops &+= eastWest
        counters.northSouthFlitHops &+= northSouth
        counters.interChipFlitHops &+= interChip
        pairsUsed.removeAll(keepingCapacity: true)
    }

    /// Counts `count` packets along the route between two endpoints: the source router, every
    /// link and the router it enters, the ejecting router and the hop totals. Returns the route's
    /// latency and hops.
    private mutating func walk(from source: Int, to destination: Int, count: UInt64) -> (latency: UInt32, hops: UInt16) {
        let flits = UInt64(timing.flitsPerPacket) &* count
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
        counters.packets &+= count
        counters.eastWestFlitHops &+= UInt64(eastWest) * flits
        counters.northSouthFlitHops &+= UInt64(northSouth) * flits
        counters.interChipFlitHops &+= UInt64(interChip) * flits
        let latency = timing.zeroLoadLatency(eastWestHops: eastWest, northSouthHops: northSouth, interChipHops: interChip)
        return (latency, UInt16(eastWest + northSouth + interChip))
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
