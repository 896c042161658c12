import Testing
@testable import Host

@Suite struct MappingTests {
    private let mapping = Mapping(
        slices: [
            Slice(population: 0, start: 0, count: 2, core: 0),
            Slice(population: 0, start: 2, count: 1, core: 1),
            Slice(population: 1, start: 0, count: 2, core: 2, coreOffset: 3),
        ],
        coreEndpoints: [0, 1, 5],
        coreNeuronCounts: [2, 1, 5])

    @Test func locatorMapsEveryNeuronToItsCoreAndLocalIndex() {
        let locator = mapping.locator(populationCount: 3)
        #expect(locator[0].map { [$0.core, $0.local] } == [[0, 0], [0, 1], [1, 0]])
        #expect(locator[1].map { [$0.core, $0.local] } == [[2, 3], [2, 4]])
        #expect(locator[2].isEmpty)
    }

    @Test func slicesOfOnePopulationInNeuronOrder() {
        #expect(mapping.slices(of: 0) == [Slice(population: 0, start: 0, count: 2, core: 0), Slice(population: 0, start: 2, count: 1, core: 1)])
        #expect(mapping.slices(of: 1).map(\.coreOffset) == [3])
        #expect(mapping.slices(of: 7).isEmpty)
    }

    @Test func sliceDefaultsToTheStartOfItsCore() {
        #expect(Slice(population: 1, start: 4, count: 2, core: 3).coreOffset == 0)
    }
}
