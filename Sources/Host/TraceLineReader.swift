import Foundation

/// Reads a text file one line at a time through a buffer of a megabyte, so that `verify` checks
/// and compares a stored trace of any length in constant memory (only a line is held whole,
/// however long it is). A pipe, a FIFO or `/dev/stdin` cannot be read twice, so it is first
/// copied into an unlinked temporary file, which is then read like any other. A class: it owns
/// the open file, which it closes when released.
final class TraceLineReader {
    let path: String
    private let descriptor: Int32
    /// The read buffer, owned here: lines are handed out as pointers into it, which no reference
    /// counting or uniqueness check follows (slices of an array cost a retain and a release per
    /// line, a sixth of a `verify`).
    private var buffer: UnsafeMutableBufferPointer<UInt8>
    /// The unread bytes are `buffer[start..<end]`.
    private var start = 0
    private var end = 0
    private var reachedEndOfFile = false

    /// Opens `path`; fails with the system's reason as `TraceFileError.unreadable`. A pipe whose
    /// first bytes are not `requiredPrefix` is copied no further than the chunk that shows it:
    /// the caller's check of the first line refuses it, and an endless source (`/dev/zero`)
    /// would otherwise fill the disk first.
    init(path: String, bufferBytes: Int = 1 << 20, requiredPrefix: [UInt8] = []) throws(TraceFileError) {
        self.path = path
        buffer = .allocate(capacity: max(1, bufferBytes))
        buffer.initialize(repeating: 0)
        do {
            let (opened, size) = try InputFile.open(path)
            if size != nil {
                descriptor = opened
            } else {
                defer { close(opened) }
                descriptor = try Self.copyToTemporaryFile(from: opened, through: buffer, requiredPrefix: requiredPrefix)
            }
        } catch {
            buffer.deallocate()
            throw .unreadable(file: path, reason: error.reason)
        }
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// Copies what `source` holds into a temporary file, unlinked at once (it goes with its
    /// descriptor), and returns that file's descriptor at its start; stops after the chunk in
    /// which the bytes part from `requiredPrefix`.
    private static func copyToTemporaryFile(
        from source: Int32, through chunk: UnsafeMutableBufferPointer<UInt8>, requiredPrefix: [UInt8]
    ) throws(InputFile.Unreadable) -> Int32 {
        let directory = FileManager.default.temporaryDirectory.path
        var template = Array((directory + "/neuroemu-trace-XXXXXX").utf8CString)
        let copy = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        // The directory is named, and where it comes from: a TMPDIR that does not exist is the usual cause.
        let place = "a temporary file in \(directory) (TMPDIR, else /tmp)"
        guard copy >= 0 else { throw InputFile.Unreadable(reason: "cannot copy the pipe to \(place): \(InputFile.reason(errno))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        do throws(InputFile.Unreadable) {
            var copied = 0
            while true {
                let count = try InputFile.read(source, into: chunk)
                if count == 0 { break }
                let written = write(copy, chunk.baseAddress!, count)
                guard written == count else { throw InputFile.Unreadable(reason: "cannot copy the pipe to \(place): \(InputFile.reason(errno))") }
                let checked = min(count, max(0, requiredPrefix.count - copied))
                copied += count
                if (0..<checked).contains(where: { chunk[$0] != requiredPrefix[copied - count + $0] }) { break }
            }
            guard lseek(copy, 0, SEEK_SET) == 0 else { throw InputFile.Unreadable(reason: InputFile.reason(errno)) }
        } catch {
            close(copy)
            throw error
        }
        return copy
    }

    /// Goes back to the first line (for a second pass over the same open file).
    func rewind() throws(TraceFileError) {
        guard lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw .unreadable(file: path, reason: InputFile.reason(errno))
        }
        start = 0
        end = 0
        reachedEndOfFile = false
    }

    /// The unread bytes in the buffer, after reading more where fewer than `wanted` (at most
    /// the buffer's size) are buffered and the file has more; fewer only at the end of the file.
    /// They stay valid until the next read; `consume` marks some of them read.
    func unreadBytes(wanting wanted: Int) throws(TraceFileError) -> UnsafeBufferPointer<UInt8> {
        let wanted = min(wanted, buffer.count)
        while end - start < wanted && !reachedEndOfFile {
            _ = moveUnreadBytesToTheFront()
            try readMore()
        }
        return UnsafeBufferPointer(rebasing: buffer[start..<end])
    }

    /// Marks the first `count` bytes of `unreadBytes` read.
    func consume(_ count: Int) {
        precondition(count >= 0 && count <= end - start, "consumes only bytes buffered")
        start += count
    }

    /// The next line without its LF, and whether an LF ended it (only the file's last line may
    /// lack one); nil after the last line. The bytes stay valid until the next call or `rewind`.
    func nextLine() throws(TraceFileError) -> (bytes: UnsafeBufferPointer<UInt8>, terminated: Bool)? {
        var searched = start  // bytes before this hold no LF
        while true {
            if searched < end, let found = memchr(buffer.baseAddress! + searched, 10, end - searched) {
                let newline = buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                defer { start = newline + 1 }
                return (UnsafeBufferPointer(rebasing: buffer[start..<newline]), true)
            }
            searched = end
            if reachedEndOfFile {
                guard start < end else { return nil }
                defer { start = end }
                return (UnsafeBufferPointer(rebasing: buffer[start..<end]), false)
            }
            // Keep the unfinished line at the front, grow only for a line longer than the buffer,
            // and read more after it.
            searched -= moveUnreadBytesToTheFront()
            if end == buffer.count {
                let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 2 * buffer.count)
                larger.initialize(repeating: 0)
                larger.baseAddress!.update(from: buffer.baseAddress!, count: end)
                buffer.deallocate()
                buffer = larger
            }
            try readMore()
        }
    }

    /// Moves the unread bytes to the front of the buffer; returns how far they moved.
    private func moveUnreadBytesToTheFront() -> Int {
        let moved = start
        if start > 0 {
            let kept = end - start
            if kept > 0 { _ = memmove(buffer.baseAddress!, buffer.baseAddress! + start, kept) }
            end = kept
            start = 0
        }
        return moved
    }

    /// Reads what fits after the unread bytes, or notes the end of the file.
    private func readMore() throws(TraceFileError) {
        let count: Int
        do {
            count = try InputFile.read(descriptor, into: UnsafeMutableBufferPointer(rebasing: buffer[end...]))
        } catch {
            throw .unreadable(file: path, reason: error.reason)
        }
        if count == 0 { reachedEndOfFile = true } else { end += count }
    }
}
