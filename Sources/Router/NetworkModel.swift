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
}
