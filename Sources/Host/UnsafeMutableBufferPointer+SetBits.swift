extension UnsafeMutableBufferPointer where Element == UInt64 {
    /// Calls `body` with the number of every set bit (bit b of word w is w · 64 + b) in
    /// ascending order, clearing the words on the way: values collected in any order as bits,
    /// read back sorted and distinct, which costs a word per 64 values instead of a sort.
    @inline(__always)
    func drainSetBits(_ body: (Int) -> Void) {
        for word in indices where self[word] != 0 {
            var bits = self[word]
            self[word] = 0
            while bits != 0 {
                body(word &* 64 &+ bits.trailingZeroBitCount)
                bits &= bits &- 1
            }
        }
    }
}
