import Testing
@testable import Host

/// The `fixed_in` rule: exactly k distinct sources per target.
@Suite struct FixedInDegreeTests {
    @Test(arguments: [(0, 50), (1, 50), (7, 50), (50, 50), (49, 50)])
    func everyTargetGetsExactlyKDistinctSources(k: Int, sources: Int) {
        let excludeSelf = k < sources  // the recurrent case leaves one source out
        let rule = Connectivity.fixedInDegree(count: k, seed: 3, weight: .constant(5), excludeSelf: excludeSelf)
        let synapses = rule.synapses(sourceSize: sources, targetSize: 30, delay: 2, seed: 0)
        #expect(synapses.count == 30 * k)
        for target in 0..<30 {
            let incoming = synapses.filter { $0.target == Int32(target) }.map(\.source)
            #expect(incoming.count == k)
            #expect(Set(incoming).count == k)
            #expect(incoming == incoming.sorted())
            #expect(incoming.allSatisfy { $0 >= 0 && $0 < Int32(sources) })
            if excludeSelf { #expect(!incoming.contains(Int32(target))) }
        }
        #expect(synapses.allSatisfy { $0.weight == 5 && $0.delay == 2 })
    }

    @Test func sameSeedSameSynapsesAndSourcesAreSpread() {
        let rule = Connectivity.fixedInDegree(count: 10, seed: nil, weight: .uniform(1...9), excludeSelf: false)
        let first = rule.synapses(sourceSize: 1000, targetSize: 200, delay: 1, seed: 42)
        #expect(first == rule.synapses(sourceSize: 1000, targetSize: 200, delay: 1, seed: 42))
        #expect(first != rule.synapses(sourceSize: 1000, targetSize: 200, delay: 1, seed: 43))
        // 2,000 draws over 1,000 sources: uniform sampling leaves every tenth of the range used.
        let deciles = Set(first.map { $0.source / 100 })
        #expect(deciles.count == 10)
    }

    @Test func networkFileReadsAndChecksTheRule() throws {
        func text(_ rule: String) -> String {
            #"{ "format": "neuroemu-network/1", "name": "f", "steps": 2, "populations": [ { "name": "A", "size": 20, "neuron": { "model": "loihi_lif", "vth": 10 } } ], "projections": [ { "name": "AA", "source": "A", "target": "A", "fixed_in": \#(rule) } ] }"#
        }
        let network = try NetworkFile.parse(text(#"{ "k": 4, "weight": 3 }"#), file: "f.json")
        #expect(network.projections[0].synapses.count == 80)
        #expect(throws: ConfigError.invalid(file: "f.json", path: "$.projections[0].fixed_in.k", rule: "must be an integer in 0…19, got 20")) {
            try NetworkFile.parse(text(#"{ "k": 20, "weight": 3 }"#), file: "f.json")
        }
    }
}
