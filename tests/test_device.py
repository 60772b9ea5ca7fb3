"""`kerasx.device(name)` places the tensors and variables created inside it where Keras 3's `keras.device` does, on
every backend, and refuses names it cannot place with a ValueError."""

from __future__ import annotations

import numpy as np
import pytest

import kerasx

keras = pytest.importorskip("keras")

BACKEND = kerasx.config.backend()


def _where(x) -> str:
    """The device a native tensor lives on, as a comparable string (jax: its device set; torch/TF: `.device`)."""
    if BACKEND == "jax":
        return str(sorted(str(d) for d in x.devices()))
    return str(getattr(x, "device", "cpu"))


def _created(library, name):
    with library.device(name):
        tensor = library.ops.ones((2, 3))
        variable = library.Variable(np.arange(6.0, dtype="float32").reshape(2, 3))
        dense = library.layers.Dense(2, kernel_initializer="ones")
        output = dense(tensor)
    return tensor, variable, dense, output


@pytest.mark.parametrize("name", ["cpu", "cpu:0", "CPU:0"])
def test_device_places_tensors_variables_and_layer_weights_as_keras(name):
    tensor, variable, dense, output = _created(kerasx, name)
    k_tensor, k_variable, k_dense, k_output = _created(keras, name)
    assert _where(tensor) == _where(k_tensor)
    assert _where(variable.value) == _where(k_variable.value)
    assert _where(dense.kernel.value) == _where(k_dense.kernel.value)
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(output), keras.ops.convert_to_numpy(k_output))
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(variable), keras.ops.convert_to_numpy(k_variable))


def test_device_scope_ends_on_exit_and_nests():
    outside = kerasx.ops.ones((1,))
    with kerasx.device("cpu:0"):
        with kerasx.device("cpu"):
            inner = kerasx.ops.ones((1,))
        after_inner = kerasx.ops.ones((1,))
    assert _where(inner) == _where(after_inner) == _where(outside)
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(inner + after_inner), [2.0])


@pytest.mark.skipif(BACKEND != "torch", reason="torch's 'meta' device holds shapes without data")
def test_device_meta_on_torch_as_keras():
    with kerasx.device("meta"):
        tensor = kerasx.ops.ones((2, 3))
        converted = kerasx.ops.convert_to_tensor(np.ones(3, "float32"))
        variable = kerasx.Variable(np.ones(3, "float32"))
    with keras.device("meta"):
        k_tensor = keras.ops.ones((2, 3))
        k_variable = keras.Variable(np.ones(3, "float32"))
    assert tensor.device.type == k_tensor.device.type == "meta"
    assert converted.device.type == "meta"
    assert variable.value.device.type == k_variable.value.device.type == "meta"
    assert kerasx.ops.ones((1,)).device.type == "cpu"


@pytest.mark.parametrize("name", [3, None, "cpu:zero", "", "cpu:0:1"])
def test_device_refuses_what_is_not_a_device_name(name):
    with pytest.raises(ValueError, match="Invalid value for argument `device_name`.*Received: device_name="):
        kerasx.device(name)


def test_device_refuses_a_non_string_as_keras_does():
    # Keras's jax and torch backends say this; its TensorFlow one lets tf.device say it, its numpy one accepts it.
    if BACKEND in ("jax", "torch"):
        with pytest.raises(ValueError, match="Invalid value for argument `device_name`"):
            with keras.device(3):
                pass
    with pytest.raises(ValueError, match="Invalid value for argument `device_name`"):
        kerasx.device(3)


@pytest.mark.parametrize("name", ["foo:0", "tpuish"])
def test_device_refuses_an_unknown_device_kind(name):
    messages = {
        "jax": "jax has no device",
        "torch": "torch has no device",
        "tensorflow": "TensorFlow cannot read the device name",
        "numpy": "numpy backend computes on the CPU only",
    }
    with pytest.raises(ValueError, match=f"{messages[BACKEND]}.*Received: device_name='{name}'"):
        kerasx.device(name)
    keras_errors = {"jax": RuntimeError, "torch": RuntimeError, "tensorflow": ValueError}
    if BACKEND != "numpy":  # Keras's numpy backend ignores the name; the others fail too, some with other types
        with pytest.raises(keras_errors[BACKEND]):
            with keras.device(name):
                pass


@pytest.mark.skipif(any(d.startswith("gpu") for d in kerasx.distribution.list_devices()), reason="a GPU is present")
def test_device_gpu_without_one():
    if BACKEND == "tensorflow":
        # tf.device places softly: without a GPU the work runs on the CPU, in Keras 3 as here.
        with kerasx.device("gpu:0"):
            x = kerasx.ops.ones((2,))
        with keras.device("gpu:0"):
            k_x = keras.ops.ones((2,))
        assert _where(x) == _where(k_x)
        np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(x), [1.0, 1.0])
        return
    with pytest.raises(ValueError, match="Received: device_name='gpu:0'"):
        kerasx.device("gpu:0")
