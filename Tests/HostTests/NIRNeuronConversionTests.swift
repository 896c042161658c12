import Testing
@testable import Host

/// Known answers of the table in `NIRNeuronConversion`'s doc comment, worked by hand at
/// dt = 1 ms: the input gain, the bias gain (gain · τ_syn / dt), the span and rest of each node
/// type, and where a conversion is refused.
@Suite struct NIRNeuronConversionTests {
    static let dt = 0.001

    /// One value for every neuron.
    static func scalar(_ value: Double) -> NIRTensor { NIRTensor(shape: [1], values: [value]) }

    static func convert(_ node: NIRNode, size: Int = 1) throws -> NIRNeuronConversion {
        try NIRNeuronConversion.convert(node, size: size, dt: dt, name: "n", file: "net.nir")
    }

    /// Equal to within rounding of the few operations the conversion does.
    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(1, abs(b)) }

    @Test func lifGainIsDtOverTauTimesROverSpan() throws {
        // span 1.5 − (−0.5) = 2; gain 0.001 / 0.02 · 2 / 2 = 0.05; the current lasts one step.
        let lif = try Self.convert(.lif(tau: Self.scalar(0.02), r: Self.scalar(2), vLeak: Self.scalar(-0.5), vThreshold: Self.scalar(1.5), vReset: Self.scalar(-0.5)))
        #expect(Self.close(lif.gains[0], 0.05) && Self.close(lif.biasGains[0], 0.05))
        #expect(lif.spans == [2] && lif.leaks == [-0.5] && !lif.isReadout)
        #expect(lif.floats[0].tauMemory == 0.02 && lif.floats[0].tauSynapse == Self.dt)
    }

    @Test func cubaLIFGainHoldsWInAndItsBiasLastsTauSynapse() throws {
        // span 0.5; gain 0.001 / 0.01 · 1 · w_in 0.5 / 0.5 = 0.1; bias gain 0.1 · 0.005 / 0.001 = 0.5.
        let cuba = try Self.convert(.cubaLIF(
            tauMem: Self.scalar(0.01), tauSyn: Self.scalar(0.005), r: Self.scalar(1), vLeak: Self.scalar(0), vThreshold: Self.scalar(0.5),
            vReset: Self.scalar(0), wIn: Self.scalar(0.5)))
        #expect(Self.close(cuba.gains[0], 0.1) && Self.close(cuba.biasGains[0], 0.5))
        #expect(cuba.spans == [0.5] && cuba.floats[0].tauSynapse == 0.005)
    }

    @Test func integrateAndFireHasNoLeak() throws {
        // span 1.5 above rest 0; gain r / span = 3 / 1.5 = 2.
        let neuron = try Self.convert(.integrateAndFire(r: Self.scalar(3), vThreshold: Self.scalar(1.5), vReset: Self.scalar(0)))
        #expect(Self.close(neuron.gains[0], 2) && Self.close(neuron.biasGains[0], 2))
        #expect(neuron.floats[0].tauMemory == .infinity && neuron.leaks == [0])
    }

    @Test func integratorsAreReadoutsOfSpanOne() throws {
        // LI: gain 0.001 / 0.004 · 2 = 0.5, rest 0.25.
        let li = try Self.convert(.leakyIntegrator(tau: Self.scalar(0.004), r: Self.scalar(2), vLeak: Self.scalar(0.25)))
        #expect(Self.close(li.gains[0], 0.5) && Self.close(li.biasGains[0], 0.5))
        #expect(li.spans == [1] && li.leaks == [0.25] && li.isReadout)
        // CubaLI: gain 0.001 / 0.002 · 1 · w_in 4 = 2; bias gain 2 · 0.004 / 0.001 = 8.
        let cubaLI = try Self.convert(.cubaLI(tauMem: Self.scalar(0.002), tauSyn: Self.scalar(0.004), r: Self.scalar(1), vLeak: Self.scalar(0), wIn: Self.scalar(4)))
        #expect(Self.close(cubaLI.gains[0], 2) && Self.close(cubaLI.biasGains[0], 8))
        #expect(cubaLI.isReadout)
    }

    @Test func thresholdGainIsOneOverTheThreshold() throws {
        let neuron = try Self.convert(.threshold(Self.scalar(0.25)))
        #expect(Self.close(neuron.gains[0], 4) && Self.close(neuron.biasGains[0], 4) && neuron.spans == [0.25])
    }

    @Test func perNeuronValuesAreReadPerNeuron() throws {
        // Two neurons: r of 1 and 2 (spans 1): gains dt / τ · r = 0.1 and 0.2.
        let lif = try Self.convert(
            .lif(tau: Self.scalar(0.01), r: NIRTensor(shape: [2], values: [1, 2]), vLeak: Self.scalar(0), vThreshold: Self.scalar(1), vReset: Self.scalar(0)), size: 2)
        #expect(Self.close(lif.gains[0], 0.1) && Self.close(lif.gains[1], 0.2))
    }

    /// τ equal to dt is the shortest accepted (the neuron forgets in one step); shorter is refused.
    @Test func tauDownToDtIsAccepted() throws {
        let edge = try Self.convert(.lif(tau: Self.scalar(Self.dt), r: Self.scalar(1), vLeak: Self.scalar(0), vThreshold: Self.scalar(1), vReset: Self.scalar(0)))
        #expect(Self.close(edge.gains[0], 1))
        #expect(throws: NIRError.cannotMap(file: "net.nir", node: "n", reason: "tau = 0.0005 s at neuron 0 is shorter than the step dt = 0.001 s; use a smaller --dt")) {
            try Self.convert(.lif(tau: Self.scalar(0.0005), r: Self.scalar(1), vLeak: Self.scalar(0), vThreshold: Self.scalar(1), vReset: Self.scalar(0)))
        }
    }

    @Test func refusals() {
        #expect(throws: NIRError.cannotMap(file: "net.nir", node: "n", reason: "v_threshold (0.0) must be above the resting voltage (0.0) at neuron 0")) {
            try Self.convert(.integrateAndFire(r: Self.scalar(1), vThreshold: Self.scalar(0), vReset: Self.scalar(0)))
        }
        #expect(throws: NIRError.cannotMap(file: "net.nir", node: "n", reason: "v_reset (-1.0) differs from the resting voltage (0.0) at neuron 0; the chip resets a neuron to rest")) {
            try Self.convert(.lif(tau: Self.scalar(0.01), r: Self.scalar(1), vLeak: Self.scalar(0), vThreshold: Self.scalar(1), vReset: Self.scalar(-1)))
        }
        #expect(throws: NIRError.cannotMap(file: "net.nir", node: "n", reason: "a parameter has 3 values for 2 neurons; give one value or one per neuron")) {
            try Self.convert(.threshold(NIRTensor(shape: [3], values: [1, 1, 1])), size: 2)
        }
    }
}
