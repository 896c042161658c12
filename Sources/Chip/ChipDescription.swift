import Router

/// Everything the engine needs to know about a chip: geometry, core limits, router, prices.
///
/// Host reads it from a `neuroemu-chip/1` file; Chip only executes it.
public struct ChipDescription: Sendable, Equatable {
    /// Name used in summaries and trace headers (e.g. `loihi`).
    public var name: String
    /// Chip clock in hertz; every latency is a whole number of its cycles.
    public var clockHertz: Int64
    /// Routers, tiles, cores per tile and the host port.
    public var mesh: Mesh
    /// What one core holds: neurons, axons, synapse memory, weight bits and delay slots.
    public var coreLimits: CoreLimits
    /// How faithfully the network-on-chip is timed: ideal or flit-level.
    public var routerFidelity: RouterFidelity
    /// Which axis a packet travels first.
    public var routing: RoutingOrder
    /// Flits per AER packet, at least 1.
    public var flitsPerPacket: Int
    /// Multicast: a spike bound for several cores travels as one packet along a route tree
    /// (ideal router only).
    public var multicast: Bool = false
    /// Flit model: flits per router input buffer (nil: enough to stream one flit per cycle).
    public var routerBufferFlits: Int?
    /// Flit model: cycles of each hop spent in the router pipeline (nil: the model's default).
    public var routerPipelineCycles: UInt32?
    /// Cycles and energy of every event class.
    public var costs: EventCosts
    /// Latency of the barrier that ends every step, in cycles, by the tiles taking part.
    public var barrier: BarrierModel
    /// Static (leakage) power of the whole chip in nanowatts.
    public var staticPowerNanowatts: Int64
    /// Source of each number, keyed by its JSON path in the chip file.
    public var provenance: [String: String]

    /// A chip built in code; `checkStructure()` holds it to the rules a chip file is held to (and
    /// `Simulation` checks it before running). A nil buffer streams every link (`flitBufferFlits`),
    /// a nil pipeline is `FlitNetwork.defaultRouterPipelineCycles(for:)`.
    public init(
        name: String, clockHertz: Int64, mesh: Mesh, coreLimits: CoreLimits, routerFidelity: RouterFidelity,
        routing: RoutingOrder, flitsPerPacket: Int, costs: EventCosts, barrier: BarrierModel,
        staticPowerNanowatts: Int64, provenance: [String: String], routerBufferFlits: Int? = nil, routerPipelineCycles: UInt32? = nil
    ) {
        self.routerBufferFlits = routerBufferFlits
        self.routerPipelineCycles = routerPipelineCycles
        self.name = name
        self.clockHertz = clockHertz
        self.mesh = mesh
        self.coreLimits = coreLimits
        self.routerFidelity = routerFidelity
        self.routing = routing
        self.flitsPerPacket = flitsPerPacket
        self.costs = costs
        self.barrier = barrier
        self.staticPowerNanowatts = staticPowerNanowatts
        self.provenance = provenance
    }

    /// The router's latencies, taken from the per-event cycle costs.
    public var networkTiming: NetworkTiming {
        NetworkTiming(
            localCycles: costs[.packet].cycles,
            eastWestHopCycles: costs[.eastWestFlitHop].cycles,
            northSouthHopCycles: costs[.northSouthFlitHop].cycles,
            flitsPerPacket: flitsPerPacket,
            interChipHopCycles: mesh.chipCount > 1 ? costs[.interChipFlitHop].cycles : nil)
    }

    /// A fresh network model of this chip's fidelity.
    public func makeNetwork(fidelity: RouterFidelity? = nil) -> any NetworkModel {
        switch fidelity ?? routerFidelity {
        case .ideal: IdealNetwork(mesh: mesh, timing: networkTiming, routing: routing, multicast: multicast)
        case .flit:
            FlitNetwork(mesh: mesh, timing: networkTiming, routing: routing, buffer: flitBufferFlits, routerPipelineCycles: routerPipelineCycles)
        }
    }

    /// The router input buffer the flit model gets, in flits: the file's, else one that lets
    /// every link stream (`FlitNetwork.streamingBufferFlits`).
    public var flitBufferFlits: Int {
        routerBufferFlits ?? FlitNetwork.streamingBufferFlits(for: networkTiming, routerPipelineCycles: routerPipelineCycles)
    }

    /// Why the flit model cannot time this chip's mesh (`FlitNetwork.validationError`), or nil.
    public var flitModelProblem: String? {
        FlitNetwork.validationError(mesh: mesh, timing: networkTiming, buffer: flitBufferFlits, routerPipelineCycles: routerPipelineCycles)
    }

    /// The most cycles a step may count before network contention: a step's cycles are counted
    /// in 32 bits, and half of that range is kept for packets waiting on busy links.
    public static let stepCycleBudget: UInt64 = 1 << 31

    /// An upper bound on one step's cycles without network contention, in cycles: a full core
    /// updating every neuron (at the dearer neuron price), its spikes leaving, a packet crossing
    /// the whole mesh, every synapse the core can hold receiving a spike and learning three times
    /// (a post spike, a pre spike, a sleep drift), then the slowest barrier of any number of tiles. Parts are listed so that an error can say which one is large.
    public var worstStepCycleParts: [(part: String, cycles: UInt64)] {
        let neuronCycles = UInt64(max(costs[.neuronUpdateActive].cycles, costs[.neuronUpdateInactive].cycles))
        // A synapse holds at least one weight bit and its target-neuron index.
        let synapses = UInt64(coreLimits.synapseMemoryBits / (1 + SynapseMemoryModel(limits: coreLimits).indexBits))
        let timing = networkTiming
        let slowestHop = UInt64(max(timing.eastWestHopCycles, timing.northSouthHopCycles, timing.interChipHopCycles))
        let crossing = UInt64(costs[.spikeOut].cycles) + UInt64(timing.localCycles)
            + UInt64(mesh.width + mesh.height - 2) * slowestHop + UInt64(flitsPerPacket - 1)
        return [
            ("\(coreLimits.neurons) neurons of a core × \(neuronCycles) cycles a neuron update", UInt64(coreLimits.neurons) * neuronCycles),
            ("a spike out and a packet across the mesh", crossing),
            ("\(synapses) synapses a core can hold × \(costs[.synapticOp].cycles) cycles a synaptic op", synapses * UInt64(costs[.synapticOp].cycles)),
            // A synapse may learn three times in a step: at its target's spike, at its source's
            // spike and in a sleep segment's drift.
            ("\(synapses) synapses a core can hold × 3 STDP updates × \(costs[.stdpUpdate].cycles) cycles an STDP update", synapses * 3 * UInt64(costs[.stdpUpdate].cycles)),
            // The engine prices the barrier at the tiles in use, 1…tileCount, and the line is
            // straight: its largest value is at one end, the one-tile end when it falls.
            ("the barrier over 1 to \(mesh.tileCount) tiles", UInt64(max(barrier.cycles(tiles: 1), barrier.cycles(tiles: mesh.tileCount)))),
        ]
    }

    /// Static energy in femtojoules over `cycles` cycles: power × time, floored; nil beyond
    /// `Int64.max` fJ (9.2 kJ).
    /// nW × (cycles / Hz) s is 10⁻⁹ J per unit, and 1 J is 10¹⁵ fJ: hence the factor 10⁶.
    /// The product is taken in 128 bits: a board of many 1 kW chips passes 2⁶⁴ fW.
    public func staticEnergyFemtojoules(cycles: UInt64) -> Int64? {
        guard staticPowerNanowatts >= 0 else { return nil }
        let power = UInt64(staticPowerNanowatts).multipliedFullWidth(by: cycles)  // nW × cycles
        // × 10⁶, still in 128 bits: (high · 2⁶⁴ + low) · 10⁶.
        let low = power.low.multipliedFullWidth(by: 1_000_000)
        let high = power.high.multipliedFullWidth(by: 1_000_000)
        let (top, carry) = high.low.addingReportingOverflow(low.high)
        let clock = UInt64(clockHertz)
        guard high.high == 0, !carry, top < clock else { return nil }
        return Int64(exactly: clock.dividingFullWidth((top, low.low)).quotient)
    }

    /// Seconds that `cycles` cycles take at the chip clock.
    public func seconds(cycles: UInt64) -> Double { Double(cycles) / Double(clockHertz) }
}
