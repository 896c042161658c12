/// Latency of the mesh-wide barrier that ends every timestep.
///
/// Published barrier latencies grow with the number of tiles taking part (Loihi: 113 ns for one
/// tile, 465 ns for 32), so the latency is interpolated linearly between two measured points and
/// extrapolated beyond them, in whole cycles (floor). Its energy is `EventCosts[.barrier]`.
public struct BarrierModel: Sendable, Equatable {
    /// Latency in cycles when one tile takes part.
    public var oneTileCycles: UInt32
    /// Latency in cycles when `referenceTiles` tiles take part.
    public var referenceCycles: UInt32
    /// Tile count of the second measured point (≥ 1).
    public var referenceTiles: Int

    /// A barrier of `oneTileCycles` cycles on one tile and `referenceCycles` on `referenceTiles`.
    public init(oneTileCycles: UInt32, referenceCycles: UInt32, referenceTiles: Int) {
        self.oneTileCycles = oneTileCycles
        self.referenceCycles = referenceCycles
        self.referenceTiles = max(1, referenceTiles)
    }

    /// Barrier latency in cycles for `tiles` participating tiles.
    public func cycles(tiles: Int) -> UInt32 {
        guard referenceTiles > 1, tiles > 1 else { return oneTileCycles }
        let rise = (Int64(referenceCycles) - Int64(oneTileCycles)) * Int64(tiles - 1)
        let run = Int64(referenceTiles - 1)
        // Floor, not Swift's truncation: a falling line (reference below one tile) must round down too.
        let step = rise / run - (rise % run < 0 ? 1 : 0)
        return UInt32(clamping: max(0, Int64(oneTileCycles) + step))
    }
}
