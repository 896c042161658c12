/// An address-event packet: one spike of one source neuron, bound for one destination core.
///
/// The destination core finds the spike's synapses through `axon`, the index of the source in
/// its input-axon table, so the packet never carries neuron ids of another core.
public struct AERPacket: Sendable, Equatable {
    /// Sending endpoint: a core number, or `Mesh.hostEndpoint` for input spikes from the host.
    public var source: Int32
    /// Destination core number.
    public var destination: Int32
    /// Input-axon index in the destination core.
    public var axon: Int32
    /// Spike value carried to the synapses: 1 for a plain spike.
    public var payload: Int32
    /// Cycle, within the timestep, at which the packet enters the network.
    public var injectCycle: UInt32
    /// The spike this delivery belongs to, numbered within the step: with multicast, the
    /// deliveries of one spike (consecutive in the packet list) travel as one packet whose route
    /// tree branches at routers. −1 for a delivery that is its own packet.
    public var spike: Int32

    /// A packet of one spike (`payload` 1) from endpoint `source` to core `destination`, entering the
    /// network at `injectCycle` of its step; `spike` groups the deliveries of one multicast spike.
    public init(source: Int32, destination: Int32, axon: Int32, payload: Int32 = 1, injectCycle: UInt32, spike: Int32 = -1) {
        self.spike = spike
        self.source = source
        self.destination = destination
        self.axon = axon
        self.payload = payload
        self.injectCycle = injectCycle
    }
}

extension UnsafeBufferPointer<AERPacket> {
    /// Stops with a message when a packet's source or destination is not one of the `count`
    /// endpoints: the network models look endpoints up in tables without bounds checks.
    func checkEndpoints(count: Int) {
        let limit = UInt32(truncatingIfNeeded: count)
        // As unsigned numbers a negative endpoint is huge: the largest one decides, a max per packet.
        func largest(_ packet: AERPacket) -> UInt32 { Swift.max(UInt32(bitPattern: packet.source), UInt32(bitPattern: packet.destination)) }
        if reduce(0, { Swift.max($0, largest($1)) }) >= limit, let packet = first(where: { largest($0) >= limit }) {
            preconditionFailure("packet from endpoint \(packet.source) to \(packet.destination): the mesh's endpoints are 0..<\(count)")
        }
    }
}

/// What the network reports about one packet it delivered.
public struct PacketDelivery: Sendable, Equatable {
    /// Cycle, within the timestep, at which the packet reaches the destination core.
    public var arriveCycle: UInt32
    /// Router-to-router hops travelled.
    public var hops: UInt16

    /// A delivery at `arriveCycle` of the step after `hops` router-to-router hops.
    public init(arriveCycle: UInt32, hops: UInt16) {
        self.arriveCycle = arriveCycle
        self.hops = hops
    }
}
