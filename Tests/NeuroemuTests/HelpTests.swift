import Testing
@testable import neuroemu

@Suite struct HelpTests {
    @Test func versionLine() {
        #expect(Help.version == "neuroemu 0.1.0")
    }

    /// Every option `Invocation.parse` accepts for a run is documented with its value.
    @Test(arguments: ["--chip NAME|FILE", "--steps N", "--seed S", "--trace FILE", "--trace-level L", "--threads N", "--readout POP:MODE", "--save-network FILE", "--vcd FILE", "--report FILE", "--svg DIR", "-h, --help"])
    func runOptionsAreDocumented(option: String) {
        #expect(Help.runOptions().contains(option))
        #expect(Help.usage(nil).contains(option))
        #expect(Help.usage(.run).contains(option))
        // `record` writes its trace with -o and refuses --trace: its help does not offer it.
        #expect(Help.usage(.record).contains(option) == (option != "--trace FILE"))
    }

    @Test func documentedDefaultsMatchTheParser() {
        let defaults = RunOptions()
        #expect(Help.runOptions().contains("(default: \(defaults.chip))"))
        #expect(Help.runOptions().contains("(default: \(defaults.traceLevel.rawValue))"))
        #expect(Help.runOptions().contains("(default: \(defaults.threads))"))
    }

    @Test func topLevelUsageListsEverySubcommandAndExitCode() {
        let text = Help.usage(nil)
        for subcommand in Subcommand.allCases {
            #expect(text.contains("neuroemu \(subcommand.rawValue)"), "\(subcommand)")
        }
        #expect(text.contains("neuroemu --version"))
        #expect(text.contains("Exit codes: 0 success, 64 usage error, 65 invalid network or chip file, a network\nthat does not fit the chip or a run whose energy outgrows its count, 73 an output\nfile could not be written, 74 standard output could not be written."))
    }

    @Test func subcommandUsageStartsWithItsSynopsis() {
        #expect(Help.usage(.run).hasPrefix("USAGE: neuroemu run NETWORK [options]\n"))
        #expect(Help.usage(.record).hasPrefix("USAGE: neuroemu record NETWORK -o FILE [options]\n"))
        #expect(Help.usage(.verify).hasPrefix("USAGE: neuroemu verify NETWORK FILE [--chip FILE] [--rates FILE] [--threads N]\n                                    [--input FILE] [--dt MS]\n"))
        #expect(Help.usage(.chips).hasPrefix("USAGE: neuroemu chips [NAME|FILE ...] [--json]\n"))
        #expect(Help.usage(.record).contains("-o, --output FILE"))
        #expect(Help.usage(.verify).contains("exits 1"))
    }

    @Test func helpTextsFitATerminal() {
        for topic in [nil] + Subcommand.allCases.map(Optional.some) {
            for line in Help.usage(topic).split(separator: "\n") {
                #expect(line.count <= 100, "\(topic?.rawValue ?? "neuroemu"): \(line)")
            }
        }
    }
}
