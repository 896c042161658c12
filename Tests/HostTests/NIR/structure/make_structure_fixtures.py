#!/usr/bin/env python3
"""Small NIR graphs about graph structure and names, written by nir.write (nir 1.0.8):

  empty_edges.nir       Input -> Linear -> sub.lif -> Output, where `sub` is a NIRGraph holding one
                        LIF and no edges: nir.write stores its empty edge list as a float64 dataset
                        of shape (0,), which the importer reads as no edges
  long_names.nir        two LIF nodes of 31 characters each, so `SOURCE_to_TARGET` has 66
  name_clash.nir        nodes `a`, `a_to`, `b`, `to_b` with edges a_to -> b and a -> to_b: both
                        projections would be named `a_to_to_b`
  duplicate_edge.nir    the edge Linear -> LIF listed twice (nir.read refuses it: "Duplicate edge")
  output_shape.nir      an Output of shape (7,) fed by a LIF of 2 neurons
  edge_from_output.nir  an edge from the top-level Output to a second LIF

The malformed graphs are built with type_check=False, as a writer that skips nir's checks would.
Run from this directory: python make_structure_fixtures.py.
"""
import nir
import numpy as np


def lif(n):
    return nir.LIF(tau=np.full(n, 0.02), r=np.full(n, 20.0), v_leak=np.zeros(n), v_threshold=np.ones(n), v_reset=np.zeros(n))


def write(name, nodes, edges):
    nir.write(name + ".nir", nir.NIRGraph(nodes=nodes, edges=edges, type_check=False))


def main():
    sub = nir.NIRGraph(nodes={"lif": lif(2)}, edges=[], type_check=False)
    write("empty_edges", {"input": nir.Input(np.array([2])), "w": nir.Linear(np.eye(2) * 0.6), "sub": sub, "output": nir.Output(np.array([2]))},
          [("input", "w"), ("w", "sub.lif"), ("sub.lif", "output")])

    a, b = "encoder_block1_lif_neurons_main", "decoder_block2_lif_neurons_out1"
    write("long_names", {"input": nir.Input(np.array([2])), "w1": nir.Linear(np.eye(2) * 0.6), a: lif(2),
                         "w2": nir.Linear(np.eye(2) * 0.6), b: lif(2), "output": nir.Output(np.array([2]))},
          [("input", "w1"), ("w1", a), (a, "w2"), ("w2", b), (b, "output")])

    write("name_clash", {"input": nir.Input(np.array([2])), "w": nir.Linear(np.eye(2) * 0.6), "a": lif(2), "a_to": lif(2),
                         "w2": nir.Linear(np.eye(2) * 0.6), "w3": nir.Linear(np.eye(2) * 0.6), "b": lif(2), "to_b": lif(2),
                         "output": nir.Output(np.array([2]))},
          [("input", "w"), ("w", "a"), ("w", "a_to"), ("a_to", "w2"), ("w2", "b"), ("a", "w3"), ("w3", "to_b"), ("b", "output"), ("to_b", "output")])

    simple = {"input": nir.Input(np.array([2])), "w": nir.Linear(np.eye(2) * 0.6), "lif": lif(2), "output": nir.Output(np.array([2]))}
    write("duplicate_edge", simple, [("input", "w"), ("w", "lif"), ("w", "lif"), ("lif", "output")])
    write("output_shape", dict(simple, output=nir.Output(np.array([7]))), [("input", "w"), ("w", "lif"), ("lif", "output")])
    write("edge_from_output", dict(simple, lif2=lif(2)), [("input", "w"), ("w", "lif"), ("lif", "output"), ("output", "lif2")])


if __name__ == "__main__":
    main()
