"""InceptionResNetV2 (Szegedy et al. 2016, "Inception-v4, Inception-ResNet and the Impact of Residual
Connections on Learning"): Inception branches whose concatenation is projected and added back, scaled, to the
block's input.

Layer names, order and weights are Keras 3's, so Keras's weight files load by layer order.
"""

from __future__ import annotations

from typing import Any, Literal

from kerasx import layers
from kerasx.applications import _imagenet_utils, _model_frame, _weights
from kerasx.backend import _config
from kerasx.models import Functional
from kerasx.serialization import _registry

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/inception_resnet_v2/"
WEIGHTS_FILES = {  # include_top -> (file name, md5)
    True: ("inception_resnet_v2_weights_tf_dim_ordering_tf_kernels.h5", "e693bd0210a403b3192acc6073ad2e96"),
    False: ("inception_resnet_v2_weights_tf_dim_ordering_tf_kernels_notop.h5", "d19885ff4a710c122648d3b5c3b684e4"),
}
BAD_BLOCK_TYPE = (
    "Unknown Inception-ResNet block type: expected 'block35', 'block17' or 'block8'. "
    "Received: block_type={block_type!r}."
)
# (filters, kernel size) of each branch's convolutions, first to last, per block type.
BLOCK_BRANCHES = {
    "block35": [[(32, 1)], [(32, 1), (32, 3)], [(32, 1), (48, 3), (64, 3)]],
    "block17": [[(192, 1)], [(128, 1), (160, (1, 7)), (192, (7, 1))]],
    "block8": [[(192, 1)], [(192, 1), (224, (1, 3)), (256, (3, 1))]],
}


@_registry.builtin
class CustomScaleLayer(layers.Layer):
    """Adds a scaled residual to a shortcut: `inputs[0] + scale * inputs[1]`.

    Args:
        scale: the factor of the residual (the second input).
        **kwargs: base Layer arguments (name, dtype, ...).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> from kerasx.applications._inception_resnet_v2 import CustomScaleLayer
        >>> out = CustomScaleLayer(0.5)([np.array([1.0, 2.0]), np.array([4.0, 4.0])])
        >>> print(kerasx.ops.convert_to_numpy(out))
        [3. 4.]
    """

    def __init__(self, scale: float, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, inputs):
        return inputs[0] + inputs[1] * self.scale

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self) -> dict:
        return {**super().get_config(), "scale": self.scale}


def _channel_axis() -> int:
    return 1 if _config.image_data_format() == "channels_first" else 3


def conv2d_bn(x, filters: int, kernel_size, strides: int = 1, padding: Literal["valid", "same"] = "same",
              activation: str | None = "relu", use_bias: bool = False, name: str | None = None):
    """A convolution, then (without bias) a BatchNormalization without scale, then the activation; named
    `name`, `name_bn`, `name_ac` when `name` is given, automatically otherwise."""
    x = layers.Conv2D(filters, kernel_size, strides=strides, padding=padding, use_bias=use_bias, name=name)(x)
    if not use_bias:
        x = layers.BatchNormalization(axis=_channel_axis(), scale=False, name=None if name is None else f"{name}_bn")(x)
    if activation is not None:
        x = layers.Activation(activation, name=None if name is None else f"{name}_ac")(x)
    return x


def inception_resnet_block(x, scale: float, block_type: str, block_idx: int, activation: str | None = "relu"):
    """One Inception-ResNet block: `activation(x + scale * conv1x1(concat(branches(x))))`, its layers named
    `{block_type}_{block_idx}_*`. `block_type` is "block35" (35x35 grid), "block17" or "block8"."""
    if block_type not in BLOCK_BRANCHES:
        raise ValueError(BAD_BLOCK_TYPE.format(block_type=block_type))
    branches = []
    for convs in BLOCK_BRANCHES[block_type]:
        branch = x
        for filters, kernel_size in convs:
            branch = conv2d_bn(branch, filters, kernel_size)
        branches.append(branch)
    block_name = f"{block_type}_{block_idx}"
    axis = _channel_axis()
    mixed = layers.Concatenate(axis=axis, name=f"{block_name}_mixed")(branches)
    up = conv2d_bn(mixed, x.shape[axis], 1, activation=None, use_bias=True, name=f"{block_name}_conv")
    x = CustomScaleLayer(scale)([x, up])
    if activation is not None:
        x = layers.Activation(activation, name=f"{block_name}_ac")(x)
    return x


def _stem(x):
    # 299 -> 35: convolutions and two max-poolings, then the first Inception module ("mixed_5b").
    x = conv2d_bn(x, 32, 3, strides=2, padding="valid")
    x = conv2d_bn(x, 32, 3, padding="valid")
    x = conv2d_bn(x, 64, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = conv2d_bn(x, 80, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, padding="valid")
    x = layers.MaxPooling2D(3, strides=2)(x)
    branch_0 = conv2d_bn(x, 96, 1)
    branch_1 = conv2d_bn(conv2d_bn(x, 48, 1), 64, 5)
    branch_2 = conv2d_bn(conv2d_bn(conv2d_bn(x, 64, 1), 96, 3), 96, 3)
    branch_pool = conv2d_bn(layers.AveragePooling2D(3, strides=1, padding="same")(x), 64, 1)
    return layers.Concatenate(axis=_channel_axis(), name="mixed_5b")([branch_0, branch_1, branch_2, branch_pool])


def _reduction_a(x):
    # 35 -> 17 ("mixed_6a").
    branch_0 = conv2d_bn(x, 384, 3, strides=2, padding="valid")
    branch_1 = conv2d_bn(conv2d_bn(conv2d_bn(x, 256, 1), 256, 3), 384, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    return layers.Concatenate(axis=_channel_axis(), name="mixed_6a")([branch_0, branch_1, branch_pool])


def _reduction_b(x):
    # 17 -> 8 ("mixed_7a").
    branch_0 = conv2d_bn(conv2d_bn(x, 256, 1), 384, 3, strides=2, padding="valid")
    branch_1 = conv2d_bn(conv2d_bn(x, 256, 1), 288, 3, strides=2, padding="valid")
    branch_2 = conv2d_bn(conv2d_bn(conv2d_bn(x, 256, 1), 288, 3), 320, 3, strides=2, padding="valid")
    branch_pool = layers.MaxPooling2D(3, strides=2, padding="valid")(x)
    return layers.Concatenate(axis=_channel_axis(), name="mixed_7a")([branch_0, branch_1, branch_2, branch_pool])


def InceptionResNetV2(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                      input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                      classifier_activation: Any = "softmax", name: str = "inception_resnet_v2") -> Functional:
    """Instantiates the Inception-ResNet v2 image classifier, optionally with its ImageNet weights.

    Inputs are RGB images scaled to [-1, 1] (`inception_resnet_v2.preprocess_input`); the default size is
    299x299, the smallest 75x75.

    Args:
        include_top: whether to end with the 1000-class (or `classes`) classifier ("avg_pool", "predictions").
        weights: None (random), "imagenet" (downloaded once through `kerasx.utils.get_file`), or the path of a
            weights file.
        input_tensor: optional symbolic tensor to use as the image input.
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
        >>> from kerasx.applications import InceptionResNetV2
        >>> model = InceptionResNetV2(weights=None, include_top=False, input_shape=(75, 75, 3), pooling="avg")
        >>> model.output.shape, model.count_params()
        ((None, 1536), 54336736)
    """
    _model_frame.check_weights("InceptionResNetV2", weights, include_top, classes)
    input_shape = _imagenet_utils.obtain_input_shape(input_shape, default_size=299, min_size=75,
                                                     data_format=_config.image_data_format(),
                                                     require_flatten=include_top, weights=weights)
    img_input = _model_frame.image_input(input_tensor, input_shape)
    x = _stem(img_input)
    for block_idx in range(1, 11):
        x = inception_resnet_block(x, scale=0.17, block_type="block35", block_idx=block_idx)
    x = _reduction_a(x)
    for block_idx in range(1, 21):
        x = inception_resnet_block(x, scale=0.1, block_type="block17", block_idx=block_idx)
    x = _reduction_b(x)
    for block_idx in range(1, 10):
        x = inception_resnet_block(x, scale=0.2, block_type="block8", block_idx=block_idx)
    x = inception_resnet_block(x, scale=1.0, activation=None, block_type="block8", block_idx=10)
    x = conv2d_bn(x, 1536, 1, name="conv_7b")
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        _imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _model_frame.global_pooling(x, pooling)
    model = _model_frame.functional_model(input_tensor, img_input, x, name)
    file_name, file_hash = WEIGHTS_FILES[bool(include_top)]
    _weights.load_weights(model, weights, WEIGHTS_URL + file_name, file_hash)
    return model

