import Chip

/// Converts a NIR graph into a chip network.
///
/// Nested graphs are flattened (a node inside subgraph `block` is named `block.lif`). Top-level
/// Input nodes become host inputs; neuron nodes (LIF, CubaLIF, IF, LI, CubaLI, Threshold) become
/// populations; the weight nodes between two of them (Affine, Linear, Scale, Conv1d, Conv2d,
/// SumPool2d, AvgPool2d, Flatten, Delay, a subgraph's Input and Output) are composed into one
/// projection per (source, target) pair, so any chain of weight nodes folds into one synapse
/// matrix. Every projection delays by one step, plus the Delay nodes on its path. Float
/// parameters go through the `Quantizer` (see `NIRNeuronConversion` for the normalisation).
public enum NIRImporter {
    /// Loads the NIR file at `path` and converts it.
    public static func load(path: String, options: NIRImportOptions) throws(NIRError) -> NIRImport {
        try convert(NIRFile.read(path: path), namedAfter: path, options: options)
    }

    /// Converts `graph`, read from `path`, naming the network after the file (`NIRNames.network`).
    public static func convert(_ graph: NIRGraph, namedAfter path: String, options: NIRImportOptions) throws(NIRError) -> NIRImport {
        try convert(graph, name: NIRNames.network(path: path), file: path, options: options)
    }

    /// A flattened graph: primitive nodes by dotted path and edges between their indices.
    struct FlatGraph {
        var names: [String] = []
        var nodes: [NIRNode] = []
        /// True for Input and Output nodes of the top graph.
        var isTop: [Bool] = []
        var edges: [(from: Int, to: Int)] = []
        /// `edges` as a set, to find an edge listed twice.
        var edgeSet: Set<[Int]> = []
    }

    static func flatten(_ graph: NIRGraph, prefix: String, file: String, into flat: inout FlatGraph) throws(NIRError) -> [String: Int] {
        var index: [String: Int] = [:]
        var inner: [String: [String: Int]] = [:]
        for (name, node) in graph.nodes {
            if case .graph(let subgraph) = node {
                inner[name] = try flatten(subgraph, prefix: prefix + name + ".", file: file, into: &flat)
            } else {
                index[name] = flat.names.count
                flat.names.append(prefix + name)
                flat.nodes.append(node)
                flat.isTop.append(prefix.isEmpty)
            }
        }
        // An edge end names a node, a subgraph (its Input or Output nodes) or `sub.node`.
        func resolve(_ name: String, incoming: Bool) throws(NIRError) -> [Int] {
            if let k = index[name] { return [k] }
            if let members = inner[name], case .graph(let subgraph)? = graph.node(named: name) {
                let ends = subgraph.nodes.filter { entry in
                    if case .input = entry.node { return incoming }
                    if case .output = entry.node { return !incoming }
                    return false
                }.compactMap { members[$0.name] }
                guard !ends.isEmpty else {
                    throw .cannotMap(file: file, node: prefix + name, reason: "an edge \(incoming ? "enters" : "leaves") this subgraph, which has no \(incoming ? "Input" : "Output") node")
                }
                return ends
            }
            if let dot = name.firstIndex(of: "."), let members = inner[String(name[..<dot])], let k = members[String(name[name.index(after: dot)...])] {
                return [k]
            }
            throw .unknownEdgeEnd(file: file, graph: String(prefix.dropLast()), name: name, known: graph.nodes.map(\.name))
        }
        for (from, to) in graph.edges {
            for a in try resolve(from, incoming: false) {
                for b in try resolve(to, incoming: true) {
                    guard flat.edgeSet.insert([a, b]).inserted else {
                        throw .duplicateEdge(file: file, graph: String(prefix.dropLast()), from: flat.names[a], to: flat.names[b])
                    }
                    flat.edges.append((a, b))
                }
            }
        }
        return index
    }

    /// Converts `graph` into a network named `name`; `file` is named in errors. Throws for what
    /// the chip cannot run or the options do not fit.
    public static func convert(_ graph: NIRGraph, name: String, file: String, options: NIRImportOptions) throws(NIRError) -> NIRImport {
        var flat = FlatGraph()
        _ = try flatten(graph, prefix: "", file: file, into: &flat)
        let count = flat.nodes.count
        var predecessors = [[Int]](repeating: [], count: count)
        for (a, b) in flat.edges { predecessors[b].append(a) }
        func fail(_ k: Int, _ reason: String) -> NIRError { .cannotMap(file: file, node: flat.names[k], reason: reason) }

        func isTopInput(_ k: Int) -> Bool { if case .input = flat.nodes[k], flat.isTop[k] { return true }; return false }
        func isTopOutput(_ k: Int) -> Bool { if case .output = flat.nodes[k], flat.isTop[k] { return true }; return false }
        // A top-level Input starts the graph and a top-level Output ends it: an edge into the
        // one or out of the other would be dropped.
        for (a, b) in flat.edges {
            if isTopOutput(a) {
                throw fail(a, "has an edge to `\(flat.names[b])`, but a top-level Output ends the graph; connect `\(flat.names[b])` to the node that feeds the Output instead")
            }
            if isTopInput(b) {
                throw fail(b, "has an edge from `\(flat.names[a])`, but a top-level Input starts the graph and takes its input from the host (--input)")
            }
        }
        let sources = (0..<count).filter { isTopInput($0) || flat.nodes[$0].isNeuron }
        let weightNodes = (0..<count).filter { !isTopInput($0) && !isTopOutput($0) && !flat.nodes[$0].isNeuron }

        var successors = [[Int]](repeating: [], count: count)  // in edge order
        for (a, b) in flat.edges { successors[a].append(b) }
        var isWeightNode = [Bool](repeating: false, count: count)
        for k in weightNodes { isWeightNode[k] = true }

        // Weight nodes in an order where each comes after its weight-node predecessors; a cycle
        // among them would be an algebraic loop with no neuron (no state) to break it. Tables
        // indexed by node, not searches: graphs of thousands of nodes stay linear.
        var order: [Int] = []
        var pending = [Int](repeating: 0, count: count)
        for k in weightNodes { pending[k] = predecessors[k].count { isWeightNode[$0] } }
        var ready = weightNodes.filter { pending[$0] == 0 }
        var next = 0
        while next < ready.count {
            let k = ready[next]
            next += 1
            order.append(k)
            for b in successors[k] where isWeightNode[b] {
                pending[b] -= 1
                if pending[b] == 0 { ready.append(b) }
            }
        }
        if order.count < weightNodes.count, let stuck = weightNodes.first(where: { pending[$0] > 0 }) {
            throw fail(stuck, "lies on a cycle of weight nodes with no neuron between them; the chip needs a neuron in every loop")
        }

        // Shapes: sources know theirs; weight nodes derive theirs from their inputs.
        var shapes = [[Int]?](repeating: nil, count: count)
        for k in sources {
            switch flat.nodes[k] {
            case .input(let shape): shapes[k] = shape
            case let .lif(tau, _, _, _, _): shapes[k] = tau.shape
            case let .cubaLIF(tau, _, _, _, _, _, _), let .cubaLI(tau, _, _, _, _): shapes[k] = tau.shape
            case let .integrateAndFire(_, threshold, _): shapes[k] = threshold.shape
            case let .leakyIntegrator(tau, _, _): shapes[k] = tau.shape
            case .threshold(let threshold): shapes[k] = threshold.shape
            default: break
            }
            // A neuron node with scalar parameters takes the size of what feeds it.
            if flat.nodes[k].isNeuron, (shapes[k] ?? []).reduce(1, *) == 1 { shapes[k] = nil }
        }
        var maps = [NIRLinearMap?](repeating: nil, count: count)
        func inputShape(_ k: Int) throws(NIRError) -> [Int]? {
            var shape: [Int]?
            for p in predecessors[k] {
                guard let s = shapes[p] else { continue }
                if let known = shape, known.reduce(1, *) != s.reduce(1, *) {
                    throw fail(k, "its inputs have different sizes (\(known) and \(s)); NIR adds the inputs of a node, so they must match")
                }
                shape = shape ?? s
            }
            return shape
        }
        // Neurons with scalar parameters and weight nodes may depend on each other's shapes:
        // repeat until nothing changes.
        var changed = true
        while changed {
            changed = false
            for k in sources where shapes[k] == nil && flat.nodes[k].isNeuron {
                if let s = try inputShape(k) { shapes[k] = s; changed = true }
            }
            for k in order where maps[k] == nil {
                guard let input = try inputShape(k) else { continue }
                let map = try linearMap(flat.nodes[k], input: input, dt: options.dt, fail: { reason in fail(k, reason) })
                maps[k] = map
                shapes[k] = map.outputShape
                changed = true
            }
        }
        // An Output (or a subgraph's Input) passes its input on: its shape must hold as many elements.
        for k in 0..<count {
            let declared: [Int]
            switch flat.nodes[k] {
            case .output(let shape), .input(let shape): declared = shape
            default: continue
            }
            guard let incoming = try inputShape(k), incoming.reduce(1, *) != declared.reduce(1, *) else { continue }
            let feeders = predecessors[k].filter { shapes[$0] != nil }.map { "`\(flat.names[$0])`" }
            throw fail(k, "has shape \(declared) (\(declared.reduce(1, *)) elements), but \(feeders.joined(separator: " and ")) \(feeders.count == 1 ? "feeds" : "feed") it \(incoming.reduce(1, *)) (shape \(incoming)); an \(flat.nodes[k].typeName) passes its input on, so the two must match")
        }
        for k in sources + order {
            guard let shape = shapes[k] else { throw fail(k, "its size cannot be inferred: nothing with a known shape feeds it") }
            let size = shape.reduce(1, *)
            guard size >= 1, size <= NetworkFile.maximumSize else { throw fail(k, "has \(size) elements; a population or input has 1 to \(NetworkFile.maximumSize)") }
            // What feeds a neuron must have one element per neuron.
            if flat.nodes[k].isNeuron, let incoming = try inputShape(k), incoming.reduce(1, *) != size {
                throw fail(k, "has \(size) neurons but its input has \(incoming.reduce(1, *)) elements (shape \(incoming))")
            }
        }

        if let chip = options.chip {
            let neurons = sources.filter { flat.nodes[$0].isNeuron }.reduce(0) { $0 + (shapes[$1]?.reduce(1, *) ?? 0) }
            if let problem = Partitioner.neuronCountProblem(neurons, on: chip) {
                throw .cannotMap(file: file, node: "(top)", reason: "the graph's neuron nodes " + problem)
            }
        }

        // Populations and inputs.
        var inputs: [InputDescription] = []
        var inputIndex: [Int: Int] = [:]
        let given = options.inputs
        let inputsFile = options.inputsFile ?? file
        // Names of inputs and populations, by node: valid network-file names (NIRNames).
        let names = flat.names.map(NIRNames.name)
        for k in sources where isTopInput(k) {
            let size = shapes[k]?.reduce(1, *) ?? 0
            let inputName = names[k]
            if let given {
                guard let match = given.first(where: { $0.name == inputName }) else {
                    let listed = given.isEmpty ? "it lists none" : "its inputs: " + given.map(\.name).joined(separator: ", ")
                    throw .invalidInput(file: inputsFile, detail: "no input is named \"\(inputName)\" (\(listed); the graph's Input nodes: \(sources.filter(isTopInput).map { names[$0] }.joined(separator: ", ")))")
                }
                guard match.size == size else {
                    throw .invalidInput(file: inputsFile, detail: "input \"\(inputName)\" has \(match.size) neurons; the NIR Input node has shape \(shapes[k] ?? []) = \(size) elements (flattened in C order)")
                }
                inputIndex[k] = inputs.count
                inputs.append(match)
            } else {
                inputIndex[k] = inputs.count
                let probability = min(1, max(0, options.poissonRate * options.dt))
                inputs.append(InputDescription(name: inputName, size: size, source: .poisson(probability: Array(repeating: probability, count: size))))
            }
        }
        if let given, let extra = given.first(where: { input in !inputs.contains { $0.name == input.name } }) {
            throw .invalidInput(file: inputsFile, detail: "input \"\(extra.name)\" is not an Input node of the graph (its Input nodes: \(inputs.map(\.name).joined(separator: ", ")))")
        }
        var populationIndex: [Int: Int] = [:]
        var conversions: [NIRNeuronConversion] = []
        var populations: [PopulationDescription] = []
        for k in sources where flat.nodes[k].isNeuron {
            let size = shapes[k]?.reduce(1, *) ?? 0
            let conversion = try NIRNeuronConversion.convert(flat.nodes[k], size: size, dt: options.dt, name: flat.names[k], file: file)
            populationIndex[k] = populations.count
            conversions.append(conversion)
            populations.append(PopulationDescription(name: names[k], size: size, neurons: Array(repeating: LoihiNeuron.Parameters(vth: 1), count: size),
                                                     initialU: Array(repeating: 0, count: size), initialV: Array(repeating: 0, count: size)))
        }

        // Trace lines, readouts and rate files name inputs and populations, so two nodes whose
        // names sanitize alike (`lif 1` and `lif_1`) cannot both keep theirs.
        var nodeOfName: [String: Int] = [:]
        for k in sources where isTopInput(k) || flat.nodes[k].isNeuron {
            let name = names[k]
            if let other = nodeOfName[name] {
                throw .cannotMap(file: file, node: flat.names[k], reason: "its name becomes `\(name)` in traces and readouts, as node `\(flat.names[other])`'s does; rename one of them")
            }
            nodeOfName[name] = k
        }

        // Biases flow through weight nodes regardless of spikes.
        var biases = [[Double]?](repeating: nil, count: count)
        for k in order {
            guard let map = maps[k] else { continue }
            var incoming = [Double](repeating: 0, count: map.inputCount)
            for p in predecessors[k] {
                if let b = biases[p] { for i in incoming.indices { incoming[i] += b[i] } }
            }
            biases[k] = map.apply(incoming)
        }

        // One projection per (source, target) pair: the weight-node maps composed along every path.
        var projections: [ProjectionDescription] = []
        var projectionNames = NIRNames.Projections()
        var outputs: [String] = []
        // Each source's walk visits only what it reaches through weight nodes, not the whole
        // graph: a walk over every node per source made a chain of 4,000 layers take seconds.
        var orderPosition = [Int](repeating: 0, count: count)
        for (position, k) in order.enumerated() { orderPosition[k] = position }
        var visitedBy = [Int](repeating: -1, count: count)
        for s in sources {
            let size = shapes[s]?.reduce(1, *) ?? 0
            // The weight nodes s reaches through weight nodes alone, in `order`, and the nodes
            // where those paths end, in index order (as a scan of every node would meet them).
            var composed: [Int] = []
            var ends: [Int] = []
            var stack = successors[s]
            while let k = stack.popLast() {
                guard visitedBy[k] != s else { continue }
                visitedBy[k] = s
                if isWeightNode[k] {
                    composed.append(k)
                    stack += successors[k]
                } else {
                    ends.append(k)
                }
            }
            composed.sort { orderPosition[$0] < orderPosition[$1] }
            ends.sort()
            var reach: [Int: NIRSourceMap] = [:]
            func arriving(_ k: Int) -> NIRSourceMap? {
                var total: NIRSourceMap?
                for p in predecessors[k] {
                    let part = p == s ? NIRSourceMap.identity(count: size) : reach[p]
                    guard let part else { continue }
                    total = total.map { $0.adding(part) } ?? part
                }
                return total
            }
            for k in composed {
                if let map = maps[k], let input = arriving(k) { reach[k] = input.then(map) }
            }
            for t in ends {
                // Only outputs and neuron nodes take what arrives (weight nodes were composed above).
                guard isTopOutput(t) || populationIndex[t] != nil, let input = arriving(t) else { continue }
                if isTopOutput(t) {
                    guard !isTopInput(s) else { throw fail(t, "is fed directly by the Input `\(flat.names[s])`; an Output must follow a neuron node") }
                    guard !input.carriesWeights else {
                        throw fail(t, "is fed through weights with no neuron after them; the chip outputs spikes or voltages of neurons, so end the graph with a neuron node (LIF, IF, LI, …)")
                    }
                    let name = names[s]
                    if !outputs.contains(name) { outputs.append(name) }
                    continue
                }
                guard let target = populationIndex[t] else { continue }
                if let chip = options.chip,
                   let (neuron, sources) = mostSources(input, neurons: populations[target].size, beyond: chip.coreLimits.inputAxons) {
                    // No partition places a neuron with more distinct sources than a core has input
                    // axons: said before its synapses are built and quantized (a 16-million-element
                    // Input into two neurons took 6.5 s and 2.5 GB before the partitioner said it).
                    let projection = projectionNames.name(from: names[s], to: names[t])
                    throw fail(t, MappingError.neuronDoesNotFit(
                        population: names[t], neuron: neuron, resource: "input axons", needed: sources, limit: chip.coreLimits.inputAxons,
                        projections: [projection]).description)
                }
                let conversion = conversions[target]
                var synapses: [SynapseDescription] = []
                var weights: [Double] = []
                for i in 0..<input.sourceCount {
                    for entry in input.row(i) {  // in increasing key order
                        let key = input.keys[entry]
                        let w = input.weights[entry]
                        guard w != 0 else { continue }
                        let element = NIRSourceMap.element(key)
                        let delay = 1 + NIRSourceMap.delay(key)
                        guard delay <= NetworkFile.maximumDelay else {
                            let steps = delay > NIRSourceMap.delayCap ? "more than \(NIRSourceMap.delayCap)" : "\(delay)"
                            throw fail(t, "receives spikes from `\(flat.names[s])` delayed by \(steps) steps; the chip allows at most \(NetworkFile.maximumDelay) (use a larger --dt)")
                        }
                        let weight = w * conversion.gains[element]
                        guard weight.isFinite else {
                            throw fail(t, "receives from `\(flat.names[s])` element \(i) a weight that is not finite (\(weight)): the weights and gains on the way multiply beyond the range of a Double")
                        }
                        synapses.append(SynapseDescription(source: Int32(i), target: Int32(element), weight: 0, delay: Int32(delay)))
                        weights.append(weight)
                    }
                }
                guard !synapses.isEmpty else { continue }
                let sourceIsInput = isTopInput(s)
                var projection = ProjectionDescription(
                    name: projectionNames.name(from: names[s], to: names[t]), source: sourceIsInput ? inputIndex[s] ?? 0 : populationIndex[s] ?? 0,
                    sourceIsInput: sourceIsInput, target: target, synapses: synapses, signMode: .mixed, weightExponent: 0, numWeightBits: 8)
                projection.floatWeights = weights
                projections.append(projection)
            }
        }
        for k in 0..<count where isTopOutput(k) && predecessors[k].isEmpty {
            throw fail(k, "has no incoming edge")
        }

        // Quantize each population with the projections onto it.
        var reports: [QuantizationReport] = []
        var voltageUnits: [String: NIRVoltageUnits] = [:]
        for (k, index) in populationIndex.sorted(by: { $0.value < $1.value }) {
            var bias = [Double](repeating: 0, count: populations[index].size)
            for p in predecessors[k] {
                if let b = biases[p] { for i in bias.indices { bias[i] += b[i] } }
            }
            let (populationReports, units) = try NIRPopulationQuantizer.quantize(
                population: index, conversion: conversions[index], bias: bias, dt: options.dt, populations: &populations, projections: &projections,
                fail: { reason in fail(k, reason) })
            reports += populationReports
            voltageUnits[populations[index].name] = units
        }

        let probes = outputs.compactMap { output in populations.firstIndex { $0.name == output } }
            .map { ProbeDescription(population: $0, variables: [.spikes], indices: Array(0..<populations[$0].size)) }
        var network = NetworkDescription(name: name, steps: options.steps, seed: options.seed, inputs: inputs, populations: populations, projections: projections, probes: probes)
        network.quantization = reports
        guard !populations.isEmpty else {
            throw .cannotMap(file: file, node: "(top)", reason: "the graph has no neuron node; the chip runs spiking or leaky-integrator neurons")
        }
        return NIRImport(network: network, outputs: outputs, voltageUnits: voltageUnits)
    }

    /// Rejects an output of more elements than a population may have (a damaged padding or
    /// stride must not make the importer build a map of billions of elements).
    /// The first of `neurons` target neurons that `map` gives more than `limit` distinct sources
    /// (nonzero weights, over all delays), with its count; nil when none has.
    static func mostSources(_ map: NIRSourceMap, neurons: Int, beyond limit: Int) -> (neuron: Int, sources: Int)? {
        var sources = [Int](repeating: 0, count: neurons)
        var lastSource = [Int](repeating: -1, count: neurons)
        for i in 0..<map.sourceCount {
            for entry in map.row(i) where map.weights[entry] != 0 {
                let neuron = NIRSourceMap.element(map.keys[entry])
                if lastSource[neuron] != i {
                    lastSource[neuron] = i
                    sources[neuron] += 1
                }
            }
        }
        return sources.indices.first { sources[$0] > limit }.map { ($0, sources[$0]) }
    }

    static func checkSize(_ channels: Int, _ size: (Int, Int), fail: (String) -> NIRError) throws(NIRError) {
        let plane = size.0.multipliedReportingOverflow(by: size.1)
        let total = plane.partialValue.multipliedReportingOverflow(by: channels)
        guard !plane.overflow, !total.overflow, total.partialValue <= NetworkFile.maximumSize else {
            throw fail("its output of \(channels)×\(size.0)×\(size.1) elements exceeds the \(NetworkFile.maximumSize) a population may have")
        }
    }

    /// Refuses a convolution whose `channels × size` outputs, each reading `inputsEach` inputs,
    /// would expand to more synapses than a projection may have, before it is expanded.
    static func checkSynapses(_ channels: Int, _ size: (Int, Int), inputsEach: Int, fail: (String) -> NIRError) throws(NIRError) {
        let synapses = Double(channels) * Double(size.0) * Double(size.1) * Double(inputsEach)
        guard synapses <= Double(NetworkFile.maximumSynapses) else {
            throw fail("would create up to \(Int(synapses)) synapses (\(channels)×\(size.0)×\(size.1) outputs of \(inputsEach) inputs each); one projection may have at most \(NetworkFile.maximumSynapses)")
        }
    }

    /// The linear map of one weight node applied to an input of the given shape.
    static func linearMap(_ node: NIRNode, input: [Int], dt: Double, fail: (String) -> NIRError) throws(NIRError) -> NIRLinearMap {
        let size = input.reduce(1, *)
        switch node {
        case .input, .output:
            return .identity(shape: input)
        case .flatten:
            return .identity(shape: [size])
        case .delay(let delay):
            guard delay.count == 1 || delay.count == size else { throw fail("has \(delay.count) delays for \(size) inputs") }
            let steps = (0..<size).map { (delay.values[delay.count == 1 ? 0 : $0] / dt).rounded() }
            guard let longest = steps.max(), longest < Double(NetworkFile.maximumDelay) else {
                throw fail("delays up to \(steps.max() ?? 0) steps; the chip allows at most \(NetworkFile.maximumDelay - 1) beyond the one step every projection takes")
            }
            return .identity(shape: input, delays: steps.map { Int($0) })
        case .scale(let factors):
            guard factors.count == 1 || factors.count == size else { throw fail("has \(factors.count) factors for \(size) inputs") }
            return .scale(factors, shape: input)
        case let .affine(weight, bias):
            guard weight.shape[1] == size else { throw fail("weight has \(weight.shape[1]) columns but its input has \(size) elements (shape \(input))") }
            return .matrix(weight, bias: bias.values)
        case .linear(let weight):
            guard weight.shape[1] == size else { throw fail("weight has \(weight.shape[1]) columns but its input has \(size) elements (shape \(input))") }
            return .matrix(weight, bias: nil)
        case let .convolution(weight, bias, stride, padding, dilation, groups, _):
            let spatial = stride.count
            let shape = weight.shape
            let perGroup = shape[1]
            let channels = perGroup * groups
            let planar: (Int, Int, Int)
            if spatial == 1 {
                guard size % channels == 0 else { throw fail("expects \(channels) input channels, but its input has \(size) elements") }
                planar = (channels, 1, size / channels)
            } else {
                guard input.count == 3, input[0] == channels else {
                    throw fail("expects an input of shape (\(channels), H, W), got \(input); a convolution needs its input's shape (from the Input node or the neuron before it)")
                }
                planar = (input[0], input[1], input[2])
            }
            let kernel = (outputs: shape[0], perGroup: perGroup, height: spatial == 1 ? 1 : shape[2], width: shape[spatial == 1 ? 2 : 3])
            let strides = spatial == 1 ? (1, stride[0]) : (stride[0], stride[1])
            let dilations = spatial == 1 ? (1, dilation[0]) : (dilation[0], dilation[1])
            var pads: (Int, Int)
            var outputSize: (Int, Int)
            switch padding {
            case .explicit(let values):
                pads = spatial == 1 ? (0, values[0]) : (values[0], values[1])
                outputSize = ((planar.1 + 2 * pads.0 - dilations.0 * (kernel.height - 1) - 1) / strides.0 + 1,
                              (planar.2 + 2 * pads.1 - dilations.1 * (kernel.width - 1) - 1) / strides.1 + 1)
            case .same:
                guard strides == (1, 1) else { throw fail("padding \"same\" needs stride 1, as in PyTorch") }
                pads = (dilations.0 * (kernel.height - 1) / 2, dilations.1 * (kernel.width - 1) / 2)
                outputSize = (planar.1, planar.2)
            }
            guard outputSize.0 >= 1, outputSize.1 >= 1 else { throw fail("its kernel does not fit its \(input) input") }
            try checkSize(kernel.outputs, outputSize, fail: fail)
            try checkSynapses(kernel.outputs, outputSize, inputsEach: perGroup * kernel.height * kernel.width, fail: fail)
            var map = NIRLinearMap.convolution(input: planar, weight: weight.values, kernel: kernel, stride: strides, padding: pads, outputSize: outputSize, dilation: dilations, groups: groups, bias: bias.values)
            if spatial == 1 { map.outputShape = [kernel.outputs, outputSize.1] }
            return map
        case let .pool(kernel, stride, padding, average):
            guard input.count == 3 else { throw fail("pools a (C, H, W) input, got shape \(input)") }
            let value = average ? 1.0 / Double(kernel[0] * kernel[1]) : 1.0
            let outputSize = ((input[1] + 2 * padding[0] - kernel[0]) / stride[0] + 1, (input[2] + 2 * padding[1] - kernel[1]) / stride[1] + 1)
            guard outputSize.0 >= 1, outputSize.1 >= 1 else { throw fail("its \(kernel) kernel does not fit its \(input) input") }
            try checkSize(input[0], outputSize, fail: fail)
            try checkSynapses(input[0], outputSize, inputsEach: kernel[0] * kernel[1], fail: fail)
            return .convolution(input: (input[0], input[1], input[2]), weight: Array(repeating: value, count: input[0] * kernel[0] * kernel[1]),
                                kernel: (input[0], 1, kernel[0], kernel[1]), stride: (stride[0], stride[1]), padding: (padding[0], padding[1]),
                                outputSize: outputSize, dilation: (1, 1), groups: input[0], bias: Array(repeating: 0, count: input[0]))
        default:
            throw fail("\(node.typeName) is not a weight node")
        }
    }
}
