/// The sign mode of a projection's weights, which fixes how Loihi stores them (Lava's Dense).
public enum SignMode: String, Sendable, CaseIterable {
    /// All weights ≥ 0: 8 bits of magnitude, 0…255.
    case excitatory
    /// All weights ≤ 0: 8 bits of magnitude, −255…0.
    case inhibitory
    /// Weights of both signs: one bit goes to the sign, −256…255.
    case mixed

    /// The sign mode implied by a weight matrix: excitatory if all ≥ 0, inhibitory if all ≤ 0
    /// (an all-zero matrix counts as excitatory), otherwise mixed.
    @inlinable  // specialized in the caller: unspecialized, the generic iteration cost ~1,000 instructions per weight
    public static func inferred<S: Sequence>(from weights: S) -> SignMode where S.Element == Int {
        var anyPositive = false
        var anyNegative = false
        for weight in weights {
            if weight > 0 { anyPositive = true }
            if weight < 0 { anyNegative = true }
        }
        if anyNegative && anyPositive { return .mixed }
        return anyNegative ? .inhibitory : .excitatory
    }

    /// The 8-bit range a weight is clipped to.
    public var weightRange: ClosedRange<Int> {
        switch self {
        case .excitatory: 0...255
        case .inhibitory: -255...0
        case .mixed: -256...255
        }
    }

    /// The weight the chip actually stores: clipped to `weightRange`, then the low
    /// `8 − numWeightBits` bits (one more in mixed mode, whose sign takes a bit) dropped —
    /// flooring for excitatory and mixed, toward zero for inhibitory (negate, floor, negate).
    ///
    /// - Parameter numWeightBits: 1…8 bits of weight precision.
    public func effectiveWeight(_ weight: Int, numWeightBits: Int) -> Int {
        let clipped = min(max(weight, weightRange.lowerBound), weightRange.upperBound)
        let dropped = 8 - numWeightBits + (self == .mixed ? 1 : 0)
        switch self {
        case .excitatory, .mixed:
            return (clipped >> dropped) << dropped
        case .inhibitory:
            return -(((-clipped) >> dropped) << dropped)
        }
    }
}

/// How Dense synapses scale a projection's summed input: the weight exponent is applied to the
/// sum over the sources that spiked, per projection and target, flooring for negative exponents.
public enum WeightExponent {
    /// Valid exponents, as on Loihi.
    public static let range: ClosedRange<Int> = -8...7

    /// `sum << exponent`, or a flooring `sum >> −exponent` when the exponent is negative.
    @inline(__always)
    public static func scale(_ sum: Int32, exponent: Int32) -> Int32 {
        exponent >= 0 ? sum << exponent : sum >> -exponent
    }
}
