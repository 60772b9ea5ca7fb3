"""Model.export, every format x engine x model: the artifact runs in its own runtime (a separate process: TensorFlow
for SavedModels, onnxruntime for ONNX, torch for `.pt2` programs) and gives the model's predictions (1e-5) at batch
sizes 1 and 7 from one export with a dynamic batch axis; a cell an engine cannot write is refused with an error that
says why and what to use instead.

    format | engine   jax                tensorflow   torch             numpy
    tf_saved_model    jax2tf             tf.function  refused (1)       refused (2)
    onnx              jaxpr -> ONNX (3)  tf2onnx      torch.onnx        refused (2)
    torch (.pt2)      refused (4)        refused (4)  torch.export      refused (2)

(1) needs torch_xla; (2) the numpy backend traces nothing; (3) kerasx's own translation, RNN loops unrolled, so the
sequence axis needs a fixed size; (4) only torch traces a torch program. Models: MLP, CNN with BatchNorm, LSTM, GRU,
transformer block (multi-head attention, gelu, layer norm), and unrolled GRU and LSTM returning sequences (tf2onnx
cannot convert TensorFlow's loop that stacks the outputs: the export is refused, naming `unroll=True`).

Each module builds its artifacts once and runs them in one subprocess (`export_artifact_runner.py`).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers

BACKEND = support.BACKEND
MODELS = ("mlp", "cnn_batchnorm", "lstm", "gru", "transformer_block", "gru_sequences", "lstm_sequences")
EXTENSIONS = {"tf_saved_model": "", "onnx": ".onnx", "torch": ".pt2"}
# The engines that write each format; the others refuse, with a message matching REFUSALS[(format, engine)].
WRITERS = {"tf_saved_model": ("tensorflow", "jax"), "onnx": ("torch", "tensorflow", "jax"), "torch": ("torch",)}
REFUSALS = {
    ("tf_saved_model", "torch"): "not available on the torch backend.*torch_xla.*format='onnx' or format='torch'",
    ("torch", "jax"): "only the torch backend can trace.*Current backend: jax",
    ("torch", "tensorflow"): "only the torch backend can trace.*Current backend: tensorflow",
    **{(format, "numpy"): "numpy backend is a reference interpreter: it cannot trace" for format in EXTENSIONS},
}
TOLERANCE = 1e-5
RUNNER = Path(__file__).with_name("export_artifact_runner.py")


def _model(name):
    kerasx.utils.set_random_seed(7)
    if name == "mlp":
        inputs = kerasx.Input((8,))
        outputs = layers.Dense(3)(layers.Dense(16, activation="relu")(inputs))
    elif name == "cnn_batchnorm":
        inputs = kerasx.Input((8, 8, 3))
        x = layers.ReLU()(layers.BatchNormalization()(layers.Conv2D(4, 3)(inputs)))
        outputs = layers.Dense(2)(layers.GlobalAveragePooling2D()(x))
    elif name == "lstm":
        inputs = kerasx.Input((5, 4))
        outputs = layers.Dense(2)(layers.LSTM(6)(inputs))
    elif name == "gru":
        inputs = kerasx.Input((5, 4))
        outputs = layers.Dense(2)(layers.GRU(6)(inputs))
    elif name in ("gru_sequences", "lstm_sequences"):
        inputs = kerasx.Input((5, 4))
        recurrent = layers.GRU if name == "gru_sequences" else layers.LSTM
        outputs = layers.Dense(2)(recurrent(6, return_sequences=True, unroll=True)(inputs))
    else:
        inputs = kerasx.Input((6, 8))
        x = layers.LayerNormalization()(inputs + layers.MultiHeadAttention(2, 4)(inputs, inputs))
        ff = layers.Dense(8)(layers.Dense(16, activation="gelu")(x))
        outputs = layers.LayerNormalization()(x + ff)
    model = kerasx.Model(inputs, outputs)
    # Weights and BatchNorm statistics away from their initial values, so that an artifact that dropped them (or
    # ran BatchNorm in training mode) gives other numbers.
    rng = np.random.default_rng(3)
    for variable in model.variables:
        values = rng.normal(scale=0.4, size=tuple(variable.shape))
        variable.assign(np.abs(values) + 0.5 if "variance" in variable.path else values)
    return model


def _inputs(model):
    return np.random.default_rng(5).normal(size=(7, *tuple(model.inputs[0].shape)[1:])).astype("float32")


@pytest.fixture(scope="module")
def runtime_errors(tmp_path_factory):
    """`(format, model) -> {"1": error, "7": error}` for every artifact this engine writes, run in one subprocess."""
    folder = tmp_path_factory.mktemp("export")
    manifest, keys = [], {}
    for format, writers in WRITERS.items():
        if BACKEND not in writers:
            continue
        for name in MODELS:
            model = _model(name)
            x = _inputs(model)
            path = str(folder / f"{name}{EXTENSIONS[format]}")
            path = str(folder / format / f"{name}{EXTENSIONS[format]}")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            model.export(path, format=format, verbose=False)
            data = str(folder / f"{format}_{name}.npz")
            np.savez(data, x=x, expected=support.to_numpy(model.predict(x, verbose=0)))
            manifest.append({"format": format, "path": path, "data": data})
            keys[f"{format}:{path}"] = (format, name)
    if not manifest:
        return {}
    manifest_path = folder / "manifest.json"
    manifest_path.write_text(json.dumps(manifest))
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run([sys.executable, str(RUNNER), str(manifest_path)], capture_output=True, text=True,
                            env=env, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    return {keys[key]: errors for key, errors in measured.items()}


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("format", sorted(EXTENSIONS))
def test_artifact_runs_in_its_runtime_or_is_refused(format, name, runtime_errors, tmp_path):
    if BACKEND in WRITERS[format]:
        errors = runtime_errors[(format, name)]
        assert errors["1"] is not None and errors["7"] is not None, f"wrong output shape: {errors}"
        assert max(errors.values()) <= TOLERANCE, errors
    else:
        with pytest.raises(ValueError, match=REFUSALS[(format, BACKEND)]):
            _model(name).export(str(tmp_path / f"artifact{EXTENSIONS[format]}"), format=format, verbose=False)


@pytest.mark.skipif(BACKEND != "jax", reason="the jax backend's own ONNX writer")
def test_onnx_from_jax_refuses_what_it_cannot_write(tmp_path):
    path = str(tmp_path / "refused.onnx")
    inputs = kerasx.Input((None, 4))  # an RNN over steps of unknown count: its loop cannot be unrolled
    with pytest.raises(ValueError, match=r"unrolls `scan` loops.*unknown size.*Input\(\(timesteps, features\)\)"):
        kerasx.Model(inputs, layers.LSTM(3)(inputs)).export(path, format="onnx", verbose=False)
    inputs = kerasx.Input((5,))
    with pytest.raises(ValueError, match="does not convert the jax primitive 'sort'.*torch or tensorflow backend"):
        kerasx.Model(inputs, kerasx.ops.sort(inputs)).export(path, format="onnx", verbose=False)
    with pytest.raises(ValueError, match="opset 13 or newer.*Received: opset_version=11"):
        _model("mlp").export(path, format="onnx", verbose=False, opset_version=11)
    assert not os.path.exists(path)


@pytest.mark.skipif(BACKEND != "tensorflow", reason="tf2onnx's loop conversion")
def test_tensorflow_loop_tf2onnx_cannot_convert_is_refused_and_the_old_file_stays(tmp_path):
    path = tmp_path / "sequences.onnx"
    path.write_bytes(b"the previous artifact")
    inputs = kerasx.Input((5, 4))
    model = kerasx.Model(inputs, layers.GRU(6, return_sequences=True)(inputs))
    refused = r"not valid ONNX, so nothing was written to .*sequences.onnx.*left as it was.*unroll=True"
    with pytest.raises(ValueError, match=refused):
        model.export(str(path), format="onnx", verbose=False)
    assert path.read_bytes() == b"the previous artifact"
    assert os.listdir(tmp_path) == ["sequences.onnx"]


@pytest.mark.skipif(not support.TRAINS, reason="the numpy backend writes no ONNX")
def test_an_invalid_converted_graph_is_refused_on_every_engine(tmp_path, monkeypatch):
    onnx = pytest.importorskip("onnx")

    def write_invalid(fn, specs, variables, filepath, opset_version=None):
        # A converter that writes without failing a graph whose node no ONNX runtime knows.
        node = onnx.helper.make_node("NoSuchOp", ["x"], ["y"])
        value = onnx.helper.make_tensor_value_info
        graph = onnx.helper.make_graph([node], "g", [value("x", 1, [None, 8])], [value("y", 1, [None, 3])])
        onnx.save(onnx.helper.make_model(graph, opset_imports=[onnx.helper.make_opsetid("", 17)]), filepath)

    monkeypatch.setattr(kerasx.backend.active.export, "write_onnx", write_invalid)
    path = tmp_path / "model.onnx"
    with pytest.raises(ValueError, match=rf"from the {BACKEND} backend is not valid ONNX.*NoSuchOp"):
        _model("mlp").export(str(path), format="onnx", verbose=False)
    assert os.listdir(tmp_path) == []
