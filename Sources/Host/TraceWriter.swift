/// Builds the canonical text trace of a run (`neuroemu-trace/1`), hashing every byte with 64-bit
/// FNV-1a, and optionally streaming it to a file.
///
/// The digest covers every byte before the `end` line, so a run without a trace file still
/// prints the digest its trace would have.
public struct TraceWriter {
    /// Detail of the trace: steps, spikes or packets.
    public let level: TraceLevel
    private var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    private var buffer: [UInt8] = []
    private let file: AtomicFile?
    private let keepsLines: Bool
    /// Every line written, including the `end` line, when created with `keepsLines`.
    public private(set) var lines: [String] = []
    /// Compares every line written, including the `end` line, with a stored trace (`verify`):
    /// a megabyte of lines at a time, the rest at `finish`, so read its outcome after that.
    public let matcher: TraceMatcher?
    /// A NIR file's conversion, which the header line ends with (`dt_s=`, `inputs=`) so that
    /// `verify` can re-run it; nil for a network file (`NetworkSource.Loaded.nir`).
    public var nir: NIRTraceFields?

    /// - Parameters:
    ///   - path: file to write, or nil to only compute the digest.
    ///   - keepsLines: also keep the lines in memory.
    ///   - matching: compare the lines with a stored trace as they are written (a megabyte at a
    ///     time, and the rest at `finish`).
    public init(level: TraceLevel, path: String?, keepsLines: Bool = false, matching matcher: TraceMatcher? = nil) throws(OutputError) {
        self.level = level
        self.keepsLines = keepsLines
        self.matcher = matcher
        file = try path.map { (path: String) throws(OutputError) -> AtomicFile in try AtomicFile(path: path) }
        buffer.reserveCapacity(1 << 20)
    }

    /// Appends one line (without its newline).
    public mutating func line(_ text: String) throws(OutputError) {
        var contiguous = text
        contiguous.withUTF8 { append(bytes: $0, text: text) }  // one buffer, not the view's per-byte iterator
        try flushIfFull()
    }

    /// Appends the step line, `step T cycles=C spikes=S packets=P synops=O energy_fj=E`,
    /// formatted straight into bytes: the text of the interpolated string without building one
    /// (a run writes it at every step).
    public mutating func stepLine(
        step: Int, cycles: UInt32, spikes: Int, packets: UInt64, synapticOps: UInt64, energyFemtojoules: Int64
    ) throws(OutputError) {
        // The six labels take 49 bytes and the six integers at most 110 (20 digits with a sign).
        try formattedLine(capacity: 160) { line in
            line.text("step ")
            line.number(Int64(step))
            line.text(" cycles=")
            line.number(UInt64(cycles))
            line.text(" spikes=")
            line.number(Int64(spikes))
            line.text(" packets=")
            line.number(packets)
            line.text(" synops=")
            line.number(synapticOps)
            line.text(" energy_fj=")
            line.number(energyFemtojoules)
        }
    }

    /// Appends a packet line, `packet T SOURCE DESTINATION inject=I arrive=A hops=H`, formatted
    /// straight into bytes like `stepLine` (a packet-level trace writes one per packet: string
    /// interpolation took most of a `random-4k` run's time).
    public mutating func packetLine(
        step: Int, source: Int32, destination: Int32, injectCycle: UInt32, arriveCycle: UInt32, hops: UInt16
    ) throws(OutputError) {
        // The five labels take 29 bytes and the six integers at most 20 + 4 × 11 + 5.
        try formattedLine(capacity: 112) { line in
            line.text("packet ")
            line.number(Int64(step))
            line.text(" ")
            line.number(Int64(source))
            line.text(" ")
            line.number(Int64(destination))
            line.text(" inject=")
            line.number(UInt64(injectCycle))
            line.text(" arrive=")
            line.number(UInt64(arriveCycle))
            line.text(" hops=")
            line.number(UInt64(hops))
        }
    }

    /// Appends the line `build` writes into a buffer of `capacity` bytes.
    private mutating func formattedLine(capacity: Int, _ build: (inout LineBuilder) -> Void) throws(OutputError) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var line = LineBuilder(buffer: buffer)
            build(&line)
            append(bytes: line.written, text: keepsLines ? String(decoding: line.written, as: UTF8.self) : nil)
        }
        try flushIfFull()
    }

    /// Appends lines already formatted, each ended by its LF.
    mutating func append(_ lines: TraceLines) throws(OutputError) {
        guard !lines.isEmpty else { return }
        lines.bytes.withUnsafeBufferPointer { block in
            guard !keepsLines else {
                // Line by line, for the kept lines.
                var start = 0
                for index in block.indices where block[index] == 0x0A {
                    let line = UnsafeBufferPointer(rebasing: block[start..<index])
                    append(bytes: line, text: keepsLines ? String(decoding: line, as: UTF8.self) : nil)
                    start = index + 1
                }
                return
            }
            var hash = self.hash
            for byte in block { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            self.hash = hash
            if buffersLines { buffer.append(contentsOf: block) }
        }
        try flushIfFull()
    }

    /// Hashes and buffers one line's bytes (without the newline); `text` is the same line as a
    /// string, needed only when the lines are kept.
    private mutating func append(bytes: UnsafeBufferPointer<UInt8>, text: String?) {
        var hash = self.hash
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        hash = (hash ^ 0x0A) &* 0x0000_0100_0000_01B3
        self.hash = hash
        if keepsLines, let text { lines.append(text) }
        if buffersLines {
            buffer.append(contentsOf: bytes)
            buffer.append(0x0A)
        }
    }

    /// Whether lines go through `buffer`: to the file, and to the matcher, which compares a
    /// megabyte of lines at a time (`TraceMatcher.match(lines:)`).
    private var buffersLines: Bool { file != nil || matcher != nil }

    /// Hands the buffered lines on once they reach a megabyte.
    private mutating func flushIfFull() throws(OutputError) {
        guard buffer.count >= 1 << 20 else { return }
        try flush()
    }

    /// Hands the buffered lines to the matcher and writes them to the file.
    private mutating func flush() throws(OutputError) {
        if let matcher { buffer.withUnsafeBufferPointer { matcher.match(lines: $0) } }
        if let file { try file.write(buffer) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// The FNV-1a digest of everything written so far, as 16 hex digits.
    public var digest: String { hexadecimal(hash, digits: 16, uppercase: false) }

    /// Writes the `end` line and, if writing a file, renames it into place. Returns the digest.
    @discardableResult
    public mutating func finish(steps: Int, spikes: Int, energyFemtojoules: Int64) throws(OutputError) -> String {
        let digest = self.digest
        let end = "end steps=\(steps) spikes=\(spikes) energy_fj=\(energyFemtojoules) digest=\(digest)\n"
        if keepsLines { lines.append(String(end.dropLast())) }
        if buffersLines {
            buffer.append(contentsOf: Array(end.utf8))
            try flush()
        }
        try file?.commit()
        return digest
    }

    /// Abandons the trace: a partial file never appears under the trace's name.
    public func discard() { file?.discard() }
}
