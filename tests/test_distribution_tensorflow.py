"""kerasx.distribution on TensorFlow over 2 logical CPU devices (tf.distribute.MirroredStrategy), in a subprocess:
the logical devices must be configured before TensorFlow initializes; and over 2 local worker processes
(MultiWorkerMirroredStrategy, a cluster described by TF_CONFIG)."""

import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest

import kerasx

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
layout_map[".*hidden/kernel"] = (None, "model")
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
    assert "KERAS_BACKEND=jax" in message and "KERAS_BACKEND=torch" in message and "DataParallel" in message


def test_example_trains_data_parallel(tmp_path):
    example = os.path.join(os.path.dirname(__file__), os.pardir, "examples", "distributed_data_parallel.py")
    env = dict(os.environ, KERAS_BACKEND=BACKEND_UNDER_TEST, TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run([sys.executable, example, "1"], env=env, capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-4000:]
    assert f"backend '{BACKEND_UNDER_TEST}'" in done.stdout and "checkpoint written by process 0: True" in done.stdout
    assert "epoch 1: loss" in done.stdout


WORKER_SCRIPT = r'''
import json, os, random, sys
import numpy as np, kerasx
from kerasx import distribution as dist

rank, addresses, folder = int(sys.argv[1]), sys.argv[2], sys.argv[3]
dist.initialize(addresses, num_processes=2, process_id=rank)  # first: TensorFlow joins a cluster before it starts
shuffle_draw = random.random()  # equal on both workers: initialize shares worker 0's shuffling seed
rng = np.random.default_rng(0)
x = rng.normal(size=(80, 6)).astype("float32")
y = rng.normal(size=(80, 4)).astype("float32")
checkpoint = os.path.join(folder, f"worker{rank}", "model.weights.h5")
with dist.DataParallel().scope():
    model = kerasx.Sequential([kerasx.Input((6,)), kerasx.layers.Dense(8, activation="tanh", name="hidden"),
                               kerasx.layers.Dense(4, name="head")])
    model.set_weights([np.random.default_rng(i).normal(size=w.shape).astype("float32") * 0.5
                       for i, w in enumerate(model.get_weights())])
    model.compile("adam", "mse", metrics=["mae"])
    callback = kerasx.callbacks.ModelCheckpoint(checkpoint, save_weights_only=True)
    history = model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=2, callbacks=[callback])
print("RESULT " + json.dumps({
    "weights": [w.tolist() for w in model.get_weights()], "history": history.history,
    "devices": dist.list_devices(), "processes": dist.num_processes(), "process_id": dist.process_id(),
    "wrote": os.path.exists(checkpoint), "shuffle_draw": shuffle_draw,
    "mirrored": type(model.layers[0].kernel._value).__name__}))
'''


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_multi_worker_mirrored_strategy_over_two_local_workers(tmp_path):
    addresses = ",".join(f"localhost:{_free_port()}" for _ in range(2))
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="2", OMP_NUM_THREADS="1")
    env.pop("TF_CONFIG", None)
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER_SCRIPT, str(rank), addresses, str(tmp_path)], env=env,
                         cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for rank in range(2)
    ]
    outputs = [worker.communicate(timeout=180) for worker in workers]
    results = []
    for worker, (stdout, stderr) in zip(workers, outputs):
        assert worker.returncode == 0, stderr[-4000:]
        line = next(line for line in stdout.splitlines() if line.startswith("RESULT "))
        results.append(json.loads(line[len("RESULT "):]))
        results[-1]["progress_lines"] = [line for line in stdout.splitlines() if "- loss:" in line]

    # The single-device reference on the global batches, in this process.
    rng = np.random.default_rng(0)
    x = rng.normal(size=(80, 6)).astype("float32")
    y = rng.normal(size=(80, 4)).astype("float32")
    reference = kerasx.Sequential([kerasx.Input((6,)), kerasx.layers.Dense(8, activation="tanh", name="hidden"),
                                   kerasx.layers.Dense(4, name="head")])
    reference.set_weights([np.random.default_rng(i).normal(size=w.shape).astype("float32") * 0.5
                           for i, w in enumerate(reference.get_weights())])
    reference.compile("adam", "mse", metrics=["mae"])
    history = reference.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0).history

    for rank, result in enumerate(results):
        assert result["processes"] == 2 and result["process_id"] == rank and len(result["devices"]) == 2, result
        assert result["mirrored"] == "MirroredVariable"
        difference = max(float(np.abs(np.asarray(w) - r).max())
                         for w, r in zip(result["weights"], reference.get_weights()))
        assert difference < 1e-5, (rank, difference)
        for name, values in history.items():
            assert abs(result["history"][name][0] - values[0]) < 1e-5, (rank, name, result["history"])
    assert results[0]["shuffle_draw"] == results[1]["shuffle_draw"]
    assert results[0]["wrote"] and not results[1]["wrote"]  # only worker 0 writes the checkpoint
    assert len(results[0]["progress_lines"]) == 1 and not results[1]["progress_lines"]
