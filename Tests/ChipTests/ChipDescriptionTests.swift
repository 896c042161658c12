import Router
import Testing
@testable import Chip

@Suite struct ChipDescriptionTests {
    static func chip(nanowatts: Int64, hertz: Int64) -> ChipDescription {
        TestChip.chip(staticPowerNanowatts: nanowatts, clockHertz: hertz)
    }

    @Test(arguments: [
        // 1 mW at 100 MHz over 3 cycles: 10⁻³ W × 3 × 10⁻⁸ s = 3 × 10⁻¹¹ J = 30 000 fJ.
        (Int64(1_000_000), Int64(100_000_000), UInt64(3), Int64(30_000)),
        (1_000_000, 100_000_000, 0, 0),
        (0, 100_000_000, 1_000_000, 0),
        // Fractions are floored: 1 nW for one cycle at 3 Hz is 333 333.3 fJ.
        (1, 3, 1, 333_333),
        (7, 1_000_000_000, 142, 0),  // 0.994 fJ
        (7, 1_000_000_000, 143, 1),  // 1.001 fJ
        (3_000, 100_000_000, 107, 3_210),
        // 1 kW (the chip file's limit) at 1 GHz over 10⁶ cycles: the product needs 80 bits, the result does not.
        (1_000_000_000_000, 1_000_000_000, 1_000_000, 1_000_000_000_000_000),
        // 9 × 10¹⁸ fJ fits in Int64 exactly.
        (1_000_000_000_000, 1, 9, 9_000_000_000_000_000_000),
    ] as [(Int64, Int64, UInt64, Int64)])
    func staticEnergy(nanowatts: Int64, hertz: Int64, cycles: UInt64, expected: Int64) {
        #expect(Self.chip(nanowatts: nanowatts, hertz: hertz).staticEnergyFemtojoules(cycles: cycles) == expected)
    }

    @Test func staticEnergyBeyondInt64IsNil() {
        let chip = Self.chip(nanowatts: 1_000_000_000_000, hertz: 1)
        #expect(chip.staticEnergyFemtojoules(cycles: 9) == 9_000_000_000_000_000_000)
        #expect(chip.staticEnergyFemtojoules(cycles: 10) == nil)  // 10¹⁹ fJ: beyond Int64, within UInt64
        #expect(chip.staticEnergyFemtojoules(cycles: 19) == nil)  // 1.9 × 10¹⁹ fJ: beyond UInt64 too
        #expect(chip.staticEnergyFemtojoules(cycles: .max) == nil)
        // A board of 20 chips of 1 kW: 2 × 10¹⁶ fW, past 2⁶⁴ fW (it wrapped to 3.075 mJ where
        // 39.6 mJ was due).
        let board = Self.chip(nanowatts: 20_000_000_000_000, hertz: 100_000_000)
        #expect(board.staticEnergyFemtojoules(cycles: 198) == 39_600_000_000_000)
        #expect(Self.chip(nanowatts: 4_096_000_000_000_000, hertz: 1_000_000_000_000).staticEnergyFemtojoules(cycles: 1_000) == 4_096_000_000_000)
    }

    @Test func staticEnergyIsLinearInCyclesUpToFlooring() {
        let chip = Self.chip(nanowatts: 123_457, hertz: 33_000_000)
        for cycles: UInt64 in stride(from: 0, through: 100_000, by: 997) {
            let exact = 123_457 * 1_000_000 * cycles / 33_000_000
            #expect(chip.staticEnergyFemtojoules(cycles: cycles) == Int64(exact))
        }
    }

    @Test func worstStepCyclesAddUpTheSlowestCoreAndTheWholeMesh() {
        let parts = TestChip.chip().worstStepCycleParts.map(\.cycles)
        // 64 neurons × 10 (the active price, dearer than the inactive 4); spike out 3 + packet 2
        // + 2 hops × 9 (the slower north–south link) + 1 flit behind; 1,048,576 bits hold at most
        // 149,796 synapses of 1 weight bit and a 6-bit index, × 6 and, learning three times (a post
        // spike, a pre spike, a sleep drift), × 3 × 61; the barrier over 4 tiles (it rises from 1 tile).
        #expect(parts == [640, 24, 149_796 * 6, 149_796 * 3 * 61, 80])
    }

    /// A barrier that falls with the tiles taking part is slowest at one tile, which a step on
    /// one tile pays: the bound takes the larger end of the line.
    @Test func worstStepCyclesTakeTheSlowerEndOfAFallingBarrier() {
        var chip = TestChip.chip()
        chip.barrier = BarrierModel(oneTileCycles: 4_000_000_000, referenceCycles: 16, referenceTiles: 4)
        #expect(chip.barrier.cycles(tiles: 4) == 16)
        #expect(chip.worstStepCycleParts.last?.cycles == 4_000_000_000)
        #expect(chip.worstStepCycleParts.last?.part == "the barrier over 1 to 4 tiles")
        chip.barrier = BarrierModel(oneTileCycles: 10, referenceCycles: 16, referenceTiles: 4)
        #expect(chip.worstStepCycleParts.last?.cycles == 16)
    }

    @Test func networkTimingComesFromTheCosts() {
        let chip = TestChip.chip(flitsPerPacket: 3)
        #expect(chip.networkTiming == NetworkTiming(localCycles: 2, eastWestHopCycles: 5, northSouthHopCycles: 9, flitsPerPacket: 3))
    }

    @Test func makeNetworkBuildsTheIdealModelOfThisChip() {
        let chip = TestChip.chip(routing: .yx)
        for network in [chip.makeNetwork(), chip.makeNetwork(fidelity: .ideal)] {
            #expect(network is IdealNetwork)
            #expect(network.mesh == chip.mesh)
            #expect(network.timing == chip.networkTiming)
            #expect(network.routing == .yx)
            #expect(network.counters == NetworkCounters(mesh: chip.mesh))
        }
    }

    @Test func seconds() {
        let chip = Self.chip(nanowatts: 0, hertz: 100_000_000)
        #expect(chip.seconds(cycles: 100) == 1e-6)
        #expect(chip.seconds(cycles: 0) == 0)
    }
}
