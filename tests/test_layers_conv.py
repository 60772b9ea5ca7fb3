"""Conv1D/2D/3D against a direct NumPy convolution: strides, padding (valid/same/causal), dilation, groups,
channels_first, bias and activation; argument errors; gradient of the kernel."""

import itertools

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers, ops
from keras_layer_oracle import check_layer_against_keras
from layer_support import run_layer_test


def _same_padding(size, window, stride, dilation):
    extent = (window - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + extent - size, 0)
    return total // 2, total - total // 2


def np_conv(x, kernel, strides, padding, dilation, groups=1):
    """Channels-last N-D convolution by summing over windows (float64)."""
    x = np.asarray(x, np.float64)
    kernel = np.asarray(kernel, np.float64)
    rank = x.ndim - 2
    window = kernel.shape[:rank]
    if padding == "same":
        pads = [_same_padding(x.shape[1 + i], window[i], strides[i], dilation[i]) for i in range(rank)]
        x = np.pad(x, [(0, 0), *pads, (0, 0)])
    elif padding == "causal":
        x = np.pad(x, [(0, 0), ((window[0] - 1) * dilation[0], 0), (0, 0)])
    extents = [(window[i] - 1) * dilation[i] + 1 for i in range(rank)]
    out_sizes = [(x.shape[1 + i] - extents[i]) // strides[i] + 1 for i in range(rank)]
    in_per_group, filters = kernel.shape[-2:]
    out_per_group = filters // groups
    out = np.zeros((x.shape[0], *out_sizes, filters))
    for position in itertools.product(*[range(n) for n in out_sizes]):
        index = tuple(
            slice(p * s, p * s + e, d) for p, s, e, d in zip(position, strides, extents, dilation)
        )
        patch = x[(slice(None), *index)]  # (batch, *window, channels)
        for g in range(groups):
            channels = slice(g * in_per_group, (g + 1) * in_per_group)
            filters_g = slice(g * out_per_group, (g + 1) * out_per_group)
            kernel_g = kernel[..., filters_g]
            value = np.tensordot(patch[..., channels], kernel_g, axes=rank + 1)
            out[(slice(None), *position, filters_g)] = value
    return out


def _reference(rank, strides=1, padding="valid", dilation=1, groups=1, activation=None, channels_first=False):
    strides = (strides,) * rank if isinstance(strides, int) else strides
    dilation = (dilation,) * rank if isinstance(dilation, int) else dilation

    def reference(x, weights):
        if channels_first:
            x = np.moveaxis(x, 1, -1)
        out = np_conv(x, weights[0], strides, padding, dilation, groups)
        if len(weights) > 1:
            out = out + weights[1]
        if activation == "relu":
            out = np.maximum(out, 0)
        return np.moveaxis(out, -1, 1) if channels_first else out

    return reference


CASES = [
    pytest.param(
        layers.Conv1D, {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 9, 3), (2, 5, 2),
        {"strides": 2, "padding": "same"}, id="Conv1D-same-strides",
    ),
    pytest.param(
        layers.Conv1D, {"filters": 2, "kernel_size": 2, "padding": "causal", "dilation_rate": 2}, (2, 7, 3),
        (2, 7, 2), {"padding": "causal", "dilation": 2}, id="Conv1D-causal-dilated",
    ),
    pytest.param(
        layers.Conv2D, {"filters": 4, "kernel_size": (3, 2), "activation": "relu"}, (2, 5, 6, 3), (2, 3, 5, 4),
        {"activation": "relu"}, id="Conv2D-valid-relu",
    ),
    pytest.param(
        layers.Conv2D, {"filters": 3, "kernel_size": 3, "strides": (2, 1), "padding": "same"}, (2, 7, 5, 2),
        (2, 4, 5, 3), {"strides": (2, 1), "padding": "same"}, id="Conv2D-same-strides",
    ),
    pytest.param(
        layers.Conv2D, {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "use_bias": False}, (1, 6, 6, 2),
        (1, 4, 4, 2), {"dilation": 2}, id="Conv2D-dilated-nobias",
    ),
    pytest.param(
        layers.Conv2D, {"filters": 4, "kernel_size": 3, "groups": 2}, (2, 5, 5, 4), (2, 3, 3, 4), {"groups": 2},
        id="Conv2D-groups",
    ),
    pytest.param(
        layers.Conv2D, {"filters": 3, "kernel_size": 3, "padding": "same", "data_format": "channels_first"},
        (2, 2, 5, 4), (2, 3, 5, 4), {"padding": "same", "channels_first": True}, id="Conv2D-channels_first",
    ),
    pytest.param(
        layers.Conv1D, {"filters": 2, "kernel_size": 2, "strides": 2, "data_format": "channels_first"},
        (2, 3, 6), (2, 2, 3), {"strides": 2, "channels_first": True}, id="Conv1D-channels_first",
    ),
    pytest.param(
        layers.Conv3D, {"filters": 2, "kernel_size": 2, "padding": "same"}, (1, 3, 4, 3, 2), (1, 3, 4, 3, 2),
        {"padding": "same"}, id="Conv3D-same",
    ),
]


@pytest.mark.parametrize("layer_cls, init_kwargs, input_shape, output_shape, reference_kwargs", CASES)
def test_conv_layers_against_numpy(layer_cls, init_kwargs, input_shape, output_shape, reference_kwargs):
    rank = len(input_shape) - 2
    layer = run_layer_test(
        layer_cls,
        init_kwargs,
        input_shape=input_shape,
        expected_output_shape=output_shape,
        reference=_reference(rank, **reference_kwargs),
        rtol=1e-4,
        atol=1e-5,
    )
    channels = input_shape[1] if init_kwargs.get("data_format") == "channels_first" else input_shape[-1]
    groups = init_kwargs.get("groups", 1)
    assert layer.kernel.shape == (*layer.kernel_size, channels // groups, init_kwargs["filters"])


def test_Conv2D_config_has_keras_defaults():
    config = layers.Conv2D(8, 3).get_config()
    assert config["kernel_size"] == (3, 3) and config["strides"] == (1, 1) and config["dilation_rate"] == (1, 1)
    assert config["padding"] == "valid" and config["groups"] == 1 and config["use_bias"] is True
    assert config["data_format"] == kerasx.backend.image_data_format()
    assert config["kernel_initializer"]["class_name"] == "GlorotUniform"
    assert config["bias_initializer"]["class_name"] == "Zeros"
    assert config["activation"] == "linear"


def test_Conv2D_int_inputs_give_float_outputs():
    layer = layers.Conv2D(2, 2)
    x = np.arange(2 * 3 * 3 * 1, dtype="int32").reshape(2, 3, 3, 1)
    y = support.check_symbolic(layer, x)
    support.assert_dtype(y, "float32")
    expected = np_conv(x, layer.kernel.numpy(), (1, 1), "valid", (1, 1)) + layer.bias.numpy()
    support.assert_close(y, expected, rtol=1e-5, atol=1e-5)


def test_Conv2D_symbolic_unknown_spatial_sizes():
    y = layers.Conv2D(5, 3, strides=2, padding="same")(kerasx.KerasTensor((None, None, 8, 3)))
    assert y.shape == (None, None, 4, 5)


@support.needs_gradients
def test_Conv2D_kernel_gradient_matches_finite_differences():
    layer = layers.Conv2D(2, 2, strides=(1, 2), padding="same")
    x = support.random_array((1, 3, 4, 2), rng=np.random.default_rng(1))
    layer(x)
    weights = np.random.default_rng(2).normal(size=(1, 3, 2, 2))

    def loss(kernel):
        (out, _) = layer.stateless_call([kernel, layer.bias], [], x)
        return ops.sum(ops.multiply(out, weights.astype("float32")))

    (grad,) = support.grad_of(loss, layer.kernel.numpy())

    def numeric(kernel):
        out = np_conv(x, kernel, (1, 2), "same", (1, 1)) + layer.bias.numpy()
        return float(np.sum(out * weights))

    support.assert_close(grad, support.numeric_grad(numeric, layer.kernel.numpy()), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize(
    "make, match",
    [
        pytest.param(lambda: layers.Conv2D(0, 3), "Conv2D: `filters` must be a positive int", id="Conv2D-filters"),
        pytest.param(lambda: layers.Conv2D(4, (3,)), r"Conv2D: `kernel_size` must be a positive int or a tuple of 2",
                     id="Conv2D-kernel_size"),
        pytest.param(lambda: layers.Conv2D(5, 3, groups=2), "`groups` must be a positive int that divides `filters`",
                     id="Conv2D-groups"),
        pytest.param(lambda: layers.Conv2D(4, 3, strides=2, dilation_rate=2), "strides > 1 together with",
                     id="Conv2D-strides-dilation"),
        pytest.param(lambda: layers.Conv2D(4, 3, padding="causal"), "Conv2D: unknown padding",
                     id="Conv2D-causal"),
        pytest.param(lambda: layers.Conv1D(4, 3, padding="full"), "Conv1D: unknown padding.*'causal'",
                     id="Conv1D-padding"),
        pytest.param(lambda: layers.Conv1D(4, 3, data_format="NHWC"), "Conv1D: unknown data_format",
                     id="Conv1D-data_format"),
    ],
)
def test_conv_argument_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_Conv2D_input_channels_must_divide_into_groups():
    with pytest.raises(ValueError, match=r"Layer 'grouped' \(Conv2D\) has groups=2, .* 3 channels"):
        layers.Conv2D(4, 3, groups=2, name="grouped")(np.zeros((1, 5, 5, 3), "float32"))


def test_Conv2D_unknown_channels():
    with pytest.raises(ValueError, match=r"Layer 'no_channels' \(Conv2D\) needs the number of input channels"):
        layers.Conv2D(4, 3, name="no_channels")(kerasx.KerasTensor((None, 5, 5, None)))


def test_Conv2D_rejects_inputs_of_another_rank_or_channel_count():
    layer = layers.Conv2D(2, 3, name="conv_checked")
    layer(np.zeros((1, 5, 5, 3), "float32"))
    with pytest.raises(ValueError, match='layer "conv_checked" is incompatible'):
        layer(np.zeros((1, 5, 5, 4), "float32"))
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        layer(np.zeros((1, 5, 3), "float32"))


# Keras 3's Convolution1D/2D/3D aliases, which also read the Keras 1 spellings --------------------------------------
ALIAS_VOLUME = np.random.default_rng(3).normal(size=(1, 4, 5, 4, 2)).astype("float32")


@pytest.mark.parametrize(
    ("name", "kwargs", "shape"),
    [
        ("Convolution3D", {"filters": 2, "kernel_size": (2, 3, 2), "strides": 2, "padding": "same"}, (1, 4, 5, 4, 2)),
        ("Convolution2D", {"filters": 2, "kernel_size": 3, "dilation_rate": 2}, (1, 6, 6, 2)),
        ("Convolution1D", {"filters": 2, "kernel_size": 3, "padding": "causal"}, (1, 6, 2)),
    ],
)
def test_convolution_aliases_match_keras(name, kwargs, shape, tmp_path):
    inputs = np.random.default_rng(4).normal(size=shape).astype("float32")
    ours, _ = check_layer_against_keras(name, kwargs, inputs, tmp_path=tmp_path if name == "Convolution3D" else None)
    assert type(ours).__name__ == name.replace("Convolution", "Conv")


def test_convolution_aliases_take_keras_3_positional_arguments():
    layer = layers.Convolution2D(4, (3, 2), 2, "same")
    assert (layer.kernel_size, layer.strides, layer.padding) == ((3, 2), (2, 2), "same")
    layer = layers.Convolution3D(4, 3, 2)
    assert (layer.kernel_size, layer.strides) == ((3, 3, 3), (2, 2, 2))
    assert layers.Convolution1D(4, 3, 2).strides == (2,)


def test_convolution3d_keras1_spelling_is_conv3d():
    with pytest.warns(DeprecationWarning, match=r"`Convolution3D\(4, 3, 2, 1\)` is the Keras 1 spelling; use "
                                                r"`kerasx.layers.Conv3D\(4, \(3, 2, 1\)\)`"):
        legacy = layers.Convolution3D(4, 3, 2, 1, border_mode="same", subsample=(1, 2, 1))
    modern = layers.Conv3D(4, (3, 2, 1), strides=(1, 2, 1), padding="same")
    assert type(legacy) is layers.Conv3D
    legacy(ALIAS_VOLUME)
    modern(ALIAS_VOLUME)
    modern.set_weights(legacy.get_weights())
    support.assert_close(legacy(ALIAS_VOLUME), support.to_numpy(modern(ALIAS_VOLUME)))
    assert legacy.get_config()["strides"] == (1, 2, 1) and legacy.get_config()["padding"] == "same"
