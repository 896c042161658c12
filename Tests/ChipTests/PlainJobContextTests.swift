import Testing
@testable import Chip

struct PlainJobContextTests {
    /// 8-byte words and a tail of 5 bytes (29 bytes in all).
    struct Sample: Equatable {
        var first: UInt64
        var second: Int64
        var third: UInt64
        var small: Int32
        var flag: Bool
    }

    /// After every update the context holds exactly the new value, whichever words changed
    /// (none, some, all, the tail only).
    @Test func updateLeavesTheNewValue() {
        var generator = SeededGenerator(seed: 3, stream: 41)
        var value = Sample(first: 1, second: -2, third: 3, small: 4, flag: false)
        let context = PlainJobContext(value)
        #expect(context.pointer.pointee == value)
        for round in 0..<200 {
            switch round % 4 {
            case 0: break  // nothing changes
            case 1: value.second = Int64.random(in: .min ... .max, using: &generator)
            case 2: value.small = Int32.random(in: .min ... .max, using: &generator); value.flag.toggle()
            default: value = Sample(
                first: UInt64.random(in: 0 ... .max, using: &generator), second: Int64.random(in: .min ... .max, using: &generator),
                third: UInt64.random(in: 0 ... .max, using: &generator), small: Int32.random(in: .min ... .max, using: &generator), flag: round % 8 == 3)
            }
            PlainJobContext.update(context.pointer, to: value)
            #expect(context.pointer.pointee == value, "round \(round)")
            if context.pointer.pointee != value { return }
        }
    }
}
