import Foundation
import Testing
@testable import Host

@Suite struct HDF5FilterPipelineTests {
    /// By hand: words 0x0102 and 0x0304, then the odd byte as 0x0500. sum1 runs 0x0102, 0x0406,
    /// 0x0906; sum2 0x0102, 0x0508, 0x0E0E.
    @Test func fletcher32KnownAnswers() {
        #expect(HDF5FilterPipeline.fletcher32([1, 2, 3, 4, 5]) == 0x0E0E_0906)
        #expect(HDF5FilterPipeline.fletcher32([]) == 0)
        // 1,000 words of 0xFFFF: folding after every 360 keeps the sums in 32 bits, and 0xFFFF
        // folds to itself (ones' complement arithmetic modulo 65,535).
        #expect(HDF5FilterPipeline.fletcher32(Array(repeating: 0xFF, count: 2_000)) == 0xFFFF_FFFF)
    }

    /// `chunked_fletcher` in layouts.h5 is one chunk of the 140 bytes `contiguous` holds too,
    /// followed by its checksum: a flipped data byte there is found, not read as a value.
    @Test func aDamagedFletcherChunkIsRefused() throws {
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: NIRFixtures.path("hdf5/layouts.h5"))))
        let original = try HDF5File(bytes: bytes, name: "layouts.h5")
        guard case .floats(let values) = try original.read("/contiguous").values else {
            Issue.record("contiguous holds floats")
            return
        }
        let data = values.flatMap { value in withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { Array($0) } }
        let checksum = HDF5FilterPipeline.fletcher32(data)
        let chunk = data + withUnsafeBytes(of: checksum.littleEndian) { Array($0) }
        let start = try #require((0...(bytes.count - chunk.count)).first { bytes[$0..<($0 + chunk.count)].elementsEqual(chunk) })
        var damaged = bytes
        damaged[start + 17] ^= 0x40
        let file = try HDF5File(bytes: damaged, name: "layouts.h5")
        #expect(throws: HDF5Error.self) { try file.read("/chunked_fletcher") }
        do {
            _ = try file.read("/chunked_fletcher")
        } catch {
            #expect(error.description.contains("fletcher32 filter: chunk checksum 0x\(String(checksum, radix: 16)) does not match its contents"), "\(error)")
        }
        #expect(try file.read("/contiguous") == original.read("/contiguous"))
    }
}
