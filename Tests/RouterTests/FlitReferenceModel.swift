@testable import Router

/// The oracle for `FlitEngine`: the same router written the obvious way — every flit moved
/// individually, every cycle stepped, every port looked at each cycle. Slow, small, and
/// independent of the engine's event clock, packet-level shortcuts and occupancy arithmetic.
///
/// Each cycle: credits and flits due this cycle arrive; buffer occupancies are sampled; each
/// free output grants one ready head (round robin from after its last winner; a mesh output
/// needs credits for the whole packet); then every busy output sends one flit of its packet.
struct ReferenceFlitNetwork {
    let width: Int
    let height: Int
    let timing: NetworkTiming
    let pipeline: Int
    let buffer: Int
    let routing: RoutingOrder

    struct Flit {
        var packet: Int
        var index: Int
        var arrival: Int
    }

    struct Result {
        var arrive: [UInt32]
        var counters: NetworkCounters
    }

    func hop(_ direction: Int) -> Int { Int(direction < 2 ? timing.eastWestHopCycles : timing.northSouthHopCycles) }
    func link(_ direction: Int) -> Int { hop(direction) - pipeline }

    func output(at tile: Int, toward destination: Int) -> Int {
        let (x, y) = (tile % width, tile / width)
        let (dx, dy) = (destination % width, destination / width)
        let xFirst = routing == .xy
        if xFirst && dx != x { return dx > x ? 0 : 1 }
        if dy != y { return dy > y ? 2 : 3 }
        if dx != x { return dx > x ? 0 : 1 }
        return 4
    }

    func neighbour(of tile: Int, _ direction: Int) -> Int {
        switch direction {
        case 0: tile + 1
        case 1: tile - 1
        case 2: tile + width
        default: tile - width
        }
    }

    func run(source: [Int], destination: [Int], inject: [Int]) -> Result {
        let tiles = width * height
        let flits = timing.flitsPerPacket
        let count = source.count
        let mesh = Mesh(width: width, height: height, coresPerTile: 1, hostTile: TileCoordinate(x: 0, y: 0))
        var counters = NetworkCounters(mesh: mesh)
        var arrive = [UInt32](repeating: 0, count: count)

        // Injection queues in (inject cycle, packet) order; flits sent so far of each head.
        var sourceQueue = [[Int]](repeating: [], count: tiles)
        for packet in (0..<count).sorted(by: { (inject[$0], $0) < (inject[$1], $1) }) { sourceQueue[source[packet]].append(packet) }
        var buffers = [[[Flit]]](repeating: [[Flit]](repeating: [], count: 4), count: tiles)
        var inputLocked = [[Bool]](repeating: [Bool](repeating: false, count: 5), count: tiles)
        var localSent = [Int](repeating: 0, count: tiles)
        /// Per output: the input it is sending from and the flits still to send.
        var outputFrom = [[Int]](repeating: [Int](repeating: -1, count: 5), count: tiles)
        var outputPacket = [[Int]](repeating: [Int](repeating: -1, count: 5), count: tiles)
        var roundRobin = [[Int]](repeating: [Int](repeating: 0, count: 5), count: tiles)
        var credits = [[Int]](repeating: [Int](repeating: buffer, count: 4), count: tiles)
        var creditDue: [Int: [(tile: Int, output: Int)]] = [:]
        var flitDue: [Int: [(tile: Int, input: Int, flit: Flit)]] = [:]
        var delivered = 0
        var cycle = 0

        func head(_ tile: Int, _ input: Int) -> (packet: Int, ready: Int)? {
            if input == 4 {
                guard let packet = sourceQueue[tile].first, inject[packet] <= cycle else { return nil }
                return (packet, inject[packet])
            }
            guard let flit = buffers[tile][input].first else { return nil }
            precondition(flit.index == 0, "a body flit at the head of an unlocked input")
            return (flit.packet, flit.arrival + pipeline)
        }

        while delivered < count {
            precondition(cycle < 10_000_000, "reference model did not finish")
            for (tile, output) in creditDue.removeValue(forKey: cycle) ?? [] { credits[tile][output] += 1 }
            for due in flitDue.removeValue(forKey: cycle) ?? [] { buffers[due.tile][due.input].append(due.flit) }
            for tile in 0..<tiles {
                for input in 0..<4 where !buffers[tile][input].isEmpty {
                    let feeding = neighbour(of: tile, input ^ 1) * 4 + input  // the link that fills this buffer
                    let depth = UInt32(buffers[tile][input].count)
                    counters.linkMaxQueueDepth[feeding] = max(counters.linkMaxQueueDepth[feeding], depth)
                    counters.routerMaxBufferFlits[tile] = max(counters.routerMaxBufferFlits[tile], depth)
                }
            }

            // Grants.
            for tile in 0..<tiles {
                for out in 0..<5 where outputFrom[tile][out] < 0 {
                    var winner = -1
                    for step in 0..<5 where winner < 0 {
                        let input = (roundRobin[tile][out] + step) % 5
                        guard !inputLocked[tile][input], let candidate = head(tile, input), candidate.ready <= cycle,
                              output(at: tile, toward: destination[candidate.packet]) == out else { continue }
                        winner = input
                    }
                    guard winner >= 0, out == 4 || credits[tile][out] >= flits else { continue }
                    let packet = head(tile, winner)!.packet
                    if out < 4 { credits[tile][out] -= flits }
                    roundRobin[tile][out] = (winner + 1) % 5
                    outputFrom[tile][out] = winner
                    outputPacket[tile][out] = packet
                    inputLocked[tile][winner] = true
                    if winner == 4 {
                        let backlog = sourceQueue[tile].filter { inject[$0] <= cycle }.count * flits
                        counters.routerMaxSourceQueueFlits[tile] = max(counters.routerMaxSourceQueueFlits[tile], UInt32(backlog))
                        counters.packets += 1
                        counters.routerFlits[tile] += UInt64(flits)
                    }
                }
            }
            // A ready head on a free input that was not granted waits this cycle, whatever the
            // reason (output busy, no credits, lost arbitration).
            for tile in 0..<tiles {
                for input in 0..<5 where !inputLocked[tile][input] {
                    guard let candidate = head(tile, input), candidate.ready <= cycle else { continue }
                    let out = output(at: tile, toward: destination[candidate.packet])
                    counters.routerStallCycles[tile] += 1
                    if out < 4 { counters.linkStallCycles[tile * 4 + out] += 1 }
                }
            }

            // Every busy output sends one flit.
            for tile in 0..<tiles {
                for out in 0..<5 where outputFrom[tile][out] >= 0 {
                    let input = outputFrom[tile][out]
                    let packet = outputPacket[tile][out]
                    let index: Int
                    if input == 4 {
                        index = localSent[tile]
                        localSent[tile] += 1
                    } else {
                        let flit = buffers[tile][input].removeFirst()
                        precondition(flit.packet == packet && flit.arrival <= cycle, "cut-through flit not there in time")
                        index = flit.index
                        let upstream = neighbour(of: tile, input ^ 1)
                        creditDue[cycle + link(input), default: []].append((upstream, input))
                    }
                    if out < 4 {
                        let next = neighbour(of: tile, out)
                        flitDue[cycle + link(out), default: []].append((next, out, Flit(packet: packet, index: index, arrival: cycle + link(out))))
                        counters.linkFlits[tile * 4 + out] += 1
                        counters.linkBusyCycles[tile * 4 + out] += 1
                        counters.routerFlits[next] += 1
                        if out < 2 { counters.eastWestFlitHops += 1 } else { counters.northSouthFlitHops += 1 }
                    } else {
                        counters.routerEjectedFlits[tile] += 1
                    }
                    if index == flits - 1 {
                        outputFrom[tile][out] = -1
                        outputPacket[tile][out] = -1
                        inputLocked[tile][input] = false
                        if input == 4 {
                            sourceQueue[tile].removeFirst()
                            localSent[tile] = 0
                        }
                        if out == 4 {
                            arrive[packet] = UInt32(cycle) + timing.localCycles
                            delivered += 1
                        }
                    }
                }
            }
            cycle += 1
        }
        return Result(arrive: arrive, counters: counters)
    }
}
