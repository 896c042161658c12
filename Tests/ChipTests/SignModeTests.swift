import Testing
@testable import Chip

@Suite struct SignModeTests {
    @Test(arguments: [
        ([1, 2, 0, 255], SignMode.excitatory), ([0, 0, 0], .excitatory), ([], .excitatory), ([7], .excitatory),
        ([-1, 0, -255], .inhibitory), ([-3], .inhibitory),
        ([1, -1], .mixed), ([0, 5, 0, -5, 0], .mixed), ([-300, 300], .mixed),
    ] as [([Int], SignMode)])
    func inference(weights: [Int], expected: SignMode) {
        #expect(SignMode.inferred(from: weights) == expected)
    }

    @Test func inferenceAcceptsAnySequence() {
        #expect(SignMode.inferred(from: (-3...3).lazy.map { $0 }) == .mixed)
        #expect(SignMode.inferred(from: stride(from: 0, to: 100, by: 7)) == .excitatory)
    }

    @Test func weightRanges() {
        #expect(SignMode.excitatory.weightRange == 0...255)
        #expect(SignMode.inhibitory.weightRange == -255...0)
        #expect(SignMode.mixed.weightRange == -256...255)
    }

    @Test(arguments: [
        (SignMode.excitatory, 300, 255), (.excitatory, 256, 255), (.excitatory, -5, 0), (.excitatory, 255, 255),
        (.inhibitory, -300, -255), (.inhibitory, -256, -255), (.inhibitory, 5, 0), (.inhibitory, -255, -255),
        // mixed at 8 bits also drops one bit, so the clipped 255 becomes 254.
        (.mixed, 1000, 254), (.mixed, -1000, -256), (.mixed, -256, -256), (.mixed, -257, -256),
    ] as [(SignMode, Int, Int)])
    func clipping(mode: SignMode, weight: Int, expected: Int) {
        #expect(mode.effectiveWeight(weight, numWeightBits: 8) == expected)
    }

    /// Effective weights for num_weight_bits = 8, 7, …, 1 (index 0 is 8 bits).
    /// 183 = 0b1011_0111.
    @Test(arguments: [
        (SignMode.excitatory, 183, [183, 182, 180, 176, 176, 160, 128, 128]),
        (.inhibitory, -183, [-183, -182, -180, -176, -176, -160, -128, -128]),
        (.mixed, 183, [182, 180, 176, 176, 160, 128, 128, 0]),
        // floor(−183 / 2^k) · 2^k for k = 1…8
        (.mixed, -183, [-184, -184, -184, -192, -192, -192, -256, -256]),
        (.excitatory, 1, [1, 0, 0, 0, 0, 0, 0, 0]),
        (.inhibitory, -1, [-1, 0, 0, 0, 0, 0, 0, 0]),
        (.mixed, -1, [-2, -4, -8, -16, -32, -64, -128, -256]),
        (.mixed, 1, [0, 0, 0, 0, 0, 0, 0, 0]),
        (.excitatory, 255, [255, 254, 252, 248, 240, 224, 192, 128]),
        (.inhibitory, -255, [-255, -254, -252, -248, -240, -224, -192, -128]),
    ] as [(SignMode, Int, [Int])])
    func truncationPerBitWidth(mode: SignMode, weight: Int, expected: [Int]) {
        let actual = (1...8).reversed().map { mode.effectiveWeight(weight, numWeightBits: $0) }
        #expect(actual == expected)
    }

    @Test func designExamples() {
        #expect(SignMode.mixed.effectiveWeight(3, numWeightBits: 8) == 2)
        #expect(SignMode.inhibitory.effectiveWeight(-3, numWeightBits: 7) == -2)
        #expect(SignMode.excitatory.effectiveWeight(3, numWeightBits: 7) == 2)
        #expect(SignMode.excitatory.effectiveWeight(3, numWeightBits: 8) == 3)
        #expect(SignMode.mixed.effectiveWeight(-3, numWeightBits: 8) == -4)
    }

    @Test(arguments: SignMode.allCases)
    func effectiveWeightsStayInRangeAndAreIdempotent(mode: SignMode) {
        for bits in 1...8 {
            for weight in -300...300 {
                let effective = mode.effectiveWeight(weight, numWeightBits: bits)
                #expect(mode.weightRange.contains(effective))
                #expect(mode.effectiveWeight(effective, numWeightBits: bits) == effective)
                // Truncation never moves away from zero except mixed's flooring of negatives.
                if mode != .mixed { #expect(abs(effective) <= abs(weight)) }
            }
        }
    }

    @Test func rawValuesAreFileKeys() {
        #expect(SignMode.allCases.map(\.rawValue) == ["excitatory", "inhibitory", "mixed"])
    }
}

@Suite struct WeightExponentTests {
    @Test(arguments: [
        (Int32(5), Int32(2), Int32(20)), (5, 0, 5), (-5, 3, -40), (0, 7, 0), (1, 7, 128),
        (3, -1, 1), (-3, -1, -2), (2, -1, 1), (-2, -1, -1), (-1, -8, -1), (255, -8, 0), (256, -8, 1), (-257, -8, -2),
    ] as [(Int32, Int32, Int32)])
    func scale(sum: Int32, exponent: Int32, expected: Int32) {
        #expect(WeightExponent.scale(sum, exponent: exponent) == expected)
    }

    @Test func range() {
        #expect(WeightExponent.range == -8...7)
    }
}
