import Testing
@testable import Chip

@Suite struct StepSummaryTests {
    @Test func defaultIsAnEmptyStep() {
        let summary = StepSummary()
        #expect(summary.timestep == 0 && summary.cycles == 0 && summary.energyFemtojoules == 0)
        #expect(summary.counts == EventCounts())
        #expect(summary.neuronSpikes == 0 && summary.inputSpikes == 0)
        var counts = EventCounts()
        counts[.packet] = 1
        #expect(StepSummary(counts: counts) != summary)
    }
}
