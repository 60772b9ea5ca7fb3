"""MobileNetV2 (Sandler et al. 2018, "MobileNetV2: Inverted Residuals and Linear Bottlenecks"): 17 inverted
residual blocks (1x1 expansion, 3x3 depthwise convolution, linear 1x1 projection, a residual connection where the
shape allows), the width scaled by `alpha`.

Layer names, order and weights are Keras 3's, so Keras's weight files load by layer order.
"""

from __future__ import annotations

from typing import Any

from kerasx import layers
from kerasx.applications import _classifier_head, _imagenet_utils, _mobilenet, _model_frame, _weights
from kerasx.backend import _config, is_keras_tensor
from kerasx.models import Functional

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"
PRETRAINED_SIZES = (96, 128, 160, 192, 224)
PRETRAINED_ALPHAS = (0.35, 0.50, 0.75, 1.0, 1.3, 1.4)
# (filters, stride, expansion) of blocks 0 .. 16.
BLOCKS = ((16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6), (64, 1, 6),
          (64, 1, 6), (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6), (160, 2, 6), (160, 1, 6), (160, 1, 6),
          (320, 1, 6))
BN_MOMENTUM = 0.999

SHAPE_MISMATCH = (
    "MobileNetV2: `input_shape` and the shape of `input_tensor` disagree. Received: input_shape={input_shape}, "
    "input_tensor.shape={tensor_shape}. Pass one of them, or shapes that agree."
)


def make_divisible(value: float, divisor: int = 8, min_value: int | None = None) -> int:
    """`value` rounded to the nearest multiple of `divisor` (at least `min_value`, by default `divisor`), and
    one `divisor` more when rounding lost over 10%."""
    min_value = divisor if min_value is None else min_value
    rounded = max(min_value, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


def _channel_axis() -> int:
    return 1 if _config.image_data_format() == "channels_first" else -1


def _batch_norm(name: str):
    return layers.BatchNormalization(axis=_channel_axis(), epsilon=1e-3, momentum=BN_MOMENTUM, name=name)


def inverted_res_block(x, expansion: int, stride: int, alpha: float, filters: int, block_id: int):
    """Expand (1x1, `expansion` times the channels; not in block 0), 3x3 depthwise (strided), project linearly
    to `alpha * filters` channels (rounded to a multiple of 8), and add `x` when the shapes agree; named
    `block_{block_id}_...` (`expanded_conv_...` for block 0)."""
    in_channels = x.shape[_channel_axis()]
    pointwise_filters = make_divisible(int(filters * alpha), 8)
    inputs = x
    prefix = f"block_{block_id}_" if block_id else "expanded_conv_"
    if block_id:
        x = layers.Conv2D(expansion * in_channels, 1, padding="same", use_bias=False, name=f"{prefix}expand")(x)
        x = layers.ReLU(6.0, name=f"{prefix}expand_relu")(_batch_norm(f"{prefix}expand_BN")(x))
    if stride == 2:
        x = layers.ZeroPadding2D(padding=_imagenet_utils.correct_pad(x, 3), name=f"{prefix}pad")(x)
    x = layers.DepthwiseConv2D(3, strides=stride, use_bias=False, padding="same" if stride == 1 else "valid",
                               name=f"{prefix}depthwise")(x)
    x = layers.ReLU(6.0, name=f"{prefix}depthwise_relu")(_batch_norm(f"{prefix}depthwise_BN")(x))
    x = layers.Conv2D(pointwise_filters, 1, padding="same", use_bias=False, name=f"{prefix}project")(x)
    x = _batch_norm(f"{prefix}project_BN")(x)
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=f"{prefix}add")([inputs, x])
    return x


def _input_shape_from_tensor(input_shape: Any, input_tensor: Any) -> Any:
    # An input_tensor without input_shape gives its shape; both given must agree on the image size.
    if input_tensor is None:
        return input_shape
    tensor_shape = tuple(input_tensor.shape) if is_keras_tensor(input_tensor) else None
    if tensor_shape is None:
        return input_shape
    if input_shape is None:
        return tensor_shape[1:]
    rows_axis, cols_axis = _mobilenet.spatial_axes()
    if tuple(input_shape)[rows_axis:cols_axis + 1] != tensor_shape[rows_axis + 1:cols_axis + 2]:
        raise ValueError(SHAPE_MISMATCH.format(input_shape=input_shape, tensor_shape=tensor_shape))
    return input_shape


def MobileNetV2(input_shape: tuple | None = None, alpha: float = 1.0, include_top: bool = True,
                weights: Any = "imagenet", input_tensor: Any = None, pooling: str | None = None,
                classes: int = 1000, classifier_activation: Any = "softmax",
                name: str | None = None) -> Functional:
    """Instantiates MobileNetV2, optionally with its ImageNet weights.

    Inputs are RGB images scaled to [-1, 1] (`mobilenet_v2.preprocess_input`); the default size is 224x224, the
    smallest 32x32. ImageNet weights exist for square inputs of 96, 128, 160, 192 or 224 pixels (others get the
    224 ones, with a warning) and for `alpha` in 0.35, 0.5, 0.75, 1.0, 1.3, 1.4.

    Args:
        input_shape: `(height, width, 3)` (channels last) when `include_top=False` or `weights` is not
            "imagenet"; height and width at least 32. Taken from `input_tensor` when that is given alone.
        alpha: width multiplier of every layer's filters (1.0 is the paper's network).
        include_top: whether to end with the classifier (global average pooling and "predictions").
        weights: None (random), "imagenet" (downloaded once through `kerasx.utils.get_file`), or the path of a
            weights file.
        input_tensor: optional tensor to use as the image input.
        pooling: without the top: None (the 4D feature map), "avg" or "max" (global pooling to 2D).
        classes: number of classes of the classifier (1000 with the ImageNet weights).
        classifier_activation: activation of the classifier; None gives logits. With pretrained weights only
            None or "softmax".
        name: the model's name; None gives `mobilenetv2_{alpha:0.2f}_{rows}`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import MobileNetV2
        >>> model = MobileNetV2(input_shape=(32, 32, 3), alpha=0.35, weights=None, include_top=False, pooling="avg")
        >>> model.name, model.output.shape, model.count_params()
        ('mobilenetv2_0.35_32', (None, 1280), 410208)
    """
    _model_frame.check_weights("MobileNetV2", weights, include_top, classes)
    input_shape = _input_shape_from_tensor(input_shape, input_tensor)
    size = _mobilenet.default_size(input_shape, PRETRAINED_SIZES)
    input_shape = _imagenet_utils.obtain_input_shape(input_shape, default_size=size, min_size=32,
                                                     data_format=_config.image_data_format(),
                                                     require_flatten=include_top, weights=weights)
    rows = _mobilenet.pretrained_rows("MobileNetV2", weights, alpha, PRETRAINED_ALPHAS, input_shape,
                                      PRETRAINED_SIZES)
    img_input = _model_frame.image_input(input_tensor, input_shape)
    x = layers.Conv2D(make_divisible(32 * alpha, 8), 3, strides=(2, 2), padding="same", use_bias=False,
                      name="Conv1")(img_input)
    x = layers.ReLU(6.0, name="Conv1_relu")(_batch_norm("bn_Conv1")(x))
    for block_id, (filters, stride, expansion) in enumerate(BLOCKS):
        x = inverted_res_block(x, expansion, stride, alpha, filters, block_id)
    # The last 1x1 convolution only grows with alpha, never shrinks: small models keep 1280 features.
    last_filters = make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_filters, 1, use_bias=False, name="Conv_1")(x)
    x = layers.ReLU(6.0, name="out_relu")(_batch_norm("Conv_1_bn")(x))
    x = _classifier_head.dense_classifier(x, include_top, pooling, classes, classifier_activation, weights,
                                          top_pool_name=None, avg_name=None, max_name=None)
    model = _model_frame.functional_model(input_tensor, img_input, x, name or f"mobilenetv2_{alpha:0.2f}_{rows}")
    file_name = (f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}"
                 f"{'' if include_top else '_no_top'}.h5")
    # Keras publishes no hash for these files: none is checked.
    _weights.load_weights(model, weights, origin=WEIGHTS_URL + file_name, file_hash=None, file_name=file_name)
    return model
