import Foundation
import Testing
@testable import Router

@Suite struct FlitNetworkTests {
    /// 4 × 4 tiles, one core per tile (endpoint = tile), host port at (0, 2) = tile 8, endpoint 16.
    static let mesh = Mesh(width: 4, height: 4, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 2))

    static func timing(flits: Int) -> NetworkTiming {
        NetworkTiming(localCycles: 2, eastWestHopCycles: 3, northSouthHopCycles: 5, flitsPerPacket: flits)
    }

    /// A row of three tiles, one core each: hand-computable contention.
    static let row = Mesh(width: 3, height: 1, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0))

    /// Random traffic: 5 × 4 tiles of 3 cores, host port at (4, 3), inject cycles dense enough
    /// that packets queue.
    static func randomPackets(count: Int, injectSpan: UInt32, seed: UInt64) -> (Mesh, [AERPacket]) {
        let mesh = Mesh(width: 5, height: 4, coresPerTile: 3, hostTile: TileCoordinate(x: 4, y: 3))
        var generator = SplitMix64(seed: seed)
        let packets = (0..<count).map { _ in
            AERPacket(
                source: Int32(generator.next(below: mesh.hostEndpoint + 1)),
                destination: Int32(generator.next(below: mesh.coreCount)),
                axon: 0, injectCycle: UInt32(generator.next(below: Int(injectSpan) + 1)))
        }
        return (mesh, packets)
    }

    /// Contention couples a step's packets, so the flit model does not route in parts: given
    /// one, it times the part as a whole step, like `route`.
    @Test func aPartIsRoutedAsAWholeStep() {
        let (mesh, packets) = Self.randomPackets(count: 200, injectSpan: 30, seed: 3)
        var whole = FlitNetwork(mesh: mesh, timing: Self.timing(flits: 2), routing: .xy, buffer: 4)
        var expected: [PacketDelivery] = []
        whole.route(packets, into: &expected)
        var model: any NetworkModel = FlitNetwork(mesh: mesh, timing: Self.timing(flits: 2), routing: .xy, buffer: 4)
        #expect(!model.routesPacketsIndependently)
        var deliveries = Array(repeating: PacketDelivery(arriveCycle: 0, hops: 0), count: packets.count)
        packets.withUnsafeBufferPointer { packets in
            deliveries.withUnsafeMutableBufferPointer { model.route(part: packets, into: $0) }
        }
        #expect(deliveries == expected)
        #expect(model.counters == whole.counters)
        #expect(whole.counters.linkStallCycles.contains { $0 > 0 })  // packets did contend
    }

    /// `arrivalOrder` lists every packet once, and at each endpoint (three share a tile here) in
    /// strictly increasing arrival cycles, so a destination's packets need no sorting; a step
    /// without packets leaves an empty order, not the last step's.
    @Test(arguments: [1, 3])
    func arrivalOrderIsIncreasingAtEveryEndpoint(flits: Int) {
        let (mesh, packets) = Self.randomPackets(count: 1_500, injectSpan: 40, seed: 11)
        var model: any NetworkModel = FlitNetwork(mesh: mesh, timing: Self.timing(flits: flits), routing: .yx, buffer: 2 * flits)
        var deliveries: [PacketDelivery] = []
        model.route(packets, into: &deliveries)
        let order = model.arrivalOrder ?? []
        #expect(order.sorted() == (0..<Int32(packets.count)).map { $0 })
        var last = [Int64](repeating: -1, count: mesh.coreCount)
        var increasing = true
        for rank in order.map(Int.init) {
            let endpoint = Int(packets[rank].destination)
            increasing = increasing && Int64(deliveries[rank].arriveCycle) > last[endpoint]
            last[endpoint] = Int64(deliveries[rank].arriveCycle)
        }
        #expect(increasing)
        model.route([], into: &deliveries)
        #expect(model.arrivalOrder == [])
        let ideal: any NetworkModel = IdealNetwork(mesh: mesh, timing: Self.timing(flits: flits), routing: .xy)
        #expect(ideal.arrivalOrder == nil)
    }

    // MARK: - Zero load

    @Test(arguments: [1, 4], RoutingOrder.allCases)
    func zeroLoadLatencyIsAnalyticForEveryPair(flits: Int, order: RoutingOrder) {
        let timing = Self.timing(flits: flits)
        var network = FlitNetwork(mesh: Self.mesh, timing: timing, routing: order, buffer: max(flits, 2))
        var deliveries: [PacketDelivery] = []
        for source in 0...Self.mesh.hostEndpoint {
            for destination in 0..<Self.mesh.coreCount {
                let inject = UInt32(source * 7 + destination)
                network.route([AERPacket(source: Int32(source), destination: Int32(destination), axon: 0, injectCycle: inject)], into: &deliveries)
                let a = Self.mesh.coordinate(ofEndpoint: source)
                let b = Self.mesh.coordinate(ofEndpoint: destination)
                let eastWest = abs(a.x - b.x)
                let northSouth = abs(a.y - b.y)
                // local 2 + 3 per E–W hop + 5 per N–S hop + (F − 1) flits of serialization
                let latency = 2 + 3 * eastWest + 5 * northSouth + (flits - 1)
                #expect(deliveries == [PacketDelivery(arriveCycle: inject + UInt32(latency), hops: UInt16(eastWest + northSouth))])
            }
        }
        #expect(network.counters.linkStallCycles.total == 0)
        #expect(network.counters.routerStallCycles.total == 0)
    }

    @Test(arguments: [(UInt32(0), 1), (UInt32(1), 4), (UInt32(2), 2)])
    func pipelineAndLinkSplitLeavesZeroLoadLatencyAlone(pipeline: UInt32, flits: Int) {
        let timing = Self.timing(flits: flits)
        var network = FlitNetwork(mesh: Self.mesh, timing: timing, routing: .xy, buffer: 8, routerPipelineCycles: pipeline)
        #expect(network.eastWestLinkCycles == 3 - pipeline && network.northSouthLinkCycles == 5 - pipeline)
        var ideal = IdealNetwork(mesh: Self.mesh, timing: timing, routing: .xy)
        let packets = (0..<16).map { AERPacket(source: Int32($0), destination: Int32(15 - $0), axon: 0, injectCycle: UInt32($0) * 200) }
        var flit: [PacketDelivery] = []
        var expected: [PacketDelivery] = []
        network.route(packets, into: &flit)
        ideal.route(packets, into: &expected)
        #expect(flit == expected)
    }

    /// The packet records are reserved, not filled: a 256 × 256 mesh of 1,600-flit buffers
    /// reserves 4.2 GB of them, and a few packets in one corner make only their routers' pages
    /// resident (filled up front, they took all 4.2 GB). Linux only (`/proc/self/status`).
    @Test func idleRoutersTakeNoRecordMemory() throws {
        func residentBytes() -> Int? {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
        }
        guard let before = residentBytes() else { return }
        let mesh = Mesh(width: 256, height: 256, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0))
        let timing = NetworkTiming(localCycles: 1, eastWestHopCycles: 41, northSouthHopCycles: 65, flitsPerPacket: 1)
        #expect(FlitNetwork.validationError(mesh: mesh, timing: timing, buffer: 1_600) == nil)
        var network = FlitNetwork(mesh: mesh, timing: timing, routing: .xy, buffer: 1_600)
        defer { withExtendedLifetime(network) {} }  // alive, records and all, until measured
        // From tiles (0…3, 0) to tiles (0…2, 1).
        let packets = (0..<64).map { (index: Int) -> AERPacket in
            AERPacket(source: Int32(index % 4), destination: Int32(256 + index % 3), axon: 0, injectCycle: UInt32(index))
        }
        var deliveries: [PacketDelivery] = []
        network.route(packets, into: &deliveries)
        #expect(deliveries.count == 64)
        let grown = try #require(residentBytes()) - before
        #expect(grown < 1 << 30, "resident memory grew by \(grown) bytes")
    }

    /// Isolated packets (far apart in time) in one call: the flit model reproduces the ideal
    /// model exactly, deliveries and activity counters alike.
    @Test(arguments: [1, 3], RoutingOrder.allCases)
    func idealNetworkIsTheZeroLoadLimit(flits: Int, order: RoutingOrder) {
        let (mesh, random) = Self.randomPackets(count: 300, injectSpan: 0, seed: 11)
        let packets = random.enumerated().map { index, packet in
            AERPacket(source: packet.source, destination: packet.destination, axon: packet.axon, injectCycle: UInt32(index) * 100)
        }
        let timing = NetworkTiming(localCycles: 4, eastWestHopCycles: 2, northSouthHopCycles: 7, flitsPerPacket: flits)
        var flit = FlitNetwork(mesh: mesh, timing: timing, routing: order, buffer: 4)
        var ideal = IdealNetwork(mesh: mesh, timing: timing, routing: order)
        var flitDeliveries: [PacketDelivery] = []
        var idealDeliveries: [PacketDelivery] = []
        flit.route(packets, into: &flitDeliveries)
        ideal.route(packets, into: &idealDeliveries)
        #expect(flitDeliveries == idealDeliveries)
        let a = flit.counters
        let b = ideal.counters
        #expect(a.linkFlits == b.linkFlits)
        #expect(a.linkBusyCycles == b.linkBusyCycles)
        #expect(a.routerFlits == b.routerFlits)
        #expect(a.routerEjectedFlits == b.routerEjectedFlits)
        #expect(a.packets == b.packets && a.eastWestFlitHops == b.eastWestFlitHops && a.northSouthFlitHops == b.northSouthFlitHops)
        #expect(a.linkStallCycles.total == 0 && a.routerStallCycles.total == 0)
        // Alone, a packet is the whole backlog of its injection queue.
        #expect(a.routerMaxSourceQueueFlits.allSatisfy { $0 == 0 || $0 == UInt32(flits) })
    }

    /// Loihi's latencies (41 and 65 cycles per hop) and an inject cycle far beyond the clock's
    /// wheel: still exact.
    @Test func longLinksAndDistantInjectCycles() {
        let mesh = Mesh(width: 8, height: 4, coresPerTile: 4, hostTile: TileCoordinate(x: 0, y: 0))
        let timing = NetworkTiming(localCycles: 21, eastWestHopCycles: 41, northSouthHopCycles: 65, flitsPerPacket: 1)
        var network = FlitNetwork(mesh: mesh, timing: timing, routing: .xy)
        var deliveries: [PacketDelivery] = []
        network.route([
            AERPacket(source: 0, destination: 127, axon: 0, injectCycle: 3_000_000),
            AERPacket(source: 128, destination: 124, axon: 0, injectCycle: 5),
        ], into: &deliveries)
        #expect(deliveries == [
            PacketDelivery(arriveCycle: 3_000_000 + 21 + 7 * 41 + 3 * 65, hops: 10),
            PacketDelivery(arriveCycle: 5 + 21 + 7 * 41 + 3 * 65, hops: 10),
        ])
    }

    // MARK: - Contention by hand

    /// Tile 0 sends A to tile 2 at cycle 0 (its head is ready at tile 1 at cycle 2); tile 1's
    /// core sends B to tile 2 at cycle 2. Both want tile 1's east output at cycle 2: round robin
    /// starts at input 0 (the west neighbour's link) before input 4 (injection), so A goes
    /// first and B waits the F = 2 cycles A holds the output.
    @Test func arbitrationLoserWaitsForTheWholePacket() {
        let timing = NetworkTiming(localCycles: 1, eastWestHopCycles: 2, northSouthHopCycles: 2, flitsPerPacket: 2)
        var network = FlitNetwork(mesh: Self.row, timing: timing, routing: .xy, buffer: 8)
        var deliveries: [PacketDelivery] = []
        network.route([
            AERPacket(source: 0, destination: 2, axon: 0, injectCycle: 0),
            AERPacket(source: 1, destination: 2, axon: 0, injectCycle: 2),
        ], into: &deliveries)
        // A: 0 + local 1 + 2 hops × 2 + 1 = 6 (zero load). B: granted at 4 instead of 2, so 8.
        #expect(deliveries == [PacketDelivery(arriveCycle: 6, hops: 2), PacketDelivery(arriveCycle: 8, hops: 1)])
        let east1 = Self.row.linkIndex(tile: 1, direction: .east)
        #expect(network.counters.linkStallCycles[east1] == 2)
        #expect(network.counters.linkStallCycles.total == 2)
        #expect(network.counters.routerStallCycles == [0, 2, 0])
    }

    /// Three one-flit packets from tile 0 and three from tile 1, all to tile 2 at cycle 0. Tile
    /// 1's east output alternates between its two requesters once both are waiting.
    @Test func roundRobinAlternatesBetweenRequesters() {
        let timing = NetworkTiming(localCycles: 1, eastWestHopCycles: 2, northSouthHopCycles: 2, flitsPerPacket: 1)
        var network = FlitNetwork(mesh: Self.row, timing: timing, routing: .xy, buffer: 8)
        var deliveries: [PacketDelivery] = []
        let packets = [0, 0, 0, 1, 1, 1].map { AERPacket(source: Int32($0), destination: 2, axon: 0, injectCycle: 0) }
        network.route(packets, into: &deliveries)
        // Tile 1's east output grants B1 at 0, B2 at 1, A1 at 2 (ready at 2; the pointer has
        // passed injection), B3 at 3, A2 at 4, A3 at 5; each reaches its core 2 + 1 cycles later.
        #expect(deliveries.map(\.arriveCycle) == [5, 7, 8, 3, 4, 6])
        let counters = network.counters
        // Waits at that output: B3 from 2 to 3, A2 from 3 to 4 (A3 was blocked behind A2 in
        // its FIFO, which is not a wait at the output).
        #expect(counters.linkStallCycles[Self.row.linkIndex(tile: 1, direction: .east)] == 2)
        // The buffer tile 0's east link fills holds A1 + A2, then A2 + A3: at most 2 flits.
        #expect(counters.linkMaxQueueDepth[Self.row.linkIndex(tile: 0, direction: .east)] == 2)
        #expect(counters.linkMaxQueueDepth[Self.row.linkIndex(tile: 1, direction: .east)] == 2)
        #expect(counters.routerMaxBufferFlits == [0, 2, 2])
        #expect(counters.routerMaxSourceQueueFlits == [3, 3, 0])
        #expect(counters.routerEjectedFlits == [0, 0, 6])
    }

    /// Two one-flit packets from tile 0 to tile 2 at cycle 0. With one-flit buffers the second
    /// waits at tile 0 for the credit the first frees when it leaves tile 1 (cycle 2, back at 3).
    @Test(arguments: [(1, [UInt32(5), 8], UInt64(2)), (8, [UInt32(5), 6], UInt64(0))])
    func creditsBackPressureTheSender(buffer: Int, arrivals: [UInt32], stall: UInt64) {
        let timing = NetworkTiming(localCycles: 1, eastWestHopCycles: 2, northSouthHopCycles: 2, flitsPerPacket: 1)
        var network = FlitNetwork(mesh: Self.row, timing: timing, routing: .xy, buffer: buffer)
        var deliveries: [PacketDelivery] = []
        let packets = [AERPacket(source: 0, destination: 2, axon: 0, injectCycle: 0), AERPacket(source: 0, destination: 2, axon: 1, injectCycle: 0)]
        network.route(packets, into: &deliveries)
        #expect(deliveries.map(\.arriveCycle) == arrivals)
        #expect(network.counters.linkStallCycles[Self.row.linkIndex(tile: 0, direction: .east)] == stall)
        #expect(network.counters.linkMaxQueueDepth.max()! <= UInt32(buffer))
    }

    /// The streaming buffer grows with the slowest hop up to the largest buffer a chip file
    /// allows; links slower than that stream below a flit per cycle.
    @Test func streamingBufferIsCappedAtTheLargestBuffer() {
        let slow = NetworkTiming(localCycles: 2, eastWestHopCycles: 1_000_000, northSouthHopCycles: 1_000_000, flitsPerPacket: 1)
        #expect(FlitNetwork.streamingBufferFlits(for: slow) == FlitNetwork.maximumBufferFlits)
        let fast = NetworkTiming(localCycles: 2, eastWestHopCycles: 30_000, northSouthHopCycles: 2, flitsPerPacket: 1)
        #expect(FlitNetwork.streamingBufferFlits(for: fast, routerPipelineCycles: 1) == 30_000 + 29_999)
    }

    /// A stream of packets from one core over three hops: with the streaming buffer the tail
    /// of packet k arrives exactly k·F cycles after the first (the link runs at one flit per
    /// cycle); one flit less and the credit loop throttles it.
    @Test(arguments: [(1, UInt32(1)), (4, UInt32(1)), (2, UInt32(3)), (3, UInt32(0))])
    func streamingBufferCoversTheCreditRoundTrip(flits: Int, pipeline: UInt32) {
        let mesh = Mesh(width: 4, height: 2, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0))
        let timing = NetworkTiming(localCycles: 2, eastWestHopCycles: 4, northSouthHopCycles: 6, flitsPerPacket: flits)
        let buffer = FlitNetwork.streamingBufferFlits(for: timing, routerPipelineCycles: pipeline)
        #expect(buffer == 6 + (6 - Int(pipeline)) + flits - 1)
        // 0 → 7: three hops east, one north (the slow direction, whose loop sets the size).
        let packets = (0..<40).map { AERPacket(source: 0, destination: 7, axon: Int32($0), injectCycle: 0) }
        let zeroLoad = UInt32(2 + 3 * 4 + 6 + flits - 1)
        var deliveries: [PacketDelivery] = []
        var network = FlitNetwork(mesh: mesh, timing: timing, routing: .xy, buffer: buffer, routerPipelineCycles: pipeline)
        network.route(packets, into: &deliveries)
        #expect(deliveries.map(\.arriveCycle) == (0..<40).map { zeroLoad + UInt32($0 * flits) })
        #expect(network.counters.linkStallCycles.total == 0)
        var smaller = FlitNetwork(mesh: mesh, timing: timing, routing: .xy, buffer: buffer - 1, routerPipelineCycles: pipeline)
        smaller.route(packets, into: &deliveries)
        #expect(deliveries.last!.arriveCycle > zeroLoad + UInt32(39 * flits))
    }

    // MARK: - Loaded runs

    @Test(arguments: [(1, 1, RoutingOrder.xy), (2, 2, .yx), (4, 8, .xy), (3, 7, .yx)])
    func loadedRunConservesFlitsKeepsOrderAndIsNeverFasterThanIdeal(flits: Int, buffer: Int, order: RoutingOrder) {
        let (mesh, packets) = Self.randomPackets(count: 3_000, injectSpan: 300, seed: UInt64(flits * 10 + buffer))
        let timing = NetworkTiming(localCycles: 3, eastWestHopCycles: 2, northSouthHopCycles: 3, flitsPerPacket: flits)
        var flit = FlitNetwork(mesh: mesh, timing: timing, routing: order, buffer: buffer)
        var ideal = IdealNetwork(mesh: mesh, timing: timing, routing: order)
        var flitDeliveries: [PacketDelivery] = []
        var idealDeliveries: [PacketDelivery] = []
        flit.route(packets, into: &flitDeliveries)
        ideal.route(packets, into: &idealDeliveries)

        // One delivery per packet, same hops, never earlier than zero load; and real queueing.
        #expect(flitDeliveries.count == packets.count)
        #expect(flitDeliveries.map(\.hops) == idealDeliveries.map(\.hops))
        #expect(zip(flitDeliveries, idealDeliveries).allSatisfy { $0.arriveCycle >= $1.arriveCycle })
        #expect(zip(flitDeliveries, idealDeliveries).contains { $0.arriveCycle > $1.arriveCycle })

        // Every flit injected is ejected exactly once, at its destination's router, after
        // exactly its route's links.
        let a = flit.counters
        let b = ideal.counters
        var perDestination = [UInt64](repeating: 0, count: mesh.tileCount)
        for packet in packets { perDestination[mesh.tileIndex(ofEndpoint: Int(packet.destination))] += UInt64(flits) }
        #expect(a.routerEjectedFlits == perDestination)
        #expect(a.packets == UInt64(packets.count))
        #expect(a.linkFlits == b.linkFlits && a.routerFlits == b.routerFlits)
        #expect(a.eastWestFlitHops == b.eastWestFlitHops && a.northSouthFlitHops == b.northSouthFlitHops)
        #expect(a.linkBusyCycles == a.linkFlits)

        // No reordering between one source endpoint and one destination endpoint.
        var lastArrival = [Int: (inject: UInt32, arrive: UInt32)]()
        let injectionOrder = packets.indices.sorted { (packets[$0].injectCycle, $0) < (packets[$1].injectCycle, $1) }
        for index in injectionOrder {
            let key = Int(packets[index].source) * 1_000 + Int(packets[index].destination)
            if let previous = lastArrival[key] { #expect(flitDeliveries[index].arriveCycle > previous.arrive) }
            lastArrival[key] = (packets[index].injectCycle, flitDeliveries[index].arriveCycle)
        }

        // Stall and occupancy counters mean what they say.
        #expect(a.linkStallCycles.total > 0)
        #expect(a.linkMaxQueueDepth.allSatisfy { $0 <= UInt32(buffer) })
        #expect(a.linkMaxQueueDepth.max()! > UInt32(buffer - flits))  // some buffer filled to within a packet
        #expect(a.routerMaxBufferFlits == (0..<mesh.tileCount).map { tile in
            LinkDirection.allCases.map { direction -> UInt32 in
                let c = mesh.coordinate(ofTile: tile)
                let (x, y): (Int, Int) = switch direction {
                case .east: (c.x - 1, c.y)
                case .west: (c.x + 1, c.y)
                case .north: (c.x, c.y - 1)
                case .south: (c.x, c.y + 1)
                }
                guard x >= 0, x < mesh.width, y >= 0, y < mesh.height else { return 0 }
                return a.linkMaxQueueDepth[mesh.linkIndex(tile: y * mesh.width + x, direction: direction)]
            }.max()!
        })
        for tile in 0..<mesh.tileCount {
            let outgoing = LinkDirection.allCases.reduce(UInt64(0)) { $0 + a.linkStallCycles[mesh.linkIndex(tile: tile, direction: $1)] }
            #expect(a.routerStallCycles[tile] >= outgoing)
        }
        #expect(a.routerMaxSourceQueueFlits.max()! > UInt32(flits))
    }

    /// The engine against the flit-by-flit, cycle-by-cycle reference model: identical arrival
    /// cycles and counters on random traffic — light and saturating, every packet size, buffers
    /// from one packet up, pipelines and links of different lengths, both routings.
    @Test(arguments: [
        (1, 1, 0, RoutingOrder.xy, 2), (1, 3, 1, .yx, 1), (2, 2, 1, .xy, 3), (3, 7, 2, .yx, 1),
        (4, 8, 1, .xy, 2), (4, 5, 0, .xy, 1), (2, 9, 3, .yx, 4), (1, 8, 1, .xy, 6),
    ])
    func engineMatchesTheFlitByFlitReferenceModel(flits: Int, buffer: Int, pipeline: Int, order: RoutingOrder, spread: Int) {
        Self.compareWithReferenceModel(flits: flits, buffer: buffer, pipeline: pipeline, order: order, spread: spread, eastWestHop: pipeline + 1, northSouthHop: pipeline + 3)
    }

    /// Links of several cycles let a router run that many cycles ahead of the others
    /// (`FlitEngine.lookahead`): the same agreement with the reference model, with buffers that
    /// stream and buffers that run out of credits, and Loihi's 41- and 65-cycle hops.
    @Test(arguments: [
        (1, 4, 1, RoutingOrder.xy, 2, 6, 9), (2, 6, 2, .yx, 1, 7, 5), (1, 129, 1, .xy, 1, 41, 65),
        (1, 12, 1, .yx, 1, 41, 65), (3, 9, 0, .xy, 3, 4, 4),
    ])
    func engineMatchesTheReferenceModelWithLongLinks(flits: Int, buffer: Int, pipeline: Int, order: RoutingOrder, spread: Int, eastWestHop: Int, northSouthHop: Int) {
        Self.compareWithReferenceModel(flits: flits, buffer: buffer, pipeline: pipeline, order: order, spread: spread, eastWestHop: eastWestHop, northSouthHop: northSouthHop)
    }

    /// Meshes of more than `FlitEngine.portTableTiles` tiles find each hop's output port from
    /// the coordinates instead of the table: the same agreement with the reference model.
    @Test(arguments: RoutingOrder.allCases)
    func largeMeshesRouteWithoutThePortTable(order: RoutingOrder) {
        #expect(17 * 16 > FlitEngine.portTableTiles)
        _ = Self.compareWithReferenceModel(
            flits: 2, buffer: 4, pipeline: 1, order: order, spread: 2, eastWestHop: 2, northSouthHop: 3, width: 17, height: 16, count: 1_500)
    }

    /// More routers due in one cycle than a wheel bucket first holds (64, `FlitEngine.link`):
    /// on 9 × 8 tiles every packet is injected at cycle 0, the buckets grow, and the engine still
    /// agrees with the reference model.
    @Test func wheelBucketsGrowWithoutChangingResults() {
        let simulator = Self.compareWithReferenceModel(
            flits: 1, buffer: 2, pipeline: 1, order: .xy, spread: 0, eastWestHop: 2, northSouthHop: 3, width: 9, height: 8, count: 1_500)
        #expect(simulator.wheelBucketCapacity > 64)
    }

    @discardableResult
    static func compareWithReferenceModel(
        flits: Int, buffer: Int, pipeline: Int, order: RoutingOrder, spread: Int, eastWestHop: Int, northSouthHop: Int,
        width: Int = 4, height: Int = 3, count: Int = 600
    ) -> FlitSimulator {
        let timing = NetworkTiming(localCycles: 2, eastWestHopCycles: UInt32(eastWestHop), northSouthHopCycles: UInt32(northSouthHop), flitsPerPacket: flits)
        var generator = SplitMix64(seed: UInt64(flits * 100 + buffer * 10 + spread))
        let source = (0..<count).map { _ in generator.next(below: width * height) }
        let destination = (0..<count).map { _ in generator.next(below: width * height) }
        let inject = (0..<count).map { _ in generator.next(below: count * spread / 4 + 1) }
        let reference = ReferenceFlitNetwork(width: width, height: height, timing: timing, pipeline: pipeline, buffer: buffer, routing: order)
            .run(source: source, destination: destination, inject: inject)

        var simulator = FlitSimulator(width: width, height: height, timing: timing, pipelineCycles: UInt32(pipeline), bufferFlits: buffer, routing: order)
        simulator.sourceTile = source.map { Int32($0) }
        simulator.destinationTile = destination.map { Int32($0) }
        simulator.injectCycle = inject.map { UInt32($0) }
        var counters = NetworkCounters(mesh: Mesh(width: width, height: height, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0)))
        simulator.run(counters: &counters)

        #expect(simulator.arriveCycle == reference.arrive)
        #expect(counters.linkFlits == reference.counters.linkFlits)
        #expect(counters.linkStallCycles == reference.counters.linkStallCycles)
        #expect(counters.routerStallCycles == reference.counters.routerStallCycles)
        #expect(counters.linkMaxQueueDepth == reference.counters.linkMaxQueueDepth)
        #expect(counters.routerMaxBufferFlits == reference.counters.routerMaxBufferFlits)
        #expect(counters.routerMaxSourceQueueFlits == reference.counters.routerMaxSourceQueueFlits)
        #expect(counters == reference.counters)
        #expect(counters.linkStallCycles.total > 0)  // the traffic did contend
        return simulator
    }

    /// Arbitrations within one cycle commute: running them in the opposite order changes nothing.
    @Test(arguments: [1, 4])
    func resultsDoNotDependOnTheOrderInsideACycle(flits: Int) {
        let (mesh, packets) = Self.randomPackets(count: 2_000, injectSpan: 150, seed: 3)
        let timing = NetworkTiming(localCycles: 1, eastWestHopCycles: 2, northSouthHopCycles: 2, flitsPerPacket: flits)
        func run(reversed: Bool) -> ([UInt32], NetworkCounters) {
            var simulator = FlitSimulator(width: mesh.width, height: mesh.height, timing: timing, pipelineCycles: 1, bufferFlits: flits * 2, routing: .xy)
            simulator.reverseTies = reversed
            for packet in packets {
                simulator.sourceTile.append(Int32(mesh.tileIndex(ofEndpoint: Int(packet.source))))
                simulator.destinationTile.append(Int32(mesh.tileIndex(ofEndpoint: Int(packet.destination))))
                simulator.injectCycle.append(packet.injectCycle)
            }
            var counters = NetworkCounters(mesh: mesh)
            simulator.run(counters: &counters)
            return (simulator.arriveCycle, counters)
        }
        let forward = run(reversed: false)
        let backward = run(reversed: true)
        #expect(forward.0 == backward.0)
        #expect(forward.1 == backward.1)
    }

    @Test func sameInputSameOutputAndCountersAccumulate() {
        let (mesh, packets) = Self.randomPackets(count: 500, injectSpan: 50, seed: 8)
        let timing = NetworkTiming(localCycles: 1, eastWestHopCycles: 2, northSouthHopCycles: 3, flitsPerPacket: 2)
        var network = FlitNetwork(mesh: mesh, timing: timing, routing: .xy)
        var copy = network
        var first: [PacketDelivery] = []
        var second: [PacketDelivery] = []
        network.route(packets, into: &first)
        let once = network.counters
        network.route(packets, into: &second)
        #expect(first == second)  // every call starts from an empty mesh
        #expect(network.counters.packets == 2 * once.packets)
        #expect(network.counters.linkStallCycles == once.linkStallCycles.map { 2 * $0 })
        #expect(network.counters.linkMaxQueueDepth == once.linkMaxQueueDepth)
        // A copy has its own state and counters.
        var third: [PacketDelivery] = []
        copy.route(packets, into: &third)
        #expect(third == first)
        #expect(copy.counters == once)
        network.route([], into: &second)
        #expect(second.isEmpty)
        #expect(network.counters.packets == 2 * once.packets)
    }

    @Test func modelIsUsableThroughTheProtocol() {
        let timing = Self.timing(flits: 4)
        var network: any NetworkModel = FlitNetwork(mesh: Self.mesh, timing: timing, routing: .yx)
        #expect(network.mesh == Self.mesh && network.timing == timing && network.routing == .yx)
        var deliveries: [PacketDelivery] = []
        network.route([AERPacket(source: 16, destination: 11, axon: 2, injectCycle: 0)], into: &deliveries)
        #expect(deliveries == [PacketDelivery(arriveCycle: 2 + 3 * 3 + 3, hops: 3)])
        #expect(FlitNetwork.defaultBufferFlits == 8)
        #expect(FlitNetwork.defaultRouterPipelineCycles(for: timing) == 1)
        #expect(FlitNetwork.defaultRouterPipelineCycles(for: NetworkTiming(localCycles: 0, eastWestHopCycles: 1, northSouthHopCycles: 4, flitsPerPacket: 1)) == 0)
        #expect(RouterFidelity(rawValue: "flit") == .flit)
    }

    @Test func bufferSmallerThanAPacketIsAProgrammingError() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = FlitNetwork(mesh: Self.mesh, timing: Self.timing(flits: 4), routing: .xy, buffer: 3)
        }
        #expect(standardError(of: result).contains("buffer of 3 flits is smaller than a 4-flit packet"))
    }

    /// Each rule the flit model holds its mesh, timing, buffer and pipeline to, as a library
    /// user can check it before building one.
    @Test func validationNamesTheRuleTheLimitAndTheValue() {
        let timing = Self.timing(flits: 4)  // hops of 3 (east–west) and 5 (north–south) cycles
        #expect(FlitNetwork.validationError(mesh: Self.mesh, timing: timing) == nil)
        #expect(FlitNetwork.validationError(mesh: Self.mesh, timing: timing, buffer: 4, routerPipelineCycles: 2) == nil)
        #expect(FlitNetwork.validationError(mesh: Self.mesh, timing: timing, buffer: 3) == "buffer of 3 flits is smaller than a 4-flit packet")
        #expect(FlitNetwork.validationError(mesh: Self.mesh, timing: timing, routerPipelineCycles: 3)
            == "a router pipeline of 3 cycles must be below the shortest hop, 3 cycles: a hop is the pipeline plus a link of at least 1 cycle")
        let board = Mesh(width: 4, height: 2, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0), chipWidth: 2)
        #expect(FlitNetwork.validationError(mesh: board, timing: timing)
            == "the flit model times one chip, and this mesh is a board of 2 chips; time boards with IdealNetwork")
        var changed = timing
        changed.northSouthHopCycles = 0  // the default pipeline would underflow: the timing is reported first
        #expect(FlitNetwork.validationError(mesh: Self.mesh, timing: changed) == "a north–south hop must take at least 1 cycle, got 0")
    }
}
