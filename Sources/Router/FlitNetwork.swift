/// The cycle-level network model: input-buffered routers with finite buffers, credit
/// back-pressure, one flit per link per cycle and round-robin arbitration (see `FlitEngine`
/// and docs/router.md).
///
/// - Each hop of direction d costs `routerPipelineCycles` in the router it enters plus the link
///   delay `hopCycles(d) − routerPipelineCycles` (at least 1), so the per-hop cycles are the
///   same `NetworkTiming` numbers the ideal model uses. Credits travel back over a link in the
///   link delay.
/// - `localCycles` is the core interface: the source router's own pipeline, core → router entry
///   and router → core exit, charged once after the tail leaves the destination router.
/// - Cores of one tile and, on its tile, the host port share the router's injection port: one
///   unbounded first-come-first-served queue per router, in (inject cycle, packet order) order.
///   They share its ejection port too (one flit per cycle into the tile).
/// - Flow control is virtual cut-through (`bufferFlits ≥ flitsPerPacket`): a packet advances only
///   when the next buffer has room for all of it, so a blocked packet never spans two routers.
/// - Dimension-order routing over FIFO input buffers: the channel dependency graph has no cycle,
///   so the model is deadlock-free by construction; routes are minimal, so there is no livelock.
///
/// A packet alone in the mesh takes exactly the `IdealNetwork` latency; with company it can only
/// be later. Each `route` call starts from an empty mesh (a timestep ends at a barrier) and
/// simulates until every packet has arrived.
public struct FlitNetwork: NetworkModel {
    /// The mesh the packets cross.
    public let mesh: Mesh
    /// Hop latencies in cycles and the packet size in flits.
    public let timing: NetworkTiming
    /// Dimension order of every route.
    public let routing: RoutingOrder
    /// Size of every router input buffer, in flits.
    public let bufferFlits: Int
    /// Cycles a head spends in a router's pipeline (route, arbitration, crossbar) after it arrives.
    public let routerPipelineCycles: UInt32
    /// Counters accumulated over every `route` call so far.
    public private(set) var counters: NetworkCounters
    /// `counters.totals`, read without copying the per-link and per-router arrays.
    public var counterTotals: NetworkCounters.Totals { counters.totals }
    private var simulator: FlitSimulator
    /// Tile of every endpoint (cores, then the host port): `route` maps a packet with a load
    /// instead of a division.
    private let endpointTile: [Int32]
    /// `Mesh.tilePlaces`: x and y of each tile for the delivered packets' hop counts.
    private let tilePlaces: [Int32]

    /// Buffer size used when a chip file does not give one: two 4-flit packets, or 8 one-flit
    /// packets — enough for a 1-cycle link and 1-cycle pipeline to stream at full rate.
    public static let defaultBufferFlits = 8

    /// A 1-cycle router pipeline, or 0 when a hop costs a single cycle (the link needs it) or,
    /// in a timing `validationError` refuses, none.
    public static func defaultRouterPipelineCycles(for timing: NetworkTiming) -> UInt32 {
        min(timing.eastWestHopCycles, timing.northSouthHopCycles) > 1 ? 1 : 0
    }

    /// The smallest buffer that lets every link stream one flit per cycle: it must cover the
    /// credit round trip of the slower direction — hop (link + pipeline) out, link back — plus
    /// the rest of a packet, `hop + link + F − 1` flits. Smaller buffers throttle a link to
    /// `buffer / (hop + link)` flits per cycle even without contention.
    /// Capped at `maximumBufferFlits`: links slower than about 32,768 cycles then stream below
    /// one flit per cycle.
    public static func streamingBufferFlits(for timing: NetworkTiming, routerPipelineCycles: UInt32? = nil) -> Int {
        let pipeline = routerPipelineCycles ?? defaultRouterPipelineCycles(for: timing)
        let hop = Int(max(timing.eastWestHopCycles, timing.northSouthHopCycles))
        return min(maximumBufferFlits, hop + (hop - Int(pipeline)) + timing.flitsPerPacket - 1)
    }

    /// The largest router input buffer, in flits (a chip file's `buffer_flits` allows no more).
    public static let maximumBufferFlits = 65_536

    /// The most memory, in bytes, the model's packet records may take: every input port of every
    /// router keeps a ring of ⌊B / F⌋ packet slots and one of ⌊B / F⌋ + 1 departures, 4 bytes an
    /// entry, reserved when the model is made and taken as routers use them (a 256 × 256 mesh
    /// of 65,536-flit buffers would reserve 171 GB, and a busy run take it).
    public static let maximumRecordBytes = 1 << 32

    /// Why routers of `bufferFlits`-flit buffers on `tiles` tiles would need more than
    /// `maximumRecordBytes` of packet records, or nil.
    static func memoryProblem(tiles: Int, bufferFlits: Int, timing: NetworkTiming) -> String? {
        let slots = bufferFlits / max(1, timing.flitsPerPacket)
        let perTile = 5 * (2 * slots + 1) * 4
        let (bytes, overflow) = tiles.multipliedReportingOverflow(by: perTile)
        guard overflow || bytes > maximumRecordBytes else { return nil }
        let amount = overflow ? "more than \(Int.max.grouped)" : bytes.grouped
        return "\(tiles.grouped) routers with \(bufferFlits.grouped)-flit buffers (\(slots.grouped) packets per input) need \(amount) bytes of packet records; "
            + "the flit model allows at most \(maximumRecordBytes.grouped) (4 GiB): give smaller buffers or a smaller mesh"
    }

    /// Values `validationError(mesh:timing:buffer:routerPipelineCycles:)` refuses stop the
    /// process with its message: check values a user gave with it first. (`Simulation` checks a
    /// chip's router before it builds one: `ChipDescription.checkStructure`, `routerProblem`.)
    /// - Parameters:
    ///   - mesh: one chip (`chipCount` 1); boards run on `IdealNetwork`.
    ///   - buffer: flits per router input buffer, at least `timing.flitsPerPacket`.
    ///   - routerPipelineCycles: cycles of each hop spent in the router; below both hop latencies.
    ///     Defaults to `defaultRouterPipelineCycles(for: timing)`.
    public init(mesh: Mesh, timing: NetworkTiming, routing: RoutingOrder, buffer: Int = FlitNetwork.defaultBufferFlits, routerPipelineCycles: UInt32? = nil) {
        if let problem = Self.validationError(mesh: mesh, timing: timing, buffer: buffer, routerPipelineCycles: routerPipelineCycles) {
            preconditionFailure(problem)
        }
        let pipeline = routerPipelineCycles ?? Self.defaultRouterPipelineCycles(for: timing)
        self.mesh = mesh
        self.timing = timing
        self.routing = routing
        self.bufferFlits = buffer
        self.routerPipelineCycles = pipeline
        counters = NetworkCounters(mesh: mesh)
        endpointTile = mesh.endpointTiles
        tilePlaces = mesh.tilePlaces
        simulator = FlitSimulator(
            width: mesh.width, height: mesh.height, timing: timing, pipelineCycles: pipeline,
            bufferFlits: buffer, routing: routing)
    }

    /// Why `init(mesh:timing:routing:buffer:routerPipelineCycles:)` would refuse these values
    /// (the rule, its limit and the value given), or nil when it accepts them.
    public static func validationError(
        mesh: Mesh, timing: NetworkTiming, buffer: Int = FlitNetwork.defaultBufferFlits, routerPipelineCycles: UInt32? = nil
    ) -> String? {
        if let problem = timing.validationError { return problem }
        if mesh.chipCount > 1 {
            return "the flit model times one chip, and this mesh is a board of \(mesh.chipCount) chips; time boards with IdealNetwork"
        }
        if let problem = bufferProblem(bufferFlits: buffer, timing: timing) ?? memoryProblem(tiles: mesh.tileCount, bufferFlits: buffer, timing: timing) {
            return problem
        }
        return pipelineProblem(routerPipelineCycles ?? defaultRouterPipelineCycles(for: timing), timing: timing)
    }

    /// Why a router input buffer of `bufferFlits` cannot hold a packet, or nil: virtual
    /// cut-through moves whole packets.
    static func bufferProblem(bufferFlits: Int, timing: NetworkTiming) -> String? {
        bufferFlits >= timing.flitsPerPacket ? nil : "buffer of \(bufferFlits) flits is smaller than a \(timing.flitsPerPacket)-flit packet"
    }

    /// Why a router pipeline of `cycles` leaves a link no cycle under `timing`, or nil.
    static func pipelineProblem(_ cycles: UInt32, timing: NetworkTiming) -> String? {
        pipelineProblem(Int(cycles), shortestHop: min(timing.eastWestHopCycles, timing.northSouthHopCycles))
    }

    /// Why a router pipeline of `cycles` leaves the link of a hop of `shortestHop` cycles no
    /// cycle, or nil: the one wording of the rule, for the library and chip files alike.
    public static func pipelineProblem(_ cycles: Int, shortestHop: UInt32) -> String? {
        if cycles < 0 { return "a router pipeline takes at least 0 cycles, got \(cycles)" }
        guard cycles >= Int(shortestHop) else { return nil }
        return "a router pipeline of \(cycles) cycles must be below the shortest hop, \(shortestHop) cycles: a hop is the pipeline plus a link of at least 1 cycle"
    }

    /// Link delay of east–west links (and of their credits), in cycles.
    public var eastWestLinkCycles: UInt32 { timing.eastWestHopCycles - routerPipelineCycles }
    /// Link delay of north–south links (and of their credits), in cycles.
    public var northSouthLinkCycles: UInt32 { timing.northSouthHopCycles - routerPipelineCycles }

    /// The last step's packets in the order they left the mesh: one ejection port per tile
    /// takes a packet at a time, so at every endpoint the packets arrive in strictly increasing
    /// cycles in this order.
    public var arrivalOrder: [Int32]? { simulator.ejectionOrder }

    /// Times one step's packets cycle by cycle, contention included: `deliveries[i]` is packet i's
    /// arrival and hops, and the counters grow by the step's activity (`NetworkModel`).
    public mutating func route(_ packets: [AERPacket], into deliveries: inout [PacketDelivery]) {
        deliveries.resize(to: packets.count, filling: PacketDelivery(arriveCycle: 0, hops: 0))  // each overwritten below
        // Sized once and filled through buffer pointers: no per-element capacity or uniqueness
        // checks for the 10^4 packets of a busy step.
        let count = packets.count
        simulator.resizePackets(count)
        guard count > 0 else { return }
        packets.withUnsafeBufferPointer { packets in
        packets.checkEndpoints(count: endpointTile.count)
        endpointTile.withUnsafeBufferPointer { tileOf in
        simulator.sourceTile.withUnsafeMutableBufferPointer { source in
        simulator.destinationTile.withUnsafeMutableBufferPointer { destination in
        simulator.injectCycle.withUnsafeMutableBufferPointer { inject in
            for index in 0..<count {
                source[index] = tileOf[Int(packets[index].source)]
                destination[index] = tileOf[Int(packets[index].destination)]
                inject[index] = packets[index].injectCycle
            }
        }}}}}
        simulator.run(counters: &counters)
        // The engine takes meshes of at most Int16.max tiles a side, so the hops fit 16 bits.
        @inline(__always) func magnitude(_ x: Int32) -> Int32 { (x ^ (x &>> 31)) &- (x &>> 31) }
        tilePlaces.withUnsafeBufferPointer { places in
        simulator.sourceTile.withUnsafeBufferPointer { source in
        simulator.destinationTile.withUnsafeBufferPointer { destination in
        simulator.arriveCycle.withUnsafeBufferPointer { arrive in
        deliveries.withUnsafeMutableBufferPointer { deliveries in
            for index in 0..<count {
                let from = Int(source[index]) &* 4
                let to = Int(destination[index]) &* 4
                let hops = magnitude(places[from] &- places[to]) &+ magnitude(places[from &+ 1] &- places[to &+ 1])
                deliveries[index] = PacketDelivery(arriveCycle: arrive[index], hops: UInt16(truncatingIfNeeded: hops))
            }
        }}}}}
    }

}
