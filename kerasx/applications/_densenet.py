"""DenseNet (Huang et al. 2017, "Densely Connected Convolutional Networks"): dense blocks in which every layer's
32 new feature maps are concatenated to all the maps before them, and transitions that halve the channels and the
resolution between blocks.

Layer names, order and weights are Keras 3's, so Keras's weight files load by layer order.
"""

from __future__ import annotations

from typing import Any

from kerasx import layers
from kerasx.applications import _classifier_head, _imagenet_utils, _model_frame, _weights
from kerasx.backend import _config
from kerasx.models import Functional

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"
# depth -> (md5 of the file with the classifier, md5 of the file without it)
WEIGHTS_HASHES = {
    121: ("9d60b8095a5708f2dcce2bca79d332c7", "30ee3e1110167f948a6b9946edeeb738"),
    169: ("d699b8f76981ab1b30698df4c175e90b", "b8c4d4c20dd625c148057b9ff1c1176b"),
    201: ("1ceb130c1ea1b78c3bf6114dbdfd8807", "c13680b51ded0fb44dff2d8f86ac8bb1"),
}
# Layers per dense block (conv2 .. conv5) of each depth.
BLOCKS = {121: (6, 12, 24, 16), 169: (6, 12, 32, 32), 201: (6, 12, 48, 32)}
GROWTH_RATE = 32
BN_EPSILON = 1.001e-5


def _channel_axis() -> int:
    return 1 if _config.image_data_format() == "channels_first" else 3


def _bn_relu(x, name: str):
    x = layers.BatchNormalization(axis=_channel_axis(), epsilon=BN_EPSILON, name=f"{name}_bn")(x)
    return layers.Activation("relu", name=f"{name}_relu")(x)


def conv_block(x, growth_rate: int, name: str):
    """One dense layer: BN-ReLU-1x1 conv (`4 * growth_rate`), BN-ReLU-3x3 conv (`growth_rate`), its output
    concatenated to `x`."""
    new = _bn_relu(x, f"{name}_0")
    new = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(new)
    new = _bn_relu(new, f"{name}_1")
    new = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(new)
    return layers.Concatenate(axis=_channel_axis(), name=f"{name}_concat")([x, new])


def dense_block(x, blocks: int, name: str):
    """`blocks` dense layers named `{name}_block{i}`."""
    for index in range(1, blocks + 1):
        x = conv_block(x, GROWTH_RATE, name=f"{name}_block{index}")
    return x


def transition_block(x, reduction: float, name: str):
    """BN-ReLU, a 1x1 convolution to `reduction` times the channels, then a 2x2 average pooling."""
    channels = int(x.shape[_channel_axis()] * reduction)
    x = _bn_relu(x, name)
    x = layers.Conv2D(channels, 1, use_bias=False, name=f"{name}_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def _densenet(depth: int, include_top: bool, weights: Any, input_tensor: Any, input_shape: Any,
              pooling: str | None, classes: int, classifier_activation: Any, name: str) -> Functional:
    _model_frame.check_weights(name, weights, include_top, classes)
    input_shape = _imagenet_utils.obtain_input_shape(input_shape, default_size=224, min_size=32,
                                                     data_format=_config.image_data_format(),
                                                     require_flatten=include_top, weights=weights)
    img_input = _model_frame.image_input(input_tensor, input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = _bn_relu(x, "conv1")
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    blocks = BLOCKS[depth]
    for stage, num_layers in enumerate(blocks):
        x = dense_block(x, num_layers, name=f"conv{stage + 2}")
        if stage < len(blocks) - 1:
            x = transition_block(x, 0.5, name=f"pool{stage + 2}")
    x = layers.BatchNormalization(axis=_channel_axis(), epsilon=BN_EPSILON, name="bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    x = _classifier_head.dense_classifier(x, include_top, pooling, classes, classifier_activation, weights)
    model = _model_frame.functional_model(input_tensor, img_input, x, name)
    file_name = f"densenet{depth}_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
    file_hash = WEIGHTS_HASHES[depth][0 if include_top else 1]
    _weights.load_weights(model, weights, origin=WEIGHTS_URL + file_name, file_hash=file_hash, file_name=file_name)
    return model


def DenseNet121(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "densenet121") -> Functional:
    """Instantiates DenseNet121 (dense blocks of 6, 12, 24 and 16 layers), optionally with its ImageNet weights.

    Inputs are RGB images scaled to [0, 1] and normalized by the ImageNet mean and standard deviation
    (`densenet.preprocess_input`, "torch" mode); the default size is 224x224, the smallest 32x32.

    Args:
        include_top: whether to end with the 1000-class (or `classes`) classifier ("avg_pool", "predictions").
        weights: None (random), "imagenet" (downloaded once through `kerasx.utils.get_file`), or the path of a
            weights file.
        input_tensor: optional tensor to use as the image input.
        input_shape: `(height, width, 3)` (channels last) when `include_top=False` or `weights` is not
            "imagenet"; height and width at least 32.
        pooling: without the top: None (the 4D feature map), "avg" or "max" (global pooling to 2D).
        classes: number of classes of the classifier (1000 with the ImageNet weights).
        classifier_activation: activation of the classifier; None gives logits. With pretrained weights only
            None or "softmax".
        name: the model's name.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import DenseNet121
        >>> model = DenseNet121(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
        >>> model.output.shape, model.count_params()
        ((None, 1024), 7037504)
    """
    return _densenet(121, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                     name)


def DenseNet169(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "densenet169") -> Functional:
    """Instantiates DenseNet169 (dense blocks of 6, 12, 32 and 32 layers), optionally with its ImageNet weights.

    The arguments are `DenseNet121`'s; inputs are preprocessed by `densenet.preprocess_input`.

    Example:
        >>> from kerasx.applications import DenseNet169
        >>> DenseNet169(weights=None, include_top=False, input_shape=(32, 32, 3)).output.shape
        (None, 1, 1, 1664)
    """
    return _densenet(169, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                     name)


def DenseNet201(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "densenet201") -> Functional:
    """Instantiates DenseNet201 (dense blocks of 6, 12, 48 and 32 layers), optionally with its ImageNet weights.

    The arguments are `DenseNet121`'s; inputs are preprocessed by `densenet.preprocess_input`.

    Example:
        >>> from kerasx.applications import DenseNet201
        >>> DenseNet201(weights=None, include_top=False, input_shape=(32, 32, 3)).output.shape
        (None, 1, 1, 1920)
    """
    return _densenet(201, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                     name)
