import Testing
@testable import Chip

@Suite struct ResetModeTests {
    @Test func rawValues() {
        #expect(ResetMode.allCases.map(\.rawValue) == ["zero", "subtract"])
        #expect(ResetMode(rawValue: "subtract") == .subtract)
    }
}
