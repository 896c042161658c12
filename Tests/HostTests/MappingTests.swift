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

    /// The one-pass tables give what a filter per population or per core gives.
    @Test func slicesByPopulationAndByCoreMatchTheFilters() {
        let mixed = Mapping(
            slices: [
                Slice(population: 1, start: 0, count: 2, core: 0),
                Slice(population: 0, start: 0, count: 1, core: 0, coreOffset: 2),
                Slice(population: 1, start: 2, count: 3, core: 2),
                Slice(population: 0, start: 1, count: 4, core: 1),
            ],
            coreEndpoints: [0, 1, 2], coreNeuronCounts: [3, 4, 3])
        #expect(mixed.slicesByPopulation(populationCount: 3) == (0..<3).map { mixed.slices(of: $0) })
        #expect(mixed.slicesByPopulation(populationCount: 3).map { $0.map(\.start) } == [[0, 1], [0, 2], []])
        #expect(mixed.slicesByCore(coreCount: 4) == (0..<4).map { core in mixed.slices.filter { $0.core == core } })
        #expect(mixed.slicesByCore(coreCount: 4).map(\.count) == [2, 1, 1, 0])
    }

    @Test func sliceDefaultsToTheStartOfItsCore() {
        #expect(Slice(population: 1, start: 4, count: 2, core: 3).coreOffset == 0)
    }
}
