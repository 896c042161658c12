import Router

/// A timestep whose chip work is done — neurons updated, packets listed, weights added, rules
/// applied — and whose timing is not: the network has yet to time its packets, and so the
/// synapse units and the barrier.
///
/// The network never changes which spikes happen, only when packets arrive (DESIGN §2), so the
/// chip can run several steps ahead of the network, and the networks of those steps, each of
/// which starts from an empty mesh, can be timed on different threads (`ChipEngine.advance`,
/// `routeNetworks`, `complete`).
public struct PendingStep: Sendable {
    /// 1-based timestep.
    public let timestep: Int
    /// The step's packets in (origin, sequence) order.
    public let packets: [AERPacket]
    /// What the network did with each packet (filled by `ChipEngine.routeNetworks`).
    public internal(set) var deliveries: [PacketDelivery] = []
    /// Whether `deliveries`, the network counts and `lastSynapseCycle` are filled in.
    public internal(set) var isRouted = false

    /// The step's events so far (network events are added when it is routed).
    var counts: EventCounts
    let neuronSpikes: Int
    let inputSpikes: Int
    /// Cycle the last core finished its neuron phase, and the learning phase's length.
    let lastNeuronCycle: UInt32
    let learningCycles: UInt32
    /// Packet indices grouped by destination core (`deliveryStart[c]..<deliveryStart[c + 1]`
    /// of `deliveryOrder`), and the synapses each packet reached, by packet index.
    let deliveryStart: [Int32]
    let deliveryOrder: [Int32]
    let synapseCounts: [UInt32]
    /// Cycle the last synapse unit finished (filled when routed).
    var lastSynapseCycle: UInt32 = 0
}
