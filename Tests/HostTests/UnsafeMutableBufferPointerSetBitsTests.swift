import Testing
@testable import Host

@Suite struct UnsafeMutableBufferPointerSetBitsTests {
    @Test func drainsSetBitsInAscendingOrderAndClearsTheWords() {
        var words: [UInt64] = [1 | 1 << 63, 1, 0, 1 << 2 | 1 << 5]
        var drained: [Int] = []
        words.withUnsafeMutableBufferPointer { $0.drainSetBits { drained.append($0) } }
        #expect(drained == [0, 63, 64, 3 * 64 + 2, 3 * 64 + 5])
        #expect(words == [0, 0, 0, 0])
        words.withUnsafeMutableBufferPointer { $0.drainSetBits { _ in Issue.record("an empty bitmap has no bits") } }
    }
}
