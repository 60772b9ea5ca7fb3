"""NASNet-A (Zoph et al. 2018, "Learning Transferable Architectures for Scalable Image Recognition"): cells found
by architecture search, stacked as normal cells (same size) and reduction cells (half size), each reading the
outputs of the two cells before it.

NASNetMobile and NASNetLarge are the two published sizes. Layer names, order and weights are Keras 3's.
"""

from __future__ import annotations

from typing import Any, Literal

from kerasx import layers
from kerasx.applications import _imagenet_utils, _model_frame, _weights
from kerasx.backend import _config
from kerasx.models import Functional

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/nasnet/"
# default_size -> include_top -> (cache file name, published file name, md5)
WEIGHTS_FILES = {
    224: {
        True: ("nasnet_mobile.h5", "NASNet-mobile.h5", "020fb642bf7360b370c678b08e0adf61"),
        False: ("nasnet_mobile_no_top.h5", "NASNet-mobile-no-top.h5", "1ed92395b5b598bdda52abe5c0dbfd63"),
    },
    331: {
        True: ("nasnet_large.h5", "NASNet-large.h5", "11577c9a518f0070763c2b964a382f17"),
        False: ("nasnet_large_no_top.h5", "NASNet-large-no-top.h5", "d81d89dc07e6e56530c4e77faddd61b5"),
    },
}
BN_MOMENTUM, BN_EPSILON = 0.9997, 1e-3

CHANNELS_FIRST = (
    "NASNet builds channels-last models only. Received: image_data_format='channels_first'. Call "
    "`kerasx.config.set_image_data_format('channels_last')` first (and transpose channels-first images)."
)
DYNAMIC_SHAPE_WITH_IMAGENET = (
    "NASNet with weights='imagenet' needs a fully known input shape. Received: input_shape={input_shape}. Give "
    "every size (e.g. (224, 224, 3)), or use weights=None."
)
BAD_PENULTIMATE_FILTERS = (
    "NASNet-A needs `penultimate_filters` divisible by 24 * filter_multiplier ** 2 = {divisor}. Received: "
    "penultimate_filters={penultimate_filters}."
)
NO_IMAGENET_WEIGHTS = (
    "ImageNet weights exist only for NASNetMobile (default_size=224) and NASNetLarge (default_size=331). "
    "Received: default_size={default_size}. Use weights=None for another size."
)


def _batch_norm(name: str | None = None):
    return layers.BatchNormalization(axis=-1, momentum=BN_MOMENTUM, epsilon=BN_EPSILON, name=name)


def _conv1x1(filters: int, name: str | None, strides: int = 1):
    return layers.Conv2D(filters, (1, 1), strides=(strides, strides), padding="same", use_bias=False, name=name,
                         kernel_initializer="he_normal")


def _separable_conv_block(x, filters: int, kernel_size=(3, 3), strides=(1, 1), block_id: str = ""):
    """relu -> separable conv (strided, zero-padded as "same" would with Keras's offsets) -> BN, then relu ->
    separable conv -> BN."""
    x = layers.Activation("relu")(x)
    padding = "same"
    if strides == (2, 2):
        x = layers.ZeroPadding2D(padding=_imagenet_utils.correct_pad(x, kernel_size),
                                 name=f"separable_conv_1_pad_{block_id}")(x)
        padding = "valid"
    x = layers.SeparableConv2D(filters, kernel_size, strides=strides, name=f"separable_conv_1_{block_id}",
                               padding=padding, use_bias=False)(x)
    x = _batch_norm(f"separable_conv_1_bn_{block_id}")(x)
    x = layers.Activation("relu")(x)
    x = layers.SeparableConv2D(filters, kernel_size, name=f"separable_conv_2_{block_id}", padding="same",
                               use_bias=False)(x)
    return _batch_norm(f"separable_conv_2_bn_{block_id}")(x)


def _adjust_block(previous, current, filters: int, block_id: str):
    """The previous cell's output brought to the current cell's size and width: halved (two offset 1x1 paths,
    concatenated) when its grid is larger, projected by a 1x1 convolution when its width differs."""
    if previous is None:
        return current
    if previous.shape[-2] != current.shape[-2]:
        previous = layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(previous)
        path_1 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid",
                                         name=f"adjust_avg_pool_1_{block_id}")(previous)
        path_1 = _conv1x1(filters // 2, f"adjust_conv_1_{block_id}")(path_1)
        # The second path samples the odd pixels: shift the map by one pixel (pad bottom-right, crop top-left).
        path_2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(previous)
        path_2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(path_2)
        path_2 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid",
                                         name=f"adjust_avg_pool_2_{block_id}")(path_2)
        path_2 = _conv1x1(filters // 2, f"adjust_conv_2_{block_id}")(path_2)
        previous = layers.concatenate([path_1, path_2], axis=-1)
        return _batch_norm(f"adjust_bn_{block_id}")(previous)
    if previous.shape[-1] != filters:
        previous = layers.Activation("relu")(previous)
        previous = _conv1x1(filters, f"adjust_conv_projection_{block_id}")(previous)
        return _batch_norm(f"adjust_bn_{block_id}")(previous)
    return previous


def _cell_input(current, filters: int, kind: str, block_id: str):
    # relu -> 1x1 conv -> BN of the current input, shared by the cell's branches.
    h = layers.Activation("relu")(current)
    h = _conv1x1(filters, f"{kind}_conv_1_{block_id}")(h)
    return _batch_norm(f"{kind}_bn_1_{block_id}")(h)


def _avg_pool_3x3(name: str, strides: int = 1, padding: Literal["valid", "same"] = "same"):
    return layers.AveragePooling2D((3, 3), strides=(strides, strides), padding=padding, name=name)


def normal_a_cell(current, previous, filters: int, block_id: str):
    """A normal cell (same grid size): five pairwise sums of separable convolutions, poolings and identities,
    concatenated with the adjusted previous output. Returns `(output, current)`."""
    p = _adjust_block(previous, current, filters, block_id)
    h = _cell_input(current, filters, "normal", block_id)
    x1 = layers.add([_separable_conv_block(h, filters, (5, 5), block_id=f"normal_left1_{block_id}"),
                     _separable_conv_block(p, filters, block_id=f"normal_right1_{block_id}")],
                    name=f"normal_add_1_{block_id}")
    x2 = layers.add([_separable_conv_block(p, filters, (5, 5), block_id=f"normal_left2_{block_id}"),
                     _separable_conv_block(p, filters, (3, 3), block_id=f"normal_right2_{block_id}")],
                    name=f"normal_add_2_{block_id}")
    x3 = layers.add([_avg_pool_3x3(f"normal_left3_{block_id}")(h), p], name=f"normal_add_3_{block_id}")
    x4 = layers.add([_avg_pool_3x3(f"normal_left4_{block_id}")(p), _avg_pool_3x3(f"normal_right4_{block_id}")(p)],
                    name=f"normal_add_4_{block_id}")
    x5 = layers.add([_separable_conv_block(h, filters, block_id=f"normal_left5_{block_id}"), h],
                    name=f"normal_add_5_{block_id}")
    x = layers.concatenate([p, x1, x2, x3, x4, x5], axis=-1, name=f"normal_concat_{block_id}")
    return x, current


def reduction_a_cell(current, previous, filters: int, block_id: str):
    """A reduction cell (grid halved): strided separable convolutions and poolings summed pairwise, four of the
    sums concatenated. Returns `(output, current)`."""
    p = _adjust_block(previous, current, filters, block_id)
    h = _cell_input(current, filters, "reduction", block_id)
    h3 = layers.ZeroPadding2D(padding=_imagenet_utils.correct_pad(h, 3), name=f"reduction_pad_1_{block_id}")(h)
    x1 = layers.add([
        _separable_conv_block(h, filters, (5, 5), strides=(2, 2), block_id=f"reduction_left1_{block_id}"),
        _separable_conv_block(p, filters, (7, 7), strides=(2, 2), block_id=f"reduction_right1_{block_id}"),
    ], name=f"reduction_add_1_{block_id}")
    x2 = layers.add([
        layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_left2_{block_id}")(h3),
        _separable_conv_block(p, filters, (7, 7), strides=(2, 2), block_id=f"reduction_right2_{block_id}"),
    ], name=f"reduction_add_2_{block_id}")
    x3 = layers.add([
        _avg_pool_3x3(f"reduction_left3_{block_id}", strides=2, padding="valid")(h3),
        _separable_conv_block(p, filters, (5, 5), strides=(2, 2), block_id=f"reduction_right3_{block_id}"),
    ], name=f"reduction_add3_{block_id}")
    x4 = layers.add([x2, _avg_pool_3x3(f"reduction_left4_{block_id}")(x1)])
    x5 = layers.add([
        _separable_conv_block(x1, filters, (3, 3), block_id=f"reduction_left4_{block_id}"),
        layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid", name=f"reduction_right5_{block_id}")(h3),
    ], name=f"reduction_add4_{block_id}")
    x = layers.concatenate([x2, x3, x4, x5], axis=-1, name=f"reduction_concat_{block_id}")
    return x, current


def NASNet(input_shape: tuple | None = None, penultimate_filters: int = 4032, num_blocks: int = 6,
           stem_block_filters: int = 96, skip_reduction: bool = True, filter_multiplier: int = 2,
           include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None, pooling: str | None = None,
           classes: int = 1000, default_size: int | None = None, classifier_activation: Any = "softmax",
           name: str = "NASNet") -> Functional:
    """A NASNet-A model of any size: `num_blocks` normal cells between each of the reductions, the last cells
    `penultimate_filters` wide. `NASNetMobile` and `NASNetLarge` are the published settings (the only ones with
    ImageNet weights)."""
    if _config.image_data_format() == "channels_first":
        raise ValueError(CHANNELS_FIRST)
    _model_frame.check_weights("NASNet", weights, include_top, classes)
    if isinstance(input_shape, tuple) and None in input_shape and weights == "imagenet":
        raise ValueError(DYNAMIC_SHAPE_WITH_IMAGENET.format(input_shape=input_shape))
    default_size = 331 if default_size is None else default_size
    input_shape = _imagenet_utils.obtain_input_shape(input_shape, default_size=default_size, min_size=32,
                                                     data_format="channels_last", require_flatten=include_top,
                                                     weights=weights)
    if weights == "imagenet" and default_size not in WEIGHTS_FILES:
        raise ValueError(NO_IMAGENET_WEIGHTS.format(default_size=default_size))
    img_input = _model_frame.image_input(input_tensor, input_shape)
    divisor = 24 * filter_multiplier**2
    if penultimate_filters % divisor != 0:
        raise ValueError(BAD_PENULTIMATE_FILTERS.format(divisor=divisor, penultimate_filters=penultimate_filters))
    filters = penultimate_filters // 24
    x = layers.Conv2D(stem_block_filters, (3, 3), strides=(2, 2), padding="valid", use_bias=False, name="stem_conv1",
                      kernel_initializer="he_normal")(img_input)
    x = _batch_norm("stem_bn1")(x)
    x, p = reduction_a_cell(x, None, filters // filter_multiplier**2, block_id="stem_1")
    x, p = reduction_a_cell(x, p, filters // filter_multiplier, block_id="stem_2")
    for stage in range(3):
        stage_filters = filters * filter_multiplier**stage
        if stage > 0:
            x, reduction_input = reduction_a_cell(x, p, stage_filters, block_id=f"reduce_{stage * num_blocks}")
            # With skip_reduction the next normal cell reads the same earlier output as the reduction cell did,
            # not the reduction cell's input: that is how the published NASNetLarge is wired.
            p = p if skip_reduction else reduction_input
        for i in range(num_blocks):
            block_id = f"{stage * num_blocks + i + (1 if stage else 0)}"
            x, p = normal_a_cell(x, p, stage_filters, block_id=block_id)
    x = layers.Activation("relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D()(x)
        _imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _model_frame.global_pooling(x, pooling)
    model = _model_frame.functional_model(input_tensor, img_input, x, name)
    if weights == "imagenet":
        file_name, published_name, file_hash = WEIGHTS_FILES[default_size][bool(include_top)]
        _weights.load_weights(model, weights, WEIGHTS_URL + published_name, file_hash, file_name)
    elif weights is not None:
        model.load_weights(weights)
    return model


def NASNetMobile(input_shape: tuple | None = None, include_top: bool = True, weights: Any = "imagenet",
                 input_tensor: Any = None, pooling: str | None = None, classes: int = 1000,
                 classifier_activation: Any = "softmax", name: str = "nasnet_mobile") -> Functional:
    """Instantiates NASNet-A Mobile (4 @ 1056: 5.3M parameters), optionally with its ImageNet weights.

    Inputs are RGB images scaled to [-1, 1] (`nasnet.preprocess_input`), 224x224 by default, at least 32x32.
    Channels-last only. Unlike Keras 3, which refuses this model on its torch backend, kerasx builds it on every
    backend.

    Args:
        input_shape: `(height, width, 3)`; fixed to (224, 224, 3) with the ImageNet classifier. Without the top
            and without a shape, (224, 224, 3) too (the published weights' size).
        include_top: whether to end with the classifier ("predictions").
        weights: None (random), "imagenet" (downloaded once through `kerasx.utils.get_file`), or the path of a
            weights file.
        input_tensor: optional symbolic tensor to use as the image input.
        pooling: without the top: None (the 4D feature map), "avg" or "max".
        classes: number of classes of the classifier (1000 with the ImageNet weights).
        classifier_activation: activation of the classifier; None gives logits.
        name: the model's name.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import NASNetMobile
        >>> model = NASNetMobile(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
        >>> model.output.shape, model.count_params()
        ((None, 1056), 4269716)
    """
    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return NASNet(input_shape, penultimate_filters=1056, num_blocks=4, stem_block_filters=32, skip_reduction=False,
                  filter_multiplier=2, include_top=include_top, weights=weights, input_tensor=input_tensor,
                  pooling=pooling, classes=classes, default_size=224, classifier_activation=classifier_activation,
                  name=name)


def NASNetLarge(input_shape: tuple | None = None, include_top: bool = True, weights: Any = "imagenet",
                input_tensor: Any = None, pooling: str | None = None, classes: int = 1000,
                classifier_activation: Any = "softmax", name: str = "nasnet_large") -> Functional:
    """Instantiates NASNet-A Large (6 @ 4032: 88.9M parameters), optionally with its ImageNet weights.

    Inputs are RGB images scaled to [-1, 1] (`nasnet.preprocess_input`), 331x331 by default, at least 32x32.
    Channels-last only.

    Args:
        input_shape: `(height, width, 3)`; fixed to (331, 331, 3) with the ImageNet classifier.
        include_top: whether to end with the classifier ("predictions").
        weights: None (random), "imagenet" (downloaded once through `kerasx.utils.get_file`), or the path of a
            weights file.
        input_tensor: optional symbolic tensor to use as the image input.
        pooling: without the top: None (the 4D feature map), "avg" or "max".
        classes: number of classes of the classifier (1000 with the ImageNet weights).
        classifier_activation: activation of the classifier; None gives logits.
        name: the model's name.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import NASNetLarge
        >>> model = NASNetLarge(weights=None, include_top=False, input_shape=(32, 32, 3))
        >>> model.output.shape
        (None, 1, 1, 4032)
    """
    return NASNet(input_shape, penultimate_filters=4032, num_blocks=6, stem_block_filters=96, skip_reduction=True,
                  filter_multiplier=2, include_top=include_top, weights=weights, input_tensor=input_tensor,
                  pooling=pooling, classes=classes, default_size=331, classifier_activation=classifier_activation,
                  name=name)

