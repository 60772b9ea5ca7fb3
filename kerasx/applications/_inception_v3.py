"""InceptionV3 (Szegedy et al. 2016, "Rethinking the Inception Architecture for Computer Vision"): a convolution
stem, then eleven Inception modules ("mixed0" .. "mixed10") whose parallel branches (1x1, factorized 5x5/7x7/3x3
convolutions, pooling) are concatenated.

Only the modules' concatenations are named, as in Keras 3; the layers' order and weights are Keras 3's, so
Keras's weight files load by layer order.
"""

from __future__ import annotations

from typing import Any, Literal

from kerasx import layers
from kerasx.applications import _classifier_head, _imagenet_utils, _model_frame, _weights
from kerasx.backend import _config
from kerasx.models import Functional

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/"
WEIGHTS_FILES = {  # include_top -> (file name, md5)
    True: ("inception_v3_weights_tf_dim_ordering_tf_kernels.h5", "9a0d58056eeedaa3f26cb7ebd46da564"),
    False: ("inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5", "bcbd6486424b2319ff4ef7d526e38f63"),
}


def _channel_axis() -> int:
    return 1 if _config.image_data_format() == "channels_first" else 3


def conv2d_bn(x, filters: int, num_row: int, num_col: int, padding: Literal["same", "valid"] = "same",
              strides=(1, 1), name: str | None = None):
    """A `num_row x num_col` convolution without bias, a BatchNormalization without scale, and ReLU; named
    `{name}_conv`, `{name}_bn`, `{name}` when `name` is given, automatically otherwise."""
    x = layers.Conv2D(filters, (num_row, num_col), strides=strides, padding=padding, use_bias=False,
                      name=None if name is None else f"{name}_conv")(x)
    x = layers.BatchNormalization(axis=_channel_axis(), scale=False, name=None if name is None else f"{name}_bn")(x)
    return layers.Activation("relu", name=name)(x)


def _chain(x, convs):
    # conv2d_bn over `convs`, a list of (filters, rows, cols).
    for filters, num_row, num_col in convs:
        x = conv2d_bn(x, filters, num_row, num_col)
    return x


def _average_pool_branch(x, filters: int):
    return conv2d_bn(layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x), filters, 1, 1)


def _module_35(x, pool_filters: int, name: str):
    # 35x35 grid: 1x1, 5x5, double 3x3 and pooled branches.
    branches = [
        conv2d_bn(x, 64, 1, 1),
        _chain(x, [(48, 1, 1), (64, 5, 5)]),
        _chain(x, [(64, 1, 1), (96, 3, 3), (96, 3, 3)]),
        _average_pool_branch(x, pool_filters),
    ]
    return layers.Concatenate(axis=_channel_axis(), name=name)(branches)


def _module_17(x, filters_7x7: int, name: str):
    # 17x17 grid: 1x1, factorized 7x7, double factorized 7x7 and pooled branches.
    f = filters_7x7
    branches = [
        conv2d_bn(x, 192, 1, 1),
        _chain(x, [(f, 1, 1), (f, 1, 7), (192, 7, 1)]),
        _chain(x, [(f, 1, 1), (f, 7, 1), (f, 1, 7), (f, 7, 1), (192, 1, 7)]),
        _average_pool_branch(x, 192),
    ]
    return layers.Concatenate(axis=_channel_axis(), name=name)(branches)


def _module_8(x, index: int):
    # 8x8 grid: 1x1, a 3x3 split into 1x3 and 3x1, a double 3x3 split the same way, and a pooled branch.
    axis = _channel_axis()
    branch1x1 = conv2d_bn(x, 320, 1, 1)
    branch3x3 = conv2d_bn(x, 384, 1, 1)
    branch3x3 = layers.Concatenate(axis=axis, name=f"mixed9_{index}")(
        [conv2d_bn(branch3x3, 384, 1, 3), conv2d_bn(branch3x3, 384, 3, 1)])
    branch3x3dbl = _chain(x, [(448, 1, 1), (384, 3, 3)])
    branch3x3dbl = layers.Concatenate(axis=axis)(
        [conv2d_bn(branch3x3dbl, 384, 1, 3), conv2d_bn(branch3x3dbl, 384, 3, 1)])
    branch_pool = _average_pool_branch(x, 192)
    return layers.Concatenate(axis=axis, name=f"mixed{9 + index}")([branch1x1, branch3x3, branch3x3dbl, branch_pool])


def _stem(x):
    # 299 -> 35: convolutions and two max-poolings.
    x = conv2d_bn(x, 32, 3, 3, strides=(2, 2), padding="valid")
    x = conv2d_bn(x, 32, 3, 3, padding="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv2d_bn(x, 80, 1, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, 3, padding="valid")
    return layers.MaxPooling2D((3, 3), strides=(2, 2))(x)


def _reduction_35(x):
    # 35 -> 17 ("mixed3").
    branch3x3 = conv2d_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    branch3x3dbl = _chain(x, [(64, 1, 1), (96, 3, 3)])
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    return layers.Concatenate(axis=_channel_axis(), name="mixed3")([branch3x3, branch3x3dbl, branch_pool])


def _reduction_17(x):
    # 17 -> 8 ("mixed8").
    branch3x3 = conv2d_bn(conv2d_bn(x, 192, 1, 1), 320, 3, 3, strides=(2, 2), padding="valid")
    branch7x7x3 = _chain(x, [(192, 1, 1), (192, 1, 7), (192, 7, 1)])
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    return layers.Concatenate(axis=_channel_axis(), name="mixed8")([branch3x3, branch7x7x3, branch_pool])


def InceptionV3(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "inception_v3") -> Functional:
    """Instantiates Inception v3, optionally with its ImageNet weights.

    Inputs are RGB images scaled to [-1, 1] (`inception_v3.preprocess_input`); the default size is 299x299, the
    smallest 75x75.

    Args:
        include_top: whether to end with the 1000-class (or `classes`) classifier ("avg_pool", "predictions").
        weights: None (random), "imagenet" (downloaded once through `kerasx.utils.get_file`), or the path of a
            weights file.
        input_tensor: optional tensor to use as the image input.
        input_shape: `(height, width, 3)` (channels last) when `include_top=False` or `weights` is not
            "imagenet"; height and width at least 75.
        pooling: without the top: None (the 4D feature map), "avg" or "max" (global pooling to 2D).
        classes: number of classes of the classifier (1000 with the ImageNet weights).
        classifier_activation: activation of the classifier; None gives logits. With pretrained weights only
            None or "softmax".
        name: the model's name.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import InceptionV3
        >>> model = InceptionV3(weights=None, include_top=False, input_shape=(75, 75, 3), pooling="avg")
        >>> model.output.shape, model.count_params()
        ((None, 2048), 21802784)
    """
    _model_frame.check_weights("InceptionV3", weights, include_top, classes)
    input_shape = _imagenet_utils.obtain_input_shape(input_shape, default_size=299, min_size=75,
                                                     data_format=_config.image_data_format(),
                                                     require_flatten=include_top, weights=weights)
    img_input = _model_frame.image_input(input_tensor, input_shape)
    x = _stem(img_input)
    for index, pool_filters in enumerate((32, 64, 64)):
        x = _module_35(x, pool_filters, name=f"mixed{index}")
    x = _reduction_35(x)
    for index, filters_7x7 in enumerate((128, 160, 160, 192)):
        x = _module_17(x, filters_7x7, name=f"mixed{4 + index}")
    x = _reduction_17(x)
    for index in range(2):
        x = _module_8(x, index)
    x = _classifier_head.dense_classifier(x, include_top, pooling, classes, classifier_activation, weights,
                                          avg_name=None, max_name=None)
    model = _model_frame.functional_model(input_tensor, img_input, x, name)
    file_name, file_hash = WEIGHTS_FILES[bool(include_top)]
    _weights.load_weights(model, weights, origin=WEIGHTS_URL + file_name, file_hash=file_hash, file_name=file_name)
    return model
