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
  "router": { "fidelity": "ideal", "routing": "xy", "flits_per_packet": 1, "buffer_flits": 129, "pipeline_cycles": 1 },
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
    "router.buffer_flits": "Assumed (not published): the smallest buffer that lets the slowest link stream one flit per cycle with credit flow control: hop + link + flits - 1 = 129 flits; used by the flit-level router model only.",
    "router.pipeline_cycles": "Assumed (not published): one cycle of each hop's latency is spent in the router pipeline, the rest on the link; used by the flit-level router model only.",
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

    static let truenorth = #"""
{
  "format": "neuroemu-chip/1",
  "name": "truenorth",
  "description": "IBM TrueNorth (2014): 4,096 neurosynaptic cores of 256 neurons x 256 axons on a 64 x 64 mesh, one core per router, advancing on a 1 kHz tick; 26 pJ per synaptic event all-in and about 2.3 pJ per spike hop (Merolla et al., Science 345(6197), 2014). Latencies other than the tick are assumed.",
  "clock_hz": 1000000000,
  "mesh": { "width": 64, "height": 64, "cores_per_tile": 1, "host_port": { "x": 0, "y": 0 } },
  "core": {
    "neurons": 256,
    "input_axons": 256,
    "output_axons": 256,
    "synapse_memory_bits": 1392640,
    "weight_bits": 8,
    "delay_slots": 16
  },
  "router": { "fidelity": "ideal", "routing": "xy", "flits_per_packet": 1, "buffer_flits": 2, "pipeline_cycles": 0 },
  "costs": {
    "synaptic_op":            { "cycles": 0, "energy_pj": 26 },
    "neuron_update_active":   { "cycles": 0, "energy_pj": 0 },
    "neuron_update_inactive": { "cycles": 0, "energy_pj": 0 },
    "spike_out":              { "cycles": 0, "energy_pj": 0 },
    "packet":                 { "cycles": 0, "energy_pj": 0 },
    "flit_hop_east_west":     { "cycles": 1, "energy_pj": 2.3 },
    "flit_hop_north_south":   { "cycles": 1, "energy_pj": 2.3 },
    "stdp_update":            { "cycles": 0, "energy_pj": 0 }
  },
  "barrier": { "cycles": 1000000, "energy_pj": 0 },
  "static_power_mw": 0,
  "provenance": {
    "clock_hz": "Assumed reference clock of 1 ns: TrueNorth's cores and mesh are asynchronous and the only published latency is the global 1 kHz tick (Merolla et al. 2014), which is a whole 1,000,000 cycles at this clock; a fine clock keeps the assumed per-hop latency small against the tick.",
    "mesh.width": "Merolla et al. 2014: 4,096 cores tiled as a 64 x 64 two-dimensional mesh.",
    "mesh.height": "Merolla et al. 2014: 4,096 cores tiled as a 64 x 64 two-dimensional mesh.",
    "mesh.cores_per_tile": "Merolla et al. 2014: every core has its own router, so one core per tile.",
    "mesh.host_port": "Assumed: host spikes enter at the south-west corner router (on the chip, off-chip spikes enter through ports on the mesh edges).",
    "core.neurons": "Merolla et al. 2014: 256 neurons per core.",
    "core.input_axons": "Merolla et al. 2014: 256 axons per core, the rows of the 256 x 256 synaptic crossbar.",
    "core.output_axons": "Merolla et al. 2014: each neuron targets exactly one axon on one core, so a core of 256 neurons has 256 output targets; larger fan-out needs splitter neurons, which NeuroEmu does not insert.",
    "core.synapse_memory_bits": "Merolla et al. 2014: a 256 x 256 binary crossbar, so any connectivity within 256 axons x 256 neurons fits. Set to what NeuroEmu's synapse-memory cost model needs for a full crossbar with mixed-sign 8-bit weights and delays (256 rows of 5,440 bits) so that it never binds before the axon and neuron limits; it is not the chip's SRAM size.",
    "core.weight_bits": "Assumed: TrueNorth stores 1 bit per crossbar synapse and gives each neuron four signed 9-bit weights selected by axon type (Merolla et al. 2014); NeuroEmu stores a weight per synapse, so this preset allows 8-bit weights and does not enforce the four-weights-per-neuron rule.",
    "core.delay_slots": "Merolla et al. 2014: a spike is delivered after a delay of 1 to 15 ticks held in the core's axon buffer, so 16 slots.",
    "router.buffer_flits": "Assumed (not published): the smallest buffer that lets the slowest link stream one flit per cycle with credit flow control: hop + link + flits - 1 = 2 flits; used by the flit-level router model only.",
    "router.pipeline_cycles": "Assumed (not published): one cycle of each hop's latency is spent in the router pipeline, the rest on the link; used by the flit-level router model only.",
    "router.flits_per_packet": "Assumed: one spike packet (destination offset, axon, delivery tick) is one flit.",
    "costs.synaptic_op": "Merolla et al. 2014: 26 pJ per synaptic event, measured on the chip running a typical network in real time; all-in: the chip's total energy (neuron updates, spike routing, leakage) divided by its synaptic events. Latency 0 cycles (assumed): the crossbar is read within the tick.",
    "costs.neuron_update_active": "Included in the all-in 26 pJ per synaptic event (Merolla et al. 2014), so 0 here to avoid counting it twice. Latency 0 (assumed): updates complete within the tick.",
    "costs.neuron_update_inactive": "Included in the all-in 26 pJ per synaptic event (Merolla et al. 2014), so 0. Latency 0 (assumed).",
    "costs.spike_out": "Included in the all-in 26 pJ per synaptic event (Merolla et al. 2014), so 0. Latency 0 (assumed).",
    "costs.packet": "No separate per-packet energy is published; routing is inside the all-in 26 pJ per synaptic event and the per-hop figure, so 0. Latency 0 (assumed).",
    "costs.flit_hop_east_west": "Merolla et al. 2014: about 2.3 pJ to move a spike one hop on the mesh. Charged per hop so that placement shows in the energy; the all-in 26 pJ already averages the routing of the paper's benchmark network, so hop-heavy mappings are counted somewhat pessimistically. Latency 1 cycle = 1 ns (assumed; no per-hop latency is published).",
    "costs.flit_hop_north_south": "Merolla et al. 2014: about 2.3 pJ per spike hop, the same in both dimensions. Latency 1 cycle = 1 ns (assumed).",
    "costs.stdp_update": "TrueNorth has no on-chip learning (Merolla et al. 2014): 0. A plastic network runs on this preset, but TrueNorth itself could not run it.",
    "barrier": "Merolla et al. 2014: all cores advance together on a global 1 kHz tick, i.e. 1 ms per timestep in real-time operation: 1,000,000 cycles for any number of tiles. Work within a step is added on top (a few assumed cycles), so a step lasts slightly over 1 ms. Energy 0 (inside the all-in figure).",
    "static_power_mw": "The 26 pJ per synaptic event is all-in (leakage included), so 0 here to avoid counting leakage twice; a network with few synaptic events therefore shows less energy than the chip's measured idle power would give."
  }
}

"""#

    static let spinnaker2 = #"""
{
  "format": "neuroemu-chip/1",
  "name": "spinnaker2",
  "description": "SpiNNaker2: per-event energies measured on the 28 nm prototype of Hoppner et al., IEEE TCAS-I 66(8), 2019 (450 pJ per synaptic event, 2.19 nJ per neuron update), on an assumed full chip of 144 ARM Cortex-M4F processing elements (PEs) in 36 quad-PE tiles (6 x 6 mesh). Latencies and core limits are assumed; see each provenance entry.",
  "clock_hz": 500000000,
  "mesh": { "width": 6, "height": 6, "cores_per_tile": 4, "host_port": { "x": 0, "y": 0 } },
  "core": {
    "neurons": 256,
    "input_axons": 4096,
    "output_axons": 1048576,
    "synapse_memory_bits": 524288,
    "weight_bits": 8,
    "delay_slots": 16
  },
  "router": { "fidelity": "ideal", "routing": "xy", "flits_per_packet": 1, "buffer_flits": 3, "pipeline_cycles": 1 },
  "costs": {
    "synaptic_op":            { "cycles": 20,  "energy_pj": 450 },
    "neuron_update_active":   { "cycles": 100, "energy_pj": 2190 },
    "neuron_update_inactive": { "cycles": 100, "energy_pj": 2190 },
    "spike_out":              { "cycles": 0,   "energy_pj": 0 },
    "packet":                 { "cycles": 10,  "energy_pj": 0 },
    "flit_hop_east_west":     { "cycles": 2,   "energy_pj": 0 },
    "flit_hop_north_south":   { "cycles": 2,   "energy_pj": 0 },
    "stdp_update":            { "cycles": 40,  "energy_pj": 450 }
  },
  "barrier": { "cycles": 0, "energy_pj": 0 },
  "static_power_mw": 0,
  "provenance": {
    "clock_hz": "Hoppner et al. 2019: the prototype's PEs scale from 125 MHz at 0.7 V to 500 MHz at 1.0 V in three performance levels; this preset counts latencies at the top level, 500 MHz (energies do not depend on the clock in this model).",
    "mesh.width": "Assumed: 6 x 6 quad-PE tiles = 144 PEs, the SpiNNaker2 chip size planned by Mayr, Hoppner and Furber 2019 (arXiv:1911.02385); the production chip's 152 PEs in 38 QPEs do not form a rectangle. The prototype of Hoppner et al. 2019 itself has only 4 PEs.",
    "mesh.height": "Assumed: 6 x 6 quad-PE tiles (see mesh.width).",
    "mesh.cores_per_tile": "SpiNNaker2 groups four PEs into a quad-PE (QPE) that shares one network-on-chip router.",
    "mesh.host_port": "Assumed: host spikes enter at the south-west corner router.",
    "core.neurons": "Assumed: 256 neurons per PE, the usual per-core limit of the SpiNNaker software for LIF neurons; the real limit is PE time and SRAM, not hardware.",
    "core.input_axons": "Assumed: SpiNNaker has no hardware axon limit (a PE looks up incoming spike keys in a table in its SRAM); 4,096 bounds that table.",
    "core.output_axons": "SpiNNaker routes by multicast keys: a PE sends one packet per spike whatever its fan-out, so there is no per-PE output limit; set to the chip file's maximum. NeuroEmu still routes one unicast packet per destination core.",
    "core.synapse_memory_bits": "Assumed: 64 KB of the PE's 128 KB local SRAM for synaptic rows; the rest holds code, neuron state and buffers.",
    "core.weight_bits": "NeuroEmu's maximum of 8 bits; the SpiNNaker software stores 16-bit weights, so weight precision never limits a mapping here.",
    "core.delay_slots": "Assumed: 16 slots (delays up to 15 steps), like the delay field of the SpiNNaker software's synaptic word; longer delays would need delay-extension cores, which are not modelled.",
    "router.buffer_flits": "Assumed (not published): the smallest buffer that lets the slowest link stream one flit per cycle with credit flow control: hop + link + flits - 1 = 3 flits; used by the flit-level router model only.",
    "router.pipeline_cycles": "Assumed (not published): one cycle of each hop's latency is spent in the router pipeline, the rest on the link; used by the flit-level router model only.",
    "router.flits_per_packet": "Assumed: one spike packet is one flit.",
    "costs.synaptic_op": "Hoppner et al. 2019: 450 pJ per synaptic event, measured on the 28 nm prototype (energy of the PE running the synapse-processing software). Latency 20 cycles (assumed: software synapse processing on the Cortex-M4F).",
    "costs.neuron_update_active": "Hoppner et al. 2019: 2.19 nJ per neuron update, measured on the 28 nm prototype. Latency 100 cycles (assumed: one software LIF update).",
    "costs.neuron_update_inactive": "Hoppner et al. 2019: 2.19 nJ per neuron update; software updates every neuron every step, at rest or not, so an inactive update costs the same as an active one. Latency 100 cycles (assumed).",
    "costs.spike_out": "Inside the neuron-update energy (sending a spike is a write to the PE's communication controller): 0 pJ, 0 cycles (assumed).",
    "costs.packet": "Not published: Hoppner et al. 2019 measure PE energy, not the network-on-chip, so 0 pJ. Latency 10 cycles (assumed) to leave the source router and enter the destination PE.",
    "costs.flit_hop_east_west": "Not published (the network-on-chip is not part of the measured PE energy), so 0 pJ. Latency 2 cycles per hop (assumed).",
    "costs.flit_hop_north_south": "Not published, so 0 pJ. Latency 2 cycles per hop (assumed).",
    "costs.stdp_update": "Not published for the prototype: priced as one synaptic event, 450 pJ (assumed: a software STDP update reads and writes a synaptic word as a synaptic event does, plus trace arithmetic, so this is a lower bound). Latency 40 cycles (assumed).",
    "barrier": "SpiNNaker2 has no hardware barrier: in real-time runs the PEs synchronise on a 1 ms timer. Here a step ends when the last PE is idle (0 cycles, 0 pJ), so time per step is the compute time; a real-time run pads each step to 1 ms.",
    "static_power_mw": "The per-event energies of Hoppner et al. 2019 do not include the PEs' baseline (idle and leakage) power; it is not modelled here (0), so reported energy is event energy only."
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
  "router": { "fidelity": "ideal", "routing": "xy", "flits_per_packet": 2, "buffer_flits": 8, "pipeline_cycles": 1 },
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
    "router.buffer_flits": "Illustrative: four 2-flit packets per input buffer.",
    "router.pipeline_cycles": "Illustrative: one cycle of route computation and arbitration per hop, the rest is the link.",
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
