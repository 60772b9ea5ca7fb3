"""VGG16 and VGG19 (Simonyan and Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition",
ICLR 2015): five blocks of 3x3 convolutions, each ending with a 2x2 max pooling, then two 4096-unit layers."""

from __future__ import annotations

from typing import Any

from kerasx import layers
from kerasx.applications import _imagenet_utils, _model_frame, _weights
from kerasx.backend import _config

_WEIGHTS_FOLDER = _weights.KERAS_APPLICATIONS_URL
# (file with the classifier, its md5), (file without, its md5): the files Keras 3's VGG16/VGG19 download.
_VGG16_FILES = (
    ("vgg16/vgg16_weights_tf_dim_ordering_tf_kernels.h5", "64373286793e3c8b2b4e3219cbf3544b"),
    ("vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", "6d6bbae143d832006294945121d1f1fc"),
)
_VGG19_FILES = (
    ("vgg19/vgg19_weights_tf_dim_ordering_tf_kernels.h5", "cbe5617147190e668d6c5d5026f83318"),
    ("vgg19/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5", "253f8cb515780f3b799900260a226db6"),
)
_DEFAULT_SIZE = 224
_MIN_SIZE = 32


def _vgg(model_name: str, convolutions: tuple, files: tuple, include_top: bool, weights: Any, input_tensor,
         input_shape, pooling, classes: int, classifier_activation, name: str):
    _model_frame.check_weights(model_name, weights, include_top, classes)
    input_shape = _imagenet_utils.obtain_input_shape(
        input_shape, default_size=_DEFAULT_SIZE, min_size=_MIN_SIZE, data_format=_config.image_data_format(),
        require_flatten=include_top, weights=weights,
    )
    img_input = _model_frame.image_input(input_tensor, input_shape)
    x = img_input
    for block, (num_convolutions, filters) in enumerate(zip(convolutions, (64, 128, 256, 512, 512)), start=1):
        for index in range(1, num_convolutions + 1):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same",
                              name=f"block{block}_conv{index}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        _imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _model_frame.global_pooling(x, pooling)
    model = _model_frame.functional_model(input_tensor, img_input, x, name)
    file_name, file_hash = files[0] if include_top else files[1]
    _weights.load_weights(model, weights, origin=_WEIGHTS_FOLDER + file_name, file_hash=file_hash)
    return model


def VGG16(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
          input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
          classifier_activation: Any = "softmax", name: str = "vgg16"):
    """The VGG16 image classifier: 13 convolutions in five blocks, then (with `include_top`) 3 dense layers.

    Expects images preprocessed with `kerasx.applications.vgg16.preprocess_input` (BGR, ImageNet mean
    subtracted). With `weights="imagenet"` the published ImageNet weights are downloaded once into kerasx's cache
    (`~/.kerasx/models`; a copy in Keras 3's `~/.keras/models` is reused) and loaded.

    Args:
        include_top: whether to end with the classifier (flatten, two 4096-unit layers, `classes` outputs).
            With it, the input size is fixed (224x224 for the ImageNet weights).
        weights: None (random initialization), "imagenet", or the path of a weights file to load.
        input_tensor: a tensor (e.g. `kerasx.Input(...)`'s output) to use as the model's input.
        input_shape: `(height, width, channels)` (channels first with that data format); at least 32x32.
            Default: 224x224x3 with the classifier, any size without.
        pooling: without the classifier, "avg" or "max" pools the last features over space (output
            `(batch, 512)`); None keeps the 4D feature map.
        classes: number of classes of the classifier (1000 with the ImageNet weights).
        classifier_activation: activation of the classifier's last layer (None gives logits; with pretrained
            weights only None or "softmax").
        name: the model's name.

    Returns:
        A `Functional` model.

    Example:
        >>> from kerasx import applications
        >>> model = applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
        >>> model.output.shape, model.count_params()
        ((None, 512), 14714688)
    """
    return _vgg("VGG16", (2, 2, 3, 3, 3), _VGG16_FILES, include_top, weights, input_tensor, input_shape, pooling,
                classes, classifier_activation, name)


def VGG19(include_top: bool = True, weights: Any = "imagenet", input_tensor: Any = None,
          input_shape: tuple | None = None, pooling: str | None = None, classes: int = 1000,
          classifier_activation: Any = "softmax", name: str = "vgg19"):
    """The VGG19 image classifier: 16 convolutions in five blocks, then (with `include_top`) 3 dense layers.

    Expects images preprocessed with `kerasx.applications.vgg19.preprocess_input` (BGR, ImageNet mean
    subtracted). With `weights="imagenet"` the published ImageNet weights are downloaded once into kerasx's cache
    (`~/.kerasx/models`; a copy in Keras 3's `~/.keras/models` is reused) and loaded.

    Args:
        include_top: whether to end with the classifier (flatten, two 4096-unit layers, `classes` outputs).
            With it, the input size is fixed (224x224 for the ImageNet weights).
        weights: None (random initialization), "imagenet", or the path of a weights file to load.
        input_tensor: a tensor (e.g. `kerasx.Input(...)`'s output) to use as the model's input.
        input_shape: `(height, width, channels)` (channels first with that data format); at least 32x32.
            Default: 224x224x3 with the classifier, any size without.
        pooling: without the classifier, "avg" or "max" pools the last features over space (output
            `(batch, 512)`); None keeps the 4D feature map.
        classes: number of classes of the classifier (1000 with the ImageNet weights).
        classifier_activation: activation of the classifier's last layer (None gives logits; with pretrained
            weights only None or "softmax").
        name: the model's name.

    Returns:
        A `Functional` model.

    Example:
        >>> from kerasx import applications
        >>> model = applications.VGG19(weights=None, include_top=False, input_shape=(32, 32, 3))
        >>> model.output.shape, model.count_params()
        ((None, 1, 1, 512), 20024384)
    """
    return _vgg("VGG19", (2, 2, 4, 4, 4), _VGG19_FILES, include_top, weights, input_tensor, input_shape, pooling,
                classes, classifier_activation, name)
