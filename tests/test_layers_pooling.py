"""Max/average pooling (1D-3D) and global pooling layers against NumPy; channels_first; masks; errors."""

import itertools

import numpy as np
import pytest

import support
from kerasx import layers
from layer_support import run_layer_test


def np_pool(x, mode, pool_size, strides, padding):
    """Channels-last pooling; "same" windows only cover real cells (max ignores and mean excludes the padding)."""
    rank = x.ndim - 2
    sizes = x.shape[1:-1]
    if padding == "same":
        out_sizes = [-(-n // s) for n, s in zip(sizes, strides)]
        starts = []
        for n, k, s, o in zip(sizes, pool_size, strides, out_sizes):
            total = max((o - 1) * s + k - n, 0)
            starts.append([p * s - total // 2 for p in range(o)])
    else:
        out_sizes = [(n - k) // s + 1 for n, k, s in zip(sizes, pool_size, strides)]
        starts = [[p * s for p in range(o)] for s, o in zip(strides, out_sizes)]
    out = np.zeros((x.shape[0], *out_sizes, x.shape[-1]), np.float64)
    for position in itertools.product(*[range(o) for o in out_sizes]):
        index = tuple(
            slice(max(starts[i][p], 0), min(starts[i][p] + pool_size[i], sizes[i])) for i, p in enumerate(position)
        )
        window = x[(slice(None), *index)].reshape(x.shape[0], -1, x.shape[-1])
        reduce = np.max if mode == "max" else np.mean
        out[(slice(None), *position)] = reduce(window, axis=1)
    assert len(out_sizes) == rank
    return out


def _pool_reference(mode, pool_size, strides, padding, channels_first=False):
    def reference(x, weights):
        if channels_first:
            x = np.moveaxis(x, 1, -1)
        out = np_pool(x, mode, pool_size, strides, padding)
        return np.moveaxis(out, -1, 1) if channels_first else out

    return reference


POOL_CASES = [
    pytest.param(
        layers.MaxPooling1D, {}, (2, 7, 3), (2, 3, 3), ("max", (2,), (2,), "valid"), id="MaxPooling1D-default"
    ),
    pytest.param(
        layers.MaxPooling1D, {"pool_size": 3, "strides": 1, "padding": "same"}, (2, 5, 2), (2, 5, 2),
        ("max", (3,), (1,), "same"), id="MaxPooling1D-same",
    ),
    pytest.param(
        layers.MaxPooling2D, {"pool_size": (2, 3), "strides": (1, 2)}, (2, 5, 7, 2), (2, 4, 3, 2),
        ("max", (2, 3), (1, 2), "valid"), id="MaxPooling2D-valid",
    ),
    pytest.param(
        layers.MaxPooling2D, {"padding": "same", "data_format": "channels_first"}, (2, 3, 5, 5), (2, 3, 3, 3),
        ("max", (2, 2), (2, 2), "same", True), id="MaxPooling2D-channels_first",
    ),
    pytest.param(
        layers.MaxPooling3D, {"pool_size": 2}, (1, 4, 4, 5, 2), (1, 2, 2, 2, 2), ("max", (2,) * 3, (2,) * 3, "valid"),
        id="MaxPooling3D-valid",
    ),
    pytest.param(
        layers.AveragePooling1D, {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 8, 3), (2, 4, 3),
        ("average", (3,), (2,), "same"), id="AveragePooling1D-same",
    ),
    pytest.param(
        layers.AveragePooling2D, {"pool_size": 2}, (2, 6, 5, 3), (2, 3, 2, 3), ("average", (2, 2), (2, 2), "valid"),
        id="AveragePooling2D-valid",
    ),
    pytest.param(
        layers.AveragePooling2D, {"pool_size": 3, "strides": 2, "padding": "same"}, (1, 5, 6, 2), (1, 3, 3, 2),
        ("average", (3, 3), (2, 2), "same"), id="AveragePooling2D-same",
    ),
    pytest.param(
        layers.AveragePooling3D, {"pool_size": 2, "padding": "same", "data_format": "channels_first"}, (1, 2, 3, 4, 3),
        (1, 2, 2, 2, 2), ("average", (2,) * 3, (2,) * 3, "same", True), id="AveragePooling3D-channels_first",
    ),
]


@pytest.mark.parametrize("layer_cls, init_kwargs, input_shape, output_shape, reference_args", POOL_CASES)
def test_pooling_layers_against_numpy(layer_cls, init_kwargs, input_shape, output_shape, reference_args):
    run_layer_test(
        layer_cls,
        init_kwargs,
        input_shape=input_shape,
        expected_output_shape=output_shape,
        reference=_pool_reference(*reference_args),
    )


GLOBAL_CASES = [
    pytest.param(layers.GlobalAveragePooling1D, {}, (2, 5, 3), (2, 3), (1,), np.mean, id="GlobalAveragePooling1D"),
    pytest.param(
        layers.GlobalAveragePooling1D, {"data_format": "channels_first", "keepdims": True}, (2, 3, 5), (2, 3, 1),
        (2,), np.mean, id="GlobalAveragePooling1D-channels_first-keepdims",
    ),
    pytest.param(layers.GlobalAveragePooling2D, {}, (2, 4, 5, 3), (2, 3), (1, 2), np.mean, id="GlobalAveragePooling2D"),
    pytest.param(
        layers.GlobalAveragePooling3D, {"keepdims": True}, (1, 2, 3, 4, 2), (1, 1, 1, 1, 2), (1, 2, 3), np.mean,
        id="GlobalAveragePooling3D-keepdims",
    ),
    pytest.param(layers.GlobalMaxPooling1D, {}, (2, 5, 3), (2, 3), (1,), np.max, id="GlobalMaxPooling1D"),
    pytest.param(
        layers.GlobalMaxPooling2D, {"data_format": "channels_first"}, (2, 3, 4, 5), (2, 3), (2, 3), np.max,
        id="GlobalMaxPooling2D-channels_first",
    ),
    pytest.param(layers.GlobalMaxPooling3D, {}, (1, 2, 3, 4, 2), (1, 2), (1, 2, 3), np.max, id="GlobalMaxPooling3D"),
]


@pytest.mark.parametrize("layer_cls, init_kwargs, input_shape, output_shape, axes, reduce", GLOBAL_CASES)
def test_global_pooling_layers_against_numpy(layer_cls, init_kwargs, input_shape, output_shape, axes, reduce):
    keepdims = init_kwargs.get("keepdims", False)
    run_layer_test(
        layer_cls,
        init_kwargs,
        input_shape=input_shape,
        expected_output_shape=output_shape,
        reference=lambda x, w: reduce(x, axis=axes, keepdims=keepdims),
    )


def test_GlobalAveragePooling1D_with_mask_averages_valid_steps_only():
    x = support.random_array((3, 4, 2))
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1], [0, 1, 0, 1]], dtype=bool)
    layer = layers.GlobalAveragePooling1D()
    y = layer(x, mask=mask)
    expected = (x * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
    support.assert_close(y, expected, rtol=1e-5)


def test_GlobalAveragePooling1D_mask_from_embedding_in_a_model():
    inputs = layers.Input((4,), dtype="int32")
    embedded = layers.Embedding(6, 3, mask_zero=True)(inputs)
    pooled = layers.GlobalAveragePooling1D()(embedded)
    assert pooled.shape == (None, 3)
    indices = np.array([[1, 2, 0, 0], [3, 4, 5, 1]], dtype="int32")
    embedding = layers.Embedding(6, 3, mask_zero=True)
    pool = layers.GlobalAveragePooling1D()
    y = pool(embedding(indices))
    table = embedding.embeddings.numpy()
    mask = indices != 0
    expected = (table[indices] * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
    support.assert_close(y, expected, rtol=1e-5)


@pytest.mark.parametrize(
    "layer, dtype",
    [
        pytest.param(layers.MaxPooling2D(), "int32", id="MaxPooling2D-int32"),
        pytest.param(layers.AveragePooling2D(2), "float32", id="AveragePooling2D-int32"),
        pytest.param(layers.GlobalMaxPooling2D(), "int32", id="GlobalMaxPooling2D-int32"),
        pytest.param(layers.GlobalAveragePooling2D(), "float32", id="GlobalAveragePooling2D-int32"),
    ],
)
def test_pooling_int_inputs(layer, dtype):
    x = np.arange(2 * 4 * 4 * 2, dtype="int32").reshape(2, 4, 4, 2) % 7
    y = support.check_symbolic(layer, x)
    support.assert_dtype(y, dtype)
    if isinstance(layer, layers.MaxPooling2D):
        support.assert_close(y, np_pool(x, "max", (2, 2), (2, 2), "valid"))
    elif isinstance(layer, layers.AveragePooling2D):
        support.assert_close(y, np_pool(x, "average", (2, 2), (2, 2), "valid"))
    elif isinstance(layer, layers.GlobalMaxPooling2D):
        support.assert_close(y, x.max(axis=(1, 2)))
    else:
        support.assert_close(y, x.mean(axis=(1, 2)))


def test_pooling_config_keras_defaults():
    config = layers.MaxPooling2D().get_config()
    assert config["pool_size"] == (2, 2) and config["strides"] == (2, 2) and config["padding"] == "valid"
    assert layers.AveragePooling1D(3, strides=1).get_config()["strides"] == (1,)
    assert layers.GlobalAveragePooling2D().get_config()["keepdims"] is False


@pytest.mark.parametrize(
    "make, match",
    [
        pytest.param(lambda: layers.MaxPooling2D(pool_size=(2, 2, 2)), "MaxPooling2D: `pool_size` must be",
                     id="MaxPooling2D-pool_size"),
        pytest.param(lambda: layers.AveragePooling1D(2, strides=0), "AveragePooling1D: `strides` must be",
                     id="AveragePooling1D-strides"),
        pytest.param(lambda: layers.MaxPooling1D(padding="causal"), "MaxPooling1D: unknown padding",
                     id="MaxPooling1D-padding"),
        pytest.param(lambda: layers.GlobalMaxPooling2D(data_format="nchw"), "GlobalMaxPooling2D: unknown data_format",
                     id="GlobalMaxPooling2D-data_format"),
    ],
)
def test_pooling_argument_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_pooling_rejects_wrong_rank():
    with pytest.raises(ValueError, match=r'layer "pool2d" is incompatible.*expected ndim=4, found ndim=3'):
        layers.MaxPooling2D(name="pool2d")(np.zeros((2, 4, 3), "float32"))
