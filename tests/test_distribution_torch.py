"""kerasx.distribution on torch over 2 gloo processes (torch.distributed), in a subprocess.

DataParallel: each rank trains on its half of every global batch with gradients all-reduced; the weights must equal
single-process training on the global batch, and only rank 0 writes the checkpoint. ModelParallel: kernels sharded
through DTensor as the LayoutMap says; outputs and weights equal the unsharded model's, each rank holds its shard.
"""

import json
import os
import socket
import subprocess
import sys

import pytest

BACKEND_UNDER_TEST = "torch"
pytestmark = pytest.mark.skipif(
    os.environ.get("KERAS_BACKEND") != BACKEND_UNDER_TEST, reason=f"runs in the {BACKEND_UNDER_TEST} session"
)

SCRIPT = r'''
import json, os, random, socket, sys
import numpy as np
import torch.multiprocessing as mp

import kerasx
from kerasx import distribution as dist

rng = np.random.default_rng(0)
x = rng.normal(size=(80, 6)).astype("float32")
y = rng.normal(size=(80, 4)).astype("float32")

def make(seed, units=8):
    model = kerasx.Sequential([
        kerasx.Input((6,)),
        kerasx.layers.Dense(units, activation="tanh", name="hidden"),
        kerasx.layers.Dense(4, name="head"),
    ])
    # Ranks start from different weights on purpose: DataParallel broadcasts rank 0's.
    model.set_weights([np.random.default_rng(seed + i).normal(size=w.shape).astype("float32") * 0.5
                       for i, w in enumerate(model.get_weights())])
    model.compile("adam", "mse", metrics=["mae"])
    return model

def worker(rank, folder, port):
    os.environ["MASTER_ADDR"], os.environ["MASTER_PORT"] = "127.0.0.1", str(port)
    dist.initialize(num_processes=2, process_id=rank)
    shuffle_draw = random.random()  # equal on both ranks: initialize shares rank 0's shuffling seed
    checkpoint = os.path.join(folder, f"rank{rank}", "model.weights.h5")
    with dist.DataParallel().scope():
        model = make(seed=100 * rank)
        callback = kerasx.callbacks.ModelCheckpoint(checkpoint, save_weights_only=True)
        history = model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=2, callbacks=[callback])
    out = {"weights": [w.tolist() for w in model.get_weights()], "history": history.history,
           "devices": dist.list_devices(), "processes": dist.num_processes(),
           "wrote": os.path.exists(checkpoint), "shuffle_draw": shuffle_draw}
    out["mp"] = model_parallel(rank, folder)
    with open(os.path.join(folder, f"result{rank}.json"), "w") as f:
        json.dump(out, f)

def model_parallel(rank, folder):
    # Columns of the hidden kernel (and its bias) on one rank each, rows of the head kernel; batches split too.
    layout_map = dist.LayoutMap(dist.DeviceMesh((2,), ("model",)))
    layout_map[".*hidden/kernel"] = (None, "model")
    layout_map[".*hidden/bias"] = ("model",)
    layout_map[".*head/kernel"] = ("model", None)
    checkpoint = os.path.join(folder, f"mp{rank}", "model.keras")
    with dist.ModelParallel(layout_map=layout_map).scope():
        model = make(seed=100 * rank)
        callback = kerasx.callbacks.ModelCheckpoint(checkpoint)  # the whole model, optimizer slots included
        history = model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0, callbacks=[callback])
        pred = model.predict(x, batch_size=30, verbose=0)
    variables = model.layers[0].kernel, model.layers[0].bias, model.layers[1].kernel, model.layers[1].bias
    # Slot names follow the variable paths, as Keras 3's: "adam/sequential_hidden_kernel_momentum".
    slots = [v for v in model.optimizer.variables if "hidden_kernel" in v.path]
    out = {"weights": [w.tolist() for w in model.get_weights()], "history": history.history, "pred": pred.tolist(),
           "local_shapes": [list(v.value.to_local().shape) for v in variables],
           "slot_local_shapes": [list(v.value.to_local().shape) for v in slots], "wrote": os.path.exists(checkpoint)}
    weights = model.get_weights()  # gathered: every rank takes part
    if rank == 0:  # the file holds whole weights: an unsharded model loads it
        loaded = kerasx.saving.load_model(checkpoint).get_weights()
        out["checkpoint"] = max(float(np.abs(a - b).max()) for a, b in zip(loaded, weights))
    model.set_weights([w * 0 + 1 for w in weights])  # whole values in: each rank keeps its part
    out["set_weights"] = (all(float(w.min()) == float(w.max()) == 1 for w in model.get_weights())
                          and list(model.layers[0].kernel.value.to_local().shape) == [6, 4])
    with dist.ModelParallel(layout_map=layout_map).scope():
        try:
            make(seed=0, units=5).fit(x, y, batch_size=8, epochs=1, verbose=0)
            out["error"] = None
        except ValueError as error:
            out["error"] = str(error)
    return out

if __name__ == "__main__":
    folder = sys.argv[1]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    reference = make(seed=0)
    history = reference.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0).history
    prediction = reference.predict(x, batch_size=30, verbose=0)
    sys.stdout.flush()
    mp.spawn(worker, args=(folder, port), nprocs=2)
    out = {"reference_history": history}
    for rank in range(2):
        with open(os.path.join(folder, f"result{rank}.json")) as f:
            result = json.load(f)
        result["weights"] = float(max(np.abs(np.asarray(w) - r).max()
                                      for w, r in zip(result["weights"], reference.get_weights())))
        mp_result = result["mp"]
        mp_result["weights"] = float(max(np.abs(np.asarray(w) - r).max()
                                         for w, r in zip(mp_result["weights"], reference.get_weights())))
        mp_result["pred"] = float(np.abs(np.asarray(mp_result["pred"]) - prediction).max())
        out[rank] = result
    print("RESULT " + json.dumps(out))
'''


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    folder = tmp_path_factory.mktemp("torch_distribution")
    script = folder / "data_parallel.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, KERAS_BACKEND="torch", OMP_NUM_THREADS="1")
    done = subprocess.run([sys.executable, str(script), str(folder)], env=env, capture_output=True, text=True,
                          timeout=120, cwd=os.getcwd())
    assert done.returncode == 0, done.stderr[-4000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    out = json.loads(line[len("RESULT "):])
    out["progress_lines"] = [line for line in done.stdout.splitlines() if "- loss:" in line]
    return out


def test_two_gloo_processes_train_like_one_process_on_the_global_batch(result):
    for rank in ("0", "1"):
        assert result[rank]["processes"] == 2 and result[rank]["devices"] == ["cpu:0", "cpu:1"]
        assert result[rank]["weights"] < 1e-5, (rank, result[rank]["weights"])
        for name, values in result["reference_history"].items():
            assert abs(result[rank]["history"][name][0] - values[0]) < 1e-5, (rank, name, result[rank]["history"])


def test_ranks_shuffle_in_the_same_order(result):
    assert result["0"]["shuffle_draw"] == result["1"]["shuffle_draw"]


def test_only_rank_zero_writes_checkpoints_and_prints_progress(result):
    assert result["0"]["wrote"] and not result["1"]["wrote"]
    assert len(result["progress_lines"]) == 1, result["progress_lines"]  # fit(verbose=2) on both ranks


def test_model_parallel_equals_unsharded_each_rank_holds_its_shard_rank_zero_writes(result):
    for rank in ("0", "1"):
        mp = result[rank]["mp"]
        assert mp["weights"] < 1e-5 and mp["pred"] < 1e-5, (rank, mp["weights"], mp["pred"])
        for name, values in result["reference_history"].items():
            assert abs(mp["history"][name][0] - values[0]) < 1e-5, (rank, name, mp["history"])
        # hidden kernel (6, 8) by columns, its bias (8,), head kernel (8, 4) by rows; the head bias replicated.
        assert mp["local_shapes"] == [[6, 4], [4], [4, 4], [4]], mp["local_shapes"]
        assert mp["slot_local_shapes"] == [[6, 4], [6, 4]]  # Adam's slots follow their variable
        assert mp["set_weights"]
    assert result["0"]["mp"]["wrote"] and not result["1"]["mp"]["wrote"]
    assert result["0"]["mp"]["checkpoint"] == 0.0


def test_model_parallel_layout_that_does_not_divide_is_a_clear_error(result):
    message = result["0"]["mp"]["error"]
    assert message is not None
    for part in ("hidden/kernel", "dimension 1 (size 5)", "'model' of size 2", "shape=(2,)"):
        assert part in message, message


def test_example_trains_data_parallel(tmp_path):
    example = os.path.join(os.path.dirname(__file__), os.pardir, "examples", "distributed_data_parallel.py")
    env = dict(os.environ, KERAS_BACKEND=BACKEND_UNDER_TEST, TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run([sys.executable, example, "1"], env=env, capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-4000:]
    assert f"backend '{BACKEND_UNDER_TEST}'" in done.stdout and "checkpoint written by process 0: True" in done.stdout
    assert "epoch 1: loss" in done.stdout


def test_model_parallel_example_under_torchrun(tmp_path):
    example = os.path.join(os.path.dirname(__file__), os.pardir, "examples", "distributed_model_parallel.py")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    env = dict(os.environ, KERAS_BACKEND=BACKEND_UNDER_TEST, OMP_NUM_THREADS="1")
    command = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2", "--master_addr=127.0.0.1",
               f"--master_port={port}", example]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-4000:]
    assert "backend 'torch', mesh (1, 2) ('batch', 'model')" in done.stdout, done.stdout
    assert "up/kernel: shape (32, 256), each device holds [(32, 128)]" in done.stdout
    assert "down/kernel: shape (256, 8), each device holds [(128, 8)]" in done.stdout
    assert done.stdout.count("loss per epoch") == 1  # printed by rank 0 only
