import Chip
import Router
import Testing
@testable import Host

struct BenchmarkCaseTests {
    @Test func suiteHasTheFiveCasesSmallestFirst() {
        #expect(BenchmarkCase.all.map(\.name) == ["cuba-4k", "cuba-40k", "cuba-400k", "dense-1k", "random-4k"])
        #expect(BenchmarkCase.named("cuba-4k")?.steps == 10_000)
        #expect(BenchmarkCase.named("cuba-4k")?.stepMilliseconds == 0.1)
        #expect(BenchmarkCase.named("random-4k")?.chipShape == .neuronsPerCore(32))
        #expect(BenchmarkCase.named("nope") == nil)
    }

    /// The CUBA mapping of the type's table: 80 % excitatory, exactly 64 + 16 inputs per neuron,
    /// the integer parameters and weights as documented, initial voltages below threshold.
    @Test func cubaNetworkIsTheDocumentedMapping() throws {
        let network = try BenchmarkCase.cuba(neurons: 1_000, steps: 5).networkDescription()
        #expect(network.populations.map(\.name) == ["exc", "inh"])
        #expect(network.populations.map(\.size) == [800, 200])
        #expect(network.synapseCount == 80 * 1_000)
        let neuron = network.populations[0].neurons[0]
        #expect(neuron.du == 80 && neuron.dv == 20 && neuron.vth == 31_250)
        #expect(neuron.biasMantissa == 2_750 && neuron.biasExponent == 2 && neuron.refractoryPeriod == 50)
        #expect(network.populations.allSatisfy { $0.initialV.allSatisfy { (0..<2_000_000).contains($0) } })
        for projection in network.projections {
            var inDegree = Array(repeating: 0, count: network.populations[projection.target].size)
            for synapse in projection.synapses { inDegree[Int(synapse.target)] += 1 }
            let fromExcitatory = projection.source == 0
            #expect(inDegree.allSatisfy { $0 == (fromExcitatory ? 64 : 16) }, "\(projection.name)")
            #expect(projection.synapses.allSatisfy { $0.weight == (fromExcitatory ? 25 : -141) })
            #expect(projection.weightExponent == (fromExcitatory ? 0 : 1))
        }
    }

    @Test func randomNetworkHasExactlyTheInDegree() throws {
        let network = try BenchmarkCase.random(neurons: 256, inputs: 10, steps: 5).networkDescription()
        #expect(network.synapseCount == 2_560)
        #expect(network.projections[0].synapses.allSatisfy { $0.source != $0.target })
    }

    /// Bit-identical digests on 1 and 2 threads and with quiet-neuron skipping on and off, for
    /// every case shape (short runs; the suite's lengths are for `neuroemu bench`).
    @Test(arguments: [
        BenchmarkCase.cuba(neurons: 4_000, steps: 100), BenchmarkCase.dense(size: 1_000, steps: 20),
        BenchmarkCase.random(neurons: 4_096, inputs: 100, steps: 20),
    ])
    func digestsDoNotDependOnThreadsOrSkipping(benchmark: BenchmarkCase) throws {
        let reference = try BenchmarkRunner.run(benchmark, router: .ideal, threads: 1)
        let twoThreads = try BenchmarkRunner.run(benchmark, router: .ideal, threads: 2)
        let noSkipping = try BenchmarkRunner.run(benchmark, router: .ideal, threads: 2, skipsQuietNeurons: false)
        #expect(twoThreads.digest == reference.digest && noSkipping.digest == reference.digest)
        #expect(twoThreads.synapticEvents == reference.synapticEvents && twoThreads.spikes == reference.spikes)
        #expect(reference.spikes > 0 && reference.synapticEvents > 0)
    }

    /// The suite's networks give the digests `neuroemu bench --steps N --threads 1` printed when
    /// they were pinned (`cuba-4k`'s 300-step ideal one is also in docs/performance-history.md), here
    /// on 2 threads, where the steps run as a pulled batch (ideal) or with their networks timed
    /// in the background (flit): engine work must never change a result.
    @Test(arguments: [
        ("cuba-4k", RouterFidelity.ideal, 300, "08c214f63c6308c1", 867),
        ("cuba-4k", .flit, 300, "3fd71724956fd494", 867),
        ("dense-1k", .ideal, 30, "7e40a587ad36b75f", 12_670),
        ("dense-1k", .flit, 30, "36f7e16d9d2eb42d", 12_670),
        ("random-4k", .ideal, 30, "9d96e7083fc94f52", 6_386),
        ("random-4k", .flit, 30, "57886d496aa5b3a3", 6_386),
    ])
    func suiteDigestsStayPinned(name: String, router: RouterFidelity, steps: Int, digest: String, spikes: Int) throws {
        let benchmark = try #require(BenchmarkCase.named(name))
        let result = try BenchmarkRunner.run(benchmark, router: router, threads: 2, steps: steps)
        #expect(result.digest == digest)
        #expect(result.spikes == spikes)
    }
}
