"""kerasx.distribution on TensorFlow over 2 logical CPU devices (tf.distribute.MirroredStrategy), in a subprocess:
the logical devices must be configured before TensorFlow initializes."""

import json
import os
import subprocess
import sys

import pytest

BACKEND_UNDER_TEST = "tensorflow"
pytestmark = pytest.mark.skipif(
    os.environ.get("KERAS_BACKEND") != BACKEND_UNDER_TEST, reason=f"runs in the {BACKEND_UNDER_TEST} session"
)

SCRIPT = r'''
import json
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import numpy as np, kerasx
from kerasx import distribution as dist

rng = np.random.default_rng(0)
x = rng.normal(size=(80, 6)).astype("float32")
y = rng.normal(size=(80, 4)).astype("float32")

def make():
    model = kerasx.Sequential([
        kerasx.Input((6,)),
        kerasx.layers.Dense(8, activation="tanh", name="hidden"),
        kerasx.layers.Dense(4, name="head"),
    ])
    model.set_weights([np.random.default_rng(i).normal(size=w.shape).astype("float32") * 0.5
                       for i, w in enumerate(model.get_weights())])
    model.compile("adam", "mse", metrics=["mae"])
    return model

def fit(model):
    # 80 samples, batch 8: 10 steps; then evaluate and predict with the trained (mirrored) weights.
    history = model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0).history
    return (history["loss"] + history["mae"], model.get_weights(), model.predict(x, batch_size=16, verbose=0),
            model.evaluate(x, y, batch_size=16, verbose=0))

def diff(a, b):
    return float(max(np.abs(np.asarray(p) - np.asarray(q)).max() for p, q in zip(a, b)))

out = {"devices": dist.list_devices()}
reference = fit(make())
with dist.DataParallel().scope():
    model = make()
    result = fit(model)
out["dp"] = {name: diff([r], [e]) if name != "weights" else diff(r, e)
             for name, r, e in zip(("history", "weights", "pred", "evaluate"), result, reference)}
out["mirrored"] = type(model.layers[0].kernel._value).__name__
model.compile("adam", "mse")  # after the scope: new steps over the mirrored weights still run
out["after_scope"] = abs(model.evaluate(x, y, batch_size=16, verbose=0) - reference[3][0])

mesh = dist.DeviceMesh((2,), ("model",))
layout_map = dist.LayoutMap(mesh)
layout_map["hidden/kernel"] = (None, "model")
with dist.ModelParallel(layout_map=layout_map, batch_dim_name="model").scope():
    try:
        make().fit(x, y, batch_size=8, epochs=1, verbose=0)
        out["error"] = None
    except ValueError as error:
        out["error"] = str(error)
print("RESULT " + json.dumps(out))
'''


@pytest.fixture(scope="module")
def result():
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-4000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def test_data_parallel_over_two_logical_devices_equals_single_device(result):
    assert result["devices"] == ["cpu:0", "cpu:1"]
    assert result["mirrored"] == "MirroredVariable"
    assert all(value < 1e-5 for value in result["dp"].values()), result["dp"]
    assert result["after_scope"] < 1e-5


def test_model_parallel_is_a_clear_error_on_tensorflow(result):
    message = result["error"]
    assert message is not None and "not supported on the TensorFlow backend" in message, message
    assert "KERAS_BACKEND=jax" in message and "DataParallel" in message


def test_example_trains_data_parallel(tmp_path):
    example = os.path.join(os.path.dirname(__file__), os.pardir, "examples", "distributed_data_parallel.py")
    env = dict(os.environ, KERAS_BACKEND=BACKEND_UNDER_TEST, TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run([sys.executable, example, "1"], env=env, capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-4000:]
    assert f"backend '{BACKEND_UNDER_TEST}'" in done.stdout and "checkpoint written by process 0: True" in done.stdout
    assert "epoch 1: loss" in done.stdout
