import Foundation
import Host
import Testing
@testable import neuroemu

struct BenchCommandTests {
    /// Rates print with the unit of their printed number: 999,960 is 1.0M, not 1000.0k.
    @Test func engineeringUnitsFollowThePrintedNumber() {
        #expect(BenchmarkTable.engineering(999_960) == "1.0M")
        #expect(BenchmarkTable.engineering(949_000) == "949.0k")
        #expect(BenchmarkTable.engineering(1_500) == "1.5k")
        #expect(BenchmarkTable.engineering(949) == "949")
        #expect(BenchmarkTable.engineering(2_345_000_000) == "2.35G")
    }

    @Test func defaultsRunEveryCaseOnBothRoutersOnOneThread() throws {
        guard case .bench(let options) = try Invocation.parse(["bench"]) else {
            Issue.record("bench did not parse as bench")
            return
        }
        #expect(options.cases == ["cuba-4k", "cuba-40k", "cuba-400k", "dense-1k", "random-4k"])
        #expect(options.routers == [.ideal, .flit] && options.threads == [1])
        #expect(options.steps == nil && options.jsonPath == nil)
    }

    @Test func suitesCasesRoutersAndThreads() throws {
        guard case .bench(let options) = try Invocation.parse(["bench", "--suite", "quick,cuba-4k", "--router", "flit", "--threads", "1,2", "--steps", "7", "--json", "b.json"]) else {
            Issue.record("bench did not parse as bench")
            return
        }
        #expect(options.cases == ["cuba-4k", "dense-1k", "random-4k"])  // duplicates dropped, order kept
        #expect(options.routers == [.flit] && options.threads == [1, 2] && options.steps == 7 && options.jsonPath == "b.json")
    }

    @Test(arguments: [
        (["bench", "--suite", "cuba-5k"], "--suite: no case or suite named 'cuba-5k'; known: all, cuba, quick, cuba-4k, cuba-40k, cuba-400k, dense-1k, random-4k"),
        (["bench", "--router", "mesh"], "--router must be ideal, flit or both; got 'mesh'"),
        (["bench", "--threads", "0,2"], "--threads takes thread counts 1…64, comma-separated, e.g. 1,2; got '0,2'"),
        (["bench", "--steps", "-3"], "--steps must be an integer in 1…100000000, got '-3'"),
        (["bench", "--json"], "--json needs a value"),
        (["bench", "--json", ""], "--json needs a value, not an empty one"),
        (["bench", "extra"], "unexpected argument 'extra'"),
    ])
    func usageErrors(arguments: [String], message: String) {
        #expect(parseError(arguments)?.message == message)
        #expect(parseError(arguments)?.subcommand == .bench)
    }

    /// The results are written last: on a network file --save-networks wrote they silently
    /// replaced it, and on the directory itself they failed after every case had run.
    @Test func jsonOnASavedNetworkFileIsAUsageError() throws {
        func refusal(_ message: String) -> UsageError { UsageError(message: message + "; writing it would replace that file — give another path", subcommand: .bench) }
        #expect(parseError(["bench", "--json", "bn/cuba-4k.network.json", "--save-networks", "bn"])
            == refusal("--json bn/cuba-4k.network.json is also the network file --save-networks writes for case cuba-4k"))
        #expect(parseError(["bench", "--save-networks", "./bn/", "--json", "bn/sub/../random-4k.network.json"])
            == refusal("--json bn/sub/../random-4k.network.json is also the network file --save-networks writes for case random-4k"))
        #expect(parseError(["bench", "--json", "bn", "--save-networks", "bn/"]) == refusal("--json bn is also the --save-networks directory"))
        // Only the cases run are saved.
        #expect(parseError(["bench", "--suite", "dense-1k", "--json", "bn/cuba-4k.network.json", "--save-networks", "bn"]) == nil)
        let workspace = try Workspace()
        let json = workspace.path("cuba-4k.network.json")
        #expect(CommandLineTool.main(["bench", "--suite", "cuba-4k", "--router", "ideal", "--steps", "2", "--json", json, "--save-networks", workspace.url.path]) == 64)
        #expect(workspace.contents.isEmpty)
    }

    /// The results file is written after every case has run, so a path that cannot take it
    /// exits 73 before the first case, and before any network file is saved.
    @Test func anUnwritableJSONPathExits73BeforeAnyCase() throws {
        let workspace = try Workspace()
        for path in [workspace.url.path, workspace.path("none/bench.json")] {
            let run = try runNeuroemu(["bench", "--suite", "cuba-4k", "--json", path, "--save-networks", workspace.path("networks")], keepingOutput: true)
            #expect(run.status == 73 && run.standardError.contains("error: \(path): cannot write: "), "\(run.standardError)")
            #expect(!run.standardOutput.contains("cuba-4k") && workspace.contents.isEmpty, "\(path)")
        }
    }

    /// A short run prints one row per case and writes the documented JSON; the network file it
    /// saves runs with `neuroemu run` to the same digest.
    @Test func shortRunWritesTheJSONAndTheNetworkFiles() throws {
        let workspace = try Workspace()
        let json = workspace.path("bench.json")
        let status = CommandLineTool.main(["bench", "--suite", "dense-1k", "--router", "ideal", "--steps", "5", "--json", json, "--save-networks", workspace.url.path])
        #expect(status == CommandLineTool.ExitCode.success)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        #expect(document["format"] as? String == "neuroemu-bench/1")
        let cases = try #require(document["cases"] as? [[String: Any]])
        #expect(cases.count == 1)
        let keys = ["case", "router", "threads", "neurons", "synapses", "steps", "step_ms", "cores", "mesh", "setup_seconds", "simulation_seconds",
                    "steps_per_second", "synaptic_events", "synaptic_events_per_second", "ns_per_synaptic_event", "neuron_updates",
                    "ns_per_neuron_update", "peak_rss_bytes", "core_memory_bytes", "bytes_per_synapse", "spikes", "mean_rate_hz", "energy_uj", "digest"]
        #expect(Set(cases[0].keys) == Set(keys))
        #expect(cases[0]["neurons"] as? Int == 1_000 && cases[0]["synapses"] as? Int == 1_000_000 && cases[0]["steps"] as? Int == 5)
        #expect(workspace.contents.contains("dense-1k.network.json"))
        let network = try NetworkFile.load(path: workspace.path("dense-1k.network.json"))
        #expect(network.synapseCount == 1_000_000)
        let trace = workspace.path("dense-1k.trace")
        #expect(CommandLineTool.main(["run", workspace.path("dense-1k.network.json"), "--steps", "5", "--trace", trace, "--trace-level", "steps"]) == 0)
        let end = try #require(try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").last)
        let digest = try #require(cases[0]["digest"] as? String)
        #expect(digest.count == 16 && end.hasSuffix("digest=\(digest)"))
    }
}
