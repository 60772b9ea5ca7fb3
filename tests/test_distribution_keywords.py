"""Keras 3's keywords `Variable(layout=...)` and `DataParallel/ModelParallel(auto_shard_dataset=...)`: stored and read
as Keras 3 stores and reads them (a Variable's own layout wins over the distribution's choice)."""

from __future__ import annotations

import numpy as np
import pytest

import kerasx

keras = pytest.importorskip("keras")

BACKEND = kerasx.config.backend()
# Keras 3's distribution API exists on its jax and tensorflow backends only (`list_devices` is None elsewhere).
KERAS_DISTRIBUTES = BACKEND in ("jax", "tensorflow")
ORACLE = pytest.param(keras, id="keras", marks=pytest.mark.skipif(not KERAS_DISTRIBUTES, reason="no Keras oracle"))


def _meshes(library):
    devices = library.distribution.list_devices()[:1]
    return library.distribution.DeviceMesh((1,), ("model",), devices=devices), devices


@pytest.mark.parametrize("library", [pytest.param(kerasx, id="kerasx"), ORACLE])
def test_variable_layout_is_kept_and_wins_over_the_distribution(library):
    mesh, devices = _meshes(library)
    layout = library.distribution.TensorLayout(("model", None), mesh)
    variable = library.Variable(np.arange(6.0, dtype="float32").reshape(2, 3), name="w", layout=layout)
    plain = library.Variable(np.zeros((2, 3), "float32"), name="p")
    assert variable._layout is layout
    assert plain._layout is None
    data_parallel = library.distribution.DataParallel(devices=devices)
    assert data_parallel.get_variable_layout(variable) is layout
    assert tuple(data_parallel.get_variable_layout(plain).axes) == (None, None)
    layout_map = library.distribution.LayoutMap(mesh)
    layout_map["p"] = (None, "model")
    model_parallel = library.distribution.ModelParallel(layout_map=layout_map, batch_dim_name="model")
    assert model_parallel.get_variable_layout(variable) is layout
    np.testing.assert_array_equal(library.ops.convert_to_numpy(variable), np.arange(6.0).reshape(2, 3))


@pytest.mark.skipif(BACKEND == "numpy", reason="the numpy backend places nothing")
def test_variable_with_layout_is_placed_and_keeps_its_values():
    mesh, devices = _meshes(kerasx)
    layout = kerasx.distribution.TensorLayout(("model", None), mesh)
    variable = kerasx.Variable(np.arange(6.0, dtype="float32").reshape(2, 3), layout=layout)
    kerasx.distribution.DataParallel(devices=devices).distribute_variables([variable])
    np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(variable), np.arange(6.0).reshape(2, 3))


@pytest.mark.parametrize("flag", [True, False])
@pytest.mark.parametrize("library", [pytest.param(kerasx, id="kerasx"), ORACLE])
def test_auto_shard_dataset_is_stored_as_keras_does(library, flag):
    mesh, devices = _meshes(library)
    data_parallel = library.distribution.DataParallel(devices=devices, auto_shard_dataset=flag)
    assert data_parallel.auto_shard_dataset is flag
    layout_map = library.distribution.LayoutMap(mesh)
    model_parallel = library.distribution.ModelParallel(layout_map=layout_map, auto_shard_dataset=flag)
    assert model_parallel.auto_shard_dataset is flag
    model_parallel.auto_shard_dataset = not flag
    assert model_parallel.auto_shard_dataset is (not flag)
    assert library.distribution.DataParallel(devices=devices).auto_shard_dataset is True


@pytest.mark.skipif(BACKEND == "numpy", reason="the numpy backend does not train")
@pytest.mark.parametrize("flag", [True, False])
def test_one_process_trains_the_same_whatever_auto_shard_dataset(flag):
    x = np.random.RandomState(0).rand(16, 4).astype("float32")
    y = x.sum(axis=1, keepdims=True)

    def trained(distribution):
        model = kerasx.Sequential([kerasx.Input((4,)), kerasx.layers.Dense(1, kernel_initializer="ones")])
        model.compile(optimizer="sgd", loss="mse")
        if distribution is None:
            history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
        else:
            with distribution.scope():
                history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
        return history.history["loss"], kerasx.ops.convert_to_numpy(model.layers[0].kernel)

    devices = kerasx.distribution.list_devices()[:1]
    losses, kernel = trained(kerasx.distribution.DataParallel(devices=devices, auto_shard_dataset=flag))
    plain_losses, plain_kernel = trained(None)
    np.testing.assert_allclose(losses, plain_losses, rtol=1e-6)
    np.testing.assert_allclose(kernel, plain_kernel, rtol=1e-6)
