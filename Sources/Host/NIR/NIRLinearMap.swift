/// A weight node of a NIR graph as a sparse linear map from its input elements to its output
/// elements (C order), with an extra delay in timesteps per input element (non-zero only for
/// Delay nodes) and a bias per output element.
struct NIRLinearMap {
    /// `rows[i]`: the outputs input element `i` reaches, with their weights.
    var rows: [[(output: Int, weight: Double)]]
    var outputShape: [Int]
    var bias: [Double]
    /// Extra timesteps per input element.
    var delays: [Int]
    /// False for maps that only move elements (Flatten, Delay, a subgraph's Input and Output),
    /// which may sit between a neuron and an Output node.
    var carriesWeights: Bool

    var inputCount: Int { rows.count }

    static func identity(shape: [Int], delays: [Int]? = nil) -> NIRLinearMap {
        let count = shape.reduce(1, *)
        return NIRLinearMap(rows: (0..<count).map { [($0, 1.0)] }, outputShape: shape, bias: Array(repeating: 0, count: count),
                            delays: delays ?? Array(repeating: 0, count: count), carriesWeights: false)
    }

    /// A dense (out, in) matrix, row-major.
    static func matrix(_ weight: NIRTensor, bias: [Double]?) -> NIRLinearMap {
        let outputs = weight.shape[0], inputs = weight.shape[1]
        var rows = [[(output: Int, weight: Double)]](repeating: [], count: inputs)
        for o in 0..<outputs {
            for i in 0..<inputs where weight.values[o * inputs + i] != 0 { rows[i].append((o, weight.values[o * inputs + i])) }
        }
        return NIRLinearMap(rows: rows, outputShape: [outputs], bias: bias ?? Array(repeating: 0, count: outputs), delays: Array(repeating: 0, count: inputs), carriesWeights: true)
    }

    static func scale(_ factors: NIRTensor, shape: [Int]) -> NIRLinearMap {
        var map = identity(shape: shape)
        for i in map.rows.indices { map.rows[i] = [(i, factors.values[factors.count == 1 ? 0 : i])] }
        map.carriesWeights = true
        return map
    }

    /// A 2-D convolution of a (C, H, W) input; `padding` gives the top and left padding and the
    /// output size follows PyTorch's rule. A 1-D convolution is the case H = 1, kernel height 1.
    static func convolution(input: (channels: Int, height: Int, width: Int), weight: [Double], kernel: (outputs: Int, perGroup: Int, height: Int, width: Int),
                            stride: (Int, Int), padding: (Int, Int), outputSize: (Int, Int), dilation: (Int, Int), groups: Int, bias: [Double]) -> NIRLinearMap {
        let (channels, height, width) = input
        let (outHeight, outWidth) = outputSize
        let outputsPerGroup = kernel.outputs / groups
        var rows = [[(output: Int, weight: Double)]](repeating: [], count: channels * height * width)
        for c in 0..<channels {
            let group = c / kernel.perGroup
            let local = c % kernel.perGroup
            for y in 0..<height {
                for x in 0..<width {
                    var row: [(output: Int, weight: Double)] = []
                    for o in (group * outputsPerGroup)..<((group + 1) * outputsPerGroup) {
                        for ky in 0..<kernel.height {
                            let sy = y + padding.0 - ky * dilation.0
                            guard sy >= 0, sy % stride.0 == 0, sy / stride.0 < outHeight else { continue }
                            for kx in 0..<kernel.width {
                                let sx = x + padding.1 - kx * dilation.1
                                guard sx >= 0, sx % stride.1 == 0, sx / stride.1 < outWidth else { continue }
                                let w = weight[((o * kernel.perGroup + local) * kernel.height + ky) * kernel.width + kx]
                                if w != 0 { row.append(((o * outHeight + sy / stride.0) * outWidth + sx / stride.1, w)) }
                            }
                        }
                    }
                    rows[(c * height + y) * width + x] = row
                }
            }
        }
        let perPosition = outHeight * outWidth
        let fullBias = (0..<(kernel.outputs * perPosition)).map { bias[$0 / perPosition] }
        return NIRLinearMap(rows: rows, outputShape: [kernel.outputs, outHeight, outWidth], bias: fullBias, delays: Array(repeating: 0, count: rows.count), carriesWeights: true)
    }

    /// The map applied to a dense vector (used for biases, which flow through later weight nodes).
    func apply(_ vector: [Double]) -> [Double] {
        var output = bias
        for (i, row) in rows.enumerated() where vector[i] != 0 {
            for (o, w) in row { output[o] += w * vector[i] }
        }
        return output
    }
}

/// The composed map from one spiking source (an input group or a neuron population) to some node:
/// per source element, the reached elements with their summed weight and delay in timesteps.
struct NIRSourceMap {
    /// `rows[s]`: (element, extra delay) → weight.
    var rows: [[Int64: Double]]
    /// True when some map on the way carries weights.
    var carriesWeights: Bool

    static func identity(count: Int) -> NIRSourceMap {
        NIRSourceMap(rows: (0..<count).map { [key($0, 0): 1.0] }, carriesWeights: false)
    }

    /// A key packs an element and a delay below `delayCap`; a chain of Delay nodes that adds up
    /// to more is held at the cap (and refused later), never carried into the element.
    static func key(_ element: Int, _ delay: Int) -> Int64 { Int64(element) << 16 | Int64(min(delay, delayCap)) }
    static func element(_ key: Int64) -> Int { Int(key >> 16) }
    static func delay(_ key: Int64) -> Int { Int(key & 0xffff) }
    static let delayCap = 0xffff

    /// This map followed by `map`.
    func then(_ map: NIRLinearMap) -> NIRSourceMap {
        var result = NIRSourceMap(rows: Array(repeating: [:], count: rows.count), carriesWeights: carriesWeights || map.carriesWeights)
        for (s, row) in rows.enumerated() {
            for (key, w) in row {
                let middle = Self.element(key)
                let delay = Self.delay(key) + map.delays[middle]
                for (o, w2) in map.rows[middle] { result.rows[s][Self.key(o, delay), default: 0] += w * w2 }
            }
        }
        return result
    }

    /// The sum of two maps from the same source (two paths that meet).
    func adding(_ other: NIRSourceMap) -> NIRSourceMap {
        var result = self
        result.carriesWeights = carriesWeights || other.carriesWeights
        for (s, row) in other.rows.enumerated() {
            for (key, w) in row { result.rows[s][key, default: 0] += w }
        }
        return result
    }
}
