import Router

/// Engine cores pinned to tiles (populations' `tiles` constraints), grouped by their tile list —
/// a population's cores share one — and their matching to tiles. The placer asks it which mesh
/// cores a core may take; `Simulation` asks it, before loading, whether the pins can be met.
struct TilePins: Sendable {
    let mesh: Mesh
    /// Each engine core's group (index into `groupTiles`), or −1 when it is not pinned.
    let groupOfCore: [Int32]
    /// Each group's tiles, tile numbers in the order given.
    let groupTiles: [[Int32]]
    /// Each group's tiles as a set, for the placer's membership tests.
    let groupTileSets: [Set<Int32>]
    /// Each group's mesh cores: its tiles' cores, in its tiles' order.
    let groupSlots: [[Int]]

    /// Pins of `allowedTiles` (empty, or a list per engine core; an empty list: not pinned).
    init(allowedTiles: [[Int32]], mesh: Mesh) {
        self.mesh = mesh
        var groups: [[Int32]: Int32] = [:]
        var tiles: [[Int32]] = []
        groupOfCore = allowedTiles.map { list in
            guard !list.isEmpty else { return -1 }
            if let group = groups[list] { return group }
            let group = Int32(tiles.count)
            groups[list] = group
            tiles.append(list)
            return group
        }
        groupTiles = tiles
        groupTileSets = tiles.map(Set.init)
        let perTile = mesh.coresPerTile
        groupSlots = tiles.map { list in list.flatMap { tile in (Int(tile) * perTile)..<((Int(tile) + 1) * perTile) } }
    }

    /// True when no core is pinned.
    var isEmpty: Bool { groupTiles.isEmpty }

    /// The group of pinned engine core `core`, or nil.
    @inline(__always)
    func group(of core: Int) -> Int? {
        guard !isEmpty, groupOfCore[core] >= 0 else { return nil }
        return Int(groupOfCore[core])
    }

    /// Whether engine core `core` may sit on mesh core `slot`.
    @inline(__always)
    func allows(_ core: Int, _ slot: Int) -> Bool {
        guard let group = group(of: core) else { return true }
        return groupTileSets[group].contains(Int32(slot / mesh.coresPerTile))
    }

    /// Pinned cores, the most constrained first: fewest tiles, then core order.
    var pinnedCores: [Int] {
        groupOfCore.indices.filter { groupOfCore[$0] >= 0 }.sorted { a, b in
            (groupTiles[Int(groupOfCore[a])].count, a) < (groupTiles[Int(groupOfCore[b])].count, b)
        }
    }

    /// `Placer.inOrderPlacement` for `coreCount` engine cores (see there).
    func inOrderPlacement(coreCount: Int) -> (endpoints: [Int32], unplaced: [Int]) {
        precondition(coreCount <= mesh.coreCount, "more cores than the mesh has")
        guard !isEmpty else { return ((0..<coreCount).map(Int32.init), []) }
        var matching = Matching(pins: self)
        var unplaced: [Int] = []
        for core in pinnedCores where !matching.match(core) { unplaced.append(core) }
        var endpoints = Array(repeating: Int32(-1), count: coreCount)
        var taken = Array(repeating: false, count: mesh.coreCount)
        for (tile, cores) in matching.holders {
            for (offset, core) in cores.sorted().enumerated() {
                let slot = Int(tile) * mesh.coresPerTile + offset
                endpoints[core] = Int32(slot)
                taken[slot] = true
            }
        }
        var next = 0
        for core in 0..<coreCount where groupOfCore[core] < 0 {
            while taken[next] { next += 1 }
            endpoints[core] = Int32(next)
            taken[next] = true
        }
        return (endpoints, unplaced)
    }

    /// Pinned cores matched to tiles so far: Kuhn's augmenting paths, breadth first, over tiles
    /// that each hold `coresPerTile` cores.
    private struct Matching {
        let pins: TilePins
        /// Tile → the pinned cores matched to it. Counts only grow (an augmenting path moves
        /// cores between full tiles and adds one to the tile at its end), which the cursors use.
        var holders: [Int32: [Int]] = [:]
        /// Per group, the first of its tiles that may still have room.
        var cursor: [Int]
        /// Groups a core of which found no augmenting path: none of them ever will (a vertex
        /// without one keeps lacking one as the matching grows).
        var failed: Set<Int> = []

        init(pins: TilePins) {
            self.pins = pins
            cursor = Array(repeating: 0, count: pins.groupTiles.count)
        }

        /// Matches pinned `core` to a tile of its group, moving cores matched before along an
        /// augmenting path when its tiles are full; false when no path exists.
        mutating func match(_ core: Int) -> Bool {
            let group = Int(pins.groupOfCore[core])
            guard !failed.contains(group) else { return false }
            let tiles = pins.groupTiles[group]
            let capacity = pins.mesh.coresPerTile
            while cursor[group] < tiles.count && holders[tiles[cursor[group]], default: []].count >= capacity { cursor[group] += 1 }
            if cursor[group] < tiles.count {
                holders[tiles[cursor[group]], default: []].append(core)
                return true
            }
            // Every tile of the group is full: search for a tile with room that cores can
            // make way towards, expanding each group's tiles once (its cores can all go there).
            var reachedFrom: [Int32: (tile: Int32, mover: Int)] = [:]  // tile → the tile its mover leaves
            var visited = Set(tiles)
            var expanded: Set<Int> = [group]
            var queue = tiles
            var head = 0
            while head < queue.count {
                let tile = queue[head]
                head += 1
                if holders[tile, default: []].count < capacity {
                    // Room: each mover on the path steps into the tile after its own, back to `core`.
                    var target = tile
                    while let (source, mover) = reachedFrom[target] {
                        holders[target, default: []].append(mover)
                        holders[source]?.removeAll { $0 == mover }
                        target = source
                    }
                    holders[target, default: []].append(core)
                    return true
                }
                for mover in holders[tile] ?? [] {
                    let moverGroup = Int(pins.groupOfCore[mover])
                    guard expanded.insert(moverGroup).inserted else { continue }
                    for next in pins.groupTiles[moverGroup] where visited.insert(next).inserted {
                        reachedFrom[next] = (tile, mover)
                        queue.append(next)
                    }
                }
            }
            failed.insert(group)
            return false
        }
    }
}
