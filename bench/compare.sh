#!/usr/bin/env bash
# bench/compare.sh — NeuroEmu side by side with Brian2, NEST and SANA-FE on one machine.
#
# What it does, in order:
#   1. creates a Python virtual environment (default bench/.venv; NEUROEMU_BENCH_VENV overrides)
#      with python3.11 or python3.10 (PYTHON overrides) and installs the pinned peers from PyPI:
#      brian2, nest-simulator, sanafe (and the numpy that Brian2 works with);
#   2. builds NeuroEmu in release mode (`swift build -c release`) unless NEUROEMU_BIN names a
#      neuroemu executable;
#   3. runs the CUBA network (Vogels & Abbott 2005; 80 % excitatory, exactly 64 excitatory +
#      16 inhibitory inputs per neuron, dt 0.1 ms, 10,000 steps = 1 s) for every size of --sizes
#      in Brian2 (C++ standalone, fresh build directory, OpenMP threads 1 and 2), in NEST
#      (iaf_psc_exp, local_num_threads 1 and 2) and in NeuroEmu
#      (`neuroemu bench --suite cuba-4k --router ideal --threads T`);
#   4. runs SANA-FE's random benchmark shape (4,096 neurons, 100 inputs each, 6 % firing per
#      step, 1,000 steps, 32 neurons per core on its Loihi preset, detailed timing model) beside
#      `neuroemu bench --suite random-4k --router flit --threads 2`;
#   5. prints one markdown table (simulation time, process time, spikes, mean rate, synaptic
#      events/s and the ratio of every time to NeuroEmu's) and writes it as JSON to --out.
#
# Simulation time is each simulator's own run loop (Brian2: its recorded network run time;
# NEST: nest.Simulate; SANA-FE: SpikingChip.sim; NeuroEmu: the bench case's simulation_seconds).
# End to end is the wall time of the whole process, measured here (Brian2's includes code
# generation and C++ compilation). Times depend on the machine and its load: compare only
# ratios from one run.
#
# Usage: bench/compare.sh [options]
#   --sizes LIST     CUBA sizes, comma-separated, from 4000, 40000, 400000 (default: 4000;
#                    the larger ones take minutes in the peers)
#   --threads LIST   thread counts, comma-separated (default: 1,2)
#   --out FILE       the JSON table (default: bench/results/compare.json)
#   --results DIR    keep every process's own result file here (default: a temporary directory);
#                    result files already in DIR join the table, so runs can be added up
#   --seed S         seed of the peers' networks (default: 8)
#   --repeat N       run every process N times (SANA-FE once); the table keeps the fastest
#                    time of each (default: 1; use 3 or more on a machine with other load)
#   --native         build NeuroEmu for this machine's CPU (-target-cpu native, in .build-native,
#                    from clean each time: about two minutes),
#                    as Brian2 compiles its C++ with -march=native; the default build targets
#                    baseline x86-64 (SSE2), whose lack of a 32-bit vector multiply slows the
#                    neuron kernel (about a third more instructions)
#   --skip-brian2, --skip-nest, --skip-sanafe, --skip-neuroemu
#                    leave out one simulator (SANA-FE's detailed run takes a few minutes)
#   -h, --help       this text
#
# Environment: PYTHON (interpreter for the virtual environment), NEUROEMU_BENCH_VENV (its
# directory), NEUROEMU_BIN (a built neuroemu; skips the release build).
# Needs: a Swift toolchain (unless NEUROEMU_BIN), a C++ compiler (Brian2 compiles C++),
# network access to PyPI on the first run, and about 3 GB of memory for SANA-FE.
set -euo pipefail

BRIAN2_VERSION=2.9.0
NEST_VERSION=3.10.0
SANAFE_VERSION=2.2.9
# Brian2 2.9.0 uses numpy.ndarray.ptp, which numpy 2.4 removed.
NUMPY_VERSION=2.3.5

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root_dir=$(dirname "$bench_dir")

sizes=4000
thread_counts=1,2
out_file=$bench_dir/results/compare.json
results_dir=
seed=8
repeats=1
run_brian2=1
run_nest=1
run_sanafe=1
native=0
run_neuroemu=1

usage() {
    sed -n '2,/^set -euo pipefail$/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

fail() {
    echo "compare.sh: $*" >&2
    exit 64
}

while [[ $# -gt 0 ]]; do
    case $1 in
        --sizes) [[ $# -ge 2 ]] || fail "--sizes needs a value, e.g. --sizes 4000,40000"; sizes=$2; shift 2 ;;
        --threads) [[ $# -ge 2 ]] || fail "--threads needs a value, e.g. --threads 1,2"; thread_counts=$2; shift 2 ;;
        --out) [[ $# -ge 2 ]] || fail "--out needs a file name"; out_file=$2; shift 2 ;;
        --results) [[ $# -ge 2 ]] || fail "--results needs a directory"; results_dir=$2; shift 2 ;;
        --seed) [[ $# -ge 2 ]] || fail "--seed needs a number"; seed=$2; shift 2 ;;
        --repeat) [[ $# -ge 2 ]] || fail "--repeat needs a number"; repeats=$2; shift 2 ;;
        --skip-brian2) run_brian2=0; shift ;;
        --skip-nest) run_nest=0; shift ;;
        --skip-sanafe) run_sanafe=0; shift ;;
        --skip-neuroemu) run_neuroemu=0; shift ;;
        --native) native=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) fail "unknown option '$1' (see --help)" ;;
    esac
done

IFS=, read -r -a size_list <<< "$sizes"
IFS=, read -r -a thread_list <<< "$thread_counts"
for size in "${size_list[@]}"; do
    case $size in
        4000|40000|400000) ;;
        *) fail "--sizes: $size is not one of 4000, 40000, 400000 (NeuroEmu's cuba-4k, cuba-40k, cuba-400k)" ;;
    esac
done
for threads in "${thread_list[@]}"; do
    [[ $threads =~ ^[1-9][0-9]*$ ]] || fail "--threads: '$threads' is not a positive whole number"
done
[[ $seed =~ ^[0-9]+$ ]] || fail "--seed: '$seed' is not a whole number"
[[ $repeats =~ ^[1-9][0-9]*$ ]] || fail "--repeat: '$repeats' is not a positive whole number"

if [[ -z $results_dir ]]; then
    results_dir=$(mktemp -d "${TMPDIR:-/tmp}/neuroemu-compare.XXXXXX")
    trap 'rm -rf "$results_dir"' EXIT
else
    mkdir -p "$results_dir"
fi

# --- 1. Python virtual environment with the pinned peers -------------------------------------
venv=${NEUROEMU_BENCH_VENV:-$bench_dir/.venv}
requirements="brian2==$BRIAN2_VERSION nest-simulator==$NEST_VERSION sanafe==$SANAFE_VERSION numpy==$NUMPY_VERSION"
if [[ ! -x $venv/bin/python ]]; then
    python=${PYTHON:-}
    if [[ -z $python ]]; then
        for candidate in python3.11 python3.10; do
            if "$candidate" -c 'import sys' >/dev/null 2>&1; then python=$candidate; break; fi
        done
    fi
    [[ -n $python ]] || fail "no python3.11 or python3.10 found; set PYTHON to a Python 3.10 or 3.11 interpreter"
    echo "creating the virtual environment $venv with $python"
    "$python" -m venv "$venv"
fi
stamp=$venv/.neuroemu-bench-requirements
if [[ ! -f $stamp || $(cat "$stamp") != "$requirements" ]]; then
    echo "installing $requirements"
    # shellcheck disable=SC2086  # the requirement list is split on purpose
    "$venv/bin/python" -m pip install --quiet $requirements
    echo "$requirements" > "$stamp"
fi
peer_python=$venv/bin/python

# --- 2. NeuroEmu release build ---------------------------------------------------------------
neuroemu=${NEUROEMU_BIN:-}
if [[ $run_neuroemu == 1 && -z $neuroemu ]]; then
    build=(swift build -c release --package-path "$root_dir")
    if [[ $native == 1 ]]; then
        # From clean every time: an incremental cross-module-optimized build has kept a type's
        # old layout in dependent modules after its stored properties changed (README,
        # "Development"), and this script's own build directory is cheap to redo.
        rm -rf "$root_dir/.build-native"
        build+=(--scratch-path "$root_dir/.build-native" -Xswiftc -target-cpu -Xswiftc native)
    fi
    echo "building NeuroEmu (${build[*]})"
    "${build[@]}"
    neuroemu=$("${build[@]}" --show-bin-path)/neuroemu
fi
if [[ $run_neuroemu == 1 ]] && ! "$neuroemu" bench --help >/dev/null 2>&1; then
    echo "warning: $neuroemu has no 'bench' subcommand; NeuroEmu rows and ratios are left out" >&2
    run_neuroemu=0
fi

# timed NAME COMMAND...: runs COMMAND, writes its wall time (s) to RESULTS/NAME.wall.
timed() {
    local name=$1
    shift
    local started ended
    started=$(date +%s.%N)
    "$@"
    ended=$(date +%s.%N)
    awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.3f\n", b - a }' > "$results_dir/$name.wall"
    echo "  $name: $(cat "$results_dir/$name.wall") s end to end"
}

neuroemu_bench() {
    local name=$1 suite=$2 router=$3 threads=$4
    timed "$name" "$neuroemu" bench --suite "$suite" --router "$router" --threads "$threads" \
        --json "$results_dir/$name.json"
}

# --- 3. CUBA ---------------------------------------------------------------------------------
# Repeats go round the whole set, so a burst of other load hits one repeat of everything
# rather than every repeat of one simulator.
for repeat in $(seq 1 "$repeats"); do
    for size in "${size_list[@]}"; do
        case_name=cuba-$((size / 1000))k
        for threads in "${thread_list[@]}"; do
            run=$case_name-t$threads-r$repeat
            if [[ $run_neuroemu == 1 ]]; then
                echo "NeuroEmu $case_name, $threads thread(s), repeat $repeat"
                neuroemu_bench "neuroemu-$run" "$case_name" ideal "$threads"
            fi
            if [[ $run_brian2 == 1 ]]; then
                echo "Brian2 $case_name, $threads thread(s), repeat $repeat"
                timed "brian2-$run" "$peer_python" "$bench_dir/cuba_brian2.py" \
                    --neurons "$size" --threads "$threads" --seed "$seed" \
                    --out "$results_dir/brian2-$run.json"
            fi
            if [[ $run_nest == 1 ]]; then
                echo "NEST $case_name, $threads thread(s), repeat $repeat"
                timed "nest-$run" "$peer_python" "$bench_dir/cuba_nest.py" \
                    --neurons "$size" --threads "$threads" --seed "$seed" \
                    --out "$results_dir/nest-$run.json"
            fi
        done
    done
done

# --- 4. SANA-FE's random benchmark shape -----------------------------------------------------
# SANA-FE runs once: its run lasts minutes, so other load moves it little.
if [[ $run_sanafe == 1 ]]; then
    if [[ $run_neuroemu == 1 ]]; then
        for repeat in $(seq 1 "$repeats"); do
            echo "NeuroEmu random-4k, flit router, 2 threads, repeat $repeat"
            neuroemu_bench "neuroemu-random-4k-flit-t2-r$repeat" random-4k flit 2
        done
    fi
    echo "SANA-FE random-4k, detailed timing model, 2 threads (takes a few minutes)"
    timed sanafe-random-4k "$peer_python" "$bench_dir/random_sanafe.py" --threads 2 \
        --seed "$seed" --out "$results_dir/sanafe-random-4k.json"
fi

# --- 5. The table ----------------------------------------------------------------------------
echo
"$peer_python" "$bench_dir/compare_table.py" "$results_dir" --out "$out_file"
echo
echo "table written to $out_file"
