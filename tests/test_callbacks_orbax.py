"""`kerasx.callbacks.OrbaxCheckpoint` against Keras 3's: the same step folders and items for the same training, the
saved variables equal to the model's, Orbax reading them back, and the same argument errors."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

import kerasx

keras = pytest.importorskip("keras")
ocp = pytest.importorskip("orbax.checkpoint")

BACKEND = kerasx.config.backend()
TRAINS = pytest.mark.skipif(BACKEND == "numpy", reason="the numpy backend does not train (nor does Keras's)")

X = np.random.RandomState(0).rand(16, 3).astype("float32")
Y = X @ np.array([[1.0], [-2.0], [0.5]], "float32")


def _fit(library, folder, epochs=3, **kwargs):
    model = library.Sequential([library.Input((3,)), library.layers.Dense(1, kernel_initializer="zeros")])
    model.compile(optimizer="sgd", loss="mse")
    callback = library.callbacks.OrbaxCheckpoint(str(folder), **kwargs)
    model.fit(X, Y, batch_size=4, epochs=epochs, shuffle=False, verbose=0, callbacks=[callback])
    return model, callback


def _steps(folder) -> list:
    return sorted(int(name) for name in os.listdir(folder) if name.isdigit())


def _items(step_folder) -> list:
    return sorted(name for name in os.listdir(step_folder) if os.path.isdir(os.path.join(step_folder, name)))


def _leaves(tree, prefix=""):
    out = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(_leaves(value, f"{prefix}/{key}"))
        else:
            out[f"{prefix}/{key}"] = np.asarray(value)
    return out


@TRAINS
@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_to_keep": 2, "save_on_background": False},
        {"max_to_keep": None, "save_freq": 3},
        {"max_to_keep": 5, "save_weights_only": True},
        {"monitor": "loss", "mode": "max", "save_best_only": True, "max_to_keep": None},
        {"monitor": "loss", "save_best_only": True, "max_to_keep": None, "initial_value_threshold": 0.0},
    ],
)
def test_same_steps_and_items_as_keras(tmp_path, kwargs):
    _fit(kerasx, tmp_path / "ours", **kwargs)
    _fit(keras, tmp_path / "theirs", **kwargs)
    ours, theirs = _steps(tmp_path / "ours"), _steps(tmp_path / "theirs")
    assert ours == theirs
    for step in ours:
        assert _items(tmp_path / "ours" / str(step)) == _items(tmp_path / "theirs" / str(step))


@TRAINS
def test_saved_state_is_the_models_and_orbax_reads_it(tmp_path):
    model, _ = _fit(kerasx, tmp_path / "ours", max_to_keep=1)
    k_model, _ = _fit(keras, tmp_path / "theirs", max_to_keep=1)
    ours = ocp.v1.load_checkpointables(str(tmp_path / "ours" / "2"))
    theirs = ocp.v1.load_checkpointables(str(tmp_path / "theirs" / "2"))
    assert sorted(ours["pytree"]) == sorted(theirs["pytree"])
    saved = _leaves(ours["pytree"]["trainable_variables"])
    assert sorted(saved) == sorted(f"/{v.path}" for v in model.trainable_variables)
    for variable in model.trainable_variables:
        np.testing.assert_allclose(saved[f"/{variable.path}"], kerasx.ops.convert_to_numpy(variable), rtol=1e-6)
    # Same training as Keras 3: the same kernel (Keras nests it under the model's name as well).
    keras_kernel = [v for k, v in _leaves(theirs["pytree"]["trainable_variables"]).items() if k.endswith("kernel")]
    our_kernel = [v for k, v in saved.items() if k.endswith("kernel")]
    np.testing.assert_allclose(our_kernel[0], keras_kernel[0], rtol=1e-4, atol=1e-6)
    iterations = _leaves(ours["pytree"]["optimizer_variables"])
    assert [int(v) for k, v in iterations.items() if k.endswith("iteration")] == [12]
    assert json.loads(ours["model_config"]["config"]) == json.loads(model.to_json())
    assert json.loads(ours["model_config"]["config"])["class_name"] == "Sequential"
    rebuilt = kerasx.models.model_from_json(ours["model_config"]["config"])
    rebuilt.set_weights([saved[f"/{v.path}"] for v in model.weights])
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(rebuilt(X)), kerasx.ops.convert_to_numpy(model(X)))


def test_bad_save_freq_is_refused_as_keras_does(tmp_path):
    for library in (kerasx, keras):
        with pytest.raises(ValueError, match="Unrecognized save_freq"):
            library.callbacks.OrbaxCheckpoint(str(tmp_path / library.__name__), save_freq="batch")
