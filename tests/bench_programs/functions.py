"""Functions for the bench's tests of `kerasx.utils.benchmark(fn)`: run in each engine's process after import."""

import numpy as np

import kerasx


def predict_twice():
    """Builds a seeded model and predicts twice (the second call is compiled)."""
    kerasx.utils.set_random_seed(0)
    model = kerasx.models.Sequential([kerasx.layers.Input(shape=(4,)), kerasx.layers.Dense(3)])
    x = np.linspace(-1, 1, 20, dtype="float32").reshape(5, 4)
    model.predict(x, verbose=0)
    model.predict(x, batch_size=2, verbose=0)
