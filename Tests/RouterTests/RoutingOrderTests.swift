import Testing
@testable import Router

@Suite struct RoutingOrderTests {
    @Test func rawValuesAreChipFileKeys() {
        #expect(RoutingOrder.allCases.map(\.rawValue) == ["xy", "yx"])
        #expect(RoutingOrder(rawValue: "xy") == .xy)
        #expect(RoutingOrder(rawValue: "XY") == nil)
    }
}
