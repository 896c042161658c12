import Testing
@testable import Router

@Suite struct RouterFidelityTests {
    @Test func rawValuesAreChipFileKeys() {
        #expect(RouterFidelity.allCases.first == .ideal)
        #expect(RouterFidelity.ideal.rawValue == "ideal")
        #expect(RouterFidelity.allCases.allSatisfy { RouterFidelity(rawValue: $0.rawValue) == $0 })
        #expect(RouterFidelity(rawValue: "Ideal") == nil)
    }
}
