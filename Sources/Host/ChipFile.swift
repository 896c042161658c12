import Chip
import Router

/// Reads and validates `neuroemu-chip/1` files into a `ChipDescription`.
///
/// Energies are written in picojoules and stored as integer femtojoules, so a value must be a
/// whole number of femtojoules; latencies are whole cycles of `clock_hz`.
public enum ChipFile {
    /// The format tag a chip file must carry.
    public static let format = "neuroemu-chip/1"

    /// JSON paths of the numbers a chip file holds; `provenance` keys must be among them.
    public static let numberPaths: [String] =
        ["clock_hz", "mesh.width", "mesh.height", "mesh.cores_per_tile", "mesh.host_port",
         "core.neurons", "core.input_axons", "core.output_axons", "core.synapse_memory_bits", "core.weight_bits", "core.delay_slots",
         "router.flits_per_packet", "router.buffer_flits", "router.pipeline_cycles"]
        + costEvents.map { "costs.\($0.key)" }
        + ["barrier", "static_power_mw", "board"]

    /// Reads and checks the chip file at `path` (`neuroemu-chip/1`, docs/formats.md).
    public static func load(path: String) throws(ConfigError) -> ChipDescription {
        try read(JSONNode(value: JSONParser.parse(contentsOfFile: path), file: path))
    }

    /// Reads and checks chip-file text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> ChipDescription {
        try read(JSONNode(value: JSONParser.parse(text, file: file), file: file))
    }

    static func read(_ root: JSONNode) throws(ConfigError) -> ChipDescription {
        let top = try root.fileObject(
            format: Self.format, allowedKeys: ["format", "name", "description", "clock_hz", "mesh", "core", "router", "costs", "barrier", "static_power_mw", "board", "provenance"])
        let name = try NetworkFile.readName(top.required("name"))
        if let description = top.optional("description") { _ = try description.string() }
        let clock = try top.int("clock_hz", in: clockRange)

        let meshNode = try top.required("mesh")
        let meshObject = try meshNode.object(allowedKeys: ["width", "height", "cores_per_tile", "host_port"])
        let width = try meshObject.int("width", in: 1...256)
        let height = try meshObject.int("height", in: 1...256)
        let coresPerTile = try meshObject.int("cores_per_tile", in: 1...64)
        // A board repeats the chip `chips_x × chips_y` times as one mesh; links between chips have
        // their own latency and energy. The host port's coordinates are then on the board.
        var board: (x: Int, y: Int, link: EventCost)?
        if let boardNode = top.optional("board") {
            let object = try boardNode.object(allowedKeys: ["chips_x", "chips_y", "link"])
            let chipsX = try object.int("chips_x", in: 1...64)
            let chipsY = try object.int("chips_y", in: 1...64)
            guard width * chipsX <= 1024, height * chipsY <= 1024 else {
                throw boardNode.error("a board is at most 1024 × 1024 tiles; \(chipsX) × \(chipsY) chips of \(width) × \(height) tiles is larger")
            }
            board = (chipsX, chipsY, try readCost(object.required("link"), cycles: cycleRange(of: .interChipFlitHop)))
        }
        let boardWidth = width * (board?.x ?? 1)
        let boardHeight = height * (board?.y ?? 1)
        if let problem = Mesh.sizeProblem(width: boardWidth, height: boardHeight, coresPerTile: coresPerTile) {
            throw (top.optional("board") ?? meshNode).error(problem)
        }
        var hostTile = TileCoordinate(x: 0, y: 0)
        if let portNode = meshObject.optional("host_port") {
            let port = try portNode.object(allowedKeys: ["x", "y"])
            hostTile = TileCoordinate(x: try port.int("x", in: 0...(boardWidth - 1)), y: try port.int("y", in: 0...(boardHeight - 1)))
            if let problem = Mesh.hostPortProblem(hostTile, width: boardWidth, height: boardHeight) { throw portNode.error(problem) }
        }

        let coreObject = try top.required("core").object(allowedKeys: ["neurons", "input_axons", "output_axons", "synapse_memory_bits", "weight_bits", "delay_slots"])
        let limits = CoreLimits(
            neurons: try coreObject.int("neurons", in: neuronRange),
            inputAxons: try coreObject.int("input_axons", in: axonRange),
            outputAxons: try coreObject.int("output_axons", in: axonRange),
            synapseMemoryBits: try coreObject.int("synapse_memory_bits", in: synapseMemoryRange),
            weightBits: try coreObject.int("weight_bits", in: weightBitsRange),
            delaySlots: try coreObject.int("delay_slots", in: delaySlotRange))

        let routerObject = try top.required("router").object(allowedKeys: ["fidelity", "routing", "flits_per_packet", "buffer_flits", "pipeline_cycles", "multicast"])
        let fidelityName = try routerObject.string("fidelity", oneOf: RouterFidelity.allCases.map(\.rawValue), default: RouterFidelity.ideal.rawValue)
        let routingName = try routerObject.string("routing", oneOf: RoutingOrder.allCases.map(\.rawValue), default: RoutingOrder.xy.rawValue)
        let flits = try routerObject.int("flits_per_packet", in: flitRange, default: 1)
        let multicast = try routerObject.bool("multicast", default: false)
        if multicast, fidelityName != RouterFidelity.ideal.rawValue, let node = routerObject.optional("multicast") {
            throw node.error("multicast route trees are modelled by the ideal router only; use \"fidelity\": \"ideal\"")
        }
        let bufferFlits = try routerObject.optional("buffer_flits").map { (node: JSONNode) throws(ConfigError) -> Int in try node.int(in: flits...FlitNetwork.maximumBufferFlits) }
        let pipelineNode = routerObject.optional("pipeline_cycles")
        let pipelineCycles = try pipelineNode.map { (node: JSONNode) throws(ConfigError) -> Int in try node.int(in: 0...1_000_000) }

        let costsNode = try top.required("costs")
        let costsObject = try costsNode.object(allowedKeys: costEvents.map(\.key))
        var costs = EventCosts()
        for event in costEvents {
            costs[event] = try readCost(costsObject.required(event.key), cycles: cycleRange(of: event))
        }
        let barrierNode = try top.required("barrier")
        let barrierObject = try barrierNode.object(allowedKeys: ["cycles", "energy_pj", "reference_tiles", "reference_cycles"])
        let barrierCycles = try barrierObject.int("cycles", in: 0...Int(UInt32.max))
        let referenceTiles = try barrierObject.int("reference_tiles", in: 1...65_536, default: 1)
        let referenceCycles = try barrierObject.int("reference_cycles", in: 0...Int(UInt32.max), default: barrierCycles)
        // A second point at one tile would be ignored (the latency there is `cycles`): refused
        // rather than read as a line the model never draws.
        if referenceTiles < 2, let node = barrierObject.optional("reference_cycles") {
            throw node.error("`reference_cycles` is the latency at `reference_tiles` tiles, which must be 2…65536 to give a second point; at one tile the latency is `cycles` (\(barrierCycles))")
        }
        costs[.barrier] = EventCost(cycles: UInt32(barrierCycles), energyFemtojoules: try femtojoules(barrierObject.required("energy_pj")))

        if let pipelineCycles, let pipelineNode, let problem = pipelineProblem(pipelineCycles, costs: costs) {
            throw pipelineNode.error(problem)
        }
        let staticNode = try top.required("static_power_mw")
        let staticMilliwatts = try staticNode.double(in: 0...Double(maximumStaticNanowatts / 1_000_000))
        let nanowatts = (staticMilliwatts * 1_000_000).rounded()
        guard abs(nanowatts - staticMilliwatts * 1_000_000) < 1e-6 * max(1, nanowatts) else {
            throw staticNode.error("must be a whole number of nanowatts (at most 6 decimals of mW), got \(staticMilliwatts)")
        }

        var provenance: [String: String] = [:]
        if let provenanceNode = top.optional("provenance") {
            for (key, node) in try provenanceNode.members() {
                guard numberPaths.contains(key) else {
                    let near = NetworkFile.suggestion(key, numberPaths)
                    throw node.error("\"\(key)\" is not a number of the chip file\(near.isEmpty ? "; provenance keys are: \(numberPaths.joined(separator: ", "))" : near)")
                }
                provenance[key] = try node.string()
            }
        }
        let mesh = Mesh(width: boardWidth, height: boardHeight, coresPerTile: coresPerTile, hostTile: hostTile, chipWidth: width, chipHeight: height)
        if let board {
            costs[.interChipFlitHop] = board.link
            if fidelityName != RouterFidelity.ideal.rawValue, let boardNode = top.optional("board") {
                throw boardNode.error("a board of several chips runs with the ideal router; the flit model times one chip")
            }
        }
        var description = ChipDescription(
            name: name, clockHertz: Int64(clock), mesh: mesh, coreLimits: limits,
            routerFidelity: RouterFidelity(rawValue: fidelityName) ?? .ideal, routing: RoutingOrder(rawValue: routingName) ?? .xy,
            flitsPerPacket: flits, costs: costs,
            barrier: BarrierModel(oneTileCycles: UInt32(barrierCycles), referenceCycles: UInt32(referenceCycles), referenceTiles: referenceTiles),
            staticPowerNanowatts: Int64(nanowatts) * Int64(mesh.chipCount), provenance: provenance,
            routerBufferFlits: bufferFlits, routerPipelineCycles: pipelineCycles.map { UInt32($0) })
        description.multicast = multicast
        if let problem = description.stepCycleProblem { throw costsNode.error(problem) }
        // A chip that asks for the flit model must be one it can time (its routers' records in
        // memory); `--router flit` on another chip is checked where the run is made.
        if description.routerFidelity == .flit, description.mesh.chipCount == 1, let problem = description.flitModelProblem {
            throw (routerObject.optional("buffer_flits") ?? routerObject.node).error(problem)
        }
        return description
    }

    /// The largest static power of one chip, in nanowatts (1 kW; a chip file's `static_power_mw`
    /// allows no more).
    static let maximumStaticNanowatts: Int64 = 1_000_000_000_000
    /// The largest price of one event in a chip file, in femtojoules (1 mJ).
    static let maximumEventFemtojoules: Int64 = 1_000_000_000_000

    static func readCost(_ node: JSONNode, cycles range: ClosedRange<Int>) throws(ConfigError) -> EventCost {
        let object = try node.object(allowedKeys: ["cycles", "energy_pj"])
        let cycles = try object.int("cycles", in: range)
        return EventCost(cycles: UInt32(cycles), energyFemtojoules: try femtojoules(object.required("energy_pj")))
    }

    /// Picojoules → integer femtojoules; a value finer than 1 fJ is an error, not a rounding.
    static func femtojoules(_ node: JSONNode) throws(ConfigError) -> Int64 {
        let picojoules = try node.double(in: 0...Double(maximumEventFemtojoules / 1000))
        let femto = (picojoules * 1000).rounded()
        guard abs(femto - picojoules * 1000) < 1e-6 else {
            throw node.error("must be a whole number of femtojoules (at most 3 decimals of pJ), got \(picojoules)")
        }
        return Int64(femto)
    }
}

extension ChipFile {
    // The ranges a chip file is held to, also for a description edited in code (`checkStructure`).
    static let clockRange = 1...1_000_000_000_000
    static let neuronRange = 1...65_536
    static let axonRange = 1...(1 << 20)
    static let synapseMemoryRange = 64...(1 << 32)
    static let weightBitsRange = 1...8
    static let delaySlotRange = 2...(NetworkFile.maximumDelay + 1)
    static let flitRange = 1...64
    /// The events priced under `costs` (the barrier and inter-chip links have keys of their own).
    static let costEvents = EventClass.allCases.filter { $0 != .barrier && $0 != .interChipFlitHop }

    /// Cycles an event may cost: a hop at least 1 (every link costs a cycle), anything else 0.
    static func cycleRange(of event: EventClass) -> ClosedRange<Int> {
        switch event {
        case .eastWestFlitHop, .northSouthFlitHop, .interChipFlitHop: 1...1_000_000
        default: 0...1_000_000
        }
    }

    /// Why a router pipeline of `cycles` leaves a hop's link no cycle under `costs`, or nil.
    static func pipelineProblem(_ cycles: Int, costs: EventCosts) -> String? {
        FlitNetwork.pipelineProblem(cycles, shortestHop: min(costs[.eastWestFlitHop].cycles, costs[.northSouthFlitHop].cycles))
    }
}

extension ChipDescription {
    /// Checks the numbers a chip file is held to, for a description built or edited in code (a
    /// chip file is checked as it is read): the clock, the core limits, the packet size, the
    /// router's buffer and pipeline, the cycles of every event and the sign of its price, the
    /// static power and the step-cycle budget. The error names the
    /// chip as its file and a JSON path as a chip file would have it. A chip that passes builds
    /// its network models (`NetworkTiming`, `FlitNetwork`) without tripping their preconditions;
    /// the mesh was checked when it was made (`Mesh.validationError`), and a board on the flit
    /// router is `Simulation.routerProblem`.
    public func checkStructure() throws(ConfigError) {
        let cycleLimits = ChipFile.costEvents.map { event in
            (path: "$.costs.\(event.key).cycles", value: Int(costs[event].cycles), range: ChipFile.cycleRange(of: event))
        }
        let limits: [(path: String, value: Int, range: ClosedRange<Int>)] = [
            ("$.clock_hz", Int(clockHertz), ChipFile.clockRange),
            ("$.core.neurons", coreLimits.neurons, ChipFile.neuronRange),
            ("$.core.input_axons", coreLimits.inputAxons, ChipFile.axonRange),
            ("$.core.output_axons", coreLimits.outputAxons, ChipFile.axonRange),
            ("$.core.synapse_memory_bits", coreLimits.synapseMemoryBits, ChipFile.synapseMemoryRange),
            ("$.core.weight_bits", coreLimits.weightBits, ChipFile.weightBitsRange),
            ("$.core.delay_slots", coreLimits.delaySlots, ChipFile.delaySlotRange),
            ("$.router.flits_per_packet", flitsPerPacket, ChipFile.flitRange),
        ] + cycleLimits
        if let (path, value, range) = limits.first(where: { !$0.range.contains($0.value) }) {
            throw .invalid(file: "chip `\(name)`", path: path, rule: "must be an integer in \(range.lowerBound)…\(range.upperBound), got \(value)")
        }
        if let buffer = routerBufferFlits, !(flitsPerPacket...FlitNetwork.maximumBufferFlits).contains(buffer) {
            throw .invalid(file: "chip `\(name)`", path: "$.router.buffer_flits", rule: "must be an integer in \(flitsPerPacket)…\(FlitNetwork.maximumBufferFlits), got \(buffer)")
        }
        if let pipeline = routerPipelineCycles, let problem = ChipFile.pipelineProblem(Int(pipeline), costs: costs) {
            throw .invalid(file: "chip `\(name)`", path: "$.router.pipeline_cycles", rule: problem)
        }
        // A negative price would subtract energy. (Prices above a file's range are allowed in
        // code: a run whose energy outgrows 64 bits stops with `RunError.energyOverflow`.)
        for event in EventClass.allCases where costs[event].energyFemtojoules < 0 {
            let path = event == .barrier ? "$.barrier.energy_pj" : event == .interChipFlitHop ? "$.board.link.energy_pj" : "$.costs.\(event.key).energy_pj"
            throw .invalid(file: "chip `\(name)`", path: path, rule: "must be at least 0 fJ, got \(costs[event].energyFemtojoules) fJ")
        }
        // Static power beyond the range traps below 0 and wraps the static energy's product
        // above about 18 kW, before the overflow check sees it.
        let maximumStatic = ChipFile.maximumStaticNanowatts * Int64(mesh.chipCount)
        guard (0...maximumStatic).contains(staticPowerNanowatts) else {
            throw .invalid(file: "chip `\(name)`", path: "$.static_power_mw", rule: "must be 0…\(maximumStatic) nW (1 kW a chip), got \(staticPowerNanowatts) nW")
        }
        if let problem = stepCycleProblem { throw .invalid(file: "chip `\(name)`", path: "$.costs", rule: problem) }
    }

    /// Why one step of this chip could count more cycles than `stepCycleBudget`, naming the
    /// largest parts, or nil. Cycles within a step are 32-bit counts (summed in the engine's
    /// inner loops), so such a chip is refused rather than left to wrap.
    var stepCycleProblem: String? {
        let parts = worstStepCycleParts
        let worst = parts.reduce(0) { $0 + $1.cycles }
        guard worst > ChipDescription.stepCycleBudget else { return nil }
        let largest = parts.filter { $0.cycles > 0 }.sorted { $0.cycles > $1.cycles }.map { "\($0.part) = \($0.cycles)" }
        return "with these cycle costs and core limits one step could take \(worst) cycles, more than the \(ChipDescription.stepCycleBudget) a step may count "
            + "(32-bit cycle counts, half kept for network contention): \(largest.joined(separator: "; ")); lower the cycles or the core limits"
    }
}
