import Testing
@testable import Chip

@Suite struct EventCountsTests {
    @Test func startsAtZeroAndSubscriptsAreIndependent() {
        var counts = EventCounts()
        #expect(EventClass.allCases.allSatisfy { counts[$0] == 0 })
        counts[.synapticOp] = 7
        counts[.barrier] = 2
        #expect(counts[.synapticOp] == 7 && counts[.barrier] == 2)
        #expect(EventClass.allCases.filter { counts[$0] != 0 } == [.synapticOp, .barrier])
    }

    /// The counts live in 16 lanes: a new event class beyond them needs wider storage.
    @Test func everyEventClassHasALane() {
        #expect(EventClass.allCases.count <= 16)
        #expect(EventClass.allCases.map(\.rawValue) == Array(0..<EventClass.allCases.count))
    }

    @Test func plusEqualsWrapsLikeTheEngineCounters() {
        var a = EventCounts()
        a[.packet] = .max
        var b = EventCounts()
        b[.packet] = 2
        a += b
        #expect(a[.packet] == 1)
    }

    @Test func plusEqualsAddsElementwise() {
        var a = EventCounts()
        var b = EventCounts()
        for event in EventClass.allCases {
            a[event] = UInt64(event.rawValue + 1)
            b[event] = UInt64(10 * event.rawValue)
        }
        a += b
        #expect(EventClass.allCases.allSatisfy { a[$0] == UInt64(11 * $0.rawValue + 1) })
        var c = a
        c += EventCounts()
        #expect(c == a)
    }

    @Test func dynamicEnergyIsCountTimesPrice() {
        var counts = EventCounts()
        counts[.synapticOp] = 10
        counts[.neuronUpdateActive] = 3
        counts[.neuronUpdateInactive] = 4
        counts[.barrier] = 1
        // 10 · 23 600 + 3 · 81 000 + 4 · 52 000 + 1 · 10 000
        #expect(counts.dynamicEnergyFemtojoules(TestChip.costs()) == 697_000)
        #expect(EventCounts().dynamicEnergyFemtojoules(TestChip.costs()) == 0)
        #expect(counts.dynamicEnergyFemtojoules(EventCosts()) == 0)
    }

    @Test func checkedDynamicEnergyIsTheSumOrNilBeyondInt64() {
        let costs = TestChip.costs()
        var counts = EventCounts()
        counts[.synapticOp] = 10
        counts[.barrier] = 1
        #expect(counts.checkedDynamicEnergyFemtojoules(costs) == counts.dynamicEnergyFemtojoules(costs))
        #expect(EventCounts().checkedDynamicEnergyFemtojoules(costs) == 0)
        // One product beyond Int64: 2^62 synaptic ops at 23,600 fJ.
        counts[.synapticOp] = 1 << 62
        #expect(counts.checkedDynamicEnergyFemtojoules(costs) == nil)
        // A count beyond Int64 itself, with a price of 0 elsewhere still counted.
        var huge = EventCounts()
        huge[.packet] = .max
        #expect(huge.checkedDynamicEnergyFemtojoules(costs) == nil)
        // Two products that fit, whose sum does not.
        var pair = EventCounts()
        pair[.synapticOp] = UInt64(Int64.max / costs[.synapticOp].energyFemtojoules)
        pair[.barrier] = UInt64(Int64.max / costs[.barrier].energyFemtojoules)
        #expect(pair.checkedDynamicEnergyFemtojoules(costs) == nil)
        pair[.barrier] = 0
        #expect(pair.checkedDynamicEnergyFemtojoules(costs) == Int64.max / costs[.synapticOp].energyFemtojoules * costs[.synapticOp].energyFemtojoules)
    }

    @Test func dynamicEnergyOfEveryClass() {
        let costs = TestChip.costs()
        for event in EventClass.allCases {
            var counts = EventCounts()
            counts[event] = 3
            #expect(counts.dynamicEnergyFemtojoules(costs) == 3 * costs[event].energyFemtojoules, "\(event)")
        }
    }
}
