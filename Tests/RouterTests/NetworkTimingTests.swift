import Testing
@testable import Router

@Suite struct NetworkTimingTests {
    // local 2 + 5 per E–W hop + 7 per N–S hop + (4 − 1) serialization
    @Test(arguments: [(0, 0, 5), (1, 0, 10), (0, 1, 12), (3, 2, 34), (10, 10, 125)] as [(Int, Int, UInt32)])
    func zeroLoadLatency(eastWest: Int, northSouth: Int, expected: UInt32) {
        let timing = NetworkTiming(localCycles: 2, eastWestHopCycles: 5, northSouthHopCycles: 7, flitsPerPacket: 4)
        #expect(timing.zeroLoadLatency(eastWestHops: eastWest, northSouthHops: northSouth) == expected)
    }

    @Test func singleFlitHasNoSerialization() {
        let timing = NetworkTiming(localCycles: 0, eastWestHopCycles: 1, northSouthHopCycles: 1, flitsPerPacket: 1)
        #expect(timing.zeroLoadLatency(eastWestHops: 0, northSouthHops: 0) == 0)
        #expect(timing.zeroLoadLatency(eastWestHops: 2, northSouthHops: 3) == 5)
    }

    @Test func everyLinkCostsAtLeastOneCycle() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = NetworkTiming(localCycles: 1, eastWestHopCycles: 0, northSouthHopCycles: 1, flitsPerPacket: 1)
        }
        #expect(standardError(of: result).contains("an east–west hop must take at least 1 cycle, got 0"))
    }

    /// Each rule a timing is held to, before one is made and after its properties change.
    @Test func validationNamesTheRuleAndTheValue() {
        #expect(NetworkTiming.validationError(eastWestHopCycles: 1, northSouthHopCycles: 1, flitsPerPacket: 1) == nil)
        #expect(NetworkTiming.validationError(eastWestHopCycles: 0, northSouthHopCycles: 1, flitsPerPacket: 1) == "an east–west hop must take at least 1 cycle, got 0")
        #expect(NetworkTiming.validationError(eastWestHopCycles: 2, northSouthHopCycles: 0, flitsPerPacket: 1) == "a north–south hop must take at least 1 cycle, got 0")
        #expect(NetworkTiming.validationError(eastWestHopCycles: 2, northSouthHopCycles: 2, flitsPerPacket: -3) == "a packet must have at least 1 flit, got -3")
        var timing = NetworkTiming(localCycles: 0, eastWestHopCycles: 2, northSouthHopCycles: 3, flitsPerPacket: 2)
        #expect(timing.validationError == nil)
        timing.flitsPerPacket = 0
        #expect(timing.validationError == "a packet must have at least 1 flit, got 0")
        // A hop between chips changed after `init` is held to its rule too.
        timing.flitsPerPacket = 1
        timing.interChipHopCycles = 0
        #expect(timing.validationError == "a hop between chips must take at least 1 cycle, got 0")
    }
}
