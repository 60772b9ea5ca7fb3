"""What every ImageNet model shares: input preprocessing (the "caffe", "tf" and "torch" conventions),
`decode_predictions` (the 1000 class names, fetched once through `utils.get_file`), and the argument checks that
decide a model's input shape and classifier.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import numpy as np

from kerasx import activations, ops
from kerasx.backend import _config
from kerasx.utils import _download

CLASS_INDEX_URL = "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
CLASS_INDEX_FILE = "imagenet_class_index.json"
CLASS_INDEX_HASH = "c2c37ea517e94d9795004a39431a14cb"

# Per-channel statistics of ImageNet's training images in the order the preprocessed image holds its channels:
# "caffe" models were trained on BGR images minus the BGR mean; "torch" models on RGB in [0, 1], standardized.
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)
TORCH_MEAN_RGB = (0.485, 0.456, 0.406)
TORCH_STD_RGB = (0.229, 0.224, 0.225)

MODES = ("caffe", "tf", "torch")
BAD_MODE = "preprocess_input: `mode` must be one of 'caffe', 'tf' or 'torch'. Received: mode={mode!r}."
BAD_DATA_FORMAT = (
    "preprocess_input: `data_format` must be None, 'channels_first' or 'channels_last'. "
    "Received: data_format={data_format!r}."
)
BAD_PREDICTIONS = (
    "decode_predictions expects a batch of ImageNet predictions, a 2D array of shape (samples, 1000). "
    "Received: preds with shape {shape}. Pass the output of a model built with include_top=True and classes=1000."
)
FIXED_SHAPE_FOR_IMAGENET = (
    "With include_top=True and weights='imagenet', the input shape is fixed by the pretrained classifier: "
    "`input_shape` should be {expected}. Received: input_shape={input_shape}. Leave input_shape unset, or pass "
    "include_top=False to choose another image size."
)
NOT_THREE_AXES = (
    "`input_shape` must be a tuple of three integers (height, width, channels), channels first with "
    "data_format='channels_first'. Received: input_shape={input_shape}."
)
NOT_THREE_CHANNELS = (
    "The ImageNet weights expect 3 input channels. Received: input_shape={input_shape}. Use weights=None for "
    "another number of channels."
)
TOO_SMALL = (
    "The input images must be at least {min_size}x{min_size} pixels for this model. Received: "
    "input_shape={input_shape}."
)
NEEDS_STATIC_SHAPE = (
    "With include_top=True the classifier needs a fixed image size: give `input_shape` without None. "
    "Received: input_shape={input_shape}."
)
UNUSUAL_CHANNELS = (
    "This model usually expects 1 or 3 input channels. However, it was passed an input_shape with {channels} "
    "input channels."
)
PRETRAINED_ACTIVATION = (
    "With pretrained weights and include_top=True, `classifier_activation` must be None or 'softmax' (the "
    "classifier the weights were trained with). Received: classifier_activation={activation!r}."
)

_class_index: dict | None = None


def _data_format(data_format: str | None) -> str:
    if data_format is None:
        return _config.image_data_format()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(BAD_DATA_FORMAT.format(data_format=data_format))
    return data_format


def _numpy_preprocess(x: np.ndarray, data_format: str, mode: str) -> np.ndarray:
    # In place on a float array, as documented for Keras 3 (pass `np.copy(x)` to keep the original).
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(_config.floatx(), copy=False)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    channel_axis = 0 if (data_format == "channels_first" and x.ndim == 3) else (
        1 if data_format == "channels_first" else x.ndim - 1
    )
    if mode == "torch":
        x /= 255.0
        mean, std = TORCH_MEAN_RGB, TORCH_STD_RGB
    else:
        x = np.flip(x, axis=channel_axis)  # RGB -> BGR, a view: the subtraction below still writes the input
        mean, std = CAFFE_MEAN_BGR, None
    for channel in range(3):
        index = (slice(None),) * channel_axis + (channel,)
        x[index] -= mean[channel]
        if std is not None:
            x[index] /= std[channel]
    return x


def _tensor_preprocess(x, data_format: str, mode: str):
    if mode == "tf":
        return x / 127.5 - 1.0
    ndim = len(x.shape)
    channel_axis = 1 if data_format == "channels_first" and ndim > 3 else (0 if data_format == "channels_first" else -1)
    if mode == "torch":
        x = x / 255.0
        mean, std = TORCH_MEAN_RGB, TORCH_STD_RGB
    else:
        x = ops.flip(x, axis=channel_axis)
        mean, std = CAFFE_MEAN_BGR, None
    broadcast = [1] * ndim
    broadcast[channel_axis] = 3
    x = x - ops.reshape(ops.convert_to_tensor(np.array(mean), dtype=x.dtype), broadcast)
    if std is not None:
        x = x / ops.reshape(ops.convert_to_tensor(np.array(std), dtype=x.dtype), broadcast)
    return x


def preprocess_input(x: Any, data_format: str | None = None, mode: str = "caffe") -> Any:
    """Prepares a batch of RGB images (values 0-255) for an ImageNet model, following its training convention.

    - "caffe": channels reversed to BGR, then the ImageNet mean of each channel subtracted (no scaling).
    - "tf": scaled to [-1, 1] (`x / 127.5 - 1`).
    - "torch": scaled to [0, 1], then each channel standardized with ImageNet's mean and standard deviation.

    A NumPy float array is preprocessed in place (and returned); pass `np.copy(x)` to keep the original. Other
    integer arrays become `floatx()` first. Tensors (and symbolic tensors) give new tensors.

    Args:
        x: images, `(..., height, width, 3)` (or channels first), as a NumPy array or a tensor.
        data_format: "channels_last" or "channels_first"; None reads `kerasx.config.image_data_format()`.
        mode: "caffe", "tf" or "torch".

    Returns:
        The preprocessed images.

    Example:
        >>> import numpy as np
        >>> from kerasx.applications import imagenet_utils
        >>> image = np.array([[[255.0, 0.0, 127.5]]])
        >>> print(imagenet_utils.preprocess_input(image.copy(), mode="tf"))
        [[[ 1. -1.  0.]]]
        >>> print(np.round(imagenet_utils.preprocess_input(image.copy(), mode="caffe"), 3))
        [[[  23.561 -116.779  131.32 ]]]
    """
    if mode not in MODES:
        raise ValueError(BAD_MODE.format(mode=mode))
    data_format = _data_format(data_format)
    if isinstance(x, np.ndarray):
        return _numpy_preprocess(x, data_format, mode)
    return _tensor_preprocess(x, data_format, mode)


def caffe_preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Prepares RGB images (values 0-255) for a model trained the "caffe" way (VGG, ResNet): the channels are
    reversed to BGR and ImageNet's mean of each channel is subtracted, without scaling.

    A NumPy float array is preprocessed in place; see `imagenet_utils.preprocess_input`.

    Args:
        x: images, `(..., height, width, 3)` (or channels first), as a NumPy array or a tensor.
        data_format: "channels_last" or "channels_first"; None reads `kerasx.config.image_data_format()`.

    Returns:
        The preprocessed images (float).

    Example:
        >>> import numpy as np
        >>> from kerasx.applications import vgg16
        >>> print(np.round(vgg16.preprocess_input(np.array([[[255, 0, 0]]])), 3))
        [[[-103.939 -116.779  131.32 ]]]
    """
    return preprocess_input(x, data_format=data_format, mode="caffe")


def tf_preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Prepares RGB images (values 0-255) for a model trained the "tf" way (MobileNet, Inception, Xception, ...):
    values scaled to [-1, 1], `x / 127.5 - 1`.

    A NumPy float array is preprocessed in place; see `imagenet_utils.preprocess_input`.

    Args:
        x: images, `(..., height, width, 3)` (or channels first), as a NumPy array or a tensor.
        data_format: "channels_last" or "channels_first"; None reads `kerasx.config.image_data_format()`.

    Returns:
        The preprocessed images (float).

    Example:
        >>> import numpy as np
        >>> from kerasx.applications import mobilenet_v2
        >>> print(mobilenet_v2.preprocess_input(np.array([[[255, 0, 51]]])))
        [[[ 1.  -1.  -0.6]]]
    """
    return preprocess_input(x, data_format=data_format, mode="tf")


def torch_preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Prepares RGB images (values 0-255) for a model trained the "torch" way (DenseNet): values scaled to
    [0, 1], then each channel standardized with ImageNet's mean and standard deviation.

    A NumPy float array is preprocessed in place; see `imagenet_utils.preprocess_input`.

    Args:
        x: images, `(..., height, width, 3)` (or channels first), as a NumPy array or a tensor.
        data_format: "channels_last" or "channels_first"; None reads `kerasx.config.image_data_format()`.

    Returns:
        The preprocessed images (float).

    Example:
        >>> import numpy as np
        >>> from kerasx.applications import densenet
        >>> print(np.round(densenet.preprocess_input(np.array([[[255, 0, 0]]])), 3))
        [[[ 2.249 -2.036 -1.804]]]
    """
    return preprocess_input(x, data_format=data_format, mode="torch")


def identity_preprocess_input(x: Any, data_format: str | None = None) -> Any:
    """Returns `x` unchanged: this model preprocesses its input itself (its first layers rescale the images).

    Kept so that code written for every application (`module.preprocess_input(x)`) works with this one too.

    Args:
        x: images as a NumPy array or a tensor, values 0-255.
        data_format: ignored (accepted for the same signature as the other modules).

    Returns:
        `x`, unchanged.

    Example:
        >>> import numpy as np
        >>> from kerasx.applications import efficientnet
        >>> print(efficientnet.preprocess_input(np.array([0.0, 255.0])))
        [  0. 255.]
    """
    del data_format
    return x


def _imagenet_class_index() -> dict:
    global _class_index
    if _class_index is None:
        path = _download.get_file(CLASS_INDEX_FILE, CLASS_INDEX_URL, cache_subdir="models", file_hash=CLASS_INDEX_HASH)
        with open(path, encoding="utf-8") as file:
            _class_index = json.load(file)
    assert _class_index is not None  # read just above
    return _class_index


def decode_predictions(preds: Any, top: int = 5) -> list:
    """The `top` most likely ImageNet classes of each prediction, as `(class_id, class_name, score)` tuples.

    The class names are downloaded once (`imagenet_class_index.json`, through `kerasx.utils.get_file` into the
    `models` folder of kerasx's cache; a copy Keras 3 downloaded is reused) and kept for the process.

    Args:
        preds: predictions of shape `(samples, 1000)`, a NumPy array or a tensor.
        top: how many classes to return per sample.

    Returns:
        One list per sample of `top` tuples `(class_id, class_name, score)`, highest score first.

    Example:
        >>> import numpy as np
        >>> from kerasx.applications import _imagenet_utils, imagenet_utils
        >>> names = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
        >>> _imagenet_utils._class_index = names  # what the download would have read (no network here)
        >>> preds = np.zeros((1, 1000)); preds[0, 7] = 0.75; preds[0, 3] = 0.25
        >>> [(name, float(score)) for _, name, score in imagenet_utils.decode_predictions(preds, top=2)[0]]
        [('class_7', 0.75), ('class_3', 0.25)]
        >>> _imagenet_utils._class_index = None
    """
    shape = tuple(preds.shape)
    if len(shape) != 2 or shape[1] != 1000:
        raise ValueError(BAD_PREDICTIONS.format(shape=shape))
    class_index = _imagenet_class_index()
    results = []
    for pred in ops.convert_to_numpy(preds):
        best = pred.argsort()[-top:][::-1]
        result = [(*class_index[str(i)], pred[i]) for i in best]
        result.sort(key=lambda entry: entry[2], reverse=True)
        results.append(result)
    return results


def obtain_input_shape(input_shape, default_size: int, min_size: int, data_format: str, require_flatten: bool,
                       weights: Any = None) -> tuple:
    """The model's input shape from the user's `input_shape`, checked as Keras 3's applications check it.

    With ImageNet weights and the classifier (`require_flatten`), the shape is the pretrained one; otherwise
    the user's shape (three axes, at least `min_size` pixels, three channels for ImageNet weights) or a default
    with unknown height and width.
    """
    channels_first = data_format == "channels_first"
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        channels = input_shape[0] if channels_first else input_shape[-1]
        if channels not in {1, 3}:
            warnings.warn(UNUSUAL_CHANNELS.format(channels=channels), stacklevel=3)
        size = (default_size, default_size)
        default_shape = (channels, *size) if channels_first else (*size, channels)
    else:
        default_shape = (3, default_size, default_size) if channels_first else (default_size, default_size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None and tuple(input_shape) != default_shape:
            raise ValueError(FIXED_SHAPE_FOR_IMAGENET.format(expected=default_shape, input_shape=input_shape))
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise ValueError(NOT_THREE_AXES.format(input_shape=input_shape))
        channels = input_shape[0] if channels_first else input_shape[-1]
        spatial = input_shape[1:] if channels_first else input_shape[:2]
        if channels != 3 and weights == "imagenet":
            raise ValueError(NOT_THREE_CHANNELS.format(input_shape=input_shape))
        if any(size is not None and size < min_size for size in spatial):
            raise ValueError(TOO_SMALL.format(min_size=min_size, input_shape=input_shape))
    elif require_flatten:
        input_shape = default_shape
    else:
        input_shape = (3, None, None) if channels_first else (None, None, 3)
    if require_flatten and None in input_shape:
        raise ValueError(NEEDS_STATIC_SHAPE.format(input_shape=input_shape))
    return tuple(input_shape)


def correct_pad(inputs, kernel_size) -> tuple:
    """The `ZeroPadding2D` padding that makes a strided convolution with `kernel_size` centred, as "same" would
    be on an even size: `((top, bottom), (left, right))`, one pixel less on the top/left of even sizes."""
    spatial_axis = 2 if _config.image_data_format() == "channels_first" else 1
    size = tuple(inputs.shape[spatial_axis:spatial_axis + 2])
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    adjust = (1, 1) if size[0] is None else (1 - size[0] % 2, 1 - size[1] % 2)
    half = (kernel_size[0] // 2, kernel_size[1] // 2)
    return ((half[0] - adjust[0], half[0]), (half[1] - adjust[1], half[1]))


def validate_activation(classifier_activation, weights) -> None:
    """Pretrained classifiers end with softmax: only None or "softmax" fit weights that are loaded."""
    if weights is None:
        return
    activation = activations.get(classifier_activation)
    if activation not in {activations.get("softmax"), activations.get(None)}:
        raise ValueError(PRETRAINED_ACTIVATION.format(activation=classifier_activation))
