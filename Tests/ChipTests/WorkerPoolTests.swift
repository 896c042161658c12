import Foundation
import Synchronization
import Testing
@testable import Chip

struct WorkerPoolTests {
    /// Every part of every job runs exactly once, and `run` returns only after all have (with
    /// more threads than CPUs too, where helpers often see a job late).
    @Test(arguments: [1, 2, 3, 4])
    func everyPartRunsOncePerJob(threads: Int) {
        let pool = WorkerPool(threads: threads)
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: threads)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0)
        nonisolated(unsafe) let shared = counts
        let jobs = 2_000
        for job in 1...jobs {
            pool.run { part in shared[part] += 1 }
            // All parts of this job are done when run returns.
            #expect(counts.allSatisfy { $0 == job })
            if counts.contains(where: { $0 != job }) { return }
        }
    }

    /// Part 0 always runs on the calling thread, and part p on one helper of its own unless the
    /// caller, done first, found it unstarted: a part's data stays with one CPU.
    @Test(arguments: [2, 3])
    func partsStayWithTheirThreads(threads: Int) {
        let pool = WorkerPool(threads: threads)
        let jobs = 2_000
        let runners = UnsafeMutableBufferPointer<pthread_t>.allocate(capacity: jobs * threads)
        defer { runners.deallocate() }
        nonisolated(unsafe) let shared = runners
        let caller = pthread_self()
        for job in 0..<jobs {
            pool.run { part in shared[job * threads + part] = pthread_self() }
        }
        var helperOfPart: [Int: pthread_t] = [:]
        for job in 0..<jobs {
            #expect(runners[job * threads] == caller, "job \(job): part 0 ran on a helper")
            for part in 1..<threads where runners[job * threads + part] != caller {
                let runner = runners[job * threads + part]
                #expect(helperOfPart[part, default: runner] == runner, "job \(job): part \(part) moved to another helper")
                helperOfPart[part] = runner
            }
        }
        #expect(Set(helperOfPart.values).count == helperOfPart.count, "two parts share a helper")
    }

    /// `callerFirst` runs once per job, on the calling thread, before part 0 (with a pool of
    /// one thread too, which runs the parts in turn).
    @Test(arguments: [1, 2, 3])
    func callerFirstRunsOnTheCallerBeforePartZero(threads: Int) {
        let pool = WorkerPool(threads: threads)
        let caller = pthread_self()
        let firstRuns = Atomic<Int>(0)
        let seenByPartZero = UnsafeMutableBufferPointer<Int>.allocate(capacity: 1)
        defer { seenByPartZero.deallocate() }
        nonisolated(unsafe) let seen = seenByPartZero
        for job in 1...500 {
            var runner: pthread_t?
            pool.run(callerFirst: {
                runner = pthread_self()
                firstRuns.add(1, ordering: .relaxed)
            }) { part in
                if part == 0 { seen[0] = firstRuns.load(ordering: .relaxed) }
            }
            #expect(runner == caller, "job \(job): callerFirst ran on another thread")
            #expect(seenByPartZero[0] == job && firstRuns.load(ordering: .relaxed) == job, "job \(job): callerFirst did not run once before part 0")
            if seenByPartZero[0] != job { return }
        }
    }

    /// A plain job (`run(context:_:)`) runs every part once with the context it was handed,
    /// also when the pool alternates it with closure jobs and the context changes between jobs.
    @Test(arguments: [1, 2, 3])
    func plainJobsRunEveryPartOnceWithTheirContext(threads: Int) {
        let pool = WorkerPool(threads: threads)
        // Word 0: the job's number; words 1…threads: what each part saw.
        let first = UnsafeMutableBufferPointer<Int>.allocate(capacity: threads + 1)
        let second = UnsafeMutableBufferPointer<Int>.allocate(capacity: threads + 1)
        defer { first.deallocate(); second.deallocate() }
        first.initialize(repeating: 0)
        second.initialize(repeating: 0)
        let closureRuns = Atomic<Int>(0)
        for job in 1...1_000 {
            let context = job % 3 == 0 ? second : first
            // Written by `prepare`, which every part must see done.
            pool.run(context: UnsafeMutableRawPointer(context.baseAddress!), prepare: { context[0] = job }) { context, part in
                let words = context.assumingMemoryBound(to: Int.self)
                words[part + 1] = words[0]
            }
            #expect(context[1...].allSatisfy { $0 == job }, "job \(job): a part missed the job or its context")
            if context[1...].contains(where: { $0 != job }) { return }
            if job % 5 == 0 { pool.run { _ in closureRuns.add(1, ordering: .relaxed) } }
        }
        #expect(closureRuns.load(ordering: .relaxed) == 200 * threads)
    }

    /// Helpers park after `spinNanoseconds` without a job; a job handed out while one parks
    /// either wakes it or leaves its part to the caller. Either way every part runs once per
    /// job, and no job waits for a helper that missed its wake. (Which thread ran a part
    /// depends on the load, so the test does not ask.)
    @Test func parkingHelpersMissNoPart() {
        let threads = 3
        let pool = WorkerPool(threads: threads)
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: threads)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0)
        nonisolated(unsafe) let shared = counts
        let gaps = [0, 150, 190, 200, 210, 250, 400]  // microseconds around the spin time
        for job in 1...300 {
            usleep(UInt32(gaps[job % gaps.count]))
            pool.run { part in shared[part] += 1 }
            #expect(counts.allSatisfy { $0 == job }, "job \(job): a part ran \(Array(counts)) times")
            if counts.contains(where: { $0 != job }) { return }
        }
    }

    /// `runRounds`: each helper's part runs once per job, unless the caller took it over
    /// (`takeOver` true), in which case the caller does that part's work and the helper never
    /// runs it; with some takeovers asked for at once (before a helper could start) and some
    /// after a wait, every part's work is done exactly once per job, and the pool serves plain
    /// jobs afterwards. (Which side wins a takeover depends on the load, so the test does not
    /// ask.) One thread runs nothing and says so.
    @Test(arguments: [2, 3])
    func roundsRunEveryPartOnceTakenOverOrNot(threads: Int) {
        let pool = WorkerPool(threads: threads)
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: threads)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0)
        for job in 1...600 {
            let ran = pool.runRounds(context: UnsafeMutableRawPointer(counts.baseAddress!)) { takeOver in
                counts[0] += 1
                for part in 1..<threads where job % 3 != 0 {
                    if job % 3 == 2 { usleep(50) }
                    if takeOver(part) { counts[part] += 1 }
                }
            } _: { context, part in
                context.assumingMemoryBound(to: Int.self)[part] += 1
            }
            #expect(ran)
            #expect(counts.allSatisfy { $0 == job }, "job \(job): parts ran \(Array(counts)) times")
            if counts.contains(where: { $0 != job }) { return }
        }
        nonisolated(unsafe) let shared = counts
        pool.run { part in shared[part] += 1 }
        #expect(counts.allSatisfy { $0 == 601 })
        let single = WorkerPool(threads: 1)
        let ranAlone = single.runRounds(context: UnsafeMutableRawPointer(counts.baseAddress!)) { _ in counts[0] += 1 } _: { _, _ in }
        #expect(!ranAlone && counts[0] == 601)
    }

    /// `run(claiming:)` runs every item exactly once, each on a valid part, and returns after
    /// all have run; items left over by one part are taken by the others.
    @Test(arguments: [1, 2, 3])
    func everyClaimedItemRunsOnce(threads: Int) {
        let pool = WorkerPool(threads: threads)
        for items in [0, 1, 2, 7, 100] {
            let runs = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, items))
            defer { runs.deallocate() }
            runs.initialize(repeating: 0)
            let parts = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, items))
            defer { parts.deallocate() }
            parts.initialize(repeating: -1)
            nonisolated(unsafe) let sharedRuns = runs
            nonisolated(unsafe) let sharedParts = parts
            pool.run(claiming: items) { part, item in
                sharedRuns[item] += 1
                sharedParts[item] = part
            }
            #expect(runs.prefix(items).allSatisfy { $0 == 1 }, "items \(items)")
            #expect(parts.prefix(items).allSatisfy { (0..<threads).contains($0) }, "items \(items)")
        }
    }

    /// `start(claiming:)` returns at once; until `finish`, the pool is that job's, so another job
    /// of the caller's runs every part on the calling thread; `finish` returns once every item has
    /// run exactly once. With one thread, or while a started job holds the pool, `start` runs
    /// nothing and says so.
    @Test(arguments: [2, 3])
    func startedJobRunsEveryItemOnceWhileTheCallerWorks(threads: Int) {
        let pool = WorkerPool(threads: threads)
        let caller = pthread_self()
        for items in [0, 1, 5, 100] {
            let runs = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, items))
            defer { runs.deallocate() }
            runs.initialize(repeating: 0)
            nonisolated(unsafe) let sharedRuns = runs
            guard let job = pool.start(claiming: items, { _, item in sharedRuns[item] += 1 }) else {
                Issue.record("a free pool with \(threads) threads did not start the job")
                return
            }
            #expect(pool.start(claiming: 1, { _, _ in }) == nil)
            let partThreads = UnsafeMutableBufferPointer<pthread_t>.allocate(capacity: threads)
            defer { partThreads.deallocate() }
            partThreads.initialize(repeating: 0)
            nonisolated(unsafe) let sharedThreads = partThreads
            pool.run { part in sharedThreads[part] = pthread_self() }
            #expect(partThreads.allSatisfy { pthread_equal($0, caller) != 0 }, "items \(items)")
            pool.finish(job)
            #expect(runs.prefix(items).allSatisfy { $0 == 1 }, "items \(items)")
        }
        #expect(WorkerPool(threads: 1).start(claiming: 3, { _, _ in }) == nil)
    }

    /// A timed job returns each part's start and end, in order, and covering the part's work
    /// (here a sleep of 200 µs); an untimed job returns none.
    @Test(arguments: [1, 2, 3])
    func timedJobsReturnEachPartsTimes(threads: Int) {
        let pool = WorkerPool(threads: threads)
        #expect(pool.run { _ in }.isEmpty)
        for _ in 0..<20 {
            let times = pool.run(timed: true) { _ in usleep(200) }
            #expect(times.count == threads)
            #expect(times.allSatisfy { $0.start <= $0.end && $0.end - $0.start >= 200_000 })
        }
    }

    /// Pools come and go (an engine makes one on first use): helpers stop with their pool.
    @Test func poolsComeAndGo() {
        let total = Atomic<Int>(0)
        for _ in 0..<200 {
            let pool = WorkerPool(threads: 2)
            for _ in 0..<5 { pool.run { part in total.wrappingAdd(part + 1, ordering: .relaxed) } }
        }
        #expect(total.load(ordering: .relaxed) == 200 * 5 * 3)
    }
}
