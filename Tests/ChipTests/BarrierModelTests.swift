import Testing
@testable import Chip

@Suite struct BarrierModelTests {
    /// Loihi: 113 ns for one tile, 465 ns for 32 tiles (at 1 GHz, one cycle per ns).
    static let loihi = BarrierModel(oneTileCycles: 113, referenceCycles: 465, referenceTiles: 32)

    // 113 + 352 · (tiles − 1) / 31, floored; beyond 32 tiles the line is extrapolated.
    @Test(arguments: [(0, 113), (1, 113), (2, 124), (16, 283), (31, 453), (32, 465), (33, 476), (63, 817), (1024, 11_729)] as [(Int, UInt32)])
    func interpolatesLoihi(tiles: Int, expected: UInt32) {
        #expect(Self.loihi.cycles(tiles: tiles) == expected)
    }

    @Test func everyValueIsTheFlooredLine() {
        let model = BarrierModel(oneTileCycles: 7, referenceCycles: 50, referenceTiles: 9)
        for tiles in 1...200 {
            let exact = 7.0 + 43.0 * Double(tiles - 1) / 8.0
            #expect(model.cycles(tiles: tiles) == UInt32(exact.rounded(.down)), "tiles = \(tiles)")
        }
    }

    @Test func singleReferencePointIsConstant() {
        let model = BarrierModel(oneTileCycles: 40, referenceCycles: 900, referenceTiles: 1)
        #expect([1, 2, 10, 1000].map { model.cycles(tiles: $0) } == [40, 40, 40, 40])
        // A reference tile count below 1 is raised to 1.
        #expect(BarrierModel(oneTileCycles: 40, referenceCycles: 900, referenceTiles: 0).referenceTiles == 1)
        #expect(BarrierModel(oneTileCycles: 40, referenceCycles: 900, referenceTiles: -3).cycles(tiles: 5) == 40)
    }

    @Test func flatModel() {
        let model = BarrierModel(oneTileCycles: 25, referenceCycles: 25, referenceTiles: 16)
        #expect([1, 2, 16, 100].map { model.cycles(tiles: $0) } == [25, 25, 25, 25])
    }

    @Test func fallingLineFloorsAndStopsAtZero() {
        // 100 − 100 · (tiles − 1) / 3: 66.67 → 66, 33.33 → 33, 0, then clamped at 0.
        let model = BarrierModel(oneTileCycles: 100, referenceCycles: 0, referenceTiles: 4)
        #expect([1, 2, 3, 4, 5, 50].map { model.cycles(tiles: $0) } == [100, 66, 33, 0, 0, 0])
    }

    @Test func extrapolationClampsToUInt32() {
        let model = BarrierModel(oneTileCycles: 0, referenceCycles: .max, referenceTiles: 2)
        #expect(model.cycles(tiles: 2) == .max)
        #expect(model.cycles(tiles: 3) == .max)
    }
}
