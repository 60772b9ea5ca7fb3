"""ConvNeXt Tiny, Small, Base, Large and XLarge (Liu et al. 2022, "A ConvNet for the 2020s"): a ResNet
modernized after vision transformers (patchify stem, 7x7 depthwise convolutions, layer normalization, inverted
bottlenecks with GELU, per-channel layer scale, stochastic depth).

With `include_preprocessing` (the default) the models take RGB images with values 0-255. Channels-last only.
Layer names, order and weights are Keras 3's, so Keras's weight files load by layer order.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerasx import initializers, layers, ops, random
from kerasx.applications import _imagenet_utils, _model_frame, _weights
from kerasx.backend import _config
from kerasx.models import Functional, Sequential
from kerasx.serialization import _registry

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/convnext/"
WEIGHTS_HASHES = {  # weights name -> (sha256 with the top, sha256 without)
    "convnext_tiny": ("8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
                      "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1"),
    "convnext_small": ("ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c",
                       "6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab"),
    "convnext_base": ("52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6",
                      "40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45"),
    "convnext_large": ("070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6",
                       "96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd"),
    "convnext_xlarge": ("c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee",
                        "de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05"),
}
MODEL_CONFIGS = {
    "tiny": {"depths": [3, 3, 9, 3], "projection_dims": [96, 192, 384, 768], "default_size": 224},
    "small": {"depths": [3, 3, 27, 3], "projection_dims": [96, 192, 384, 768], "default_size": 224},
    "base": {"depths": [3, 3, 27, 3], "projection_dims": [128, 256, 512, 1024], "default_size": 224},
    "large": {"depths": [3, 3, 27, 3], "projection_dims": [192, 384, 768, 1536], "default_size": 224},
    "xlarge": {"depths": [3, 3, 27, 3], "projection_dims": [256, 512, 1024, 2048], "default_size": 224},
}
# ImageNet's per-channel mean and variance, on the 0-255 scale of the input images.
IMAGENET_MEAN_255 = [0.485 * 255, 0.456 * 255, 0.406 * 255]
IMAGENET_VARIANCE_255 = [(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2]

CHANNELS_FIRST = (
    "ConvNeXt builds channels-last models only. Received: image_data_format='channels_first'. Call "
    "`kerasx.config.set_image_data_format('channels_last')` first (and transpose channels-first images)."
)
ARCHITECTURE_MISMATCH = (
    "The {weights_name} ImageNet weights need its architecture: depths={expected_depths}, "
    "projection_dims={expected_dims}. Received: depths={depths}, projection_dims={projection_dims}. Use weights=None "
    "for another architecture."
)
NAME_MISMATCH = (
    "With weights='imagenet' the model's name must contain the weights variant {weights_name!r} (the weights file "
    "is named after the model). Received: name={name!r}."
)


@_registry.builtin
class StochasticDepth(layers.Layer):
    """Drops its whole input per sample with probability `drop_path_rate` while training (the kept samples
    scaled by `1 / (1 - drop_path_rate)`); the identity at inference.

    Args:
        drop_path_rate: probability of dropping a sample's residual branch.
        **kwargs: base Layer arguments (name, dtype, ...).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> from kerasx.applications._convnext import StochasticDepth
        >>> print(kerasx.ops.convert_to_numpy(StochasticDepth(0.5)(np.ones((2, 3)))))
        [[1. 1. 1.]
         [1. 1. 1.]]
    """

    def __init__(self, drop_path_rate: float, **kwargs):
        super().__init__(**kwargs)
        self.drop_path_rate = drop_path_rate

    def call(self, x, training=None):
        if not training:
            return x
        keep_prob = 1 - self.drop_path_rate
        shape = (ops.shape(x)[0],) + (1,) * (len(x.shape) - 1)
        kept = ops.floor(keep_prob + random.uniform(shape, 0, 1))
        return (x / keep_prob) * kept

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "drop_path_rate": self.drop_path_rate}


@_registry.builtin
class LayerScale(layers.Layer):
    """Multiplies each channel by a learned factor (`gamma`, of shape `(projection_dim,)`, initialized to
    `init_values`).

    Args:
        init_values: the initial value of every factor (ConvNeXt uses 1e-6).
        projection_dim: the number of channels.
        **kwargs: base Layer arguments (name, dtype, ...).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> from kerasx.applications._convnext import LayerScale
        >>> print(kerasx.ops.convert_to_numpy(LayerScale(0.5, 2)(np.array([[2.0, 4.0]]))))
        [[1. 2.]]
    """

    def __init__(self, init_values: float, projection_dim: int, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape):
        self.gamma = self.add_weight(shape=(self.projection_dim,), initializer=initializers.Constant(self.init_values),
                                     trainable=True)

    def call(self, x):
        return x * self.gamma

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "init_values": self.init_values, "projection_dim": self.projection_dim}


def ConvNeXtBlock(projection_dim: int, drop_path_rate: float = 0.0, layer_scale_init_value: float | None = 1e-6,
                  name: str = "convnext_block"):
    """One ConvNeXt block (7x7 depthwise convolution, layer norm, 4x inverted bottleneck with GELU, layer scale,
    stochastic depth, residual): returns the function that applies it to a tensor."""

    def apply(inputs):
        x = layers.Conv2D(filters=projection_dim, kernel_size=7, padding="same", groups=projection_dim,
                          name=f"{name}_depthwise_conv")(inputs)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_layernorm")(x)
        x = layers.Dense(4 * projection_dim, name=f"{name}_pointwise_conv_1")(x)
        x = layers.Activation("gelu", name=f"{name}_gelu")(x)
        x = layers.Dense(projection_dim, name=f"{name}_pointwise_conv_2")(x)
        if layer_scale_init_value is not None:
            x = LayerScale(layer_scale_init_value, projection_dim, name=f"{name}_layer_scale")(x)
        if drop_path_rate:
            branch = StochasticDepth(drop_path_rate, name=f"{name}_stochastic_depth")
        else:
            branch = layers.Activation("linear", name=f"{name}_identity")
        return inputs + branch(x)

    return apply


def _downsampling_layers(name: str, projection_dims: list) -> list:
    # The stem (4x4 patches) and the three 2x2 downsamplings before stages 1-3, each a named Sequential.
    stem = Sequential([
        layers.Conv2D(projection_dims[0], kernel_size=4, strides=4, name=f"{name}_stem_conv"),
        layers.LayerNormalization(epsilon=1e-6, name=f"{name}_stem_layernorm"),
    ], name=f"{name}_stem")
    downsampling = [stem]
    for i in range(3):
        downsampling.append(Sequential([
            layers.LayerNormalization(epsilon=1e-6, name=f"{name}_downsampling_layernorm_{i}"),
            layers.Conv2D(projection_dims[i + 1], kernel_size=2, strides=2, name=f"{name}_downsampling_conv_{i}"),
        ], name=f"{name}_downsampling_block_{i}"))
    return downsampling


def _check_imagenet_variant(name: str, weights_name: str, depths: list, projection_dims: list) -> None:
    expected = MODEL_CONFIGS[weights_name.split("convnext_")[-1]]
    if list(depths) != expected["depths"] or list(projection_dims) != expected["projection_dims"]:
        raise ValueError(ARCHITECTURE_MISMATCH.format(
            weights_name=weights_name, expected_depths=expected["depths"], expected_dims=expected["projection_dims"],
            depths=depths, projection_dims=projection_dims))
    if weights_name not in name:
        raise ValueError(NAME_MISMATCH.format(weights_name=weights_name, name=name))


def ConvNeXt(depths: list, projection_dims: list, drop_path_rate: float = 0.0,
             layer_scale_init_value: float | None = 1e-6, default_size: int = 224, name: str = "convnext",
             include_preprocessing: bool = True, include_top: bool = True, weights: Any = None,
             input_tensor: Any = None, input_shape: tuple | None = None, pooling: str | None = None,
             classes: int = 1000, classifier_activation: Any = "softmax",
             weights_name: str | None = None) -> Functional:
    """A ConvNeXt of any size: `depths[i]` blocks of width `projection_dims[i]` in each of the four stages, the
    stochastic-depth rate growing linearly over the blocks from 0 to `drop_path_rate`."""
    if _config.image_data_format() == "channels_first":
        raise ValueError(CHANNELS_FIRST)
    _model_frame.check_weights(name, weights, include_top, classes)
    input_shape = _imagenet_utils.obtain_input_shape(input_shape, default_size=default_size, min_size=32,
                                                     data_format="channels_last", require_flatten=include_top,
                                                     weights=weights)
    img_input = _model_frame.image_input(input_tensor, input_shape)
    x = img_input
    if include_preprocessing and input_shape[-1] == 3:
        x = layers.Normalization(mean=IMAGENET_MEAN_255, variance=IMAGENET_VARIANCE_255,
                                 name=f"{name}_prestem_normalization")(x)
    drop_rates = [float(rate) for rate in np.linspace(0.0, drop_path_rate, sum(depths))]
    first_block = 0
    for stage, downsampling in enumerate(_downsampling_layers(name, projection_dims)):
        x = downsampling(x)
        for j in range(depths[stage]):
            x = ConvNeXtBlock(projection_dim=projection_dims[stage], drop_path_rate=drop_rates[first_block + j],
                              layer_scale_init_value=layer_scale_init_value, name=f"{name}_stage_{stage}_block_{j}")(x)
        first_block += depths[stage]
    if include_top:
        _imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = layers.LayerNormalization(epsilon=1e-6, name=f"{name}_head_layernorm")(x)
        x = layers.Dense(classes, activation=classifier_activation, name=f"{name}_head_dense")(x)
    else:
        x = _model_frame.global_pooling(x, pooling)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
    # Keras 3 takes the first source input only.
    inputs = img_input if input_tensor is None else _model_frame.source_inputs(input_tensor)[0]
    model = Functional(inputs=inputs, outputs=x, name=name)
    if weights == "imagenet":
        _check_imagenet_variant(name, str(weights_name), depths, projection_dims)
        file_name = name + (".h5" if include_top else "_notop.h5")
        file_hash = WEIGHTS_HASHES[str(weights_name)][0 if include_top else 1]
        _weights.load_weights(model, weights, WEIGHTS_URL + file_name, file_hash, file_name)
    elif weights is not None:
        model.load_weights(weights)
    return model


def ConvNeXtTiny(include_top: bool = True, include_preprocessing: bool = True, weights: Any = "imagenet",
                input_tensor: Any = None, input_shape: tuple | None = None, pooling: str | None = None,
                classes: int = 1000, classifier_activation: Any = "softmax",
                name: str = "convnext_tiny") -> Functional:
    """Instantiates ConvNeXt-Tiny (28.6M parameters with the classifier), optionally with its ImageNet weights.

    With `include_preprocessing` it takes RGB images with values 0-255 (224x224 by default, at least 32x32) and
    normalizes them itself (`convnext.preprocess_input` returns its input unchanged). Channels-last only.

    Args:
        include_top: whether to end with the classifier ("{name}_head_gap", "_head_layernorm", "_head_dense").
        include_preprocessing: whether the model starts by normalizing 0-255 images with ImageNet's statistics
            (for 3-channel inputs); without it, pass normalized images.
        weights: None (random), "imagenet" (downloaded once through `kerasx.utils.get_file`; the model's name
            must then contain "convnext_tiny"), or the path of a weights file.
        input_tensor: optional symbolic tensor to use as the image input.
        input_shape: `(height, width, channels)` when `include_top=False` or `weights` is not "imagenet"; height
            and width at least 32.
        pooling: without the top: None (the 4D feature map), "avg" or "max"; a LayerNormalization follows.
        classes: number of classes of the classifier (1000 with the ImageNet weights).
        classifier_activation: activation of the classifier; None gives logits. With pretrained weights only
            None or "softmax".
        name: the model's name, the prefix of its layers' names (and of the weights file's name).

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import ConvNeXtTiny
        >>> model = ConvNeXtTiny(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
        >>> model.output.shape, model.count_params()
        ((None, 768), 27820128)
    """
    config = MODEL_CONFIGS["tiny"]
    return ConvNeXt(weights_name="convnext_tiny", depths=config["depths"], projection_dims=config["projection_dims"],
                    drop_path_rate=0.0, layer_scale_init_value=1e-6, default_size=config["default_size"], name=name,
                    include_top=include_top, include_preprocessing=include_preprocessing, weights=weights,
                    input_tensor=input_tensor, input_shape=input_shape, pooling=pooling, classes=classes,
                    classifier_activation=classifier_activation)


def ConvNeXtSmall(include_top: bool = True, include_preprocessing: bool = True, weights: Any = "imagenet",
                input_tensor: Any = None, input_shape: tuple | None = None, pooling: str | None = None,
                classes: int = 1000, classifier_activation: Any = "softmax",
                name: str = "convnext_small") -> Functional:
    """Instantiates ConvNeXt-Small (50.2M parameters with the classifier), optionally with its ImageNet weights.

    With `include_preprocessing` it takes RGB images with values 0-255 (224x224 by default, at least 32x32) and
    normalizes them itself (`convnext.preprocess_input` returns its input unchanged). Channels-last only.

    Args:
        include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
            classifier_activation, name: as for `ConvNeXtTiny`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import ConvNeXtSmall
        >>> ConvNeXtSmall(weights="imagenet", classes=10)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: convnext_small: the ImageNet classifier has 1000 classes, ...
    """
    config = MODEL_CONFIGS["small"]
    return ConvNeXt(weights_name="convnext_small", depths=config["depths"], projection_dims=config["projection_dims"],
                    drop_path_rate=0.0, layer_scale_init_value=1e-6, default_size=config["default_size"], name=name,
                    include_top=include_top, include_preprocessing=include_preprocessing, weights=weights,
                    input_tensor=input_tensor, input_shape=input_shape, pooling=pooling, classes=classes,
                    classifier_activation=classifier_activation)


def ConvNeXtBase(include_top: bool = True, include_preprocessing: bool = True, weights: Any = "imagenet",
                input_tensor: Any = None, input_shape: tuple | None = None, pooling: str | None = None,
                classes: int = 1000, classifier_activation: Any = "softmax",
                name: str = "convnext_base") -> Functional:
    """Instantiates ConvNeXt-Base (88.6M parameters with the classifier), optionally with its ImageNet weights.

    With `include_preprocessing` it takes RGB images with values 0-255 (224x224 by default, at least 32x32) and
    normalizes them itself (`convnext.preprocess_input` returns its input unchanged). Channels-last only.

    Args:
        include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
            classifier_activation, name: as for `ConvNeXtTiny`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import ConvNeXtBase
        >>> ConvNeXtBase(weights="imagenet", classes=10)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: convnext_base: the ImageNet classifier has 1000 classes, ...
    """
    config = MODEL_CONFIGS["base"]
    return ConvNeXt(weights_name="convnext_base", depths=config["depths"], projection_dims=config["projection_dims"],
                    drop_path_rate=0.0, layer_scale_init_value=1e-6, default_size=config["default_size"], name=name,
                    include_top=include_top, include_preprocessing=include_preprocessing, weights=weights,
                    input_tensor=input_tensor, input_shape=input_shape, pooling=pooling, classes=classes,
                    classifier_activation=classifier_activation)


def ConvNeXtLarge(include_top: bool = True, include_preprocessing: bool = True, weights: Any = "imagenet",
                input_tensor: Any = None, input_shape: tuple | None = None, pooling: str | None = None,
                classes: int = 1000, classifier_activation: Any = "softmax",
                name: str = "convnext_large") -> Functional:
    """Instantiates ConvNeXt-Large (197.8M parameters with the classifier), optionally with its ImageNet weights.

    With `include_preprocessing` it takes RGB images with values 0-255 (224x224 by default, at least 32x32) and
    normalizes them itself (`convnext.preprocess_input` returns its input unchanged). Channels-last only.

    Args:
        include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
            classifier_activation, name: as for `ConvNeXtTiny`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import ConvNeXtLarge
        >>> ConvNeXtLarge(weights="imagenet", classes=10)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: convnext_large: the ImageNet classifier has 1000 classes, ...
    """
    config = MODEL_CONFIGS["large"]
    return ConvNeXt(weights_name="convnext_large", depths=config["depths"], projection_dims=config["projection_dims"],
                    drop_path_rate=0.0, layer_scale_init_value=1e-6, default_size=config["default_size"], name=name,
                    include_top=include_top, include_preprocessing=include_preprocessing, weights=weights,
                    input_tensor=input_tensor, input_shape=input_shape, pooling=pooling, classes=classes,
                    classifier_activation=classifier_activation)


def ConvNeXtXLarge(include_top: bool = True, include_preprocessing: bool = True, weights: Any = "imagenet",
                input_tensor: Any = None, input_shape: tuple | None = None, pooling: str | None = None,
                classes: int = 1000, classifier_activation: Any = "softmax",
                name: str = "convnext_xlarge") -> Functional:
    """Instantiates ConvNeXt-XLarge (350.2M parameters with the classifier), optionally with its ImageNet weights.

    With `include_preprocessing` it takes RGB images with values 0-255 (224x224 by default, at least 32x32) and
    normalizes them itself (`convnext.preprocess_input` returns its input unchanged). Channels-last only.

    Args:
        include_top, include_preprocessing, weights, input_tensor, input_shape, pooling, classes,
            classifier_activation, name: as for `ConvNeXtTiny`.

    Returns:
        A functional `Model`.

    Example:
        >>> from kerasx.applications import ConvNeXtXLarge
        >>> ConvNeXtXLarge(weights="imagenet", classes=10)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: convnext_xlarge: the ImageNet classifier has 1000 classes, ...
    """
    config = MODEL_CONFIGS["xlarge"]
    return ConvNeXt(weights_name="convnext_xlarge", depths=config["depths"], projection_dims=config["projection_dims"],
                    drop_path_rate=0.0, layer_scale_init_value=1e-6, default_size=config["default_size"], name=name,
                    include_top=include_top, include_preprocessing=include_preprocessing, weights=weights,
                    input_tensor=input_tensor, input_shape=input_shape, pooling=pooling, classes=classes,
                    classifier_activation=classifier_activation)
