import Foundation
import Testing
@testable import Host

@Suite struct AtomicFileTests {
    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func writeCreatesTheFileInOneGo() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("out.txt").path
        try AtomicFile.write("hello\nworld\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "hello\nworld\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.txt"])
    }

    @Test func theTargetChangesOnlyAtCommit() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("out.txt").path
        try "before".write(toFile: path, atomically: false, encoding: .utf8)
        let file = try AtomicFile(path: path)
        try file.write(Array("after".utf8))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "before")
        let temporary = "out.txt.tmp-\(ProcessInfo.processInfo.processIdentifier)"
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["out.txt", temporary])
        try file.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "after")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.txt"])
    }

    @Test func discardKeepsTheEarlierFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("out.txt").path
        try "before".write(toFile: path, atomically: false, encoding: .utf8)
        let file = try AtomicFile(path: path)
        try file.write(Array("partial".utf8))
        file.discard()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "before")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.txt"])
    }

    /// A replaced file keeps its permissions (a private trace stays private, an executable bit
    /// stays); a new file gets 0666 less the umask, as any new file does.
    @Test func aReplacedFileKeepsItsPermissions() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func mode(_ path: String) throws -> Int { try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1 }
        // 0664 and 0666 are what a umask of 022 would change: kept exactly, not less the umask.
        for permissions in [0o600, 0o640, 0o755, 0o664, 0o666] {
            let path = directory.appendingPathComponent("kept-\(permissions).txt").path
            try "before".write(toFile: path, atomically: false, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
            try AtomicFile.write("after", to: path)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "after")
            #expect(try mode(path) == permissions)
        }
        // A new file's mode is any new file's (0666 less the umask, which tests running beside
        // this one must not see changed, so it is read from a file made the ordinary way).
        let reference = directory.appendingPathComponent("reference.txt").path
        #expect(FileManager.default.createFile(atPath: reference, contents: nil))
        let fresh = directory.appendingPathComponent("new.txt").path
        try AtomicFile.write("new", to: fresh)
        #expect(try mode(fresh) == mode(reference))
    }

    /// A symbolic link stays a link: the file it points to is replaced.
    @Test func aLinkIsWrittenThrough() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let real = directory.appendingPathComponent("real.txt").path
        let link = directory.appendingPathComponent("link.txt").path
        try "before".write(toFile: real, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        try AtomicFile.write("after", to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == real)
        #expect(try String(contentsOfFile: real, encoding: .utf8) == "after")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["link.txt", "real.txt"])
    }

    /// A link to a file not there yet creates that file and stays a link; a pipe is written in place.
    @Test func aDanglingLinkCreatesItsTarget() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let link = directory.appendingPathComponent("link.trace").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "missing.trace")
        try AtomicFile.write("trace", to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "missing.trace")
        #expect(try String(contentsOfFile: directory.appendingPathComponent("missing.trace").path, encoding: .utf8) == "trace")
        let pipe = directory.appendingPathComponent("pipe").path
        #expect(mkfifo(pipe, 0o600) == 0)
        #expect(AtomicFile.isWrittenInPlace(pipe) && AtomicFile.isWrittenInPlace("/dev/stdout") && !AtomicFile.isWrittenInPlace(link))
    }

    /// A loop of links (or a chain longer than the kernel follows) is an error naming the file:
    /// the write used to rename a regular file over the link where following stopped.
    @Test func aLinkLoopIsRefusedAndLeftAlone() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let loop1 = directory.appendingPathComponent("loop1").path
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("loop2").path, withDestinationPath: "loop1")
        try FileManager.default.createSymbolicLink(atPath: loop1, withDestinationPath: "loop2")
        let refusal = OutputError.cannotWrite(file: loop1, reason: "too many levels of symbolic links (more than 40; is there a loop?)")
        #expect(throws: refusal) { try AtomicFile.write("x", to: loop1) }
        #expect(throws: refusal) { try OutputError.checkWritable(loop1) }
        #expect(!AtomicFile.isWrittenInPlace(loop1))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: loop1) == "loop2")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory.appendingPathComponent("loop2").path) == "loop1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["loop1", "loop2"])
        // A chain of exactly 40 links is followed, as the kernel follows it.
        for index in 1...40 {
            try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("chain\(index)").path, withDestinationPath: index == 40 ? "end.txt" : "chain\(index + 1)")
        }
        try AtomicFile.write("end", to: directory.appendingPathComponent("chain1").path)
        #expect(try String(contentsOfFile: directory.appendingPathComponent("end.txt").path, encoding: .utf8) == "end")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory.appendingPathComponent("chain1").path) == "chain2")
    }

    /// A device is written directly: renaming a file over /dev/null would replace the device.
    @Test func aDeviceIsWrittenDirectly() throws {
        try AtomicFile.write("discarded", to: "/dev/null")
        let attributes = try FileManager.default.attributesOfItem(atPath: "/dev/null")
        #expect(attributes[.type] as? FileAttributeType == .typeCharacterSpecial)
        #expect(!FileManager.default.fileExists(atPath: "/dev/null.tmp-\(ProcessInfo.processInfo.processIdentifier)"))
    }

    /// A failed write says what the system said, not Foundation's "could not be completed".
    @Test(.enabled(if: FileManager.default.isWritableFile(atPath: "/dev/full")))
    func aFailedWriteGivesTheSystemsReason() throws {
        let file = try AtomicFile(path: "/dev/full")
        #expect(throws: OutputError.cannotWrite(file: "/dev/full", reason: String(cString: strerror(ENOSPC)))) { try file.write(Array("x".utf8)) }
        let wrapped = NSError(domain: NSCocoaErrorDomain, code: 512, userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EPIPE))])
        #expect(AtomicFile.reason(wrapped) == String(cString: strerror(EPIPE)))
        #expect(AtomicFile.reason(CocoaError(.fileWriteUnknown)) == CocoaError(.fileWriteUnknown).localizedDescription)
    }

    @Test func missingDirectoryNamesTheFileAndTheTemporaryPath() {
        let path = "/nonexistent-\(UUID().uuidString)/out.txt"
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        #expect(throws: OutputError.cannotWrite(file: path, reason: "cannot create \(temporary): \(String(cString: strerror(ENOENT))) (does the directory exist?)")) {
            try AtomicFile.write("x", to: path)
        }
    }
}
