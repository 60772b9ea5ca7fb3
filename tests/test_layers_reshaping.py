"""Flatten, Reshape, Permute and RepeatVector against NumPy: shapes (also symbolic with unknown sizes), dtypes,
channels_first flattening, argument and shape errors."""

import numpy as np
import pytest

import support
from kerasx import KerasTensor, layers, ops
from layer_support import run_layer_test

CASES = [
    pytest.param(layers.Flatten, {}, (2, 3, 4), (2, 12), lambda x: x.reshape(2, -1), id="Flatten-rank3"),
    pytest.param(layers.Flatten, {}, (3,), (3, 1), lambda x: x.reshape(3, 1), id="Flatten-rank1"),
    pytest.param(
        layers.Flatten, {"data_format": "channels_first"}, (2, 3, 4, 5), (2, 60),
        lambda x: np.transpose(x, (0, 2, 3, 1)).reshape(2, -1), id="Flatten-channels_first",
    ),
    pytest.param(layers.Reshape, {"target_shape": (3, 4)}, (2, 12), (2, 3, 4), lambda x: x.reshape(2, 3, 4),
                 id="Reshape-explicit"),
    pytest.param(layers.Reshape, {"target_shape": (-1, 2)}, (2, 3, 4), (2, 6, 2), lambda x: x.reshape(2, 6, 2),
                 id="Reshape-inferred"),
    pytest.param(layers.Permute, {"dims": (2, 1)}, (2, 3, 4), (2, 4, 3), lambda x: np.transpose(x, (0, 2, 1)),
                 id="Permute-swap"),
    pytest.param(layers.Permute, {"dims": (3, 1, 2)}, (2, 3, 4, 5), (2, 5, 3, 4),
                 lambda x: np.transpose(x, (0, 3, 1, 2)), id="Permute-rank4"),
    pytest.param(layers.RepeatVector, {"n": 3}, (2, 4), (2, 3, 4), lambda x: np.repeat(x[:, None], 3, axis=1),
                 id="RepeatVector"),
]


@pytest.mark.parametrize("layer_cls, init_kwargs, input_shape, output_shape, reference", CASES)
def test_reshaping_layers_against_numpy(layer_cls, init_kwargs, input_shape, output_shape, reference):
    run_layer_test(
        layer_cls,
        init_kwargs,
        input_shape=input_shape,
        expected_output_shape=output_shape,
        reference=lambda x, w: reference(x),
    )


@pytest.mark.parametrize(
    "layer, expected",
    [
        pytest.param(layers.Flatten(), (None, None), id="Flatten-unknown"),
        pytest.param(layers.Reshape((-1, 5)), (None, None, 5), id="Reshape-unknown"),
        pytest.param(layers.Permute((2, 1)), (None, 4, None), id="Permute-unknown"),
    ],
)
def test_reshaping_symbolic_with_unknown_sizes(layer, expected):
    assert layer(KerasTensor((None, None, 4))).shape == expected


@pytest.mark.parametrize(
    "layer, reference",
    [
        pytest.param(layers.Flatten(), lambda x: x.reshape(2, -1), id="Flatten-int32"),
        pytest.param(layers.Reshape((6,)), lambda x: x.reshape(2, 6), id="Reshape-int32"),
        pytest.param(layers.Permute((2, 1)), lambda x: x.transpose(0, 2, 1), id="Permute-int32"),
    ],
)
def test_reshaping_keeps_int_dtype(layer, reference):
    x = np.arange(12, dtype="int32").reshape(2, 2, 3)
    y = support.check_symbolic(layer, x)
    support.assert_dtype(y, "int32")
    support.assert_close(y, reference(x))


@pytest.mark.parametrize(
    "make, match",
    [
        pytest.param(lambda: layers.Reshape((-1, -1)), "at most one -1", id="Reshape-two-inferred"),
        pytest.param(lambda: layers.Reshape((0, 3)), "tuple of positive ints", id="Reshape-zero"),
        pytest.param(lambda: layers.Reshape(5), "tuple of positive ints", id="Reshape-int"),
        pytest.param(lambda: layers.Permute((0, 1)), r"permutation of 1\.\.2", id="Permute-zero-based"),
        pytest.param(lambda: layers.Permute((1, 1, 2)), r"permutation of 1\.\.3", id="Permute-repeated"),
        pytest.param(lambda: layers.RepeatVector(0), "`n` must be a positive int", id="RepeatVector-zero"),
        pytest.param(lambda: layers.Flatten(data_format="last"), "Flatten: unknown data_format", id="Flatten-format"),
    ],
)
def test_reshaping_argument_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize(
    "target, hint",
    [
        pytest.param((5,), r"target_shape=\(5,\).*but the target holds 5", id="Reshape-size"),
        pytest.param((-1, 5), r"12 is not a multiple of 5", id="Reshape-inferred-size"),
    ],
)
def test_Reshape_size_mismatch(target, hint):
    layer = layers.Reshape(target, name="reshape_bad")
    prefix = r"Layer 'reshape_bad' \(Reshape\) cannot reshape samples of shape \(3, 4\) \(12 values\).*"
    with pytest.raises(ValueError, match=prefix + hint):
        layer(np.zeros((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match="cannot reshape samples"):
        layers.Reshape(target)(KerasTensor((None, 3, 4)))


def test_Permute_and_RepeatVector_check_input_rank():
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=4"):
        layers.Permute((2, 1))(np.zeros((1, 2, 3, 4), "float32"))
    with pytest.raises(ValueError, match="expected ndim=2, found ndim=3"):
        layers.RepeatVector(2)(np.zeros((1, 2, 3), "float32"))


@support.needs_gradients
def test_Flatten_gradient_passes_through_in_order():
    x = support.random_array((2, 3, 2, 2))
    weights = np.random.default_rng(3).normal(size=(2, 12)).astype("float32")
    layer = layers.Flatten(data_format="channels_first")
    (grad,) = support.grad_of(lambda t: ops.sum(ops.multiply(layer(t), weights)), x)
    expected = np.transpose(weights.reshape(2, 2, 2, 3), (0, 3, 1, 2))
    support.assert_close(grad, expected)
