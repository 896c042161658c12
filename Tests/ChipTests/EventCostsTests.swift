import Testing
@testable import Chip

@Suite struct EventCostsTests {
    @Test func defaultsToFreeAndStoresPerClass() {
        var costs = EventCosts()
        #expect(EventClass.allCases.allSatisfy { costs[$0] == EventCost(cycles: 0, energyFemtojoules: 0) })
        costs[.eastWestFlitHop] = EventCost(cycles: 4, energyFemtojoules: 3_000)
        costs[.northSouthFlitHop] = EventCost(cycles: 6, energyFemtojoules: 4_000)
        #expect(costs[.eastWestFlitHop] == EventCost(cycles: 4, energyFemtojoules: 3_000))
        #expect(costs[.northSouthFlitHop] == EventCost(cycles: 6, energyFemtojoules: 4_000))
        #expect(costs[.packet] == EventCost(cycles: 0, energyFemtojoules: 0))
        #expect(costs != EventCosts())
    }
}
