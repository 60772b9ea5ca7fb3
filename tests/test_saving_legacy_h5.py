"""Legacy HDF5 full-model files (`model.save("m.h5")`) load in `kerasx.saving.load_model`: those of tf.keras 2
(written here with the `tf_keras` package) and those of Keras 3's legacy path, for every corpus model made of
layers kerasx has (tests/keras3_corpus.py). Each predicts what the library that wrote it predicted (1e-5), lists
the same layers, and comes back compiled when it was saved compiled.

The files are written once per content hash of the corpus and the versions, in pytest's cache directory.
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys

import h5py
import numpy as np
import pytest

import kerasx
import keras3_corpus as corpus
import support

pytest.importorskip("keras")
WRITERS = {"tf_keras": ["--tf-keras"], "keras3": []}
HAS_TF_KERAS = importlib.util.find_spec("tf_keras") is not None


@pytest.fixture(scope="module")
def legacy_directories(tmp_path_factory, pytestconfig):
    cache = getattr(pytestconfig, "cache", None)  # None under -p no:cacheprovider
    root = cache.mkdir("keras_legacy_h5") if cache is not None else tmp_path_factory.mktemp("keras_legacy_h5")
    key = corpus.corpus_key()
    result, processes = {}, {}
    env = dict(os.environ, KERAS_BACKEND="torch", PYTHONPATH=str(support.REPO_ROOT), TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("JAX_ENABLE_X64", None)
    for writer, flags in WRITERS.items():
        if writer == "tf_keras" and not HAS_TF_KERAS:
            continue
        result[writer] = root / f"{writer}-{key}"
        if not (result[writer] / "DONE").exists():
            partial = root / f"{writer}-{key}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir()
            command = [sys.executable, corpus.__file__, "--legacy", str(partial), *flags]
            process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            processes[writer] = (process, partial)
    try:
        for writer, (process, partial) in processes.items():
            stdout, stderr = process.communicate(timeout=900)
            assert process.returncode == 0 and "CORPUS DONE" in stdout, f"{writer} failed:\n{stderr[-4000:]}"
            (partial / "DONE").write_text("")
            shutil.rmtree(result[writer], ignore_errors=True)
            partial.rename(result[writer])
    finally:
        for process, _ in processes.values():
            if process.poll() is None:
                process.kill()
                process.communicate()
    return result


@pytest.mark.parametrize("case", corpus.LEGACY_CASES)
@pytest.mark.parametrize("writer", list(WRITERS))
def test_legacy_h5_model_loads_and_predicts(legacy_directories, writer, case):
    if writer not in legacy_directories:
        pytest.skip("the tf_keras package (tf.keras 2) is not installed")
    directory = legacy_directories[writer]
    arrays = corpus.load_arrays(directory / f"{case}.npz")
    with open(directory / f"{case}.json") as file:
        record = json.load(file)
    model = kerasx.saving.load_model(directory / f"{case}.h5")
    outputs = corpus.predict(kerasx, model, arrays["inputs"])
    assert len(outputs) == len(arrays["outputs"])
    for actual, expected in zip(outputs, arrays["outputs"]):
        support.assert_close(actual, expected, rtol=0, atol=1e-5)
    assert [layer.name for layer in model.layers] == record["layers"]
    compiled = case in corpus.TRAINED or case in corpus.COMPILED
    assert getattr(model, "compiled", False) == compiled
    if compiled:
        optimizer = (corpus.TRAINED.get(case) or corpus.COMPILED[case])[1](kerasx)["optimizer"]
        name = optimizer if isinstance(optimizer, str) else type(optimizer).__name__
        assert type(model.optimizer).__name__.lower() == name.lower()


def test_documented_layout_written_with_h5py(tmp_path):
    """A tf.keras 2 Sequential file in the documented layout (no tf.keras needed): a first Dense carrying
    `batch_input_shape`, weights under `model_weights/<layer>/<layer>/kernel:0`, a training config."""
    rng = np.random.default_rng(0)
    kernel, bias = rng.normal(size=(3, 4)).astype("float32"), rng.normal(size=(4,)).astype("float32")
    dense = {
        "class_name": "Dense",
        "config": {"name": "dense", "trainable": True, "batch_input_shape": [None, 3], "dtype": "float32",
                   "units": 4, "activation": "tanh", "use_bias": True},
    }
    config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [dense]}}
    training = {"loss": "mse", "metrics": [[{"class_name": "MeanMetricWrapper",
                                            "config": {"name": "mae", "dtype": "float32", "fn": "mean_absolute_error"}}]],
                "optimizer_config": {"class_name": "Custom>Adam", "config": {"name": "Adam", "learning_rate": 0.01,
                                                                            "jit_compile": True,
                                                                            "is_legacy_optimizer": False}}}
    path = tmp_path / "m.h5"
    with h5py.File(path, "w") as file:
        file.attrs["keras_version"] = "2.15.0"
        file.attrs["backend"] = "tensorflow"
        file.attrs["model_config"] = json.dumps(config)
        file.attrs["training_config"] = json.dumps(training)
        weights = file.create_group("model_weights")
        weights.attrs["layer_names"] = np.array([b"dense"])
        group = weights.create_group("dense")
        group.attrs["weight_names"] = np.array([b"dense/kernel:0", b"dense/bias:0"])
        group.create_dataset("dense/kernel:0", data=kernel)
        group.create_dataset("dense/bias:0", data=bias)
    model = kerasx.saving.load_model(path, compile=support.TRAINS)
    x = rng.normal(size=(5, 3)).astype("float32")
    support.assert_close(model.predict(x, verbose=0), np.tanh(x @ kernel + bias), rtol=1e-5)
    assert [layer.name for layer in model.layers] == ["dense"]
    if support.TRAINS:
        assert type(model.optimizer).__name__ == "Adam"
        np.testing.assert_allclose(float(support.to_numpy(model.optimizer.learning_rate)), 0.01, rtol=1e-6)
        assert sorted(model.evaluate(x, np.zeros((5, 4), "float32"), verbose=0, return_dict=True)) == ["loss", "mae"]
