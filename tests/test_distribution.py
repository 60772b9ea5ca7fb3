"""kerasx.distribution's engine-free API, in-process on every backend (one device is enough)."""

import keras
import numpy as np
import pytest

import kerasx
from kerasx import distribution as dist
from kerasx.backend import active


def test_list_devices_names_devices_of_the_engine():
    devices = dist.list_devices()
    assert devices and all(isinstance(d, str) and ":" in d and d == d.lower() for d in devices)
    assert dist.list_devices("cpu") == [d for d in devices if d.startswith("cpu:")]


def test_device_mesh_checks_its_shape():
    devices = dist.list_devices()
    mesh = dist.DeviceMesh((len(devices),), ("batch",), devices)
    assert mesh.shape == (len(devices),) and mesh.axis_names == ("batch",) and mesh.devices == tuple(devices)
    with pytest.raises(ValueError, match=r"shape \(7,\) holds 7 devices but 1 were given"):
        dist.DeviceMesh((7,), ("batch",), devices[:1])
    with pytest.raises(ValueError, match="each device may appear once"):
        dist.DeviceMesh((2,), ("batch",), devices[:1] * 2)
    with pytest.raises(ValueError, match="one axis name per mesh dimension"):
        dist.DeviceMesh((1,), ("batch", "model"), devices[:1])


def test_layout_map_matches_paths_and_fills_in_the_mesh():
    mesh = dist.DeviceMesh((1,), ("model",), dist.list_devices()[:1])
    layout_map = dist.LayoutMap(mesh)
    layout_map["dense.*kernel"] = (None, "model")
    layout_map["dense_1/bias"] = dist.TensorLayout(("model",))
    assert layout_map.match("dense_3/kernel").axes == (None, "model")
    assert layout_map.match("dense_1/bias").device_mesh is mesh
    assert layout_map.match("conv/kernel") is None
    with pytest.raises(ValueError, match="axis 'batch' is not an axis of the mesh"):
        layout_map["x"] = ("batch",)
    with pytest.raises(ValueError, match="LayoutMap values are TensorLayouts"):
        layout_map["x"] = "model"


def test_set_distribution_and_scope():
    assert dist.distribution() is None
    data_parallel = dist.DataParallel(devices=dist.list_devices()[:1])
    assert data_parallel.batch_dim_name == "batch" and data_parallel.device_mesh.shape == (1,)
    other = dist.DataParallel(devices=dist.list_devices()[:1])
    with pytest.raises(ValueError, match="`device_mesh` or `devices`, not both"):
        dist.DataParallel(device_mesh=other.device_mesh, devices=dist.list_devices()[:1])
    dist.set_distribution(data_parallel)
    try:
        assert dist.distribution() is data_parallel
        with other.scope():
            assert dist.distribution() is other
        assert dist.distribution() is data_parallel
    finally:
        dist.set_distribution(None)
    assert dist.distribution() is None


def test_model_parallel_checks_its_arguments():
    mesh = dist.DeviceMesh((1,), ("model",), dist.list_devices()[:1])
    with pytest.raises(ValueError, match="batch_dim_name 'batch' is not an axis of the mesh"):
        dist.ModelParallel(layout_map=dist.LayoutMap(mesh), batch_dim_name="batch")
    with pytest.raises(ValueError, match="ModelParallel needs a `layout_map`"):
        dist.ModelParallel()
    other = dist.DeviceMesh((1,), ("model",), dist.list_devices()[:1])
    with pytest.raises(ValueError, match="`device_mesh` differs from the mesh of `layout_map`"):
        dist.ModelParallel(layout_map=dist.LayoutMap(mesh), device_mesh=other)
    assert dist.ModelParallel(layout_map=dist.LayoutMap(mesh), device_mesh=mesh).batch_dim_name == "model"


def test_one_device_distribution_predicts_like_no_distribution():
    model = kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2, name="d")])
    x = np.random.default_rng(0).normal(size=(6, 3)).astype("float32")
    expected = x @ model.get_weights()[0] + model.get_weights()[1]
    mesh = dist.DeviceMesh((1,), ("batch",), dist.list_devices()[:1])
    layout_map = dist.LayoutMap(mesh)
    layout_map["sequential/d/kernel"] = (None, "batch")
    with dist.ModelParallel(layout_map=layout_map).scope():
        np.testing.assert_allclose(model.predict(x, batch_size=3, verbose=0), expected, rtol=1e-5, atol=1e-6)


class _TwoDeviceMesh:
    shape, axis_names, devices = (2,), ("model",), ("cpu:0", "cpu:1")


class _ShardedLayout:
    # Duck-typed as the engines' contract allows: sharding needs two devices, which an in-process test lacks.
    axes, device_mesh = (None, "model"), _TwoDeviceMesh()


REFUSALS = {
    "numpy": "numpy backend runs on one device.*2 devices",
    # torch shards through DTensor, one process per mesh device: this single process cannot hold a 2-device mesh.
    "torch": r"mesh of 2 devices in a run of 1 torch process.*torchrun --nproc_per_node=2",
    "tensorflow": r"ModelParallel .* not supported on the TensorFlow backend.*Use DataParallel on TensorFlow",
}


@pytest.mark.skipif(active.NAME not in REFUSALS, reason="JAX shards over the devices of one process")
def test_a_sharded_layout_the_run_cannot_hold_is_refused():
    value = kerasx.ops.convert_to_tensor(np.zeros((4, 2), "float32"))
    with pytest.raises(ValueError, match=REFUSALS[active.NAME]):
        active.distribution.distribute_variable(value, _ShardedLayout())


def test_layout_map_looks_paths_up_as_keras3():
    paths = ["dense/kernel", "sequential/dense/kernel", "sequential/dense_1/bias", "conv/kernel", "d", "dense"]
    keys = {"dense.*kernel": (None, "model"), ".*dense_1/bias": ("model",), "d": ("model",), "de.*": (None,)}
    answers = []
    for library in (keras, kerasx):
        mesh = library.distribution.DeviceMesh((1,), ("model",), ["cpu:0"])
        layout_map = library.distribution.LayoutMap(mesh)
        for key, axes in keys.items():
            layout_map[key] = library.distribution.TensorLayout(axes)
        found = []
        for path in paths:
            try:
                layout = layout_map[path]
                found.append(None if layout is None else tuple(layout.axes))
            except ValueError as error:
                found.append(("error", "several" in str(error) or "multiple" in str(error)))
        answers.append(found)
    assert answers[1] == answers[0]
    assert answers[1][0] == ("error", True)  # "dense.*kernel" and "de.*" both match all of "dense/kernel"
    assert answers[1][1] is None and answers[1][2] == ("model",) and answers[1][4] == ("model",)
