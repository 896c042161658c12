/// Sorting of packed 64-bit event keys (`EventKey.rawValue`), the clock's hot path.
///
/// Keys are unique (each carries its packet's rank), so stability is irrelevant and a plain
/// introsort applies: median-of-three quicksort, insertion sort up to 16 keys, heapsort when the
/// recursion gets deeper than 2·log2(n) — O(n log n) on any input. The standard library's
/// stable sort cost about 140 instructions per key on the synapse units' short lists.
public enum KeySort {
    /// Sorts `keys` ascending, in place. Inlinable, so that the callers' short lists (a core's
    /// few packets of a step) are sorted without a call into this module.
    @inlinable
    public static func sort(_ keys: UnsafeMutableBufferPointer<UInt64>) {
        guard keys.count > 1, let base = keys.baseAddress else { return }
        if keys.count <= insertionLimit {
            insertionSort(base, 0, keys.count)
            return
        }
        sortLong(base, keys.count)
    }

    /// Lists up to this long are sorted by insertion (a constant, not a stored global, so that
    /// inlined callers need no lazy initialization check).
    @inlinable static var insertionLimit: Int { 16 }

    @usableFromInline
    static func sortLong(_ base: UnsafeMutablePointer<UInt64>, _ count: Int) {
        var depthLimit = 0
        var n = count
        while n > 0 {
            depthLimit += 2
            n >>= 1
        }
        introsort(base, 0, count, depthLimit)
    }

    private static func introsort(_ keys: UnsafeMutablePointer<UInt64>, _ low: Int, _ high: Int, _ depth: Int) {
        var low = low
        var high = high
        var depth = depth
        while high - low > insertionLimit {
            if depth == 0 {
                heapsort(keys + low, high - low)
                return
            }
            depth -= 1
            let pivot = medianOfThree(keys[low], keys[low + (high - low) / 2], keys[high - 1])
            // Hoare partition: [low, split) ≤ pivot ≤ [split, high).
            var i = low - 1
            var j = high
            while true {
                repeat { i += 1 } while keys[i] < pivot
                repeat { j -= 1 } while keys[j] > pivot
                if i >= j { break }
                let swap = keys[i]
                keys[i] = keys[j]
                keys[j] = swap
            }
            let split = j + 1
            // Recurse into the smaller side, loop on the larger: stack depth stays O(log n).
            if split - low < high - split {
                introsort(keys, low, split, depth)
                low = split
            } else {
                introsort(keys, split, high, depth)
                high = split
            }
        }
        insertionSort(keys, low, high)
    }

    @inline(__always)
    private static func medianOfThree(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
        max(min(a, b), min(max(a, b), c))
    }

    @usableFromInline
    static func insertionSort(_ keys: UnsafeMutablePointer<UInt64>, _ low: Int, _ high: Int) {
        guard high - low > 1 else { return }
        for i in (low &+ 1)..<high {
            let key = keys[i]
            var j = i
            // Indices stay within low...high, so the arithmetic cannot wrap.
            while j > low && keys[j &- 1] > key {
                keys[j] = keys[j &- 1]
                j &-= 1
            }
            keys[j] = key
        }
    }

    private static func heapsort(_ keys: UnsafeMutablePointer<UInt64>, _ count: Int) {
        func siftDown(_ start: Int, _ end: Int) {
            var root = start
            while 2 * root + 1 < end {
                var child = 2 * root + 1
                if child + 1 < end && keys[child] < keys[child + 1] { child += 1 }
                guard keys[root] < keys[child] else { return }
                let swap = keys[root]
                keys[root] = keys[child]
                keys[child] = swap
                root = child
            }
        }
        for start in stride(from: count / 2 - 1, through: 0, by: -1) { siftDown(start, count) }
        for end in stride(from: count - 1, to: 0, by: -1) {
            let swap = keys[0]
            keys[0] = keys[end]
            keys[end] = swap
            siftDown(0, end)
        }
    }
}
