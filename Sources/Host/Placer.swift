import Router

/// Places a partitioned network's cores on the mesh to minimise Σ traffic(i, j) × hops(i, j).
///
/// Traffic between two cores is the number of packets one spike of each source neuron sends
/// there, summed over the source's neurons and weighted by their expected spikes (1 each without
/// measured rates); the host port is a fixed node, since input spikes cross the mesh too. Hops are
/// router-to-router links under dimension-order routing (the Manhattan distance between tiles); on
/// a board a link between chips counts `interChipWeight` times, so traffic stays on its chip.
///
/// Deterministic: a greedy start places cores in order of decreasing traffic, each on the free
/// mesh core that adds the least cost (ties to the lowest core number); then passes of pairwise
/// moves — swapping two placed cores or moving one to a free mesh core — apply every improving
/// move in a fixed order until a pass improves nothing, `maximumPasses` is reached or the
/// `evaluationBudget` is spent. On very large meshes the greedy start is replaced by in-order,
/// and where the budget covers under `minimumPassCoverage` of one pass no pass runs. Cores
/// pinned to tiles (`allowedTiles`) are placed first and only ever moved within their tiles.
public struct Placer: Sendable {
    /// Packets per unit of time from engine core i to engine core j.
    public let traffic: TrafficMatrix
    /// Packets from the host port to each engine core.
    public let hostTraffic: [Double]
    /// The mesh whose cores the engine cores are placed on.
    public let mesh: Mesh
    /// How many ordinary hops one crossing between chips of a board counts for (1 on one chip).
    public let interChipWeight: Int
    /// Tiles each engine core must be placed on, as tile numbers (`y × width + x`); an empty
    /// list, or none at all, leaves the core to the placer. Populations' `tiles` constraints.
    public let allowedTiles: [[Int32]]
    /// `allowedTiles` grouped, with each group's mesh cores and the matching.
    private let pins: TilePins

    /// A placer of `traffic` and `hostTraffic` (one entry per engine core) onto `mesh`;
    /// `interChipWeight` below 1 counts as 1; `allowedTiles` empty or one list per engine core.
    public init(traffic: TrafficMatrix, hostTraffic: [Double], mesh: Mesh, interChipWeight: Int = 1, allowedTiles: [[Int32]] = []) {
        precondition(hostTraffic.count == traffic.count, "host traffic for every core")
        precondition(allowedTiles.isEmpty || allowedTiles.count == traffic.count, "allowed tiles for every core, or none")
        precondition(allowedTiles.allSatisfy { $0.allSatisfy { (0..<Int32(mesh.tileCount)).contains($0) } }, "allowed tiles must be tiles of the mesh")
        self.traffic = traffic
        self.hostTraffic = hostTraffic
        self.mesh = mesh
        self.interChipWeight = max(1, interChipWeight)
        self.allowedTiles = allowedTiles
        pins = TilePins(allowedTiles: allowedTiles, mesh: mesh)
    }

    /// A placer of a dense traffic matrix (`traffic[i][j]`: packets from core i to core j).
    public init(traffic: [[Double]], hostTraffic: [Double], mesh: Mesh, interChipWeight: Int = 1, allowedTiles: [[Int32]] = []) {
        self.init(traffic: TrafficMatrix(rows: traffic), hostTraffic: hostTraffic, mesh: mesh, interChipWeight: interChipWeight, allowedTiles: allowedTiles)
    }

    /// The mesh cores engine core `core` may sit on, in order: its tiles' cores in its tiles'
    /// order if pinned, else every mesh core (without listing them).
    private func candidateSlots(of core: Int) -> CandidateSlots {
        CandidateSlots(pinned: pins.group(of: core).map { pins.groupSlots[$0] }, meshCores: mesh.coreCount)
    }

    private struct CandidateSlots: RandomAccessCollection {
        let pinned: [Int]?
        let meshCores: Int
        var startIndex: Int { 0 }
        var endIndex: Int { pinned?.count ?? meshCores }
        subscript(index: Int) -> Int { pinned?[index] ?? index }
    }

    /// The placement without traffic: engine core c on mesh core c when nothing is pinned.
    /// Pinned cores are matched to tiles first — the most constrained first, each taking the
    /// first of its tiles with room, or making room by moving cores matched before it to
    /// other tiles of theirs (augmenting paths, so a matching is found whenever one exists,
    /// whatever the order) — and each tile's cores take its mesh cores in core order; then
    /// the others go in core order on the lowest free mesh cores. `unplaced` lists the pinned
    /// cores no matching can place (their endpoint is −1): a placement exists only when it is
    /// empty.
    public func inOrderPlacement() -> (endpoints: [Int32], unplaced: [Int]) {
        pins.inOrderPlacement(coreCount: traffic.count)
    }

    /// Σ traffic × hops for a placement (`endpoints[i]` = mesh core of engine core i).
    public func cost(_ endpoints: [Int32]) -> Double {
        let distances = DistanceTable(mesh: mesh, interChipWeight: interChipWeight)
        var total = 0.0
        for i in 0..<traffic.count {
            let here = Int(endpoints[i])
            total += hostTraffic[i] * Double(distances.hops(mesh.hostEndpoint, here))
            traffic.forEachEntry(inRow: i) { j, packets in
                total += packets * Double(distances.hops(here, Int(endpoints[j])))
            }
        }
        return total
    }

    /// Weighted hops between endpoints — the Manhattan distance between their tiles, plus
    /// `interChipWeight − 1` per chip boundary crossed — from a table of tile and chip coordinates
    /// (x, y, chip column, chip row per endpoint, the host port last): the placer evaluates up to
    /// `evaluationBudget` distances, and dividing endpoint numbers for each was most of its time.
    private struct DistanceTable {
        let places: [Int32]
        let crossingWeight: Int32

        init(mesh: Mesh, interChipWeight: Int) {
            let tilePlaces = mesh.tilePlaces
            places = mesh.endpointTiles.flatMap { tile in tilePlaces[(Int(tile) * 4)..<(Int(tile) * 4 + 4)] }
            crossingWeight = Int32(interChipWeight - 1)
        }

        @inline(__always)
        func hops(_ a: Int, _ b: Int) -> Int32 {
            places.withUnsafeBufferPointer { places in
                let p = a &* 4, q = b &* 4
                let manhattan = abs(places[p] &- places[q]) &+ abs(places[p &+ 1] &- places[q &+ 1])
                guard crossingWeight > 0 else { return manhattan }
                return manhattan &+ crossingWeight &* (abs(places[p &+ 2] &- places[q &+ 2]) &+ abs(places[p &+ 3] &- places[q &+ 3]))
            }
        }
    }

    /// Undirected traffic lists: for each engine core, (other core, traffic both ways) in
    /// ascending core order, so a cost evaluation touches only cores that actually exchange
    /// packets. Each core's row is merged with its column (the transpose's row).
    private func neighbours() -> [[(core: Int, traffic: Double)]] {
        let incoming = traffic.transposed()
        return (0..<traffic.count).map { i in
            var sent: [(core: Int, traffic: Double)] = []
            traffic.forEachEntry(inRow: i) { j, packets in if j != i { sent.append((j, packets)) } }
            var received: [(core: Int, traffic: Double)] = []
            incoming.forEachEntry(inRow: i) { j, packets in if j != i { received.append((j, packets)) } }
            var list: [(core: Int, traffic: Double)] = []
            list.reserveCapacity(max(sent.count, received.count))
            var s = 0, r = 0
            while s < sent.count || r < received.count {
                let nextSent = s < sent.count ? sent[s].core : Int.max
                let nextReceived = r < received.count ? received[r].core : Int.max
                let j = min(nextSent, nextReceived)
                // traffic(i, j) + traffic(j, i), a missing one as 0, summed in that order.
                let out = nextSent == j ? sent[s].traffic : 0
                let back = nextReceived == j ? received[r].traffic : 0
                list.append((j, out + back))
                if nextSent == j { s += 1 }
                if nextReceived == j { r += 1 }
            }
            return list
        }
    }

    /// Neighbour terms a placement may evaluate in total (about a second of work); the greedy
    /// start is skipped and improvement passes stop when it runs out, so huge meshes (TrueNorth's
    /// 4,096 cores) still place quickly. The budget is counted, not timed: results stay
    /// deterministic.
    public static let evaluationBudget = 200_000_000

    /// Fraction of one improvement pass's evaluations the budget must cover for the passes to
    /// run. Passes try every core's moves in core order, so a budget far short of one pass only
    /// repositions the first few cores: on `cuba-400k` (10,197 cores, about 4,500 neighbours
    /// each) it covered 0.011 % of a pass and lowered the cost by 0.16 %, for 3.3 s of setup and
    /// 0.7 GB of neighbour lists. `cuba-40k` covers 2.5 % of a pass and gains 4.6 %.
    public static let minimumPassCoverage = 0.01

    /// A placement of every engine core on a distinct mesh core, every pinned core on one of
    /// its tiles (callers check with `inOrderPlacement` that the pins can all be met).
    ///
    /// - Parameter evaluationBudget: neighbour terms to evaluate, about (`evaluationBudget`; a
    ///   pass stops at the first move once it is spent).
    public func place(maximumPasses: Int = 20, evaluationBudget: Int = Placer.evaluationBudget) -> [Int32] {
        let (start, unplaced) = inOrderPlacement()
        precondition(unplaced.isEmpty, "pinned cores without room on their tiles")
        return place(from: start, maximumPasses: maximumPasses, evaluationBudget: evaluationBudget)
    }

    /// `place()` from `start`, the `inOrderPlacement` a caller has already made (and checked).
    func place(from start: [Int32], maximumPasses: Int = 20, evaluationBudget: Int = Placer.evaluationBudget) -> [Int32] {
        let count = traffic.count
        // Σ (neighbours + 1) over the cores: the terms of evaluating every core once. A greedy
        // start evaluates each core at every mesh core; a pass evaluates each core before and
        // after a move to every mesh core, and the occupant there, if any, likewise. Where a
        // greedy start fits the budget the passes' coverage does too (count ≤ mesh cores, and a
        // coverage of at most a half), so the coverage alone decides whether placing can pay.
        func passesPay(degrees: Int) -> Bool {
            Double(evaluationBudget) >= Self.minimumPassCoverage * 2 * Double(degrees) * Double(mesh.coreCount + count)
        }
        // Decided on a lower bound first (each core's own destinations: a core that only
        // receives from another adds one more entry), which is enough where it already rules
        // the passes out, so that the lists are only built where they are used.
        guard passesPay(degrees: traffic.offDiagonalCount + count) else { return start }
        let lists = neighbours()
        let degrees = lists.reduce(0) { $0 + $1.count + 1 }
        guard passesPay(degrees: degrees) else { return start }
        var endpoints = Array(repeating: Int32(-1), count: count)
        var placed = Array(repeating: false, count: count)
        var occupant = Array(repeating: -1, count: mesh.coreCount)
        var budget = evaluationBudget
        let distances = DistanceTable(mesh: mesh, interChipWeight: interChipWeight)
        let host = mesh.hostEndpoint

        func contribution(of i: Int, at slot: Int) -> Double {
            budget -= lists[i].count + 1
            var total = hostTraffic[i] * Double(distances.hops(host, slot))
            for (j, both) in lists[i] where placed[j] {
                total += both * Double(distances.hops(slot, Int(endpoints[j])))
            }
            return total
        }

        func startInOrder() {
            endpoints = start
            occupant = Array(repeating: -1, count: mesh.coreCount)
            for i in 0..<count {
                placed[i] = true
                occupant[Int(start[i])] = i
            }
        }
        if degrees * mesh.coreCount <= evaluationBudget / 2 {
            // Greedy start: pinned cores first, the most constrained first, so that the others
            // cannot take their tiles; then the busiest cores first, each where it adds the
            // least cost. Pinned cores that crowd each other out here take their in-order
            // places (a matching) instead, and the others are still placed greedily.
            var volume = hostTraffic
            for i in 0..<count {
                for (_, both) in lists[i] { volume[i] += both }
            }
            func placeGreedily(_ i: Int) -> Bool {
                var best = -1
                var bestCost = Double.infinity
                for slot in candidateSlots(of: i) where occupant[slot] < 0 {
                    let candidate = contribution(of: i, at: slot)
                    if candidate < bestCost { best = slot; bestCost = candidate }
                }
                guard best >= 0 else { return false }
                endpoints[i] = Int32(best)
                placed[i] = true
                occupant[best] = i
                return true
            }
            let pinned = pins.pinnedCores
            if !pinned.allSatisfy(placeGreedily) {
                for i in pinned where placed[i] {
                    occupant[Int(endpoints[i])] = -1
                    placed[i] = false
                }
                for i in pinned {
                    endpoints[i] = start[i]
                    placed[i] = true
                    occupant[Int(start[i])] = i
                }
            }
            for i in (0..<count).filter({ pins.group(of: $0) == nil }).sorted(by: { volume[$0] != volume[$1] ? volume[$0] > volume[$1] : $0 < $1 }) {
                _ = placeGreedily(i)  // a free mesh core is left for every core
            }
        } else {
            startInOrder()
        }

        passes: for _ in 0..<maximumPasses {
            var improved = false
            for i in 0..<count {
                for slot in candidateSlots(of: i) {
                    let here = Int(endpoints[i])
                    guard slot != here else { continue }
                    if budget <= 0 { break passes }
                    let other = occupant[slot]
                    if other >= 0 && !pins.allows(other, here) { continue }  // a pinned core stays on its tiles
                    var before = contribution(of: i, at: here)
                    if other >= 0 { before += contribution(of: other, at: slot) }
                    // Apply the move, measure, and undo unless it improves by more than rounding noise.
                    endpoints[i] = Int32(slot)
                    if other >= 0 { endpoints[other] = Int32(here) }
                    var after = contribution(of: i, at: slot)
                    // A swapped pair's mutual traffic is counted twice before and after, at the same distance.
                    if other >= 0 { after += contribution(of: other, at: here) }
                    if after < before - 1e-9 {
                        occupant[slot] = i
                        occupant[here] = other
                        improved = true
                    } else {
                        endpoints[i] = Int32(here)
                        if other >= 0 { endpoints[other] = Int32(slot) }
                    }
                }
            }
            if !improved { break }
        }
        return endpoints
    }
}
