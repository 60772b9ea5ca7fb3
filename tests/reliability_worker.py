"""Worker for test_reliability_kill.py: saves in a loop and reports progress on stdout, to be killed with SIGKILL by
the test at a reported point. Run as `python reliability_worker.py save <folder>`."""

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
    {"save": save}[sys.argv[1]](sys.argv[2])
