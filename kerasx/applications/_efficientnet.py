"""EfficientNet B0 to B7 (Tan & Le 2019, "EfficientNet: Rethinking Model Scaling for Convolutional Neural
Networks"): one base network of mobile inverted bottlenecks with squeeze-and-excitation, scaled in width, depth
and resolution together.

The models take RGB images with values 0-255: their first layers rescale and normalize them. Layer names, order
and weights are Keras 3's, so Keras's weight files load by layer order.
"""

from __future__ import annotations

import math
from typing import Any

from kerasx import layers
from kerasx.applications import _imagenet_utils, _model_frame, _weights
from kerasx.backend import _config
from kerasx.models import Functional

WEIGHTS_URL = "https://storage.googleapis.com/keras-applications/"
WEIGHTS_HASHES = {  # variant -> (md5 with the top, md5 without)
    "b0": ("902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
    "b1": ("1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
    "b2": ("b15cce36ff4dcbd00b6dd88e7857a6ad", "111f8e2ac8aa800a7a99e3239f7bfb39"),
    "b3": ("ffd1fdc53d0ce67064dc6a9c7960ede0", "af6d107764bb5b1abb91932881670226"),
    "b4": ("18c95ad55216b8f92d7e70b3a046e2fc", "ebc24e6d6c33eaebbd558eafbeedf1ba"),
    "b5": ("ace28f2a6363774853a83a0b21b9421a", "38879255a25d3c92d5e44e04ae6cec6f"),
    "b6": ("165f6e37dce68623721b423839de8be5", "9ecce42647a20130c1f39a5d4cb75743"),
    "b7": ("8c03f828fec3ef71311cd463b6759d99", "cbcfe4450ddf6f3ad90b1b398090fe4a"),
}
# variant -> (width coefficient, depth coefficient, default image size, dropout rate before the classifier)
SCALING = {
    "b0": (1.0, 1.0, 224, 0.2),
    "b1": (1.0, 1.1, 240, 0.2),
    "b2": (1.1, 1.2, 260, 0.3),
    "b3": (1.2, 1.4, 300, 0.3),
    "b4": (1.4, 1.8, 380, 0.4),
    "b5": (1.6, 2.2, 456, 0.4),
    "b6": (1.8, 2.6, 528, 0.5),
    "b7": (2.0, 3.1, 600, 0.5),
}
# The B0 stages: (kernel size, repeats, filters in, filters out, expand ratio, strides); every block has
# squeeze-and-excitation (ratio 0.25) and an identity skip where the shape allows.
BASE_STAGES = [
    (3, 1, 32, 16, 1, 1),
    (3, 2, 16, 24, 6, 2),
    (5, 2, 24, 40, 6, 2),
    (3, 3, 40, 80, 6, 2),
    (5, 3, 80, 112, 6, 1),
    (5, 4, 112, 192, 6, 2),
    (3, 1, 192, 320, 6, 1),
]
DEFAULT_BLOCKS_ARGS = [
    {"kernel_size": k, "repeats": r, "filters_in": fi, "filters_out": fo, "expand_ratio": e, "id_skip": True,
     "strides": s, "se_ratio": 0.25}
    for k, r, fi, fo, e, s in BASE_STAGES
]
CONV_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"},
}
DENSE_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"},
}
# The pretrained weights expect inputs divided by ImageNet's per-channel standard deviation after the
# normalization layer (whose variance the weight file sets); this extra rescaling is only added for them.
IMAGENET_STDDEV_RGB = [0.229, 0.224, 0.225]

NO_REPEATS = "EfficientNet stages need at least one block. Received: repeats={repeats} in blocks_args."


def _bn_axis() -> int:
    return 3 if _config.image_data_format() == "channels_last" else 1


def block(inputs, activation: Any = "swish", drop_rate: float = 0.0, name: str = "", filters_in: int = 32,
          filters_out: int = 16, kernel_size: int = 3, strides: int = 1, expand_ratio: int = 1,
          se_ratio: float = 0.0, id_skip: bool = True):
    """One mobile inverted bottleneck: 1x1 expansion, depthwise convolution, squeeze-and-excitation, 1x1
    projection, and (same shape, `id_skip`) a residual connection whose branch is dropped per sample at
    `drop_rate` while training. Layers are named `{name}expand_conv`, `{name}dwconv`, ... as in Keras."""
    bn_axis = _bn_axis()
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = layers.Conv2D(filters, 1, padding="same", use_bias=False, kernel_initializer=CONV_KERNEL_INITIALIZER,
                          name=f"{name}expand_conv")(x)
        x = layers.BatchNormalization(axis=bn_axis, name=f"{name}expand_bn")(x)
        x = layers.Activation(activation, name=f"{name}expand_activation")(x)
    conv_padding = "same"
    if strides == 2:
        x = layers.ZeroPadding2D(padding=_imagenet_utils.correct_pad(x, kernel_size), name=f"{name}dwconv_pad")(x)
        conv_padding = "valid"
    x = layers.DepthwiseConv2D(kernel_size, strides=strides, padding=conv_padding, use_bias=False,
                               depthwise_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}dwconv")(x)
    x = layers.BatchNormalization(axis=bn_axis, name=f"{name}bn")(x)
    x = layers.Activation(activation, name=f"{name}activation")(x)
    if 0 < se_ratio <= 1:
        x = squeeze_excite(x, filters, max(1, int(filters_in * se_ratio)), activation, name)
    x = layers.Conv2D(filters_out, 1, padding="same", use_bias=False, kernel_initializer=CONV_KERNEL_INITIALIZER,
                      name=f"{name}project_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, name=f"{name}project_bn")(x)
    if id_skip and strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
        x = layers.add([x, inputs], name=f"{name}add")
    return x


def squeeze_excite(x, filters: int, filters_se: int, activation: Any, name: str):
    """Channel attention: the pooled features through a `filters_se` bottleneck and a sigmoid, multiplied back
    onto `x` (layers `{name}se_squeeze` ... `{name}se_excite`)."""
    se = layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se_shape = (1, 1, filters) if _bn_axis() == 3 else (filters, 1, 1)
    se = layers.Reshape(se_shape, name=f"{name}se_reshape")(se)
    se = layers.Conv2D(filters_se, 1, padding="same", activation=activation,
                       kernel_initializer=CONV_KERNEL_INITIALIZER, name=f"{name}se_reduce")(se)
    se = layers.Conv2D(filters, 1, padding="same", activation="sigmoid", kernel_initializer=CONV_KERNEL_INITIALIZER,
                       name=f"{name}se_expand")(se)
    return layers.multiply([x, se], name=f"{name}se_excite")


def EfficientNet(width_coefficient: float, depth_coefficient: float, default_size: int, dropout_rate: float = 0.2,
                 drop_connect_rate: float = 0.2, depth_divisor: int = 8, activation: Any = "swish",
                 blocks_args: Any = "default", name: str = "efficientnet", include_top: bool = True,
                 weights: Any = "imagenet", input_tensor: Any = None, input_shape: tuple | None = None,
                 pooling: str | None = None, classes: int = 1000, classifier_activation: Any = "softmax",
                 weights_name: str | None = None) -> Functional:
    """An EfficientNet of any scaling: widths multiplied by `width_coefficient` (rounded to `depth_divisor`),
    block repeats by `depth_coefficient` (rounded up); the drop-connect rate grows linearly over the blocks from 0
    to `drop_connect_rate`. `EfficientNetB0` ... `B7` are the published settings."""
    if blocks_args == "default":
        blocks_args = DEFAULT_BLOCKS_ARGS
    _model_frame.check_weights(name, weights, include_top, classes)
    input_shape = _imagenet_utils.obtain_input_shape(input_shape, default_size=default_size, min_size=32,
                                                     data_format=_config.image_data_format(),
                                                     require_flatten=include_top, weights=weights)
    img_input = _model_frame.image_input(input_tensor, input_shape)
    bn_axis = _bn_axis()

    def round_filters(filters: float) -> int:
        filters *= width_coefficient
        rounded = max(depth_divisor, int(filters + depth_divisor / 2) // depth_divisor * depth_divisor)
        if rounded < 0.9 * filters:  # never round down by more than 10%
            rounded += depth_divisor
        return int(rounded)

    def round_repeats(repeats: int) -> int:
        return int(math.ceil(depth_coefficient * repeats))

    x = layers.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Normalization(axis=bn_axis)(x)
    if weights == "imagenet":
        x = layers.Rescaling([1.0 / math.sqrt(stddev) for stddev in IMAGENET_STDDEV_RGB])(x)
    x = layers.ZeroPadding2D(padding=_imagenet_utils.correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(round_filters(32), 3, strides=2, padding="valid", use_bias=False,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, name="stem_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)

    num_blocks = float(sum(round_repeats(args["repeats"]) for args in blocks_args))
    block_index = 0
    for stage, stage_args in enumerate(blocks_args):
        if stage_args["repeats"] <= 0:
            raise ValueError(NO_REPEATS.format(repeats=stage_args["repeats"]))
        args = {key: value for key, value in stage_args.items() if key != "repeats"}
        args["filters_in"] = round_filters(args["filters_in"])
        args["filters_out"] = round_filters(args["filters_out"])
        for repeat in range(round_repeats(stage_args["repeats"])):
            if repeat > 0:  # only a stage's first block changes the size and the width
                args["strides"] = 1
                args["filters_in"] = args["filters_out"]
            x = block(x, activation, drop_connect_rate * block_index / num_blocks,
                      name=f"block{stage + 1}{chr(repeat + 97)}_", **args)
            block_index += 1

    x = layers.Conv2D(round_filters(1280), 1, padding="same", use_bias=False,
                      kernel_initializer=CONV_KERNEL_INITIALIZER, name="top_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, name="top_bn")(x)
    x = layers.Activation(activation, name="top_activation")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate, name="top_dropout")(x)
        _imagenet_utils.validate_activation(classifier_activation, weights)
        initializer: Any = DENSE_KERNEL_INITIALIZER
        x = layers.Dense(classes, activation=classifier_activation, kernel_initializer=initializer,
                         name="predictions")(x)
    else:
        x = _model_frame.global_pooling(x, pooling, avg_name="avg_pool", max_name="max_pool")
    model = _model_frame.functional_model(input_tensor, img_input, x, name)
    if weights == "imagenet":
        # Keras 3 names the file after the model's name: a renamed model looks for a renamed file.
        file_name = name + (".h5" if include_top else "_notop.h5")
        file_hash = WEIGHTS_HASHES[str(weights_name)][0 if include_top else 1]
        _weights.load_weights(model, weights, WEIGHTS_URL + file_name, file_hash, file_name)
    elif weights is not None:
        model.load_weights(weights)
    return model


def _scaled(variant: str, include_top: bool, weights: Any, input_tensor: Any, input_shape: tuple | None,
            pooling: str | None, classes: int, classifier_activation: Any, name: str) -> Functional:
    width, depth, size, dropout = SCALING[variant]
    return EfficientNet(width, depth, size, dropout, name=name, include_top=include_top, weights=weights,
                        input_tensor=input_tensor, input_shape=input_shape, pooling=pooling, classes=classes,
                        classifier_activation=classifier_activation, weights_name=variant)



def EfficientNetB0(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                   input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "efficientnetb0") -> Functional:
    """Instantiates EfficientNet-B0 (5.3M parameters with the classifier), optionally with its ImageNet weights.

    Takes RGB images with values 0-255 (224x224 by default, at least 32x32): the model rescales and
    normalizes them itself (`efficientnet.preprocess_input` returns its input unchanged).

    Args:
        include_top: whether to end with the classifier ("avg_pool", "top_dropout", "predictions").
        weights: None (random), "imagenet" (downloaded once through `kerasx.utils.get_file`), or the path of a
            weights file.
        input_tensor: optional symbolic tensor to use as the image input.
        input_shape: `(height, width, 3)` (channels last) when `include_top=False` or `weights` is not
            "imagenet"; height and width at least 32.
        pooling: without the top: None (the 4D feature map), "avg" or "max" (global pooling to 2D).
        classes: number of classes of the classifier (1000 with the ImageNet weights).
        classifier_activation: activation of the classifier; None gives logits. With pretrained weights only
            None or "softmax".
        name: the model's name (and, with weights="imagenet", the name of the weights file fetched).

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import EfficientNetB0
        >>> model = EfficientNetB0(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
        >>> model.output.shape, model.count_params()
        ((None, 1280), 4049571)
    """
    return _scaled("b0", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                   name)


def EfficientNetB1(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                   input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "efficientnetb1") -> Functional:
    """Instantiates EfficientNet-B1 (7.9M parameters with the classifier), optionally with its ImageNet weights.

    Takes RGB images with values 0-255 (240x240 by default, at least 32x32): the model rescales and
    normalizes them itself (`efficientnet.preprocess_input` returns its input unchanged).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name: as for
            `EfficientNetB0`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import EfficientNetB1
        >>> EfficientNetB1(weights="imagenet", classes=10)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: efficientnetb1: the ImageNet classifier has 1000 classes, ...
    """
    return _scaled("b1", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                   name)


def EfficientNetB2(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                   input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "efficientnetb2") -> Functional:
    """Instantiates EfficientNet-B2 (9.2M parameters with the classifier), optionally with its ImageNet weights.

    Takes RGB images with values 0-255 (260x260 by default, at least 32x32): the model rescales and
    normalizes them itself (`efficientnet.preprocess_input` returns its input unchanged).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name: as for
            `EfficientNetB0`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import EfficientNetB2
        >>> EfficientNetB2(weights="imagenet", classes=10)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: efficientnetb2: the ImageNet classifier has 1000 classes, ...
    """
    return _scaled("b2", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                   name)


def EfficientNetB3(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                   input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "efficientnetb3") -> Functional:
    """Instantiates EfficientNet-B3 (12.3M parameters with the classifier), optionally with its ImageNet weights.

    Takes RGB images with values 0-255 (300x300 by default, at least 32x32): the model rescales and
    normalizes them itself (`efficientnet.preprocess_input` returns its input unchanged).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name: as for
            `EfficientNetB0`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import EfficientNetB3
        >>> EfficientNetB3(weights="imagenet", classes=10)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: efficientnetb3: the ImageNet classifier has 1000 classes, ...
    """
    return _scaled("b3", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                   name)


def EfficientNetB4(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                   input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "efficientnetb4") -> Functional:
    """Instantiates EfficientNet-B4 (19.5M parameters with the classifier), optionally with its ImageNet weights.

    Takes RGB images with values 0-255 (380x380 by default, at least 32x32): the model rescales and
    normalizes them itself (`efficientnet.preprocess_input` returns its input unchanged).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name: as for
            `EfficientNetB0`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import EfficientNetB4
        >>> EfficientNetB4(weights="imagenet", classes=10)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: efficientnetb4: the ImageNet classifier has 1000 classes, ...
    """
    return _scaled("b4", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                   name)


def EfficientNetB5(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                   input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "efficientnetb5") -> Functional:
    """Instantiates EfficientNet-B5 (30.6M parameters with the classifier), optionally with its ImageNet weights.

    Takes RGB images with values 0-255 (456x456 by default, at least 32x32): the model rescales and
    normalizes them itself (`efficientnet.preprocess_input` returns its input unchanged).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name: as for
            `EfficientNetB0`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import EfficientNetB5
        >>> EfficientNetB5(weights="imagenet", classes=10)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: efficientnetb5: the ImageNet classifier has 1000 classes, ...
    """
    return _scaled("b5", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                   name)


def EfficientNetB6(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                   input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "efficientnetb6") -> Functional:
    """Instantiates EfficientNet-B6 (43.3M parameters with the classifier), optionally with its ImageNet weights.

    Takes RGB images with values 0-255 (528x528 by default, at least 32x32): the model rescales and
    normalizes them itself (`efficientnet.preprocess_input` returns its input unchanged).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name: as for
            `EfficientNetB0`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import EfficientNetB6
        >>> EfficientNetB6(weights="imagenet", classes=10)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: efficientnetb6: the ImageNet classifier has 1000 classes, ...
    """
    return _scaled("b6", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                   name)


def EfficientNetB7(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                   input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                   classifier_activation: Any = "softmax", name: str = "efficientnetb7") -> Functional:
    """Instantiates EfficientNet-B7 (66.7M parameters with the classifier), optionally with its ImageNet weights.

    Takes RGB images with values 0-255 (600x600 by default, at least 32x32): the model rescales and
    normalizes them itself (`efficientnet.preprocess_input` returns its input unchanged).

    Args:
        include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation, name: as for
            `EfficientNetB0`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import EfficientNetB7
        >>> EfficientNetB7(weights="imagenet", classes=10)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: efficientnetb7: the ImageNet classifier has 1000 classes, ...
    """
    return _scaled("b7", include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                   name)
