#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a text file one line at a time through a buffer of a megabyte, so that `verify` checks
/// and compares a stored trace of any length in constant memory (only a line is held whole,
/// however long it is). A pipe, a FIFO or `/dev/stdin` cannot be read twice, so it is read into
/// memory whole (its bytes, far less than lines as strings) and can then be rewound too. A class:
/// it owns the open file, which it closes when released.
final class TraceLineReader {
    let path: String
    /// The open regular file, or nil when the whole input is in `buffer`.
    private let descriptor: Int32?
    private var buffer: [UInt8]
    /// The unread bytes are `buffer[start..<end]`.
    private var start = 0
    private var end = 0
    private var reachedEndOfFile = false

    /// Opens `path`; fails with the system's reason as `TraceFileError.unreadable`.
    init(path: String, bufferBytes: Int = 1 << 20) throws(TraceFileError) {
        self.path = path
        do {
            let (descriptor, size) = try InputFile.open(path)
            if size != nil {
                self.descriptor = descriptor
                buffer = [UInt8](repeating: 0, count: max(1, bufferBytes))
            } else {
                defer { close(descriptor) }
                self.descriptor = nil
                var bytes: [UInt8] = []
                var chunk = [UInt8](repeating: 0, count: max(1, bufferBytes))
                while true {
                    let count = try chunk.withUnsafeMutableBufferPointer { chunk throws(InputFile.Unreadable) in try InputFile.read(descriptor, into: chunk) }
                    if count == 0 { break }
                    bytes.append(contentsOf: chunk[0..<count])
                }
                buffer = bytes
                end = bytes.count
                reachedEndOfFile = true
            }
        } catch {
            throw .unreadable(file: path, reason: error.reason)
        }
    }

    deinit {
        if let descriptor { close(descriptor) }
    }

    /// Goes back to the first line (for a second pass over the same open file).
    func rewind() throws(TraceFileError) {
        start = 0
        guard let descriptor else { return }  // all in memory: `end` already covers it
        guard lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw .unreadable(file: path, reason: InputFile.reason(errno))
        }
        end = 0
        reachedEndOfFile = false
    }

    /// The next line without its LF, and whether an LF ended it (only the file's last line may
    /// lack one); nil after the last line.
    func nextLine() throws(TraceFileError) -> (bytes: ArraySlice<UInt8>, terminated: Bool)? {
        var searched = start  // bytes before this hold no LF
        while true {
            let newline = buffer.withUnsafeBufferPointer { bytes -> Int? in
                guard searched < end, let found = memchr(bytes.baseAddress! + searched, 10, end - searched) else { return nil }
                return bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            if let newline {
                defer { start = newline + 1 }
                return (buffer[start..<newline], true)
            }
            searched = end
            if reachedEndOfFile {
                guard start < end else { return nil }
                defer { start = end }
                return (buffer[start..<end], false)
            }
            // Keep the unfinished line at the front, grow only for a line longer than the buffer,
            // and read more after it.
            if start > 0 {
                let kept = end - start
                buffer.withUnsafeMutableBufferPointer { bytes in
                    guard kept > 0 else { return }
                    _ = memmove(bytes.baseAddress!, bytes.baseAddress! + start, kept)
                }
                searched -= start
                end = kept
                start = 0
            }
            if end == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            guard let descriptor else { preconditionFailure("an input held in memory is read to its end already") }
            let count: Int
            do {
                count = try buffer.withUnsafeMutableBufferPointer { bytes throws(InputFile.Unreadable) in
                    try InputFile.read(descriptor, into: UnsafeMutableBufferPointer(rebasing: bytes[end...]))
                }
            } catch {
                throw .unreadable(file: path, reason: error.reason)
            }
            if count == 0 { reachedEndOfFile = true } else { end += count }
        }
    }
}
