import Router

/// Everything the engine needs to know about a chip: geometry, core limits, router, prices.
///
/// Host reads it from a `neuroemu-chip/1` file; Chip only executes it.
public struct ChipDescription: Sendable, Equatable {
    /// Name used in summaries and trace headers (e.g. `loihi`).
    public var name: String
    /// Chip clock in hertz; every latency is a whole number of its cycles.
    public var clockHertz: Int64
    public var mesh: Mesh
    public var coreLimits: CoreLimits
    public var routerFidelity: RouterFidelity
    public var routing: RoutingOrder
    public var flitsPerPacket: Int
    /// Multicast: a spike bound for several cores travels as one packet along a route tree
    /// (ideal router only).
    public var multicast: Bool = false
    /// Flit model: flits per router input buffer (nil: enough to stream one flit per cycle).
    public var routerBufferFlits: Int?
    /// Flit model: cycles of each hop spent in the router pipeline (nil: the model's default).
    public var routerPipelineCycles: UInt32?
    public var costs: EventCosts
    public var barrier: BarrierModel
    /// Static (leakage) power of the whole chip in nanowatts.
    public var staticPowerNanowatts: Int64
    /// Source of each number, keyed by its JSON path in the chip file.
    public var provenance: [String: String]

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
            FlitNetwork(
                mesh: mesh, timing: networkTiming, routing: routing,
                buffer: routerBufferFlits ?? FlitNetwork.streamingBufferFlits(for: networkTiming, routerPipelineCycles: routerPipelineCycles),
                routerPipelineCycles: routerPipelineCycles)
        }
    }

    /// Static energy in femtojoules over `cycles` cycles: power × time, floored.
    /// nW × (cycles / Hz) s is 10⁻⁹ J per unit, and 1 J is 10¹⁵ fJ: hence the factor 10⁶.
    public func staticEnergyFemtojoules(cycles: UInt64) -> Int64 {
        let femtowattScale = UInt64(staticPowerNanowatts) &* 1_000_000  // static power ≤ 10⁶ mW (1 kW), checked by the chip file reader
        let product = femtowattScale.multipliedFullWidth(by: cycles)
        let clock = UInt64(clockHertz)
        guard product.high < clock else { return Int64.max }
        return Int64(clamping: clock.dividingFullWidth((product.high, product.low)).quotient)
    }

    /// Seconds that `cycles` cycles take at the chip clock.
    public func seconds(cycles: UInt64) -> Double { Double(cycles) / Double(clockHertz) }
}
