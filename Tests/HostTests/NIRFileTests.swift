import Foundation
import Testing
@testable import Host

/// Reading NIR graphs from the fixtures: node types and parameters, node and edge lists as the
/// generating script built them, and damaged files.
struct NIRFileTests {
    @Test(arguments: NIRImporterTests.fixtures)
    func nodesAndEdgesMatchTheGeneratingScript(name: String) throws {
        let reference = try NIRImporterTests.reference(name)
        let graph = try NIRFile.read(path: NIRFixtures.path("\(name).nir"))
        #expect(graph.flatNodeList.map { [$0.path, $0.type] } == reference.nodes)
        var flat = NIRImporter.FlatGraph()
        _ = try NIRImporter.flatten(graph, prefix: "", file: name, into: &flat)
        let edges = flat.edges.map { [flat.names[$0.from], flat.names[$0.to]] }.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(edges == reference.edges)
    }

    @Test func mlpParametersSurviveTheFile() throws {
        let graph = try NIRFile.read(path: NIRFixtures.path("mlp.nir"))
        #expect(graph.nodes.map(\.name) == ["fc1", "fc2", "input", "lif1", "lif2", "output"])
        guard case let .affine(weight, bias)? = graph.node(named: "fc1"), case let .lif(tau, r, leak, threshold, reset)? = graph.node(named: "lif1") else {
            Issue.record("fc1 or lif1 has the wrong type")
            return
        }
        #expect(weight.shape == [10, 12] && bias.shape == [10])
        #expect(tau.values == Array(repeating: 0.02, count: 10))
        #expect(r.values == Array(repeating: 20.0, count: 10))
        #expect(leak.values == Array(repeating: 0, count: 10) && reset.values == leak.values)
        #expect(threshold.values == Array(repeating: 1, count: 10))
        #expect(graph.node(named: "input") == .input(shape: [12]))
    }

    /// Each node's lookups resolve their paths from the root; every group on the way must be
    /// decoded once per file, not once per lookup (which made a graph of N nodes cost N²).
    @Test func eachGroupIsListedOncePerFile() throws {
        var reader = NIRFile.Reader(hdf5: try HDF5File(path: NIRFixtures.path("scale/many_nodes.nir")), budget: NIRFile.Reader.Budget())
        guard case .graph(let graph) = try reader.node(at: "/node", name: "", depth: 0) else {
            Issue.record("the top node is not a graph")
            return
        }
        #expect(graph.nodes.count == 202 && graph.edges.count == 201)
        // `/`, `/node`, `/node/nodes` and the 202 node groups.
        #expect(reader.groupCache.decodes == 205)
    }

    /// A group reached again through a hard link is decoded once, and the reader still stops at
    /// the nesting limit rather than going round: `/node/nodes/g` is `/node` itself.
    @Test func aGroupReachedThroughManyLinksIsDecodedOnce() throws {
        let path = NIRFixtures.path("damaged/group_hardlink_cycle.nir")
        var reader = NIRFile.Reader(hdf5: try HDF5File(path: path), budget: NIRFile.Reader.Budget())
        let error = #expect(throws: NIRError.self) { _ = try reader.node(at: "/node", name: "", depth: 0) }
        #expect(error.map { "\($0)" }?.contains("NIRGraph nested 32 levels deep") == true)
        // `/`, `/node` and `/node/nodes`, however deep the 32 levels of paths went.
        #expect(reader.groupCache.decodes == 3)
    }

    @Test func truncatedAndDamagedNIRFilesGiveErrors() throws {
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: NIRFixtures.path("mlp.nir"))))
        var failures = 0
        for length in stride(from: 0, to: bytes.count, by: 1009) {
            do {
                _ = try NIRFile.read(try HDF5File(bytes: Array(bytes.prefix(length)), name: "mlp-cut.nir"))
            } catch {
                failures += 1
                #expect("\(error)".hasPrefix("mlp-cut.nir"))
            }
        }
        #expect(failures == (bytes.count + 1008) / 1009)
        // Flipped bytes: each read either fails with an error naming the file or yields a graph;
        // never a trap.
        var flippedFailures = 0
        for index in stride(from: 0, to: bytes.count, by: 331) {
            var damaged = bytes
            damaged[index] ^= 0xa5
            do {
                let graph = try NIRFile.read(try HDF5File(bytes: damaged, name: "mlp-flipped.nir"))
                _ = try NIRImporter.convert(graph, name: "m", file: "mlp-flipped.nir", options: NIRImportOptions())
            } catch {
                flippedFailures += 1
                #expect("\(error)".hasPrefix("mlp-flipped.nir"), "\(error)")
            }
        }
        #expect(flippedFailures > 0)
        // A file that is not HDF5 at all.
        #expect(throws: NIRError.hdf5(.notHDF5(file: NIRFixtures.path("mlp.input.json")))) { try NIRFile.read(path: NIRFixtures.path("mlp.input.json")) }
    }

    /// Behind a user block every address is relative to the base address (512): B-trees, heaps
    /// and data as well as object headers (only these were, and the rest read the user block).
    @Test(arguments: ["earliest", "latest"])
    func filesBehindAUserBlockRead(libver: String) throws {
        let graph = try NIRFile.read(path: NIRFixtures.path("userblock/userblock_\(libver).nir"))
        #expect(graph.nodes.map(\.name).sorted() == ["input", "lif", "output"])
        #expect(graph.edges.map { [$0.from, $0.to] } == [["input", "lif"], ["lif", "output"]])
        let network = try NIRImporter.load(path: NIRFixtures.path("userblock/userblock_\(libver).nir"), options: NIRImportOptions()).network
        #expect(network.populations.map(\.name) == ["lif"] && network.populations[0].size == 2)
    }

    /// nir.write stores a graph's empty edge list as a float64 dataset of shape (0,); it reads as
    /// no edges (it was refused as "'edges' must be a list of (source, target) name pairs").
    @Test func anEmptyEdgeListOfAnyTypeIsNoEdges() throws {
        let path = NIRFixtures.path("structure/empty_edges.nir")
        let hdf5 = try HDF5File(path: path)
        let stored = try hdf5.read("/node/nodes/sub/edges")
        #expect(stored.shape == [0] && stored.strings == nil)
        let graph = try NIRFile.read(path: path)
        guard case .graph(let sub)? = graph.node(named: "sub") else {
            Issue.record("sub is not a NIRGraph")
            return
        }
        #expect(sub.edges.isEmpty && sub.nodes.map(\.name) == ["lif"])
        #expect(graph.edges.map { [$0.from, $0.to] } == [["input", "w"], ["w", "sub.lif"], ["sub.lif", "output"]])
        let network = try NIRImporter.load(path: path, options: NIRImportOptions()).network
        #expect(network.populations.map(\.name) == ["sub.lif"] && network.projections.map(\.synapses.count) == [2])
    }

    /// Files that once crashed, hung or loaded wrongly (NIR/damaged/README.md) give their error.
    @Test(arguments: [
        ("link_name_length_2_64", "/: damaged HDF5 structure: link name of 18446744073709551615 bytes is larger than the file (15586 bytes)"),
        ("ohdr_v2_chunk_size_2_64", "/: damaged HDF5 structure: object header chunk of 18446744073709551615 bytes is larger than the file (15586 bytes)"),
        ("ohdr_v2_chunk_size_intmax", "/: damaged HDF5 structure: object header chunk of 9223372036854775807 bytes is larger than the file (15586 bytes)"),
        ("superblock_base_address_overflow", "/: damaged HDF5 structure: base address 9223372036854775807 is past the end of the file (56944 bytes)"),
        ("delay_chain_past_255_steps", "NIR node `lif`: receives spikes from `input` delayed by 306 steps; the chip allows at most 62 (use a larger --dt)"),
        ("composed_weights_nan", "NIR node `lif`: receives from `input` element 0 a weight that is not finite (-nan): the weights and gains on the way multiply beyond the range of a Double"),
        ("gain_overflow_nan_bias", "NIR node `lif`: its parameters at neuron 0 give an input gain of inf (r, w_in and the time constants over the threshold span); it must be finite"),
        ("group_hardlink_cycle", "NIR node `g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g`: NIRGraph nested 32 levels deep; at most 31 are read (does a link lead back to an enclosing graph?)"),
        ("group_hardlink_two_cycles", "NIR node `g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g.g`: NIRGraph nested 32 levels deep; at most 31 are read (does a link lead back to an enclosing graph?)"),
        ("fixed_string_fill", "graph `(top)`: an edge names ``, which is not a node; nodes: input, lif, output"),
        ("output_shape_rank_9", "NIR node `output`: `shape` has 9 dimensions; at most 8"),
        ("output_shape_past_int32", "NIR node `output`: `shape` must list integers in 1…999,999,999, got 4294967296"),
    ])
    func damagedFilesGiveTheirErrors(name: String, message: String) throws {
        let path = NIRFixtures.path("damaged/\(name).nir")
        let error = #expect(throws: (any Error).self) { _ = try NIRImporter.load(path: path, options: NIRImportOptions()) }
        #expect(error.map { "\($0)" } == "\(path): \(message)")
    }
}
