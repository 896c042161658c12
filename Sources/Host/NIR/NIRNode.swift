/// A parameter array of a NIR node: its shape and its values in C order.
public struct NIRTensor: Sendable, Equatable {
    /// Dimensions; empty for a scalar.
    public var shape: [Int]
    /// The values, in C order.
    public var values: [Double]

    /// A tensor of `shape` holding `values`.
    public init(shape: [Int], values: [Double]) {
        self.shape = shape
        self.values = values
    }

    /// Number of values.
    public var count: Int { values.count }

    /// The values as integers (shapes, strides), exactly.
    var integers: [Int] { values.map { Int($0) } }
}

/// One node of a NIR graph, with the parameters its type defines (nir 1.0 semantics; time in
/// seconds, voltages and currents in the model's own units).
public indirect enum NIRNode: Sendable, Equatable {
    case input(shape: [Int])
    case output(shape: [Int])
    case affine(weight: NIRTensor, bias: NIRTensor)
    case linear(weight: NIRTensor)
    case scale(NIRTensor)
    case lif(tau: NIRTensor, r: NIRTensor, vLeak: NIRTensor, vThreshold: NIRTensor, vReset: NIRTensor)
    case cubaLIF(tauMem: NIRTensor, tauSyn: NIRTensor, r: NIRTensor, vLeak: NIRTensor, vThreshold: NIRTensor, vReset: NIRTensor, wIn: NIRTensor)
    case integrateAndFire(r: NIRTensor, vThreshold: NIRTensor, vReset: NIRTensor)
    case leakyIntegrator(tau: NIRTensor, r: NIRTensor, vLeak: NIRTensor)
    case cubaLI(tauMem: NIRTensor, tauSyn: NIRTensor, r: NIRTensor, vLeak: NIRTensor, wIn: NIRTensor)
    case threshold(NIRTensor)
    /// Delays in seconds, one per element.
    case delay(NIRTensor)
    case flatten
    /// Conv1d (`spatial` has one entry) or Conv2d (two): weight (out, in/groups, k…).
    case convolution(weight: NIRTensor, bias: NIRTensor, stride: [Int], padding: Padding, dilation: [Int], groups: Int, inputShape: [Int]?)
    /// SumPool2d (`average` false) or AvgPool2d.
    case pool(kernel: [Int], stride: [Int], padding: [Int], average: Bool)
    case graph(NIRGraph)

    /// Convolution padding: explicit per spatial axis, or NIR's `same` / `valid`.
    public enum Padding: Sendable, Equatable {
        case explicit([Int])
        case same
    }

    /// NIR type names this importer reads.
    public static let supportedTypes = ["Input", "Output", "Affine", "Linear", "Scale", "LIF", "CubaLIF", "IF", "LI", "CubaLI", "Threshold", "Delay", "Flatten", "Conv1d", "Conv2d", "SumPool2d", "AvgPool2d", "NIRGraph"]

    /// The NIR type name.
    public var typeName: String {
        switch self {
        case .input: "Input"
        case .output: "Output"
        case .affine: "Affine"
        case .linear: "Linear"
        case .scale: "Scale"
        case .lif: "LIF"
        case .cubaLIF: "CubaLIF"
        case .integrateAndFire: "IF"
        case .leakyIntegrator: "LI"
        case .cubaLI: "CubaLI"
        case .threshold: "Threshold"
        case .delay: "Delay"
        case .flatten: "Flatten"
        case let .convolution(_, _, stride, _, _, _, _): stride.count == 1 ? "Conv1d" : "Conv2d"
        case let .pool(_, _, _, average): average ? "AvgPool2d" : "SumPool2d"
        case .graph: "NIRGraph"
        }
    }

    /// True for nodes with neuron state, which become chip populations.
    public var isNeuron: Bool {
        switch self {
        case .lif, .cubaLIF, .integrateAndFire, .leakyIntegrator, .cubaLI, .threshold: true
        default: false
        }
    }
}

/// A NIR graph: named nodes (in file order, which is sorted by name) and directed edges.
public struct NIRGraph: Sendable, Equatable {
    /// Nodes by name, in file order.
    public var nodes: [(name: String, node: NIRNode)]
    /// Directed edges by node name.
    public var edges: [(from: String, to: String)]

    /// A graph of `nodes` and `edges`.
    public init(nodes: [(name: String, node: NIRNode)], edges: [(from: String, to: String)]) {
        self.nodes = nodes
        self.edges = edges
    }

    /// The node called `name`, or nil when the graph has none.
    public func node(named name: String) -> NIRNode? { nodes.first { $0.name == name }?.node }

    /// Equal when nodes and edges are the same, in the same order.
    public static func == (a: NIRGraph, b: NIRGraph) -> Bool {
        a.nodes.map(\.name) == b.nodes.map(\.name) && zip(a.nodes, b.nodes).allSatisfy { $0.node == $1.node }
            && a.edges.map(\.from) == b.edges.map(\.from) && a.edges.map(\.to) == b.edges.map(\.to)
    }

    /// Every primitive node with its dotted path (`outer.inner`) and type, sorted by path; a
    /// subgraph's own Input and Output nodes are listed too.
    public var flatNodeList: [(path: String, type: String)] {
        var list: [(path: String, type: String)] = []
        func walk(_ graph: NIRGraph, _ prefix: String) {
            for (name, node) in graph.nodes {
                if case .graph(let inner) = node { walk(inner, prefix + name + ".") } else { list.append((prefix + name, node.typeName)) }
            }
        }
        walk(self, "")
        return list.sorted { $0.path < $1.path }
    }
}
