/// The position of a tile (one router and its cores) in the mesh; (0, 0) is the south-west corner.
public struct TileCoordinate: Hashable, Sendable, CustomStringConvertible {
    /// Column, counted eastward from 0.
    public var x: Int
    /// Row, counted northward from 0.
    public var y: Int

    /// The tile in column `x` and row `y` (the origin is the south-west corner).
    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }

    /// `(x, y)`.
    public var description: String { "(\(x), \(y))" }
}
