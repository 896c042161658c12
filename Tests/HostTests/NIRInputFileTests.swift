import Foundation
import Testing
@testable import Host

/// `--input FILE` of a NIR run: spike times and Poisson inputs are read; the network file's
/// schedule-driven kinds are refused at their JSON path.
@Suite struct NIRInputFileTests {
    /// Writes `files` (name → text) into a fresh directory and returns its path.
    private func directory(_ files: [String: String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-nir-input-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: directory + "/" + name, atomically: false, encoding: .utf8) }
        return directory
    }

    @Test func spikeTimesAndPoissonInputsAreRead() throws {
        let folder = try directory(["in.json": #"{"inputs": [{"name": "a", "size": 2, "spike_times": [[1, 3], []]}, {"name": "b", "size": 1, "poisson": {"probability": 0.5}}]}"#])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let inputs = try NIRInputFile.load(path: folder + "/in.json", steps: 10)
        #expect(inputs.map(\.name) == ["a", "b"])
        #expect(inputs[0].source == .spikeTimes([[1, 3], []]))
        #expect(inputs[1].source == .poisson(probability: [0.5]))
    }

    /// A samples input was read, and gave a NIR run that never spiked and a saved network that
    /// did not load (it had a samples input and no schedule).
    @Test func samplesAndTeacherInputsAreRefused() throws {
        let folder = try directory([
            "rows.csv": "1,1,0\n0,1,1\n",
            "samples.json": #"{"inputs": [{"name": "input", "size": 3, "samples": {"file": "rows.csv", "probability": 1}}]}"#,
            "teacher.json": #"{"inputs": [{"name": "input", "size": 3, "spike_times": [[1], [], []]}, {"name": "t", "size": 2, "teacher": {"follows": "input"}}]}"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: ConfigError.invalid(file: folder + "/samples.json", path: "$.inputs[0].samples", rule: "a NIR input gives \"spike_times\" or \"poisson\"; \"samples\" inputs belong to network files, whose schedule presents them (see docs/nir.md)")) {
            try NIRInputFile.load(path: folder + "/samples.json", steps: 10)
        }
        #expect(throws: ConfigError.invalid(file: folder + "/teacher.json", path: "$.inputs[1].teacher", rule: "a NIR input gives \"spike_times\" or \"poisson\"; \"teacher\" inputs belong to network files, whose schedule presents them (see docs/nir.md)")) {
            try NIRInputFile.load(path: folder + "/teacher.json", steps: 10)
        }
    }

    @Test func anInputListedTwiceIsRefused() throws {
        let folder = try directory(["in.json": #"{"inputs": [{"name": "a", "size": 1, "spike_times": [[1]]}, {"name": "a", "size": 1, "spike_times": [[2]]}]}"#])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: ConfigError.invalid(file: folder + "/in.json", path: "$.inputs[1]", rule: "input \"a\" is listed twice")) {
            try NIRInputFile.load(path: folder + "/in.json", steps: 10)
        }
    }
}
