import Chip
import Testing
@testable import Host

@Suite struct MappingReportTests {
    /// A, B and C pack onto core 0 of `tiny` (3 + 2 + 59 neurons); C's last 5 neurons open core 1.
    static func packedSimulation() throws -> Simulation {
        let network = try NetworkFile.parse("""
            { "format": "neuroemu-network/1", "name": "packed", "steps": 5,
              "inputs": [{ "name": "in", "size": 4, "poisson": { "probability": 0.2 } }],
              "populations": [
                { "name": "A", "size": 3, "neuron": { "model": "loihi_lif", "vth": 100 } },
                { "name": "B", "size": 2, "neuron": { "model": "loihi_lif", "vth": 100 } },
                { "name": "C", "size": 64, "neuron": { "model": "loihi_lif", "vth": 100 } }
              ],
              "projections": [
                { "name": "in_A", "source": "in", "target": "A", "all_to_all": { "weight": 10 } },
                { "name": "A_C", "source": "A", "target": "C", "all_to_all": { "weight": 10 } }
              ] }
            """, file: "packed.json")
        return try Simulation(network: network, chip: ChipPresets.resolve("tiny"), placement: .inOrder)
    }

    @Test func eachCoreListsAllItsSlicesInOrder() throws {
        let report = MappingReport(simulation: try Self.packedSimulation())
        let lines = report.render().split(separator: "\n").map(String.init)
        #expect(lines[0] == "network packed on chip tiny: 2 of 8 cores on 1 tile")
        #expect(lines[2].hasPrefix("0     (0, 0)    64 100.0 %"))
        #expect(lines[2].hasSuffix(" A[0…2] B[0…1] C[0…58]"))
        #expect(lines[3].hasSuffix(" C[59…63]"))
        // A's three neurons each reach C on both cores: 6 output axons, all on core 0.
        #expect(report.simulation.usage.map(\.outputAxons) == [6, 0])
        // Input axons: in[0…3] and A[0…2] on core 0, A[0…2] again on core 1. Synapse bits (14 per
        // synapse): core 0 has 4 rows of 3 (128 bits each) and 3 rows of 59 (64 + 826 → 896),
        // core 1 3 rows of 5 (64 + 70 → 192): 512 + 2,688 + 576 = 3,776.
        #expect(lines[4] == "total neurons 69, synapses 204, input axons 10, output axons 6, synapse bits 3776")
    }

    /// The placement line says what its traffic counts: one round of spikes, or the spikes of
    /// the run `--rates` measured.
    @Test func placementLineNamesItsTraffic() throws {
        let simulation = try Self.packedSimulation()
        #expect(MappingReport(simulation: simulation).render().contains("per round of spikes (in-order"))
        let rates = SpikeRates(network: "packed", steps: 5, inputs: ["in": [1, 2, 3, 4]], populations: ["A": [1, 1, 1], "B": [0, 0], "C": Array(repeating: 2, count: 64)])
        let rated = try Simulation(network: simulation.network, chip: simulation.chip, rates: rates)
        #expect(rated.trafficFromRates && !simulation.trafficFromRates)
        #expect(MappingReport(simulation: rated).render().contains("over the --rates run's spikes (in-order"))
        // The JSON says the same in its `traffic` key.
        for (simulation, traffic) in [(simulation, "round"), (rated, "rates")] {
            let root = JSONNode(value: try JSONParser.parse(MappingReport(simulation: simulation).json(), file: "map.json"), file: "map.json")
            let top = try root.object(allowedKeys: ["format", "network", "chip", "limits", "cores", "packing", "max_neurons_per_core", "constraints", "placement", "quantization"])
            let placement = try top.required("placement").object(allowedKeys: ["method", "traffic_hops", "traffic_hops_in_order", "traffic"])
            #expect(try placement.string("traffic") == traffic)
            #expect(try placement.string("method") == simulation.placementName)
            #expect(try top.string("packing") == "packed" && top.optional("max_neurons_per_core")?.value == .null)
        }
        // What the mapping ran with: packing and the neuron cap.
        let apart = try Simulation(network: simulation.network, chip: simulation.chip, placement: .inOrder, packing: .onePopulationPerCore, maxNeuronsPerCore: 40)
        let root = JSONNode(value: try JSONParser.parse(MappingReport(simulation: apart).json(), file: "map.json"), file: "map.json")
        let top = try root.object(allowedKeys: ["format", "network", "chip", "limits", "cores", "packing", "max_neurons_per_core", "constraints", "placement", "quantization"])
        #expect(try top.string("packing") == "population" && top.int("max_neurons_per_core") == 40)
        #expect(try top.required("placement").object(allowedKeys: ["method", "traffic_hops", "traffic_hops_in_order", "traffic"]).string("method") == "inorder")
    }

    /// The JSON form: tiles and slices as objects, both core numbers, all six limits.
    @Test func jsonHasStructuredCoresAndEveryLimit() throws {
        let report = MappingReport(simulation: try Self.packedSimulation())
        let root = try JSONParser.parse(report.json(), file: "map.json")
        func member(_ value: JSONValue, _ key: String) -> JSONValue? {
            if case .object(let members) = value { members.first { $0.key == key }?.value } else { nil }
        }
        #expect(member(root, "format") == .string("neuroemu-map/2"))
        let limits: JSONValue = .object([
            JSONMember(key: "neurons", value: .integer(64)), JSONMember(key: "input_axons", value: .integer(256)),
            JSONMember(key: "output_axons", value: .integer(256)), JSONMember(key: "synapse_memory_bits", value: .integer(65_536)),
            JSONMember(key: "weight_bits", value: .integer(8)), JSONMember(key: "delay_slots", value: .integer(16)),
        ])
        #expect(member(root, "limits") == limits)
        guard case .array(let cores)? = member(root, "cores"), cores.count == 2 else {
            Issue.record("cores missing")
            return
        }
        func slice(_ population: String, _ first: Int64, _ count: Int64) -> JSONValue {
            .object([JSONMember(key: "population", value: .string(population)), JSONMember(key: "first", value: .integer(first)), JSONMember(key: "count", value: .integer(count))])
        }
        #expect(member(cores[0], "slices") == .array([slice("A", 0, 3), slice("B", 0, 2), slice("C", 0, 59)]))
        #expect(member(cores[1], "slices") == .array([slice("C", 59, 5)]))
        #expect(member(cores[0], "tile") == .object([JSONMember(key: "x", value: .integer(0)), JSONMember(key: "y", value: .integer(0))]))
        #expect(cores.map { member($0, "core") } == [.integer(0), .integer(1)] && cores.map { member($0, "mesh_core") } == [.integer(0), .integer(1)])
        #expect(cores.map { member($0, "neurons") } == [.integer(64), .integer(5)])
    }

    @Test(arguments: [(0.0009734098313128048, "0.000973"), (0.5, "0.500"), (1.2345, "1.23"), (12.345, "12.3"), (1234.5, "1235"), (0, "0")])
    func errorsArePrintedWithThreeSignificantDigits(value: Double, text: String) {
        #expect(MappingReport.significant(value, 3) == text)
    }
}
