import Router
import Testing
@testable import Chip

@Suite struct PulledStepsTests {
    /// Each neuron's entries come ordered by destination core, those of one core in the
    /// neuron's own order (the synapse units' clocks depend on no other order).
    @Test func axonTableOrdersEntriesByCoreKeepingEachCoresOrder() {
        let network = RandomNetwork(seed: 71, cores: 7, steps: 1)
        let cores = network.programs.map(Core.init(program:))
        let storage = PulledTableStorage(cores: cores, coreEndpoints: network.endpoints, hostEndpoint: 0, inputStart: [0], inputCore: [], inputAxon: [])
        let table = storage.tables
        #expect(table.axons.count == cores.reduce(0) { $0 + $1.outputAxonCount })
        #expect(Array(table.coreEndpoints) == network.endpoints)
        var multipleToOneCore = 0
        for (index, core) in cores.enumerated() {
            for neuron in 0..<core.neuronCount {
                let own = core.outputAxons.range(of: neuron).map { core.outputAxons[$0] }
                let expected = own.enumerated().sorted { ($0.element.core, $0.offset) < ($1.element.core, $1.offset) }
                    .map { UInt32($0.element.core) << 16 | UInt32($0.element.axon) }
                let row = Int(table.neuronBase[index]) + neuron
                #expect(Array(table.axons[Int(table.axonStart[row])..<Int(table.axonStart[row + 1])]) == expected)
                multipleToOneCore += own.count - Set(own.map(\.core)).count
            }
        }
        #expect(multipleToOneCore > 0)  // the order within one core is exercised
    }
}
