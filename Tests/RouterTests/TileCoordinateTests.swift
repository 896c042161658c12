import Testing
@testable import Router

@Suite struct TileCoordinateTests {
    @Test func descriptionAndEquality() {
        #expect(TileCoordinate(x: 2, y: 5).description == "(2, 5)")
        #expect(TileCoordinate(x: 1, y: 2) == TileCoordinate(x: 1, y: 2))
        #expect(TileCoordinate(x: 1, y: 2) != TileCoordinate(x: 2, y: 1))
        #expect(Set([TileCoordinate(x: 1, y: 2), TileCoordinate(x: 1, y: 2), TileCoordinate(x: 2, y: 1)]).count == 2)
    }
}
