import Testing
@testable import Router

@Suite struct EventKeyTests {
    @Test func bitLayout() {
        let key = EventKey(cycle: 1, kind: .delivery, rank: 3)
        #expect(key.rawValue == (1 << 32) | (2 << 28) | 3)
        #expect(EventKey(cycle: 0, kind: .linkTraversal, rank: 0).rawValue == 1 << 28)
    }

    @Test(arguments: [
        (UInt32(0), EventKind.delivery, 0),
        (UInt32(17), EventKind.linkTraversal, 12_345),
        (UInt32.max, EventKind.delivery, EventKey.maximumRank),
        (UInt32.max, EventKind.linkTraversal, 0),
        (UInt32(1) << 31, EventKind.delivery, 1),
    ])
    func packUnpackRoundTrip(cycle: UInt32, kind: EventKind, rank: Int) {
        let key = EventKey(cycle: cycle, kind: kind, rank: rank)
        #expect(key.cycle == cycle)
        #expect(key.kind == kind)
        #expect(key.rank == rank)
        #expect(EventKey(rawValue: key.rawValue) == key)
    }

    @Test func maximumRankIsTwentyEightBits() {
        #expect(EventKey.maximumRank == 268_435_455)
    }

    @Test func ordersByCycleThenKindThenRank() {
        // A later cycle wins over any kind or rank.
        #expect(EventKey(cycle: 1, kind: .delivery, rank: EventKey.maximumRank) < EventKey(cycle: 2, kind: .linkTraversal, rank: 0))
        // At equal cycles the smaller kind comes first, whatever the rank.
        #expect(EventKey(cycle: 5, kind: .linkTraversal, rank: EventKey.maximumRank) < EventKey(cycle: 5, kind: .delivery, rank: 0))
        // At equal cycle and kind, rank decides.
        #expect(EventKey(cycle: 5, kind: .delivery, rank: 3) < EventKey(cycle: 5, kind: .delivery, rank: 4))
        #expect(!(EventKey(cycle: 5, kind: .delivery, rank: 4) < EventKey(cycle: 5, kind: .delivery, rank: 4)))
    }

    @Test func randomOrderMatchesTupleOrder() {
        var generator = TestGenerator(seed: 7)
        let kinds: [EventKind] = [.linkTraversal, .delivery]
        for _ in 0..<2_000 {
            let a = (UInt32.random(in: 0...20, using: &generator), kinds.randomElement(using: &generator)!, Int.random(in: 0...20, using: &generator))
            let b = (UInt32.random(in: 0...20, using: &generator), kinds.randomElement(using: &generator)!, Int.random(in: 0...20, using: &generator))
            let keyA = EventKey(cycle: a.0, kind: a.1, rank: a.2)
            let keyB = EventKey(cycle: b.0, kind: b.1, rank: b.2)
            #expect((keyA < keyB) == ((a.0, a.1.rawValue, a.2) < (b.0, b.1.rawValue, b.2)))
            #expect((keyA == keyB) == (a.0 == b.0 && a.1 == b.1 && a.2 == b.2))
        }
    }

    @Test func rankAboveTwentyEightBitsTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = EventKey(cycle: 0, kind: .delivery, rank: EventKey.maximumRank + 1)
        }
    }
}
