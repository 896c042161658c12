// What one hand-off of `WorkerPool` costs: jobs of two empty parts with a little serial work
// between them, as a step has. Built with the pool's own source by bench/handoff.sh.
import Dispatch

let pool = WorkerPool(threads: 2)
let counters = UnsafeMutablePointer<Int>.allocate(capacity: 64)
counters.initialize(repeating: 0, count: 64)
nonisolated(unsafe) let shared = counters  // each part writes its own cache line
let jobs = 200_000
for _ in 0..<5 {
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<jobs {
        pool.run { part in shared[part * 16] &+= 1 }
        var serial = 0
        for i in 0..<200 { serial &+= i &* i }
        shared[48] &+= serial
    }
    let nanoseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(jobs)
    print("\(Int(nanoseconds.rounded())) ns per job (two parts and the serial work between jobs)")
}
