import Testing
@testable import Host

/// Chip voltages of imported populations read in NIR units, per neuron.
@Suite struct NIRVoltageUnitsTests {
    @Test func eachNeuronHasItsRestAndScale() {
        let units = NIRVoltageUnits(rest: [0, -0.5, 2], chipUnitsPerNIRUnit: [64, 128, 6400])
        #expect(units.voltages([64, 64, -3200]) == [1, 0, 1.5])
    }

    /// As many decimals as one chip unit needs: 1/64 needs 2, 1/200 needs 3, 1/3.3 × 10^6 needs 7.
    @Test func textHasTheDecimalsOfOneChipUnit() {
        #expect(NIRVoltageUnits(rest: [0], chipUnitsPerNIRUnit: [64]).text([1]) == ["0.02"])
        #expect(NIRVoltageUnits(rest: [0], chipUnitsPerNIRUnit: [200]).text([1]) == ["0.005"])
        #expect(NIRVoltageUnits(rest: [0], chipUnitsPerNIRUnit: [10]).text([-25]) == ["-2.5"])
        #expect(NIRVoltageUnits(rest: [0], chipUnitsPerNIRUnit: [1]).text([7]) == ["7"])
        #expect(NIRVoltageUnits(rest: [0], chipUnitsPerNIRUnit: [3_300_000]).text([1_650_000]) == ["0.5000000"])
    }

    /// An imported LIF node whose neurons have different thresholds: each neuron's voltage reads
    /// through its own span (one scale per population would misread all but the first).
    @Test func importedNeuronsWithDifferentThresholdsReadThroughTheirOwnSpan() throws {
        let lif = NIRNode.lif(tau: NIRTensor(shape: [2], values: [0.02, 0.02]), r: NIRTensor(shape: [2], values: [1, 1]), vLeak: NIRTensor(shape: [2], values: [-1, 0]),
                              vThreshold: NIRTensor(shape: [2], values: [1, 4]), vReset: NIRTensor(shape: [2], values: [-1, 0]))
        let graph = NIRGraph(nodes: [("input", .input(shape: [2])), ("lif", lif)], edges: [("input", "lif")])
        let imported = try NIRImporter.convert(graph, name: "g", file: "g.nir", options: NIRImportOptions())
        let units = try #require(imported.voltageUnits["lif"])
        let vth = Double(imported.network.populations[0].neurons[0].vth)
        // At the threshold the chip holds vth · 64: v_threshold in NIR units, 1 and 4.
        #expect(units.rest == [-1, 0])
        #expect(units.voltages([Int64(vth) * 64, Int64(vth) * 64]) == [1, 4])
    }
}
