// What this machine's memory gives a simulation step that does not fit in the caches: streaming
// bandwidth (read, and read-modify-write as a neuron table is updated), the rate of independent
// random reads (as synapse units find rows, words and accumulators) and the latency of a
// dependent chain of them, on 1 and 2 threads at once. docs/performance.md ("What the unmet
// targets would take") turns these into the least time a `cuba-400k` step can take.
import Dispatch
import Foundation

let bytes = 256 << 20  // far beyond the last-level cache
let words = bytes / 8
let rounds = 3
let randomReads = 1 << 24

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// One thread's arrays and measurements (each thread its own 256 MB, so two threads contend only
/// for the memory system).
struct Probe {
    let table: UnsafeMutableBufferPointer<UInt64>
    let chain: UnsafeMutableBufferPointer<Int>
    /// Where each measurement leaves what it read, so that the reads cannot be optimized away.
    let sink = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)

    init(seed: UInt64) {
        table = .allocate(capacity: words)
        for index in 0..<words { table[index] = UInt64(index) &* 0x9E37_79B9_7F4A_7C15 }
        // One cycle through every slot in random order (Sattolo's shuffle), so that each read
        // of the chain waits for the one before.
        chain = .allocate(capacity: words)
        for index in 0..<words { chain[index] = index }
        var state = seed
        for index in stride(from: words - 1, to: 0, by: -1) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let other = Int((state >> 33) % UInt64(index))
            chain.swapAt(index, other)
        }
    }

    /// Sequential reads in 64-byte vectors (as the neuron kernel reads its lanes), GB/s.
    func read() -> Double {
        var sum = SIMD8<UInt64>()
        let time = seconds {
            UnsafeRawBufferPointer(table).withMemoryRebound(to: SIMD8<UInt64>.self) { lines in
                for _ in 0..<rounds { for line in lines { sum &+= line } }
            }
        }
        sink.pointee = sum.wrappedSum()
        return Double(rounds * bytes) / time / 1e9
    }

    /// Sequential read-modify-write in 64-byte vectors, GB/s of the array (each byte read and
    /// written once).
    func update() -> Double {
        let time = seconds {
            UnsafeMutableRawBufferPointer(table).withMemoryRebound(to: SIMD8<UInt64>.self) { lines in
                for _ in 0..<rounds { for index in lines.indices { lines[index] &+= 1 } }
            }
        }
        return Double(rounds * bytes) / time / 1e9
    }

    /// Independent random reads, nanoseconds each (the addresses do not depend on the data).
    func randomRead(seed: UInt64) -> Double {
        var state = seed
        var sum: UInt64 = 0
        let time = seconds {
            for _ in 0..<randomReads {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                sum &+= table[Int((state >> 33) % UInt64(words))]
            }
        }
        sink.pointee = sum
        return time / Double(randomReads) * 1e9
    }

    /// Dependent random reads, nanoseconds each.
    func chainRead() -> Double {
        let steps = 1 << 22
        var index = 0
        let time = seconds {
            for _ in 0..<steps { index = chain[index] }
        }
        sink.pointee = UInt64(index)
        return time / Double(steps) * 1e9
    }
}

/// Runs `measure` on every probe at once, one thread each, and returns each thread's value.
func together(_ probes: [Probe], _ measure: @escaping @Sendable (Probe, Int) -> Double) -> [Double] {
    nonisolated(unsafe) var results = Array(repeating: 0.0, count: probes.count)
    nonisolated(unsafe) let shared = probes
    results.withUnsafeMutableBufferPointer { results in
        nonisolated(unsafe) let results = results
        DispatchQueue.concurrentPerform(iterations: shared.count) { thread in
            results[thread] = measure(shared[thread], thread)
        }
    }
    return results
}

let probes = [Probe(seed: 1), Probe(seed: 2)]
/// One line: the value alone, each thread's with both running, and what both give together
/// (`combined`: summed bandwidth, or the interval between two threads' reads).
func report(_ name: String, unit: String, alone: Double, both: [Double], combined: Double? = nil) {
    func number(_ value: Double) -> String { String(format: "%.1f", value) }
    var line = name.padding(toLength: 36, withPad: " ", startingAt: 0) + number(alone).leftPadded(8) + " " + unit
    line += "   each of 2: " + both.map(number).joined(separator: " / ") + " " + unit
    if let combined { line += ", together " + number(combined) + " " + unit }
    print(line)
}
extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
print("memory probe: 256 MB per thread; each line one thread alone, then two at once")
let read = together(probes) { probe, _ in probe.read() }
report("sequential read", unit: "GB/s", alone: probes[0].read(), both: read, combined: read.reduce(0, +))
let update = together(probes) { probe, _ in probe.update() }
report("sequential read-modify-write", unit: "GB/s", alone: probes[0].update(), both: update, combined: update.reduce(0, +))
let random = together(probes) { probe, thread in probe.randomRead(seed: UInt64(thread) + 11) }
report("independent random reads", unit: "ns", alone: probes[0].randomRead(seed: 7), both: random, combined: 1 / random.map { 1 / $0 }.reduce(0, +))
let chain = together(probes) { probe, _ in probe.chainRead() }
report("dependent random reads", unit: "ns", alone: probes[0].chainRead(), both: chain)
print("(checksum \(probes.map { $0.sink.pointee }.reduce(0, &+) & 0xFF))")
