import Foundation
import Testing
@testable import Host

/// The superblock of types_latest.h5 (h5py, `libver="latest"`): version 3, whose last 4 bytes
/// are a lookup3 checksum of the 44 before them.
@Suite struct HDF5SuperblockTests {
    static func fixture() throws -> [UInt8] {
        [UInt8](try #require(FileManager.default.contents(atPath: NIRFixtures.path("hdf5/types_latest.h5"))))
    }

    /// The fields as the bytes hold them (xxd): version 3 at byte 8, 8-byte addresses and
    /// lengths at 9 and 10, base address 0 at 12, root object header at byte 48 (bytes 36–43).
    @Test func readsTheFieldsOfAVersion3Superblock() throws {
        let superblock = try HDF5Superblock.read(try Self.fixture(), file: "types_latest.h5")
        #expect(superblock == HDF5Superblock(version: 3, start: 0, baseAddress: 0, offsetSize: 8, lengthSize: 8, rootObjectHeader: 48))
    }

    /// Byte 28 is the lowest byte of the end-of-file address, which nothing else reads: only the
    /// checksum can catch it. The stored checksum is bytes 44–47 (60 6d 37 38, little-endian
    /// 943156576); 2381768640 is lookup3 of the damaged 44 bytes, computed apart from this
    /// reader (a Python transcription of Jenkins' hashlittle, checked against the intact value).
    @Test func aFlippedByteFailsTheChecksum() throws {
        var bytes = try Self.fixture()
        #expect(Array(bytes[28..<36]) == [0x20, 0x33, 0, 0, 0, 0, 0, 0])  // 13088, the file's size
        bytes[28] ^= 0xff
        #expect(throws: HDF5Error.corrupt(file: "flipped.h5", object: "/", detail: "superblock checksum 943156576 does not match its contents (2381768640)")) {
            _ = try HDF5File(bytes: bytes, name: "flipped.h5")
        }
    }
}
