import Foundation
import Chip
import Testing
@testable import Host

@Suite struct NetworkDescriptionTests {
    private func projection(_ delays: [Int32]) -> ProjectionDescription {
        ProjectionDescription(
            name: "p", source: 0, sourceIsInput: true, target: 0,
            synapses: delays.map { SynapseDescription(source: 0, target: 0, weight: 1, delay: $0) },
            signMode: .excitatory, weightExponent: 0, numWeightBits: 8)
    }

    @Test func countsAddUpOverParts() {
        let network = NetworkDescription(
            name: "n", steps: 3, seed: 1,
            inputs: [InputDescription(name: "a", size: 2, source: .spikeTimes([[], []])), InputDescription(name: "b", size: 5, source: .poisson(probability: Array(repeating: 0, count: 5)))],
            populations: [
                PopulationDescription(name: "A", size: 3, neurons: Array(repeating: LoihiNeuron.Parameters(vth: 1), count: 3), initialU: [0, 0, 0], initialV: [0, 0, 0]),
                PopulationDescription(name: "B", size: 1, neurons: [LoihiNeuron.Parameters(vth: 1)], initialU: [0], initialV: [0]),
            ],
            projections: [projection([1, 2]), projection([4])],
            probes: [])
        #expect(network.inputNeuronCount == 7)
        #expect(network.neuronCount == 4)
        #expect(network.synapseCount == 3)
    }

    /// Input `in` (2, spike times), population `A` (3), one projection in → A, a probe of A.
    private func small() -> NetworkDescription {
        NetworkDescription(
            name: "coded", steps: 3, seed: 1,
            inputs: [InputDescription(name: "in", size: 2, source: .spikeTimes([[1], []]))],
            populations: [PopulationDescription(name: "A", size: 3, neurons: Array(repeating: LoihiNeuron.Parameters(vth: 10), count: 3), initialU: [0, 0, 0], initialV: [0, 0, 0])],
            projections: [ProjectionDescription(
                name: "in_A", source: 0, sourceIsInput: true, target: 0,
                synapses: [SynapseDescription(source: 1, target: 2, weight: 5, delay: 1)], signMode: .excitatory, weightExponent: 0, numWeightBits: 8)],
            probes: [ProbeDescription(population: 0, variables: [.v], indices: [0, 2])])
    }

    /// Ways to break `small()`, each with the path and rule it is reported by.
    enum Breakage: String, CaseIterable, Sendable {
        case noSuchTarget, noSuchSource, synapseSource, synapseTarget, delayZero, neuronsShort, poissonShort, probeIndex, probePopulation
        case nameWithASpace, nameUsedTwice

        func apply(to n: inout NetworkDescription) {
            switch self {
            case .noSuchTarget: n.projections[0].target = 1
            case .noSuchSource: n.projections[0].source = 3
            case .synapseSource: n.projections[0].synapses[0].source = 2
            case .synapseTarget: n.projections[0].synapses[0].target = 9
            case .delayZero: n.projections[0].synapses[0].delay = 0
            case .neuronsShort: n.populations[0].size = 4
            case .poissonShort: n.inputs[0].source = .poisson(probability: [0.1, 0.2, 0.3])
            case .probeIndex: n.probes[0].indices = [0, 3]
            case .probePopulation: n.probes[0].population = 1
            case .nameWithASpace: n.populations[0].name = "A B"
            case .nameUsedTwice: n.populations[0].name = "in"
            }
        }

        var reported: (path: String, rule: String) {
            switch self {
            case .noSuchTarget: ("$.projections[0].target", "population 1 does not exist: the network has 1")
            case .noSuchSource: ("$.projections[0].source", "input 3 does not exist: the network has 1")
            case .synapseSource: ("$.projections[0].synapses[0].source", "must be in 0…1, got 2")
            case .synapseTarget: ("$.projections[0].synapses[0].target", "must be in 0…2, got 9")
            case .delayZero: ("$.projections[0].synapses[0].delay", "must be in 1…62 steps, got 0")
            case .neuronsShort: ("$.populations[0].neuron", "must have one value per neuron: 4, got 3")
            case .poissonShort: ("$.inputs[0].poisson.probability", "must be one value or one per neuron: 2, got 3")
            case .probeIndex: ("$.probes[0].indices", "must be in 0…2, got 3")
            case .probePopulation: ("$.probes[0].population", "population 1 does not exist: the network has 1")
            case .nameWithASpace: ("$.populations[0].name", "must be a name of 1 to 64 ASCII letters, digits, '_', '-' or '.', not starting with a digit; got \"A B\"")
            case .nameUsedTwice: ("$.populations[0].name", "name \"in\" is already used; names of inputs and populations must be unique")
            }
        }
    }

    /// A network built in code is checked as a file would be: the first broken rule, by path,
    /// and `Simulation` throws it instead of stopping on an index out of range.
    @Test(arguments: Breakage.allCases)
    func structureOfANetworkBuiltInCode(breakage: Breakage) throws {
        var network = small()
        try network.checkStructure()
        breakage.apply(to: &network)
        let expected = ConfigError.invalid(file: "network `coded`", path: breakage.reported.path, rule: breakage.reported.rule)
        #expect(throws: expected) { try network.checkStructure() }
        #expect(throws: MappingError.invalidNetwork(expected)) { try Simulation(network: network, chip: ChipPresets.resolve("tiny")) }
    }

    /// A schedule, a classifier and a teacher built in code name inputs and populations by index.
    @Test func scheduleAndTeacherIndicesOfANetworkBuiltInCode() throws {
        let directory = try FourPatterns.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let network = try FourPatterns.network(in: directory)
        try network.checkStructure()
        let file = "network `\(network.name)`"
        var presentsTheTeacher = network
        presentsTheTeacher.schedule?.input = 1
        #expect(throws: ConfigError.invalid(file: file, path: "$.schedule", rule: "presents input 1, which is not a samples input")) { try presentsTheTeacher.checkStructure() }
        var classifiesNothing = network
        classifiesNothing.schedule?.classifier?.population = 7
        #expect(throws: ConfigError.invalid(file: file, path: "$.schedule.classify.population", rule: "population 7 does not exist: the network has 1")) { try classifiesNothing.checkStructure() }
        var teachesItself = network
        teachesItself.inputs[1].source = .teacher(TeacherInput(samplesInput: 1, probability: 1))
        #expect(throws: ConfigError.invalid(file: file, path: "$.inputs[1].teacher", rule: "follows input 1, which is not a samples input")) { try teachesItself.checkStructure() }
    }

    @Test func maximumDelay() {
        #expect(projection([1, 7, 3]).maximumDelay == 7)
        #expect(projection([]).maximumDelay == 1)
    }

    @Test func probeRecordsStateWhenItRecordsUOrV() {
        #expect(!ProbeDescription(population: 0, variables: [.spikes], indices: [0]).recordsState)
        #expect(ProbeDescription(population: 0, variables: [.u], indices: [0]).recordsState)
        #expect(ProbeDescription(population: 0, variables: [.spikes, .v], indices: [0]).recordsState)
        #expect(ProbeDescription.Variable.allCases.map(\.rawValue) == ["spikes", "u", "v"])
    }

    @Test func spikesCarryValuesOnlyForTernaryAndGradedNeurons() {
        func population(_ mode: SpikeMode) -> PopulationDescription {
            PopulationDescription(name: "P", size: 1, model: "neuroemu_lif", neurons: [LoihiNeuron.Parameters(vth: 1, spikeMode: mode)], initialU: [0], initialV: [0])
        }
        #expect(!population(.binary).spikesCarryValues)
        #expect(population(.ternary).spikesCarryValues)
        #expect(population(.graded).spikesCarryValues)
        #expect(PopulationDescription(name: "P", size: 1, neurons: [LoihiNeuron.Parameters(vth: 1)], initialU: [0], initialV: [0]).model == "loihi_lif")
    }
}
