"""What `load_model` says about files it cannot read: a missing path, a directory, an empty file, a truncated or
corrupt archive, a file of another kind, an unknown class (and how to register it); and a model compiled with loss
and metric objects saves and loads."""

import re
import zipfile

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers, losses, metrics, saving


def _model():
    inputs = kerasx.Input((3,), name="x")
    return kerasx.Model(inputs, layers.Dense(4)(inputs), name="small")


def test_missing_file_is_file_not_found_naming_the_path(tmp_path):
    path = tmp_path / "nowhere" / "model.keras"
    with pytest.raises(FileNotFoundError, match=re.escape(f"Cannot load a model from '{path}': there is no such")):
        saving.load_model(path)


def test_directory_says_it_is_a_directory(tmp_path):
    with pytest.raises(IsADirectoryError, match="it is a directory"):
        saving.load_model(tmp_path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.keras"
    path.write_bytes(b"")
    with pytest.raises(ValueError, match=r"the file is empty \(0 bytes\)"):
        saving.load_model(path)


def test_truncated_archive_says_truncated_with_the_size(tmp_path):
    _model().save(tmp_path / "m.keras")
    data = (tmp_path / "m.keras").read_bytes()
    cut = tmp_path / "cut.keras"
    cut.write_bytes(data[: len(data) // 2])
    message = f"Cannot load '{cut}': the `.keras` archive is truncated: the file ({len(data) // 2} bytes) starts as"
    with pytest.raises(ValueError, match=re.escape(message)):
        saving.load_model(cut)


def test_corrupt_member_names_the_member(tmp_path):
    path = tmp_path / "m.keras"
    _model().save(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("config.json")
    # Flip a byte inside config.json's stored data: its CRC no longer matches.
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 5
    data[start] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"the archive's member 'config.json' is corrupt \(Bad CRC-32"):
        saving.load_model(path)


def test_unreadable_weights_member(tmp_path):
    path = tmp_path / "m.keras"
    _model().save(path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["model.weights.h5"] = b"\x89HDF\r\n\x1a\n" + b"\x00" * 64
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(ValueError, match="member 'model.weights.h5' is not a readable HDF5 file"):
        saving.load_model(path)


def test_other_kind_of_file_shows_what_it_starts_with(tmp_path):
    path = tmp_path / "notes.keras"
    path.write_bytes(b'{"not": "a model"}')
    with pytest.raises(ValueError, match=re.escape("nor an HDF5 file; it starts with b'{\"not\": '")):
        saving.load_model(path)


def test_weights_only_h5_says_to_use_load_weights(tmp_path):
    model = _model()
    path = tmp_path / "w.weights.h5"
    model.save_weights(path)
    with pytest.raises(ValueError, match=r"has no `model_config` attribute, so it holds weights only.*load_weights"):
        saving.load_model(path)


def test_unknown_class_is_named_with_how_to_register_it(tmp_path):
    @saving.register_keras_serializable(package="ErrorsTest")
    class Doubling(layers.Layer):
        def call(self, inputs):
            return inputs * 2.0

    inputs = kerasx.Input((3,))
    path = tmp_path / "custom.keras"
    kerasx.Model(inputs, Doubling()(inputs)).save(path)
    text = zipfile.ZipFile(path).read("config.json").decode()
    renamed = text.replace("ErrorsTest>Doubling", "ErrorsTest>Missing").replace('"Doubling"', '"Missing"')
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["config.json"] = renamed.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(ValueError, match=r"names class 'ErrorsTest>Missing'.*register_keras_serializable"):
        saving.load_model(path)


def test_unknown_keras_op_is_named(tmp_path):
    inputs = kerasx.Input((3,))
    path = tmp_path / "ops.keras"
    kerasx.Model(inputs, kerasx.ops.sin(inputs)).save(path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["config.json"] = members["config.json"].replace(b'"Sin"', b'"Frobnicate"')
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(ValueError, match=r"calls the Keras operation 'Frobnicate' \(module 'keras.src.ops.numpy'\)"):
        saving.load_model(path)


@support.needs_gradients
def test_loss_and_metric_objects_save_and_load(tmp_path):
    model = _model()
    model.compile(
        optimizer="adam",
        loss=losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[metrics.SparseCategoricalAccuracy(), "accuracy"],
    )
    x = support.random_array((5, 3))
    y = np.array([0, 1, 2, 3, 1], "int32")
    model.train_on_batch(x, y)
    model.save(tmp_path / "m.keras")
    loaded = saving.load_model(tmp_path / "m.keras")
    loss = loaded._compile_loss._loss
    assert isinstance(loss, losses.SparseCategoricalCrossentropy) and loss.get_config()["from_logits"] is True
    expected = model.evaluate(x, y, verbose=0, return_dict=True)
    actual = loaded.evaluate(x, y, verbose=0, return_dict=True)
    assert sorted(actual) == sorted(expected)
    for name in expected:
        np.testing.assert_allclose(actual[name], expected[name], rtol=1e-6)
    model.train_on_batch(x, y)
    loaded.train_on_batch(x, y)
    for a, b in zip(loaded.weights, model.weights):
        support.assert_close(a, b.numpy(), rtol=1e-6)


def test_keras_layer_kerasx_lacks_is_named(tmp_path):
    path = tmp_path / "m.keras"
    _model().save(path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["config.json"] = members["config.json"].replace(b'"Dense"', b'"FancyNewLayer"')
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    message = "uses Keras 3's class 'FancyNewLayer' (module 'keras.layers'), which kerasx does not provide"
    with pytest.raises(ValueError, match=re.escape(message) + r".*custom_objects=\{'FancyNewLayer': \.\.\.\}"):
        saving.load_model(path)
