import Host
import Testing
@testable import neuroemu



@Suite struct InvocationTests {
    // MARK: Defaults and top-level flags

    @Test func noArgumentsRunTheDefaultJobWithDefaults() throws {
        #expect(try Invocation.parse([]) == .defaultJob(RunOptions()))
        let defaults = RunOptions()
        #expect(defaults.chip == "loihi" && !defaults.chipGiven)
        #expect(defaults.steps == nil && defaults.seed == nil && defaults.tracePath == nil)
        #expect(defaults.traceLevel == .spikes && defaults.threads == 1)
        #expect(defaults.saveNetworkPath == nil && defaults.readouts.isEmpty && defaults.outputPath == nil)
    }

    @Test func version() throws {
        #expect(try Invocation.parse(["--version"]) == .version)
        #expect(try Invocation.parse(["--version", "anything"]) == .version)
    }

    @Test(arguments: [
        (["--help"], Subcommand?.none),
        (["-h"], nil),
        (["help"], nil),
        (["help", "run"], .run),
        (["--help", "record"], .record),
        (["-h", "verify"], .verify),
        (["help", "chips"], .chips),
        (["run", "--help"], .run),
        (["run", "net.json", "--steps", "3", "-h"], .run),
        (["record", "-h"], .record),
        (["verify", "a", "b", "--help"], .verify),
        (["chips", "--help"], .chips),
        (["--steps", "3", "--help"], nil),
    ])
    func helpRequests(arguments: [String], topic: Subcommand?) throws {
        #expect(try Invocation.parse(arguments) == .help(topic))
    }

    @Test func helpForAnUnknownSubcommandIsAUsageError() {
        #expect(parseError(["--help", "nope"]) == UsageError(message: "no subcommand named 'nope'", subcommand: nil))
    }

    // MARK: Options

    @Test(arguments: [
        (["--chip", "tiny"], runOptions { $0.chip = "tiny" }),
        (["--chip", "configs/chips/loihi.json"], runOptions { $0.chip = "configs/chips/loihi.json" }),
        (["--steps", "5"], runOptions { $0.steps = 5 }),
        (["--steps", "100000000"], runOptions { $0.steps = 100_000_000 }),
        (["--seed", "0"], runOptions { $0.seed = 0 }),
        (["--seed", "9223372036854775807"], runOptions { $0.seed = UInt64(Int64.max) }),
        (["--trace", "out.trace"], runOptions { $0.tracePath = "out.trace" }),
        (["--trace-level", "steps"], runOptions { $0.traceLevel = .steps }),
        (["--trace-level", "packets"], runOptions { $0.traceLevel = .packets }),
        (["--threads", "2"], runOptions { $0.threads = 2 }),
        (["--threads", "64"], runOptions { $0.threads = 64 }),
        (["--save-network", "learned.json"], runOptions { $0.saveNetworkPath = "learned.json" }),
        (["--readout", "out:counts", "--readout", "hidden:argmax"], runOptions { $0.readouts = ["out:counts", "hidden:argmax"] }),
        (["--steps", "1", "--steps", "2"], runOptions { $0.steps = 2 }),
        (["--vcd", "waves.vcd"], runOptions { $0.vcdPath = "waves.vcd" }),
        (["--report", "report.json"], runOptions { $0.reportPath = "report.json" }),
        (["--svg", "pictures"], runOptions { $0.svgDirectory = "pictures" }),
    ])
    func eachOptionOfTheDefaultJob(arguments: [String], expected: RunOptions) throws {
        #expect(try Invocation.parse(arguments) == .defaultJob(expected))
    }

    @Test func allOptionsTogetherForRun() throws {
        let parsed = try Invocation.parse([
            "run", "--chip", "tiny", "net.json", "--steps", "7", "--seed", "3", "--trace", "t.trace",
            "--trace-level", "packets", "--threads", "2", "--readout", "A:mean_v", "--save-network", "s.json",
        ])
        #expect(parsed == .run(network: "net.json", runOptions {
            $0.chip = "tiny"
            $0.steps = 7
            $0.seed = 3
            $0.tracePath = "t.trace"
            $0.traceLevel = .packets
            $0.threads = 2
            $0.readouts = ["A:mean_v"]
            $0.saveNetworkPath = "s.json"
        }))
    }

    @Test func chipGivenRecordsAnExplicitChip() throws {
        guard case .verify(_, _, let given) = try Invocation.parse(["verify", "n.json", "t.trace", "--chip", "loihi"]),
              case .verify(_, _, let defaulted) = try Invocation.parse(["verify", "n.json", "t.trace"]) else {
            Issue.record("expected verify invocations")
            return
        }
        #expect(given.chipGiven && given.chip == "loihi")
        #expect(!defaulted.chipGiven && defaulted.chip == "loihi")
    }

    @Test(arguments: ["--chip", "--steps", "--seed", "--trace", "--trace-level", "--threads", "--save-network", "--readout", "--vcd", "--report", "--svg"])
    func optionWithoutItsValue(flag: String) {
        #expect(parseError([flag]) == UsageError(message: "\(flag) needs a value", subcommand: nil))
        #expect(parseError(["run", "net.json", flag]) == UsageError(message: "\(flag) needs a value", subcommand: .run))
        // The next option is not taken as the value.
        #expect(parseError([flag, "--threads", "2"]) == UsageError(message: "\(flag) needs a value", subcommand: nil))
        // An empty value (`--trace ""`) is refused before anything runs.
        #expect(parseError(["run", "net.json", flag, ""]) == UsageError(message: "\(flag) needs a value, not an empty one", subcommand: .run))
    }

    @Test(arguments: [
        (["--steps", "0"], "--steps must be an integer in 1…100000000, got '0'"),
        (["--steps", "100000001"], "--steps must be an integer in 1…100000000, got '100000001'"),
        (["--steps", "ten"], "--steps must be an integer in 1…100000000, got 'ten'"),
        (["--steps", "-5"], "--steps must be an integer in 1…100000000, got '-5'"),
        (["--steps", "2.5"], "--steps must be an integer in 1…100000000, got '2.5'"),
        (["--seed", "-1"], "--seed must be an integer in 0…9223372036854775807, got '-1'"),
        (["--seed", "9223372036854775808"], "--seed must be an integer in 0…9223372036854775807, got '9223372036854775808'"),
        (["--threads", "0"], "--threads must be an integer in 1…64, got '0'"),
        (["--threads", "65"], "--threads must be an integer in 1…64, got '65'"),
        (["--trace-level", "all"], "--trace-level must be one of steps, spikes, packets; got 'all'"),
        (["--frobnicate"], "unknown option '--frobnicate'"),
        (["-x"], "unknown option '-x'"),
        (["--steps", "3", "net.json"], "unexpected argument 'net.json'"),
    ])
    func badOptionsOfTheDefaultJob(arguments: [String], message: String) {
        #expect(parseError(arguments) == UsageError(message: message, subcommand: nil))
    }

    /// The default job is a run without a network file, and checks its outputs as run does:
    /// two outputs on one path lost one of them, and --save-rates replaced the --rates it read.
    @Test func defaultJobRefusesOutputsOnAnotherFilesPath() {
        func refusal(_ message: String) -> UsageError { UsageError(message: message + "; writing it would replace that file — give another path", subcommand: nil) }
        #expect(parseError(["--steps", "2", "--trace", "a", "--report", "a"]) == refusal("--report a is also the --trace file"))
        #expect(parseError(["--trace", "t", "--save-network", "t"]) == refusal("--save-network t is also the --trace file"))
        #expect(parseError(["--rates", "r.json", "--save-rates", "r.json"]) == refusal("--save-rates r.json is also the --rates file"))
        // Both writers used one temporary name: the second failed with "No such file or directory".
        #expect(parseError(["--trace", "t9", "--vcd", "./t9"]) == refusal("--vcd ./t9 is also the --trace file"))
        #expect(parseError(["--trace", "a.trace", "--report", "a.json", "--rates", "r.json", "--save-rates", "s.json"]) == nil)
    }

    /// --input and --dt convert a NIR file: where the embedded network runs instead they were
    /// read and dropped (a missing --input file passed); compare-chips takes them with a NIR file.
    @Test func nirOptionsWithoutANetworkFileAreRefused() throws {
        #expect(parseError(["--steps", "2", "--dt", "5", "--input", "/nonexistent.json"]) == UsageError(
            message: "--input applies to NIR network files; the default job runs the embedded default network, which lists its own inputs (give a NIR file: `neuroemu run MODEL.nir --input FILE`)",
            subcommand: nil))
        #expect(parseError(["--dt", "5"]) == UsageError(
            message: "--dt applies to NIR network files; the default job runs the embedded default network, which is already in timesteps (give a NIR file: `neuroemu run MODEL.nir --dt MS`)",
            subcommand: nil))
        #expect(parseError(["compare-chips", "--chips", "tiny,loihi", "--input", "/nonexistent", "--dt", "5", "--steps", "2"]) == UsageError(
            message: "--input applies to NIR network files; compare-chips without a network file runs the embedded default network, which lists its own inputs (give a NIR file: `neuroemu compare-chips MODEL.nir --input FILE`)",
            subcommand: .compareChips))
        #expect(parseError(["compare-chips", "--dt", "5"]) == UsageError(
            message: "--dt applies to NIR network files; compare-chips without a network file runs the embedded default network, which is already in timesteps (give a NIR file: `neuroemu compare-chips MODEL.nir --dt MS`)",
            subcommand: .compareChips))
        #expect(try Invocation.parse(["compare-chips", "m.nir", "--input", "in.json", "--dt", "5"])
            == .compareChips(network: "m.nir", chips: [], runOptions { $0.inputPath = "in.json"; $0.dtMilliseconds = 5 }))
    }

    // MARK: Subcommands

    @Test func runTakesExactlyOneNetwork() throws {
        #expect(try Invocation.parse(["run", "net.json"]) == .run(network: "net.json", RunOptions()))
        #expect(try Invocation.parse(["run", "--steps", "4", "net.json"]) == .run(network: "net.json", runOptions { $0.steps = 4 }))
        #expect(parseError(["run"]) == UsageError(message: "missing the network file to run", subcommand: .run))
        #expect(parseError(["run", "--steps", "4"]) == UsageError(message: "missing the network file to run", subcommand: .run))
        #expect(parseError(["run", "a.json", "b.json"]) == UsageError(message: "unexpected argument 'b.json': give one network file", subcommand: .run))
        #expect(parseError(["run", "a.json", "--bogus"]) == UsageError(message: "unknown option '--bogus'", subcommand: .run))
    }

    @Test func recordIsARunThatWritesItsTrace() throws {
        let expected = Invocation.run(network: "net.json", runOptions {
            $0.outputPath = "golden.trace"
            $0.tracePath = "golden.trace"
        })
        #expect(try Invocation.parse(["record", "net.json", "-o", "golden.trace"]) == expected)
        #expect(try Invocation.parse(["record", "--output", "golden.trace", "net.json"]) == expected)
        #expect(parseError(["record", "net.json"]) == UsageError(message: "missing -o FILE: where to write the trace", subcommand: .record))
        #expect(parseError(["record", "-o", "x.trace"]) == UsageError(message: "missing the network file to record", subcommand: .record))
        #expect(parseError(["record", "a.json", "b.json", "-o", "x"]) == UsageError(message: "unexpected argument 'b.json': give one network file", subcommand: .record))
        #expect(parseError(["record", "a.json", "-o"]) == UsageError(message: "-o needs a value", subcommand: .record))
    }

    /// record writes its one trace to -o: a --trace beside it is a conflict, not silently dropped.
    @Test func recordRefusesATracePathBesideOutput() {
        #expect(parseError(["record", "net.json", "-o", "r1.trace", "--trace", "r2.trace"])
            == UsageError(message: "-o r1.trace and --trace r2.trace both name the trace record writes; give only -o FILE", subcommand: .record))
        #expect(parseError(["record", "net.json", "--trace", "r.trace", "--output", "r.trace"])
            == UsageError(message: "-o r.trace and --trace r.trace both name the trace record writes; give only -o FILE", subcommand: .record))
    }

    @Test func outputOptionBelongsToRecordOnly() {
        // `-o` outside `record` must not be accepted and then ignored: no trace would be written.
        #expect(parseError(["run", "net.json", "-o", "x.trace"]) == UsageError(message: "unknown option '-o'", subcommand: .run))
        #expect(parseError(["run", "net.json", "--output", "x.trace"]) == UsageError(message: "unknown option '--output'", subcommand: .run))
        #expect(parseError(["-o", "x.trace"]) == UsageError(message: "unknown option '-o'", subcommand: nil))
    }

    @Test func verifyTakesANetworkAndATrace() throws {
        #expect(try Invocation.parse(["verify", "net.json", "golden.trace"]) == .verify(network: "net.json", trace: "golden.trace", RunOptions()))
        #expect(try Invocation.parse(["verify", "net.json", "golden.trace", "--threads", "2", "--chip", "tiny"])
            == .verify(network: "net.json", trace: "golden.trace", runOptions { $0.threads = 2; $0.chip = "tiny" }))
        #expect(parseError(["verify", "net.json"]) == UsageError(message: "give a network file and a trace file", subcommand: .verify))
        #expect(parseError(["verify", "a", "b", "c"]) == UsageError(message: "unexpected argument 'c': give a network file and a trace file", subcommand: .verify))
    }

    @Test(arguments: [["--steps", "3"], ["--seed", "3"], ["--trace-level", "packets"], ["--placement", "inorder"], ["--packing", "population"], ["--max-neurons-per-core", "8"]])
    func verifyRejectsOptionsTheTraceDecides(extra: [String]) {
        #expect(parseError(["verify", "net.json", "golden.trace"] + extra)
            == UsageError(message: "\(extra[0]) does not apply to verify: the trace gives verify its steps, seed, level, placement, packing and neurons per core", subcommand: .verify))
    }

    @Test func neuronsPerCoreIsAPositiveCount() throws {
        #expect(try Invocation.parse(["run", "net.json", "--max-neurons-per-core", "16"]) == .run(network: "net.json", runOptions { $0.maxNeuronsPerCore = 16 }))
        #expect(try Invocation.parse(["compare-chips", "net.json", "--max-neurons-per-core", "1"]) == .compareChips(network: "net.json", chips: [], runOptions { $0.maxNeuronsPerCore = 1 }))
        for text in ["0", "-3", "many", "16777217"] {
            #expect(parseError(["map", "net.json", "--max-neurons-per-core", text])
                == UsageError(message: "--max-neurons-per-core must be a whole number of neurons, 1…16,777,216; got '\(text)'", subcommand: .map))
        }
    }

    @Test func packingIsPackedOrPopulation() throws {
        #expect(try Invocation.parse(["run", "net.json", "--packing", "population"]) == .run(network: "net.json", runOptions { $0.packing = .onePopulationPerCore; $0.packingGiven = true }))
        #expect(try Invocation.parse(["map", "net.json", "--packing", "packed"]) == .map(network: "net.json", runOptions { $0.packingGiven = true }))
        #expect(parseError(["run", "net.json", "--packing", "loose"]) == UsageError(message: "--packing must be packed or population; got 'loose'", subcommand: .run))
    }

    /// Outputs are refused for what they are, not for the trace deciding them.
    @Test(arguments: ["--save-network", "--vcd", "--report", "--svg", "--save-rates"])
    func verifyRejectsOutputs(flag: String) {
        #expect(parseError(["verify", "net.json", "golden.trace", flag, "out.file"])
            == UsageError(message: "\(flag) does not apply to verify: verify compares and writes no files; use `neuroemu run` for a run's outputs", subcommand: .verify))
    }

    /// A readout only a run prints is refused, as map and compare-chips refuse it, not ignored.
    @Test func verifyRejectsAReadout() {
        #expect(parseError(["verify", "net.json", "golden.trace", "--readout", "bogus:counts"])
            == UsageError(message: "--readout does not apply to verify: verify compares traces and prints no readouts; use `neuroemu run` for them", subcommand: .verify))
    }

    /// Rates weigh only the traffic-aware placement: beside `--placement inorder` they would be
    /// read and then ignored.
    @Test func ratesWithTheInOrderPlacementAreAUsageError() {
        for subcommand in ["run", "map"] {
            #expect(parseError([subcommand, "net.json", "--placement", "inorder", "--rates", "r.json"])
                == UsageError(message: "--rates r.json weighs the traffic-aware placement, which --placement inorder does not use: give one of them", subcommand: subcommand == "run" ? .run : .map))
        }
        #expect(parseError(["run", "net.json", "--placement", "optimized", "--rates", "r.json"]) == nil)
    }

    @Test func verifyRejectsATraceToWrite() {
        #expect(parseError(["verify", "net.json", "golden.trace", "--trace", "t"])
            == UsageError(message: "--trace does not apply to verify: verify reads the stored trace and writes none; use `neuroemu record` to write one", subcommand: .verify))
    }

    @Test func compareChipsTakesAnOptionalNetworkAndAChipList() throws {
        #expect(try Invocation.parse(["compare-chips"]) == .compareChips(network: nil, chips: [], RunOptions()))
        #expect(try Invocation.parse(["compare-chips", "net.json", "--chips", "loihi, tiny", "--chips", "x.json", "--steps", "3"])
            == .compareChips(network: "net.json", chips: ["loihi", "tiny", "x.json"], runOptions { $0.chips = ["loihi", "tiny", "x.json"]; $0.steps = 3 }))
        #expect(parseError(["compare-chips", "--chips", "loihi,,tiny"])
            == UsageError(message: "--chips takes comma-separated chip names or files, e.g. loihi,truenorth; got 'loihi,,tiny'", subcommand: .compareChips))
        #expect(parseError(["compare-chips", "a.json", "b.json"])
            == UsageError(message: "unexpected argument 'b.json': give at most one network file", subcommand: .compareChips))
        #expect(parseError(["compare-chips", "--chip", "tiny"])
            == UsageError(message: "--chip does not apply to compare-chips; use --chips A,B,... and `neuroemu run` for one chip's outputs", subcommand: .compareChips))
        #expect(parseError(["compare-chips", "--chips", "tiny,loihi,tiny"])
            == UsageError(message: "--chips names tiny twice; each chip is run once", subcommand: .compareChips))
        // --chips belongs to compare-chips only.
        #expect(parseError(["run", "net.json", "--chips", "loihi"]) == UsageError(message: "unknown option '--chips'", subcommand: .run))
        #expect(try Invocation.parse(["compare-chips", "--help"]) == .help(.compareChips))
    }

    @Test(arguments: ["--steps", "--trace", "--trace-level", "--save-network", "--readout", "--vcd", "--report", "--svg", "--save-rates", "--router", "--input"])
    func mapRefusesWhatOnlyARunWrites(flag: String) {
        // --trace-level at its default is refused too: map never writes a trace.
        let value = ["--steps": "5", "--trace-level": "spikes", "--readout": "A:counts", "--router": "flit"][flag] ?? "out.file"
        #expect(parseError(["map", "net.json", flag, value])
            == UsageError(message: "\(flag) does not apply to map, which does not run the network; use `neuroemu run` for a run's outputs", subcommand: .map))
    }

    @Test func chipsTakesChipsAndJSON() throws {
        #expect(try Invocation.parse(["chips"]) == .chips([], json: false))
        #expect(try Invocation.parse(["chips", "loihi", "mine.json"]) == .chips(["loihi", "mine.json"], json: false))
        #expect(try Invocation.parse(["chips", "--json", "tiny", "loihi"]) == .chips(["tiny", "loihi"], json: true))
        #expect(parseError(["chips", "--all"]) == UsageError(message: "unknown option '--all'", subcommand: .chips))
        #expect(parseError(["chips", "--json"])
            == UsageError(message: "--json prints the chip files of the presets named: give one or more of loihi, truenorth, spinnaker2, tiny", subcommand: .chips))
        #expect(parseError(["chips", "mine.json", "--json"])
            == UsageError(message: "--json prints presets' chip files; 'mine.json' is not a preset (presets: loihi, truenorth, spinnaker2, tiny)", subcommand: .chips))
    }

    @Test(arguments: [
        ("chipz", "unknown subcommand 'chipz'; did you mean 'chips'?"),
        ("rum", "unknown subcommand 'rum'; did you mean 'run'?"),
        ("verfy", "unknown subcommand 'verfy'; did you mean 'verify'?"),
        ("rec", "unknown subcommand 'rec'; did you mean 'record'?"),
        ("compare", "unknown subcommand 'compare'; did you mean 'compare-chips'?"),
        ("net.json", "unknown subcommand 'net.json'"),
        ("simulate", "unknown subcommand 'simulate'"),
    ])
    func unknownSubcommand(word: String, message: String) {
        #expect(parseError([word]) == UsageError(message: message, subcommand: nil))
    }

    @Test func usageErrorDescriptionPointsToTheSubcommandsHelp() {
        let error = UsageError(message: "missing the network file to run", subcommand: .run)
        #expect(error.description == "error: missing the network file to run\nsee `neuroemu run --help` for its options")
        #expect(UsageError(message: "x", subcommand: .compareChips).description == "error: x\nsee `neuroemu compare-chips --help` for its options")
        #expect(UsageError(message: "x", subcommand: nil).description == "error: x\nsee `neuroemu --help` for the commands and options")
    }
}
