import Testing
@testable import Chip

@Suite struct SpikeModeTests {
    @Test func rawValuesAndPayloadLimit() {
        #expect(SpikeMode.allCases.map(\.rawValue) == ["binary", "ternary", "graded"])
        #expect(SpikeMode.maximumPayload == 32_767)
        // weight × payload stays within Int32 for every 8-bit weight, even pre-shifted by 7.
        #expect(Int64(SpikeMode.maximumPayload) * (256 << 7) < Int64(Int32.max))
    }
}
