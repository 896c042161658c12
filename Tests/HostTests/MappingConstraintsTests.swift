import Chip
import Router
import Testing
@testable import Host

@Suite struct MappingConstraintsTests {
    @Test func aCapFromTheCommandLineOnlyEverLowersAPopulationsOwn() {
        #expect(MappingConstraints().capped(at: 16).maxNeuronsPerCore == 16)
        #expect(MappingConstraints(maxNeuronsPerCore: 8).capped(at: 16).maxNeuronsPerCore == 8)
        #expect(MappingConstraints(maxNeuronsPerCore: 32).capped(at: 16).maxNeuronsPerCore == 16)
        let pinned = MappingConstraints(tiles: [TileCoordinate(x: 1, y: 0)])
        #expect(pinned.capped(at: nil) == pinned && pinned.capped(at: 4).tiles == pinned.tiles)
        #expect(MappingConstraints().isEmpty && !pinned.isEmpty && !MappingConstraints(maxNeuronsPerCore: 1).isEmpty)
    }

    @Test func tilesMustLieOnTheMeshOnceEach() throws {
        let tiny = try ChipPresets.resolve("tiny")  // 2 × 2 tiles
        #expect(MappingConstraints(tiles: [TileCoordinate(x: 1, y: 1), TileCoordinate(x: 0, y: 0)]).tileProblem(on: tiny) == nil)
        #expect(MappingConstraints(tiles: [TileCoordinate(x: 0, y: 0), TileCoordinate(x: 0, y: 2)]).tileProblem(on: tiny)
            == "asks for tile (0, 2), which is off the 2 × 2 mesh of chip `tiny` (x 0…1, y 0…1)")
        #expect(MappingConstraints(tiles: [TileCoordinate(x: -1, y: 0)]).tileProblem(on: tiny)
            == "asks for tile (-1, 0), which is off the 2 × 2 mesh of chip `tiny` (x 0…1, y 0…1)")
        #expect(MappingConstraints(tiles: [TileCoordinate(x: 1, y: 0), TileCoordinate(x: 1, y: 0)]).tileProblem(on: tiny) == "lists tile (1, 0) twice")
    }
}
