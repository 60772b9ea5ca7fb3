"""`.keras` interchange with Keras 3 over a corpus of models (tests/keras3_corpus.py): every layer kind both
libraries have, Sequential and functional graphs (several inputs and outputs, shared layers, nested models, masks,
`keras.ops` calls), custom objects, compile configs and optimizer state, and the functional-API guide's models.

Keras 3 writes the corpus once per saving engine (jax, torch, tensorflow; subprocesses in parallel, cached in
pytest's cache directory under a hash of the corpus, the examples and the versions). On the backend under test
kerasx loads every file and must predict the same (1e-5), list the same layers, hold the same weights, round-trip
its config, and resume training exactly where Keras 3 would. The reverse: kerasx writes the same corpus and Keras 3
(torch) loads it, predicts the same and resumes training the same.
"""

import importlib
import inspect
import json
import os
import shutil
import subprocess
import sys
import warnings

import numpy as np
import pytest

import kerasx
import keras3_corpus as corpus
import support
from kerasx.saving import _keras_ops

keras = pytest.importorskip("keras")
ENGINES = ("jax", "torch", "tensorflow")
READER_ENGINE = "torch"  # Keras 3's engine reading kerasx's files (torch: the quickest to load many models)
TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
CASES = list(corpus.CASES)
KERASX_CASES = [case for case in CASES if case not in corpus.KERASX_CANNOT_SAVE]
corpus.custom_objects(kerasx)


def _keras_process(args, engine):
    env = dict(os.environ, KERAS_BACKEND=engine, PYTHONPATH=str(support.REPO_ROOT), TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("JAX_ENABLE_X64", None)
    command = [sys.executable, os.path.join(TESTS_DIR, "keras3_corpus.py"), *map(str, args)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process, what):
    stdout, stderr = process.communicate(timeout=900)
    assert process.returncode == 0 and "CORPUS DONE" in stdout, f"{what} failed:\n{stderr[-4000:]}"


def _publish(partial, final) -> None:
    """`partial` becomes `final`, unless another session published `final` first (then its copy is kept: it may be
    in use, and both hold the same corpus)."""
    if not (final / "DONE").exists():
        shutil.rmtree(final, ignore_errors=True)  # a folder left by an interrupted run, never marked DONE
        try:
            partial.rename(final)
            return
        except OSError:  # another session renamed its copy in between
            pass
    shutil.rmtree(partial, ignore_errors=True)


@pytest.fixture(scope="session")
def directories(tmp_path_factory, pytestconfig):
    """{engine: directory of Keras 3's corpus written on that engine, "kerasx": kerasx's, "read": Keras 3's
    reading of kerasx's}."""
    cache = getattr(pytestconfig, "cache", None)  # None under -p no:cacheprovider
    root = cache.mkdir("keras3_corpus") if cache is not None else tmp_path_factory.mktemp("keras3_corpus")
    key = corpus.corpus_key()
    result, writers = {}, {}
    for engine in ENGINES:
        result[engine] = root / f"{engine}-{key}"
        if not (result[engine] / "DONE").exists():
            # One partial folder per process: CI runs backend sessions side by side, sharing this cache.
            partial = root / f"{engine}-{key}.partial-{os.getpid()}"
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir()
            writers[engine] = (_keras_process(["--write", partial], engine), partial)
    processes = [process for process, _ in writers.values()]
    try:
        result["kerasx"] = tmp_path_factory.mktemp("kerasx_corpus")
        for case in KERASX_CASES:
            # Only Keras 3's evaluate results are compared with (test_kerasx_resumes_keras3_training).
            corpus.write_case(kerasx, case, str(result["kerasx"]), trains=support.TRAINS, evaluate=False)
        result["read"] = tmp_path_factory.mktemp("keras3_read")
        reader = _keras_process(["--read", result["kerasx"], "--out", result["read"]], READER_ENGINE)
        processes.append(reader)
        for engine, (process, partial) in writers.items():
            _finish(process, f"Keras 3 writing the corpus on {engine}")
            (partial / "DONE").write_text("")
            _publish(partial, result[engine])
        _finish(reader, "Keras 3 reading kerasx's corpus")
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate()
    return result


def _expected(directory, case):
    with open(directory / f"{case}.json") as file:
        return corpus.load_arrays(directory / f"{case}.npz"), json.load(file)


def _load(path, case):
    with warnings.catch_warnings():
        # Files of compiled models hold optimizer state; numpy-backend loads skip it with a warning.
        warnings.simplefilter("ignore")
        return kerasx.saving.load_model(path, **corpus.load_options(kerasx, case))


def _assert_all_close(actual, expected, atol=1e-5):
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        support.assert_close(a, e, rtol=0, atol=atol)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("engine", ENGINES)
def test_kerasx_loads_keras3_file(directories, engine, case):
    arrays, record = _expected(directories[engine], case)
    model = _load(directories[engine] / f"{case}.keras", case)
    _assert_all_close(corpus.predict(kerasx, model, arrays["inputs"]), arrays["outputs"])
    assert [layer.name for layer in model.layers] == record["layers"]
    _assert_all_close(corpus.weights_of(model), arrays["weights"], atol=0)
    if case in corpus.KERASX_CANNOT_SAVE:
        with pytest.raises(TypeError, match="is not a registered function, so `get_config` cannot name it"):
            model.get_config()
        return
    config = model.get_config()
    with kerasx.saving.custom_object_scope(corpus.load_options(kerasx, case).get("custom_objects")):
        rebuilt = type(model).from_config(config)
    assert rebuilt.get_config() == config
    assert [layer.name for layer in rebuilt.layers] == record["layers"]


@support.needs_gradients
@pytest.mark.parametrize("case", [*corpus.TRAINED, *corpus.COMPILED])
@pytest.mark.parametrize("engine", ENGINES)
def test_kerasx_resumes_keras3_training(directories, engine, case):
    """Compile config and optimizer state: evaluate agrees, and one more step lands where Keras 3's did."""
    arrays, record = _expected(directories[engine], case)
    model = _load(directories[engine] / f"{case}.keras", case)
    inputs = corpus.model_inputs(arrays["inputs"])
    targets = arrays["targets"][0] if len(arrays["targets"]) == 1 else arrays["targets"]
    evaluated = model.evaluate(inputs, targets, verbose=0, return_dict=True)
    assert sorted(evaluated) == sorted(record["evaluate"])
    for name, value in record["evaluate"].items():
        np.testing.assert_allclose(float(evaluated[name]), value, rtol=1e-5, atol=1e-6, err_msg=name)
    if case in corpus.TRAINED:
        assert int(model.optimizer.iterations.numpy()) == corpus.TRAINED[case][2]
        model.train_on_batch(inputs, targets)
        _assert_all_close(corpus.weights_of(model), arrays["next_weights"])
        _assert_all_close([v.numpy() for v in model.optimizer.variables], arrays["next_optimizer"])


@pytest.mark.parametrize("case", [c for c in CASES if c not in corpus.KERAS_CANNOT_LOAD])
def test_keras3_loads_kerasx_file(directories, case):
    with open(directories["read"] / f"{case}.from_kerasx.json") as file:
        record = json.load(file)
    assert "error" not in record, record.get("error")
    read = corpus.load_arrays(directories["read"] / f"{case}.from_kerasx.npz")
    arrays, written = _expected(directories["kerasx"], case)
    _assert_all_close(read["outputs"], arrays["outputs"])
    _assert_all_close(read["weights"], arrays["weights"], atol=0)
    assert record["layers"] == written["layers"]
    if "next_weights" in arrays:
        assert record["iterations"] == corpus.TRAINED[case][2]
        _assert_all_close(read["next_weights"], arrays["next_weights"])


@pytest.mark.parametrize("case", KERASX_CASES)
def test_kerasx_round_trip(directories, case):
    arrays, record = _expected(directories["kerasx"], case)
    model = _load(directories["kerasx"] / f"{case}.keras", case)
    _assert_all_close(corpus.predict(kerasx, model, arrays["inputs"]), arrays["outputs"], atol=1e-6)
    assert [layer.name for layer in model.layers] == record["layers"]


def test_op_table_matches_installed_keras():
    """Every op kerasx writes as a Keras operation names an existing class whose constructor takes exactly the
    options listed, each of which kerasx's op accepts (or ignores only at its unused default)."""
    for op_name, (module, class_name, options) in _keras_ops.KERAS_OPS.items():
        cls = getattr(importlib.import_module(f"keras.src.ops.{module}"), class_name)
        parameters = inspect.signature(cls.__init__).parameters
        assert tuple(p for p in parameters if p not in ("self", "name", "args", "kwargs")) == options, op_name
        accepted = inspect.signature(getattr(kerasx.ops, op_name)).parameters
        for option in options:
            assert option in accepted or option in _keras_ops.KERAS_ONLY_ARGUMENTS, (op_name, option)
