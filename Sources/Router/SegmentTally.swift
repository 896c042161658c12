/// Charges dimension-order routes to the link and router counters in constant time per packet.
///
/// A dimension-order route is two straight segments: along a row, then along a column (XY), or
/// the other way round (YX). Adding `f` flits to every link and router of a segment is two
/// entries in a difference array of its row or column; one prefix-sum pass per step (`flush`)
/// turns the differences into counts. The result equals walking every route link by link, which
/// costs a packet as many updates as it has hops — the difference on large meshes, where most
/// packets of a step take routes no other packet takes.
struct SegmentTally {
    let width: Int
    let height: Int
    let routing: RoutingOrder

    /// Difference arrays, one allocation: east, west and router differences per row (index
    /// y·(width + 1) + x), then north, south and router differences per column (index
    /// x·(height + 1) + y). The extra entry of each row or column takes the "minus" of a segment
    /// that ends at the mesh edge.
    private var differences: [Int64]
    private let rowStride: Int
    private let columnStride: Int
    /// Per tile: x, y, chip column, chip row (four entries each), so a packet costs no division.
    private let tilePlaces: [Int32]
    private var isEmpty = true

    private var rowsSize: Int { rowStride * height }
    private var columnsSize: Int { columnStride * width }

    init(mesh: Mesh, routing: RoutingOrder) {
        width = mesh.width
        height = mesh.height
        self.routing = routing
        rowStride = width + 1
        columnStride = height + 1
        differences = Array(repeating: 0, count: 3 * (width + 1) * height + 3 * (height + 1) * width)
        tilePlaces = mesh.tilePlaces
    }

    /// Hop totals of the packets of one `add` call, by kind (a hop across a chip boundary is
    /// inter-chip, whatever its direction).
    struct HopTotals {
        var eastWest: UInt64 = 0
        var northSouth: UInt64 = 0
        var interChip: UInt64 = 0
    }

    /// Adds `flits` to every link and router of each packet's route (source and destination
    /// routers included) and writes each packet's delivery (its zero-load latency and hops) at
    /// its index in `deliveries`. Returns the hops of all packets by kind.
    /// `endpointTiles` is `Mesh.endpointTiles`.
    mutating func add(
        _ packets: UnsafeBufferPointer<AERPacket>, endpointTiles: [Int32], timing: NetworkTiming, flits: Int64, into deliveries: UnsafeMutableBufferPointer<PacketDelivery>
    ) -> HopTotals {
        guard !packets.isEmpty else { return HopTotals() }
        isEmpty = false
        var totals = HopTotals()
        let rows = rowsSize, columns = columnsSize
        let routing = routing
        let rowStride = rowStride, columnStride = columnStride
        differences.withUnsafeMutableBufferPointer { differences in
        tilePlaces.withUnsafeBufferPointer { places in
        endpointTiles.withUnsafeBufferPointer { endpointTiles in
            let east = differences.baseAddress!, west = east + rows, rowRouters = west + rows
            let north = rowRouters + rows, south = north + columns, columnRouters = south + columns
            /// Links from a to b along one row or column (forward links leave a…b−1, backward
            /// links b+1…a) and the routers a…b (without a unless `includingStart`).
            @inline(__always) func addLine(
                _ forward: UnsafeMutablePointer<Int64>, _ backward: UnsafeMutablePointer<Int64>, _ routers: UnsafeMutablePointer<Int64>,
                _ line: Int, _ a: Int, _ b: Int, includingStart: Bool
            ) {
                if b > a {
                    forward[line &+ a] &+= flits
                    forward[line &+ b] &-= flits
                    routers[line &+ (includingStart ? a : a &+ 1)] &+= flits
                    routers[line &+ b &+ 1] &-= flits
                } else if b < a {
                    backward[line &+ b &+ 1] &+= flits
                    backward[line &+ a &+ 1] &-= flits
                    routers[line &+ b] &+= flits
                    routers[line &+ (includingStart ? a &+ 1 : a)] &-= flits
                } else if includingStart {
                    routers[line &+ a] &+= flits
                    routers[line &+ a &+ 1] &-= flits
                }
            }
            for (index, packet) in packets.enumerated() {
                let source = Int(endpointTiles[Int(packet.source)]) &* 4
                let destination = Int(endpointTiles[Int(packet.destination)]) &* 4
                let x1 = Int(places[source]), y1 = Int(places[source &+ 1])
                let x2 = Int(places[destination]), y2 = Int(places[destination &+ 1])
                switch routing {
                case .xy:
                    addLine(east, west, rowRouters, y1 &* rowStride, x1, x2, includingStart: true)
                    addLine(north, south, columnRouters, x2 &* columnStride, y1, y2, includingStart: false)
                case .yx:
                    addLine(north, south, columnRouters, x1 &* columnStride, y1, y2, includingStart: true)
                    addLine(east, west, rowRouters, y2 &* rowStride, x1, x2, includingStart: false)
                }
                let crossingsX = abs(Int(places[destination &+ 2]) &- Int(places[source &+ 2]))
                let crossingsY = abs(Int(places[destination &+ 3]) &- Int(places[source &+ 3]))
                let eastWest = abs(x2 &- x1) &- crossingsX
                let northSouth = abs(y2 &- y1) &- crossingsY
                let interChip = crossingsX &+ crossingsY
                totals.eastWest &+= UInt64(eastWest)
                totals.northSouth &+= UInt64(northSouth)
                totals.interChip &+= UInt64(interChip)
                let latency = timing.zeroLoadLatency(eastWestHops: eastWest, northSouthHops: northSouth, interChipHops: interChip)
                deliveries[index] = PacketDelivery(arriveCycle: packet.injectCycle &+ latency, hops: UInt16(truncatingIfNeeded: eastWest &+ northSouth &+ interChip))
            }
        }}}
        return totals
    }

    /// Adds the tallied flits to `counters` (links: flits and busy cycles; routers: flits in)
    /// and clears the tally: one pass over every row and column.
    mutating func flush(into counters: inout NetworkCounters) {
        guard !isEmpty else { return }
        isEmpty = true
        let width = width, height = height, rows = rowsSize, columns = columnsSize
        let rowStride = rowStride, columnStride = columnStride
        differences.withUnsafeMutableBufferPointer { differences in
        counters.linkFlits.withUnsafeMutableBufferPointer { linkFlits in
        counters.linkBusyCycles.withUnsafeMutableBufferPointer { linkBusy in
        counters.routerFlits.withUnsafeMutableBufferPointer { routerFlits in
            let east = differences.baseAddress!, west = east + rows, rowRouters = west + rows
            let north = rowRouters + rows, south = north + columns, columnRouters = south + columns
            func chargeLink(_ link: Int, _ flits: Int64) {
                linkFlits[link] &+= UInt64(bitPattern: flits)
                linkBusy[link] &+= UInt64(bitPattern: flits)
            }
            /// Prefix sums along `lines` lines of `length` tiles each; `tile(line, k)` is the k-th
            /// tile of a line.
            func charge(
                lines: Int, length: Int, stride: Int, _ forward: UnsafeMutablePointer<Int64>, _ backward: UnsafeMutablePointer<Int64>,
                _ routers: UnsafeMutablePointer<Int64>, forwardLink: LinkDirection, backwardLink: LinkDirection, tile: (Int, Int) -> Int
            ) {
                for line in 0..<lines {
                    let start = line * stride
                    var forwardFlits: Int64 = 0, backwardFlits: Int64 = 0, routerSum: Int64 = 0
                    for k in 0..<length {
                        forwardFlits &+= forward[start + k]
                        backwardFlits &+= backward[start + k]
                        routerSum &+= routers[start + k]
                        let here = tile(line, k)
                        if forwardFlits != 0 { chargeLink(here * 4 + forwardLink.rawValue, forwardFlits) }
                        if backwardFlits != 0 { chargeLink(here * 4 + backwardLink.rawValue, backwardFlits) }
                        routerFlits[here] &+= UInt64(bitPattern: routerSum)
                    }
                }
            }
            charge(lines: height, length: width, stride: rowStride, east, west, rowRouters, forwardLink: .east, backwardLink: .west) { y, x in y * width + x }
            charge(lines: width, length: height, stride: columnStride, north, south, columnRouters, forwardLink: .north, backwardLink: .south) { x, y in y * width + x }
            differences.update(repeating: 0)
        }}}}
    }
}
