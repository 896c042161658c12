import Testing
@testable import Host

@Suite struct MappingErrorTests {
    @Test(arguments: [
        (MappingError.neuronDoesNotFit(population: "hidden", neuron: 3, resource: "input axons", needed: 5120, limit: 4096),
         "population `hidden` neuron 3 alone needs 5120 input axons; core limit is 4096"),
        (.outOfCores(population: "out", neuron: 17, chip: "tiny", cores: 8),
         "the network does not fit on chip `tiny`: all 8 cores are full at population `out` neuron 17"),
        (.coreLimitExceeded(core: 3, contents: "population `hidden` neurons 1024–2047", resource: "output axons", needed: 4097, limit: 4096),
         "core 3 (population `hidden` neurons 1024–2047) needs 4097 output axons; core limit is 4096"),
        (.delayTooLong(projection: "slow", delay: 20, maximum: 15, chip: "tiny"),
         "projection `slow` has delay 20 steps; chip `tiny` allows at most 15"),
        (.weightPrecision(projection: "fine", bits: 8, maximum: 6, chip: "custom"),
         "projection `fine` uses 8 weight bits; chip `custom` stores at most 6"),
    ])
    func descriptionNamesTheRuleTheObjectAndTheLimit(error: MappingError, text: String) {
        #expect(error.description == text)
    }
}
