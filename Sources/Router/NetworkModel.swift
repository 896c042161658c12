/// A timing model of the network-on-chip. The chip hands it each timestep's packets and gets
/// back when each one arrives; models differ in fidelity, never in which packets arrive.
public protocol NetworkModel: Sendable {
    var mesh: Mesh { get }
    var timing: NetworkTiming { get }
    var routing: RoutingOrder { get }
    /// Counters accumulated over every `route` call so far.
    var counters: NetworkCounters { get }
    /// `counters.totals`, read without copying the per-link and per-router arrays (through
    /// `any NetworkModel`, `counters` returns a copy of the whole struct; the engine reads the
    /// totals twice per step).
    var counterTotals: NetworkCounters.Totals { get }

    /// Routes one timestep's packets, given in (origin, sequence) order, and writes one delivery
    /// per packet into `deliveries` (replacing its contents, same order as `packets`).
    mutating func route(_ packets: [AERPacket], into deliveries: inout [PacketDelivery])

    /// The last `route` call's packet indices in an order in which the packets bound for any one
    /// endpoint arrive in strictly increasing cycles, where the model knows one (nil otherwise):
    /// a consumer that orders each destination's packets by arrival can then skip sorting.
    var arrivalOrder: [Int32]? { get }

    /// Whether a packet's delivery depends on that packet alone (no contention), so that a
    /// step's packets may be routed in parts, each by a model of its own, with the same
    /// deliveries and, summed, the same counters. Parts must not split a spike's deliveries
    /// (a multicast packet): cut them between cores.
    var routesPacketsIndependently: Bool { get }

    /// Routes one part of a step's packets (see `routesPacketsIndependently`) and writes one
    /// delivery per packet into `deliveries` (as long as `packets`).
    mutating func route(part packets: UnsafeBufferPointer<AERPacket>, into deliveries: UnsafeMutableBufferPointer<PacketDelivery>)
}

extension NetworkModel {
    /// False: a model routes a step's packets as a whole unless it says otherwise.
    public var routesPacketsIndependently: Bool { false }
    /// Nil: a model knows no arrival order unless it says otherwise.
    public var arrivalOrder: [Int32]? { nil }

    /// Routes the packets as a whole step (what a model with contention needs).
    public mutating func route(part packets: UnsafeBufferPointer<AERPacket>, into deliveries: UnsafeMutableBufferPointer<PacketDelivery>) {
        precondition(deliveries.count == packets.count, "one delivery per packet")
        var routed: [PacketDelivery] = []
        route(Array(packets), into: &routed)
        _ = deliveries.update(fromContentsOf: routed)
    }
}
