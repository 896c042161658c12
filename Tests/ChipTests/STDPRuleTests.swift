import Testing
@testable import Chip

@Suite struct STDPRuleTests {
    static let stdp = STDPRule(
        preImpulse: 64, postImpulse: 64, preDecay: 820, postDecay: 820, potentiation: 16, depression: 24,
        minimumWeight: 0, maximumWeight: 255)

    @Test func defaultsAndLimits() {
        #expect(Self.stdp.epoch == 1)
        #expect(STDPRule.traceLimit == 127)
    }

    @Test(arguments: [
        (SignMode.excitatory, 8, 0), (.excitatory, 6, 2), (.inhibitory, 8, 0), (.inhibitory, 1, 7), (.mixed, 8, 1), (.mixed, 5, 4),
    ] as [(SignMode, Int, Int)])
    func granularityIsTheDroppedBitCount(mode: SignMode, bits: Int, expected: Int) {
        #expect(LearningRule(stdp: Self.stdp, signMode: mode, numWeightBits: bits, storedShift: 0).granularity == expected)
    }

    @Test func storedWeightTruncatesThenShifts() {
        let rule = LearningRule(stdp: Self.stdp, signMode: .excitatory, numWeightBits: 6, storedShift: 2)
        #expect(rule.storedWeight(183) == 180 << 2)
        #expect(rule.storedWeight(300) == 252 << 2)  // clipped to 255, then 2 bits dropped
        #expect(rule.storedWeight(-7) == 0)
        let mixed = LearningRule(stdp: Self.stdp, signMode: .mixed, numWeightBits: 8, storedShift: 0)
        #expect(mixed.storedWeight(-3) == -4)
        #expect(mixed.storedWeight(3) == 2)
    }
}
