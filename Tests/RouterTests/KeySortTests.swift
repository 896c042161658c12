import Testing
@testable import Router

struct KeySortTests {
    /// Random, sorted, reversed, few-distinct-high-bits and tiny inputs all come out equal to the
    /// standard library's sort.
    @Test(arguments: [0, 1, 2, 3, 16, 17, 23, 24, 25, 100, 1_000, 20_000])
    func matchesTheStandardSort(count: Int) {
        var generator = SplitMix64(seed: UInt64(count) &+ 7)
        let random = (0..<count).map { _ in generator.next() }
        let clustered = (0..<count).map { UInt64($0 % 5) << 40 | UInt64(count - $0) }
        for input in [random, random.sorted(), random.sorted().reversed(), clustered] {
            var keys = Array(input)
            keys.withUnsafeMutableBufferPointer { KeySort.sort($0) }
            #expect(keys == input.sorted())
        }
    }

    /// An adversarial organ-pipe input drives quicksort deep; the heapsort fallback still sorts it.
    @Test func organPipeInputIsSorted() {
        let half = (0..<5_000).map { UInt64($0) }
        var keys = half + half.reversed().map { $0 + 5_000 }
        let expected = keys.sorted()
        keys.withUnsafeMutableBufferPointer { KeySort.sort($0) }
        #expect(keys == expected)
    }
}
