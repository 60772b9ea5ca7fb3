"""Cropping, upsampling and zero-padding layers against Keras 3 through the shared oracle (`keras_layer_oracle`):
every form of their size arguments, both data formats, outputs and gradients, symbolic shapes, configs and files
both ways; then the argument errors and the inputs too small to crop."""

from __future__ import annotations

import numpy as np
import pytest

import kerasx
from kerasx import layers
from keras_layer_oracle import check_layer_against_keras

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)
X3 = RNG.normal(size=(2, 6, 3)).astype("float32")
X4 = RNG.normal(size=(2, 5, 6, 3)).astype("float32")
X5 = RNG.normal(size=(1, 4, 5, 3, 2)).astype("float32")
FIRST = {"data_format": "channels_first"}

CASES = [
    ("Cropping1D", {"cropping": 2}, X3),
    ("Cropping1D", {"cropping": (0, 3)}, X3),
    ("Cropping2D", {"cropping": 1}, X4),
    ("Cropping2D", {"cropping": (2, 1)}, X4),
    ("Cropping2D", {"cropping": ((0, 1), (1, 0)), **FIRST}, X4),
    ("Cropping3D", {"cropping": (1, 2, 0)}, X5),
    ("Cropping3D", {"cropping": ((0, 1), 1, (0, 0)), **FIRST}, X5),
    ("UpSampling1D", {"size": 3}, X3),
    ("UpSampling2D", {"size": (1, 3)}, X4),
    ("UpSampling2D", {"size": 2, **FIRST}, X4),
    ("UpSampling2D", {"size": (2, 3), "interpolation": "bilinear"}, X4),
    ("UpSampling2D", {"size": (3, 2), "interpolation": "bilinear", **FIRST}, X4),
    ("UpSampling2D", {"size": 2, "interpolation": "bicubic"}, X4),
    ("UpSampling3D", {"size": (1, 2, 3)}, X5),
    ("UpSampling3D", {"size": 2, **FIRST}, X5),
    ("ZeroPadding1D", {"padding": (0, 2)}, X3),
    ("ZeroPadding1D", {"padding": 2, **FIRST}, X3),
    ("ZeroPadding2D", {"padding": (2, 0)}, X4),
    ("ZeroPadding2D", {"padding": ((1, 0), (2, 3)), **FIRST}, X4),
    ("ZeroPadding3D", {"padding": ((0, 1), (2, 0), (1, 1)), **FIRST}, X5),
]
LANCZOS = [("UpSampling2D", {"size": 2, "interpolation": mode}, X4) for mode in ("lanczos3", "lanczos5")]


# Gradients (against Keras's and a finite difference) for the first case of each layer: the rest differ only in
# their arguments, and each gradient check compiles a dozen new engine kernels (about a second on jax).
FIRST_CASE = {name: index for index, (name, *_) in reversed(list(enumerate(CASES)))}


def _id(case) -> str:
    name, kwargs, _ = case
    return name + "-" + "-".join(f"{k}={v}" for k, v in kwargs.items())


@pytest.mark.parametrize("index", range(len(CASES)), ids=[_id(c) for c in CASES])
def test_layer_matches_keras(index):
    name, kwargs, inputs = CASES[index]
    check_layer_against_keras(name, kwargs, inputs, gradients=FIRST_CASE[name] == index)


@pytest.mark.parametrize(("name", "kwargs", "inputs"), LANCZOS, ids=[_id(c) for c in LANCZOS])
def test_lanczos_upsampling_matches_keras(name, kwargs, inputs):
    if kerasx.backend.backend() == "torch":
        # Neither Keras 3 nor kerasx resamples with lanczos on torch: both refuse it when called.
        with pytest.raises(ValueError, match="lanczos"):
            layers.UpSampling2D(**kwargs)(inputs)
        with pytest.raises(ValueError, match="not supported by the PyTorch backend"):
            keras.layers.UpSampling2D(**kwargs)(inputs)
        return
    check_layer_against_keras(name, kwargs, inputs, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize(
    ("name", "kwargs", "inputs"),
    [("Cropping2D", {"cropping": ((1, 0), (2, 1))}, X4), ("UpSampling2D", {"interpolation": "bilinear"}, X4)],
)
def test_files_match_keras(name, kwargs, inputs, tmp_path):
    check_layer_against_keras(name, kwargs, inputs, tmp_path=tmp_path)


def test_integer_inputs_keep_their_dtype_like_keras():
    x = np.arange(24, dtype="int32").reshape((1, 4, 6, 1))
    for make in (lambda L: L.Cropping2D(1), lambda L: L.UpSampling2D(2), lambda L: L.UpSampling1D(2)):
        inputs = x[..., 0] if isinstance(make(layers), layers.UpSampling1D) else x
        ours, theirs = make(layers)(inputs), make(keras.layers)(inputs)
        assert kerasx.ops.dtype(ours) == "int32" == keras.backend.standardize_dtype(theirs.dtype)
        np.testing.assert_array_equal(kerasx.ops.convert_to_numpy(ours), keras.ops.convert_to_numpy(theirs))


@pytest.mark.parametrize("name", ["Cropping1D", "Cropping2D", "Cropping3D", "UpSampling1D", "UpSampling2D",
                                  "UpSampling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D"])
def test_defaults_match_keras(name):
    ours, theirs = getattr(layers, name)(), getattr(keras.layers, name)()
    assert {k: v for k, v in ours.get_config().items() if k not in ("name", "dtype")} == {
        k: v for k, v in theirs.get_config().items() if k not in ("name", "dtype")
    }


def test_interpolation_in_any_case_is_read_as_keras_reads_it():
    assert layers.UpSampling2D(interpolation="NEAREST").get_config()["interpolation"] == "nearest"
    assert keras.layers.UpSampling2D(interpolation="NEAREST").get_config()["interpolation"] == "nearest"


def test_cropping_unknown_steps_stay_unknown():
    assert layers.Cropping1D(1)(kerasx.Input(shape=(None, 3))).shape == (None, None, 3)
    assert layers.Cropping2D(((1, 1), (2, 0)))(kerasx.Input(shape=(None, 8, 3))).shape == (None, None, 6, 3)


@pytest.mark.parametrize(
    ("make", "inputs"),
    [
        (lambda: layers.Cropping1D(2), np.zeros((1, 4, 3), "float32")),
        (lambda: layers.Cropping2D(((1, 1), (3, 3)), name="crop"), np.zeros((1, 4, 6, 1), "float32")),
        (lambda: layers.Cropping3D(1), np.zeros((1, 2, 4, 4, 1), "float32")),
        (lambda: layers.Cropping2D(2), kerasx.Input(shape=(4, 8, 3))),
    ],
)
def test_cropping_that_leaves_nothing_is_refused(make, inputs):
    with pytest.raises(ValueError, match=r"would crop all of axis \d of its input.*Received: cropping="):
        make()(inputs)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: layers.Cropping1D(-1), r"Cropping1D: `cropping` must be a non-negative int.*Received: cropping=-1"),
        (lambda: layers.Cropping1D((1, 2, 3)), r"Cropping1D: .*Received: cropping=\(1, 2, 3\)"),
        (lambda: layers.Cropping2D((1, 2, 3)), r"Cropping2D: .*Received: cropping=\(1, 2, 3\)"),
        (lambda: layers.Cropping2D(((1, -2), (3, 4))), r"Cropping2D: .*Received: cropping=\(\(1, -2\), \(3, 4\)\)"),
        (lambda: layers.Cropping3D((1, 2)), r"Cropping3D: .*Received: cropping=\(1, 2\)"),
        (lambda: layers.Cropping2D(1, data_format="nchw"), "Cropping2D: unknown data_format"),
        (lambda: layers.UpSampling1D(0), r"UpSampling1D: `size` must be a positive int.*Received: size=0"),
        (lambda: layers.UpSampling1D((2,)), r"UpSampling1D: .*Received: size=\(2,\)"),
        (lambda: layers.UpSampling2D((2,)), r"UpSampling2D: `size` must be a positive int or a tuple of 2"),
        (lambda: layers.UpSampling3D(-1), r"UpSampling3D: `size` must be a positive int or a tuple of 3"),
        (lambda: layers.UpSampling2D(interpolation="area"), r"UpSampling2D: unknown interpolation.*'area'"),
    ],
)
def test_argument_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()
