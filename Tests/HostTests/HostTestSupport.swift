import Chip
import Foundation
import Testing
@testable import Host

// Helpers shared by several Host test files: the repository root, a byte comparison that says
// where, an independent FNV-1a, the hand-checked golden network, and a run that returns its
// trace text.

/// The repository root: this file is `<root>/Tests/HostTests/HostTestSupport.swift`.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The first byte offset where `a` and `b` differ (nil when equal), with a little context.
func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String? {
    guard a != b else { return nil }
    let offset = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
    func context(_ bytes: [UInt8]) -> String {
        String(decoding: bytes[min(offset, bytes.count)..<min(offset + 40, bytes.count)], as: UTF8.self).debugDescription
    }
    return "first difference at byte \(offset) of \(a.count) vs \(b.count): \(context(a)) vs \(context(b))"
}

/// The 64-bit FNV-1a hash written out from its definition (offset basis cbf29ce484222325,
/// prime 100000001b3), independent of `TraceWriter`.
func referenceFNV1a(_ bytes: some Sequence<UInt8>) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

/// A small network whose trace is checked by hand (see `SimulationTests.goldenBody`).
///
/// Two inputs drive population A (3 neurons, du 4095 so u carries only this step's input, dv 0
/// so v never leaks); A drives B (1 neuron). On `chip()` with in-order placement, A is split over
/// cores 0 and 1 of tile (0, 0) and B sits on core 2 of tile (1, 0); the host port is on tile (0, 1).
enum GoldenNetwork {
    static let text = """
        { "format": "neuroemu-network/1", "name": "golden", "steps": 5, "seed": 1,
          "inputs": [{ "name": "in", "size": 2, "spike_times": [[1, 3], [2]] }],
          "populations": [
            { "name": "A", "size": 3, "neuron": { "model": "loihi_lif", "du": 4095, "dv": 0, "vth": [2, 2, 3] } },
            { "name": "B", "size": 1, "neuron": { "model": "loihi_lif", "du": 4095, "dv": 0, "vth": 1 } }
          ],
          "projections": [
            { "name": "in_A", "source": "in", "target": "A", "weights": [[3, 0], [0, 3], [2, 2]] },
            { "name": "A_B", "source": "A", "target": "B", "weights": [[1, 1, 1]] }
          ],
          "probes": [{ "target": "A", "record": ["u", "v"] }, { "target": "B", "record": ["spikes"] }] }
        """

    static func network() throws -> NetworkDescription { try NetworkFile.parse(text, file: "golden.json") }

    /// The `tiny` preset with 2 neurons per core (so A splits) and the host port at (0, 1).
    ///
    /// Its 4 input axons per core keep B on a core of its own although the partitioner packs
    /// populations: A2 uses 2 input axons (in[0], in[1]) and B0 would add 3 (A0–A2), so B0 does
    /// not fit beside A2 and opens core 2, the layout the hand-worked trace assumes.
    static func chip() throws -> ChipDescription {
        let text = ChipPresets.text(named: "tiny")!
            .replacingOccurrences(of: #""neurons": 64"#, with: #""neurons": 2"#)
            .replacingOccurrences(of: #""input_axons": 256"#, with: #""input_axons": 4"#)
            .replacingOccurrences(of: #""host_port": { "x": 0, "y": 0 }"#, with: #""host_port": { "x": 0, "y": 1 }"#)
        return try ChipFile.parse(text, file: "golden-chip.json")
    }

    /// Runs the golden network (placed in order, as the hand-worked trace assumes) and returns
    /// its summary inputs.
    static func run(steps: Int = 5) throws -> (Simulation, RunResult) {
        var simulation = try Simulation(network: network(), chip: chip(), placement: .inOrder)
        var trace = try TraceWriter(level: .packets, path: nil)
        let result = try simulation.run(steps: steps, threads: 1, trace: &trace)
        return (simulation, result)
    }
}

/// A stored trace's lines (without their LFs), for tests that compare traces in memory.
func storedLines(_ path: String) throws -> [String] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}

/// Runs `network` on `chip` and returns the trace text and the result.
func traceOfRun(
    _ network: NetworkDescription, on chip: ChipDescription, level: TraceLevel, threads: Int = 1, steps: Int? = nil,
    placement: Simulation.Placement = .optimized
) throws -> (text: String, result: RunResult) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-sim-\(UUID().uuidString).trace").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    var simulation = try Simulation(network: network, chip: chip, placement: placement)
    var trace = try TraceWriter(level: level, path: path)
    let result = try simulation.run(steps: steps ?? network.steps, threads: threads, trace: &trace)
    return (try String(contentsOfFile: path, encoding: .utf8), result)
}

/// Four fixed 16-feature patterns with overlapping active features, one per class, in a CSV file
/// in a fresh temporary directory, and a network that learns them with supervised STDP.
enum FourPatterns {
    static let patterns = [[0, 1, 2, 3, 4, 5], [4, 5, 6, 7, 8, 9], [8, 9, 10, 11, 12, 13], [12, 13, 14, 15, 0, 1]]

    /// Writes `patterns.csv` (one row per class, label last) into a new directory and returns it.
    static func directory() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-samples-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let rows = patterns.enumerated().map { label, active in
            (0..<16).map { active.contains($0) ? "1" : "0" }.joined(separator: ",") + ",\(label)"
        }
        try (rows.joined(separator: "\n") + "\n").write(toFile: directory + "/patterns.csv", atomically: false, encoding: .utf8)
        return directory
    }

    /// The network: features at probability 1 (a pattern's active inputs spike at every step of its
    /// presentation), a teacher that excites the labelled output neuron and inhibits the others,
    /// weak lateral inhibition, adaptive thresholds and the weight-dependent STDP rule.
    static func text(schedule: String, seed: Int = 5) -> String {
        """
        { "format": "neuroemu-network/1", "name": "four-patterns", "seed": \(seed),
          "inputs": [
            { "name": "features", "size": 16, "samples": { "file": "patterns.csv", "probability": 1, "feature_max": 1 } },
            { "name": "teacher", "size": 4, "teacher": { "samples": "features", "probability": 1 } }
          ],
          "populations": [
            { "name": "out", "size": 4, "neuron": { "model": "neuroemu_lif", "du": 4095, "dv": 0, "vth": 1000, "reset": "subtract",
                                                     "threshold_step": 800, "threshold_decay": 400 } }
          ],
          "projections": [
            { "name": "learn", "source": "features", "target": "out", "all_to_all": { "weight_range": [30, 90] },
              "stdp": { "pre_impulse": 16, "post_impulse": 0, "pre_decay": 410, "post_decay": 0, "a_plus": 6, "a_minus": 0,
                        "w_min": 0, "w_max": 255, "w_decay": 32 } },
            { "name": "teach", "source": "teacher", "target": "out", "one_to_one": { "weight": 60 } },
            { "name": "anti", "source": "teacher", "target": "out", "weight_exp": 3,
              "weights": [[0, -255, -255, -255], [-255, 0, -255, -255], [-255, -255, 0, -255], [-255, -255, -255, 0]] },
            { "name": "compete", "source": "out", "target": "out", "weight_exp": 2,
              "weights": [[0, -5, -5, -5], [-5, 0, -5, -5], [-5, -5, 0, -5], [-5, -5, -5, 0]] }
          ],
          "schedule": \(schedule) }
        """
    }

    static let trainAndTest = """
        { "steps_per_sample": 20, "rest_steps": 5, "reset_state": true,
          "classify": { "population": "out", "group_size": 1 },
          "segments": [ { "kind": "test" }, { "kind": "train", "order": "shuffled", "repeat": 10 }, { "kind": "test" } ] }
        """

    /// Parses the network as if it were `four.json` in `directory`.
    static func network(in directory: String, schedule: String = trainAndTest, seed: Int = 5) throws -> NetworkDescription {
        try NetworkFile.parse(text(schedule: schedule, seed: seed), file: directory + "/four.json")
    }
}
