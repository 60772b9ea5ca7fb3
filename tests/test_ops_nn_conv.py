"""Convolution ops against naive NumPy loops: conv, depthwise_conv, separable_conv, conv_transpose."""

import math

import numpy as np
import pytest

import nn_support
import support
from kerasx import backend, ops


def rand(shape, seed=0):
    return support.random_array(shape, "float32", -1.0, 1.0, np.random.default_rng(seed))


def same_pads(length, kernel_size, stride, dilation):
    """TF/Keras "same": ceil(length / stride) outputs, the odd padding cell at the end."""
    extent = dilation * (kernel_size - 1) + 1
    total = max((math.ceil(length / stride) - 1) * stride + extent - length, 0)
    return total // 2, total - total // 2


def as_tuple(value, count):
    return (value,) * count if isinstance(value, int) else tuple(value)


def np_conv(x, kernel, strides=1, padding="valid", dilation=1):
    """Channels-last grouped convolution, one output position and kernel tap at a time."""
    num_spatial = x.ndim - 2
    strides, dilation = as_tuple(strides, num_spatial), as_tuple(dilation, num_spatial)
    kernel_size = kernel.shape[:num_spatial]
    pads = [(0, 0)] * num_spatial
    if padding == "same":
        pads = [same_pads(n, k, s, d) for n, k, s, d in zip(x.shape[1:-1], kernel_size, strides, dilation)]
    x = np.pad(x, [(0, 0), *pads, (0, 0)])
    out_sizes = [(n - d * (k - 1) - 1) // s + 1 for n, k, s, d in zip(x.shape[1:-1], kernel_size, strides, dilation)]
    in_per_group, out_channels = kernel.shape[-2:]
    groups = x.shape[-1] // in_per_group
    out_per_group = out_channels // groups
    out = np.zeros((x.shape[0], *out_sizes, out_channels), np.result_type(x, kernel))
    for position in np.ndindex(*out_sizes):
        for tap in np.ndindex(*kernel_size):
            index = tuple(p * s + t * d for p, t, s, d in zip(position, tap, strides, dilation))
            pixel = x[(slice(None), *index)]
            for g in range(groups):
                block = kernel[tap][:, g * out_per_group : (g + 1) * out_per_group]
                contribution = pixel[:, g * in_per_group : (g + 1) * in_per_group] @ block
                out[(slice(None), *position, slice(g * out_per_group, (g + 1) * out_per_group))] += contribution
    return out


def np_depthwise_conv(x, kernel, strides=1, padding="valid", dilation=1):
    channels, multiplier = kernel.shape[-2:]
    outputs = [
        np_conv(x[..., c : c + 1], kernel[..., c : c + 1, m : m + 1], strides, padding, dilation)
        for c in range(channels)
        for m in range(multiplier)
    ]
    return np.concatenate(outputs, axis=-1)


def np_separable_conv(x, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", dilation=1):
    return np_conv(np_depthwise_conv(x, depthwise_kernel, strides, padding, dilation), pointwise_kernel)


def transpose_pads(length, kernel_size, stride, padding, output_padding, dilation):
    """Padding of the stride-dilated input for the flipped-kernel formulation of Keras's conv_transpose."""
    extent = dilation * (kernel_size - 1) + 1
    if padding == "valid":
        extra = max(extent, stride) - extent if output_padding is None else output_padding
        return extent - 1, extent - 1 + extra
    if output_padding is None:
        total = stride + extent - 2
    else:
        total = extent + extent % 2 - 2 + output_padding
    before = min(math.ceil(total / 2), extent - 1)
    return before, total - before


def np_conv_transpose(x, kernel, strides=1, padding="valid", output_padding=None, dilation=1):
    """Insert stride - 1 zeros between inputs, pad, and correlate with the spatially flipped kernel."""
    num_spatial = x.ndim - 2
    strides, dilation = as_tuple(strides, num_spatial), as_tuple(dilation, num_spatial)
    extras = (None,) * num_spatial if output_padding is None else as_tuple(output_padding, num_spatial)
    spread_shape = [(n - 1) * s + 1 for n, s in zip(x.shape[1:-1], strides)]
    spread = np.zeros((x.shape[0], *spread_shape, x.shape[-1]), x.dtype)
    spread[(slice(None), *(slice(None, None, s) for s in strides))] = x
    pads = [
        transpose_pads(n, k, s, padding, p, d)
        for n, k, s, p, d in zip(x.shape[1:-1], kernel.shape[:-2], strides, extras, dilation)
    ]
    spread = np.pad(spread, [(0, 0), *pads, (0, 0)])
    flipped = np.swapaxes(np.flip(kernel, axis=tuple(range(num_spatial))), -1, -2)
    return np_conv(spread, flipped, 1, "valid", dilation)


def channels_first(x):
    return np.moveaxis(x, -1, 1)


CONV_CASES = [
    pytest.param((2, 9, 3), (3, 3, 4), 1, "valid", 1, id="conv-1d-valid"),
    pytest.param((2, 9, 3), (4, 3, 4), 2, "same", 1, id="conv-1d-same-stride2"),
    pytest.param((2, 10, 3), (3, 3, 2), 1, "same", 3, id="conv-1d-same-dilation3"),
    pytest.param((2, 9, 4), (3, 1, 4), 1, "valid", 1, id="conv-1d-groups4"),
    pytest.param((2, 7, 6, 4), (3, 2, 4, 5), 1, "valid", 1, id="conv-2d-valid"),
    pytest.param((2, 7, 6, 4), (3, 3, 4, 5), (2, 1), "same", 1, id="conv-2d-same-strides21"),
    pytest.param((2, 8, 7, 4), (2, 3, 4, 3), 1, "same", (1, 2), id="conv-2d-same-dilation12"),
    pytest.param((1, 9, 9, 2), (3, 3, 2, 3), 2, "same", 2, id="conv-2d-same-stride2-dilation2"),
    pytest.param((2, 6, 6, 4), (3, 3, 2, 6), 1, "same", 1, id="conv-2d-groups2"),
    pytest.param((1, 9, 8, 4), (3, 2, 2, 4), 2, "valid", 2, id="conv-2d-groups2-stride2-dilation2"),
    pytest.param((1, 5, 4, 6, 2), (2, 3, 2, 2, 3), 1, "valid", 1, id="conv-3d-valid"),
    pytest.param((1, 5, 4, 6, 2), (3, 2, 3, 2, 2), (1, 2, 2), "same", 1, id="conv-3d-same-strides"),
    pytest.param((1, 5, 5, 5, 4), (2, 2, 2, 2, 4), 1, "same", 2, id="conv-3d-groups2-dilation2"),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("x_shape, kernel_shape, strides, padding, dilation", CONV_CASES)
def test_conv(x_shape, kernel_shape, strides, padding, dilation, data_format):
    x, kernel = rand(x_shape, 0), rand(kernel_shape, 1)
    expected = np_conv(x.astype(np.float64), kernel.astype(np.float64), strides, padding, dilation)
    if data_format == "channels_first":
        x, expected = channels_first(x), channels_first(expected)
    out = support.check_symbolic(lambda a: ops.conv(a, kernel, strides, padding, data_format, dilation), x)
    support.assert_dtype(out, "float32")
    support.assert_close(out, expected, rtol=1e-5, atol=1e-5)


def test_conv_default_data_format_and_uppercase_padding():
    x, kernel = rand((1, 5, 5, 2)), rand((3, 3, 2, 2), 1)
    assert backend.image_data_format() == "channels_last"
    support.assert_close(ops.conv(x, kernel, padding="SAME"), np_conv(x, kernel, 1, "same"), atol=1e-5)


def test_conv_int_inputs_give_floatx():
    x = np.arange(2 * 6 * 3, dtype="int32").reshape(2, 6, 3) % 5
    kernel = (np.arange(3 * 3 * 2, dtype="int32").reshape(3, 3, 2) % 3) - 1
    out = support.check_symbolic(lambda a: ops.conv(a, kernel, padding="same"), x)
    support.assert_dtype(out, backend.floatx())
    support.assert_close(out, np_conv(x.astype(np.float64), kernel.astype(np.float64), 1, "same"))


DEPTHWISE_CASES = [
    pytest.param((2, 9, 3), (3, 3, 2), 1, "valid", 1, id="depthwise_conv-1d-valid"),
    pytest.param((2, 9, 3), (3, 3, 1), 2, "same", 1, id="depthwise_conv-1d-same-stride2"),
    pytest.param((2, 10, 2), (2, 2, 2), 1, "same", 2, id="depthwise_conv-1d-dilation2"),
    pytest.param((2, 6, 7, 3), (3, 3, 3, 2), 1, "same", 1, id="depthwise_conv-2d-same"),
    pytest.param((1, 7, 7, 2), (2, 3, 2, 2), (2, 1), "valid", 1, id="depthwise_conv-2d-strides21"),
    pytest.param((1, 9, 9, 2), (3, 3, 2, 1), 2, "same", 2, id="depthwise_conv-2d-stride2-dilation2"),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("x_shape, kernel_shape, strides, padding, dilation", DEPTHWISE_CASES)
def test_depthwise_conv(x_shape, kernel_shape, strides, padding, dilation, data_format):
    x, kernel = rand(x_shape, 2), rand(kernel_shape, 3)
    expected = np_depthwise_conv(x.astype(np.float64), kernel.astype(np.float64), strides, padding, dilation)
    if data_format == "channels_first":
        x, expected = channels_first(x), channels_first(expected)
    out = support.check_symbolic(lambda a: ops.depthwise_conv(a, kernel, strides, padding, data_format, dilation), x)
    support.assert_dtype(out, "float32")
    support.assert_close(out, expected, rtol=1e-5, atol=1e-5)


SEPARABLE_CASES = [
    pytest.param((2, 9, 3), (3, 3, 2), (1, 6, 4), 1, "valid", 1, id="separable_conv-1d-valid"),
    pytest.param((2, 6, 7, 3), (3, 3, 3, 2), (1, 1, 6, 4), 2, "same", 1, id="separable_conv-2d-same-stride2"),
    pytest.param((1, 8, 8, 2), (2, 2, 2, 1), (1, 1, 2, 3), 1, "same", 2, id="separable_conv-2d-dilation2"),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("x_shape, depthwise_shape, pointwise_shape, strides, padding, dilation", SEPARABLE_CASES)
def test_separable_conv(x_shape, depthwise_shape, pointwise_shape, strides, padding, dilation, data_format):
    x, depthwise, pointwise = rand(x_shape, 4), rand(depthwise_shape, 5), rand(pointwise_shape, 6)
    expected = np_separable_conv(*(a.astype(np.float64) for a in (x, depthwise, pointwise)), strides, padding, dilation)
    if data_format == "channels_first":
        x, expected = channels_first(x), channels_first(expected)
    out = support.check_symbolic(
        lambda a: ops.separable_conv(a, depthwise, pointwise, strides, padding, data_format, dilation), x
    )
    support.assert_close(out, expected, rtol=1e-5, atol=1e-5)


TRANSPOSE_CASES = [
    pytest.param((2, 5, 3), (3, 4, 3), 1, "valid", None, 1, id="conv_transpose-1d-valid"),
    pytest.param((2, 5, 3), (3, 4, 3), 2, "same", None, 1, id="conv_transpose-1d-same-stride2"),
    pytest.param((2, 5, 3), (4, 2, 3), 2, "same", 1, 1, id="conv_transpose-1d-same-output_padding1"),
    pytest.param((2, 5, 3), (2, 2, 3), 3, "valid", None, 1, id="conv_transpose-1d-valid-stride_over_kernel"),
    pytest.param((2, 5, 3), (3, 2, 3), 3, "valid", 2, 1, id="conv_transpose-1d-valid-output_padding2"),
    pytest.param((2, 4, 3, 2), (3, 3, 3, 2), 2, "same", None, 1, id="conv_transpose-2d-same-stride2"),
    pytest.param((2, 4, 3, 2), (2, 3, 3, 2), (2, 1), "valid", None, 1, id="conv_transpose-2d-valid-strides21"),
    pytest.param((1, 4, 4, 2), (3, 3, 2, 2), 2, "same", (1, 0), 1, id="conv_transpose-2d-same-output_padding"),
    pytest.param((1, 4, 4, 2), (2, 3, 2, 2), 1, "same", None, 2, id="conv_transpose-2d-dilation2"),
    pytest.param((1, 4, 4, 2), (3, 2, 2, 2), 2, "same", None, (2, 1), id="conv_transpose-2d-stride2-dilation2"),
    pytest.param((1, 3, 2, 3, 2), (2, 3, 2, 3, 2), (2, 1, 2), "same", None, 1, id="conv_transpose-3d-same"),
    pytest.param((1, 3, 2, 3, 2), (2, 2, 2, 2, 2), 2, "valid", None, 1, id="conv_transpose-3d-valid"),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("x_shape, kernel_shape, strides, padding, output_padding, dilation", TRANSPOSE_CASES)
def test_conv_transpose(x_shape, kernel_shape, strides, padding, output_padding, dilation, data_format):
    x, kernel = rand(x_shape, 7), rand(kernel_shape, 8)
    expected = np_conv_transpose(
        x.astype(np.float64), kernel.astype(np.float64), strides, padding, output_padding, dilation
    )
    if data_format == "channels_first":
        x, expected = channels_first(x), channels_first(expected)
    out = support.check_symbolic(
        lambda a: ops.conv_transpose(a, kernel, strides, padding, output_padding, data_format, dilation), x
    )
    support.assert_dtype(out, "float32")
    support.assert_close(out, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "length, kernel_size, stride, padding, dilation",
    [
        pytest.param(8, 3, 2, "same", 1, id="conv_transpose-adjoint-same-stride2"),
        pytest.param(9, 4, 3, "same", 1, id="conv_transpose-adjoint-same-stride3"),
        pytest.param(9, 2, 1, "same", 3, id="conv_transpose-adjoint-same-dilation3"),
        pytest.param(9, 3, 2, "valid", 1, id="conv_transpose-adjoint-valid-stride2"),
        pytest.param(9, 2, 3, "valid", 2, id="conv_transpose-adjoint-valid-stride3-dilation2"),
    ],
)
def test_conv_transpose_is_the_adjoint_of_conv(length, kernel_size, stride, padding, dilation):
    # <conv(x, k), y> = <x, conv_transpose(y, k)> for every x, y: the defining property of a transposed conv.
    x, kernel = rand((2, length, 3), 9), rand((kernel_size, 3, 4), 10)
    forward = np_conv(x.astype(np.float64), kernel.astype(np.float64), stride, padding, dilation)
    y = rand(forward.shape, 11)
    transposed = support.to_numpy(
        ops.conv_transpose(y, kernel, strides=stride, padding=padding, dilation_rate=dilation)
    )
    assert transposed.shape == x.shape
    assert np.isclose(np.sum(forward * y), np.sum(x * transposed), rtol=1e-5)


# One case per engine code path: plain, grouped with stride and dilation (TF splits groups and dilates the kernel),
# 3D (TF names its data_format for the gradient), depthwise, and transposed with dilation.
GRADIENT_CASES = [
    pytest.param(ops.conv, np_conv, (1, 5, 4, 2), (3, 2, 2, 2), dict(padding="same"), id="conv-2d-grad"),
    pytest.param(
        ops.conv, np_conv, (1, 6, 5, 4), (2, 2, 2, 2), dict(strides=2, dilation_rate=2), id="conv-2d-grad-groups"
    ),
    pytest.param(ops.conv, np_conv, (1, 3, 3, 3, 2), (2, 2, 2, 2, 2), dict(padding="same"), id="conv-3d-grad"),
    pytest.param(
        ops.depthwise_conv,
        np_depthwise_conv,
        (1, 5, 5, 2),
        (3, 3, 2, 2),
        dict(strides=2, padding="same"),
        id="depthwise_conv-grad",
    ),
    pytest.param(
        ops.conv_transpose,
        np_conv_transpose,
        (1, 3, 3, 2),
        (3, 2, 2, 2),
        dict(strides=2, padding="same", dilation_rate=(1, 2)),
        id="conv_transpose-grad-dilation",
    ),
    pytest.param(
        ops.conv_transpose,
        np_conv_transpose,
        (1, 2, 2, 2, 1),
        (2, 2, 2, 2, 1),
        dict(strides=2, padding="same"),
        id="conv_transpose-3d-grad",
    ),
]


def reference_kwargs(kwargs):
    renamed = {"dilation_rate": "dilation"}
    return {renamed.get(k, k): v for k, v in kwargs.items()}


@support.needs_gradients
@pytest.mark.parametrize("fn, reference, x_shape, kernel_shape, kwargs", GRADIENT_CASES)
def test_conv_gradients(fn, reference, x_shape, kernel_shape, kwargs):
    x, kernel = rand(x_shape, 12), rand(kernel_shape, 13)
    nn_support.check_gradients(
        lambda a, k: fn(a, k, **kwargs), lambda a, k: reference(a, k, **reference_kwargs(kwargs)), x, kernel
    )


@support.needs_gradients
def test_conv_gradient_channels_first():
    x, kernel = rand((1, 2, 5, 4), 14), rand((3, 2, 2, 2), 15)
    nn_support.check_gradients(
        lambda a, k: ops.conv(a, k, padding="same", data_format="channels_first"),
        lambda a, k: channels_first(np_conv(np.moveaxis(a, 1, -1), k, 1, "same")),
        x,
        kernel,
    )


@support.needs_gradients
def test_separable_conv_gradient():
    x, depthwise, pointwise = rand((1, 5, 4, 2), 16), rand((2, 2, 2, 2), 17), rand((1, 1, 4, 2), 18)
    nn_support.check_gradients(
        lambda a, d, p: ops.separable_conv(a, d, p, padding="same"),
        lambda a, d, p: np_separable_conv(a, d, p, 1, "same"),
        x,
        depthwise,
        pointwise,
    )


ERROR_CASES = [
    pytest.param(ops.conv, (2, 5), (3, 5, 2), {}, "rank 3 or 4 or 5", id="conv-bad_rank"),
    pytest.param(ops.conv, (2, 5, 5, 3), (3, 3, 2), {}, "must have the rank of `inputs`", id="conv-bad_kernel_rank"),
    pytest.param(ops.conv, (2, 5, 5, 3), (3, 3, 2, 4), {}, "has 3 channels", id="conv-mismatched_channels"),
    pytest.param(
        ops.conv,
        (2, 5, 5, 4),
        (3, 3, 2, 3),
        {},
        "multiple of the groups",
        id="conv-out_channels_not_multiple_of_groups",
    ),
    pytest.param(ops.conv, (2, 5, 5, 3), (3, 3, 3, 4), {"padding": "full"}, "Unknown padding", id="conv-bad_padding"),
    pytest.param(
        ops.conv,
        (2, 5, 5, 3),
        (3, 3, 3, 4),
        {"data_format": "NHWC"},
        "Unknown image data format",
        id="conv-bad_data_format",
    ),
    pytest.param(
        ops.conv, (2, 5, 5, 3), (3, 3, 3, 4), {"strides": 0}, "`strides` must be a positive int", id="conv-bad_strides"
    ),
    pytest.param(
        ops.conv,
        (2, 5, 5, 3),
        (3, 3, 3, 4),
        {"dilation_rate": (1, 2, 3)},
        "`dilation_rate` must be",
        id="conv-bad_dilation_rate",
    ),
    pytest.param(ops.conv, (2, 2, 2, 3), (3, 3, 3, 4), {}, "empty output", id="conv-kernel_larger_than_input"),
    pytest.param(ops.depthwise_conv, (2, 4, 4, 4, 3), (2, 2, 2, 3, 1), {}, "rank 3 or 4", id="depthwise_conv-3d"),
    pytest.param(
        ops.depthwise_conv, (2, 5, 5, 3), (3, 3, 2, 1), {}, "has 3 channels", id="depthwise_conv-mismatched_channels"
    ),
    pytest.param(
        ops.conv_transpose, (2, 5, 5, 3), (3, 3, 4, 2), {}, "has 3 channels", id="conv_transpose-mismatched_channels"
    ),
    pytest.param(
        ops.conv_transpose,
        (2, 5, 5, 3),
        (3, 3, 4, 3),
        {"strides": 2, "output_padding": 2},
        "smaller than the matching stride",
        id="conv_transpose-bad_output_padding",
    ),
]


@pytest.mark.parametrize("fn, x_shape, kernel_shape, kwargs, match", ERROR_CASES)
def test_conv_errors(fn, x_shape, kernel_shape, kwargs, match):
    with pytest.raises(ValueError, match=match):
        fn(rand(x_shape), rand(kernel_shape), **kwargs)
    with pytest.raises(ValueError, match=match):
        fn(ops.KerasTensor((None, *x_shape[1:])), ops.KerasTensor(kernel_shape), **kwargs)


def test_conv_error_messages_name_the_received_values():
    with pytest.raises(ValueError, match=r"Received: inputs.shape=\(2, 5, 5, 3\), kernel.shape=\(3, 3, 2, 4\)"):
        ops.conv(rand((2, 5, 5, 3)), rand((3, 3, 2, 4)))
    with pytest.raises(ValueError, match=r"Received: padding='full'"):
        ops.conv(rand((2, 5, 5, 3)), rand((3, 3, 3, 4)), padding="full")


def test_separable_conv_rejects_a_non_pointwise_kernel():
    with pytest.raises(ValueError, match="1 x ... x 1"):
        ops.separable_conv(rand((1, 5, 5, 2)), rand((3, 3, 2, 1)), rand((2, 2, 2, 3)))


@pytest.mark.parametrize(
    "fn, reference, kernel_shape",
    [
        pytest.param(ops.conv, np_conv, (3, 3, 2, 4), id="conv-half"),
        pytest.param(ops.depthwise_conv, np_depthwise_conv, (3, 3, 2, 2), id="depthwise_conv-half"),
        pytest.param(ops.conv_transpose, np_conv_transpose, (3, 3, 4, 2), id="conv_transpose-half"),
    ],
)
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_conv_half_precision(fn, reference, kernel_shape, dtype):
    x, kernel = rand((1, 5, 5, 2), 19), rand(kernel_shape, 20)
    out = fn(ops.cast(x, dtype), ops.cast(kernel, dtype), strides=2, padding="same")
    support.assert_dtype(out, dtype)
    expected = reference(x.astype(np.float64), kernel.astype(np.float64), strides=2, padding="same")
    support.assert_close(ops.cast(out, "float32"), expected, rtol=5e-2, atol=5e-2)
