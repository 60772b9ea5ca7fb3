"""ResNet (He et al. 2015, "Deep Residual Learning for Image Recognition") and ResNetV2 (He et al. 2016, "Identity
Mappings in Deep Residual Networks"): stacks of bottleneck blocks whose output is added to their input.

V1 blocks normalize after each convolution and add before the last ReLU; V2 blocks normalize and activate first
("pre-activation") and add the raw convolution output. Layer names, order and weights are Keras 3's, so Keras's
weight files load by layer order.
"""

from __future__ import annotations

from typing import Any

from kerasx import layers
from kerasx.applications import _classifier_head, _imagenet_utils, _model_frame, _weights
from kerasx.backend import _config
from kerasx.models import Functional

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/resnet/"
# model name -> (md5 of the file with the classifier, md5 of the file without it)
WEIGHTS_HASHES = {
    "resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "resnet101": ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    "resnet152": ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
    "resnet50v2": ("3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
    "resnet101v2": ("6343647c601c52e1368623803854d971", "c0ed64b8031c3730f411d2eb4eea35b5"),
    "resnet152v2": ("a49b44d1979771252814e80f8ec446f9", "ed17cf2e0169df9d443503ef94b23b33"),
}
# Blocks per stage (conv2 .. conv5) of each depth.
STAGE_BLOCKS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}
STAGE_FILTERS = (64, 128, 256, 512)
BN_EPSILON = 1.001e-5  # the epsilon of the converted Caffe weights


def _channel_axis() -> int:
    return 1 if _config.image_data_format() == "channels_first" else 3


def _batch_norm(name: str):
    return layers.BatchNormalization(axis=_channel_axis(), epsilon=BN_EPSILON, name=name)


def residual_block_v1(x, filters: int, kernel_size: int = 3, stride: int = 1, conv_shortcut: bool = True,
                      name: str = ""):
    """A V1 bottleneck block: 1x1 (`filters`, strided), `kernel_size`, 1x1 (`4 * filters`) convolutions, each
    normalized, added to the shortcut (a strided 1x1 projection when `conv_shortcut`), then ReLU."""
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = _batch_norm(f"{name}_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(_batch_norm(f"{name}_1_bn")(x))
    x = layers.Conv2D(filters, kernel_size, padding="same", name=f"{name}_2_conv")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(_batch_norm(f"{name}_2_bn")(x))
    x = _batch_norm(f"{name}_3_bn")(layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x))
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def residual_block_v2(x, filters: int, kernel_size: int = 3, stride: int = 1, conv_shortcut: bool = False,
                      name: str = ""):
    """A V2 (pre-activation) bottleneck block: normalize and ReLU, then 1x1, `kernel_size` (strided) and 1x1
    (`4 * filters`) convolutions added to the shortcut (a 1x1 projection when `conv_shortcut`, a strided 1x1
    max-pooling when the block downsamples, the input otherwise)."""
    preact = _batch_norm(f"{name}_preact_bn")(x)
    preact = layers.Activation("relu", name=f"{name}_preact_relu")(preact)
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    else:
        shortcut = layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = layers.Activation("relu", name=f"{name}_1_relu")(_batch_norm(f"{name}_1_bn")(x))
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = layers.Conv2D(filters, kernel_size, strides=stride, use_bias=False, name=f"{name}_2_conv")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(_batch_norm(f"{name}_2_bn")(x))
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return layers.Add(name=f"{name}_out")([shortcut, x])


def stack_v1(x, filters: int, blocks: int, stride1: int = 2, name: str = ""):
    """`blocks` V1 blocks named `{name}_block{i}`; the first projects the shortcut and strides by `stride1`."""
    x = residual_block_v1(x, filters, stride=stride1, name=f"{name}_block1")
    for index in range(2, blocks + 1):
        x = residual_block_v1(x, filters, conv_shortcut=False, name=f"{name}_block{index}")
    return x


def stack_v2(x, filters: int, blocks: int, stride1: int = 2, name: str = ""):
    """`blocks` V2 blocks named `{name}_block{i}`; the first projects the shortcut, the last strides by
    `stride1` (V2 downsamples at the end of a stage)."""
    x = residual_block_v2(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for index in range(2, blocks):
        x = residual_block_v2(x, filters, name=f"{name}_block{index}")
    return residual_block_v2(x, filters, stride=stride1, name=f"{name}_block{blocks}")


def _resnet(depth: int, preact: bool, include_top: bool, weights: Any, input_tensor: Any, input_shape: Any,
            pooling: str | None, classes: int, classifier_activation: Any, name: str) -> Functional:
    _model_frame.check_weights(name, weights, include_top, classes)
    input_shape = _imagenet_utils.obtain_input_shape(input_shape, default_size=224, min_size=32,
                                                     data_format=_config.image_data_format(),
                                                     require_flatten=include_top, weights=weights)
    img_input = _model_frame.image_input(input_tensor, input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, name="conv1_conv")(x)
    if not preact:
        x = layers.Activation("relu", name="conv1_relu")(_batch_norm("conv1_bn")(x))
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    for stage, (filters, blocks) in enumerate(zip(STAGE_FILTERS, STAGE_BLOCKS[depth])):
        if preact:  # V2 downsamples at the end of every stage but the last
            x = stack_v2(x, filters, blocks, stride1=1 if stage == 3 else 2, name=f"conv{stage + 2}")
        else:  # V1 at the start of every stage but the first
            x = stack_v1(x, filters, blocks, stride1=1 if stage == 0 else 2, name=f"conv{stage + 2}")
    if preact:
        x = layers.Activation("relu", name="post_relu")(_batch_norm("post_bn")(x))
    x = _classifier_head.dense_classifier(x, include_top, pooling, classes, classifier_activation, weights)
    model = _model_frame.functional_model(input_tensor, img_input, x, name)
    model_name = f"resnet{depth}{'v2' if preact else ''}"
    file_name = f"{model_name}_weights_tf_dim_ordering_tf_kernels{'' if include_top else '_notop'}.h5"
    file_hash = WEIGHTS_HASHES[model_name][0 if include_top else 1]
    _weights.load_weights(model, weights, origin=WEIGHTS_URL + file_name, file_hash=file_hash, file_name=file_name)
    return model


def ResNet50(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
             input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
             classifier_activation: Any = "softmax", name: str = "resnet50") -> Functional:
    """Instantiates ResNet50 (16 bottleneck blocks), optionally with its ImageNet weights.

    Inputs are BGR images centred on the ImageNet mean (`resnet.preprocess_input`, "caffe" mode); the default
    size is 224x224, the smallest 32x32.

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
        >>> from kerasx.applications import ResNet50
        >>> model = ResNet50(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
        >>> model.output.shape, model.count_params()
        ((None, 2048), 23587712)
    """
    return _resnet(50, False, include_top, weights, input_tensor, input_shape, pooling, classes,
                   classifier_activation, name)


def ResNet101(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
              input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
              classifier_activation: Any = "softmax", name: str = "resnet101") -> Functional:
    """Instantiates ResNet101 (33 bottleneck blocks), optionally with its ImageNet weights.

    The arguments are `ResNet50`'s; inputs are preprocessed by `resnet.preprocess_input`.

    Example:
        >>> from kerasx.applications import ResNet101
        >>> ResNet101(weights=None, include_top=False, input_shape=(32, 32, 3)).output.shape
        (None, 1, 1, 2048)
    """
    return _resnet(101, False, include_top, weights, input_tensor, input_shape, pooling, classes,
                   classifier_activation, name)


def ResNet152(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
              input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
              classifier_activation: Any = "softmax", name: str = "resnet152") -> Functional:
    """Instantiates ResNet152 (50 bottleneck blocks), optionally with its ImageNet weights.

    The arguments are `ResNet50`'s; inputs are preprocessed by `resnet.preprocess_input`.

    Example:
        >>> from kerasx.applications import ResNet152
        >>> ResNet152(weights=None, include_top=False, input_shape=(32, 32, 3)).output.shape
        (None, 1, 1, 2048)
    """
    return _resnet(152, False, include_top, weights, input_tensor, input_shape, pooling, classes,
                   classifier_activation, name)


def ResNet50V2(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
               input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
               classifier_activation: Any = "softmax", name: str = "resnet50v2") -> Functional:
    """Instantiates ResNet50V2 (16 pre-activation bottleneck blocks), optionally with its ImageNet weights.

    The arguments are `ResNet50`'s; inputs are RGB images scaled to [-1, 1] (`resnet_v2.preprocess_input`).

    Example:
        >>> from kerasx.applications import ResNet50V2
        >>> model = ResNet50V2(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="max")
        >>> model.output.shape, model.count_params()
        ((None, 2048), 23564800)
    """
    return _resnet(50, True, include_top, weights, input_tensor, input_shape, pooling, classes,
                   classifier_activation, name)


def ResNet101V2(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "resnet101v2") -> Functional:
    """Instantiates ResNet101V2 (33 pre-activation bottleneck blocks), optionally with its ImageNet weights.

    The arguments are `ResNet50`'s; inputs are preprocessed by `resnet_v2.preprocess_input`.

    Example:
        >>> from kerasx.applications import ResNet101V2
        >>> ResNet101V2(weights=None, include_top=False, input_shape=(32, 32, 3)).output.shape
        (None, 1, 1, 2048)
    """
    return _resnet(101, True, include_top, weights, input_tensor, input_shape, pooling, classes,
                   classifier_activation, name)


def ResNet152V2(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
                input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "resnet152v2") -> Functional:
    """Instantiates ResNet152V2 (50 pre-activation bottleneck blocks), optionally with its ImageNet weights.

    The arguments are `ResNet50`'s; inputs are preprocessed by `resnet_v2.preprocess_input`.

    Example:
        >>> from kerasx.applications import ResNet152V2
        >>> ResNet152V2(weights=None, include_top=False, input_shape=(32, 32, 3)).output.shape
        (None, 1, 1, 2048)
    """
    return _resnet(152, True, include_top, weights, input_tensor, input_shape, pooling, classes,
                   classifier_activation, name)

