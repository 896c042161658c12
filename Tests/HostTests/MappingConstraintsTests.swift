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
        let off = MappingConstraints(tiles: [TileCoordinate(x: 0, y: 0), TileCoordinate(x: 0, y: 2)]).tileProblem(on: tiny)
        #expect(off?.index == 1 && off?.problem == "tile (0, 2) is off the 2 × 2 mesh of chip `tiny` (x 0…1, y 0…1)")
        #expect(MappingConstraints(tiles: [TileCoordinate(x: -1, y: 0)]).tileProblem(on: tiny)?.problem
            == "tile (-1, 0) is off the 2 × 2 mesh of chip `tiny` (x 0…1, y 0…1)")
        let twice = MappingConstraints(tiles: [TileCoordinate(x: 1, y: 0), TileCoordinate(x: 0, y: 1), TileCoordinate(x: 1, y: 0)]).tileProblem(on: tiny)
        #expect(twice?.index == 2 && twice?.problem == "tile (1, 0) is listed twice")
    }
}
