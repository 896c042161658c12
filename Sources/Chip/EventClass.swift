/// Every kind of event the chip counts; each has a price in cycles and femtojoules.
public enum EventClass: Int, Sendable, CaseIterable {
    /// One synapse processed: a weight added into an input accumulator.
    case synapticOp = 0
    /// One neuron update whose state or input was non-zero.
    case neuronUpdateActive
    /// One neuron update of a neuron at rest with no input and no bias (a no-op the chip still visits).
    case neuronUpdateInactive
    /// One spike emitted by a neuron (before fan-out into packets).
    case spikeOut
    /// One packet through the network: leaving its source core and entering its destination core.
    case packet
    /// One flit over one east–west link.
    case eastWestFlitHop
    /// One flit over one north–south link.
    case northSouthFlitHop
    /// One synaptic weight update by a learning rule.
    case stdpUpdate
    /// One mesh-wide timestep barrier.
    case barrier
    /// One flit over one link between two chips of a board.
    case interChipFlitHop

    /// The key used in chip files, reports and summaries.
    public var key: String {
        switch self {
        case .synapticOp: "synaptic_op"
        case .neuronUpdateActive: "neuron_update_active"
        case .neuronUpdateInactive: "neuron_update_inactive"
        case .spikeOut: "spike_out"
        case .packet: "packet"
        case .eastWestFlitHop: "flit_hop_east_west"
        case .northSouthFlitHop: "flit_hop_north_south"
        case .stdpUpdate: "stdp_update"
        case .barrier: "barrier"
        case .interChipFlitHop: "flit_hop_inter_chip"
        }
    }
}
