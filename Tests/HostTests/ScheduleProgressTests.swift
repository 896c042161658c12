import Chip
import Foundation
import Testing
@testable import Host

@Suite struct ScheduleProgressTests {

    @Test func predictionVotesByGroupOrByNeuron() {
        // Groups of 2: group 0 has 3 + 0 spikes, group 1 has 2 + 2.
        #expect(Classification.prediction(neuronSpikes: [3, 0, 2, 2], groupSize: 2, vote: .group) == 1)
        #expect(Classification.prediction(neuronSpikes: [3, 0, 2, 2], groupSize: 2, vote: .neuron) == 0)
        // Ties go to the lowest class; no spike at all is no prediction.
        #expect(Classification.prediction(neuronSpikes: [0, 2, 2, 0], groupSize: 2, vote: .group) == 0)
        #expect(Classification.prediction(neuronSpikes: [0, 0, 0, 0], groupSize: 2, vote: .group) == -1)
        #expect(Classification.prediction(neuronSpikes: [0, 0, 0, 0], groupSize: 2, vote: .neuron) == -1)
    }

    @Test func accuracyAndConfusionCountEverySample() {
        var classification = Classification(segment: 0, classes: 2)
        classification.labels = [0, 0, 1, 1]
        classification.predictions = [0, 1, 1, -1]
        #expect(classification.correct == 2)
        #expect(classification.accuracy == 0.5)
        #expect(classification.confusion == [[1, 1, 0], [0, 1, 1]])
        // Before a sample has finished there is no ratio to give (the report writes null).
        #expect(Classification(segment: 0, classes: 2).accuracy == nil)
    }

    /// A run that ends before a test sample has finished has no accuracy (null in the report)
    /// and no predicted classes: `argmax` on the classified population lists predictions, never
    /// a neuron's index.
    @Test func aRunEndingBeforeATestSampleHasNoAccuracyAndNoPredictions() throws {
        let directory = try FourPatterns.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let network = try FourPatterns.network(in: directory, schedule: """
            { "steps_per_sample": 10, "rest_steps": 0, "classify": { "population": "out", "group_size": 1 },
              "segments": [ { "kind": "train", "count": 1 }, { "kind": "test", "count": 2 } ] }
            """)
        for steps in [10, 15] {
            var simulation = try Simulation(network: network, chip: ChipPresets.resolve("loihi"))
            var trace = try TraceWriter(level: .steps, path: nil)
            let result = try simulation.run(steps: steps, threads: 1, trace: &trace, readouts: [Readout(population: 0, mode: .argmax)])
            #expect(result.readouts.map(\.values) == [[]], "\(steps) steps")
            #expect(result.classifications.map(\.accuracy) == (steps == 10 ? [] : [nil]), "\(steps) steps")
            let summary = RunSummary(simulation: simulation, result: result, threads: 1).render()
            #expect(summary.contains("accuracy        n/a (0 of 0 samples, test segment 1)") == (steps == 15), "\(steps) steps")
        }
    }

    @Test func positionsWalkPresentationsAndRests() throws {
        let directory = try FourPatterns.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let network = try FourPatterns.network(in: directory, schedule: """
            { "steps_per_sample": 2, "rest_steps": 1,
              "segments": [ { "kind": "train", "count": 2 }, { "kind": "sleep", "steps": 2 }, { "kind": "test", "first": 3, "count": 1 } ] }
            """)
        var progress = ScheduleProgress(schedule: try #require(network.schedule), seed: network.seed)
        let positions = (1...network.steps).map { progress.position(at: $0) }
        #expect(positions.map(\.segment) == [0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 2])
        #expect(positions.map(\.entersSegment) == [true, false, false, false, false, false, true, false, true, false, false])
        #expect(positions.map(\.sample) == [0, 0, 0, 1, 1, 1, nil, nil, 3, 3, 3])
        #expect(positions.map(\.presents) == [true, true, false, true, true, false, false, false, true, true, false])
        #expect(positions.map(\.startsSlot) == [true, false, false, true, false, false, false, false, true, false, false])
        #expect(positions.map(\.endsSlot) == [false, false, true, false, false, true, false, false, false, false, true])
    }

    /// The small supervised problem: four overlapping fixed patterns, one output neuron per class.
    /// Before training the outputs guess; after 40 presentations (10 shuffled passes) every pattern
    /// is classified correctly, and the run repeats bit for bit on 1 and 2 threads.
    @Test func fourPatternsAreLearnedCompletelyAndDeterministically() throws {
        let directory = try FourPatterns.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let network = try FourPatterns.network(in: directory)
        let chip = try ChipPresets.resolve("loihi")
        let one = try traceOfRun(network, on: chip, level: .spikes, threads: 1)
        let two = try traceOfRun(network, on: chip, level: .spikes, threads: 2)
        #expect(one.result.digest == two.result.digest)
        #expect(one.text == two.text)
        let results = one.result.classifications
        #expect(results.map(\.segment) == [0, 2])
        #expect(results[0].correct < 4)
        #expect(results[1].labels == [0, 1, 2, 3])
        #expect(results[1].predictions == [0, 1, 2, 3])
        #expect(results[1].accuracy == 1)
        #expect(one.result.phases.map(\.kind) == [.train, .test])
        #expect(one.result.phases.map(\.samples) == [40, 8])
        #expect(one.result.phases[1].counts[.stdpUpdate] == 0)  // learning is off while testing
        #expect(one.result.phases[0].counts[.stdpUpdate] > 0)
        // Phase totals add up to the run's.
        #expect(one.result.phases.reduce(0) { $0 + $1.energyFemtojoules } == one.result.energyFemtojoules)
        #expect(one.result.phases.reduce(0) { $0 + $1.steps } == network.steps)
        // A different seed shuffles differently but learns the patterns too.
        let other = try traceOfRun(FourPatterns.network(in: directory, seed: 9), on: chip, level: .steps)
        #expect(other.result.digest != one.result.digest)
        #expect(other.result.classifications[1].accuracy == 1)
    }

    /// A schedule cut into two runs, the cut inside the last test sample's slot (20 steps of
    /// presentation and 5 of rest, cut after each): the second run reports the rest of that
    /// test segment, and the slot cut in two is classified from all its spikes, so the
    /// predictions are those of one run wherever the cut falls.
    @Test func aScheduleCutInsideATestSlotClassifiesAsOneRun() throws {
        let directory = try FourPatterns.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let network = try FourPatterns.network(in: directory)
        let chip = try ChipPresets.resolve("loihi")
        let (wholeText, wholeResult) = try traceOfRun(network, on: chip, level: .spikes)
        let whole = wholeResult.classifications
        // What a run that stops 12 steps before the end leaves of the slot under way: the output
        // neurons' spikes of the slot so far (it began 25 steps before the end).
        var halfway = try Simulation(network: network, chip: chip)
        var halfwayTrace = try TraceWriter(level: .steps, path: nil)
        _ = try halfway.run(steps: network.steps - 12, threads: 1, trace: &halfwayTrace)
        var slotSoFar = Array(repeating: 0, count: 4)
        for line in wholeText.split(separator: "\n") where line.hasPrefix("spike ") {
            let words = line.split(separator: " ")
            guard words[2] == "out", let step = Int(words[1]), let index = Int(words[3]), step > network.steps - 25, step <= network.steps - 12 else { continue }
            slotSoFar[index] += 1
        }
        #expect(slotSoFar.reduce(0, +) > 0)
        #expect(halfway.classifiedSpikes == slotSoFar)
        for left in 1...24 {
            var simulation = try Simulation(network: network, chip: chip)
            var results: [Classification] = []
            for steps in [network.steps - left, left] {
                var trace = try TraceWriter(level: .steps, path: nil)
                results += try simulation.run(steps: steps, threads: 1, trace: &trace).classifications
            }
            #expect(results.map(\.segment) == [0, 2, 2], "cut \(left) steps before the end")
            guard results.count == 3 else { continue }
            #expect(results[0] == whole[0])
            #expect(results[1].labels.count == 3 && results[2].labels.count == 1, "cut \(left) steps before the end")
            #expect(results[1].predictions + results[2].predictions == whole[1].predictions, "cut \(left) steps before the end")
        }
    }

    /// Sleep: no host input spikes during its steps, plastic weights move toward the baseline, the
    /// spontaneous pulses make output neurons spike, and its energy is reported on its own.
    @Test func sleepSilencesInputDriftsWeightsAndIsCountedSeparately() throws {
        let directory = try FourPatterns.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let trainOnly = """
            { "steps_per_sample": 20, "rest_steps": 5, "reset_state": true, "segments": [ { "kind": "train", "repeat": 5 } ] }
            """
        let trainAndSleep = """
            { "steps_per_sample": 20, "rest_steps": 5, "reset_state": true,
              "segments": [ { "kind": "train", "repeat": 5 },
                            { "kind": "sleep", "fraction": 0.4, "learning": false, "decay": 400, "baseline": 40, "decay_interval": 4,
                              "spontaneous": { "out": { "probability": 0.1, "amplitude": 255 } } } ] }
            """
        let chip = try ChipPresets.resolve("loihi")
        let awake = try FourPatterns.network(in: directory, schedule: trainOnly)
        let slept = try FourPatterns.network(in: directory, schedule: trainAndSleep)
        #expect(slept.steps == 500 + 200)

        var simulation = try Simulation(network: slept, chip: chip)
        var trace = try TraceWriter(level: .spikes, path: nil)
        let result = try simulation.run(steps: slept.steps, threads: 1, trace: &trace)
        var awakeSimulation = try Simulation(network: awake, chip: chip)
        var awakeTrace = try TraceWriter(level: .steps, path: nil)
        let awakeResult = try awakeSimulation.run(steps: awake.steps, threads: 1, trace: &awakeTrace)

        // The run up to the end of training is the same with or without the sleep that follows,
        // so the weights before and after the sleep can be compared.
        #expect(awakeResult.phases.count == 1 && awakeResult.phases.first == result.phases.first)
        let before = awakeSimulation.learnedNetwork().projections[0].synapses.map(\.weight)
        let after = simulation.learnedNetwork().projections[0].synapses.map(\.weight)
        func distance(_ weights: [Int32]) -> Int { weights.reduce(0) { $0 + abs(Int($1) - 40) } }
        #expect(distance(after) < distance(before) / 4)
        #expect(zip(before, after).allSatisfy { old, new in abs(Int(new) - 40) <= abs(Int(old) - 40) })

        let sleep = try #require(result.phases.first { $0.kind == .sleep })
        #expect(result.phases.map(\.kind) == [.train, .sleep])
        #expect(sleep.steps == 200)
        #expect(sleep.samples == 0)
        #expect(sleep.counts[.stdpUpdate] == 64 * 50)  // 64 plastic synapses, every 4th of 200 steps
        #expect(sleep.counts[.spikeOut] > 0)  // spontaneous activity
        #expect(sleep.energyFemtojoules > 0)
        #expect(result.phases.reduce(0) { $0 + $1.energyFemtojoules } == result.energyFemtojoules)
        // No input spikes in the sleep steps (501…700), though they fill training.
        #expect(sleep.counts[.packet] < result.phases[0].counts[.packet])
        let text = try String(contentsOfFile: try traceFile(slept, chip: chip), encoding: .utf8)
        let inputSpikeSteps = text.split(separator: "\n").filter { $0.hasPrefix("spike ") && ($0.contains(" features ") || $0.contains(" teacher ")) }
            .compactMap { Int($0.split(separator: " ")[1]) }
        #expect(!inputSpikeSteps.isEmpty)
        #expect(inputSpikeSteps.allSatisfy { $0 <= 500 })
    }

    /// `homeostasis` on a test segment: `hold` keeps the thresholds training left over the whole
    /// segment, `off` clears them and keeps them at zero, `adapt` lets them move — while the
    /// neurons spike in every case.
    @Test func testSegmentsHoldOrClearTheAdaptiveThresholds() throws {
        let directory = try FourPatterns.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func adaptationPerStep(_ mode: ThresholdAdaptation) throws -> (adaptation: [[Int32]], spikes: Int) {
            let network = try FourPatterns.network(in: directory, schedule: """
                { "steps_per_sample": 20, "rest_steps": 5, "reset_state": true,
                  "segments": [ { "kind": "train" }, { "kind": "test", "homeostasis": "\(mode.rawValue)" } ] }
                """)
            var simulation = try Simulation(network: network, chip: try ChipPresets.resolve("tiny"))
            var trace = try TraceWriter(level: .steps, path: nil)
            var adaptation: [[Int32]] = []
            let result = try simulation.run(steps: network.steps, threads: 1, trace: &trace) { _, engine in
                adaptation.append(engine.cores.flatMap(\.adaptation))
            }
            return (adaptation, result.populationSpikes[0])
        }
        let held = try adaptationPerStep(.hold)
        #expect(held.adaptation.count == 200)  // 4 samples × 25 steps of training, then of test
        let trained = held.adaptation[99]
        #expect(trained.contains { $0 != 0 })
        for step in 100..<200 { #expect(held.adaptation[step] == trained) }
        let cleared = try adaptationPerStep(.off)
        for step in 100..<200 { #expect(cleared.adaptation[step].allSatisfy { $0 == 0 }) }
        let adapting = try adaptationPerStep(.adapt)
        for run in [cleared, adapting] { #expect(Array(run.adaptation[..<100]) == Array(held.adaptation[..<100])) }
        #expect(adapting.adaptation[100...].contains { $0 != trained && $0.contains { $0 != 0 } })
        for run in [held, cleared, adapting] { #expect(run.spikes > 0) }
    }

    /// Writes the trace of a run at the spikes level and returns its path.
    private func traceFile(_ network: NetworkDescription, chip: ChipDescription) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-sleep-\(UUID().uuidString).trace").path
        var simulation = try Simulation(network: network, chip: chip)
        var trace = try TraceWriter(level: .spikes, path: path)
        _ = try simulation.run(steps: network.steps, threads: 1, trace: &trace)
        return path
    }

    /// The digits demo at reduced size: 200 training samples (three passes), 100 test samples; a
    /// conservative floor below what it reaches (86 %; the run is deterministic).
    @Test func digitsAtReducedSizeClearAnAccuracyFloor() throws {
        let path = repositoryRoot.appendingPathComponent("configs/networks/digits-stdp.json").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: #""count": 1200, "order": "shuffled""#, with: #""count": 200, "order": "shuffled""#)
            .replacingOccurrences(of: #""first": 1200, "count": 597"#, with: #""first": 1200, "count": 100"#)
        let network = try NetworkFile.parse(text, file: path)
        #expect(network.steps == 200 * 3 * 90 + 100 * 410)
        var simulation = try Simulation(network: network, chip: try ChipPresets.resolve("loihi"))
        var trace = try TraceWriter(level: .steps, path: nil)
        let result = try simulation.run(steps: network.steps, threads: 2, trace: &trace)
        let test = try #require(result.classifications.first)
        #expect(test.labels.count == 100)
        #expect((test.accuracy ?? 0) >= 0.75, "accuracy \(String(describing: test.accuracy))")
    }

    /// The same schedule (presentations, learning, a test segment with classification) on the
    /// flit router, whose runs on two threads time several steps' networks at once: the same
    /// trace, classifications and phase totals as on one thread.
    @Test func scheduledLearningRunsInBatchesOnTheFlitRouter() throws {
        let directory = try FourPatterns.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let network = try FourPatterns.network(in: directory)
        var chip = try ChipPresets.resolve("loihi")
        chip.routerFidelity = .flit
        let one = try traceOfRun(network, on: chip, level: .spikes, threads: 1)
        let two = try traceOfRun(network, on: chip, level: .spikes, threads: 2)
        #expect(one.text == two.text && one.result.digest == two.result.digest)
        #expect(one.result.classifications == two.result.classifications)
        #expect(one.result.phases == two.result.phases)
        #expect(one.result.classifications.last?.accuracy == 1)
    }
}
