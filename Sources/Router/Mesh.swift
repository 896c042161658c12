/// A 2-D mesh of `width × height` routers, each serving `coresPerTile` cores, plus one host I/O
/// port attached to an edge router.
///
/// Endpoints are numbered: cores `0..<coreCount` (core `c` sits on tile `c / coresPerTile`, tiles
/// numbered row by row from the south-west corner), then the host port as endpoint `coreCount`.
public struct Mesh: Sendable, Equatable {
    /// Tiles along x (east–west), at least 1.
    public let width: Int
    /// Tiles along y (north–south), at least 1.
    public let height: Int
    /// Cores served by each router.
    public let coresPerTile: Int
    /// The router the host I/O port is attached to; it must lie on the mesh edge.
    public let hostTile: TileCoordinate
    /// Tiles per chip along x and y. A board of several chips is one mesh whose links across a
    /// chip boundary are inter-chip links; a single chip has `chipWidth == width`.
    public let chipWidth: Int
    /// Tiles per chip along y (`chipHeight == height` on a single chip).
    public let chipHeight: Int

    /// Creates a mesh. Values `validationError(width:height:coresPerTile:hostTile:chipWidth:chipHeight:)`
    /// refuses stop the process with its message: check values a user gave with it first. (A
    /// chip file is checked as it is read, so `ChipFile` never builds a refused mesh.)
    /// - Parameters:
    ///   - width, height: tiles along x and y, at least 1.
    ///   - coresPerTile: cores each router serves, at least 1.
    ///   - hostTile: the router of the host I/O port, on an edge of the mesh.
    ///   - chipWidth, chipHeight: tiles per chip on a board, dividing `width` and `height` (nil:
    ///     the whole mesh is one chip).
    public init(width: Int, height: Int, coresPerTile: Int, hostTile: TileCoordinate, chipWidth: Int? = nil, chipHeight: Int? = nil) {
        if let problem = Self.validationError(
            width: width, height: height, coresPerTile: coresPerTile, hostTile: hostTile, chipWidth: chipWidth, chipHeight: chipHeight) {
            preconditionFailure(problem)
        }
        self.width = width
        self.height = height
        self.coresPerTile = coresPerTile
        self.hostTile = hostTile
        self.chipWidth = chipWidth ?? width
        self.chipHeight = chipHeight ?? height
    }

    /// Why `init(width:height:coresPerTile:hostTile:chipWidth:chipHeight:)` would refuse these
    /// values (the rule, its limit and the value given), or nil when it accepts them.
    public static func validationError(
        width: Int, height: Int, coresPerTile: Int, hostTile: TileCoordinate, chipWidth: Int? = nil, chipHeight: Int? = nil
    ) -> String? {
        if width < 1 { return "mesh width must be at least 1 tile, got \(width)" }
        if height < 1 { return "mesh height must be at least 1 tile, got \(height)" }
        if coresPerTile < 1 { return "cores per tile must be at least 1, got \(coresPerTile)" }
        if let problem = sizeProblem(width: width, height: height, coresPerTile: coresPerTile) { return problem }
        if let problem = hostPortProblem(hostTile, width: width, height: height) { return problem }
        for (side, chip, mesh) in [("width", chipWidth ?? width, width), ("height", chipHeight ?? height, height)] where chip < 1 || mesh % chip != 0 {
            return "chip \(side) must be a positive divisor of the mesh \(side) (\(mesh) tiles) for the chips to tile the board, got \(chip)"
        }
        return nil
    }

    /// Most cores a mesh (a chip or a board) may have: every core has its tables and its place in
    /// the placer's search, and beyond about a million setting up a chip takes minutes and
    /// gigabytes before the first step.
    public static let maximumCores = 1 << 20

    /// Why `width` × `height` tiles of `coresPerTile` cores are more than `maximumCores`, or nil.
    public static func sizeProblem(width: Int, height: Int, coresPerTile: Int) -> String? {
        let (tiles, tilesOverflow) = width.multipliedReportingOverflow(by: height)
        let (cores, coresOverflow) = tiles.multipliedReportingOverflow(by: coresPerTile)
        guard tilesOverflow || coresOverflow || cores > maximumCores else { return nil }
        let count = tilesOverflow || coresOverflow ? "more than \(Int.max)" : "\(cores)"
        return "\(width) × \(height) tiles of \(coresPerTile) \(coresPerTile == 1 ? "core" : "cores") is \(count) cores; a chip or board may have at most \(maximumCores)"
    }

    /// Why the host port cannot attach at `hostTile` of a `width` × `height` mesh (only an edge
    /// router has a free side for it), or nil.
    public static func hostPortProblem(_ hostTile: TileCoordinate, width: Int, height: Int) -> String? {
        guard !isOnEdge(hostTile, width: width, height: height) else { return nil }
        let isInside = hostTile.x >= 0 && hostTile.x < width && hostTile.y >= 0 && hostTile.y < height
        return "the host port must attach to an edge router of the \(width) × \(height) mesh; \(hostTile) is \(isInside ? "inside" : "off the mesh")"
    }

    /// Chips on the board (1 for a single chip).
    public var chipCount: Int { (width / chipWidth) * (height / chipHeight) }

    /// True when the link leaving `tile` through `direction` crosses a chip boundary.
    @inline(__always)
    public func isInterChip(tile: Int, direction: LinkDirection) -> Bool {
        let x = tile % width
        let y = tile / width
        switch direction {
        case .east: return (x + 1) % chipWidth == 0
        case .west: return x % chipWidth == 0
        case .north: return (y + 1) % chipHeight == 0
        case .south: return y % chipHeight == 0
        }
    }

    /// Chip boundaries a dimension-order route between two endpoints crosses.
    @inline(__always)
    public func chipCrossings(from source: Int, to destination: Int) -> Int {
        let a = coordinate(ofEndpoint: source)
        let b = coordinate(ofEndpoint: destination)
        return abs(a.x / chipWidth - b.x / chipWidth) + abs(a.y / chipHeight - b.y / chipHeight)
    }

    /// True when `tile` lies on the boundary of a `width × height` mesh.
    public static func isOnEdge(_ tile: TileCoordinate, width: Int, height: Int) -> Bool {
        guard tile.x >= 0, tile.x < width, tile.y >= 0, tile.y < height else { return false }
        return tile.x == 0 || tile.y == 0 || tile.x == width - 1 || tile.y == height - 1
    }

    /// Tiles (routers) in the mesh.
    public var tileCount: Int { width * height }
    /// Cores in the mesh, every tile's.
    public var coreCount: Int { tileCount * coresPerTile }
    /// The endpoint number of the host I/O port.
    public var hostEndpoint: Int { coreCount }
    /// Number of directed router-to-router link slots (four per router; edge slots stay unused).
    public var linkSlotCount: Int { tileCount * 4 }

    /// Tile index (row-major from the south-west corner) of an endpoint.
    @inline(__always)
    public func tileIndex(ofEndpoint endpoint: Int) -> Int {
        endpoint == hostEndpoint ? hostTile.y * width + hostTile.x : endpoint / coresPerTile
    }

    /// Tile index (row-major from the south-west corner) of the tile at `coordinate`.
    public func tileIndex(of coordinate: TileCoordinate) -> Int { coordinate.y * width + coordinate.x }

    /// Whether `coordinate` is a tile of this mesh.
    public func contains(_ coordinate: TileCoordinate) -> Bool {
        coordinate.x >= 0 && coordinate.x < width && coordinate.y >= 0 && coordinate.y < height
    }

    /// Where tile index `tile` (row-major from the south-west corner) lies.
    public func coordinate(ofTile tile: Int) -> TileCoordinate {
        TileCoordinate(x: tile % width, y: tile / width)
    }

    /// The tile of core or host endpoint `endpoint`.
    public func coordinate(ofEndpoint endpoint: Int) -> TileCoordinate {
        coordinate(ofTile: tileIndex(ofEndpoint: endpoint))
    }

    /// The tile of every endpoint, the cores' then the host port's (`tileIndex(ofEndpoint:)` of
    /// each), for loops that would otherwise divide an endpoint number per packet.
    public var endpointTiles: [Int32] {
        (0...hostEndpoint).map { Int32(tileIndex(ofEndpoint: $0)) }
    }

    /// Per tile, in tile order: x, y, chip column, chip row (four entries each), for loops that
    /// would otherwise divide a tile or endpoint number per packet or per evaluated distance.
    public var tilePlaces: [Int32] {
        (0..<tileCount).flatMap { tile in
            let x = tile % width, y = tile / width
            return [Int32(x), Int32(y), Int32(x / chipWidth), Int32(y / chipHeight)]
        }
    }

    /// Index of the directed link leaving `tile` through `direction`.
    @inline(__always)
    public func linkIndex(tile: Int, direction: LinkDirection) -> Int { tile * 4 + direction.rawValue }

    /// Hop counts between two endpoints: (east–west hops, north–south hops).
    @inline(__always)
    public func hops(from source: Int, to destination: Int) -> (eastWest: Int, northSouth: Int) {
        let a = coordinate(ofEndpoint: source)
        let b = coordinate(ofEndpoint: destination)
        return (abs(a.x - b.x), abs(a.y - b.y))
    }

    /// Visits every directed link of the dimension-order route from `source` to `destination`, in
    /// travel order, as (link index, direction).
    @inline(__always)
    public func forEachLink(
        from source: Int, to destination: Int, order: RoutingOrder,
        _ body: (_ link: Int, _ direction: LinkDirection) -> Void
    ) {
        var here = coordinate(ofEndpoint: source)
        let goal = coordinate(ofEndpoint: destination)
        func walkX() {
            while here.x != goal.x {
                let direction: LinkDirection = goal.x > here.x ? .east : .west
                body(linkIndex(tile: here.y * width + here.x, direction: direction), direction)
                here.x += direction == .east ? 1 : -1
            }
        }
        func walkY() {
            while here.y != goal.y {
                let direction: LinkDirection = goal.y > here.y ? .north : .south
                body(linkIndex(tile: here.y * width + here.x, direction: direction), direction)
                here.y += direction == .north ? 1 : -1
            }
        }
        switch order {
        case .xy: walkX(); walkY()
        case .yx: walkY(); walkX()
        }
    }
}
