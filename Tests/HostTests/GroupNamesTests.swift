import Chip
import Testing
@testable import Host

/// Name lookups of a network file's inputs and populations (what projections and probes name).
struct GroupNamesTests {
    private static func population(_ name: String, _ size: Int) -> PopulationDescription {
        PopulationDescription(name: name, size: size, neurons: Array(repeating: LoihiNeuron.Parameters(vth: 1), count: size),
                              initialU: Array(repeating: 0, count: size), initialV: Array(repeating: 0, count: size))
    }

    @Test func namesFindTheirIndexAndSize() {
        let groups = GroupNames(
            inputs: [InputDescription(name: "in", size: 4, source: .poisson(probability: [0.1])), InputDescription(name: "cue", size: 2, source: .poisson(probability: [0.1]))],
            populations: [Self.population("a", 3), Self.population("b", 5)])
        #expect(groups.input(named: "cue") == 1 && groups.input(named: "a") == nil)
        #expect(groups.population(named: "b") == 1 && groups.population(named: "in") == nil)
        #expect(groups.size(named: "in") == 4 && groups.size(named: "b") == 5 && groups.size(named: "missing") == nil)
    }

    /// A name used twice (refused elsewhere) finds its first holder, as a search in file order
    /// would; an input shadows a population of its name for sizes.
    @Test func theFirstOfEqualNamesWins() {
        let groups = GroupNames(
            inputs: [InputDescription(name: "x", size: 7, source: .poisson(probability: [0.1]))],
            populations: [Self.population("p", 3), Self.population("p", 9), Self.population("x", 2)])
        #expect(groups.population(named: "p") == 0)
        #expect(groups.size(named: "x") == 7 && groups.population(named: "x") == 2)
    }

    /// Of two inputs of one name (refused elsewhere) the first wins as well, for its index and
    /// its size.
    @Test func theFirstOfEqualInputNamesWins() {
        let groups = GroupNames(
            inputs: [InputDescription(name: "in", size: 4, source: .poisson(probability: [0.1])), InputDescription(name: "in", size: 6, source: .poisson(probability: [0.1]))],
            populations: [Self.population("a", 3)])
        #expect(groups.input(named: "in") == 0)
        #expect(groups.size(named: "in") == 4)
    }
}
