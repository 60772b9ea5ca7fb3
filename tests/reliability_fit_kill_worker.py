"""Worker for test_reliability_kill.py's `kill -9` during fit: for each variant of reliability_variants.py, a forked
child trains without interruption (the reference); then one child per interruption position trains with
BackupAndRestore and kills itself with SIGKILL right after the batch that reaches the position (the backup of that
batch, if any, written first); a last child resumes from what the kills left and trains to the end.

The parent imports kerasx and its engine but computes nothing before forking: each child starts the engine's runtime
itself (a fork of a started jax or TensorFlow runtime would copy the locks its threads hold). Forking costs
milliseconds where a new process per kill would import the engine again (seconds).

Run as `python reliability_fit_kill_worker.py <folder> [variant ...]`: prints one JSON line, per variant the
positions, each killed child's signal and the reference's and the resumed run's exit codes; `<folder>/<variant>/`
holds `reference.npz`/`.json` and `resumed.npz`/`.json` (state arrays; History).
"""

import json
import os
import signal
import sys
import traceback

import numpy as np
import reliability_variants as variants

import kerasx


# Each child traces its own steps: on TensorFlow that costs seconds per child, an eager run of these 15 steps a
# fraction of it. The compiled steps' resume is checked in-process (test_reliability_resume.py); what a kill can break,
# the files on disk, is the same either way.
RUN_EAGERLY = kerasx.backend.backend() == "tensorflow"


class KillAt(kerasx.callbacks.Callback):
    """SIGKILL once the optimizer has taken `iteration` steps (listed after BackupAndRestore, which saves first)."""

    def __init__(self, iteration):
        super().__init__()
        self.iteration = iteration

    def on_train_batch_end(self, batch, logs=None):
        if int(kerasx.ops.convert_to_numpy(self.model.optimizer.iterations)) == self.iteration:
            os.kill(os.getpid(), signal.SIGKILL)


def _in_child(run) -> dict:
    """Runs `run()` in a forked child; its exit code, or the signal that ended it."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            run()
        except BaseException:
            traceback.print_exc()
            code = 3
        sys.stdout.flush()
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return {"signal": os.WTERMSIG(status)}
    return {"exit": os.WEXITSTATUS(status)}


def _train_and_record(folder, name, fit_kwargs, backup, extra=()):
    model = variants.model(RUN_EAGERLY)
    history = variants.fit(model, fit_kwargs, list(extra), backup)
    np.savez(os.path.join(folder, f"{name}.npz"), *variants.state(model))
    record = {"epoch": history.epoch, "history": history.history,
              "iterations": int(kerasx.ops.convert_to_numpy(model.optimizer.iterations))}
    with open(os.path.join(folder, f"{name}.json"), "w") as file:
        json.dump(record, file)


def run_variant(folder, name, fit_kwargs, save_freq) -> dict:
    os.makedirs(folder)
    backup_dir = os.path.join(folder, "backup")
    reference = _in_child(lambda: _train_and_record(
        folder, "reference", fit_kwargs, kerasx.callbacks.BackupAndRestore(os.path.join(folder, "ref"), save_freq)))
    if reference != {"exit": 0}:
        return {"reference": reference}
    with open(os.path.join(folder, "reference.json")) as file:
        total = json.load(file)["iterations"]
    positions = variants.positions(name, total)
    kills = []
    for position in positions:
        def killed(position=position):
            model = variants.model(RUN_EAGERLY)
            variants.fit(model, fit_kwargs, [KillAt(position)], kerasx.callbacks.BackupAndRestore(backup_dir, save_freq))
        kills.append(_in_child(killed))
    resumed = _in_child(lambda: _train_and_record(
        folder, "resumed", fit_kwargs, kerasx.callbacks.BackupAndRestore(backup_dir, save_freq)))
    return {"positions": positions, "kills": kills, "reference": reference, "resumed": resumed,
            "backup_left": os.path.exists(backup_dir)}


def main(folder, names):
    chosen = [v for v in variants.VARIANTS if not names or v[0] in names]
    results = {name: run_variant(os.path.join(folder, name), name, kwargs, freq) for name, kwargs, freq in chosen}
    print(json.dumps(results), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
