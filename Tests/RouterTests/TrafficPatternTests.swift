import Testing
@testable import Router

/// The synthetic destination patterns, against their definitions (docs/router.md): tiles are
/// numbered row by row from the south-west corner, tile = y × width + x.
@Suite struct TrafficPatternTests {
    /// The destination of tile (x, y) on a `width × height` mesh, as a tile number.
    func destination(_ pattern: TrafficPattern, _ x: Int, _ y: Int, width: Int, height: Int) -> Int? {
        pattern.fixedDestination(of: y * width + x, width: width, height: height)
    }

    @Test func namesAreBookSimsInDocumentedOrder() {
        #expect(TrafficPattern.allCases.map(\.rawValue) == ["uniform", "transpose", "bitcomplement", "hotspot", "neighbor"])
        #expect(TrafficPattern.allCases.filter(\.requiresSquareMesh) == [.transpose])
        #expect(TrafficPattern.allCases.filter(\.sendsToEveryTile) == [.uniform, .hotspot])
    }

    /// Transpose (x, y) → (y, x), on square meshes; the diagonal sends to itself.
    @Test func transposeSwapsTheCoordinates() {
        #expect(destination(.transpose, 1, 3, width: 4, height: 4) == 1 * 4 + 3)
        #expect(destination(.transpose, 2, 2, width: 4, height: 4) == 2 * 4 + 2)
        #expect(destination(.transpose, 1, 6, width: 8, height: 8) == 1 * 8 + 6)
    }

    /// On a square mesh both sides wrap alike.
    @Test func neighborAndBitcomplementOnAFourByFourMesh() {
        #expect(destination(.bitcomplement, 1, 3, width: 4, height: 4) == 0 * 4 + 2)  // (2, 0)
        #expect(destination(.neighbor, 1, 3, width: 4, height: 4) == 0 * 4 + 2)  // (2, 0)
        #expect(destination(.neighbor, 3, 0, width: 4, height: 4) == 1 * 4 + 0)  // (0, 1)
    }

    /// 4 wide, 8 high: a wrap in y happens after row 7, not after row 3.
    @Test func neighborAndBitcomplementOnAFourByEightMesh() {
        func on4x8(_ pattern: TrafficPattern, _ x: Int, _ y: Int) -> Int? { destination(pattern, x, y, width: 4, height: 8) }
        #expect(on4x8(.neighbor, 0, 0) == 1 * 4 + 1)  // (1, 1)
        #expect(on4x8(.neighbor, 1, 3) == 4 * 4 + 2)  // (2, 4): row 3 is not the last
        #expect(on4x8(.neighbor, 2, 5) == 6 * 4 + 3)  // (3, 6)
        #expect(on4x8(.neighbor, 3, 2) == 3 * 4 + 0)  // (0, 3): x wraps after column 3
        #expect(on4x8(.neighbor, 1, 7) == 0 * 4 + 2)  // (2, 0): y wraps after row 7
        #expect(on4x8(.neighbor, 3, 7) == 0)  // (0, 0)
        #expect(on4x8(.bitcomplement, 0, 0) == 7 * 4 + 3)  // (3, 7)
        #expect(on4x8(.bitcomplement, 1, 2) == 5 * 4 + 2)  // (2, 5)
        #expect(on4x8(.bitcomplement, 3, 7) == 0)  // (0, 0)
    }

    /// 8 wide, 4 high: a wrap in y happens after row 3, not after row 7.
    @Test func neighborAndBitcomplementOnAnEightByFourMesh() {
        func on8x4(_ pattern: TrafficPattern, _ x: Int, _ y: Int) -> Int? { destination(pattern, x, y, width: 8, height: 4) }
        #expect(on8x4(.neighbor, 0, 0) == 1 * 8 + 1)  // (1, 1)
        #expect(on8x4(.neighbor, 6, 1) == 2 * 8 + 7)  // (7, 2)
        #expect(on8x4(.neighbor, 7, 0) == 1 * 8 + 0)  // (0, 1): x wraps after column 7
        #expect(on8x4(.neighbor, 3, 3) == 0 * 8 + 4)  // (4, 0): y wraps after row 3
        #expect(on8x4(.neighbor, 7, 3) == 0)  // (0, 0)
        #expect(on8x4(.bitcomplement, 0, 0) == 3 * 8 + 7)  // (7, 3)
        #expect(on8x4(.bitcomplement, 2, 1) == 2 * 8 + 5)  // (5, 2)
        #expect(on8x4(.bitcomplement, 7, 3) == 0)  // (0, 0)
    }

    /// Neighbor and bitcomplement are one-to-one on any mesh: every tile receives from exactly
    /// one tile, so the destinations of all tiles are all tiles.
    @Test(arguments: [(4, 8), (8, 4), (3, 5)])
    func fixedPatternsArePermutations(width: Int, height: Int) {
        for pattern in [TrafficPattern.neighbor, .bitcomplement] {
            let destinations = (0..<(width * height)).compactMap { pattern.fixedDestination(of: $0, width: width, height: height) }
            #expect(destinations.sorted() == Array(0..<(width * height)), "\(pattern) on \(width) × \(height)")
        }
    }

    /// Uniform and hotspot draw their destinations; the hotspot is (width / 2, height / 2).
    @Test func randomPatternsHaveNoFixedDestination() {
        for (width, height) in [(4, 8), (8, 4)] {
            for tile in 0..<(width * height) {
                #expect(TrafficPattern.uniform.fixedDestination(of: tile, width: width, height: height) == nil)
                #expect(TrafficPattern.hotspot.fixedDestination(of: tile, width: width, height: height) == nil)
            }
        }
        #expect(TrafficPattern.hotspotTile(width: 8, height: 8) == 4 * 8 + 4)
        #expect(TrafficPattern.hotspotTile(width: 4, height: 8) == 4 * 4 + 2)  // (2, 4)
        #expect(TrafficPattern.hotspotTile(width: 8, height: 4) == 2 * 8 + 4)  // (4, 2)
        #expect(TrafficPattern.hotspotTile(width: 3, height: 5) == 2 * 3 + 1)  // (1, 2)
    }
}
