import Foundation
import Testing
@testable import Host

@Suite struct TraceLineReaderTests {
    private func lines(of contents: [UInt8], bufferBytes: Int) throws -> [(String, Bool)] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-lines-\(UUID().uuidString)").path
        try Data(contents).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try TraceLineReader(path: path, bufferBytes: bufferBytes)
        var result: [(String, Bool)] = []
        while let (bytes, terminated) = try reader.nextLine() { result.append((String(decoding: bytes, as: UTF8.self), terminated)) }
        #expect(try reader.nextLine() == nil, "stays at the end")
        return result
    }

    /// Lines across buffer boundaries, longer than the buffer, empty, and a last line without
    /// its LF come out the same whatever the buffer's size.
    @Test(arguments: [1, 2, 3, 5, 8, 64, 1 << 20])
    func linesComeOutWholeWhateverTheBuffer(bufferBytes: Int) throws {
        let text = "first line\n\n\(String(repeating: "x", count: 37))\nab\nlast without LF"
        let read = try lines(of: Array(text.utf8), bufferBytes: bufferBytes)
        #expect(read.map(\.0) == ["first line", "", String(repeating: "x", count: 37), "ab", "last without LF"])
        #expect(read.map(\.1) == [true, true, true, true, false])
    }

    /// Bytes taken in bulk (`unreadBytes`, `consume`) and lines taken one by one read the file
    /// in turn without losing or repeating a byte, whatever the buffer; fewer bytes than wanted
    /// only at the end of the file.
    @Test(arguments: [1, 3, 8, 64])
    func bytesInBulkAndLinesShareThePosition(bufferBytes: Int) throws {
        let text = Array("first line\nsecond\n\nthird line here\nlast".utf8)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-bulk-\(UUID().uuidString)").path
        try Data(text).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try TraceLineReader(path: path, bufferBytes: bufferBytes)
        var read: [UInt8] = []
        var takesLine = false
        while true {
            if takesLine {
                guard let (bytes, terminated) = try reader.nextLine() else { break }
                read += Array(bytes) + (terminated ? [10] : [])
            } else {
                let bytes = try reader.unreadBytes(wanting: 5)
                guard !bytes.isEmpty else { break }
                #expect(bytes.count >= min(5, bufferBytes) || read.count + bytes.count == text.count)
                let taken = min(bytes.count, 3)
                read += Array(bytes[..<taken])
                reader.consume(taken)
            }
            takesLine.toggle()
        }
        #expect(read == text)
    }

    @Test func aFileEndingInLFHasNoEmptyLastLine() throws {
        let read = try lines(of: Array("a\nb\n".utf8), bufferBytes: 3)
        #expect(read.map(\.0) == ["a", "b"])
        #expect(read.map(\.1) == [true, true])
        #expect(try lines(of: [], bufferBytes: 4).isEmpty)
        #expect(try lines(of: [10], bufferBytes: 4).map(\.0) == [""])
    }

    @Test func aRewoundFileReadsTheSameLinesAgain() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-lines-\(UUID().uuidString)").path
        try Data("one\ntwo\nthree\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try TraceLineReader(path: path, bufferBytes: 4)
        func all() throws -> [String] {
            var lines: [String] = []
            while let (bytes, _) = try reader.nextLine() { lines.append(String(decoding: bytes, as: UTF8.self)) }
            return lines
        }
        #expect(try all() == ["one", "two", "three"])
        try reader.rewind()
        #expect(try all() == ["one", "two", "three"])
    }

    /// A FIFO (or a pipe, or /dev/stdin) cannot be read twice: it is copied to a temporary file
    /// as it is opened, and rewinds.
    @Test func aFIFOIsCopiedAndRewinds() throws {
        signal(SIGPIPE, SIG_IGN)  // a writer whose reader went away fails its write instead
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-fifo-\(UUID().uuidString)").path
        try #require(mkfifo(path, 0o600) == 0)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = (1...1_000).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let writer = Thread {
            if let handle = FileHandle(forWritingAtPath: path) {
                handle.write(Data(text.utf8))
                try? handle.close()
            }
        }
        writer.start()
        let reader = try TraceLineReader(path: path, bufferBytes: 64)
        for _ in 0..<2 {
            var lines: [String] = []
            while let (bytes, terminated) = try reader.nextLine() {
                #expect(terminated)
                lines.append(String(decoding: bytes, as: UTF8.self))
            }
            #expect(lines == (1...1_000).map { "line \($0)" })
            try reader.rewind()
        }
    }

    /// A pipe whose first bytes are not the required prefix is copied only as far as the chunk
    /// that shows it; with the prefix, all of it.
    @Test func aFIFOWithoutTheRequiredPrefixIsCopiedOnlyToThatChunk() throws {
        signal(SIGPIPE, SIG_IGN)  // the writer's late writes fail instead of stopping the process
        for (prefix, lines) in [("line 1", 1_000), ("trace", 10)] {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-fifo-\(UUID().uuidString)").path
            try #require(mkfifo(path, 0o600) == 0)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let text = Array(((1...1_000).map { "line \($0)" }.joined(separator: "\n") + "\n").utf8)
            let writer = Thread {
                let descriptor = open(path, O_WRONLY)
                guard descriptor >= 0 else { return }
                // Line by line, so that the reader's first chunk holds the first lines only.
                var start = 0
                while start < text.count {
                    let end = min(text.count, start + 64)
                    let written = text[start..<end].withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count) }
                    if written <= 0 { break }
                    start += written
                }
                close(descriptor)
            }
            writer.start()
            let reader = try TraceLineReader(path: path, bufferBytes: 64, requiredPrefix: Array(prefix.utf8))
            var read: [String] = []
            while let (bytes, _) = try reader.nextLine() { read.append(String(decoding: bytes, as: UTF8.self)) }
            // The writes of 64 bytes are atomic, so the first chunk is "line 1" … "line 9" and
            // the "l" of "line 10", the last line read (not terminated).
            #expect(read.count == lines, "prefix \(prefix)")
            #expect(read.first == "line 1")
        }
    }

    @Test func missingFilesAndDirectoriesAreUnreadable() {
        let path = "/nonexistent-\(UUID().uuidString)/t.trace"
        #expect(throws: TraceFileError.unreadable(file: path, reason: "no such file")) { try TraceLineReader(path: path) }
        let directory = FileManager.default.temporaryDirectory.path
        #expect(throws: TraceFileError.unreadable(file: directory, reason: "is a directory")) { try TraceLineReader(path: directory) }
    }
}
