import Testing
@testable import Router

@Suite struct EventQueueTests {
    @Test func emptyQueue() {
        var queue = EventQueue()
        #expect(queue.isEmpty)
        #expect(queue.count == 0)
        #expect(queue.first == nil)
        #expect(queue.popFirst() == nil)
    }

    @Test(arguments: [1, 2, 3, 10, 100, 1_000])
    func popsRandomInsertsInAscendingOrder(count: Int) {
        var generator = TestGenerator(seed: UInt64(count))
        var queue = EventQueue(reservingCapacity: count)
        var keys: [EventKey] = []
        for _ in 0..<count {
            let key = EventKey(
                cycle: UInt32.random(in: 0...50, using: &generator),
                kind: Bool.random(using: &generator) ? .delivery : .linkTraversal,
                rank: Int.random(in: 0...1_000, using: &generator))
            keys.append(key)
            queue.insert(key)
        }
        #expect(queue.count == count)
        #expect(queue.first == keys.min())
        var popped: [EventKey] = []
        while let key = queue.popFirst() { popped.append(key) }
        #expect(popped == keys.sorted())
        #expect(queue.isEmpty)
    }

    @Test func duplicatesAreAllKept() {
        var queue = EventQueue()
        let a = EventKey(cycle: 3, kind: .delivery, rank: 1)
        let b = EventKey(cycle: 1, kind: .delivery, rank: 9)
        for key in [a, b, a, a, b] { queue.insert(key) }
        #expect(queue.count == 5)
        var popped: [EventKey] = []
        while let key = queue.popFirst() { popped.append(key) }
        #expect(popped == [b, b, a, a, a])
    }

    @Test func interleavedInsertAndPopMatchesSortedModel() {
        var generator = TestGenerator(seed: 99)
        var queue = EventQueue()
        var model: [UInt64] = []
        for _ in 0..<5_000 {
            if model.isEmpty || Int.random(in: 0..<3, using: &generator) > 0 {
                let key = EventKey(cycle: UInt32.random(in: 0...30, using: &generator), kind: .delivery, rank: Int.random(in: 0...30, using: &generator))
                queue.insert(key)
                model.append(key.rawValue)
                model.sort()
            } else {
                #expect(queue.first?.rawValue == model.first)
                #expect(queue.popFirst()?.rawValue == model.removeFirst())
            }
            #expect(queue.count == model.count)
        }
    }

    @Test func removeAllEmptiesAndQueueIsReusable() {
        var queue = EventQueue()
        for rank in 0..<10 { queue.insert(EventKey(cycle: 5, kind: .delivery, rank: rank)) }
        queue.removeAll()
        #expect(queue.isEmpty)
        #expect(queue.popFirst() == nil)
        queue.insert(EventKey(cycle: 2, kind: .delivery, rank: 1))
        queue.insert(EventKey(cycle: 1, kind: .delivery, rank: 2))
        #expect(queue.popFirst() == EventKey(cycle: 1, kind: .delivery, rank: 2))
        #expect(queue.popFirst() == EventKey(cycle: 2, kind: .delivery, rank: 1))
    }
}
