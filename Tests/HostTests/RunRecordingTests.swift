import Chip
import Foundation
import Testing
@testable import Host

@Suite struct RunRecordingTests {
    /// The `step` and `spike` lines of a spike-level trace of the same run.
    static func traceLines(_ network: NetworkDescription, chip: ChipDescription, steps: Int) throws -> (steps: [String], spikes: [String]) {
        let (text, _) = try traceOfRun(network, on: chip, level: .spikes, steps: steps)
        let lines = text.split(separator: "\n").map(String.init)
        return (lines.filter { $0.hasPrefix("step ") }, lines.filter { $0.hasPrefix("spike ") })
    }

    @Test func oneRecordPerStepEqualToTheTracesStepLines() throws {
        let network = try GoldenNetwork.network()
        let chip = try GoldenNetwork.chip()
        let report = try runReport(network, on: chip, steps: 5)
        let expected = try Self.traceLines(network, chip: chip, steps: 5).steps
        let recorded = report.recording.steps.enumerated().map { index, step in
            "step \(index + 1) cycles=\(step.cycles) spikes=\(step.spikes + step.inputSpikes) packets=\(step.packets) synops=\(step.synapticOps) energy_fj=\(step.energyFemtojoules)"
        }
        #expect(recorded == expected)
        #expect(report.recording.steps.map(\.inputSpikes) == [1, 1, 1, 0, 0])
    }

    @Test func spikesAreTheTracesSpikeLinesInputsFirst() throws {
        let network = try GoldenNetwork.network()
        let chip = try GoldenNetwork.chip()
        let report = try runReport(network, on: chip, steps: 5)
        let names = network.inputs.map(\.name) + network.populations.map(\.name)
        let recorded = report.recording.spikes.map { "spike \($0.step) \(names[Int($0.group)]) \($0.index)" }
        #expect(recorded == (try Self.traceLines(network, chip: chip, steps: 5).spikes))
        #expect(report.recording.spikesPerGroup == [3, report.result.populationSpikes[0], report.result.populationSpikes[1]])
        #expect(report.recording.spikeStride == 1)
        #expect(report.recording.spikeTotal == report.result.neuronSpikes + report.result.inputSpikeCount)
    }

    /// A recording of a second run regenerates that run's input spikes (the streams go on),
    /// not the first run's.
    @Test func aSecondRunsRecordingHasItsOwnInputSpikes() throws {
        let network = try NetworkFile.parse("""
            { "format": "neuroemu-network/1", "name": "again", "steps": 10,
              "inputs": [{ "name": "in", "size": 3, "poisson": { "probability": 0.4 } }],
              "populations": [{ "name": "A", "size": 4, "neuron": { "model": "loihi_lif", "vth": 100 } }],
              "projections": [{ "name": "in_A", "source": "in", "target": "A", "all_to_all": { "weight": 60 } }] }
            """, file: "again.json")
        var simulation = try Simulation(network: network, chip: GoldenNetwork.chip())
        var first = try TraceWriter(level: .steps, path: nil)
        _ = try simulation.run(steps: 5, threads: 1, trace: &first)
        final class Box: @unchecked Sendable { var recording: RunRecording? }
        let box = Box()
        box.recording = RunRecording(simulation: simulation, steps: 5, keepsSpikes: true)
        var trace = try TraceWriter(level: .spikes, path: nil, keepsLines: true)
        _ = try simulation.run(steps: 5, threads: 1, trace: &trace, observer: { step, engine throws(OutputError) in box.recording?.record(step: step, engine: engine) })
        let recorded = (box.recording?.spikes ?? []).map { "spike \($0.step) \($0.group == 0 ? "in" : "A") \($0.index)" }
        #expect(recorded.contains { $0.hasPrefix("spike 1 in ") })
        #expect(recorded == trace.lines.filter { $0.hasPrefix("spike ") })
    }

    @Test func withoutSpikesOnlyStepsAreKept() throws {
        let report = try runReport(GoldenNetwork.network(), on: GoldenNetwork.chip(), steps: 5, keepsSpikes: false)
        #expect(report.recording.steps.count == 5)
        #expect(report.recording.spikes.isEmpty)
        #expect(report.recording.spikeTotal == 0)
        #expect(!report.recording.keepsSpikes)
    }

    @Test func thinningKeepsWholeSpikeTrainsOfEveryStrideThNeuron() throws {
        let network = try DefaultNetwork.load()
        var simulation = try Simulation(network: network, chip: ChipPresets.resolve("loihi"))
        var full = RunRecording(simulation: simulation, steps: 60, keepsSpikes: true)
        var thin = RunRecording(simulation: simulation, steps: 60, keepsSpikes: true, spikeCapacity: 500)
        var trace = try TraceWriter(level: .steps, path: nil)
        _ = try simulation.run(steps: 60, threads: 1, trace: &trace, observer: { step, engine in
            full.record(step: step, engine: engine)
            thin.record(step: step, engine: engine)
        })
        #expect(full.spikeStride == 1)
        #expect(full.spikes.count > 1000, "enough spikes to need thinning")
        #expect(thin.spikeStride > 1 && thin.spikeStride & (thin.spikeStride - 1) == 0, "a power of two")
        #expect(thin.spikes.count <= 500)
        #expect(thin.spikes == full.spikes.filter { Int($0.index) % thin.spikeStride == 0 })
        #expect(thin.spikesPerGroup == full.spikesPerGroup)
    }
}
