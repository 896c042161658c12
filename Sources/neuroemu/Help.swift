import Host

/// Usage texts, one per subcommand.
enum Help {
    static let version = "neuroemu 0.1.0"

    /// The options of `run` (and of `record`, which takes `-o` instead of `--trace`).
    /// Without `nir`, the options of the default job, which refuses `--input` and `--dt`.
    static func runOptions(trace: Bool = true, nir: Bool = true) -> String {
        """
        OPTIONS:
          --chip NAME|FILE       chip preset (see `neuroemu chips`) or chip file (default: loihi)
          --steps N              timesteps to run (default: the network file's `steps`)
          --seed S               seed of every random stream (default: the network file's `seed`)
        """ + (trace ? "\n  --trace FILE           write the canonical trace (neuroemu-trace/1) to FILE" : "") + """

          --trace-level L        steps, spikes or packets (default: spikes); state lines of
                                 probed populations appear at every level
          --vcd FILE             write a waveform (Value Change Dump, one time unit per chip
                                 cycle) of spikes and u/v of probed neurons, per-core busy
                                 bits and packets in flight per core and link, for GTKWave
          --report FILE          write the energy report (JSON: totals, every event class,
                                 core, link and step, NeuroBench counts; docs/report.md)
          --svg DIR              write raster.svg, core-energy.svg, link-traffic.svg and
                                 steps.svg into DIR (created if missing)
          --threads N            worker threads for the cores (default: 1); results are
                                 bit-identical for any N; with the flit router they also
                                 time several steps' networks at once, and on small chips
                                 with the ideal router a step's neurons share one parallel
                                 region with the step before's synapses (neither with
                                 --vcd, --report or --svg); reading the network file,
                                 partitioning and loading use the same threads
          --readout POP:MODE     print a readout of population POP after the run; MODE is
                                 counts, mean_v, last_v or argmax (repeatable); with a
                                 classifying schedule, argmax of its population is the
                                 predicted class of every test sample; mean_v and last_v of
                                 a NIR file's populations are in the model's voltage units
          --save-network FILE    save the network, with learned weights, as a network file
          --router R             ideal (zero-load latencies) or flit (cycle-level routers with
                                 buffers, credits and arbitration); default: the chip file's
          --placement P          optimized (default: cores placed to minimise traffic × hops)
                                 or inorder; the trace header records it for verify
          --packing P            packed (default: populations share cores) or population
                                 (each on cores of its own, so the report's energy per
                                 population is exact); the trace header records it
          --max-neurons-per-core N
                                 at most N neurons of any one population per core (a core
                                 may hold more from several; on top of each population's
                                 "constraints"); the trace header records it
          --save-rates FILE      save spike counts per neuron (neuroemu-rates/1)
          --rates FILE           weigh the placer's traffic by the spike counts of an
                                 earlier run (verify needs the same file again)
        """ + (nir ? """

          --input FILE           NIR files: input spikes, {"inputs": [...]} in the network
                                 file's inputs format, one per NIR Input node (default:
                                 Poisson at 100 Hz, i.e. probability 100 Hz × dt per step)
          --dt MS                NIR files: step length in milliseconds (default: 1)
        """ : """

          (run NETWORK takes --input FILE and --dt MS too, for NIR files: run --help)
        """) + """

          -h, --help             show this help
        """
    }

    static func usage(_ subcommand: Subcommand?) -> String {
        switch subcommand {
        case nil:
            return """
                USAGE: neuroemu [run options]          run the embedded default network on loihi
                       neuroemu run NETWORK [options]  load a network file onto a chip and run it
                       neuroemu record NETWORK -o FILE [options]   run and write the trace
                       neuroemu verify NETWORK FILE    re-run a recorded trace and compare
                       neuroemu map NETWORK [options]  show how a network maps onto the cores
                       neuroemu noc --mesh WxH ...     synthetic traffic on the flit-level mesh
                       neuroemu bench [--suite NAME]   the benchmark suite (release build)
                       neuroemu chips [NAME|FILE ...]  list the chip presets, or check chip files
                       neuroemu compare-chips [NETWORK] [--chips A,B,...]   one network on several chips
                       neuroemu --version

                NeuroEmu emulates a tiled neuromorphic chip: bit-exact Loihi CUBA-LIF neurons, an
                address-event mesh network-on-chip, and per-event energy and cycle accounting.
                Every run prints a summary, including energy per spike, and its trace digest.

                \(runOptions(nir: false))

                Exit codes: 0 success, 64 usage error, 65 invalid network or chip file, a network
                that does not fit the chip or a run whose energy outgrows its count, 73 an output
                file could not be written, 74 standard output could not be written.
                See `neuroemu run --help` and `neuroemu chips --help`.
                """
        case .run?:
            return """
                USAGE: neuroemu run NETWORK [options]

                Validates NETWORK (a neuroemu-network/1 JSON file, or a NIR graph `*.nir` exported
                by snnTorch, Norse, Sinabs, …; docs/nir.md), maps it onto the chip's cores,
                runs it and prints the run summary: cores used, spikes, synaptic ops, packets,
                flit-hops, cycles per step, energy, energy per spike and the trace digest.
                A NIR graph runs 100 steps unless --steps says otherwise; its populations are
                named after its neuron nodes (`outer.inner` inside a subgraph).

                \(runOptions())
                """
        case .record?:
            return """
                USAGE: neuroemu record NETWORK -o FILE [options]

                Runs NETWORK like `neuroemu run` and writes its canonical trace to FILE (a golden
                trace for `neuroemu verify`). The trace header names the network, chip, seed and
                level; its end line holds the step count and the digest.

                \(runOptions(trace: false))
                  -o, --output FILE      the trace file to write (required; it takes the place of --trace)
                """
        case .verify?:
            return """
                USAGE: neuroemu verify NETWORK FILE [--chip FILE] [--rates FILE] [--threads N]
                                                    [--input FILE] [--dt MS]

                Re-runs NETWORK with the chip, seed, level and step count named in the trace FILE and
                compares the two line by line. Exits 0 on an exact match; exits 1 printing the first
                differing line number, the expected and actual lines, the lines before it and both
                digests. A chip recorded from a chip file (not a preset) needs --chip FILE; a run
                placed by measured spike rates (--rates FILE) needs the same rates file. A NIR run
                recorded with --input FILE needs the same file again; its step (--dt) is read
                from the trace's header (a trace written before the header held it needs --dt).
                """
        case .map?:
            return """
                USAGE: neuroemu map NETWORK [--chip C] [--json FILE] [--placement P] [--packing P] [--rates FILE]
                                            [--max-neurons-per-core N] [--seed S] [--dt MS] [--threads N]

                Partitions, places and loads NETWORK without running it, and prints per core its
                slices and its neurons, input axons, output axons and synapse-memory bits against the
                core limits, the chip totals, the placement's traffic × hops against in-order
                placement, and the quantization of float projections. --json FILE writes the same
                report as JSON (format neuroemu-map/2). --max-neurons-per-core N puts at most N
                neurons of any one population on a core; a population's "constraints" in the
                network file may cap it too and pin it to tiles. NETWORK may be a NIR file
                (docs/nir.md). See docs/mapping.md.
                """
        case .noc?:
            return """
                USAGE: neuroemu noc --mesh WxH [--traffic P] (--rate R | --sweep) [options]

                Drives the flit-level mesh model (input-buffered routers, credits, round-robin
                arbitration, virtual cut-through) with synthetic traffic and prints offered load,
                accepted throughput (flits/node/cycle), mean and 99th-percentile packet latency
                (cycles). --sweep prints a latency–load table up to saturation. See docs/router.md.

                OPTIONS:
                  --mesh WxH             mesh size, e.g. 8x8 (one endpoint per router)
                  --traffic P            uniform, transpose, bitcomplement, hotspot or neighbor
                                         (default: uniform; hotspot sends 10 % to the centre tile)
                  --rate R               offered load in flits per node per cycle, (0, 1]
                  --sweep                latency–load table from low load to saturation
                  --cycles N             measured cycles (default: 10000)
                  --warmup W             warm-up cycles before measuring (default: 1000)
                  --seed S               injection seed (default: 1)
                  --flits F              flits per packet (default: 1)
                  --buffer B             flits per router input buffer (default: 8)
                  --routing xy|yx        dimension order (default: xy)
                """
        case .bench?:
            return """
                USAGE: neuroemu bench [--suite NAME] [--router R] [--threads T] [--json FILE]

                Runs the benchmark networks on the loihi preset and prints per case, router and
                thread count: setup and simulation wall time, steps/s, synaptic events/s, ns per
                synaptic event and per neuron update, peak RSS, core memory per synapse, spikes,
                mean rate and the steps-level trace digest (equal on any thread count). Time it
                with a release build; a debug build warns. See docs/performance.md.

                CASES: cuba-4k, cuba-40k, cuba-400k (Vogels-Abbott CUBA, 80 inputs per neuron,
                0.1 ms steps), dense-1k (1000 -> 1000 under Poisson input), random-4k (4096
                neurons, 100 random inputs each, 32 neurons per core on 128 cores).

                OPTIONS:
                  --suite NAME[,NAME]    cases or suites: all (default), cuba, quick, or case names
                  --router R             ideal, flit or both (default: both)
                  --threads T[,T]        thread counts to run each case with (default: 1)
                  --steps N              override every case's step count
                  --json FILE            also write the results (format neuroemu-bench/1)
                  --save-networks DIR    write each case's network file into DIR
                """
        case .chips?:
            return """
                USAGE: neuroemu chips [NAME|FILE ...] [--json]

                Lists the chip presets compiled into neuroemu with their geometry, core limits and
                per-event prices. Each preset is also saved as configs/chips/NAME.json.

                OPTIONS:
                  NAME|FILE ...          list these presets or chip files only; a chip file is
                                         read and checked as a run reads it (exit 65 on a mistake)
                  --json                 print the named presets' chip files, to start one's own
                """
        case .compareChips?:
            return """
                USAGE: neuroemu compare-chips [NETWORK] [--chips A,B,...] [options]

                Runs NETWORK (default: the embedded default network) on each chip in turn and
                prints one table: cores used, energy per spike, energy per synaptic op, time per
                step and total energy per chip. A chip the network does not fit gets a row saying
                why. Network timing never changes which spikes happen, so the rows differ
                in time and energy only — unless the network learns: STDP rounds with a
                generator per core, so a plastic network cut into cores differently may
                learn and spike differently (the closing line then says so).

                OPTIONS:
                  --chips A,B,...        chip presets or chip files, comma-separated
                                         (default: every preset of `neuroemu chips`)
                  --steps N              timesteps to run (default: the network file's `steps`)
                  --seed S               seed of every random stream (default: the file's `seed`)
                  --placement P          optimized (default) or inorder, on every chip
                  --packing P            packed (default) or population, on every chip
                  --max-neurons-per-core N
                                         at most N neurons of any one population per core
                  --json FILE            also write the rows as JSON (format neuroemu-compare/1)
                  --router R             ideal or flit on every chip (default: each chip's own)
                  --threads N            worker threads for the cores (default: 1)
                  --input FILE           NIR files: input spikes, {"inputs": [...]} in the network
                                         file's inputs format, the same on every chip (default:
                                         Poisson at 100 Hz, i.e. probability 100 Hz × dt per step)
                  --dt MS                NIR files: step length in milliseconds (default: 1)
                  -h, --help             show this help
                """
        }
    }
}
