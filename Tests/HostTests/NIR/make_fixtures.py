"""Writes the NIR fixtures of NeuroEmu's import tests, with a floating-point reference run of each.

For every graph NAME it writes:
  NAME.nir             the graph, written by nir.write (h5py defaults, gzip-compressed arrays)
  NAME.input.json      fixed input spikes, {"inputs": [{"name", "size", "spike_times"}]} (1-based steps)
  NAME.reference.json  the graph's node and edge lists, and spike counts per neuron of every
                       spiking node (and final voltages of leaky integrators) from the float
                       simulation below

The reference simulation follows the discretisation documented in docs/nir.md, in float64:
  - time advances in steps of dt; every edge path from a spiking node (an Input or a neuron)
    to a neuron adds one step of latency, plus round(delay/dt) steps per Delay node on it;
  - weight nodes (Affine, Linear, Scale, Conv, pooling, Flatten) are applied to the source's spikes;
  - LIF:     v += dt/tau * (v_leak - v + r*I); spike if v > v_threshold, then v = v_reset
  - CubaLIF: I_s = I_s*(1 - dt/tau_syn) + w_in*I; v += dt/tau_mem * (v_leak - v + r*I_s); spike, reset
  - IF:      v += r*I; spike if v > v_threshold, then v = v_reset
  - LI / CubaLI: as LIF / CubaLIF without spikes
  - Threshold: spike if I > threshold
Run from this directory: python make_fixtures.py (versions are recorded in README.md).
"""
import json
import os

import h5py
import nir
import numpy as np

STEPS = 100
DT = 1e-3
rng = np.random.default_rng(20240611)


def uniform(shape, low, high):
    return rng.uniform(low, high, size=shape)


def lif(n, tau=0.01, threshold=1.0, leak=0.0):
    # r = tau/dt gives a unit gain per step (v += I at dt/tau = 1 - beta), the snnTorch convention.
    return nir.LIF(tau=np.full(n, tau), r=np.full(n, tau / DT), v_leak=np.full(n, leak), v_threshold=np.full(n, threshold), v_reset=np.full(n, leak))


def graphs():
    made = {}
    made["mlp"] = nir.NIRGraph(
        nodes={"input": nir.Input(np.array([12])),
               "fc1": nir.Affine(uniform((10, 12), -0.25, 0.6), uniform(10, 0.0, 0.05)),
               "lif1": lif(10, tau=0.02),
               "fc2": nir.Affine(uniform((4, 10), -0.3, 0.7), np.zeros(4)),
               "lif2": lif(4, tau=0.01),
               "output": nir.Output(np.array([4]))},
        edges=[("input", "fc1"), ("fc1", "lif1"), ("lif1", "fc2"), ("fc2", "lif2"), ("lif2", "output")])
    n = 6
    made["cuba"] = nir.NIRGraph(
        nodes={"input": nir.Input(np.array([8])),
               "w1": nir.Linear(uniform((n, 8), -0.1, 0.35)),
               "cuba1": nir.CubaLIF(tau_mem=np.full(n, 0.01), tau_syn=np.full(n, 0.005), r=np.full(n, 10.0), v_leak=np.zeros(n),
                                    v_threshold=np.full(n, 1.0), v_reset=np.zeros(n), w_in=np.full(n, 1.0)),
               "w2": nir.Linear(uniform((3, n), 0.0, 0.4)),
               "cuba2": nir.CubaLIF(tau_mem=np.full(3, 0.02), tau_syn=np.full(3, 0.004), r=np.full(3, 20.0), v_leak=np.zeros(3),
                                    v_threshold=np.full(3, 1.0), v_reset=np.zeros(3), w_in=np.full(3, 1.0)),
               "output": nir.Output(np.array([3]))},
        edges=[("input", "w1"), ("w1", "cuba1"), ("cuba1", "w2"), ("w2", "cuba2"), ("cuba2", "output")])
    made["integrate_fire"] = nir.NIRGraph(
        nodes={"input": nir.Input(np.array([10])),
               "fc1": nir.Affine(uniform((8, 10), -0.2, 0.5), uniform(8, -0.02, 0.03)),
               "if1": nir.IF(r=np.full(8, 1.0), v_threshold=uniform(8, 0.8, 1.5), v_reset=np.zeros(8)),
               "fc2": nir.Linear(uniform((3, 8), 0.0, 0.6)),
               "if2": nir.IF(r=np.full(3, 2.0), v_threshold=np.full(3, 2.0), v_reset=np.zeros(3)),
               "output": nir.Output(np.array([3]))},
        edges=[("input", "fc1"), ("fc1", "if1"), ("if1", "fc2"), ("fc2", "if2"), ("if2", "output")])
    made["li_readout"] = nir.NIRGraph(
        nodes={"input": nir.Input(np.array([10])),
               "fc1": nir.Affine(uniform((8, 10), -0.2, 0.6), np.zeros(8)),
               "lif1": lif(8, tau=0.01),
               "fc2": nir.Linear(uniform((3, 8), -0.5, 1.0)),
               "readout": nir.LI(tau=np.full(3, 0.02), r=np.full(3, 20.0), v_leak=np.zeros(3)),
               "output": nir.Output(np.array([3]))},
        edges=[("input", "fc1"), ("fc1", "lif1"), ("lif1", "fc2"), ("fc2", "readout"), ("readout", "output")])
    made["conv"] = nir.NIRGraph(
        nodes={"input": nir.Input(np.array([1, 8, 8])),
               "conv": nir.Conv2d(input_shape=(8, 8), weight=uniform((2, 1, 3, 3), -0.2, 0.6), stride=1, padding=1, dilation=1, groups=1, bias=np.zeros(2)),
               "lif1": lif((2, 8, 8), tau=0.01),
               "pool": nir.SumPool2d(kernel_size=np.array([2, 2]), stride=np.array([2, 2]), padding=np.array([0, 0])),
               "flat": nir.Flatten(input_type={"input": np.array([2, 4, 4])}, start_dim=0, end_dim=-1),
               "fc": nir.Linear(uniform((4, 32), -0.1, 0.3)),
               "lif2": lif(4, tau=0.01),
               "output": nir.Output(np.array([4]))},
        edges=[("input", "conv"), ("conv", "lif1"), ("lif1", "pool"), ("pool", "flat"), ("flat", "fc"), ("fc", "lif2"), ("lif2", "output")])
    made["conv1d_avgpool"] = nir.NIRGraph(
        nodes={"input": nir.Input(np.array([2, 6, 6])),
               "conv": nir.Conv2d(input_shape=(6, 6), weight=uniform((4, 1, 3, 3), -0.1, 0.6), stride=1, padding=0, dilation=1, groups=2, bias=np.zeros(4)),
               "lif1": lif((4, 4, 4), tau=0.01),
               "pool": nir.AvgPool2d(kernel_size=np.array([2, 2]), stride=np.array([2, 2]), padding=np.array([0, 0])),
               "flat": nir.Flatten(input_type={"input": np.array([4, 2, 2])}, start_dim=0, end_dim=-1),
               "fc": nir.Linear(uniform((6, 16), -0.2, 0.9)),
               "if1": nir.IF(r=np.ones(6), v_threshold=np.ones(6), v_reset=np.zeros(6)),
               "output": nir.Output(np.array([6])),
               "input1d": nir.Input(np.array([2, 10])),
               "conv1d": nir.Conv1d(input_shape=10, weight=uniform((3, 2, 3), -0.1, 0.7), stride=2, padding=1, dilation=1, groups=1, bias=np.zeros(3)),
               "lif1d": lif((3, 5), tau=0.01),
               "output1d": nir.Output(np.array([3, 5]))},
        edges=[("input", "conv"), ("conv", "lif1"), ("lif1", "pool"), ("pool", "flat"), ("flat", "fc"), ("fc", "if1"), ("if1", "output"),
               ("input1d", "conv1d"), ("conv1d", "lif1d"), ("lif1d", "output1d")],
        type_check=False)  # nir's type inference ignores groups: its conv input has weight.shape[1] channels
    made["delay_scale_threshold"] = nir.NIRGraph(
        nodes={"input": nir.Input(np.array([6])),
               "w": nir.Linear(uniform((6, 6), 0.0, 0.8)),
               "gain": nir.Scale(uniform(6, 0.5, 1.5)),
               "threshold": nir.Threshold(np.full(6, 0.4)),
               "delay": nir.Delay(np.array([0.0, 1e-3, 2e-3, 3e-3, 2e-3, 1e-3])),
               "fc": nir.Linear(uniform((3, 6), 0.0, 0.5)),
               "lif": lif(3, tau=0.01),
               "output": nir.Output(np.array([3]))},
        edges=[("input", "w"), ("w", "gain"), ("gain", "threshold"), ("threshold", "delay"), ("delay", "fc"), ("fc", "lif"), ("lif", "output")])
    inner = nir.NIRGraph(
        nodes={"input": nir.Input(np.array([6])),
               "fc": nir.Affine(uniform((5, 6), -0.1, 0.6), np.zeros(5)),
               "lif": lif(5, tau=0.01),
               "output": nir.Output(np.array([5]))},
        edges=[("input", "fc"), ("fc", "lif"), ("lif", "output")])
    made["nested"] = nir.NIRGraph(
        nodes={"input": nir.Input(np.array([6])),
               "block": inner,
               "fc": nir.Linear(uniform((3, 5), 0.0, 0.6)),
               "lif": lif(3, tau=0.01),
               "output": nir.Output(np.array([3]))},
        edges=[("input", "block"), ("block", "fc"), ("fc", "lif"), ("lif", "output")])
    return made


# ---------------------------------------------------------------- reference simulation

def flatten_graph(graph, prefix=""):
    """Primitive nodes by dotted name, and edges between them; a subgraph's Input and Output
    nodes stay as pass-through nodes."""
    nodes, edges = {}, []
    for name, node in graph.nodes.items():
        if isinstance(node, nir.NIRGraph):
            inner_nodes, inner_edges = flatten_graph(node, prefix + name + ".")
            nodes.update(inner_nodes)
            edges += inner_edges
        else:
            nodes[prefix + name] = node

    def resolve(name, incoming):
        node = graph.nodes[name]
        if isinstance(node, nir.NIRGraph):
            kind = nir.Input if incoming else nir.Output
            ends = [k for k, v in node.nodes.items() if isinstance(v, kind)]
            return [prefix + name + "." + k for k in ends]
        return [prefix + name]

    for a, b in graph.edges:
        for x in resolve(a, False):
            for y in resolve(b, True):
                edges.append((x, y))
    return nodes, edges


NEURONS = (nir.LIF, nir.CubaLIF, nir.IF, nir.LI, nir.CubaLI, nir.Threshold)


def conv2d(x, node):
    weight = node.weight
    out_channels, per_group, kh, kw = weight.shape
    groups = int(node.groups)
    stride = np.broadcast_to(node.stride, 2)
    padding = np.broadcast_to(node.padding, 2)
    dilation = np.broadcast_to(node.dilation, 2)
    c, h, w = x.shape
    padded = np.zeros((c, h + 2 * padding[0], w + 2 * padding[1]))
    padded[:, padding[0]:padding[0] + h, padding[1]:padding[1] + w] = x
    ho = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    wo = (w + 2 * padding[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    out = np.zeros((out_channels, ho, wo))
    outs_per_group = out_channels // groups
    for o in range(out_channels):
        g = o // outs_per_group
        for i in range(per_group):
            for y in range(ho):
                for xx in range(wo):
                    for a in range(kh):
                        for b in range(kw):
                            out[o, y, xx] += weight[o, i, a, b] * padded[g * per_group + i, y * stride[0] + a * dilation[0], xx * stride[1] + b * dilation[1]]
    return out + np.asarray(node.bias).reshape(-1, 1, 1)


def apply(node, x, shape):
    """A weight node applied to a flat input of the given shape; returns (flat output, shape)."""
    if isinstance(node, nir.Affine):
        return node.weight @ x + node.bias, (node.weight.shape[0],)
    if isinstance(node, nir.Linear):
        return node.weight @ x, (node.weight.shape[0],)
    if isinstance(node, nir.Scale):
        return node.scale.reshape(-1) * x, shape
    if isinstance(node, (nir.Flatten, nir.Input, nir.Output)):
        return x, shape
    if isinstance(node, nir.Conv2d):
        out = conv2d(x.reshape(shape), node)
        return out.reshape(-1), out.shape
    if isinstance(node, nir.Conv1d):
        as2d = nir.Conv2d(input_shape=None, weight=node.weight[:, :, None, :], stride=np.array([1, int(np.atleast_1d(node.stride)[0])]),
                          padding=np.array([0, int(np.atleast_1d(node.padding)[0])]), dilation=np.array([1, int(np.atleast_1d(node.dilation)[0])]),
                          groups=node.groups, bias=node.bias)
        out = conv2d(x.reshape(shape[0], 1, shape[1]), as2d)
        return out.reshape(-1), (out.shape[0], out.shape[2])
    if isinstance(node, (nir.SumPool2d, nir.AvgPool2d)):
        kh, kw = np.broadcast_to(node.kernel_size, 2)
        weight = np.zeros((shape[0], shape[0], kh, kw))
        for c in range(shape[0]):
            weight[c, c] = 1.0 if isinstance(node, nir.SumPool2d) else 1.0 / (kh * kw)
        conv = nir.Conv2d(input_shape=None, weight=weight, stride=node.stride, padding=node.padding, dilation=1, groups=1, bias=np.zeros(shape[0]))
        out = conv2d(x.reshape(shape), conv)
        return out.reshape(-1), out.shape
    raise ValueError(f"no reference for {type(node).__name__}")


def shape_of(node):
    for key in ["tau", "tau_mem", "r", "threshold"]:
        if hasattr(node, key):
            return np.shape(getattr(node, key))
    raise ValueError(type(node).__name__)


def simulate(graph, input_spikes, steps=STEPS, dt=DT):
    nodes, edges = flatten_graph(graph)
    predecessors = {name: [a for a, b in edges if b == name] for name in nodes}
    top_inputs = [k for k, v in graph.nodes.items() if isinstance(v, nir.Input)]
    spiking = [k for k, v in nodes.items() if isinstance(v, NEURONS)]
    shapes = {k: tuple(np.atleast_1d(graph.nodes[k].input_type["input"])) for k in top_inputs}
    for k in spiking:
        shapes[k] = shape_of(nodes[k])
    state = {k: {"v": np.zeros(int(np.prod(shapes[k]))), "i": np.zeros(int(np.prod(shapes[k])))} for k in spiking}
    for k in spiking:
        node = nodes[k]
        if hasattr(node, "v_leak"):
            state[k]["v"] = np.asarray(node.v_leak, dtype=float).reshape(-1).copy()
    history = {k: [np.zeros(int(np.prod(shapes[k])))] for k in list(top_inputs) + spiking}  # history[k][t] = spikes at step t
    counts = {k: np.zeros(int(np.prod(shapes[k])), dtype=int) for k in spiking}
    for t in range(1, steps + 1):
        memo = {}

        def value(name, lag):
            """Flat output of `name` as seen at step t through `lag` extra steps, and its shape."""
            if name in history:
                past = t - 1 - lag
                return (history[name][past] if past >= 0 else np.zeros_like(history[name][0])), shapes[name]
            key = (name, lag)
            if key in memo:
                return memo[key]
            node = nodes[name]
            extra = 0
            if isinstance(node, nir.Delay):
                delays = np.round(np.asarray(node.delay, dtype=float).reshape(-1) / dt).astype(int)
                parts = [value(p, lag) for p in predecessors[name]]
                shape = parts[0][1]
                out = np.zeros(int(np.prod(shape)))
                for d in set(delays.tolist()):
                    mask = delays == d
                    summed = sum(value(p, lag + d)[0] for p in predecessors[name])
                    out[mask] = summed[mask]
                memo[key] = (out, shape)
                return memo[key]
            parts = [value(p, lag + extra) for p in predecessors[name]]
            summed = sum(p[0] for p in parts)
            memo[key] = apply(node, summed, parts[0][1])
            return memo[key]

        for name in top_inputs:
            history[name].append(input_spikes[name][:, t - 1].astype(float))
        new_spikes = {}
        for name in spiking:
            node = nodes[name]
            current = sum(value(p, 0)[0] for p in predecessors[name])
            s = state[name]
            flat = lambda a: np.asarray(a, dtype=float).reshape(-1)
            spikes = np.zeros_like(s["v"])
            if isinstance(node, (nir.LIF, nir.LI)):
                s["v"] = s["v"] + dt / flat(node.tau) * (flat(node.v_leak) - s["v"] + flat(node.r) * current)
            elif isinstance(node, (nir.CubaLIF, nir.CubaLI)):
                s["i"] = s["i"] * (1 - dt / flat(node.tau_syn)) + flat(node.w_in) * current
                s["v"] = s["v"] + dt / flat(node.tau_mem) * (flat(node.v_leak) - s["v"] + flat(node.r) * s["i"])
            elif isinstance(node, nir.IF):
                s["v"] = s["v"] + flat(node.r) * current
            elif isinstance(node, nir.Threshold):
                spikes = (current > flat(node.threshold)).astype(float)
            if isinstance(node, (nir.LIF, nir.CubaLIF, nir.IF)):
                spikes = (s["v"] > flat(node.v_threshold)).astype(float)
                s["v"] = np.where(spikes > 0, flat(node.v_reset), s["v"])
            new_spikes[name] = spikes
            counts[name] += spikes.astype(int)
        for name in spiking:
            history[name].append(new_spikes[name])
    result = {"counts": {k: v.tolist() for k, v in counts.items()}}
    readouts = {k: state[k]["v"].tolist() for k in spiking if isinstance(nodes[k], (nir.LI, nir.CubaLI))}
    if readouts:
        result["last_v"] = readouts
    return result


def graph_lists(graph, prefix=""):
    """Node names with their types, and edges, as the importer should list them."""
    nodes, edges = flatten_graph(graph)
    return sorted([name, type(node).__name__] for name, node in nodes.items()), sorted([a, b] for a, b in edges)


def error_fixtures():
    """Graphs the importer must refuse with a clear message (no reference run)."""
    # An integrator (nir.I) has no threshold and no leak: not a node type the chip runs.
    nir.write("error_integrator.nir", nir.NIRGraph(
        nodes={"input": nir.Input(np.array([3])), "fc": nir.Linear(np.eye(3)), "integrator": nir.I(r=np.ones(3)), "output": nir.Output(np.array([3]))},
        edges=[("input", "fc"), ("fc", "integrator"), ("integrator", "output")], type_check=False))
    # Weights after the last neuron: the chip can only output neuron spikes or voltages.
    nir.write("error_weights_to_output.nir", nir.NIRGraph(
        nodes={"input": nir.Input(np.array([3])), "fc": nir.Linear(np.eye(3)), "lif": lif(3), "readout": nir.Linear(np.ones((2, 3))), "output": nir.Output(np.array([2]))},
        edges=[("input", "fc"), ("fc", "lif"), ("lif", "readout"), ("readout", "output")]))
    # A reset voltage away from rest: the chip resets to rest.
    bad = lif(3)
    bad.v_reset = np.full(3, 0.5)
    nir.write("error_reset.nir", nir.NIRGraph(
        nodes={"input": nir.Input(np.array([3])), "fc": nir.Linear(np.eye(3)), "lif": bad, "output": nir.Output(np.array([3]))},
        edges=[("input", "fc"), ("fc", "lif"), ("lif", "output")]))


def main():
    error_fixtures()
    versions = {"nir": nir.version, "h5py": h5py.__version__, "hdf5": h5py.version.hdf5_version, "numpy": np.__version__}
    for name, graph in graphs().items():
        write_fixture(name, graph, versions)


def write_fixture(name, graph, versions, dt=DT):
    """Writes NAME.nir, NAME.input.json and NAME.reference.json for one graph."""
    nir.write(f"{name}.nir", graph)
    assert isinstance(nir.read(f"{name}.nir", type_check=False), nir.NIRGraph)
    inputs = [k for k, v in graph.nodes.items() if isinstance(v, nir.Input)]
    spikes, listing = {}, []
    for k in inputs:
        size = int(np.prod(graph.nodes[k].input_type["input"]))
        spikes[k] = (rng.random((size, STEPS)) < 0.25)
        listing.append({"name": k, "size": size, "spike_times": [[int(t) + 1 for t in np.nonzero(row)[0]] for row in spikes[k]]})
    with open(f"{name}.input.json", "w") as f:
        json.dump({"inputs": listing}, f)
    reference = simulate(graph, spikes, dt=dt)
    node_list, edge_list = graph_lists(graph)
    reference.update({"steps": STEPS, "dt": dt, "nodes": node_list, "edges": edge_list, "versions": versions})
    with open(f"{name}.reference.json", "w") as f:
        json.dump(reference, f, indent=1, sort_keys=True)
    print(name, {k: sum(v) for k, v in reference["counts"].items()})


if __name__ == "__main__":
    main()
