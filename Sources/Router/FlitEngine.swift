/// The cycle-level engine behind `FlitNetwork` and `SyntheticTraffic`: input-buffered mesh routers
/// with virtual cut-through flow control, credits and round-robin output arbitration.
///
/// Ports. Each router has five input and five output ports. Input port `d` (0…3, the
/// `LinkDirection` raw value) holds packets that travelled in direction `d`, so it is fed by
/// output `d` of the neighbour behind it; input 4 is the injection queue of the tile's cores and
/// host port; output 4 is the ejection port into the tile's cores. Port `p` of tile `r` has index
/// `r * 5 + p`.
///
/// Timing of one packet of F flits (a grant is the cycle a packet wins an output):
/// - at its source router the packet may request an output from its inject cycle;
/// - granted at cycle g through a mesh output of direction d, flit j crosses the link at g + j,
///   enters the neighbour's input buffer at g + j + link(d), and the head may request its next
///   output from g + link(d) + pipeline = g + hop(d);
/// - granted at g through the ejection port, the tail reaches its core at g + (F − 1) + local.
/// So a packet alone in the mesh takes local + Σ hop + (F − 1) cycles: exactly `IdealNetwork`.
///
/// Flow control is virtual cut-through: a head is granted only when the downstream buffer has
/// credits for the whole packet, and then the packet streams one flit per cycle without a bubble
/// (every upstream hop streamed it the same way, so flit j is always there by g + j). The engine
/// therefore moves packets, not flits, yet every flit's cycle is exact: an output is busy for the
/// F cycles after a grant, an input sends one packet at a time, and credits come back one per
/// flit, link(d) cycles after the flit leaves the downstream buffer.
///
/// Clock. All work happens in output arbitrations. Each output has at most one pending
/// arbitration, at the earliest cycle something could change for it. Within one cycle the
/// arbitrations of different outputs commute — with FIFO input buffers each input's head
/// requests a single output, and whatever a grant does to another port (a packet arriving
/// downstream, credits upstream, a new head behind it) takes effect at least one cycle later —
/// so the order inside a cycle cannot change any result (a test runs them in reverse and
/// compares). What a grant does to another router takes effect even later: at least one link
/// (`lookahead` cycles, the shorter link delay). So the clock wakes routers, not outputs: a router
/// woken at cycle c runs its own arbitrations, cycle by cycle, up to c + lookahead − 1 in one
/// stretch (`runStretch`), since nothing another router does after c can reach it before then.
/// Routers wait in a timing wheel (a bucket per cycle for the next `wheelSize` cycles, with a
/// bitmap to skip empty cycles) and, further ahead, in an `EventQueue` keyed by (cycle, kind,
/// tile). With Loihi's 40- and 64-cycle links a stretch covers about 30 grants, and the wheel is
/// touched once per stretch instead of once or twice per grant.
///
/// Memory is struct-of-arrays of integers behind raw pointers owned by `FlitStorage`, so the hot
/// loop has no reference counting, uniqueness checks or allocation.
struct FlitEngine {
    // Configuration.
    let width: Int
    let height: Int
    let tileCount: Int
    let portCount: Int
    let flits: Int
    /// F in the integer types the hot path uses, converted once: credits a packet needs, cycles
    /// it holds a link, flits it adds to a counter.
    private let packetCredits: Int32
    private let packetCycles: UInt32
    private let packetFlits: UInt64
    let bufferFlits: Int
    let localCycles: UInt32
    let pipelineCycles: UInt32
    let routing: RoutingOrder
    /// Whole packets one input buffer can hold (cut-through reserves a packet's space).
    let packetSlots: Int
    /// Departures each mesh input remembers: its packets' credits not yet folded back into the
    /// upstream output's count (at most ⌈B / F⌉ ≤ packetSlots + 1; see `arbitrate`), which also
    /// covers the packets an occupancy count looks back at (at most packetSlots − 1).
    let departureSlots: Int
    let wheelSize: Int
    /// Test hook: run each cycle's routers, and each router's outputs within a cycle, in the
    /// opposite order (results must not change).
    var reverseTies = false

    // Per direction (0…3): cycles per hop and link (= credit) delay.
    private let hopCycles: UnsafeMutablePointer<UInt32>
    private let linkCycles: UnsafeMutablePointer<UInt32>
    /// Tile index step to the neighbour in that direction (+1, −1, +width, −width).
    private let neighbourOffset: UnsafeMutablePointer<Int32>
    /// Output port by where the destination lies, `side(x) * 3 + side(y)` (`side`: 0 lower, 1
    /// same, 2 higher coordinate): dimension order as a table.
    private let routeTable: UnsafeMutablePointer<Int32>
    /// On meshes of up to `portTableTiles` tiles, `routeTable`'s answer for every (tile,
    /// destination tile) pair, so that a hop's port is one load: 5.6 % fewer instructions and
    /// about 4 % less time on `random-4k` (32 tiles). Nil on larger meshes, where the table
    /// leaves the L1 cache (on `cuba-40k`'s 316 tiles, 100 KB, it was no faster).
    private let portTowards: UnsafeMutablePointer<UInt8>?
    static let portTableTiles = 256
    /// Direction pair travelled first: 0 (east–west) for XY routing, 1 (north–south) for YX.
    private let firstDimension: Int

    // Per tile.
    private let tileX: UnsafeMutablePointer<Int32>
    private let tileY: UnsafeMutablePointer<Int32>
    private let localStart: UnsafeMutablePointer<Int32>  // tileCount + 1
    private let localNext: UnsafeMutablePointer<Int32>
    private let localInjected: UnsafeMutablePointer<Int32>

    // Per port: topology.
    /// Input port index a mesh output feeds (−1 at the mesh edge and for ejection).
    private let downstreamInput: UnsafeMutablePointer<Int32>
    /// Output port index feeding a mesh input (−1 at the mesh edge and for injection).
    private let upstreamOutput: UnsafeMutablePointer<Int32>
    /// Link slot (`Mesh.linkIndex`) feeding a mesh input (−1 elsewhere).
    private let feedingLink: UnsafeMutablePointer<Int32>

    // Per port: input state.
    private let headPacket: UnsafeMutablePointer<Int32>
    private let headOutput: UnsafeMutablePointer<Int32>
    /// Cycle from which the head is ready and its input free: when its wait starts.
    private let headEligible: UnsafeMutablePointer<UInt32>
    private let inputFree: UnsafeMutablePointer<UInt32>
    private let fifoFirst: UnsafeMutablePointer<Int32>
    private let fifoCount: UnsafeMutablePointer<Int32>
    private let fifoSlots: UnsafeMutablePointer<Int32>  // portCount × packetSlots
    /// Departure cycles of the last `packetSlots` packets of each mesh input (for occupancy).
    private let departNext: UnsafeMutablePointer<Int32>
    /// Departures from the input so far in this run.
    private let departTotal: UnsafeMutablePointer<UInt32>
    private let departSlots: UnsafeMutablePointer<UInt32>  // portCount × departureSlots

    // Per port: output state.
    private let outputFree: UnsafeMutablePointer<UInt32>
    private let roundRobin: UnsafeMutablePointer<Int32>
    /// Cycle of the output's pending arbitration (`UInt32.max`: none).
    private let attemptCycle: UnsafeMutablePointer<UInt32>
    /// 1 while a ready head waits for credits and not enough are on their way back yet.
    private let creditBlocked: UnsafeMutablePointer<Int32>
    /// Credits folded so far: the buffer's size, less F per packet granted, plus F per
    /// downstream departure folded. A departure's F credits are usable one per cycle from
    /// `link` cycles after it; they are read from the downstream input's departures only when
    /// the folded credits do not cover a packet.
    private let credits: UnsafeMutablePointer<Int32>
    /// Downstream departures folded into `credits`.
    private let creditsFolded: UnsafeMutablePointer<UInt32>

    // Per tile: the router's place on the clock.
    /// Cycle the router is woken at: its earliest pending arbitration (`UInt32.max`: none; 0
    /// while its stretch runs, so that its own schedules do not wake it). A wake-up entry, in
    /// the wheel or the far queue, counts only while it names this cycle.
    private let routerNext: UnsafeMutablePointer<UInt32>

    // Clock.
    /// Cycles a router may run ahead of the others: the shortest link. Whatever a grant does to
    /// another router (a packet arriving, credits coming back) takes effect at least this many
    /// cycles later, so a router woken at cycle c runs all its arbitrations before c + lookahead
    /// on its own, and every other router's effect on them is already known.
    let lookahead: UInt32
    /// Each bucket's wake-up entries (routers), `bucketCapacity` slots per bucket. A router
    /// woken earlier than planned leaves its old entry in place (skipped when its bucket comes
    /// round) rather than unlinking it, so a bucket may hold stale and repeated entries.
    private var bucketTiles: UnsafeMutablePointer<Int32>
    private(set) var bucketCapacity: Int
    private let bucketFill: UnsafeMutablePointer<Int32>  // wheelSize
    private let bucketBits: UnsafeMutablePointer<UInt64>  // wheelSize / 64
    private var far = EventQueue()
    /// Entries in the wheel, stale ones included.
    private var wheelCount = 0
    /// The clock: routers woken before this cycle have run; the wheel's position.
    private var clock: UInt32 = 0
    /// The cycle of the arbitration running (inside a router's stretch, ahead of `clock`).
    private var now: UInt32 = 0

    // Counters of the current run (merged into `NetworkCounters` at its end).
    private let linkFlits: UnsafeMutablePointer<UInt64>  // tileCount × 4
    private let linkStall: UnsafeMutablePointer<UInt64>
    private let linkMaxDepth: UnsafeMutablePointer<UInt32>
    private let routerStall: UnsafeMutablePointer<UInt64>
    private let routerEjected: UnsafeMutablePointer<UInt64>
    private let routerMaxBuffer: UnsafeMutablePointer<UInt32>
    private let routerMaxSource: UnsafeMutablePointer<UInt32>

    /// What a hop needs of a packet, in one record: the cycle its head is ready at its present
    /// router, and its destination (one cache line instead of three, which a head's promotion
    /// otherwise misses on).
    private struct PacketState {
        var readyCycle: UInt32
        var destinationTile: Int32
    }

    // Per packet (grown as needed).
    private(set) var packetCapacity = 0
    private var packets: UnsafeMutablePointer<PacketState>
    private var localOrder: UnsafeMutablePointer<Int32>
    private var sortKeys: UnsafeMutablePointer<UInt64>

    /// What `injectCycle` and `arriveCycle` point at outside a run.
    private let noCycles: UnsafeMutablePointer<UInt32>
    /// What `ejectionOrder` points at outside a run.
    private let noPackets: UnsafeMutablePointer<Int32>
    // The run's packets (valid during `run` only).
    private var injectCycle: UnsafePointer<UInt32>
    private var arriveCycle: UnsafeMutablePointer<UInt32>
    /// Packets in the order they leave the mesh (`delivered` of them so far).
    private var ejectionOrder: UnsafeMutablePointer<Int32>
    private var delivered = 0

    init(width: Int, height: Int, timing: NetworkTiming, pipelineCycles: UInt32, bufferFlits: Int, routing: RoutingOrder) {
        precondition(width >= 1 && height >= 1, "mesh dimensions must be positive")
        precondition(width * height <= Int(Int32.max), "tile indices must fit the packet records")
        precondition(bufferFlits >= timing.flitsPerPacket, "virtual cut-through needs a buffer of at least one packet")
        precondition(pipelineCycles < min(timing.eastWestHopCycles, timing.northSouthHopCycles), "every link costs at least one cycle")
        self.width = width
        self.height = height
        tileCount = width * height
        portCount = tileCount * 5
        flits = timing.flitsPerPacket
        packetCredits = Int32(timing.flitsPerPacket)
        packetCycles = UInt32(timing.flitsPerPacket)
        packetFlits = UInt64(timing.flitsPerPacket)
        self.bufferFlits = bufferFlits
        localCycles = timing.localCycles
        self.pipelineCycles = pipelineCycles
        self.routing = routing
        packetSlots = bufferFlits / timing.flitsPerPacket
        lookahead = min(timing.eastWestHopCycles, timing.northSouthHopCycles) - pipelineCycles
        departureSlots = packetSlots + 1
        let longest = Int(max(timing.eastWestHopCycles, timing.northSouthHopCycles)) + 2 * timing.flitsPerPacket + 2
        var wheel = 256
        while wheel < 2 * longest { wheel *= 2 }
        wheelSize = wheel

        func allocate<T>(_ count: Int, _ value: T) -> UnsafeMutablePointer<T> {
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(1, count))
            pointer.initialize(repeating: value, count: max(1, count))
            return pointer
        }
        let ports = portCount
        let tiles = tileCount
        hopCycles = allocate(4, 0)
        linkCycles = allocate(4, 0)
        neighbourOffset = allocate(4, 0)
        firstDimension = routing == .xy ? 0 : 1
        routeTable = allocate(9, 4)
        for xSide in 0..<3 {
            for ySide in 0..<3 {
                let alongX: Int32? = xSide == 1 ? nil : (xSide == 2 ? 0 : 1)  // east, west
                let alongY: Int32? = ySide == 1 ? nil : (ySide == 2 ? 2 : 3)  // north, south
                let port = routing == .xy ? (alongX ?? alongY ?? 4) : (alongY ?? alongX ?? 4)
                routeTable[xSide * 3 + ySide] = port
            }
        }
        for direction in 0..<4 {
            neighbourOffset[direction] = Int32([1, -1, width, -width][direction])
            let hop = direction < 2 ? timing.eastWestHopCycles : timing.northSouthHopCycles
            hopCycles[direction] = hop
            linkCycles[direction] = hop - pipelineCycles
        }
        tileX = allocate(tiles, 0)
        tileY = allocate(tiles, 0)
        portTowards = tiles <= Self.portTableTiles ? allocate(tiles * tiles, 0) : nil
        localStart = allocate(tiles + 1, 0)
        localNext = allocate(tiles, 0)
        localInjected = allocate(tiles, 0)
        downstreamInput = allocate(ports, -1)
        upstreamOutput = allocate(ports, -1)
        feedingLink = allocate(ports, -1)
        headPacket = allocate(ports, -1)
        headOutput = allocate(ports, -1)
        headEligible = allocate(ports, 0)
        inputFree = allocate(ports, 0)
        fifoFirst = allocate(ports, 0)
        fifoCount = allocate(ports, 0)
        // The two record arrays are left uninitialized: a slot is read only after it is written
        // (a FIFO's occupied slots, an input's recorded departures), so pages of routers that
        // carry nothing are never touched, never resident (a 256 × 256 mesh of 1,600-flit
        // buffers took 4.2 GB for a run that used one corner of it).
        fifoSlots = .allocate(capacity: max(1, ports * packetSlots))
        departNext = allocate(ports, 0)
        departTotal = allocate(ports, 0)
        departSlots = .allocate(capacity: max(1, ports * departureSlots))
        outputFree = allocate(ports, 0)
        roundRobin = allocate(ports, 0)
        attemptCycle = allocate(ports, .max)
        routerNext = allocate(tiles, .max)
        creditBlocked = allocate(ports, 0)
        credits = allocate(ports, Int32(bufferFlits))
        creditsFolded = allocate(ports, 0)
        bucketCapacity = min(tiles, 64)
        bucketTiles = allocate(wheel * bucketCapacity, 0)
        bucketFill = allocate(wheel, 0)
        bucketBits = allocate(wheel / 64, 0)
        linkFlits = allocate(tiles * 4, 0)
        linkStall = allocate(tiles * 4, 0)
        linkMaxDepth = allocate(tiles * 4, 0)
        routerStall = allocate(tiles, 0)
        routerEjected = allocate(tiles, 0)
        routerMaxBuffer = allocate(tiles, 0)
        routerMaxSource = allocate(tiles, 0)
        packets = allocate(0, PacketState(readyCycle: 0, destinationTile: 0))
        localOrder = allocate(0, 0)
        sortKeys = allocate(0, 0)
        noCycles = allocate(0, 0)
        arriveCycle = noCycles
        injectCycle = UnsafePointer(noCycles)
        noPackets = allocate(0, 0)
        ejectionOrder = noPackets

        for tile in 0..<tiles {
            let x = tile % width
            let y = tile / width
            tileX[tile] = Int32(x)
            tileY[tile] = Int32(y)
            for direction in LinkDirection.allCases {
                let (nx, ny): (Int, Int) = switch direction {
                case .east: (x + 1, y)
                case .west: (x - 1, y)
                case .north: (x, y + 1)
                case .south: (x, y - 1)
                }
                guard nx >= 0, nx < width, ny >= 0, ny < height else { continue }
                let input = (ny * width + nx) * 5 + direction.rawValue
                downstreamInput[tile * 5 + direction.rawValue] = Int32(input)
                upstreamOutput[input] = Int32(tile * 5 + direction.rawValue)
                feedingLink[input] = Int32(tile * 4 + direction.rawValue)
            }
        }
        if let portTowards {
            for tile in 0..<tiles {
                for destination in 0..<tiles {
                    let xSide = Self.side(tileX[tile], tileX[destination])
                    let ySide = Self.side(tileY[tile], tileY[destination])
                    portTowards[tile * tiles + destination] = UInt8(routeTable[xSide * 3 + ySide])
                }
            }
        }
    }

    /// Frees every buffer; the engine must not be used afterwards.
    func deallocate() {
        for pointer in [hopCycles, linkCycles, headEligible, inputFree, departSlots, outputFree, attemptCycle, routerNext, departTotal, creditsFolded, linkMaxDepth, routerMaxBuffer, routerMaxSource, noCycles] {
            pointer.deallocate()
        }
        for pointer in [neighbourOffset, routeTable, tileX, tileY, localStart, localNext, localInjected, downstreamInput, upstreamOutput, feedingLink, headPacket, headOutput, fifoFirst, fifoCount, fifoSlots, departNext, roundRobin, creditBlocked, credits, bucketTiles, bucketFill, localOrder, noPackets] {
            pointer.deallocate()
        }
        packets.deallocate()
        portTowards?.deallocate()
        for pointer in [bucketBits, linkFlits, linkStall, routerStall, routerEjected, sortKeys] {
            pointer.deallocate()
        }
    }

    private mutating func reservePackets(_ count: Int) {
        guard count > packetCapacity else { return }
        var capacity = max(1024, packetCapacity)
        while capacity < count { capacity *= 2 }
        packets.deallocate()
        localOrder.deallocate()
        sortKeys.deallocate()
        packets = .allocate(capacity: capacity)
        localOrder = .allocate(capacity: capacity)
        sortKeys = .allocate(capacity: capacity)
        packetCapacity = capacity
    }

    // MARK: - Run

    /// Simulates the packets on an empty mesh until every one is delivered: writes each packet's
    /// arrival cycle, the packets in the order they leave the mesh (`ejectionOrder`: at each
    /// tile, whose one ejection port takes a packet at a time, in increasing arrival cycle), and
    /// adds the activity to `counters`.
    mutating func run(
        sourceTile: UnsafeBufferPointer<Int32>, destinationTile: UnsafeBufferPointer<Int32>,
        injectCycle: UnsafeBufferPointer<UInt32>, arriveCycle: UnsafeMutableBufferPointer<UInt32>,
        ejectionOrder: UnsafeMutableBufferPointer<Int32>, counters: inout NetworkCounters
    ) {
        let count = sourceTile.count
        precondition(destinationTile.count == count && injectCycle.count == count && arriveCycle.count == count && ejectionOrder.count == count)
        precondition(counters.linkFlits.count == tileCount * 4 && counters.routerFlits.count == tileCount)
        guard count > 0 else { return }
        reservePackets(count)
        reset()
        // The maxima start from the run's so far: a departure's buffer depth is counted exactly
        // only when its bound exceeds them (`recordOccupancy`), and after a few steps that is
        // rare. Merging takes the larger value either way, so no result changes.
        for link in 0..<tileCount * 4 { linkMaxDepth[link] = counters.linkMaxQueueDepth[link] }
        for tile in 0..<tileCount { routerMaxBuffer[tile] = counters.routerMaxBufferFlits[tile] }
        self.injectCycle = injectCycle.baseAddress!
        self.arriveCycle = arriveCycle.baseAddress!
        self.ejectionOrder = ejectionOrder.baseAddress!
        buildInjectionQueues(sourceTile: sourceTile, destinationTile: destinationTile, count: count)

        for tile in 0..<tileCount where localStart[tile] < localStart[tile + 1] {
            promoteHead(input: tile * 5 + 4, tile: tile, port: 4, notBefore: 0)
        }
        let mask = wheelSize - 1
        while true {
            // The next cycle a router wakes at, in the wheel or further ahead.
            var next = UInt32.max
            if wheelCount > 0 { next = clock + UInt32(distanceToNextBucket(from: Int(clock) & mask)) }
            while let key = far.first, routerNext[key.rank] != key.cycle {
                _ = far.popFirst()  // superseded
            }
            if let key = far.first, key.cycle < next { next = key.cycle }
            guard next != .max else { break }
            clock = next
            // Far wake-ups that are now within the wheel's horizon move into it.
            while let key = far.first, UInt64(key.cycle) < UInt64(clock) + UInt64(wheelSize) {
                _ = far.popFirst()
                if routerNext[key.rank] == key.cycle { link(tile: key.rank, at: key.cycle) }
            }
            // Take this cycle's bucket whole: a stretch wakes other routers only from
            // clock + lookahead on, never in this bucket. An entry whose router has since been
            // woken for another cycle, or has run already (a repeated entry), is skipped.
            let bucket = Int(clock) & mask
            let fill = Int(bucketFill[bucket])
            let end = clock &+ lookahead
            for index in 0..<fill {
                let entry = reverseTies ? fill &- 1 &- index : index
                let tile = Int(bucketTiles[bucket &* bucketCapacity &+ entry])
                if routerNext[tile] == clock { runStretch(tile: tile, from: clock, until: end) }
            }
            bucketFill[bucket] = 0
            bucketBits[bucket >> 6] &= ~(1 << UInt64(bucket & 63))
            wheelCount &-= fill
        }
        precondition(delivered == count, "flit network stopped with packets in flight")
        mergeCounters(into: &counters)
    }

    private mutating func reset() {
        for port in 0..<portCount {
            headPacket[port] = -1
            headOutput[port] = -1
            headEligible[port] = 0
            inputFree[port] = 0
            fifoFirst[port] = 0
            fifoCount[port] = 0
            departNext[port] = 0
            departTotal[port] = 0
            outputFree[port] = 0
            roundRobin[port] = 0
            attemptCycle[port] = .max
            creditBlocked[port] = 0
            credits[port] = Int32(bufferFlits)
            creditsFolded[port] = 0
        }
        for tile in 0..<tileCount { routerNext[tile] = .max }
        for bucket in 0..<wheelSize { bucketFill[bucket] = 0 }
        for word in 0..<wheelSize / 64 { bucketBits[word] = 0 }
        for link in 0..<tileCount * 4 {
            linkFlits[link] = 0
            linkStall[link] = 0
            linkMaxDepth[link] = 0
        }
        for tile in 0..<tileCount {
            routerStall[tile] = 0
            routerEjected[tile] = 0
            routerMaxBuffer[tile] = 0
            routerMaxSource[tile] = 0
        }
        far.removeAll()
        wheelCount = 0
        clock = 0
        now = 0
        delivered = 0
    }

    /// Injection queues: a stable counting sort by source tile keeps packet order inside a tile;
    /// a tile whose packets are not already in inject-cycle order is sorted by (inject, packet).
    private mutating func buildInjectionQueues(sourceTile: UnsafeBufferPointer<Int32>, destinationTile: UnsafeBufferPointer<Int32>, count: Int) {
        for tile in 0...tileCount { localStart[tile] = 0 }
        for packet in 0..<count {
            let source = Int(sourceTile[packet])
            let destination = Int(destinationTile[packet])
            precondition(source >= 0 && source < tileCount && destination >= 0 && destination < tileCount, "tile out of range")
            localStart[source + 1] += 1
            packets[packet].destinationTile = Int32(truncatingIfNeeded: destination)
        }
        for tile in 0..<tileCount { localStart[tile + 1] += localStart[tile] }
        for tile in 0..<tileCount { localNext[tile] = localStart[tile] }
        for packet in 0..<count {
            let tile = Int(sourceTile[packet])
            localOrder[Int(localNext[tile])] = Int32(packet)
            localNext[tile] += 1
        }
        for tile in 0..<tileCount {
            let start = Int(localStart[tile])
            let end = Int(localStart[tile + 1])
            localNext[tile] = Int32(start)
            localInjected[tile] = Int32(start)
            var sorted = true
            var index = start + 1
            while index < end {
                if injectCycle[Int(localOrder[index])] < injectCycle[Int(localOrder[index - 1])] {
                    sorted = false
                    break
                }
                index += 1
            }
            if !sorted {  // sort packed (inject, packet) keys: integer compares, no closure
                for index in start..<end {
                    let packet = localOrder[index]
                    sortKeys[index] = UInt64(injectCycle[Int(packet)]) << 32 | UInt64(UInt32(packet))
                }
                var keys = UnsafeMutableBufferPointer(start: sortKeys + start, count: end - start)
                keys.sort()
                for index in start..<end { localOrder[index] = Int32(truncatingIfNeeded: sortKeys[index]) }
            }
        }
    }

    /// Adds the run's activity to `counters`. Totals that follow from the link counts and the
    /// packets' tiles (every packet is delivered by now) are derived here rather than counted
    /// per grant: a router's entering flits are its injected packets' flits plus the flits of
    /// the links into it, and the hop totals are the E–W and N–S links' flits.
    private func mergeCounters(into counters: inout NetworkCounters) {
        var eastWest: UInt64 = 0
        var northSouth: UInt64 = 0
        for tile in 0..<tileCount {
            let injected = UInt64(localStart[tile + 1] - localStart[tile]) &* packetFlits
            counters.routerFlits[tile] &+= injected
        }
        for link in 0..<tileCount * 4 {
            let flits = linkFlits[link]
            counters.linkFlits[link] &+= flits
            counters.linkBusyCycles[link] &+= flits  // one flit per cycle
            counters.linkStallCycles[link] &+= linkStall[link]
            counters.linkMaxQueueDepth[link] = max(counters.linkMaxQueueDepth[link], linkMaxDepth[link])
            guard flits > 0 else { continue }
            let tile = link / 4
            let direction = link % 4
            counters.routerFlits[tile + Int(neighbourOffset[direction])] &+= flits
            if direction < 2 { eastWest &+= flits } else { northSouth &+= flits }
        }
        for tile in 0..<tileCount {
            counters.routerStallCycles[tile] &+= routerStall[tile]
            counters.routerEjectedFlits[tile] &+= routerEjected[tile]
            counters.routerMaxBufferFlits[tile] = max(counters.routerMaxBufferFlits[tile], routerMaxBuffer[tile])
            counters.routerMaxSourceQueueFlits[tile] = max(counters.routerMaxSourceQueueFlits[tile], routerMaxSource[tile])
        }
        counters.packets &+= UInt64(delivered)
        counters.eastWestFlitHops &+= eastWest
        counters.northSouthFlitHops &+= northSouth
    }

    // MARK: - Clock

    /// Cycles from `bucket` to the next non-empty bucket (0 if `bucket` itself is non-empty).
    private mutating func distanceToNextBucket(from bucket: Int) -> Int {
        let words = wheelSize / 64
        var word = bucket >> 6
        var bits = bucketBits[word] & (~0 << UInt64(bucket & 63))
        var scanned = 0
        while bits == 0 {
            word = word + 1 == words ? 0 : word + 1
            scanned += 1
            bits = bucketBits[word]
            if scanned == words {  // wrapped to the starting word: its low bits
                bits &= (1 << UInt64(bucket & 63)) &- 1
                if bits == 0 { preconditionFailure("wheel count out of step") }
                break
            }
        }
        let found = word << 6 | bits.trailingZeroBitCount
        return found >= bucket ? found - bucket : found + wheelSize - bucket
    }

    @inline(__always)
    private mutating func link(tile: Int, at cycle: UInt32) {
        let bucket = Int(cycle) & (wheelSize - 1)
        let fill = Int(bucketFill[bucket])
        if fill == bucketCapacity { growBuckets() }  // never inlined: keeps the wake-up small
        bucketTiles[bucket &* bucketCapacity &+ fill] = Int32(truncatingIfNeeded: tile)
        bucketFill[bucket] = Int32(truncatingIfNeeded: fill &+ 1)
        bucketBits[bucket >> 6] |= 1 << UInt64(bucket & 63)
        wheelCount &+= 1
    }

    /// Doubles every bucket's slots. Rare: a bucket outgrows its first `min(tileCount, 64)`
    /// slots only when more routers than that wake in one cycle or stale entries pile up.
    @inline(never)
    private mutating func growBuckets() {
        let capacity = bucketCapacity * 2
        let tiles = UnsafeMutablePointer<Int32>.allocate(capacity: wheelSize * capacity)
        for bucket in 0..<wheelSize {
            (tiles + bucket * capacity).update(from: bucketTiles + bucket * bucketCapacity, count: Int(bucketFill[bucket]))
        }
        bucketTiles.deallocate()
        bucketTiles = tiles
        bucketCapacity = capacity
    }

    /// Puts router `tile` on the clock at `cycle` (from `clock` on). An entry it has for a later
    /// cycle goes stale by itself: entries count only while they name `routerNext`.
    private mutating func wake(tile: Int, at cycle: UInt32) {
        routerNext[tile] = cycle
        if cycle &- clock < UInt32(truncatingIfNeeded: wheelSize) {
            link(tile: tile, at: cycle)
        } else {
            far.insert(EventKey(cycle: cycle, kind: .linkTraversal, rank: tile))
        }
    }

    /// Makes sure output `output` of router `tile` arbitrates at `cycle` (never before `now`) or
    /// earlier, and the router wakes by then (a router's own stretch finds it by itself).
    @inline(__always)
    private mutating func schedule(output: Int, tile: Int, at requested: UInt32) {
        let cycle = max(requested, now)
        if cycle < attemptCycle[output] { attemptCycle[output] = cycle }
        if cycle < routerNext[tile] { wake(tile: tile, at: cycle) }
    }

    /// 1 if `a == b`, else 0, in arithmetic the compiler keeps free of branches: a comparison
    /// written as such becomes a branch, which data like this makes the predictor miss.
    @inline(__always)
    private static func bit(_ a: UInt32, equals b: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: (UInt64(a ^ b) &- 1) >> 63)
    }

    /// Runs router `tile`'s arbitrations from `start` (its earliest) to before `end`, cycle by
    /// cycle (the outputs of one cycle commute), then puts the router back on the clock at its
    /// next one.
    @inline(always)
    private mutating func runStretch(tile: Int, from start: UInt32, until end: UInt32) {
        let base = tile &* 5
        let attempts = attemptCycle + base
        routerNext[tile] = 0
        var cycle = start
        repeat {
            now = cycle
            // The outputs due this cycle, as bits without branches (which ones are due is data
            // the branch predictor cannot learn). An arbitration schedules its own router's
            // outputs only for later cycles, so the set stays exact while they run.
            var due = Self.bit(attempts[0], equals: cycle) | Self.bit(attempts[1], equals: cycle) << 1
                | Self.bit(attempts[2], equals: cycle) << 2 | Self.bit(attempts[3], equals: cycle) << 3
                | Self.bit(attempts[4], equals: cycle) << 4
            while due != 0 {
                let port = reverseTies ? 31 &- due.leadingZeroBitCount : due.trailingZeroBitCount
                due &= ~(1 << UInt32(port))
                attempts[port] = .max
                arbitrate(tile: tile, port: port)
            }
            cycle = min(min(min(attempts[0], attempts[1]), min(attempts[2], attempts[3])), attempts[4])
        } while cycle < end
        routerNext[tile] = .max
        if cycle != .max { wake(tile: tile, at: cycle) }
    }

    // MARK: - Routing

    /// Output port the packet takes at `tile`: dimension order, ejection at its own tile.
    @inline(__always)
    private mutating func outputPort(at tile: Int, packet: Int) -> Int {
        let destination = Int(packets[packet].destinationTile)
        if let portTowards { return Int(portTowards[tile &* tileCount &+ destination]) }
        // Without the table: which side of the tile the destination is on, per axis, indexes
        // `routeTable` (a load instead of branches on the packet's direction).
        let xSide = Self.side(tileX[tile], tileX[destination])
        let ySide = Self.side(tileY[tile], tileY[destination])
        return Int(routeTable[xSide &* 3 &+ ySide])
    }

    /// 0 if `there` < `here`, 1 if equal, 2 if greater (coordinates are small and not negative).
    @inline(__always)
    private static func side(_ here: Int32, _ there: Int32) -> Int {
        let below = Int(there &- here) >> 63  // −1 or 0
        let above = Int(here &- there) >> 63  // −1 or 0
        return 1 &+ below &- above
    }

    /// Makes the next packet of `input` its head (if any) and asks that head's output to arbitrate.
    /// `input` is port `port` of router `tile`; callers know both, which saves a division.
    @inline(__always)
    private mutating func promoteHead(input: Int, tile: Int, port inputPort: Int, notBefore: UInt32) {
        // Index arithmetic wraps (&+, &*): every index is below portCount × packetSlots, far
        // from overflow, and the unchecked form drops a branch per operation in the hot path.
        var packet = -1
        var ready: UInt32 = 0
        if inputPort == 4 {
            let next = Int(localNext[tile])
            if next < Int(localStart[tile &+ 1]) {
                packet = Int(localOrder[next])
                ready = injectCycle[packet]
            }
        } else if fifoCount[input] > 0 {
            packet = Int(fifoSlots[input &* packetSlots &+ Int(fifoFirst[input])])
            ready = packets[packet].readyCycle
        }
        headPacket[input] = Int32(truncatingIfNeeded: packet)
        guard packet >= 0 else {
            headOutput[input] = -1
            return
        }
        let port = outputPort(at: tile, packet: packet)
        let eligible = max(ready, notBefore)
        headOutput[input] = Int32(truncatingIfNeeded: port)
        headEligible[input] = eligible
        schedule(output: tile &* 5 &+ port, tile: tile, at: eligible)
    }

    // MARK: - Credits

    /// Credits of mesh output `output` (port `port` of its router) usable at `now`, after folding
    /// in the downstream departures whose credits are all back.
    private mutating func availableCredits(output: Int, port: Int) -> Int32 {
        // Works on locals and writes back once: with large buffers one call folds many returns.
        let link = linkCycles[port]
        let last = UInt32(flits - 1)
        let (ring, count, first) = unfoldedDepartures(output: output)
        let total = creditsFolded[output] &+ UInt32(count)
        var unfolded = count
        var slot = first
        var folded = credits[output]
        var partial: Int32 = 0
        while unfolded > 0 {
            let start = ring[slot] &+ link
            if now >= start &+ last {
                folded &+= packetCredits
                slot = slot &+ 1 == departureSlots ? 0 : slot &+ 1
                unfolded &-= 1
            } else {
                if now >= start { partial = Int32(now &- start &+ 1) }
                break
            }
        }
        credits[output] = folded
        creditsFolded[output] = total &- UInt32(unfolded)
        return folded + partial
    }

    /// The departures from the buffer mesh output `output` feeds whose credits it has not folded
    /// yet: that input's ring of departure cycles, how many, and the slot of the first.
    /// (Inlined: a non-mutating call out of line copies the whole engine struct first.)
    @inline(__always)
    private func unfoldedDepartures(output: Int) -> (ring: UnsafeMutablePointer<UInt32>, count: Int, first: Int) {
        let input = Int(downstreamInput[output])
        let count = Int(departTotal[input] &- creditsFolded[output])
        precondition(count <= departureSlots, "credits out of step with departures")
        var first = Int(departNext[input]) &- count
        if first < 0 { first &+= departureSlots }
        return (departSlots + input &* departureSlots, count, first)
    }

    /// Earliest cycle a whole packet's credits are usable at mesh output `output` (port `port`),
    /// or nil until more packets have left the buffer it feeds.
    private mutating func creditReadyCycle(output: Int, port: Int) -> UInt32? {
        var missing = flits - Int(credits[output])
        if missing <= 0 { return now }
        let (ring, count, first) = unfoldedDepartures(output: output)
        var slot = first
        for _ in 0..<count {
            let start = ring[slot] &+ linkCycles[port]
            if missing <= flits { return start + UInt32(missing - 1) }
            missing -= flits
            slot = slot &+ 1 == departureSlots ? 0 : slot &+ 1
        }
        return nil
    }

    // MARK: - Arbitration

    /// Input `input` of the arbitrating router, if its head requests output `port`: the winner
    /// when there is none yet and it is ready, else a later request. (A method rather than a
    /// nested function: a closure's captured variables can cost dynamic exclusivity checks.)
    @inline(__always)
    private func considerRequest(input: Int, port: Int, winner: inout Int, nextRequest: inout UInt32) {
        if headOutput[input] == Int32(truncatingIfNeeded: port) {
            let eligible = headEligible[input]
            if winner < 0 && eligible <= now { winner = input } else { nextRequest = min(nextRequest, eligible) }
        }
    }

    /// One arbitration of `output` at `now`: round-robin over the inputs whose ready head requests
    /// it, starting after the last winner; the winner needs the output free and, on a mesh link,
    /// credits for its whole packet.
    @inline(always)
    private mutating func arbitrate(tile: Int, port: Int) {
        let base = tile &* 5
        let output = base &+ port
        if outputFree[output] > now {
            schedule(output: output, tile: tile, at: outputFree[output])
            return
        }
        var winner = -1
        var nextRequest = UInt32.max
        let start = Int(roundRobin[output])
        if port < 4 && port >> 1 == firstDimension {
            // Only the through input and injection can request an output of the first
            // dimension (dimension order never turns into it): two heads in round-robin order.
            let throughFirst = start <= port
            considerRequest(input: base &+ (throughFirst ? port : 4), port: port, winner: &winner, nextRequest: &nextRequest)
            considerRequest(input: base &+ (throughFirst ? 4 : port), port: port, winner: &winner, nextRequest: &nextRequest)
        } else {
            var input = start
            for _ in 0..<5 {
                considerRequest(input: base &+ input, port: port, winner: &winner, nextRequest: &nextRequest)
                input = input == 4 ? 0 : input &+ 1
            }
        }
        guard winner >= 0 else {
            if nextRequest != .max { schedule(output: output, tile: tile, at: nextRequest) }
            return
        }
        if port < 4 {
            // Credits already folded are usually enough; departures are folded only when they
            // are not. Folding early or late changes no sum, and the departures not folded fit
            // the input's ring: credits + F × (unfolded) + F × (packets in flight or downstream)
            // = B with credits > −F, so there are at most ⌈B / F⌉ ≤ packetSlots + 1 of them.
            if credits[output] < packetCredits && availableCredits(output: output, port: port) < packetCredits {
                if let ready = creditReadyCycle(output: output, port: port) { schedule(output: output, tile: tile, at: ready) } else { creditBlocked[output] = 1 }
                return
            }
            credits[output] &-= packetCredits
        }
        grant(input: winner, output: output, tile: tile, port: port)
        if nextRequest != .max { schedule(output: output, tile: tile, at: max(nextRequest, now + packetCycles)) }
    }

    @inline(always)
    private mutating func grant(input: Int, output: Int, tile: Int, port: Int) {
        let packet = Int(headPacket[input])
        let inputPort = input &- tile &* 5
        let done = now + packetCycles  // the cycle after the tail leaves
        let waited = UInt64(now - headEligible[input])
        routerStall[tile] &+= waited
        if port < 4 { linkStall[tile &* 4 &+ port] &+= waited }
        outputFree[output] = done
        roundRobin[output] = inputPort == 4 ? 0 : Int32(truncatingIfNeeded: inputPort &+ 1)
        inputFree[input] = done

        // The packet leaves its input buffer…
        if inputPort < 4 {
            recordOccupancy(input: input, packet: packet)
            let first = Int(fifoFirst[input]) &+ 1
            fifoFirst[input] = first == packetSlots ? 0 : Int32(truncatingIfNeeded: first)
            fifoCount[input] &-= 1
            // The departure (just recorded) returns credits upstream: wake the output if it
            // waits for them.
            let upstream = Int(upstreamOutput[input])
            if creditBlocked[upstream] != 0, let ready = creditReadyCycle(output: upstream, port: inputPort) {
                creditBlocked[upstream] = 0
                schedule(output: upstream, tile: tile &- Int(neighbourOffset[inputPort]), at: ready)
            }
        } else {
            recordBacklog(tile: tile)
            localNext[tile] &+= 1
        }
        promoteHead(input: input, tile: tile, port: inputPort, notBefore: done)

        // …and enters the next router's buffer, or its core.
        if port < 4 {
            let link = tile &* 4 &+ port
            linkFlits[link] &+= packetFlits
            let next = Int(downstreamInput[output])
            let nextTile = tile &+ Int(neighbourOffset[port])
            packets[packet].readyCycle = now + hopCycles[port]
            let count = Int(fifoCount[next])
            precondition(count < packetSlots, "input buffer overflow: credits out of step")
            var slot = Int(fifoFirst[next]) &+ count
            if slot >= packetSlots { slot &-= packetSlots }
            fifoSlots[next &* packetSlots &+ slot] = Int32(truncatingIfNeeded: packet)
            fifoCount[next] = Int32(truncatingIfNeeded: count &+ 1)
            if count == 0 { promoteHead(input: next, tile: nextTile, port: port, notBefore: inputFree[next]) }  // input d is fed by output d
        } else {
            arriveCycle[packet] = done - 1 + localCycles
            ejectionOrder[delivered] = Int32(truncatingIfNeeded: packet)
            routerEjected[tile] &+= packetFlits
            delivered &+= 1
        }
    }

    // MARK: - Occupancy counters

    /// Notes a packet leaving a mesh input buffer: the buffer's exact flit occupancy over the
    /// cycles the departing packet's flits arrived is counted (`countOccupancy`) only when a bound
    /// on it exceeds the maxima so far, then the departure joins the input's ring.
    @inline(__always)
    private mutating func recordOccupancy(input: Int, packet: Int) {
        let link = Int(feedingLink[input])
        let arrival = Int(packets[packet].readyCycle &- pipelineCycles)
        let departure = Int(now)
        // Earlier packets present during the window left at or after arrival − F + 1 and, one
        // at a time, by departure − F: at most (departure − arrival − 1) / F + 1 of them, so
        // with its own F flits at most F · (that + 1) ≤ departure − arrival − 1 + 2F flits, a
        // bound without a division (exact for F = 1). Only whether the exact count runs
        // depends on it, never the result. (Cycles are below 2^32 and indices small, so the
        // wrapping arithmetic cannot wrap.)
        let largest = departure > arrival ? departure &- arrival &- 1 &+ 2 &* flits : flits
        let bound = UInt32(truncatingIfNeeded: min(bufferFlits, largest))
        if bound > linkMaxDepth[link] { countOccupancy(input: input, link: link, arrival: arrival) }
        let slots = departureSlots
        let slot = Int(departNext[input])
        departSlots[input &* slots &+ slot] = now
        departNext[input] = slot &+ 1 == slots ? 0 : Int32(truncatingIfNeeded: slot &+ 1)
        departTotal[input] &+= 1
    }

    /// Exact flit occupancy of a mesh input buffer over the cycles a departing packet's flits
    /// arrived (a flit occupies the buffer from the cycle it arrives through the cycle it
    /// leaves), raising the link's and router's maxima. Every packet ahead of it has been
    /// granted by now, so that window is fully known.
    @inline(never)
    private mutating func countOccupancy(input: Int, link: Int, arrival: Int) {
        let slots = departureSlots
        let recorded = min(Int(departTotal[input]), slots)
        let departure = Int(now)
        var most = 0
        for flit in 0..<flits {
            let cycle = arrival &+ flit
            var occupancy = flit &+ 1 &- max(0, cycle &- departure)
            var slot = Int(departNext[input])
            for _ in 0..<recorded {
                slot = slot == 0 ? slots &- 1 : slot &- 1
                let gone = Int(departSlots[input &* slots &+ slot]) &+ flits  // the cycle after its tail left
                if gone <= cycle { break }
                occupancy &+= min(flits, gone &- cycle)
            }
            most = max(most, occupancy)
        }
        let depth = UInt32(most)
        if depth > linkMaxDepth[link] { linkMaxDepth[link] = depth }
        let tile = input / 5
        if depth > routerMaxBuffer[tile] { routerMaxBuffer[tile] = depth }
    }

    /// Injection backlog at a grant of the injection queue: packets handed over by `now` that
    /// have not started, the granted one included (the backlog peaks just before a grant).
    @inline(__always)
    private mutating func recordBacklog(tile: Int) {
        var injected = max(Int(localInjected[tile]), Int(localNext[tile]))
        let end = Int(localStart[tile + 1])
        while injected < end && injectCycle[Int(localOrder[injected])] <= now { injected += 1 }
        localInjected[tile] = Int32(injected)
        let backlog = UInt32((injected - Int(localNext[tile])) * flits)
        if backlog > routerMaxSource[tile] { routerMaxSource[tile] = backlog }
    }
}
