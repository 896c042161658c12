import Chip
import Foundation
import Host

/// Runs an invocation: parses, validates, runs, prints. Returns the process exit code.
enum CommandLineTool {
    /// Exit codes of sysexits.h, as command-line tools conventionally use them.
    enum ExitCode {
        static let success: Int32 = 0
        /// `verify` found a difference.
        static let mismatch: Int32 = 1
        static let usage: Int32 = 64
        static let data: Int32 = 65
        static let cannotCreate: Int32 = 73
        /// Standard output could not be written (a full disk, a closed descriptor, a pipe whose
        /// reader has gone).
        static let ioError: Int32 = 74
    }

    static func main(_ arguments: [String]) -> Int32 {
        finishStandardOutput(perform(arguments))
    }

    /// Flushes standard output at exit: a summary that never reached its file must not pass for
    /// a success. Returns `code`, or 74 when the command had succeeded but standard output failed.
    static func finishStandardOutput(_ code: Int32) -> Int32 {
        // Every stream, as Swift 6 refuses C's global `stdout`. A failure that lasts (a full disk,
        // a closed descriptor) fails this flush too, with its reason; one that passed (glibc drops
        // the bytes and only flags the stream) is not seen here.
        guard fflush(nil) != 0 else { return code }
        printError("error: standard output: \(String(cString: strerror(errno)))")
        return code == ExitCode.success ? ExitCode.ioError : code
    }

    private static func perform(_ arguments: [String]) -> Int32 {
        let invocation: Invocation
        do {
            invocation = try Invocation.parse(arguments)
        } catch {
            printError(error.description)
            return ExitCode.usage
        }
        switch invocation {
        case .version:
            print(Help.version)
            return ExitCode.success
        case .help(let topic):
            print(Help.usage(topic))
            return ExitCode.success
        case .noc(let options):
            return noc(options)
        case .bench(let options):
            return bench(options)
        case .map(let network, let options):
            return map(networkPath: network, options: options)
        case .chips(let chips, let json):
            return listChips(chips, json: json)
        case .defaultJob(let options):
            return run(networkPath: nil, options: options)
        case .run(let network, let options):
            return run(networkPath: network, options: options)
        case .verify(let network, let tracePath, let options):
            return verify(networkPath: network, tracePath: tracePath, options: options)
        case .compareChips(let network, let chips, let options):
            return compareChips(networkPath: network, chips: chips, options: options)
        }
    }

    /// Runs one network on several chips and prints the comparison table.
    static func compareChips(networkPath: String?, chips: [String], options: RunOptions) -> Int32 {
        do {
            // The JSON is written after every chip has run: a path that cannot take it fails first.
            if let path = options.jsonPath { try OutputError.checkWritable(path) }
            let loaded = try networkPath.map { path in try open(path, options) } ?? NetworkSource.Loaded(network: DefaultNetwork.load(seed: options.seed))
            let network = loaded.network
            if let problem = Simulation.scheduleProblem(network: network, steps: options.steps ?? network.steps) {
                printError("error: \(problem)")
                return ExitCode.usage
            }
            var progress: ProgressReporter?
            let comparison = try ChipComparison(
                network: network, chips: chips.isEmpty ? ChipPresets.names : chips, steps: options.steps ?? network.steps,
                threads: options.threads, placement: options.inOrderPlacement ? .inOrder : .optimized, packing: options.packing,
                maxNeuronsPerCore: options.maxNeuronsPerCore, router: options.router,
                nir: loaded.nir,
                progress: { chip, step, steps in
                    if step == 1 {
                        progress?.finish()
                        progress = ProgressReporter(label: "\(network.name) on \(chip)")
                    }
                    progress?.update(step: step, of: steps)
                })
            progress?.finish()
            print(comparison.render())
            if let path = options.jsonPath {
                try comparison.write(to: path)
                print("written         \(path)")
            }
            return ExitCode.success
        } catch {
            return failure(error)
        }
    }

    static func run(networkPath: String?, options: RunOptions) -> Int32 {
        let progress = ProgressReporter(label: networkPath.map(visible) ?? "default network")
        do {
            var chip = try ChipPresets.resolve(options.chip)
            if let router = options.router { chip.routerFidelity = router }
            if let conflict = routerConflict(chip, options) {
                printError("error: \(conflict)")
                return ExitCode.usage
            }
            if options.tracePath != nil, let problem = ChipPresets.presetNameProblem(chip, given: options.chip) {
                printError("warning: \(problem)")  // the run goes on: verify with --chip FILE works
            }
            try checkWritable(options)
            progress.phase("reading the network")
            let loaded = try networkPath.map { path in try open(path, options, chip: chip) } ?? NetworkSource.Loaded(network: DefaultNetwork.load(seed: options.seed))
            let network = loaded.network
            if let refusal = samplesFileRefusal(network: networkPath, network, options, subcommand: options.outputPath == nil ? .run : .record) { return refusal }
            var readouts: [Readout] = []
            for text in options.readouts {
                do {
                    readouts.append(try Readout.parse(text, network: network))
                } catch {
                    printError("error: \(error)")
                    return ExitCode.usage
                }
            }
            let steps = options.steps ?? network.steps
            if let problem = Simulation.scheduleProblem(network: network, steps: steps) {
                printError("error: \(problem)")
                return ExitCode.usage
            }
            let rates = try options.ratesPath.map { path throws(ConfigError) in try SpikeRates.load(path: path, for: network) }
            var simulation = try Simulation(
                network: network, chip: chip, placement: options.inOrderPlacement ? .inOrder : .optimized, rates: rates, packing: options.packing,
                maxNeuronsPerCore: options.maxNeuronsPerCore, threads: options.threads, phases: progress.phase)
            var trace = try TraceWriter(level: options.traceLevel, path: options.tracePath)
            trace.nir = loaded.nir
            let start = DispatchTime.now().uptimeNanoseconds
            var waveform: VCDWriter?
            do {
                waveform = try options.vcdPath.map { path throws(OutputError) in try VCDWriter(path: path, simulation: simulation) }
            } catch {
                trace.discard()  // the run owns the trace's temporary file only once it starts
                throw error
            }
            var recording = options.reportPath != nil || options.svgDirectory != nil
                ? RunRecording(simulation: simulation, steps: steps, keepsSpikes: options.svgDirectory != nil) : nil
            let result: RunResult
            do {
                result = try simulation.run(
                    steps: steps, threads: options.threads, trace: &trace, readouts: readouts, measuresRates: options.saveRatesPath != nil,
                    observer: waveform == nil && recording == nil ? nil : { step, engine throws(OutputError) in
                        recording?.record(step: step, engine: engine)
                        try waveform?.record(step: step, engine: engine)
                    },
                    progress: progress.update)
                try waveform?.finish()
            } catch {
                waveform?.discard()
                throw error
            }
            let wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            progress.finish()
            print(RunSummary(simulation: simulation, result: result, threads: options.threads, wallSeconds: wallSeconds).render())
            for (readout, values) in result.readouts {
                print(readout.line(values, network: network, units: loaded.voltageUnits[network.populations[readout.population].name]))
            }
            if let path = options.saveRatesPath, let rates = result.rates {
                try rates.write(to: path, order: network)
                print("saved rates     \(path)")
            }
            if let path = options.saveNetworkPath {
                try NetworkWriter.write(simulation.learnedNetwork(), to: path)
                print("saved network   \(path)")
            }
            if let tracePath = options.tracePath { print("trace           \(tracePath) (level \(options.traceLevel.rawValue))") }
            if let vcdPath = options.vcdPath { print("waveform        \(vcdPath) (VCD, timescale \(VCDTimescale(clockHertz: chip.clockHertz)))") }
            if let recording {
                let report = EnergyReport(simulation: simulation, result: result, recording: recording, traceLevel: options.traceLevel)
                if let path = options.reportPath {
                    try report.write(to: path)
                    print("report          \(path)")
                }
                if let directory = options.svgDirectory {
                    let paths = try RunPictures.write(report, to: directory)
                    print("pictures        \(paths.joined(separator: ", "))")
                }
            }
            return ExitCode.success
        } catch {
            return failure(error, network: networkPath)
        }
    }

    /// Re-runs the run a stored trace names and compares the two line by line: exit 0 on an exact
    /// match, 1 on the first difference.
    static func verify(networkPath: String, tracePath: String, options: RunOptions) -> Int32 {
        let progress = ProgressReporter(label: "verify " + visible(networkPath))
        do {
            progress.phase("checking " + visible(tracePath))
            let (header, matcher) = try TraceVerifier.open(path: tracePath)
            // A NIR file's trace says how it was converted: the re-run takes its step (as it takes
            // the seed and steps), and its input file must be given again. Which network the file
            // holds is checked first, so that a wrong file is named as such; an input file the
            // recording did not have is refused before it is read, whatever the file holds.
            if header.nir?.inputsFromFile == false, options.inputPath != nil {
                printError("error: \(tracePath) was recorded with Poisson inputs (inputs=poisson), without --input; leave --input out")
                return ExitCode.usage
            }
            progress.phase("reading the network")
            let loaded = try NetworkSource.open(
                path: networkPath, seed: header.seed, steps: header.steps, dt: options.dtSeconds, inputPath: options.inputPath, recordedDt: header.nir?.dtSeconds)
            let network = loaded.network
            guard network.name == header.network else {
                printError("error: \(tracePath) is a trace of network `\(header.network)`, but \(networkPath) describes `\(network.name)`")
                return ExitCode.data
            }
            if header.nir != nil, loaded.nir == nil {
                printError("error: \(tracePath) was recorded from a NIR file, but \(networkPath) is a network file")
                return ExitCode.data
            }
            if let recorded = header.nir?.dtSeconds, let given = options.dtSeconds, given != recorded {
                printError("error: \(tracePath) was recorded with a step of \(String(format: "%g", recorded * 1000)) ms (dt_s=\(recorded)), but --dt gives \(String(format: "%g", given * 1000)) ms; leave --dt out to use the recorded step")
                return ExitCode.usage
            }
            if header.nir?.inputsFromFile == true, options.inputPath == nil {
                printError("error: \(tracePath) was recorded with input spikes from a file (inputs=file); give the same file with --input FILE")
                return ExitCode.usage
            }
            guard options.chipGiven || ChipPresets.names.contains(header.chip) else {
                printError("error: \(tracePath) was recorded on chip `\(header.chip)`, which is not a preset; give its chip file with --chip FILE")
                return ExitCode.usage
            }
            var chip = try ChipPresets.resolve(options.chipGiven ? options.chip : header.chip)
            chip.routerFidelity = header.router
            guard chip.name == header.chip else {
                printError("error: \(tracePath) was recorded on chip `\(header.chip)`, but the chip given is `\(chip.name)`")
                return ExitCode.data
            }
            if let problem = Simulation.scheduleProblem(network: network, steps: header.steps) {
                printError("error: \(tracePath): \(problem)")
                return ExitCode.data
            }
            guard header.placement != "rates" || options.ratesPath != nil else {
                printError("error: \(tracePath) was recorded with a placement weighted by measured spike rates; give the same file with --rates FILE")
                return ExitCode.usage
            }
            let rates = try options.ratesPath.map { path throws(ConfigError) in try SpikeRates.load(path: path, for: network) }
            var simulation = try Simulation(
                network: network, chip: chip, placement: Simulation.Placement(name: header.placement) ?? .optimized,  // `rates`: optimized, weighted
                rates: header.placement == "rates" ? rates : nil, packing: header.packing, maxNeuronsPerCore: header.maxNeuronsPerCore,
                threads: options.threads, phases: progress.phase)
            // The re-run is compared as it is written, a megabyte at a time: neither trace is held.
            var trace = try TraceWriter(level: header.level, path: nil, matching: matcher)
            // A NIR trace written before its header recorded the conversion is compared as written.
            trace.nir = header.nir == nil ? nil : loaded.nir
            let result = try simulation.run(steps: header.steps, threads: options.threads, trace: &trace, progress: progress.update)
            progress.finish()
            switch try matcher.finish() {
            case .match:
                print("verify: match — \(matcher.linesCompared) lines, \(header.steps) steps, level \(header.level.rawValue), digest \(result.digest)")
                return ExitCode.success
            case let .mismatch(line, stored, rerun, context):
                // Stored lines are the file's bytes: control characters are shown escaped, as in
                // error messages, so that a damaged trace cannot drive the terminal.
                var report = ["verify: MISMATCH at line \(line) of \(visible(tracePath))"]
                report += context.enumerated().map { offset, text in "  \(line - context.count + offset): \(visible(text))" }
                report.append("- expected (stored): \(stored.isEmpty ? "<end of file>" : visible(stored))")
                report.append("+ actual (re-run):   \(rerun.isEmpty ? "<end of run>" : rerun)")
                report.append("digests: stored \(header.digest), re-run \(result.digest)")
                if !options.chipGiven && TraceVerifier.differsInChipCostsOnly(stored, rerun) {
                    // Spikes agree but cycles or energy do not: likeliest, a chip file that took a preset's name.
                    report.append("note: re-run on the preset `\(header.chip)`; if the trace was recorded with a chip file of that name, give it with --chip FILE")
                }
                print(report.joined(separator: "\n"))
                return ExitCode.mismatch
            }
        } catch {
            return failure(error, network: networkPath)
        }
    }

    /// Maps a network onto the chip without running it and prints (and optionally writes) the
    /// mapping report.
    static func map(networkPath: String, options: RunOptions) -> Int32 {
        let progress = ProgressReporter(label: "map " + visible(networkPath))
        do {
            let chip = try ChipPresets.resolve(options.chip)
            try checkWritable(options)
            progress.phase("reading the network")
            let network = try load(networkPath, options, chip: chip)
            if let refusal = samplesFileRefusal(network: networkPath, network, options, subcommand: .map) { return refusal }
            let rates = try options.ratesPath.map { path throws(ConfigError) in try SpikeRates.load(path: path, for: network) }
            let simulation = try Simulation(
                network: network, chip: chip, placement: options.inOrderPlacement ? .inOrder : .optimized, rates: rates, packing: options.packing,
                maxNeuronsPerCore: options.maxNeuronsPerCore, phases: progress.phase)
            progress.finish()
            let report = MappingReport(simulation: simulation)
            print(report.render())
            if let path = options.jsonPath {
                try report.write(to: path)
                print("written \(path)")
            }
            return ExitCode.success
        } catch {
            return failure(error, network: networkPath)
        }
    }

    /// Why `--router flit` cannot run the chip given (a board, or a chip that multicasts: only
    /// the ideal router models them; a mesh whose routers' records would not fit in memory), or
    /// nil. The conflict is the command line's, not the network's.
    static func routerConflict(_ chip: ChipDescription, _ options: RunOptions) -> String? {
        guard options.router == .flit, let problem = Simulation.routerProblem(chip) else { return nil }
        let given = FileManager.default.fileExists(atPath: options.chip) ? "the chip file \(options.chip)" : "chip \(options.chip)"
        return "--router flit cannot run \(given): \(problem); drop --router flit or give another chip"
    }

    /// Fails now as writing any output file of a run or map would fail after the work (a missing
    /// or unwritable directory, a directory at the path), so a wrong path loses no work.
    static func checkWritable(_ options: RunOptions) throws(OutputError) {
        let files = [options.tracePath, options.vcdPath, options.reportPath, options.saveNetworkPath, options.saveRatesPath, options.jsonPath]
        for path in files.compactMap({ $0 }) { try OutputError.checkWritable(path) }
        // The pictures' directory is made now (empty if the run then fails), so that a path that
        // cannot hold it fails before the work.
        if let directory = options.svgDirectory { try RunPictures.checkWritable(directory) }
    }

    /// The usage exit when an output would replace one of the network's samples files (known
    /// only once the network is read), after printing why; nil when none would.
    static func samplesFileRefusal(network path: String?, _ network: NetworkDescription, _ options: RunOptions, subcommand: Subcommand) -> Int32? {
        let samples = network.inputs.compactMap { input -> (name: String, path: String)? in
            if case .samples(let samples) = input.source { ("the samples file of input `\(input.name)`", samples.path) } else { nil }
        }
        guard !samples.isEmpty else { return nil }
        do {
            try checkOutputPaths(network: path, options, subcommand: subcommand, inputs: samples)
            return nil
        } catch {
            printError(error.description)
            return ExitCode.usage
        }
    }

    /// A network file, or a NIR file converted with `--input`, `--steps` and `--dt`; with `chip`,
    /// one whose populations cannot fit it fails before its synapses are expanded.
    static func load(_ path: String, _ options: RunOptions, chip: ChipDescription? = nil) throws -> NetworkDescription {
        try open(path, options, chip: chip).network
    }

    /// `load`, with the NIR voltage units of a NIR file's populations.
    static func open(_ path: String, _ options: RunOptions, chip: ChipDescription? = nil) throws -> NetworkSource.Loaded {
        try NetworkSource.open(
            path: path, seed: options.seed, steps: options.steps, dt: options.dtSeconds, inputPath: options.inputPath,
            threads: options.threads, chip: chip)
    }

    /// Lists the chips named (presets or chip files, each read and checked as a run reads it),
    /// or every preset; with `json`, prints the presets' chip files instead, to start one's own.
    /// Every chip named is tried: a mistake in one file does not hide those of the next (exit
    /// 65 if any had one). A file named like a preset but unlike it is warned about as `record`
    /// warns.
    static func listChips(_ chips: [String], json: Bool) -> Int32 {
        var code = ExitCode.success
        for name in chips.isEmpty ? ChipPresets.names : chips {
            if json, let text = ChipPresets.text(named: name) {
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
                continue
            }
            do {
                let chip = try ChipPresets.resolve(name)
                print(ChipPresets.listing(of: chip))
                if let problem = ChipPresets.presetNameProblem(chip, given: name) { printError("warning: \(problem)") }
            } catch {
                printError("error: \(error)")
                code = ExitCode.data
            }
        }
        return code
    }

    /// Prints a failed run's error and returns its exit code: 73 when an output file could not be
    /// written (74 when that file is `/dev/stdout`: standard output), 64 for a NIR option given
    /// with a network file (known only once the file is read), 65 for bad input files and networks
    /// that do not fit.
    static func failure(_ error: any Error, network: String? = nil) -> Int32 {
        printError(errorLine(error, network: network))
        if let output = error as? OutputError { return exitCode(output) }
        if error is NIROptionError { return ExitCode.usage }
        if let run = error as? RunError, case .output(let output) = run { return exitCode(output) }
        return ExitCode.data
    }

    /// 74 for standard output given as a file (`--trace /dev/stdout … | head`), else 73.
    static func exitCode(_ error: OutputError) -> Int32 { error.file == "/dev/stdout" ? ExitCode.ioError : ExitCode.cannotCreate }

    /// The line a failed command prints. A mapping error names the chip and the population; the
    /// network file it came from is put in front, as file errors have theirs.
    static func errorLine(_ error: any Error, network: String?) -> String {
        if error is MappingError, let network { "error: \(network): \(error)" } else { "error: \(error)" }
    }

    static func printError(_ text: String) {
        ProgressReporter.clearLine()
        StandardError.write(visible(text) + "\n")
    }

    /// `text` with control characters other than line breaks and tabs written as `\u{…}`: an
    /// error may quote a file name or an argument, which must not move the cursor or clear the screen.
    static func visible(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || (0x7F...0x9F).contains(scalar.value) {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
