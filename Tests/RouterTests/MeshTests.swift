import Testing
@testable import Router

@Suite struct MeshTests {
    /// 4 × 4 tiles, 2 cores per tile, host port on the west edge at (0, 3).
    static let mesh = Mesh(width: 4, height: 4, coresPerTile: 2, hostTile: TileCoordinate(x: 0, y: 3))

    @Test func sizes() {
        let mesh = Self.mesh
        #expect(mesh.tileCount == 16)
        #expect(mesh.coreCount == 32)
        #expect(mesh.hostEndpoint == 32)
        #expect(mesh.linkSlotCount == 64)
    }

    @Test(arguments: [
        (0, 0, 0, 0), (1, 0, 0, 0), (2, 1, 1, 0), (11, 5, 1, 1), (13, 6, 2, 1), (31, 15, 3, 3), (32, 12, 0, 3),
    ])
    func endpointCoordinates(endpoint: Int, tile: Int, x: Int, y: Int) {
        let mesh = Self.mesh
        #expect(mesh.tileIndex(ofEndpoint: endpoint) == tile)
        #expect(mesh.coordinate(ofEndpoint: endpoint) == TileCoordinate(x: x, y: y))
        #expect(mesh.coordinate(ofTile: tile) == TileCoordinate(x: x, y: y))
    }

    @Test func tileNumberingIsRowMajorFromSouthWest() {
        let mesh = Mesh(width: 3, height: 2, coresPerTile: 1, hostTile: TileCoordinate(x: 2, y: 1))
        let coordinates = (0..<mesh.tileCount).map { mesh.coordinate(ofTile: $0) }
        #expect(coordinates == [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2, 1)].map { TileCoordinate(x: $0.0, y: $0.1) })
        #expect(mesh.tileIndex(ofEndpoint: mesh.hostEndpoint) == 5)
    }

    @Test(arguments: [
        (0, 0, true), (1, 0, true), (3, 0, true), (0, 2, true), (3, 2, true), (1, 3, true), (3, 3, true),
        (1, 1, false), (2, 2, false), (1, 2, false),
        (4, 0, false), (0, 4, false), (-1, 0, false), (0, -1, false), (5, 5, false),
    ])
    func isOnEdge(x: Int, y: Int, expected: Bool) {
        #expect(Mesh.isOnEdge(TileCoordinate(x: x, y: y), width: 4, height: 4) == expected)
    }

    @Test func singleTileAndThinMeshesAreAllEdge() {
        #expect(Mesh.isOnEdge(TileCoordinate(x: 0, y: 0), width: 1, height: 1))
        #expect((0..<5).allSatisfy { Mesh.isOnEdge(TileCoordinate(x: $0, y: 0), width: 5, height: 1) })
        #expect((0..<5).allSatisfy { Mesh.isOnEdge(TileCoordinate(x: 1, y: $0), width: 3, height: 5) } == false)
        #expect(Mesh.isOnEdge(TileCoordinate(x: 1, y: 1), width: 3, height: 3) == false)
    }

    @Test func hops() {
        let mesh = Self.mesh
        // core 0 is on (0, 0); cores 12/13 on tile 6 = (2, 1); core 31 on (3, 3); host on (0, 3).
        #expect(mesh.hops(from: 0, to: 12) == (2, 1))
        #expect(mesh.hops(from: 12, to: 0) == (2, 1))
        #expect(mesh.hops(from: 0, to: 1) == (0, 0))
        #expect(mesh.hops(from: 31, to: 0) == (3, 3))
        #expect(mesh.hops(from: mesh.hostEndpoint, to: 31) == (3, 0))
        #expect(mesh.hops(from: mesh.hostEndpoint, to: 0) == (0, 3))
    }

    @Test func linkIndex() {
        let mesh = Self.mesh
        #expect(mesh.linkIndex(tile: 0, direction: .east) == 0)
        #expect(mesh.linkIndex(tile: 0, direction: .south) == 3)
        #expect(mesh.linkIndex(tile: 5, direction: .north) == 22)
        #expect(mesh.linkIndex(tile: 15, direction: .west) == 61)
    }

    /// The route as (link index, direction letter) pairs.
    static func route(_ mesh: Mesh, _ source: Int, _ destination: Int, _ order: RoutingOrder) -> [String] {
        var links: [String] = []
        mesh.forEachLink(from: source, to: destination, order: order) { link, direction in
            links.append("\(direction.letter)\(link)")
        }
        return links
    }

    @Test func forEachLinkFromOriginToTwoOne() {
        let mesh = Self.mesh
        // (0, 0) → (2, 1): XY goes E from tile 0, E from tile 1, N from tile 2.
        #expect(Self.route(mesh, 0, 12, .xy) == ["E0", "E4", "N10"])
        // YX goes N from tile 0, E from tile 4, E from tile 5.
        #expect(Self.route(mesh, 0, 12, .yx) == ["N2", "E16", "E20"])
    }

    @Test func forEachLinkWestAndSouth() {
        let mesh = Self.mesh
        // (3, 3) → (0, 1): XY: W from tiles 15, 14, 13, then S from tiles 12, 8.
        #expect(Self.route(mesh, 31, 8, .xy) == ["W61", "W57", "W53", "S51", "S35"])
        // YX: S from tiles 15, 11, then W from tiles 7, 6, 5.
        #expect(Self.route(mesh, 31, 8, .yx) == ["S63", "S47", "W29", "W25", "W21"])
    }

    @Test func forEachLinkWithinOneTileVisitsNothing() {
        let mesh = Self.mesh
        #expect(Self.route(mesh, 12, 13, .xy).isEmpty)
        #expect(Self.route(mesh, 12, 12, .yx).isEmpty)
    }

    @Test func forEachLinkFromHostStartsAtHostTile() {
        let mesh = Self.mesh
        // host (0, 3) → core 30 on (3, 3): E from tiles 12, 13, 14.
        #expect(Self.route(mesh, mesh.hostEndpoint, 30, .xy) == ["E48", "E52", "E56"])
        // host (0, 3) → core 0 on (0, 0): S from tiles 12, 8, 4.
        #expect(Self.route(mesh, mesh.hostEndpoint, 0, .xy) == ["S51", "S35", "S19"])
    }

    @Test(arguments: RoutingOrder.allCases)
    func everyRouteIsAContiguousMinimalWalk(order: RoutingOrder) {
        let mesh = Mesh(width: 5, height: 3, coresPerTile: 2, hostTile: TileCoordinate(x: 4, y: 1))
        for source in 0...mesh.hostEndpoint {
            for destination in 0..<mesh.coreCount {
                var here = mesh.coordinate(ofEndpoint: source)
                var count = 0
                var turned = false
                var firstAxisIsX: Bool?
                mesh.forEachLink(from: source, to: destination, order: order) { link, direction in
                    // Each link leaves the tile we are on.
                    #expect(link == mesh.linkIndex(tile: here.y * mesh.width + here.x, direction: direction))
                    let isX = direction.isEastWest
                    if firstAxisIsX == nil { firstAxisIsX = isX }
                    if isX != firstAxisIsX { turned = true } else { #expect(!turned, "dimension order turns only once") }
                    switch direction {
                    case .east: here.x += 1
                    case .west: here.x -= 1
                    case .north: here.y += 1
                    case .south: here.y -= 1
                    }
                    #expect(here.x >= 0 && here.x < mesh.width && here.y >= 0 && here.y < mesh.height)
                    count += 1
                }
                #expect(here == mesh.coordinate(ofEndpoint: destination))
                let hops = mesh.hops(from: source, to: destination)
                #expect(count == hops.eastWest + hops.northSouth)
                if let firstAxisIsX, hops.eastWest > 0, hops.northSouth > 0 {
                    #expect(firstAxisIsX == (order == .xy))
                }
            }
        }
    }

    /// The initialiser stops on the message `validationError` gives for the same values.
    @Test func hostPortMustSitOnAnEdge() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Mesh(width: 3, height: 3, coresPerTile: 1, hostTile: TileCoordinate(x: 1, y: 1))
        }
        #expect(standardError(of: result).contains("the host port must attach to an edge router of the 3 × 3 mesh; (1, 1) is inside"))
    }

    /// Each rule a mesh is held to, as a library user can check it before building one: the
    /// rule, the limit and the value given.
    @Test func validationNamesTheRuleTheLimitAndTheValue() {
        let corner = TileCoordinate(x: 0, y: 0)
        #expect(Mesh.validationError(width: 8, height: 4, coresPerTile: 2, hostTile: TileCoordinate(x: 7, y: 2), chipWidth: 4, chipHeight: 2) == nil)
        #expect(Mesh.validationError(width: 1, height: 1, coresPerTile: 1, hostTile: corner) == nil)
        #expect(Mesh.validationError(width: 0, height: 4, coresPerTile: 1, hostTile: corner) == "mesh width must be at least 1 tile, got 0")
        #expect(Mesh.validationError(width: 4, height: -1, coresPerTile: 1, hostTile: corner) == "mesh height must be at least 1 tile, got -1")
        #expect(Mesh.validationError(width: 4, height: 4, coresPerTile: 0, hostTile: corner) == "cores per tile must be at least 1, got 0")
        // At most 2^20 cores (a board's too), products that overflow included.
        #expect(Mesh.validationError(width: 1024, height: 1024, coresPerTile: 1, hostTile: corner) == nil)
        #expect(Mesh.validationError(width: 1024, height: 1024, coresPerTile: 2, hostTile: corner)
            == "1024 × 1024 tiles of 2 cores is 2097152 cores; a chip or board may have at most 1048576")
        #expect(Mesh.validationError(width: 1 << 62, height: 4, coresPerTile: 1, hostTile: corner)
            == "4611686018427387904 × 4 tiles of 1 core is more than 9223372036854775807 cores; a chip or board may have at most 1048576")
        #expect(Mesh.validationError(width: 3, height: 3, coresPerTile: 1, hostTile: TileCoordinate(x: 1, y: 1))
            == "the host port must attach to an edge router of the 3 × 3 mesh; (1, 1) is inside")
        #expect(Mesh.validationError(width: 3, height: 3, coresPerTile: 1, hostTile: TileCoordinate(x: 3, y: 0))
            == "the host port must attach to an edge router of the 3 × 3 mesh; (3, 0) is off the mesh")
        #expect(Mesh.validationError(width: 8, height: 4, coresPerTile: 1, hostTile: corner, chipWidth: 3)
            == "chip width must be a positive divisor of the mesh width (8 tiles) for the chips to tile the board, got 3")
        #expect(Mesh.validationError(width: 8, height: 4, coresPerTile: 1, hostTile: corner, chipWidth: 4, chipHeight: 0)
            == "chip height must be a positive divisor of the mesh height (4 tiles) for the chips to tile the board, got 0")
    }
}
