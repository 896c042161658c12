import Foundation
import Host
import Testing
@testable import neuroemu

/// A small network for the `tiny` chip: spike-time and Poisson inputs into a population of three
/// Loihi neurons whose voltages are probed.
private let tinyNetwork = """
    { "format": "neuroemu-network/1", "name": "cli-small", "steps": 10, "seed": 2,
      "inputs": [{ "name": "in", "size": 2, "spike_times": [[1, 2, 3], [2, 4]] },
                 { "name": "noise", "size": 4, "poisson": { "probability": 0.3 } }],
      "populations": [{ "name": "A", "size": 3, "neuron": { "model": "loihi_lif", "du": 2048, "dv": 512, "vth": 3 } }],
      "projections": [{ "name": "in_A", "source": "in", "target": "A", "weights": [[200, 0], [100, 100], [0, 250]] },
                      { "name": "noise_A", "source": "noise", "target": "A", "random": { "p": 0.5, "weight": 30 } }],
      "probes": [{ "target": "A", "record": ["spikes", "v"] }] }
    """

/// A network presenting the 2 samples of the CSV at `samples` for 2 steps each (4 steps).
/// Input `in` (4 Poisson neurons) → population `A` (`sizeOfA` neurons) → `B` (2), all to all
/// and strong enough that each layer fires; `constraintsOfB` is added to B's object.
private func chainOfTwo(name: String, sizeOfA: Int, constraintsOfB: String = "") -> String {
    """
    { "format": "neuroemu-network/1", "name": "\(name)", "steps": 20, "seed": 3,
      "inputs": [{ "name": "in", "size": 4, "poisson": { "probability": 0.4 } }],
      "populations": [{ "name": "A", "size": \(sizeOfA), "neuron": { "model": "loihi_lif", "vth": 3 } },
                      { "name": "B", "size": 2, "neuron": { "model": "loihi_lif", "vth": 3 }\(constraintsOfB) }],
      "projections": [{ "name": "in_A", "source": "in", "target": "A", "all_to_all": { "weight": 100 } },
                      { "name": "A_B", "source": "A", "target": "B", "all_to_all": { "weight": 100 } }] }
    """
}

private func scheduledNetwork(samples: String) -> String {
    """
    {"format": "neuroemu-network/1", "name": "sched",
     "inputs": [{"name": "px", "size": 2, "samples": {"file": "\(samples)", "probability": 1}}],
     "populations": [{"name": "out", "size": 2, "neuron": {"model": "loihi_lif", "vth": 10}}],
     "projections": [{"name": "p", "source": "px", "target": "out", "all_to_all": {"weight": 100}}],
     "schedule": {"steps_per_sample": 2, "segments": [{"kind": "train"}]}}
    """
}

@Suite struct CommandLineToolTests {
    @Test func exitCodesFollowSysexits() {
        #expect(CommandLineTool.ExitCode.success == 0)
        #expect(CommandLineTool.ExitCode.mismatch == 1)
        #expect(CommandLineTool.ExitCode.usage == 64)
        #expect(CommandLineTool.ExitCode.data == 65)
        #expect(CommandLineTool.ExitCode.cannotCreate == 73)
        #expect(CommandLineTool.ExitCode.ioError == 74)
    }

    /// A summary that cannot be written (here a full device) is an I/O error, not a success.
    @Test(.enabled(if: FileManager.default.isWritableFile(atPath: "/dev/full")), arguments: [["chips"], ["run", "small", "--steps", "3"], ["map", "small"]])
    func aFullStandardOutputExits74(arguments: [String]) throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        defer { try? full.close() }
        let given = arguments.map { $0 == "small" ? network : $0 } + (arguments.count > 1 ? ["--chip", "tiny"] : [])
        let run = try runNeuroemu(given, keepingOutput: false, output: full)
        #expect(run.status == 74 && run.standardError == "error: standard output: \(String(cString: strerror(ENOSPC)))\n", "\(run.standardError)")
    }

    @Test(arguments: [["--version"], ["--help"], ["help", "run"], ["run", "--help"], ["chips"], ["chips", "-h"]])
    func informationalCommandsSucceed(arguments: [String]) {
        #expect(CommandLineTool.main(arguments) == 0)
    }

    @Test(arguments: [["--steps"], ["--threads", "0"], ["bogus"], ["run"], ["run", "a", "b"], ["chips", "--bogus"], ["chips", "--json"], ["chips", "x.json", "--json"], ["verify", "n"], ["record", "n.json"], ["--help", "nope"]])
    func usageErrorsExit64(arguments: [String]) {
        #expect(CommandLineTool.main(arguments) == 64)
    }

    /// `chips FILE` reads a chip file as a run does (a mistake: exit 65 with its JSON path) and
    /// lists it; `chips NAME --json` prints a preset's chip file, which reads back as that preset.
    @Test func chipsChecksChipFilesAndExportsPresets() throws {
        let workspace = try Workspace()
        let exported = try runNeuroemu(["chips", "tiny", "--json"], keepingOutput: true)
        #expect(exported.status == 0 && exported.standardOutput == ChipPresets.text(named: "tiny"))
        let file = try workspace.file("mine.chip.json", exported.standardOutput.replacingOccurrences(of: #""name": "tiny""#, with: #""name": "mine""#))
        #expect(try ChipPresets.resolve(file).name == "mine")
        let listed = try runNeuroemu(["chips", file, "loihi"], keepingOutput: true)
        #expect(listed.status == 0)
        #expect(listed.standardOutput == ChipPresets.listing(of: try ChipPresets.resolve(file)) + "\n" + ChipPresets.listing(of: try ChipPresets.resolve("loihi")) + "\n")
        let broken = try workspace.file("broken.chip.json", exported.standardOutput.replacingOccurrences(of: #""clock_hz": 100000000"#, with: #""clock_hz": -1"#))
        // Each chip named is tried: one file's mistake does not hide the chips after it.
        let refused = try runNeuroemu(["chips", broken, "tiny"], keepingOutput: true)
        #expect(refused.status == 65 && refused.standardError.hasPrefix("error: \(broken): $.clock_hz: "))
        #expect(refused.standardOutput == ChipPresets.listing(of: try ChipPresets.resolve("tiny")) + "\n")
    }

    @Test func runOfASmallNetworkOnTinySucceedsAndWritesItsTrace() throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--steps", "5"]) == 0)
        // No trace was asked for, so nothing but the network file exists.
        #expect(workspace.contents == ["small.network.json"])

        let trace = workspace.path("small.trace")
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--steps", "5", "--trace", trace, "--trace-level", "packets", "--threads", "2"]) == 0)
        let text = try String(contentsOfFile: trace, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "neuroemu-trace/1 network=cli-small chip=tiny seed=2 level=packets router=ideal placement=optimized")
        #expect(lines.filter { $0.hasPrefix("step ") }.count == 5)
        #expect(lines.filter { $0.hasPrefix("state ") }.count == 15)
        #expect(lines.contains { $0.hasPrefix("packet ") })
        #expect(lines.last?.hasPrefix("end steps=5 ") == true)
        #expect(workspace.contents == ["small.network.json", "small.trace"])
    }

    /// A schedule of 2 samples × 2 steps: more steps are a usage error before anything runs or
    /// any file is opened (they used to stop at an index out of range and leave a temp file).
    @Test func stepsPastTheScheduleAreAUsageError() throws {
        let workspace = try Workspace()
        _ = try workspace.file("s.csv", "1,0,0\n0,1,1\n")
        let network = try workspace.file("sched.json", scheduledNetwork(samples: "s.csv"))
        let trace = workspace.path("sched.trace")
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--steps", "5", "--trace", trace]) == 64)
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.path("")).sorted() == ["s.csv", "sched.json"])
        #expect(CommandLineTool.main(["compare-chips", network, "--chips", "tiny", "--steps", "5"]) == 64)
        #expect(Simulation.scheduleProblem(network: try NetworkFile.load(path: network), steps: 5)
            == "5 steps run past the schedule of network `sched`, which has 4; give --steps 4 or fewer")
        #expect(CommandLineTool.main(["record", network, "--chip", "tiny", "-o", trace]) == 0)
        #expect(CommandLineTool.main(["verify", network, trace, "--chip", "tiny"]) == 0)
    }

    /// An output on an input's path, or two outputs on one path, is refused before the run and
    /// every file stays as it was.
    @Test func outputsMayNotReplaceInputsOrEachOther() throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        let before = try Data(contentsOf: URL(fileURLWithPath: network))
        #expect(parseError(["run", network, "--trace", network])?.message
            == "--trace \(network) is also the network file; writing it would replace that file — give another path")
        #expect(parseError(["record", workspace.path("./small.network.json"), "-o", network])?.message.hasPrefix("-o \(network) is also the network file") == true)
        let shared = workspace.path("out")
        #expect(parseError(["run", network, "--trace", shared, "--vcd", shared])?.message
            == "--vcd \(shared) is also the --trace file; writing it would replace that file — give another path")
        #expect(parseError(["run", network, "--report", shared, "--save-rates", shared])?.message
            == "--save-rates \(shared) is also the --report file; writing it would replace that file — give another path")
        #expect(parseError(["map", network, "--json", network])?.message
            == "--json \(network) is also the network file; writing it would replace that file — give another path")
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--report", network]) == 64)
        #expect(try Data(contentsOf: URL(fileURLWithPath: network)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.path("")) == ["small.network.json"])
        #expect(parseError(["run", network, "--trace", workspace.path("a.trace"), "--vcd", workspace.path("a.vcd")]) == nil)
    }

    /// The default job refuses outputs on one path as run does, before it runs or writes
    /// anything (`--trace a --report a` left only the report in `a`).
    @Test func defaultJobOutputsMayNotReplaceEachOther() throws {
        let workspace = try Workspace()
        let shared = workspace.path("a")
        let run = try runNeuroemu(["--steps", "2", "--trace", shared, "--report", shared])
        #expect(run.status == 64 && run.standardError.hasPrefix("error: --report \(shared) is also the --trace file; writing it would replace that file"), "\(run.standardError)")
        let rates = try workspace.file("r.json", "{}")
        #expect(CommandLineTool.main(["--steps", "2", "--rates", rates, "--save-rates", rates]) == 64)
        #expect(try String(contentsOfFile: rates, encoding: .utf8) == "{}")
        #expect(workspace.contents == ["r.json"])
    }

    /// --input and --dt without a network file are usage errors, not dropped: a missing --input
    /// file passed (exit 0) where the embedded default network ran.
    @Test(arguments: [["--steps", "2", "--dt", "5", "--input", "/nonexistent.json"], ["--steps", "2", "--dt", "5"],
                      ["compare-chips", "--chips", "tiny,loihi", "--input", "/nonexistent", "--dt", "5", "--steps", "2"]])
    func nirOptionsWithoutANetworkFileExit64(arguments: [String]) throws {
        let run = try runNeuroemu(arguments)
        #expect(run.status == 64 && run.standardError.hasPrefix("error: --\(arguments.contains("--input") ? "input" : "dt") applies to NIR network files; "), "\(run.standardError)")
    }

    /// --input or --dt with a network file is the command line's mistake (64), not the file's (65);
    /// which kind the file is shows only once it is read.
    @Test func nirOptionsWithANetworkFileExit64() throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        for (extra, message) in [(["--dt", "1"], "--dt applies to NIR files; a network file is already in timesteps"),
                                 (["--input", workspace.path("x.json")], "--input applies to NIR files; a network file lists its own inputs")] {
            // map refuses --input while parsing, as an option of runs only.
            for command in [["run", network, "--chip", "tiny"], ["map", network, "--chip", "tiny"], ["compare-chips", network, "--chips", "tiny"]]
            where !(command[0] == "map" && extra[0] == "--input") {
                let run = try runNeuroemu(command + extra)
                #expect(run.status == 64 && run.standardError == "error: \(network): \(message)\n", "\(command[0]) \(extra[0]): \(run.standardError)")
            }
        }
        let trace = workspace.path("small.trace")
        #expect(CommandLineTool.main(["record", network, "--chip", "tiny", "-o", trace]) == 0)
        #expect(CommandLineTool.main(["verify", network, trace, "--dt", "1"]) == 64)
    }

    @Test func seedOptionReachesTheTraceHeader() throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        let trace = workspace.path("seeded.trace")
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--steps", "2", "--seed", "77", "--trace", trace]) == 0)
        #expect(try String(contentsOfFile: trace, encoding: .utf8).hasPrefix("neuroemu-trace/1 network=cli-small chip=tiny seed=77 level=spikes router=ideal placement=optimized\n"))
    }

    /// With either router (the flit router's runs on two threads time several steps at once).
    @Test(arguments: ["ideal", "flit"])
    func runIsRepeatableAcrossThreadCounts(router: String) throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        let one = workspace.path("one.trace")
        let two = workspace.path("two.trace")
        let options = ["--chip", "tiny", "--router", router, "--trace-level", "packets"]
        #expect(CommandLineTool.main(["run", network] + options + ["--trace", one, "--threads", "1"]) == 0)
        #expect(CommandLineTool.main(["run", network] + options + ["--trace", two, "--threads", "2"]) == 0)
        let trace = try Data(contentsOf: URL(fileURLWithPath: one))
        #expect(trace == (try Data(contentsOf: URL(fileURLWithPath: two))))
        #expect(String(decoding: trace, as: UTF8.self).contains("router=\(router)"))
    }

    /// A bad network file exits 65 with one line naming the file, the place and the rule.
    @Test func badNetworkFileExits65() throws {
        let workspace = try Workspace()
        let bad = try workspace.file("bad.network.json", tinyNetwork.replacingOccurrences(of: #""vth": 3"#, with: #""vht": 3"#))
        let broken = try workspace.file("broken.network.json", "{ \"format\": ")
        let missing = workspace.path("missing.network.json")
        for (file, message) in [
            (bad, "\(bad): $.populations[0].neuron.vht: unknown key \"vht\"; did you mean \"vth\"?"),
            (broken, "\(broken):1:13: invalid JSON: unexpected end of input; expected a value"),
            (missing, "\(missing): cannot read: no such file"),
        ] {
            let (status, errors) = try runNeuroemu(["run", file, "--chip", "tiny"])
            #expect(status == 65 && errors == "error: \(message)\n")
        }
    }

    @Test func badChipExits65() throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        let presets = ChipPresets.names.joined(separator: ", ")
        let unknown = try runNeuroemu(["run", network, "--chip", "loihy"])
        #expect(unknown.status == 65)
        #expect(unknown.standardError == "error: loihy: cannot read: no chip preset of this name (presets: \(presets); or give the path of a chip file); did you mean \"loihi\"?\n")
        let chip = try workspace.file("chip.json", ChipPresets.text(named: "tiny")!.replacingOccurrences(of: #""weight_bits": 8"#, with: #""weight_bits": 9"#))
        let invalid = try runNeuroemu(["run", network, "--chip", chip])
        #expect(invalid.status == 65 && invalid.standardError == "error: \(chip): $.core.weight_bits: must be an integer in 1…8, got 9\n")
    }

    @Test func energyBeyondWhatARunCountsExits65AndLeavesNoTrace() throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        let text = ChipPresets.text(named: "tiny")!
            .replacingOccurrences(of: #""clock_hz": 100000000"#, with: #""clock_hz": 1"#)
            .replacingOccurrences(of: #""static_power_mw": 1,"#, with: #""static_power_mw": 1000000,"#)
        let chip = try workspace.file("chip.json", text)
        let trace = workspace.path("run.trace")
        #expect(CommandLineTool.main(["run", network, "--chip", chip, "--steps", "2", "--trace", trace]) == 65)
        #expect(workspace.contents == ["chip.json", "small.network.json"])
    }

    /// Control characters quoted in an error (a file name, an argument) are shown escaped.
    @Test func errorsShowControlCharactersEscaped() {
        #expect(CommandLineTool.visible("error: bad\u{1}name\u{1B}[2J.json: cannot read") == "error: bad\\u{1}name\\u{1b}[2J.json: cannot read")
        #expect(CommandLineTool.visible("line one\n\tline two é") == "line one\n\tline two é")
        #expect(CommandLineTool.visible("\u{7F}\u{85}") == "\\u{7f}\\u{85}")
    }

    @Test func networkThatDoesNotFitExits65() throws {
        let workspace = try Workspace()
        // Nine 64-neuron populations: tiny has eight 64-neuron cores. (Small populations would
        // share a core and fit.)
        let populations = (0..<9).map { #"{ "name": "p\#($0)", "size": 64, "neuron": { "model": "loihi_lif", "vth": 1 } }"# }.joined(separator: ", ")
        let network = try workspace.file("wide.network.json", #"{ "format": "neuroemu-network/1", "name": "wide", "steps": 2, "populations": [\#(populations)] }"#)
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny"]) == 65)
        // The 4,000-neuron default network does not fit tiny's 512 neurons either.
        #expect(CommandLineTool.main(["--chip", "tiny", "--steps", "1"]) == 65)
        // The error names the network file as well as the chip and the population.
        let error = MappingError.outOfCores(population: "p8", neuron: 0, chip: "tiny", cores: 8)
        #expect(CommandLineTool.errorLine(error, network: network) == "error: \(network): \(error)")
        #expect(CommandLineTool.errorLine(error, network: nil) == "error: \(error)")
        #expect(CommandLineTool.errorLine(ConfigError.unreadable(file: "x.json", reason: "no such file"), network: network) == "error: x.json: cannot read: no such file")
    }

    @Test func traceInAMissingDirectoryExits73AndLeavesNothing() throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        let trace = workspace.path("no/such/dir/run.trace")
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--steps", "2", "--trace", trace]) == 73)
        #expect(!FileManager.default.fileExists(atPath: trace))
        #expect(workspace.contents == ["small.network.json"])
        // Outputs written after the run are checked before it: the run never starts, so the
        // trace it would have written beside them is not there either.
        for flag in ["--report", "--save-network", "--save-rates"] {
            let late = workspace.path("no/such/dir/out.json")
            #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--steps", "2", "--trace", workspace.path("run.trace"), flag, late]) == 73, "\(flag)")
            #expect(workspace.contents == ["small.network.json"], "\(flag)")
        }
    }

    /// Every output of run, record and map is checked before anything runs: a directory or a
    /// missing directory at its path exits 73 naming it, and no other output is written or replaced.
    @Test(arguments: ["--trace", "--vcd", "--report", "--save-network", "--save-rates", "-o", "--json"])
    func anUnwritableOutputExits73BeforeAnythingRuns(flag: String) throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        let kept = try workspace.file("keep.trace", "old\n")
        try FileManager.default.createDirectory(atPath: workspace.path("dir"), withIntermediateDirectories: false)
        for (path, reason) in [(workspace.path("dir"), "cannot write: it is a directory"), (workspace.path("none/out"), "cannot write: cannot create")] {
            let arguments = switch flag {
            case "-o": ["record", network, "--chip", "tiny", "-o", path]
            case "--json": ["map", network, "--chip", "tiny", "--json", path]
            case "--trace": ["run", network, "--chip", "tiny", "--report", workspace.path("report.json"), "--trace", path]
            default: ["run", network, "--chip", "tiny", "--trace", kept, flag, path]
            }
            let run = try runNeuroemu(arguments, keepingOutput: true)
            #expect(run.status == 73 && run.standardError.hasPrefix("error: \(path): \(reason)"), "\(flag) \(path): \(run.standardError)")
            #expect(run.standardOutput.isEmpty, "\(flag): \(run.standardOutput)")
            #expect(workspace.contents == ["dir", "keep.trace", "small.network.json"], "\(flag)")
            #expect(try String(contentsOfFile: kept, encoding: .utf8) == "old\n", "\(flag)")
        }
    }

    /// A pictures directory that cannot be made (a file on its path) fails before the network
    /// is read, as the files do (here the network file would fail too, later).
    @Test func anSVGDirectoryThatCannotBeMadeExits73BeforeAnythingRuns() throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", "{ not json")
        let kept = try workspace.file("keep.trace", "old\n")
        let blocked = workspace.path("keep.trace/pictures")
        let run = try runNeuroemu(["run", network, "--chip", "tiny", "--report", workspace.path("report.json"), "--svg", blocked], keepingOutput: true)
        #expect(run.status == 73 && run.standardError.hasPrefix("error: \(blocked): cannot write: cannot create the directory: \(kept) is a file"), "\(run.standardError)")
        #expect(run.standardOutput.isEmpty)
        #expect(workspace.contents == ["keep.trace", "small.network.json"])
    }

    /// --router flit on a chip only the ideal router models is the command line's conflict, not
    /// the network's: exit 64 naming the option and the chip file, before any output is opened.
    @Test(arguments: [
        (#""pipeline_cycles": 1 }"#, #""pipeline_cycles": 1, "multicast": true }"#, "chip `tiny` multicasts; multicast route trees are modelled by the ideal router only"),
        (#""static_power_mw": 1,"#, #""static_power_mw": 1, "board": { "chips_x": 2, "chips_y": 1, "link": { "cycles": 20, "energy_pj": 50 } },"#,
         "`tiny` is a board of 2 chips; boards run with the ideal router (the flit model times one chip)"),
    ])
    func flitRouterOnAChipOnlyTheIdealRouterModelsIsAUsageError(find: String, replacement: String, problem: String) throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        let text = try #require(ChipPresets.text(named: "tiny"))
        #expect(text.contains(find))
        let chip = try workspace.file("chip.json", text.replacingOccurrences(of: find, with: replacement))
        for subcommand in [["run", network], ["record", network, "-o", workspace.path("r.trace")]] {
            let run = try runNeuroemu(subcommand + ["--chip", chip, "--router", "flit", "--trace-level", "steps"], keepingOutput: true)
            #expect(run.status == 64, "\(run.standardError)")
            #expect(run.standardError == "error: --router flit cannot run the chip file \(chip): \(problem); drop --router flit or give another chip\n")
            #expect(run.standardOutput.isEmpty && workspace.contents == ["chip.json", "small.network.json"])
        }
        // The ideal router, the chip file's own, runs it.
        #expect(CommandLineTool.main(["run", network, "--chip", chip, "--router", "ideal", "--steps", "2"]) == 0)
    }

    @Test func readouts() throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--steps", "3", "--readout", "A:counts", "--readout", "A:argmax"]) == 0)
        for (readout, message) in [
            ("B:counts", "--readout: no population named 'B'; populations: A"),
            ("A:median", "--readout: unknown mode 'median'; modes: counts, mean_v, last_v, argmax"),
            ("A", "--readout takes POP:MODE, got 'A'"),
        ] {
            let (status, errors) = try runNeuroemu(["run", network, "--chip", "tiny", "--steps", "3", "--readout", readout])
            #expect(status == 64 && errors.hasPrefix("error: \(message)\n"), "\(errors)")
        }
    }

    @Test func saveNetworkWritesAFileThatReadsBackEqual() throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        let saved = workspace.path("saved.network.json")
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--steps", "2", "--save-network", saved]) == 0)
        // No learning rule: the saved network is the loaded one.
        #expect(try NetworkFile.load(path: saved) == NetworkFile.load(path: network))
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--steps", "2", "--save-network", workspace.path("none/x.json")]) == 73)
    }

    /// A samples input's CSV path is written relative to where the network is saved, so the
    /// saved file runs from another directory with the same result.
    /// A network's samples file is an input too: no output may replace it. And the pictures
    /// `--svg DIR` writes are outputs of their own.
    @Test func outputsMayNotReplaceASamplesFileOrAPicture() throws {
        let workspace = try Workspace()
        let csv = try workspace.file("s.csv", "1,0,0\n0,1,1\n")
        let network = try workspace.file("sched.json", scheduledNetwork(samples: "s.csv"))
        for flag in ["--report", "--trace", "--save-network"] {
            #expect(CommandLineTool.main(["run", network, "--chip", "tiny", flag, csv]) == 64, "\(flag)")
        }
        #expect(CommandLineTool.main(["map", network, "--chip", "tiny", "--json", csv]) == 64)
        #expect(try String(contentsOfFile: csv, encoding: .utf8) == "1,0,0\n0,1,1\n")
        #expect(workspace.contents == ["s.csv", "sched.json"])
        let pictures = workspace.path("pictures")
        #expect(parseError(["run", network, "--svg", pictures, "--trace", pictures + "/raster.svg"])
            == UsageError(message: "--svg \(pictures)/raster.svg is also the --trace file; writing it would replace that file — give another path", subcommand: .run))
        #expect(parseError(["run", pictures + "/steps.svg", "--svg", pictures])
            == UsageError(message: "--svg \(pictures)/steps.svg is also the network file; writing it would replace that file — give another path", subcommand: .run))
    }

    /// A run stopped by a signal (Ctrl-C, SIGTERM, a closed terminal's SIGHUP, SIGQUIT (Ctrl-\),
    /// `kill -PIPE`, the user signals, an alarm) leaves neither its trace nor the trace's
    /// temporary file, and ends as the signal ends it.
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM])
    func aSignalledRunLeavesNoTemporaryFile(signal: Int32) throws {
        let workspace = try Workspace()
        let run = try startLongRun(in: workspace)
        kill(run.pid, signal)
        #expect(run.termination(within: 10) == .signalled(signal))
        #expect(workspace.contents == ["small.network.json"])
    }

    /// A signal ends the process even while its standard output is blocked on a pipe nobody
    /// reads (its lock held by the writing thread, so flushing it would wait for ever).
    @Test func aSignalEndsAProcessBlockedOnStandardOutput() throws {
        try #require(FileManager.default.isExecutableFile(atPath: neuroemuExecutable), "neuroemu is built beside the test bundle")
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        defer { close(ends[0]) }
        // 3,000 listings of a preset: megabytes, far beyond the pipe's buffer.
        let run = try SpawnedNeuroemu(["chips"] + Array(repeating: "loihi", count: 3_000), standardOutput: ends[1])
        close(ends[1])
        usleep(500_000)
        #expect(run.termination(within: 0) == nil, "blocked writing")
        kill(run.pid, SIGTERM)
        #expect(run.termination(within: 10) == .signalled(SIGTERM))
    }

    /// A signal the run was started ignoring (SIGHUP under `nohup`) does not stop it.
    @Test func aSignalIgnoredAtStartStaysIgnored() throws {
        let workspace = try Workspace()
        let run = try startLongRun(in: workspace, ignoring: ["HUP"])
        kill(run.pid, SIGHUP)
        #expect(run.termination(within: 0.5) == nil, "SIGHUP stayed ignored")
        kill(run.pid, SIGTERM)
        #expect(run.termination(within: 10) == .signalled(SIGTERM))
        #expect(workspace.contents == ["small.network.json"])
    }

    /// Standard output whose reader has gone (`neuroemu run … | head -1`) is a write error the
    /// run reports, not a SIGPIPE that ends it unheard: 74, for the summary and for a trace
    /// written to it, whose companion outputs leave no temporary file behind.
    @Test func aClosedStandardOutputIsReported() throws {
        try #require(FileManager.default.isExecutableFile(atPath: neuroemuExecutable), "neuroemu is built beside the test bundle")
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        let errors = workspace.path("errors.txt")
        let brokenPipe = String(cString: strerror(EPIPE))
        let cases: [(arguments: [String], termination: Termination, error: String)] = [
            (["--steps", "3"], .exited(74), "error: standard output: \(brokenPipe)\n"),
            (["--steps", "2000", "--trace", "/dev/stdout", "--vcd", workspace.path("waves.vcd")], .exited(74), "error: /dev/stdout: cannot write: \(brokenPipe)\n"),
        ]
        for (arguments, termination, error) in cases {
            let output = try pipeWithoutReader()
            let run = try SpawnedNeuroemu(["run", network, "--chip", "tiny"] + arguments, standardOutput: output, standardError: errors)
            close(output)
            #expect(run.termination(within: 60) == termination, "\(arguments)")
            #expect(try String(contentsOfFile: errors, encoding: .utf8) == error, "\(arguments)")
            #expect(workspace.contents == ["errors.txt", "small.network.json"], "\(arguments)")
        }
    }

    /// A write past the file-size limit (`ulimit -f`) fails as a full disk does: exit 73 naming
    /// the file, its temporary file removed; the process is not ended by SIGXFSZ.
    @Test func aFileSizeLimitIsAWriteError() throws {
        try #require(FileManager.default.isExecutableFile(atPath: neuroemuExecutable), "neuroemu is built beside the test bundle")
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        let errors = workspace.path("errors.txt")
        let run = try SpawnedNeuroemu(["run", network, "--chip", "tiny", "--steps", "2000", "--trace", workspace.path("big.trace")], standardError: errors, limits: ["-f 1"])
        #expect(run.termination(within: 60) == .exited(73))
        #expect(try String(contentsOfFile: errors, encoding: .utf8) == "error: \(workspace.path("big.trace")): cannot write: \(String(cString: strerror(EFBIG)))\n")
        #expect(workspace.contents == ["errors.txt", "small.network.json"])
    }

    /// An error message that stderr cannot take (closed, or full) is dropped and the command
    /// still ends with its exit code (the write used to stop the process: signal 4).
    @Test func anUnwritableStandardErrorKeepsTheExitCode() throws {
        try #require(FileManager.default.isExecutableFile(atPath: neuroemuExecutable), "neuroemu is built beside the test bundle")
        let workspace = try Workspace()
        let missing = workspace.path("missing.network.json")
        let full = try SpawnedNeuroemu(["run", missing], standardError: "/dev/full")
        #expect(full.termination(within: 60) == .exited(65))
        let closed = try SpawnedNeuroemu(["run", missing], closingStandardError: true)
        #expect(closed.termination(within: 60) == .exited(65))
    }

    /// Starts a run of `small.network.json` (written into `workspace`) long enough to be
    /// stopped, its trace `long.trace`, and waits until it has created the trace's temporary file
    /// and written for a moment. `ignoring` names signals it starts ignoring.
    private func startLongRun(in workspace: borrowing Workspace, ignoring ignored: [String] = []) throws -> SpawnedNeuroemu {
        try #require(FileManager.default.isExecutableFile(atPath: neuroemuExecutable), "neuroemu is built beside the test bundle")
        let network = try workspace.file("small.network.json", tinyNetwork)
        let trace = workspace.path("long.trace")
        // Without core dumps: SIGQUIT's default action would leave one in the working directory.
        let run = try SpawnedNeuroemu(["run", network, "--chip", "tiny", "--steps", "20000000", "--trace", trace], ignoring: ignored, limits: ["-c 0"])
        var waited = 0
        while !FileManager.default.fileExists(atPath: trace + ".tmp-\(run.pid)"), waited < 600 {
            usleep(50_000)
            waited += 1
        }
        #expect(waited < 600, "the run wrote its trace")
        usleep(200_000)
        return run
    }

    @Test func savedNetworkFindsItsSamplesFromAnotherDirectory() throws {
        let workspace = try Workspace()
        try FileManager.default.createDirectory(atPath: workspace.path("data"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: workspace.path("nets/saved"), withIntermediateDirectories: true)
        _ = try workspace.file("data/s.csv", "1,0,0\n0,1,1\n")
        let network = try workspace.file("nets/sched.json", scheduledNetwork(samples: "../data/s.csv"))
        let saved = workspace.path("nets/saved/again.json")
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--save-network", saved]) == 0)
        #expect(try String(contentsOfFile: saved, encoding: .utf8).contains(#""file": "../../data/s.csv""#))
        let reread = try NetworkFile.load(path: saved)
        #expect(reread.inputs.map(\.name) == ["px"])
        #expect(CommandLineTool.main(["record", network, "--chip", "tiny", "-o", workspace.path("a.trace")]) == 0)
        #expect(CommandLineTool.main(["record", saved, "--chip", "tiny", "-o", workspace.path("b.trace")]) == 0)
        let digests = try ["a.trace", "b.trace"].map { try String(contentsOfFile: workspace.path($0), encoding: .utf8).split(separator: "\n").last ?? "" }
        #expect(digests[0] == digests[1] && digests[0].hasPrefix("end steps=4 "))
    }

    /// `--packing population` gives each population cores of its own: the trace header says so
    /// (a packed run's header is as it always was), verify re-runs it that way, and the report's
    /// population rows then hold all of the cores' energy.
    @Test func packingPerPopulationIsRecordedAndVerified() throws {
        let workspace = try Workspace()
        let network = try workspace.file("two.network.json", chainOfTwo(name: "two", sizeOfA: 3))
        let packed = workspace.path("packed.trace")
        let apart = workspace.path("apart.trace")
        let report = workspace.path("apart.json")
        #expect(CommandLineTool.main(["record", network, "--chip", "tiny", "-o", packed]) == 0)
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--packing", "population", "--trace", apart, "--report", report]) == 0)
        let headers = try [packed, apart].map { try String(contentsOfFile: $0, encoding: .utf8).prefix { $0 != "\n" } }
        #expect(headers[0] == "neuroemu-trace/1 network=two chip=tiny seed=3 level=spikes router=ideal placement=optimized")
        #expect(headers[1] == headers[0] + " packing=population")
        #expect(CommandLineTool.main(["verify", network, apart]) == 0)
        #expect(CommandLineTool.main(["verify", network, packed]) == 0)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        let rows = try #require(json?["populations"] as? [[String: Any]])
        let cores = try #require(json?["cores"] as? [[String: Any]])
        #expect(rows.count == 2 && cores.count == 2, "one core each")
        #expect(rows.map { $0["name"] as? String } == ["A", "B"])
        #expect(rows.map { $0["shared_cores"] as? Int } == [0, 0])
        let energy = { (objects: [[String: Any]]) in objects.compactMap { $0["energy_fj"] as? Int }.reduce(0, +) }
        #expect(energy(rows) == energy(cores) && energy(rows) > 0)
    }

    /// A population pinned to a tile in the file and `--max-neurons-per-core` on the command
    /// line: `map` shows the slices and tiles, the trace header records the cap, and verify
    /// re-runs both (the pins from the file, the cap from the header).
    @Test func constraintsAndANeuronCapAreMappedRecordedAndVerified() throws {
        let workspace = try Workspace()
        let network = try workspace.file("pinned.network.json", chainOfTwo(name: "pinned", sizeOfA: 5, constraintsOfB: #", "constraints": { "tiles": [[1, 1]] }"#))
        let map = try runNeuroemu(["map", network, "--chip", "tiny", "--max-neurons-per-core", "2"], keepingOutput: true)
        #expect(map.status == 0)
        let rows = map.standardOutput.split(separator: "\n").filter { $0.hasSuffix("]") }
        // A in slices of 2 (three cores, placed by the placer), B alone on a core of tile (1, 1).
        #expect(rows.filter { $0.contains("A[") }.count == 3)
        #expect(rows.filter { $0.contains("B[") }.map { $0.contains("(1, 1)") && !$0.contains("A[") } == [true])
        #expect(map.standardOutput.contains("\nconstraints: at most 2 neurons of a population per core (--max-neurons-per-core); `B` on tile (1, 1)\n"))
        let trace = workspace.path("capped.trace")
        #expect(CommandLineTool.main(["record", network, "--chip", "tiny", "--max-neurons-per-core", "2", "-o", trace]) == 0)
        let text = try String(contentsOfFile: trace, encoding: .utf8)
        #expect(text.hasPrefix("neuroemu-trace/1 network=pinned chip=tiny seed=3 level=spikes router=ideal placement=optimized max_neurons_per_core=2\n"))
        #expect(CommandLineTool.main(["verify", network, trace]) == 0)
        // The energy report and compare-chips' JSON record how the network was mapped.
        let report = workspace.path("capped.json")
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--max-neurons-per-core", "2", "--report", report]) == 0)
        let reportJSON = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any])
        let mapping = try #require(reportJSON["mapping"] as? [String: Any])
        #expect(mapping["placement"] as? String == "optimized" && mapping["packing"] as? String == "packed" && mapping["max_neurons_per_core"] as? Int == 2)
        let constraints = try #require(mapping["constraints"] as? [[String: Any]])
        #expect(constraints.count == 1 && constraints[0]["population"] as? String == "B" && constraints[0]["max_neurons_per_core"] is NSNull)
        #expect((constraints[0]["tiles"] as? [[String: Int]]) == [["x": 1, "y": 1]])
        let rowsPath = workspace.path("rows.json")
        #expect(CommandLineTool.main(["compare-chips", network, "--chips", "tiny", "--max-neurons-per-core", "2", "--placement", "inorder", "--json", rowsPath]) == 0)
        let compared = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: rowsPath))) as? [String: Any])
        #expect(compared["max_neurons_per_core"] as? Int == 2 && compared["placement"] as? String == "inorder")
        // Without the cap the slices differ: the header, not the command line, decides it.
        let uncapped = workspace.path("uncapped.trace")
        #expect(CommandLineTool.main(["record", network, "--chip", "tiny", "-o", uncapped]) == 0)
        #expect(try String(contentsOfFile: uncapped, encoding: .utf8).split(separator: "\n").last != text.split(separator: "\n").last)
    }

    @Test func recordThenVerify() throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        let golden = workspace.path("golden.trace")
        #expect(CommandLineTool.main(["record", network, "--chip", "tiny", "--seed", "5", "--trace-level", "packets", "-o", golden]) == 0)
        let text = try String(contentsOfFile: golden, encoding: .utf8)
        #expect(text.hasPrefix("neuroemu-trace/1 network=cli-small chip=tiny seed=5 level=packets router=ideal placement=optimized\n"))
        #expect(text.split(separator: "\n").last?.hasPrefix("end steps=10 ") == true)

        // verify re-runs with the trace's seed, level, chip and steps: an exact match.
        #expect(CommandLineTool.main(["verify", network, golden]) == 0)
        #expect(CommandLineTool.main(["verify", network, golden, "--threads", "2"]) == 0)

        // A changed line is a mismatch (exit 1).
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let stepIndex = lines.firstIndex { $0.hasPrefix("step 3 ") }!
        var tampered = lines
        tampered[stepIndex] = Substring(lines[stepIndex].replacingOccurrences(of: "step 3 cycles=", with: "step 3 cycles=1"))
        let tamperedPath = try workspace.file("tampered.trace", tampered.joined(separator: "\n"))
        #expect(CommandLineTool.main(["verify", network, tamperedPath]) == 1)
        // The report names the line and shows the three stored lines before it, both versions
        // of the line and the digests; a pipe is verified like a file.
        let mismatch = try runNeuroemu(["verify", network, tamperedPath], keepingOutput: true)
        #expect(mismatch.status == 1)
        let expectedReport = ["verify: MISMATCH at line \(stepIndex + 1) of \(tamperedPath)"]
            + (stepIndex - 3..<stepIndex).map { "  \($0 + 1): \(lines[$0])" }
            + ["- expected (stored): \(tampered[stepIndex])", "+ actual (re-run):   \(lines[stepIndex])"]
        #expect(mismatch.standardOutput.split(separator: "\n").prefix(expectedReport.count).map(String.init) == expectedReport)
        let piped = try runNeuroemu(["verify", network, "/dev/stdin"], keepingOutput: true, input: golden)
        #expect(piped.status == 0 && piped.standardOutput.hasPrefix("verify: match — \(lines.count - 1) lines, 10 steps"))
        // A pipe is copied to a temporary file: when TMPDIR leads nowhere, the error says so.
        let nowhere = workspace.path("no-such-directory")
        let stranded = try runNeuroemu(["verify", network, "/dev/stdin"], keepingOutput: false, input: golden, environment: ["TMPDIR": nowhere])
        #expect(stranded.status == 65)
        #expect(stranded.standardError.hasPrefix("error: /dev/stdin: cannot read: cannot copy the pipe to a temporary file in \(nowhere) (TMPDIR, else /tmp): "))
        // A stored line with a terminal escape is shown escaped, never sent to the terminal.
        var escaped = lines
        escaped[stepIndex] = Substring(lines[stepIndex] + "\u{1B}[2J")
        let escapedPath = try workspace.file("escaped.trace", escaped.joined(separator: "\n"))
        let escapedRun = try runNeuroemu(["verify", network, escapedPath], keepingOutput: true)
        #expect(escapedRun.status == 1 && !escapedRun.standardOutput.contains("\u{1B}"))
        #expect(escapedRun.standardOutput.contains("- expected (stored): \(lines[stepIndex])\\u{1b}[2J\n"))

        // A changed network is a mismatch too.
        let changed = try workspace.file("changed.network.json", tinyNetwork.replacingOccurrences(of: "[200, 0]", with: "[201, 0]"))
        #expect(CommandLineTool.main(["verify", changed, golden]) == 1)

        // A trace of another network, another chip, or no trace at all is a data error.
        let renamed = try workspace.file("renamed.network.json", tinyNetwork.replacingOccurrences(of: "cli-small", with: "other"))
        #expect(CommandLineTool.main(["verify", renamed, golden]) == 65)
        #expect(CommandLineTool.main(["verify", network, golden, "--chip", "loihi"]) == 65)
        #expect(CommandLineTool.main(["verify", network, workspace.path("missing.trace")]) == 65)
        let truncated = try workspace.file("truncated.trace", String(text.dropLast(10)))
        #expect(CommandLineTool.main(["verify", network, truncated]) == 65)

        // A trace recorded on a chip file that is not a preset asks for the file (usage, 64).
        let chipFile = try workspace.file("mine.chip.json", ChipPresets.text(named: "tiny")!.replacingOccurrences(of: #""name": "tiny""#, with: #""name": "mine""#))
        let mine = workspace.path("mine.trace")
        #expect(CommandLineTool.main(["record", network, "--chip", chipFile, "-o", mine]) == 0)
        #expect(CommandLineTool.main(["verify", network, mine]) == 64)
        #expect(CommandLineTool.main(["verify", network, mine, "--chip", chipFile]) == 0)

        // A trace recorded on a chip file that keeps a preset's name but differs from it (its
        // provenance aside) gets a warning: `verify` without --chip re-runs it on the preset, a
        // mismatch whose report then names the likely cause.
        let tinyText = ChipPresets.text(named: "tiny")!
        let copy = try workspace.file("copy.chip.json", tinyText.replacingOccurrences(of: #""clock_hz": "Illustrative: 100 MHz, so one cycle is 10 ns.""#, with: #""clock_hz": "Copied from the tiny preset.""#))
        #expect(try String(contentsOfFile: copy, encoding: .utf8) != tinyText)
        let copied = try runNeuroemu(["record", network, "--chip", copy, "-o", workspace.path("copy.trace")])
        #expect(copied.status == 0 && copied.standardError.isEmpty, "no warning: \(copied.standardError)")
        #expect(CommandLineTool.main(["verify", network, workspace.path("copy.trace")]) == 0)
        let impostor = try workspace.file("impostor.chip.json", tinyText.replacingOccurrences(of: #""static_power_mw": 1,"#, with: #""static_power_mw": 2,"#))
        let impostorText = try String(contentsOfFile: impostor, encoding: .utf8)
        #expect(impostorText != tinyText)
        let impostorTrace = workspace.path("impostor.trace")
        let warned = try runNeuroemu(["record", network, "--chip", impostor, "-o", impostorTrace])
        #expect(warned.status == 0)
        #expect(warned.standardError == "warning: \(impostor): the chip is named `tiny`, as the preset is, but differs from it; a trace names only its chip, so verify this one with --chip \(impostor) (without it, verify re-runs the preset and reports a mismatch), or give the chip file a name of its own\n")
        #expect(try runNeuroemu(["run", network, "--chip", impostor]).standardError.isEmpty, "a run without a trace is not warned")
        let onThePreset = try runNeuroemu(["verify", network, impostorTrace], keepingOutput: true)
        #expect(onThePreset.status == 1)
        #expect(onThePreset.standardOutput.hasSuffix("note: re-run on the preset `tiny`; if the trace was recorded with a chip file of that name, give it with --chip FILE\n"))
        #expect(CommandLineTool.main(["verify", network, impostorTrace, "--chip", impostor]) == 0)
    }

    @Test func defaultJobRunsTheEmbeddedNetwork() throws {
        // The one run of the 4,000-neuron default network in this suite, kept to 20 steps.
        let workspace = try Workspace()
        let trace = workspace.path("default.trace")
        #expect(CommandLineTool.main(["--steps", "20", "--trace", trace, "--trace-level", "steps", "--threads", "2"]) == 0)
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "neuroemu-trace/1 network=balanced-ei-4k chip=loihi seed=7 level=steps router=ideal placement=optimized")
        #expect(lines.filter { $0.hasPrefix("step ") }.count == 20)
        // The default network probes u and v of exc neurons 0, 1 and 2.
        #expect(lines.filter { $0.hasPrefix("state ") }.count == 60)
        #expect(lines.last?.hasPrefix("end steps=20 ") == true)
    }

    @Test func reportAndPicturesAreWrittenNextToTheRun() throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        let report = workspace.path("report.json")
        let pictures = workspace.path("pictures/nested")
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--report", report, "--svg", pictures]) == 0)
        let json = try JSONParser.parse(String(contentsOfFile: report, encoding: .utf8), file: report)
        guard case .object(let members) = json else {
            Issue.record("the report is not a JSON object")
            return
        }
        #expect(members.first?.value == .string("neuroemu-report/1"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: pictures).sorted() == ["core-energy.svg", "link-traffic.svg", "raster.svg", "steps.svg"])
    }

    @Test func picturesIntoAFileExit73BeforeRunning() throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        let blocker = try workspace.file("blocker", "x")
        let report = workspace.path("report.json")
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--svg", blocker, "--report", report]) == 73)
        // The run never started, so no report was written.
        #expect(workspace.contents == ["blocker", "small.network.json"])
    }

    @Test func compareChipsSucceedsAndRejectsAnUnknownChip() throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        #expect(CommandLineTool.main(["compare-chips", network, "--chips", "tiny,loihi", "--steps", "3"]) == 0)
        let unknown = try runNeuroemu(["compare-chips", network, "--chips", "tiny,nochip"])
        #expect(unknown.status == 65 && unknown.standardError.hasPrefix("error: nochip: cannot read: no chip preset of this name"))
        let missing = try runNeuroemu(["compare-chips", workspace.path("missing.json")])
        #expect(missing.status == 65 && missing.standardError == "error: \(workspace.path("missing.json")): cannot read: no such file\n")
    }

    /// `compare-chips --json FILE` writes the rows for scripts: the numbers of each chip that ran
    /// (the same digest `run` prints), the reason of each that did not.
    @Test func compareChipsWritesItsRowsAsJSON() throws {
        let workspace = try Workspace()
        let network = try workspace.file("small.network.json", tinyNetwork)
        let path = workspace.path("rows.json")
        #expect(CommandLineTool.main(["compare-chips", network, "--chips", "tiny,truenorth", "--steps", "4", "--json", path]) == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        #expect(json["format"] as? String == "neuroemu-compare/1" && json["steps"] as? Int == 4)
        #expect(json["placement"] as? String == "optimized" && json["packing"] as? String == "packed" && json["max_neurons_per_core"] is NSNull)
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.map { $0["chip"] as? String } == ["tiny", "truenorth"])
        #expect(rows.map { $0["outcome"] as? String } == ["ran", "ran"])
        let trace = workspace.path("tiny.trace")
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--steps", "4", "--trace", trace, "--trace-level", "steps"]) == 0)
        #expect(try String(contentsOfFile: trace, encoding: .utf8).hasSuffix("digest=\(rows[0]["digest"] as? String ?? "?")\n"))
        #expect((rows[0]["energy_fj"] as? Int ?? 0) > 0 && rows[0]["cores_used"] as? Int == 1)
        // A chip the network does not fit is a row with its reason.
        let big = try workspace.file("big.network.json", """
            { "format": "neuroemu-network/1", "name": "big", "steps": 2,
              "populations": [{ "name": "A", "size": 600, "neuron": { "model": "loihi_lif", "vth": 3 } }] }
            """)
        #expect(CommandLineTool.main(["compare-chips", big, "--chips", "tiny", "--steps", "2", "--json", path]) == 0)
        let refused = try #require((try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])?["rows"] as? [[String: Any]])
        #expect(refused.first?["outcome"] as? String == "does_not_fit" && (refused.first?["reason"] as? String)?.isEmpty == false)
    }
}
