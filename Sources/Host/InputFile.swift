#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Router

/// Reads input files, failing with the operating system's own reason ("no such file",
/// "is a directory", "permission denied"), which Foundation's messages blur.
enum InputFile {
    /// Why a file could not be read, in words for an error message.
    struct Unreadable: Error, Equatable {
        var reason: String
    }

    /// Most bytes an input read whole may hold (2 GiB): far beyond any network, chip, NIR or
    /// samples file the limits on their contents allow, and a bound on what an endless source
    /// (`/dev/zero`, a pipe that never closes) takes before it is refused.
    static let maximumBytes = 1 << 31

    /// The file's bytes, refused beyond `maximum`.
    static func bytes(atPath path: String, maximum: Int = maximumBytes) throws(Unreadable) -> [UInt8] {
        let (descriptor, size) = try open(path)
        defer { close(descriptor) }
        let tooLarge = Unreadable(reason: "it holds more than \(maximum.grouped) bytes, the most an input file may hold")
        if let size, size > maximum { throw tooLarge }
        var bytes: [UInt8] = []
        if let size { bytes.reserveCapacity(size) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = try chunk.withUnsafeMutableBufferPointer { buffer throws(Unreadable) in try read(descriptor, into: buffer) }
            if count == 0 { return bytes }
            guard bytes.count + count <= maximum else { throw tooLarge }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Opens `path` for reading: its descriptor (the caller closes it) and, for a regular file,
    /// its size in bytes.
    static func open(_ path: String) throws(Unreadable) -> (descriptor: Int32, size: Int?) {
        #if canImport(Glibc)
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        #else
        let descriptor = Darwin.open(path, O_RDONLY | O_CLOEXEC)
        #endif
        guard descriptor >= 0 else { throw Unreadable(reason: reason(errno)) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw Unreadable(reason: reason(code))
        }
        guard status.st_mode & S_IFMT != S_IFDIR else {
            close(descriptor)
            throw Unreadable(reason: "is a directory")
        }
        return (descriptor, status.st_mode & S_IFMT == S_IFREG ? Int(status.st_size) : nil)
    }

    /// Reads up to `buffer.count` bytes from `descriptor` into `buffer`: how many (0 at the end of
    /// the file), retrying reads a signal interrupted.
    static func read(_ descriptor: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>) throws(Unreadable) -> Int {
        while true {
            #if canImport(Glibc)
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            #else
            let count = Darwin.read(descriptor, buffer.baseAddress, buffer.count)
            #endif
            if count >= 0 { return count }
            if errno != EINTR { throw Unreadable(reason: reason(errno)) }
        }
    }

    /// `strerror`'s text with a lower-case first letter, as the rest of an error message reads.
    static func reason(_ code: Int32) -> String {
        if code == ENOENT { return "no such file" }
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
