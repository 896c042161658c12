/// SplitMix64, the seeded generator of synthetic traffic. Router cannot import Chip's
/// `SeededGenerator`; this is the same algorithm, so the same seed gives the same stream.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (multiply-high; bias below 2^-50 for meshes we model).
    @inline(__always)
    mutating func next(below bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// The threshold `t` such that `next() < t` has probability `p` (0…1), to 2^-64.
    static func threshold(probability p: Double) -> UInt64? {
        if p >= 1 { return nil }
        if p <= 0 { return 0 }
        return UInt64(p * 18_446_744_073_709_551_616.0)
    }
}
