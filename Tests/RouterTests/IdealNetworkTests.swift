import Testing
@testable import Router

@Suite struct IdealNetworkTests {
    /// 4 × 4 tiles, one core per tile (so endpoint = tile), host port at (0, 2) = tile 8, endpoint 16.
    static let mesh = Mesh(width: 4, height: 4, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 2))
    static let timing = NetworkTiming(localCycles: 2, eastWestHopCycles: 3, northSouthHopCycles: 5, flitsPerPacket: 4)

    static let packets = [
        AERPacket(source: 0, destination: 6, axon: 0, injectCycle: 10),  // (0,0) → (2,1): E, E, N
        AERPacket(source: 15, destination: 4, axon: 1, injectCycle: 0),  // (3,3) → (0,1): W, W, W, S, S
        AERPacket(source: 16, destination: 11, axon: 2, injectCycle: 0),  // host (0,2) → (3,2): E, E, E
        AERPacket(source: 5, destination: 5, axon: 3, injectCycle: 7),  // within one tile
        AERPacket(source: 0, destination: 6, axon: 4, injectCycle: 0),  // same route as the first
    ]

    /// A timing changed after it was made is checked when a network is built, not where its
    /// latencies are summed for every packet.
    @Test func aTimingChangedToNoFlitsStops() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var timing = IdealNetworkTests.timing
            timing.flitsPerPacket = 0
            _ = IdealNetwork(mesh: IdealNetworkTests.mesh, timing: timing, routing: .xy)
        }
        #expect(standardError(of: result).contains("a packet must have at least 1 flit, got 0"))
    }

    @Test func deliveriesInPacketOrderWithZeroLoadLatency() {
        var network = IdealNetwork(mesh: Self.mesh, timing: Self.timing, routing: .xy)
        var deliveries: [PacketDelivery] = [PacketDelivery(arriveCycle: 999, hops: 9)]
        network.route(Self.packets, into: &deliveries)
        // latency = local 2 + 3 per E–W hop + 5 per N–S hop + (4 − 1) flits of serialization
        #expect(deliveries == [
            PacketDelivery(arriveCycle: 10 + 2 + 2 * 3 + 1 * 5 + 3, hops: 3),
            PacketDelivery(arriveCycle: 0 + 2 + 3 * 3 + 2 * 5 + 3, hops: 5),
            PacketDelivery(arriveCycle: 0 + 2 + 3 * 3 + 3, hops: 3),
            PacketDelivery(arriveCycle: 7 + 2 + 3, hops: 0),
            PacketDelivery(arriveCycle: 0 + 2 + 2 * 3 + 1 * 5 + 3, hops: 3),
        ])
        #expect(deliveries.map(\.arriveCycle) == [26, 24, 14, 12, 16])
    }

    @Test func linkRouterAndHopCounters() {
        var network = IdealNetwork(mesh: Self.mesh, timing: Self.timing, routing: .xy)
        var deliveries: [PacketDelivery] = []
        network.route(Self.packets, into: &deliveries)
        let counters = network.counters

        var linkFlits = Array(repeating: UInt64(0), count: 64)
        for link in [0, 4, 10] { linkFlits[link] = 8 }  // two packets of 4 flits
        for link in [61, 57, 53, 51, 35, 32, 36, 40] { linkFlits[link] = 4 }
        #expect(counters.linkFlits == linkFlits)
        #expect(counters.linkBusyCycles == linkFlits)
        #expect(counters.linkStallCycles == Array(repeating: 0, count: 64))
        #expect(counters.linkMaxQueueDepth == Array(repeating: 0, count: 64))

        var routerFlits = Array(repeating: UInt64(0), count: 16)
        for tile in [0, 1, 2, 6] { routerFlits[tile] = 8 }
        for tile in [15, 14, 13, 12, 4] { routerFlits[tile] = 4 }
        routerFlits[8] = 8  // the second packet passes through, the host packet starts here
        for tile in [9, 10, 11] { routerFlits[tile] = 4 }
        routerFlits[5] = 4  // the within-tile packet still enters its router
        #expect(counters.routerFlits == routerFlits)

        #expect(counters.packets == 5)
        #expect(counters.eastWestFlitHops == (2 + 3 + 3 + 0 + 2) * 4)
        #expect(counters.northSouthFlitHops == (1 + 2 + 0 + 0 + 1) * 4)
    }

    @Test func hostPortPacketsStartAtTheHostTile() {
        var network = IdealNetwork(mesh: Self.mesh, timing: Self.timing, routing: .xy)
        var deliveries: [PacketDelivery] = []
        // host (0, 2) → core 0 on (0, 0): two hops south from tile 8.
        network.route([AERPacket(source: 16, destination: 0, axon: 0, injectCycle: 0)], into: &deliveries)
        #expect(deliveries == [PacketDelivery(arriveCycle: 2 + 2 * 5 + 3, hops: 2)])
        #expect(network.counters.linkFlits[8 * 4 + 3] == 4)
        #expect(network.counters.linkFlits[4 * 4 + 3] == 4)
        #expect(network.counters.linkFlits.total == 8)
        #expect(network.counters.routerFlits[8] == 4 && network.counters.routerFlits[4] == 4 && network.counters.routerFlits[0] == 4)
        #expect(network.counters.routerFlits.total == 12)
    }

    @Test func yxRoutingUsesOtherLinksWithSameLatency() {
        var network = IdealNetwork(mesh: Self.mesh, timing: Self.timing, routing: .yx)
        var deliveries: [PacketDelivery] = []
        network.route([Self.packets[0]], into: &deliveries)
        #expect(deliveries == [PacketDelivery(arriveCycle: 26, hops: 3)])
        var linkFlits = Array(repeating: UInt64(0), count: 64)
        for link in [2, 16, 20] { linkFlits[link] = 4 }  // N from tile 0, E from tiles 4 and 5
        #expect(network.counters.linkFlits == linkFlits)
        var routerFlits = Array(repeating: UInt64(0), count: 16)
        for tile in [0, 4, 5, 6] { routerFlits[tile] = 4 }
        #expect(network.counters.routerFlits == routerFlits)
    }

    @Test func countersAccumulateAcrossCallsAndDeliveriesAreReplaced() {
        var network = IdealNetwork(mesh: Self.mesh, timing: Self.timing, routing: .xy)
        var deliveries: [PacketDelivery] = []
        network.route(Self.packets, into: &deliveries)
        let once = network.counters
        network.route(Self.packets, into: &deliveries)
        #expect(deliveries.count == Self.packets.count)
        #expect(network.counters.packets == 2 * once.packets)
        #expect(network.counters.linkFlits == once.linkFlits.map { 2 * $0 })
        #expect(network.counters.routerFlits == once.routerFlits.map { 2 * $0 })
        #expect(network.counters.eastWestFlitHops == 2 * once.eastWestFlitHops)
        network.route([], into: &deliveries)
        #expect(deliveries.isEmpty)
        #expect(network.counters.packets == 2 * once.packets)
    }

    @Test(arguments: RoutingOrder.allCases)
    func randomTrafficConservesFlits(order: RoutingOrder) {
        let mesh = Mesh(width: 5, height: 4, coresPerTile: 3, hostTile: TileCoordinate(x: 4, y: 3))
        let timing = NetworkTiming(localCycles: 1, eastWestHopCycles: 2, northSouthHopCycles: 3, flitsPerPacket: 2)
        var generator = TestGenerator(seed: 5)
        let packets = (0..<500).map { _ in
            AERPacket(
                source: Int32.random(in: 0...Int32(mesh.hostEndpoint), using: &generator),
                destination: Int32.random(in: 0..<Int32(mesh.coreCount), using: &generator),
                axon: 0, injectCycle: UInt32.random(in: 0...100, using: &generator))
        }
        var network = IdealNetwork(mesh: mesh, timing: timing, routing: order)
        var deliveries: [PacketDelivery] = []
        network.route(packets, into: &deliveries)
        var eastWest: UInt64 = 0
        var northSouth: UInt64 = 0
        for (packet, delivery) in zip(packets, deliveries) {
            let hops = mesh.hops(from: Int(packet.source), to: Int(packet.destination))
            #expect(delivery.hops == UInt16(hops.eastWest + hops.northSouth))
            #expect(delivery.arriveCycle == packet.injectCycle + 1 + UInt32(hops.eastWest * 2 + hops.northSouth * 3) + 1)
            eastWest += UInt64(hops.eastWest)
            northSouth += UInt64(hops.northSouth)
        }
        let counters = network.counters
        #expect(counters.eastWestFlitHops == 2 * eastWest)
        #expect(counters.northSouthFlitHops == 2 * northSouth)
        #expect(counters.linkFlits.total == 2 * (eastWest + northSouth))
        // Every flit enters the router of its source, then one router per hop.
        #expect(counters.routerFlits.total == 2 * UInt64(packets.count) + counters.linkFlits.total)
        // Links that leave the mesh are never used.
        for tile in 0..<mesh.tileCount {
            let c = mesh.coordinate(ofTile: tile)
            if c.x == mesh.width - 1 { #expect(counters.linkFlits[mesh.linkIndex(tile: tile, direction: .east)] == 0) }
            if c.x == 0 { #expect(counters.linkFlits[mesh.linkIndex(tile: tile, direction: .west)] == 0) }
            if c.y == mesh.height - 1 { #expect(counters.linkFlits[mesh.linkIndex(tile: tile, direction: .north)] == 0) }
            if c.y == 0 { #expect(counters.linkFlits[mesh.linkIndex(tile: tile, direction: .south)] == 0) }
        }
    }

    /// Both ways of charging unicast traffic — per-tile-pair tables (up to
    /// `pairTableTileLimit` tiles) and route segments (beyond) — equal walking every packet's
    /// route link by link, over two calls, in both routing orders and across chip boundaries;
    /// every delivery has its route's hops and zero-load latency.
    @Test(arguments: [(5, 4, 5, 4), (6, 4, 3, 2), (12, 10, 12, 10), (12, 10, 4, 5)], [RoutingOrder.xy, .yx])
    func countersEqualAWalkOfEveryRoute(size: (width: Int, height: Int, chipWidth: Int, chipHeight: Int), routing: RoutingOrder) {
        let mesh = Mesh(width: size.width, height: size.height, coresPerTile: 2, hostTile: TileCoordinate(x: 1, y: 0), chipWidth: size.chipWidth, chipHeight: size.chipHeight)
        #expect((mesh.tileCount > IdealNetwork.pairTableTileLimit) == (size.width == 12))
        let timing = NetworkTiming(localCycles: 1, eastWestHopCycles: 2, northSouthHopCycles: 3, flitsPerPacket: 2, interChipHopCycles: 7)
        var generator = TestGenerator(seed: 11)
        var network = IdealNetwork(mesh: mesh, timing: timing, routing: routing)
        var expected = NetworkCounters(mesh: mesh)
        var deliveries: [PacketDelivery] = []
        for _ in 0..<2 {
            let packets = (0..<300).map { _ in
                AERPacket(
                    source: Int32.random(in: 0...Int32(mesh.hostEndpoint), using: &generator),
                    destination: Int32.random(in: 0..<Int32(mesh.coreCount), using: &generator),
                    axon: 0, injectCycle: UInt32.random(in: 0...100, using: &generator))
            }
            network.route(packets, into: &deliveries)
            #expect(deliveries.count == packets.count)
            for (packet, delivery) in zip(packets, deliveries) {
                var hops = (eastWest: 0, northSouth: 0, interChip: 0)
                expected.routerFlits[mesh.tileIndex(ofEndpoint: Int(packet.source))] += 2
                mesh.forEachLink(from: Int(packet.source), to: Int(packet.destination), order: routing) { link, direction in
                    expected.linkFlits[link] += 2
                    expected.linkBusyCycles[link] += 2
                    expected.routerFlits[(link >> 2) + IdealNetwork.tileStep(direction, width: mesh.width)] += 2
                    if mesh.isInterChip(tile: link >> 2, direction: direction) {
                        hops.interChip += 1
                        expected.interChipFlitHops += 2
                    } else if direction.isEastWest {
                        hops.eastWest += 1
                        expected.eastWestFlitHops += 2
                    } else {
                        hops.northSouth += 1
                        expected.northSouthFlitHops += 2
                    }
                }
                expected.routerEjectedFlits[mesh.tileIndex(ofEndpoint: Int(packet.destination))] += 2
                expected.packets += 1
                #expect(delivery.hops == UInt16(hops.eastWest + hops.northSouth + hops.interChip))
                #expect(delivery.arriveCycle == packet.injectCycle + timing.zeroLoadLatency(eastWestHops: hops.eastWest, northSouthHops: hops.northSouth, interChipHops: hops.interChip))
            }
        }
        #expect(expected.interChipFlitHops > 0 || size.chipWidth == size.width)
        #expect(network.counters == expected)
    }

    /// A step's packets routed in parts, each part by a model of its own, give the deliveries
    /// of one route call and, summed, its counters: with tile-pair tables, route segments and
    /// multicast trees (parts cut between spikes).
    @Test(arguments: [(5, 4, false), (12, 10, false), (5, 4, true)])
    func routingInPartsMatchesOneCall(size: (width: Int, height: Int, multicast: Bool)) {
        let mesh = Mesh(width: size.width, height: size.height, coresPerTile: 2, hostTile: TileCoordinate(x: 1, y: 0))
        let timing = NetworkTiming(localCycles: 1, eastWestHopCycles: 2, northSouthHopCycles: 3, flitsPerPacket: 2)
        var generator = TestGenerator(seed: 23)
        // Spikes of 1–4 deliveries each, from random sources.
        var packets: [AERPacket] = []
        for spike in 0..<120 {
            let source = Int32.random(in: 0..<Int32(mesh.coreCount), using: &generator)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                packets.append(AERPacket(
                    source: source, destination: Int32.random(in: 0..<Int32(mesh.coreCount), using: &generator),
                    axon: 0, injectCycle: UInt32.random(in: 0...50, using: &generator), spike: Int32(spike)))
            }
        }
        let cuts = [0, packets.firstIndex { $0.spike == 40 } ?? 0, packets.firstIndex { $0.spike == 95 } ?? 0, packets.count]
        var whole = IdealNetwork(mesh: mesh, timing: timing, routing: .xy, multicast: size.multicast)
        var expected: [PacketDelivery] = []
        whole.route(packets, into: &expected)
        var parts = (0..<3).map { _ in IdealNetwork(mesh: mesh, timing: timing, routing: .xy, multicast: size.multicast) }
        var deliveries = Array(repeating: PacketDelivery(arriveCycle: 0, hops: 0), count: packets.count)
        #expect(parts[0].routesPacketsIndependently)
        packets.withUnsafeBufferPointer { packets in
        deliveries.withUnsafeMutableBufferPointer { deliveries in
            for part in 0..<3 {
                parts[part].route(
                    part: UnsafeBufferPointer(rebasing: packets[cuts[part]..<cuts[part + 1]]),
                    into: UnsafeMutableBufferPointer(rebasing: deliveries[cuts[part]..<cuts[part + 1]]))
            }
        }}
        #expect(deliveries == expected)
        var summed = parts[0].counters
        summed.add(parts[1].counters)
        summed.add(parts[2].counters)
        #expect(summed == whole.counters)
        #expect(whole.counters.packets == UInt64(size.multicast ? 120 : packets.count))
    }

    @Test func modelIsUsableThroughTheProtocol() {
        var network: any NetworkModel = IdealNetwork(mesh: Self.mesh, timing: Self.timing, routing: .yx)
        #expect(network.mesh == Self.mesh)
        #expect(network.timing == Self.timing)
        #expect(network.routing == .yx)
        var deliveries: [PacketDelivery] = []
        network.route(Self.packets, into: &deliveries)
        #expect(deliveries.map(\.arriveCycle) == [26, 24, 14, 12, 16])
        #expect(network.counters.packets == 5)
    }
}
