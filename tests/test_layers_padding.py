"""ZeroPadding1D/2D/3D against np.pad: the padding forms, channels_first, int inputs, errors."""

import numpy as np
import pytest

import support
from kerasx import KerasTensor, layers
from layer_support import run_layer_test

CASES = [
    pytest.param(layers.ZeroPadding1D, {}, (2, 3, 2), [(0, 0), (1, 1), (0, 0)], id="ZeroPadding1D-default"),
    pytest.param(
        layers.ZeroPadding1D, {"padding": (2, 0)}, (2, 3, 2), [(0, 0), (2, 0), (0, 0)], id="ZeroPadding1D-pair"
    ),
    pytest.param(
        layers.ZeroPadding1D, {"padding": 1, "data_format": "channels_first"}, (2, 2, 3), [(0, 0), (0, 0), (1, 1)],
        id="ZeroPadding1D-channels_first",
    ),
    pytest.param(layers.ZeroPadding2D, {}, (2, 3, 4, 2), [(0, 0), (1, 1), (1, 1), (0, 0)], id="ZeroPadding2D-default"),
    pytest.param(
        layers.ZeroPadding2D, {"padding": (2, 0)}, (2, 3, 4, 2), [(0, 0), (2, 2), (0, 0), (0, 0)],
        id="ZeroPadding2D-symmetric",
    ),
    pytest.param(
        layers.ZeroPadding2D, {"padding": ((1, 2), (3, 0))}, (1, 3, 4, 2), [(0, 0), (1, 2), (3, 0), (0, 0)],
        id="ZeroPadding2D-pairs",
    ),
    pytest.param(
        layers.ZeroPadding2D, {"padding": ((0, 1), (2, 1)), "data_format": "channels_first"}, (1, 2, 3, 4),
        [(0, 0), (0, 0), (0, 1), (2, 1)], id="ZeroPadding2D-channels_first",
    ),
    pytest.param(
        layers.ZeroPadding3D, {"padding": (1, 0, 2)}, (1, 2, 2, 2, 1), [(0, 0), (1, 1), (0, 0), (2, 2), (0, 0)],
        id="ZeroPadding3D-symmetric",
    ),
]


@pytest.mark.parametrize("layer_cls, init_kwargs, input_shape, pad_width", CASES)
def test_zero_padding_against_numpy(layer_cls, init_kwargs, input_shape, pad_width):
    expected_shape = tuple(n + a + b for n, (a, b) in zip(input_shape, pad_width))
    run_layer_test(
        layer_cls,
        init_kwargs,
        input_shape=input_shape,
        expected_output_shape=expected_shape,
        reference=lambda x, w: np.pad(x, pad_width),
    )


def test_ZeroPadding2D_keeps_int_dtype_and_unknown_sizes():
    x = np.arange(12, dtype="int32").reshape(1, 2, 3, 2)
    y = support.check_symbolic(layers.ZeroPadding2D(((1, 0), (0, 2))), x)
    support.assert_dtype(y, "int32")
    support.assert_close(y, np.pad(x, [(0, 0), (1, 0), (0, 2), (0, 0)]))
    assert layers.ZeroPadding2D(1)(KerasTensor((None, None, 5, 3))).shape == (None, None, 7, 3)


def test_ZeroPadding_config_normalizes_padding():
    assert layers.ZeroPadding2D(2).get_config()["padding"] == ((2, 2), (2, 2))
    assert layers.ZeroPadding1D((1, 3)).get_config()["padding"] == (1, 3)  # as Keras 3 writes it
    assert layers.ZeroPadding3D().get_config()["padding"] == ((1, 1),) * 3


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: layers.ZeroPadding2D(-1), id="ZeroPadding2D-negative"),
        pytest.param(lambda: layers.ZeroPadding2D((1, 2, 3)), id="ZeroPadding2D-three"),
        pytest.param(lambda: layers.ZeroPadding2D(((1, 2), (1, 2, 3))), id="ZeroPadding2D-bad-pair"),
        pytest.param(lambda: layers.ZeroPadding1D((1, 2, 3)), id="ZeroPadding1D-three"),
        pytest.param(lambda: layers.ZeroPadding1D(1.5), id="ZeroPadding1D-float"),
    ],
)
def test_ZeroPadding_bad_padding(make):
    with pytest.raises(ValueError, match=r"ZeroPadding\dD: `padding` must be a non-negative int"):
        make()
