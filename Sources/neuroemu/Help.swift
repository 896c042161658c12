import Host

/// Usage texts, one per subcommand.
enum Help {
    static let version = "neuroemu 0.1.0"

    static let runOptions = """
        OPTIONS:
          --chip NAME|FILE       chip preset (see `neuroemu chips`) or chip file (default: loihi)
          --steps N              timesteps to run (default: the network file's `steps`)
          --seed S               seed of every random stream (default: the network file's `seed`)
          --trace FILE           write the canonical trace (neuroemu-trace/1) to FILE
          --trace-level L        steps, spikes or packets (default: spikes); state lines of
                                 probed populations appear at every level
          --threads N            worker threads for the cores (default: 1); results are
                                 bit-identical for any N
          --readout POP:MODE     print a readout of population POP after the run; MODE is
                                 counts, mean_v, last_v or argmax (repeatable)
          --save-network FILE    save the network, with learned weights, as a network file
          -h, --help             show this help
        """

    static func usage(_ subcommand: Subcommand?) -> String {
        switch subcommand {
        case nil:
            return """
                USAGE: neuroemu [run options]          run the embedded default network on loihi
                       neuroemu run NETWORK [options]  load a network file onto a chip and run it
                       neuroemu chips                  list the chip presets
                       neuroemu --version

                NeuroEmu emulates a tiled neuromorphic chip: bit-exact Loihi CUBA-LIF neurons, an
                address-event mesh network-on-chip, and per-event energy and cycle accounting.
                Every run prints a summary, including energy per spike, and its trace digest.

                \(runOptions)

                Exit codes: 0 success, 64 usage error, 65 invalid network or chip file or a network
                that does not fit the chip, 73 an output file could not be written.
                See `neuroemu run --help` and `neuroemu chips --help`.
                """
        case .run?:
            return """
                USAGE: neuroemu run NETWORK [options]

                Validates NETWORK (a neuroemu-network/1 JSON file), maps it onto the chip's cores,
                runs it and prints the run summary: cores used, spikes, synaptic ops, packets,
                flit-hops, cycles per step, energy, energy per spike and the trace digest.

                \(runOptions)
                """
        case .chips?:
            return """
                USAGE: neuroemu chips

                Lists the chip presets compiled into neuroemu with their geometry, core limits and
                per-event prices. Each preset is also saved as configs/chips/NAME.json.
                """
        }
    }
}
