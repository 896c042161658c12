import Chip
import Dispatch
import Router
import Synchronization

/// Reads and validates `neuroemu-network/1` files into a `NetworkDescription`.
///
/// Every rule is checked here, before mapping: types, ranges, names and references, matrix
/// shapes and array lengths. Errors name the file, the JSON path and the rule.
public enum NetworkFile {
    /// The format tag a network file must carry.
    public static let format = "neuroemu-network/1"
    /// Largest synaptic delay a file may ask for, in timesteps (a chip may allow less).
    public static let maximumDelay = 62
    /// Largest population or input size.
    public static let maximumSize = 1 << 24
    /// Largest number of timesteps.
    public static let maximumSteps = 100_000_000
    /// Longest name of a network, input, population or projection, in characters.
    public static let maximumNameLength = 64

    /// Loads a network file. `seed` overrides the file's seed before any random rule is expanded;
    /// `threads` read and expand projections at once (results and errors do not depend on it).
    /// With `chip`, populations with more neurons than the chip's cores hold in all are refused
    /// before any synapse is expanded (the mapper would refuse them only after), and a
    /// projection's weight bits or delays beyond the chip's at their JSON path.
    public static func load(path: String, seed: UInt64? = nil, threads: Int = 1, chip: ChipDescription? = nil) throws(ConfigError) -> NetworkDescription {
        try read(JSONNode(value: JSONParser.parse(contentsOfFile: path), file: path), seed: seed, threads: threads, chip: chip)
    }

    /// Parses network JSON text; `file` names it in errors.
    public static func parse(_ text: String, file: String, seed: UInt64? = nil, threads: Int = 1) throws(ConfigError) -> NetworkDescription {
        try read(JSONNode(value: JSONParser.parse(text, file: file), file: file), seed: seed, threads: threads)
    }

    static func read(_ root: JSONNode, seed seedOverride: UInt64?, threads: Int = 1, chip: ChipDescription? = nil) throws(ConfigError) -> NetworkDescription {
        let top = try root.fileObject(
            format: Self.format, allowedKeys: ["format", "name", "description", "steps", "seed", "inputs", "populations", "projections", "probes", "schedule"])
        let name = try readName(top.required("name"))
        if let description = top.optional("description") { _ = try description.string() }
        // With a schedule the run's length follows from it; "steps" may then be left out.
        let scheduleNode = top.optional("schedule")
        let stepsNode = top.optional("steps")
        let givenSteps = scheduleNode != nil && stepsNode == nil ? nil : try top.int("steps", in: 1...maximumSteps)
        var steps = givenSteps ?? maximumSteps
        let fileSeed = try top.int("seed", in: 0...Int(Int64.max), default: 1)
        let seed = seedOverride ?? UInt64(fileSeed)

        var names: [String: String] = [:]  // name → JSON path of its first use
        func claim(_ name: String, at node: JSONNode) throws(ConfigError) {
            if let first = names[name] { throw node.error("name \"\(name)\" is already used at \(first); names of inputs and populations must be unique") }
            names[name] = node.path
        }

        var inputs: [InputDescription] = []
        for node in try top.optional("inputs")?.array() ?? [] {
            let input = try readInput(node, steps: steps, inputs: inputs)
            try claim(input.name, at: node)
            inputs.append(input)
        }
        let populationNodes = try top.required("populations").array()
        guard !populationNodes.isEmpty else { throw top.node.error("\"populations\" must list at least one population") }
        if let chip, let node = top.optional("populations") {
            // Sizes first, before any population's parameters are expanded per neuron: a file
            // of a few hundred bytes may declare 16 M neurons per population, gigabytes once read.
            // A size that is not valid is left to `readPopulation` to report.
            let neurons = populationNodes.reduce(0) { total, population in
                total + ((try? population.object(allowedKeys: populationKeys).int("size", in: 1...maximumSize)) ?? 0)
            }
            if let problem = Partitioner.neuronCountProblem(neurons, on: chip) { throw node.error("the populations " + problem) }
        }
        var populations: [PopulationDescription] = []
        for node in populationNodes {
            let population = try readPopulation(node, chip: chip)
            try claim(population.name, at: node)
            populations.append(population)
        }
        var projections: [ProjectionDescription] = []
        var projectionNames: Set<String> = []
        let projectionNodes = try top.optional("projections")?.array() ?? []
        let groups = GroupNames(inputs: inputs, populations: populations)
        try checkNetworkSynapseCount(projectionNodes, groups: groups)
        if let chip { try checkProjectionsFit(projectionNodes, groups: groups, chip: chip) }
        let readProjections = Self.readProjections(projectionNodes, groups: groups, seed: seed, threads: threads)
        for (node, read) in zip(projectionNodes, readProjections) {
            let projection = try read.get()
            guard projectionNames.insert(projection.name).inserted else {
                throw node.error("projection name \"\(projection.name)\" is used twice; projection names must be unique")
            }
            projections.append(projection)
        }

        let quantization = try quantize(populations: &populations, projections: &projections, nodes: populationNodes)
        if let chip {
            // What no partition can fix, at its place in the file (networks built in code hear
            // of it from the partitioner, without a path).
            for (index, projection) in projections.enumerated() {
                guard let problem = Partitioner.projectionProblem(projection, on: chip) else { continue }
                throw problemNode(problem, in: projectionNodes[index]).error(problem.description)
            }
        }

        var probes: [ProbeDescription] = []
        for node in try top.optional("probes")?.array() ?? [] {
            probes.append(try readProbe(node, groups: groups))
        }
        var schedule: Schedule?
        if let scheduleNode {
            let read = try readSchedule(scheduleNode, inputs: inputs, populations: populations)
            if let givenSteps, let stepsNode, givenSteps != read.steps {
                throw stepsNode.error("the schedule runs \(read.steps) steps, but \"steps\" is \(givenSteps); give the same number or leave \"steps\" out")
            }
            steps = read.steps
            for (index, input) in inputs.enumerated() {
                guard case .spikeTimes(let times) = input.source, let last = times.compactMap(\.last).max(), last > steps else { continue }
                throw top.node.error("input \"\(input.name)\" ($.inputs[\(index)]) has a spike at step \(last), after the schedule's \(steps) steps")
            }
            schedule = read
        } else if let index = inputs.firstIndex(where: { if case .spikeTimes = $0.source { false } else if case .poisson = $0.source { false } else { true } }) {
            throw top.node.error("input \"\(inputs[index].name)\" ($.inputs[\(index)]) presents samples, which needs a \"schedule\"")
        }
        var network = NetworkDescription(name: name, steps: steps, seed: seed, inputs: inputs, populations: populations, projections: projections, probes: probes)
        network.quantization = quantization
        network.schedule = schedule
        return network
    }

    /// Converts every float `lif` population and the float projections onto it to integers.
    /// A bias the chip cannot hold at the population's scale is an error at the population's
    /// `nodes` entry.
    static func quantize(
        populations: inout [PopulationDescription], projections: inout [ProjectionDescription], nodes: [JSONNode]
    ) throws(ConfigError) -> [QuantizationReport] {
        var reports: [QuantizationReport] = []
        for index in populations.indices {
            guard let float = populations[index].float else { continue }
            let incoming = projections.indices.filter { projections[$0].target == index }
            let largest = incoming.flatMap { projections[$0].floatWeights ?? [] }.map(abs).max() ?? 0
            // The scale holds the largest weight and the bias (a bias above about 1/16 of the
            // span needs a smaller threshold mantissa than small weights alone would choose).
            let (parameters, scale) = Quantizer.neurons(float, maximumWeight: max(largest, Quantizer.smallestMaximumWeight(holding: float.bias)))
            let largestBias = Quantizer.largestBias(scale: scale)
            guard abs(float.bias) <= largestBias else {
                let node = nodes[index]
                throw .invalid(file: node.file, path: node.path + ".neuron.bias", rule: "\(float.bias) is beyond the ±\(largestBias) voltage units the chip's bias holds at the smallest scale (threshold mantissa \(parameters.vth), bias_mant 4095 · 2^7): a bias above the threshold span fires the neuron at every step whatever its input; reduce it or widen v_threshold − v_leak")
            }
            populations[index].neurons = Array(repeating: parameters, count: populations[index].size)
            for p in incoming {
                let (weights, exponent, signMode, report) = Quantizer.weights(projections[p].floatWeights ?? [], scale: scale, name: projections[p].name)
                for k in weights.indices { projections[p].synapses[k].weight = weights[k] }
                projections[p].weightExponent = exponent
                projections[p].signMode = signMode
                reports.append(report)
            }
        }
        return reports
    }

    // MARK: Names

    /// Names appear in space-separated trace lines, so they are restricted to a safe alphabet.
    static func readName(_ node: JSONNode) throws(ConfigError) -> String {
        let name = try node.string()
        if let problem = nameProblem(name) { throw node.error(problem) }
        return name
    }

    /// Why `name` cannot name a network, input, population or projection, or nil: names appear
    /// in space-separated `key=value` trace lines, hence the rule.
    static func nameProblem(_ name: String) -> String? {
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))) || "_-.".unicodeScalars.contains(scalar)
        }
        guard name.isEmpty || name.count > maximumNameLength || !allowed || (name.first?.isNumber ?? true) else { return nil }
        return "must be a name of 1 to \(maximumNameLength) ASCII letters, digits, '_', '-' or '.', not starting with a digit; got \"\(name)\""
    }

    // MARK: Inputs

    /// The keys of an input's kinds, one of which each input gives.
    static let inputKinds = ["spike_times", "poisson", "samples", "teacher"]

    static func readInput(_ node: JSONNode, steps: Int, inputs: [InputDescription] = []) throws(ConfigError) -> InputDescription {
        let object = try node.object(allowedKeys: ["name", "size"] + inputKinds)
        let name = try readName(object.required("name"))
        let size = try object.int("size", in: 1...maximumSize)
        let sources = inputKinds.filter { object.has($0) }
        if sources.count > 1 {
            throw node.error("give one of \"spike_times\", \"poisson\", \"samples\" or \"teacher\", got \(sources.map { "\"\($0)\"" }.joined(separator: " and "))")
        }
        if let samplesNode = object.optional("samples") {
            return InputDescription(name: name, size: size, source: .samples(try readSamples(samplesNode, size: size)))
        }
        if let teacherNode = object.optional("teacher") {
            return InputDescription(name: name, size: size, source: .teacher(try readTeacher(teacherNode, size: size, inputs: inputs)))
        }
        switch (object.optional("spike_times"), object.optional("poisson")) {
        case (let timesNode?, nil):
            let rows = try timesNode.array()
            guard rows.count == size else {
                throw timesNode.error("must have one list of spike times per neuron: \(size) lists, got \(rows.count)")
            }
            var times: [[Int]] = []
            for row in rows {
                let list = try row.intArray(in: 1...steps)
                for k in list.indices.dropFirst() where list[k] <= list[k - 1] {
                    throw JSONNode(value: .integer(Int64(list[k])), path: "\(row.path)[\(k)]", file: node.file)
                        .error("spike times must be strictly ascending; \(list[k]) follows \(list[k - 1])")
                }
                times.append(list)
            }
            return InputDescription(name: name, size: size, source: .spikeTimes(times))
        case (nil, let poissonNode?):
            let poisson = try poissonNode.object(allowedKeys: ["probability"])
            let probabilityNode = try poisson.required("probability")
            let probability: [Double]
            if case .array = probabilityNode.value {
                probability = try probabilityNode.doubleArray(in: 0.0...1.0)
                guard probability.count == size else {
                    throw probabilityNode.error("must have one value per neuron: \(size) values, got \(probability.count)")
                }
            } else {
                probability = Array(repeating: try probabilityNode.double(in: 0.0...1.0), count: size)
            }
            return InputDescription(name: name, size: size, source: .poisson(probability: probability))
        case (.some, .some):
            throw node.error("give either \"spike_times\" or \"poisson\", not both")
        case (nil, nil):
            throw node.error("an input needs \"spike_times\", \"poisson\", \"samples\" or \"teacher\"")
        }
    }

    // MARK: Populations

    /// Parameters every neuron model takes.
    static let loihiKeys = ["model", "du", "dv", "vth", "bias_mant", "bias_exp", "u_init", "v_init"]
    /// The mechanisms only `neuroemu_lif` offers (departures from Loihi's CUBA-LIF).
    static let mechanismKeys = ["refractory", "reset", "threshold_step", "threshold_decay", "mean_voltage_gain", "depolarization_gain", "spike", "graded_shift"]
    /// Neuron models: `loihi_lif` is Lava's bit-accurate CUBA-LIF; `neuroemu_lif` is the same
    /// integer update with the chip's extra mechanisms.
    static let models = ["loihi_lif", "neuroemu_lif", "lif"]
    /// Keys of the floating-point `lif` model, converted to `loihi_lif` by the `Quantizer`.
    static let floatKeys = ["model", "tau_mem", "tau_syn", "dt", "v_threshold", "v_reset", "v_leak", "bias"]

    static let populationKeys = ["name", "size", "neuron", "constraints"]

    static func readPopulation(_ node: JSONNode, chip: ChipDescription? = nil) throws(ConfigError) -> PopulationDescription {
        let object = try node.object(allowedKeys: populationKeys)
        let constraints = try object.optional("constraints").map { node throws(ConfigError) in try readConstraints(node, chip: chip) } ?? MappingConstraints()
        var population = try readNeurons(object)
        population.constraints = constraints
        return population
    }

    /// A population's `"constraints"`: `max_neurons_per_core` (1…16,777,216) and `tiles`, a
    /// list of distinct `[x, y]` tiles, checked against the chip's mesh when it is known.
    static func readConstraints(_ node: JSONNode, chip: ChipDescription?) throws(ConfigError) -> MappingConstraints {
        let object = try node.object(allowedKeys: ["max_neurons_per_core", "tiles"])
        var constraints = MappingConstraints()
        if object.optional("max_neurons_per_core") != nil { constraints.maxNeuronsPerCore = try object.int("max_neurons_per_core", in: 1...maximumSize) }
        guard let tilesNode = object.optional("tiles") else { return constraints }
        let tileNodes = try tilesNode.array()
        guard !tileNodes.isEmpty else { throw tilesNode.error("must list at least one tile as [x, y]; leave \"tiles\" out to let the placer choose") }
        for tileNode in tileNodes {
            let pair = try tileNode.array()
            guard pair.count == 2 else { throw tileNode.error("a tile is [x, y], two integers; got \(pair.count) \(pair.count == 1 ? "value" : "values")") }
            // With the chip, a coordinate is judged against its mesh (the rule a user can act on);
            // without it, against the largest mesh there is.
            let range: ClosedRange<Int>? = chip == nil ? 0...Mesh.maximumCores : nil
            constraints.tiles.append(TileCoordinate(x: try pair[0].int(in: range), y: try pair[1].int(in: range)))
        }
        if let (index, problem) = MappingConstraints.tileProblem(in: constraints.tiles, chip: chip) { throw tileNodes[index].error(problem) }
        return constraints
    }

    static func readNeurons(_ object: JSONObjectReader) throws(ConfigError) -> PopulationDescription {
        let name = try readName(object.required("name"))
        let size = try object.int("size", in: 1...maximumSize)
        let neuronNode = try object.required("neuron")
        // Read the model first, so a mechanism under `loihi_lif` gets a message about the model and
        // an unknown key is judged (and a near key suggested) against that model's own keys only.
        let model = try neuronNode.object(allowedKeys: neuronNode.members().map(\.key)).string("model", oneOf: models)
        // A parameter of the other kind of model (integer `du` under float `lif`, float `tau_mem`
        // under an integer model) names the model it belongs to rather than a look-alike key.
        let ownKeys = model == "lif" ? floatKeys : model == "loihi_lif" ? loihiKeys : loihiKeys + mechanismKeys
        let otherKeys = model == "lif" ? loihiKeys + mechanismKeys : floatKeys
        if let members = try? neuronNode.members(), let foreign = members.first(where: { !ownKeys.contains($0.key) && otherKeys.contains($0.key) }) {
            let owner = model != "lif" ? "the floating-point model \"lif\""
                : mechanismKeys.contains(foreign.key) ? "the integer model \"neuroemu_lif\"" : "the integer models \"loihi_lif\" and \"neuroemu_lif\""
            throw foreign.node.error("\"\(foreign.key)\" is a parameter of \(owner), not of \"\(model)\", whose keys are \(ownKeys.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        if model == "lif" { return try readFloatPopulation(name: name, size: size, neuronNode) }
        if model == "loihi_lif", let members = try? neuronNode.members(), let extra = members.first(where: { mechanismKeys.contains($0.key) }) {
            throw extra.node.error("\"\(extra.key)\" is not a parameter of model \"loihi_lif\" (Lava's CUBA-LIF); use model \"neuroemu_lif\" for refractory periods, subtractive reset, adaptive or dynamic thresholds, ternary or graded spikes")
        }
        let neuron = try neuronNode.object(allowedKeys: model == "loihi_lif" ? loihiKeys : loihiKeys + mechanismKeys)
        let du = try perNeuron(neuron, "du", size: size, range: 0...4095, default: 0)
        let dv = try perNeuron(neuron, "dv", size: size, range: 0...4095, default: 0)
        let vth = try perNeuron(neuron, "vth", size: size, range: 0...131_071, default: nil)
        let biasMantissa = try perNeuron(neuron, "bias_mant", size: size, range: -4096...4095, default: 0)
        let biasExponent = try perNeuron(neuron, "bias_exp", size: size, range: 0...7, default: 0)
        let limit = Int(LoihiNeuron.stateLimit)
        let initialU = try perNeuron(neuron, "u_init", size: size, range: (-limit + 1)...limit, default: 0)
        let initialV = try perNeuron(neuron, "v_init", size: size, range: -Int(LoihiNeuron.voltageLimit)...Int(LoihiNeuron.voltageLimit), default: 0)
        let refractory = try perNeuron(neuron, "refractory", size: size, range: 0...63, default: 0)
        let thresholdStep = try perNeuron(neuron, "threshold_step", size: size, range: 0...Int(LoihiNeuron.voltageLimit), default: 0)
        let thresholdDecay = try perNeuron(neuron, "threshold_decay", size: size, range: 0...4095, default: 0)
        let meanGain = try perNeuron(neuron, "mean_voltage_gain", size: size, range: 0...4096, default: 0)
        let rateGain = try perNeuron(neuron, "depolarization_gain", size: size, range: 0...4096, default: 0)
        let gradedShift = try perNeuron(neuron, "graded_shift", size: size, range: 0...23, default: 0)
        let reset = ResetMode(rawValue: try neuron.string("reset", oneOf: ResetMode.allCases.map(\.rawValue), default: "zero")) ?? .zero
        let spikeMode = SpikeMode(rawValue: try neuron.string("spike", oneOf: SpikeMode.allCases.map(\.rawValue), default: "binary")) ?? .binary
        if spikeMode != .graded, let shiftNode = neuron.optional("graded_shift") {
            throw shiftNode.error("applies only to graded spikes (\"spike\": \"graded\")")
        }
        let parameters = (0..<size).map { i in
            LoihiNeuron.Parameters(
                du: du[i], dv: dv[i], vth: vth[i], biasMantissa: biasMantissa[i], biasExponent: biasExponent[i],
                refractoryPeriod: refractory[i], resetMode: reset, thresholdStep: thresholdStep[i], thresholdDecay: thresholdDecay[i],
                meanVoltageGain: meanGain[i], depolarizationGain: rateGain[i], spikeMode: spikeMode, gradedShift: gradedShift[i])
        }
        return PopulationDescription(name: name, size: size, model: model, neurons: parameters, initialU: initialU, initialV: initialV)
    }

    /// A `lif` population in float units; its integer parameters are set by the quantizer once the
    /// weights projecting onto it are known.
    static func readFloatPopulation(name: String, size: Int, _ node: JSONNode) throws(ConfigError) -> PopulationDescription {
        let object = try node.object(allowedKeys: floatKeys)
        // Checked by hand: a range check would print its bounds as 5e-324…1.7976931348623157e+308.
        func positive(_ key: String) throws(ConfigError) -> Double {
            guard let child = object.optional(key) else { throw object.missing(key) }
            let value = try child.double()
            guard value > 0, value.isFinite else { throw child.error("must be a positive number, got \(child.value.numberText ?? "\(value)")") }
            return value
        }
        let dt = try positive("dt")
        let tauMemory = try positive("tau_mem")
        let tauSynapse = try positive("tau_syn")
        for (key, tau) in [("tau_mem", tauMemory), ("tau_syn", tauSynapse)] where tau < dt {
            throw (object.optional(key) ?? node).error("must be at least dt (\(dt)); a time constant shorter than the step cannot be integrated")
        }
        let leak = try object.double("v_leak", default: 0)
        let thresholdNode = try object.required("v_threshold")
        let threshold = try thresholdNode.double()
        guard threshold > leak else { throw thresholdNode.error("must be above v_leak (\(leak)), got \(threshold)") }
        // The span is the unit every weight and the bias are scaled by: an infinite one scales
        // them all to 0 and the quantization error to NaN.
        guard (threshold - leak).isFinite else {
            throw thresholdNode.error("v_threshold − v_leak must be a finite number, got \(threshold) − (\(leak)), beyond \(Double.greatestFiniteMagnitude)")
        }
        let resetNode = object.optional("v_reset")
        let reset = try object.double("v_reset", default: leak)
        guard reset == leak else {
            throw (resetNode ?? node).error("must equal v_leak (\(leak)): the chip resets v to its resting value, got \(reset)")
        }
        let float = FloatNeurons(tauMemory: tauMemory, tauSynapse: tauSynapse, dt: dt, threshold: threshold, reset: reset, leak: leak, bias: try object.double("bias", default: 0))
        return PopulationDescription(name: name, size: size, model: "lif", neurons: Array(repeating: LoihiNeuron.Parameters(vth: 1), count: size),
                                     initialU: Array(repeating: 0, count: size), initialV: Array(repeating: 0, count: size), float: float)
    }

    /// A neuron parameter given as a scalar (same for all) or an array of one value per neuron.
    static func perNeuron(_ object: JSONObjectReader, _ key: String, size: Int, range: ClosedRange<Int>, default defaultValue: Int?) throws(ConfigError) -> [Int32] {
        guard let node = object.optional(key) else {
            guard let defaultValue else { throw object.missing(key) }
            return Array(repeating: Int32(defaultValue), count: size)
        }
        if case .array = node.value {
            let values = try node.intArray(in: range)
            guard values.count == size else {
                throw node.error("must have one value per neuron: \(size) values, got \(values.count)")
            }
            return values.map { Int32($0) }
        }
        return Array(repeating: Int32(try node.int(in: range)), count: size)
    }

    // MARK: Projections

    static let connectivityKeys = ["weights", "sparse", "one_to_one", "all_to_all", "random", "fixed_in", "conv2d"]

    /// Each projection read and its synapses expanded (or its error), in file order: on up to
    /// `threads` threads, each claiming the next projection in file order. A projection's reading
    /// depends on no other projection, and the caller meets the results in file order, so the
    /// network, and the first error, are those of reading one after another (expanding
    /// cuba-400k's 32 million synapses is a sixth of its setup).
    static func readProjections(
        _ nodes: [JSONNode], groups: GroupNames, seed: UInt64, threads: Int
    ) -> [Result<ProjectionDescription, ConfigError>] {
        @Sendable func read(_ index: Int) -> Result<ProjectionDescription, ConfigError> {
            var streams = SeededGenerator(seed: seed, stream: UInt64(index) + 1)
            let streamSeed = streams.next()
            do throws(ConfigError) {
                return .success(try readProjection(nodes[index], groups: groups, seed: streamSeed))
            } catch {
                return .failure(error)
            }
        }
        let workers = max(1, min(threads, nodes.count))
        guard workers > 1 else { return nodes.indices.map(read) }
        var results: [Result<ProjectionDescription, ConfigError>?] = Array(repeating: nil, count: nodes.count)
        let next = Atomic<Int>(0)
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let buffer = buffer  // each index is written by the worker that claimed it
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < nodes.count else { return }
                    buffer[index] = read(index)
                }
            }
        }
        return results.map { result in
            guard let result else { preconditionFailure("every projection was read") }
            return result
        }
    }

    /// Where in a projection's object a mapping problem lies: its `num_weight_bits`, or its
    /// longest delay (the projection's, or the first of a sparse list's longest); else the
    /// projection itself (default bits, or float weights, which the quantizer gives 8 bits).
    static func problemNode(_ problem: MappingError, in projection: JSONNode) -> JSONNode {
        switch problem {
        case .weightPrecision(_, _, _, _, quantized: false):
            return ((try? projection.members()) ?? []).first { $0.key == "num_weight_bits" }?.node ?? projection
        case let .delayTooLong(_, delay, _, _):
            return firstDelay(of: delay, in: projection) ?? projection
        default:
            return projection
        }
    }

    /// The first `delay` value of `steps` in the objects inside `node`, else `node`'s own: a
    /// rule's per-synapse delays (a `sparse` list) override the projection's.
    private static func firstDelay(of steps: Int, in node: JSONNode) -> JSONNode? {
        let members = (try? node.members()) ?? []
        for (_, child) in members {
            if case .object = child.value, let found = firstDelay(of: steps, in: child) { return found }
        }
        guard let delay = members.first(where: { $0.key == "delay" })?.node else { return nil }
        return ((try? delay.array()) ?? [delay]).first { (try? $0.int()) == steps }
    }

    /// A projection's object up to its synapses: its keys, name, endpoints, weight settings,
    /// delay and the one connectivity rule, read and checked without expanding anything.
    struct ProjectionHeader {
        var object: JSONObjectReader
        var name: String
        var sourceName: String
        var source: (index: Int, isInput: Bool, size: Int)
        var targetName: String
        var target: Int
        var targetSize: Int
        /// Nil for a projection onto a float population (its reader checks the rest).
        var integer: (weightExponent: Int, numWeightBits: Int, delay: Int, ruleKind: String, rule: JSONNode)?
    }

    static let projectionKeys = ["name", "source", "target", "weight_exp", "num_weight_bits", "delay", "sign_mode", "stdp"] + connectivityKeys

    static func readProjectionHeader(_ node: JSONNode, groups: GroupNames) throws(ConfigError) -> ProjectionHeader {
        let (inputs, populations) = (groups.inputs, groups.populations)
        let object = try node.object(allowedKeys: projectionKeys)
        let name = try readName(object.required("name"))
        let sourceNode = try object.required("source")
        let sourceName = try sourceNode.string()
        let source: (index: Int, isInput: Bool, size: Int)
        if let index = groups.input(named: sourceName) {
            source = (index, true, inputs[index].size)
        } else if let index = groups.population(named: sourceName) {
            source = (index, false, populations[index].size)
        } else {
            throw sourceNode.error("no input or population is named \"\(sourceName)\"\(suggestion(sourceName, inputs.map(\.name) + populations.map(\.name)))")
        }
        let targetNode = try object.required("target")
        let targetName = try targetNode.string()
        guard let target = groups.population(named: targetName) else {
            let isInput = groups.input(named: targetName) != nil
            throw targetNode.error(isInput
                ? "\"\(targetName)\" is an input; a projection's target must be a population"
                : "no population is named \"\(targetName)\"\(suggestion(targetName, populations.map(\.name)))")
        }
        var header = ProjectionHeader(
            object: object, name: name, sourceName: sourceName, source: source, targetName: targetName, target: target,
            targetSize: populations[target].size, integer: nil)
        guard populations[target].float == nil else { return header }
        let weightExponent = try object.int("weight_exp", in: WeightExponent.range, default: 0)
        let numWeightBits = try object.int("num_weight_bits", in: 1...8, default: 8)
        let delay = try object.int("delay", in: 1...maximumDelay, default: 1)
        let present = connectivityKeys.filter { object.has($0) }
        guard present.count == 1, let rule = object.optional(present[0]) else {
            let listed = connectivityKeys.map { "\"\($0)\"" }.joined(separator: ", ")
            throw node.error(present.isEmpty
                ? "a projection needs exactly one connectivity: one of \(listed)"
                : "a projection takes exactly one connectivity, got \(present.map { "\"\($0)\"" }.joined(separator: " and "))")
        }
        header.integer = (weightExponent, numWeightBits, delay, present[0], rule)
        return header
    }

    static func readProjection(_ node: JSONNode, groups: GroupNames, seed: UInt64) throws(ConfigError) -> ProjectionDescription {
        let header = try readProjectionHeader(node, groups: groups)
        let (object, name, sourceName, source, targetName, target, targetSize) = (header.object, header.name, header.sourceName, header.source, header.targetName, header.target, header.targetSize)
        guard let (weightExponent, numWeightBits, delay, ruleKind, rule) = header.integer else {
            return try readFloatProjection(object, name: name, source: source, target: target, targetSize: targetSize, targetName: targetName, seed: seed)
        }
        let connectivity = try readConnectivity(rule, kind: ruleKind, sourceSize: source.size, targetSize: targetSize, sourceName: sourceName, targetName: targetName)
        let synapses = connectivity.synapses(sourceSize: source.size, targetSize: targetSize, delay: delay, seed: seed)

        let signMode: SignMode
        if let modeNode = object.optional("sign_mode") {
            guard let mode = SignMode(rawValue: try modeNode.string(oneOf: SignMode.allCases.map(\.rawValue))) else { throw modeNode.error("unknown sign mode") }
            if let bad = synapses.firstIndex(where: { !mode.weightRange.contains(Int($0.weight)) }) {
                let synapse = synapses[bad]
                throw modeNode.error("synapse \(bad) (source \(synapse.source) → target \(synapse.target)) has weight \(synapse.weight), outside the \(mode.rawValue) range \(mode.weightRange.lowerBound)…\(mode.weightRange.upperBound)")
            }
            signMode = mode
        } else {
            signMode = SignMode.inferred(from: synapses.lazy.map { Int($0.weight) })
        }
        var stdp: STDPRule?
        if let stdpNode = object.optional("stdp") {
            let rule = try readSTDP(stdpNode)
            let bounds = Int(rule.minimumWeight)...Int(rule.maximumWeight)
            guard signMode.weightRange.contains(bounds.lowerBound), signMode.weightRange.contains(bounds.upperBound) else {
                throw stdpNode.error("weight bounds \(bounds.lowerBound)…\(bounds.upperBound) leave the \(signMode.rawValue) range \(signMode.weightRange.lowerBound)…\(signMode.weightRange.upperBound) of this projection; set \"sign_mode\" to \"mixed\" to learn weights of both signs")
            }
            if let bad = synapses.firstIndex(where: { !bounds.contains(Int($0.weight)) }) {
                throw stdpNode.error("synapse \(bad) starts at weight \(synapses[bad].weight), outside the learning bounds \(bounds.lowerBound)…\(bounds.upperBound)")
            }
            stdp = rule
        }
        return ProjectionDescription(
            name: name, source: source.index, sourceIsInput: source.isInput, target: target, synapses: synapses,
            signMode: signMode, weightExponent: weightExponent, numWeightBits: numWeightBits, stdp: stdp)
    }

    /// Weights are 8-bit on the chip (9 with the sign); a value outside is a mistake, not something
    /// to clip silently.
    static let weightRange = SignMode.mixed.weightRange

    static func readConnectivity(_ node: JSONNode, kind: String, sourceSize: Int, targetSize: Int, sourceName: String, targetName: String) throws(ConfigError) -> Connectivity {
        switch kind {
        case "weights":
            let rows = try node.array()
            guard rows.count == targetSize else {
                throw node.error("must have one row per target neuron (target-major, weights[i][j] connects source j to target i): \(targetName) has \(targetSize) neurons, got \(rows.count) rows")
            }
            var matrix: [[Int]] = []
            matrix.reserveCapacity(targetSize)
            for row in rows {
                let values = try row.intArray(in: weightRange)
                guard values.count == sourceSize else {
                    throw row.error("must have one weight per source neuron: \(sourceName) has \(sourceSize) neurons, got \(values.count)")
                }
                matrix.append(values)
            }
            return .dense(matrix)
        case "sparse":
            let object = try node.object(allowedKeys: ["source", "target", "weight", "delay"])
            let sources = try object.required("source").intArray(in: 0...(sourceSize - 1))
            let targets = try object.required("target").intArray(in: 0...(targetSize - 1))
            let weights = try object.required("weight").intArray(in: weightRange)
            let delays = try object.optional("delay")?.intArray(in: 1...maximumDelay)
            for (key, count) in [("target", targets.count), ("weight", weights.count), ("delay", delays?.count ?? sources.count)] where count != sources.count {
                throw node.error("\"source\", \"target\", \"weight\" and \"delay\" must have equal lengths: \"source\" has \(sources.count), \"\(key)\" has \(count)")
            }
            return .sparse(sources: sources, targets: targets, weights: weights, delays: delays)
        case "one_to_one":
            guard sourceSize == targetSize else {
                throw node.error("one-to-one needs equal sizes: \(sourceName) has \(sourceSize) neurons, \(targetName) has \(targetSize)")
            }
            return .oneToOne(try readWeight(node.object(allowedKeys: ["weight", "weight_range"])))
        case "all_to_all":
            try checkSynapseCount(Double(sourceSize) * Double(targetSize), node)
            return .allToAll(try readWeight(node.object(allowedKeys: ["weight", "weight_range"])))
        case "random":
            let object = try node.object(allowedKeys: ["p", "seed", "weight", "weight_range"])
            let probability = try object.double("p", in: 0.0...1.0)
            try checkSynapseCount(probability * Double(sourceSize) * Double(targetSize), node)
            try checkRandomPairs(Double(sourceSize) * Double(targetSize), node)
            let seed = try object.optional("seed").map { (seedNode: JSONNode) throws(ConfigError) -> UInt64 in UInt64(try seedNode.int(in: 0...Int(Int64.max))) }
            return .random(probability: probability, seed: seed, weight: try readWeight(object), excludeSelf: sourceName == targetName)
        case "fixed_in":
            let object = try node.object(allowedKeys: ["k", "seed", "weight", "weight_range"])
            let excludeSelf = sourceName == targetName
            let available = excludeSelf ? sourceSize - 1 : sourceSize
            let count = try object.int("k", in: 0...max(0, available))
            try checkSynapseCount(Double(count) * Double(targetSize), node)
            let seed = try object.optional("seed").map { (seedNode: JSONNode) throws(ConfigError) -> UInt64 in UInt64(try seedNode.int(in: 0...Int(Int64.max))) }
            return .fixedInDegree(count: count, seed: seed, weight: try readWeight(object), excludeSelf: excludeSelf)
        default:
            return .conv2d(try readConv2D(node, sourceSize: sourceSize, targetSize: targetSize, sourceName: sourceName, targetName: targetName))
        }
    }

    /// A projection onto a float `lif` population: float weights, quantized once every projection
    /// onto the population is known (see `Quantizer`).
    static func readFloatProjection(_ object: JSONObjectReader, name: String, source: (index: Int, isInput: Bool, size: Int), target: Int, targetSize: Int, targetName: String, seed: UInt64) throws(ConfigError) -> ProjectionDescription {
        for key in ["weight_exp", "num_weight_bits", "sign_mode", "stdp", "conv2d", "fixed_in"] {
            if let node = object.optional(key) {
                throw node.error("not available on a projection onto the float population \"\(targetName)\": the quantizer chooses weight exponents and sign modes; use \"weights\", \"sparse\", \"one_to_one\", \"all_to_all\" or \"random\" with float weights")
            }
        }
        let delay = Int32(try object.int("delay", in: 1...maximumDelay, default: 1))
        let present = connectivityKeys.filter { object.has($0) }
        guard present.count == 1, let rule = object.optional(present[0]) else {
            throw object.node.error("a projection takes exactly one connectivity: one of \"weights\", \"sparse\", \"one_to_one\", \"all_to_all\", \"random\"")
        }
        var synapses: [SynapseDescription] = []
        var weights: [Double] = []
        func add(_ s: Int, _ t: Int, _ w: Double, _ d: Int32) {
            synapses.append(SynapseDescription(source: Int32(s), target: Int32(t), weight: 0, delay: d))
            weights.append(w)
        }
        let finite = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
        switch present[0] {
        case "weights":
            let rows = try rule.array()
            guard rows.count == targetSize else {
                throw rule.error("must have one row per target neuron: \(targetName) has \(targetSize) neurons, got \(rows.count) rows")
            }
            for (t, row) in rows.enumerated() {
                let values = try row.doubleArray(in: finite)
                guard values.count == source.size else {
                    throw row.error("must have one weight per source neuron: \(source.size) neurons, got \(values.count)")
                }
                for (s, w) in values.enumerated() where w != 0 { add(s, t, w, delay) }
            }
        case "sparse":
            let sparse = try rule.object(allowedKeys: ["source", "target", "weight", "delay"])
            let s = try sparse.required("source").intArray(in: 0...(source.size - 1))
            let t = try sparse.required("target").intArray(in: 0...(targetSize - 1))
            let w = try sparse.required("weight").doubleArray(in: finite)
            let d = try sparse.optional("delay")?.intArray(in: 1...maximumDelay)
            guard t.count == s.count, w.count == s.count, (d?.count ?? s.count) == s.count else {
                throw rule.error("\"source\", \"target\", \"weight\" and \"delay\" must have equal lengths")
            }
            for k in s.indices { add(s[k], t[k], w[k], d.map { Int32($0[k]) } ?? delay) }
        default:
            let isRandom = present[0] == "random"
            let rules = try rule.object(allowedKeys: isRandom ? ["p", "seed", "weight"] : ["weight"])
            let weight = try rules.double("weight", in: finite)
            if present[0] == "one_to_one" {
                guard source.size == targetSize else { throw rule.error("one-to-one needs equal sizes: \(source.size) and \(targetSize)") }
                for i in 0..<targetSize { add(i, i, weight, delay) }
            } else {
                let probability = isRandom ? try rules.double("p", in: 0.0...1.0) : 1
                try checkSynapseCount(probability * Double(source.size) * Double(targetSize), rule)
                try checkRandomPairs(Double(source.size) * Double(targetSize), rule)
                let ruleSeed = try rules.optional("seed").map { (n: JSONNode) throws(ConfigError) -> UInt64 in UInt64(try n.int(in: 0...Int(Int64.max))) }
                var generator = SeededGenerator(seed: ruleSeed ?? seed)
                let excludeSelf = isRandom && !source.isInput && source.index == target
                for t in 0..<targetSize {
                    for s in 0..<source.size where !isRandom || generator.nextUnitInterval() < probability {
                        if excludeSelf && s == t { continue }
                        add(s, t, weight, delay)
                    }
                }
            }
        }
        var projection = ProjectionDescription(name: name, source: source.index, sourceIsInput: source.isInput, target: target, synapses: synapses, signMode: .mixed, weightExponent: 0, numWeightBits: 8)
        projection.floatWeights = weights
        return projection
    }

    /// `{ "pre_impulse", "post_impulse", "pre_decay", "post_decay", "a_plus", "a_minus", "w_min", "w_max", "epoch" }`.
    static func readSTDP(_ node: JSONNode) throws(ConfigError) -> STDPRule {
        let object = try node.object(allowedKeys: ["pre_impulse", "post_impulse", "pre_decay", "post_decay", "a_plus", "a_minus", "w_min", "w_max", "epoch", "w_decay"])
        let minimum = try object.int("w_min", in: weightRange)
        let maximumNode = try object.required("w_max")
        let maximum = try maximumNode.int(in: weightRange)
        guard minimum <= maximum else { throw maximumNode.error("must be ≥ w_min (\(minimum)), got \(maximum)") }
        return STDPRule(
            preImpulse: Int32(try object.int("pre_impulse", in: 0...127)),
            postImpulse: Int32(try object.int("post_impulse", in: 0...127)),
            preDecay: Int32(try object.int("pre_decay", in: 0...4095)),
            postDecay: Int32(try object.int("post_decay", in: 0...4095)),
            potentiation: Int32(try object.int("a_plus", in: 0...4096)),
            depression: Int32(try object.int("a_minus", in: 0...4096)),
            minimumWeight: Int32(minimum), maximumWeight: Int32(maximum),
            epoch: Int32(try object.int("epoch", in: 1...1024, default: 1)),
            weightDecay: Int32(try object.int("w_decay", in: 0...4096, default: 0)))
    }

    /// Most synapses one projection may expand to (about 3 GB of synapse descriptions).
    public static let maximumSynapses = 200_000_000

    /// Most synapses the rules of one network may expand to in all (about 6 GB of synapse
    /// descriptions, before the chip's tables).
    public static let maximumNetworkSynapses = 400_000_000

    /// Rejects, at the first projection that passes it, a network whose rules would expand to
    /// more than `maximumNetworkSynapses` in all, before any is expanded (in file order, so the
    /// error does not depend on which thread expands what). A projection this cannot read is left
    /// to `readProjection` to report.
    static func checkNetworkSynapseCount(_ nodes: [JSONNode], groups: GroupNames) throws(ConfigError) {
        func size(_ node: JSONNode, _ key: String) -> Double? {
            guard case .object(let members) = node.value, let name = members.first(where: { $0.key == key }), case .string(let text) = name.value else { return nil }
            return groups.size(named: text).map(Double.init)
        }
        func number(_ value: JSONValue?) -> Double? {
            switch value {
            case .integer(let integer)?: Double(integer)
            case .number(let number)?: number
            default: nil
            }
        }
        var total = 0.0
        for node in nodes {
            guard case .object(let members) = node.value, let source = size(node, "source"), let target = size(node, "target") else { continue }
            func rule(_ key: String) -> [JSONMember]? {
                guard let member = members.first(where: { $0.key == key }), case .object(let fields) = member.value else { return nil }
                return fields
            }
            var expected = 0.0
            if rule("all_to_all") != nil {
                expected = source * target
            } else if let fields = rule("random") {
                // A p or k out of range is refused later with its own message; here it is
                // clamped to its range (0…1, 0…source size).
                expected = min(max(number(fields.first { $0.key == "p" }?.value) ?? 0, 0), 1) * source * target
            } else if let fields = rule("fixed_in") {
                expected = min(max(number(fields.first { $0.key == "k" }?.value) ?? 0, 0), source) * target
            } else if let fields = rule("conv2d"), case .array(let kernel)? = fields.first(where: { $0.key == "kernel" })?.value,
                case .array(let inputs)? = kernel.first, case .array(let rows)? = inputs.first, case .array(let taps)? = rows.first {
                expected = target * Double(inputs.count * rows.count * taps.count)  // each output reads at most in × kh × kw inputs
            }
            total += expected
            guard total <= Double(maximumNetworkSynapses) else {
                throw node.error("the network's projections up to this one would create about \(total < 1e18 ? String(Int(total)) : String(total)) synapses; a network may have at most \(maximumNetworkSynapses)")
            }
        }
    }

    /// What the projections' sizes alone show the chip cannot hold, checked before any synapse is
    /// expanded (which may take minutes and gigabytes before the partitioner finds the same): a
    /// population whose every neuron has more distinct sources than a core has input axons, or
    /// more synapses than all the synapse memory holds at the fewest bits a synapse takes. Only
    /// `all_to_all` and `fixed_in` are counted, whose every target neuron has the same number of
    /// distinct sources (all, or k), onto integer populations; other rules are left to the
    /// partitioner. A projection its reader would refuse ends the check, so that errors still
    /// come in file order.
    static func checkProjectionsFit(_ nodes: [JSONNode], groups: GroupNames, chip: ChipDescription) throws(ConfigError) {
        let limits = chip.coreLimits
        let leastSynapseBits = SynapseMemoryModel(limits: limits).synapseBits(numWeightBits: 1, signMode: .excitatory, usesDelays: false)
        let memoryBits = Double(chip.mesh.coreCount) * Double(limits.synapseMemoryBits)
        // Per target population: per source, the most distinct sources one projection gives each
        // target neuron (sources of different inputs or populations are different axons), their
        // sum, and the projections counted.
        var sourcesPerNeuron: [Int: (bySource: [SourceKey: Int], axons: Int, projections: [String])] = [:]
        var synapses = 0.0
        for node in nodes {
            guard let header = try? readProjectionHeader(node, groups: groups) else { return }
            guard let rule = header.integer, rule.ruleKind == "all_to_all" || rule.ruleKind == "fixed_in" else { continue }
            let connectivity: Connectivity
            do {
                connectivity = try readConnectivity(
                    rule.rule, kind: rule.ruleKind, sourceSize: header.source.size, targetSize: header.targetSize,
                    sourceName: header.sourceName, targetName: header.targetName)
            } catch {
                return
            }
            let perNeuron: Int
            switch connectivity {
            case .allToAll: perNeuron = header.source.size
            case .fixedInDegree(let count, _, _, _): perNeuron = count
            default: continue
            }
            let source = SourceKey(index: header.source.index, isInput: header.source.isInput)
            // The target's entry is updated in place (a copy would copy its dictionary each time).
            func count(_ entry: inout (bySource: [SourceKey: Int], axons: Int, projections: [String])) {
                let known = entry.bySource[source, default: 0]
                if perNeuron > known {
                    entry.bySource[source] = perNeuron
                    entry.axons += perNeuron - known
                }
                entry.projections.append(header.name)
            }
            count(&sourcesPerNeuron[header.target, default: ([:], 0, [])])
            if let target = sourcesPerNeuron[header.target], target.axons > limits.inputAxons {
                throw node.error("each neuron of population `\(header.targetName)` needs at least \(target.axons.grouped) input axons, one per source neuron (\(MappingError.list(target.projections))); a core of chip `\(chip.name)` has \(limits.inputAxons.grouped)")
            }
            synapses += Double(perNeuron) * Double(header.targetSize)
            let bits = synapses * Double(leastSynapseBits)
            if bits > memoryBits {
                throw node.error("the projections up to this one make at least \(Int(synapses).grouped) synapses of at least \(leastSynapseBits) bits, \(Int(bits).grouped) bits; chip `\(chip.name)` holds \(Int(memoryBits).grouped) bits of synapse memory (\(chip.mesh.coreCount.grouped) cores of \(limits.synapseMemoryBits.grouped)), so the network cannot fit")
            }
        }
    }

    /// An input or a population as the source of a projection.
    struct SourceKey: Hashable {
        var index: Int
        var isInput: Bool
    }

    /// Most source–target pairs a `random` rule may draw for (one number each, whatever `p`).
    public static let maximumRandomPairs = 1 << 32

    /// Rejects a `random` rule over more pairs than can be drawn in reasonable time (about a
    /// minute at the limit): sparse connectivity of large populations is `fixed_in`'s.
    static func checkRandomPairs(_ pairs: Double, _ node: JSONNode) throws(ConfigError) {
        guard pairs <= Double(maximumRandomPairs) else {
            throw node.error("draws one number per source–target pair: \(Int(pairs)) pairs; at most \(maximumRandomPairs) (use \"fixed_in\" for sparse connectivity of large populations)")
        }
    }

    /// Rejects a rule that would expand to more synapses than memory allows, before expanding it.
    static func checkSynapseCount(_ expected: Double, _ node: JSONNode) throws(ConfigError) {
        guard expected <= Double(maximumSynapses) else {
            throw node.error("would create about \(Int(expected)) synapses; one projection may have at most \(maximumSynapses)")
        }
    }

    static func readWeight(_ object: JSONObjectReader) throws(ConfigError) -> Connectivity.Weight {
        switch (object.optional("weight"), object.optional("weight_range")) {
        case (let weight?, nil):
            return .constant(try weight.int(in: weightRange))
        case (nil, let rangeNode?):
            let bounds = try rangeNode.intArray(in: weightRange)
            guard bounds.count == 2, bounds[0] <= bounds[1] else {
                throw rangeNode.error("must be [low, high] with low ≤ high, got \(bounds)")
            }
            return .uniform(bounds[0]...bounds[1])
        case (.some, .some):
            throw object.node.error("give either \"weight\" or \"weight_range\", not both")
        case (nil, nil):
            throw object.node.error("needs \"weight\" (an integer) or \"weight_range\" ([low, high])")
        }
    }

    static func readConv2D(_ node: JSONNode, sourceSize: Int, targetSize: Int, sourceName: String, targetName: String) throws(ConfigError) -> Connectivity.Conv2D {
        let object = try node.object(allowedKeys: ["input_shape", "kernel", "stride", "padding"])
        let shapeNode = try object.required("input_shape")
        let shape = try shapeNode.intArray(in: 1...maximumSize)
        guard shape.count == 3 else { throw shapeNode.error("must be [channels, height, width], got \(shape.count) values") }
        // Each factor may be up to 2^24, so the product can overflow Int: check before multiplying.
        let planes = shape[0].multipliedReportingOverflow(by: shape[1])
        let neurons = planes.partialValue.multipliedReportingOverflow(by: shape[2])
        guard !planes.overflow, !neurons.overflow else {
            throw shapeNode.error("\(shape[0])×\(shape[1])×\(shape[2]) neurons, but \(sourceName) has \(sourceSize)")
        }
        guard neurons.partialValue == sourceSize else {
            throw shapeNode.error("\(shape[0])×\(shape[1])×\(shape[2]) = \(neurons.partialValue) neurons, but \(sourceName) has \(sourceSize)")
        }
        func pair(_ key: String, range: ClosedRange<Int>, default value: Int) throws(ConfigError) -> (y: Int, x: Int) {
            guard let child = object.optional(key) else { return (value, value) }
            if case .array = child.value {
                let values = try child.intArray(in: range)
                guard values.count == 2 else { throw child.error("must be an integer or [y, x], got \(values.count) values") }
                return (values[0], values[1])
            }
            let single = try child.int(in: range)
            return (single, single)
        }
        let stride = try pair("stride", range: 1...64, default: 1)
        let padding = try pair("padding", range: 0...64, default: 0)
        let kernelNode = try object.required("kernel")
        var kernel: [[[[Int]]]] = []
        var kernelShape: (inChannels: Int, height: Int, width: Int)?
        for outNode in try kernelNode.array() {
            var perInput: [[[Int]]] = []
            let inNodes = try outNode.array()
            guard inNodes.count == shape[0] else {
                throw outNode.error("must have one kernel per input channel: \(shape[0]) channels, got \(inNodes.count)")
            }
            for inNode in inNodes {
                var rows: [[Int]] = []
                for rowNode in try inNode.array() {
                    rows.append(try rowNode.intArray(in: weightRange))
                }
                let height = rows.count
                let width = rows.first?.count ?? 0
                guard height > 0, width > 0, rows.allSatisfy({ $0.count == width }) else {
                    throw inNode.error("must be a non-empty rectangular kernel of rows of equal length")
                }
                if let expected = kernelShape, (expected.height, expected.width) != (height, width) {
                    throw inNode.error("kernel is \(height)×\(width) but earlier kernels are \(expected.height)×\(expected.width)")
                }
                kernelShape = (shape[0], height, width)
                perInput.append(rows)
            }
            kernel.append(perInput)
        }
        guard let kernelShape else { throw kernelNode.error("must list at least one output channel") }
        guard kernelShape.height <= shape[1] + 2 * padding.y, kernelShape.width <= shape[2] + 2 * padding.x else {
            throw kernelNode.error("a \(kernelShape.height)×\(kernelShape.width) kernel does not fit a padded \(shape[1] + 2 * padding.y)×\(shape[2] + 2 * padding.x) input")
        }
        let conv = Connectivity.Conv2D(inputShape: (shape[0], shape[1], shape[2]), kernel: kernel, stride: stride, padding: padding)
        guard conv.outputSize == targetSize else {
            throw node.error("the convolution produces \(conv.outputChannels)×\(conv.outputHeight)×\(conv.outputWidth) = \(conv.outputSize) outputs, but \(targetName) has \(targetSize) neurons")
        }
        // Every output sees every tap of its kernel, less the padding's: a bound before expanding.
        try checkSynapseCount(Double(conv.outputSize) * Double(shape[0]) * Double(kernelShape.height) * Double(kernelShape.width), node)
        return conv
    }

    // MARK: Probes

    static func readProbe(_ node: JSONNode, groups: GroupNames) throws(ConfigError) -> ProbeDescription {
        let populations = groups.populations
        let object = try node.object(allowedKeys: ["target", "record", "indices"])
        let targetNode = try object.required("target")
        let targetName = try targetNode.string()
        guard let population = groups.population(named: targetName) else {
            throw targetNode.error("no population is named \"\(targetName)\"\(suggestion(targetName, populations.map(\.name)))")
        }
        let recordNode = try object.required("record")
        var variables: Set<ProbeDescription.Variable> = []
        for child in try recordNode.array() {
            let name = try child.string(oneOf: ProbeDescription.Variable.allCases.map(\.rawValue))
            guard let variable = ProbeDescription.Variable(rawValue: name), variables.insert(variable).inserted else {
                throw child.error("\"\(name)\" is listed twice")
            }
        }
        guard !variables.isEmpty else { throw recordNode.error("must list at least one of \"spikes\", \"u\", \"v\"") }
        let size = populations[population].size
        // Every neuron only when `indices` is left out: built for each probe, the whole range
        // made 10,000 one-neuron probes of a million-neuron population take 6 s.
        let indices: [Int]
        if let indicesNode = object.optional("indices") {
            indices = try indicesNode.intArray(in: 0...(size - 1))
            guard !indices.isEmpty else { throw indicesNode.error("must list at least one neuron; leave it out to probe all \(size)") }
            for k in indices.indices.dropFirst() where indices[k] <= indices[k - 1] {
                throw indicesNode.error("must be strictly ascending; \(indices[k]) follows \(indices[k - 1])")
            }
        } else {
            indices = Array(0..<size)
        }
        return ProbeDescription(population: population, variables: variables, indices: indices)
    }

    /// `; did you mean "x"?` when a known name is close to `name`, else nothing.
    static func suggestion(_ name: String, _ known: [String]) -> String {
        guard let nearest = known.min(by: { editDistance(name, $0) < editDistance(name, $1) }),
              editDistance(name, nearest) <= max(2, name.count / 3) else { return "" }
        return "; did you mean \"\(nearest)\"?"
    }
}
