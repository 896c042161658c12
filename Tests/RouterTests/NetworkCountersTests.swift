import Testing
@testable import Router

@Suite struct NetworkCountersTests {
    @Test func startsAtZeroWithOneSlotPerLinkAndRouter() {
        let mesh = Mesh(width: 3, height: 2, coresPerTile: 4, hostTile: TileCoordinate(x: 0, y: 0))
        let counters = NetworkCounters(mesh: mesh)
        #expect(counters.linkFlits == Array(repeating: 0, count: 24))
        #expect(counters.linkBusyCycles == Array(repeating: 0, count: 24))
        #expect(counters.linkStallCycles == Array(repeating: 0, count: 24))
        #expect(counters.linkMaxQueueDepth == Array(repeating: 0, count: 24))
        #expect(counters.routerFlits == Array(repeating: 0, count: 6))
        #expect(counters.packets == 0 && counters.eastWestFlitHops == 0 && counters.northSouthFlitHops == 0)
    }

    /// Adding counters sums the counts and keeps the larger maxima, in either order.
    @Test func addSumsCountsAndKeepsMaxima() {
        let mesh = Mesh(width: 2, height: 1, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0))
        var a = NetworkCounters(mesh: mesh)
        var b = NetworkCounters(mesh: mesh)
        a.linkFlits[0] = 3; b.linkFlits[0] = 4
        a.linkBusyCycles[1] = 5; b.linkBusyCycles[1] = 1
        a.linkStallCycles[2] = 7
        a.linkMaxQueueDepth[0] = 2; b.linkMaxQueueDepth[0] = 6
        a.routerFlits = [1, 2]; b.routerFlits = [10, 20]
        a.routerEjectedFlits = [3, 0]; b.routerEjectedFlits = [0, 4]
        b.routerStallCycles = [9, 1]
        a.routerMaxBufferFlits = [5, 1]; b.routerMaxBufferFlits = [2, 8]
        a.routerMaxSourceQueueFlits = [0, 3]; b.routerMaxSourceQueueFlits = [4, 2]
        a.packets = 11; b.packets = 22
        a.eastWestFlitHops = 1; b.eastWestFlitHops = 2
        a.northSouthFlitHops = 30; b.interChipFlitHops = 5
        var sum = a
        sum.add(b)
        #expect(sum.linkFlits[0] == 7 && sum.linkBusyCycles[1] == 6 && sum.linkStallCycles[2] == 7)
        #expect(sum.linkMaxQueueDepth[0] == 6)
        #expect(sum.routerFlits == [11, 22] && sum.routerEjectedFlits == [3, 4] && sum.routerStallCycles == [9, 1])
        #expect(sum.routerMaxBufferFlits == [5, 8] && sum.routerMaxSourceQueueFlits == [4, 3])
        #expect(sum.totals == NetworkCounters.Totals(packets: 33, eastWestFlitHops: 3, northSouthFlitHops: 30, interChipFlitHops: 5))
        var other = b
        other.add(a)
        #expect(other == sum)
    }
}
