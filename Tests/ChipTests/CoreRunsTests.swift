import Testing
@testable import Chip

struct CoreRunsTests {
    /// Part times with the given start delays and nanoseconds per core for the runs' cores.
    static func times(_ runs: CoreRuns, delays: [UInt64], nanosecondsPerCore: [UInt64]) -> [WorkerPool.PartTime] {
        (0..<runs.workers).map { run in
            let cores = UInt64(runs.starts[run + 1] - runs.starts[run])
            return WorkerPool.PartTime(start: delays[run], end: delays[run] + cores * nanosecondsPerCore[run])
        }
    }

    @Test func runsStartEven() {
        #expect(CoreRuns(coreCount: 26, workers: 2).starts == [0, 13, 26])
        #expect(CoreRuns(coreCount: 10, workers: 3).starts == [0, 3, 6, 10])
        #expect(CoreRuns(coreCount: 5, workers: 1).starts == [0, 5])
    }

    /// A run twice as slow per core gets half the cores of the other: 26 × 2/3 ≈ 17.
    @Test func aSlowerRunGetsFewerCores() {
        var runs = CoreRuns(coreCount: 26, workers: 2)
        runs.record(Self.times(runs, delays: [0, 0], nanosecondsPerCore: [100, 200]))
        #expect(runs.starts == [0, 17, 26])
    }

    /// A run that starts 500 ns late at 100 ns per core gets 5 fewer cores: ends equal at
    /// (26 + 5) × 100 / 2 = 1,550 ns, so 15.5 → 16 cores for the first run.
    @Test func aLateRunGetsFewerCores() {
        var runs = CoreRuns(coreCount: 26, workers: 2)
        runs.record(Self.times(runs, delays: [0, 500], nanosecondsPerCore: [100, 100]))
        #expect(runs.starts == [0, 16, 26])
    }

    /// Equal runs keep the cut; three runs, one twice as slow: 10 cores at 1/(1 + 1 + 0.5) of
    /// the speed shares, 4, 4 and 2.
    @Test func equalRunsStayAndThreeRunsShare() {
        var even = CoreRuns(coreCount: 26, workers: 2)
        even.record(Self.times(even, delays: [0, 0], nanosecondsPerCore: [150, 150]))
        #expect(even.starts == [0, 13, 26])
        var three = CoreRuns(coreCount: 10, workers: 3)
        three.record(Self.times(three, delays: [0, 0, 0], nanosecondsPerCore: [100, 100, 200]))
        #expect(three.starts == [0, 4, 8, 10])
    }

    /// However slow, every run keeps a core (so its speed stays measured).
    @Test func everyRunKeepsACore() {
        var runs = CoreRuns(coreCount: 4, workers: 3)
        runs.record(Self.times(runs, delays: [0, 0, 0], nanosecondsPerCore: [1, 1_000_000, 1_000_000]))
        #expect(runs.starts == [0, 2, 3, 4])
        var first = CoreRuns(coreCount: 4, workers: 2)
        first.record(Self.times(first, delays: [0, 0], nanosecondsPerCore: [1_000_000, 1]))
        #expect(first.starts == [0, 1, 4])
    }

    /// Later measurements are smoothed: after a first measurement of 100 / 200 ns per core, one
    /// of equal costs moves the second run's only an eighth of the way (200 → 187.5), which
    /// keeps the cut at 17 (26 × 187.5 / 287.5 = 16.96); many more bring it back to 13.
    @Test func measurementsAreSmoothed() {
        var runs = CoreRuns(coreCount: 26, workers: 2)
        runs.record(Self.times(runs, delays: [0, 0], nanosecondsPerCore: [100, 200]))
        #expect(runs.starts == [0, 17, 26])
        runs.record(Self.times(runs, delays: [0, 0], nanosecondsPerCore: [100, 100]))
        #expect(runs.starts == [0, 17, 26])
        for _ in 0..<40 { runs.record(Self.times(runs, delays: [0, 0], nanosecondsPerCore: [100, 100])) }
        #expect(runs.starts == [0, 13, 26])
    }

    /// Every eighth call is timed.
    @Test func everyEighthCallIsTimed() {
        var runs = CoreRuns(coreCount: 8, workers: 2)
        let timed = (1...24).filter { _ in runs.nextCallIsTimed() }
        #expect(timed == [8, 16, 24])
    }

    /// Times that do not fit the runs leave the cut as it is.
    @Test func mismatchedTimesAreIgnored() {
        var runs = CoreRuns(coreCount: 26, workers: 2)
        runs.record([WorkerPool.PartTime(start: 0, end: 100)])
        #expect(runs.starts == [0, 13, 26])
        var one = CoreRuns(coreCount: 26, workers: 1)
        one.record([WorkerPool.PartTime(start: 0, end: 100)])
        #expect(one.starts == [0, 26])
    }
}
