import Chip
import Foundation
import Testing
@testable import Host

/// NIR fixtures (made by NIR/make_fixtures.py with the real `nir` package) load, list the nodes
/// and edges the script wrote, and run on the chip with spike counts close to the float reference.
struct NIRImporterTests {
    static let fixtures = ["mlp", "cuba", "integrate_fire", "li_readout", "conv", "conv1d_avgpool", "delay_scale_threshold", "nested", "snntorch_mlp"]

    struct Reference {
        var steps: Int
        /// Step length in seconds (0.1 ms for the snnTorch export, whose time constants assume it).
        var dt: Double
        var nodes: [[String]]
        var edges: [[String]]
        var counts: [String: [Int]]
        var lastV: [String: [Double]]
    }

    static func reference(_ name: String) throws -> Reference {
        let data = try #require(FileManager.default.contents(atPath: NIRFixtures.path("\(name).reference.json")))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return Reference(steps: object["steps"] as? Int ?? 0, dt: object["dt"] as? Double ?? 0.001, nodes: object["nodes"] as? [[String]] ?? [], edges: object["edges"] as? [[String]] ?? [],
                         counts: object["counts"] as? [String: [Int]] ?? [:], lastV: object["last_v"] as? [String: [Double]] ?? [:])
    }

    /// Imports a fixture with its recorded input spikes and runs it on the Loihi preset.
    static func run(_ name: String) throws -> (imported: NIRImport, counts: [String: [Int64]], lastV: [String: [Int64]]) {
        let reference = try reference(name)
        let inputs = try NIRInputFile.load(path: NIRFixtures.path("\(name).input.json"), steps: reference.steps)
        let imported = try NIRImporter.load(path: NIRFixtures.path("\(name).nir"), options: NIRImportOptions(dt: reference.dt, steps: reference.steps, inputs: inputs))
        let network = imported.network
        var readouts = network.populations.indices.map { Readout(population: $0, mode: .counts) }
        readouts += network.populations.indices.map { Readout(population: $0, mode: .lastV) }
        var simulation = try Simulation(network: network, chip: try ChipPresets.resolve("loihi"), placement: .inOrder)
        var trace = try TraceWriter(level: .steps, path: nil)
        let result = try simulation.run(steps: reference.steps, threads: 1, trace: &trace, readouts: readouts)
        var counts: [String: [Int64]] = [:]
        var lastV: [String: [Int64]] = [:]
        for (readout, values) in result.readouts {
            let population = network.populations[readout.population].name
            if readout.mode == .counts { counts[population] = values } else { lastV[population] = values }
        }
        return (imported, counts, lastV)
    }

    /// snnTorch names its layers `0`, `1`, …: they become `_1`, `_3`, valid network-file names,
    /// so the converted network saves and loads again unchanged.
    @Test func digitLedNamesGetALeadingUnderscoreAndTheNetworkSavesAndLoads() throws {
        let imported = try NIRImporter.load(path: NIRFixtures.path("snntorch_mlp.nir"), options: NIRImportOptions(dt: 0.0001, steps: 10))
        let network = imported.network
        #expect(network.populations.map(\.name) == ["_1", "_3"])
        #expect(network.projections.map(\.name) == ["_1_to__3", "input_to__1"])
        let reread = try NetworkFile.parse(NetworkWriter.text(of: network), file: "saved.network.json")
        #expect(reread.populations.map(\.name) == ["_1", "_3"])
        #expect(reread.projections.map(\.synapses) == network.projections.map(\.synapses))
    }

    /// Names the importer makes (`SOURCE_to_TARGET`, the file's name) are valid network-file
    /// names, so the network runs and saves and loads again: a projection name of 66 characters
    /// is shortened, two projections that would share `a_to_to_b` are told apart, and a file
    /// name of 68 characters is shortened (each was refused by the name rule).
    @Test func madeUpNamesFollowTheNameRuleAndTheNetworkSavesAndLoads() throws {
        let long = try NIRImporter.load(path: NIRFixtures.path("structure/long_names.nir"), options: NIRImportOptions()).network
        #expect(long.projections.map(\.name) == ["encoder_block1_lif_neurons_main_to_decoder_block2_lif_n-097bbe13", "input_to_encoder_block1_lif_neurons_main"])
        let clash = try NIRImporter.load(path: NIRFixtures.path("structure/name_clash.nir"), options: NIRImportOptions()).network
        #expect(clash.projections.map(\.name) == ["a_to_to_b", "a_to_to_b-2", "input_to_a", "input_to_a_to"])
        #expect(clash.projections.map { "\(clash.populations[$0.source].name)->\(clash.populations[$0.target].name)" }.prefix(2) == ["a->to_b", "a_to->b"])
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-nir-names-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workspace) }
        let longFile = workspace.appendingPathComponent("snntorch_mnist_conv3_beta0.9_thr1.0_lr2e-3_epoch50_best_val_and_more.nir").path
        try FileManager.default.copyItem(atPath: NIRFixtures.path("mlp.nir"), toPath: longFile)
        let named = try NIRImporter.load(path: longFile, options: NIRImportOptions()).network
        #expect(named.name == "snntorch_mnist_conv3_beta0.9_thr1.0_lr2e-3_epoch50_best-21f13546")
        for network in [long, clash, named] {
            try network.checkStructure()
            let reread = try NetworkFile.parse(NetworkWriter.text(of: network), file: "saved.network.json")
            #expect(reread.name == network.name && reread.projections.map(\.name) == network.projections.map(\.name))
            #expect(reread.projections.map(\.synapses) == network.projections.map(\.synapses))
        }
    }

    /// docs/nir.md's agreement table (neurons, reference and chip spikes, the largest difference
    /// per neuron and how many neurons differ, per fixture and node) and its sentence on the LI
    /// readout's last voltages are what the runs give.
    @Test func agreementTableOfTheDocsMatchesTheRuns() throws {
        let document = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/nir.md"), encoding: .utf8)
        var documented: [String: [String]] = [:]  // "fixture node" → the row's numbers
        var fixture = ""
        var inTable = false
        for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("| fixture | node |") { inTable = true; continue }
            guard inTable else { continue }
            guard line.hasPrefix("|") else { if !documented.isEmpty { break } else { continue } }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 9, !cells[1].hasPrefix("---") else { continue }
            if !cells[1].isEmpty { fixture = String(cells[1].split(separator: " ")[0]) }
            documented["\(fixture) \(cells[2])"] = Array(cells[3...7])
        }
        var measured: [String: [String]] = [:]
        for name in Self.fixtures {
            let reference = try Self.reference(name)
            let (imported, counts, lastV) = try Self.run(name)
            for (population, expected) in reference.counts where !reference.lastV.keys.contains(population) {
                let actual = try #require(counts[NIRNames.name(population)], "\(name) \(population)")
                let differences = zip(expected, actual).map { abs(Int64($0) - $1) }
                measured["\(name) \(population)"] = [
                    "\(expected.count)", "\(expected.reduce(0, +))", "\(actual.reduce(0, +))",
                    "\(differences.max() ?? 0)", "\(differences.filter { $0 > 0 }.count)",
                ]
            }
            for (population, _) in reference.lastV {
                let units = try #require(imported.voltageUnits[population])
                let chip = units.voltages(try #require(lastV[NIRNames.name(population)])).map { String(format: "%.3f", $0) }
                let flowing = document.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                #expect(flowing.contains("\(chip.joined(separator: ", ")) on the chip"), "\(name) \(population): chip's last v \(chip)")
            }
        }
        #expect(documented.count == 18)
        #expect(documented == measured)
    }

    /// Spike counts per neuron within max(2, 5 % of the reference count) of the float reference,
    /// and leaky-integrator voltages within 5 % of the largest reference voltage (docs/nir.md
    /// explains these bounds from the quantization steps).
    @Test(arguments: fixtures)
    func chipAgreesWithFloatReference(name: String) throws {
        let reference = try Self.reference(name)
        let (imported, counts, lastV) = try Self.run(name)
        #expect(!reference.counts.isEmpty)
        for (population, expected) in reference.counts {
            let actual = try #require(counts[NIRNames.name(population)], "population \(population) missing")
            #expect(actual.count == expected.count)
            for (neuron, (want, got)) in zip(expected, actual).enumerated() {
                let tolerance = max(2, Int64((0.05 * Double(want)).rounded(.up)))
                #expect(abs(Int64(want) - got) <= tolerance, "\(name) \(population)[\(neuron)]: reference \(want), chip \(got)")
            }
            // Over a whole population the errors largely cancel.
            let total = expected.reduce(0, +)
            #expect(abs(Int64(total) - actual.reduce(0, +)) <= max(3, Int64(Double(total) * 0.02)), "\(name) \(population) total")
        }
        for (population, expected) in reference.lastV {
            let units = try #require(imported.voltageUnits[population])
            let chip = units.voltages(try #require(lastV[NIRNames.name(population)]))
            let bound = 0.05 * (expected.map(abs).max() ?? 0)
            for (want, got) in zip(expected, chip) { #expect(abs(want - got) <= bound, "\(name) \(population) v: reference \(want), chip \(got)") }
        }
    }

    @Test func conversionFollowsTheDocumentedFormulas() throws {
        // lif1 of mlp: tau 20 ms, r = tau/dt → gain 1, so dv = 4096 · dt/tau = 204.8 → 205, du = 4095.
        let imported = try NIRImporter.load(path: NIRFixtures.path("mlp.nir"), options: NIRImportOptions())
        let network = imported.network
        #expect(network.populations.map(\.name) == ["lif1", "lif2"])
        #expect(network.inputs.map(\.name) == ["input"])
        #expect(network.inputs[0].source == .poisson(probability: Array(repeating: 0.1, count: 12)))
        #expect(network.steps == 100)
        let lif1 = network.populations[0].neurons[0]
        #expect(lif1.dv == 205 && lif1.du == 4095)
        #expect(network.populations[1].neurons[0].dv == 410)
        #expect(imported.outputs == ["lif2"])
        #expect(network.projections.map(\.name) == ["input_to_lif1", "lif1_to_lif2"])
        #expect(network.projections.allSatisfy { $0.synapses.allSatisfy { $0.delay == 1 } })
        // --dt 0.5 ms halves dv.
        let fine = try NIRImporter.load(path: NIRFixtures.path("mlp.nir"), options: NIRImportOptions(dt: 0.0005))
        #expect(fine.network.populations[0].neurons[0].dv == 102)
        #expect(fine.network.inputs[0].source == .poisson(probability: Array(repeating: 0.05, count: 12)))
    }

    @Test func delaysBecomeSynapticDelays() throws {
        let network = try NIRImporter.load(path: NIRFixtures.path("delay_scale_threshold.nir"), options: NIRImportOptions()).network
        let projection = try #require(network.projections.first { $0.name == "threshold_to_lif" })
        // Delay node: 0, 1, 2, 3, 2, 1 ms at dt 1 ms, plus the one step every projection takes.
        #expect(Set(projection.synapses.map(\.source)) == Set(0..<6))
        for synapse in projection.synapses { #expect(synapse.delay == [1, 2, 3, 4, 3, 2][Int(synapse.source)]) }
        #expect(network.populations.map(\.name) == ["lif", "threshold"])
    }

    @Test func nestedNodesTakeDottedNames() throws {
        let network = try NIRImporter.load(path: NIRFixtures.path("nested.nir"), options: NIRImportOptions()).network
        #expect(network.populations.map(\.name) == ["block.lif", "lif"])
        #expect(try Readout.parse("block.lif:counts", network: network).population == 0)
    }

    @Test func importIsDeterministic() throws {
        let a = try NIRImporter.load(path: NIRFixtures.path("conv.nir"), options: NIRImportOptions(seed: 5)).network
        let b = try NIRImporter.load(path: NIRFixtures.path("conv.nir"), options: NIRImportOptions(seed: 5)).network
        #expect(a == b)
        #expect(a.synapseCount == 1480)
    }

    // MARK: Errors

    @Test func unsupportedNodesAndCombinationsAreNamed() {
        let integrator = NIRFixtures.path("error_integrator.nir")
        #expect(throws: NIRError.unsupportedNode(file: integrator, node: "integrator", type: "I")) {
            try NIRImporter.load(path: integrator, options: NIRImportOptions())
        }
        let output = NIRFixtures.path("error_weights_to_output.nir")
        #expect(throws: NIRError.cannotMap(file: output, node: "output", reason: "is fed through weights with no neuron after them; the chip outputs spikes or voltages of neurons, so end the graph with a neuron node (LIF, IF, LI, …)")) {
            try NIRImporter.load(path: output, options: NIRImportOptions())
        }
        let reset = NIRFixtures.path("error_reset.nir")
        #expect(throws: NIRError.cannotMap(file: reset, node: "lif", reason: "v_reset (0.5) differs from the resting voltage (0.0) at neuron 0; the chip resets a neuron to rest")) {
            try NIRImporter.load(path: reset, options: NIRImportOptions())
        }
        // tau 10 ms is shorter than a 20 ms step.
        #expect(throws: NIRError.cannotMap(file: NIRFixtures.path("mlp.nir"), node: "lif1", reason: "tau = 0.02 s at neuron 0 is shorter than the step dt = 0.05 s; use a smaller --dt")) {
            try NIRImporter.load(path: NIRFixtures.path("mlp.nir"), options: NIRImportOptions(dt: 0.05))
        }
    }

    @Test func graphLevelErrors() {
        let lif = NIRNode.lif(tau: NIRTensor(shape: [2], values: [0.01, 0.01]), r: NIRTensor(shape: [], values: [10]), vLeak: NIRTensor(shape: [], values: [0]),
                              vThreshold: NIRTensor(shape: [], values: [1]), vReset: NIRTensor(shape: [], values: [0]))
        let weight = NIRNode.linear(weight: NIRTensor(shape: [2, 2], values: [1, 0, 0, 1]))
        let loop = NIRGraph(nodes: [("input", .input(shape: [2])), ("a", weight), ("b", weight), ("lif", lif)],
                            edges: [("input", "a"), ("a", "b"), ("b", "a"), ("b", "lif")])
        #expect(throws: NIRError.cannotMap(file: "g.nir", node: "a", reason: "lies on a cycle of weight nodes with no neuron between them; the chip needs a neuron in every loop")) {
            try NIRImporter.convert(loop, name: "g", file: "g.nir", options: NIRImportOptions())
        }
        let dangling = NIRGraph(nodes: [("input", .input(shape: [2])), ("lif", lif)], edges: [("input", "lfi")])
        #expect(throws: NIRError.unknownEdgeEnd(file: "g.nir", graph: "", name: "lfi", known: ["input", "lif"])) {
            try NIRImporter.convert(dangling, name: "g", file: "g.nir", options: NIRImportOptions())
        }
        let mismatch = NIRGraph(nodes: [("input", .input(shape: [3])), ("a", weight), ("lif", lif)], edges: [("input", "a"), ("a", "lif")])
        #expect(throws: NIRError.cannotMap(file: "g.nir", node: "a", reason: "weight has 2 columns but its input has 3 elements (shape [3])")) {
            try NIRImporter.convert(mismatch, name: "g", file: "g.nir", options: NIRImportOptions())
        }
        let ragged = NIRNode.lif(tau: NIRTensor(shape: [], values: [0.01]), r: NIRTensor(shape: [3], values: [1, 1, 1]), vLeak: NIRTensor(shape: [], values: [0]),
                                 vThreshold: NIRTensor(shape: [], values: [1]), vReset: NIRTensor(shape: [], values: [0]))
        let raggedGraph = NIRGraph(nodes: [("input", .input(shape: [2])), ("lif", ragged)], edges: [("input", "lif")])
        #expect(throws: NIRError.cannotMap(file: "g.nir", node: "lif", reason: "a parameter has 3 values for 2 neurons; give one value or one per neuron")) {
            try NIRImporter.convert(raggedGraph, name: "g", file: "g.nir", options: NIRImportOptions())
        }
        // Two nodes whose names become the same population name.
        let twins = NIRGraph(nodes: [("input", .input(shape: [2])), ("lif 1", lif), ("lif_1", lif)], edges: [("input", "lif 1"), ("input", "lif_1")])
        #expect(throws: NIRError.cannotMap(file: "g.nir", node: "lif_1", reason: "its name becomes `lif_1` in traces and readouts, as node `lif 1`'s does; rename one of them")) {
            try NIRImporter.convert(twins, name: "g", file: "g.nir", options: NIRImportOptions())
        }
        let wide = NIRGraph(nodes: [("input", .input(shape: [3])), ("lif", lif)], edges: [("input", "lif")])
        #expect(throws: NIRError.cannotMap(file: "g.nir", node: "lif", reason: "has 2 neurons but its input has 3 elements (shape [3])")) {
            try NIRImporter.convert(wide, name: "g", file: "g.nir", options: NIRImportOptions())
        }
        // A (damaged) padding that would make a map of 67 million elements is refused before it is built.
        let conv = NIRNode.convolution(weight: NIRTensor(shape: [1, 1, 1, 1], values: [1]), bias: NIRTensor(shape: [1], values: [0]), stride: [1, 1],
                                       padding: .explicit([4096, 4096]), dilation: [1, 1], groups: 1, inputShape: nil)
        let padded = NIRGraph(nodes: [("input", .input(shape: [1, 8, 8])), ("conv", conv), ("lif", lif)], edges: [("input", "conv"), ("conv", "lif")])
        #expect(throws: NIRError.cannotMap(file: "g.nir", node: "conv", reason: "its output of 1×8200×8200 elements exceeds the 16777216 a population may have")) {
            try NIRImporter.convert(padded, name: "g", file: "g.nir", options: NIRImportOptions())
        }
        // A convolution whose expansion would pass the synapse bound is refused before it is built:
        // 64 × 128 × 128 outputs of 64 channels × 7 × 7 inputs each is 3.3 × 10⁹ synapses.
        let deep = NIRNode.convolution(weight: NIRTensor(shape: [64, 64, 7, 7], values: Array(repeating: 0.5, count: 64 * 64 * 49)), bias: NIRTensor(shape: [64], values: Array(repeating: 0, count: 64)),
                                       stride: [1, 1], padding: .same, dilation: [1, 1], groups: 1, inputShape: nil)
        let deepGraph = NIRGraph(nodes: [("input", .input(shape: [64, 128, 128])), ("conv", deep), ("lif", lif)], edges: [("input", "conv"), ("conv", "lif")])
        #expect(throws: NIRError.cannotMap(file: "g.nir", node: "conv", reason: "would create up to 3288334336 synapses (64×128×128 outputs of 3136 inputs each); one projection may have at most 200000000")) {
            try NIRImporter.convert(deepGraph, name: "g", file: "g.nir", options: NIRImportOptions())
        }
        // A bias the chip cannot hold at any scale is refused, not clamped.
        let biased = NIRNode.affine(weight: NIRTensor(shape: [2, 2], values: [1, 0, 0, 1]), bias: NIRTensor(shape: [2], values: [1e12, 0]))
        let biasGraph = NIRGraph(nodes: [("input", .input(shape: [2])), ("a", biased), ("lif", lif)], edges: [("input", "a"), ("a", "lif")])
        do {
            _ = try NIRImporter.convert(biasGraph, name: "g", file: "g.nir", options: NIRImportOptions())
            Issue.record("a bias of 10^12 was accepted")
        } catch {
            guard case let .cannotMap(file, node, reason) = error else { Issue.record("\(error)"); return }
            #expect(file == "g.nir" && node == "lif")
            #expect(reason.hasPrefix("neuron 0's bias is 1000000000000.0 thresholds per step, beyond the 8190.0 the chip's bias holds at the smallest scale"), "\(reason)")
        }
        // Recurrence through a neuron is fine: lif → a → lif.
        let recurrent = NIRGraph(nodes: [("input", .input(shape: [2])), ("a", weight), ("lif", lif)], edges: [("input", "lif"), ("lif", "a"), ("a", "lif")])
        #expect((try? NIRImporter.convert(recurrent, name: "g", file: "g.nir", options: NIRImportOptions()))?.network.projections.map(\.name) == ["input_to_lif", "lif_to_lif"])
    }

    /// A weight node fed both straight from the source and through another weight node takes
    /// both paths, whatever order the edges are listed in: input → a → b and input → b compose
    /// to (1 + a) · b, the one weight node of the same product.
    @Test func weightNodesComposeAfterEveryWeightNodeThatFeedsThem() throws {
        let lif = NIRNode.lif(tau: NIRTensor(shape: [2], values: [0.01, 0.01]), r: NIRTensor(shape: [], values: [10]), vLeak: NIRTensor(shape: [], values: [0]),
                              vThreshold: NIRTensor(shape: [], values: [1]), vReset: NIRTensor(shape: [], values: [0]))
        let a = NIRNode.linear(weight: NIRTensor(shape: [2, 2], values: [1, 0, 0, 0]))
        let b = NIRNode.linear(weight: NIRTensor(shape: [2, 2], values: [1, 0, 0, 1]))
        let product = NIRNode.linear(weight: NIRTensor(shape: [2, 2], values: [2, 0, 0, 1]))
        let direct = try NIRImporter.convert(
            NIRGraph(nodes: [("input", .input(shape: [2])), ("w", product), ("lif", lif)], edges: [("input", "w"), ("w", "lif")]),
            name: "g", file: "g.nir", options: NIRImportOptions())
        let nodes: [(String, NIRNode)] = [("input", .input(shape: [2])), ("a", a), ("b", b), ("lif", lif)]
        for edges in [[("input", "a"), ("a", "b"), ("input", "b"), ("b", "lif")], [("input", "b"), ("a", "b"), ("input", "a"), ("b", "lif")]] {
            let diamond = try NIRImporter.convert(NIRGraph(nodes: nodes, edges: edges), name: "g", file: "g.nir", options: NIRImportOptions())
            #expect(diamond.network.projections.map(\.synapses) == direct.network.projections.map(\.synapses), "\(edges)")
        }
    }

    /// A graph whose neurons outnumber the chip's is refused before any neuron is converted:
    /// 16 M neurons of scalar parameters took 16 s and 4.7 GB before the partitioner refused them.
    @Test func graphsLargerThanTheChipAreRefusedBeforeConversion() throws {
        let chip = try ChipPresets.resolve("loihi")
        let lif = NIRNode.lif(tau: NIRTensor(shape: [], values: [0.01]), r: NIRTensor(shape: [], values: [10]), vLeak: NIRTensor(shape: [], values: [0]),
                              vThreshold: NIRTensor(shape: [], values: [1]), vReset: NIRTensor(shape: [], values: [0]))
        func graph(_ size: Int) -> NIRGraph {
            NIRGraph(nodes: [("input", .input(shape: [size])), ("a", lif), ("b", lif)], edges: [("input", "a"), ("a", "b")])
        }
        var options = NIRImportOptions()
        options.chip = chip
        let capacity = chip.mesh.coreCount * chip.coreLimits.neurons  // 128 cores of 1,024
        #expect(throws: NIRError.cannotMap(file: "g.nir", node: "(top)", reason: "the graph's neuron nodes hold 16,000,000 neurons in all; chip `loihi` holds at most 131,072 (128 cores of 1,024), so the network cannot fit")) {
            try NIRImporter.convert(graph(8_000_000), name: "g", file: "g.nir", options: options)
        }
        // At the capacity exactly the check passes (the partitioner decides the rest), and
        // without a chip nothing is checked.
        #expect((try? NIRImporter.convert(graph(capacity / 2), name: "g", file: "g.nir", options: options))?.network.populations.map(\.size) == [capacity / 2, capacity / 2])
        #expect(throws: NIRError.cannotMap(file: "g.nir", node: "(top)", reason: "the graph's neuron nodes hold 131,074 neurons in all; chip `loihi` holds at most 131,072 (128 cores of 1,024), so the network cannot fit")) {
            try NIRImporter.convert(graph(capacity / 2 + 1), name: "g", file: "g.nir", options: options)
        }
        #expect((try? NIRImporter.convert(graph(capacity / 2 + 1), name: "g", file: "g.nir", options: NIRImportOptions())) != nil)
    }

    /// A neuron fed by more distinct sources than a core has input axons is refused, with the
    /// partitioner's words, before its projection's synapses are built; zero weights are no
    /// sources, and without a chip nothing is checked.
    @Test func neuronsWithMoreSourcesThanACoreTakesAreRefusedBeforeConversion() throws {
        let chip = try ChipPresets.resolve("loihi")
        let width = chip.coreLimits.inputAxons + 1  // 4,097
        let lif = NIRNode.lif(tau: NIRTensor(shape: [2], values: [0.01, 0.01]), r: NIRTensor(shape: [], values: [10]), vLeak: NIRTensor(shape: [], values: [0]),
                              vThreshold: NIRTensor(shape: [], values: [1]), vReset: NIRTensor(shape: [], values: [0]))
        func graph(secondRow: Double) -> NIRGraph {
            // Neuron 0 takes every input but one; neuron 1 every input (or none).
            let weights = (0..<width).map { $0 == 0 ? 0 : 0.5 } + Array(repeating: secondRow, count: width)
            return NIRGraph(nodes: [("input", .input(shape: [width])), ("fc", .linear(weight: NIRTensor(shape: [2, width], values: weights))), ("lif", lif)],
                            edges: [("input", "fc"), ("fc", "lif")])
        }
        var options = NIRImportOptions()
        options.chip = chip
        #expect(throws: NIRError.cannotMap(file: "g.nir", node: "lif", reason: "population `lif` neuron 1 alone needs 4,097 input axons (projection `input_to_lif`); core limit is 4,096")) {
            try NIRImporter.convert(graph(secondRow: 0.25), name: "g", file: "g.nir", options: options)
        }
        #expect((try? NIRImporter.convert(graph(secondRow: 0), name: "g", file: "g.nir", options: options)) != nil)
        #expect((try? NIRImporter.convert(graph(secondRow: 0.25), name: "g", file: "g.nir", options: NIRImportOptions())) != nil)
    }

    /// Graphs nir's own checks refuse (structure/make_structure_fixtures.py writes them with
    /// type_check=False) are refused, naming the nodes: a duplicate edge doubled the weight, an
    /// Output's wrong shape and an edge out of an Output went unnoticed.
    @Test(arguments: [
        ("duplicate_edge", "graph `(top)`: the edge from `w` to `lif` is listed twice; list each edge once (NIR adds what every edge brings, so a repeated edge would count its input twice, and nir.read refuses it)"),
        ("output_shape", "NIR node `output`: has shape [7] (7 elements), but `lif` feeds it 2 (shape [2]); an Output passes its input on, so the two must match"),
        ("edge_from_output", "NIR node `output`: has an edge to `lif2`, but a top-level Output ends the graph; connect `lif2` to the node that feeds the Output instead"),
    ])
    func malformedGraphsAreRefusedNamingTheNodes(name: String, message: String) throws {
        let path = NIRFixtures.path("structure/\(name).nir")
        let error = #expect(throws: NIRError.self) { _ = try NIRImporter.load(path: path, options: NIRImportOptions()) }
        #expect(error.map { "\($0)" } == "\(path): \(message)")
    }

    /// The same checks on graphs built in code: an edge listed twice through a subgraph's end and
    /// by its dotted name, an edge into a top-level Input, a subgraph's Output of the wrong shape.
    @Test func edgesAndShapesAroundSubgraphsAndInputs() {
        let lif = NIRNode.lif(tau: NIRTensor(shape: [2], values: [0.01, 0.01]), r: NIRTensor(shape: [], values: [10]), vLeak: NIRTensor(shape: [], values: [0]),
                              vThreshold: NIRTensor(shape: [], values: [1]), vReset: NIRTensor(shape: [], values: [0]))
        let weight = NIRNode.linear(weight: NIRTensor(shape: [2, 2], values: [1, 0, 0, 1]))
        func block(output: [Int]) -> NIRNode {
            .graph(NIRGraph(nodes: [("in", .input(shape: [2])), ("lif", lif), ("out", .output(shape: output))], edges: [("in", "lif"), ("lif", "out")]))
        }
        let twice = NIRGraph(nodes: [("input", .input(shape: [2])), ("w", weight), ("sub", block(output: [2]))], edges: [("input", "w"), ("w", "sub"), ("w", "sub.in")])
        #expect(throws: NIRError.duplicateEdge(file: "g.nir", graph: "", from: "w", to: "sub.in")) {
            try NIRImporter.convert(twice, name: "g", file: "g.nir", options: NIRImportOptions())
        }
        let intoInput = NIRGraph(nodes: [("input", .input(shape: [2])), ("w", weight), ("lif", lif)], edges: [("input", "w"), ("w", "lif"), ("lif", "input")])
        #expect(throws: NIRError.cannotMap(file: "g.nir", node: "input", reason: "has an edge from `lif`, but a top-level Input starts the graph and takes its input from the host (--input)")) {
            try NIRImporter.convert(intoInput, name: "g", file: "g.nir", options: NIRImportOptions())
        }
        let wrongInner = NIRGraph(nodes: [("input", .input(shape: [2])), ("w", weight), ("sub", block(output: [3])), ("lif", lif)],
                                  edges: [("input", "w"), ("w", "sub"), ("sub", "lif")])
        #expect(throws: NIRError.cannotMap(file: "g.nir", node: "sub.out", reason: "has shape [3] (3 elements), but `sub.lif` feeds it 2 (shape [2]); an Output passes its input on, so the two must match")) {
            try NIRImporter.convert(wrongInner, name: "g", file: "g.nir", options: NIRImportOptions())
        }
        let right = NIRGraph(nodes: [("input", .input(shape: [2])), ("w", weight), ("sub", block(output: [2])), ("lif", lif)],
                             edges: [("input", "w"), ("w", "sub"), ("sub", "lif")])
        #expect((try? NIRImporter.convert(right, name: "g", file: "g.nir", options: NIRImportOptions()))?.network.projections.map(\.name) == ["input_to_sub.lif", "sub.lif_to_lif"])
    }

    @Test func inputFileMustMatchTheInputNodes() throws {
        let mlp = NIRFixtures.path("mlp.nir")
        let wrongSize = [InputDescription(name: "input", size: 3, source: .poisson(probability: [0.1, 0.1, 0.1]))]
        #expect(throws: NIRError.invalidInput(file: mlp, detail: "input \"input\" has 3 neurons; the NIR Input node has shape [12] = 12 elements (flattened in C order)")) {
            try NIRImporter.load(path: mlp, options: NIRImportOptions(inputs: wrongSize))
        }
        let wrongName = [InputDescription(name: "in", size: 12, source: .poisson(probability: Array(repeating: 0.1, count: 12)))]
        #expect(throws: NIRError.invalidInput(file: mlp, detail: "no input is named \"input\" (its inputs: in; the graph's Input nodes: input)")) {
            try NIRImporter.load(path: mlp, options: NIRImportOptions(inputs: wrongName))
        }
        // With the file the inputs came from, errors name it.
        var named = NIRImportOptions(inputs: wrongName)
        named.inputsFile = "spikes.json"
        #expect(throws: NIRError.invalidInput(file: "spikes.json", detail: "no input is named \"input\" (its inputs: in; the graph's Input nodes: input)")) {
            try NIRImporter.load(path: mlp, options: named)
        }
        named.inputs = []
        #expect(throws: NIRError.invalidInput(file: "spikes.json", detail: "no input is named \"input\" (it lists none; the graph's Input nodes: input)")) {
            try NIRImporter.load(path: mlp, options: named)
        }
        let extra = [InputDescription(name: "input", size: 12, source: .poisson(probability: Array(repeating: 0.1, count: 12))), wrongName[0]]
        named.inputs = extra
        #expect(throws: NIRError.invalidInput(file: "spikes.json", detail: "input \"in\" is not an Input node of the graph (its Input nodes: input)")) {
            try NIRImporter.load(path: mlp, options: named)
        }
    }
}
