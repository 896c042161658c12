import Testing
@testable import Chip

@Suite struct StateProbesTests {
    /// Sites given in any order, several on one core and none on another, each land at their
    /// own place in the step's turn, which the turn three steps on reuses and no other does.
    @Test func capturesLandInTheHostsOrderByStep() {
        let neurons = (0..<4).map { LoihiNeuron.Parameters(du: 0, dv: 0, vth: 1_000_000, biasMantissa: Int32(10 * ($0 + 1))) }
        var cores = (0..<3).map { _ in Core(program: CoreProgram(neurons: neurons, initialU: [1, 2, 3, 4], initialV: [5, 6, 7, 8])) }
        let sites = [NeuronSite(core: 2, neuron: 3), NeuronSite(core: 0, neuron: 1), NeuronSite(core: 2, neuron: 0), NeuronSite(core: 0, neuron: 1)]
        let memory = StateProbeMemory(sites: sites, coreCount: cores.count)
        let probes = memory.probes
        func captured(step: Int) -> [[Int32]] {
            let values = probes.values(ofStep: step)
            return sites.indices.map { [values[2 * $0], values[2 * $0 + 1]] }
        }
        for index in cores.indices { probes.capture(core: &cores[index], index: index, step: 7) }
        #expect(captured(step: 7) == [[4, 8], [2, 6], [1, 5], [2, 6]])
        for index in cores.indices {
            cores[index].updateNeurons(timestep: 1, activeCycles: 1, inactiveCycles: 1)
            probes.capture(core: &cores[index], index: index, step: 8)
        }
        let updated = sites.map { [cores[$0.core].u[$0.neuron], cores[$0.core].v[$0.neuron]] }
        #expect(captured(step: 8) == updated && updated != captured(step: 7))
        #expect(captured(step: 7) == [[4, 8], [2, 6], [1, 5], [2, 6]])
        #expect(probes.values(ofStep: 10) == probes.values(ofStep: 7))
        #expect(StepStates(timestep: 8, values: UnsafePointer(probes.values(ofStep: 8)), count: sites.count).v(0) == updated[0][1])
    }
}
