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
        await #expect(processExitsWith: .failure) {
            _ = NetworkTiming(localCycles: 1, eastWestHopCycles: 0, northSouthHopCycles: 1, flitsPerPacket: 1)
        }
    }
}
