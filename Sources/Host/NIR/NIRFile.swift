/// Reads the graph of a NIR file (`nir.write`: an HDF5 file whose `/node` group is the top
/// NIRGraph, each node a group with a `type` string and its parameters as datasets).
public enum NIRFile {
    /// Most dimensions an Input or Output `shape` may list.
    public static let maximumShapeRank = 8

    /// Reads and checks the graph at `path`.
    public static func read(path: String) throws(NIRError) -> NIRGraph {
        let hdf5: HDF5File
        do {
            hdf5 = try HDF5File(path: path)
        } catch {
            throw .hdf5(error)
        }
        return try read(hdf5)
    }

    /// Reads a NIR file already in memory; `name` appears in error messages.
    public static func read(bytes: [UInt8], name: String) throws(NIRError) -> NIRGraph {
        let hdf5: HDF5File
        do {
            hdf5 = try HDF5File(bytes: bytes, name: name)
        } catch {
            throw .hdf5(error)
        }
        return try read(hdf5)
    }

    /// Reads and checks the graph of an HDF5 file already opened.
    public static func read(_ hdf5: HDF5File) throws(NIRError) -> NIRGraph {
        var reader = Reader(hdf5: hdf5, budget: Reader.Budget())
        let top = try reader.node(at: "/node", name: "", depth: 0)
        guard case .graph(let graph) = top else {
            throw .invalidNode(file: hdf5.name, node: "(top)", detail: "the top node is a \(top.typeName), not a NIRGraph")
        }
        return graph
    }

    /// Reads node groups recursively; paths are HDF5 paths, names are dotted NIR node paths.
    struct Reader {
        let hdf5: HDF5File
        /// The groups listed so far: each node's lookups resolve their paths from the root.
        var groupCache = HDF5GroupCache()
        /// Nodes left to read in the whole file: HDF5 hard links can make a group a member of
        /// itself, once or many times over, and each link would be read as a new node.
        final class Budget {
            var nodesLeft = Reader.maximumNodes
        }
        let budget: Budget
        /// Most nodes read from one file (exports hold tens to thousands).
        static let maximumNodes = 100_000

        static func wrap<T>(_ body: () throws(HDF5Error) -> T) throws(NIRError) -> T {
            do {
                return try body()
            } catch {
                throw .hdf5(error)
            }
        }

        mutating func node(at path: String, name: String, depth: Int) throws(NIRError) -> NIRNode {
            let label = name.isEmpty ? "(top)" : name
            guard budget.nodesLeft > 0 else {
                throw .invalidNode(file: hdf5.name, node: label, detail: "more than \(Self.maximumNodes) nodes in the file (do links lead back to enclosing graphs?)")
            }
            budget.nodesLeft -= 1
            // A copy: the closures below modify `groupCache`, so they may not also read `self`.
            let file = hdf5
            let members = try Self.wrap { () throws(HDF5Error) in try file.children(of: path, groups: &groupCache) }
            func invalid(_ detail: String) -> NIRError { .invalidNode(file: hdf5.name, node: label, detail: detail) }
            guard members.contains("type") else { throw invalid("has no `type` dataset (is this a NIR file?)") }
            let typeArray = try Self.wrap { () throws(HDF5Error) in try file.read(path + "/type", groups: &groupCache) }
            guard let type = typeArray.strings?.first, typeArray.count == 1 else { throw invalid("`type` must be one string") }

            func tensor(_ key: String) throws(NIRError) -> NIRTensor {
                guard members.contains(key) else { throw invalid("\(type) node lacks its `\(key)` parameter") }
                return try tensor(key, from: try Self.wrap { () throws(HDF5Error) in try file.read(path + "/" + key, groups: &groupCache) })
            }
            func tensor(_ key: String, from array: HDF5Array) throws(NIRError) -> NIRTensor {
                guard let values = array.doubles else { throw invalid("`\(key)` must be numeric, found strings") }
                guard values.allSatisfy(\.isFinite) else { throw invalid("`\(key)` holds a value that is not finite") }
                return NIRTensor(shape: array.shape, values: values)
            }
            func optionalTensor(_ key: String, default value: Double, like other: NIRTensor) throws(NIRError) -> NIRTensor {
                members.contains(key) ? try tensor(key) : NIRTensor(shape: other.shape, values: Array(repeating: value, count: other.count))
            }
            func integers(_ key: String, count: Int) throws(NIRError) -> [Int] {
                try integers(key, count: count, of: try tensor(key))
            }
            func integers(_ key: String, count: Int, of values: NIRTensor) throws(NIRError) -> [Int] {
                guard values.values.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e9 }) else { throw invalid("`\(key)` must hold integers") }
                if values.count == 1 { return Array(repeating: values.integers[0], count: count) }
                guard values.count == count else { throw invalid("`\(key)` must have 1 or \(count) values, got \(values.count)") }
                return values.integers
            }
            func sameShape(_ tensors: [(String, NIRTensor)]) throws(NIRError) {
                guard let first = tensors.first else { return }
                for (key, t) in tensors.dropFirst() where t.count != first.1.count && t.count != 1 {
                    throw invalid("`\(key)` has \(t.count) values but `\(first.0)` has \(first.1.count); neuron parameters need one value per neuron")
                }
            }

            switch type {
            case "NIRGraph":
                return .graph(try graph(at: path, name: name, members: members, depth: depth))
            case "Input", "Output":
                let shape = try tensor("shape")
                // A few dimensions at most (NIR's are 1 to 4): a million ones would pass the element
                // limit and then be quoted whole in every message about the node.
                guard shape.count <= maximumShapeRank else { throw invalid("`shape` has \(shape.count) dimensions; at most \(maximumShapeRank)") }
                if let bad = shape.values.first(where: { !($0 >= 1 && $0 == $0.rounded() && $0 < 1e9) }) {
                    let text = bad == bad.rounded() && abs(bad) < 1e18 ? String(Int64(bad)) : String(bad)
                    throw invalid("`shape` must list integers in 1…999,999,999, got \(text)")
                }
                guard shape.values.reduce(1, *) <= Double(NetworkFile.maximumSize) else {
                    throw invalid("`shape` \(shape.integers) has more than \(NetworkFile.maximumSize) elements")
                }
                return type == "Input" ? .input(shape: shape.integers) : .output(shape: shape.integers)
            case "Affine":
                let weight = try tensor("weight")
                guard weight.shape.count == 2 else { throw invalid("`weight` must be a matrix (out, in), got shape \(weight.shape)") }
                let bias = try optionalTensor("bias", default: 0, like: NIRTensor(shape: [weight.shape[0]], values: Array(repeating: 0, count: weight.shape[0])))
                guard bias.count == weight.shape[0] else { throw invalid("`bias` has \(bias.count) values; `weight` has \(weight.shape[0]) rows") }
                return .affine(weight: weight, bias: bias)
            case "Linear":
                let weight = try tensor("weight")
                guard weight.shape.count == 2 else { throw invalid("`weight` must be a matrix (out, in), got shape \(weight.shape)") }
                return .linear(weight: weight)
            case "Scale":
                return .scale(try tensor("scale"))
            case "LIF":
                let tau = try tensor("tau"), r = try tensor("r"), leak = try tensor("v_leak"), threshold = try tensor("v_threshold")
                let reset = try optionalTensor("v_reset", default: 0, like: threshold)
                try sameShape([("tau", tau), ("r", r), ("v_leak", leak), ("v_threshold", threshold), ("v_reset", reset)])
                return .lif(tau: tau, r: r, vLeak: leak, vThreshold: threshold, vReset: reset)
            case "CubaLIF":
                let tauMem = try tensor("tau_mem"), tauSyn = try tensor("tau_syn"), r = try tensor("r"), leak = try tensor("v_leak"), threshold = try tensor("v_threshold")
                let reset = try optionalTensor("v_reset", default: 0, like: threshold)
                let wIn = try optionalTensor("w_in", default: 1, like: threshold)
                try sameShape([("tau_mem", tauMem), ("tau_syn", tauSyn), ("r", r), ("v_leak", leak), ("v_threshold", threshold), ("v_reset", reset), ("w_in", wIn)])
                return .cubaLIF(tauMem: tauMem, tauSyn: tauSyn, r: r, vLeak: leak, vThreshold: threshold, vReset: reset, wIn: wIn)
            case "IF":
                let r = try tensor("r"), threshold = try tensor("v_threshold")
                let reset = try optionalTensor("v_reset", default: 0, like: threshold)
                try sameShape([("v_threshold", threshold), ("r", r), ("v_reset", reset)])
                return .integrateAndFire(r: r, vThreshold: threshold, vReset: reset)
            case "LI":
                let tau = try tensor("tau"), r = try tensor("r"), leak = try tensor("v_leak")
                try sameShape([("tau", tau), ("r", r), ("v_leak", leak)])
                return .leakyIntegrator(tau: tau, r: r, vLeak: leak)
            case "CubaLI":
                let tauMem = try tensor("tau_mem"), tauSyn = try tensor("tau_syn"), r = try tensor("r"), leak = try tensor("v_leak")
                let wIn = try optionalTensor("w_in", default: 1, like: leak)
                try sameShape([("tau_mem", tauMem), ("tau_syn", tauSyn), ("r", r), ("v_leak", leak), ("w_in", wIn)])
                return .cubaLI(tauMem: tauMem, tauSyn: tauSyn, r: r, vLeak: leak, wIn: wIn)
            case "Threshold":
                return .threshold(try tensor("threshold"))
            case "Delay":
                let delay = try tensor("delay")
                guard delay.values.allSatisfy({ $0 >= 0 }) else { throw invalid("`delay` must be non-negative seconds") }
                return .delay(delay)
            case "Flatten":
                return .flatten
            case "Conv1d", "Conv2d":
                let spatial = type == "Conv1d" ? 1 : 2
                let weight = try tensor("weight")
                guard weight.shape.count == 2 + spatial, weight.shape.allSatisfy({ $0 > 0 }) else {
                    throw invalid("`weight` must have shape (out, in/groups\(spatial == 1 ? ", k" : ", kh, kw")), got \(weight.shape)")
                }
                let bias = try optionalTensor("bias", default: 0, like: NIRTensor(shape: [weight.shape[0]], values: Array(repeating: 0, count: weight.shape[0])))
                guard bias.count == weight.shape[0] || bias.count == 1 else { throw invalid("`bias` has \(bias.count) values for \(weight.shape[0]) output channels") }
                let groups = members.contains("groups") ? try integers("groups", count: 1)[0] : 1
                guard groups >= 1, weight.shape[0] % groups == 0 else { throw invalid("`groups` (\(groups)) must divide the \(weight.shape[0]) output channels") }
                let stride = members.contains("stride") ? try integers("stride", count: spatial) : Array(repeating: 1, count: spatial)
                let dilation = members.contains("dilation") ? try integers("dilation", count: spatial) : Array(repeating: 1, count: spatial)
                guard stride.allSatisfy({ (1...4096).contains($0) }), dilation.allSatisfy({ (1...4096).contains($0) }) else {
                    throw invalid("`stride` and `dilation` must be 1 to 4096")
                }
                var padding = NIRNode.Padding.explicit(Array(repeating: 0, count: spatial))
                if members.contains("padding") {
                    let array = try Self.wrap { () throws(HDF5Error) in try file.read(path + "/padding", groups: &groupCache) }
                    if let text = array.strings?.first {
                        switch text {
                        case "same": padding = .same
                        case "valid": padding = .explicit(Array(repeating: 0, count: spatial))
                        default: throw invalid("`padding` must be integers, \"same\" or \"valid\", got \"\(text)\"")
                        }
                    } else {
                        let values = try integers("padding", count: spatial, of: try tensor("padding", from: array))
                        guard values.allSatisfy({ (0...4096).contains($0) }) else { throw invalid("`padding` must be 0 to 4096") }
                        padding = .explicit(values)
                    }
                }
                var inputShape: [Int]?
                if members.contains("input_shape") {
                    let shape = try tensor("input_shape")
                    if shape.count == spatial, shape.values.allSatisfy({ $0 >= 1 && $0 == $0.rounded() && $0 < 1e9 }) { inputShape = shape.integers }
                }
                let fullBias = bias.count == 1 ? NIRTensor(shape: [weight.shape[0]], values: Array(repeating: bias.values[0], count: weight.shape[0])) : bias
                return .convolution(weight: weight, bias: fullBias, stride: stride, padding: padding, dilation: dilation, groups: groups, inputShape: inputShape)
            case "SumPool2d", "AvgPool2d":
                let kernel = try integers("kernel_size", count: 2)
                let stride = members.contains("stride") ? try integers("stride", count: 2) : kernel
                let padding = members.contains("padding") ? try integers("padding", count: 2) : [0, 0]
                guard kernel.allSatisfy({ (1...4096).contains($0) }), stride.allSatisfy({ (1...4096).contains($0) }), padding.allSatisfy({ (0...4096).contains($0) }) else {
                    throw invalid("`kernel_size` and `stride` must be 1 to 4096, `padding` 0 to 4096")
                }
                return .pool(kernel: kernel, stride: stride, padding: padding, average: type == "AvgPool2d")
            default:
                throw .unsupportedNode(file: hdf5.name, node: label, type: type)
            }
        }

        /// Deepest nesting of NIRGraph nodes read: real exports nest a few levels, and an HDF5
        /// hard link back to an enclosing group would otherwise nest without end.
        static let maximumNesting = 32

        mutating func graph(at path: String, name: String, members: [String], depth: Int) throws(NIRError) -> NIRGraph {
            let label = name.isEmpty ? "(top)" : name
            guard depth < Self.maximumNesting else {
                throw .invalidNode(file: hdf5.name, node: label, detail: "NIRGraph nested \(Self.maximumNesting) levels deep; at most \(Self.maximumNesting - 1) are read (does a link lead back to an enclosing graph?)")
            }
            guard members.contains("nodes") else { throw .invalidNode(file: hdf5.name, node: label, detail: "NIRGraph lacks its `nodes` group") }
            var nodes: [(name: String, node: NIRNode)] = []
            let file = hdf5
            for child in try Self.wrap({ () throws(HDF5Error) in try file.children(of: path + "/nodes", groups: &groupCache) }) {
                nodes.append((child, try node(at: path + "/nodes/" + child, name: name.isEmpty ? child : name + "." + child, depth: depth + 1)))
            }
            var edges: [(from: String, to: String)] = []
            if members.contains("edges") {
                let array = try Self.wrap { () throws(HDF5Error) in try file.read(path + "/edges", groups: &groupCache) }
                // nir.write stores an empty edge list as a float64 dataset of shape (0,): a dataset
                // of no elements is no edges, whatever its type.
                guard let texts = array.strings ?? (array.count == 0 ? [] : nil), texts.count % 2 == 0, array.count == 0 || array.shape.last == 2 else {
                    throw .invalidNode(file: hdf5.name, node: label, detail: "`edges` must be a list of (source, target) name pairs, got shape \(array.shape)")
                }
                for k in stride(from: 0, to: texts.count, by: 2) { edges.append((texts[k], texts[k + 1])) }
            }
            return NIRGraph(nodes: nodes, edges: edges)
        }
    }
}
