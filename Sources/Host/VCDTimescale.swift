/// The `$timescale` of a waveform: the VCD unit closest to one chip clock cycle, and how many of
/// those units one cycle lasts.
///
/// VCD (IEEE 1364-2005 §18.2.3.5) allows only 1, 10 or 100 of s, ms, us, ns, ps or fs. When the
/// cycle is exactly such a unit (`loihi`: 100 ps, `tiny`: 10 ns) one time unit is one cycle. When it
/// is a whole number of femtoseconds but no unit on its own (250 ps = 25 × 10 ps), the timescale
/// is the coarsest unit that divides it and times are cycles × `unitsPerCycle`. When it is not a
/// whole number of femtoseconds (3 GHz), the timescale is 1 fs and `unitsPerCycle` is the cycle
/// rounded to the nearest femtosecond: `isExact` is false and the file says so in a `$comment`.
public struct VCDTimescale: Sendable, Equatable, CustomStringConvertible {
    /// 1, 10 or 100.
    public let magnitude: Int
    /// `s`, `ms`, `us`, `ns`, `ps` or `fs`.
    public let unit: String
    /// VCD time units per chip cycle (1 unless the cycle is no single unit).
    public let unitsPerCycle: UInt64
    /// False when the cycle is not a whole number of femtoseconds and `unitsPerCycle` is rounded.
    public let isExact: Bool

    /// The text of the `$timescale` section, e.g. `10 ns`.
    public var description: String { "\(magnitude) \(unit)" }

    /// Femtoseconds per second.
    private static let femtosecondsPerSecond: UInt64 = 1_000_000_000_000_000

    /// The timescale for a chip clock of `clockHertz` (≥ 1).
    public init(clockHertz: Int64) {
        precondition(clockHertz >= 1, "the chip clock is validated to be positive")
        let clock = UInt64(clockHertz)
        let units = ["fs", "ps", "ns", "us", "ms", "s"]
        guard Self.femtosecondsPerSecond % clock == 0 else {
            magnitude = 1
            unit = "fs"
            let period = Self.femtosecondsPerSecond / clock
            let remainder = Self.femtosecondsPerSecond % clock
            unitsPerCycle = max(1, remainder * 2 >= clock ? period + 1 : period)
            isExact = false
            return
        }
        let period = Self.femtosecondsPerSecond / clock
        // The coarsest 10^k fs (k = 0…17, within 1 s as clock ≥ 1 Hz) that divides the period.
        var exponent = 0
        var size: UInt64 = 1
        while exponent < 17, period % (size * 10) == 0 {
            size *= 10
            exponent += 1
        }
        magnitude = [1, 10, 100][exponent % 3]
        unit = units[exponent / 3]
        unitsPerCycle = period / size
        isExact = true
    }
}
