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
    }

    @Test func probabilitiesAreClampedToOne() {
        let input = SampleInput(file: "s.csv", samples: Self.samples, probability: 1, normalization: .maximum, featureMaximum: 2, labelColumn: nil)
        #expect(input.probabilities(sample: 0) == [0, 1, 1])
    }
}
