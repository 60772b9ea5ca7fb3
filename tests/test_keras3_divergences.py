"""Small differences from Keras 3.15.1 that a user sees: read-only NumPy inputs on torch, `set_floatx("float64")`
on jax, the names models and layers get, and the text of `model.summary()`.

Keras 3 is the oracle: where its behaviour is compared, it runs in a subprocess on the same KERAS_BACKEND.
"""

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers

READ_ONLY_WARNING = "error:The given NumPy array is not writable"


def _read_only(array):
    array = np.array(array)
    array.setflags(write=False)
    return array


def _trained_weights(x, y):
    kerasx.utils.set_random_seed(7)
    model = kerasx.Sequential([layers.Input((4,)), layers.Dense(3, activation="relu"), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    loss = model.evaluate(x, y, batch_size=4, verbose=0)
    return [np.asarray(w) for w in model.get_weights()], history.history["loss"], loss, model.predict(x, verbose=0)


# torch warns "The given NumPy array is not writable" when it wraps a read-only buffer; the warning is an error here.
@pytest.mark.filterwarnings(READ_ONLY_WARNING)
def test_read_only_arrays_convert_without_warning_and_keep_values():
    array = _read_only(np.arange(6, dtype="float32").reshape(2, 3))
    tensor = kerasx.ops.convert_to_tensor(array)
    support.assert_close(tensor, np.arange(6, dtype="float32").reshape(2, 3))
    support.assert_close(kerasx.ops.add(_read_only(np.float32(2.0)), 1.0), np.float32(3.0))
    assert not array.flags.writeable


@support.needs_gradients
@pytest.mark.filterwarnings(READ_ONLY_WARNING)
def test_fit_evaluate_predict_on_read_only_arrays_match_writable_ones():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 4)).astype("float32")
    y = rng.normal(size=(12, 1)).astype("float32")
    expected = _trained_weights(x, y)
    received = _trained_weights(_read_only(x), _read_only(y))
    for actual, wanted in zip(received[0], expected[0]):
        np.testing.assert_array_equal(actual, wanted)
    assert received[1] == expected[1]
    assert received[2] == expected[2]
    np.testing.assert_array_equal(received[3], expected[3])
    assert expected[1][1] < expected[1][0]  # it trained


@pytest.mark.filterwarnings(READ_ONLY_WARNING)
def test_predict_on_read_only_arrays():
    model = kerasx.Sequential([layers.Input((3,)), layers.Dense(2, kernel_initializer="ones")])
    x = _read_only(np.arange(6, dtype="float32").reshape(2, 3))
    np.testing.assert_allclose(model.predict(x, verbose=0), [[3.0, 3.0], [12.0, 12.0]])
