/// Why a NIR file could not be imported: a damaged or unsupported HDF5 file, a graph that breaks
/// NIR's rules, or a node the chip cannot run. Every case names the file and the node.
public enum NIRError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The HDF5 layer failed.
    case hdf5(HDF5Error)
    /// A node lacks a parameter, or a parameter has the wrong type or shape.
    case invalidNode(file: String, node: String, detail: String)
    /// A node type this importer does not know.
    case unsupportedNode(file: String, node: String, type: String)
    /// A valid NIR construct the chip cannot run.
    case cannotMap(file: String, node: String, reason: String)
    /// An edge names a node that does not exist.
    case unknownEdgeEnd(file: String, graph: String, name: String, known: [String])
    /// An edge is listed twice (after subgraph ends are resolved); `from` and `to` are dotted
    /// node paths.
    case duplicateEdge(file: String, graph: String, from: String, to: String)
    /// The `--input` file does not match the graph's Input nodes.
    case invalidInput(file: String, detail: String)

    /// A one-line message naming the file and, where one is known, the node.
    public var description: String {
        switch self {
        case .hdf5(let error):
            return error.description
        case let .invalidNode(file, node, detail):
            return "\(file): NIR node `\(node)`: \(detail)"
        case let .unsupportedNode(file, node, type):
            return "\(file): NIR node `\(node)` has type \(type), which the importer does not support; supported: \(NIRNode.supportedTypes.joined(separator: ", "))"
        case let .cannotMap(file, node, reason):
            return "\(file): NIR node `\(node)`: \(reason)"
        case let .unknownEdgeEnd(file, graph, name, known):
            return "\(file): graph `\(graph.isEmpty ? "(top)" : graph)`: an edge names `\(name)`, which is not a node; nodes: \(known.joined(separator: ", "))"
        case let .duplicateEdge(file, graph, from, to):
            return "\(file): graph `\(graph.isEmpty ? "(top)" : graph)`: the edge from `\(from)` to `\(to)` is listed twice; list each edge once (NIR adds what every edge brings, so a repeated edge would count its input twice, and nir.read refuses it)"
        case let .invalidInput(file, detail):
            return "\(file): \(detail)"
        }
    }
}
