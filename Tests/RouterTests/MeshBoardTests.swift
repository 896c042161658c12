import Testing
@testable import Router

/// Boards: a mesh made of several chips, whose links across chip boundaries are inter-chip links.
@Suite struct MeshBoardTests {
    /// Two chips of 2 × 2 tiles side by side: a 4 × 2 mesh, one core per tile.
    static let board = Mesh(width: 4, height: 2, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0), chipWidth: 2, chipHeight: 2)

    @Test func chipCountAndDefaults() {
        #expect(Self.board.chipCount == 2)
        let single = Mesh(width: 4, height: 2, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0))
        #expect(single.chipCount == 1 && single.chipWidth == 4 && single.chipHeight == 2)
    }

    @Test func onlyLinksAcrossTheBoundaryAreInterChip() {
        let mesh = Self.board
        // Tile 1 is (1, 0): its east link leads to (2, 0) on the second chip.
        #expect(mesh.isInterChip(tile: 1, direction: .east))
        #expect(mesh.isInterChip(tile: 2, direction: .west))
        #expect(!mesh.isInterChip(tile: 0, direction: .east))
        #expect(!mesh.isInterChip(tile: 2, direction: .east))
        #expect(!mesh.isInterChip(tile: 1, direction: .north))  // chips are 2 tiles high
        var crossing: [Int] = []
        mesh.forEachLink(from: 4, to: 3, order: .xy) { link, direction in
            if mesh.isInterChip(tile: link >> 2, direction: direction) { crossing.append(link) }
        }
        #expect(crossing == [mesh.linkIndex(tile: 5, direction: .east)])  // (1, 1) → (2, 1)
    }

    @Test func crossingsCountChipBoundaries() {
        #expect(Self.board.chipCrossings(from: 0, to: 1) == 0)
        #expect(Self.board.chipCrossings(from: 0, to: 3) == 1)
        #expect(Self.board.chipCrossings(from: 7, to: 4) == 1)
        let grid = Mesh(width: 6, height: 4, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0), chipWidth: 2, chipHeight: 2)
        #expect(grid.chipCount == 6)
        #expect(grid.chipCrossings(from: 0, to: 23) == 3)  // (0, 0) → (5, 3): two chips east, one north
    }

    @Test func idealLatencyChargesInterChipHops() {
        let timing = NetworkTiming(localCycles: 2, eastWestHopCycles: 3, northSouthHopCycles: 5, flitsPerPacket: 1, interChipHopCycles: 40)
        var network = IdealNetwork(mesh: Self.board, timing: timing, routing: .xy)
        var deliveries: [PacketDelivery] = []
        // 0 → 3 is (0, 0) → (3, 0): hops E, E (inter-chip), E.
        network.route([AERPacket(source: 0, destination: 3, axon: 0, injectCycle: 10)], into: &deliveries)
        #expect(deliveries == [PacketDelivery(arriveCycle: 10 + 2 + 3 + 40 + 3, hops: 3)])
        #expect(network.counters.eastWestFlitHops == 2)
        #expect(network.counters.interChipFlitHops == 1)
        #expect(network.counters.northSouthFlitHops == 0)
    }

    @Test func interChipLatencyDefaultsToTheSlowerHop() {
        let timing = NetworkTiming(localCycles: 1, eastWestHopCycles: 3, northSouthHopCycles: 5, flitsPerPacket: 1)
        #expect(timing.interChipHopCycles == 5)
    }
}
