#!/usr/bin/env python3
"""many_nodes.nir: a flat NIR graph of 202 nodes, Input -> 100 x [Linear (1, 1) -> Scale (1)] ->
Output, for counting how often the reader decodes a group's link table (once per group).

Written with h5py directly rather than nir.write, to keep the file small: compact datasets
without modification times. The layout is the one nir.write gives (`/node` the top NIRGraph with
`type`, `nodes` and `edges`; one group per node with `type` and its parameters), as old-style
symbol-table groups. Run from this directory: python make_scale_fixture.py.
"""
import h5py
import numpy as np

PAIRS = 100


def dataset(group, name, value):
    if isinstance(value, str):
        group.create_dataset(name, data=value, dtype=h5py.string_dtype(), track_times=False)
        return
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    dcpl.set_obj_track_times(False)
    space = h5py.h5s.create_simple(value.shape)
    ds = h5py.h5d.create(group.id, name.encode(), h5py.h5t.py_create(value.dtype), space, dcpl=dcpl)
    ds.write(h5py.h5s.ALL, h5py.h5s.ALL, np.ascontiguousarray(value))


def main():
    with h5py.File("many_nodes.nir", "w") as f:
        top = f.create_group("node")
        dataset(top, "type", "NIRGraph")
        nodes = top.create_group("nodes")

        def node(name, kind, **parameters):
            g = nodes.create_group(name)
            dataset(g, "type", kind)
            for key, value in parameters.items():
                dataset(g, key, value)

        node("input", "Input", shape=np.array([1]))
        edges, previous = [], "input"
        for i in range(PAIRS):
            node(f"w{i}", "Linear", weight=np.full((1, 1), 0.5))
            node(f"s{i}", "Scale", scale=np.array([1.0]))
            edges += [(previous, f"w{i}"), (f"w{i}", f"s{i}")]
            previous = f"s{i}"
        node("output", "Output", shape=np.array([1]))
        edges.append((previous, "output"))
        top.create_dataset("edges", data=np.array(edges, dtype=object), dtype=h5py.string_dtype(), track_times=False)


if __name__ == "__main__":
    main()
