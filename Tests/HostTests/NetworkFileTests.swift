import Chip
import Foundation
import Router
import Testing
@testable import Host

/// A small valid network in the shape of DESIGN §6, with each section replaceable.
/// Defaults: input `in` of 3 neurons, population `A` of 2 neurons, no projections, no probes.
private func network(
    steps: String = "10",
    inputs: String = #"[{ "name": "in", "size": 3, "spike_times": [[1], [2], [3]] }]"#,
    populations: String = #"[{ "name": "A", "size": 2, "neuron": { "model": "loihi_lif", "vth": 10 } }]"#,
    projections: String = "[]",
    probes: String = "[]",
    extra: String = ""
) -> String {
    """
    { "format": "neuroemu-network/1", "name": "test", "steps": \(steps), "seed": 1,\(extra)
      "inputs": \(inputs),
      "populations": \(populations),
      "projections": \(projections),
      "probes": \(probes) }
    """
}

/// `network()` with one projection from `in` (3 neurons) to `A` (2 neurons) holding `body`.
private func projection(_ body: String, source: String = "in", target: String = "A") -> String {
    network(projections: #"[{ "name": "p", "source": "\#(source)", "target": "\#(target)", \#(body) }]"#)
}

/// `network()` with population `A` of `size` neurons whose neuron object holds `neuron`.
private func population(_ neuron: String, size: Int = 2) -> String {
    network(populations: #"[{ "name": "A", "size": \#(size), "neuron": { "model": "loihi_lif", \#(neuron) } }]"#)
}

/// `network()` with population `A` constrained by `constraints` (the body of its object).
private func constrained(_ constraints: String) -> String {
    network(populations: #"[{ "name": "A", "size": 2, "neuron": { "model": "loihi_lif", "vth": 1 }, "constraints": { \#(constraints) } }]"#)
}

private func parseError(_ text: String) -> ConfigError? {
    do {
        _ = try NetworkFile.parse(text, file: "net.json")
        return nil
    } catch {
        return error
    }
}

/// One invalid file and the exact error it must produce.
struct BadNetworkCase: Sendable, CustomTestStringConvertible {
    var label: String
    var text: String
    var path: String
    var rule: String

    var testDescription: String { label }
}

private func bad(_ label: String, _ text: String, _ path: String, _ rule: String) -> BadNetworkCase {
    BadNetworkCase(label: label, text: text, path: path, rule: rule)
}

private let badCases: [BadNetworkCase] = [
    // Top level.
    bad("wrong format tag", network().replacingOccurrences(of: "neuroemu-network/1", with: "neuroemu-network/2"),
        "$.format", #"must be "neuroemu-network/1", got "neuroemu-network/2""#),
    bad("a chip file given as a network", ChipPresets.text(named: "tiny") ?? "",
        "$.format", #"must be "neuroemu-network/1", got "neuroemu-chip/1""#),
    bad("format of the wrong type", network().replacingOccurrences(of: #""neuroemu-network/1""#, with: "1"),
        "$.format", "must be a string, got integer 1"),
    bad("unknown top-level key with suggestion", network(extra: #" "step": 3,"#),
        "$.step", #"unknown key "step"; did you mean "steps"?"#),
    bad("steps 0", network(steps: "0"), "$.steps", "must be an integer in 1…100000000, got 0"),
    bad("steps of the wrong type", network(steps: #""10""#), "$.steps", #"must be an integer, got string "10""#),
    bad("steps fractional", network(steps: "2.5"), "$.steps", "must be an integer, got number 2.5"),
    bad("no populations", network(populations: "[]"), "$", #""populations" must list at least one population"#),
    bad("seed negative", network(extra: #" "description": "x","#).replacingOccurrences(of: #""seed": 1"#, with: #""seed": -1"#),
        "$.seed", "must be an integer ≥ 0, got -1"),

    // Populations and neurons.
    bad("unknown neuron key with suggestion", population(#""vht": 10"#),
        "$.populations[0].neuron.vht", #"unknown key "vht"; did you mean "vth"?"#),
    bad("float lif key under loihi_lif names its model and lists loihi_lif's keys", population(#""vth": 1, "tau_mem": 20"#),
        "$.populations[0].neuron.tau_mem",
        #""tau_mem" is a parameter of the floating-point model "lif", not of "loihi_lif", whose keys are "model", "du", "dv", "vth", "bias_mant", "bias_exp", "u_init", "v_init""#),
    bad("misspelt key of the float lif model",
        network(populations: #"[{ "name": "A", "size": 2, "neuron": { "model": "lif", "tau_mem": 20, "tau_syn": 5, "dt": 1, "v_treshold": 1 } }]"#),
        "$.populations[0].neuron.v_treshold", #"unknown key "v_treshold"; did you mean "v_threshold"?"#),
    bad("missing vth", population(#""du": 1"#), "$.populations[0].neuron", #"missing required key "vth""#),
    bad("missing size",
        network(populations: #"[{ "name": "A", "neuron": { "model": "loihi_lif", "vth": 1 } }]"#),
        "$.populations[0]", #"missing required key "size""#),
    bad("size of the wrong type",
        network(populations: #"[{ "name": "A", "size": "2", "neuron": { "model": "loihi_lif", "vth": 1 } }]"#),
        "$.populations[0].size", #"must be an integer, got string "2""#),
    bad("size 0",
        network(populations: #"[{ "name": "A", "size": 0, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#),
        "$.populations[0].size", "must be an integer in 1…16777216, got 0"),
    bad("neuron not an object",
        network(populations: #"[{ "name": "A", "size": 2, "neuron": "lif" }]"#),
        "$.populations[0].neuron", #"must be an object, got string "lif""#),
    bad("unknown neuron model", population(#""vth": 1"#).replacingOccurrences(of: "loihi_lif", with: "izhikevich"),
        "$.populations[0].neuron.model", #"must be one of "loihi_lif", "neuroemu_lif", "lif"; got "izhikevich""#),
    bad("du 5000", population(#""vth": 1, "du": 5000"#), "$.populations[0].neuron.du", "must be an integer in 0…4095, got 5000"),
    bad("dv -1", population(#""vth": 1, "dv": -1"#), "$.populations[0].neuron.dv", "must be an integer in 0…4095, got -1"),
    bad("vth -1", population(#""vth": -1"#), "$.populations[0].neuron.vth", "must be an integer in 0…131071, got -1"),
    bad("vth 131072", population(#""vth": 131072"#), "$.populations[0].neuron.vth", "must be an integer in 0…131071, got 131072"),
    bad("bias_exp 8", population(#""vth": 1, "bias_exp": 8"#), "$.populations[0].neuron.bias_exp", "must be an integer in 0…7, got 8"),
    bad("bias_mant -4097", population(#""vth": 1, "bias_mant": -4097"#),
        "$.populations[0].neuron.bias_mant", "must be an integer in -4096…4095, got -4097"),
    bad("u_init at -2^23", population(#""vth": 1, "u_init": -8388608"#),
        "$.populations[0].neuron.u_init", "must be an integer in -8388607…8388608, got -8388608"),
    bad("v_init beyond 2^23 - 1", population(#""vth": 1, "v_init": 8388608"#),
        "$.populations[0].neuron.v_init", "must be an integer in -8388607…8388607, got 8388608"),
    bad("per-neuron array too short", population(#""vth": [1, 2]"#, size: 3),
        "$.populations[0].neuron.vth", "must have one value per neuron: 3 values, got 2"),
    bad("per-neuron array too long", population(#""vth": 1, "du": [1, 2, 3]"#),
        "$.populations[0].neuron.du", "must have one value per neuron: 2 values, got 3"),
    bad("per-neuron array element out of range", population(#""vth": 1, "du": [0, 5000]"#),
        "$.populations[0].neuron.du[1]", "must be an integer in 0…4095, got 5000"),

    // Mapping constraints.
    bad("a neuron cap of 0", constrained(#""max_neurons_per_core": 0"#),
        "$.populations[0].constraints.max_neurons_per_core", "must be an integer in 1…16777216, got 0"),
    bad("a misspelt constraint", constrained(#""max_neuron_per_core": 4"#),
        "$.populations[0].constraints.max_neuron_per_core", #"unknown key "max_neuron_per_core"; did you mean "max_neurons_per_core"?"#),
    bad("no tiles", constrained(#""tiles": []"#),
        "$.populations[0].constraints.tiles", #"must list at least one tile as [x, y]; leave "tiles" out to let the placer choose"#),
    bad("a tile of three numbers", constrained(#""tiles": [[0, 1, 2]]"#),
        "$.populations[0].constraints.tiles[0]", "a tile is [x, y], two integers; got 3 values"),
    bad("a negative tile coordinate", constrained(#""tiles": [[0, 0], [-1, 0]]"#),
        "$.populations[0].constraints.tiles[1][0]", "must be an integer in 0…1048576, got -1"),
    bad("a tile twice", constrained(#""tiles": [[1, 0], [0, 0], [1, 0]]"#),
        "$.populations[0].constraints.tiles[2]", "tile (1, 0) is listed twice"),

    // A parameter of the other kind of model names the model it belongs to.
    bad("integer parameter under lif", population(#""du": 100"#).replacingOccurrences(of: #""model": "loihi_lif""#, with: #""model": "lif", "tau_mem": 0.02"#),
        "$.populations[0].neuron.du",
        #""du" is a parameter of the integer models "loihi_lif" and "neuroemu_lif", not of "lif", whose keys are "model", "tau_mem", "tau_syn", "dt", "v_threshold", "v_reset", "v_leak", "bias""#),
    bad("neuroemu_lif mechanism under lif", population(#""refractory": 2"#).replacingOccurrences(of: #""model": "loihi_lif""#, with: #""model": "lif", "tau_mem": 0.02"#),
        "$.populations[0].neuron.refractory",
        #""refractory" is a parameter of the integer model "neuroemu_lif", not of "lif", whose keys are "model", "tau_mem", "tau_syn", "dt", "v_threshold", "v_reset", "v_leak", "bias""#),
    bad("float parameter under neuroemu_lif", population(#""vth": 1, "tau_mem": 0.02"#).replacingOccurrences(of: "loihi_lif", with: "neuroemu_lif"),
        "$.populations[0].neuron.tau_mem",
        #""tau_mem" is a parameter of the floating-point model "lif", not of "neuroemu_lif", whose keys are "model", "du", "dv", "vth", "bias_mant", "bias_exp", "u_init", "v_init", "refractory", "reset", "threshold_step", "threshold_decay", "mean_voltage_gain", "depolarization_gain", "spike", "graded_shift""#),

    // neuroemu_lif mechanisms.
    bad("mechanism under loihi_lif", population(#""vth": 1, "refractory": 2"#),
        "$.populations[0].neuron.refractory",
        #""refractory" is not a parameter of model "loihi_lif" (Lava's CUBA-LIF); use model "neuroemu_lif" for refractory periods, subtractive reset, adaptive or dynamic thresholds, ternary or graded spikes"#),
    bad("refractory 64", population(#""vth": 1, "refractory": 64"#).replacingOccurrences(of: "loihi_lif", with: "neuroemu_lif"),
        "$.populations[0].neuron.refractory", "must be an integer in 0…63, got 64"),
    bad("unknown reset mode", population(#""vth": 1, "reset": "half""#).replacingOccurrences(of: "loihi_lif", with: "neuroemu_lif"),
        "$.populations[0].neuron.reset", #"must be one of "zero", "subtract"; got "half""#),
    bad("unknown spike mode", population(#""vth": 1, "spike": "analog""#).replacingOccurrences(of: "loihi_lif", with: "neuroemu_lif"),
        "$.populations[0].neuron.spike", #"must be one of "binary", "ternary", "graded"; got "analog""#),
    bad("graded_shift without graded spikes", population(#""vth": 1, "spike": "ternary", "graded_shift": 3"#).replacingOccurrences(of: "loihi_lif", with: "neuroemu_lif"),
        "$.populations[0].neuron.graded_shift", #"applies only to graded spikes ("spike": "graded")"#),
    bad("graded_shift 24", population(#""vth": 1, "spike": "graded", "graded_shift": 24"#).replacingOccurrences(of: "loihi_lif", with: "neuroemu_lif"),
        "$.populations[0].neuron.graded_shift", "must be an integer in 0…23, got 24"),
    bad("mean_voltage_gain 4097", population(#""vth": 1, "mean_voltage_gain": 4097"#).replacingOccurrences(of: "loihi_lif", with: "neuroemu_lif"),
        "$.populations[0].neuron.mean_voltage_gain", "must be an integer in 0…4096, got 4097"),

    // STDP.
    bad("stdp w_max below w_min", projection(#""all_to_all": { "weight": 10 }, "stdp": { "pre_impulse": 1, "post_impulse": 1, "pre_decay": 0, "post_decay": 0, "a_plus": 1, "a_minus": 1, "w_min": 10, "w_max": 5 }"#),
        "$.projections[0].stdp.w_max", "must be ≥ w_min (10), got 5"),
    bad("stdp bounds outside the sign mode", projection(#""all_to_all": { "weight": 10 }, "stdp": { "pre_impulse": 1, "post_impulse": 1, "pre_decay": 0, "post_decay": 0, "a_plus": 1, "a_minus": 1, "w_min": -5, "w_max": 100 }"#),
        "$.projections[0].stdp",
        #"weight bounds -5…100 leave the excitatory range 0…255 of this projection; set "sign_mode" to "mixed" to learn weights of both signs"#),
    bad("stdp initial weight outside the bounds", projection(#""all_to_all": { "weight": 200 }, "stdp": { "pre_impulse": 1, "post_impulse": 1, "pre_decay": 0, "post_decay": 0, "a_plus": 1, "a_minus": 1, "w_min": 0, "w_max": 100 }"#),
        "$.projections[0].stdp", "synapse 0 starts at weight 200, outside the learning bounds 0…100"),
    bad("stdp missing a_plus", projection(#""all_to_all": { "weight": 10 }, "stdp": { "pre_impulse": 1, "post_impulse": 1, "pre_decay": 0, "post_decay": 0, "a_minus": 1, "w_min": 0, "w_max": 100 }"#),
        "$.projections[0].stdp", #"missing required key "a_plus""#),
    bad("stdp impulse beyond 7 bits", projection(#""all_to_all": { "weight": 10 }, "stdp": { "pre_impulse": 128, "post_impulse": 1, "pre_decay": 0, "post_decay": 0, "a_plus": 1, "a_minus": 1, "w_min": 0, "w_max": 100 }"#),
        "$.projections[0].stdp.pre_impulse", "must be an integer in 0…127, got 128"),
    bad("stdp epoch 0", projection(#""all_to_all": { "weight": 10 }, "stdp": { "pre_impulse": 1, "post_impulse": 1, "pre_decay": 0, "post_decay": 0, "a_plus": 1, "a_minus": 1, "w_min": 0, "w_max": 100, "epoch": 0 }"#),
        "$.projections[0].stdp.epoch", "must be an integer in 1…1024, got 0"),
    bad("stdp misspelt key", projection(#""all_to_all": { "weight": 10 }, "stdp": { "a_plu": 1 }"#),
        "$.projections[0].stdp.a_plu", #"unknown key "a_plu"; did you mean "a_plus"?"#),

    // Names.
    bad("duplicate population names",
        network(populations: #"[{ "name": "A", "size": 1, "neuron": { "model": "loihi_lif", "vth": 1 } }, { "name": "A", "size": 1, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#),
        "$.populations[1]", #"name "A" is already used at $.populations[0]; names of inputs and populations must be unique"#),
    bad("input and population share a name",
        network(populations: #"[{ "name": "in", "size": 1, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#),
        "$.populations[0]", #"name "in" is already used at $.inputs[0]; names of inputs and populations must be unique"#),
    bad("duplicate input names",
        network(inputs: #"[{ "name": "x", "size": 1, "spike_times": [[1]] }, { "name": "x", "size": 1, "spike_times": [[2]] }]"#),
        "$.inputs[1]", #"name "x" is already used at $.inputs[0]; names of inputs and populations must be unique"#),
    bad("name with a space",
        network(populations: #"[{ "name": "my pop", "size": 1, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#),
        "$.populations[0].name", #"must be a name of 1 to 64 ASCII letters, digits, '_', '-' or '.', not starting with a digit; got "my pop""#),
    bad("name starting with a digit",
        network(inputs: #"[{ "name": "1st", "size": 1, "spike_times": [[1]] }]"#),
        "$.inputs[0].name", #"must be a name of 1 to 64 ASCII letters, digits, '_', '-' or '.', not starting with a digit; got "1st""#),
    bad("empty name", network().replacingOccurrences(of: #""name": "test""#, with: #""name": """#),
        "$.name", #"must be a name of 1 to 64 ASCII letters, digits, '_', '-' or '.', not starting with a digit; got """#),
    bad("non-ASCII name", network().replacingOccurrences(of: #""name": "test""#, with: #""name": "réseau""#),
        "$.name", #"must be a name of 1 to 64 ASCII letters, digits, '_', '-' or '.', not starting with a digit; got "réseau""#),
    bad("name of 65 characters", network().replacingOccurrences(of: #""name": "test""#, with: "\"name\": \"\(String(repeating: "n", count: 65))\""),
        "$.name", "must be a name of 1 to 64 ASCII letters, digits, '_', '-' or '.', not starting with a digit; got \"\(String(repeating: "n", count: 65))\""),
    bad("duplicate projection names",
        network(projections: #"[{ "name": "p", "source": "in", "target": "A", "all_to_all": { "weight": 1 } }, { "name": "p", "source": "in", "target": "A", "all_to_all": { "weight": 2 } }]"#),
        "$.projections[1]", #"projection name "p" is used twice; projection names must be unique"#),

    // Inputs.
    bad("both spike_times and poisson",
        network(inputs: #"[{ "name": "in", "size": 1, "spike_times": [[1]], "poisson": { "probability": 0.5 } }]"#),
        "$.inputs[0]", #"give one of "spike_times", "poisson", "samples" or "teacher", got "spike_times" and "poisson""#),
    bad("neither spike_times nor poisson", network(inputs: #"[{ "name": "in", "size": 1 }]"#),
        "$.inputs[0]", #"an input needs "spike_times", "poisson", "samples" or "teacher""#),
    bad("spike times not ascending", network(inputs: #"[{ "name": "in", "size": 2, "spike_times": [[1], [5, 3]] }]"#),
        "$.inputs[0].spike_times[1][1]", "spike times must be strictly ascending; 3 follows 5"),
    bad("spike time repeated", network(inputs: #"[{ "name": "in", "size": 1, "spike_times": [[2, 2]] }]"#),
        "$.inputs[0].spike_times[0][1]", "spike times must be strictly ascending; 2 follows 2"),
    bad("spike time beyond steps", network(inputs: #"[{ "name": "in", "size": 1, "spike_times": [[4, 11]] }]"#),
        "$.inputs[0].spike_times[0][1]", "must be an integer in 1…10, got 11"),
    bad("spike time 0 (times are 1-based)", network(inputs: #"[{ "name": "in", "size": 1, "spike_times": [[0]] }]"#),
        "$.inputs[0].spike_times[0][0]", "must be an integer in 1…10, got 0"),
    bad("spike_times with one list too few", network(inputs: #"[{ "name": "in", "size": 3, "spike_times": [[1], [2]] }]"#),
        "$.inputs[0].spike_times", "must have one list of spike times per neuron: 3 lists, got 2"),
    bad("poisson probability 1.5", network(inputs: #"[{ "name": "in", "size": 3, "poisson": { "probability": 1.5 } }]"#),
        "$.inputs[0].poisson.probability", "must be a number in 0.0…1.0, got 1.5"),
    bad("poisson per-neuron probability out of range",
        network(inputs: #"[{ "name": "in", "size": 3, "poisson": { "probability": [0.1, -0.5, 0.2] } }]"#),
        "$.inputs[0].poisson.probability[1]", "must be a number in 0.0…1.0, got -0.5"),
    bad("poisson per-neuron probability of the wrong length",
        network(inputs: #"[{ "name": "in", "size": 3, "poisson": { "probability": [0.1, 0.2] } }]"#),
        "$.inputs[0].poisson.probability", "must have one value per neuron: 3 values, got 2"),
    bad("poisson with a misspelt key", network(inputs: #"[{ "name": "in", "size": 3, "poisson": { "probabilty": 0.1 } }]"#),
        "$.inputs[0].poisson.probabilty", #"unknown key "probabilty"; did you mean "probability"?"#),

    // Projections: names and endpoints.
    bad("projection to an unknown population with suggestion",
        network(populations: #"[{ "name": "hidden", "size": 2, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#,
                projections: #"[{ "name": "p", "source": "in", "target": "hiden", "all_to_all": { "weight": 1 } }]"#),
        "$.projections[0].target", #"no population is named "hiden"; did you mean "hidden"?"#),
    // Two edits away still suggests for a short name (up to a third of a long one's length),
    // three do not.
    bad("projection to an unknown population two edits away",
        network(populations: #"[{ "name": "layer", "size": 2, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#,
                projections: #"[{ "name": "p", "source": "in", "target": "lyaer", "all_to_all": { "weight": 1 } }]"#),
        "$.projections[0].target", #"no population is named "lyaer"; did you mean "layer"?"#),
    bad("projection to an unknown population three edits away",
        network(populations: #"[{ "name": "layer", "size": 2, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#,
                projections: #"[{ "name": "p", "source": "in", "target": "lqqqr", "all_to_all": { "weight": 1 } }]"#),
        "$.projections[0].target", #"no population is named "lqqqr""#),
    bad("projection to an unknown population without a near name", projection(#""all_to_all": { "weight": 1 }"#, target: "zzzzzz"),
        "$.projections[0].target", #"no population is named "zzzzzz""#),
    bad("projection targeting an input", projection(#""all_to_all": { "weight": 1 }"#, target: "in"),
        "$.projections[0].target", #""in" is an input; a projection's target must be a population"#),
    bad("projection from an unknown source with suggestion", projection(#""all_to_all": { "weight": 1 }"#, source: "inn"),
        "$.projections[0].source", #"no input or population is named "inn"; did you mean "in"?"#),
    bad("projection missing its target",
        network(projections: #"[{ "name": "p", "source": "in", "all_to_all": { "weight": 1 } }]"#),
        "$.projections[0]", #"missing required key "target""#),
    bad("both connectivities", projection(#""weights": [[1, 1, 1], [1, 1, 1]], "sparse": { "source": [0], "target": [0], "weight": [1] }"#),
        "$.projections[0]", #"a projection takes exactly one connectivity, got "weights" and "sparse""#),
    bad("no connectivity", projection(#""delay": 1"#),
        "$.projections[0]", #"a projection needs exactly one connectivity: one of "weights", "sparse", "one_to_one", "all_to_all", "random", "fixed_in", "conv2d""#),
    bad("delay 0", projection(#""delay": 0, "all_to_all": { "weight": 1 }"#), "$.projections[0].delay", "must be an integer in 1…62, got 0"),
    bad("delay 63", projection(#""delay": 63, "all_to_all": { "weight": 1 }"#), "$.projections[0].delay", "must be an integer in 1…62, got 63"),
    bad("weight_exp 8", projection(#""weight_exp": 8, "all_to_all": { "weight": 1 }"#),
        "$.projections[0].weight_exp", "must be an integer in -8…7, got 8"),
    bad("num_weight_bits 0", projection(#""num_weight_bits": 0, "all_to_all": { "weight": 1 }"#),
        "$.projections[0].num_weight_bits", "must be an integer in 1…8, got 0"),
    bad("unknown sign mode", projection(#""sign_mode": "positive", "all_to_all": { "weight": 1 }"#),
        "$.projections[0].sign_mode", #"must be one of "excitatory", "inhibitory", "mixed"; got "positive""#),
    bad("sign_mode excitatory with a negative weight", projection(#""sign_mode": "excitatory", "weights": [[1, -5, 0], [2, 0, 0]]"#),
        "$.projections[0].sign_mode", "synapse 1 (source 1 → target 0) has weight -5, outside the excitatory range 0…255"),
    bad("sign_mode inhibitory with a positive weight", projection(#""sign_mode": "inhibitory", "sparse": { "source": [0, 2], "target": [1, 0], "weight": [-1, 4] }"#),
        "$.projections[0].sign_mode", "synapse 1 (source 2 → target 0) has weight 4, outside the inhibitory range -255…0"),

    // Dense.
    bad("weight 300", projection(#""weights": [[1, 300, 0], [0, 0, 0]]"#),
        "$.projections[0].weights[0][1]", "must be an integer in -256…255, got 300"),
    bad("weight -257", projection(#""weights": [[1, 2, 0], [0, 0, -257]]"#),
        "$.projections[0].weights[1][2]", "must be an integer in -256…255, got -257"),
    bad("ragged dense row", projection(#""weights": [[1, 2, 3], [1, 2]]"#),
        "$.projections[0].weights[1]", "must have one weight per source neuron: in has 3 neurons, got 2"),
    bad("dense row count differs from the target size", projection(#""weights": [[1, 2, 3], [1, 2, 3], [1, 2, 3]]"#),
        "$.projections[0].weights",
        "must have one row per target neuron (target-major, weights[i][j] connects source j to target i): A has 2 neurons, got 3 rows"),
    bad("dense matrix source-major by mistake", projection(#""weights": [[1, 2], [3, 4], [5, 6]]"#),
        "$.projections[0].weights",
        "must have one row per target neuron (target-major, weights[i][j] connects source j to target i): A has 2 neurons, got 3 rows"),
    bad("dense weight of the wrong type", projection(#""weights": [[1, 2, 3], [1, true, 3]]"#),
        "$.projections[0].weights[1][1]", "must be an integer, got boolean true"),

    // Sparse.
    bad("sparse arrays of unequal length", projection(#""sparse": { "source": [0, 1], "target": [0], "weight": [1, 1] }"#),
        "$.projections[0].sparse", #""source", "target", "weight" and "delay" must have equal lengths: "source" has 2, "target" has 1"#),
    bad("sparse delays of unequal length", projection(#""sparse": { "source": [0, 1], "target": [0, 1], "weight": [1, 1], "delay": [2] }"#),
        "$.projections[0].sparse", #""source", "target", "weight" and "delay" must have equal lengths: "source" has 2, "delay" has 1"#),
    bad("sparse source index out of range", projection(#""sparse": { "source": [0, 3], "target": [0, 1], "weight": [1, 1] }"#),
        "$.projections[0].sparse.source[1]", "must be an integer in 0…2, got 3"),
    bad("sparse target index out of range", projection(#""sparse": { "source": [0, 1], "target": [2, 1], "weight": [1, 1] }"#),
        "$.projections[0].sparse.target[0]", "must be an integer in 0…1, got 2"),
    bad("sparse negative index", projection(#""sparse": { "source": [-1], "target": [0], "weight": [1] }"#),
        "$.projections[0].sparse.source[0]", "must be an integer in 0…2, got -1"),
    bad("sparse delay 63", projection(#""sparse": { "source": [0], "target": [0], "weight": [1], "delay": [63] }"#),
        "$.projections[0].sparse.delay[0]", "must be an integer in 1…62, got 63"),
    bad("sparse missing weight", projection(#""sparse": { "source": [0], "target": [0] }"#),
        "$.projections[0].sparse", #"missing required key "weight""#),

    // Rules.
    bad("one_to_one size mismatch", projection(#""one_to_one": { "weight": 1 }"#),
        "$.projections[0].one_to_one", "one-to-one needs equal sizes: in has 3 neurons, A has 2"),
    bad("weight_range low > high", projection(#""all_to_all": { "weight_range": [5, 1] }"#),
        "$.projections[0].all_to_all.weight_range", "must be [low, high] with low ≤ high, got [5, 1]"),
    bad("weight_range of three values", projection(#""all_to_all": { "weight_range": [1, 2, 3] }"#),
        "$.projections[0].all_to_all.weight_range", "must be [low, high] with low ≤ high, got [1, 2, 3]"),
    bad("weight_range bound outside 8 bits", projection(#""all_to_all": { "weight_range": [0, 256] }"#),
        "$.projections[0].all_to_all.weight_range[1]", "must be an integer in -256…255, got 256"),
    bad("both weight and weight_range", projection(#""all_to_all": { "weight": 1, "weight_range": [0, 2] }"#),
        "$.projections[0].all_to_all", #"give either "weight" or "weight_range", not both"#),
    bad("neither weight nor weight_range", projection(#""random": { "p": 0.5 }"#),
        "$.projections[0].random", #"needs "weight" (an integer) or "weight_range" ([low, high])"#),
    bad("random p 1.5", projection(#""random": { "p": 1.5, "weight": 1 }"#),
        "$.projections[0].random.p", "must be a number in 0.0…1.0, got 1.5"),
    // The network's synapse estimate, taken before the rules are read, once trapped on these.
    bad("random p 1e19", projection(#""random": { "p": 1e19, "weight": 1 }"#),
        "$.projections[0].random.p", "must be a number in 0.0…1.0, got 1e+19"),
    bad("random with an unknown key lists the allowed keys", projection(#""random": { "prob": 0.5, "weight": 1 }"#),
        "$.projections[0].random.prob", #"unknown key "prob"; allowed keys: "p", "seed", "weight", "weight_range""#),
    bad("random seed negative", projection(#""random": { "p": 0.5, "seed": -3, "weight": 1 }"#),
        "$.projections[0].random.seed", "must be an integer ≥ 0, got -3"),

    // conv2d: source `in` has 3 neurons in these cases unless the inputs are replaced.
    bad("conv2d input shape does not match the source",
        projection(#""conv2d": { "input_shape": [1, 2, 2], "kernel": [[[[1]]]] }"#),
        "$.projections[0].conv2d.input_shape", "1×2×2 = 4 neurons, but in has 3"),
    bad("conv2d input shape of two values",
        projection(#""conv2d": { "input_shape": [1, 3], "kernel": [[[[1]]]] }"#),
        "$.projections[0].conv2d.input_shape", "must be [channels, height, width], got 2 values"),
    bad("conv2d output does not match the target",
        network(inputs: #"[{ "name": "img", "size": 9, "poisson": { "probability": 0.1 } }]"#,
                populations: #"[{ "name": "A", "size": 5, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#,
                projections: #"[{ "name": "c", "source": "img", "target": "A", "conv2d": { "input_shape": [1, 3, 3], "kernel": [[[[1, 1], [1, 1]]]] } }]"#),
        "$.projections[0].conv2d", "the convolution produces 1×2×2 = 4 outputs, but A has 5 neurons"),
    bad("conv2d kernel with the wrong number of input channels",
        network(inputs: #"[{ "name": "img", "size": 9, "poisson": { "probability": 0.1 } }]"#,
                populations: #"[{ "name": "A", "size": 4, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#,
                projections: #"[{ "name": "c", "source": "img", "target": "A", "conv2d": { "input_shape": [1, 3, 3], "kernel": [[[[1, 1], [1, 1]], [[1, 1], [1, 1]]]] } }]"#),
        "$.projections[0].conv2d.kernel[0]", "must have one kernel per input channel: 1 channels, got 2"),
    bad("conv2d ragged kernel",
        network(inputs: #"[{ "name": "img", "size": 9, "poisson": { "probability": 0.1 } }]"#,
                populations: #"[{ "name": "A", "size": 4, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#,
                projections: #"[{ "name": "c", "source": "img", "target": "A", "conv2d": { "input_shape": [1, 3, 3], "kernel": [[[[1, 1], [1]]]] } }]"#),
        "$.projections[0].conv2d.kernel[0][0]", "must be a non-empty rectangular kernel of rows of equal length"),
    bad("conv2d kernels of different shapes",
        network(inputs: #"[{ "name": "img", "size": 9, "poisson": { "probability": 0.1 } }]"#,
                populations: #"[{ "name": "A", "size": 8, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#,
                projections: #"[{ "name": "c", "source": "img", "target": "A", "conv2d": { "input_shape": [1, 3, 3], "kernel": [[[[1, 1], [1, 1]]], [[[1]]]] } }]"#),
        "$.projections[0].conv2d.kernel[1][0]", "kernel is 1×1 but earlier kernels are 2×2"),
    bad("conv2d kernel larger than the padded input",
        network(inputs: #"[{ "name": "img", "size": 4, "poisson": { "probability": 0.1 } }]"#,
                populations: #"[{ "name": "A", "size": 1, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#,
                projections: #"[{ "name": "c", "source": "img", "target": "A", "conv2d": { "input_shape": [1, 2, 2], "kernel": [[[[1, 1, 1], [1, 1, 1], [1, 1, 1]]]] } }]"#),
        "$.projections[0].conv2d.kernel", "a 3×3 kernel does not fit a padded 2×2 input"),
    bad("conv2d with no output channel",
        network(inputs: #"[{ "name": "img", "size": 4, "poisson": { "probability": 0.1 } }]"#,
                populations: #"[{ "name": "A", "size": 1, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#,
                projections: #"[{ "name": "c", "source": "img", "target": "A", "conv2d": { "input_shape": [1, 2, 2], "kernel": [] } }]"#),
        "$.projections[0].conv2d.kernel", "must list at least one output channel"),
    bad("conv2d stride of three values",
        network(inputs: #"[{ "name": "img", "size": 4, "poisson": { "probability": 0.1 } }]"#,
                populations: #"[{ "name": "A", "size": 1, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#,
                projections: #"[{ "name": "c", "source": "img", "target": "A", "conv2d": { "input_shape": [1, 2, 2], "kernel": [[[[1]]]], "stride": [1, 1, 1] } }]"#),
        "$.projections[0].conv2d.stride", "must be an integer or [y, x], got 3 values"),
    bad("conv2d input shape whose product overflows",
        network(inputs: #"[{ "name": "img", "size": 4, "poisson": { "probability": 0.1 } }]"#,
                populations: #"[{ "name": "A", "size": 1, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#,
                projections: #"[{ "name": "c", "source": "img", "target": "A", "conv2d": { "input_shape": [16777216, 16777216, 16777216], "kernel": [[[[1]]]] } }]"#),
        "$.projections[0].conv2d.input_shape", "16777216×16777216×16777216 neurons, but img has 4"),

    // Probes.
    bad("probe of an unknown population with suggestion", network(probes: #"[{ "target": "a", "record": ["spikes"] }]"#),
        "$.probes[0].target", #"no population is named "a"; did you mean "A"?"#),
    bad("probe indices not ascending", network(probes: #"[{ "target": "A", "record": ["v"], "indices": [1, 0] }]"#),
        "$.probes[0].indices", "must be strictly ascending; 0 follows 1"),
    bad("probe of no neurons", network(probes: #"[{ "target": "A", "record": ["v"], "indices": [] }]"#),
        "$.probes[0].indices", "must list at least one neuron; leave it out to probe all 2"),
    bad("probe index out of range", network(probes: #"[{ "target": "A", "record": ["v"], "indices": [0, 2] }]"#),
        "$.probes[0].indices[1]", "must be an integer in 0…1, got 2"),
    bad("probe recording an unknown variable", network(probes: #"[{ "target": "A", "record": ["spikes", "w"] }]"#),
        "$.probes[0].record[1]", #"must be one of "spikes", "u", "v"; got "w""#),
    bad("probe recording a variable twice", network(probes: #"[{ "target": "A", "record": ["u", "v", "u"] }]"#),
        "$.probes[0].record[2]", #""u" is listed twice"#),
    bad("probe recording nothing", network(probes: #"[{ "target": "A", "record": [] }]"#),
        "$.probes[0].record", #"must list at least one of "spikes", "u", "v""#),
]

@Suite struct NetworkFileTests {
    // MARK: Invalid files

    @Test(arguments: badCases)
    func invalidFileIsRejectedWithPathAndRule(_ bad: BadNetworkCase) {
        #expect(parseError(bad.text) == .invalid(file: "net.json", path: bad.path, rule: bad.rule))
    }

    @Test func everyBadCaseHasItsOwnLabel() {
        #expect(Set(badCases.map(\.label)).count == badCases.count)
        #expect(badCases.count >= 20)
    }

    /// Projections read on several threads (each claiming the next in file order) give the
    /// network of one thread, random rules included, and the error of the first bad projection
    /// in file order — a later projection's error, or a name used twice after it, does not
    /// come first.
    @Test(arguments: [2, 3, 8])
    func projectionsReadOnSeveralThreadsGiveTheSameNetworkAndFirstError(threads: Int) throws {
        let projections = #"""
            [{ "name": "a", "source": "in", "target": "A", "random": { "p": 0.5, "weight_range": [-5, 5] } },
             { "name": "b", "source": "A", "target": "A", "fixed_in": { "k": 1, "weight": 3 } },
             { "name": "c", "source": "in", "target": "A", "all_to_all": { "weight_range": [1, 9] } },
             { "name": "d", "source": "A", "target": "A", "one_to_one": { "weight": -2 }, "delay": 3 }]
            """#
        let text = network(projections: projections)
        let one = try NetworkFile.parse(text, file: "net.json")
        #expect(try NetworkFile.parse(text, file: "net.json", threads: threads) == one)
        #expect(one.projections.map(\.name) == ["a", "b", "c", "d"] && one.synapseCount > 8)

        let bad = network(projections: #"""
            [{ "name": "a", "source": "in", "target": "A", "all_to_all": { "weight": 1 } },
             { "name": "b", "source": "in", "target": "nowhere", "all_to_all": { "weight": 1 } },
             { "name": "a", "source": "in", "target": "A", "all_to_all": { "weight": 1 } },
             { "name": "d", "source": "in", "target": "A", "all_to_all": { "weight": 900 } }]
            """#)
        let first = #"net.json: $.projections[1].target: no population is named "nowhere""#
        #expect(parseError(bad)?.description.hasPrefix(first) == true)
        do {
            _ = try NetworkFile.parse(bad, file: "net.json", threads: threads)
            Issue.record("a network with bad projections was read")
        } catch {
            #expect(error == parseError(bad))
        }
    }

    @Test func errorDescriptionNamesFilePathAndRule() {
        let error = parseError(population(#""vth": 1, "du": 5000"#))
        #expect(error?.description == "net.json: $.populations[0].neuron.du: must be an integer in 0…4095, got 5000")
    }

    /// Every connectivity that expands into synapses is bounded before it expands: a small file
    /// must not ask for more memory than the machine has.
    @Test func projectionsBeyondTheSynapseLimitAreRefusedBeforeExpanding() {
        func text(_ populations: String, _ projection: String) -> String {
            #"{ "format": "neuroemu-network/1", "name": "big", "steps": 1, "populations": [\#(populations)], "projections": [\#(projection)] }"#
        }
        // Float targets: 20,000 × 20,000 all to all.
        let float = #"{ "name": "A", "size": 20000, "neuron": { "model": "lif", "tau_mem": 20, "tau_syn": 5, "dt": 1, "v_threshold": 1 } }"#
        #expect(parseError(text(float, #"{ "name": "p", "source": "A", "target": "A", "all_to_all": { "weight": 0.5 } }"#))?.description
            == "net.json: $.projections[0].all_to_all: would create about 400000000 synapses; one projection may have at most 200000000")
        // conv2d: 512 channels of 32 × 32 into 400 channels through 1 × 1 kernels, 209,715,200 taps.
        let kernel = "[" + Array(repeating: "[" + Array(repeating: "[[1]]", count: 512).joined(separator: ",") + "]", count: 400).joined(separator: ",") + "]"
        let layers = #"{ "name": "A", "size": 524288, "neuron": { "model": "loihi_lif", "vth": 10 } }, { "name": "B", "size": 409600, "neuron": { "model": "loihi_lif", "vth": 10 } }"#
        #expect(parseError(text(layers, #"{ "name": "p", "source": "A", "target": "B", "conv2d": { "input_shape": [512, 32, 32], "kernel": \#(kernel) } }"#))?.description
            == "net.json: $.projections[0].conv2d: would create about 209715200 synapses; one projection may have at most 200000000")
        // A random rule draws per pair: 16,777,216 × 1,024 pairs take minutes whatever p is.
        let wide = #"{ "name": "A", "size": 1024, "neuron": { "model": "loihi_lif", "vth": 10 } }"#
        let input = #"{ "format": "neuroemu-network/1", "name": "big", "steps": 1, "inputs": [{ "name": "in", "size": 16777216, "poisson": { "probability": 0 } }], "populations": [\#(wide)], "projections": [{ "name": "p", "source": "in", "target": "A", "random": { "p": 1e-9, "weight": 1 } }] }"#
        #expect(parseError(input)?.description
            == #"net.json: $.projections[0].random: draws one number per source–target pair: 17179869184 pairs; at most 4294967296 (use "fixed_in" for sparse connectivity of large populations)"#)
        // Three projections within the limit each, 588 million together: refused at the third,
        // before any is expanded (about 9 GB).
        let square = #"{ "name": "A", "size": 14000, "neuron": { "model": "loihi_lif", "vth": 10 } }"#
        let three = (0..<3).map { #"{ "name": "p\#($0)", "source": "A", "target": "A", "all_to_all": { "weight": 1 } }"# }.joined(separator: ", ")
        #expect(parseError(text(square, three))?.description
            == "net.json: $.projections[2]: the network's projections up to this one would create about 588000000 synapses; a network may have at most 400000000")
    }

    /// Given the chip, populations with more neurons than its cores hold are refused before any
    /// synapse is expanded: here 16,777,216 neurons whose all-to-all projection alone would
    /// take minutes to expand before the mapper said the same.
    @Test func populationsBeyondTheChipAreRefusedBeforeExpanding() throws {
        let text = #"{ "format": "neuroemu-network/1", "name": "big", "steps": 1, "inputs": [{ "name": "in", "size": 4, "poisson": { "probability": 0 } }], "populations": [{ "name": "A", "size": 16777216, "neuron": { "model": "loihi_lif", "vth": 10 } }], "projections": [{ "name": "p", "source": "in", "target": "A", "all_to_all": { "weight": 1 } }] }"#
        let root = JSONNode(value: try JSONParser.parse(text, file: "net.json"), file: "net.json")
        #expect(throws: ConfigError.invalid(file: "net.json", path: "$.populations", rule: "the populations hold 16,777,216 neurons in all; chip `tiny` holds at most 512 (8 cores of 64), so the network cannot fit")) {
            try NetworkFile.read(root, seed: nil, chip: ChipPresets.resolve("tiny"))
        }
        // The sizes are summed before any population is read (each of these would expand 13
        // per-neuron parameter arrays of 16 M entries, gigabytes): a mistake in the last
        // population is not reached, and a size that is not valid is reported as such.
        let population = #"{ "name": "NAME", "size": 16777216, "neuron": { "model": "loihi_lif", "vth": 10 } }"#
        let three = ["A", "B", "C"].map { population.replacingOccurrences(of: "NAME", with: $0) }.joined(separator: ", ")
        let threeText = #"{ "format": "neuroemu-network/1", "name": "big", "steps": 1, "populations": [\#(three), { "name": "D", "size": 1, "neuron": { "model": "loihi_lif" } }] }"#
        let threeRoot = JSONNode(value: try JSONParser.parse(threeText, file: "net.json"), file: "net.json")
        #expect(throws: ConfigError.invalid(file: "net.json", path: "$.populations", rule: "the populations hold 50,331,649 neurons in all; chip `loihi` holds at most 131,072 (128 cores of 1,024), so the network cannot fit")) {
            try NetworkFile.read(threeRoot, seed: nil, chip: ChipPresets.resolve("loihi"))
        }
        let negative = JSONNode(value: try JSONParser.parse(threeText.replacingOccurrences(of: #""size": 1,"#, with: #""size": -1,"#).replacingOccurrences(of: "16777216", with: "4"), file: "net.json"), file: "net.json")
        do {
            _ = try NetworkFile.read(negative, seed: nil, chip: ChipPresets.resolve("loihi"))
            Issue.record("a negative size was accepted")
        } catch {
            #expect(error.description.hasPrefix("net.json: $.populations[3].size:"), "\(error)")
        }
        // A network that fits its chip's neurons reads as without the chip.
        let small = JSONNode(value: try JSONParser.parse(text.replacingOccurrences(of: "16777216", with: "512"), file: "net.json"), file: "net.json")
        #expect(try NetworkFile.read(small, seed: nil, chip: ChipPresets.resolve("tiny")) == NetworkFile.read(small, seed: nil))
    }

    /// Constraints are read into the population; given the chip, a tile off its mesh is refused
    /// at its path (without the chip it is the mapper that refuses it).
    @Test func constraintsAreReadAndTheirTilesCheckedAgainstTheChip() throws {
        let text = constrained(#""max_neurons_per_core": 7, "tiles": [[1, 0], [0, 1]]"#)
        let read = try NetworkFile.parse(text, file: "net.json")
        #expect(read.populations[0].constraints == MappingConstraints(maxNeuronsPerCore: 7, tiles: [TileCoordinate(x: 1, y: 0), TileCoordinate(x: 0, y: 1)]))
        #expect(try NetworkFile.parse(network(), file: "net.json").populations[0].constraints.isEmpty)
        let offMesh = JSONNode(value: try JSONParser.parse(text.replacingOccurrences(of: "[0, 1]]", with: "[0, 2]]"), file: "net.json"), file: "net.json")
        #expect(throws: ConfigError.invalid(file: "net.json", path: "$.populations[0].constraints.tiles[1]", rule: "tile (0, 2) is off the 2 × 2 mesh of chip `tiny` (x 0…1, y 0…1)")) {
            try NetworkFile.read(offMesh, seed: nil, chip: ChipPresets.resolve("tiny"))
        }
        // Given the chip, a negative coordinate is judged against the mesh too.
        let negative = JSONNode(value: try JSONParser.parse(text.replacingOccurrences(of: "[[1, 0]", with: "[[1, -4]"), file: "net.json"), file: "net.json")
        #expect(throws: ConfigError.invalid(file: "net.json", path: "$.populations[0].constraints.tiles[0]", rule: "tile (1, -4) is off the 2 × 2 mesh of chip `tiny` (x 0…1, y 0…1)")) {
            try NetworkFile.read(negative, seed: nil, chip: ChipPresets.resolve("tiny"))
        }
        #expect(try NetworkFile.read(offMesh, seed: nil).populations[0].constraints.tiles.last == TileCoordinate(x: 0, y: 2))
    }

    /// Given the chip, a projection's weight bits or delays beyond it are refused at their JSON
    /// path: the projection's `delay`, the first longest of a sparse list, `num_weight_bits`, or
    /// the projection when the bits are the default.
    @Test func projectionsBeyondTheChipAreRefusedAtTheirPath() throws {
        var narrow = try ChipPresets.resolve("tiny")
        narrow.coreLimits.weightBits = 4
        func readError(_ body: String, chip: ChipDescription) -> ConfigError? {
            let text = projection(body)
            do {
                _ = try NetworkFile.read(JSONNode(value: try JSONParser.parse(text, file: "net.json"), file: "net.json"), seed: nil, chip: chip)
                return nil
            } catch {
                return error
            }
        }
        let tiny = try ChipPresets.resolve("tiny")
        #expect(readError(#""delay": 16, "all_to_all": { "weight": 1 }"#, chip: tiny)
            == .invalid(file: "net.json", path: "$.projections[0].delay", rule: "projection `p` has delay 16 steps; chip `tiny` allows at most 15"))
        #expect(readError(#""delay": 2, "sparse": { "source": [0, 1, 0, 1], "target": [0, 0, 1, 1], "weight": [1, 1, 1, 1], "delay": [3, 20, 40, 40] }"#, chip: tiny)
            == .invalid(file: "net.json", path: "$.projections[0].sparse.delay[2]", rule: "projection `p` has delay 40 steps; chip `tiny` allows at most 15"))
        // A sparse list's delays override the projection's: the list's longest is named.
        #expect(readError(#""delay": 20, "sparse": { "source": [0, 1], "target": [0, 1], "weight": [1, 1], "delay": [3, 20] }"#, chip: tiny)
            == .invalid(file: "net.json", path: "$.projections[0].sparse.delay[1]", rule: "projection `p` has delay 20 steps; chip `tiny` allows at most 15"))
        #expect(readError(#""num_weight_bits": 6, "all_to_all": { "weight": 4 }"#, chip: narrow)
            == .invalid(file: "net.json", path: "$.projections[0].num_weight_bits", rule: "projection `p` uses 6 weight bits; chip `tiny` stores at most 4"))
        #expect(readError(#""all_to_all": { "weight": 4 }"#, chip: narrow)
            == .invalid(file: "net.json", path: "$.projections[0]", rule: "projection `p` uses 8 weight bits; chip `tiny` stores at most 4"))
        // Within the chip's limits the network reads as without it.
        let fits = projection(#""delay": 15, "num_weight_bits": 4, "all_to_all": { "weight": 4 }"#)
        let root = JSONNode(value: try JSONParser.parse(fits, file: "net.json"), file: "net.json")
        #expect(try NetworkFile.read(root, seed: nil, chip: narrow) == NetworkFile.read(root, seed: nil))
    }

    /// Given the chip, what the projections' sizes alone show cannot fit is refused before any
    /// synapse is expanded: more distinct sources per neuron than a core's input axons (sources
    /// of one input counted once, of different inputs added), or more synapses than all the
    /// synapse memory holds at the fewest bits a synapse takes (on tiny 1 weight bit and a 6-bit
    /// neuron index: 7 bits; 8 cores of 65,536 bits).
    @Test func projectionsBeyondTheChipsAxonsOrMemoryAreRefusedBeforeExpanding() throws {
        let inputs = #"[{ "name": "i1", "size": 300, "poisson": { "probability": 0.1 } }, { "name": "i2", "size": 200, "poisson": { "probability": 0.1 } }]"#
        let populations = #"[{ "name": "A", "size": 100, "neuron": { "model": "loihi_lif", "vth": 10 } }, { "name": "B", "size": 400, "neuron": { "model": "loihi_lif", "vth": 10 } }]"#
        let tiny = try ChipPresets.resolve("tiny")
        func read(_ projections: [String]) throws -> NetworkDescription {
            let body = projections.enumerated().map { #"{ "name": "p\#($0.offset + 1)", \#($0.element) }"# }.joined(separator: ", ")
            let text = network(inputs: inputs, populations: populations, projections: "[\(body)]")
            return try NetworkFile.read(JSONNode(value: try JSONParser.parse(text, file: "net.json"), file: "net.json"), seed: nil, chip: tiny)
        }
        #expect(throws: ConfigError.invalid(file: "net.json", path: "$.projections[0]",
            rule: "each neuron of population `A` needs at least 300 input axons, one per source neuron (projection `p1`); a core of chip `tiny` has 256")) {
            try read([#""source": "i1", "target": "A", "all_to_all": { "weight": 1 }"#])
        }
        #expect(throws: ConfigError.invalid(file: "net.json", path: "$.projections[1]",
            rule: "each neuron of population `A` needs at least 350 input axons, one per source neuron (projections `p1`, `p2`); a core of chip `tiny` has 256")) {
            try read([#""source": "i1", "target": "A", "fixed_in": { "k": 150, "weight": 1 }"#, #""source": "i2", "target": "A", "all_to_all": { "weight": 1 }"#])
        }
        #expect(throws: ConfigError.invalid(file: "net.json", path: "$.projections[0]",
            rule: "the projections up to this one make at least 80,000 synapses of at least 7 bits, 560,000 bits; chip `tiny` holds 524,288 bits of synapse memory (8 cores of 65,536), so the network cannot fit")) {
            try read([#""source": "i2", "target": "B", "fixed_in": { "k": 200, "weight": 1 }"#])
        }
        // A projection its reader refuses is reported as such, whatever the chip; so is a k out
        // of range (a self-projection draws from the other neurons only). A k written 300.0 counts.
        #expect(throws: ConfigError.invalid(file: "net.json", path: "$.projections[0].all_to_all", rule: "must be an object, got boolean true")) {
            try read([#""source": "i1", "target": "A", "all_to_all": true"#])
        }
        #expect(throws: ConfigError.invalid(file: "net.json", path: "$.projections[0].fixed_in.k", rule: "must be an integer in 0…99, got 100")) {
            try read([#""source": "A", "target": "A", "fixed_in": { "k": 100, "weight": 1 }"#])
        }
        #expect(throws: ConfigError.invalid(file: "net.json", path: "$.projections[0]",
            rule: "each neuron of population `A` needs at least 300 input axons, one per source neuron (projection `p1`); a core of chip `tiny` has 256")) {
            try read([#""source": "i1", "target": "A", "fixed_in": { "k": 300.0, "weight": 1 }"#])
        }
        // An earlier projection's mistake comes first, as it would without the chip.
        #expect(throws: ConfigError.invalid(file: "net.json", path: "$.projections[0].bogus", rule: #"unknown key "bogus"; allowed keys: "name", "source", "target", "weight_exp", "num_weight_bits", "delay", "sign_mode", "stdp", "weights", "sparse", "one_to_one", "all_to_all", "random", "fixed_in", "conv2d""#)) {
            try read([#""source": "i2", "target": "A", "bogus": 1, "all_to_all": { "weight": 1 }"#, #""source": "i1", "target": "A", "all_to_all": { "weight": 1 }"#])
        }
        // Two projections from one input share its axons: 200 each neuron, not 300.
        let shared = try read([#""source": "i2", "target": "A", "all_to_all": { "weight": 1 }"#, #""source": "i2", "target": "A", "fixed_in": { "k": 100, "weight": 2 }"#])
        #expect(shared.projections.map(\.synapses.count) == [20_000, 10_000])
    }

    @Test func invalidJSONIsASyntaxErrorNamingTheFile() {
        guard case .syntax(let file, let line, _, _)? = parseError("{\n  \"format\": \"neuroemu-network/1\",\n  \"name\": }") else {
            Issue.record("expected a syntax error")
            return
        }
        #expect(file == "net.json")
        #expect(line == 3)
    }

    @Test func missingFileIsUnreadable() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-missing-\(UUID().uuidString).json").path
        #expect(throws: ConfigError.unreadable(file: path, reason: "no such file")) {
            try NetworkFile.load(path: path)
        }
    }

    @Test func loadReadsAFileAndNamesItInErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("neuroemu-networkfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.network.json").path
        let broken = directory.appendingPathComponent("bad.network.json").path
        try network().write(toFile: good, atomically: false, encoding: .utf8)
        try population(#""vth": -1"#).write(toFile: broken, atomically: false, encoding: .utf8)

        #expect(try NetworkFile.load(path: good) == NetworkFile.parse(network(), file: "other name"))
        #expect(throws: ConfigError.invalid(file: broken, path: "$.populations[0].neuron.vth", rule: "must be an integer in 0…131071, got -1")) {
            try NetworkFile.load(path: broken)
        }
    }

    // MARK: Valid files

    @Test func minimalNetworkUsesDefaults() throws {
        let text = """
            { "format": "neuroemu-network/1", "name": "bare", "steps": 5,
              "populations": [{ "name": "A", "size": 2, "neuron": { "model": "loihi_lif", "vth": 7 } }] }
            """
        let network = try NetworkFile.parse(text, file: "net.json")
        #expect(network.name == "bare")
        #expect(network.steps == 5)
        #expect(network.seed == 1)
        #expect(network.inputs.isEmpty)
        #expect(network.projections.isEmpty)
        #expect(network.probes.isEmpty)
        let population = network.populations[0]
        #expect(population.neurons == Array(repeating: LoihiNeuron.Parameters(du: 0, dv: 0, vth: 7, biasMantissa: 0, biasExponent: 0), count: 2))
        #expect(population.initialU == [0, 0])
        #expect(population.initialV == [0, 0])
    }

    @Test func perNeuronArraysAndScalarsMix() throws {
        let network = try NetworkFile.parse(population(#""du": [1, 2, 3], "dv": 9, "vth": [10, 20, 30], "bias_mant": [-4096, 0, 4095], "bias_exp": [0, 7, 3], "u_init": [8388608, 0, -8388607], "v_init": [-8388607, 5, 8388607]"#, size: 3), file: "net.json")
        let population = network.populations[0]
        #expect(population.neurons == [
            LoihiNeuron.Parameters(du: 1, dv: 9, vth: 10, biasMantissa: -4096, biasExponent: 0),
            LoihiNeuron.Parameters(du: 2, dv: 9, vth: 20, biasMantissa: 0, biasExponent: 7),
            LoihiNeuron.Parameters(du: 3, dv: 9, vth: 30, biasMantissa: 4095, biasExponent: 3),
        ])
        #expect(population.initialU == [8_388_608, 0, -8_388_607])
        #expect(population.initialV == [-8_388_607, 5, 8_388_607])
    }

    @Test func neuroemuMechanismsAreRead() throws {
        let text = network(populations: #"""
            [{ "name": "A", "size": 2, "neuron": { "model": "neuroemu_lif", "vth": 5, "refractory": [1, 2], "reset": "subtract",
                 "threshold_step": 64, "threshold_decay": 100, "mean_voltage_gain": 10, "depolarization_gain": 20,
                 "spike": "graded", "graded_shift": 4 } },
             { "name": "B", "size": 1, "neuron": { "model": "neuroemu_lif", "vth": 5 } }]
            """#)
        let network = try NetworkFile.parse(text, file: "net.json")
        #expect(network.populations[0].model == "neuroemu_lif")
        #expect(network.populations[0].neurons[1] == LoihiNeuron.Parameters(
            vth: 5, refractoryPeriod: 2, resetMode: .subtract, thresholdStep: 64, thresholdDecay: 100,
            meanVoltageGain: 10, depolarizationGain: 20, spikeMode: .graded, gradedShift: 4))
        #expect(network.populations[0].neurons[0].refractoryPeriod == 1)
        #expect(network.populations[0].spikesCarryValues)
        // neuroemu_lif without mechanisms is exactly the Loihi neuron.
        #expect(network.populations[1].neurons == [LoihiNeuron.Parameters(vth: 5)])
        #expect(network.populations[1].neurons[0].isPlainLoihi)
        #expect(!network.populations[1].spikesCarryValues)
    }

    @Test func stdpRuleIsRead() throws {
        let network = try NetworkFile.parse(projection(#""all_to_all": { "weight_range": [10, 20] }, "stdp": { "pre_impulse": 64, "post_impulse": 32, "pre_decay": 820, "post_decay": 410, "a_plus": 16, "a_minus": 8, "w_min": 0, "w_max": 255, "epoch": 4 }"#), file: "net.json")
        #expect(network.projections[0].stdp == STDPRule(
            preImpulse: 64, postImpulse: 32, preDecay: 820, postDecay: 410, potentiation: 16, depression: 8,
            minimumWeight: 0, maximumWeight: 255, epoch: 4))
        let plain = try NetworkFile.parse(projection(#""all_to_all": { "weight": 1 }"#), file: "net.json")
        #expect(plain.projections[0].stdp == nil)
        // A mixed projection may learn weights of both signs.
        let mixed = try NetworkFile.parse(projection(#""sign_mode": "mixed", "all_to_all": { "weight": 3 }, "stdp": { "pre_impulse": 1, "post_impulse": 1, "pre_decay": 0, "post_decay": 0, "a_plus": 1, "a_minus": 1, "w_min": -256, "w_max": 255 }"#), file: "net.json")
        #expect(mixed.projections[0].stdp?.minimumWeight == -256)
        #expect(mixed.projections[0].stdp?.epoch == 1)
    }

    @Test func integralNumbersAreAcceptedAsIntegers() throws {
        let network = try NetworkFile.parse(population(#""vth": 12.0, "du": [1e2, 2]"#), file: "net.json")
        #expect(network.populations[0].neurons.map(\.vth) == [12, 12])
        #expect(network.populations[0].neurons.map(\.du) == [100, 2])
    }

    @Test func inputsKeepTheirSpikeTimesAndProbabilities() throws {
        let text = network(inputs: #"""
            [{ "name": "in", "size": 3, "spike_times": [[1, 5, 9], [], [10]] },
             { "name": "noise", "size": 2, "poisson": { "probability": 0.25 } },
             { "name": "graded", "size": 2, "poisson": { "probability": [0, 1] } }]
            """#)
        let network = try NetworkFile.parse(text, file: "net.json")
        #expect(network.inputs == [
            InputDescription(name: "in", size: 3, source: .spikeTimes([[1, 5, 9], [], [10]])),
            InputDescription(name: "noise", size: 2, source: .poisson(probability: [0.25, 0.25])),
            InputDescription(name: "graded", size: 2, source: .poisson(probability: [0, 1])),
        ])
        #expect(network.inputNeuronCount == 7)
    }

    @Test func projectionResolvesSourceAndTargetAndDefaults() throws {
        let text = network(
            populations: #"[{ "name": "A", "size": 2, "neuron": { "model": "loihi_lif", "vth": 1 } }, { "name": "B", "size": 2, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#,
            projections: #"""
                [{ "name": "in_B", "source": "in", "target": "B", "weights": [[1, 0, 2], [0, 3, 0]] },
                 { "name": "A_B", "source": "A", "target": "B", "one_to_one": { "weight": -4 }, "weight_exp": -2, "num_weight_bits": 6, "delay": 3 }]
                """#)
        let network = try NetworkFile.parse(text, file: "net.json")
        let inB = network.projections[0]
        #expect(inB.name == "in_B")
        #expect(inB.source == 0 && inB.sourceIsInput && inB.target == 1)
        #expect(inB.weightExponent == 0 && inB.numWeightBits == 8 && inB.maximumDelay == 1)
        #expect(inB.synapses == [
            SynapseDescription(source: 0, target: 0, weight: 1, delay: 1),
            SynapseDescription(source: 2, target: 0, weight: 2, delay: 1),
            SynapseDescription(source: 1, target: 1, weight: 3, delay: 1),
        ])
        let aB = network.projections[1]
        #expect(aB.source == 0 && !aB.sourceIsInput && aB.target == 1)
        #expect(aB.weightExponent == -2 && aB.numWeightBits == 6 && aB.maximumDelay == 3)
        #expect(aB.synapses == [
            SynapseDescription(source: 0, target: 0, weight: -4, delay: 3),
            SynapseDescription(source: 1, target: 1, weight: -4, delay: 3),
        ])
        #expect(network.synapseCount == 5)
        #expect(network.neuronCount == 4)
    }

    @Test(arguments: [
        (#""weights": [[1, 0, 2], [0, 3, 0]]"#, SignMode.excitatory),
        (#""weights": [[-1, 0, -2], [0, -3, 0]]"#, .inhibitory),
        (#""weights": [[-1, 0, 2], [0, 3, 0]]"#, .mixed),
        (#""weights": [[0, 0, 0], [0, 0, 0]]"#, .excitatory),
        (#""all_to_all": { "weight": -7 }"#, .inhibitory),
        (#""all_to_all": { "weight_range": [-2, 2] }"#, .mixed),
        (#""all_to_all": { "weight": 0 }"#, .excitatory),
        (#""sign_mode": "mixed", "weights": [[1, 0, 2], [0, 3, 0]]"#, .mixed),
        (#""sign_mode": "inhibitory", "weights": [[0, 0, 0], [0, 0, 0]]"#, .inhibitory),
        (#""sign_mode": "excitatory", "all_to_all": { "weight": 0 }"#, .excitatory),
    ])
    func signModeIsInferredOrTaken(body: String, mode: SignMode) throws {
        let network = try NetworkFile.parse(projection(body), file: "net.json")
        #expect(network.projections[0].signMode == mode)
    }

    @Test func sparseSynapsesKeepFileOrderAndOwnDelays() throws {
        let network = try NetworkFile.parse(projection(#""delay": 4, "sparse": { "source": [2, 0, 2], "target": [1, 1, 0], "weight": [5, -6, 7], "delay": [1, 62, 3] }"#), file: "net.json")
        #expect(network.projections[0].synapses == [
            SynapseDescription(source: 2, target: 1, weight: 5, delay: 1),
            SynapseDescription(source: 0, target: 1, weight: -6, delay: 62),
            SynapseDescription(source: 2, target: 0, weight: 7, delay: 3),
        ])
        #expect(network.projections[0].maximumDelay == 62)
    }

    @Test func probesResolveTheirPopulationAndDefaultToAllNeurons() throws {
        let text = network(
            populations: #"[{ "name": "A", "size": 2, "neuron": { "model": "loihi_lif", "vth": 1 } }, { "name": "B", "size": 4, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#,
            probes: #"[{ "target": "B", "record": ["spikes"] }, { "target": "B", "record": ["v", "u"], "indices": [1, 3] }]"#)
        let network = try NetworkFile.parse(text, file: "net.json")
        #expect(network.probes == [
            ProbeDescription(population: 1, variables: [.spikes], indices: [0, 1, 2, 3]),
            ProbeDescription(population: 1, variables: [.u, .v], indices: [1, 3]),
        ])
        #expect(!network.probes[0].recordsState)
        #expect(network.probes[1].recordsState)
    }

    @Test func seedOverrideReplacesTheFileSeedAndChangesRandomConnectivity() throws {
        let text = network(
            populations: #"[{ "name": "A", "size": 40, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#,
            projections: #"[{ "name": "r", "source": "A", "target": "A", "random": { "p": 0.3, "weight_range": [1, 9] } }]"#)
        let fromFile = try NetworkFile.parse(text, file: "net.json")
        let again = try NetworkFile.parse(text, file: "net.json")
        let overridden = try NetworkFile.parse(text, file: "net.json", seed: 99)
        let sameAsFile = try NetworkFile.parse(text, file: "net.json", seed: 1)
        #expect(fromFile.seed == 1)
        #expect(overridden.seed == 99)
        #expect(fromFile == again)
        #expect(sameAsFile == fromFile)
        #expect(overridden.projections[0].synapses != fromFile.projections[0].synapses)
        #expect(!overridden.projections[0].synapses.isEmpty)
    }

    @Test func aRandomRuleWithItsOwnSeedIgnoresTheNetworkSeed() throws {
        let text = network(
            populations: #"[{ "name": "A", "size": 30, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#,
            projections: #"[{ "name": "r", "source": "A", "target": "A", "random": { "p": 0.3, "seed": 5, "weight": 2 } }]"#)
        let one = try NetworkFile.parse(text, file: "net.json", seed: 1)
        let two = try NetworkFile.parse(text, file: "net.json", seed: 2)
        #expect(one.projections[0].synapses == two.projections[0].synapses)
        #expect(one.seed == 1 && two.seed == 2)
    }

    @Test func eachProjectionDrawsFromItsOwnStream() throws {
        // Two identical random rules in one file must not produce the same synapses: each
        // projection gets a stream seed derived from the network seed and its position.
        let text = network(
            populations: #"[{ "name": "A", "size": 30, "neuron": { "model": "loihi_lif", "vth": 1 } }]"#,
            projections: #"""
                [{ "name": "r1", "source": "A", "target": "A", "random": { "p": 0.3, "weight": 2 } },
                 { "name": "r2", "source": "A", "target": "A", "random": { "p": 0.3, "weight": 2 } }]
                """#)
        let network = try NetworkFile.parse(text, file: "net.json")
        #expect(network.projections[0].synapses != network.projections[1].synapses)
    }

    @Test func namesMayUseTheWholeSafeAlphabet() throws {
        let name = "Layer_2-out.v" + String(repeating: "x", count: 51)
        #expect(name.count == 64)
        let network = try NetworkFile.parse(network(populations: "[{ \"name\": \"\(name)\", \"size\": 1, \"neuron\": { \"model\": \"loihi_lif\", \"vth\": 1 } }]"), file: "net.json")
        #expect(network.populations[0].name == name)
    }

    @Test func suggestionOnlyForNearNames() {
        #expect(NetworkFile.suggestion("hiden", ["hidden", "out"]) == #"; did you mean "hidden"?"#)
        #expect(NetworkFile.suggestion("zzzz", ["hidden", "out"]) == "")
        #expect(NetworkFile.suggestion("x", []) == "")
    }
}
