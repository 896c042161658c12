import Foundation
import Host
import Router

/// A parsed command line: what to do and with which options.
enum Invocation: Equatable {
    /// `neuroemu [options]`: the main job, a run of the embedded default network.
    case defaultJob(RunOptions)
    /// `neuroemu run NETWORK [options]`.
    case run(network: String, RunOptions)
    /// `neuroemu record NETWORK -o FILE [options]`: a run that writes its trace.
    /// `neuroemu verify NETWORK FILE [options]`.
    case verify(network: String, trace: String, RunOptions)
    /// `neuroemu chips [NAME|FILE ...] [--json]`: no chips named lists every preset.
    case chips([String], json: Bool)
    /// `neuroemu map NETWORK [options]`: how the network maps onto the chip, without running it.
    case map(network: String, RunOptions)
    /// `neuroemu noc --mesh WxH ...`: synthetic traffic on the flit-level mesh.
    case noc(NoCOptions)
    /// `neuroemu compare-chips [NETWORK] [--chips A,B,...] [options]`; no network: the default one.
    case compareChips(network: String?, chips: [String], RunOptions)
    /// `neuroemu bench [--suite NAME] [--json FILE] ...`: the benchmark suite.
    case bench(BenchOptions)
    /// `--help` of the tool or of one subcommand.
    case help(Subcommand?)
    /// `--version`.
    case version
}

enum Subcommand: String, CaseIterable {
    case run, record, verify, chips
    case compareChips = "compare-chips"
    case noc
    case map
    case bench
}

/// Options shared by the default job and `run`.
struct RunOptions: Equatable {
    var chip = "loihi" {
        didSet { chipGiven = true }
    }
    /// True when `--chip` was given (verify then overrides the trace header's chip).
    var chipGiven = false
    var steps: Int?
    var seed: UInt64?
    var tracePath: String?
    var traceLevel = TraceLevel.spikes {
        didSet { traceLevelGiven = true }
    }
    /// True when `--trace-level` was given (map refuses it even at its default).
    var traceLevelGiven = false
    var threads = 1
    var saveNetworkPath: String?
    /// `map --json FILE` and `compare-chips --json FILE`: the report as JSON.
    var jsonPath: String?
    /// `--router ideal|flit`: overrides the chip file's network model.
    var router: RouterFidelity?
    /// `--placement inorder`: keep cores in order instead of the placer's traffic-aware placement.
    var inOrderPlacement = false
    /// True when `--placement` was given (verify takes the placement from the trace header).
    var placementGiven = false
    /// `--packing population`: each population on cores of its own, so that per-core energy is
    /// per-population energy.
    var packing: Partitioner.Packing = .packed
    /// True when `--packing` was given (verify takes the packing from the trace header).
    var packingGiven = false
    /// `--max-neurons-per-core N`: at most N neurons of any one population per core.
    var maxNeuronsPerCore: Int?
    /// `--rates FILE`: spike counts of an earlier run to weigh the placer; `--save-rates FILE`.
    var ratesPath: String?
    var saveRatesPath: String?
    /// `POP:MODE` texts, checked against the network once it is loaded.
    var readouts: [String] = []
    /// `record -o FILE`.
    var outputPath: String?
    /// `--vcd FILE`: the run's waveform (Value Change Dump).
    var vcdPath: String?
    /// `--report FILE`: the energy report (JSON, docs/report.md).
    var reportPath: String?
    /// `--svg DIR`: pictures of the run.
    var svgDirectory: String?
    /// `compare-chips --chips A,B,...`: chip presets or files.
    var chips: [String] = []
    /// NIR runs: `--input FILE` (input spikes per NIR Input node) and `--dt MS` (step length).
    var inputPath: String?
    var dtMilliseconds: Double?

    /// `--dt` in seconds, the unit of NIR's time constants.
    var dtSeconds: Double? { dtMilliseconds.map { $0 / 1000 } }
}

/// Every output is written whole through a temp file and then renamed over its path, so an output
/// on an input's path replaces that input, and two outputs on one path lose one of them: both
/// are refused before anything runs.
///
/// `inputs` adds files known only once the network is read (its samples files), named for the message.
func checkOutputPaths(network: String?, _ options: RunOptions, subcommand: Subcommand?, inputs: [(name: String, path: String)] = []) throws(UsageError) {
    let chipFile = options.chipGiven && FileManager.default.fileExists(atPath: options.chip) ? options.chip : nil
    var taken: [String: String] = [:]
    for (name, path) in [("the network file", network), ("the chip file", chipFile), ("--rates", options.ratesPath), ("--input", options.inputPath)] + inputs.map({ ($0.name, $0.path) }) {
        if let path { taken[filePlace(path)] = name }
    }
    // --svg writes its pictures into the directory: each picture is an output of its own.
    let pictures = options.svgDirectory.map { directory in RunPictures.fileNames.map { ("--svg", Optional((directory as NSString).appendingPathComponent($0))) } } ?? []
    let outputs = [
        (subcommand == .record ? "-o" : "--trace", options.tracePath), ("--vcd", options.vcdPath), ("--report", options.reportPath),
        ("--save-network", options.saveNetworkPath), ("--save-rates", options.saveRatesPath), ("--svg", options.svgDirectory), ("--json", options.jsonPath),
    ] + pictures
    for (flag, path) in outputs {
        guard let path else { continue }
        if let owner = taken[filePlace(path)] {
            let what = owner.hasPrefix("-") ? "the \(owner) file" : owner
            throw UsageError(message: "\(flag) \(path) is also \(what); writing it would replace that file — give another path", subcommand: subcommand)
        }
        taken[filePlace(path)] = flag
    }
}

/// Where `path` leads, to tell whether two paths name one file: absolute, `.` and `..` removed and
/// symbolic links resolved (`out/../a.json` and a link to `a.json` are `a.json`).
func filePlace(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }

/// `--input` and `--dt` convert a NIR file; without a network file the embedded default network
/// runs and they would be dropped unread, so they are refused. `runs` says what runs instead.
func refuseNIROptions(_ options: RunOptions, runs: String, example: String, subcommand: Subcommand?) throws(UsageError) {
    for (flag, given, value, reason) in [
        ("--input", options.inputPath != nil, "FILE", "which lists its own inputs"), ("--dt", options.dtMilliseconds != nil, "MS", "which is already in timesteps"),
    ] where given {
        throw UsageError(message: "\(flag) applies to NIR network files; \(runs) runs the embedded default network, \(reason) (give a NIR file: `\(example) \(flag) \(value)`)", subcommand: subcommand)
    }
}

/// A mistake on the command line: exits 64 with the message and the usage text.
struct UsageError: Error, CustomStringConvertible, Equatable {
    var message: String
    var subcommand: Subcommand?

    /// The message and where the options are, not the whole help: one line a terminal keeps
    /// in view (the help ran to fifty lines and scrolled the message away).
    var description: String {
        "error: \(message)\n" + (subcommand.map { "see `neuroemu \($0.rawValue) --help` for its options" } ?? "see `neuroemu --help` for the commands and options")
    }
}

extension Invocation {
    static func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        var remaining = arguments[...]
        if remaining.first == "--version" { return .version }
        if remaining.first == "--help" || remaining.first == "-h" || remaining.first == "help" {
            guard remaining.count > 1 else { return .help(nil) }
            guard let topic = Subcommand(rawValue: remaining[remaining.startIndex + 1]) else {
                throw UsageError(message: "no subcommand named '\(remaining[remaining.startIndex + 1])'", subcommand: nil)
            }
            return .help(topic)
        }
        guard let first = remaining.first, !first.hasPrefix("-") else {
            guard let options = try parseRunOptions(&remaining, subcommand: nil) else { return .help(nil) }
            // The default job is a run without a network file: run's checks, less the network's.
            try refuseNIROptions(options, runs: "the default job", example: "neuroemu run MODEL.nir", subcommand: nil)
            try checkOutputPaths(network: nil, options, subcommand: nil)
            return .defaultJob(options)
        }
        remaining = remaining.dropFirst()
        switch Subcommand(rawValue: first) {
        case .run:
            if remaining.contains("--help") || remaining.contains("-h") { return .help(.run) }
            var network: String?
            var options = RunOptions()
            options = try parseRunOptions(&remaining, subcommand: .run, positional: { value throws(UsageError) in
                guard network == nil else { throw UsageError(message: "unexpected argument '\(value)': give one network file", subcommand: .run) }
                network = value
            }) ?? options
            guard let network else { throw UsageError(message: "missing the network file to run", subcommand: .run) }
            try checkOutputPaths(network: network, options, subcommand: .run)
            return .run(network: network, options)
        case .record:
            if remaining.contains("--help") || remaining.contains("-h") { return .help(.record) }
            var network: String?
            var options = try parseRunOptions(&remaining, subcommand: .record, positional: { value throws(UsageError) in
                guard network == nil else { throw UsageError(message: "unexpected argument '\(value)': give one network file", subcommand: .record) }
                network = value
            }) ?? RunOptions()
            guard let network else { throw UsageError(message: "missing the network file to record", subcommand: .record) }
            guard let output = options.outputPath else { throw UsageError(message: "missing -o FILE: where to write the trace", subcommand: .record) }
            // record writes one trace, to -o; a second trace path would be silently dropped.
            if let trace = options.tracePath {
                throw UsageError(message: "-o \(output) and --trace \(trace) both name the trace record writes; give only -o FILE", subcommand: .record)
            }
            options.tracePath = output
            try checkOutputPaths(network: network, options, subcommand: .record)
            return .run(network: network, options)
        case .verify:
            if remaining.contains("--help") || remaining.contains("-h") { return .help(.verify) }
            var files: [String] = []
            let options = try parseRunOptions(&remaining, subcommand: .verify, positional: { value throws(UsageError) in
                guard files.count < 2 else { throw UsageError(message: "unexpected argument '\(value)': give a network file and a trace file", subcommand: .verify) }
                files.append(value)
            }) ?? RunOptions()
            guard files.count == 2 else { throw UsageError(message: "give a network file and a trace file", subcommand: .verify) }
            // Each refusal says why verify has no use for the option: the trace decides it, or verify writes nothing.
            let fromTheTrace = "the trace gives verify its steps, seed, level, placement, packing and neurons per core"
            let writesNothing = "verify compares and writes no files; use `neuroemu run` for a run's outputs"
            for (flag, given, reason) in [
                ("--steps", options.steps != nil, fromTheTrace), ("--seed", options.seed != nil, fromTheTrace),
                ("--trace-level", options.traceLevelGiven, fromTheTrace), ("--placement", options.placementGiven, fromTheTrace), ("--packing", options.packingGiven, fromTheTrace),
                ("--max-neurons-per-core", options.maxNeuronsPerCore != nil, fromTheTrace),
                ("--trace", options.tracePath != nil, "verify reads the stored trace and writes none; use `neuroemu record` to write one"),
                ("--save-network", options.saveNetworkPath != nil, writesNothing), ("--vcd", options.vcdPath != nil, writesNothing),
                ("--report", options.reportPath != nil, writesNothing), ("--svg", options.svgDirectory != nil, writesNothing),
                ("--save-rates", options.saveRatesPath != nil, writesNothing),
                ("--readout", !options.readouts.isEmpty, "verify compares traces and prints no readouts; use `neuroemu run` for them"),
            ] where given {
                throw UsageError(message: "\(flag) does not apply to verify: \(reason)", subcommand: .verify)
            }
            return .verify(network: files[0], trace: files[1], options)
        case .map:
            if remaining.contains("--help") || remaining.contains("-h") { return .help(.map) }
            var network: String?
            let options = try parseRunOptions(&remaining, subcommand: .map, positional: { value throws(UsageError) in
                guard network == nil else { throw UsageError(message: "unexpected argument '\(value)': give one network file", subcommand: .map) }
                network = value
            }) ?? RunOptions()
            guard let network else { throw UsageError(message: "missing the network file to map", subcommand: .map) }
            for (flag, given) in [("--steps", options.steps != nil), ("--trace", options.tracePath != nil), ("--trace-level", options.traceLevelGiven), ("--save-network", options.saveNetworkPath != nil), ("--readout", !options.readouts.isEmpty), ("--vcd", options.vcdPath != nil), ("--report", options.reportPath != nil), ("--svg", options.svgDirectory != nil), ("--save-rates", options.saveRatesPath != nil), ("--router", options.router != nil), ("--input", options.inputPath != nil)] where given {
                throw UsageError(message: "\(flag) does not apply to map, which does not run the network; use `neuroemu run` for a run's outputs", subcommand: .map)
            }
            try checkOutputPaths(network: network, options, subcommand: .map)
            return .map(network: network, options)
        case .noc:
            if remaining.contains("--help") || remaining.contains("-h") { return .help(.noc) }
            return .noc(try NoCOptions.parse(&remaining))
        case .bench:
            if remaining.contains("--help") || remaining.contains("-h") { return .help(.bench) }
            return .bench(try BenchOptions.parse(&remaining))
        case .chips:
            if remaining.contains("--help") || remaining.contains("-h") { return .help(.chips) }
            let json = remaining.contains("--json")
            let chips = remaining.filter { $0 != "--json" }
            if let option = chips.first(where: { $0.hasPrefix("-") }) { throw UsageError(message: "unknown option '\(option)'", subcommand: .chips) }
            if json {
                // A chip file's own text is already at hand: --json exports what only the binary holds.
                guard !chips.isEmpty else {
                    throw UsageError(message: "--json prints the chip files of the presets named: give one or more of \(ChipPresets.names.joined(separator: ", "))", subcommand: .chips)
                }
                if let file = chips.first(where: { !ChipPresets.names.contains($0) }) {
                    throw UsageError(message: "--json prints presets' chip files; '\(file)' is not a preset (presets: \(ChipPresets.names.joined(separator: ", ")))", subcommand: .chips)
                }
            }
            return .chips(Array(chips), json: json)
        case .compareChips:
            if remaining.contains("--help") || remaining.contains("-h") { return .help(.compareChips) }
            var network: String?
            let options = try parseRunOptions(&remaining, subcommand: .compareChips, positional: { value throws(UsageError) in
                guard network == nil else { throw UsageError(message: "unexpected argument '\(value)': give at most one network file", subcommand: .compareChips) }
                network = value
            }) ?? RunOptions()
            for (flag, given) in [("--chip", options.chipGiven), ("--trace", options.tracePath != nil), ("--trace-level", options.traceLevelGiven), ("--save-network", options.saveNetworkPath != nil), ("--readout", !options.readouts.isEmpty), ("--vcd", options.vcdPath != nil), ("--report", options.reportPath != nil), ("--svg", options.svgDirectory != nil), ("--rates", options.ratesPath != nil), ("--save-rates", options.saveRatesPath != nil)] where given {
                throw UsageError(message: "\(flag) does not apply to compare-chips; use --chips A,B,... and `neuroemu run` for one chip's outputs", subcommand: .compareChips)
            }
            if network == nil {
                try refuseNIROptions(options, runs: "compare-chips without a network file", example: "neuroemu compare-chips MODEL.nir", subcommand: .compareChips)
            }
            if let twice = options.chips.enumerated().first(where: { options.chips[..<$0.offset].contains($0.element) })?.element {
                throw UsageError(message: "--chips names \(twice) twice; each chip is run once", subcommand: .compareChips)
            }
            return .compareChips(network: network, chips: options.chips, options)
        case nil:
            let near = Subcommand.allCases.map(\.rawValue).filter { $0.hasPrefix(String(first.prefix(2))) }
            throw UsageError(message: "unknown subcommand '\(first)'" + (near.isEmpty ? "" : "; did you mean '\(near[0])'?"), subcommand: nil)
        }
    }

    /// Parses run options until the arguments run out; non-option words go to `positional`
    /// (an error when there is none). Returns nil only for a bare `--help`.
    private static func parseRunOptions(
        _ arguments: inout ArraySlice<String>, subcommand: Subcommand?,
        positional: ((String) throws(UsageError) -> Void)? = nil
    ) throws(UsageError) -> RunOptions? {
        var options = RunOptions()
        func value(for flag: String) throws(UsageError) -> String {
            guard let next = arguments.popFirst(), !next.hasPrefix("--") else {
                throw UsageError(message: "\(flag) needs a value", subcommand: subcommand)
            }
            guard !next.isEmpty else { throw UsageError(message: "\(flag) needs a value, not an empty one", subcommand: subcommand) }
            return next
        }
        func integer(for flag: String, in range: ClosedRange<Int>) throws(UsageError) -> Int {
            let text = try value(for: flag)
            guard let number = Int(text), range.contains(number) else {
                throw UsageError(message: "\(flag) must be an integer in \(range.lowerBound)…\(range.upperBound), got '\(text)'", subcommand: subcommand)
            }
            return number
        }
        while let argument = arguments.popFirst() {
            switch argument {
            case "--help", "-h": return nil
            case "--chip": options.chip = try value(for: argument)
            case "--steps": options.steps = try integer(for: argument, in: 1...NetworkFile.maximumSteps)
            case "--seed": options.seed = UInt64(try integer(for: argument, in: 0...Int(Int64.max)))
            case "--trace": options.tracePath = try value(for: argument)
            case "--vcd": options.vcdPath = try value(for: argument)
            case "--report": options.reportPath = try value(for: argument)
            case "--svg": options.svgDirectory = try value(for: argument)
            case "--chips" where subcommand == .compareChips:
                let text = try value(for: argument)
                let names = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
                guard !names.contains(where: \.isEmpty) else {
                    throw UsageError(message: "--chips takes comma-separated chip names or files, e.g. loihi,truenorth; got '\(text)'", subcommand: subcommand)
                }
                options.chips += names
            case "--threads": options.threads = try integer(for: argument, in: 1...64)
            case "--save-network": options.saveNetworkPath = try value(for: argument)
            case "--save-rates": options.saveRatesPath = try value(for: argument)
            case "--json" where subcommand == .map || subcommand == .compareChips: options.jsonPath = try value(for: argument)
            case "--router" where subcommand != .verify:
                let text = try value(for: argument)
                guard let router = RouterFidelity(rawValue: text) else {
                    throw UsageError(message: "--router must be ideal or flit; got '\(text)'", subcommand: subcommand)
                }
                options.router = router
            case "--rates": options.ratesPath = try value(for: argument)
            case "--placement":
                let text = try value(for: argument)
                guard let placement = Simulation.Placement(name: text) else {
                    throw UsageError(message: "--placement must be inorder or optimized; got '\(text)'", subcommand: subcommand)
                }
                options.inOrderPlacement = placement == .inOrder
                options.placementGiven = true
            case "--packing" where subcommand != .noc && subcommand != .chips:
                let text = try value(for: argument)
                guard let packing = Partitioner.Packing(name: text) else {
                    throw UsageError(message: "--packing must be packed or population; got '\(text)'", subcommand: subcommand)
                }
                options.packing = packing
                options.packingGiven = true
            case "--max-neurons-per-core" where subcommand != .noc && subcommand != .chips:
                let text = try value(for: argument)
                guard let cap = Int(text), (1...NetworkFile.maximumSize).contains(cap) else {
                    throw UsageError(message: "--max-neurons-per-core must be a whole number of neurons, 1…\(NetworkFile.maximumSize.grouped); got '\(text)'", subcommand: subcommand)
                }
                options.maxNeuronsPerCore = cap
            case "--readout": options.readouts.append(try value(for: argument))
            case "--input" where subcommand != .noc && subcommand != .chips:
                options.inputPath = try value(for: argument)
            case "--dt" where subcommand != .noc && subcommand != .chips:
                let text = try value(for: argument)
                // Below a microsecond a NIR graph's time constants and delays become step counts
                // beyond what the chip's integers hold (and at the smallest doubles, not numbers).
                guard let dt = Double(text), dt >= 0.001, dt <= 1000 else {
                    throw UsageError(message: "--dt must be a step length in milliseconds, 0.001…1000; got '\(text)'", subcommand: subcommand)
                }
                options.dtMilliseconds = dt
            case "-o" where subcommand == .record, "--output" where subcommand == .record: options.outputPath = try value(for: argument)
            case "--trace-level":
                let text = try value(for: argument)
                guard let level = TraceLevel(rawValue: text) else {
                    throw UsageError(message: "--trace-level must be one of steps, spikes, packets; got '\(text)'", subcommand: subcommand)
                }
                options.traceLevel = level
            default:
                if argument.hasPrefix("-") {
                    throw UsageError(message: "unknown option '\(argument)'", subcommand: subcommand)
                }
                guard let positional else {
                    throw UsageError(message: "unexpected argument '\(argument)'", subcommand: subcommand)
                }
                try positional(argument)
            }
        }
        // Measured rates weigh the traffic-aware placer; the in-order placement reads no traffic.
        if options.inOrderPlacement, let rates = options.ratesPath {
            throw UsageError(message: "--rates \(rates) weighs the traffic-aware placement, which --placement inorder does not use: give one of them", subcommand: subcommand)
        }
        return options
    }
}
