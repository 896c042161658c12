import Testing
@testable import Chip

@Suite struct EventClassTests {
    @Test func rawValuesIndexTheCountAndCostArrays() {
        #expect(EventClass.allCases.map(\.rawValue) == Array(0..<EventClass.allCases.count))
    }

    @Test func keys() {
        #expect(EventClass.allCases.map(\.key) == [
            "synaptic_op", "neuron_update_active", "neuron_update_inactive", "spike_out", "packet",
            "flit_hop_east_west", "flit_hop_north_south", "stdp_update", "barrier", "flit_hop_inter_chip",
        ])
        #expect(Set(EventClass.allCases.map(\.key)).count == EventClass.allCases.count)
    }
}
