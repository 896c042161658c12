/// A core's synapse memory: the synapses of each input axon in one row (`SynapseRowTable`), each
/// synapse one word that packs its delay (low bits), its accumulator (group · neurons + target)
/// and, when the core keeps a weight palette, the index of its weight.
///
/// Like Loihi's synapse formats, the field widths are chosen per core: a word is 16 bits when
/// the fields fit, else 32; a core whose synapses are all static and take few distinct weights
/// stores each weight once in a palette instead of 16 bits per synapse. The smallest layout that
/// fits is chosen: 2, 4 or 6 bytes per synapse (a palette in 32-bit words also costs 4).
/// Plastic synapses always keep a weight of their own, which learning rewrites in place.
/// (This is the emulator's storage; the modelled chip's capacity is `SynapseMemoryModel`.)
public struct SynapseMemory: Sendable {
    /// Where each input axon's row of synapse words starts and ends.
    public let rows: SynapseRowTable
    /// Bits of the delay field (the lowest); the accumulator field follows.
    let delayBits: UInt32
    let accumulatorBits: UInt32
    /// Synapse words of `wordBytes` each (16-bit words, or 32-bit words as two little-endian
    /// halves), in one array whatever the width.
    private let words: [UInt16]
    /// Bytes per synapse word: 2 or 4.
    public let wordBytes: Int
    /// The palette (indexed by the word's top field) when `usesPalette`, else one weight per
    /// synapse. Effective weights: a file weight of −256…255 shifted left by at most 7.
    var weights: [Int16]
    /// True when each weight is stored once in a palette and words hold its index.
    public let usesPalette: Bool
    /// A palette of at most `inlinePaletteSize` weights, also kept in the memory's own value
    /// (zeros past its end): delivery reads it from the core instead of a separate array, which
    /// on networks of thousands of small cores was a cache miss of its own behind every
    /// synapse word (see docs/performance-history.md, "Tenth round").
    let inlinePalette: SIMD8<Int16>
    let usesInlinePalette: Bool
    /// Most weights `inlinePalette` holds.
    static let inlinePaletteSize = 8
    /// Most weights a palette holds (more would leave few bits for the other fields of a
    /// 16-bit word, and a 32-bit word with a palette saves only the 2 bytes of a weight).
    static let largestPalette = 64

    /// - Parameters:
    ///   - synapses: in memory order (row after row).
    ///   - rowStarts: `axonCount + 1` ascending indices into `synapses`.
    ///   - accumulatorCount: accumulator groups × neurons.
    ///   - delaySlots: slots of the core's input ring buffer (every delay is below it).
    public init(synapses: [Synapse], rowStarts: [Int32], neuronCount: Int, accumulatorCount: Int, delaySlots: Int) {
        precondition(Int(rowStarts.last ?? 0) == synapses.count, "malformed synapse rows")
        rows = SynapseRowTable(rowStarts: rowStarts)
        var longestDelay: Int32 = 1
        var isStatic = true
        // Distinct weights, while there are few enough for a palette. A direct-mapped cache by
        // the weight's low byte answers most synapses without scanning the list (a set per core
        // cost seconds of setup on cuba-400k, a scan per synapse as much on dense layers).
        var distinct: [Int16] = []
        var seen = WeightCache()
        for synapse in synapses {
            precondition(synapse.delay >= 1 && Int(synapse.delay) < delaySlots, "delay outside the ring buffer")
            precondition(synapse.weight >= -32768 && synapse.weight <= 32767, "effective weight beyond 16 bits")
            precondition(synapse.target >= 0 && Int(synapse.target) < neuronCount && synapse.group >= 0)
            precondition(Int(synapse.group) * neuronCount + Int(synapse.target) < accumulatorCount, "accumulator group beyond the core's groups")
            longestDelay = max(longestDelay, synapse.delay)
            if synapse.learningRule >= 0 { isStatic = false }
            if isStatic && distinct.count <= Self.largestPalette && seen.index(of: synapse.weight) == nil {
                if !distinct.contains(Int16(synapse.weight)) { distinct.append(Int16(synapse.weight)) }
                seen.insert(synapse.weight, index: 0)
            }
        }
        func bits(_ largest: Int) -> UInt32 { UInt32(Int.bitWidth - largest.leadingZeroBitCount) }
        delayBits = bits(Int(longestDelay))
        accumulatorBits = max(bits(max(accumulatorCount - 1, 0)), 1)
        let fieldBits = delayBits + accumulatorBits
        precondition(fieldBits <= 32, "a core's accumulator and delay fields need at most 32 bits")
        // At least one bit, so the weight field never starts at bit 32 of a word.
        let paletteBits = max(bits(distinct.count - 1), 1)
        let canUsePalette = isStatic && !synapses.isEmpty && distinct.count <= Self.largestPalette
        // Bytes per synapse of each layout that fits, smallest first.
        let usesNarrowWords: Bool
        if canUsePalette && fieldBits + paletteBits <= 16 {
            (usesPalette, usesNarrowWords) = (true, true)
        } else if fieldBits <= 16 {
            (usesPalette, usesNarrowWords) = (false, true)
        } else {
            (usesPalette, usesNarrowWords) = (canUsePalette && fieldBits + paletteBits <= 32, false)
        }
        let palette = usesPalette ? distinct.sorted() : []
        var paletteCache = WeightCache()
        // Words as 16-bit little-endian halves (one per narrow word, two per wide one), in an
        // array of exactly their size: the cores keep it for the whole run.
        var halves: [UInt16] = []
        halves.reserveCapacity(usesNarrowWords ? synapses.count : 2 * synapses.count)
        for synapse in synapses {
            let accumulator = UInt32(synapse.group) * UInt32(neuronCount) + UInt32(synapse.target)
            var weightField: UInt32 = 0
            if usesPalette {
                if let index = paletteCache.index(of: synapse.weight) {
                    weightField = index
                } else {
                    weightField = Self.index(of: Int16(synapse.weight), in: palette)
                    paletteCache.insert(synapse.weight, index: weightField)
                }
            }
            let word = weightField << fieldBits | accumulator << delayBits | UInt32(synapse.delay)
            halves.append(UInt16(truncatingIfNeeded: word).littleEndian)
            if !usesNarrowWords { halves.append(UInt16(truncatingIfNeeded: word >> 16).littleEndian) }
        }
        words = halves
        wordBytes = usesNarrowWords ? 2 : 4
        weights = usesPalette ? palette : synapses.map { Int16($0.weight) }
        var inline = SIMD8<Int16>()
        if palette.count <= Self.inlinePaletteSize {
            for (i, weight) in palette.enumerated() { inline[i] = weight }
        }
        inlinePalette = inline
        usesInlinePalette = usesPalette && palette.count <= Self.inlinePaletteSize
    }

    /// The last weight seen with each low byte, and a number kept with it (a palette index).
    private struct WeightCache {
        private var weights = [Int32](repeating: Int32.min, count: 256)  // Int32.min: empty (weights fit 16 bits)
        private var indices = [UInt32](repeating: 0, count: 256)

        func index(of weight: Int32) -> UInt32? {
            let slot = Int(weight & 255)
            return weights[slot] == weight ? indices[slot] : nil
        }

        mutating func insert(_ weight: Int32, index: UInt32) {
            weights[Int(weight & 255)] = weight
            indices[Int(weight & 255)] = index
        }
    }

    /// Position of `weight` in the ascending `palette`, which holds it (a binary search).
    private static func index(of weight: Int16, in palette: [Int16]) -> UInt32 {
        var low = 0
        var high = palette.count - 1
        while low < high {
            let middle = (low + high) / 2
            if palette[middle] < weight { low = middle + 1 } else { high = middle }
        }
        precondition(palette[low] == weight, "weight missing from the palette")
        return UInt32(low)
    }

    /// Synapses stored.
    public var count: Int { words.count * 2 / wordBytes }

    /// Bytes the memory holds, row table included.
    public var memoryBytes: Int {
        rows.memoryBytes + words.count * 2 + weights.count * 2
    }

    /// Calls `body` with a view of the memory for delivering many packets (the tables are taken
    /// once, not per packet).
    @inline(__always)
    func withDelivery<Result>(_ body: (Delivery) -> Result) -> Result {
        rows.withLookup { rows in
        words.withUnsafeBytes { words in
            @inline(__always) func deliver(weights: UnsafeBufferPointer<Int16>) -> Result {
                body(Delivery(
                    rows: rows, words: words.baseAddress, wideWords: wordBytes == 4, weights: weights, usesPalette: usesPalette,
                    usesInlinePalette: usesInlinePalette, inlinePalette: inlinePalette,
                    delayBits: delayBits, delayMask: UInt32(1) &<< delayBits &- 1,
                    accumulatorMask: UInt32(1) &<< accumulatorBits &- 1, weightShift: delayBits &+ accumulatorBits))
            }
            // An inline palette leaves the weight array unread (not even its header).
            return usesInlinePalette ? deliver(weights: UnsafeBufferPointer(start: nil, count: 0)) : weights.withUnsafeBufferPointer(deliver)
        }}
    }

    /// The memory's storage and field layout, taken once per step for all of a core's packets;
    /// valid inside `withDelivery`.
    struct Delivery {
        let rows: SynapseRowTable.Lookup
        /// The synapse words (nil when the core has no synapses).
        let words: UnsafeRawPointer?
        let wideWords: Bool
        let weights: UnsafeBufferPointer<Int16>
        let usesPalette: Bool
        let usesInlinePalette: Bool
        let inlinePalette: SIMD8<Int16>
        let delayBits: UInt32
        let delayMask: UInt32
        let accumulatorMask: UInt32
        let weightShift: UInt32

        /// Adds `weight × payload` of each synapse of input axon `axon` into its accumulator in
        /// the slot `delay` steps after `current` (`accumulators` is `[slot][accumulator]`,
        /// `slots` × `slotStride`). Returns the synapses processed.
        @inline(__always)
        func deliver(axon: Int, payload: Int32, current: Int, slots: Int, slotStride: Int, into accumulators: UnsafeMutableBufferPointer<Int32>) -> Int {
            deliver(row: rows.row(axon), payload: payload, current: current, slots: slots, slotStride: slotStride, into: accumulators)
        }

        /// `deliver(axon:…)` for a row already looked up (`rows.row(axon)`).
        @inline(__always)
        func deliver(row: Range<Int>, payload: Int32, current: Int, slots: Int, slotStride: Int, into accumulators: UnsafeMutableBufferPointer<Int32>) -> Int {
            guard let words else { return 0 }
            if wideWords {
                accumulate(row, words: words, as: UInt32.self, payload: payload, current: current, slots: slots, slotStride: slotStride, into: accumulators)
            } else {
                accumulate(row, words: words, as: UInt16.self, payload: payload, current: current, slots: slots, slotStride: slotStride, into: accumulators)
            }
            return row.count
        }

        @inline(__always)
        private func accumulate<Word: FixedWidthInteger & UnsignedInteger>(
            _ synapses: Range<Int>, words: UnsafeRawPointer, as _: Word.Type, payload: Int32,
            current: Int, slots: Int, slotStride: Int, into accumulators: UnsafeMutableBufferPointer<Int32>
        ) {
            for s in synapses {
                let word = load(s, from: words, as: Word.self)
                let weight = usesInlinePalette
                    ? inlinePalette[Int(word &>> weightShift) & (SynapseMemory.inlinePaletteSize &- 1)]
                    : usesPalette ? weights[Int(word &>> weightShift)] : weights[s]
                accumulators[target(of: word, current: current, slots: slots, slotStride: slotStride)] &+= Int32(weight) &* payload
            }
        }

        /// Synapse word `s`, widened.
        @inline(__always)
        private func load<Word: FixedWidthInteger & UnsignedInteger>(_ s: Int, from words: UnsafeRawPointer, as _: Word.Type) -> UInt32 {
            UInt32(truncatingIfNeeded: Word(littleEndian: words.loadUnaligned(fromByteOffset: s &* MemoryLayout<Word>.size, as: Word.self)))
        }

        /// The accumulator (`[slot][accumulator]` index) a synapse word adds into when its spike
        /// arrives in slot `current`.
        @inline(__always)
        private func target(of word: UInt32, current: Int, slots: Int, slotStride: Int) -> Int {
            // delay < slots, so one conditional subtraction replaces a division per synapse.
            var slot = current &+ Int(word & delayMask)
            slot -= slot >= slots ? slots : 0
            return slot &* slotStride &+ Int((word &>> delayBits) & accumulatorMask)
        }

        /// Synapse word `s` (to find an accumulator to prefetch: `target(ofSynapse:)`); 0 without synapses.
        @inline(__always)
        func word(_ s: Int) -> UInt32 {
            guard let words else { return 0 }
            return wideWords ? load(s, from: words, as: UInt32.self) : load(s, from: words, as: UInt16.self)
        }

        /// Asks for the cache line of synapse word `s` (`prefetch`).
        @inline(__always)
        func prefetchWord(_ s: Int) {
            guard let words else { return }
            prefetch(words + (s &* (wideWords ? 4 : 2)))
        }

        /// The accumulator synapse `s` adds into when its spike arrives in slot `current` (for
        /// prefetching: see `Core.prefetchInputAccumulators`). Requires a synapse at `s`.
        @inline(__always)
        func target(ofSynapse s: Int, current: Int, slots: Int, slotStride: Int) -> Int {
            target(of: word(s), current: current, slots: slots, slotStride: slotStride)
        }
    }
}
