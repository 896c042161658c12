// Generated from configs/chips/*.json; a test checks the two stay identical.
// Chip presets compiled into the binary, so `--chip loihi` works from any directory.
enum ChipPresetText {
    static let loihi = #"""
{
  "format": "neuroemu-chip/1",
  "name": "loihi",
  "description": "Intel Loihi (2018): 128 cores on a mesh of 32 tiles, per-event energies and latencies of Davies et al., IEEE Micro 38(1), 2018, Table 2 (pre-silicon simulation at nominal voltage).",
  "clock_hz": 10000000000,
  "mesh": { "width": 8, "height": 4, "cores_per_tile": 4, "host_port": { "x": 0, "y": 0 } },
  "core": {
    "neurons": 1024,
    "input_axons": 4096,
    "output_axons": 4096,
    "synapse_memory_bits": 1048576,
    "weight_bits": 8,
    "delay_slots": 63
  },
  "router": { "fidelity": "ideal", "routing": "xy", "flits_per_packet": 1 },
  "costs": {
    "synaptic_op":            { "cycles": 35, "energy_pj": 23.6 },
    "neuron_update_active":   { "cycles": 84, "energy_pj": 81 },
    "neuron_update_inactive": { "cycles": 53, "energy_pj": 52 },
    "spike_out":              { "cycles": 0,  "energy_pj": 0 },
    "packet":                 { "cycles": 21, "energy_pj": 1.7 },
    "flit_hop_east_west":     { "cycles": 41, "energy_pj": 3.0 },
    "flit_hop_north_south":   { "cycles": 65, "energy_pj": 4.0 },
    "stdp_update":            { "cycles": 61, "energy_pj": 120 }
  },
  "barrier": { "cycles": 1130, "energy_pj": 0, "reference_tiles": 32, "reference_cycles": 4650 },
  "static_power_mw": 0,
  "provenance": {
    "clock_hz": "Reference clock of 0.1 ns chosen so every latency of Davies et al. 2018 Table 2 is a whole number of cycles; Loihi itself is asynchronous.",
    "mesh.width": "8 x 4 tiles as in SANA-FE's Loihi description (arch/loihi.yaml); Davies et al. 2018: 128 cores, 4 per tile.",
    "mesh.height": "8 x 4 tiles as in SANA-FE's Loihi description (arch/loihi.yaml).",
    "mesh.cores_per_tile": "Davies et al. 2018: four neuromorphic cores share each router.",
    "mesh.host_port": "Assumed: the host interface enters at the south-west corner router.",
    "core.neurons": "Davies et al. 2018: up to 1,024 compartments per core.",
    "core.input_axons": "Davies et al. 2018: 4,096 input axons per core (DESIGN.md section 6).",
    "core.output_axons": "Davies et al. 2018: 4,096 output axons per core (DESIGN.md section 6).",
    "core.synapse_memory_bits": "Davies et al. 2018: 128 KB of synaptic memory per core.",
    "core.weight_bits": "Lava Dense bit-accurate model: weights of at most 8 bits plus sign.",
    "core.delay_slots": "Loihi axonal/synaptic delays of up to 62 timesteps, plus the current slot.",
    "router.flits_per_packet": "Assumed: one spike message is one flit.",
    "costs.synaptic_op": "Davies et al. 2018 Table 2: synaptic spike operation 23.6 pJ, 3.5 ns (simulated, per synapse).",
    "costs.neuron_update_active": "Davies et al. 2018 Table 2: neuron update (active) 81 pJ, 8.4 ns (simulated).",
    "costs.neuron_update_inactive": "Davies et al. 2018 Table 2: neuron update (inactive) 52 pJ, 5.3 ns (simulated).",
    "costs.spike_out": "Not listed separately in Table 2; spike generation is counted inside the neuron update.",
    "costs.packet": "Davies et al. 2018 Table 2: within-tile spike energy 1.7 pJ, latency 2.1 ns, charged to every packet for core-router entry and exit.",
    "costs.flit_hop_east_west": "Davies et al. 2018 Table 2: east-west spike hop 3.0 pJ, 4.1 ns.",
    "costs.flit_hop_north_south": "Davies et al. 2018 Table 2: north-south spike hop 4.0 pJ, 6.5 ns.",
    "costs.stdp_update": "Davies et al. 2018 Table 2: synaptic update (STDP) 120 pJ, 6.1 ns (simulated, per synapse).",
    "barrier": "Davies et al. 2018 Table 2: mesh-wide barrier 113 ns for 1 tile to 465 ns for 32 tiles (interpolated linearly); no barrier energy is published, so 0.",
    "static_power_mw": "Table 2 lists dynamic per-event energies only; static power is 0 so reported energy is event energy."
  }
}

"""#

    static let tiny = #"""
{
  "format": "neuroemu-chip/1",
  "name": "tiny",
  "description": "A small 2 x 2 mesh with 8 small cores and round illustrative prices, for tests and examples; not a real chip.",
  "clock_hz": 100000000,
  "mesh": { "width": 2, "height": 2, "cores_per_tile": 2, "host_port": { "x": 0, "y": 0 } },
  "core": {
    "neurons": 64,
    "input_axons": 256,
    "output_axons": 256,
    "synapse_memory_bits": 65536,
    "weight_bits": 8,
    "delay_slots": 16
  },
  "router": { "fidelity": "ideal", "routing": "xy", "flits_per_packet": 2 },
  "costs": {
    "synaptic_op":            { "cycles": 1, "energy_pj": 10 },
    "neuron_update_active":   { "cycles": 2, "energy_pj": 20 },
    "neuron_update_inactive": { "cycles": 1, "energy_pj": 5 },
    "spike_out":              { "cycles": 1, "energy_pj": 2 },
    "packet":                 { "cycles": 2, "energy_pj": 5 },
    "flit_hop_east_west":     { "cycles": 2, "energy_pj": 3 },
    "flit_hop_north_south":   { "cycles": 3, "energy_pj": 4 },
    "stdp_update":            { "cycles": 2, "energy_pj": 30 }
  },
  "barrier": { "cycles": 10, "energy_pj": 50, "reference_tiles": 4, "reference_cycles": 16 },
  "static_power_mw": 1,
  "provenance": {
    "clock_hz": "Illustrative: 100 MHz, so one cycle is 10 ns.",
    "mesh.width": "Illustrative.",
    "mesh.height": "Illustrative.",
    "mesh.cores_per_tile": "Illustrative.",
    "mesh.host_port": "Illustrative: south-west corner.",
    "core.neurons": "Illustrative: small, so tests exercise splitting.",
    "core.input_axons": "Illustrative.",
    "core.output_axons": "Illustrative.",
    "core.synapse_memory_bits": "Illustrative: 8 KB.",
    "core.weight_bits": "Illustrative.",
    "core.delay_slots": "Illustrative: delays up to 15 steps.",
    "router.flits_per_packet": "Illustrative: two flits, so serialization shows in latency.",
    "costs.synaptic_op": "Illustrative round number.",
    "costs.neuron_update_active": "Illustrative round number.",
    "costs.neuron_update_inactive": "Illustrative round number.",
    "costs.spike_out": "Illustrative round number.",
    "costs.packet": "Illustrative round number.",
    "costs.flit_hop_east_west": "Illustrative round number.",
    "costs.flit_hop_north_south": "Illustrative round number.",
    "costs.stdp_update": "Illustrative round number.",
    "barrier": "Illustrative: 10 cycles for one tile, 16 for all four.",
    "static_power_mw": "Illustrative: 1 mW, i.e. 10 pJ per 10 ns cycle, so static energy shows in tests."
  }
}

"""#

}
