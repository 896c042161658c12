import Foundation
import Router

/// `neuroemu noc`: synthetic traffic on the flit-level mesh model, without neurons.
struct NoCOptions: Equatable {
    var width = 0
    var height = 0
    var pattern = TrafficPattern.uniform
    var rate: Double?
    var cycles = 10_000
    var warmup = 1_000
    var seed: UInt64 = 1
    var flits = 1
    var buffer = FlitNetwork.defaultBufferFlits
    var routing = RoutingOrder.xy
    var sweep = false

    static func parse(_ arguments: inout ArraySlice<String>) throws(UsageError) -> NoCOptions {
        var options = NoCOptions()
        func fail(_ message: String) -> UsageError { UsageError(message: message, subcommand: .noc) }
        func value(_ flag: String) throws(UsageError) -> String {
            guard let next = arguments.popFirst() else { throw fail("\(flag) needs a value") }
            return next
        }
        func integer(_ flag: String, _ range: ClosedRange<Int>) throws(UsageError) -> Int {
            let text = try value(flag)
            guard let number = Int(text), range.contains(number) else { throw fail("\(flag) must be an integer in \(range.lowerBound)…\(range.upperBound), got '\(text)'") }
            return number
        }
        var meshGiven = false
        while let argument = arguments.popFirst() {
            switch argument {
            case "--mesh":
                let text = try value(argument)
                let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
                let sides = parts.compactMap { Int($0) }
                guard parts.count == 2, sides.count == 2, sides.allSatisfy({ (1...256).contains($0) }) else { throw fail("--mesh takes WxH with sides 1…256, e.g. 8x8; got '\(text)'") }
                (options.width, options.height) = (sides[0], sides[1])
                meshGiven = true
            case "--traffic":
                let text = try value(argument)
                guard let pattern = TrafficPattern(rawValue: text) else {
                    throw fail("--traffic must be one of \(TrafficPattern.allCases.map(\.rawValue).joined(separator: ", ")); got '\(text)'")
                }
                options.pattern = pattern
            case "--rate":
                let text = try value(argument)
                guard let rate = Double(text), rate > 0, rate <= 1 else { throw fail("--rate must be a number in (0, 1] flits per node per cycle; got '\(text)'") }
                options.rate = rate
            case "--cycles": options.cycles = try integer(argument, 1...10_000_000)
            case "--warmup": options.warmup = try integer(argument, 0...10_000_000)
            case "--seed": options.seed = UInt64(try integer(argument, 0...Int(Int64.max)))
            case "--flits": options.flits = try integer(argument, 1...64)
            case "--buffer": options.buffer = try integer(argument, 1...FlitNetwork.maximumBufferFlits)
            case "--routing":
                let text = try value(argument)
                guard let routing = RoutingOrder(rawValue: text) else { throw fail("--routing must be xy or yx; got '\(text)'") }
                options.routing = routing
            case "--sweep": options.sweep = true
            default: throw fail(argument.hasPrefix("-") ? "unknown option '\(argument)'" : "unexpected argument '\(argument)'")
            }
        }
        guard meshGiven else { throw fail("missing --mesh WxH") }
        guard options.sweep || options.rate != nil else { throw fail("give --rate R, or --sweep for a latency–load table") }
        // A sweep chooses its own rates: a --rate beside it would be ignored.
        guard !options.sweep || options.rate == nil else { throw fail("--rate and --sweep exclude each other: give --rate R for one load, or --sweep for a latency–load table") }
        return options
    }

    var experiment: SyntheticTraffic {
        SyntheticTraffic(
            width: width, height: height, pattern: pattern, timing: SyntheticTraffic.defaultTiming(flitsPerPacket: flits),
            bufferFlits: buffer, routing: routing, warmupCycles: warmup, measureCycles: cycles, seed: seed)
    }
}

extension CommandLineTool {
    static func noc(_ options: NoCOptions) -> Int32 {
        let experiment = options.experiment
        // A sweep may run every rate up to 1 (it stops at saturation, which cannot be known
        // beforehand), so its highest rate must fit a run too.
        if let problem = experiment.validationError(rate: options.sweep ? 1 : options.rate ?? 0.01) {
            printError("error: \(options.sweep ? "--sweep runs rates up to 1: " : "")\(problem)")
            return ExitCode.usage
        }
        print("mesh \(options.width)×\(options.height), \(options.pattern.rawValue) traffic, \(options.routing.rawValue) routing, \(options.flits)-flit packets, \(options.buffer)-flit buffers, virtual cut-through")
        print("hops cost 2 cycles (1-cycle router pipeline + 1-cycle link), 1 cycle into and out of the core; \(options.warmup) warm-up + \(options.cycles) measured cycles, seed \(options.seed)")
        print("zero-load latency \(format(experiment.zeroLoadLatency, 2)) cycles; throughput bound \(format(experiment.throughputBound, 3)) flits/node/cycle")
        if !experiment.throughputIsSteady {
            print("note: \(options.warmup) warm-up cycles leave the network unfilled and \(options.cycles) measured cycles are under 20 × the zero-load latency: "
                + "accepted throughput reads low and does not count toward saturation; warm up for at least \(Int(experiment.zeroLoadLatency.rounded(.up))) cycles")
        }
        print("offered  accepted  mean latency  p99 latency  packets")
        func row(_ result: SyntheticTrafficResult) {
            // Without a packet in the window there is no latency to give.
            let measured = result.packetsMeasured > 0
            print(format(result.offeredLoad, 3).leftPadded(7) + format(result.acceptedThroughput, 3).leftPadded(10)
                + (measured ? format(result.meanLatency, 1) : "—").leftPadded(14) + (measured ? String(result.p99Latency) : "—").leftPadded(13)
                + String(result.packetsMeasured).leftPadded(9) + (result.isSaturated ? "  saturated" : ""))
        }
        if options.sweep {
            _ = experiment.sweep(onRow: row)
        } else if let rate = options.rate {
            row(experiment.run(rate: rate))
        }
        return ExitCode.success
    }

    static func format(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
}
