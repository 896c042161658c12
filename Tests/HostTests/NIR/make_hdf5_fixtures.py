"""Writes the HDF5 reader's test files into hdf5/ and the known answers into hdf5/expected.json.

Each file exercises one storage feature of the format, so a failing test names the feature.
Run from this directory: python make_hdf5_fixtures.py
"""
import json
import os
import zlib

import h5py
import numpy as np

OUT = "hdf5"
os.makedirs(OUT, exist_ok=True)
expected = {"versions": {"h5py": h5py.__version__, "hdf5": h5py.version.hdf5_version, "numpy": np.__version__}}


def values(array):
    array = np.asarray(array)
    if array.dtype.kind in "SOU":
        flat = [v.decode() if isinstance(v, bytes) else str(v) for v in array.reshape(-1)]
    else:
        flat = [float(v) if array.dtype.kind == "f" else int(v) for v in array.reshape(-1)]
    return {"shape": list(array.shape), "values": flat}


def dataset_file(name, libver, build):
    path = os.path.join(OUT, name + ".h5")
    answers = {}
    with h5py.File(path, "w", libver=libver) as f:
        build(f, answers)
    expected[name] = answers


def types(f, answers):
    # Every integer width and both byte orders, floats of 2, 4 and 8 bytes; at most six links per
    # group, so that libver="latest" keeps compact link messages.
    count = [0]

    def place(name):
        path = f"g{count[0] // 6}/{name}"
        count[0] += 1
        return path

    for dtype in ["<i1", "<u1", "<i2", ">i2", "<u2", "<i4", ">i4", "<u4", "<i8", ">i8", "<u8", "<f2", ">f2", "<f4", ">f4", "<f8", ">f8"]:
        kind = dtype[1]
        data = np.array([-3, -1, 0, 1, 2, 100], dtype="i8") if kind == "i" else np.array([0, 1, 2, 7, 100, 127], dtype="u8")
        if kind == "f":
            data = np.array([-2.5, -0.0, 0.0, 1.0, 3.140625, 1e-3, 65504.0], dtype="f8")
        name = place("t_" + dtype.replace("<", "le_").replace(">", "be_"))
        f.create_dataset(name, data=data.astype(dtype))
        answers[name] = values(np.asarray(f[name][()], dtype="f8" if kind == "f" else "i8"))
    name = place("fixed_string")
    f.create_dataset(name, data=np.array([b"ab", b"cde", b""], dtype="S4"))
    answers[name] = values(f[name][()])
    name = place("vlen_strings")
    f.create_dataset(name, data=["alpha", "beta", "", "gamma delta"], dtype=h5py.string_dtype())
    answers[name] = values(f[name][()])
    name = place("scalar_float")
    f.create_dataset(name, data=2.75)
    answers[name] = values(f[name][()])
    name = place("scalar_string")
    f.create_dataset(name, data="Affine", dtype=h5py.string_dtype())
    answers[name] = values(f[name][()])
    group = f.create_group("group")
    group.attrs["text"] = "a variable-length string attribute"
    group.attrs["number"] = np.int32(-7)
    group.attrs["vector"] = np.array([0.5, 1.5], dtype="f8")
    group.attrs["fixed"] = np.bytes_(b"fix")
    answers["attributes"] = {"text": {"shape": [], "values": ["a variable-length string attribute"]},
                             "number": {"shape": [], "values": [-7]},
                             "vector": {"shape": [2], "values": [0.5, 1.5]},
                             "fixed": {"shape": [], "values": ["fix"]}}


def layouts(f, answers):
    data = np.arange(7 * 5, dtype="f4").reshape(7, 5) * 0.25 - 3
    f.create_dataset("contiguous", data=data)
    f.create_dataset("chunked_plain", data=data, chunks=(3, 2))
    f.create_dataset("chunked_gzip", data=data, chunks=(3, 2), compression="gzip")
    f.create_dataset("chunked_shuffle", data=data, chunks=(4, 4), compression="gzip", shuffle=True)
    f.create_dataset("chunked_fletcher", data=data, chunks=(7, 5), fletcher32=True)
    big = (np.arange(3 * 40 * 50, dtype="i4") % 97 - 40).reshape(3, 40, 50)
    f.create_dataset("chunked_many", data=big, chunks=(1, 8, 8), compression="gzip")
    f.create_dataset("empty_chunked", shape=(4,), dtype="f8", chunks=(2,))
    for name in ["contiguous", "chunked_plain", "chunked_gzip", "chunked_shuffle", "chunked_fletcher", "chunked_many", "empty_chunked"]:
        answers[name] = values(f[name][()])


def compact_layout(path):
    # h5py has no keyword for compact storage; the low-level API sets it.
    with h5py.File(path, "a") as f:
        space = h5py.h5s.create_simple((3,))
        plist = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        plist.set_layout(h5py.h5d.COMPACT)
        dataset = h5py.h5d.create(f.id, b"really_compact", h5py.h5t.NATIVE_INT16, space, plist)
        dataset.write(h5py.h5s.ALL, h5py.h5s.ALL, np.array([5, -6, 7], dtype="i2"))
    expected["layouts"]["really_compact"] = {"shape": [3], "values": [5, -6, 7]}


dataset_file("types_v0", "earliest", types)
dataset_file("types_latest", "latest", types)
dataset_file("layouts", "earliest", layouts)
compact_layout(os.path.join(OUT, "layouts.h5"))
dataset_file("layouts_latest", "latest", lambda f, a: (f.create_dataset("single_chunk", data=np.arange(6, dtype="i2"), chunks=(6,), compression="gzip"),
                                                        a.update({"single_chunk": values(np.arange(6))})))
# Many links in one group: with libver="latest" HDF5 switches to dense (fractal heap) storage.
with h5py.File(os.path.join(OUT, "dense_links.h5"), "w", libver="latest") as f:
    for k in range(20):
        f.create_dataset(f"d{k:02d}", data=k)

# Known zlib streams for the inflate tests: stored, fixed and dynamic Huffman blocks, and a long
# repetitive input with overlapping back-references.
inflate = {}
samples = {
    "empty": b"",
    "hello": b"hello, hello, hello NIR",
    "stored": bytes(range(256)) * 3,
    "repeats": b"abc" * 5000 + b"xyz" * 100,
    "text": (b"The leaky integrate-and-fire neuron integrates its input current and fires when the membrane voltage crosses threshold. " * 40),
}
for name, data in samples.items():
    for level in ([0, 1, 9] if name != "empty" else [6]):
        inflate[f"{name}_level{level}"] = {"compressed": zlib.compress(data, level).hex(), "adler32": zlib.adler32(data), "length": len(data),
                                           "sha_prefix": data[:16].hex(), "plain": data.hex() if len(data) <= 2048 else None}
with open(os.path.join(OUT, "inflate.json"), "w") as f:
    json.dump(inflate, f, indent=1, sort_keys=True)
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
print("wrote", sorted(os.listdir(OUT)))
