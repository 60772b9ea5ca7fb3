"""EfficientNetV2 B0 to B3, S, M and L (Tan & Le 2021, "EfficientNetV2: Smaller Models and Faster Training"):
fused inverted bottlenecks (one full convolution instead of 1x1 expansion + depthwise) in the early stages,
mobile inverted bottlenecks with squeeze-and-excitation later.

With `include_preprocessing` (the default) the models take RGB images with values 0-255. Layer names, order and
weights are Keras 3's, so Keras's weight files load by layer order.
"""

from __future__ import annotations

import math
from typing import Any

from kerasx import initializers, layers
from kerasx.applications import _imagenet_utils, _model_frame, _weights
from kerasx.applications._efficientnet import CONV_KERNEL_INITIALIZER, DENSE_KERNEL_INITIALIZER, squeeze_excite
from kerasx.backend import _config
from kerasx.models import Functional

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/efficientnet_v2/"
WEIGHTS_HASHES = {  # variant -> (md5 with the top, md5 without)
    "b0": ("21ecbf6da12460d5c40bb2f29ceb2188", "893217f2bb855e2983157299931e43ff"),
    "b1": ("069f0534ff22adf035c89e2d9547a9dc", "0e80663031ca32d657f9caa404b6ec37"),
    "b2": ("424e49f28180edbde1e94797771950a7", "1dfe2e7a5d45b6632553a8961ea609eb"),
    "b3": ("1f1fc43bd98a6e4fd8fdfd551e02c7a0", "f6abf7b5849ac99a89b50dd3fd532856"),
    "-s": ("e1d88a8495beba45748fedd0cecbe016", "af0682fb74e8c54910f2d4393339c070"),
    "-m": ("a3bf6aa3276309f4fc6a34aa114c95cd", "1b8dc055df72dde80d614482840fe342"),
    "-l": ("27e6d408b53c7ebc868fefa357689935", "b0b66b5c863aef5b46e8608fe1711615"),
}
# The B0-B3 stages (scaled by width and depth): (conv type: 1 fused / 0 MBConv, kernel size, repeats,
# filters in, filters out, expand ratio, squeeze-excite ratio, strides).
B_STAGES = [
    (1, 3, 1, 32, 16, 1, 0, 1),
    (1, 3, 2, 16, 32, 4, 0, 2),
    (1, 3, 2, 32, 48, 4, 0, 2),
    (0, 3, 3, 48, 96, 4, 0.25, 2),
    (0, 3, 5, 96, 112, 6, 0.25, 1),
    (0, 3, 8, 112, 192, 6, 0.25, 2),
]
STAGES = {
    "efficientnetv2-b0": B_STAGES,
    "efficientnetv2-b1": B_STAGES,
    "efficientnetv2-b2": B_STAGES,
    "efficientnetv2-b3": B_STAGES,
    "efficientnetv2-s": [
        (1, 3, 2, 24, 24, 1, 0, 1),
        (1, 3, 4, 24, 48, 4, 0, 2),
        (1, 3, 4, 48, 64, 4, 0, 2),
        (0, 3, 6, 64, 128, 4, 0.25, 2),
        (0, 3, 9, 128, 160, 6, 0.25, 1),
        (0, 3, 15, 160, 256, 6, 0.25, 2),
    ],
    "efficientnetv2-m": [
        (1, 3, 3, 24, 24, 1, 0, 1),
        (1, 3, 5, 24, 48, 4, 0, 2),
        (1, 3, 5, 48, 80, 4, 0, 2),
        (0, 3, 7, 80, 160, 4, 0.25, 2),
        (0, 3, 14, 160, 176, 6, 0.25, 1),
        (0, 3, 18, 176, 304, 6, 0.25, 2),
        (0, 3, 5, 304, 512, 6, 0.25, 1),
    ],
    "efficientnetv2-l": [
        (1, 3, 4, 32, 32, 1, 0, 1),
        (1, 3, 7, 32, 64, 4, 0, 2),
        (1, 3, 7, 64, 96, 4, 0, 2),
        (0, 3, 10, 96, 192, 4, 0.25, 2),
        (0, 3, 19, 192, 224, 6, 0.25, 1),
        (0, 3, 25, 224, 384, 6, 0.25, 2),
        (0, 3, 7, 384, 640, 6, 0.25, 1),
    ],
}
DEFAULT_BLOCKS_ARGS = {
    model: [
        {"conv_type": c, "kernel_size": k, "num_repeat": r, "input_filters": fi, "output_filters": fo,
         "expand_ratio": e, "se_ratio": se, "strides": s}
        for c, k, r, fi, fo, e, se, s in stages
    ]
    for model, stages in STAGES.items()
}
# variant -> (width coefficient, depth coefficient, default image size, model name)
SCALING = {
    "b0": (1.0, 1.0, 224, "efficientnetv2-b0"),
    "b1": (1.0, 1.1, 240, "efficientnetv2-b1"),
    "b2": (1.1, 1.2, 260, "efficientnetv2-b2"),
    "b3": (1.2, 1.4, 300, "efficientnetv2-b3"),
    "-s": (1.0, 1.0, 384, "efficientnetv2-s"),
    "-m": (1.0, 1.0, 480, "efficientnetv2-m"),
    "-l": (1.0, 1.0, 480, "efficientnetv2-l"),
}
IMAGENET_MEAN_RGB = [0.485, 0.456, 0.406]
IMAGENET_VARIANCE_RGB = [0.229**2, 0.224**2, 0.225**2]

NO_REPEATS = "EfficientNetV2 stages need at least one block. Received: num_repeat={repeats} in blocks_args."
UNKNOWN_MODEL = (
    "EfficientNetV2 has no default blocks for model {name!r}: pass `blocks_args`, or name one of {known}."
)


def _bn_axis() -> int:
    return 3 if _config.image_data_format() == "channels_last" else 1


def round_filters(filters: float, width_coefficient: float, min_depth: int | None, depth_divisor: int) -> int:
    """`filters * width_coefficient` rounded to the nearest multiple of `depth_divisor`, at least `min_depth`."""
    filters *= width_coefficient
    minimum = min_depth or depth_divisor
    return int(max(minimum, int(filters + depth_divisor / 2) // depth_divisor * depth_divisor))


def _conv_bn_act(x, filters: int, kernel_size: int, strides: int, bn_momentum: float, activation: Any, name: str):
    x = layers.Conv2D(filters, kernel_size=kernel_size, strides=strides, kernel_initializer=CONV_KERNEL_INITIALIZER,
                      padding="same", data_format=_config.image_data_format(), use_bias=False,
                      name=f"{name}expand_conv")(x)
    x = layers.BatchNormalization(axis=_bn_axis(), momentum=bn_momentum, name=f"{name}expand_bn")(x)
    return layers.Activation(activation, name=f"{name}expand_activation")(x)


def _residual(x, inputs, strides: int, input_filters: int, output_filters: int, survival_probability: float,
              name: str):
    # Same shape: add the input back. Keras 3 drops the branch per sample with a *rate* equal to what it calls
    # the survival probability (0 for the first block, growing to drop_connect_rate); kept as is so that models
    # train as Keras's do.
    if strides == 1 and input_filters == output_filters:
        if survival_probability:
            x = layers.Dropout(survival_probability, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def MBConvBlock(input_filters: int, output_filters: int, expand_ratio: int = 1, kernel_size: int = 3,
                strides: int = 1, se_ratio: float = 0.0, bn_momentum: float = 0.9, activation: Any = "swish",
                survival_probability: float = 0.8, name: str = ""):
    """A mobile inverted bottleneck (1x1 expansion, depthwise convolution, squeeze-and-excitation, 1x1
    projection, residual): returns the function that applies it to a tensor."""

    def apply(inputs):
        filters = input_filters * expand_ratio
        x = inputs
        if expand_ratio != 1:
            x = _conv_bn_act(x, filters, 1, 1, bn_momentum, activation, name)
        x = layers.DepthwiseConv2D(kernel_size=kernel_size, strides=strides,
                                   depthwise_initializer=CONV_KERNEL_INITIALIZER, padding="same",
                                   data_format=_config.image_data_format(), use_bias=False, name=f"{name}dwconv2")(x)
        x = layers.BatchNormalization(axis=_bn_axis(), momentum=bn_momentum, name=f"{name}bn")(x)
        x = layers.Activation(activation, name=f"{name}activation")(x)
        if 0 < se_ratio <= 1:
            x = squeeze_excite(x, filters, max(1, int(input_filters * se_ratio)), activation, name)
        x = layers.Conv2D(output_filters, kernel_size=1, strides=1, kernel_initializer=CONV_KERNEL_INITIALIZER,
                          padding="same", data_format=_config.image_data_format(), use_bias=False,
                          name=f"{name}project_conv")(x)
        x = layers.BatchNormalization(axis=_bn_axis(), momentum=bn_momentum, name=f"{name}project_bn")(x)
        return _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name)

    return apply


def FusedMBConvBlock(input_filters: int, output_filters: int, expand_ratio: int = 1, kernel_size: int = 3,
                     strides: int = 1, se_ratio: float = 0.0, bn_momentum: float = 0.9, activation: Any = "swish",
                     survival_probability: float = 0.8, name: str = ""):
    """A fused inverted bottleneck (one full `kernel_size` expansion convolution, optional squeeze-and-excitation,
    1x1 projection, residual): returns the function that applies it to a tensor."""

    def apply(inputs):
        filters = input_filters * expand_ratio
        x = inputs
        if expand_ratio != 1:
            x = _conv_bn_act(x, filters, kernel_size, strides, bn_momentum, activation, name)
        if 0 < se_ratio <= 1:
            x = squeeze_excite(x, filters, max(1, int(input_filters * se_ratio)), activation, name)
        # Without expansion the projection is the block's only convolution, so it takes the kernel and stride.
        x = layers.Conv2D(output_filters, kernel_size=1 if expand_ratio != 1 else kernel_size,
                          strides=1 if expand_ratio != 1 else strides, kernel_initializer=CONV_KERNEL_INITIALIZER,
                          padding="same", use_bias=False, name=f"{name}project_conv")(x)
        x = layers.BatchNormalization(axis=_bn_axis(), momentum=bn_momentum, name=f"{name}project_bn")(x)
        if expand_ratio == 1:
            x = layers.Activation(activation=activation, name=f"{name}project_activation")(x)
        return _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name)

    return apply


def _preprocessing(x, variant_name: str, num_channels: int, bn_axis: int):
    # The B models were trained on ImageNet-standardized images, the S/M/L models on images scaled to [-1, 1].
    if variant_name.split("-")[-1].startswith("b") and num_channels == 3:
        x = layers.Rescaling(scale=1.0 / 255)(x)
        return layers.Normalization(mean=IMAGENET_MEAN_RGB, variance=IMAGENET_VARIANCE_RGB, axis=bn_axis)(x)
    return layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)


def EfficientNetV2(width_coefficient: float, depth_coefficient: float, default_size: int, dropout_rate: float = 0.2,
                   drop_connect_rate: float = 0.2, depth_divisor: int = 8, min_depth: int = 8,
                   bn_momentum: float = 0.9, activation: Any = "swish", blocks_args: Any = "default",
                   name: str = "efficientnetv2", include_top: bool = True, weights: Any = "imagenet",
                   input_tensor: Any = None, input_shape: tuple | None = None, pooling: str | None = None,
                   classes: int = 1000, classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                   weights_name: str | None = None, model_name: str | None = None) -> Functional:
    """An EfficientNetV2 of any scaling. `model_name` ("efficientnetv2-b0" ... "efficientnetv2-l") picks the
    default blocks and the preprocessing; it defaults to `name`, as Keras 3 reads both from `name`."""
    model_name = name if model_name is None else model_name
    if blocks_args == "default":
        if model_name not in DEFAULT_BLOCKS_ARGS:
            raise ValueError(UNKNOWN_MODEL.format(name=model_name, known=sorted(DEFAULT_BLOCKS_ARGS)))
        blocks_args = DEFAULT_BLOCKS_ARGS[model_name]
    _model_frame.check_weights(name, weights, include_top, classes)
    input_shape = _imagenet_utils.obtain_input_shape(input_shape, default_size=default_size, min_size=32,
                                                     data_format=_config.image_data_format(),
                                                     require_flatten=include_top, weights=weights)
    img_input = _model_frame.image_input(input_tensor, input_shape)
    bn_axis = _bn_axis()
    x = img_input
    if include_preprocessing:
        x = _preprocessing(x, model_name, input_shape[bn_axis - 1], bn_axis)

    def scaled_filters(filters: float) -> int:
        return round_filters(filters, width_coefficient, min_depth, depth_divisor)

    x = layers.Conv2D(scaled_filters(blocks_args[0]["input_filters"]), kernel_size=3, strides=2,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, padding="same", use_bias=False, name="stem_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, momentum=bn_momentum, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)

    # The drop rate grows with the block index over the *unscaled* number of blocks, as in Keras 3.
    num_blocks = float(sum(args["num_repeat"] for args in blocks_args))
    block_index = 0
    for stage, stage_args in enumerate(blocks_args):
        if stage_args["num_repeat"] <= 0:
            raise ValueError(NO_REPEATS.format(repeats=stage_args["num_repeat"]))
        args = {key: value for key, value in stage_args.items() if key not in ("conv_type", "num_repeat")}
        args["input_filters"] = scaled_filters(args["input_filters"])
        args["output_filters"] = scaled_filters(args["output_filters"])
        make_block = FusedMBConvBlock if stage_args["conv_type"] == 1 else MBConvBlock
        for repeat in range(int(math.ceil(depth_coefficient * stage_args["num_repeat"]))):
            if repeat > 0:
                args["strides"] = 1
                args["input_filters"] = args["output_filters"]
            x = make_block(activation=activation, bn_momentum=bn_momentum,
                           survival_probability=drop_connect_rate * block_index / num_blocks,
                           name=f"block{stage + 1}{chr(repeat + 97)}_", **args)(x)
            block_index += 1

    x = layers.Conv2D(scaled_filters(1280), kernel_size=1, strides=1, kernel_initializer=CONV_KERNEL_INITIALIZER,
                      padding="same", data_format=_config.image_data_format(), use_bias=False, name="top_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, momentum=bn_momentum, name="top_bn")(x)
    x = layers.Activation(activation=activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        _imagenet_utils.validate_activation(classifier_activation, weights)
        kernel_initializer: Any = DENSE_KERNEL_INITIALIZER
        bias_initializer: Any = initializers.Constant(0.0)
        x = layers.Dense(classes, activation=classifier_activation, kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer, name="predictions")(x)
    else:
        x = _model_frame.global_pooling(x, pooling, avg_name="avg_pool", max_name="max_pool")
    model = _model_frame.functional_model(input_tensor, img_input, x, name)
    if weights == "imagenet":
        file_name = name + (".h5" if include_top else "_notop.h5")
        file_hash = WEIGHTS_HASHES[str(weights_name)][0 if include_top else 1]
        _weights.load_weights(model, weights, WEIGHTS_URL + file_name, file_hash, file_name)
    elif weights is not None:
        model.load_weights(weights)
    return model


def _scaled(variant: str, include_top: bool, weights: Any, input_tensor: Any, input_shape: tuple | None,
            pooling: str | None, classes: int, classifier_activation: Any, include_preprocessing: bool,
            name: str) -> Functional:
    width, depth, size, model_name = SCALING[variant]
    return EfficientNetV2(width_coefficient=width, depth_coefficient=depth, default_size=size, name=name,
                          include_top=include_top, weights=weights, input_tensor=input_tensor,
                          input_shape=input_shape, pooling=pooling, classes=classes,
                          classifier_activation=classifier_activation, include_preprocessing=include_preprocessing,
                          weights_name=variant, model_name=model_name)


def EfficientNetV2B0(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-b0") -> Functional:
    """Instantiates EfficientNetV2-B0 (7.2M parameters with the classifier), optionally with its ImageNet weights.

    With `include_preprocessing` it takes RGB images with values 0-255 (224x224 by default, at least 32x32)
    and scales and normalizes them with ImageNet's statistics itself (`efficientnet_v2.preprocess_input` returns
    its input unchanged).

    Args:
        include_top: whether to end with the classifier ("avg_pool", "top_dropout", "predictions").
        weights: None (random), "imagenet" (downloaded once through `kerasx.utils.get_file`), or the path of a
            weights file.
        input_tensor: optional symbolic tensor to use as the image input.
        input_shape: `(height, width, channels)` (channels last) when `include_top=False` or `weights` is not
            "imagenet"; height and width at least 32.
        pooling: without the top: None (the 4D feature map), "avg" or "max" (global pooling to 2D).
        classes: number of classes of the classifier (1000 with the ImageNet weights).
        classifier_activation: activation of the classifier; None gives logits. With pretrained weights only
            None or "softmax".
        include_preprocessing: whether the model starts with its input scaling (then it takes values 0-255);
            without it, pass images already preprocessed as the weights expect.
        name: the model's name (and, with weights="imagenet", the name of the weights file fetched). Unlike in
            Keras 3, where another name fails with a KeyError, a renamed model keeps its architecture.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import EfficientNetV2B0
        >>> model = EfficientNetV2B0(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
        >>> model.output.shape, model.count_params()
        ((None, 1280), 5919312)
    """
    return _scaled("b0", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                   include_preprocessing, name)


def EfficientNetV2B1(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-b1") -> Functional:
    """Instantiates EfficientNetV2-B1 (8.2M parameters with the classifier), optionally with its ImageNet weights.

    With `include_preprocessing` it takes RGB images with values 0-255 (240x240 by default, at least 32x32)
    and scales and normalizes them with ImageNet's statistics itself (`efficientnet_v2.preprocess_input` returns
    its input unchanged).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
            include_preprocessing, name: as for `EfficientNetV2B0`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import EfficientNetV2B1
        >>> EfficientNetV2B1(weights="imagenet", classes=10)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: efficientnetv2-b1: the ImageNet classifier has 1000 classes, ...
    """
    return _scaled("b1", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                   include_preprocessing, name)


def EfficientNetV2B2(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-b2") -> Functional:
    """Instantiates EfficientNetV2-B2 (10.2M parameters with the classifier), optionally with its ImageNet weights.

    With `include_preprocessing` it takes RGB images with values 0-255 (260x260 by default, at least 32x32)
    and scales and normalizes them with ImageNet's statistics itself (`efficientnet_v2.preprocess_input` returns
    its input unchanged).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
            include_preprocessing, name: as for `EfficientNetV2B0`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import EfficientNetV2B2
        >>> EfficientNetV2B2(weights="imagenet", classes=10)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: efficientnetv2-b2: the ImageNet classifier has 1000 classes, ...
    """
    return _scaled("b2", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                   include_preprocessing, name)


def EfficientNetV2B3(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-b3") -> Functional:
    """Instantiates EfficientNetV2-B3 (14.5M parameters with the classifier), optionally with its ImageNet weights.

    With `include_preprocessing` it takes RGB images with values 0-255 (300x300 by default, at least 32x32)
    and scales and normalizes them with ImageNet's statistics itself (`efficientnet_v2.preprocess_input` returns
    its input unchanged).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
            include_preprocessing, name: as for `EfficientNetV2B0`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import EfficientNetV2B3
        >>> EfficientNetV2B3(weights="imagenet", classes=10)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: efficientnetv2-b3: the ImageNet classifier has 1000 classes, ...
    """
    return _scaled("b3", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                   include_preprocessing, name)


def EfficientNetV2S(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-s") -> Functional:
    """Instantiates EfficientNetV2-S (21.6M parameters with the classifier), optionally with its ImageNet weights.

    With `include_preprocessing` it takes RGB images with values 0-255 (384x384 by default, at least 32x32)
    and scales them to [-1, 1] itself (`efficientnet_v2.preprocess_input` returns its input unchanged).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
            include_preprocessing, name: as for `EfficientNetV2B0`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import EfficientNetV2S
        >>> EfficientNetV2S(weights="imagenet", classes=10)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: efficientnetv2-s: the ImageNet classifier has 1000 classes, ...
    """
    return _scaled("-s", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                   include_preprocessing, name)


def EfficientNetV2M(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-m") -> Functional:
    """Instantiates EfficientNetV2-M (54.4M parameters with the classifier), optionally with its ImageNet weights.

    With `include_preprocessing` it takes RGB images with values 0-255 (480x480 by default, at least 32x32)
    and scales them to [-1, 1] itself (`efficientnet_v2.preprocess_input` returns its input unchanged).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
            include_preprocessing, name: as for `EfficientNetV2B0`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import EfficientNetV2M
        >>> EfficientNetV2M(weights="imagenet", classes=10)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: efficientnetv2-m: the ImageNet classifier has 1000 classes, ...
    """
    return _scaled("-m", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                   include_preprocessing, name)


def EfficientNetV2L(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                     input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                     classifier_activation: Any = "softmax", include_preprocessing: bool = True,
                     name: str = "efficientnetv2-l") -> Functional:
    """Instantiates EfficientNetV2-L (119.0M parameters with the classifier), optionally with its ImageNet weights.

    With `include_preprocessing` it takes RGB images with values 0-255 (480x480 by default, at least 32x32)
    and scales them to [-1, 1] itself (`efficientnet_v2.preprocess_input` returns its input unchanged).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
            include_preprocessing, name: as for `EfficientNetV2B0`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import EfficientNetV2L
        >>> EfficientNetV2L(weights="imagenet", classes=10)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: efficientnetv2-l: the ImageNet classifier has 1000 classes, ...
    """
    return _scaled("-l", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                   include_preprocessing, name)
