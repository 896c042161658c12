import Testing
@testable import Chip

@Suite struct CoreProgramTests {
    @Test func defaults() {
        let program = CoreProgram(neurons: [LoihiNeuron.Parameters(vth: 1), LoihiNeuron.Parameters(vth: 2)])
        #expect(program.initialU == [0, 0])
        #expect(program.initialV == [0, 0])
        #expect(program.groupExponents == [0])
        #expect(program.delaySlots == 2)
        #expect(program.axonSynapses.isEmpty)
        #expect(program.destinations == [[], []])
    }

    @Test func synapseDefaults() {
        let synapse = Synapse(target: 3, weight: -5)
        #expect(synapse.group == 0 && synapse.delay == 1)
        #expect(synapse == Synapse(target: 3, group: 0, weight: -5, delay: 1))
        #expect(synapse != Synapse(target: 3, weight: -5, delay: 2))
    }
}
