import Testing
@testable import Host

/// The waveform's time unit: the coarsest power-of-ten unit that divides a cycle, or 1 fs with
/// cycles rounded to it.
@Suite struct VCDTimescaleTests {
    @Test(arguments: [(10_000_000_000, "100 ps", 1, true), (100_000_000, "10 ns", 1, true), (4_000_000_000, "10 ps", 25, true),
                      (2_000_000, "100 ns", 5, true), (1, "1 s", 1, true), (1_000_000_000_000, "1 ps", 1, true),
                      (3_000_000_000, "1 fs", 333_333, false), (6_000_000_000, "1 fs", 166_667, false)] as [(Int64, String, UInt64, Bool)])
    func timescaleIsTheCoarsestUnitThatDividesACycle(clock: Int64, text: String, unitsPerCycle: UInt64, exact: Bool) {
        let timescale = VCDTimescale(clockHertz: clock)
        #expect(timescale.description == text)
        #expect(timescale.unitsPerCycle == unitsPerCycle)
        #expect(timescale.isExact == exact)
    }

    @Test func loihiPresetTimescaleIsOneHundredPicoseconds() throws {
        let loihi = try ChipPresets.resolve("loihi")
        #expect(VCDTimescale(clockHertz: loihi.clockHertz).description == "100 ps")
        #expect(VCDTimescale(clockHertz: loihi.clockHertz).unitsPerCycle == 1)
    }
}
