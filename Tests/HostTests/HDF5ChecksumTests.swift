import Testing
@testable import Host

@Suite struct HDF5ChecksumTests {
    /// Bob Jenkins' published values of `hashlittle` with seed 0, the checksum HDF5 uses: the
    /// empty input, and a 30-byte text (two full 12-byte rounds and a 6-byte tail).
    @Test func lookup3MatchesThePublishedValues() {
        #expect(HDF5Checksum.lookup3([]) == 0xdead_beef)
        #expect(HDF5Checksum.lookup3(ArraySlice("Four score and seven years ago".utf8)) == 0x1777_0551)
    }

    /// Tails of every length from 1 to 12 bytes read the bytes past the end as zero: appending a
    /// zero byte changes the length, and with it the hash, but never traps or reads past the end.
    @Test func everyTailLengthHashes() {
        let bytes = (0..<40).map { UInt8($0 * 37 % 251) }
        let hashes = (0...bytes.count).map { HDF5Checksum.lookup3(bytes[0..<$0]) }
        #expect(Set(hashes).count == hashes.count)
    }
}
