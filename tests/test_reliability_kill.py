"""Real `kill -9` (issue 18): a training process killed by SIGKILL at reported batches, rerun until it finishes,
ends with the variables of a run never killed; a process killed while saving leaves a loadable file. Each kill
costs a process start (seconds), so positions are few here; test_reliability_resume.py covers 8 positions x every
variant in-process."""

import json
import os
import signal
import subprocess
import sys

import numpy as np
import support

import kerasx
import reliability_save_worker
import reliability_worker

pytestmark = support.needs_gradients

WORKER = os.path.join(os.path.dirname(__file__), "reliability_worker.py")


def _start(mode, folder):
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.Popen([sys.executable, WORKER, mode, str(folder)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)


def _kill_when(process, line_wanted) -> None:
    for line in process.stdout:
        if line_wanted(line.strip()):
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=120)


def _run_to_end(folder, in_process=False):
    if in_process:  # the same script and seeds: the reference costs no process start
        reliability_worker.fit(str(folder))
    else:
        process = _start("fit", folder)
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0 and "done" in out
    with np.load(folder / "final.npz") as saved:
        return [saved[f"arr_{i}"] for i in range(len(saved.files))]


def test_fit_killed_twice_resumes_bitwise(tmp_path):
    (tmp_path / "reference").mkdir()
    reference = _run_to_end(tmp_path / "reference", in_process=True)
    killed = tmp_path / "killed"
    for step in (5, 17):  # mid-epoch, after the backup at step 3 (8 batches an epoch); then in epoch 3
        process = _start("fit", killed)
        _kill_when(process, lambda line, step=step: line == f"step {step}")
        assert process.returncode == -signal.SIGKILL
    for actual, expected in zip(_run_to_end(killed), reference):
        np.testing.assert_array_equal(actual, expected)


def test_save_killed_leaves_a_loadable_file(tmp_path):
    process = _start("save", tmp_path)
    # Killed right after a save is reported, while the next save is being written.
    _kill_when(process, lambda line: line == "saved 3")
    assert process.returncode == -signal.SIGKILL
    model = kerasx.saving.load_model(tmp_path / "model.keras")
    bias = support.to_numpy(model.layers[0].bias)
    assert bias[0] in (3.0, 4.0) and np.all(bias == bias[0])
    model.load_weights(tmp_path / "model.weights.h5")
    assert support.to_numpy(model.layers[0].bias)[0] in (3.0, 4.0)


SAVE_WORKER = os.path.join(os.path.dirname(__file__), "reliability_save_worker.py")


def _bias_of(model, target, path):
    if target.endswith(".weights.h5"):
        model.load_weights(path)
    else:
        model = kerasx.saving.load_model(path)
    return support.to_numpy(model.layers[-1].bias)


def test_save_killed_at_16_positions_leaves_the_old_or_the_new_file(tmp_path):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run([sys.executable, SAVE_WORKER, str(tmp_path)], capture_output=True, text=True, env=env,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    model = reliability_save_worker._model()
    for target in ("model.keras", "model.weights.h5"):
        found = []
        for k in range(reliability_save_worker.POSITIONS):
            result, folder = results[f"{target}-{k}"], tmp_path / f"{target}-{k}"
            assert result["signal"] == signal.SIGKILL, (target, k, result)  # killed inside the save, every time
            bias = _bias_of(model, target, folder / target)
            assert np.all(bias == bias[0]) and bias[0] in (1.0, 2.0), (target, k, bias)
            found.append(int(bias[0]))
            # A later save over what the kill left succeeds, and removes the killed save's temporary file.
            leftovers = [p for p in os.listdir(folder) if p != target]
            for name in leftovers:
                os.utime(folder / name, (0, 0))  # as if the kill happened long ago (a live save's file is recent)
            reliability_save_worker._save(model, target, str(folder / target))
            assert os.listdir(folder) == [target], (target, k, leftovers)
        # The first positions die before the rename (old file), the last after it (new file).
        assert found[0] == 1 and found[-1] == 2 and found == sorted(found), (target, found)
