import Foundation
import Testing
@testable import Host

/// The HDF5 reader against files h5py wrote (NIR/hdf5/, made by make_hdf5_fixtures.py) and the
/// values h5py itself read back from them (expected.json).
struct HDF5FileTests {
    nonisolated(unsafe) static let expected: [String: Any] = {
        guard let data = FileManager.default.contents(atPath: NIRFixtures.path("hdf5/expected.json")),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }()

    static func answers(_ file: String) -> [String: [String: Any]] {
        (expected[file] as? [String: [String: Any]]) ?? [:]
    }

    /// Compares a decoded array with h5py's answer: same shape, numbers equal exactly.
    static func check(_ array: HDF5Array, _ answer: [String: Any], _ label: String) {
        #expect(array.shape == (answer["shape"] as? [Int]) ?? [-1], "\(label) shape")
        let values = answer["values"] as? [Any] ?? []
        if let strings = array.strings {
            #expect(strings == values.compactMap { $0 as? String }, "\(label) strings")
        } else {
            // Foundation's JSON parser may differ from Python's float repr in the last bit.
            let numbers = values.compactMap { ($0 as? NSNumber)?.doubleValue }
            let decoded = array.doubles ?? []
            #expect(decoded.count == numbers.count && zip(decoded, numbers).allSatisfy { $0 == $1 || abs($0 - $1) <= 1e-15 * abs($1) }, "\(label) values: \(decoded) vs \(numbers)")
        }
    }

    static let typeNames = answers("types_v0").keys.filter { $0 != "attributes" }.sorted()

    @Test(arguments: ["types_v0", "types_latest"])
    func everyDatatypeMatchesH5py(file: String) throws {
        let hdf5 = try HDF5File(path: NIRFixtures.path("hdf5/\(file).h5"))
        let answers = Self.answers(file)
        #expect(answers.count == 22)
        for (name, answer) in answers where name != "attributes" {
            Self.check(try hdf5.read(name), answer, "\(file) \(name)")
        }
        let attributes = try hdf5.attributes(of: "/group")
        let expected = try #require(answers["attributes"] as? [String: [String: Any]])
        #expect(Set(attributes.keys) == Set(expected.keys))
        for (name, answer) in expected {
            Self.check(try #require(attributes[name]), answer, "\(file) attribute \(name)")
        }
    }

    @Test func superblockVersions() throws {
        #expect(try HDF5File(path: NIRFixtures.path("hdf5/types_v0.h5")).superblock.version == 0)
        #expect(try HDF5File(path: NIRFixtures.path("hdf5/types_latest.h5")).superblock.version == 3)
    }

    @Test func layoutsAndFiltersMatchH5py() throws {
        let hdf5 = try HDF5File(path: NIRFixtures.path("hdf5/layouts.h5"))
        let answers = Self.answers("layouts")
        #expect(answers.count == 8)
        for (name, answer) in answers {
            Self.check(try hdf5.read("/" + name), answer, name)
        }
        let latest = try HDF5File(path: NIRFixtures.path("hdf5/layouts_latest.h5"))
        Self.check(try latest.read("/single_chunk"), Self.answers("layouts_latest")["single_chunk"] ?? [:], "single_chunk")
    }

    @Test func groupsListTheirMembers() throws {
        let hdf5 = try HDF5File(path: NIRFixtures.path("hdf5/types_v0.h5"))
        #expect(try hdf5.children(of: "/") == ["g0", "g1", "g2", "g3", "group"])
        #expect(try hdf5.children(of: "/g0") == ["t_be_i2", "t_le_i1", "t_le_i2", "t_le_u1", "t_le_u2", "t_le_i4"].sorted())
        #expect(try hdf5.kind(at: "/group") == .group)
        #expect(try hdf5.kind(at: "/g3/vlen_strings") == .dataset)
        #expect(throws: HDF5Error.wrongKind(file: hdf5.name, object: "/group", expected: "a dataset, found a group")) { try hdf5.read("/group") }
        let missing = #expect(throws: HDF5Error.self) { try hdf5.read("/nothing") }
        #expect(missing?.description.hasPrefix("\(hdf5.name): ") == true && missing?.description.contains("/nothing") == true, "\(String(describing: missing))")
    }

    @Test func denseLinkStorageIsNamedAsUnsupported() throws {
        let path = NIRFixtures.path("hdf5/dense_links.h5")
        let hdf5 = try HDF5File(path: path)
        #expect(throws: HDF5Error.unsupported(file: path, object: "/", feature: "dense link storage (fractal heap) in a group with many links; h5py's default libver writes symbol tables instead")) {
            try hdf5.children(of: "/")
        }
    }

    /// The signature is looked for where the reader finds superblocks: at 0 and behind a user
    /// block at 512, 1024, 2048, … (only byte 0 was, so such a file not named *.nir read as JSON).
    @Test func theSignatureIsFoundBehindAUserBlock() throws {
        let behind = [UInt8](try #require(FileManager.default.contents(atPath: NIRFixtures.path("userblock/userblock_earliest.nir"))))
        #expect(Array(behind[512..<520]) == HDF5Superblock.signature && behind[0] != 0x89)
        #expect(HDF5File.hasSignature(behind))
        let plain = [UInt8](try #require(FileManager.default.contents(atPath: NIRFixtures.path("mlp.nir"))))
        #expect(HDF5File.hasSignature(plain))
        for offset in [512, 1024, 4096] {
            #expect(HDF5File.hasSignature(Array(repeating: 0x20, count: offset) + HDF5Superblock.signature), "at \(offset)")
        }
        // Elsewhere it is not a superblock's signature.
        #expect(!HDF5File.hasSignature(Array(repeating: 0x20, count: 100) + HDF5Superblock.signature))
        #expect(!HDF5File.hasSignature(Array(repeating: 0x20, count: 768) + HDF5Superblock.signature))
        #expect(!HDF5File.hasSignature(Array("{\"format\": 1}".utf8)) && !HDF5File.hasSignature([]))
    }

    @Test func notHDF5AndMissingFiles() {
        #expect(throws: HDF5Error.notHDF5(file: "x")) { try HDF5File(bytes: Array("{\"format\": 1}".utf8), name: "x") }
        #expect(throws: HDF5Error.unreadable(file: "/nonexistent/file.nir", reason: "no such file")) { try HDF5File(path: "/nonexistent/file.nir") }
    }

    /// Reads everything a file holds; any damage must surface as an error, never a trap.
    static func readEverything(_ hdf5: HDF5File, _ path: String = "/") throws {
        _ = try hdf5.attributes(of: path)
        for name in try hdf5.children(of: path) {
            let child = path == "/" ? "/" + name : path + "/" + name
            if try hdf5.kind(at: child) == .group {
                try readEverything(hdf5, child)
            } else {
                _ = try hdf5.read(child)
            }
        }
    }

    @Test func truncatedFilesGiveTruncationErrors() throws {
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: NIRFixtures.path("hdf5/layouts.h5"))))
        try Self.readEverything(try HDF5File(bytes: bytes, name: "layouts.h5"))
        var failures = 0
        for length in stride(from: 0, to: bytes.count, by: 211) {
            do {
                try Self.readEverything(try HDF5File(bytes: Array(bytes.prefix(length)), name: "cut.h5"))
            } catch {
                failures += 1
                #expect("\(error)".hasPrefix("cut.h5"), "\(error)")
            }
        }
        #expect(failures == (bytes.count + 210) / 211)
        // The whole file but its last chunk: the message names the object and the structure.
        do {
            try Self.readEverything(try HDF5File(bytes: Array(bytes.prefix(bytes.count - 200)), name: "cut.h5"))
            Issue.record("a truncated file was read without error")
        } catch {
            #expect("\(error)".hasPrefix("cut.h5: /"))
        }
    }

    @Test func flippedBytesNeverCrash() throws {
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: NIRFixtures.path("hdf5/types_latest.h5"))))
        var errors = 0
        for index in stride(from: 0, to: bytes.count, by: 13) {
            var damaged = bytes
            damaged[index] ^= 0xff
            do {
                try Self.readEverything(try HDF5File(bytes: damaged, name: "flipped.h5"))
            } catch {
                errors += 1
            }
        }
        // Version-2 structures carry checksums, so most flips are caught.
        #expect(errors > 0)
    }
}
