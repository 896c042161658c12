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

    /// Most bytes read whole from a pipe or a device (2 GiB), whose size is not known before:
    /// an endless source (`/dev/zero`, a pipe that never closes) is refused once that much has
    /// come. A regular file is read whatever its size (a network file of explicit synapses
    /// within the synapse limits may pass 2 GiB); what reads it bounds it.
    static let maximumStreamBytes = 1 << 31

    /// The file's bytes; from a pipe or a device, refused beyond `maximumStream` bytes.
    static func bytes(atPath path: String, maximumStream: Int = maximumStreamBytes) throws(Unreadable) -> [UInt8] {
        let (descriptor, size) = try open(path)
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        if let size { bytes.reserveCapacity(size) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = try chunk.withUnsafeMutableBufferPointer { buffer throws(Unreadable) in try read(descriptor, into: buffer) }
            if count == 0 { return bytes }
            guard size != nil || bytes.count + count <= maximumStream else {
                throw Unreadable(reason: "it is a pipe or a device that gave more than \(maximumStream.grouped) bytes, the most read from one")
            }
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
