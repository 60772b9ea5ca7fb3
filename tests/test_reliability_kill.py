"""Real `kill -9` (issue 18): training killed by SIGKILL at 8 batches of every resume variant, rerun each time until
it finishes, ends with the state of a run never killed; a process killed while saving (16 positions in the save)
leaves the old or the new file. The kills are of forked children of one worker process per test (a process start
per kill would cost an engine import: seconds); test_reliability_resume.py interrupts the same variants in-process."""

import json
import os
import signal
import subprocess
import sys

import numpy as np
import support

import kerasx
import reliability_save_worker
import reliability_variants as variants

pytestmark = support.needs_gradients

WORKER = os.path.join(os.path.dirname(__file__), "reliability_worker.py")
FIT_KILL_WORKER = os.path.join(os.path.dirname(__file__), "reliability_fit_kill_worker.py")


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


def test_fit_killed_at_8_positions_of_every_variant_resumes_bitwise(tmp_path):
    """Each variant of reliability_variants.py, killed with SIGKILL at 8 batches in a chain (each restart resumes
    from what the previous kill left), then run to the end, equals the run never killed: every variable, optimizer
    slot, metric total and generator state bit for bit, and the History of the epochs it ran."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run([sys.executable, FIT_KILL_WORKER, str(tmp_path)], capture_output=True, text=True, env=env,
                          timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert sorted(results) == sorted(name for name, _, _ in variants.VARIANTS)
    for name, result in results.items():
        assert result["reference"] == result["resumed"] == {"exit": 0}, (name, result, done.stderr[-3000:])
        assert len(result["positions"]) == variants.NUM_POSITIONS, (name, result)
        assert result["kills"] == [{"signal": signal.SIGKILL}] * variants.NUM_POSITIONS, (name, result)
        assert not result["backup_left"], name  # a finished run removes its backup
        folder = tmp_path / name
        with np.load(folder / "reference.npz") as reference, np.load(folder / "resumed.npz") as resumed:
            assert reference.files == resumed.files
            for key in reference.files:
                np.testing.assert_array_equal(resumed[key], reference[key], err_msg=f"{name}: state {key}")
        expected = json.loads((folder / "reference.json").read_text())
        actual = json.loads((folder / "resumed.json").read_text())
        ran = len(actual["epoch"])
        assert actual["epoch"] == expected["epoch"][variants.EPOCHS - ran :], name
        assert actual["history"] == {key: values[variants.EPOCHS - ran :] for key, values in expected["history"].items()}


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
