import Chip
import Router

/// Streams a Value Change Dump (IEEE 1364-2005 §18) of a run, for a waveform viewer such as
/// GTKWave: spikes and state of probed neurons, core activity and packets in flight, against chip
/// clock cycles.
///
/// Time is absolute cycles since the start of the run (step `t` starts where step `t − 1` ended),
/// in the timescale of `VCDTimescale` (one time unit per cycle for the presets). Scopes and
/// signals, in declaration order:
///
/// ```text
/// <chip>                        top scope, named after the chip
///   step        integer 32      the running timestep, set to t at the cycle step t starts
///   core<n>_tile<k>             one scope per loaded core, by mesh core number n (tile k)
///     busy      wire 1          1 while the neuron unit updates (cycle 0 to the end of the
///                               core's neuron phase), while the synapse unit processes packets,
///                               and during the core's learning updates
///     inbound   integer 32      packets between inject and arrive whose destination is this core
///     <pop>_<i>_spike  wire 1   probed neuron i of population pop (probe records spikes, u or v):
///                               1 at the cycle its update completes with a spike, 0 one cycle later
///     <pop>_<i>_u, _v  reg 24   probed neuron recording u or v: two's complement, the value after
///                               step t's update and reset, set at the cycle step t ends
///   noc
///     in_flight integer 32      packets between inject and arrive anywhere in the mesh
///     x<x>y<y>_<dir>  integer 32  one per directed link a route of the loaded tables can use:
///                               packets in flight whose route crosses the link leaving router
///                               (x, y) toward east, west, north or south
/// ```
///
/// Approximation: a packet counts on every link of its dimension-order route from its inject to
/// its arrive cycle — exact for the total and per-core counts, but the `ideal` router (and this
/// view of the `flit` router) does not say when the packet is on which link.
///
/// The busy bit follows `ChipEngine`'s own timing rule: packets reach synapse units in
/// `(arrive cycle, origin, sequence)` order; a packet starts at max(arrival, unit free) and takes
/// synapses × `synaptic_op` cycles; learning starts when every neuron and synapse unit is idle.
///
/// `$dumpvars` holds every value at time 0, after step 1's changes at cycle 0 (so `busy` starts
/// at 1 and `step` at 1); later time stamps list only values that change.
///
/// Output is deterministic: no `$date`, a fixed `$version`, signals in a fixed order, and value
/// changes sorted by (time, signal, order of generation), so the same run gives the same bytes on
/// any thread count. Changes are generated step by step from `record(step:engine:)` (the run's
/// observer) and written as soon as no later step can precede them, so memory stays bounded by
/// one step's events. The file is written through a temporary sibling and renamed into place by
/// `finish()`.
public struct VCDWriter {
    /// Path of the waveform file.
    public let path: String
    /// The VCD time unit and how many of them one chip cycle lasts.
    public let timescale: VCDTimescale

    /// How a signal's value changes are combined and printed.
    private enum SignalKind {
        /// A 1-bit wire; the last change at a time wins.
        case bit
        /// A 24-bit two's complement register; the last change at a time wins.
        case signed24
        /// A 32-bit counter changed by deltas; the deltas at a time add up.
        case counter
        /// A 32-bit register; the last change at a time wins.
        case level32
    }

    /// One value change, before sorting: 16 bytes, as a step can hold tens of millions. Its
    /// position in `changes` is its generation order (among level changes of one signal at one
    /// time, the last one wins).
    struct Change: Equatable {
        var time: UInt64
        var signal: UInt32
        /// The new value (levels) or the delta (counters).
        var value: Int32
    }

    private var file: AtomicFile?
    private var buffer: [UInt8] = []

    // The signal table, in declaration order.
    private var codes: [[UInt8]] = []
    private var kinds: [SignalKind] = []
    private var values: [Int64] = []

    // Where each thing's signal is.
    private let stepSignal: UInt32
    private let inFlightSignal: UInt32
    /// Per engine core.
    private let busySignal: [UInt32]
    private let inboundSignal: [UInt32]
    /// Per engine core, per neuron of the core: its spike wire, or −1.
    private let spikeSignal: [[Int32]]
    /// Probed neurons recording u or v: their `u` register (`v` is the next signal).
    private let stateProbes: [(core: Int, local: Int, uSignal: UInt32)]
    /// Per link slot of the mesh: its in-flight counter, or −1 when no route uses the link.
    private let linkSignal: [Int32]
    /// Engine core of each mesh core number (−1 where nothing is loaded).
    private let engineIndexByEndpoint: [Int32]

    private let mesh: Mesh
    private let routing: RoutingOrder
    private let synapticOpCycles: UInt32
    private let stdpCycles: UInt32

    private var changes: [Change] = []
    /// Cycles of the steps recorded so far: where the next step starts.
    public private(set) var elapsedCycles: UInt64 = 0
    /// Steps recorded so far.
    public private(set) var stepsRecorded = 0
    private var wroteInitialValues = false
    private var lastWrittenTime: UInt64?

    /// Writes the header of the waveform of `simulation`'s coming run. Call before `run`, pass
    /// `record(step:engine:)` as its observer, then `finish()`.
    public init(path: String, simulation: Simulation) throws(OutputError) {
        self.path = path
        let chip = simulation.chip
        let network = simulation.network
        let engine = simulation.engine
        let mesh = chip.mesh
        let routing = chip.routing
        timescale = VCDTimescale(clockHertz: chip.clockHertz)
        self.mesh = mesh
        self.routing = routing
        synapticOpCycles = chip.costs[.synapticOp].cycles
        stdpCycles = chip.costs[.stdpUpdate].cycles

        var engineIndex = Array(repeating: Int32(-1), count: mesh.coreCount)
        for (core, endpoint) in engine.coreEndpoints.enumerated() { engineIndex[Int(endpoint)] = Int32(core) }
        engineIndexByEndpoint = engineIndex

        // Probed neurons, by engine core, in (population, index) order.
        var spikeProbed = network.populations.map { Array(repeating: false, count: $0.size) }
        var stateProbed = spikeProbed
        for probe in network.probes {
            for index in probe.indices {
                spikeProbed[probe.population][index] = true
                if probe.recordsState { stateProbed[probe.population][index] = true }
            }
        }
        var probedOnCore: [[(population: Int, index: Int, local: Int, state: Bool)]] = Array(repeating: [], count: engine.cores.count)
        for slice in simulation.mapping.slices {
            for k in 0..<slice.count where spikeProbed[slice.population][slice.start + k] {
                probedOnCore[slice.core].append((slice.population, slice.start + k, slice.coreOffset + k, stateProbed[slice.population][slice.start + k]))
            }
        }
        for core in probedOnCore.indices {
            probedOnCore[core].sort { ($0.population, $0.index) < ($1.population, $1.index) }
        }
        let populationNames = Self.identifiers(network.populations.map(\.name))

        // Links that some route of the loaded tables uses: core to destination core, host to the
        // cores its input neurons have synapses on.
        let coreCount = engine.cores.count
        var linkUsed = Array(repeating: false, count: mesh.linkSlotCount)
        for (source, destinations) in Self.routedDestinations(of: simulation).enumerated() {
            let sourceEndpoint = source == coreCount ? mesh.hostEndpoint : Int(engine.coreEndpoints[source])
            for destination in destinations {
                mesh.forEachLink(from: sourceEndpoint, to: Int(engine.coreEndpoints[Int(destination)]), order: routing) { link, _ in
                    linkUsed[link] = true
                }
            }
        }

        // Declarations.
        var header = "$version NeuroEmu VCD writer 1 $end\n"
        header += "$comment\n"
        header += "  NeuroEmu waveform: network=\(network.name) chip=\(chip.name) seed=\(network.seed)\n"
        header += "  Time 0 is the start of step 1; step t starts where step t-1 ended.\n"
        if timescale.unitsPerCycle == 1 {
            header += "  One time unit is one chip cycle (clock \(chip.clockHertz) Hz).\n"
        } else if timescale.isExact {
            header += "  One chip cycle (clock \(chip.clockHertz) Hz) is \(timescale.unitsPerCycle) x \(timescale): times are cycles x \(timescale.unitsPerCycle).\n"
        } else {
            header += "  The chip cycle (1/\(chip.clockHertz) s) is not a whole number of fs: times are cycles x \(timescale.unitsPerCycle) fs, the cycle rounded to the nearest fs.\n"
        }
        header += "  u and v change at the end of the step whose update produced them.\n"
        header += "  Link and inbound counts hold a packet from inject to arrive on every link of its route.\n"
        header += "$end\n"
        header += "$timescale \(timescale) $end\n"
        header += "$scope module \(Self.identifiers([chip.name])[0]) $end\n"

        var codes: [[UInt8]] = []
        var kinds: [SignalKind] = []
        var values: [Int64] = []
        func declare(_ name: String, _ kind: SignalKind, initial: Int64 = 0) -> UInt32 {
            let signal = UInt32(codes.count)
            let code = Self.code(codes.count)
            codes.append(code)
            kinds.append(kind)
            values.append(initial)
            let type = switch kind {
            case .bit: "wire 1"
            case .signed24: "reg 24"
            case .counter, .level32: "integer 32"
            }
            header += "$var \(type) \(String(decoding: code, as: UTF8.self)) \(name) $end\n"
            return signal
        }

        stepSignal = declare("step", .level32)
        var busy = Array(repeating: UInt32(0), count: coreCount)
        var inbound = busy
        var spikes = engine.cores.map { Array(repeating: Int32(-1), count: $0.neuronCount) }
        var states: [(core: Int, local: Int, uSignal: UInt32)] = []
        for endpoint in 0..<mesh.coreCount {
            let core = Int(engineIndex[endpoint])
            guard core >= 0 else { continue }
            header += "$scope module core\(endpoint)_tile\(mesh.tileIndex(ofEndpoint: endpoint)) $end\n"
            busy[core] = declare("busy", .bit)
            inbound[core] = declare("inbound", .counter)
            let state = engine.cores[core]
            for probed in probedOnCore[core] {
                let name = "\(populationNames[probed.population])_\(probed.index)"
                spikes[core][probed.local] = Int32(declare(name + "_spike", .bit))
                if probed.state {
                    let u = declare(name + "_u", .signed24, initial: Int64(state.u[probed.local]))
                    _ = declare(name + "_v", .signed24, initial: Int64(state.v[probed.local]))
                    states.append((core, probed.local, u))
                }
            }
            header += "$upscope $end\n"
        }
        header += "$scope module noc $end\n"
        inFlightSignal = declare("in_flight", .counter)
        var links = Array(repeating: Int32(-1), count: mesh.linkSlotCount)
        for link in links.indices where linkUsed[link] {
            let tile = mesh.coordinate(ofTile: link / 4)
            let direction = LinkDirection(rawValue: link % 4) ?? .east
            links[link] = Int32(declare("x\(tile.x)y\(tile.y)_\(direction)", .counter))
        }
        header += "$upscope $end\n"
        header += "$upscope $end\n"
        header += "$enddefinitions $end\n"

        busySignal = busy
        inboundSignal = inbound
        spikeSignal = spikes
        stateProbes = states
        linkSignal = links
        self.codes = codes
        self.kinds = kinds
        self.values = values

        file = try AtomicFile(path: path)
        buffer.reserveCapacity(1 << 20)
        buffer.append(contentsOf: header.utf8)
    }

    /// Adds the value changes of the step the engine just ran; the run's observer.
    public mutating func record(step: Int, engine: ChipEngine) throws(OutputError) {
        precondition(step == stepsRecorded + 1, "steps are recorded in order")
        let start = elapsedCycles
        let end = start + UInt64(engine.lastStep.cycles)
        setLevel(stepSignal, to: Int32(truncatingIfNeeded: step), at: start)

        // Busy intervals per core (cycles within the step), merged.
        var intervals: [(core: Int, start: UInt32, end: UInt32)] = []
        var lastNeuronCycle: UInt32 = 0
        // Cores are read in place by index: `for core in cores` copies each core, and with it
        // every one of its arrays' references.
        let cores = engine.cores
        for index in cores.indices {
            let cycles = cores[index].neuronPhaseCycles
            lastNeuronCycle = max(lastNeuronCycle, cycles)
            if cycles > 0 { intervals.append((index, 0, cycles)) }
        }
        let packets = engine.packets
        let deliveries = engine.deliveries
        let arrivalOrder = packets.indices.sorted { a, b in
            let (p, q) = (deliveries[a].arriveCycle, deliveries[b].arriveCycle)
            return p != q ? p < q : a < b
        }
        var unitFree = Array(repeating: UInt32(0), count: cores.count)
        var lastSynapseCycle: UInt32 = 0
        for k in arrivalOrder {
            let core = Int(engineIndexByEndpoint[Int(packets[k].destination)])
            let synapses = engine.synapseCount(core: core, axon: Int(packets[k].axon))
            let begin = max(deliveries[k].arriveCycle, unitFree[core])
            let finish = begin &+ UInt32(synapses) &* synapticOpCycles
            unitFree[core] = finish
            lastSynapseCycle = max(lastSynapseCycle, finish)
            if finish > begin { intervals.append((core, begin, finish)) }
        }
        let learningStart = max(lastNeuronCycle, lastSynapseCycle)
        for index in cores.indices where cores[index].learningUpdates > 0 {
            let cycles = UInt32(clamping: cores[index].learningUpdates) &* stdpCycles
            if cycles > 0 { intervals.append((index, learningStart, learningStart &+ cycles)) }
        }
        intervals.sort { ($0.core, $0.start, $0.end) < ($1.core, $1.start, $1.end) }
        var k = 0
        while k < intervals.count {
            let core = intervals[k].core
            let begin = intervals[k].start
            var finish = intervals[k].end
            k += 1
            while k < intervals.count, intervals[k].core == core, intervals[k].start <= finish {
                finish = max(finish, intervals[k].end)
                k += 1
            }
            setLevel(busySignal[core], to: 1, at: start + UInt64(begin))
            setLevel(busySignal[core], to: 0, at: start + UInt64(finish))
        }

        // Spikes of probed neurons.
        for index in cores.indices {
            let signals = spikeSignal[index]
            for (k, neuron) in cores[index].spikes.enumerated() where signals[Int(neuron)] >= 0 {
                let signal = UInt32(signals[Int(neuron)])
                let cycle = start + UInt64(cores[index].spikeCycles[k])
                setLevel(signal, to: 1, at: cycle)
                setLevel(signal, to: 0, at: cycle + 1)
            }
        }

        // Packets in flight: in total, toward each core, on each link of the route.
        let mesh = self.mesh
        let linkSignal = self.linkSignal
        for (k, packet) in packets.enumerated() {
            let inject = start + UInt64(packet.injectCycle)
            let arrive = start + UInt64(deliveries[k].arriveCycle)
            count(inFlightSignal, from: inject, to: arrive)
            count(inboundSignal[Int(engineIndexByEndpoint[Int(packet.destination)])], from: inject, to: arrive)
            mesh.forEachLink(from: Int(packet.source), to: Int(packet.destination), order: routing) { link, _ in
                precondition(linkSignal[link] >= 0, "a packet used a link outside the routes of the loaded tables")
                count(UInt32(linkSignal[link]), from: inject, to: arrive)
            }
        }

        // State after the step's update and reset, at the step's end.
        for probe in stateProbes {
            setLevel(probe.uSignal, to: cores[probe.core].u[probe.local], at: end)
            setLevel(probe.uSignal + 1, to: cores[probe.core].v[probe.local], at: end)
        }

        elapsedCycles = end
        stepsRecorded = step
        // Every later step starts at `end` or later, so everything before it is final.
        try emit(before: end)
    }

    /// Writes the remaining changes and the final time stamp, and renames the file into place.
    public mutating func finish() throws(OutputError) {
        try emit(before: .max)
        if !wroteInitialValues { try writeInitialValues() }
        let end = try vcdTime(elapsedCycles)
        if lastWrittenTime != end { appendTime(end) }
        guard let file else { return }
        try file.write(buffer)
        buffer.removeAll()
        try file.commit()
        self.file = nil
    }

    /// Abandons the waveform: a partial file never appears under its name.
    public func discard() { file?.discard() }

    // MARK: Changes

    private mutating func setLevel(_ signal: UInt32, to value: Int32, at time: UInt64) {
        changes.append(Change(time: time, signal: signal, value: value))
    }

    /// +1 at `from`, −1 at `to` (nothing when they coincide).
    private mutating func count(_ signal: UInt32, from: UInt64, to: UInt64) {
        guard to > from else { return }
        changes.append(Change(time: from, signal: signal, value: 1))
        changes.append(Change(time: to, signal: signal, value: -1))
    }

    /// Writes every change before cycle `limit` in (time, signal, position) order, keeping the rest.
    private mutating func emit(before limit: UInt64) throws(OutputError) {
        // Position is generation order (changes are appended in that order, and what an emit
        // keeps stays sorted and precedes the next step's), so a sort stable in position keeps it.
        // Gathered into a new array: loads of independent positions overlap, where following
        // the permutation's cycles in place waited for one miss after another (2.5× slower on a
        // step of 13 million changes, for half the buffer's memory).
        let order = Self.sortedPositions(changes, signalCount: codes.count)
        changes = order.map { [changes] position in changes[Int(position)] }
        var k = 0
        while k < changes.count, changes[k].time < limit {
            let time = changes[k].time
            if time > 0, !wroteInitialValues { try writeInitialValues() }
            var stamped = false
            while k < changes.count, changes[k].time == time {
                let signal = Int(changes[k].signal)
                var value = values[signal]
                while k < changes.count, changes[k].time == time, Int(changes[k].signal) == signal {
                    if kinds[signal] == .counter { value += Int64(changes[k].value) } else { value = Int64(changes[k].value) }
                    k += 1
                }
                assert(value >= 0 || kinds[signal] != .counter, "a packet count went negative")
                guard value != values[signal] else { continue }
                values[signal] = value
                guard wroteInitialValues else { continue }  // time 0: part of $dumpvars
                if !stamped {
                    appendTime(try vcdTime(time))
                    stamped = true
                }
                appendValue(of: signal)
            }
            if time == 0, !wroteInitialValues { try writeInitialValues() }
            if buffer.count >= 1 << 20, let file {
                try file.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        changes.removeFirst(k)
    }

    /// Per engine core, then the host (last): the engine cores it sends packets to, ascending and
    /// distinct. Lists rather than a cores × cores matrix, which took gigabytes on large meshes.
    static func routedDestinations(of simulation: Simulation) -> [[Int32]] {
        let engine = simulation.engine
        let network = simulation.network
        let coreCount = engine.cores.count
        var result: [[Int32]] = []
        result.reserveCapacity(coreCount + 1)
        // Last source that listed each destination, to drop repeats without a set.
        var listedBy = Array(repeating: Int32(-1), count: coreCount)
        for source in 0..<coreCount {
            let axons = engine.cores[source].outputAxons
            var destinations: [Int32] = []
            for d in 0..<axons.count where listedBy[Int(axons[d].core)] != Int32(source) {
                listedBy[Int(axons[d].core)] = Int32(source)
                destinations.append(Int32(axons[d].core))
            }
            result.append(destinations.sorted())
        }
        var fromHost = Array(repeating: false, count: coreCount)
        let locator = simulation.mapping.locator(populationCount: network.populations.count)
        for projection in network.projections where projection.sourceIsInput {
            for synapse in projection.synapses {
                fromHost[Int(locator[projection.target][Int(synapse.target)].core)] = true
            }
        }
        result.append(fromHost.indices.filter { fromHost[$0] }.map { Int32($0) })
        return result
    }

    /// Positions of `changes` in (time, signal, position) order. A step's changes span a few
    /// thousand cycles, so two stable counting sorts, by signal and then by time, do it in linear
    /// time (a comparison sort of the changes took most of a waveform's time); times spread
    /// wider than 4 × the changes are sorted as packed pairs instead.
    static func sortedPositions(_ changes: [Change], signalCount: Int) -> [Int32] {
        let count = changes.count
        guard let first = changes.first else { return [] }
        var earliest = first.time
        var latest = first.time
        for change in changes {
            earliest = min(earliest, change.time)
            latest = max(latest, change.time)
        }
        guard latest - earliest < UInt64(4 * count + 1024), count < Int(Int32.max) else {
            var keys = changes.enumerated().map { position, change in (change.time, UInt64(change.signal) << 32 | UInt64(position)) }
            keys.sort { $0 < $1 }
            return keys.map { Int32(truncatingIfNeeded: $0.1) }
        }
        // By signal (stable: positions ascending within a signal)…
        var bySignal = [Int32](repeating: 0, count: count)
        var starts = [Int](repeating: 0, count: signalCount + 1)
        for change in changes { starts[Int(change.signal) + 1] += 1 }
        for signal in 0..<signalCount { starts[signal + 1] += starts[signal] }
        for (position, change) in changes.enumerated() {
            bySignal[starts[Int(change.signal)]] = Int32(position)
            starts[Int(change.signal)] += 1
        }
        // …then by time, keeping that order among equal times.
        let span = Int(latest - earliest) + 1
        var timeStarts = [Int](repeating: 0, count: span + 1)
        for change in changes { timeStarts[Int(change.time - earliest) + 1] += 1 }
        for offset in 0..<span { timeStarts[offset + 1] += timeStarts[offset] }
        var sorted = [Int32](repeating: 0, count: count)
        for position in bySignal {
            let offset = Int(changes[Int(position)].time - earliest)
            sorted[timeStarts[offset]] = position
            timeStarts[offset] += 1
        }
        return sorted
    }

    /// `#0` and `$dumpvars` with every signal's value at time 0.
    private mutating func writeInitialValues() throws(OutputError) {
        appendTime(0)
        buffer.append(contentsOf: "$dumpvars\n".utf8)
        for signal in codes.indices { appendValue(of: signal) }
        buffer.append(contentsOf: "$end\n".utf8)
        wroteInitialValues = true
    }

    // MARK: Text

    /// The VCD time of `cycles`; at most `Int64.max`, since waveform viewers (GTKWave) read
    /// times as signed 64-bit numbers.
    private func vcdTime(_ cycles: UInt64) throws(OutputError) -> UInt64 {
        let (time, overflow) = cycles.multipliedReportingOverflow(by: timescale.unitsPerCycle)
        guard !overflow, time <= UInt64(Int64.max) else {
            throw .cannotWrite(file: path, reason: "cycle \(cycles) × \(timescale.unitsPerCycle) units of \(timescale) exceeds the largest VCD time, 2^63 − 1 (viewers read times as signed 64-bit numbers)")
        }
        return time
    }

    private mutating func appendTime(_ time: UInt64) {
        buffer.append(UInt8(ascii: "#"))
        buffer.append(contentsOf: String(time).utf8)
        buffer.append(0x0A)
        lastWrittenTime = time
    }

    /// `0!`, `1!`, or `b<bits> !` for vectors (24-bit registers in full two's complement,
    /// 32-bit integers without leading zeros, which VCD extends with 0).
    private mutating func appendValue(of signal: Int) {
        let value = values[signal]
        switch kinds[signal] {
        case .bit:
            buffer.append(value != 0 ? UInt8(ascii: "1") : UInt8(ascii: "0"))
        case .signed24:
            buffer.append(UInt8(ascii: "b"))
            let bits = UInt32(truncatingIfNeeded: value) & 0xFF_FFFF
            for bit in stride(from: 23, through: 0, by: -1) {
                buffer.append((bits >> UInt32(bit)) & 1 == 1 ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            }
            buffer.append(UInt8(ascii: " "))
        case .counter, .level32:
            buffer.append(UInt8(ascii: "b"))
            let bits = UInt32(truncatingIfNeeded: value)
            let width = max(1, 32 - bits.leadingZeroBitCount)
            for bit in stride(from: width - 1, through: 0, by: -1) {
                buffer.append((bits >> UInt32(bit)) & 1 == 1 ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            }
            buffer.append(UInt8(ascii: " "))
        }
        buffer.append(contentsOf: codes[signal])
        buffer.append(0x0A)
    }

    /// The identifier code of the `index`th signal: base 94 over the printable ASCII `!`…`~`.
    static func code(_ index: Int) -> [UInt8] {
        var digits: [UInt8] = []
        var rest = index
        repeat {
            digits.append(UInt8(33 + rest % 94))
            rest = rest / 94 - 1
        } while rest >= 0
        return digits
    }

    /// Names made into VCD/Verilog-style identifiers (`-` and `.` become `_`, a leading digit gets
    /// a `_`), made unique by appending `_2`, `_3`, … in order.
    static func identifiers(_ names: [String]) -> [String] {
        var result: [String] = []
        var taken = Set<String>()
        for name in names {
            var base = String(name.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_") ? Character(scalar) : "_"
            })
            if base.isEmpty || base.first?.isNumber == true { base = "_" + base }
            var candidate = base
            var suffix = 2
            while taken.contains(candidate) {
                candidate = "\(base)_\(suffix)"
                suffix += 1
            }
            taken.insert(candidate)
            result.append(candidate)
        }
        return result
    }
}
