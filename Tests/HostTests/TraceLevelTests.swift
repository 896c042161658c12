import Testing
@testable import Host

@Suite struct TraceLevelTests {
    @Test func levelsNestInOrder() {
        #expect(TraceLevel.allCases == [.steps, .spikes, .packets])
        #expect(TraceLevel.steps < .spikes && TraceLevel.spikes < .packets && TraceLevel.steps < .packets)
        #expect(!(TraceLevel.packets < .packets))
        #expect(TraceLevel.allCases.sorted() == TraceLevel.allCases)
        #expect(TraceLevel.packets >= .spikes)
    }

    @Test func rawValuesAreTheCommandLineNames() {
        #expect(TraceLevel.allCases.map(\.rawValue) == ["steps", "spikes", "packets"])
        #expect(TraceLevel(rawValue: "packets") == .packets)
        #expect(TraceLevel(rawValue: "Packets") == nil)
    }
}
