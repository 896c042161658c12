/// What one synthetic-traffic experiment measured. Loads are in flits per node per cycle;
/// latencies in cycles, from the cycle a packet is generated (source queueing included) to the
/// cycle its tail reaches the destination core.
public struct SyntheticTrafficResult: Sendable, Equatable {
    /// The injection rate asked for.
    public var rate: Double
    /// Flits generated during the measurement window, per node per cycle.
    public var offeredLoad: Double
    /// Flits ejected into cores during the measurement window, per node per cycle.
    public var acceptedThroughput: Double
    /// Mean latency of the packets generated during the measurement window (0 without any:
    /// see `packetsMeasured`).
    public var meanLatency: Double
    /// 99th-percentile (nearest-rank) latency of those packets (0 without any).
    public var p99Latency: UInt32
    /// Largest latency of those packets (0 without any).
    public var maximumLatency: UInt32
    /// Packets generated during the measurement window (the latency sample).
    public var packetsMeasured: Int
    /// Packets generated in the whole run, warmup included.
    public var packetsInjected: Int
    /// Cycles from the end of the measurement window until the last packet arrived (the drain).
    public var drainCycles: UInt32
    /// The analytic zero-load latency of the pattern, for comparison.
    public var zeroLoadLatency: Double
    /// Whether the accepted throughput measures a network in steady state: the warm-up lasted at
    /// least the zero-load latency (the network had filled), or the window at least 20 times it.
    /// Otherwise the packets still in flight at the window's end, with none from before it to
    /// take their place, make the throughput read low (an empty 8 × 8 mesh measured for 20
    /// cycles accepts 40 % of a 0.05 load).
    public var throughputIsSteady: Bool
    /// Counters of the whole run, warmup and drain included.
    public var counters: NetworkCounters

    /// Past saturation: the network accepted clearly less than was offered (below 95 %, judged
    /// only when `throughputIsSteady`), or the mean latency exceeded 10 × the zero-load latency
    /// (source queues growing without bound).
    public var isSaturated: Bool {
        (throughputIsSteady && acceptedThroughput < 0.95 * offeredLoad) || meanLatency > 10 * zeroLoadLatency
    }
}
