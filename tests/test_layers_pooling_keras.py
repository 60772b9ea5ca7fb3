"""Pooling layers against Keras 3 through the shared oracle (`keras_layer_oracle`): window, global and adaptive
pooling, both data formats, outputs with Keras's gradients, symbolic shapes, masks, configs and files both ways;
then what the oracle cannot see: Keras's short names, `pool_dimensions`, and the argument errors."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import kerasx
from kerasx import layers
from keras_layer_oracle import check_layer_against_keras

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)


def _distinct(*shape):
    # Values 0.1 apart: the oracle's finite difference (steps of 1e-3) never changes which element wins a max.
    return (RNG.permutation(int(np.prod(shape))).reshape(shape) * 0.1 - 1.0).astype("float32")


X3 = _distinct(2, 7, 3)
X4 = _distinct(2, 6, 5, 3)
X5 = _distinct(1, 4, 5, 3, 2)
INPUTS = {1: X3, 2: X4, 3: X5}

WINDOW_CASES = [
    (f"{kind}Pooling{rank}D", kwargs, INPUTS[rank])
    for kind in ("Max", "Average")
    for rank, kwargs in [
        (1, {"pool_size": 3, "strides": 2, "padding": "same"}),
        (2, {"pool_size": 2, "padding": "same", "data_format": "channels_first"}),
        (2, {"pool_size": (3, 2), "strides": (2, 1), "padding": "same"}),
        (3, {"pool_size": (2, 1, 2), "strides": 1, "data_format": "channels_first"}),
    ]
]
GLOBAL_CASES = [
    (f"Global{kind}Pooling{rank}D", kwargs, INPUTS[rank])
    for kind in ("Max", "Average")
    for rank, kwargs in [(1, {}), (2, {"keepdims": True, "data_format": "channels_first"}), (3, {})]
]
ADAPTIVE_CASES = [
    (f"Adaptive{kind}Pooling{rank}D", kwargs, INPUTS[rank])
    for kind in ("Max", "Average")
    for rank, kwargs in [
        (1, {"output_size": (9,), "data_format": "channels_first"}),
        (2, {"output_size": (4, 2)}),
        (3, {"output_size": (2, 1, 2), "data_format": "channels_first"}),
    ]
]
CASES = WINDOW_CASES + GLOBAL_CASES + ADAPTIVE_CASES


# Gradients (against Keras's and a finite difference) for the first case of each layer: the rest differ only in
# their arguments, and each gradient check compiles a dozen new engine kernels (about a second on jax).
FIRST_CASE = {name: index for index, (name, *_) in reversed(list(enumerate(CASES)))}


def _id(case) -> str:
    name, kwargs, _ = case
    return name + "-" + "-".join(f"{k}={v}" for k, v in kwargs.items())


# Keras 3.15.1's torch backend averages "same" windows with uneven padding (more after than before) differently
# from its jax and tensorflow backends, which leave the padded cells out; kerasx does that on every engine.
UNEVEN_SAME_AVERAGE = ("AveragePooling2D", {"pool_size": (3, 2), "strides": (2, 1), "padding": "same"})


def _same_average_reference(x, pool_size, strides):
    """Channels-last "same" average pooling that leaves the padded cells out (Keras 3 on jax and tensorflow)."""
    out_sizes = [-(-size // stride) for size, stride in zip(x.shape[1:-1], strides)]
    before = [max((o - 1) * s + k - n, 0) // 2 for o, s, k, n in zip(out_sizes, strides, pool_size, x.shape[1:-1])]
    out = np.zeros((x.shape[0], *out_sizes, x.shape[-1]), x.dtype)
    for i in range(out_sizes[0]):
        for j in range(out_sizes[1]):
            top, left = i * strides[0] - before[0], j * strides[1] - before[1]
            window = x[:, max(top, 0) : top + pool_size[0], max(left, 0) : left + pool_size[1]]
            out[:, i, j] = window.mean(axis=(1, 2))
    return out


@pytest.mark.parametrize("index", range(len(CASES)), ids=[_id(c) for c in CASES])
def test_pooling_matches_keras(index):
    name, kwargs, inputs = CASES[index]
    if (name, kwargs) == UNEVEN_SAME_AVERAGE and kerasx.backend.backend() == "torch":
        got = kerasx.ops.convert_to_numpy(layers.AveragePooling2D(**kwargs)(inputs))
        np.testing.assert_allclose(got, _same_average_reference(inputs, (3, 2), (2, 1)), rtol=1e-5, atol=1e-5)
        return
    check_layer_against_keras(name, kwargs, inputs, gradients=FIRST_CASE[name] == index)


@pytest.mark.parametrize("name", ["GlobalAveragePooling2D", "AdaptiveMaxPooling2D"])
def test_pooling_files_match_keras(name, tmp_path):
    kwargs = {"output_size": 3} if name.startswith("Adaptive") else {}
    check_layer_against_keras(name, kwargs, X4, tmp_path=tmp_path)


def test_global_average_pooling_1d_mask_matches_keras():
    mask = np.array([[True] * 5 + [False] * 2, [True, False] * 3 + [True]])
    check_layer_against_keras("GlobalAveragePooling1D", {}, X3, mask=mask)


SHORT_NAMES = ["MaxPool1D", "MaxPool2D", "MaxPool3D", "AvgPool1D", "AvgPool2D", "AvgPool3D", "GlobalAvgPool1D",
               "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D"]


@pytest.mark.parametrize("short", SHORT_NAMES)
def test_short_names_are_the_same_classes_as_in_keras(short):
    keras_class = getattr(keras.layers, short)
    ours = getattr(layers, short)
    assert ours is getattr(layers, keras_class.__name__)
    assert kerasx.layers.serialize(ours(2) if "Global" not in short else ours())["class_name"] == keras_class.__name__


@pytest.mark.parametrize("name", ["MaxPooling1D", "AveragePooling3D", "GlobalMaxPooling2D", "GlobalAveragePooling1D"])
def test_base_classes_take_pool_dimensions_like_keras(name):
    ours_base = getattr(layers, name).__mro__[1]
    keras_base = getattr(keras.layers, name).__mro__[1]
    ours_parameters = list(inspect.signature(ours_base.__init__).parameters)
    keras_parameters = list(inspect.signature(keras_base.__init__).parameters)
    # The same leading arguments in the same order, so a subclass written for Keras's base calls ours unchanged.
    assert ours_parameters[: keras_parameters.index("pool_dimensions") + 1] == keras_parameters[
        : keras_parameters.index("pool_dimensions") + 1
    ]


def test_window_pooling_subclass_with_pool_dimensions():
    class Pool2D(layers.MaxPooling2D.__mro__[1]):
        def __init__(self, **kwargs):
            super().__init__(pool_size=2, strides=None, pool_dimensions=2, pool_mode="average", **kwargs)

    x = np.arange(16.0, dtype="float32").reshape((1, 4, 4, 1))
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(Pool2D()(x))[0, :, :, 0], [[2.5, 4.5], [10.5, 12.5]])


def test_average_pooling_needs_pool_size_as_in_keras():
    with pytest.raises(TypeError, match="pool_size"):
        keras.layers.AveragePooling2D()
    with pytest.raises(TypeError, match="pool_size"):
        layers.AveragePooling2D()


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: layers.AdaptiveAveragePooling2D((2, 3, 4)), TypeError,
         r"AdaptiveAveragePooling2D: `output_size` must be an int or a tuple of 2 ints.*Received: output_size=\(2, 3, 4\)"),
        (lambda: layers.AdaptiveMaxPooling1D(2.5), TypeError, r"AdaptiveMaxPooling1D: .*Received: output_size=2.5"),
        (lambda: layers.AdaptiveMaxPooling3D(0), ValueError, r"AdaptiveMaxPooling3D: every `output_size` must be at least 1"),
        (lambda: layers.AdaptiveAveragePooling1D(2, data_format="nwc"), ValueError,
         "AdaptiveAveragePooling1D: unknown data_format"),
        (lambda: layers.MaxPooling2D.__mro__[1](2, None, 2, pool_mode="min"), ValueError,
         r'BasePooling: `pool_mode` must be "max" or "average". Received: pool_mode=\'min\''),
    ],
)
def test_pooling_argument_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()


@pytest.mark.parametrize("kind", ["Max", "Average"])
def test_adaptive_pooling_3d_to_one_cell_is_the_global_pool(kind):
    # Not against Keras: Keras 3.15.1's tensorflow backend dies (SIGFPE) max-pooling a 3-D input to one cell.
    got = kerasx.ops.convert_to_numpy(getattr(layers, f"Adaptive{kind}Pooling3D")(1)(X5))
    reduce = np.max if kind == "Max" else np.mean
    np.testing.assert_allclose(got, reduce(X5, axis=(1, 2, 3), keepdims=True), rtol=1e-6, atol=1e-6)


def test_adaptive_pooling_symbolic_unknown_spatial_size_matches_keras():
    ours = layers.AdaptiveAveragePooling2D(3)(kerasx.Input(shape=(None, None, 4))).shape
    theirs = keras.layers.AdaptiveAveragePooling2D(3)(keras.Input(shape=(None, None, 4))).shape
    assert ours == tuple(theirs) == (None, 3, 3, 4)
