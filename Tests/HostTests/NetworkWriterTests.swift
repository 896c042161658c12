import Chip
import Foundation
import Testing
@testable import Host

/// Networks covering every feature the writer must carry: inputs of both kinds, per-neuron and
/// scalar parameters, every connectivity rule, delays, exponents, sign modes, mechanisms,
/// learning rules and probes.
private let roundTripTexts: [String] = [
    GoldenNetwork.text,
    """
    { "format": "neuroemu-network/1", "name": "everything", "steps": 12, "seed": 99,
      "inputs": [{ "name": "cue", "size": 3, "spike_times": [[1, 4], [], [12]] },
                 { "name": "noise", "size": 4, "poisson": { "probability": [0.1, 0.25, 0.3, 1e-05] } },
                 { "name": "flat", "size": 2, "poisson": { "probability": 0.5 } }],
      "populations": [
        { "name": "L", "size": 4, "neuron": { "model": "loihi_lif", "du": [0, 1, 2, 3], "dv": 7, "vth": [10, 10, 10, 11],
                                             "bias_mant": -3, "bias_exp": [0, 1, 2, 3], "u_init": [0, 5, 0, 0], "v_init": -8 } },
        { "name": "N", "size": 9, "neuron": { "model": "neuroemu_lif", "vth": 4, "refractory": 2, "reset": "subtract",
                                             "threshold_step": [1, 2, 3, 4, 5, 6, 7, 8, 9], "threshold_decay": 12,
                                             "mean_voltage_gain": 3, "depolarization_gain": 4, "spike": "graded", "graded_shift": 2 } },
        { "name": "T", "size": 4, "neuron": { "model": "neuroemu_lif", "vth": 4, "spike": "ternary" },
          "constraints": { "max_neurons_per_core": 3, "tiles": [[1, 0], [0, 0]] } }
      ],
      "projections": [
        { "name": "dense", "source": "cue", "target": "L", "weights": [[1, 0, -2], [0, 0, 0], [3, 3, 3], [0, 255, -256]], "delay": 3 },
        { "name": "sparse", "source": "noise", "target": "L", "sparse": { "source": [3, 0], "target": [0, 3], "weight": [-7, -9], "delay": [2, 62] } },
        { "name": "one", "source": "L", "target": "T", "one_to_one": { "weight_range": [1, 40] }, "num_weight_bits": 5, "weight_exp": -3 },
        { "name": "all", "source": "flat", "target": "T", "all_to_all": { "weight": 0 }, "sign_mode": "inhibitory" },
        { "name": "rand", "source": "N", "target": "N", "random": { "p": 0.4, "weight": 17 }, "weight_exp": 2,
          "stdp": { "pre_impulse": 10, "post_impulse": 20, "pre_decay": 30, "post_decay": 40, "a_plus": 50, "a_minus": 60, "w_min": 0, "w_max": 200, "epoch": 3 } },
        { "name": "conv", "source": "N", "target": "T", "conv2d": { "input_shape": [1, 3, 3], "kernel": [[[[1, -1], [2, 0]]]] } }
      ],
      "probes": [{ "target": "L", "record": ["v", "spikes", "u"] }, { "target": "T", "record": ["u"], "indices": [0, 3] }] }
    """,
]

@Suite struct NetworkWriterTests {
    @Test(arguments: [
        ("configs/data/digits.csv", "configs/networks", "../data/digits.csv"),
        ("configs/data/digits.csv", "configs/data", "digits.csv"),
        ("configs/data/digits.csv", "", "configs/data/digits.csv"),
        ("configs/data/digits.csv", "out/learned", "../../configs/data/digits.csv"),
        ("a/../configs/./data/digits.csv", "configs/networks/", "../data/digits.csv"),
        ("/srv/data/digits.csv", "/srv/out", "../data/digits.csv"),
        ("/srv/data/digits.csv", "/", "srv/data/digits.csv"),
    ])
    func samplesPathIsWrittenRelativeToTheSavedFile(target: String, directory: String, expected: String) {
        #expect(NetworkWriter.relativePath(of: target, from: directory) == expected)
    }

    /// Saved through a linked directory, the path is taken from the real one, where `..` leads.
    @Test func aLinkedDirectoryIsResolved() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-rel-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base + "/deep/a/b", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: base + "/data", withIntermediateDirectories: true)
        try "1,0\n".write(toFile: base + "/data/s.csv", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: base + "/lnk", withDestinationPath: base + "/deep/a/b")
        #expect(NetworkWriter.relativePath(of: base + "/data/s.csv", from: base + "/lnk") == "../../../data/s.csv")
    }

    @Test(arguments: roundTripTexts.indices)
    func writtenNetworkReadsBackEqual(index: Int) throws {
        let original = try NetworkFile.parse(roundTripTexts[index], file: "original.json")
        let written = NetworkWriter.text(of: original)
        let reread = try NetworkFile.parse(written, file: "written.json")
        #expect(reread == original)
        // Writing is a fixed point: the written file writes itself again.
        #expect(NetworkWriter.text(of: reread) == written)
    }

    @Test func goldenNetworkIsWrittenCanonically() throws {
        let written = NetworkWriter.text(of: try GoldenNetwork.network())
        #expect(written == """
            {
              "format": "neuroemu-network/1",
              "name": "golden",
              "steps": 5,
              "seed": 1,
              "inputs": [
                { "name": "in", "size": 2, "spike_times": [[1, 3], [2]] }
              ],
              "populations": [
                { "name": "A", "size": 3, "neuron": { "model": "loihi_lif", "du": 4095, "dv": 0, "vth": [2, 2, 3] } },
                { "name": "B", "size": 1, "neuron": { "model": "loihi_lif", "du": 4095, "dv": 0, "vth": 1 } }
              ],
              "projections": [
                { "name": "in_A", "source": "in", "target": "A", "weight_exp": 0, "num_weight_bits": 8, "sign_mode": "excitatory", "sparse": { "source": [0, 1, 0, 1], "target": [0, 1, 2, 2], "weight": [3, 3, 2, 2], "delay": [1, 1, 1, 1] } },
                { "name": "A_B", "source": "A", "target": "B", "weight_exp": 0, "num_weight_bits": 8, "sign_mode": "excitatory", "sparse": { "source": [0, 1, 2], "target": [0, 0, 0], "weight": [1, 1, 1], "delay": [1, 1, 1] } }
              ],
              "probes": [
                { "target": "A", "record": ["u", "v"], "indices": [0, 1, 2] },
                { "target": "B", "record": ["spikes"], "indices": [0] }
              ]
            }

            """)
    }

    @Test func emptySectionsAreWrittenAsEmptyLists() throws {
        let network = try NetworkFile.parse("""
            { "format": "neuroemu-network/1", "name": "bare", "steps": 1,
              "populations": [{ "name": "A", "size": 1, "neuron": { "model": "loihi_lif", "vth": 1 } }] }
            """, file: "bare.json")
        let written = NetworkWriter.text(of: network)
        #expect(written.contains("\n  \"inputs\": [],\n"))
        #expect(written.contains("\n  \"projections\": [],\n"))
        #expect(written.hasSuffix("\n  \"probes\": []\n}\n"))
        #expect(try NetworkFile.parse(written, file: "w.json") == network)
    }

    @Test func learnedWeightsAreSavedAndResumeTraining() throws {
        // STDP with a teacher: the plastic synapses change during the run.
        let text = """
            { "format": "neuroemu-network/1", "name": "learn", "steps": 60, "seed": 4,
              "inputs": [{ "name": "pre", "size": 6, "poisson": { "probability": 0.3 } }],
              "populations": [{ "name": "post", "size": 2, "neuron": { "model": "loihi_lif", "du": 2048, "dv": 410, "vth": 20 } }],
              "projections": [
                { "name": "plastic", "source": "pre", "target": "post", "all_to_all": { "weight": 100 },
                  "stdp": { "pre_impulse": 64, "post_impulse": 64, "pre_decay": 820, "post_decay": 820, "a_plus": 2048, "a_minus": 2048, "w_min": 0, "w_max": 255 } },
                { "name": "fixed", "source": "pre", "target": "post", "all_to_all": { "weight": 3 } }
              ] }
            """
        let network = try NetworkFile.parse(text, file: "learn.json")
        var simulation = try Simulation(network: network, chip: ChipPresets.resolve("tiny"))
        var trace = try TraceWriter(level: .steps, path: nil)
        let result = try simulation.run(steps: 60, threads: 1, trace: &trace)
        #expect(result.neuronSpikes > 0)
        let learned = simulation.learnedNetwork()
        #expect(learned.projections[0].synapses.map(\.weight) != network.projections[0].synapses.map(\.weight))
        #expect(learned.projections[0].synapses.allSatisfy { (0...255).contains($0.weight) })
        // Only weights change: the static projection and every synapse's endpoints stay.
        #expect(learned.projections[1] == network.projections[1])
        #expect(learned.projections[0].synapses.map { [$0.source, $0.target, $0.delay] } == network.projections[0].synapses.map { [$0.source, $0.target, $0.delay] })
        #expect(learned.populations == network.populations && learned.inputs == network.inputs)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("learned.network.json").path
        try NetworkWriter.write(learned, to: path)
        #expect(try NetworkFile.load(path: path) == learned)
    }

    @Test func networkWithoutLearningIsSavedUnchanged() throws {
        let network = try GoldenNetwork.network()
        var simulation = try Simulation(network: network, chip: GoldenNetwork.chip())
        var trace = try TraceWriter(level: .steps, path: nil)
        _ = try simulation.run(steps: 5, threads: 1, trace: &trace)
        #expect(simulation.learnedNetwork() == network)
    }

    @Test func writingIntoAMissingDirectoryFails() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-missing-\(UUID().uuidString)/n.json").path
        let network = try GoldenNetwork.network()
        do {
            try NetworkWriter.write(network, to: path)
            Issue.record("writing into a missing directory must fail")
        } catch {
            #expect(error.description.hasPrefix("\(path): cannot write: "))
        }
    }

    @Test func scalarOrListCollapsesEqualValues() {
        #expect(NetworkWriter.scalarOrList(["3", "3", "3"]) == "3")
        #expect(NetworkWriter.scalarOrList(["3", "4"]) == "[3, 4]")
        #expect(NetworkWriter.list([Int32(1), -2]) == "[1, -2]")
        #expect(NetworkWriter.list([Int]()) == "[]")
    }
}
