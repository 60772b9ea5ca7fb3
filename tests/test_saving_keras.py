"""Keras 3 interop: kerasx loads `.keras` and `.weights.h5` files that Keras 3 wrote (same KERAS_BACKEND, in a
subprocess) and predicts the same; Keras 3 loads what kerasx writes and predicts the same."""

import os
import subprocess
import sys

import numpy as np
import pytest

import kerasx
import saving_models
import support
from kerasx import saving

pytest.importorskip("keras")
TESTS_DIR = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(scope="module")
def directories(tmp_path_factory):
    here = tmp_path_factory.mktemp("kerasx")
    for name in saving_models.MODEL_NAMES:
        model = saving_models.build(kerasx, name)
        saving_models.randomize(model)
        if support.TRAINS:
            model.compile(**saving_models.compile_args(name))
            if name == "mlp":
                model.train_on_batch(saving_models.inputs(name), saving_models.targets(name))
        model.save(here / f"{name}.keras")
        model.save_weights(here / f"{name}.weights.h5")
        np.savez(here / f"{name}.npz", *saving_models.predictions(model, name))
    keras_directory = tmp_path_factory.mktemp("keras")
    code = saving_models.WORKER_SOURCE.format(
        tests_dir=TESTS_DIR,
        import_lib=saving_models.KERAS_IMPORT,
        trains=support.TRAINS,
        directory=str(keras_directory),
        other_directory=str(here),
    )
    env = dict(os.environ, KERAS_BACKEND=support.BACKEND, PYTHONPATH=str(support.REPO_ROOT))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0 and "WORKER DONE" in result.stdout, result.stderr[-3000:]
    return {"kerasx": here, "keras": keras_directory}


def _saved(path):
    with np.load(path) as data:
        return [data[f"arr_{i}"] for i in range(len(data.files))]


def _assert_all_close(actual, expected):
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        support.assert_close(a, e, rtol=0, atol=1e-5)


@pytest.mark.filterwarnings("ignore:The weights file .* holds optimizer state")
@pytest.mark.parametrize("name", saving_models.MODEL_NAMES)
def test_kerasx_loads_keras_files(directories, name):
    expected = _saved(directories["keras"] / f"{name}.npz")
    loaded = saving.load_model(directories["keras"] / f"{name}.keras")
    _assert_all_close(saving_models.predictions(loaded, name), expected)
    fresh = saving_models.build(kerasx, name)
    fresh.load_weights(directories["keras"] / f"{name}.weights.h5")
    _assert_all_close(saving_models.predictions(fresh, name), expected)
    if support.TRAINS:
        assert int(loaded.optimizer.iterations.numpy()) == (1 if name == "mlp" else 0)


@pytest.mark.parametrize("name", saving_models.MODEL_NAMES)
def test_keras_loads_kerasx_files(directories, name):
    expected = _saved(directories["kerasx"] / f"{name}.npz")
    _assert_all_close(_saved(directories["keras"] / f"{name}.loaded.npz"), expected)
    _assert_all_close(_saved(directories["keras"] / f"{name}.weights_loaded.npz"), expected)


@support.needs_gradients
def test_optimizer_state_from_keras_resumes_training(directories):
    loaded = saving.load_model(directories["keras"] / "mlp.keras")
    assert type(loaded.optimizer).__name__ == "Adam"
    slots = [v.numpy() for v in loaded.optimizer.variables[2:]]
    assert len(slots) == 2 * len(loaded.trainable_variables) and any(np.any(s != 0) for s in slots)
