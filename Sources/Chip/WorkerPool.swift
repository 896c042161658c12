import Dispatch
import Foundation
import Synchronization

/// Helper threads that stay awake between the phases of a step.
///
/// A step runs two parallel phases separated by serial work (listing, routing and sorting
/// packets) of tens to hundreds of microseconds. `DispatchQueue.concurrentPerform` parks its
/// threads in that gap, and waking a parked thread took 50–70 µs on the development machine:
/// as long as the whole phase on `cuba-40k`, so a second thread gained almost nothing. These
/// helpers spin for `spinNanoseconds` after each job before they park, so the next phase
/// starts within about a microsecond.
///
/// A class, because the helpers share its state; engines copied from one another share one
/// pool, and a pool busy with one caller runs another caller's job on the calling thread
/// (results never depend on which thread runs a part).
public final class WorkerPool: Sendable {
    /// A line of nothing on each side of the fields a hand-out reads: the pool is a small object,
    /// and memory allocated next to it (its threads' objects, say) may be written by another
    /// CPU, which would take the line with these fields away at every step.
    private let beforeFields = CacheLinePadding()
    /// Parts a job is split into, run by the caller and `threads − 1` helpers.
    public let threads: Int
    private let state: State
    private let afterFields = CacheLinePadding()

    /// How long a helper keeps polling for the next job before it parks (nanoseconds).
    static let spinNanoseconds: UInt64 = 200_000

    /// - Parameter threads: parts a job is split into (1 starts no helper).
    public init(threads: Int) {
        self.threads = max(1, threads)
        state = State(helpers: self.threads - 1)
        for helper in 0..<(self.threads - 1) {
            let state = self.state
            let thread = Thread { state.serve(helper: helper) }
            thread.start()
        }
    }

    deinit {
        state.stop()
    }

    /// Runs `body(part)` once for every part in `0..<threads` and returns when all have
    /// finished. Part 0 runs on the calling thread and part h + 1 on helper h, so that a part's
    /// data stays in one CPU's cache from job to job; but a helper claims its part before it
    /// runs it, and the caller, done with its own and still waiting a little later, runs every
    /// part whose helper has not started it — a helper slow to start or to wake leaves its part
    /// to the caller instead of holding it up (one descheduled in the middle of a part still
    /// does).
    ///
    /// With `timed`, returns when each part started and ended, in nanoseconds from the job's
    /// hand-out (for callers that cut their work to the threads' measured speed: `CoreRuns`);
    /// otherwise an empty array.
    ///
    /// `callerFirst` runs on the calling thread once the helpers may start, before part 0 (whose
    /// start time includes it): work of the caller's own that overlaps the helpers' parts.
    @discardableResult
    public func run(timed: Bool = false, callerFirst: () -> Void = {}, _ body: @escaping @Sendable (_ part: Int) -> Void) -> [PartTime] {
        guard threads > 1, state.claim() else { return runInTurn(timed: timed, callerFirst: callerFirst, body) }
        state.setJob(body)
        return handOut(timed: timed, callerFirst: callerFirst)
    }

    /// A part of a job given as a plain function of a context (`run(context:_:)`).
    public typealias PlainPart = @convention(c) (_ context: UnsafeMutableRawPointer, _ part: Int) -> Void

    /// `run` for a job given as a plain function, `part(context, p)` for part p, of a context the
    /// caller keeps valid until the call returns. A hand-out then allocates, retains and
    /// releases nothing: each of those moved a cache line between the CPUs on a closure's
    /// context. A caller that keeps one context from job to job and rewrites only what changed
    /// leaves the lines a helper read last time valid in its cache, so the helper starts sooner.
    ///
    /// `prepare` runs first, once the pool is the caller's: the place to rewrite the context.
    /// Those stores take the lines back from the helper that read them; written after the
    /// claim's locked exchange (which would otherwise wait for them), they drain while the
    /// caller goes on, together with the job's publication.
    @discardableResult
    public func run(
        timed: Bool = false, callerFirst: () -> Void = {}, context: UnsafeMutableRawPointer, prepare: () -> Void = {}, _ part: PlainPart
    ) -> [PartTime] {
        guard threads > 1, state.claim() else {
            prepare()
            return runInTurn(timed: timed, callerFirst: callerFirst) { part(context, $0) }
        }
        prepare()
        state.setPlainJob(part, context: context)
        return handOut(timed: timed, callerFirst: callerFirst)
    }

    /// Runs a job whose parts each go through many rounds, waiting for one another between
    /// rounds by means of their own (`ChipEngine.runPulledSteps`): helper h runs
    /// `part(context, h + 1)` once, and the caller runs `caller`, not a part function. Because
    /// the caller waits for the helpers inside `caller`, a helper that has not started (it may
    /// have missed its wake) would hold it up for good; `caller` gets `takeOver`, which claims
    /// part p for the caller if no helper has (true: the caller must then do that part's work
    /// itself, and its helper never will).
    ///
    /// Returns false, having run nothing, with one thread or while the pool runs another
    /// caller's job (the caller then does the work another way).
    public func runRounds(
        context: UnsafeMutableRawPointer, prepare: () -> Void = {}, caller: (_ takeOver: (_ part: Int) -> Bool) -> Void, _ part: PlainPart
    ) -> Bool {
        guard threads > 1, state.claim() else { return false }
        prepare()
        state.setPlainJob(part, context: context)
        if state.isTimed { state.isTimed = false }
        let generation = state.start()
        caller { part in state.takeOver(part: part, ofJob: generation) }
        state.partsDone.wrappingAdd(1, ordering: .releasing)  // the caller's own
        state.waitForParts(ofJob: generation)
        state.release()
        return true
    }

    /// Every part on the calling thread in turn: one thread, or the pool busy with another
    /// caller's job.
    private func runInTurn(timed: Bool, callerFirst: () -> Void, _ body: (Int) -> Void) -> [PartTime] {
        let start = timed ? Self.nanoseconds() : 0
        callerFirst()
        var times: [PartTime] = []
        for part in 0..<threads {
            let partStart = timed ? Self.nanoseconds() &- start : 0
            body(part)
            if timed { times.append(PartTime(start: partStart, end: Self.nanoseconds() &- start)) }
        }
        return times
    }

    /// Hands the job set in the claimed state to the helpers, runs `callerFirst` and part 0,
    /// and waits for the other parts.
    private func handOut(timed: Bool, callerFirst: () -> Void) -> [PartTime] {
        if state.isTimed != timed { state.isTimed = timed }
        if timed { state.jobStart = Self.nanoseconds() }
        let generation = state.start()
        callerFirst()
        state.run(part: 0)
        state.waitForParts(ofJob: generation)
        let times = timed ? Array(state.partTimes) : []
        state.release()
        return times
    }

    /// When a part of a timed job started and ended (nanoseconds from the job's hand-out).
    public struct PartTime: Sendable, Equatable {
        /// When the part started, in nanoseconds from the job's hand-out.
        public var start: UInt64
        /// When the part ended, in nanoseconds from the job's hand-out.
        public var end: UInt64
    }

    static func nanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Runs `body(part, item)` once for every item in `0..<items`: each part claims the next
    /// unclaimed item until none is left, so a thread that is faster (or starts earlier) runs
    /// more of them. A part runs on one thread at a time, so state kept per part needs no
    /// lock. Only for items whose results do not depend on which part runs them.
    public func run(claiming items: Int, _ body: @escaping @Sendable (_ part: Int, _ item: Int) -> Void) {
        run(Self.claimingJob(items: items, body))
    }

    /// A job handed out by `start(claiming:_:)`, to be completed by `finish`.
    public struct StartedJob: Sendable {
        fileprivate let generation: Int
    }

    /// `run(claiming:_:)` without waiting for it: the helpers start claiming items at once and
    /// the caller goes on with work of its own, then calls `finish`, which claims what is left
    /// on the calling thread and waits for the rest. Until then the pool is this job's, so the
    /// caller's other jobs run in turn on the calling thread (`run`), as with one thread.
    /// Returns nil, having run nothing, with one thread or while the pool runs another job.
    public func start(claiming items: Int, _ body: @escaping @Sendable (_ part: Int, _ item: Int) -> Void) -> StartedJob? {
        guard threads > 1, state.claim() else { return nil }
        state.setJob(Self.claimingJob(items: items, body))
        if state.isTimed { state.isTimed = false }
        return StartedJob(generation: state.start())
    }

    /// Completes a job from `start(claiming:_:)`: runs part 0 on the calling thread (the items
    /// not yet claimed) and waits for the helpers' parts.
    public func finish(_ job: StartedJob) {
        state.run(part: 0)
        state.waitForParts(ofJob: job.generation)
        state.release()
    }

    /// One part of a claiming job: the next unclaimed item until none is left.
    private static func claimingJob(items: Int, _ body: @escaping @Sendable (Int, Int) -> Void) -> @Sendable (Int) -> Void {
        let claims = Claims()
        return { part in
            while true {
                let item = claims.next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard item < items else { return }
                body(part, item)
            }
        }
    }

    /// The items of one `run(claiming:)` call claimed so far.
    private final class Claims: Sendable {
        let next = Atomic<Int>(0)
    }

    /// What the caller and the helpers share.
    private final class State: Sendable {
        /// One helper's parking place.
        final class Slot: Sendable {
            let isParked = Atomic<Bool>(false)
            let wakeUp = DispatchSemaphore(value: 0)
        }

        /// Who runs one part of each job: `claimedJob` is the generation of the last job whose
        /// part was claimed (generations only grow, so a smaller value means not yet claimed in
        /// this job). Each part's claim is its own object, with the value on a line of its own (not
        /// the object header's, which retains write), so its owner's claims stay in its cache.
        final class PartClaim: Sendable {
            private let afterHeader = CacheLinePadding()
            let claimedJob = Atomic<Int>(0)
            private let afterClaimedJob = CacheLinePadding()

            /// Claims the part in job `job`; false if another thread already has, or if the
            /// part has been claimed in a later job (a helper that saw `job` late).
            func claim(job: Int) -> Bool {
                var claimed = claimedJob.load(ordering: .relaxed)
                while claimed < job {
                    let (exchanged, original) = claimedJob.compareExchange(
                        expected: claimed, desired: job, successOrdering: .acquiringAndReleasing, failureOrdering: .relaxed)
                    if exchanged { return true }
                    claimed = original
                }
                return false
            }
        }

        // The fields sit in four groups, each on cache lines of its own (stored properties are
        // laid out in order; a padding is a whole line): the idle helpers poll `generation`
        // without end, so a field the caller writes on that line would move between the CPUs
        // with each write. (With the job on that line too, a hand-off took 25 % longer.)

        /// Incremented for each job; a helper looks for parts to run when it sees a new value.
        let generation = Atomic<Int>(0)
        let isStopping = Atomic<Bool>(false)
        private let afterPolling = CacheLinePadding()
        /// Parts finished, over all jobs: never reset, because the caller's store of a reset
        /// would first have to take the line back from the helper that counted last.
        let partsDone = Atomic<Int>(0)
        private let afterDone = CacheLinePadding()
        /// Whether a caller owns the pool for its current job.
        let isClaimed = Atomic<Bool>(false)
        /// `partsDone` once the current job is done (only the caller that owns the pool reads
        /// or writes it).
        nonisolated(unsafe) var partsDoneAfterJob = 0
        private let afterClaimed = CacheLinePadding()
        /// The current job, a closure or a plain function and its context: written by the caller
        /// before it publishes `generation`, read by the helpers after they see it (the atomics'
        /// release and acquire order these accesses). On lines of their own (the caller writes
        /// `isClaimed` at every job) and written only where they change, so that a plain job
        /// handed out again finds them still in the helpers' caches.
        nonisolated(unsafe) var job: (@Sendable (Int) -> Void)?
        nonisolated(unsafe) var plainPart: PlainPart?
        nonisolated(unsafe) var plainContext: UnsafeMutableRawPointer?
        /// Whether the current job notes its parts' times, and when it was handed out (written
        /// before `generation` is published, like `job`).
        nonisolated(unsafe) var isTimed = false
        nonisolated(unsafe) var jobStart: UInt64 = 0
        let slots: [Slot]
        /// Helper h's part (h + 1); the caller's part 0 needs no claim.
        let claims: [PartClaim]
        /// Parts of a job (one per thread).
        let partCount: Int

        /// Each part's start and end in the current job, if timed: part p's entry is written
        /// only by the thread running it and read after `waitForParts`. Its own cache lines.
        nonisolated(unsafe) let partTimes: UnsafeMutableBufferPointer<PartTime>

        init(helpers: Int) {
            slots = (0..<helpers).map { _ in Slot() }
            claims = (0..<helpers).map { _ in PartClaim() }
            partCount = helpers + 1
            partTimes = .allocate(capacity: partCount)
            partTimes.initialize(repeating: PartTime(start: 0, end: 0))
        }

        deinit {
            partTimes.deallocate()
        }

        func claim() -> Bool {
            !isClaimed.exchange(true, ordering: .acquiring)
        }

        func release() {
            isClaimed.store(false, ordering: .releasing)
        }

        /// Makes `body` the job of the next hand-out (`start`).
        func setJob(_ body: @escaping @Sendable (Int) -> Void) {
            job = body
            if plainPart != nil { plainPart = nil }
        }

        /// Makes `part` of `context` the job of the next hand-out, writing only what changed.
        func setPlainJob(_ part: PlainPart, context: UnsafeMutableRawPointer) {
            if job != nil { job = nil }
            let address = unsafeBitCast(part, to: UnsafeRawPointer.self)
            if plainPart.map({ unsafeBitCast($0, to: UnsafeRawPointer.self) }) != address { plainPart = part }
            if plainContext != context { plainContext = context }
        }

        /// Hands out the job set (`setJob`, `setPlainJob`); returns its generation.
        func start() -> Int {
            partsDoneAfterJob &+= partCount
            // Publishes `job`: a helper that sees this generation sees it. A plain store (only
            // the caller that owns the pool writes `generation`): a locked add would wait here
            // until the job's lines and this one were taken from the helpers' caches.
            let current = generation.load(ordering: .relaxed) &+ 1
            generation.store(current, ordering: .releasing)
            wakeParkedHelpers()
            return current
        }

        /// Runs part `part` of the current job (the caller's, or claimed by this thread) and
        /// counts it done.
        func run(part: Int) {
            let timed = isTimed
            let start = timed ? WorkerPool.nanoseconds() &- jobStart : 0
            if let plainPart, let plainContext {
                plainPart(plainContext, part)
            } else {
                job?(part)
            }
            if timed { partTimes[part] = PartTime(start: start, end: WorkerPool.nanoseconds() &- jobStart) }
            partsDone.wrappingAdd(1, ordering: .releasing)
        }

        /// Waits until every part of job `generation` is done; after `pollsBeforeTakingParts`
        /// polls, runs the parts no helper has claimed yet. (Looking at a helper's claim moves its
        /// line to this CPU and back, so the caller looks only once the job runs long.)
        func waitForParts(ofJob generation: Int) {
            var polls = 0
            while partsDone.load(ordering: .acquiring) < partsDoneAfterJob {
                polls &+= 1
                if polls == Self.pollsBeforeTakingParts {
                    for helper in claims.indices where claims[helper].claim(job: generation) { run(part: helper + 1) }
                }
                spinPause()
            }
            if job != nil { job = nil }  // a plain job stays set: it holds nothing
        }

        /// Claims part `part` (1 or more) of job `generation` for the caller, if its helper has
        /// not, and counts it done (the caller does its work before its own part ends).
        func takeOver(part: Int, ofJob generation: Int) -> Bool {
            guard part >= 1, part < partCount, claims[part - 1].claim(job: generation) else { return false }
            partsDone.wrappingAdd(1, ordering: .releasing)
            return true
        }

        /// Polls of `waitForParts` before the caller takes unstarted parts: about a
        /// microsecond (0.9 µs on the second development machine), longer than a helper that
        /// polls takes to see a job.
        static let pollsBeforeTakingParts = 256

        func stop() {
            isStopping.store(true, ordering: .sequentiallyConsistent)
            generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
            wakeParkedHelpers()
        }

        /// After a new generation: wakes the helpers seen parked. A helper about to park looks
        /// at `generation` after it marks itself parked; after `stop`'s locked add it either
        /// sees the new generation or is seen parked here (both may happen; then the helper
        /// consumes the signal). After `start`'s plain store, this load may run before the
        /// store is seen, so a helper parking at that moment can miss both: the caller then
        /// runs its part (`waitForParts`) and the next job wakes it. Helpers park only after
        /// `spinNanoseconds` without a job, where a microsecond more does not matter; a hand-out
        /// without any locked instruction matters at every step. Slots by index: iterating
        /// them would retain each, a locked write.
        private func wakeParkedHelpers() {
            for helper in slots.indices where slots[helper].isParked.load(ordering: .sequentiallyConsistent)
                && slots[helper].isParked.exchange(false, ordering: .sequentiallyConsistent) {
                slots[helper].wakeUp.signal()
            }
        }

        /// A helper's loop: wait for each new job and run its part, unless the caller has taken it.
        func serve(helper: Int) {
            let slot = slots[helper]
            // Held for the thread's life: taken from `claims` at each job, it was retained and
            // released there, two locked writes on the path from a job's hand-out to its part.
            let claim = claims[helper]
            var seen = 0  // the generation before the first job (the thread may start after it)
            let part = helper + 1
            while true {
                seen = waitForJob(after: seen, slot: slot)
                if isStopping.load(ordering: .acquiring) { return }
                if claim.claim(job: seen) { run(part: part) }
            }
        }

        /// Polls until `generation` moves past `seen`, parking after `spinNanoseconds`.
        private func waitForJob(after seen: Int, slot: Slot) -> Int {
            var spinStart: UInt64 = 0
            var polls = 0
            while true {
                let current = generation.load(ordering: .acquiring)
                if current != seen { return current }
                polls &+= 1
                if polls & 255 != 0 {
                    spinPause()
                    continue
                }
                let now = DispatchTime.now().uptimeNanoseconds
                if spinStart == 0 { spinStart = now }
                guard now - spinStart > WorkerPool.spinNanoseconds else { continue }
                slot.isParked.store(true, ordering: .sequentiallyConsistent)
                if generation.load(ordering: .sequentiallyConsistent) == seen || !slot.isParked.exchange(false, ordering: .sequentiallyConsistent) {
                    // Parked with no job yet, or the caller saw the mark and signals: wait.
                    slot.wakeUp.wait()
                }
                spinStart = 0
            }
        }

        @inline(__always)
        private func spinPause() {
            // No pause instruction is reachable from Swift; a few plain loads keep the polling
            // loop from hammering the shared line.
            for _ in 0..<8 { _ = isStopping.load(ordering: .relaxed) }
        }
    }
}

/// One 64-byte cache line of nothing, between fields that different threads write.
private struct CacheLinePadding {
    private let words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
}
