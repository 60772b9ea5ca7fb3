"""Saving and loading on one backend: `.keras` and `.weights.h5` round trips, compile and optimizer state, custom
objects, strict weight matching, atomic writes (a killed save leaves the previous file)."""

import json
import os
import signal
import subprocess
import sys
import time
import zipfile

import h5py
import numpy as np
import pytest

import kerasx
import saving_models
import support
from kerasx import layers, saving


def _built(name):
    model = saving_models.build(kerasx, name)
    saving_models.randomize(model)
    return model


def _assert_same_predictions(model, loaded, name):
    for actual, expected in zip(saving_models.predictions(loaded, name), saving_models.predictions(model, name)):
        support.assert_close(actual, expected, rtol=0, atol=1e-6)


@pytest.mark.parametrize("name", saving_models.MODEL_NAMES)
def test_save_load_model_round_trip(tmp_path, name):
    model = _built(name)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = saving.load_model(path)
    assert type(loaded) is type(model)
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    assert [v.path for v in loaded.weights] == [v.path for v in model.weights]
    for a, b in zip(loaded.weights, model.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    _assert_same_predictions(model, loaded, name)


def test_models_load_model_alias_and_metadata(tmp_path):
    model = _built("mlp")
    model.save(tmp_path / "m.keras")
    assert kerasx.models.load_model is saving.load_model
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert sorted(archive.namelist()) == ["config.json", "metadata.json", "model.weights.h5"]
        metadata = json.loads(archive.read("metadata.json"))
        config = json.loads(archive.read("config.json"))
    assert metadata["kerasx_version"] == kerasx.__version__
    assert metadata["backend"] == support.BACKEND
    assert time.strptime(metadata["date_saved"], "%Y-%m-%d@%H:%M:%S")
    assert config["class_name"] == "Sequential"
    assert [entry["class_name"] for entry in config["config"]["layers"]] == ["InputLayer", "Dense", "Dense"]
    _assert_same_predictions(model, kerasx.models.load_model(tmp_path / "m.keras"), "mlp")


@pytest.mark.parametrize("name", ["cnn", "two_input"])
def test_save_weights_round_trip_and_keras_layout(tmp_path, name):
    model = _built(name)
    model.save_weights(tmp_path / "w.weights.h5")
    fresh = saving_models.build(kerasx, name)
    fresh.load_weights(tmp_path / "w.weights.h5")
    _assert_same_predictions(model, fresh, name)
    with h5py.File(tmp_path / "w.weights.h5", "r") as file:
        dense = "layers/dense/vars" if name == "cnn" else "layers/dense_2/vars"
        assert file[dense].attrs["name"] == model.get_layer(file[dense].attrs["name"]).name
        np.testing.assert_array_equal(file[f"{dense}/0"][()], model.get_layer(file[dense].attrs["name"]).kernel.numpy())
        if name == "cnn":
            norm = model.get_layer(file["layers/batch_normalization/vars"].attrs["name"])
            assert [w.path.split("/")[-1] for w in norm.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
            np.testing.assert_array_equal(file["layers/batch_normalization/vars/2"][()], norm.moving_mean.numpy())
        else:
            assert sorted(file["layers/lstm/cell/vars"]) == ["0", "1", "2"]


def test_weights_suffix_is_checked(tmp_path):
    model = _built("mlp")
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        model.save_weights(tmp_path / "w.h5")
    with pytest.raises(ValueError, match=r"must end in `\.keras`"):
        model.save(tmp_path / "m.zip")
    model.save(tmp_path / "m.keras")
    with pytest.raises(FileExistsError):
        model.save(tmp_path / "m.keras", overwrite=False)


def test_weight_mismatches_name_layer_variable_and_shapes(tmp_path):
    model = _built("mlp")
    model.save_weights(tmp_path / "w.weights.h5")
    wider = kerasx.Sequential([kerasx.Input((6,)), layers.Dense(9, activation="relu"), layers.Dense(3)])
    before = [w.numpy() for w in wider.weights]
    with pytest.raises(ValueError, match=r"layer 'dense.*'.*variable '(sequential\w*/)?dense.*/kernel' has shape \(6, 9\).*shape \(6, 8\)"):
        wider.load_weights(tmp_path / "w.weights.h5")
    for variable, value in zip(wider.weights, before):
        np.testing.assert_array_equal(variable.numpy(), value)  # nothing assigned
    deeper = kerasx.Sequential([kerasx.Input((6,)), layers.Dense(8), layers.Dense(3), layers.Dense(3)])
    with pytest.raises(ValueError, match=r"no weights for it \(expected group 'layers/dense_2/vars'.*kernel"):
        deeper.load_weights(tmp_path / "w.weights.h5")
    shallower = kerasx.Sequential([kerasx.Input((6,)), layers.Dense(8)])
    with pytest.raises(ValueError, match=r"weights in \['layers/dense_1/vars'\] that match no layer"):
        shallower.load_weights(tmp_path / "w.weights.h5")
    no_bias = kerasx.Sequential([kerasx.Input((6,)), layers.Dense(8, use_bias=False), layers.Dense(3)])
    with pytest.raises(ValueError, match=r"has 2 arrays in 'layers/dense/vars' but the layer has 1 variables"):
        no_bias.load_weights(tmp_path / "w.weights.h5")


@saving.register_keras_serializable(package="SavingTest")
class Scale(layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.offset = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="offset")

    def call(self, x):
        return x * self.factor + self.offset

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@saving.register_keras_serializable(package="SavingTest")
def doubled_mse(y_true, y_pred):
    return 2.0 * kerasx.ops.mean(kerasx.ops.square(y_true - y_pred), axis=-1)


class Unregistered(Scale):
    pass


def test_custom_registered_objects_round_trip(tmp_path):
    inputs = kerasx.Input((3,))
    model = kerasx.Model(inputs, layers.Dense(2)(Scale(3.0)(inputs)))
    saving_models.randomize(model)
    if support.TRAINS:
        model.compile(optimizer="sgd", loss=doubled_mse)
    model.save(tmp_path / "c.keras")
    loaded = saving.load_model(tmp_path / "c.keras")
    assert isinstance(loaded.layers[1], Scale) and loaded.layers[1].factor == 3.0
    x = np.random.rand(4, 3).astype("float32")
    support.assert_close(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=0, atol=1e-6)
    if support.TRAINS:
        assert loaded._compile_loss._loss is doubled_mse


def test_custom_objects_argument_for_unregistered_class(tmp_path):
    inputs = kerasx.Input((3,))
    model = kerasx.Model(inputs, Unregistered(0.5, name="unregistered")(inputs))
    model.save(tmp_path / "u.keras")
    with pytest.raises(ValueError, match=r"names class 'Unregistered'.*custom_objects"):
        saving.load_model(tmp_path / "u.keras")
    loaded = saving.load_model(tmp_path / "u.keras", custom_objects={"Unregistered": Unregistered})
    assert type(loaded.get_layer("unregistered")) is Unregistered


@support.needs_gradients
@pytest.mark.parametrize(
    "name, run_eagerly", [("mlp", False), ("cnn", False), ("two_input", False), ("mlp", True)], ids=str
)
def test_training_resumes_exactly_after_reload(tmp_path, name, run_eagerly):
    model = _built(name)
    # A built model's first step is already the compiled one, so the reloaded model's first step runs the same
    # program as the original's second step.
    model.compile(**saving_models.compile_args(name), run_eagerly=run_eagerly)
    x, y = saving_models.inputs(name), saving_models.targets(name)
    model.train_on_batch(x, y)
    model.save(tmp_path / "t.keras")
    loaded = saving.load_model(tmp_path / "t.keras")
    assert type(loaded.optimizer) is type(model.optimizer) and loaded.run_eagerly == run_eagerly
    assert int(loaded.optimizer.iterations.numpy()) == 1
    for a, b in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    model.train_on_batch(x, y)
    loaded.train_on_batch(x, y)
    for a, b in zip(loaded.weights, model.weights):
        support.assert_close(a.numpy(), b.numpy(), rtol=1e-6, atol=1e-6)
    _assert_same_predictions(model, loaded, name)


@support.needs_gradients
def test_load_weights_restores_optimizer_state_of_compiled_model(tmp_path):
    model = _built("mlp")
    model.compile(optimizer="adam", loss="mse", run_eagerly=True)
    x, y = saving_models.inputs("mlp"), saving_models.targets("mlp")
    model.train_on_batch(x, y)
    model.save_weights(tmp_path / "w.weights.h5")
    fresh = saving_models.build(kerasx, "mlp")
    fresh.compile(optimizer="adam", loss="mse", run_eagerly=True)
    fresh.load_weights(tmp_path / "w.weights.h5")
    model.train_on_batch(x, y)
    fresh.train_on_batch(x, y)
    for a, b in zip(fresh.weights, model.weights):
        support.assert_close(a.numpy(), b.numpy(), rtol=1e-6, atol=1e-6)


def test_load_model_without_compile(tmp_path):
    model = _built("mlp")
    if support.TRAINS:
        model.compile(optimizer="adam", loss="mse")
    model.save(tmp_path / "m.keras")
    loaded = saving.load_model(tmp_path / "m.keras", compile=False)
    assert not loaded.compiled
    _assert_same_predictions(model, loaded, "mlp")


# A child process saves a second model over the file, slowly (it sleeps after the first member), and is killed.
KILLED_SAVE = """
import sys, time
sys.path.insert(0, {tests_dir!r})
import kerasx, saving_models
from kerasx.saving import _archive
original = _archive.write_member
def slow(archive, name, data):
    original(archive, name, data)
    archive.fp.flush()
    print("WRITING", flush=True)
    time.sleep(60)
_archive.write_member = slow
model = saving_models.build(kerasx, "mlp")
saving_models.randomize(model, seed=7)
model.save({path!r})
"""


def test_killed_save_leaves_previous_file(tmp_path):
    path = tmp_path / "model.keras"
    model = _built("mlp")
    model.save(path)
    original = path.read_bytes()
    code = KILLED_SAVE.format(tests_dir=os.path.dirname(__file__), path=str(path))
    env = dict(os.environ, KERAS_BACKEND="numpy", PYTHONPATH=str(support.REPO_ROOT))
    child = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert child.stdout.readline().strip() == b"WRITING", child.stderr.read().decode()
        temporaries = [p for p in tmp_path.iterdir() if p.name != "model.keras"]
        assert len(temporaries) == 1 and temporaries[0].stat().st_size > 0  # the new file was half written
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert path.read_bytes() == original
    _assert_same_predictions(model, saving.load_model(path), "mlp")
