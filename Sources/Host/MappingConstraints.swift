import Chip
import Router

/// What a user asks of the mapper for one population beyond the chip's limits: smaller slices,
/// and tiles to place them on (a network file's population `"constraints"`).
public struct MappingConstraints: Sendable, Equatable {
    /// At most this many of the population's neurons on one core, at least 1 (nil: the chip's
    /// core limits alone size its slices). Other populations may still share those cores.
    public var maxNeuronsPerCore: Int?
    /// Tiles the population's cores must be placed on, in the order given (empty: anywhere, as
    /// the placer chooses). A population placed by hand keeps its cores to itself, so that no
    /// core answers to two such requests.
    public var tiles: [TileCoordinate]

    /// Constraints of at most `maxNeuronsPerCore` neurons per core, on `tiles`.
    public init(maxNeuronsPerCore: Int? = nil, tiles: [TileCoordinate] = []) {
        self.maxNeuronsPerCore = maxNeuronsPerCore
        self.tiles = tiles
    }

    /// True when nothing is asked.
    public var isEmpty: Bool { maxNeuronsPerCore == nil && tiles.isEmpty }

    /// These constraints with the neuron cap lowered to `cap` where it is higher or unset
    /// (`--max-neurons-per-core` applies to every population).
    public func capped(at cap: Int?) -> MappingConstraints {
        guard let cap else { return self }
        var capped = self
        capped.maxNeuronsPerCore = min(maxNeuronsPerCore ?? cap, cap)
        return capped
    }

    /// The first tile that cannot be met on `chip`'s mesh — off the mesh, or listed twice — as
    /// its index in `tiles` and the rule it breaks, or nil.
    public func tileProblem(on chip: ChipDescription) -> (index: Int, problem: String)? {
        Self.tileProblem(in: tiles, chip: chip)
    }

    /// The first of `tiles` that cannot be met: "tile (9, 0) is off the 8 × 4 mesh of chip
    /// `loihi` (x 0…7, y 0…3)" (checked only with `chip`) or "tile (1, 0) is listed twice", with
    /// its index; nil when all can. Network files and `Simulation` both ask it.
    static func tileProblem(in tiles: [TileCoordinate], chip: ChipDescription?) -> (index: Int, problem: String)? {
        var seen: Set<TileCoordinate> = []
        for (index, tile) in tiles.enumerated() {
            if let chip, !chip.mesh.contains(tile) {
                let mesh = chip.mesh
                return (index, "tile \(tile) is off the \(mesh.width) × \(mesh.height) mesh of chip `\(chip.name)` (x 0…\(mesh.width - 1), y 0…\(mesh.height - 1))")
            }
            guard seen.insert(tile).inserted else { return (index, "tile \(tile) is listed twice") }
        }
        return nil
    }
}
