/// How faithfully the network-on-chip is timed. The cycle-level `flit` model joins this list as
/// its own `NetworkModel`; everything above the router sees only that protocol.
public enum RouterFidelity: String, Sendable, CaseIterable {
    /// Latency = local + hops × hop latency + serialization; no contention. Fast, for energy studies.
    case ideal
}
