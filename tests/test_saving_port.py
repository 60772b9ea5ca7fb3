"""Porting between engines: a model saved on any backend loads on every other with the same predictions (float32,
max abs diff <= 1e-5), both ways; `python -m kerasx.port_check` reports it. One subprocess per other backend."""

import os
import subprocess
import sys

import numpy as np
import pytest

import kerasx
import saving_models
import support
from kerasx import saving

OTHER_BACKENDS = [b for b in ("numpy", "jax", "torch", "tensorflow") if b != support.BACKEND]
TESTS_DIR = os.path.dirname(os.path.abspath(__file__))


def _save_here(directory):
    for name in saving_models.MODEL_NAMES:
        model = saving_models.build(kerasx, name)
        saving_models.randomize(model)
        if support.TRAINS:
            model.compile(**saving_models.compile_args(name))
            if name == "mlp":
                model.train_on_batch(saving_models.inputs(name), saving_models.targets(name))
        model.save(directory / f"{name}.keras")
        model.save_weights(directory / f"{name}.weights.h5")
        np.savez(directory / f"{name}.npz", *saving_models.predictions(model, name))


@pytest.fixture(scope="module")
def directories(tmp_path_factory):
    here = tmp_path_factory.mktemp(support.BACKEND)
    _save_here(here)
    children, result = {}, {"here": here}
    for backend in OTHER_BACKENDS:
        directory = tmp_path_factory.mktemp(backend)
        code = saving_models.WORKER_SOURCE.format(
            tests_dir=TESTS_DIR,
            import_lib=saving_models.KERASX_IMPORT,
            trains=backend != "numpy",
            directory=str(directory),
            other_directory=str(here),
        )
        env = dict(os.environ, KERAS_BACKEND=backend, PYTHONPATH=str(support.REPO_ROOT))
        children[backend] = subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        result[backend] = directory
    for backend, child in children.items():
        stdout, stderr = child.communicate(timeout=600)
        assert child.returncode == 0 and "WORKER DONE" in stdout, f"{backend} worker failed:\n{stderr[-3000:]}"
    return result


def _saved_predictions(path):
    with np.load(path) as data:
        return [data[f"arr_{i}"] for i in range(len(data.files))]


def _assert_all_close(actual, expected):
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        support.assert_close(a, e, rtol=0, atol=1e-5)


@pytest.mark.filterwarnings("ignore:The weights file .* holds optimizer state")
@pytest.mark.parametrize("name", saving_models.MODEL_NAMES)
@pytest.mark.parametrize("source", OTHER_BACKENDS)
def test_load_model_saved_on_other_backend(directories, source, name):
    loaded = saving.load_model(directories[source] / f"{name}.keras")
    _assert_all_close(saving_models.predictions(loaded, name), _saved_predictions(directories[source] / f"{name}.npz"))
    fresh = saving_models.build(kerasx, name)
    fresh.load_weights(directories[source] / f"{name}.weights.h5")
    _assert_all_close(saving_models.predictions(fresh, name), _saved_predictions(directories[source] / f"{name}.npz"))
    if support.TRAINS and source != "numpy":
        assert int(loaded.optimizer.iterations.numpy()) == (1 if name == "mlp" else 0)


@pytest.mark.parametrize("name", saving_models.MODEL_NAMES)
@pytest.mark.parametrize("target", OTHER_BACKENDS)
def test_other_backend_loads_model_saved_here(directories, target, name):
    expected = _saved_predictions(directories["here"] / f"{name}.npz")
    _assert_all_close(_saved_predictions(directories[target] / f"{name}.loaded.npz"), expected)
    _assert_all_close(_saved_predictions(directories[target] / f"{name}.weights_loaded.npz"), expected)


def _port_check(*args):
    env = dict(os.environ, PYTHONPATH=str(support.REPO_ROOT))
    return subprocess.run(
        [sys.executable, "-m", "kerasx.port_check", *map(str, args)], env=env, capture_output=True, text=True, timeout=600
    )


def test_port_check_reports_agreement(directories, tmp_path):
    name = "two_input"
    np.savez(tmp_path / "inputs.npz", main_input=saving_models.inputs(name)[0], aux_input=saving_models.inputs(name)[1])
    backends = ",".join(["numpy", support.BACKEND] if support.BACKEND != "numpy" else ["numpy", "numpy"])
    result = _port_check(directories["here"] / f"{name}.keras", "--inputs", tmp_path / "inputs.npz", "--backends", backends)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: predictions agree" in result.stdout
    lines = [line.split() for line in result.stdout.splitlines() if line.startswith("  ")]
    reported = {fields[1]: float(fields[2]) for fields in lines}
    assert {"output/0", "output/1"} <= set(reported) and any(key.startswith("layer/lstm") for key in reported)
    assert max(reported.values()) <= 1e-5


def test_port_check_fails_above_tolerance(directories):
    result = _port_check(directories["here"] / "cnn.keras", "--backends", "numpy,numpy", "--tolerance", "-1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ABOVE TOLERANCE" in result.stdout and "FAILED: outputs differ" in result.stdout
