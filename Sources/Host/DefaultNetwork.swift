/// The network the main job runs when no file is given, compiled into the binary so
/// `swift run -c release neuroemu` works from any directory. Identical to
/// `configs/networks/default.network.json` (a test checks).
public enum DefaultNetwork {
    /// The name the embedded network reports in errors.
    public static let fileName = "default.network.json (embedded)"

    /// The embedded default network (`configs/networks/default.network.json`), its seed replaced by
    /// `seed` when given.
    public static func load(seed: UInt64? = nil) throws(ConfigError) -> NetworkDescription {
        try NetworkFile.parse(text, file: fileName, seed: seed)
    }

    /// The JSON text of the embedded network.
    public static let text = #"""
{
  "format": "neuroemu-network/1",
  "name": "balanced-ei-4k",
  "description": "Balanced excitatory/inhibitory random network (Brunel-style): 3200 excitatory and 800 inhibitory CUBA-LIF neurons, connection probability 0.02 within the network, driven by 400 Poisson inputs at 0.02 spikes per step; it fires asynchronously at about 0.011 spikes per neuron per step (11 Hz at 1 ms per step). One step stands for 1 ms: du 819 and dv 205 give synaptic and membrane time constants of about 5 ms and 20 ms.",
  "steps": 1000,
  "seed": 7,
  "inputs": [
    { "name": "drive", "size": 400, "poisson": { "probability": 0.02 } }
  ],
  "populations": [
    { "name": "exc", "size": 3200,
      "neuron": { "model": "loihi_lif", "du": 819, "dv": 205, "vth": 1000 } },
    { "name": "inh", "size": 800,
      "neuron": { "model": "loihi_lif", "du": 819, "dv": 205, "vth": 1000 } }
  ],
  "projections": [
    { "name": "drive_exc", "source": "drive", "target": "exc", "random": { "p": 0.1, "weight": 11 } },
    { "name": "drive_inh", "source": "drive", "target": "inh", "random": { "p": 0.1, "weight": 11 } },
    { "name": "exc_exc", "source": "exc", "target": "exc", "random": { "p": 0.02, "weight": 10 } },
    { "name": "exc_inh", "source": "exc", "target": "inh", "random": { "p": 0.02, "weight": 10 } },
    { "name": "inh_exc", "source": "inh", "target": "exc", "random": { "p": 0.02, "weight": -50 } },
    { "name": "inh_inh", "source": "inh", "target": "inh", "random": { "p": 0.02, "weight": -50 } }
  ],
  "probes": [
    { "target": "exc", "record": ["spikes", "u", "v"], "indices": [0, 1, 2] }
  ]
}

"""#
}
