"""MobileNetV3 (Howard et al. 2019, "Searching for MobileNetV3"): inverted residual blocks with squeeze-and-excite
and hard-swish activations, in a Small and a Large configuration found by architecture search.

The input rescaling to [-1, 1] is part of the model (`include_preprocessing`), so `mobilenet_v3.preprocess_input`
passes images through unchanged. Layer names, order and weights are Keras 3's, so Keras's weight files load by
layer order; like Keras, the activations and the hard sigmoid are unnamed layers and operations.
"""

from __future__ import annotations

import warnings
from typing import Any

from kerasx import layers
from kerasx.applications import _imagenet_utils, _mobilenet, _model_frame, _weights
from kerasx.applications._mobilenet_v2 import make_divisible
from kerasx.backend import _config, is_keras_tensor
from kerasx.models import Functional

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v3/"
# weights name -> (md5 of the file with the classifier, md5 of the file without it)
WEIGHTS_HASHES = {
    "large_224_0.75_float": ("765b44a33ad4005b3ac83185abf1d0eb", "40af19a13ebea4e2ee0c676887f69a2e"),
    "large_224_1.0_float": ("59e551e166be033d707958cf9e29a6a7", "07fb09a5933dd0c8eaafa16978110389"),
    "large_minimalistic_224_1.0_float": ("675e7b876c45c57e9e63e6d90a36599c", "ec5221f64a2f6d1ef965a614bdae7973"),
    "small_224_0.75_float": ("cb65d4e5be93758266aa0a7f2c6708b7", "ebdb5cc8e0b497cd13a7c275d475c819"),
    "small_224_1.0_float": ("8768d4c2e7dee89b9d02b2d03d65d862", "d3e8ec802a04aa4fc771ee12a9a9b836"),
    "small_minimalistic_224_1.0_float": ("99cd97fb2fcdad2bf028eb838de69e37", "cde8136e733e811080d9fcd8a252f7e4"),
}
# Each block: (expansion, filters, kernel size, stride, squeeze-excite, activation). "K" is the family's kernel
# size (5, or 3 when minimalistic), "se" its squeeze-excite ratio (0.25, or none when minimalistic), "act" its
# activation (hard swish, or ReLU when minimalistic); the others are fixed.
SMALL_BLOCKS = (
    (1, 16, 3, 2, "se", "relu"), (72 / 16, 24, 3, 2, None, "relu"), (88 / 24, 24, 3, 1, None, "relu"),
    (4, 40, "K", 2, "se", "act"), (6, 40, "K", 1, "se", "act"), (6, 40, "K", 1, "se", "act"),
    (3, 48, "K", 1, "se", "act"), (3, 48, "K", 1, "se", "act"), (6, 96, "K", 2, "se", "act"),
    (6, 96, "K", 1, "se", "act"), (6, 96, "K", 1, "se", "act"),
)
LARGE_BLOCKS = (
    (1, 16, 3, 1, None, "relu"), (4, 24, 3, 2, None, "relu"), (3, 24, 3, 1, None, "relu"),
    (3, 40, "K", 2, "se", "relu"), (3, 40, "K", 1, "se", "relu"), (3, 40, "K", 1, "se", "relu"),
    (6, 80, 3, 2, None, "act"), (2.5, 80, 3, 1, None, "act"), (2.3, 80, 3, 1, None, "act"),
    (2.3, 80, 3, 1, None, "act"), (6, 112, 3, 1, "se", "act"), (6, 112, 3, 1, "se", "act"),
    (6, 160, "K", 2, "se", "act"), (6, 160, "K", 1, "se", "act"), (6, 160, "K", 1, "se", "act"),
)
LAST_POINT_CHANNELS = {"small": 1024, "large": 1280}
BN_MOMENTUM = 0.999

TOO_SMALL = "{model}: the input must be at least 32x32. Received: input_shape={input_shape}."
PRETRAINED_ALPHA = (
    "{model}: the ImageNet weights exist for alpha 0.75 or 1.0 (1.0 only when minimalistic). Received: "
    "alpha={alpha}, minimalistic={minimalistic}. Pass weights=None to train another width."
)
PRETRAINED_SIZE = (
    "{model}: the input is not square or not 224x224 (received rows={rows}, cols={cols}); the ImageNet weights "
    "for 224x224 inputs are loaded."
)


def _channel_axis() -> int:
    return 1 if _config.image_data_format() == "channels_first" else -1


def _batch_norm(name: str):
    return layers.BatchNormalization(axis=_channel_axis(), epsilon=1e-3, momentum=BN_MOMENTUM, name=name)


def _relu(x):
    return layers.ReLU()(x)


def _hard_sigmoid(x):
    # ReLU6(x + 3) / 6 as a layer and two operations, the graph Keras 3's weights files were saved from.
    return layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def _hard_swish(x):
    return layers.Activation("hard_swish")(x)


def squeeze_excite(inputs, filters: int, se_ratio: float, prefix: str):
    """Channel attention: the globally pooled input, squeezed to `se_ratio * filters` channels (ReLU) and
    expanded back (hard sigmoid), multiplies the input."""
    x = layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}squeeze_excite_avg_pool")(inputs)
    x = layers.Conv2D(make_divisible(filters * se_ratio), 1, padding="same", name=f"{prefix}squeeze_excite_conv")(x)
    x = layers.ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = layers.Conv2D(filters, 1, padding="same", name=f"{prefix}squeeze_excite_conv_1")(x)
    return layers.Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, _hard_sigmoid(x)])


def inverted_res_block(x, expansion: float, filters: int, kernel_size: int, stride: int, se_ratio: float | None,
                       activation, block_id: int):
    """Expand (1x1; not in block 0), `kernel_size` depthwise (strided), optional squeeze-excite, linear 1x1
    projection to `filters`, and the residual connection where the shapes agree; named
    `expanded_conv_{block_id}_...` (`expanded_conv_...` for block 0)."""
    shortcut = x
    in_filters = x.shape[_channel_axis()]
    prefix = "expanded_conv_"
    if block_id:
        prefix = f"expanded_conv_{block_id}_"
        x = layers.Conv2D(make_divisible(in_filters * expansion), 1, padding="same", use_bias=False,
                          name=f"{prefix}expand")(x)
        x = activation(_batch_norm(f"{prefix}expand_bn")(x))
    if stride == 2:
        x = layers.ZeroPadding2D(padding=_imagenet_utils.correct_pad(x, kernel_size),
                                 name=f"{prefix}depthwise_pad")(x)
    x = layers.DepthwiseConv2D(kernel_size, strides=stride, padding="same" if stride == 1 else "valid",
                               use_bias=False, name=f"{prefix}depthwise")(x)
    x = activation(_batch_norm(f"{prefix}depthwise_bn")(x))
    if se_ratio:
        x = squeeze_excite(x, make_divisible(in_filters * expansion), se_ratio, prefix)
    x = layers.Conv2D(filters, 1, padding="same", use_bias=False, name=f"{prefix}project")(x)
    x = _batch_norm(f"{prefix}project_bn")(x)
    if stride == 1 and in_filters == filters:
        x = layers.Add(name=f"{prefix}add")([shortcut, x])
    return x


def _input_shape(model: str, input_shape: Any, input_tensor: Any) -> tuple:
    # Keras's rules: the shape of a symbolic input_tensor, else any size; at least 32x32.
    channels_first = _config.image_data_format() == "channels_first"
    if input_shape is None and input_tensor is not None and is_keras_tensor(input_tensor):
        rows, cols = input_tensor.shape[2:4] if channels_first else input_tensor.shape[1:3]
        input_shape = (3, cols, rows) if channels_first else (cols, rows, 3)
    if input_shape is None:
        input_shape = (3, None, None) if channels_first else (None, None, 3)
    rows_axis, cols_axis = _mobilenet.spatial_axes()
    rows, cols = input_shape[rows_axis], input_shape[cols_axis]
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError(TOO_SMALL.format(model=model, input_shape=input_shape))
    return tuple(input_shape)


def _mobilenet_v3(model_type: str, input_shape: Any, alpha: float, minimalistic: bool, include_top: bool,
                  weights: Any, input_tensor: Any, classes: int, pooling: str | None, dropout_rate: float,
                  classifier_activation: Any, include_preprocessing: bool, name: str) -> Functional:
    _model_frame.check_weights(name, weights, include_top, classes)
    input_shape = _input_shape(name, input_shape, input_tensor)
    if weights == "imagenet":
        if (alpha not in (0.75, 1.0)) if not minimalistic else alpha != 1.0:
            raise ValueError(PRETRAINED_ALPHA.format(model=name, alpha=alpha, minimalistic=minimalistic))
        rows_axis, cols_axis = _mobilenet.spatial_axes()
        rows, cols = input_shape[rows_axis], input_shape[cols_axis]
        if rows != cols or rows != 224:
            warnings.warn(PRETRAINED_SIZE.format(model=name, rows=rows, cols=cols), stacklevel=3)
    img_input = _model_frame.image_input(input_tensor, input_shape)
    kernel, se_ratio, activation = (3, None, _relu) if minimalistic else (5, 0.25, _hard_swish)
    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(16, 3, strides=(2, 2), padding="same", use_bias=False, name="conv")(x)
    x = activation(_batch_norm("conv_bn")(x))
    blocks = SMALL_BLOCKS if model_type == "small" else LARGE_BLOCKS
    for block_id, (expansion, filters, kernel_size, stride, se, block_activation) in enumerate(blocks):
        x = inverted_res_block(x, expansion, make_divisible(filters * alpha),
                               kernel if kernel_size == "K" else int(kernel_size), stride,
                               se_ratio if se else None, activation if block_activation == "act" else _relu,
                               block_id)
    last_conv_channels = make_divisible(x.shape[_channel_axis()] * 6)
    last_point_channels = LAST_POINT_CHANNELS[model_type]
    if alpha > 1.0:  # the classifier's hidden layer only grows with alpha
        last_point_channels = make_divisible(last_point_channels * alpha)
    x = layers.Conv2D(last_conv_channels, 1, padding="same", use_bias=False, name="conv_1")(x)
    x = activation(_batch_norm("conv_1_bn")(x))
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = activation(layers.Conv2D(last_point_channels, 1, padding="same", use_bias=True, name="conv_2")(x))
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Flatten()(layers.Conv2D(classes, 1, padding="same", name="logits")(x))
        _imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = _model_frame.global_pooling(x, pooling, avg_name="avg_pool", max_name="max_pool")
    model = _model_frame.functional_model(input_tensor, img_input, x, name)
    weights_name = f"{model_type}{'_minimalistic' if minimalistic else ''}_224_{alpha}_float"
    file_name = f"weights_mobilenet_v3_{weights_name}{'' if include_top else '_no_top_v2'}.h5"
    file_hash = WEIGHTS_HASHES.get(weights_name, (None, None))[0 if include_top else 1]
    _weights.load_weights(model, weights, origin=WEIGHTS_URL + file_name, file_hash=file_hash, file_name=file_name)
    return model


def MobileNetV3Small(input_shape: tuple | None = None, alpha: float = 1.0, minimalistic: bool = False,
                     include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     classes: int = 1000, pooling: str | None = None, dropout_rate: float = 0.2,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "MobileNetV3Small") -> Functional:
    """Instantiates MobileNetV3Small (11 blocks), optionally with its ImageNet weights.

    Inputs are RGB images with values in [0, 255]: the model rescales them itself (`include_preprocessing`),
    and `mobilenet_v3.preprocess_input` returns them unchanged. Any size of at least 32x32; the ImageNet weights
    were trained at 224x224 for `alpha` 0.75 and 1.0 (1.0 only when minimalistic).

    Args:
        input_shape: `(height, width, 3)` (channels last); None accepts any size (or the shape of
            `input_tensor`).
        alpha: width multiplier of every block's filters.
        minimalistic: without squeeze-excite, hard swish and 5x5 kernels (ReLU and 3x3 throughout), for hardware
            that lacks them.
        include_top: whether to end with the classifier ("conv_2", "logits", "predictions").
        weights: None (random), "imagenet" (downloaded once through `kerasx.utils.get_file`), or the path of a
            weights file.
        input_tensor: optional tensor to use as the image input.
        classes: number of classes of the classifier (1000 with the ImageNet weights).
        pooling: without the top: None (the 4D feature map), "avg" or "max" (global pooling to 2D).
        dropout_rate: dropout rate before the logits (0 leaves the Dropout layer out).
        classifier_activation: activation of the classifier; None gives logits. With pretrained weights only
            None or "softmax".
        include_preprocessing: whether the model starts with a `Rescaling` of [0, 255] to [-1, 1].
        name: the model's name.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import MobileNetV3Small
        >>> model = MobileNetV3Small(input_shape=(32, 32, 3), weights=None, include_top=False, pooling="avg")
        >>> model.output.shape, model.count_params()
        ((None, 576), 939120)
    """
    return _mobilenet_v3("small", input_shape, alpha, minimalistic, include_top, weights, input_tensor, classes,
                         pooling, dropout_rate, classifier_activation, include_preprocessing, name)


def MobileNetV3Large(input_shape: tuple | None = None, alpha: float = 1.0, minimalistic: bool = False,
                     include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     classes: int = 1000, pooling: str | None = None, dropout_rate: float = 0.2,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "MobileNetV3Large") -> Functional:
    """Instantiates MobileNetV3Large (15 blocks), optionally with its ImageNet weights.

    The arguments are `MobileNetV3Small`'s.

    Example:
        >>> from kerasx.applications import MobileNetV3Large
        >>> model = MobileNetV3Large(input_shape=(32, 32, 3), weights=None, minimalistic=True, classes=10)
        >>> model.output.shape
        (None, 10)
    """
    return _mobilenet_v3("large", input_shape, alpha, minimalistic, include_top, weights, input_tensor, classes,
                         pooling, dropout_rate, classifier_activation, include_preprocessing, name)
