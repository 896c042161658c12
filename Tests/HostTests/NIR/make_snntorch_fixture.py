"""Writes snntorch_mlp.nir: a two-layer network exported by snnTorch's own NIR exporter, with
input spikes and a float reference run (the discretisation of make_fixtures.py).

snnTorch exports Leaky layers with dt = 0.1 ms (tau = dt / (1 - beta), r = tau / dt), so the
reference, and NeuroEmu (`--dt 0.1`), run with 0.1 ms steps. Needs torch, snntorch, nirtorch
and nir; run from this directory: python make_snntorch_fixture.py
"""
import h5py
import nir
import numpy as np
import snntorch
import torch
import torch.nn as nn
from snntorch.export_nir import export_to_nir

import make_fixtures

torch.manual_seed(7)
net = nn.Sequential(
    nn.Linear(10, 8),
    # One beta per neuron: snnTorch then exports LIF parameters of shape (8,), which nir's
    # type inference needs.
    snntorch.Leaky(beta=torch.linspace(0.85, 0.95, 8), threshold=torch.ones(8), init_hidden=True),
    nn.Linear(8, 3),
    snntorch.Leaky(beta=torch.full((3,), 0.9), threshold=torch.ones(3), init_hidden=True, output=True),
)
with torch.no_grad():
    net[0].weight.mul_(2.0).add_(0.15)
    net[0].bias.mul_(0.1)
    net[2].weight.abs_().mul_(2.0)
graph = export_to_nir(net, torch.zeros(1, 10), ignore_dims=[0])  # drop the batch dimension
versions = {"nir": nir.version, "h5py": h5py.__version__, "hdf5": h5py.version.hdf5_version, "numpy": np.__version__,
            "torch": torch.__version__, "snntorch": snntorch.__version__}
make_fixtures.write_fixture("snntorch_mlp", graph, versions, dt=1e-4)
