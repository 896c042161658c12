import Foundation
import Host
import Router
import Testing
@testable import neuroemu

/// Two populations of 8 on `tiny` with spike-time and Poisson inputs and a probe.
private let smallNetwork = """
    { "format": "neuroemu-network/1", "name": "cli-noc", "steps": 12, "seed": 3,
      "inputs": [{ "name": "in", "size": 4, "spike_times": [[1, 2, 5], [2, 3], [4], [1, 6, 7]] },
                 { "name": "noise", "size": 6, "poisson": { "probability": 0.3 } }],
      "populations": [{ "name": "A", "size": 8, "neuron": { "model": "loihi_lif", "du": 2048, "dv": 512, "vth": 3 } },
                      { "name": "B", "size": 8, "neuron": { "model": "loihi_lif", "du": 2048, "dv": 512, "vth": 2 } }],
      "projections": [{ "name": "in_A", "source": "in", "target": "A", "all_to_all": { "weight": 120 } },
                      { "name": "noise_A", "source": "noise", "target": "A", "random": { "p": 0.5, "weight": 40 } },
                      { "name": "A_B", "source": "A", "target": "B", "random": { "p": 0.5, "weight": 90 } }],
      "probes": [{ "target": "B", "record": ["spikes", "v"] }] }
    """




@Suite struct NoCCommandTests {
    // MARK: Parsing noc

    @Test func everyOption() throws {
        let parsed = try Invocation.parse([
            "noc", "--mesh", "4x8", "--traffic", "transpose", "--rate", "0.25", "--cycles", "500", "--warmup", "0",
            "--seed", "9", "--flits", "2", "--buffer", "4", "--routing", "yx",
        ])
        #expect(parsed == .noc(NoCOptions(
            width: 4, height: 8, pattern: .transpose, rate: 0.25, cycles: 500, warmup: 0, seed: 9, flits: 2, buffer: 4,
            routing: .yx, sweep: false)))
        #expect(try Invocation.parse(["noc", "--mesh", "4x8", "--sweep"]) == .noc(NoCOptions(width: 4, height: 8, rate: nil, sweep: true)))
    }

    @Test func defaults() throws {
        guard case .noc(let options) = try Invocation.parse(["noc", "--mesh", "8X6", "--rate", "1"]) else {
            Issue.record("not a noc invocation")
            return
        }
        #expect(options.width == 8 && options.height == 6)  // the x may be upper case
        #expect(options.pattern == .uniform)
        #expect(options.rate == 1)
        #expect(options.cycles == 10_000 && options.warmup == 1_000 && options.seed == 1)
        #expect(options.flits == 1 && options.buffer == FlitNetwork.defaultBufferFlits && options.routing == .xy)
        #expect(!options.sweep)
        // The experiment carries every option over.
        let experiment = options.experiment
        #expect(experiment.width == 8 && experiment.height == 6)
        #expect(experiment.measureCycles == 10_000 && experiment.warmupCycles == 1_000 && experiment.seed == 1)
        #expect(experiment.bufferFlits == FlitNetwork.defaultBufferFlits && experiment.routing == .xy)
        #expect(experiment.timing == SyntheticTraffic.defaultTiming(flitsPerPacket: 1))
    }

    @Test func helpOfNoc() throws {
        #expect(try Invocation.parse(["noc", "--help"]) == .help(.noc))
        #expect(try Invocation.parse(["help", "noc"]) == .help(.noc))
    }

    @Test(arguments: [
        (["noc", "--rate", "0.1"], "missing --mesh WxH"),
        (["noc", "--sweep"], "missing --mesh WxH"),
        (["noc", "--mesh"], "--mesh needs a value"),
        (["noc", "--mesh", "4by4", "--rate", "0.1"], "--mesh takes WxH with sides 1…256, e.g. 8x8; got '4by4'"),
        (["noc", "--mesh", "4", "--rate", "0.1"], "--mesh takes WxH with sides 1…256, e.g. 8x8; got '4'"),
        (["noc", "--mesh", "0x4", "--rate", "0.1"], "--mesh takes WxH with sides 1…256, e.g. 8x8; got '0x4'"),
        (["noc", "--mesh", "257x1", "--rate", "0.1"], "--mesh takes WxH with sides 1…256, e.g. 8x8; got '257x1'"),
        (["noc", "--mesh", "4x4x4", "--rate", "0.1"], "--mesh takes WxH with sides 1…256, e.g. 8x8; got '4x4x4'"),
        (["noc", "--mesh", "-4x4", "--rate", "0.1"], "--mesh takes WxH with sides 1…256, e.g. 8x8; got '-4x4'"),
        (["noc", "--mesh", "4x4", "--rate", "0"], "--rate must be a number in (0, 1] flits per node per cycle; got '0'"),
        (["noc", "--mesh", "4x4", "--rate", "1.5"], "--rate must be a number in (0, 1] flits per node per cycle; got '1.5'"),
        (["noc", "--mesh", "4x4", "--rate", "-0.1"], "--rate must be a number in (0, 1] flits per node per cycle; got '-0.1'"),
        (["noc", "--mesh", "4x4", "--rate", "nan"], "--rate must be a number in (0, 1] flits per node per cycle; got 'nan'"),
        (["noc", "--mesh", "4x4", "--rate", "fast"], "--rate must be a number in (0, 1] flits per node per cycle; got 'fast'"),
        (["noc", "--mesh", "4x4", "--traffic", "tornado", "--rate", "0.1"],
         "--traffic must be one of uniform, transpose, bitcomplement, hotspot, neighbor; got 'tornado'"),
        (["noc", "--mesh", "4x4"], "give --rate R, or --sweep for a latency–load table"),
        (["noc", "--mesh", "4x4", "--cycles", "1000"], "give --rate R, or --sweep for a latency–load table"),
        // A sweep picks its own rates; usage says (--rate R | --sweep).
        (["noc", "--mesh", "4x4", "--rate", "0.1", "--sweep"], "--rate and --sweep exclude each other: give --rate R for one load, or --sweep for a latency–load table"),
        (["noc", "--sweep", "--mesh", "4x4", "--rate", "0.1"], "--rate and --sweep exclude each other: give --rate R for one load, or --sweep for a latency–load table"),
        (["noc", "--mesh", "4x4", "--rate", "0.1", "--cycles", "0"], "--cycles must be an integer in 1…10000000, got '0'"),
        (["noc", "--mesh", "4x4", "--rate", "0.1", "--flits", "65"], "--flits must be an integer in 1…64, got '65'"),
        (["noc", "--mesh", "4x4", "--rate", "0.1", "--buffer", "many"], "--buffer must be an integer in 1…65536, got 'many'"),
        (["noc", "--mesh", "4x4", "--rate", "0.1", "--routing", "zx"], "--routing must be xy or yx; got 'zx'"),
        (["noc", "--mesh", "4x4", "--rate", "0.1", "--bogus"], "unknown option '--bogus'"),
        (["noc", "--mesh", "4x4", "--rate", "0.1", "extra"], "unexpected argument 'extra'"),
    ])
    func usageErrors(arguments: [String], message: String) {
        #expect(parseError(arguments) == UsageError(message: message, subcommand: .noc))
    }

    @Test func meshTextWithExtraSeparatorsOrWordsIsRejected() {
        // A parse by `split(separator: "x")` and `compactMap` would read each of these as 4 × 4:
        // they are refused with the expected form instead.
        for text in ["x4x4", "4xx4", "4x4x", "4xfoox4"] {
            #expect(parseError(["noc", "--mesh", text, "--rate", "0.1"]) == UsageError(message: "--mesh takes WxH with sides 1…256, e.g. 8x8; got '\(text)'", subcommand: .noc))
        }
    }

    // MARK: Running noc

    @Test func aShortRunExits0() {
        #expect(CommandLineTool.main(["noc", "--mesh", "4x4", "--rate", "0.1", "--cycles", "2000"]) == 0)
    }

    /// A sweep whose highest rate would generate too many packets is a usage error before any
    /// row, not a trap at the rate where it overflows.
    @Test func aSweepTooLargeForARunIsAUsageError() {
        #expect(CommandLineTool.main(["noc", "--mesh", "16x16", "--cycles", "3000000", "--sweep"]) == 64)
    }

    /// An unfilled network measured briefly gets a note instead of a false "saturated"; a window
    /// without packets shows no latency rather than 0.
    @Test func aColdShortWindowIsNotedAndAnEmptyOneHasNoLatency() throws {
        let cold = try runNeuroemu(["noc", "--mesh", "8x8", "--rate", "0.05", "--cycles", "20", "--warmup", "0"], keepingOutput: true)
        #expect(cold.status == 0)
        #expect(cold.standardOutput.contains("note: 0 warm-up cycles leave the network unfilled and 20 measured cycles are under 20 × the zero-load latency"))
        #expect(!cold.standardOutput.contains("saturated"))
        let empty = try runNeuroemu(["noc", "--mesh", "4x4", "--rate", "1e-9", "--cycles", "100"], keepingOutput: true)
        let last = empty.standardOutput.split(separator: "\n").last.map(String.init) ?? ""
        #expect(empty.status == 0 && !empty.standardOutput.contains("note:"))
        #expect(last == "  0.000     0.000             —            —        0")
    }

    @Test func aShortRunBelowSaturationAcceptsWhatIsOffered() throws {
        guard case .noc(let options) = try Invocation.parse(["noc", "--mesh", "4x4", "--rate", "0.1", "--cycles", "2000"]) else {
            Issue.record("not a noc invocation")
            return
        }
        let result = options.experiment.run(rate: 0.1)
        #expect(result.packetsMeasured > 2000)  // about 0.1 × 16 nodes × 2000 cycles = 3200
        #expect(!result.isSaturated)
        #expect(abs(result.acceptedThroughput - 0.1) < 0.02)
        #expect(result.meanLatency >= options.experiment.zeroLoadLatency)
    }

    @Test(arguments: [
        // Parsed, but the experiment cannot run: exit 64 before any output.
        ["noc", "--mesh", "4x2", "--traffic", "transpose", "--rate", "0.1"],  // needs a square mesh
        ["noc", "--mesh", "4x4", "--flits", "4", "--buffer", "2", "--rate", "0.1"],  // buffer below a packet
        // 16 nodes × 2·10^7 cycles × 0.5: about 1.6·10^8 packets, over the per-run limit.
        ["noc", "--mesh", "4x4", "--rate", "0.5", "--cycles", "10000000", "--warmup", "10000000"],
        // Usage errors.
        ["noc", "--mesh", "4x4"],
        ["noc", "--rate", "0.5"],
    ])
    func unrunnableNocExits64(arguments: [String]) {
        #expect(CommandLineTool.main(arguments) == 64)
    }

    // MARK: Router, placement and rates options of run

    @Test func routerPlacementAndRatesOptionsParse() throws {
        #expect(try Invocation.parse(["run", "n.json", "--router", "flit", "--placement", "optimized", "--rates", "r.json", "--save-rates", "s.json"])
            == .run(network: "n.json", runOptions {
                $0.router = .flit
                $0.placementGiven = true
                $0.ratesPath = "r.json"
                $0.saveRatesPath = "s.json"
            }))
        #expect(try Invocation.parse(["run", "n.json", "--placement", "inorder", "--placement", "optimized", "--router", "ideal"])
            == .run(network: "n.json", runOptions { $0.router = .ideal; $0.placementGiven = true }))
        // The default job takes them too.
        #expect(try Invocation.parse(["--router", "flit", "--save-rates", "s.json"])
            == .defaultJob(runOptions {
                $0.router = .flit
                $0.saveRatesPath = "s.json"
            }))
        // record takes --router and --save-rates (they do not change its trace's reproducibility).
        #expect(try Invocation.parse(["record", "n.json", "-o", "t", "--router", "flit", "--save-rates", "s.json"])
            == .run(network: "n.json", runOptions {
                $0.outputPath = "t"
                $0.tracePath = "t"
                $0.router = .flit
                $0.saveRatesPath = "s.json"
            }))
        #expect(RunOptions().router == nil && !RunOptions().inOrderPlacement && RunOptions().ratesPath == nil && RunOptions().saveRatesPath == nil)
    }

    @Test(arguments: [
        (["run", "n.json", "--router", "wormhole"], "--router must be ideal or flit; got 'wormhole'", Subcommand?.some(.run)),
        (["run", "n.json", "--router"], "--router needs a value", .run),
        (["run", "n.json", "--placement", "random"], "--placement must be inorder or optimized; got 'random'", .run),
        (["run", "n.json", "--placement", "--rates", "r.json"], "--placement needs a value", .run),
        (["run", "n.json", "--rates"], "--rates needs a value", .run),
        (["run", "n.json", "--save-rates"], "--save-rates needs a value", .run),
        (["--placement", "in-order"], "--placement must be inorder or optimized; got 'in-order'", nil),
        // record takes --placement and --rates too: the trace header names the placement for verify.
        // verify takes the router from the trace header.
        (["verify", "n.json", "t", "--router", "flit"], "unknown option '--router'", .verify),
    ])
    func badRouterPlacementAndRatesOptions(arguments: [String], message: String, subcommand: Subcommand?) {
        #expect(parseError(arguments) == UsageError(message: message, subcommand: subcommand))
        #expect(CommandLineTool.main(arguments) == 64)
    }

    // MARK: Runs

    @Test func runWithTheFlitRouterNamesItInTheTraceAndVerifies() throws {
        let scratch = try Workspace()
        let network = try scratch.file("small.network.json", smallNetwork)
        let flit = scratch.path("flit.trace")
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--router", "flit", "--trace", flit, "--trace-level", "packets"]) == 0)
        let lines = try String(contentsOfFile: flit, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "neuroemu-trace/1 network=cli-noc chip=tiny seed=3 level=packets router=flit placement=optimized")
        #expect(lines.contains { $0.hasPrefix("packet ") })
        #expect(lines.last?.hasPrefix("end steps=12 ") == true)
        // verify re-runs with the router the header names.
        #expect(CommandLineTool.main(["verify", network, flit]) == 0)

        let ideal = scratch.path("ideal.trace")
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--router", "ideal", "--trace", ideal]) == 0)
        #expect(try String(contentsOfFile: ideal, encoding: .utf8).hasPrefix("neuroemu-trace/1 network=cli-noc chip=tiny seed=3 level=spikes router=ideal placement=optimized\n"))
    }

    @Test func placementOptionsLeaveSpikesUnchanged() throws {
        let scratch = try Workspace()
        let network = try scratch.file("small.network.json", smallNetwork)
        let inOrder = scratch.path("inorder.trace")
        let optimized = scratch.path("optimized.trace")
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--placement", "inorder", "--trace", inOrder]) == 0)
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--placement", "optimized", "--trace", optimized]) == 0)
        // At level spikes only the step lines' cycles and energies could differ.
        func spikes(_ path: String) throws -> [Substring] {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("spike ") || $0.hasPrefix("state ") }
        }
        let kept = try spikes(inOrder)
        #expect(!kept.isEmpty)
        #expect(try spikes(optimized) == kept)
    }

    @Test func aPacketTraceRecordedWithInOrderPlacementVerifies() throws {
        // Seven populations of 2 on `tiny` cut to 2 neurons per core, chained 0 → 6 → 1 → 5 → 2
        // → 4 → 3: in order, chain neighbours sit on far tiles, so the placer moves cores and
        // packet lines name other endpoints. The trace header records the placement, so verify
        // re-runs a trace recorded with --placement inorder the same way (and refuses
        // --placement, which the trace decides).
        let scratch = try Workspace()
        let order = [0, 6, 1, 5, 2, 4, 3]
        let populations = (0..<7).map { #"{ "name": "P\#($0)", "size": 2, "neuron": { "model": "loihi_lif", "du": 4095, "dv": 4095, "vth": 1 } }"# }
        let projections = [#"{ "name": "drive", "source": "in", "target": "P0", "all_to_all": { "weight": 10 } }"#]
            + zip(order, order.dropFirst()).map { #"{ "name": "P\#($0)_P\#($1)", "source": "P\#($0)", "target": "P\#($1)", "all_to_all": { "weight": 10 } }"# }
        let network = try scratch.file("chain.network.json", """
            { "format": "neuroemu-network/1", "name": "chain", "steps": 10,
              "inputs": [{ "name": "in", "size": 1, "spike_times": [[1, 2]] }],
              "populations": [\(populations.joined(separator: ", "))],
              "projections": [\(projections.joined(separator: ", "))] }
            """)
        let chip = try scratch.file("tiny2.json", ChipPresets.text(named: "tiny")!.replacingOccurrences(of: #""neurons": 64"#, with: #""neurons": 2"#))
        let optimized = scratch.path("optimized.trace")
        let inOrder = scratch.path("inorder.trace")
        #expect(CommandLineTool.main(["run", network, "--chip", chip, "--trace", optimized, "--trace-level", "packets"]) == 0)
        #expect(CommandLineTool.main(["run", network, "--chip", chip, "--trace", inOrder, "--trace-level", "packets", "--placement", "inorder"]) == 0)
        #expect(try String(contentsOfFile: optimized, encoding: .utf8) != String(contentsOfFile: inOrder, encoding: .utf8))
        #expect(CommandLineTool.main(["verify", network, optimized, "--chip", chip]) == 0)
        // The header records the placement, so verify re-runs it; --placement does not apply to verify.
        #expect(CommandLineTool.main(["verify", network, inOrder, "--chip", chip]) == 0)
        #expect(CommandLineTool.main(["verify", network, inOrder, "--chip", chip, "--placement", "inorder"]) == 64)
    }

    @Test func savedRatesAreAcceptedByRates() throws {
        let scratch = try Workspace()
        let network = try scratch.file("small.network.json", smallNetwork)
        let rates = scratch.path("small.rates.json")
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--save-rates", rates]) == 0)
        let text = try String(contentsOfFile: rates, encoding: .utf8)
        #expect(text.hasPrefix("{\n  \"format\": \"neuroemu-rates/1\",\n  \"network\": \"cli-noc\",\n  \"steps\": 12,\n"))
        let loaded = try SpikeRates.load(path: rates, for: NetworkFile.load(path: network))
        #expect(loaded.inputs["in"] == [3, 2, 1, 3])  // the spike_times lists
        #expect(loaded.populations.keys.sorted() == ["A", "B"])
        #expect(loaded.populations["A"]?.count == 8)
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--rates", rates]) == 0)
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--rates", rates, "--router", "flit"]) == 0)
    }

    @Test func badRatesFilesExit65() throws {
        let scratch = try Workspace()
        let network = try scratch.file("small.network.json", smallNetwork)
        let other = try scratch.file("other.rates.json", #"{ "format": "neuroemu-rates/1", "network": "other", "steps": 1 }"#)
        let short = try scratch.file("short.rates.json", #"{ "format": "neuroemu-rates/1", "network": "cli-noc", "steps": 1, "populations": { "A": [1] } }"#)
        let missing = scratch.path("missing.json")
        for (rates, message) in [
            (other, "\(other): $.network: these rates were measured on network \"other\", not \"cli-noc\""),
            (short, "\(short): $.populations.A: must have one count per neuron: 8, got 1"),
            (missing, "\(missing): cannot read: no such file"),
        ] {
            let (status, errors) = try runNeuroemu(["run", network, "--chip", "tiny", "--rates", rates])
            #expect(status == 65 && errors == "error: \(message)\n")
        }
    }

    @Test func saveRatesIntoAMissingDirectoryExits73() throws {
        let scratch = try Workspace()
        let network = try scratch.file("small.network.json", smallNetwork)
        let rates = scratch.path("no/such/dir/r.json")
        #expect(CommandLineTool.main(["run", network, "--chip", "tiny", "--steps", "2", "--save-rates", rates]) == 73)
        #expect(!FileManager.default.fileExists(atPath: rates))
    }
}
