/// A value-semantics front for `FlitEngine`: fill the three packet arrays, call `run`, read
/// `arriveCycle`. Used by `FlitNetwork` (one timestep's packets) and `SyntheticTraffic`.
struct FlitSimulator: Sendable {
    let width: Int
    let height: Int
    let timing: NetworkTiming
    let pipelineCycles: UInt32
    let bufferFlits: Int
    let routing: RoutingOrder

    /// Source and destination tile and inject cycle of each packet.
    var sourceTile: [Int32] = []
    var destinationTile: [Int32] = []
    var injectCycle: [UInt32] = []
    /// Written by `run`: the cycle each packet's tail reaches its destination core.
    private(set) var arriveCycle: [UInt32] = []
    /// Written by `run`: packet indices in the order the packets leave the mesh, which at every
    /// destination tile is increasing arrival cycle (a tile ejects one packet at a time).
    private(set) var ejectionOrder: [Int32] = []
    /// Test hook: run each cycle's arbitrations in the opposite order.
    var reverseTies = false

    private var storage: FlitStorage

    /// Slots per timing-wheel bucket the engine has grown to (for tests).
    var wheelBucketCapacity: Int { storage.engine.bucketCapacity }

    init(width: Int, height: Int, timing: NetworkTiming, pipelineCycles: UInt32, bufferFlits: Int, routing: RoutingOrder) {
        self.width = width
        self.height = height
        self.timing = timing
        self.pipelineCycles = pipelineCycles
        self.bufferFlits = bufferFlits
        self.routing = routing
        storage = FlitStorage(engine: FlitEngine(
            width: width, height: height, timing: timing, pipelineCycles: pipelineCycles,
            bufferFlits: bufferFlits, routing: routing))
    }

    /// Gives the three packet arrays `count` elements each, keeping their capacity; the caller
    /// then overwrites every element. The results of the last run are dropped.
    mutating func resizePackets(_ count: Int) {
        sourceTile.resize(to: count, filling: 0)
        destinationTile.resize(to: count, filling: 0)
        injectCycle.resize(to: count, filling: 0)
        arriveCycle.removeAll(keepingCapacity: true)
        ejectionOrder.removeAll(keepingCapacity: true)
    }

    /// Simulates the packets on an empty mesh until all are delivered, fills `arriveCycle`, and
    /// adds the activity to `counters` (which must be sized for this mesh).
    mutating func run(counters: inout NetworkCounters) {
        if !isKnownUniquelyReferenced(&storage) {
            storage = FlitStorage(engine: FlitEngine(
                width: width, height: height, timing: timing, pipelineCycles: pipelineCycles,
                bufferFlits: bufferFlits, routing: routing))
        }
        precondition(sourceTile.count <= EventKey.maximumRank, "more than 2^28 packets in one run (the limit of a timestep)")
        arriveCycle.resize(to: sourceTile.count, filling: 0)  // each element written by the run
        ejectionOrder.resize(to: sourceTile.count, filling: 0)
        storage.engine.reverseTies = reverseTies
        sourceTile.withUnsafeBufferPointer { source in
            destinationTile.withUnsafeBufferPointer { destination in
                injectCycle.withUnsafeBufferPointer { inject in
                    arriveCycle.withUnsafeMutableBufferPointer { arrive in
                        ejectionOrder.withUnsafeMutableBufferPointer { order in
                            storage.engine.run(
                                sourceTile: source, destinationTile: destination, injectCycle: inject,
                                arriveCycle: arrive, ejectionOrder: order, counters: &counters)
                        }
                    }
                }
            }
        }
    }
}
