"""MobileNet (Howard et al. 2017, "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision
Applications"): 13 depthwise-separable blocks (a 3x3 depthwise convolution, then a 1x1 pointwise one, each
normalized and clipped by ReLU6), the width scaled by `alpha`.

Layer names, order and weights are Keras 3's, so Keras's weight files load by layer order.
"""

from __future__ import annotations

import warnings
from typing import Any

from kerasx import layers
from kerasx.applications import _imagenet_utils, _model_frame, _weights
from kerasx.backend import _config
from kerasx.models import Functional

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/"
PRETRAINED_SIZES = (128, 160, 192, 224)
PRETRAINED_ALPHAS = (0.25, 0.50, 0.75, 1.0)
# (pointwise filters, stride) of blocks 1 .. 13.
BLOCKS = ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1),
          (512, 1), (1024, 2), (1024, 1))

PRETRAINED_DEPTH_MULTIPLIER = (
    "MobileNet: the ImageNet weights exist for depth_multiplier=1 only. Received: depth_multiplier={value}. "
    "Pass weights=None to train another depth multiplier."
)
PRETRAINED_ALPHA = (
    "{model}: the ImageNet weights exist for alpha in {alphas} only. Received: alpha={alpha}. Pass one of them, "
    "or weights=None to train another width."
)
PRETRAINED_SIZE = (
    "{model}: the input is not square or its size is not one of {sizes} (received rows={rows}, cols={cols}); "
    "the ImageNet weights for 224x224 inputs are loaded."
)


def spatial_axes() -> tuple:
    """The (rows, cols) axes of an image shape without its batch axis."""
    return (1, 2) if _config.image_data_format() == "channels_first" else (0, 1)


def default_size(input_shape: Any, sizes: tuple) -> int:
    """The size the weights are chosen for: the input's when it is square and one of `sizes`, else 224."""
    if input_shape is None:
        return 224
    rows_axis, cols_axis = spatial_axes()
    rows, cols = input_shape[rows_axis], input_shape[cols_axis]
    return rows if rows == cols and rows in sizes else 224


def pretrained_rows(model: str, weights: Any, alpha: float, alphas: tuple, input_shape: tuple, sizes: tuple):
    """The input rows the weights file is named by; checks `alpha` against the pretrained ones and warns when the
    input size has no weights of its own (the 224 ones are used)."""
    rows_axis, cols_axis = spatial_axes()
    rows, cols = input_shape[rows_axis], input_shape[cols_axis]
    if weights != "imagenet":
        return rows
    if alpha not in alphas:
        raise ValueError(PRETRAINED_ALPHA.format(model=model, alphas=list(alphas), alpha=alpha))
    if rows != cols or rows not in sizes:
        warnings.warn(PRETRAINED_SIZE.format(model=model, sizes=list(sizes), rows=rows, cols=cols), stacklevel=3)
        return 224
    return rows


def _channel_axis() -> int:
    return 1 if _config.image_data_format() == "channels_first" else -1


def _conv_block(x, filters: int, alpha: float, strides: int = 1):
    filters = int(filters * alpha)
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False, strides=strides, name="conv1")(x)
    x = layers.BatchNormalization(axis=_channel_axis(), name="conv1_bn")(x)
    return layers.ReLU(6.0, name="conv1_relu")(x)


def depthwise_conv_block(x, pointwise_filters: int, alpha: float, depth_multiplier: int = 1, strides: int = 1,
                         block_id: int = 1):
    """A 3x3 depthwise convolution (padded on the bottom/right before a stride of 2) and a 1x1 convolution to
    `alpha * pointwise_filters` channels, each normalized and clipped by ReLU6; named `conv_dw_{block_id}...`."""
    if strides != 1:
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = layers.DepthwiseConv2D(3, padding="same" if strides == 1 else "valid", depth_multiplier=depth_multiplier,
                               strides=strides, use_bias=False, name=f"conv_dw_{block_id}")(x)
    x = layers.BatchNormalization(axis=_channel_axis(), name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(int(pointwise_filters * alpha), 1, padding="same", use_bias=False, strides=1,
                      name=f"conv_pw_{block_id}")(x)
    x = layers.BatchNormalization(axis=_channel_axis(), name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


def MobileNet(input_shape: tuple | None = None, alpha: float = 1.0, depth_multiplier: int = 1,
              dropout: float = 1e-3, include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
              pooling: str | None = None, classes: int = 1000, classifier_activation: Any = "softmax",
              name: str | None = None) -> Functional:
    """Instantiates MobileNet (V1), optionally with its ImageNet weights.

    Inputs are RGB images scaled to [-1, 1] (`mobilenet.preprocess_input`); the default size is 224x224, the
    smallest 32x32. ImageNet weights exist for square inputs of 128, 160, 192 or 224 pixels (others get the 224
    ones, with a warning) and for `alpha` in 0.25, 0.5, 0.75, 1.0.

    Args:
        input_shape: `(height, width, 3)` (channels last) when `include_top=False` or `weights` is not
            "imagenet"; height and width at least 32.
        alpha: width multiplier of every layer's filters (1.0 is the paper's network).
        depth_multiplier: channel multiplier of the depthwise convolutions (1 with the ImageNet weights).
        dropout: dropout rate before the classifier.
        include_top: whether to end with the classifier (a 1x1 convolution "conv_preds" and "predictions").
        weights: None (random), "imagenet" (downloaded once through `kerasx.utils.get_file`), or the path of a
            weights file.
        input_tensor: optional tensor to use as the image input.
        pooling: without the top: None (the 4D feature map), "avg" or "max" (global pooling to 2D).
        classes: number of classes of the classifier (1000 with the ImageNet weights).
        classifier_activation: activation of the classifier; None gives logits. With pretrained weights only
            None or "softmax".
        name: the model's name; None gives `mobilenet_{alpha:0.2f}_{rows}`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import MobileNet
        >>> model = MobileNet(input_shape=(32, 32, 3), alpha=0.25, weights=None, classes=10)
        >>> model.name, model.output.shape, model.count_params()
        ('mobilenet_0.25_32', (None, 10), 221114)
    """
    _model_frame.check_weights("MobileNet", weights, include_top, classes)
    data_format = _config.image_data_format()
    input_shape = _imagenet_utils.obtain_input_shape(input_shape, default_size=default_size(input_shape,
                                                                                          PRETRAINED_SIZES),
                                                     min_size=32, data_format=data_format,
                                                     require_flatten=include_top, weights=weights)
    if weights == "imagenet" and depth_multiplier != 1:
        raise ValueError(PRETRAINED_DEPTH_MULTIPLIER.format(value=depth_multiplier))
    rows = pretrained_rows("MobileNet", weights, alpha, PRETRAINED_ALPHAS, input_shape, PRETRAINED_SIZES)
    img_input = _model_frame.image_input(input_tensor, input_shape)
    x = _conv_block(img_input, 32, alpha, strides=2)
    for block_id, (filters, strides) in enumerate(BLOCKS, start=1):
        x = depthwise_conv_block(x, filters, alpha, depth_multiplier, strides=strides, block_id=block_id)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, 1, padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        _imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = _model_frame.global_pooling(x, pooling)
    model = _model_frame.functional_model(input_tensor, img_input, x, name or f"mobilenet_{alpha:0.2f}_{rows}")
    alpha_text = {1.0: "1_0", 0.75: "7_5", 0.50: "5_0"}.get(alpha, "2_5")
    file_name = f"mobilenet_{alpha_text}_{rows}_tf{'' if include_top else '_no_top'}.h5"
    # Keras publishes no hash for these files: none is checked.
    _weights.load_weights(model, weights, origin=WEIGHTS_URL + file_name, file_hash=None, file_name=file_name)
    return model
