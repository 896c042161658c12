import Foundation
import Testing
@testable import Host

/// Inputs `in` (3) and `cue` (1), populations `A` (2) and `B` (1).
private func ratesNetwork() throws -> NetworkDescription {
    try NetworkFile.parse("""
        { "format": "neuroemu-network/1", "name": "rated", "steps": 10,
          "inputs": [{ "name": "in", "size": 3, "poisson": { "probability": 0.2 } },
                     { "name": "cue", "size": 1, "spike_times": [[2]] }],
          "populations": [{ "name": "A", "size": 2, "neuron": { "model": "loihi_lif", "vth": 10 } },
                          { "name": "B", "size": 1, "neuron": { "model": "loihi_lif", "vth": 10 } }],
          "projections": [{ "name": "in_A", "source": "in", "target": "A", "all_to_all": { "weight": 200 } }] }
        """, file: "rated.json")
}

/// A temporary file holding `text`, removed when the value goes away.
private struct TemporaryFile: ~Copyable {
    let path: String

    init(_ text: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-rates-\(UUID().uuidString).json").path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

private func ratesText(format: String = "neuroemu-rates/1", network: String = "rated", steps: String = "10", inputs: String = #"{ "in": [1, 0, 2] }"#, populations: String = #"{ "A": [5, 6], "B": [0] }"#) -> String {
    #"{ "format": "\#(format)", "network": "\#(network)", "steps": \#(steps), "inputs": \#(inputs), "populations": \#(populations) }"#
}

@Suite struct SpikeRatesTests {
    @Test func textListsGroupsInNetworkOrder() throws {
        let rates = SpikeRates(network: "rated", steps: 10, inputs: ["cue": [1], "in": [3, 0, 2]], populations: ["B": [7], "A": [1, 2]])
        #expect(rates.text(order: try ratesNetwork()) == """
            {
              "format": "neuroemu-rates/1",
              "network": "rated",
              "steps": 10,
              "inputs": {
                "in": [3, 0, 2],
                "cue": [1]
              },
              "populations": {
                "A": [1, 2],
                "B": [7]
              }
            }

            """)
    }

    @Test func saveThenLoadRoundTrips() throws {
        let network = try ratesNetwork()
        let rates = SpikeRates(network: "rated", steps: 10, inputs: ["in": [3, 0, 2], "cue": [1]], populations: ["A": [1, 2], "B": [7]])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-rates-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try rates.write(to: path, order: network)
        #expect(try SpikeRates.load(path: path, for: network) == rates)
        // Groups may be left out (no inputs, one population): they load as absent.
        let partial = SpikeRates(network: "rated", steps: 3, inputs: [:], populations: ["B": [0]])
        try partial.write(to: path, order: network)
        #expect(try SpikeRates.load(path: path, for: network) == partial)
    }

    @Test func ratesMeasuredByARunRoundTrip() throws {
        let network = try ratesNetwork()
        var simulation = try Simulation(network: network, chip: ChipPresets.resolve("tiny"))
        var trace = try TraceWriter(level: .steps, path: nil)
        let result = try simulation.run(steps: 10, threads: 1, trace: &trace, measuresRates: true)
        let rates = try #require(result.rates)
        #expect(rates.network == "rated" && rates.steps == 10)
        #expect(rates.inputs["cue"] == [1])
        #expect(rates.inputs["in"]?.reduce(0, +) == result.inputSpikes[0])
        #expect(rates.populations["A"]?.reduce(0, +) == result.populationSpikes[0])
        #expect(rates.populations["B"] == [0])
        let file = try TemporaryFile(rates.text(order: network))
        #expect(try SpikeRates.load(path: file.path, for: network) == rates)
        // Without measuresRates a run has no rates.
        var again = try Simulation(network: network, chip: ChipPresets.resolve("tiny"))
        var trace2 = try TraceWriter(level: .steps, path: nil)
        #expect(try again.run(steps: 2, threads: 1, trace: &trace2).rates == nil)
    }

    @Test(arguments: [
        // (label, text, path, rule)
        ("wrong format", ratesText(format: "neuroemu-rates/2"), "$.format", #"must be "neuroemu-rates/1", got "neuroemu-rates/2""#),
        ("a network file", #"{ "format": "neuroemu-network/1", "name": "rated", "steps": 10, "populations": [] }"#, "$.format", #"must be "neuroemu-rates/1", got "neuroemu-network/1""#),
        ("network name mismatch", ratesText(network: "other"), "$.network", #"these rates were measured on network "other", not "rated""#),
        ("unknown population", ratesText(populations: #"{ "A": [5, 6], "C": [1] }"#), "$.populations.C", #"the network has no population named "C""#),
        ("input named as a population", ratesText(populations: #"{ "in": [1, 2, 3] }"#), "$.populations.in", #"the network has no population named "in""#),
        ("unknown input", ratesText(inputs: #"{ "noise": [1] }"#), "$.inputs.noise", #"the network has no input named "noise""#),
        ("too few counts", ratesText(populations: #"{ "A": [5] }"#), "$.populations.A", "must have one count per neuron: 2, got 1"),
        ("too many input counts", ratesText(inputs: #"{ "in": [1, 2, 3, 4] }"#), "$.inputs.in", "must have one count per neuron: 3, got 4"),
        ("negative count", ratesText(populations: #"{ "A": [5, -1] }"#), "$.populations.A[1]", "must be an integer in 0…10, got -1"),
        // A neuron spikes at most once per step: 11 spikes in 10 steps is not a measurement.
        ("more spikes than steps", ratesText(populations: #"{ "A": [5, 11] }"#), "$.populations.A[1]", "must be an integer in 0…10, got 11"),
        ("more input spikes than steps", ratesText(steps: "2", inputs: #"{ "in": [1, 3, 0] }"#), "$.inputs.in[1]", "must be an integer in 0…2, got 3"),
        ("zero steps", ratesText(steps: "0"), "$.steps", "must be an integer in 1…100000000, got 0"),
        ("unknown key", #"{ "format": "neuroemu-rates/1", "network": "rated", "steps": 1, "population": {} }"#, "$.population",
         #"unknown key "population"; did you mean "populations"?"#),
    ])
    func invalidRatesFiles(label: String, text: String, path: String, rule: String) throws {
        let file = try TemporaryFile(text)
        let network = try ratesNetwork()
        do {
            _ = try SpikeRates.load(path: file.path, for: network)
            Issue.record("\(label): loaded")
        } catch {
            #expect(error == .invalid(file: file.path, path: path, rule: rule), "\(label)")
        }
    }
}
