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
    /// Threads a job is split over: the caller and `threads − 1` helpers.
    public let threads: Int
    private let state: State

    /// How long a helper keeps polling for the next job before it parks (nanoseconds).
    static let spinNanoseconds: UInt64 = 200_000

    /// - Parameter threads: parts a job is split into (1 starts no helper).
    public init(threads: Int) {
        self.threads = max(1, threads)
        state = State(helpers: self.threads - 1)
        for helper in 0..<(self.threads - 1) {
            let state = self.state
            let thread = Thread { state.serve(part: helper + 1) }
            thread.start()
        }
    }

    deinit {
        state.stop()
    }

    /// Runs `body(part)` for every part in `0..<threads`, part 0 on the calling thread, and
    /// returns when all have finished.
    public func run(_ body: @escaping @Sendable (_ part: Int) -> Void) {
        guard threads > 1, state.claim() else {
            for part in 0..<threads { body(part) }
            return
        }
        state.start(body)
        body(0)
        state.waitForHelpers()
        state.release()
    }

    /// What the caller and the helpers share.
    private final class State: Sendable {
        /// One helper's parking place.
        final class Slot: Sendable {
            let isParked = Atomic<Bool>(false)
            let wakeUp = DispatchSemaphore(value: 0)
        }

        let slots: [Slot]
        /// Incremented for each job; a helper runs a job when it sees a new value.
        let generation = Atomic<Int>(0)
        /// Helpers done with the current job.
        let finished = Atomic<Int>(0)
        let isClaimed = Atomic<Bool>(false)
        let isStopping = Atomic<Bool>(false)
        /// The current job: written by the caller before it publishes `generation`, read by the
        /// helpers after they see it (the atomics' release and acquire order these accesses).
        nonisolated(unsafe) var job: (@Sendable (Int) -> Void)?

        init(helpers: Int) {
            slots = (0..<helpers).map { _ in Slot() }
        }

        func claim() -> Bool {
            !isClaimed.exchange(true, ordering: .acquiring)
        }

        func release() {
            isClaimed.store(false, ordering: .releasing)
        }

        func start(_ body: @escaping @Sendable (Int) -> Void) {
            job = body
            finished.store(0, ordering: .relaxed)
            generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
            wakeParkedHelpers()
        }

        func waitForHelpers() {
            while finished.load(ordering: .acquiring) < slots.count { spinPause() }
            job = nil
        }

        func stop() {
            isStopping.store(true, ordering: .sequentiallyConsistent)
            generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
            wakeParkedHelpers()
        }

        /// After a new generation: a helper about to park either sees that generation after it
        /// marked itself parked, or is seen parked here and woken (both may happen; then the
        /// helper consumes the signal).
        private func wakeParkedHelpers() {
            for slot in slots where slot.isParked.exchange(false, ordering: .sequentiallyConsistent) {
                slot.wakeUp.signal()
            }
        }

        /// A helper's loop: wait for each new job, run its part, count it finished.
        func serve(part: Int) {
            let slot = slots[part - 1]
            var seen = 0  // the generation before the first job (the thread may start after it)
            while true {
                seen = waitForJob(after: seen, slot: slot)
                if isStopping.load(ordering: .acquiring) { return }
                job?(part)
                finished.wrappingAdd(1, ordering: .releasing)
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
