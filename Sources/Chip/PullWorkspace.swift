import Router

/// One worker's own storage for pulled steps: its lists (`PullLists`) and what its run of cores
/// did in the last region. Only its worker reads or writes it while a region runs.
struct PullWorkspace: @unchecked Sendable {  // its lists: written only by its worker; an engine copied makes its own (`PulledSteps.prepare`)
    /// A cache line before the fields and one after: the workspaces sit side by side in one
    /// array, and one worker's writes (its totals) must not share a line with the fields another
    /// worker reads.
    private let before: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// In memory a `PullWorkspaceMemory` owns, which must outlive the workspace.
    private(set) var lists: PullLists
    /// The worker's run of the last region (its cores that spiked are in
    /// `PulledStorage.spikingCores`).
    var totals = RunTotals()
    private let after: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

    init(_ lists: PullLists) {
        self.lists = lists
    }

    /// Builds the packets of `spikes` bound for cores `run` — each core's in the order of the
    /// whole step's (origin, sequence) list (cores by engine index, each spike's output axons in
    /// order, then the host's), so that ranks here order ties on a core's clock as ranks in that
    /// list would — routes them through `network` (adding what it counted to `totals`) and
    /// groups them by core. Where the lists lack room for every packet the spikes could make,
    /// they move into larger memory, which replaces `memory` (the worker's own: no other thread
    /// reads it while a region runs).
    mutating func pull(
        _ spikes: PulledSpikes, forCores run: Range<Int>, coreCount: Int, through network: inout any NetworkModel, counting totals: inout RunTotals,
        memory: UnsafeMutablePointer<PullWorkspaceMemory>
    ) {
        var room = 0
        for worker in 0..<spikes.exportingWorkers {
            let slot = PulledSteps.exportSlot(worker: worker, step: spikes.step)
            let first = slot &* spikes.spikesPerSlot
            for k in first..<(first &+ spikes.exportCounts[slot &* PulledSteps.exportCountStride]) {
                let neuron = Int(spikes.tables.neuronBase[Int(spikes.exports[k].core)] &+ spikes.exports[k].neuron)
                room &+= Int(spikes.tables.axonStart[neuron &+ 1] &- spikes.tables.axonStart[neuron])
            }
        }
        for input in spikes.inputSpikes { room &+= Int(spikes.tables.inputStart[Int(input) &+ 1] &- spikes.tables.inputStart[Int(input)]) }
        if room > lists.packets.count || lists.starts.count <= coreCount {
            let larger = PullWorkspaceMemory(packetCapacity: max(room, 2 &* lists.packets.count), startCount: coreCount &+ 1)
            memory.pointee = larger
            lists = larger.lists
        }
        let packets = lists.packets, deliveries = lists.deliveries, coreOf = lists.coreOf, order = lists.order, starts = lists.starts
        let low = Int32(truncatingIfNeeded: run.lowerBound), high = Int32(truncatingIfNeeded: run.upperBound)
        var count = 0
        for worker in 0..<spikes.exportingWorkers {
            let slot = PulledSteps.exportSlot(worker: worker, step: spikes.step)
            let first = slot &* spikes.spikesPerSlot
            for k in first..<(first &+ spikes.exportCounts[slot &* PulledSteps.exportCountStride]) {
                let spike = spikes.exports[k]
                let neuron = Int(spikes.tables.neuronBase[Int(spike.core)] &+ spike.neuron)
                let source = spikes.tables.coreEndpoints[Int(spike.core)]
                // The first entry of the run's cores, by bisection; then up to its last.
                var d = Int(spikes.tables.axonStart[neuron])
                let end = Int(spikes.tables.axonStart[neuron &+ 1])
                var upper = end
                while d < upper {
                    let middle = (d &+ upper) >> 1
                    if spikes.tables.axons[middle] >> 16 < UInt32(truncatingIfNeeded: low) { d = middle &+ 1 } else { upper = middle }
                }
                while d < end {
                    let entry = spikes.tables.axons[d]
                    let core = Int32(truncatingIfNeeded: entry >> 16)
                    guard core < high else { break }
                    d &+= 1
                    packets[count] = AERPacket(
                        source: source, destination: spikes.tables.coreEndpoints[Int(core)], axon: Int32(truncatingIfNeeded: entry & 0xFFFF),
                        payload: spike.payload, injectCycle: spike.injectCycle)
                    coreOf[count] = core
                    count &+= 1
                }
            }
        }
        for input in spikes.inputSpikes {
            for d in Int(spikes.tables.inputStart[Int(input)])..<Int(spikes.tables.inputStart[Int(input) &+ 1]) {
                let core = spikes.tables.inputCore[d]
                guard core >= low && core < high else { continue }
                packets[count] = AERPacket(source: spikes.tables.hostEndpoint, destination: spikes.tables.coreEndpoints[Int(core)], axon: spikes.tables.inputAxon[d], injectCycle: 0)
                coreOf[count] = core
                count &+= 1
            }
        }
        let before = network.counterTotals
        network.route(part: UnsafeBufferPointer(rebasing: packets[..<count]), into: UnsafeMutableBufferPointer(rebasing: deliveries[..<count]))
        totals.addRouting(from: before, to: network.counterTotals)
        // A stable counting sort by core over the run's cores.
        for index in run.lowerBound...run.upperBound { starts[index] = 0 }
        for rank in 0..<count { starts[Int(coreOf[rank]) &+ 1] &+= 1 }
        for index in run.lowerBound..<run.upperBound { starts[index &+ 1] &+= starts[index] }
        // Placing moves each core's start to its end; they are moved back after.
        for rank in 0..<count {
            let core = Int(coreOf[rank])
            order[Int(starts[core])] = Int32(truncatingIfNeeded: rank)
            starts[core] &+= 1
        }
        for index in stride(from: run.upperBound, to: run.lowerBound, by: -1) { starts[index] = starts[index &- 1] }
        starts[run.lowerBound] = 0
    }
}

/// A pulled step's packets bound for one worker's cores, what the network model did with each,
/// their grouping by core, the synapse units' clock keys and the packets' synapse rows, as
/// plain pointers: a part reads and writes them without retaining or checking anything (taken
/// from arrays, each list cost the part a retain and a release, locked writes, or a uniqueness
/// check per region).
struct PullLists {
    let packets: UnsafeMutableBufferPointer<AERPacket>
    let deliveries: UnsafeMutableBufferPointer<PacketDelivery>
    /// Each packet's destination core (engine index).
    let coreOf: UnsafeMutableBufferPointer<Int32>
    /// Packet ranks grouped by destination core: core c's are `order[starts[c] ..< starts[c + 1]]`
    /// (only for cores of the worker's run).
    let order: UnsafeMutableBufferPointer<Int32>
    let starts: UnsafeMutableBufferPointer<Int32>
    let keys: UnsafeMutableBufferPointer<UInt64>
    /// Each packet's synapse row (`Core.lookUpSynapseRows`), by rank, where a region prefetches
    /// (`PulledRegion.prefetchCores`): found a few cores ahead of delivery.
    let rows: UnsafeMutableBufferPointer<UInt64>
}

/// The memory of a `PullWorkspace`'s lists: room for `packetCapacity` packets (with their
/// deliveries, cores, ranks, clock keys and synapse rows) and `startCount` core starts. A class
/// so that the memory is freed with its last holder and so that an engine copied with its
/// workspaces can tell they are shared (`isKnownUniquelyReferenced`) and make its own before it
/// writes them.
final class PullWorkspaceMemory: @unchecked Sendable {  // written only by the worker whose workspace it backs
    let lists: PullLists

    var packetCapacity: Int { lists.packets.count }
    var startCount: Int { lists.starts.count }

    init(packetCapacity: Int, startCount: Int) {
        lists = PullLists(
            packets: Self.allocate(packetCapacity, AERPacket(source: 0, destination: 0, axon: 0, injectCycle: 0)),
            deliveries: Self.allocate(packetCapacity, PacketDelivery(arriveCycle: 0, hops: 0)),
            coreOf: Self.allocate(packetCapacity, 0), order: Self.allocate(packetCapacity, 0),
            starts: Self.allocate(startCount, 0), keys: Self.allocate(packetCapacity, 0), rows: Self.allocate(packetCapacity, 0))
    }

    deinit {
        lists.packets.deallocate()
        lists.deliveries.deallocate()
        lists.coreOf.deallocate()
        lists.order.deallocate()
        lists.starts.deallocate()
        lists.keys.deallocate()
        lists.rows.deallocate()
    }

    private static func allocate<Element>(_ count: Int, _ value: Element) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: count)
        buffer.initialize(repeating: value)
        return buffer
    }
}
