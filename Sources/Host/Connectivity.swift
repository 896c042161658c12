import Chip
import Router

/// How a projection connects its source to its target, as written in the network file.
/// `synapses()` expands any rule into explicit synapses, deterministically.
public enum Connectivity: Sendable, Equatable {
    /// Weight choice for rule-based connectivity.
    public enum Weight: Sendable, Equatable {
        case constant(Int)
        /// Uniform integer in the closed range.
        case uniform(ClosedRange<Int>)
    }

    /// Target-major matrix: `weights[i][j]` connects source j to target i; zeros store no synapse.
    case dense([[Int]])
    /// Parallel arrays; `delays` is nil when the projection's scalar delay applies.
    case sparse(sources: [Int], targets: [Int], weights: [Int], delays: [Int]?)
    /// Source i to target i.
    case oneToOne(Weight)
    /// Every source to every target.
    case allToAll(Weight)
    /// Each (source, target) pair independently with probability `p`; no self-connections when a
    /// population projects onto itself.
    case random(probability: Double, seed: UInt64?, weight: Weight, excludeSelf: Bool)
    /// Each target gets exactly `count` distinct sources drawn uniformly (fixed in-degree); no
    /// self-connections when a population projects onto itself. Cost grows with synapses, not
    /// with source × target pairs, so it scales to large networks.
    case fixedInDegree(count: Int, seed: UInt64?, weight: Weight, excludeSelf: Bool)
    /// A 2-D convolution over a channel-major `[channels, height, width]` source.
    case conv2d(Conv2D)

    /// A convolution's geometry and kernel.
    public struct Conv2D: Sendable, Equatable {
        /// Source shape: channels, height, width.
        public var inputShape: (channels: Int, height: Int, width: Int)
        /// `kernel[out][in][ky][kx]`.
        public var kernel: [[[[Int]]]]
        /// Step of the kernel between outputs, in rows and columns (at least 1).
        public var stride: (y: Int, x: Int)
        /// Zeros added on each side of the source, in rows and columns.
        public var padding: (y: Int, x: Int)

        /// A convolution of `kernel` over a source of `inputShape`.
        public init(inputShape: (channels: Int, height: Int, width: Int), kernel: [[[[Int]]]], stride: (y: Int, x: Int), padding: (y: Int, x: Int)) {
            self.inputShape = inputShape
            self.kernel = kernel
            self.stride = stride
            self.padding = padding
        }

        /// Output channels: the kernel's first dimension.
        public var outputChannels: Int { kernel.count }
        /// Kernel rows.
        public var kernelHeight: Int { kernel.first?.first?.count ?? 0 }
        /// Kernel columns.
        public var kernelWidth: Int { kernel.first?.first?.first?.count ?? 0 }
        /// Rows of each output channel.
        public var outputHeight: Int { (inputShape.height + 2 * padding.y - kernelHeight) / stride.y + 1 }
        /// Columns of each output channel.
        public var outputWidth: Int { (inputShape.width + 2 * padding.x - kernelWidth) / stride.x + 1 }
        /// Neurons the target must have: channels × height × width of the output.
        public var outputSize: Int { outputChannels * outputHeight * outputWidth }
        /// Neurons of the source: channels × height × width.
        public var inputSize: Int { inputShape.channels * inputShape.height * inputShape.width }

        /// Equal when shape, kernel, stride and padding are.
        public static func == (lhs: Conv2D, rhs: Conv2D) -> Bool {
            lhs.inputShape == rhs.inputShape && lhs.kernel == rhs.kernel && lhs.stride == rhs.stride && lhs.padding == rhs.padding
        }
    }

    /// Explicit synapses, ordered by target then source for matrix rules and in file order for
    /// `sparse`.
    ///
    /// - Parameters:
    ///   - delay: the projection's delay, for synapses without one of their own.
    ///   - seed: the stream seed for random choices when the rule gives none.
    public func synapses(sourceSize: Int, targetSize: Int, delay: Int, seed: UInt64) -> [SynapseDescription] {
        var result: [SynapseDescription] = []
        let delay32 = Int32(delay)
        func add(_ source: Int, _ target: Int, _ weight: Int, _ synapseDelay: Int32? = nil) {
            result.append(SynapseDescription(source: Int32(source), target: Int32(target), weight: Int32(weight), delay: synapseDelay ?? delay32))
        }
        var generator = SeededGenerator(seed: seed)
        func draw(_ weight: Weight) -> Int {
            switch weight {
            case .constant(let value): return value
            case .uniform(let range): return generator.nextInteger(in: range)
            }
        }
        switch self {
        case .dense(let rows):
            for (target, row) in rows.enumerated() {
                for (source, weight) in row.enumerated() where weight != 0 { add(source, target, weight) }
            }
        case .sparse(let sources, let targets, let weights, let delays):
            for k in sources.indices { add(sources[k], targets[k], weights[k], delays.map { Int32($0[k]) }) }
        case .oneToOne(let weight):
            for i in 0..<min(sourceSize, targetSize) { add(i, i, draw(weight)) }
        case .allToAll(let weight):
            result.reserveCapacity(sourceSize * targetSize)
            for target in 0..<targetSize {
                for source in 0..<sourceSize { add(source, target, draw(weight)) }
            }
        case .random(let probability, let ruleSeed, let weight, let excludeSelf):
            if let ruleSeed { generator = SeededGenerator(seed: ruleSeed) }
            result.reserveCapacity(Int(Double(sourceSize * targetSize) * probability * 1.1))
            for target in 0..<targetSize {
                for source in 0..<sourceSize where generator.nextUnitInterval() < probability {
                    if excludeSelf && source == target { continue }
                    add(source, target, draw(weight))
                }
            }
        case .fixedInDegree(let count, let ruleSeed, let weight, let excludeSelf):
            if let ruleSeed { generator = SeededGenerator(seed: ruleSeed) }
            result.reserveCapacity(targetSize * count)
            // chosenBy[c] == target marks candidate c as drawn for this target: constant-time
            // membership without hashing (the set of drawn values is what Floyd's method needs).
            var chosenBy = Array(repeating: Int32(-1), count: max(sourceSize, 1))  // 32-bit (targets are, in every synapse): half the cache lines
            // The drawn values, distinct, so an unstable in-place sort gives the one ascending
            // order (the standard library's stable `sorted()` made a new array per target and
            // took a tenth of cuba-400k's setup).
            var sources = Array(repeating: UInt64(0), count: max(count, 0))
            for target in 0..<targetSize {
                // Floyd's sampling: `count` distinct values from the candidates, in draw order,
                // then sorted.
                let candidates = excludeSelf ? sourceSize - 1 : sourceSize
                for (slot, bound) in ((candidates - count)..<candidates).enumerated() {
                    let pick = generator.nextInteger(in: 0...bound)
                    let value = chosenBy[pick] == Int32(truncatingIfNeeded: target) ? bound : pick
                    chosenBy[value] = Int32(truncatingIfNeeded: target)
                    sources[slot] = UInt64(value)
                }
                sources.withUnsafeMutableBufferPointer { KeySort.sort($0) }
                for drawnValue in sources {
                    let candidate = Int(drawnValue)
                    // Candidates skip the target itself when self-connections are excluded.
                    let source = excludeSelf && candidate >= target ? candidate + 1 : candidate
                    add(source, target, draw(weight))
                }
            }
        case .conv2d(let conv):
            let (height, width) = (conv.inputShape.height, conv.inputShape.width)
            let (outHeight, outWidth) = (conv.outputHeight, conv.outputWidth)
            for (outChannel, perInput) in conv.kernel.enumerated() {
                for oy in 0..<outHeight {
                    for ox in 0..<outWidth {
                        let target = (outChannel * outHeight + oy) * outWidth + ox
                        for (inChannel, rows) in perInput.enumerated() {
                            for (ky, row) in rows.enumerated() {
                                let y = oy * conv.stride.y + ky - conv.padding.y
                                guard y >= 0 && y < height else { continue }
                                for (kx, weight) in row.enumerated() where weight != 0 {
                                    let x = ox * conv.stride.x + kx - conv.padding.x
                                    guard x >= 0 && x < width else { continue }
                                    add((inChannel * height + y) * width + x, target, weight)
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }
}
