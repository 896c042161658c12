/// Synthetic destination patterns for measuring the mesh (Dally & Towles, ch. 3 and 23; the
/// names and definitions of BookSim's `traffic` option). Tiles are numbered row by row from the
/// south-west corner; (x, y) is a tile's position in a `width × height` mesh.
public enum TrafficPattern: String, Sendable, CaseIterable {
    /// Every packet goes to a tile drawn uniformly from all tiles (its own included).
    case uniform
    /// (x, y) → (y, x); square meshes only. Diagonal tiles send to themselves.
    case transpose
    /// (x, y) → (width − 1 − x, height − 1 − y): the bit complement of the tile number when both
    /// sides are powers of two.
    case bitcomplement
    /// A fraction of all packets (`SyntheticTraffic.hotspotFraction`) goes to the hotspot tile
    /// (width / 2, height / 2); the rest is uniform.
    case hotspot
    /// (x, y) → ((x + 1) mod width, (y + 1) mod height): the diagonal neighbour, wrapping around
    /// (so the last column and row travel across the whole mesh).
    case neighbor

    /// True for patterns defined only on square meshes.
    public var requiresSquareMesh: Bool { self == .transpose }

    /// The hotspot tile of a `width × height` mesh.
    public static func hotspotTile(width: Int, height: Int) -> Int { (height / 2) * width + width / 2 }

    /// The fixed destination of `source`, or nil when the pattern draws it at random.
    func fixedDestination(of source: Int, width: Int, height: Int) -> Int? {
        let x = source % width
        let y = source / width
        switch self {
        case .uniform, .hotspot: return nil
        case .transpose: return x * width + y
        case .bitcomplement: return (height - 1 - y) * width + (width - 1 - x)
        case .neighbor: return ((y + 1) % height) * width + (x + 1) % width
        }
    }

    /// Uniform and hotspot traffic send to every tile with some probability; the other patterns
    /// send each source to one fixed destination (`fixedDestination`).
    var sendsToEveryTile: Bool { self == .uniform || self == .hotspot }
}
