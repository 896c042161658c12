import Testing
@testable import Router

/// Route segments charged through difference arrays, against routes walked by hand.
@Suite struct SegmentTallyTests {
    /// 3 × 3 tiles, one core per tile (endpoint = tile), host port at (0, 0): tiles 0 1 2 in the
    /// bottom row, 3 4 5 in the middle, 6 7 8 at the top.
    static let mesh = Mesh(width: 3, height: 3, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0))
    static let timing = NetworkTiming(localCycles: 2, eastWestHopCycles: 3, northSouthHopCycles: 5, flitsPerPacket: 2, interChipHopCycles: 7)

    /// Tallies `packets` (2 flits each) in one `add` call and flushes them into fresh counters.
    static func tally(
        _ packets: [AERPacket], mesh: Mesh = mesh, routing: RoutingOrder
    ) -> (counters: NetworkCounters, deliveries: [PacketDelivery], hops: SegmentTally.HopTotals) {
        var tally = SegmentTally(mesh: mesh, routing: routing)
        var deliveries = Array(repeating: PacketDelivery(arriveCycle: 999, hops: 99), count: packets.count)
        let hops = packets.withUnsafeBufferPointer { packets in
            deliveries.withUnsafeMutableBufferPointer { deliveries in
                tally.add(packets, endpointTiles: mesh.endpointTiles, timing: timing, flits: 2, into: deliveries)
            }
        }
        var counters = NetworkCounters(mesh: mesh)
        tally.flush(into: &counters)
        return (counters, deliveries, hops)
    }

    /// Counters with 2 flits on each of `links` (flits and busy cycles) and on each router of
    /// `routers`.
    static func expected(links: [(Int, LinkDirection)], routers: [Int], mesh: Mesh = mesh) -> NetworkCounters {
        var counters = NetworkCounters(mesh: mesh)
        for (tile, direction) in links {
            counters.linkFlits[mesh.linkIndex(tile: tile, direction: direction)] += 2
            counters.linkBusyCycles[mesh.linkIndex(tile: tile, direction: direction)] += 2
        }
        for router in routers { counters.routerFlits[router] += 2 }
        return counters
    }

    /// XY: (0, 0) → (2, 1) goes east from 0 and 1, then north from 2, through routers 0 1 2 5;
    /// (2, 2) → (0, 1) goes west from 8 and 7, then south from 6, through routers 8 7 6 3. Both
    /// rows end at the mesh edge, where a segment's "minus" lands past the last tile.
    @Test func xyChargesTheRowThenTheColumn() {
        let packets = [
            AERPacket(source: 0, destination: 5, axon: 0, injectCycle: 10),
            AERPacket(source: 8, destination: 3, axon: 0, injectCycle: 0),
        ]
        let result = Self.tally(packets, routing: .xy)
        #expect(result.counters == Self.expected(links: [(0, .east), (1, .east), (2, .north), (8, .west), (7, .west), (6, .south)], routers: [0, 1, 2, 5, 8, 7, 6, 3]))
        #expect(result.counters.routerFlits == [2, 2, 2, 2, 0, 2, 2, 2, 2])
        // Local 2, two east–west hops of 3, one north–south hop of 5, one more flit.
        #expect(result.deliveries == [PacketDelivery(arriveCycle: 10 + 2 + 3 + 3 + 5 + 1, hops: 3), PacketDelivery(arriveCycle: 2 + 3 + 3 + 5 + 1, hops: 3)])
        #expect(result.hops.eastWest == 4 && result.hops.northSouth == 2 && result.hops.interChip == 0)
    }

    /// YX: (0, 0) → (2, 1) goes north from 0 first, then east from 3 and 4: routers 0 3 4 5.
    @Test func yxChargesTheColumnThenTheRow() {
        let result = Self.tally([AERPacket(source: 0, destination: 5, axon: 0, injectCycle: 10)], routing: .yx)
        #expect(result.counters == Self.expected(links: [(0, .north), (3, .east), (4, .east)], routers: [0, 3, 4, 5]))
        #expect(result.counters.routerFlits == [2, 0, 0, 2, 2, 2, 0, 0, 0])
        #expect(result.deliveries == [PacketDelivery(arriveCycle: 10 + 2 + 5 + 3 + 3 + 1, hops: 3)])
    }

    /// Routes that share a link add their flits there; a packet within its own tile enters only
    /// that router, once; the host endpoint (9) routes from the host tile, 0.
    @Test func sharedLinksAddUpAndALocalPacketEntersOneRouter() {
        let packets = [
            AERPacket(source: 0, destination: 2, axon: 0, injectCycle: 0),  // east from 0 and 1
            AERPacket(source: 9, destination: 1, axon: 0, injectCycle: 0),  // east from 0
            AERPacket(source: 4, destination: 4, axon: 0, injectCycle: 6),  // no hop
        ]
        for routing in [RoutingOrder.xy, .yx] {
            let result = Self.tally(packets, routing: routing)
            #expect(result.counters == Self.expected(links: [(0, .east), (1, .east), (0, .east)], routers: [0, 1, 2, 0, 1, 4]), "\(routing)")
            #expect(result.counters.linkFlits[Self.mesh.linkIndex(tile: 0, direction: .east)] == 4)
            #expect(result.counters.routerFlits == [4, 4, 2, 0, 2, 0, 0, 0, 0])
            #expect(result.deliveries[2] == PacketDelivery(arriveCycle: 6 + 2 + 1, hops: 0))
            #expect(result.hops.eastWest == 3 && result.hops.northSouth == 0)
        }
    }

    /// 4 × 2 tiles as four chips of 2 × 1: (0, 0) → (3, 1) crosses a chip boundary going east
    /// from x = 1 and going north from y = 0. Those hops are inter-chip (7 cycles each) in the
    /// totals and the latency, but their links and routers are charged like any other.
    @Test func hopsAcrossChipsAreInterChip() {
        let board = Mesh(width: 4, height: 2, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0), chipWidth: 2, chipHeight: 1)
        let result = Self.tally([AERPacket(source: 0, destination: 7, axon: 0, injectCycle: 0)], mesh: board, routing: .xy)
        #expect(result.counters == Self.expected(links: [(0, .east), (1, .east), (2, .east), (3, .north)], routers: [0, 1, 2, 3, 7], mesh: board))
        #expect(result.hops.eastWest == 2 && result.hops.northSouth == 0 && result.hops.interChip == 2)
        #expect(result.deliveries == [PacketDelivery(arriveCycle: 2 + 3 + 3 + 7 + 7 + 1, hops: 4)])
    }

    /// `flush` adds to the counters it is given and clears the tally: a second flush adds
    /// nothing, and a packet added after it is charged alone.
    @Test func flushAddsAndClears() {
        let packet = [AERPacket(source: 0, destination: 5, axon: 0, injectCycle: 0)]
        var tally = SegmentTally(mesh: Self.mesh, routing: .xy)
        var deliveries = [PacketDelivery(arriveCycle: 0, hops: 0)]
        func add() {
            _ = packet.withUnsafeBufferPointer { packets in
                deliveries.withUnsafeMutableBufferPointer { deliveries in
                    tally.add(packets, endpointTiles: Self.mesh.endpointTiles, timing: Self.timing, flits: 2, into: deliveries)
                }
            }
        }
        let once = Self.expected(links: [(0, .east), (1, .east), (2, .north)], routers: [0, 1, 2, 5])
        var counters = NetworkCounters(mesh: Self.mesh)
        add()
        tally.flush(into: &counters)
        #expect(counters == once)
        tally.flush(into: &counters)
        #expect(counters == once)
        add()
        tally.flush(into: &counters)
        #expect(counters.routerFlits == [4, 4, 4, 0, 0, 4, 0, 0, 0])
        #expect(counters.linkFlits[Self.mesh.linkIndex(tile: 2, direction: .north)] == 4)
        // No packets: zero totals, and nothing to flush.
        let none: [AERPacket] = []
        var noDeliveries: [PacketDelivery] = []
        let hops = none.withUnsafeBufferPointer { packets in
            noDeliveries.withUnsafeMutableBufferPointer { deliveries in
                tally.add(packets, endpointTiles: Self.mesh.endpointTiles, timing: Self.timing, flits: 2, into: deliveries)
            }
        }
        #expect(hops.eastWest == 0 && hops.northSouth == 0 && hops.interChip == 0)
        let before = counters
        tally.flush(into: &counters)
        #expect(counters == before)
    }
}
