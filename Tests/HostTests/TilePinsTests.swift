import Router
import Testing
@testable import Host

@Suite struct TilePinsTests {
    @Test func coresSharingATileListShareAGroupAndItsSlots() {
        // 2 × 2 mesh of two-core tiles: tile 1 holds mesh cores 2 and 3, tile 3 cores 6 and 7.
        let mesh = Mesh(width: 2, height: 2, coresPerTile: 2, hostTile: TileCoordinate(x: 0, y: 0))
        let pins = TilePins(allowedTiles: [[3, 1], [], [3, 1], [0]], mesh: mesh)
        #expect(pins.groupOfCore == [0, -1, 0, 1])
        #expect(pins.groupSlots == [[6, 7, 2, 3], [0, 1]])
        #expect(pins.group(of: 1) == nil && pins.group(of: 2) == 0)
        #expect(pins.allows(0, 7) && !pins.allows(0, 4) && pins.allows(1, 4) && pins.allows(3, 1) && !pins.allows(3, 2))
        #expect(pins.pinnedCores == [3, 0, 2])  // one tile before two, then core order
        #expect(TilePins(allowedTiles: [], mesh: mesh).isEmpty && TilePins(allowedTiles: [[], []], mesh: mesh).isEmpty)
    }

    @Test func manyCoresPinnedToManyTilesMatchQuickly() {
        // 3,000 one-neuron cores of one population on 750 tiles of a 32 × 32 mesh of 4-core
        // tiles (the review's case, which the first matching took minutes over), then one core
        // more than they hold: the last is left over, found at once.
        let mesh = Mesh(width: 32, height: 32, coresPerTile: 4, hostTile: TileCoordinate(x: 0, y: 0))
        let tiles = (0..<750).map(Int32.init)
        let pins = TilePins(allowedTiles: Array(repeating: tiles, count: 3_001), mesh: mesh)
        let placement = pins.inOrderPlacement(coreCount: 3_001)
        #expect(placement.unplaced == [3_000])
        #expect(Set(placement.endpoints.prefix(3_000)).count == 3_000 && placement.endpoints.prefix(3_000).allSatisfy { $0 < 3_000 })
    }
}
