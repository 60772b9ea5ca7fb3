"""Worker for test_reliability_kill.py's kill-during-save test: one process imports kerasx and builds a model
once, then for each of `POSITIONS` positions forks a child that starts writing the new file over the old one and
kills itself with SIGKILL at that position. Positions are Python line events inside kerasx's saving code (zip
members, HDF5 datasets, fsync, chmod, rename), spread evenly over one whole save, counted on a dry-run save.
Forking costs milliseconds where a new process per kill would cost an import of kerasx and its engine (seconds).

Run as `python reliability_save_worker.py <folder>`: for each target ("model.keras", "model.weights.h5") and
position k, `<folder>/<target>-<k>/` holds what the killed child left; prints one JSON line with each child's
exit status and the line event it was killed at.
"""

import json
import os
import shutil
import signal
import sys

import numpy as np

import kerasx

POSITIONS = 16
# kerasx's saving code: the package, and the atomic replacement of files it shares with the exporters.
SAVING = (os.sep + os.path.join("kerasx", "saving") + os.sep, os.path.join("kerasx", "_atomic_files.py"))


def _model():
    inputs = kerasx.layers.Input((4,), name="x")
    model = kerasx.models.Model(inputs, kerasx.layers.Dense(8, name="dense")(inputs))
    model.compile(optimizer="adam", loss="mse")
    return model


def _save(model, target, path):
    if target.endswith(".weights.h5"):
        model.save_weights(path)
    else:
        model.save(path)


class _LineCounter:
    """A trace function counting line events in kerasx's saving code; at event `kill_at` it sends SIGKILL."""

    def __init__(self, kill_at=None):
        self.count, self.kill_at = 0, kill_at

    def __call__(self, frame, event, arg):
        if not any(part in frame.f_code.co_filename for part in SAVING):
            return None
        if event == "line":
            if self.count == self.kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            self.count += 1
        return self


def _traced_save(model, target, path, counter):
    sys.settrace(counter)
    try:
        _save(model, target, path)
    finally:
        sys.settrace(None)


def main(folder):
    model = _model()
    bias = model.layers[-1].bias
    results = {}
    for target in ("model.keras", "model.weights.h5"):
        bias.assign(np.full((8,), 1.0, "float32"))
        old = os.path.join(folder, f"old-{target}")
        _save(model, target, old)
        bias.assign(np.full((8,), 2.0, "float32"))
        counter = _LineCounter()
        dry = os.path.join(folder, f"dry-{target}")
        shutil.copy(old, dry)  # over an existing file, as the killed saves write (the file mode is copied)
        _traced_save(model, target, dry, counter)
        events = counter.count
        for k in range(POSITIONS):
            kill_at = round(k * (events - 1) / (POSITIONS - 1))
            here = os.path.join(folder, f"{target}-{k}")
            os.makedirs(here)
            shutil.copy(old, os.path.join(here, target))
            pid = os.fork()
            if pid == 0:  # the child: write the new file and die at event `kill_at`
                _traced_save(model, target, os.path.join(here, target), _LineCounter(kill_at))
                os._exit(0)  # reached only if the save ended before `kill_at`
            _, status = os.waitpid(pid, 0)
            results[f"{target}-{k}"] = {"signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
                                        "event": kill_at, "events": events}
    print(json.dumps(results), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
