/// How faithfully the network-on-chip is timed. Each level is its own `NetworkModel`; everything
/// above the router sees only that protocol.
public enum RouterFidelity: String, Sendable, CaseIterable {
    /// Latency = local + hops × hop latency + serialization; no contention. Fast, for energy studies.
    case ideal
    /// Cycle-level: input-buffered routers, credit back-pressure, one flit per link per cycle,
    /// round-robin arbitration (`FlitNetwork`). Equals `ideal` for a packet alone in the mesh.
    case flit
}
