import Testing
@testable import Host

@Suite struct SampleInputTests {
    static let samples = SampleSet(features: [0, 4, 8, 3, 4, 0], labels: [1, 0], featureCount: 3)

    @Test func maximumNormalizationScalesByOneNumber() {
        let input = SampleInput(file: "s.csv", samples: Self.samples, probability: 0.5, normalization: .maximum, featureMaximum: 8, labelColumn: nil)
        #expect(input.probabilities(sample: 0) == [0, 0.25, 0.5])
        #expect(input.probabilities(sample: 1) == [0.1875, 0.25, 0])
    }

    @Test func l2NormalizationGivesEverySampleTheSameNorm() {
        let input = SampleInput(file: "s.csv", samples: Self.samples, probability: 1, normalization: .l2, featureMaximum: 8, labelColumn: nil)
        // ‖(3, 4, 0)‖ = 5.
        #expect(input.probabilities(sample: 1) == [0.6, 0.8, 0])
        let first = input.probabilities(sample: 0)
        #expect(abs(first.reduce(0) { $0 + $1 * $1 } - 1) < 1e-12)
        // Features whose squares overflow or vanish keep their norm: (a, a, 0) gives 1/√2 each.
        for a in [1e200, 1e-200] {
            let extreme = SampleInput(
                file: "s.csv", samples: SampleSet(features: [a, a, 0], labels: [0], featureCount: 3), probability: 1, normalization: .l2,
                featureMaximum: a, labelColumn: nil)
            let probabilities = extreme.probabilities(sample: 0)
            #expect(probabilities.map { abs($0 - 0.5.squareRoot()) < 1e-15 } == [true, true, false], "\(a)")
        }
    }

    @Test func probabilitiesAreClampedToOne() {
        let input = SampleInput(file: "s.csv", samples: Self.samples, probability: 1, normalization: .maximum, featureMaximum: 2, labelColumn: nil)
        #expect(input.probabilities(sample: 0) == [0, 1, 1])
    }

    @Test func onOffEncodingAddsTheComplementAfterTheFeatures() {
        let maximum = SampleInput(file: "s.csv", samples: Self.samples, probability: 1, normalization: .maximum, featureMaximum: 8, labelColumn: nil, encoding: .onOff)
        #expect(maximum.neuronCount == 6)
        #expect(maximum.probabilities(sample: 0) == [0, 0.5, 1, 1, 0.5, 0])
        #expect(maximum.probabilities(sample: 1) == [0.375, 0.5, 0, 0.625, 0.5, 1])
        let l2 = SampleInput(file: "s.csv", samples: Self.samples, probability: 1, normalization: .l2, featureMaximum: 8, labelColumn: nil, encoding: .onOff)
        // (0, 4, 8, 8, 4, 0): norm √160; the six values share one scale.
        let first = l2.probabilities(sample: 0)
        #expect(first.count == 6)
        #expect(abs(first.reduce(0) { $0 + $1 * $1 } - 1) < 1e-12)
        #expect(first[1] == first[4] && first[2] == first[3] && first[0] == 0 && first[5] == 0)
    }
}
