import Foundation
import Host
import Router

/// `neuroemu bench`: the benchmark suite (docs/performance.md).
struct BenchOptions: Equatable {
    /// Case names, in suite order.
    var cases = BenchmarkCase.all.map(\.name)
    var routers: [RouterFidelity] = [.ideal, .flit]
    var threads: [Int] = [1]
    var steps: Int?
    var jsonPath: String?
    /// `--save-networks DIR`: write each case's network file (for other simulators and `neuroemu run`).
    var networkDirectory: String?

    /// Named groups of cases for `--suite`.
    static let suites: [String: [String]] = [
        "all": BenchmarkCase.all.map(\.name),
        "cuba": ["cuba-4k", "cuba-40k", "cuba-400k"],
        "quick": ["cuba-4k", "dense-1k", "random-4k"],
    ]

    static func parse(_ arguments: inout ArraySlice<String>) throws(UsageError) -> BenchOptions {
        var options = BenchOptions()
        func fail(_ message: String) -> UsageError { UsageError(message: message, subcommand: .bench) }
        func value(_ flag: String) throws(UsageError) -> String {
            guard let next = arguments.popFirst(), !next.hasPrefix("--") else { throw fail("\(flag) needs a value") }
            guard !next.isEmpty else { throw fail("\(flag) needs a value, not an empty one") }
            return next
        }
        func list(_ text: String) -> [String] { text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        while let argument = arguments.popFirst() {
            switch argument {
            case "--suite":
                var names: [String] = []
                for name in list(try value(argument)) {
                    if let group = suites[name] {
                        names += group
                    } else if BenchmarkCase.named(name) != nil {
                        names.append(name)
                    } else {
                        let known = (suites.keys.sorted() + BenchmarkCase.all.map(\.name)).joined(separator: ", ")
                        throw fail("--suite: no case or suite named '\(name)'; known: \(known)")
                    }
                }
                options.cases = names.reduce(into: []) { kept, name in if !kept.contains(name) { kept.append(name) } }
            case "--router":
                let text = try value(argument)
                if text == "both" {
                    options.routers = [.ideal, .flit]
                } else if let router = RouterFidelity(rawValue: text) {
                    options.routers = [router]
                } else {
                    throw fail("--router must be ideal, flit or both; got '\(text)'")
                }
            case "--threads":
                let text = try value(argument)
                let counts = list(text).compactMap { Int($0) }.filter { (1...64).contains($0) }
                guard !counts.isEmpty, counts.count == list(text).count else { throw fail("--threads takes thread counts 1…64, comma-separated, e.g. 1,2; got '\(text)'") }
                options.threads = counts
            case "--steps":
                let text = try value(argument)
                guard let steps = Int(text), (1...NetworkFile.maximumSteps).contains(steps) else { throw fail("--steps must be an integer in 1…\(NetworkFile.maximumSteps), got '\(text)'") }
                options.steps = steps
            case "--json": options.jsonPath = try value(argument)
            case "--save-networks": options.networkDirectory = try value(argument)
            default: throw fail(argument.hasPrefix("-") ? "unknown option '\(argument)'" : "unexpected argument '\(argument)'")
            }
        }
        // The results are written last, so on a network file --save-networks wrote they would
        // silently replace it; on the directory itself they would fail after every case had run.
        if let json = options.jsonPath, let directory = options.networkDirectory {
            let saved = [(directory, "the --save-networks directory")]
                + options.cases.compactMap(BenchmarkCase.named).map { ($0.networkPath(in: directory), "the network file --save-networks writes for case \($0.name)") }
            if let (_, what) = saved.first(where: { filePlace($0.0) == filePlace(json) }) {
                throw fail("--json \(json) is also \(what); writing it would replace that file — give another path")
            }
        }
        return options
    }
}

extension CommandLineTool {
    /// True in a release build: only release timings mean anything.
    static var isReleaseBuild: Bool {
        #if DEBUG
        return false
        #else
        return true
        #endif
    }

    static func bench(_ options: BenchOptions) -> Int32 {
        if !isReleaseBuild {
            printError("""
                warning: THIS IS A DEBUG BUILD — its timings are 10–50× slower than a release build and
                         mean nothing. Build with `swift build -c release` and run .build/release/neuroemu bench.
                """)
        }
        let cases = options.cases.compactMap(BenchmarkCase.named)
        do {
            // The results are written after every case has run: a path that cannot take them fails first.
            if let path = options.jsonPath { try OutputError.checkWritable(path) }
            if let directory = options.networkDirectory {
                try RunPictures.prepareDirectory(directory)
                for benchmark in cases {
                    print("saved network   \(try benchmark.saveNetwork(in: directory))")
                }
            }
            var results: [BenchmarkResult] = []
            print(BenchmarkTable.header)
            for benchmark in cases {
                for router in options.routers {
                    for threads in options.threads {
                        let progress = ProgressReporter(label: "\(benchmark.name) \(router.rawValue) \(threads)t")
                        let result = try BenchmarkRunner.run(benchmark, router: router, threads: threads, steps: options.steps, phases: progress.phase, progress: progress.update)
                        progress.finish()
                        print(BenchmarkTable.row(result))
                        fflush(nil)  // standard output: a case takes seconds to minutes: its row is shown when done, also in a file
                        results.append(result)
                    }
                }
            }
            print(BenchmarkTable.legend)
            if let path = options.jsonPath {
                try BenchmarkResult.write(results, isReleaseBuild: isReleaseBuild, processors: ProcessInfo.processInfo.activeProcessorCount, to: path)
                print("written         \(path)")
            }
            return ExitCode.success
        } catch {
            return failure(error)
        }
    }
}

/// The text table `neuroemu bench` prints, one row per case × router × threads.
enum BenchmarkTable {
    static let columns: [(title: String, width: Int)] = [
        ("case", 10), ("router", 6), ("thr", 3), ("steps", 6), ("synapses", 10), ("setup s", 8), ("sim s", 8),
        ("steps/s", 9), ("events/s", 9), ("ns/event", 8), ("ns/update", 9), ("RSS MB", 7), ("B/syn", 6),
        ("spikes", 9), ("rate Hz", 8), ("digest", 16),
    ]

    static var header: String { line(columns.map(\.title)) }

    /// A rate with a k, M or G suffix, the unit following the printed number (999,960 is "1.0M",
    /// not "1000.0k").
    static func engineering(_ value: Double) -> String {
        for (scale, suffix, decimals) in [(1e9, "G", 2), (1e6, "M", 1), (1e3, "k", 1)] where RunSummary.printsAtLeastOne(value, in: scale, decimals: decimals) {
            return CommandLineTool.format(value / scale, decimals) + suffix
        }
        return CommandLineTool.format(value, 0)
    }

    static func row(_ result: BenchmarkResult) -> String {
        func fixed(_ value: Double, _ decimals: Int) -> String { CommandLineTool.format(value, decimals) }
        return line([
            result.caseName, result.router.rawValue, String(result.threads), String(result.steps), String(result.synapses),
            fixed(result.setupSeconds, 2), fixed(result.simulationSeconds, 3), engineering(result.stepsPerSecond),
            engineering(result.synapticEventsPerSecond), fixed(result.nanosecondsPerSynapticEvent, 1),
            fixed(result.nanosecondsPerNeuronUpdate, 2), result.peakResidentBytes.map { String($0 >> 20) } ?? "-",
            fixed(result.bytesPerSynapse, 1), String(result.spikes), fixed(result.meanRateHertz, 2), result.digest,
        ])
    }

    static let legend = """
        sim s: the simulation loop with full cycle and energy accounting; setup s: generate, parse,
        map and load. ns/event and ns/update divide the whole loop's time by synaptic events and by
        neuron updates. RSS: peak resident memory during the case; B/syn: core memory per synapse.
        """

    private static func line(_ cells: [String]) -> String {
        zip(cells, columns).map { cell, column in
            column.title == "case" || column.title == "router" || column.title == "digest" ? cell.padding(toLength: column.width, withPad: " ", startingAt: 0) : cell.leftPadded(column.width)
        }.joined(separator: " ")
    }
}
