"""Hostile files: each attack shape of the Keras 3 CVEs in this code path is refused with an error naming the
problem, runs nothing (a marker file stays absent), writes nothing, and fails within 5 seconds."""

import base64
import contextlib
import json
import marshal
import re
import sys
import time
import zipfile

import h5py
import numpy as np
import pytest

import kerasx
from kerasx import layers, saving

MEMBERS = ("metadata.json", "config.json", "model.weights.h5")


def _model():
    inputs = kerasx.Input((3,), name="x")
    return kerasx.Model(inputs, layers.Dense(2)(inputs))


def _members(tmp_path) -> dict:
    _model().save(tmp_path / "good.keras")
    with zipfile.ZipFile(tmp_path / "good.keras") as archive:
        members = {name: archive.read(name) for name in MEMBERS}
    (tmp_path / "good.keras").unlink()
    return members


def _write_zip(path, members):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _with_config(tmp_path, mutate):
    members = _members(tmp_path)
    config = json.loads(members["config.json"])
    mutate(config)
    members["config.json"] = json.dumps(config).encode()
    return _write_zip(tmp_path / "hostile.keras", members)


@contextlib.contextmanager
def refused(tmp_path, match, marker_name="marker"):
    """Asserts the block raises ValueError matching `match` within 5 s, leaves no marker and writes no file."""
    marker = tmp_path / marker_name
    before = sorted(p.name for p in tmp_path.parent.iterdir()), sorted(p.name for p in tmp_path.iterdir())
    start = time.monotonic()
    with pytest.raises(ValueError, match=match):
        yield marker
    assert time.monotonic() - start < 5.0
    assert not marker.exists()
    after = sorted(p.name for p in tmp_path.parent.iterdir()), sorted(p.name for p in tmp_path.iterdir())
    assert after == before


def _payload_code(marker) -> str:
    namespace = {}
    exec(f"def payload(x):\n    open({str(marker)!r}, 'w').write('ran')\n    return x\n", namespace)
    return base64.b64encode(marshal.dumps(namespace["payload"].__code__)).decode("ascii")


def _lambda_entry(marker, name="lam"):
    function = {"class_name": "__lambda__", "config": {"code": _payload_code(marker), "defaults": None, "closure": None}}
    return {
        "module": "keras.layers",
        "class_name": "Lambda",
        "config": {"name": name, "trainable": True, "dtype": "float32", "function": function, "arguments": {}},
        "registered_name": None,
    }


def _replace_dense(config, entry):
    """Puts `entry` where the model's Dense layer was (same name, same call)."""
    layer = config["config"]["layers"][1]
    name = layer["name"]
    entry = dict(entry, name=name, inbound_nodes=layer["inbound_nodes"])
    entry["config"] = dict(entry["config"], name=name)
    config["config"]["layers"][1] = entry


# CVE-2024-3660: Lambda layers carrying bytecode. ------------------------------------------------------------------
def test_lambda_bytecode_refused_in_safe_mode(tmp_path):
    marker = tmp_path / "marker"
    path = _with_config(tmp_path, lambda c: _replace_dense(c, _lambda_entry(marker)))
    with refused(tmp_path, r"carrying Python bytecode.*safe_mode=False"):
        saving.load_model(path)
    with refused(tmp_path, r"carrying Python bytecode"):
        saving.load_model(path, safe_mode=True, compile=False)


def test_lambda_bytecode_runs_only_when_the_caller_passes_safe_mode_false(tmp_path):
    marker = tmp_path / "marker"
    path = _with_config(tmp_path, lambda c: _replace_dense(c, _lambda_entry(marker)))
    with pytest.raises(ValueError, match=r"bytecode"):
        saving.load_model(path)
    assert not marker.exists()
    with pytest.raises(ValueError, match=r"match no layer"):  # the Dense weights do not fit the Lambda model
        saving.load_model(path, safe_mode=False)
    assert marker.exists()  # the caller allowed the code, so building the model ran it


def test_file_cannot_turn_safe_mode_off(tmp_path):
    marker = tmp_path / "marker"

    def mutate(config):
        _replace_dense(config, _lambda_entry(marker))
        config["safe_mode"] = False
        config["config"]["safe_mode"] = False
        config["config"]["layers"][1]["config"]["safe_mode"] = False

    path = _with_config(tmp_path, mutate)
    with refused(tmp_path, r"bytecode.*The file cannot turn this setting on"):
        saving.load_model(path)


# CVE-2025-1550: arbitrary module import through a config's `module`. ---------------------------------------------
@pytest.mark.parametrize(
    "module, class_name",
    [("os", "system"), ("subprocess", "Popen"), ("builtins", "exec"), ("evil_module", "Planted")],
    ids=["os.system", "subprocess.Popen", "builtins.exec", "planted-module"],
)
def test_config_module_is_never_imported(tmp_path, monkeypatch, module, class_name):
    (tmp_path / "evil_module.py").write_text(f"open({str(tmp_path / 'marker')!r}, 'w').write('imported')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = {"module": module, "class_name": class_name, "config": {"command": "touch marker"}, "registered_name": None}
    path = _with_config(tmp_path, lambda c: _replace_dense(c, entry))
    with refused(tmp_path, rf"names class '{class_name}' \(module '{module}'\).*never imports"):
        saving.load_model(path)
    assert "evil_module" not in sys.modules


def test_nested_object_module_is_never_imported(tmp_path, monkeypatch):
    (tmp_path / "evil_module.py").write_text(f"open({str(tmp_path / 'marker')!r}, 'w').write('imported')\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    def mutate(config):
        dense = config["config"]["layers"][1]["config"]
        dense["kernel_initializer"] = {"module": "evil_module", "class_name": "Boom", "config": {}, "registered_name": None}

    path = _with_config(tmp_path, mutate)
    with refused(tmp_path, r"names class 'Boom' \(module 'evil_module'\)"):
        saving.load_model(path)
    assert "evil_module" not in sys.modules


# CVE-2025-8747: safe-mode bypass through a function reference reachable from the config. ------------------------
@pytest.mark.parametrize(
    "module, function",
    [("keras.utils", "get_file"), ("builtins", "exec"), ("os", "system")],
    ids=["keras.utils.get_file", "builtins.exec", "os.system"],
)
def test_function_reference_bypass_refused(tmp_path, module, function):
    marker = tmp_path / "marker"
    entry = {
        "module": "keras.layers",
        "class_name": "Lambda",
        "config": {
            "name": "lam",
            "function": {"module": module, "class_name": "function", "config": function, "registered_name": "function"},
            "arguments": {"fname": str(marker), "origin": "file:///etc/hostname", "cache_dir": str(tmp_path)},
        },
        "registered_name": None,
    }
    path = _with_config(tmp_path, lambda c: _replace_dense(c, entry))
    with refused(tmp_path, rf"'{function}'"):
        saving.load_model(path)


# CVE-2025-9906: the file reaching `enable_unsafe_deserialization`. ------------------------------------------------
def test_enable_unsafe_deserialization_unreachable_from_file(tmp_path):
    marker = tmp_path / "marker"
    switch = {"module": "keras.config", "class_name": "enable_unsafe_deserialization", "config": {}, "registered_name": None}

    def mutate(config):
        # First an object and a function naming the switch, then a Lambda with code that relies on it.
        config["config"]["layers"][0]["config"]["switch"] = switch
        _replace_dense(config, _lambda_entry(marker))

    path = _with_config(tmp_path, mutate)
    with refused(tmp_path, r"enable_unsafe_deserialization|bytecode"):
        saving.load_model(path)
    lambda_only = _with_config(tmp_path, lambda c: _replace_dense(c, _lambda_entry(marker)))
    with refused(tmp_path, r"bytecode"):  # no global switch was flipped
        saving.load_model(lambda_only)
    assert not any("unsafe" in name for name in dir(saving))


# CVE-2025-9905: HDF5 links and data outside the weights file. -----------------------------------------------------
def _weights_file(path, build):
    with h5py.File(path, "w") as file:
        file.create_group("vars").attrs["name"] = "model"
        file.create_group("layers/input_layer/vars")
        group = file.create_group("layers/dense/vars")
        group.attrs["name"] = "dense"
        build(file, group)
    return path


@pytest.mark.parametrize("kind", ["external-link", "soft-link", "external-storage", "huge-shape"])
def test_hostile_weights_h5_refused(tmp_path, kind):
    secret = tmp_path.parent / f"{tmp_path.name}_secret.h5"
    with h5py.File(secret, "w") as file:
        file["data"] = np.ones((3, 2), "float32")
    raw = tmp_path.parent / f"{tmp_path.name}_secret.bin"
    raw.write_bytes(np.arange(6, dtype="float32").tobytes())

    def build(file, group):
        group["1"] = np.zeros((2,), "float32")
        if kind == "external-link":
            group["0"] = h5py.ExternalLink(str(secret), "/data")
        elif kind == "soft-link":
            file["elsewhere"] = np.ones((3, 2), "float32")
            group["0"] = h5py.SoftLink("/elsewhere")
        elif kind == "external-storage":
            group.create_dataset("0", shape=(3, 2), dtype="float32", external=[(str(raw), 0, 24)])
        else:
            group.create_dataset("0", shape=(2**20, 2**20), dtype="float32", chunks=(1, 1))

    path = _weights_file(tmp_path / "w.weights.h5", build)
    model = _model()
    match = {
        "external-link": r"is a ExternalLink, not a group or dataset stored in the file",
        "soft-link": r"is a SoftLink",
        "external-storage": r"keeps its data outside the file \(external raw files\)",
        "huge-shape": r"declares shape \(1048576, 1048576\).*above the limit",
    }[kind]
    with refused(tmp_path, match):
        model.load_weights(path)
    members = _members(tmp_path)
    members["model.weights.h5"] = path.read_bytes()
    archive = _write_zip(tmp_path / "hostile.keras", members)
    with refused(tmp_path, match):
        saving.load_model(archive)


# CVE-2025-12060: archive member names escaping the target; sizes bounded before reading. -------------------------
@pytest.mark.parametrize(
    "name,cause",
    [
        ("../escaped.txt", r"contains '\.\.'"),
        ("/tmp/absolute.txt", "is an absolute path"),
        ("sub/../../escaped.txt", r"contains '\.\.'"),
        ("C:/windows.txt", "starts with a drive letter"),
        ("a\\..\\b.txt", "contains a backslash"),
    ],
)
def test_archive_path_traversal_refused(tmp_path, name, cause):
    members = _members(tmp_path)
    members[name] = b"payload"
    path = _write_zip(tmp_path / "hostile.keras", members)
    with refused(tmp_path, rf"member named {re.escape(repr(name))}, which {cause}"):
        saving.load_model(path)


def test_unexpected_and_duplicate_members_refused(tmp_path):
    members = _members(tmp_path)
    path = _write_zip(tmp_path / "extra.keras", {**members, "evil.py": b"import os"})
    with refused(tmp_path, r"holds a member 'evil.py'"):
        saving.load_model(path)
    with zipfile.ZipFile(tmp_path / "dup.keras", "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        with pytest.warns(UserWarning):
            archive.writestr("config.json", b"{}")
    with refused(tmp_path, r"holds two members named 'config.json'"):
        saving.load_model(tmp_path / "dup.keras")


def test_zip_bomb_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(saving.limits, "MAX_CONFIG_BYTES", 2**20)
    members = _members(tmp_path)
    members["config.json"] = b" " * (8 * 2**20) + members["config.json"]
    path = _write_zip(tmp_path / "bomb.keras", members)
    assert path.stat().st_size < 2**20
    with refused(tmp_path, r"member 'config.json' declares 8\d+ bytes uncompressed, above the limit of 1048576"):
        saving.load_model(path)


def test_deeply_nested_config_refused(tmp_path):
    members = _members(tmp_path)
    members["config.json"] = b"[" * 100_000 + b"]" * 100_000
    path = _write_zip(tmp_path / "deep.keras", members)
    with refused(tmp_path, r"nests more than \d+ levels deep"):
        saving.load_model(path)


def test_not_a_zip_refused(tmp_path):
    path = tmp_path / "plain.keras"
    path.write_bytes(b"not a zip")
    with refused(tmp_path, r"not a `\.keras` archive"):
        saving.load_model(path)


def test_weights_member_in_memory_only(tmp_path):
    """A valid load extracts nothing next to the file."""
    model = _model()
    model.save(tmp_path / "ok.keras")
    before = sorted(p.name for p in tmp_path.iterdir())
    loaded = saving.load_model(tmp_path / "ok.keras")
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    x = np.ones((2, 3), "float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_known_class_name_resolves_in_kerasx_whatever_module_the_file_names(tmp_path, monkeypatch):
    (tmp_path / "evil_module.py").write_text(f"open({str(tmp_path / 'marker')!r}, 'w').write('imported')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    path = _with_config(tmp_path, lambda c: c["config"]["layers"][1].update(module="evil_module"))
    loaded = saving.load_model(path)
    assert type(loaded.layers[1]) is layers.Dense
    assert "evil_module" not in sys.modules and not (tmp_path / "marker").exists()
