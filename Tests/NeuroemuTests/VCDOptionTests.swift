import Foundation
import Host
import Testing
@testable import neuroemu

/// `--vcd FILE`: parsed on `run`, `record` and the default job, rejected by `verify`, documented,
/// and handed to Host's `VCDWriter`.
@Suite struct VCDOptionTests {
    private static let network = """
        { "format": "neuroemu-network/1", "name": "cli-vcd", "steps": 6, "seed": 1,
          "inputs": [{ "name": "in", "size": 2, "spike_times": [[1, 2, 3], [2, 4]] }],
          "populations": [{ "name": "A", "size": 2, "neuron": { "model": "loihi_lif", "du": 4095, "dv": 0, "vth": 1 } }],
          "projections": [{ "name": "in_A", "source": "in", "target": "A", "weights": [[3, 0], [0, 3]] }],
          "probes": [{ "target": "A", "record": ["spikes", "v"] }] }
        """

    @Test func runRecordAndTheDefaultJobTakeAPath() throws {
        guard case let .run(_, options) = try Invocation.parse(["run", "n.json", "--vcd", "w.vcd"]) else {
            Issue.record("run did not parse as a run")
            return
        }
        #expect(options.vcdPath == "w.vcd")
        guard case let .run(_, recorded) = try Invocation.parse(["record", "n.json", "-o", "t.trace", "--vcd", "r.vcd"]) else {
            Issue.record("record did not parse as a run")
            return
        }
        #expect(recorded.vcdPath == "r.vcd")
        #expect(recorded.tracePath == "t.trace")
        guard case let .defaultJob(defaults) = try Invocation.parse(["--steps", "3", "--vcd", "d.vcd"]) else {
            Issue.record("the default job did not parse")
            return
        }
        #expect(defaults.vcdPath == "d.vcd")
        #expect(RunOptions().vcdPath == nil)
    }

    @Test func aRunWritesTheWaveformAtomically() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-cli-vcd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let networkPath = directory.appendingPathComponent("n.network.json").path
        try Self.network.write(toFile: networkPath, atomically: false, encoding: .utf8)
        let vcdPath = directory.appendingPathComponent("w.vcd").path
        #expect(CommandLineTool.main(["run", networkPath, "--chip", "tiny", "--vcd", vcdPath]) == 0)
        let text = try String(contentsOfFile: vcdPath, encoding: .utf8)
        #expect(text.hasPrefix("$version NeuroEmu VCD writer 1 $end\n"))
        #expect(text.contains("$timescale 10 ns $end\n"))
        #expect(text.contains("$var wire 1 $ A_0_spike $end\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["n.network.json", "w.vcd"])
        // An unwritable place exits 73 and leaves nothing behind.
        let missing = directory.appendingPathComponent("missing/w.vcd").path
        #expect(CommandLineTool.main(["run", networkPath, "--chip", "tiny", "--vcd", missing]) == 73)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["n.network.json", "w.vcd"])
    }
}
