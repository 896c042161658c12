/// The contention-free network model: every packet takes its zero-load latency.
///
/// It still charges every link and router of each packet's route, so per-link and per-router
/// counters and the east–west / north–south flit-hop totals are exact; only queueing is left
/// out.
public struct IdealNetwork: NetworkModel {
    /// The mesh the packets cross.
    public let mesh: Mesh
    /// Hop latencies in cycles and the packet size in flits.
    public let timing: NetworkTiming
    /// Dimension order of every route.
    public let routing: RoutingOrder
    /// Counters accumulated over every `route` call. With tile-pair tables the links and
    /// routers of the pairs' routes are charged here, from each pair's packets so far
    /// (`pairPackets`), not in every step: only the totals are needed step by step.
    public var counters: NetworkCounters {
        var counters = chargedCounters
        if !pairPackets.isEmpty { addPairTraffic(into: &counters) }
        return counters
    }
    /// The counters charged as packets are routed: everything but the links and routers of
    /// tile-pair routes.
    private var chargedCounters: NetworkCounters
    /// `counters.totals`, exact step by step (tile-pair routes add only to the link and router
    /// arrays).
    public var counterTotals: NetworkCounters.Totals { chargedCounters.totals }
    /// `Mesh.endpointTiles`: a packet's tiles by table, not by division.
    private let endpointTiles: [Int32]

    /// Multicast: the deliveries of one spike form one packet along the union of their
    /// dimension-order routes, replicated where the routes part (SpiNNaker-style).
    public let multicast: Bool
    /// Links of the current multicast tree, to count each once.
    private var treeLinks: [Int32] = []

    /// A timing whose `validationError` is not nil (changed after it was made) stops the
    /// process with that message.
    public init(mesh: Mesh, timing: NetworkTiming, routing: RoutingOrder, multicast: Bool = false) {
        if let problem = timing.validationError { preconditionFailure(problem) }
        self.mesh = mesh
        self.timing = timing
        self.routing = routing
        self.multicast = multicast
        chargedCounters = NetworkCounters(mesh: mesh)
        endpointTiles = mesh.endpointTiles
        tally = mesh.tileCount > Self.pairTableTileLimit ? SegmentTally(mesh: mesh, routing: routing) : nil
    }

    /// Times one step's packets without contention: each arrives after its zero-load latency
    /// (`NetworkTiming.zeroLoadLatency`); the counters grow by the step's activity (`NetworkModel`).
    public mutating func route(_ packets: [AERPacket], into deliveries: inout [PacketDelivery]) {
        deliveries.resize(to: packets.count, filling: PacketDelivery(arriveCycle: 0, hops: 0))  // every one is overwritten
        packets.withUnsafeBufferPointer { packets in
        deliveries.withUnsafeMutableBufferPointer { deliveries in
            route(part: packets, into: deliveries)
        }}
    }

    /// True: every packet takes its zero-load latency, whatever the others do.
    public var routesPacketsIndependently: Bool { true }

    /// Times a part of a step's packets into the same number of deliveries; parts routed apart add
    /// up to the whole step (`routesPacketsIndependently`), so threads can share a step.
    public mutating func route(part packets: UnsafeBufferPointer<AERPacket>, into deliveries: UnsafeMutableBufferPointer<PacketDelivery>) {
        precondition(deliveries.count == packets.count, "one delivery per packet")
        packets.checkEndpoints(count: endpointTiles.count)
        if multicast {
            routeTrees(packets, into: deliveries)
        } else if mesh.tileCount <= Self.pairTableTileLimit {
            routeByTilePairs(packets, into: deliveries)
        } else {
            routeBySegments(packets, into: deliveries)
        }
    }

    /// Meshes up to this many tiles route through per-step tile-pair counts (tables of tiles²
    /// entries, filled only for pairs in use), which pay off when a step sends many packets per
    /// pair; larger meshes charge each packet's two route segments in constant time
    /// (`SegmentTally`), because there most packets of a step have a pair of their own.
    static let pairTableTileLimit = 64

    /// Segment tallies of meshes beyond `pairTableTileLimit` tiles.
    private var tally: SegmentTally?

    /// Each (source tile, destination tile) route, filled on first use.
    private var pairRoutes: [PairRoute] = []
    /// The links of every route filled so far, route after route (`PairRoute.linkOffset`).
    private var pairLinks: [Int32] = []
    /// Packets per tile pair over every call so far (their links are charged when `counters`
    /// is read).
    private var pairPackets: [UInt64] = []

    private struct PairRoute {
        var latency: UInt32 = 0
        var linkOffset: Int32 = -1
        var eastWest: UInt16 = 0
        var northSouth: UInt16 = 0
        var interChip: UInt16 = 0
        /// All of the route's hops (kept, not summed per packet).
        var hops: UInt16 = 0
        var known: Bool { linkOffset >= 0 }
        mutating func addHop(_ kind: HopKind) {
            switch kind {
            case .eastWest: eastWest += 1
            case .northSouth: northSouth += 1
            case .interChip: interChip += 1
            }
            hops += 1
        }
    }

    /// Unicast routing through tile-pair tables: every packet takes its pair's latency and hops
    /// from a table, adds them to the totals and bumps its pair's count; the links and routers
    /// of each pair's route are charged count × flits when `counters` is read, which equals
    /// walking every packet's route.
    private mutating func routeByTilePairs(_ packets: UnsafeBufferPointer<AERPacket>, into deliveries: UnsafeMutableBufferPointer<PacketDelivery>) {
        let tiles = mesh.tileCount
        if pairRoutes.isEmpty {
            pairRoutes = Array(repeating: PairRoute(), count: tiles * tiles)
            pairPackets = Array(repeating: 0, count: tiles * tiles)
        }
        // Through buffer pointers, without a uniqueness or capacity check per packet; a route
        // new to this network (none after the first steps) stops the pass to be filled in.
        let count = packets.count
        var hops = (eastWest: UInt64(0), northSouth: UInt64(0), interChip: UInt64(0))
        var next = 0
        while next < count {
            var missing = -1
            endpointTiles.withUnsafeBufferPointer { endpointTiles in
            pairRoutes.withUnsafeBufferPointer { routes in
            pairPackets.withUnsafeMutableBufferPointer { pairPackets in
                while next < count {
                    let packet = packets[next]
                    let pair = Int(endpointTiles[Int(packet.source)]) &* tiles &+ Int(endpointTiles[Int(packet.destination)])
                    let route = routes[pair]
                    guard route.known else {
                        missing = pair
                        return
                    }
                    pairPackets[pair] &+= 1
                    hops.eastWest &+= UInt64(route.eastWest)
                    hops.northSouth &+= UInt64(route.northSouth)
                    hops.interChip &+= UInt64(route.interChip)
                    deliveries[next] = PacketDelivery(arriveCycle: packet.injectCycle + route.latency, hops: route.hops)
                    next &+= 1
                }
            }}}
            if missing >= 0 { fillRoute(pair: missing) }
        }
        let flits = UInt64(timing.flitsPerPacket)
        chargedCounters.packets &+= UInt64(count)
        chargedCounters.eastWestFlitHops &+= hops.eastWest &* flits
        chargedCounters.northSouthFlitHops &+= hops.northSouth &* flits
        chargedCounters.interChipFlitHops &+= hops.interChip &* flits
    }

    /// Unicast routing on large meshes: each packet's latency and hops from its coordinates, its
    /// flits tallied along its two segments, the tally added to the counters once per step.
    private mutating func routeBySegments(_ packets: UnsafeBufferPointer<AERPacket>, into deliveries: UnsafeMutableBufferPointer<PacketDelivery>) {
        guard var tally else { return }
        self.tally = nil  // held locally while it is updated, so it is not copied
        let flits = UInt64(timing.flitsPerPacket)
        let hops = tally.add(packets, endpointTiles: endpointTiles, timing: timing, flits: Int64(flits), into: deliveries)
        tally.flush(into: &chargedCounters)
        self.tally = tally
        endpointTiles.withUnsafeBufferPointer { endpointTiles in
        chargedCounters.routerEjectedFlits.withUnsafeMutableBufferPointer { ejected in
            for packet in packets { ejected[Int(endpointTiles[Int(packet.destination)])] &+= flits }
        }}
        chargedCounters.packets &+= UInt64(packets.count)
        chargedCounters.eastWestFlitHops &+= hops.eastWest &* flits
        chargedCounters.northSouthFlitHops &+= hops.northSouth &* flits
        chargedCounters.interChipFlitHops &+= hops.interChip &* flits
    }

    private mutating func fillRoute(pair: Int) {
        let tiles = mesh.tileCount
        pairRoutes[pair] = Self.makeRoute(fromTile: pair / tiles, toTile: pair % tiles, mesh: mesh, timing: timing, routing: routing, appendingLinksTo: &pairLinks)
    }

    /// The route between two tiles: its links, in walking order, appended to `links`; its hops of
    /// each kind; its zero-load latency.
    /// Static, so that `links` may be one of this network's own arrays: a method call would hold
    /// a second reference to it, and every append would copy the whole array.
    private static func makeRoute(
        fromTile source: Int, toTile destination: Int, mesh: Mesh, timing: NetworkTiming, routing: RoutingOrder, appendingLinksTo links: inout [Int32]
    ) -> PairRoute {
        var route = PairRoute(linkOffset: Int32(links.count))
        mesh.forEachLink(from: source * mesh.coresPerTile, to: destination * mesh.coresPerTile, order: routing) { link, direction in
            links.append(Int32(link))
            route.addHop(Self.hopKind(link: link, direction: direction, mesh: mesh))
        }
        route.latency = timing.zeroLoadLatency(eastWestHops: Int(route.eastWest), northSouthHops: Int(route.northSouth), interChipHops: Int(route.interChip))
        return route
    }

    /// Adds each tile pair's packets so far × flits along its stored route to the link and
    /// router counters of `counters` (the hop totals are charged as packets are routed).
    private func addPairTraffic(into counters: inout NetworkCounters) {
        let tiles = mesh.tileCount
        let flitsPerPacket = UInt64(timing.flitsPerPacket)
        let width = mesh.width
        pairLinks.withUnsafeBufferPointer { links in
        counters.linkFlits.withUnsafeMutableBufferPointer { linkFlits in
        counters.linkBusyCycles.withUnsafeMutableBufferPointer { linkBusy in
        counters.routerFlits.withUnsafeMutableBufferPointer { routerFlits in
        counters.routerEjectedFlits.withUnsafeMutableBufferPointer { routerEjected in
            for (pair, packets) in pairPackets.enumerated() where packets > 0 {
                let flits = packets &* flitsPerPacket
                let route = pairRoutes[pair]
                routerFlits[pair / tiles] &+= flits
                let first = Int(route.linkOffset)
                for k in first..<(first + Int(route.hops)) {
                    let link = Int(links[k])
                    linkFlits[link] &+= flits
                    linkBusy[link] &+= flits
                    let direction = LinkDirection(rawValue: link & 3) ?? .east
                    routerFlits[(link >> 2) &+ Self.tileStep(direction, width: width)] &+= flits
                }
                routerEjected[pair % tiles] &+= flits
            }
        }}}}}
    }

    /// What kind of hop a link is, for latency and energy: inter-chip first, then by direction.
    private enum HopKind { case eastWest, northSouth, interChip }

    @inline(__always)
    private static func hopKind(link: Int, direction: LinkDirection, mesh: Mesh) -> HopKind {
        if mesh.isInterChip(tile: link >> 2, direction: direction) { return .interChip }
        return direction.isEastWest ? .eastWest : .northSouth
    }

    /// Multicast routing (kept apart from the unicast loop above, which counts links as it walks
    /// them and is about twice as fast as collecting and sorting them):
    /// consecutive deliveries of the same spike share one packet; every link of
    /// the union of their routes carries the packet's flits once, and each destination sees the
    /// latency of its own route (replication at a branch router costs no extra cycle here).
    private mutating func routeTrees(_ packets: UnsafeBufferPointer<AERPacket>, into deliveries: UnsafeMutableBufferPointer<PacketDelivery>) {
        let flits = UInt64(timing.flitsPerPacket)
        var index = 0
        while index < packets.count {
            var end = index + 1
            if packets[index].spike >= 0 {
                while end < packets.count && packets[end].spike == packets[index].spike && packets[end].source == packets[index].source { end += 1 }
            }
            treeLinks.removeAll(keepingCapacity: true)
            let source = Int(packets[index].source)
            let sourceTile = Int(endpointTiles[source])
            chargedCounters.routerFlits[sourceTile] &+= flits
            chargedCounters.packets &+= 1
            for k in index..<end {
                let packet = packets[k]
                let destinationTile = Int(endpointTiles[Int(packet.destination)])
                let route = Self.makeRoute(fromTile: sourceTile, toTile: destinationTile, mesh: mesh, timing: timing, routing: routing, appendingLinksTo: &treeLinks)
                chargedCounters.routerEjectedFlits[destinationTile] &+= flits
                deliveries[k] = PacketDelivery(arriveCycle: packet.injectCycle + route.latency, hops: route.hops)
            }
            // Dimension-order routes from one source form a tree: a link shared by two routes is
            // the same hop of the same packet, so it counts once.
            treeLinks.sort()
            var previous: Int32 = -1
            for treeLink in treeLinks where treeLink != previous {
                previous = treeLink
                let link = Int(treeLink)
                let direction = LinkDirection(rawValue: link & 3) ?? .east
                chargedCounters.linkFlits[link] &+= flits
                chargedCounters.linkBusyCycles[link] &+= flits
                chargedCounters.routerFlits[(link >> 2) + Self.tileStep(direction, width: mesh.width)] &+= flits
                switch Self.hopKind(link: link, direction: direction, mesh: mesh) {
                case .interChip: chargedCounters.interChipFlitHops &+= flits
                case .eastWest: chargedCounters.eastWestFlitHops &+= flits
                case .northSouth: chargedCounters.northSouthFlitHops &+= flits
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
