"""Worker for test_reliability_kill.py: trains (or saves in a loop) and reports progress on stdout, to be killed
with SIGKILL by the test at a reported point. Run as `python reliability_worker.py fit|save <folder>`."""

import os
import sys

import numpy as np

import kerasx


def _model():
    kerasx.utils.set_random_seed(3)
    model = kerasx.Sequential([
        kerasx.Input((4,)), kerasx.layers.Dense(16, activation="relu"), kerasx.layers.Dropout(0.25),
        kerasx.layers.Dense(1),
    ])
    model.compile(optimizer=kerasx.optimizers.Adam(1e-2), loss="mse", metrics=["mae"])
    return model


class Report(kerasx.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        print(f"step {int(np.asarray(self.model.optimizer.iterations.numpy()))}", flush=True)


def fit(folder):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(64, 4)).astype("float32"), rng.normal(size=(64, 1)).astype("float32")
    model = _model()
    backup = kerasx.callbacks.BackupAndRestore(os.path.join(folder, "backup"), save_freq=3)
    model.fit(x, y, batch_size=8, epochs=3, shuffle=True, verbose=0, callbacks=[backup, Report()])
    np.savez(os.path.join(folder, "final.npz"), *[np.asarray(v.numpy()) for v in model.variables])
    print("done", flush=True)


def save(folder):
    model = _model()
    path = os.path.join(folder, "model.keras")
    weights = os.path.join(folder, "model.weights.h5")
    for i in range(10_000):
        model.layers[0].bias.assign(np.full((16,), i, dtype="float32"))
        model.save(path)
        model.save_weights(weights)
        print(f"saved {i}", flush=True)


if __name__ == "__main__":
    {"fit": fit, "save": save}[sys.argv[1]](sys.argv[2])
