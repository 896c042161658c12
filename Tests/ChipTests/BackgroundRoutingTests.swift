import Router
import Testing
@testable import Chip

struct BackgroundRoutingTests {
    /// Timing a batch's networks on the helpers (`startRoutingNetworks`) while the chip advances
    /// the next batch, and closing the batch when the next is full, gives every step exactly what
    /// `step` gives: summaries, deliveries, state, totals and network counters.
    @Test(arguments: [(RouterFidelity.flit, 2, 4), (.flit, 3, 7), (.flit, 2, 1), (.ideal, 2, 5), (.flit, 1, 6)])
    func stepsTimedWhileTheChipRunsOnMatchSteppedOnes(fidelity: RouterFidelity, threads: Int, batch: Int) {
        let steps = 60
        let network = RandomNetwork(seed: 23, cores: 8, steps: steps, extended: true, plastic: true)
        var overlapped = network.makeEngine(fidelity: fidelity)
        overlapped.minimumParallelWork = 0  // the chip phases would take two workers if the pool were free
        var pending: [PendingStep] = []
        var routing = false
        var summaries: [StepSummary] = []
        var deliveries: [[PacketDelivery]] = []
        func close(_ routed: [PendingStep]) {
            for step in routed {
                #expect(step.isRouted)
                overlapped.complete(step)
                summaries.append(overlapped.lastStep)
                deliveries.append(overlapped.deliveries)
            }
        }
        for t in 1...steps {
            pending.append(overlapped.advance(inputSpikes: network.inputSpikes[t - 1], threads: threads))
            guard pending.count == batch || t == steps else { continue }
            let earlier = routing ? overlapped.finishRoutingNetworks() : []
            overlapped.startRoutingNetworks(of: pending, threads: threads)
            routing = true
            pending.removeAll()
            close(earlier)
            #expect(overlapped.completedSteps == summaries.count)
        }
        close(overlapped.finishRoutingNetworks())
        let (stepped, steppedSummaries, steppedDeliveries) = network.steppedRun(fidelity: fidelity)
        #expect(summaries.count == steps)
        #expect(summaries == steppedSummaries)
        #expect(deliveries == steppedDeliveries)
        #expect(overlapped.cores.map(\.v) == stepped.cores.map(\.v) && overlapped.cores.map(\.u) == stepped.cores.map(\.u))
        #expect(overlapped.totals == stepped.totals && overlapped.totalCycles == stepped.totalCycles)
        #expect(overlapped.totalEnergyFemtojoules == stepped.totalEnergyFemtojoules)
        #expect(overlapped.coreTotals == stepped.coreTotals && overlapped.hostTotals == stepped.hostTotals)
        #expect(overlapped.networkCounters == stepped.networkCounters)
        #expect(stepped.totals[.packet] > 0 && stepped.totals[.stdpUpdate] > 0)
    }
}
