"""kerasx.distribution on JAX over 4 simulated host devices, in a subprocess (XLA_FLAGS must precede `import jax`).

Data parallel and model parallel training must equal single-device training on the global batch; a sharded
variable's devices each hold only their shard; a layout that does not divide a dimension is a clear error; two
processes joined by `jax.distributed` train one global mesh.
"""

import json
import os
import socket
import subprocess
import sys

import pytest

BACKEND_UNDER_TEST = "jax"
pytestmark = pytest.mark.skipif(
    os.environ.get("KERAS_BACKEND") != BACKEND_UNDER_TEST, reason=f"runs in the {BACKEND_UNDER_TEST} session"
)

SCRIPT = r'''
import json, numpy as np, kerasx
from kerasx import distribution as dist

rng = np.random.default_rng(0)
x = rng.normal(size=(80, 6)).astype("float32")
y = rng.normal(size=(80, 4)).astype("float32")

def make(units=8):
    model = kerasx.Sequential([
        kerasx.Input((6,)),
        kerasx.layers.Dense(units, activation="tanh", name="hidden"),
        kerasx.layers.Dense(4, name="head"),
    ])
    model.set_weights([np.random.default_rng(i).normal(size=w.shape).astype("float32") * 0.5
                       for i, w in enumerate(model.get_weights())])
    model.compile("adam", "mse", metrics=["mae"])
    return model

def fit(model):
    # 80 samples, batch 8: 10 steps. Predict batches of 30 do not divide over 4 devices: replicated instead.
    history = model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    return history.history, model.get_weights(), model.predict(x, batch_size=30, verbose=0)

def diff(a, b):
    return float(max(np.abs(np.asarray(p) - np.asarray(q)).max() for p, q in zip(a, b)))

out = {"devices": dist.list_devices()}
ref_history, ref_weights, ref_pred = fit(make())

with dist.DataParallel().scope():
    model = make()
    history, weights, pred = fit(model)
out["dp"] = {"weights": diff(weights, ref_weights), "pred": diff([pred], [ref_pred]),
             "history": diff([history["loss"] + history["mae"]], [ref_history["loss"] + ref_history["mae"]]),
             "kernel_shards": [list(s.data.shape) for s in model.layers[0].kernel.value.addressable_shards]}

mesh = dist.DeviceMesh((2, 2), ("batch", "model"))
layout_map = dist.LayoutMap(mesh)
layout_map[".*hidden/kernel"] = (None, "model")
layout_map[".*hidden/bias"] = ("model",)
with dist.ModelParallel(layout_map=layout_map, batch_dim_name="batch").scope():
    model = make()
    history, weights, pred = fit(model)
# Slot names follow the variable paths, as Keras 3's: "adam/sequential_hidden_kernel_momentum".
slots = [v for v in model.optimizer.variables if "hidden_kernel" in v.path]
out["mp"] = {"weights": diff(weights, ref_weights), "pred": diff([pred], [ref_pred]),
             "history": diff([history["loss"]], [ref_history["loss"]]),
             "kernel_shards": [list(s.data.shape) for s in model.layers[0].kernel.value.addressable_shards],
             "bias_shards": [list(s.data.shape) for s in model.layers[0].bias.value.addressable_shards],
             "slot_shards": [list(s.data.shape) for v in slots for s in v.value.addressable_shards],
             "head_shards": [list(s.data.shape) for s in model.layers[1].kernel.value.addressable_shards]}

with dist.ModelParallel(layout_map=layout_map, batch_dim_name="batch").scope():
    model = make(units=5)
    try:
        model.fit(x, y, batch_size=8, epochs=1, verbose=0)
        out["error"] = None
    except ValueError as error:
        out["error"] = str(error)
print("RESULT " + json.dumps(out))
'''


def run_script(script: str) -> dict:
    env = dict(os.environ, KERAS_BACKEND="jax", XLA_FLAGS="--xla_force_host_platform_device_count=4")
    env.pop("JAX_ENABLE_X64", None)  # float32 training, as in the single-device reference
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-4000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


@pytest.fixture(scope="module")
def result():
    return run_script(SCRIPT)


def test_four_simulated_devices(result):
    assert result["devices"] == ["cpu:0", "cpu:1", "cpu:2", "cpu:3"]


def test_data_parallel_equals_single_device(result):
    dp = result["dp"]
    assert dp["weights"] < 1e-5 and dp["pred"] < 1e-5 and dp["history"] < 1e-5, dp
    assert dp["kernel_shards"] == [[6, 8]] * 4  # replicated: every device holds the whole kernel


def test_model_parallel_equals_unsharded_and_holds_shards(result):
    mp = result["mp"]
    assert mp["weights"] < 1e-5 and mp["pred"] < 1e-5 and mp["history"] < 1e-5, mp
    # Mesh (batch=2, model=2): each device holds half of the hidden kernel's columns, replicated over "batch".
    assert mp["kernel_shards"] == [[6, 4]] * 4
    assert mp["bias_shards"] == [[4]] * 4
    assert mp["slot_shards"] == [[6, 4]] * 8  # Adam's two slots follow their variable's layout
    assert mp["head_shards"] == [[8, 4]] * 4  # not in the layout map: replicated


def test_layout_that_does_not_divide_is_a_clear_error(result):
    message = result["error"]
    assert message is not None
    for part in ("hidden/kernel", "dimension 1 (size 5)", "'model' of size 2", "shape=(2, 2)", "('batch', 'model')"):
        assert part in message, message


def test_examples_train_data_and_model_parallel(tmp_path):
    examples = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "examples")
    code = (
        "import runpy, sys; sys.argv = ['example', '1']; "
        f"runpy.run_path({os.path.join(examples, 'distributed_data_parallel.py')!r}, run_name='__main__'); "
        f"runpy.run_path({os.path.join(examples, 'distributed_model_parallel.py')!r}, run_name='__main__')"
    )
    env = dict(os.environ, KERAS_BACKEND=BACKEND_UNDER_TEST)
    env.pop("XLA_FLAGS", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-4000:]
    assert "backend 'jax', 1 process(es), devices ['cpu:0', 'cpu:1', 'cpu:2', 'cpu:3']" in done.stdout
    assert "checkpoint written by process 0: True" in done.stdout and "epoch 1: loss" in done.stdout
    assert "up/kernel: shape (32, 256), each device holds [(32, 128)]" in done.stdout
    assert "down/kernel: shape (256, 8), each device holds [(128, 8)]" in done.stdout


PROCESS_SCRIPT = r'''
import json, os, sys
import jax
jax.config.update("jax_cpu_collectives_implementation", "gloo")  # collectives across CPU processes
import numpy as np, kerasx
from kerasx import distribution as dist

rank, port = int(sys.argv[1]), sys.argv[2]
dist.initialize(f"127.0.0.1:{port}", num_processes=2, process_id=rank)
rng = np.random.default_rng(0)
x = rng.normal(size=(80, 6)).astype("float32")
y = rng.normal(size=(80, 4)).astype("float32")

def make():
    model = kerasx.Sequential([kerasx.Input((6,)), kerasx.layers.Dense(8, activation="tanh", name="hidden"),
                               kerasx.layers.Dense(4, name="head")])
    model.set_weights([np.random.default_rng(i).normal(size=w.shape).astype("float32") * 0.5
                       for i, w in enumerate(model.get_weights())])
    model.compile("adam", "mse")
    return model

with dist.DataParallel().scope():
    model = make()
    history = model.fit(x, y, batch_size=8, shuffle=False, verbose=0).history
out = {"devices": dist.list_devices(), "processes": dist.num_processes(), "loss": history["loss"]}
reference = make()  # no distribution: this process's first device, the global batches
out["reference_loss"] = reference.fit(x, y, batch_size=8, shuffle=False, verbose=0).history["loss"]
out["weights"] = float(max(np.abs(np.asarray(a) - np.asarray(b)).max()
                           for a, b in zip(model.get_weights(), reference.get_weights())))
print("RESULT " + json.dumps(out))
'''


def test_two_processes_through_jax_distributed(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    env = dict(os.environ, KERAS_BACKEND="jax", XLA_FLAGS="--xla_force_host_platform_device_count=2")
    env.pop("JAX_ENABLE_X64", None)
    workers = [
        subprocess.Popen([sys.executable, "-c", PROCESS_SCRIPT, str(rank), port], env=env, cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for rank in range(2)
    ]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    for worker, (stdout, stderr) in zip(workers, outputs):
        assert worker.returncode == 0, stderr[-4000:]
        line = next(line for line in stdout.splitlines() if line.startswith("RESULT "))
        result = json.loads(line[len("RESULT "):])
        # 2 processes x 2 devices: one global mesh of 4, each process feeding its devices' shards.
        assert result["processes"] == 2 and len(result["devices"]) == 4
        assert result["weights"] < 1e-5 and abs(result["loss"][0] - result["reference_loss"][0]) < 1e-5, result
