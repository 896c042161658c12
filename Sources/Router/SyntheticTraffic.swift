/// A synthetic-traffic experiment on a `width × height` mesh with one traffic endpoint per tile,
/// run on the cycle-level model (`FlitSimulator`, the engine of `FlitNetwork`).
///
/// Each node generates a packet of `timing.flitsPerPacket` flits in each cycle with probability
/// rate / F (a Bernoulli process, so `rate` is the offered load in flits per node per cycle),
/// for `warmupCycles + measureCycles` cycles; then generation stops and the network drains.
/// Source queues are unbounded: load beyond saturation waits at the source, and the wait counts
/// in latency. Packets generated in the measurement window form the latency sample; flits
/// ejected in it give the accepted throughput. Draws come from one SplitMix64 stream seeded with
/// `seed`, in (cycle, node) order, so a seed always gives the same packets and statistics.
public struct SyntheticTraffic: Sendable, Equatable {
    /// Tiles along x.
    public var width: Int
    /// Tiles along y.
    public var height: Int
    /// How each node chooses its packets' destinations.
    public var pattern: TrafficPattern
    /// Local, per-hop and serialization cycles, and the packet size.
    public var timing: NetworkTiming
    /// Cycles of each hop spent in the router (below both hop latencies); the rest is link.
    public var routerPipelineCycles: UInt32
    /// Flits per router input buffer (at least one packet).
    public var bufferFlits: Int
    /// Dimension order of every route.
    public var routing: RoutingOrder
    /// Share of packets sent to the hotspot tile under `.hotspot` (0…1).
    public var hotspotFraction: Double
    /// Cycles run before measuring, so the network reaches steady state.
    public var warmupCycles: Int
    /// Cycles in which generated packets are sampled for latency and ejected flits for throughput.
    public var measureCycles: Int
    /// Seed of the SplitMix64 stream of every draw.
    public var seed: UInt64

    /// An experiment on a `width` × `height` mesh of one core per tile under `pattern`; nil
    /// `routerPipelineCycles` takes `FlitNetwork.defaultRouterPipelineCycles(for:)`. Check it
    /// with `validationError` (and `validationError(rate:)`) before running it.
    public init(
        width: Int, height: Int, pattern: TrafficPattern,
        timing: NetworkTiming = SyntheticTraffic.defaultTiming(flitsPerPacket: 1),
        routerPipelineCycles: UInt32? = nil, bufferFlits: Int = FlitNetwork.defaultBufferFlits,
        routing: RoutingOrder = .xy, hotspotFraction: Double = 0.1,
        warmupCycles: Int = 1_000, measureCycles: Int = 10_000, seed: UInt64 = 1
    ) {
        self.width = width
        self.height = height
        self.pattern = pattern
        self.timing = timing
        self.routerPipelineCycles = routerPipelineCycles ?? FlitNetwork.defaultRouterPipelineCycles(for: timing)
        self.bufferFlits = bufferFlits
        self.routing = routing
        self.hotspotFraction = hotspotFraction
        self.warmupCycles = warmupCycles
        self.measureCycles = measureCycles
        self.seed = seed
    }

    /// The textbook router used for latency–load curves: 1 cycle into the core and out, hops of
    /// a 1-cycle pipeline plus a 1-cycle link in both directions.
    public static func defaultTiming(flitsPerPacket: Int) -> NetworkTiming {
        NetworkTiming(localCycles: 1, eastWestHopCycles: 2, northSouthHopCycles: 2, flitsPerPacket: flitsPerPacket)
    }

    /// Most packets one run may generate (about 1.5 GB of packet state).
    public static let maximumPacketsPerRun = 1 << 25

    /// Nil when the experiment is runnable, else why not (for the command line to report).
    public var validationError: String? {
        if width < 1 || height < 1 { return "mesh sides must be at least 1" }
        // The timing's properties may have changed since it was made (its flits divide below).
        if let problem = timing.validationError { return problem }
        // Each side first: their product could overflow before it is compared.
        if width > 1 << 16 || height > 1 << 16 || width * height > 1 << 16 { return "at most 65,536 tiles" }
        if pattern.requiresSquareMesh && width != height { return "\(pattern.rawValue) traffic needs a square mesh" }
        if let problem = FlitNetwork.bufferProblem(bufferFlits: bufferFlits, timing: timing)
            ?? FlitNetwork.memoryProblem(tiles: width * height, bufferFlits: bufferFlits, timing: timing)
            ?? FlitNetwork.pipelineProblem(routerPipelineCycles, timing: timing) {
            return problem
        }
        if !(0...1).contains(hotspotFraction) { return "hotspot fraction must lie in 0…1" }
        if warmupCycles < 0 || measureCycles < 1 { return "warmup must be ≥ 0 and the measurement window ≥ 1 cycle" }
        if warmupCycles + measureCycles > 100_000_000 { return "at most 10^8 cycles" }
        return nil
    }

    /// `validationError`, and whether `rate` (flits per node per cycle) is runnable: within
    /// 0…1 and generating at most `maximumPacketsPerRun` packets on average.
    public func validationError(rate: Double) -> String? {
        if let error = validationError { return error }
        guard rate >= 0 && rate <= 1 else { return "rate must lie in 0…1 flits per node per cycle" }
        let expected = Double(width * height) * Double(warmupCycles + measureCycles) * rate / Double(timing.flitsPerPacket)
        if expected > Double(Self.maximumPacketsPerRun) * 0.9 {
            return "rate \(rate) for \(warmupCycles + measureCycles) cycles on \(width * height) nodes generates about \(Int(expected)) packets; at most \(Self.maximumPacketsPerRun / 1_000_000) million fit in one run"
        }
        return nil
    }

    /// Mean zero-load latency of the pattern in cycles: local + E–W hops × E–W hop cycles +
    /// N–S hops × N–S hop cycles + (F − 1), averaged over sources and destinations.
    public var zeroLoadLatency: Double {
        let tiles = width * height
        func latency(_ source: Int, _ destination: Int) -> Double {
            Double(timing.zeroLoadLatency(eastWestHops: abs(source % width - destination % width), northSouthHops: abs(source / width - destination / width)))
        }
        if !pattern.sendsToEveryTile {
            var sum = 0.0
            for source in 0..<tiles { sum += latency(source, pattern.fixedDestination(of: source, width: width, height: height) ?? source) }
            return sum / Double(tiles)
        }
        // Uniform destinations (all tiles), in closed form rather than over every pair (a
        // 256 × 256 mesh has 4 × 10⁹): per axis the mean distance of two uniform coordinates in
        // 0..<k is (k² − 1) / 3k. A hotspot adds its share towards one tile.
        let hot = pattern == .hotspot ? hotspotFraction : 0
        let meanEastWest = Double(width * width - 1) / Double(3 * width)
        let meanNorthSouth = Double(height * height - 1) / Double(3 * height)
        let uniform = Double(timing.localCycles) + Double(timing.eastWestHopCycles) * meanEastWest
            + Double(timing.northSouthHopCycles) * meanNorthSouth + Double(timing.flitsPerPacket - 1)
        guard hot > 0 else { return uniform }
        let hotspot = TrafficPattern.hotspotTile(width: width, height: height)
        var towardsHotspot = 0.0
        for source in 0..<tiles { towardsHotspot += latency(source, hotspot) }
        return (1 - hot) * uniform + hot * towardsHotspot / Double(tiles)
    }

    /// The throughput bound of the pattern under dimension-order routing, in flits per node per
    /// cycle: 1 / the load of the busiest channel (link, injection or ejection port) per unit of
    /// offered load. For uniform traffic on a k × k mesh this is the bisection bound 4 / k.
    public var throughputBound: Double {
        let tiles = width * height
        var linkLoad = [Double](repeating: 0, count: tiles * 4)
        var ejectionLoad = [Double](repeating: 0, count: tiles)
        let mesh = Mesh(width: width, height: height, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0))
        func route(from source: Int, to destination: Int, _ load: Double) {
            ejectionLoad[destination] += load
            mesh.forEachLink(from: source, to: destination, order: routing) { link, _ in linkLoad[link] += load }
        }
        if !pattern.sendsToEveryTile {
            for source in 0..<tiles { route(from: source, to: pattern.fixedDestination(of: source, width: width, height: height) ?? source, 1) }
        } else {
            // Uniform destinations in closed form, under either dimension order: a link between
            // columns x and x + 1 (either way) carries the (x + 1)(W − 1 − x)·H source–destination
            // pairs whose columns it separates, one between rows y and y + 1 the W·(y + 1)(H − 1 − y)
            // whose rows it separates; every tile ejects one unit. A hotspot adds its share.
            let hot = pattern == .hotspot ? hotspotFraction : 0
            let pair = (1 - hot) / Double(tiles)
            for y in 0..<height {
                for x in 0..<width {
                    let tile = y * width + x
                    if x + 1 < width {
                        let load = pair * Double((x + 1) * (width - 1 - x) * height)
                        linkLoad[mesh.linkIndex(tile: tile, direction: .east)] += load
                        linkLoad[mesh.linkIndex(tile: tile + 1, direction: .west)] += load
                    }
                    if y + 1 < height {
                        let load = pair * Double(width * (y + 1) * (height - 1 - y))
                        linkLoad[mesh.linkIndex(tile: tile, direction: .north)] += load
                        linkLoad[mesh.linkIndex(tile: tile + width, direction: .south)] += load
                    }
                    ejectionLoad[tile] += pair * Double(tiles)
                }
            }
            if hot > 0 {
                let hotspot = TrafficPattern.hotspotTile(width: width, height: height)
                for source in 0..<tiles { route(from: source, to: hotspot, hot) }
            }
        }
        let busiest = max(1, linkLoad.max() ?? 0, ejectionLoad.max() ?? 0)
        return 1 / busiest
    }

    /// Whether the warm-up and window let the accepted throughput measure a steady state (see
    /// `SyntheticTrafficResult.throughputIsSteady`).
    public var throughputIsSteady: Bool {
        Double(warmupCycles) >= zeroLoadLatency || Double(measureCycles) >= 20 * zeroLoadLatency
    }

    /// Runs the experiment at `rate` flits per node per cycle (0…1).
    /// A programming error (trap) when `validationError(rate:)` is not nil.
    public func run(rate: Double) -> SyntheticTrafficResult {
        if let error = validationError(rate: rate) { preconditionFailure(error) }
        let tiles = width * height
        let flits = timing.flitsPerPacket
        let totalCycles = warmupCycles + measureCycles
        var simulator = FlitSimulator(
            width: width, height: height, timing: timing, pipelineCycles: routerPipelineCycles,
            bufferFlits: bufferFlits, routing: routing)

        // Generate every packet up front, in (cycle, node) order.
        var generator = SplitMix64(seed: seed)
        let inject = SplitMix64.threshold(probability: rate / Double(flits))
        let hot = SplitMix64.threshold(probability: pattern == .hotspot ? hotspotFraction : 0)
        let hotspot = TrafficPattern.hotspotTile(width: width, height: height)
        let fixed = (0..<tiles).map { pattern.fixedDestination(of: $0, width: width, height: height) ?? -1 }
        let expected = min(Self.maximumPacketsPerRun, Int(Double(tiles * totalCycles) * rate / Double(flits) * 1.01) + 16)
        simulator.sourceTile.reserveCapacity(expected)
        simulator.destinationTile.reserveCapacity(expected)
        simulator.injectCycle.reserveCapacity(expected)
        for cycle in 0..<totalCycles {
            for node in 0..<tiles {
                if let inject, generator.next() >= inject { continue }
                var destination = fixed[node]
                if destination < 0 {
                    if let hot, generator.next() >= hot {
                        destination = generator.next(below: tiles)
                    } else {
                        destination = hotspot
                    }
                }
                precondition(simulator.sourceTile.count < Self.maximumPacketsPerRun, "too many packets for one run")
                simulator.sourceTile.append(Int32(node))
                simulator.destinationTile.append(Int32(destination))
                simulator.injectCycle.append(UInt32(cycle))
            }
        }

        var counters = NetworkCounters(mesh: Mesh(width: width, height: height, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0)))
        simulator.run(counters: &counters)

        // Measure.
        let windowStart = warmupCycles
        let windowEnd = totalCycles  // exclusive
        var latencies: [UInt32] = []
        var acceptedFlits = 0
        var lastArrival: UInt32 = 0
        let tailOffset = timing.localCycles + UInt32(flits - 1)
        for packet in simulator.injectCycle.indices {
            let arrive = simulator.arriveCycle[packet]
            let injectCycle = simulator.injectCycle[packet]
            lastArrival = max(lastArrival, arrive)
            if injectCycle >= windowStart && injectCycle < windowEnd { latencies.append(arrive - injectCycle) }
            let ejectStart = Int(arrive - tailOffset)  // first flit through the ejection port
            acceptedFlits += max(0, min(ejectStart + flits, windowEnd) - max(ejectStart, windowStart))
        }
        latencies.sort()
        let nodeCycles = Double(tiles * measureCycles)
        let measured = latencies.count
        let total = latencies.reduce(0) { $0 + UInt64($1) }
        return SyntheticTrafficResult(
            rate: rate,
            offeredLoad: Double(measured * flits) / nodeCycles,
            acceptedThroughput: Double(acceptedFlits) / nodeCycles,
            meanLatency: measured == 0 ? 0 : Double(total) / Double(measured),
            p99Latency: measured == 0 ? 0 : latencies[(99 * measured + 99) / 100 - 1],
            maximumLatency: latencies.last ?? 0,
            packetsMeasured: measured,
            packetsInjected: simulator.injectCycle.count,
            drainCycles: lastArrival > UInt32(windowEnd) ? lastArrival - UInt32(windowEnd) : 0,
            zeroLoadLatency: zeroLoadLatency,
            throughputIsSteady: throughputIsSteady,
            counters: counters)
    }

    /// Runs `rates` in order and stops after the first saturated row (`isSaturated`);
    /// `onRow` sees each row as soon as it is measured (for printing a table as it grows).
    public func sweep(rates: [Double], onRow: (SyntheticTrafficResult) -> Void = { _ in }) -> [SyntheticTrafficResult] {
        var rows: [SyntheticTrafficResult] = []
        for rate in rates {
            let row = run(rate: rate)
            rows.append(row)
            onRow(row)
            if row.isSaturated { break }
        }
        return rows
    }

    /// A latency–load table up to saturation: rates `step`, 2·`step`, … up to `maximumRate`,
    /// stopping after the first saturated row. Requires 0 < `step` ≤ `maximumRate` ≤ 1 (a
    /// precondition: the process stops with that message otherwise).
    public func sweep(step: Double = 0.05, maximumRate: Double = 1, onRow: (SyntheticTrafficResult) -> Void = { _ in }) -> [SyntheticTrafficResult] {
        precondition(step > 0 && step <= maximumRate && maximumRate <= 1, "0 < step ≤ maximum rate ≤ 1")
        let count = Int(maximumRate / step + 1e-9)  // truncation = floor for positive values
        return sweep(rates: (1...count).map { Double($0) * step }, onRow: onRow)
    }
}
