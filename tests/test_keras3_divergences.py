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


# set_floatx("float64") -----------------------------------------------------------------------------------------------
# Keras 3 on jax keeps computing in float32 (jax warns per op) unless JAX_ENABLE_X64 is set; kerasx turns jax's
# 64-bit mode on, so float64 means float64 on every engine.

@pytest.fixture
def float64():
    previous = kerasx.backend.floatx()
    kerasx.backend.set_floatx("float64")
    yield
    kerasx.backend.set_floatx(previous)


def _float64_numbers():
    """A Dense output and one SGD step, in float64, against NumPy; float32 would be off by ~1e-8."""
    layer = layers.Dense(1, kernel_initializer="ones", bias_initializer=kerasx.initializers.Constant(1e-9))
    x = np.array([[1.0, 2e-9]])
    y = layer(x)
    assert kerasx.backend.standardize_dtype(y.dtype) == "float64"
    np.testing.assert_allclose(support.to_numpy(y), [[1.0 + 3e-9]], rtol=0, atol=1e-15)
    outputs = {"predicted": float(support.to_numpy(y)[0, 0])}
    if support.TRAINS:
        model = kerasx.Sequential([layers.Input((2,)), layer])
        model.compile(optimizer=kerasx.optimizers.SGD(0.5), loss="mse")
        target = np.array([[1.0]])
        model.train_on_batch(x, target)
        error = 2.0 * ((1.0 + 3e-9) - 1.0)
        kernel, bias = model.get_weights()
        assert kernel.dtype == np.float64
        np.testing.assert_allclose(kernel[:, 0], 1.0 - 0.5 * error * x[0], rtol=0, atol=1e-17)
        np.testing.assert_allclose(bias, [1e-9 - 0.5 * error], rtol=0, atol=1e-17)
    return outputs


def test_set_floatx_float64_computes_in_float64(float64):
    _float64_numbers()


@pytest.mark.skipif(support.BACKEND != "jax", reason="only jax has a 64-bit switch")
def test_set_floatx_float64_on_jax_without_jax_enable_x64(tmp_path):
    code = (
        "import jax, numpy as np, kerasx\n"
        "assert not jax.config.read('jax_enable_x64')\n"
        "kerasx.backend.set_floatx('float64')\n"
        "y = kerasx.ops.add(np.float64(1.0), np.float64(1e-12))\n"
        "print(kerasx.backend.standardize_dtype(y.dtype), repr(float(y) - 1.0), jax.config.read('jax_enable_x64'))\n"
        "kerasx.backend.set_floatx('float32')\n"
        "print(kerasx.backend.standardize_dtype(kerasx.ops.ones(2).dtype), jax.config.read('jax_enable_x64'))\n"
    )
    env = {"KERAS_BACKEND": "jax", "JAX_ENABLE_X64": "0", "JAX_PLATFORMS": "cpu"}
    result = support.run_python(code, tmp_path, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    first, second = result.stdout.split("\n")[:2]
    dtype, difference, x64 = first.split()
    assert (dtype, x64) == ("float64", "True")
    assert float(difference) == (np.float64(1.0) + np.float64(1e-12)) - 1.0  # 0.0 in float32
    assert second.split() == ["float32", "False"]


@pytest.mark.skipif(support.BACKEND != "jax", reason="only jax has a 64-bit switch")
def test_floatx_float64_from_the_config_file_on_jax(tmp_path):
    code = "import jax, kerasx\nprint(kerasx.backend.floatx(), jax.config.read('jax_enable_x64'))\n"
    env = {"KERAS_BACKEND": "jax", "JAX_ENABLE_X64": "0", "JAX_PLATFORMS": "cpu"}
    result = support.run_python(code, tmp_path, env=env, config={"floatx": "float64"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["float64", "True"]
