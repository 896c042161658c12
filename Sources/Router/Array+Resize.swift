extension Array {
    /// Gives the array `count` elements, keeping the first ones and adding copies of `filler`:
    /// for arrays reused from step to step whose every element the caller then overwrites,
    /// which only pays for filling the elements it gains.
    @inlinable
    public mutating func resize(to count: Int, filling filler: Element) {
        if self.count > count {
            removeLast(self.count - count)
        } else if self.count < count {
            append(contentsOf: repeatElement(filler, count: count - self.count))
        }
    }
}
