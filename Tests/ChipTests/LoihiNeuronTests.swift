import Testing
@testable import Chip

@Suite struct LoihiNeuronTests {
    /// Runs `steps` steps of one neuron; `input(t)` is the synaptic input of 1-based step t.
    /// Returns (u, v, spiked) after each step.
    static func run(
        _ parameters: LoihiNeuron.Parameters, steps: Int, u: Int32 = 0, v: Int32 = 0, input: (Int) -> Int32 = { _ in 0 }
    ) -> [(u: Int32, v: Int32, spiked: Bool)] {
        var u = u
        var v = v
        return (1...steps).map { t in
            let spiked = LoihiNeuron.step(u: &u, v: &v, input: input(t), parameters: parameters)
            return (u, v, spiked)
        }
    }

    /// The Loihi update written the plain way (Int64 product and division), for comparison.
    static func reference(u: inout Int64, v: inout Int64, input: Int64, _ p: LoihiNeuron.Parameters) -> Bool {
        var newU = u * Int64(4095 - p.du) / 4096 + input * 64
        if newU > 1 << 23 { newU -= 1 << 24 } else if newU <= -(1 << 23) { newU += 1 << 24 }
        let bias = p.biasExponent >= 0 ? Int64(p.biasMantissa) << Int64(p.biasExponent) : Int64(p.biasMantissa) >> Int64(-p.biasExponent)
        let newV = min(max(v * Int64(4096 - p.dv) / 4096 + newU + bias, -(1 << 23) + 1), (1 << 23) - 1)
        u = newU
        if newV > Int64(p.vth) * 64 {
            v = 0
            return true
        }
        v = newV
        return false
    }

    // MARK: Known answers from Lava's unit tests (DESIGN §3)

    @Test func biasOnlySpikesAtStepsFiveAndTen() {
        let trace = Self.run(LoihiNeuron.Parameters(du: 0, dv: 0, vth: 8, biasMantissa: 2, biasExponent: 6), steps: 12)
        let spikeSteps = trace.indices.filter { trace[$0].spiked }.map { $0 + 1 }
        #expect(spikeSteps == [5, 10])
        // v climbs by 128 per step and resets to 0 on the spike.
        #expect(trace.map(\.v) == [128, 256, 384, 512, 0, 128, 256, 384, 512, 0, 128, 256])
        #expect(trace.allSatisfy { $0.u == 0 })
    }

    @Test func currentDecayHalvesWithDuHalf() {
        let trace = Self.run(LoihiNeuron.Parameters(du: 2047, dv: 0, vth: 131_071), steps: 10) { $0 == 1 ? 128 : 0 }
        #expect(trace.map(\.u) == [8192, 4096, 2048, 1024, 512, 256, 128, 64, 32, 16])
        #expect(trace.allSatisfy { !$0.spiked })
    }

    @Test func voltageDecayWithDvHalf() {
        let trace = Self.run(LoihiNeuron.Parameters(du: 0, dv: 2048, vth: 131_071), steps: 8) { $0 == 1 ? 128 : 0 }
        #expect(trace.map(\.v) == [8192, 12286, 14331, 15351, 15859, 16111, 16235, 16295])
        // u decays by 1/4096 per step (truncated toward zero).
        #expect(trace.map(\.u) == [8192, 8190, 8188, 8186, 8184, 8182, 8180, 8178])
    }

    @Test func largestBiasAfterOneStep() {
        let trace = Self.run(LoihiNeuron.Parameters(du: 0, dv: 0, vth: 131_071, biasMantissa: 4095, biasExponent: 5), steps: 1)
        #expect(trace[0].v == 131_040)
        #expect(!trace[0].spiked)
    }

    // MARK: Lava's traces (Tests/ChipTests/Lava)

    /// Both scalar references follow Lava's bit-accurate model through every step of every
    /// fixture case: u, v and the spike (u and v after the reset).
    @Test func bothReferencesFollowLavasTracesStepByStep() throws {
        let fixture = try LavaFixture.load()
        #expect(fixture.cases.map(\.name) == [
            "random_moderate", "edge_decays", "u_wrap", "v_saturation", "bias_only", "negative_inputs", "initial_state",
            "huge_inputs", "random_full", "int32_wrap",
        ])
        var checked = 0
        for fixtureCase in fixture.cases {
            for (index, neuron) in fixtureCase.neurons.enumerated() {
                var u = neuron.uInit
                var v = neuron.vInit
                var state = LoihiNeuron.State(u: u, v: v, previousV: v)
                for k in 0..<fixtureCase.steps {
                    let spiked = LoihiNeuron.step(u: &u, v: &v, input: neuron.a[k], parameters: neuron.parameters)
                    let value = LoihiNeuron.step(state: &state, input: neuron.a[k], parameters: neuron.parameters, meanVoltage: 0)
                    let lava = "u=\(neuron.u[k]) v=\(neuron.v[k]) spiked=\(neuron.spiked[k])"
                    guard u == neuron.u[k], v == neuron.v[k], (spiked ? 1 : 0) == neuron.spiked[k],
                        state.u == u, state.v == v, value == neuron.spiked[k]
                    else {
                        Issue.record("\(fixtureCase.name) neuron \(index) step \(k + 1): Lava \(lava), reference u=\(u) v=\(v) spiked=\(spiked), general u=\(state.u) v=\(state.v) value=\(value)")
                        return
                    }
                    checked += 1
                }
            }
        }
        #expect(checked == 16_200)
    }

    /// The fixture tells the 32-bit sums from exact ones: Lava's traces of `int32_wrap` differ
    /// from 64-bit arithmetic (sum, one wrap, truncation to 32 bits) at many steps, so the test
    /// above would fail with the latter.
    @Test func lavasTracesDistinguish32BitSums() throws {
        let fixture = try LavaFixture.load()
        var differing = 0
        for fixtureCase in fixture.cases {
            for neuron in fixtureCase.neurons {
                var u = neuron.uInit
                for k in 0..<fixtureCase.steps {
                    var sum = Int64(LoihiNeuron.decay(u, factor: 4095 - neuron.du)) + (Int64(neuron.a[k]) << 6)
                    if sum > 1 << 23 { sum -= 1 << 24 } else if sum <= -(1 << 23) { sum += 1 << 24 }
                    u = Int32(truncatingIfNeeded: sum)
                    if u != neuron.u[k] { differing += 1 }
                    u = neuron.u[k]  // follow Lava from here
                }
            }
        }
        #expect(differing > 100)
    }

    // MARK: Decay

    static let edgeX: [Int32] = [
        0, 1, -1, 2, -2, 4095, -4095, 4096, -4096, 4097, -4097, 8191, -8191, 12_345, -12_345,
        (1 << 22), -(1 << 22), (1 << 23) - 1, -(1 << 23) + 1, (1 << 23) - 4096, -(1 << 23) + 4097, 1 << 23,
    ]
    static let edgeFactors: [Int32] = [0, 1, 2, 3, 1000, 2047, 2048, 2049, 4094, 4095, 4096]

    @Test(arguments: edgeFactors)
    func decayMatchesInt64DivisionOnEdgeValues(factor: Int32) {
        for x in Self.edgeX {
            #expect(LoihiNeuron.decay(x, factor: factor) == Int32((Int64(x) * Int64(factor)) / 4096), "x = \(x)")
        }
    }

    @Test func decayMatchesInt64DivisionOnRandomValues() {
        var generator = SeededGenerator(seed: 2024)
        for _ in 0..<100_000 {
            let x = Int32.random(in: -(1 << 23) + 1...(1 << 23) - 1, using: &generator)
            let factor = Int32.random(in: 0...4096, using: &generator)
            let expected = Int32((Int64(x) * Int64(factor)) / 4096)
            if LoihiNeuron.decay(x, factor: factor) != expected {
                Issue.record("decay(\(x), \(factor)) = \(LoihiNeuron.decay(x, factor: factor)), expected \(expected)")
                return
            }
        }
    }

    @Test func decayTruncatesTowardZero() {
        // −5 · 2048 / 4096 = −2.5 → −2 (an arithmetic shift would give −3).
        #expect(LoihiNeuron.decay(-5, factor: 2048) == -2)
        #expect(LoihiNeuron.decay(5, factor: 2048) == 2)
        #expect(LoihiNeuron.decay(-1, factor: 4095) == 0)
        #expect(LoihiNeuron.decay(-4097, factor: 4095) == -4095)
        #expect(LoihiNeuron.decay(-4096, factor: 4095) == -4095)
        #expect(LoihiNeuron.decay(-8192, factor: 4095) == -8190)
        #expect(LoihiNeuron.decay(8192, factor: 4096) == 8192)
        #expect(LoihiNeuron.decay(-8192, factor: 0) == 0)
    }

    // MARK: Wrap and saturation

    @Test(arguments: [
        (Int32(0), Int32(0)), (1 << 23, 1 << 23), ((1 << 23) + 1, -(1 << 23) + 1), ((1 << 23) + 64, -(1 << 23) + 64),
        (-(1 << 23), 1 << 23), (-(1 << 23) + 1, -(1 << 23) + 1), (-(1 << 23) - 1, (1 << 23) - 1),
        ((1 << 24) - 1, -1), (1 << 24, 0), (-(1 << 24) + 1, 1), ((1 << 23) - 1, (1 << 23) - 1),
        // Beyond ±3·2^23 one wrap leaves u outside the window, as in Lava.
        (Int32.max, Int32.max - (1 << 24)), (Int32.min, Int32.min + (1 << 24)),
    ] as [(Int32, Int32)])
    func wrapCurrentBoundaries(value: Int32, expected: Int32) {
        #expect(LoihiNeuron.wrapCurrent(value) == expected)
    }

    @Test func currentWrapsThroughStepInBothDirections() {
        // du = 4095: u carries only this step's input, shifted left by 6.
        let p = LoihiNeuron.Parameters(du: 4095, dv: 4095, vth: 131_071)
        var u: Int32 = 0
        var v: Int32 = 0
        _ = LoihiNeuron.step(u: &u, v: &v, input: 1 << 17, parameters: p)  // 2^23 stays
        #expect(u == 1 << 23)
        _ = LoihiNeuron.step(u: &u, v: &v, input: (1 << 17) + 1, parameters: p)  // 2^23 + 64 wraps
        #expect(u == -(1 << 23) + 64)
        _ = LoihiNeuron.step(u: &u, v: &v, input: -(1 << 17), parameters: p)  // −2^23 wraps to +2^23
        #expect(u == 1 << 23)
        _ = LoihiNeuron.step(u: &u, v: &v, input: -(1 << 17) + 1, parameters: p)  // −2^23 + 64 stays
        #expect(u == -(1 << 23) + 64)
        // With decay: u = 2^23 − 1 decays to 2^23 − 2049 (du = 2047 → factor 2048, truncated), plus 2^22 + 2^11·64.
        u = (1 << 23) - 1
        _ = LoihiNeuron.step(u: &u, v: &v, input: (1 << 16) + (1 << 10), parameters: LoihiNeuron.Parameters(du: 2047, vth: 131_071))
        #expect(u == Int32(4_194_303 + 4_194_304 + 65_536 - (1 << 24)))
    }

    @Test(arguments: [
        (Int32(0), Int32(0)), ((1 << 23) - 1, (1 << 23) - 1), (1 << 23, (1 << 23) - 1), (.max, (1 << 23) - 1),
        (-(1 << 23) + 1, -(1 << 23) + 1), (-(1 << 23), -(1 << 23) + 1), (.min, -(1 << 23) + 1), (-5, -5),
    ] as [(Int32, Int32)])
    func saturateVoltageLimits(value: Int32, expected: Int32) {
        #expect(LoihiNeuron.saturateVoltage(value) == expected)
    }

    /// Lava adds `a << 6` to u in `int32` arrays: the sum wraps modulo 2^32 before the one wrap
    /// into 24 bits. Known answers from Lava 0.10's bit-accurate model (u = 0, du = 0, one step).
    @Test(arguments: [
        (Int32((1 << 25) + 3), Int32(-2_130_706_240)),  // a << 6 = 2^31 + 192 → −2^31 + 192, + 2^24
        (-(1 << 25) - 5, 2_130_706_112),  // −2^31 − 320 → 2^31 − 320, − 2^24
        (1 << 24, 1_056_964_608),  // 2^30 fits; − 2^24 once leaves it far outside the window
    ] as [(Int32, Int32)])
    func currentSumWrapsIn32BitsLikeLava(input: Int32, expected: Int32) {
        var u: Int32 = 0
        var v: Int32 = 0
        _ = LoihiNeuron.step(u: &u, v: &v, input: input, parameters: LoihiNeuron.Parameters(du: 0, dv: 0, vth: 131_071))
        #expect(u == expected)
    }

    @Test func voltageSaturatesThroughStep() {
        // Negative: v near the floor plus a large negative current stays at −(2^23 − 1).
        let p = LoihiNeuron.Parameters(du: 4095, dv: 0, vth: 131_071)
        var u: Int32 = 0
        var v: Int32 = -(1 << 23) + 100
        _ = LoihiNeuron.step(u: &u, v: &v, input: -(1 << 16), parameters: p)
        #expect(u == -(1 << 22))
        #expect(v == -LoihiNeuron.voltageLimit)
        _ = LoihiNeuron.step(u: &u, v: &v, input: -1, parameters: p)
        #expect(v == -LoihiNeuron.voltageLimit)
        // Positive: the largest threshold (131071 << 6 = 2^23 − 64) is below the limit, so a
        // saturated v always spikes.
        u = 0
        v = (1 << 23) - 100
        #expect(LoihiNeuron.step(u: &u, v: &v, input: 1 << 16, parameters: p))
        #expect(v == 0)
        #expect(u == 1 << 22)
        #expect(LoihiNeuron.voltageLimit == 8_388_607)
    }

    // MARK: Threshold and reset

    @Test func thresholdIsStrict() {
        let p = LoihiNeuron.Parameters(du: 0, dv: 0, vth: 8)  // compares with 8 << 6 = 512
        var u: Int32 = 0
        var v: Int32 = 0
        #expect(!LoihiNeuron.step(u: &u, v: &v, input: 8, parameters: p))  // v = 512: not above
        #expect(v == 512)
        u = 0
        v = 1
        #expect(LoihiNeuron.step(u: &u, v: &v, input: 8, parameters: p))  // v = 513: spikes
        #expect(v == 0)
    }

    @Test func zeroThresholdSpikesOnAnyPositiveVoltage() {
        let p = LoihiNeuron.Parameters(vth: 0, biasMantissa: 1)
        var u: Int32 = 0
        var v: Int32 = 0
        #expect(LoihiNeuron.step(u: &u, v: &v, input: 0, parameters: p))
        #expect(!LoihiNeuron.step(u: &u, v: &v, input: 0, parameters: LoihiNeuron.Parameters(vth: 0)))
    }

    @Test func spikeResetsVoltageAndKeepsCurrent() {
        let p = LoihiNeuron.Parameters(du: 100, dv: 0, vth: 10)
        var u: Int32 = 1000
        var v: Int32 = 0
        let spiked = LoihiNeuron.step(u: &u, v: &v, input: 20, parameters: p)
        #expect(spiked)
        #expect(v == 0)
        // u = dec(1000, 3995) + 20 · 64 = 975 + 1280 (975.3 truncated).
        #expect(u == 2255)
        // The next step starts from the kept u.
        _ = LoihiNeuron.step(u: &u, v: &v, input: 0, parameters: p)
        #expect(u == Int32(2255 * 3995 / 4096))
    }

    // MARK: Decay constants at their limits

    @Test func duMaximumKeepsOnlyCurrentInput() {
        let p = LoihiNeuron.Parameters(du: 4095, dv: 0, vth: 131_071)
        var u: Int32 = 5000
        var v: Int32 = 0
        _ = LoihiNeuron.step(u: &u, v: &v, input: 3, parameters: p)
        #expect(u == 192)
        _ = LoihiNeuron.step(u: &u, v: &v, input: 0, parameters: p)
        #expect(u == 0)
        _ = LoihiNeuron.step(u: &u, v: &v, input: -2, parameters: p)
        #expect(u == -128)
    }

    @Test func duZeroDecaysByOne4096th() {
        let trace = Self.run(LoihiNeuron.Parameters(du: 0, dv: 4095, vth: 131_071), steps: 3, u: 8192)
        #expect(trace.map(\.u) == [8190, 8188, 8186])
        let negative = Self.run(LoihiNeuron.Parameters(du: 0, dv: 4095, vth: 131_071), steps: 2, u: -8192)
        #expect(negative.map(\.u) == [-8190, -8188])
        // 0 < u < 4096 still loses 1 per step: u − u/4096 truncates toward zero.
        #expect(Self.run(LoihiNeuron.Parameters(du: 0, dv: 4095, vth: 131_071), steps: 3, u: 4095).map(\.u) == [4094, 4093, 4092])
    }

    @Test func dvLimits() {
        // dv = 0: no leak, v holds.
        #expect(Self.run(LoihiNeuron.Parameters(du: 4095, dv: 0, vth: 131_071), steps: 3, v: -777).map(\.v) == [-777, -777, -777])
        // dv = 4095: v keeps 1/4096 of itself, truncated toward zero.
        #expect(Self.run(LoihiNeuron.Parameters(du: 4095, dv: 4095, vth: 131_071), steps: 2, v: 4_000_000).map(\.v) == [976, 0])
        #expect(Self.run(LoihiNeuron.Parameters(du: 4095, dv: 4095, vth: 131_071), steps: 1, v: -4_000_000).map(\.v) == [-976])
    }

    @Test func voltageUsesTheNewCurrent() {
        // du = 4095 and dv = 4095 leave almost nothing of the old state: v is the new u.
        let trace = Self.run(LoihiNeuron.Parameters(du: 4095, dv: 4095, vth: 131_071), steps: 2, u: 1_000_000) { $0 == 1 ? 5 : 0 }
        #expect(trace[0].u == 320 && trace[0].v == 320)
        #expect(trace[1].u == 0 && trace[1].v == 0)
    }

    @Test(arguments: [
        (Int32(2), Int32(6), Int32(128)), (4095, 7, 524_160), (-4096, 7, -524_288), (-3, 0, -3),
        (5, -1, 2), (-3, -1, -2), (-1, -3, -1), (4095, 5, 131_040),
    ] as [(Int32, Int32, Int32)])
    func bias(mantissa: Int32, exponent: Int32, expected: Int32) {
        #expect(LoihiNeuron.bias(mantissa: mantissa, exponent: exponent) == expected)
    }

    @Test func stepMatchesPlainReferenceOnRandomNeurons() {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            let p = LoihiNeuron.Parameters(
                du: Int32.random(in: 0...4095, using: &generator), dv: Int32.random(in: 0...4095, using: &generator),
                vth: Int32.random(in: 0...2000, using: &generator), biasMantissa: Int32.random(in: -4096...4095, using: &generator),
                biasExponent: Int32.random(in: 0...7, using: &generator))
            var u = Int32.random(in: -(1 << 23) + 1...(1 << 23), using: &generator)
            var v = Int32.random(in: -(1 << 23) + 1...(1 << 23) - 1, using: &generator)
            var referenceU = Int64(u)
            var referenceV = Int64(v)
            for _ in 0..<50 {
                let input = Int32.random(in: -(1 << 16)...(1 << 16), using: &generator)
                let spiked = LoihiNeuron.step(u: &u, v: &v, input: input, parameters: p)
                let expected = Self.reference(u: &referenceU, v: &referenceV, input: Int64(input), p)
                guard spiked == expected, Int64(u) == referenceU, Int64(v) == referenceV else {
                    Issue.record("mismatch for \(p): got (\(u), \(v), \(spiked)), expected (\(referenceU), \(referenceV), \(expected))")
                    return
                }
            }
        }
    }

    @Test func constants() {
        #expect(LoihiNeuron.stateLimit == 8_388_608)
        #expect(LoihiNeuron.inputShift == 6)
        #expect(LoihiNeuron.thresholdShift == 6)
    }

    // MARK: Extended mechanisms (neuroemu_lif, docs/neurons.md)

    /// Runs the general update for 12 steps with the input of the worked examples: weight 100 from
    /// step 2 on. Returns u, v and the spike value after each step.
    static func runExtended(_ p: LoihiNeuron.Parameters, steps: Int = 12) -> (u: [Int32], v: [Int32], values: [Int32], adaptation: [Int32]) {
        var state = LoihiNeuron.State()
        var result: (u: [Int32], v: [Int32], values: [Int32], adaptation: [Int32]) = ([], [], [], [])
        for t in 1...steps {
            let value = LoihiNeuron.step(state: &state, input: t >= 2 ? 100 : 0, parameters: p, meanVoltage: 0)
            result.u.append(state.u)
            result.v.append(state.v)
            result.values.append(value)
            result.adaptation.append(state.adaptation)
        }
        return result
    }

    static let workedU: [Int32] = [0, 6400, 9598, 11196, 11995, 12394, 12593, 12693, 12743, 12768, 12780, 12786]

    @Test func workedExamplePlain() {
        let run = Self.runExtended(LoihiNeuron.Parameters(du: 2048, dv: 1024, vth: 200))
        #expect(run.u == Self.workedU)
        #expect(run.v == [0, 6400, 0, 11196, 0, 12394, 0, 12693, 0, 12768, 0, 12786])
        #expect(run.values == [0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0])
        // The plain oracle gives the same bits.
        let plain = Self.run(LoihiNeuron.Parameters(du: 2048, dv: 1024, vth: 200), steps: 12) { $0 >= 2 ? 100 : 0 }
        #expect(plain.map(\.u) == run.u && plain.map(\.v) == run.v && plain.map { $0.spiked ? Int32(1) : 0 } == run.values)
    }

    @Test func workedExampleRefractory() {
        let run = Self.runExtended(LoihiNeuron.Parameters(du: 2048, dv: 1024, vth: 200, refractoryPeriod: 2))
        #expect(run.u == Self.workedU)  // u keeps integrating while v is held
        #expect(run.v == [0, 6400, 0, 0, 0, 12394, 0, 0, 0, 12768, 0, 0])
        #expect(run.values == [0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0])
    }

    @Test func workedExampleSubtractiveReset() {
        let run = Self.runExtended(LoihiNeuron.Parameters(du: 2048, dv: 1024, vth: 200, resetMode: .subtract))
        #expect(run.u == Self.workedU)
        #expect(run.v == [0, 6400, 1598, 12394, 8490, 5961, 4263, 3090, 2260, 1663, 1227, 906])
        #expect(run.values == [0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1])
    }

    @Test func workedExampleAdaptiveThreshold() {
        let run = Self.runExtended(LoihiNeuron.Parameters(du: 2048, dv: 1024, vth: 200, thresholdStep: 12800, thresholdDecay: 1024))
        #expect(run.v == [0, 6400, 0, 11196, 0, 12394, 21888, 0, 12743, 22325, 0, 12786])
        #expect(run.values == [0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0])
        #expect(run.adaptation == [0, 0, 12800, 9600, 20000, 15000, 11250, 21237, 15927, 11945, 21758, 16318])
    }

    @Test func workedExampleGradedSpikes() {
        let run = Self.runExtended(LoihiNeuron.Parameters(du: 2048, dv: 1024, vth: 200, spikeMode: .graded, gradedShift: 10))
        #expect(run.v == [0, 6400, 0, 11196, 0, 12394, 0, 12693, 0, 12768, 0, 12786])
        #expect(run.values == [0, 0, 14, 0, 19, 0, 21, 0, 21, 0, 21, 0])
    }

    @Test func workedExampleTernarySpikes() {
        let run = Self.runExtended(LoihiNeuron.Parameters(du: 0, dv: 1024, vth: 100, biasMantissa: -2000, biasExponent: 4, spikeMode: .ternary))
        #expect(run.u == [0, 6400, 12798, 19194, 25589, 31982, 38374, 44764, 51153, 57540, 63925, 70309])
        #expect(run.v == [0, 0, 0, 0, 0, -18, 6361, 0, 0, 0, 0, 0])
        #expect(run.values == [-1, -1, -1, -1, -1, 0, 0, 1, 1, 1, 1, 1])
    }

    @Test func ternarySubtractiveResetAddsTheThresholdBack() {
        var state = LoihiNeuron.State(v: -1000)
        let p = LoihiNeuron.Parameters(du: 0, dv: 0, vth: 10, resetMode: .subtract, spikeMode: .ternary)  // θ = 640
        #expect(LoihiNeuron.step(state: &state, input: 0, parameters: p, meanVoltage: 0) == -1)
        #expect(state.v == -1000 + 640)
        // −360 is within ±θ: no spike.
        #expect(LoihiNeuron.step(state: &state, input: 0, parameters: p, meanVoltage: 0) == 0)
        #expect(state.v == -360)
    }

    /// A ternary neuron's negative threshold is strict as its positive one: v = −θ stays, one
    /// below fires −1, and with θ = 0 a neuron at rest (v = 0) stays silent.
    @Test func ternaryNegativeThresholdIsStrict() {
        let p = LoihiNeuron.Parameters(du: 0, dv: 0, vth: 10, spikeMode: .ternary)  // θ = 640, v kept
        var atThreshold = LoihiNeuron.State(v: -640)
        #expect(LoihiNeuron.step(state: &atThreshold, input: 0, parameters: p, meanVoltage: 0) == 0)
        #expect(atThreshold.v == -640)
        var below = LoihiNeuron.State(v: -641)
        #expect(LoihiNeuron.step(state: &below, input: 0, parameters: p, meanVoltage: 0) == -1)
        #expect(below.v == 0)
        var resting = LoihiNeuron.State()
        #expect(LoihiNeuron.step(state: &resting, input: 0, parameters: LoihiNeuron.Parameters(vth: 0, spikeMode: .ternary), meanVoltage: 0) == 0)
    }

    @Test func gradedPayloadIsAtLeastOneAndAtMostFifteenBits() {
        var small = LoihiNeuron.State(v: 100)
        #expect(LoihiNeuron.step(state: &small, input: 0, parameters: LoihiNeuron.Parameters(vth: 0, spikeMode: .graded, gradedShift: 10), meanVoltage: 0) == 1)
        var large = LoihiNeuron.State(v: (1 << 23) - 1)
        #expect(LoihiNeuron.step(state: &large, input: 0, parameters: LoihiNeuron.Parameters(vth: 0, spikeMode: .graded, gradedShift: 0), meanVoltage: 0) == SpikeMode.maximumPayload)
        var exact = LoihiNeuron.State(v: 5000)
        #expect(LoihiNeuron.step(state: &exact, input: 0, parameters: LoihiNeuron.Parameters(vth: 0, spikeMode: .graded, gradedShift: 3), meanVoltage: 0) == 625)
    }

    @Test func refractoryCountsDownAndBlocksSpikes() {
        var state = LoihiNeuron.State()
        let p = LoihiNeuron.Parameters(du: 4095, dv: 0, vth: 0, biasMantissa: 1, refractoryPeriod: 3)
        var values: [Int32] = []
        var refractory: [Int32] = []
        for _ in 0..<9 {
            values.append(LoihiNeuron.step(state: &state, input: 0, parameters: p, meanVoltage: 0))
            refractory.append(state.refractory)
        }
        #expect(values == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(refractory == [3, 2, 1, 0, 3, 2, 1, 0, 3])
    }

    @Test func thresholdFunction() {
        let p = LoihiNeuron.Parameters(vth: 10, meanVoltageGain: 2048, depolarizationGain: 4096)
        // 640 + adaptation 100 + (2048 · 1000) >> 12 − (4096 · 200) >> 12
        #expect(LoihiNeuron.threshold(p, adaptation: 100, meanVoltage: 1000, v: 300, previousV: 100) == 1040)
        // A negative mean and a falling v add nothing.
        #expect(LoihiNeuron.threshold(p, adaptation: 0, meanVoltage: -5000, v: 100, previousV: 300) == 640)
        // Never below 0.
        #expect(LoihiNeuron.threshold(p, adaptation: 0, meanVoltage: 0, v: 10_000, previousV: 0) == 0)
        // Each term floors on its own: 4095 · 1 >> 12 = 0; 4097 · 1 >> 12 = 1.
        let tiny = LoihiNeuron.Parameters(vth: 1, meanVoltageGain: 1, depolarizationGain: 1)
        #expect(LoihiNeuron.threshold(tiny, adaptation: 0, meanVoltage: 4095, v: 4097, previousV: 0) == 63)
        #expect(LoihiNeuron.threshold(LoihiNeuron.Parameters(vth: 7), adaptation: 0, meanVoltage: 99, v: 99, previousV: 0) == 448)
    }

    @Test func dynamicThresholdFallsWithDepolarization() {
        // v = 5000 after rising by 4000: θ = 6400 − (2048 · 4000) >> 12 = 4400, so v̂ = 5000 spikes.
        let p = LoihiNeuron.Parameters(du: 4095, dv: 0, vth: 100, depolarizationGain: 2048)
        var rising = LoihiNeuron.State(v: 5000, previousV: 1000)
        #expect(LoihiNeuron.step(state: &rising, input: 0, parameters: p, meanVoltage: 0) == 1)
        var steady = LoihiNeuron.State(v: 5000, previousV: 5000)
        #expect(LoihiNeuron.step(state: &steady, input: 0, parameters: p, meanVoltage: 0) == 0)
        #expect(steady.previousV == 5000 && steady.v == 5000)
        // The mean-voltage gain raises the threshold: θ = 0 + (4096 · 3000) >> 12 = 3000.
        let q = LoihiNeuron.Parameters(du: 4095, dv: 0, vth: 0, meanVoltageGain: 4096)
        var below = LoihiNeuron.State(v: 2999, previousV: 2999)
        #expect(LoihiNeuron.step(state: &below, input: 0, parameters: q, meanVoltage: 3000) == 0)
        var above = LoihiNeuron.State(v: 3001, previousV: 3001)
        #expect(LoihiNeuron.step(state: &above, input: 0, parameters: q, meanVoltage: 3000) == 1)
    }

    @Test func isPlainLoihi() {
        #expect(LoihiNeuron.Parameters(du: 5, dv: 6, vth: 7, biasMantissa: 8, biasExponent: 2).isPlainLoihi)
        // A threshold decay without a threshold step changes nothing.
        #expect(LoihiNeuron.Parameters(vth: 1, thresholdDecay: 100).isPlainLoihi)
        let extended: [LoihiNeuron.Parameters] = [
            .init(vth: 1, refractoryPeriod: 1), .init(vth: 1, resetMode: .subtract), .init(vth: 1, thresholdStep: 1),
            .init(vth: 1, meanVoltageGain: 1), .init(vth: 1, depolarizationGain: 1), .init(vth: 1, spikeMode: .ternary),
            .init(vth: 1, spikeMode: .graded),
        ]
        #expect(extended.allSatisfy { !$0.isPlainLoihi })
    }

    @Test func generalStepEqualsPlainStepWhenEveryMechanismIsOff() {
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<200 {
            let p = LoihiNeuron.Parameters(
                du: Int32.random(in: 0...4095, using: &generator), dv: Int32.random(in: 0...4095, using: &generator),
                vth: Int32.random(in: 0...2000, using: &generator), biasMantissa: Int32.random(in: -4096...4095, using: &generator),
                biasExponent: Int32.random(in: 0...7, using: &generator))
            var u = Int32.random(in: -(1 << 23) + 1...(1 << 23), using: &generator)
            var v = Int32.random(in: -(1 << 23) + 1...(1 << 23) - 1, using: &generator)
            var state = LoihiNeuron.State(u: u, v: v, previousV: v)
            for _ in 0..<30 {
                let input = Int32.random(in: -(1 << 16)...(1 << 16), using: &generator)
                let spiked = LoihiNeuron.step(u: &u, v: &v, input: input, parameters: p)
                let value = LoihiNeuron.step(state: &state, input: input, parameters: p, meanVoltage: Int32.random(in: -100...100_000, using: &generator))
                guard value == (spiked ? 1 : 0), state.u == u, state.v == v, state.refractory == 0, state.adaptation == 0 else {
                    Issue.record("general and plain steps differ for \(p)")
                    return
                }
            }
        }
    }
}
