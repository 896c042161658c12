import Foundation
import Testing
@testable import Host

/// Version-2 object headers of types_latest.h5 (h5py, `libver="latest"`): every chunk ends in a
/// lookup3 checksum, of the header's start ("OHDR") or of its continuation chunk ("OCHK") up to it.
@Suite struct HDF5ObjectHeaderTests {
    static func fixture() throws -> [UInt8] {
        [UInt8](try #require(FileManager.default.contents(atPath: NIRFixtures.path("hdf5/types_latest.h5"))))
    }

    /// The offsets below, read off the bytes: the root header starts at 48 and its first chunk
    /// holds the link named "g0" at bytes 90–91; group /g0 continues its header in a chunk at
    /// byte 1650, which holds the link named "t_le_u2" at bytes 1683–1689.
    @Test func theDamagedBytesAreLinkNames() throws {
        let bytes = try Self.fixture()
        #expect(Array(bytes[48..<52]) == Array("OHDR".utf8))
        #expect(Array(bytes[90..<92]) == Array("g0".utf8))
        #expect(Array(bytes[1650..<1654]) == Array("OCHK".utf8))
        #expect(Array(bytes[1683..<1690]) == Array("t_le_u2".utf8))
        let file = try HDF5File(bytes: bytes, name: "types_latest.h5")
        #expect(try file.children(of: "/") == ["g0", "g1", "g2", "g3", "group"])
        #expect(try file.children(of: "/g0").contains("t_le_u2"))
    }

    /// "g0" damaged to "g1" would still parse (two links named g1): only the checksum of the
    /// root header's first chunk, which starts at byte 48, catches it.
    @Test func aFlippedByteInTheFirstChunkFailsItsChecksum() throws {
        var bytes = try Self.fixture()
        bytes[91] ^= 0x01  // "0" → "1"
        let file = try HDF5File(bytes: bytes, name: "flipped.h5")
        #expect(throws: HDF5Error.corrupt(file: "flipped.h5", object: "/", detail: "object header chunk at byte 48 fails its checksum")) {
            _ = try file.children(of: "/")
        }
    }

    /// A continuation chunk's checksum covers it from its own "OCHK", so the error names that
    /// chunk's start and the group whose header it continues.
    @Test func aFlippedByteInAContinuationChunkFailsItsChecksum() throws {
        var bytes = try Self.fixture()
        bytes[1689] ^= 0x01  // "t_le_u2" → "t_le_u3"
        let file = try HDF5File(bytes: bytes, name: "flipped.h5")
        #expect(try file.children(of: "/") == ["g0", "g1", "g2", "g3", "group"])
        #expect(throws: HDF5Error.corrupt(file: "flipped.h5", object: "/g0", detail: "object header chunk at byte 1650 fails its checksum")) {
            _ = try file.children(of: "/g0")
        }
    }
}
