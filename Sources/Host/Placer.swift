import Router

/// Places a partitioned network's cores on the mesh to minimise Σ traffic(i, j) × hops(i, j).
///
/// Traffic between two cores is the number of packets one spike of each source neuron sends
/// there, summed over the source's neurons and weighted by their expected spikes (1 each without
/// measured rates); the host port is a fixed node, since input spikes cross the mesh too. Hops are
/// router-to-router links under dimension-order routing (the Manhattan distance between tiles).
///
/// Deterministic: a greedy start places cores in order of decreasing traffic, each on the free
/// mesh core that adds the least cost (ties to the lowest core number); then passes of pairwise
/// moves — swapping two placed cores or moving one to a free mesh core — apply every improving
/// move in a fixed order until a pass improves nothing or `maximumPasses` is reached.
public struct Placer: Sendable {
    /// Packets per unit of time from engine core i to engine core j, as a dense matrix.
    public let traffic: [[Double]]
    /// Packets from the host port to each engine core.
    public let hostTraffic: [Double]
    public let mesh: Mesh

    public init(traffic: [[Double]], hostTraffic: [Double], mesh: Mesh) {
        self.traffic = traffic
        self.hostTraffic = hostTraffic
        self.mesh = mesh
    }

    /// Σ traffic × hops for a placement (`endpoints[i]` = mesh core of engine core i).
    public func cost(_ endpoints: [Int32]) -> Double {
        var total = 0.0
        for i in traffic.indices {
            total += hostTraffic[i] * Double(hops(mesh.hostEndpoint, Int(endpoints[i])))
            for j in traffic.indices where traffic[i][j] != 0 {
                total += traffic[i][j] * Double(hops(Int(endpoints[i]), Int(endpoints[j])))
            }
        }
        return total
    }

    @inline(__always)
    func hops(_ a: Int, _ b: Int) -> Int {
        let (eastWest, northSouth) = mesh.hops(from: a, to: b)
        return eastWest + northSouth
    }

    /// Cost of engine core `i` at mesh core `at` against every other placed core and the host.
    private func contribution(of i: Int, at: Int, endpoints: [Int32], placed: [Bool]) -> Double {
        var total = hostTraffic[i] * Double(hops(mesh.hostEndpoint, at))
        for j in traffic.indices where j != i && placed[j] {
            let both = traffic[i][j] + traffic[j][i]
            if both != 0 { total += both * Double(hops(at, Int(endpoints[j]))) }
        }
        return total
    }

    /// A placement of every engine core on a distinct mesh core.
    public func place(maximumPasses: Int = 20) -> [Int32] {
        let count = traffic.count
        precondition(count <= mesh.coreCount, "more cores than the mesh has")
        var endpoints = Array(repeating: Int32(-1), count: count)
        var placed = Array(repeating: false, count: count)
        var occupant = Array(repeating: -1, count: mesh.coreCount)

        var volume = hostTraffic
        for i in 0..<count {
            for j in 0..<count {
                volume[i] += traffic[i][j]
                volume[j] += traffic[i][j]
            }
        }
        let order = (0..<count).sorted { volume[$0] != volume[$1] ? volume[$0] > volume[$1] : $0 < $1 }
        for i in order {
            var best = -1
            var bestCost = Double.infinity
            for slot in 0..<mesh.coreCount where occupant[slot] < 0 {
                let candidate = contribution(of: i, at: slot, endpoints: endpoints, placed: placed)
                if candidate < bestCost { best = slot; bestCost = candidate }
            }
            endpoints[i] = Int32(best)
            placed[i] = true
            occupant[best] = i
        }

        for _ in 0..<maximumPasses {
            var improved = false
            for i in 0..<count {
                for slot in 0..<mesh.coreCount where slot != Int(endpoints[i]) {
                    let other = occupant[slot]
                    let here = Int(endpoints[i])
                    var before = contribution(of: i, at: here, endpoints: endpoints, placed: placed)
                    if other >= 0 { before += contribution(of: other, at: slot, endpoints: endpoints, placed: placed) }
                    // Apply the move, measure, and undo unless it improves by more than rounding noise.
                    endpoints[i] = Int32(slot)
                    if other >= 0 { endpoints[other] = Int32(here) }
                    var after = contribution(of: i, at: slot, endpoints: endpoints, placed: placed)
                    // A swapped pair's mutual traffic is counted twice before and after, at the same distance.
                    if other >= 0 { after += contribution(of: other, at: here, endpoints: endpoints, placed: placed) }
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
