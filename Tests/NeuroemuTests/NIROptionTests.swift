import Foundation
import Host
import Testing
@testable import neuroemu

/// `neuroemu run model.nir` and `neuroemu map model.nir`, with `--input FILE` and `--dt MS`.
@Suite struct NIROptionTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("HostTests/NIR").path

    @Test func inputAndDtAreParsed() throws {
        guard case let .run(network, options) = try Invocation.parse(["run", "m.nir", "--input", "in.json", "--dt", "0.5", "--steps", "20"]) else {
            Issue.record("run did not parse")
            return
        }
        #expect(network == "m.nir")
        #expect(options.inputPath == "in.json")
        #expect(options.dtMilliseconds == 0.5)
        guard case let .map(_, mapOptions) = try Invocation.parse(["map", "m.nir", "--dt", "2"]) else {
            Issue.record("map did not parse")
            return
        }
        #expect(mapOptions.dtMilliseconds == 2)
        #expect(RunOptions().inputPath == nil && RunOptions().dtMilliseconds == nil)
    }

    @Test func badDtAndMisplacedOptionsAreUsageErrors() {
        #expect(parseError(["run", "m.nir", "--dt", "0"])?.message == "--dt must be a step length in milliseconds, 0.001…1000; got '0'")
        #expect(parseError(["run", "m.nir", "--dt", "4.9e-324"])?.message == "--dt must be a step length in milliseconds, 0.001…1000; got '4.9e-324'")
        #expect(parseError(["run", "m.nir", "--dt", "fast"])?.message == "--dt must be a step length in milliseconds, 0.001…1000; got 'fast'")
        #expect(parseError(["map", "m.nir", "--chips", "tiny"])?.message == "unknown option '--chips'")
        #expect(parseError(["noc", "--mesh", "2x2", "--dt", "1"]) == UsageError(message: "unknown option '--dt'", subcommand: .noc))
        #expect(CommandLineTool.main(["run", "m.nir", "--dt", "-1"]) == 64)
    }

    @Test func runAndMapANIRFile() {
        let model = Self.fixtures + "/mlp.nir"
        #expect(CommandLineTool.main(["run", model, "--input", Self.fixtures + "/mlp.input.json", "--readout", "lif2:counts", "--chip", "tiny"]) == 0)
        #expect(CommandLineTool.main(["run", model, "--steps", "10", "--dt", "0.5"]) == 0)
        #expect(CommandLineTool.main(["map", Self.fixtures + "/conv.nir"]) == 0)
        #expect(CommandLineTool.main(["run", Self.fixtures + "/nested.nir", "--readout", "block.lif:counts", "--steps", "5"]) == 0)
    }

    @Test func recordAndVerifyANIRRun() throws {
        let workspace = try Workspace()
        let trace = workspace.path("mlp.trace")
        let model = Self.fixtures + "/mlp.nir", input = Self.fixtures + "/mlp.input.json"
        #expect(CommandLineTool.main(["record", model, "--input", input, "--steps", "20", "-o", trace]) == 0)
        #expect(CommandLineTool.main(["verify", model, trace, "--input", input]) == 0)
        // The header names the conversion: the step is taken from it, the input file is asked for.
        let header = try String(contentsOfFile: trace, encoding: .utf8).prefix { $0 != "\n" }
        #expect(header.hasSuffix(" placement=optimized dt_s=0.001 inputs=file"))
        #expect(CommandLineTool.main(["verify", model, trace, "--input", input, "--dt", "1"]) == 0)
        let noInput = try runNeuroemu(["verify", model, trace])
        #expect(noInput.status == 64 && noInput.standardError == "error: \(trace) was recorded with input spikes from a file (inputs=file); give the same file with --input FILE\n")
        let otherStep = try runNeuroemu(["verify", model, trace, "--input", input, "--dt", "0.5"])
        #expect(otherStep.status == 64 && otherStep.standardError == "error: \(trace) was recorded with a step of 1 ms (dt_s=0.001), but --dt gives 0.5 ms; leave --dt out to use the recorded step\n")
        // Other inputs than the recording's: the re-run differs.
        #expect(CommandLineTool.main(["verify", model, trace, "--input", try workspace.file("other.json", #"{"inputs": [{"name": "input", "size": 12, "spike_times": [[1], [], [], [], [], [], [], [], [], [], [], []]}]}"#)]) == 1)
        // A Poisson-driven recording at another step verifies with neither option.
        let poisson = workspace.path("poisson.trace")
        #expect(CommandLineTool.main(["record", model, "--dt", "0.1", "--steps", "20", "-o", poisson]) == 0)
        #expect(try String(contentsOfFile: poisson, encoding: .utf8).prefix { $0 != "\n" }.hasSuffix(" dt_s=0.0001 inputs=poisson"))
        #expect(CommandLineTool.main(["verify", model, poisson]) == 0)
        let extraInput = try runNeuroemu(["verify", model, poisson, "--input", input])
        #expect(extraInput.status == 64 && extraInput.standardError == "error: \(poisson) was recorded with Poisson inputs (inputs=poisson), without --input; leave --input out\n")
        // ... before the input file is read: one that is not an inputs file gets the same answer.
        let feedforward = Self.fixtures + "/../../../configs/networks/feedforward.network.json"
        let unreadInput = try runNeuroemu(["verify", model, poisson, "--input", feedforward])
        #expect(unreadInput.status == 64 && unreadInput.standardError == extraInput.standardError)
        // A NIR trace checked against a network file is a trace of another network, whatever its step.
        let otherNetwork = try runNeuroemu(["verify", feedforward, poisson])
        #expect(otherNetwork.status == 65 && otherNetwork.standardError.hasSuffix("is a trace of network `mlp`, but \(feedforward) describes `feedforward-small`\n"))
        // A NIR trace written before the header recorded the conversion verifies as written,
        // given the same options again.
        var lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[0] = String(lines[0].dropLast(" dt_s=0.001 inputs=file".count))
        var rewritten = try TraceWriter(level: .spikes, path: nil)
        for line in lines.dropLast(2) { try rewritten.line(line) }
        let end = lines[lines.count - 2].split(separator: " ").map { $0.hasPrefix("digest=") ? "digest=" + rewritten.digest : String($0) }
        let older = try workspace.file("older.trace", lines.dropLast(2).map { $0 + "\n" }.joined() + end.joined(separator: " ") + "\n")
        // The other network (and a network file) are named before any option is asked for.
        let olderOnNetworkFile = try runNeuroemu(["verify", feedforward, older])
        #expect(olderOnNetworkFile.status == 65)
        let namedLikeTheGraph = try workspace.file(
            "mlp.network.json", try String(contentsOfFile: feedforward, encoding: .utf8).replacingOccurrences(of: "\"feedforward-small\"", with: "\"mlp\""))
        let networkFileOfThatName = try runNeuroemu(["verify", namedLikeTheGraph, poisson])
        #expect(networkFileOfThatName.status == 65 && networkFileOfThatName.standardError == "error: \(poisson) was recorded from a NIR file, but \(namedLikeTheGraph) is a network file\n")
        #expect(CommandLineTool.main(["verify", model, older, "--input", input]) == 0)
        #expect(CommandLineTool.main(["compare-chips", model, "--chips", "loihi,tiny", "--steps", "5"]) == 0)
        #expect(CommandLineTool.main(["compare-chips", model, "--input", input, "--dt", "0.5", "--chips", "tiny"]) == 0)
        guard case let .compareChips(_, _, options) = try Invocation.parse(["compare-chips", model, "--input", input]) else {
            Issue.record("compare-chips with --input did not parse")
            return
        }
        #expect(options.inputPath == input)
    }

    @Test func nirErrorsExit65AndReadoutsNameNIRNodes() throws {
        // Inputs of the wrong graph, an unsupported node, a file with an HDF5 feature the reader lacks.
        let wrongInputs = try runNeuroemu(["run", Self.fixtures + "/nested.nir", "--input", Self.fixtures + "/mlp.input.json"])
        #expect(wrongInputs.status == 65)
        #expect(wrongInputs.standardError == "error: \(Self.fixtures)/mlp.input.json: input \"input\" has 12 neurons; the NIR Input node has shape [6] = 6 elements (flattened in C order)\n")
        let unsupported = try runNeuroemu(["run", Self.fixtures + "/error_integrator.nir"])
        #expect(unsupported.status == 65)
        #expect(unsupported.standardError.hasPrefix("error: \(Self.fixtures)/error_integrator.nir: NIR node `integrator` has type I, which the importer does not support; supported: Input,"))
        let feature = try runNeuroemu(["map", Self.fixtures + "/hdf5/dense_links.h5"])
        #expect(feature.status == 65)
        #expect(feature.standardError.hasPrefix("error: \(Self.fixtures)/hdf5/dense_links.h5: /: unsupported HDF5 feature: dense link storage"))
        // Readouts name the NIR's neuron nodes.
        let readout = try runNeuroemu(["run", Self.fixtures + "/mlp.nir", "--readout", "fc1:counts"])
        #expect(readout.status == 64 && readout.standardError.hasPrefix("error: --readout: no population named 'fc1'; populations: lif1, lif2\n"))
    }

    @Test func detectionByExtensionOrSignature() throws {
        // A .nir name is NIR whatever it holds (even a missing file's error is the HDF5 reader's);
        // other names are NIR when the HDF5 signature begins them, JSON otherwise.
        #expect(throws: NIRError.hdf5(.unreadable(file: "missing-model.NIR", reason: "no such file"))) {
            try NetworkSource.load(path: "missing-model.NIR", seed: nil, steps: nil, dt: nil, inputPath: nil)
        }
        #expect(throws: NIRError.self) { try NetworkSource.load(path: Self.fixtures + "/hdf5/layouts.h5", seed: nil, steps: nil, dt: nil, inputPath: nil) }
        #expect(throws: ConfigError.self) { try NetworkSource.load(path: Self.fixtures + "/mlp.input.json", seed: nil, steps: nil, dt: nil, inputPath: nil) }
        // The signature behind a user block counts too (it was read as JSON: "invalid literal").
        let workspace = try Workspace()
        let unnamed = workspace.path("userblock-model.h5")
        try FileManager.default.copyItem(atPath: Self.fixtures + "/userblock/userblock_latest.nir", toPath: unnamed)
        #expect(try NetworkSource.load(path: unnamed, seed: nil, steps: nil, dt: nil, inputPath: nil).populations.map(\.name) == ["lif"])
        // A NIR option with a network file has its own error, which the tool exits 64 (usage) on.
        #expect(throws: NIROptionError.dtForNetworkFile(file: Self.fixtures + "/mlp.input.json")) {
            try NetworkSource.load(path: Self.fixtures + "/mlp.input.json", seed: nil, steps: nil, dt: 0.001, inputPath: nil)
        }
        #expect(throws: NIROptionError.inputForNetworkFile(file: Self.fixtures + "/mlp.input.json")) {
            try NetworkSource.load(path: Self.fixtures + "/mlp.input.json", seed: nil, steps: nil, dt: nil, inputPath: "in.json")
        }
        #expect(NIROptionError.dtForNetworkFile(file: "n.json").description == "n.json: --dt applies to NIR files; a network file is already in timesteps")
    }

    /// A network or NIR file given as a pipe (`<(…)`, `/dev/stdin`) is read once: its first
    /// bytes, which tell NIR from JSON, are not lost to a second read.
    @Test func networkAndNIRFilesLoadFromPipes() throws {
        // A reader that stopped early must fail this test, not end the process by SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let workspace = try Workspace()
        let configs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("configs/networks/feedforward.network.json").path
        for (file, isNIR) in [(configs, false), (Self.fixtures + "/mlp.nir", true)] {
            let fifo = workspace.path(isNIR ? "graph-pipe" : "network-pipe")  // no .nir: told by its contents
            #expect(mkfifo(fifo, 0o600) == 0)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            let writer = Thread {
                if let handle = FileHandle(forWritingAtPath: fifo) {
                    handle.write(bytes)
                    try? handle.close()
                }
            }
            writer.start()
            let fromPipe = try NetworkSource.load(path: fifo, seed: nil, steps: nil, dt: nil, inputPath: nil)
            let fromFile = try NetworkSource.load(path: file, seed: nil, steps: nil, dt: nil, inputPath: nil)
            #expect(fromPipe.populations == fromFile.populations, "\(file)")
            #expect(fromPipe.projections == fromFile.projections, "\(file)")
            #expect(fromPipe.populations.count == (isNIR ? 2 : fromFile.populations.count))
        }
    }

    /// `--save-network` of a NIR run writes a file that runs again, also when the importer had
    /// to shorten or tell apart the names it made (the saved file was refused by the name rule).
    @Test func savedNetworksOfNIRFilesRunAgain() throws {
        let workspace = try Workspace()
        let longFile = workspace.path("snntorch_mnist_conv3_beta0.9_thr1.0_lr2e-3_epoch50_best_val_and_more.nir")
        try FileManager.default.copyItem(atPath: Self.fixtures + "/structure/long_names.nir", toPath: longFile)
        for (index, model) in [longFile, Self.fixtures + "/structure/name_clash.nir"].enumerated() {
            let saved = workspace.path("saved\(index).network.json")
            let first = try runNeuroemu(["run", model, "--steps", "5", "--save-network", saved])
            #expect(first.status == 0, "\(model): \(first.standardError)")
            let again = try runNeuroemu(["run", saved])
            #expect(again.status == 0 && again.standardError.isEmpty, "\(saved): \(again.standardError)")
        }
    }

    /// `mean_v` and `last_v` of a NIR file's populations print in the model's voltage units
    /// (they printed chip units, and the scale that converts them was not reachable from the
    /// command line); the same network saved and run as a network file prints chip units, as
    /// every network file does, and the two agree through the scale.
    @Test func voltageReadoutsOfNIRPopulationsAreInNIRUnits() throws {
        let workspace = try Workspace()
        let saved = workspace.path("li_readout.network.json")
        let nir = try runNeuroemu(["run", Self.fixtures + "/li_readout.nir", "--input", Self.fixtures + "/li_readout.input.json", "--readout", "readout:last_v",
                                   "--readout", "lif1:counts", "--save-network", saved], keepingOutput: true)
        #expect(nir.status == 0, "\(nir.standardError)")
        let readouts = nir.standardOutput.split(separator: "\n").filter { $0.hasPrefix("readout ") }
        #expect(readouts == ["readout readout:last_v 15.379364 13.343424 3.562408", "readout lif1:counts 37 26 28 22 32 29 36 35"])
        let network = try runNeuroemu(["run", saved, "--readout", "readout:last_v"], keepingOutput: true)
        #expect(network.status == 0, "\(network.standardError)")
        #expect(network.standardOutput.split(separator: "\n").filter { $0.hasPrefix("readout ") } == ["readout readout:last_v 2230784 1935470 516729"])
        let units = try #require(NetworkSource.open(path: Self.fixtures + "/li_readout.nir", seed: nil, steps: nil, dt: nil, inputPath: nil).voltageUnits["readout"])
        #expect(units.voltages([2230784, 1935470, 516729]).map { ($0 * 1e6).rounded() / 1e6 } == [15.379364, 13.343424, 3.562408])
    }

    @Test func helpDocumentsTheNIROptions() {
        let text = Help.usage(.run)
        #expect(text.contains("--input FILE") && text.contains("--dt MS") && text.contains("docs/nir.md"))
    }
}
