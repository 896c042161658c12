import Chip
import Foundation

/// Writes a `NetworkDescription` back as a `neuroemu-network/1` file that `NetworkFile` reads
/// into an equal description: learned weights can be saved and training resumed.
///
/// Connectivity is written as explicit `sparse` synapses (rules were expanded when the file was
/// read), every sign mode explicitly, and a per-neuron parameter as a scalar when all neurons
/// share it.
public enum NetworkWriter {
    /// The file's text. With `directory` (where the file will be), a samples input's CSV path
    /// is written relative to it, so the file loads from there; without, as it was read.
    public static func text(of network: NetworkDescription, directory: String? = nil) -> String {
        var lines: [String] = []
        lines.append("{")
        lines.append("  \"format\": \"\(NetworkFile.format)\",")
        lines.append("  \"name\": \(quoted(network.name)),")
        lines.append("  \"steps\": \(network.steps),")
        lines.append("  \"seed\": \(network.seed),")
        lines.append("  \"inputs\": [" + network.inputs.map { "\n    " + input($0, inputs: network.inputs, directory: directory) }.joined(separator: ",") + (network.inputs.isEmpty ? "]," : "\n  ],"))
        lines.append("  \"populations\": [" + network.populations.map { "\n    " + population($0) }.joined(separator: ",") + "\n  ],")
        lines.append("  \"projections\": [" + network.projections.map { "\n    " + projection($0, in: network) }.joined(separator: ",") + (network.projections.isEmpty ? "]," : "\n  ],"))
        lines.append("  \"probes\": [" + network.probes.map { "\n    " + probe($0, in: network) }.joined(separator: ",") + (network.probes.isEmpty ? "]" : "\n  ]") + (network.schedule == nil ? "" : ","))
        if let schedule = network.schedule { lines.append("  \"schedule\": " + self.schedule(schedule, in: network)) }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the network to `path` atomically.
    public static func write(_ network: NetworkDescription, to path: String) throws(OutputError) {
        try AtomicFile.write(text(of: network, directory: (path as NSString).deletingLastPathComponent), to: path)
    }

    /// `target` as a path relative to `directory` (each taken from the working directory when
    /// relative).
    static func relativePath(of target: String, from directory: String) -> String {
        // Links resolved: `..` in the written path is taken from the real directory when read.
        let targetParts = URL(fileURLWithPath: target).standardizedFileURL.resolvingSymlinksInPath().pathComponents
        let baseParts = URL(fileURLWithPath: directory.isEmpty ? "." : directory, isDirectory: true).standardizedFileURL.resolvingSymlinksInPath().pathComponents
        var common = 0
        while common < min(targetParts.count - 1, baseParts.count), targetParts[common] == baseParts[common] { common += 1 }
        return (Array(repeating: "..", count: baseParts.count - common) + targetParts[common...]).joined(separator: "/")
    }

    static func input(_ input: InputDescription, inputs: [InputDescription] = [], directory: String? = nil) -> String {
        let source: String
        switch input.source {
        case .spikeTimes(let times):
            source = "\"spike_times\": [" + times.map { list($0) }.joined(separator: ", ") + "]"
        case .poisson(let probability):
            source = "\"poisson\": { \"probability\": \(scalarOrList(probability.map { "\($0)" })) }"
        case .samples(let samples):
            // An absolute path stays as the user gave it; a relative one follows the saved file.
            let file = samples.file.hasPrefix("/") ? samples.file : directory.map { relativePath(of: samples.path, from: $0) } ?? samples.file
            var fields = ["\"file\": \(quoted(file))", "\"probability\": \(samples.probability)", "\"normalize\": \(quoted(samples.normalization.rawValue))"]
            if let column = samples.labelColumn { fields.append("\"label_column\": \(column)") }
            if samples.normalization == .maximum { fields.append("\"feature_max\": \(samples.featureMaximum)") }
            if samples.encoding != .on { fields.append("\"encoding\": \(quoted(samples.encoding.rawValue))") }
            source = "\"samples\": { " + fields.joined(separator: ", ") + " }"
        case .teacher(let teacher):
            source = "\"teacher\": { \"samples\": \(quoted(inputs[teacher.samplesInput].name)), \"probability\": \(teacher.probability) }"
        }
        return "{ \"name\": \(quoted(input.name)), \"size\": \(input.size), \(source) }"
    }

    static func population(_ population: PopulationDescription) -> String {
        let neurons = population.neurons
        func parameter(_ key: String, _ values: [Int32], omitIf defaultValue: Int32? = nil) -> String? {
            if let defaultValue, values.allSatisfy({ $0 == defaultValue }) { return nil }
            return "\"\(key)\": \(scalarOrList(values.map { "\($0)" }))"
        }
        var fields = ["\"model\": \(quoted(population.model == "lif" ? "loihi_lif" : population.model))"]  // a float population is saved as the integers it was quantized to
        fields += [
            parameter("du", neurons.map(\.du)), parameter("dv", neurons.map(\.dv)), parameter("vth", neurons.map(\.vth)),
            parameter("bias_mant", neurons.map(\.biasMantissa), omitIf: 0), parameter("bias_exp", neurons.map(\.biasExponent), omitIf: 0),
            parameter("u_init", population.initialU, omitIf: 0), parameter("v_init", population.initialV, omitIf: 0),
        ].compactMap { $0 }
        if population.model != "loihi_lif", let first = neurons.first {
            fields += [
                parameter("refractory", neurons.map(\.refractoryPeriod), omitIf: 0),
                first.resetMode == .zero ? nil : "\"reset\": \(quoted(first.resetMode.rawValue))",
                parameter("threshold_step", neurons.map(\.thresholdStep), omitIf: 0),
                parameter("threshold_decay", neurons.map(\.thresholdDecay), omitIf: 0),
                parameter("mean_voltage_gain", neurons.map(\.meanVoltageGain), omitIf: 0),
                parameter("depolarization_gain", neurons.map(\.depolarizationGain), omitIf: 0),
                first.spikeMode == .binary ? nil : "\"spike\": \(quoted(first.spikeMode.rawValue))",
                first.spikeMode == .graded ? parameter("graded_shift", neurons.map(\.gradedShift)) : nil,
            ].compactMap { $0 }
        }
        return "{ \"name\": \(quoted(population.name)), \"size\": \(population.size), \"neuron\": { " + fields.joined(separator: ", ") + " }"
            + constraints(population.constraints) + " }"
    }

    /// `, "constraints": { … }` with what is set, or nothing when nothing is.
    static func constraints(_ constraints: MappingConstraints) -> String {
        var fields: [String] = []
        if let cap = constraints.maxNeuronsPerCore { fields.append("\"max_neurons_per_core\": \(cap)") }
        if !constraints.tiles.isEmpty { fields.append("\"tiles\": [" + constraints.tiles.map { "[\($0.x), \($0.y)]" }.joined(separator: ", ") + "]") }
        return fields.isEmpty ? "" : ", \"constraints\": { " + fields.joined(separator: ", ") + " }"
    }

    static func projection(_ projection: ProjectionDescription, in network: NetworkDescription) -> String {
        let source = projection.sourceIsInput ? network.inputs[projection.source].name : network.populations[projection.source].name
        let synapses = projection.synapses
        var fields = [
            "\"name\": \(quoted(projection.name))", "\"source\": \(quoted(source))",
            "\"target\": \(quoted(network.populations[projection.target].name))",
            "\"weight_exp\": \(projection.weightExponent)", "\"num_weight_bits\": \(projection.numWeightBits)",
            "\"sign_mode\": \(quoted(projection.signMode.rawValue))",
            "\"sparse\": { \"source\": \(list(synapses.map(\.source))), \"target\": \(list(synapses.map(\.target))), \"weight\": \(list(synapses.map(\.weight))), \"delay\": \(list(synapses.map(\.delay))) }",
        ]
        if let rule = projection.stdp {
            fields.append("\"stdp\": { \"pre_impulse\": \(rule.preImpulse), \"post_impulse\": \(rule.postImpulse), \"pre_decay\": \(rule.preDecay), \"post_decay\": \(rule.postDecay), \"a_plus\": \(rule.potentiation), \"a_minus\": \(rule.depression), \"w_min\": \(rule.minimumWeight), \"w_max\": \(rule.maximumWeight), \"epoch\": \(rule.epoch)" + (rule.weightDecay == 0 ? "" : ", \"w_decay\": \(rule.weightDecay)") + " }")
        }
        return "{ " + fields.joined(separator: ", ") + " }"
    }

    /// The schedule with every segment's keys explicit (a sleep fraction is written as its steps).
    static func schedule(_ schedule: Schedule, in network: NetworkDescription) -> String {
        let first = schedule.segments.first { $0.kind != .sleep }
        var fields = [
            "\"input\": \(quoted(network.inputs[schedule.input].name))",
            "\"steps_per_sample\": \(first?.stepsPerSample ?? 1)", "\"rest_steps\": \(first?.restSteps ?? 0)",
            "\"reset_state\": \(schedule.resetsState)",
        ]
        if let classifier = schedule.classifier {
            fields.append("\"classify\": { \"population\": \(quoted(network.populations[classifier.population].name)), \"group_size\": \(classifier.groupSize), \"vote\": \(quoted(classifier.vote.rawValue)) }")
        }
        let segments = schedule.segments.map { segment in
            var keys = ["\"kind\": \(quoted(segment.kind.rawValue))", "\"learning\": \(segment.learning)"]
            if segment.homeostasis != .adapt { keys.append("\"homeostasis\": \(quoted(segment.homeostasis.rawValue))") }
            if segment.kind == .sleep {
                keys.append("\"steps\": \(segment.sleepSteps)")
                if let decay = segment.weightDecay {
                    keys += ["\"baseline\": \(decay.baseline)", "\"decay\": \(decay.decay)", "\"decay_interval\": \(decay.interval)"]
                }
                if !segment.spontaneous.isEmpty {
                    keys.append("\"spontaneous\": { " + segment.spontaneous.map {
                        "\(quoted(network.populations[$0.population].name)): { \"probability\": \($0.probability), \"amplitude\": \($0.amplitude) }"
                    }.joined(separator: ", ") + " }")
                }
            } else {
                keys += [
                    "\"first\": \(segment.first)", "\"count\": \(segment.count)", "\"order\": \(quoted(segment.order.rawValue))",
                    "\"repeat\": \(segment.repeats)", "\"steps_per_sample\": \(segment.stepsPerSample)", "\"rest_steps\": \(segment.restSteps)",
                ]
            }
            return "\n      { " + keys.joined(separator: ", ") + " }"
        }
        fields.append("\"segments\": [" + segments.joined(separator: ",") + "\n    ]")
        return "{\n    " + fields.joined(separator: ",\n    ") + "\n  }"
    }

    static func probe(_ probe: ProbeDescription, in network: NetworkDescription) -> String {
        let record = ProbeDescription.Variable.allCases.filter { probe.variables.contains($0) }.map { quoted($0.rawValue) }
        return "{ \"target\": \(quoted(network.populations[probe.population].name)), \"record\": [\(record.joined(separator: ", "))], \"indices\": \(list(probe.indices)) }"
    }

    static func list<T: BinaryInteger>(_ values: [T]) -> String { "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }

    static func scalarOrList(_ values: [String]) -> String {
        guard let first = values.first, values.allSatisfy({ $0 == first }) else { return "[" + values.joined(separator: ", ") + "]" }
        return first
    }
}
