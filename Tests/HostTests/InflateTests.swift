import Foundation
import Testing
@testable import Host

/// Inflate against zlib streams that Python's zlib wrote (NIR/hdf5/inflate.json): stored, fixed
/// and dynamic Huffman blocks at levels 0, 1 and 9, and damaged streams.
struct InflateTests {
    struct Sample {
        var name: String
        var compressed: [UInt8]
        var adler32: UInt32
        var length: Int
        var plain: [UInt8]?
    }

    static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return result
    }

    static let samples: [Sample] = {
        let path = NIRFixtures.directory + "/hdf5/inflate.json"
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else { return [] }
        return object.keys.sorted().compactMap { name in
            guard let entry = object[name], let hex = entry["compressed"] as? String, let adler = entry["adler32"] as? Int, let length = entry["length"] as? Int else { return nil }
            return Sample(name: name, compressed: bytes(hex: hex), adler32: UInt32(adler), length: length, plain: (entry["plain"] as? String).map { bytes(hex: $0) })
        }
    }()

    @Test func samplesArePresent() {
        #expect(Self.samples.count == 13)
    }

    @Test(arguments: samples.map(\.name))
    func decodesPythonZlibStream(name: String) throws {
        let sample = try #require(Self.samples.first { $0.name == name })
        let output = try Inflate.zlib(sample.compressed)
        #expect(output.count == sample.length)
        #expect(Inflate.adler32(output) == sample.adler32)
        if let plain = sample.plain { #expect(output == plain) }
    }

    @Test func adler32KnownAnswer() {
        // Adler-32 of "Wikipedia" is 0x11E60398 (RFC 1950's algorithm, the classic example).
        #expect(Inflate.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(Inflate.adler32([]) == 1)
    }

    @Test func storedBlockByHand() throws {
        // One final stored block holding "abc": header bit 1, type 00, then LEN 3, NLEN ~3.
        let raw: [UInt8] = [0x01, 0x03, 0x00, 0xfc, 0xff, 0x61, 0x62, 0x63]
        #expect(try Inflate.raw(raw) == Array("abc".utf8))
    }

    @Test func damagedStreamsGiveErrors() throws {
        let sample = try #require(Self.samples.first { $0.name == "text_level9" })
        #expect(throws: InflateError.truncated) { try Inflate.zlib(Array(sample.compressed.prefix(sample.compressed.count / 2))) }
        var badChecksum = sample.compressed
        badChecksum[badChecksum.count - 1] ^= 0xff
        #expect(throws: InflateError.checksumMismatch(expected: sample.adler32 ^ 0xff, actual: sample.adler32)) { try Inflate.zlib(badChecksum) }
        #expect(throws: InflateError.badHeader("header check bits are wrong")) { try Inflate.zlib([0x78, 0x00, 0x00]) }
        #expect(throws: InflateError.reservedBlockType) { try Inflate.raw([0x07]) }
        #expect(throws: InflateError.storedLengthMismatch(length: 3, complement: 0)) { try Inflate.raw([0x01, 0x03, 0x00, 0x00, 0x00]) }
        #expect(throws: InflateError.outputTooLarge(limit: 10)) { try Inflate.zlib(sample.compressed, limit: 10) }
    }

    /// A damaged stream never traps, and the zlib header check and the Adler-32 of the data catch
    /// every flipped byte of this one.
    @Test func everyFlippedByteFailsCleanly() throws {
        let sample = try #require(Self.samples.first { $0.name == "hello_level9" })
        var failures = 0
        for index in sample.compressed.indices {
            var damaged = sample.compressed
            damaged[index] ^= 0x5a
            do {
                let decoded = try Inflate.zlib(damaged, limit: 1 << 16)
                Issue.record("flipped byte \(index) decoded to \(decoded.count) bytes")
            } catch {
                failures += 1
            }
        }
        #expect(failures == sample.compressed.count && failures > 10)
    }
}
