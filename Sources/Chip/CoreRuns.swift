/// How a parallel phase cuts the cores into one contiguous run per worker, moved from timed
/// phases toward runs that end together.
///
/// An even cut is only right when the workers run equally fast and start together. A helper
/// starts a little after the caller (it has to see the job), and on a shared machine one CPU
/// can run much slower than the other for long stretches (a virtual CPU whose host core is busy
/// with other work: one of two measured 1.3–1.5× slower for minutes at a time), so with an even
/// cut the caller waits for the slow run at every step. From each timed phase the runs' speeds
/// (nanoseconds per core) and start delays are smoothed, and the next cut gives each run the
/// cores that make the predicted ends equal.
///
/// Results never depend on the cut: within a phase each core touches only its own memory.
struct CoreRuns {
    let coreCount: Int
    let workers: Int
    /// Run r covers cores `starts[r]..<starts[r + 1]`.
    private(set) var starts: [Int]
    /// Smoothed nanoseconds per core and start delay (nanoseconds) of each run's worker (0
    /// until measured).
    private var nanosecondsPerCore: [Double]
    private var startDelay: [Double]

    /// Calls so far (see `nextCallIsTimed`).
    private var calls = 0
    /// Every this many calls a phase is timed: a timed call costs a few clock reads (about
    /// 40 ns each on a virtual machine).
    static let timingInterval = 8

    /// Counts a call of the phase; whether to time it (and `record` its times).
    mutating func nextCallIsTimed() -> Bool {
        calls &+= 1
        return calls % Self.timingInterval == 0
    }

    /// Weight of a new measurement in the smoothed values: one step's noise (an interrupt, a
    /// busy step) moves the cut little, a lasting difference within about a hundred steps (a
    /// phase is timed every `timingInterval` calls).
    static let smoothing = 0.125

    /// Even runs.
    init(coreCount: Int, workers: Int) {
        self.init(starts: Self.evenStarts(coreCount: coreCount, workers: workers))
    }

    /// Where even runs of `coreCount` cores over `workers` workers start (and the last ends):
    /// the cut of phases that are not balanced.
    static func evenStarts(coreCount: Int, workers: Int) -> [Int] {
        let workers = max(1, workers)
        return (0...workers).map { coreCount * $0 / workers }
    }

    /// Runs cut at `starts` (the first 0, the last the core count, each run at least one core
    /// where there are as many cores as runs).
    init(starts: [Int]) {
        precondition(starts.count >= 2 && starts.first == 0 && zip(starts, starts.dropFirst()).allSatisfy { $0 <= $1 }, "runs must cut the cores in order")
        self.starts = starts
        coreCount = starts.last ?? 0
        workers = starts.count - 1
        nanosecondsPerCore = Array(repeating: 0, count: workers)
        startDelay = Array(repeating: 0, count: workers)
    }

    /// Notes the parts' times of a phase run with these runs (`WorkerPool.run(timed:)`, part r
    /// = run r) and moves the cut: run r is predicted to end at delay_r + cores_r × cost_r
    /// (nanoseconds per core), so with T the common end, cores_r = (T − delay_r) / cost_r and
    /// Σ cores_r = coreCount. Every run keeps at least one core, so that its cost stays measured.
    mutating func record(_ times: [WorkerPool.PartTime]) {
        guard workers > 1, times.count == workers, coreCount >= workers else { return }
        for run in 0..<workers {
            let cores = starts[run + 1] - starts[run]
            guard cores > 0, times[run].end >= times[run].start else { continue }
            let cost = Double(times[run].end - times[run].start) / Double(cores)
            let delay = Double(times[run].start)
            if nanosecondsPerCore[run] > 0 {
                nanosecondsPerCore[run] += Self.smoothing * (cost - nanosecondsPerCore[run])
                startDelay[run] += Self.smoothing * (delay - startDelay[run])
            } else {
                nanosecondsPerCore[run] = cost
                startDelay[run] = delay
            }
        }
        guard nanosecondsPerCore.allSatisfy({ $0 > 0 }) else { return }
        var coresPerNanosecond = 0.0
        var delayedCores = 0.0
        for run in 0..<workers {
            coresPerNanosecond += 1 / nanosecondsPerCore[run]
            delayedCores += startDelay[run] / nanosecondsPerCore[run]
        }
        let end = (Double(coreCount) + delayedCores) / coresPerNanosecond
        var share = 0.0
        for run in 1..<workers {
            share += max(0, (end - startDelay[run - 1]) / nanosecondsPerCore[run - 1])
            // At least one core for every run before and after this boundary.
            starts[run] = min(max(Int(share.rounded()), starts[run - 1] + 1), coreCount - (workers - run))
        }
    }
}
