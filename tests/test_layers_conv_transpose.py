"""Conv1DTranspose/Conv2DTranspose/Conv3DTranspose (and their Convolution*Transpose aliases) against Keras 3:
strides, padding, output_padding, dilation, channels_first/last, bias, activation, initializers, regularizers and
constraints, through the shared oracle (outputs, symbolic shapes, masks, configs and files both ways, gradients);
argument errors; the regularization losses."""

from __future__ import annotations

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers
from kerasx.layers import _arguments, _conv, _conv_transpose
from keras_layer_oracle import check_layer_against_keras

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)
SEQUENCE = RNG.normal(size=(2, 5, 3)).astype("float32")
SEQUENCE_FIRST = RNG.normal(size=(2, 3, 5)).astype("float32")
IMAGE = RNG.normal(size=(2, 4, 5, 3)).astype("float32")
IMAGE_FIRST = RNG.normal(size=(2, 3, 4, 5)).astype("float32")
VOLUME = RNG.normal(size=(1, 3, 2, 4, 2)).astype("float32")
VOLUME_FIRST = RNG.normal(size=(1, 2, 3, 2, 4)).astype("float32")
FIRST = {"data_format": "channels_first"}

CASES = [
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 3}, SEQUENCE),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, SEQUENCE),
    ("Conv1DTranspose", {"filters": 4, "kernel_size": 4, "strides": 3, "output_padding": 2, **FIRST}, SEQUENCE_FIRST),
    ("Conv1DTranspose", {"filters": 2, "kernel_size": 2, "dilation_rate": 3, "padding": "same"}, SEQUENCE),
    ("Conv2DTranspose", {"filters": 3, "kernel_size": (3, 2), "strides": (2, 1), "padding": "same"}, IMAGE),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": (1, 0), **FIRST},
     IMAGE_FIRST),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 2, "dilation_rate": (2, 1), "activation": "sigmoid",
                         "use_bias": False}, IMAGE),
    ("Conv2DTranspose", {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 1,
                         **FIRST}, IMAGE_FIRST),
    ("Conv3DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2}, VOLUME),
    # Not "same" with output_padding in 3D: Keras 3's own TensorFlow CPU kernel (oneDNN) fails on it.
    ("Conv3DTranspose", {"filters": 2, "kernel_size": (2, 3, 2), "strides": (1, 2, 1), "padding": "same", **FIRST},
     VOLUME_FIRST),
    ("Convolution2DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2}, IMAGE),
    ("Conv3DTranspose", {"filters": 3, "kernel_size": 2, "strides": (2, 1, 2), "output_padding": (1, 0, 0), **FIRST},
     VOLUME_FIRST),
    ("Conv2DTranspose", lambda library: {
        "filters": 2, "kernel_size": 2, "kernel_initializer": "he_normal", "bias_initializer": "ones",
        "kernel_regularizer": "l2", "bias_regularizer": library.regularizers.L1(0.5),
        "activity_regularizer": library.regularizers.L1L2(0.25, 0.5), "kernel_constraint": "max_norm",
        "bias_constraint": "non_neg", "activation": "tanh"}, IMAGE),
]
# The `.keras` file checks cost a model save and load each way: one case per class (and the alias). Keras 3 writes
# an L1 factor rounded to float32 in its config (0.01 as 0.009999999776482582): the regularizers' factors here are
# exact in float32.
WITH_FILES = {0, 5, 9, 10, 12}


@pytest.mark.parametrize(
    ("index", "name", "kwargs", "inputs"), [(i, *case) for i, case in enumerate(CASES)],
    ids=[f"{case[0]}-{i}" for i, case in enumerate(CASES)],
)
def test_conv_transpose_matches_keras(index, name, kwargs, inputs, tmp_path):
    check_layer_against_keras(name, kwargs, inputs, tmp_path=tmp_path if index in WITH_FILES else None)


def test_aliases_are_the_classes():
    assert layers.Convolution1DTranspose is layers.Conv1DTranspose
    assert layers.Convolution2DTranspose is layers.Conv2DTranspose
    assert layers.Convolution3DTranspose is layers.Conv3DTranspose


def test_regularization_losses_match_keras():
    kwargs = {"filters": 2, "kernel_size": 2, "strides": 2, "kernel_regularizer": "l2", "bias_regularizer": "l1",
              "bias_initializer": "ones", "activity_regularizer": "l2"}
    theirs = keras.layers.Conv2DTranspose(**kwargs)
    theirs(IMAGE)
    ours = layers.Conv2DTranspose(**kwargs)
    ours(IMAGE)
    ours.set_weights([keras.ops.convert_to_numpy(w) for w in theirs.weights])
    ours(IMAGE)
    expected = sorted(float(keras.ops.convert_to_numpy(loss)) for loss in theirs.losses)
    got = sorted(float(support.to_numpy(loss)) for loss in ours.losses)
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    assert len(got) == 3


def test_transposed_kernel_layout_and_output_size():
    layer = layers.Conv3DTranspose(5, (3, 2, 1), strides=(2, 1, 3), output_padding=(1, 0, 2))
    output = layer(kerasx.Input(shape=(4, 4, 4, 7)))
    assert tuple(layer.kernel.shape) == (3, 2, 1, 5, 7)
    # (size - 1) * stride + kernel + output_padding on each axis.
    assert output.shape == (None, 3 * 2 + 3 + 1, 3 + 2, 3 * 3 + 1 + 2, 5)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: layers.Conv2DTranspose(0, 3), r"Conv2DTranspose: `filters` must be a positive int. Received: filters=0"),
        (lambda: layers.Conv1DTranspose(2, (3, 3)),
         r"Conv1DTranspose: `kernel_size` must be a positive int or a tuple of 1 positive ints. Received: kernel_size="),
        (lambda: layers.Conv2DTranspose(2, 3, strides=2, dilation_rate=2),
         r"Conv2DTranspose: strides > 1 together with dilation_rate > 1 is not supported. Received: strides=\(2, 2\)"),
        (lambda: layers.Conv2DTranspose(2, 3, strides=2, output_padding=2),
         r"Conv2DTranspose: `output_padding` must be .* each smaller than its stride. Received: output_padding=2, "
         r"strides=\(2, 2\)"),
        (lambda: layers.Conv3DTranspose(2, 3, output_padding=(0, 0)),
         r"Conv3DTranspose: `output_padding` must be .* Received: output_padding=\(0, 0\)"),
        (lambda: layers.Conv1DTranspose(2, 3, padding="causal"),
         r"Conv1DTranspose: unknown padding. Received: padding='causal'"),
        (lambda: layers.Conv2DTranspose(2, 3, data_format="NHWC"),
         r"Conv2DTranspose: unknown data_format. Received: data_format='NHWC'"),
    ],
)
def test_bad_arguments_raise_clear_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_unknown_channels_raise_a_clear_error():
    layer = layers.Conv2DTranspose(2, 3, name="up")
    with pytest.raises(ValueError, match=r"Layer 'up' \(Conv2DTranspose\) needs the number of input channels"):
        layer(kerasx.Input(shape=(4, 4, None)))


def test_messages_are_module_constants():
    # The shared messages are those of the convolution layers.
    assert _conv_transpose.BAD_FILTERS is _conv.BAD_FILTERS
    assert "{cls}" in _conv_transpose.BAD_OUTPUT_PADDING and "{cls}" in _arguments.BAD_PADDING_MODE


@support.needs_gradients
def test_conv2d_transpose_trains_in_a_model():
    model = kerasx.Sequential([kerasx.Input(shape=(4, 4, 2)), layers.Conv2DTranspose(1, 3, strides=2, padding="same")])
    model.compile(optimizer=kerasx.optimizers.SGD(0.05), loss="mse")
    x = RNG.normal(size=(8, 4, 4, 2)).astype("float32")
    y = np.repeat(np.repeat(x[..., :1], 2, axis=1), 2, axis=2)
    first = model.train_on_batch(x, y)
    for _ in range(10):
        last = model.train_on_batch(x, y)
    assert last < first
