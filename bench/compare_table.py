"""Collects the results of one bench/compare.sh run into one table.

Usage: python compare_table.py RESULTS_DIR [--out FILE.json]

RESULTS_DIR holds, per process that compare.sh ran, NAME.json (a peer record written by
cuba_brian2.py, cuba_nest.py or random_sanafe.py, or a `neuroemu bench --json` file in the
neuroemu-bench/1 format) and NAME.wall (the process's wall time in seconds, end to end).
Prints a markdown table: one row per simulator x case x threads, with simulation time, process
time, spikes, mean rate, synaptic events per second and the ratio of each time to NeuroEmu's
(peer time / NeuroEmu time; above 1 means NeuroEmu is faster). Repeated runs of the same
simulator, case, router and thread count are merged: each time is the fastest of its repeats.
With --out it also writes the rows as JSON (atomically).
"""

import argparse
import datetime
import glob
import json
import os
import platform
import sys

import result_file

NEUROEMU_FORMAT = "neuroemu-bench/1"
# The NeuroEmu router each peer is compared with: the ideal router for the CUBA cases (the
# peers model no chip), the cycle-level flit router for SANA-FE's random benchmark.
REFERENCE_ROUTER = {"random-4k": "flit"}
DEFAULT_REFERENCE_ROUTER = "ideal"
OPTIONAL_NEUROEMU_FIELDS = ("cores", "mesh", "energy_uj", "steps_per_second", "neuron_updates",
                            "ns_per_neuron_update", "core_memory_bytes")


class ResultError(Exception):
    def __init__(self, path, problem):
        super().__init__(f"{path}: {problem}")


def read_wall(json_path):
    wall_path = json_path[:-len(".json")] + ".wall"
    if not os.path.exists(wall_path):
        return None
    with open(wall_path) as stream:
        return float(stream.read().strip())


def rows_from_neuroemu(path, document, wall):
    """One row per case of a neuroemu-bench/1 document."""
    if document.get("build") != "release":
        print(f"warning: {path}: NeuroEmu build is {document.get('build')!r}, not release",
              file=sys.stderr)
    rows = []
    for index, case in enumerate(document.get("cases", [])):
        try:
            rows.append({
                "simulator": "neuroemu",
                "case": case["case"],
                "router": case["router"],
                "threads": case["threads"],
                "neurons": case["neurons"],
                "synapses": case["synapses"],
                "steps": case["steps"],
                "step_ms": case["step_ms"],
                "setup_seconds": case["setup_seconds"],
                "simulation_seconds": case["simulation_seconds"],
                "end_to_end_seconds": wall,
                "spikes": case["spikes"],
                "mean_rate_hz": case["mean_rate_hz"],
                "synaptic_events": case["synaptic_events"],
                "synaptic_events_per_second": case["synaptic_events_per_second"],
                "ns_per_synaptic_event": case["ns_per_synaptic_event"],
                "peak_rss_bytes": case["peak_rss_bytes"],
                "bytes_per_synapse": case["bytes_per_synapse"],
                "digest": case["digest"],
                "source": os.path.basename(path),
            })
        except KeyError as missing:
            raise ResultError(path, f"cases[{index}] has no field {missing}") from None
        # Fields later bench versions add; kept when present.
        for field in OPTIONAL_NEUROEMU_FIELDS:
            if field in case:
                rows[-1][field] = case[field]
    return rows


def row_from_peer(path, document, wall):
    for field in ("simulator", "case", "threads", "simulation_seconds", "spikes"):
        if field not in document:
            raise ResultError(path, f"peer result has no field {field!r}")
    row = dict(document)
    row["end_to_end_seconds"] = wall
    row["source"] = os.path.basename(path)
    return row


def collect(directory):
    rows = []
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        with open(path) as stream:
            try:
                document = json.load(stream)
            except json.JSONDecodeError as error:
                raise ResultError(path, f"not JSON ({error})") from None
        wall = read_wall(path)
        if document.get("format") == NEUROEMU_FORMAT:
            rows.extend(rows_from_neuroemu(path, document, wall))
        else:
            rows.append(row_from_peer(path, document, wall))
    return rows


def merge_repeats(rows):
    """One row per simulator x case x router x threads: the fastest simulation time and the
    fastest process time over the repeats (the least disturbed by other load), with every
    measured time kept beside them. Activity must be the same in every repeat."""
    groups = {}
    for row in rows:
        key = (row["simulator"], row["case"], row.get("router"), row["threads"])
        groups.setdefault(key, []).append(row)
    merged = []
    for group in groups.values():
        row = dict(min(group, key=lambda r: r["simulation_seconds"]))
        walls = [r["end_to_end_seconds"] for r in group if r.get("end_to_end_seconds") is not None]
        row["end_to_end_seconds"] = min(walls, default=None)
        row["repeats"] = len(group)
        row["simulation_seconds_all"] = [r["simulation_seconds"] for r in group]
        row["end_to_end_seconds_all"] = walls
        spike_counts = sorted({r["spikes"] for r in group})
        if len(spike_counts) > 1:
            print(f"warning: {row['simulator']} {row['case']} {row['threads']} thread(s): spikes "
                  f"differ between repeats: {spike_counts}", file=sys.stderr)
        merged.append(row)
    return merged


def reference_for(row, rows):
    """The NeuroEmu row a peer row is compared with: same case, the case's reference router,
    the same thread count if there is one, otherwise the most threads measured."""
    router = REFERENCE_ROUTER.get(row["case"], DEFAULT_REFERENCE_ROUTER)
    candidates = [r for r in rows if r["simulator"] == "neuroemu" and r["case"] == row["case"]
                  and r["router"] == router]
    same_threads = [r for r in candidates if r["threads"] == row["threads"]]
    if same_threads:
        return same_threads[0]
    return max(candidates, key=lambda r: r["threads"], default=None)


def ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def add_ratios(rows):
    for row in rows:
        reference = reference_for(row, rows)
        row["reference"] = (f"neuroemu {reference['router']} {reference['threads']} thread(s)"
                            if reference else None)
        row["reference_threads"] = reference["threads"] if reference else None
        row["simulation_ratio"] = ratio(row.get("simulation_seconds"),
                                        reference and reference["simulation_seconds"])
        row["end_to_end_ratio"] = ratio(row.get("end_to_end_seconds"),
                                        reference and reference["end_to_end_seconds"])


SIMULATOR_ORDER = {"neuroemu": 0, "brian2": 1, "nest": 2, "sanafe": 3}


def sort_key(row):
    return (row["case"].split("-")[0], row.get("neurons", 0), row["case"],
            SIMULATOR_ORDER.get(row["simulator"], 9), row.get("router", ""), row["threads"])


def number(value, digits):
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def seconds(value):
    if value is None:
        return "—"
    return f"{value:.3f}" if value < 100 else f"{value:.1f}"


def label(row):
    if row["simulator"] == "neuroemu":
        return f"NeuroEmu ({row['router']})"
    names = {"brian2": "Brian2 (C++ standalone)", "nest": "NEST", "sanafe": "SANA-FE"}
    name = names.get(row["simulator"], row["simulator"])
    if row["simulator"] == "sanafe":
        name += f" ({row.get('timing_model', '')})"
    return name


def markdown(rows):
    lines = [
        "| simulator | case | threads | simulation (s) | end to end (s) | spikes | mean rate (Hz) "
        "| synaptic events | events/s | simulation ÷ NeuroEmu | end to end ÷ NeuroEmu |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    notes = []
    for row in rows:
        events_per_second = row.get("synaptic_events_per_second")
        marker = ""
        if row["reference_threads"] not in (None, row["threads"]):
            marker = " †"
            notes.append(f"† {label(row)} {row['case']} on {row['threads']} thread(s) is compared with "
                         f"NeuroEmu on {row['reference_threads']}.")
        lines.append("| " + " | ".join([
            label(row), row["case"], str(row["threads"]),
            seconds(row.get("simulation_seconds")), seconds(row.get("end_to_end_seconds")),
            f"{row['spikes']:,}", number(row.get("mean_rate_hz"), 3),
            f"{row['synaptic_events']:,}" if row.get("synaptic_events") is not None else "—",
            f"{events_per_second / 1e6:,.2f} M" if events_per_second else "—",
            number(row.get("simulation_ratio"), 2) + marker,
            number(row.get("end_to_end_ratio"), 2) + marker,
        ]) + " |")
    for row in rows:
        if row["simulator"] == "neuroemu" and row["case"] == "random-4k":
            energy = row.get("energy_uj")
            notes.append(
                f"NeuroEmu {row['case']} ({row['router']}, {row['threads']} thread(s)): {row['steps']:,} "
                f"steps, {row['spikes'] / row['neurons'] / row['steps']:.4f} spikes per neuron per step"
                + (f", energy {energy:.3f} µJ" if energy is not None else "") + ".")
        if row["simulator"] == "sanafe":
            notes.append(
                f"SANA-FE {row['case']} ({row.get('activity', 'drivers')} activity): {row['steps']:,} steps, "
                f"{row['spikes_per_neuron_per_step']:.4f} "
                f"spikes per neuron per step, simulated chip time {row['chip_seconds'] * 1e3:.3f} ms, "
                f"energy {row['energy_joules'] * 1e6:.3f} µJ, setup {row['setup_seconds']:.1f} s.")
    return "\n".join(lines + ([""] + notes if notes else []))


def machine():
    model = None
    try:
        with open("/proc/cpuinfo") as stream:
            for line in stream:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpu": model or platform.processor(), "logical_cpus": os.cpu_count(),
            "system": platform.system(), "python": platform.python_version()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results_dir")
    parser.add_argument("--out", help="also write the rows as JSON to this file")
    arguments = parser.parse_args()
    try:
        rows = collect(arguments.results_dir)
    except ResultError as error:
        print(f"error: {error}", file=sys.stderr)
        return 65
    if not rows:
        print(f"error: {arguments.results_dir}: no result files (*.json)", file=sys.stderr)
        return 65
    rows = merge_repeats(rows)
    add_ratios(rows)
    rows.sort(key=sort_key)
    print(markdown(rows))
    if arguments.out:
        result_file.write_json(arguments.out, {
            "format": "neuroemu-compare/1",
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "machine": machine(),
            "note": "times from one run on one machine; compare only ratios within a run",
            "rows": rows,
        })
    return 0


if __name__ == "__main__":
    sys.exit(main())
