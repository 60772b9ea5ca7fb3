"""A hostile-file corpus made here (issue 18): each `.keras` archive or weights file is refused with an error naming
the one cause found, after reading little. Memory is checked with tracemalloc: a refusal made before the model is
built stays under 1.5x the model's largest variable; one made after it (the weights member measured against the
model) costs no more than loading the legitimate file. Legitimate archives with assets load.

Links, external storage and bytecode attacks of the Keras 3 CVEs have their own tests in test_saving_safety.py.
"""

import gc
import io
import json
import re
import stat
import struct
import tracemalloc
import zipfile

import h5py
import numpy as np
import pytest
import support

import kerasx
from kerasx import layers, saving

UNITS = 512  # the kernel, 1 MiB of float32, is the largest variable
LARGEST_VARIABLE = UNITS * UNITS * 4
WEIGHTS = "model.weights.h5"


def _model():
    inputs = kerasx.Input((UNITS,), name="x")
    return kerasx.Model(inputs, layers.Dense(UNITS)(inputs))


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    path = tmp_path_factory.mktemp("good") / "good.keras"
    _model().save(path)
    saving.load_model(path)  # imports and caches warmed, so that the measured loads count only themselves
    return path


def _members(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(path, members, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            if isinstance(name, zipfile.ZipInfo):
                archive.writestr(name, data)
            else:
                archive.writestr(name, data, compress_type=compression)
    return path


def _peak_of(load) -> tuple:
    """(error message or None, peak bytes traced while `load` ran)."""
    gc.collect()
    tracemalloc.start()
    try:
        load()
        message = None
    except ValueError as error:
        message = str(error)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return message, peak


def _edit_weights(members, edit) -> dict:
    buffer = io.BytesIO(members[WEIGHTS])
    with h5py.File(buffer, "r+") as file:
        edit(file)
    return {**members, WEIGHTS: buffer.getvalue()}


def _forge_declared_size(path, name, size):
    """Rewrites the compressed and uncompressed sizes the central directory declares for `name` (a header that
    lies consistently, so that the compression ratio looks like a stored member's)."""
    data = bytearray(path.read_bytes())
    offset = 0
    encoded = name.encode()
    while True:
        offset = data.find(b"PK\x01\x02", offset)
        length = struct.unpack_from("<H", data, offset + 28)[0]
        if bytes(data[offset + 46 : offset + 46 + length]) == encoded:
            struct.pack_into("<II", data, offset + 20, size, size)
            break
        offset += 4
    path.write_bytes(bytes(data))
    return path


def _link_member(name, mode):
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (mode | 0o777) << 16
    return info


def _deep_config(members):
    return {**members, "config.json": b"[" * 5000 + b"]" * 5000}


def _unknown_class(members):
    config = json.loads(members["config.json"])
    config["config"]["layers"][1]["class_name"] = "EvilLayer"
    config["config"]["layers"][1]["module"] = "os"
    return {**members, "config.json": json.dumps(config).encode()}


def _function_config(members):
    config = json.loads(members["config.json"])
    layer = config["config"]["layers"][1]["config"]
    layer["activation"] = {"module": "builtins", "class_name": "function", "config": "exec", "registered_name": None}
    return {**members, "config.json": json.dumps(config).encode()}


# name -> (build the hostile file from the good members, regex the message must match, refused before building)
ZIP_BOMB = b"\0" * (64 * 2**20)
CASES = {
    "bomb-config": (lambda m: ({**m, "config.json": m["config.json"] + b" " * (80 * 2**20)}, zipfile.ZIP_DEFLATED),
                    r"member 'config.json' declares \d+ bytes uncompressed, above the limit", True),
    "bomb-metadata": (lambda m: ({**m, "metadata.json": ZIP_BOMB}, zipfile.ZIP_DEFLATED),
                      r"member 'metadata.json' declares \d+ bytes uncompressed, above the limit", True),
    "bomb-weights": (lambda m: ({**m, WEIGHTS: ZIP_BOMB}, zipfile.ZIP_DEFLATED),
                     r"member 'model.weights.h5' declares \d+ bytes compressed into \d+ .*MAX_COMPRESSION_RATIO",
                     True),
    "bomb-asset": (lambda m: ({**m, "assets/layers/dense/vocabulary.txt": ZIP_BOMB}, zipfile.ZIP_DEFLATED),
                   r"member 'assets/layers/dense/vocabulary.txt' declares \d+ bytes compressed", True),
    "traversal": (lambda m: ({**m, "assets/../../evil.txt": b"x"}, zipfile.ZIP_STORED),
                  r"'assets/\.\./\.\./evil\.txt', which contains '\.\.'", True),
    "absolute": (lambda m: ({**m, "/etc/evil": b"x"}, zipfile.ZIP_STORED), r"which is an absolute path", True),
    "symlink": (lambda m: ({**m, _link_member("assets/layers/dense/v.txt", stat.S_IFLNK): b"/etc/passwd"},
                           zipfile.ZIP_STORED), r"'assets/layers/dense/v\.txt' is a symbolic link", True),
    "device": (lambda m: ({**m, _link_member("assets/dev", stat.S_IFCHR): b""}, zipfile.ZIP_STORED),
               r"'assets/dev' is a character device", True),
    "file-and-folder": (lambda m: ({**m, "assets/a": b"x", "assets/a/b": b"y"}, zipfile.ZIP_STORED),
                        r"member 'assets/a' is a file and also the folder of 'assets/a/b'", True),
    "unexpected-member": (lambda m: ({**m, "payload.py": b"import os"}, zipfile.ZIP_STORED),
                          r"holds a member 'payload\.py'", True),
    "missing-weights-member": (lambda m: ({k: v for k, v in m.items() if k != WEIGHTS}, zipfile.ZIP_STORED),
                               r"has no 'model\.weights\.h5' member", True),
    "deep-json": (lambda m: (_deep_config(m), zipfile.ZIP_STORED), r"config\.json nests more than \d+ levels", True),
    "unknown-class": (lambda m: (_unknown_class(m), zipfile.ZIP_STORED),
                      r"names class 'EvilLayer' \(module 'os'\)", True),
    "code-in-config": (lambda m: (_function_config(m), zipfile.ZIP_STORED), r"'exec'", True),
    "shape-bomb": (lambda m: (_edit_weights(m, lambda f: (
        f["layers/dense/vars"].pop("0"),
        f["layers/dense/vars"].create_dataset("0", shape=(2**20, 2**20), dtype="float32", chunks=(1, 1)),
    )), zipfile.ZIP_STORED), r"dataset 'layers/dense/vars/0' declares shape \(1048576, 1048576\)", False),
    "wrong-shape": (lambda m: (_edit_weights(m, lambda f: (
        f["layers/dense/vars"].pop("1"), f["layers/dense/vars"].create_dataset("1", data=np.zeros(3, "float32")),
    )), zipfile.ZIP_STORED), r"variable '.*bias' has shape \(512,\) but the file's array '.*vars/1' has shape \(3,\)",
        False),
    "wrong-dtype": (lambda m: (_edit_weights(m, lambda f: (
        f["layers/dense/vars"].pop("1"), f["layers/dense/vars"].create_dataset("1", data=np.array([b"x"] * 512)),
    )), zipfile.ZIP_STORED), r"'layers/dense/vars/1' is a dataset of \|S1; expected a numeric array", False),
    "missing-weights": (lambda m: (_edit_weights(m, lambda f: f["layers/dense/vars"].pop("1")), zipfile.ZIP_STORED),
                        r"has 1 arrays in 'layers/dense/vars' but the layer has 2 variables", False),
    "extra-weights": (lambda m: (_edit_weights(m, lambda f: f.create_dataset("layers/ghost/vars/0", data=[1.0])),
                                 zipfile.ZIP_STORED), r"weights in \['layers/ghost/vars'\] that match no layer", False),
    "truncated-weights": (lambda m: ({**m, WEIGHTS: m[WEIGHTS][: len(m[WEIGHTS]) // 2]}, zipfile.ZIP_STORED),
                          r"member 'model\.weights\.h5' is not a readable HDF5 file", False),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_archive_refused_naming_the_cause(tmp_path, good, case):
    build, match, before_build = CASES[case]
    members, compression = build(_members(good))
    path = _write(tmp_path / f"{case}.keras", members, compression)
    message, peak = _peak_of(lambda: saving.load_model(path))
    assert message is not None, f"{case} was loaded"
    assert re.search(match, message), message
    if before_build:
        assert peak < 1.5 * LARGEST_VARIABLE, (case, peak)
    else:
        _, legitimate = _peak_of(lambda: saving.load_model(good))
        # What building the model costs (its initial values) plus a few KB of metadata, no more than a good load.
        assert peak < max(1.05 * legitimate, 1.5 * LARGEST_VARIABLE), (case, peak, legitimate)


def test_weights_member_declaring_gigabytes_is_refused_before_reading(tmp_path, good):
    # The header claims 3 GiB (below MAX_WEIGHTS_BYTES) for a model of 1 MiB: refused from the model's own size.
    path = _forge_declared_size(_write(tmp_path / "forged.keras", _members(good)), WEIGHTS, 3 * 2**30)
    message, peak = _peak_of(lambda: saving.load_model(path))
    assert message is not None
    assert "declares 3221225472 bytes, but the model its config describes has 1050624 bytes of variables" in message
    assert "WEIGHTS_SIZE_FACTOR" in message
    _, legitimate = _peak_of(lambda: saving.load_model(good))
    assert peak <= legitimate * 1.1


def test_truncated_archive_refused(tmp_path, good):
    data = good.read_bytes()
    path = tmp_path / "truncated.keras"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"the `\.keras` archive is truncated"):
        saving.load_model(path)


def test_duplicate_members_refused(tmp_path, good):
    members = _members(good)
    path = tmp_path / "dup.keras"
    with zipfile.ZipFile(path, "w") as archive, pytest.warns(UserWarning, match="Duplicate name"):
        for name, data in members.items():
            archive.writestr(name, data)
        archive.writestr("metadata.json", b"{}")
    with pytest.raises(ValueError, match=r"holds two members named 'metadata\.json'"):
        saving.load_model(path)


def test_member_count_limit(tmp_path, good, monkeypatch):
    monkeypatch.setattr(saving.limits, "MAX_ARCHIVE_MEMBERS", 5)
    members = {**_members(good), **{f"assets/f{i}": b"" for i in range(5)}}
    path = _write(tmp_path / "many.keras", members)
    with pytest.raises(ValueError, match=r"holds 8 members, above the limit of 5.*MAX_ARCHIVE_MEMBERS"):
        saving.load_model(path)


def _lookup_model(module):
    lookup = module.layers.StringLookup()
    lookup.adapt(np.array([["cat"], ["dog"], ["dog"], ["bird"], ["bird"], ["bird"]]))  # vocabulary: bird, dog, cat
    inputs = module.Input((1,), dtype="string")
    return module.Model(inputs, lookup(inputs))


def test_archives_with_assets_load(tmp_path):
    x = np.array([["dog"], ["bird"], ["fish"]])
    path = tmp_path / "lookup.keras"
    _lookup_model(kerasx).save(path)
    assert any(name.startswith("assets/") for name in _members(path))
    np.testing.assert_array_equal(support.to_numpy(saving.load_model(path)(x)), [[2], [1], [0]])


def test_keras3_archive_with_assets_loads(tmp_path):
    keras = pytest.importorskip("keras")
    path = tmp_path / "keras3.keras"
    _lookup_model(keras).save(path)
    assert any(name.startswith("assets/") for name in _members(path))
    x = np.array([["cat"], ["bird"], ["fish"]])
    np.testing.assert_array_equal(support.to_numpy(saving.load_model(path)(x)), [[3], [1], [0]])
