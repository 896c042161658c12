/// A step's spike lines as bytes, each ended by its LF, kept until the trace writes them
/// (`TraceWriter.append(_:)`; pipelined steps write a step's lines two steps later). A run at
/// the default trace level writes one per spike: formatted as strings they tripled the wall
/// time of `dense-1k` (0.08 → 0.23 s for 491,543 spikes).
struct TraceLines {
    /// The lines' bytes, LF after each.
    private(set) var bytes: [UInt8] = []

    var isEmpty: Bool { bytes.isEmpty }

    /// Appends `spike T NAME INDEX`, or `spike T NAME INDEX VALUE` for a graded spike; `name`
    /// is the population's or input's name in UTF-8.
    mutating func spike(step: Int, name: [UInt8], index: Int, value: Int32? = nil) {
        // "spike " and three separators, four integers of at most 20 bytes, the LF.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: name.count + 96) { buffer in
            var line = LineBuilder(buffer: buffer)
            line.text("spike ")
            line.number(Int64(step))
            line.text(" ")
            line.text(name)
            line.text(" ")
            line.number(Int64(index))
            if let value {
                line.text(" ")
                line.number(Int64(value))
            }
            line.text("\n")
            bytes.append(contentsOf: line.written)
        }
    }
}
