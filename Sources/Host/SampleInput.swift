import Foundation

/// A host input whose neurons are the features of labelled samples (`"samples"` in the network
/// file): while a schedule presents sample `s`, feature `i` spikes at each step with probability
/// `probability · x_i / scale`, where the scale is the largest feature value (`"normalize": "max"`)
/// or the sample's Euclidean norm (`"l2"`). With `"encoding": "on_off"` the input has two neurons
/// per feature: the first `n` carry x_i (ON), the next `n` carry `feature_max − x_i` (OFF), and
/// the scale applies to all `2n` values. Outside presentations the input is silent.
public struct SampleInput: Sendable, Equatable {
    /// How a sample's features are scaled before they become spike probabilities.
    public enum Normalization: String, Sendable, CaseIterable {
        /// Divide by one fixed maximum (`feature_max`, default the largest value in the file).
        case maximum = "max"
        /// Divide by each sample's Euclidean norm, so every sample brings the same input energy.
        case l2
    }

    /// How features become input neurons.
    public enum Encoding: String, Sendable, CaseIterable {
        /// One neuron per feature (the default).
        case on
        /// Two neurons per feature: x_i, then `feature_max − x_i` — the absence of a feature
        /// (a blank pixel) becomes input too, so a target can learn where a class has no ink.
        case onOff = "on_off"

        /// Input neurons per feature.
        public var channels: Int { self == .on ? 1 : 2 }
    }

    /// The CSV path as the network file gives it (relative to the network file).
    public var file: String
    /// The CSV path as it was opened (`file` joined to the network file's directory), from which
    /// `NetworkWriter` writes `file` again relative to wherever a network is saved.
    public var path: String
    /// The samples read from the CSV file.
    public var samples: SampleSet
    /// Spike probability per step of a feature at the scale, 0…1.
    public var probability: Double
    /// What a feature is divided by: the file's maximum or the sample's Euclidean norm.
    public var normalization: Normalization
    /// The value that maps to `probability` under `max` normalization, and the reference of the
    /// OFF channels under `on_off` encoding.
    public var featureMaximum: Double
    /// One neuron per feature, or two (ON and OFF).
    public var encoding: Encoding
    /// The label column as the file gives it (nil: the last column).
    public var labelColumn: Int?

    /// A samples input of `samples` read from `file` (opened at `path`, by default `file`); nil
    /// `labelColumn`: the last column.
    public init(
        file: String, path: String? = nil, samples: SampleSet, probability: Double, normalization: Normalization, featureMaximum: Double,
        labelColumn: Int?, encoding: Encoding = .on
    ) {
        self.file = file
        self.path = path ?? file
        self.encoding = encoding
        self.samples = samples
        self.probability = probability
        self.normalization = normalization
        self.featureMaximum = featureMaximum
        self.labelColumn = labelColumn
    }

    /// Number of input neurons: the feature count times the encoding's channels.
    public var neuronCount: Int { samples.featureCount * encoding.channels }

    /// Per-step spike probability of every input neuron while `sample` is presented, each within
    /// 0…1 (`neuronCount` values).
    public func probabilities(sample: Int) -> [Double] {
        var features = Array(samples.sample(sample))
        if encoding == .onOff {
            features += features.map { max(0, featureMaximum - $0) }
        }
        let scale: Double
        switch normalization {
        case .maximum: scale = featureMaximum
        case .l2:
            let norm = features.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm.isFinite && norm > 0x1p-500 {
                scale = norm
            } else {
                // Squares of 1e200 (or 1e-200) overflow (or vanish), which would silence the
                // sample: the norm of the features over their largest, times it.
                let largest = features.max() ?? 0
                scale = largest > 0 ? largest * features.reduce(0) { $0 + ($1 / largest) * ($1 / largest) }.squareRoot() : 0
            }
        }
        guard scale > 0 else { return Array(repeating: 0, count: features.count) }
        return features.map { min(1, max(0, probability * $0 / scale)) }
    }
}

/// A host input that acts as a teacher (`"teacher"` in the network file): while a training
/// segment presents a sample with label `c`, neuron `c` spikes at each step with `probability`.
/// It is silent in test and sleep segments and between samples. Its spikes reach the chip like
/// any input's, through ordinary projections.
public struct TeacherInput: Sendable, Equatable {
    /// Index of the samples input whose labels it follows.
    public var samplesInput: Int
    /// Spike probability per step of the neuron of the presented label, 0…1.
    public var probability: Double

    /// A teacher following the labels of samples input `samplesInput`, spiking with `probability`.
    public init(samplesInput: Int, probability: Double) {
        self.samplesInput = samplesInput
        self.probability = probability
    }
}

extension NetworkFile {
    /// `"samples": { "file", "label_column", "probability", "normalize", "feature_max", "encoding" }`; the
    /// CSV path is relative to the directory of the network file.
    static func readSamples(_ node: JSONNode, size: Int) throws(ConfigError) -> SampleInput {
        let object = try node.object(allowedKeys: ["file", "label_column", "probability", "normalize", "feature_max", "encoding"])
        let fileNode = try object.required("file")
        let file = try fileNode.string()
        let labelColumn = try object.optional("label_column").map { (column: JSONNode) throws(ConfigError) -> Int in try column.int(in: 0...100_000) }
        let directory = (node.file as NSString).deletingLastPathComponent
        let path = file.hasPrefix("/") || directory.isEmpty ? file : (directory as NSString).appendingPathComponent(file)
        let samples: SampleSet
        do {
            samples = try SampleSet.load(path: path, labelColumn: labelColumn)
        } catch {
            throw fileNode.error("\(error)")
        }
        let encoding = SampleInput.Encoding(rawValue: try object.string("encoding", oneOf: SampleInput.Encoding.allCases.map(\.rawValue), default: "on")) ?? .on
        guard samples.featureCount * encoding.channels == size else {
            let rule = encoding == .on ? "they must match" : "\"encoding\": \"on_off\" needs two neurons per feature (\(2 * samples.featureCount))"
            throw fileNode.error("\(file) has \(samples.featureCount) feature columns but the input has \(size) neurons; \(rule)")
        }
        let normalization = SampleInput.Normalization(rawValue: try object.string("normalize", oneOf: SampleInput.Normalization.allCases.map(\.rawValue), default: "max")) ?? .maximum
        let largest = samples.features.max() ?? 0
        var featureMaximum = largest
        if let maximumNode = object.optional("feature_max") {
            guard normalization == .maximum else { throw maximumNode.error("applies only with \"normalize\": \"max\"") }
            featureMaximum = try maximumNode.double()
            guard featureMaximum > 0, featureMaximum.isFinite else { throw maximumNode.error("must be a positive number, got \(featureMaximum)") }
        }
        return SampleInput(
            file: file, path: path, samples: samples, probability: try object.double("probability", in: 0.0...1.0),
            normalization: normalization, featureMaximum: featureMaximum, labelColumn: labelColumn, encoding: encoding)
    }

    /// `"teacher": { "samples": "<input>", "probability": p }`.
    static func readTeacher(_ node: JSONNode, size: Int, inputs: [InputDescription]) throws(ConfigError) -> TeacherInput {
        let object = try node.object(allowedKeys: ["samples", "probability"])
        let sourceNode = try object.required("samples")
        let name = try sourceNode.string()
        guard let index = inputs.firstIndex(where: { $0.name == name }), case .samples(let samples) = inputs[index].source else {
            let known = inputs.filter { if case .samples = $0.source { true } else { false } }.map(\.name)
            throw sourceNode.error("no samples input is named \"\(name)\" before this one\(suggestion(name, known))")
        }
        if let label = samples.samples.labels.firstIndex(where: { $0 >= size }) {
            throw sourceNode.error("sample \(label) of \(samples.file) has label \(samples.samples.labels[label]), but the teacher has \(size) neurons (one per label)")
        }
        return TeacherInput(samplesInput: index, probability: try object.double("probability", in: 0.0...1.0))
    }
}
