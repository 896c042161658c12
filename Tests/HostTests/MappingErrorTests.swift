import Testing
@testable import Host

@Suite struct MappingErrorTests {
    @Test(arguments: [
        (MappingError.neuronDoesNotFit(population: "hidden", neuron: 3, resource: "input axons", needed: 5120, limit: 4096),
         "population `hidden` neuron 3 alone needs 5,120 input axons; core limit is 4,096"),
        (.neuronDoesNotFit(population: "hidden", neuron: 7, resource: "input axons", needed: 5120, limit: 4096, projections: ["in_hidden"]),
         "population `hidden` neuron 7 alone needs 5,120 input axons (projection `in_hidden`); core limit is 4,096"),
        (.neuronDoesNotFit(population: "hidden", neuron: 7, resource: "bits of synapse memory", needed: 1_100_000, limit: 1_048_576, projections: ["a", "b"]),
         "population `hidden` neuron 7 alone needs 1,100,000 bits of synapse memory (projections `a`, `b`); core limit is 1,048,576"),
        (.outOfCores(population: "out", neuron: 17, chip: "tiny", cores: 8),
         "the network does not fit on chip `tiny`: all 8 cores are full at population `out` neuron 17"),
        (.outOfCores(population: "out", neuron: 1500, chip: "truenorth", cores: 4096),
         "the network does not fit on chip `truenorth`: all 4,096 cores are full at population `out` neuron 1500"),
        (.coreLimitExceeded(core: 3, contents: "population `hidden` neurons 1024–2047", resource: "output axons", needed: 4097, limit: 4096),
         "core 3 (population `hidden` neurons 1024–2047) needs 4,097 output axons; core limit is 4,096"),
        (.coreLimitExceeded(core: 12, contents: "population `out` neurons 0–9", resource: "input axons", needed: 5120, limit: 4096, projections: ["hidden_out"]),
         "projection `hidden_out` needs 5,120 input axons on core 12 (population `out` neurons 0–9); the limit is 4,096"),
        (.coreLimitExceeded(core: 2, contents: "population `A` neurons 0–3, population `B` neurons 0–1", resource: "bits of synapse memory", needed: 70000, limit: 65536, projections: ["in_A", "in_B"]),
         "projections `in_A`, `in_B` need 70,000 bits of synapse memory on core 2 (population `A` neurons 0–3, population `B` neurons 0–1); the limit is 65,536"),
        (.delayTooLong(projection: "slow", delay: 20, maximum: 15, chip: "tiny"),
         "projection `slow` has delay 20 steps; chip `tiny` allows at most 15"),
        (.weightPrecision(projection: "fine", bits: 8, maximum: 6, chip: "custom"),
         "projection `fine` uses 8 weight bits; chip `custom` stores at most 6"),
    ])
    func descriptionNamesTheRuleTheObjectAndTheLimit(error: MappingError, text: String) {
        #expect(error.description == text)
    }

    @Test(arguments: [(0, "0"), (7, "7"), (999, "999"), (1000, "1,000"), (65536, "65,536"), (1_048_576, "1,048,576"), (-4096, "-4,096")])
    func quantitiesHaveThousandsSeparators(value: Int, text: String) {
        #expect(MappingError.count(value) == text)
    }
}
