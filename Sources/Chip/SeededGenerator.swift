/// A small, fast, seedable random number generator (SplitMix64).
///
/// Every random choice in NeuroEmu (Poisson inputs, random connectivity, stochastic rounding)
/// draws from one of these with a seed derived from the network seed, so runs repeat exactly.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose stream is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// A generator for one stream of a run: mixing in `stream` keeps streams independent.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SeededGenerator(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        state = mixer.next()
    }

    /// The next 64 random bits of the stream.
    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `range`: Lemire's multiply-and-reject, the draw the standard
    /// library's `Int.random(in:using:)` makes in Swift 6, written here because Swift does not
    /// promise to keep that algorithm, and network files that draw weights or fixed-in-degree
    /// sources must give the same synapses on every toolchain.
    public mutating func nextInteger(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound))
        if span == .max { return Int(truncatingIfNeeded: next()) }
        let bound = span &+ 1
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            // Values below 2^64 mod bound would make some results likelier: draw again.
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return range.lowerBound &+ Int(truncatingIfNeeded: product.high)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }
}
