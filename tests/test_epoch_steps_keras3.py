"""`steps_per_epoch` and `steps` against Keras 3.15.1, per data kind: which batches each epoch takes, where an epoch
that reaches the end of the data stops (with Keras's "ran out of data" warning), that the next epoch begins a new
pass, and the order a shuffled PyDataset's batches come in. Each batch is seen by an eager layer that records its
first value, in both libraries."""

from __future__ import annotations

import importlib
import warnings

import numpy as np
import pytest

import support

keras = pytest.importorskip("keras")
pytestmark = pytest.mark.skipif(not support.TRAINS, reason="the numpy backend does not train")

X = np.arange(18.0, dtype="float32").reshape(6, 3)  # three batches of two, whose first values are 0, 6 and 12
Y = np.ones((6, 1), "float32")
KINDS = ("arrays", "tf.data", "PyDataset", "generator", "iterable DataLoader")


def _data(lib, kind):
    """The three batches as `kind`; arrays come as (x, y) with batch_size 2."""
    if kind == "arrays":
        return {"x": X, "y": Y, "batch_size": 2}
    if kind == "tf.data":
        tf = pytest.importorskip("tensorflow")
        return {"x": tf.data.Dataset.from_tensor_slices((X, Y)).batch(2)}
    if kind == "PyDataset":

        class Batches(lib.utils.PyDataset):
            def __len__(self):
                return 3

            def __getitem__(self, index):
                return X[2 * index:2 * index + 2], Y[2 * index:2 * index + 2]

        return {"x": Batches()}
    if kind == "iterable DataLoader":  # a torch DataLoader over an IterableDataset: no length, its end tells
        torch = pytest.importorskip("torch")

        class Stream(torch.utils.data.IterableDataset):
            def __iter__(self):
                for i in range(0, 6, 2):
                    yield torch.from_numpy(X[i:i + 2]), torch.from_numpy(Y[i:i + 2])

        return {"x": torch.utils.data.DataLoader(Stream(), batch_size=None)}
    return {"x": ((X[i:i + 2], Y[i:i + 2]) for i in range(0, 6, 2))}


def _recording_model(lib, seen: list):
    class Record(lib.layers.Layer):
        def call(self, inputs):
            try:
                first = float(lib.ops.convert_to_numpy(inputs)[0, 0])
            except Exception:  # a symbolic build (Keras on jax traces it): no data to record
                return inputs
            if first in (0.0, 6.0, 12.0):  # a batch of the data, not the ones both libraries build with
                seen.append(first)
            return inputs

    model = lib.Sequential([lib.Input((3,)), Record(), lib.layers.Dense(1, kernel_initializer="ones")])
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    return model


def _run(library: str, kind: str, method: str, steps, epochs: int = 1, shuffle: bool = False):
    """(first values of the batches seen, number of "ran out of data" warnings, predict's output rows)."""
    lib = importlib.import_module(library)
    lib.utils.set_random_seed(7)
    seen: list = []
    model = _recording_model(lib, seen)
    data = _data(lib, kind)
    rows = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if method == "fit":
            model.fit(**data, steps_per_epoch=steps, epochs=epochs, shuffle=shuffle, verbose=0)
        elif method == "evaluate":
            model.evaluate(**data, steps=steps, verbose=0)
        else:
            data.pop("y", None)
            rows = len(model.predict(**data, steps=steps, verbose=0))
    ran_out = sum("Your input ran out of data" in str(w.message) for w in caught)
    return seen, ran_out, rows


FIT_CASES = [(2, 3), (4, 2), (3, 2), (None, 2), (1, 4)]


@pytest.mark.parametrize(("steps", "epochs"), FIT_CASES, ids=[f"steps{s}-epochs{e}" for s, e in FIT_CASES])
@pytest.mark.parametrize("kind", ["arrays", "tf.data", "PyDataset", "iterable DataLoader"])
def test_fit_takes_the_batches_keras3_takes(kind, steps, epochs):
    expected = _run("keras", kind, "fit", steps, epochs)
    assert _run("kerasx", kind, "fit", steps, epochs) == expected
    # The cases cover both ways an epoch ends: at `steps_per_epoch`, and at the end of the data, with the warning.
    if (steps, epochs) == (2, 3):
        assert expected == ([0.0, 6.0, 12.0, 0.0, 6.0], 1, None)


@pytest.mark.parametrize(("steps", "epochs"), [(2, 1), (4, 1), (None, 1)])
def test_fit_on_a_generator_as_keras3_until_it_ends(steps, epochs):
    # After a generator's end Keras 3 plays again the batches it looked at first; kerasx takes no batch it was not
    # given (tests/test_keras3_divergences.py), so only runs that end with the generator are compared.
    assert _run("kerasx", "generator", "fit", steps, epochs) == _run("keras", "generator", "fit", steps, epochs)


@pytest.mark.parametrize("steps", [None, 2, 5])
@pytest.mark.parametrize("method", ["evaluate", "predict"])
@pytest.mark.parametrize("kind", KINDS)
def test_evaluate_and_predict_stop_where_keras3_stops(kind, method, steps):
    expected = _run("keras", kind, method, steps)
    assert _run("kerasx", kind, method, steps) == expected
    if steps == 5:
        assert expected[:2] == ([0.0, 6.0, 12.0], 1)


def test_a_pydataset_is_shuffled_as_keras3_shuffles_it():
    """`fit(PyDataset, shuffle=True)` draws a new order of the batches each epoch from Python's `random` (so
    `set_random_seed` repeats it), as Keras 3 does; `shuffle=False` keeps the order. (Keras's exact orders depend on
    how many orders its engine's adapter draws before the first epoch, which differs between its engines.)"""
    for library in ("keras", "kerasx"):
        seen = _run(library, "PyDataset", "fit", None, epochs=4, shuffle=True)[0]
        epochs = [seen[i:i + 3] for i in range(0, 12, 3)]
        assert all(sorted(epoch) == [0.0, 6.0, 12.0] for epoch in epochs), library
        assert len({tuple(epoch) for epoch in epochs}) > 1, library
        assert _run(library, "PyDataset", "fit", None, epochs=4, shuffle=True)[0] == seen, library
        assert _run(library, "PyDataset", "fit", None, epochs=2, shuffle=False)[0] == [0.0, 6.0, 12.0] * 2, library
