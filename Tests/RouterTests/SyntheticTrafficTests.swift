import Testing
@testable import Router

@Suite struct SyntheticTrafficTests {
    // MARK: - Analytic values

    @Test(arguments: [4, 8])
    func uniformZeroLoadLatencyAndBisectionBound(k: Int) {
        let experiment = SyntheticTraffic(width: k, height: k, pattern: .uniform, timing: SyntheticTraffic.defaultTiming(flitsPerPacket: 4))
        // Mean |x1 − x2| of two uniform coordinates in 0..<k is (k² − 1) / 3k, per dimension.
        let hops = 2 * Double(k * k - 1) / Double(3 * k)
        #expect(abs(experiment.zeroLoadLatency - (1 + 2 * hops + 3)) < 1e-9)
        #expect(abs(experiment.throughputBound - min(1, 4 / Double(k))) < 1e-12)
    }

    /// The closed forms for uniform and hotspot traffic equal the sums over every source and
    /// destination pair (which take minutes on large meshes), on square and oblong meshes.
    @Test(arguments: [(4, 4), (8, 8), (3, 5), (6, 4), (1, 7)])
    func closedFormsEqualTheSumsOverEveryPair(width: Int, height: Int) {
        let tiles = width * height
        let mesh = Mesh(width: width, height: height, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0))
        let timing = NetworkTiming(localCycles: 3, eastWestHopCycles: 2, northSouthHopCycles: 5, flitsPerPacket: 4)
        for pattern in [TrafficPattern.uniform, .hotspot] {
            for routing in RoutingOrder.allCases {
                let experiment = SyntheticTraffic(width: width, height: height, pattern: pattern, timing: timing, routing: routing, hotspotFraction: 0.15)
                let hot = pattern == .hotspot ? 0.15 : 0
                let hotspot = TrafficPattern.hotspotTile(width: width, height: height)
                var latency = 0.0
                var links = [Double](repeating: 0, count: tiles * 4)
                var ejection = [Double](repeating: 0, count: tiles)
                for source in 0..<tiles {
                    for destination in 0..<tiles {
                        let probability = (1 - hot) / Double(tiles) + (destination == hotspot ? hot : 0)
                        let hops = (abs(source % width - destination % width), abs(source / width - destination / width))
                        latency += probability * Double(timing.zeroLoadLatency(eastWestHops: hops.0, northSouthHops: hops.1)) / Double(tiles)
                        ejection[destination] += probability
                        mesh.forEachLink(from: source, to: destination, order: routing) { link, _ in links[link] += probability }
                    }
                }
                let bound = 1 / max(1, links.max() ?? 0, ejection.max() ?? 0)
                #expect(abs(experiment.zeroLoadLatency - latency) < 1e-9, "\(pattern) \(routing) \(width)×\(height)")
                #expect(abs(experiment.throughputBound - bound) < 1e-12, "\(pattern) \(routing) \(width)×\(height)")
            }
        }
    }

    /// The largest mesh `noc` takes gets its analytic values at once.
    @Test func analyticValuesOfTheLargestMeshComeQuickly() {
        let experiment = SyntheticTraffic(width: 256, height: 256, pattern: .hotspot, timing: SyntheticTraffic.defaultTiming(flitsPerPacket: 1), hotspotFraction: 0.1)
        #expect(abs(experiment.throughputBound - 1 / (0.1 * 65_536 + 0.9)) < 1e-15)
        #expect(experiment.zeroLoadLatency > 0)
    }

    @Test func boundsOfTheOtherPatterns() {
        func bound(_ pattern: TrafficPattern, _ k: Int, routing: RoutingOrder = .xy) -> Double {
            SyntheticTraffic(width: k, height: k, pattern: pattern, routing: routing, hotspotFraction: 0.1).throughputBound
        }
        // Bit complement: the 4 nodes west of the middle of a row all cross its middle link.
        #expect(abs(bound(.bitcomplement, 8) - 0.25) < 1e-12)
        // Hotspot: its ejection port takes 0.1 · 64 + 0.9 units of every node's unit load.
        #expect(abs(bound(.hotspot, 8) - 1 / (0.1 * 64 + 0.9)) < 1e-12)
        #expect(abs(bound(.hotspot, 4) - 1 / (0.1 * 16 + 0.9)) < 1e-12)
        // Transpose under XY: the link into the corner column carries k − 1 flows at its worst.
        #expect(abs(bound(.transpose, 4) - 1.0 / 3) < 1e-12)
        #expect(abs(bound(.transpose, 8) - 1.0 / 7) < 1e-12)
        #expect(bound(.transpose, 8, routing: .yx) == bound(.transpose, 8))
        // Neighbour: every link carries at most one flow.
        #expect(bound(.neighbor, 8) == 1)
    }

    @Test func experimentsAreValidatedAsDocumented() {
        #expect(SyntheticTraffic(width: 4, height: 2, pattern: .transpose).validationError == "transpose traffic needs a square mesh")
        #expect(SyntheticTraffic(width: 4, height: 2, pattern: .uniform).validationError == nil)
        // Sides whose product overflows an Int are reported, not trapped on.
        #expect(SyntheticTraffic(width: Int.max / 2, height: 4, pattern: .uniform).validationError == "at most 65,536 tiles")
        #expect(SyntheticTraffic(width: 1 << 17, height: 1, pattern: .uniform).validationError == "at most 65,536 tiles")
        #expect(SyntheticTraffic(width: 4, height: 4, pattern: .uniform, timing: SyntheticTraffic.defaultTiming(flitsPerPacket: 4), bufferFlits: 3).validationError == "buffer of 3 flits is smaller than a 4-flit packet")
        // The routers' packet records are allocated up front: 128 × 128 routers of 65,536-flit
        // buffers would take 43 GB. 4 GiB holds 128 × 128 routers of 6,553-packet rings.
        #expect(SyntheticTraffic(width: 128, height: 128, pattern: .uniform, bufferFlits: 65_536).validationError
            == "16,384 routers with 65,536-flit buffers (65,536 packets per input) need 42,950,000,640 bytes of packet records; the flit model allows at most 4,294,967,296 (4 GiB): give smaller buffers or a smaller mesh")
        #expect(SyntheticTraffic(width: 128, height: 128, pattern: .uniform, bufferFlits: 6_553).validationError == nil)
        #expect(SyntheticTraffic(width: 128, height: 128, pattern: .uniform, bufferFlits: 6_554).validationError?.hasPrefix("16,384 routers") == true)
        #expect(SyntheticTraffic(width: 4, height: 4, pattern: .uniform, routerPipelineCycles: 2).validationError
            == "a router pipeline of 2 cycles must be below the shortest hop, 2 cycles: a hop is the pipeline plus a link of at least 1 cycle")
        let experiment = SyntheticTraffic(width: 8, height: 8, pattern: .uniform, measureCycles: 1_000_000)
        #expect(experiment.routerPipelineCycles == 1 && experiment.timing.flitsPerPacket == 1)
        #expect(experiment.validationError(rate: 0.1) == nil)
        #expect(experiment.validationError(rate: 1.5) == "rate must lie in 0…1 flits per node per cycle")
        #expect(experiment.validationError(rate: 0.6)!.contains("million"))
        let singleCycleHops = NetworkTiming(localCycles: 0, eastWestHopCycles: 1, northSouthHopCycles: 1, flitsPerPacket: 1)
        #expect(SyntheticTraffic(width: 2, height: 2, pattern: .uniform, timing: singleCycleHops).routerPipelineCycles == 0)
        // A timing changed after it was made is reported, not divided by or underflowed (a
        // 0-flit timing trapped in validationError(rate:), a 0-cycle hop in init).
        var noFlits = SyntheticTraffic.defaultTiming(flitsPerPacket: 1)
        noFlits.flitsPerPacket = 0
        let flitless = SyntheticTraffic(width: 4, height: 4, pattern: .uniform, timing: noFlits)
        #expect(flitless.validationError == "a packet must have at least 1 flit, got 0")
        #expect(flitless.validationError(rate: 0.1) == "a packet must have at least 1 flit, got 0")
        var instant = SyntheticTraffic.defaultTiming(flitsPerPacket: 1)
        instant.eastWestHopCycles = 0
        let instantHops = SyntheticTraffic(width: 4, height: 4, pattern: .uniform, timing: instant)
        #expect(instantHops.routerPipelineCycles == 0)
        #expect(instantHops.validationError == "an east–west hop must take at least 1 cycle, got 0")
        #expect(FlitNetwork.pipelineProblem(-1, shortestHop: 3) == "a router pipeline takes at least 0 cycles, got -1")
    }

    @Test func hotspotGetsItsShareOfTheTraffic() {
        let experiment = SyntheticTraffic(width: 4, height: 4, pattern: .hotspot, hotspotFraction: 0.25, warmupCycles: 0, measureCycles: 20_000, seed: 2)
        let result = experiment.run(rate: 0.1)
        let hot = TrafficPattern.hotspotTile(width: 4, height: 4)
        let share = Double(result.counters.routerEjectedFlits[hot]) / Double(result.counters.routerEjectedFlits.total)
        #expect(abs(share - (0.25 + 0.75 / 16)) < 0.01)
    }

    // MARK: - Measurements

    /// Well below saturation, packets take about their zero-load latency and all are accepted.
    @Test func lowLoadLatencyIsNearZeroLoad() {
        let experiment = SyntheticTraffic(width: 8, height: 8, pattern: .uniform, timing: SyntheticTraffic.defaultTiming(flitsPerPacket: 4), measureCycles: 5_000)
        let result = experiment.run(rate: 0.02)
        #expect(result.zeroLoadLatency == 14.5)
        #expect(result.meanLatency >= 14 && result.meanLatency < 1.1 * 14.5)
        #expect(abs(result.acceptedThroughput - result.offeredLoad) < 0.03 * result.offeredLoad)
        #expect(abs(result.offeredLoad - 0.02) < 0.002)
        #expect(!result.isSaturated)
    }

    /// Measured from an empty network for a window shorter than the packets take, throughput
    /// reads low (packets still in flight at its end, none from before it): that alone does not
    /// make the row saturated. A warm-up of the zero-load latency, or a long window, is steady.
    @Test func throughputOfAnUnfilledNetworkIsNotSaturation() {
        let cold = SyntheticTraffic(width: 8, height: 8, pattern: .uniform, warmupCycles: 0, measureCycles: 20)
        #expect(!cold.throughputIsSteady)
        let result = cold.run(rate: 0.05)
        #expect(!result.throughputIsSteady)
        #expect(result.acceptedThroughput < 0.95 * result.offeredLoad)
        #expect(!result.isSaturated)
        let zeroLoad = Int(cold.zeroLoadLatency.rounded(.up))
        #expect(SyntheticTraffic(width: 8, height: 8, pattern: .uniform, warmupCycles: zeroLoad, measureCycles: 20).throughputIsSteady)
        #expect(SyntheticTraffic(width: 8, height: 8, pattern: .uniform, warmupCycles: 0, measureCycles: 20 * zeroLoad).throughputIsSteady)
        #expect(!SyntheticTraffic(width: 8, height: 8, pattern: .uniform, warmupCycles: zeroLoad - 1, measureCycles: 20 * zeroLoad - 20).throughputIsSteady)
    }

    /// Uniform random traffic on 8 × 8 with XY routing: offered 0.6 flits/node/cycle, beyond
    /// saturation, the network accepts its saturation throughput — between 0.35 and 0.55, below
    /// the bisection bound 4/k = 0.5 (one-flit packets, 8-flit buffers: 0.38–0.39 measured).
    @Test func saturationThroughputOfUniformTrafficOnAnEightByEightMesh() {
        let experiment = SyntheticTraffic(
            width: 8, height: 8, pattern: .uniform, timing: SyntheticTraffic.defaultTiming(flitsPerPacket: 1),
            bufferFlits: 8, routing: .xy, warmupCycles: 1_000, measureCycles: 10_000, seed: 1)
        #expect(experiment.throughputBound == 0.5)
        let result = experiment.run(rate: 0.6)
        #expect(result.acceptedThroughput > 0.35 && result.acceptedThroughput < 0.55)
        #expect(result.acceptedThroughput <= experiment.throughputBound)
        #expect(result.isSaturated)
    }

    /// No deadlock, no livelock: an 8 × 8 mesh offered twice its saturation load for 10^5 cycles
    /// keeps delivering and, once sources stop, drains — every packet arrives, in finite time.
    /// (4-flit packets, whose saturation is about 0.315 flits/node/cycle: offered 0.64.)
    @Test func eightByEightMeshAtTwiceSaturationDrains() {
        let experiment = SyntheticTraffic(
            width: 8, height: 8, pattern: .uniform, timing: SyntheticTraffic.defaultTiming(flitsPerPacket: 4),
            bufferFlits: 8, routing: .xy, warmupCycles: 0, measureCycles: 100_000, seed: 5)
        let result = experiment.run(rate: 0.64)
        #expect(result.offeredLoad >= 2 * result.acceptedThroughput)  // at least twice what it can take
        #expect(result.acceptedThroughput > 0.25)  // still delivering at full rate, no collapse
        // run(rate:) returns only when every packet has arrived; each was ejected once.
        #expect(result.counters.routerEjectedFlits.total == 4 * UInt64(result.packetsInjected))
        #expect(result.counters.packets == UInt64(result.packetsInjected))
        // The backlog left at the sources drains at about the saturation rate.
        let backlog = (result.offeredLoad - result.acceptedThroughput) * 64 * 100_000
        #expect(Double(result.drainCycles) < 1.5 * backlog / (result.acceptedThroughput * 64))
        // Buffers filled, so back-pressure was exercised.
        #expect(result.counters.linkMaxQueueDepth.max() == 8)
    }

    @Test(arguments: [TrafficPattern.transpose, .bitcomplement, .hotspot, .neighbor])
    func everyPatternDrainsPastSaturationWithEitherRouting(pattern: TrafficPattern) {
        for routing in RoutingOrder.allCases {
            let experiment = SyntheticTraffic(
                width: 4, height: 4, pattern: pattern, timing: SyntheticTraffic.defaultTiming(flitsPerPacket: 2),
                bufferFlits: 2, routing: routing, warmupCycles: 200, measureCycles: 3_000, seed: 9)
            let result = experiment.run(rate: 1)
            #expect(result.counters.routerEjectedFlits.total == 2 * UInt64(result.packetsInjected))
            // Beyond saturation the accepted average mixes throttled flows with free ones (the
            // diagonal of transpose sends to itself), so it is bounded by the ports, not the bound.
            #expect(result.isSaturated && result.acceptedThroughput <= 1)
        }
    }

    @Test func sameSeedGivesIdenticalStatistics() {
        let experiment = SyntheticTraffic(width: 4, height: 4, pattern: .uniform, warmupCycles: 200, measureCycles: 2_000, seed: 42)
        let first = experiment.run(rate: 0.5)
        let second = experiment.run(rate: 0.5)
        #expect(first == second)
        #expect(first.packetsMeasured > 0)
        var other = experiment
        other.seed = 43
        let third = other.run(rate: 0.5)
        #expect(third.packetsInjected != first.packetsInjected || third.meanLatency != first.meanLatency)
    }

    @Test func sweepStopsAfterSaturation() {
        let experiment = SyntheticTraffic(width: 4, height: 4, pattern: .uniform, timing: SyntheticTraffic.defaultTiming(flitsPerPacket: 1), warmupCycles: 300, measureCycles: 3_000)
        let rows = experiment.sweep(step: 0.1)
        #expect(rows.count >= 3 && rows.count < 10)
        #expect(rows.last!.isSaturated)
        #expect(rows.dropLast().allSatisfy { !$0.isSaturated })
        #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.rate < $1.rate && $0.meanLatency <= $1.meanLatency })
        #expect(rows.map(\.rate) == (1...rows.count).map { Double($0) * 0.1 })
        #expect(rows.allSatisfy { $0.meanLatency >= experiment.zeroLoadLatency - 0.5 && $0.p99Latency >= UInt32($0.meanLatency) })
    }
}
