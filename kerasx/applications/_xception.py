"""Xception (Chollet 2017, "Xception: Deep Learning with Depthwise Separable Convolutions"): an entry flow of
strided separable-convolution blocks with 1x1 projected shortcuts, a middle flow of eight residual blocks of three
separable convolutions, and an exit flow.

Layer names, order and weights are Keras 3's, so Keras's weight files load by layer order.
"""

from __future__ import annotations

from typing import Any

from kerasx import layers
from kerasx.applications import _classifier_head, _imagenet_utils, _model_frame, _weights
from kerasx.backend import _config
from kerasx.models import Functional

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/xception/"
WEIGHTS_FILES = {  # include_top -> (file name, md5)
    True: ("xception_weights_tf_dim_ordering_tf_kernels.h5", "0a58e3b7378bc2990ea3b43d5981f1f6"),
    False: ("xception_weights_tf_dim_ordering_tf_kernels_notop.h5", "b0042744bf5b25fce3cb969f33bebb97"),
}


def _channel_axis() -> int:
    return 1 if _config.image_data_format() == "channels_first" else -1


def _batch_norm(name: str | None = None):
    return layers.BatchNormalization(axis=_channel_axis(), name=name)


def _sepconv_bn(x, filters: int, name: str, activation_first: bool = True):
    # [ReLU] -> 3x3 separable convolution -> BN, named `{name}_act`, `{name}`, `{name}_bn`.
    if activation_first:
        x = layers.Activation("relu", name=f"{name}_act")(x)
    x = layers.SeparableConv2D(filters, 3, padding="same", use_bias=False, name=name)(x)
    return _batch_norm(f"{name}_bn")(x)


def downsampling_block(x, filters: tuple, block: int, activation_first: bool = True):
    """Two separable convolutions (`filters`) and a strided 3x3 max-pooling, added to a strided 1x1 projection
    of `x`; named `block{block}_...` (the projection's layers are not named)."""
    residual = layers.Conv2D(filters[1], 1, strides=2, padding="same", use_bias=False)(x)
    residual = _batch_norm()(residual)
    x = _sepconv_bn(x, filters[0], f"block{block}_sepconv1", activation_first)
    x = _sepconv_bn(x, filters[1], f"block{block}_sepconv2")
    x = layers.MaxPooling2D(3, strides=2, padding="same", name=f"block{block}_pool")(x)
    return layers.Add()([x, residual])


def middle_block(x, block: int):
    """Three ReLU-separable convolution-BN steps of 728 filters added to `x`; named `block{block}_...`."""
    residual = x
    for index in (1, 2, 3):
        x = _sepconv_bn(x, 728, f"block{block}_sepconv{index}")
    return layers.Add()([x, residual])


def Xception(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
             input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
             classifier_activation: Any = "softmax", name: str = "xception") -> Functional:
    """Instantiates Xception, optionally with its ImageNet weights.

    Inputs are RGB images scaled to [-1, 1] (`xception.preprocess_input`); the default size is 299x299, the
    smallest 71x71.

    Args:
        include_top: whether to end with the 1000-class (or `classes`) classifier ("avg_pool", "predictions").
        weights: None (random), "imagenet" (downloaded once through `kerasx.utils.get_file`), or the path of a
            weights file.
        input_tensor: optional tensor to use as the image input.
        input_shape: `(height, width, 3)` (channels last) when `include_top=False` or `weights` is not
            "imagenet"; height and width at least 71.
        pooling: without the top: None (the 4D feature map), "avg" or "max" (global pooling to 2D).
        classes: number of classes of the classifier (1000 with the ImageNet weights).
        classifier_activation: activation of the classifier; None gives logits. With pretrained weights only
            None or "softmax".
        name: the model's name.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import Xception
        >>> model = Xception(weights=None, include_top=False, input_shape=(71, 71, 3), pooling="avg")
        >>> model.output.shape, model.count_params()
        ((None, 2048), 20861480)
    """
    _model_frame.check_weights("Xception", weights, include_top, classes)
    input_shape = _imagenet_utils.obtain_input_shape(input_shape, default_size=299, min_size=71,
                                                     data_format=_config.image_data_format(),
                                                     require_flatten=include_top, weights=weights)
    img_input = _model_frame.image_input(input_tensor, input_shape)
    x = layers.Conv2D(32, 3, strides=2, use_bias=False, name="block1_conv1")(img_input)
    x = layers.Activation("relu", name="block1_conv1_act")(_batch_norm("block1_conv1_bn")(x))
    x = layers.Conv2D(64, 3, use_bias=False, name="block1_conv2")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(_batch_norm("block1_conv2_bn")(x))
    # Entry flow: the first block follows a ReLU already, so it starts with its convolution.
    x = downsampling_block(x, (128, 128), 2, activation_first=False)
    x = downsampling_block(x, (256, 256), 3)
    x = downsampling_block(x, (728, 728), 4)
    for block in range(5, 13):
        x = middle_block(x, block)
    x = downsampling_block(x, (728, 1024), 13)
    x = layers.SeparableConv2D(1536, 3, padding="same", use_bias=False, name="block14_sepconv1")(x)
    x = layers.Activation("relu", name="block14_sepconv1_act")(_batch_norm("block14_sepconv1_bn")(x))
    x = layers.SeparableConv2D(2048, 3, padding="same", use_bias=False, name="block14_sepconv2")(x)
    x = layers.Activation("relu", name="block14_sepconv2_act")(_batch_norm("block14_sepconv2_bn")(x))
    x = _classifier_head.dense_classifier(x, include_top, pooling, classes, classifier_activation, weights,
                                          avg_name=None, max_name=None)
    model = _model_frame.functional_model(input_tensor, img_input, x, name)
    file_name, file_hash = WEIGHTS_FILES[bool(include_top)]
    _weights.load_weights(model, weights, origin=WEIGHTS_URL + file_name, file_hash=file_hash, file_name=file_name)
    return model
