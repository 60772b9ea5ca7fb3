"""Real `kill -9` (issue 18): a training process killed by SIGKILL at reported batches, rerun until it finishes,
ends with the variables of a run never killed; a process killed while saving leaves a loadable file. Each kill
costs a process start (seconds), so positions are few here; test_reliability_resume.py covers 8 positions x every
variant in-process."""

import os
import signal
import subprocess
import sys

import numpy as np
import support

import kerasx
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
