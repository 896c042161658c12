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
}
