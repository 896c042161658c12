/// The position of a tile (one router and its cores) in the mesh; (0, 0) is the south-west corner.
public struct TileCoordinate: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int

    /// The tile in column `x` and row `y` (the origin is the south-west corner).
    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }

    public var description: String { "(\(x), \(y))" }
}
