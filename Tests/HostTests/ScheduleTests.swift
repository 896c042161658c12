import Foundation
import Testing
@testable import Host

@Suite struct ScheduleTests {
    @Test func scheduleFixesTheRunLengthAndSegmentDefaults() throws {
        let directory = try FourPatterns.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let network = try FourPatterns.network(in: directory, schedule: """
            { "steps_per_sample": 20, "rest_steps": 5,
              "segments": [ { "kind": "train", "count": 3, "repeat": 2 }, { "kind": "sleep", "fraction": 0.5, "decay": 8, "baseline": 10 },
                            { "kind": "test", "first": 1, "rest_steps": 0 } ] }
            """)
        let schedule = try #require(network.schedule)
        #expect(schedule.segments.map(\.kind) == [.train, .sleep, .test])
        #expect(schedule.segments.map(\.learning) == [true, true, false])
        #expect(schedule.segments.map(\.homeostasis) == [.adapt, .adapt, .adapt])
        #expect(schedule.segments.map(\.steps) == [150, 75, 60])  // 3 · 2 · 25; half of 150; 3 · 20
        #expect(schedule.steps == 285)
        #expect(network.steps == 285)
        #expect(schedule.segmentStarts == [1, 151, 226])
        #expect(schedule.segments[1].weightDecay == .init(baseline: 10, decay: 8))
        #expect(schedule.presentationOrder(segment: 0, seed: 5) == [0, 1, 2, 0, 1, 2])
        #expect(schedule.presentationOrder(segment: 1, seed: 5) == [])
        #expect(schedule.presentationOrder(segment: 2, seed: 5) == [1, 2, 3])
    }

    @Test func shuffledOrderIsASeededPermutationPerRepeat() throws {
        let directory = try FourPatterns.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let schedule = try #require(try FourPatterns.network(in: directory, schedule: """
            { "steps_per_sample": 1, "segments": [ { "kind": "train", "order": "shuffled", "repeat": 50 } ] }
            """).schedule)
        let order = schedule.presentationOrder(segment: 0, seed: 5)
        #expect(order.count == 200)
        for pass in 0..<50 { #expect(order[(pass * 4)..<(pass * 4 + 4)].sorted() == [0, 1, 2, 3]) }
        #expect(order != Array(repeating: [0, 1, 2, 3], count: 50).flatMap { $0 })
        #expect(order == schedule.presentationOrder(segment: 0, seed: 5))
        #expect(order != schedule.presentationOrder(segment: 0, seed: 6))
    }

    @Test func networkWriterKeepsTheSchedule() throws {
        let directory = try FourPatterns.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let network = try FourPatterns.network(in: directory, schedule: """
            { "steps_per_sample": 20, "rest_steps": 5, "reset_state": true, "classify": { "population": "out", "group_size": 1, "vote": "neuron" },
              "segments": [ { "kind": "train", "count": 3, "order": "shuffled" },
                            { "kind": "sleep", "steps": 40, "decay": 8, "baseline": 10, "decay_interval": 4,
                              "spontaneous": { "out": { "probability": 0.25, "amplitude": 30 } } },
                            { "kind": "test", "learning": true, "homeostasis": "hold" },
                            { "kind": "test", "homeostasis": "off" } ] }
            """)
        #expect(network.schedule?.segments.map(\.homeostasis) == [.adapt, .adapt, .hold, .off])
        let reread = try NetworkFile.parse(NetworkWriter.text(of: network), file: directory + "/saved.json")
        #expect(reread.schedule == network.schedule)
        #expect(reread.inputs == network.inputs)
        #expect(reread.projections[0].stdp == network.projections[0].stdp)
    }

    static let badSchedules: [(label: String, schedule: String, message: String)] = [
        ("unknown segment kind", #"{ "steps_per_sample": 5, "segments": [ { "kind": "nap" } ] }"#,
         #"$.schedule.segments[0].kind: must be one of "train", "test", "sleep"; got "nap""#),
        ("sleep key on a train segment", #"{ "steps_per_sample": 5, "segments": [ { "kind": "train", "decay": 3 } ] }"#,
         #"$.schedule.segments[0].decay: unknown key "decay"; allowed keys: "kind", "first", "count", "order", "repeat", "learning", "homeostasis", "steps_per_sample", "rest_steps""#),
        ("unknown homeostasis", #"{ "steps_per_sample": 5, "segments": [ { "kind": "test", "homeostasis": false } ] }"#,
         #"$.schedule.segments[0].homeostasis: must be a string, got boolean false"#),
        ("misspelt homeostasis", #"{ "steps_per_sample": 5, "segments": [ { "kind": "test", "homeostasis": "held" } ] }"#,
         #"$.schedule.segments[0].homeostasis: must be one of "adapt", "hold", "off"; got "held""#),
        ("fraction without training", #"{ "steps_per_sample": 5, "segments": [ { "kind": "sleep", "fraction": 0.1 } ] }"#,
         #"$.schedule.segments[0].fraction: a fraction of training needs a "train" segment before this sleep segment"#),
        ("sleep without length", #"{ "steps_per_sample": 5, "segments": [ { "kind": "sleep" } ] }"#,
         #"$.schedule.segments[0]: a sleep segment needs "steps" or "fraction" (of the last training segment's steps)"#),
        // `count` is limited by the rows left from `first` to the file's end, and says so.
        ("rows beyond the file", #"{ "steps_per_sample": 5, "segments": [ { "kind": "test", "first": 2, "count": 3 } ] }"#,
         #"$.schedule.segments[0].count: must be an integer in 1…2, got 3: patterns.csv has 4 samples and this segment starts at row 2"#),
        ("more rows than the file", #"{ "steps_per_sample": 5, "segments": [ { "kind": "train", "count": 5 } ] }"#,
         #"$.schedule.segments[0].count: must be an integer in 1…4, got 5: patterns.csv has 4 samples and this segment starts at row 0"#),
        ("no rows", #"{ "steps_per_sample": 5, "segments": [ { "kind": "test", "first": 3, "count": 0 } ] }"#,
         #"$.schedule.segments[0].count: must be an integer in 1…1, got 0: patterns.csv has 4 samples and this segment starts at row 3"#),
        ("a fractional count", #"{ "steps_per_sample": 5, "segments": [ { "kind": "test", "count": 1.5 } ] }"#,
         #"$.schedule.segments[0].count: must be an integer, got number 1.5"#),
        ("first beyond the file", #"{ "steps_per_sample": 5, "segments": [ { "kind": "test", "first": 4 } ] }"#,
         #"$.schedule.segments[0].first: must be an integer in 0…3, got 4"#),
        ("groups do not divide", #"{ "steps_per_sample": 5, "classify": { "population": "out", "group_size": 3 }, "segments": [ { "kind": "test" } ] }"#,
         #"$.schedule.classify.group_size: out has 4 neurons, not a whole number of groups of 3"#),
        ("too few groups for the labels", #"{ "steps_per_sample": 5, "classify": { "population": "out", "group_size": 2 }, "segments": [ { "kind": "test" } ] }"#,
         #"$.schedule.classify.group_size: sample 2 of patterns.csv has label 2, but out has only 2 groups of 2"#),
        ("unknown population", #"{ "steps_per_sample": 5, "classify": { "population": "outs", "group_size": 1 }, "segments": [ { "kind": "test" } ] }"#,
         #"$.schedule.classify.population: no population is named "outs"; did you mean "out"?"#),
        ("baseline without decay", #"{ "steps_per_sample": 5, "segments": [ { "kind": "sleep", "steps": 3, "baseline": 4 } ] }"#,
         #"$.schedule.segments[0].baseline: has no effect without "decay""#),
        ("no segments", #"{ "steps_per_sample": 5, "segments": [] }"#,
         #"$.schedule.segments: must list at least one segment"#),
    ]

    @Test func invalidSchedulesNameThePathAndTheRule() throws {
        let directory = try FourPatterns.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for bad in Self.badSchedules {
            do {
                _ = try FourPatterns.network(in: directory, schedule: bad.schedule)
                Issue.record("\(bad.label): accepted")
            } catch {
                #expect("\(error)" == "\(directory)/four.json: \(bad.message)", "\(bad.label)")
            }
        }
    }

    @Test func stepsMustAgreeWithTheSchedule() throws {
        let directory = try FourPatterns.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let text = FourPatterns.text(schedule: #"{ "steps_per_sample": 5, "segments": [ { "kind": "test" } ] }"#)
            .replacingOccurrences(of: #""seed": 5,"#, with: #""seed": 5, "steps": 21,"#)
        #expect(throws: ConfigError.invalid(file: directory + "/four.json", path: "$.steps", rule: #"the schedule runs 20 steps, but "steps" is 21; give the same number or leave "steps" out"#)) {
            try NetworkFile.parse(text, file: directory + "/four.json")
        }
    }

    @Test func samplesNeedAScheduleAndTeachersNeedEnoughNeurons() throws {
        let directory = try FourPatterns.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/four.json"
        let withoutSchedule = FourPatterns.text(schedule: "null").replacingOccurrences(of: #""schedule": null"#, with: #""probes": []"#)
            .replacingOccurrences(of: #""seed": 5,"#, with: #""seed": 5, "steps": 10,"#)
        #expect(throws: ConfigError.invalid(file: file, path: "$", rule: #"input "features" ($.inputs[0]) presents samples, which needs a "schedule""#)) {
            try NetworkFile.parse(withoutSchedule, file: file)
        }
        let smallTeacher = FourPatterns.text(schedule: FourPatterns.trainAndTest).replacingOccurrences(of: #""name": "teacher", "size": 4"#, with: #""name": "teacher", "size": 3"#)
        #expect(throws: ConfigError.invalid(file: file, path: "$.inputs[1].teacher.samples", rule: "sample 3 of patterns.csv has label 3, but the teacher has 3 neurons (one per label)")) {
            try NetworkFile.parse(smallTeacher, file: file)
        }
        let wrongSize = FourPatterns.text(schedule: FourPatterns.trainAndTest).replacingOccurrences(of: #""name": "features", "size": 16"#, with: #""name": "features", "size": 15"#)
        #expect(throws: ConfigError.invalid(file: file, path: "$.inputs[0].samples.file", rule: "patterns.csv has 16 feature columns but the input has 15 neurons; they must match")) {
            try NetworkFile.parse(wrongSize, file: file)
        }
        let onOff = FourPatterns.text(schedule: FourPatterns.trainAndTest).replacingOccurrences(of: #""feature_max": 1 }"#, with: #""feature_max": 1, "encoding": "on_off" }"#)
        #expect(throws: ConfigError.invalid(file: file, path: "$.inputs[0].samples.file", rule: #"patterns.csv has 16 feature columns but the input has 16 neurons; "encoding": "on_off" needs two neurons per feature (32)"#)) {
            try NetworkFile.parse(onOff, file: file)
        }
        let doubled = try NetworkFile.parse(onOff.replacingOccurrences(of: #""name": "features", "size": 16"#, with: #""name": "features", "size": 32"#), file: file)
        guard case .samples(let samples) = doubled.inputs[0].source else { Issue.record("not a samples input"); return }
        #expect(samples.encoding == .onOff && samples.neuronCount == 32)
        #expect(try NetworkFile.parse(NetworkWriter.text(of: doubled), file: file).inputs == doubled.inputs)
        let unknown = FourPatterns.text(schedule: FourPatterns.trainAndTest).replacingOccurrences(of: #""feature_max": 1 }"#, with: #""feature_max": 1, "encoding": "off" }"#)
        #expect(throws: ConfigError.invalid(file: file, path: "$.inputs[0].samples.encoding", rule: #"must be one of "on", "on_off"; got "off""#)) {
            try NetworkFile.parse(unknown, file: file)
        }
        // A second samples input with fewer rows than the presented one would be read past its end.
        try "1,0,0\n".write(toFile: directory + "/one.csv", atomically: false, encoding: .utf8)
        let twoViews = FourPatterns.text(schedule: FourPatterns.trainAndTest)
            .replacingOccurrences(of: #"{ "steps_per_sample": 20,"#, with: #"{ "input": "features", "steps_per_sample": 20,"#)
            .replacingOccurrences(of: #"{ "name": "teacher","#, with: #"{ "name": "other", "size": 2, "samples": { "file": "one.csv", "probability": 1 } }, { "name": "teacher","#)
        #expect(throws: ConfigError.invalid(file: file, path: "$.schedule", rule: #"input "other" has 1 samples but the presented input "features" has 4; every samples input shows the presented sample, so their files need the same number of rows"#)) {
            try NetworkFile.parse(twoViews, file: file)
        }
        // A negative feature is located by the file's line and column, also with two neurons per feature.
        try "1,0,0\n2,-5,1\n".write(toFile: directory + "/negative.csv", atomically: false, encoding: .utf8)
        let negative = FourPatterns.text(schedule: FourPatterns.trainAndTest).replacingOccurrences(of: "patterns.csv", with: "negative.csv")
            .replacingOccurrences(of: #""name": "features", "size": 16"#, with: #""name": "features", "size": 4"#)
            .replacingOccurrences(of: #""feature_max": 1 }"#, with: #""feature_max": 1, "encoding": "on_off" }"#)
        #expect(throws: ConfigError.invalid(file: file, path: "$.inputs[0].samples.file", rule: directory + "/negative.csv:2: column 2: -5 is negative; features are spike rates and must be ≥ 0")) {
            try NetworkFile.parse(negative, file: file)
        }
        let missing = FourPatterns.text(schedule: FourPatterns.trainAndTest).replacingOccurrences(of: "patterns.csv", with: "absent.csv")
        #expect(throws: ConfigError.invalid(file: file, path: "$.inputs[0].samples.file", rule: "\(directory)/absent.csv: cannot read the sample file: no such file")) {
            try NetworkFile.parse(missing, file: file)
        }
    }
}
