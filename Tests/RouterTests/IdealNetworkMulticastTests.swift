import Testing
@testable import Router

/// Multicast in the ideal model: one packet per spike along the union of its routes.
@Suite struct IdealNetworkMulticastTests {
    static let mesh = Mesh(width: 3, height: 2, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0))
    static let timing = NetworkTiming(localCycles: 2, eastWestHopCycles: 3, northSouthHopCycles: 5, flitsPerPacket: 2)

    /// One spike of core 0 at (0, 0) bound for cores 2 = (2, 0) and 5 = (2, 1): XY routes
    /// E, E and E, E, N share their first two links, so the tree has 3 links, not 5.
    static let spike = [
        AERPacket(source: 0, destination: 2, axon: 0, injectCycle: 4, spike: 1),
        AERPacket(source: 0, destination: 5, axon: 0, injectCycle: 4, spike: 1),
    ]

    @Test func treeLinksCountOnceAndEachDestinationKeepsItsLatency() {
        var network = IdealNetwork(mesh: Self.mesh, timing: Self.timing, routing: .xy, multicast: true)
        var deliveries: [PacketDelivery] = []
        network.route(Self.spike, into: &deliveries)
        #expect(deliveries == [
            PacketDelivery(arriveCycle: 4 + 2 + 3 + 3 + 1, hops: 2),
            PacketDelivery(arriveCycle: 4 + 2 + 3 + 3 + 5 + 1, hops: 3),
        ])
        #expect(network.counters.packets == 1)
        #expect(network.counters.eastWestFlitHops == 2 * 2)  // two shared east links, 2 flits each
        #expect(network.counters.northSouthFlitHops == 1 * 2)
        #expect(network.counters.linkFlits[Self.mesh.linkIndex(tile: 0, direction: .east)] == 2)
    }

    /// The whole counters of that spike, from its tree on the 3 × 2 mesh (tiles 0 1 2 in the
    /// bottom row, 3 4 5 above): links 0→1 (east), 1→2 (east), 2→5 (north), 2 flits each, once.
    /// Routers 0 (the source), 1, 2 (where the routes part) and 5 each take the flits once;
    /// routers 2 and 5 eject them to their cores.
    @Test func treeChargesEachRouterAndLinkOnce() {
        var network = IdealNetwork(mesh: Self.mesh, timing: Self.timing, routing: .xy, multicast: true)
        var deliveries: [PacketDelivery] = []
        network.route(Self.spike, into: &deliveries)
        var expected = NetworkCounters(mesh: Self.mesh)
        for (tile, direction) in [(0, LinkDirection.east), (1, .east), (2, .north)] {
            expected.linkFlits[Self.mesh.linkIndex(tile: tile, direction: direction)] = 2
            expected.linkBusyCycles[Self.mesh.linkIndex(tile: tile, direction: direction)] = 2
        }
        expected.routerFlits = [2, 2, 2, 0, 0, 2]
        expected.routerEjectedFlits = [0, 0, 2, 0, 0, 2]
        expected.packets = 1
        expected.eastWestFlitHops = 2 * 2
        expected.northSouthFlitHops = 1 * 2
        #expect(network.counters == expected)
        #expect(network.counters.routerFlits == [2, 2, 2, 0, 0, 2])
        #expect(network.counters.routerEjectedFlits == [0, 0, 2, 0, 0, 2])
    }

    @Test func unicastSendsEveryRouteSeparately() {
        var network = IdealNetwork(mesh: Self.mesh, timing: Self.timing, routing: .xy)
        var deliveries: [PacketDelivery] = []
        network.route(Self.spike, into: &deliveries)
        #expect(network.counters.packets == 2)
        #expect(network.counters.eastWestFlitHops == 4 * 2)
        #expect(network.counters.linkFlits[Self.mesh.linkIndex(tile: 0, direction: .east)] == 4)
    }

    @Test func differentSpikesAreDifferentPackets() {
        var network = IdealNetwork(mesh: Self.mesh, timing: Self.timing, routing: .xy, multicast: true)
        var deliveries: [PacketDelivery] = []
        var packets = Self.spike
        packets[1].spike = 2
        network.route(packets, into: &deliveries)
        #expect(network.counters.packets == 2)
        #expect(network.counters.eastWestFlitHops == 4 * 2)
    }
}
