#!/usr/bin/env python3
"""NIR files behind a 512-byte user block (h5py's `userblock_size`), one per superblock family:
`earliest` (superblock 0, symbol-table groups) and `latest` (superblock 3, link messages). Every
address in such a file is relative to the superblock's base address, 512. The graph is
Input (2) -> LIF (2) -> Output, written the way `nir.write` lays it out."""
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
STRING = h5py.string_dtype()


def write(path, libver):
    with h5py.File(path, "w", libver=libver, userblock_size=512) as f:
        f.create_dataset("version", data="1.0.8", dtype=STRING)
        graph = f.create_group("node")
        graph.create_dataset("type", data="NIRGraph", dtype=STRING)
        nodes = graph.create_group("nodes")
        for name, kind in [("input", "Input"), ("output", "Output")]:
            node = nodes.create_group(name)
            node.create_dataset("type", data=kind, dtype=STRING)
            node.create_dataset("shape", data=np.array([2]))
        lif = nodes.create_group("lif")
        lif.create_dataset("type", data="LIF", dtype=STRING)
        for key, value in [("tau", 0.02), ("r", 20.0), ("v_leak", 0.0), ("v_threshold", 1.0), ("v_reset", 0.0)]:
            lif.create_dataset(key, data=np.full(2, value), compression="gzip")
        graph.create_dataset("edges", data=np.array([("input", "lif"), ("lif", "output")], dtype=object), dtype=STRING)
    with open(path, "r+b") as f:  # the user block holds whatever its owner writes: a marker here
        f.write(b"user block of make_userblock_fixtures.py\n")


for libver in ["earliest", "latest"]:
    write(os.path.join(HERE, f"userblock_{libver}.nir"), libver)
