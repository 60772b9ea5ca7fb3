"""`distribution.get_device_count` and `distribution.distribute_tensor`: against Keras 3 on jax (its only backend with
them: elsewhere its `distribution_lib` is None and both raise AttributeError) and against the engine elsewhere."""

import numpy as np
import pytest

import kerasx
import support
from kerasx import distribution

keras = pytest.importorskip("keras")
BACKEND = kerasx.config.backend()


def _engine_cpu_count() -> int:
    if BACKEND == "jax":
        jax = pytest.importorskip("jax")
        return jax.device_count("cpu")
    if BACKEND == "tensorflow":
        tf = pytest.importorskip("tensorflow")
        return len(tf.config.list_logical_devices("CPU"))
    return 1  # torch counts one CPU device per process (one process here); numpy has one CPU


def test_get_device_count_counts_the_engines_devices():
    assert distribution.get_device_count("cpu") == _engine_cpu_count()
    assert distribution.get_device_count("CPU") == _engine_cpu_count()
    assert distribution.get_device_count() == len(distribution.list_devices())


@pytest.mark.skipif(BACKEND != "jax", reason="Keras 3 counts and distributes tensors on jax only")
def test_get_device_count_matches_keras():
    for device_type in ("cpu", None):
        assert distribution.get_device_count(device_type) == keras.distribution.get_device_count(device_type)


def _one_device_layout(keras_module=distribution):
    mesh = keras_module.DeviceMesh((1,), ("batch",), keras_module.list_devices()[:1])
    return keras_module.TensorLayout(("batch", None), mesh)


def test_distribute_tensor_keeps_values_and_passes_symbolic_tensors():
    value = np.arange(6, dtype="float32").reshape(2, 3)
    distributed = distribution.distribute_tensor(value, _one_device_layout())
    support.assert_close(distributed, value)
    assert kerasx.backend.is_tensor(distributed)
    symbolic = kerasx.Input(shape=(3,))
    assert distribution.distribute_tensor(symbolic, _one_device_layout()) is symbolic


@pytest.mark.skipif(BACKEND != "jax", reason="Keras 3 counts and distributes tensors on jax only")
def test_distribute_tensor_matches_keras_also_inside_jit():
    jax = pytest.importorskip("jax")
    value = np.arange(6, dtype="float32").reshape(2, 3)
    ours = distribution.distribute_tensor(value, _one_device_layout())
    theirs = keras.distribution.distribute_tensor(value, _one_device_layout(keras.distribution))
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
    assert ours.sharding.is_equivalent_to(theirs.sharding, ndim=2)
    layout = _one_device_layout()
    jitted = jax.jit(lambda x: distribution.distribute_tensor(x * 2.0, layout))
    np.testing.assert_array_equal(np.asarray(jitted(value)), value * 2.0)


def test_distribute_tensor_errors():
    with pytest.raises(TypeError, match="needs a `TensorLayout`"):
        distribution.distribute_tensor(np.ones(2), ("batch",))
    with pytest.raises(ValueError, match="has no device mesh"):
        distribution.distribute_tensor(np.ones(2), distribution.TensorLayout(("batch",)))
