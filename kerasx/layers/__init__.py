"""Layers (Keras 3 names): the `Layer` base class and `Input`/`InputLayer`, core, convolution, pooling,
normalization, merging, reshaping, regularization, recurrent and wrapper layers, and `serialize`/`deserialize`.
"""

from kerasx import _missing
from kerasx.layers._activation import Activation
from kerasx.layers._activation_layers import ELU, LeakyReLU, PReLU, ReLU, Softmax
from kerasx.layers._activity_regularization import ActivityRegularization
from kerasx.layers._adaptive_pooling import (
    AdaptiveAveragePooling1D,
    AdaptiveAveragePooling2D,
    AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D,
    AdaptiveMaxPooling2D,
    AdaptiveMaxPooling3D,
)
from kerasx.layers._attention import AdditiveAttention, Attention
from kerasx.layers._batch_norm import BatchNormalization
from kerasx.layers._bidirectional import Bidirectional
from kerasx.layers._concatenate import Concatenate, concatenate
from kerasx.layers._conv import Conv1D, Conv2D, Conv3D
from kerasx.layers._conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from kerasx.layers._conv_transpose import (
    Conv1DTranspose,
    Conv2DTranspose,
    Conv3DTranspose,
    Convolution1DTranspose,
    Convolution2DTranspose,
    Convolution3DTranspose,
)
from kerasx.layers._cropping import Cropping1D, Cropping2D, Cropping3D
from kerasx.layers._dense import Dense
from kerasx.layers._depthwise_conv import DepthwiseConv1D, DepthwiseConv2D
from kerasx.layers._dot import Dot, dot
from kerasx.layers._dropout import Dropout
from kerasx.layers._einsum_dense import EinsumDense
from kerasx.layers._embedding import Embedding
from kerasx.layers._global_pooling import (
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAveragePooling3D,
    GlobalAvgPool1D,
    GlobalAvgPool2D,
    GlobalAvgPool3D,
    GlobalMaxPool1D,
    GlobalMaxPool2D,
    GlobalMaxPool3D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    GlobalMaxPooling3D,
)
from kerasx.layers._group_norm import GroupNormalization
from kerasx.layers._grouped_query_attention import GroupedQueryAttention
from kerasx.layers._gru import GRU, GRUCell
from kerasx.layers._identity import Identity
from kerasx.layers._input_layer import Input, InputLayer
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._jax_layer import FlaxLayer, JaxLayer
from kerasx.layers._lambda import Lambda
from kerasx.layers._layer import Layer
from kerasx.layers._layer_norm import LayerNormalization
from kerasx.layers._lstm import LSTM, LSTMCell
from kerasx.layers._masking import Masking
from kerasx.layers._merging import (
    Add,
    Average,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    maximum,
    minimum,
    multiply,
    subtract,
)
from kerasx.layers._multi_head_attention import MultiHeadAttention
from kerasx.layers._noise import AlphaDropout, GaussianDropout, GaussianNoise
from kerasx.layers._padding import ZeroPadding1D, ZeroPadding2D, ZeroPadding3D
from kerasx.layers._pooling import (
    AveragePooling1D,
    AveragePooling2D,
    AveragePooling3D,
    AvgPool1D,
    AvgPool2D,
    AvgPool3D,
    MaxPool1D,
    MaxPool2D,
    MaxPool3D,
    MaxPooling1D,
    MaxPooling2D,
    MaxPooling3D,
)
from kerasx.layers._preprocessing._category_encoding import CategoryEncoding
from kerasx.layers._preprocessing._color_jitter import RandomColorJitter
from kerasx.layers._preprocessing._discretization import Discretization
from kerasx.layers._preprocessing._hashing import HashedCrossing, Hashing
from kerasx.layers._preprocessing._histogram import (
    AutoContrast,
    ContrastLimitedAdaptiveHistogramEqualization,
    Equalization,
)
from kerasx.layers._preprocessing._lookup import IntegerLookup, StringLookup
from kerasx.layers._preprocessing._max_num_boxes import MaxNumBoundingBoxes
from kerasx.layers._preprocessing._mixing import CutMix, MixUp, RandomErasing
from kerasx.layers._preprocessing._normalization import Normalization
from kerasx.layers._preprocessing._pipeline import Pipeline
from kerasx.layers._preprocessing._rand_augment import AugMix, RandAugment
from kerasx.layers._preprocessing._random_affine import RandomRotation, RandomShear, RandomTranslation, RandomZoom
from kerasx.layers._preprocessing._random_color import (
    RandomBrightness,
    RandomColorDegeneration,
    RandomContrast,
    RandomGrayscale,
    RandomHue,
    RandomSaturation,
)
from kerasx.layers._preprocessing._random_crop import RandomCrop
from kerasx.layers._preprocessing._random_flip import RandomFlip
from kerasx.layers._preprocessing._random_pixels import (
    RandomGaussianBlur,
    RandomInvert,
    RandomPosterization,
    RandomSharpness,
    Solarization,
)
from kerasx.layers._preprocessing._random_warp import RandomElasticTransform, RandomPerspective
from kerasx.layers._preprocessing._rescaling import Rescaling
from kerasx.layers._preprocessing._resizing import CenterCrop, Resizing
from kerasx.layers._preprocessing._spectrograms import MelSpectrogram, STFTSpectrogram
from kerasx.layers._preprocessing._text_vectorization import TextVectorization
from kerasx.layers._reshaping import Flatten, Permute, RepeatVector, Reshape
from kerasx.layers._reversible_embedding import ReversibleEmbedding
from kerasx.layers._rms_norm import RMSNormalization
from kerasx.layers._rnn import RNN
from kerasx.layers._separable_conv import (
    SeparableConv1D,
    SeparableConv2D,
    SeparableConvolution1D,
    SeparableConvolution2D,
)
from kerasx.layers._simple_rnn import SimpleRNN, SimpleRNNCell
from kerasx.layers._spatial_dropout import SpatialDropout1D, SpatialDropout2D, SpatialDropout3D
from kerasx.layers._spectral_norm import SpectralNormalization
from kerasx.layers._stacked_rnn_cells import StackedRNNCells
from kerasx.layers._tfsm_layer import TFSMLayer
from kerasx.layers._time_distributed import TimeDistributed
from kerasx.layers._torch_module_wrapper import TorchModuleWrapper
from kerasx.layers._unit_norm import UnitNormalization
from kerasx.layers._upsampling import UpSampling1D, UpSampling2D, UpSampling3D
from kerasx.layers._wrapper import Wrapper
from kerasx.serialization import Family, _registry

_registry.builtin(Layer)
# Every layer class registers its own name, so the family's table holds only the layers whose bare name another
# family has in the registry (the Identity initializer): the rest resolve in the registry.
_FAMILY = Family("layer", "kerasx.layers", {"Identity": Identity}, base=Layer)


def serialize(layer) -> dict:
    """`{"class_name": ..., "config": layer.get_config()}`.

    Args:
        layer: the layer to describe.

    Returns:
        A dict of plain Python values (JSON-serializable) from which `deserialize` makes a new, unbuilt layer.

    Example:
        >>> import kerasx
        >>> config = kerasx.layers.serialize(kerasx.layers.Dense(4, name="d"))
        >>> config["class_name"], config["config"]["units"], config["config"]["name"]
        ('Dense', 4, 'd')
    """
    return _FAMILY.serialize(layer)


def deserialize(config, custom_objects=None):
    """A new layer from `serialize`'s output.

    Args:
        config: a dict `{"class_name": ..., "config": ...}` as written by `serialize`.
        custom_objects: optional dict mapping class names to your own layer classes.

    Returns:
        A new layer instance (unbuilt: its weights are created at its first call).

    Example:
        >>> import kerasx
        >>> layer = kerasx.layers.deserialize({"class_name": "Dropout", "config": {"rate": 0.25}})
        >>> type(layer).__name__, layer.rate
        ('Dropout', 0.25)
    """
    return _FAMILY.deserialize(config, custom_objects)


__all__ = ["Activation", "Dense", "Input", "InputLayer", "InputSpec", "Layer", "deserialize", "serialize"]

# Convolution, pooling, normalization, merging, reshaping, dropout, embedding.
__all__ += [
    "Add",
    "Average",
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "BatchNormalization",
    "Concatenate",
    "Conv1D",
    "Conv2D",
    "Conv3D",
    "Conv1DTranspose",
    "Conv2DTranspose",
    "Conv3DTranspose",
    "Convolution1DTranspose",
    "Convolution2DTranspose",
    "Convolution3DTranspose",
    "DepthwiseConv1D",
    "DepthwiseConv2D",
    "SeparableConv1D",
    "SeparableConv2D",
    "SeparableConvolution1D",
    "SeparableConvolution2D",
    "Dot",
    "Dropout",
    "Embedding",
    "Flatten",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAveragePooling3D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "GlobalMaxPooling3D",
    "Lambda",
    "LayerNormalization",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
    "Maximum",
    "Minimum",
    "Multiply",
    "Permute",
    "RepeatVector",
    "Reshape",
    "Subtract",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "ZeroPadding3D",
    "add",
    "average",
    "concatenate",
    "dot",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
]

# Recurrent layers and wrappers.
__all__ += ["GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "SimpleRNN", "SimpleRNNCell", "StackedRNNCells"]
__all__ += ["ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"]
__all__ += ["Bidirectional", "TimeDistributed", "Wrapper"]
# Engine wrappers: a torch module, a JAX function or a Flax module as a layer (each on its own engine).
__all__ += ["FlaxLayer", "JaxLayer", "TFSMLayer", "TorchModuleWrapper"]
# Regularization layers (noise, spatial dropout, activity penalty) and the embedding that also projects back.
__all__ += ["ActivityRegularization", "AlphaDropout", "GaussianDropout", "GaussianNoise", "ReversibleEmbedding"]
__all__ += ["SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"]
__all__ += ["EinsumDense", "MultiHeadAttention"]
# Normalization and activation layers.
__all__ += ["ELU", "GroupNormalization", "LeakyReLU", "PReLU", "RMSNormalization", "ReLU", "Softmax"]
__all__ += ["SpectralNormalization", "UnitNormalization"]
__all__ += ["AdditiveAttention", "Attention"]
# Keras 3's short names of the pooling layers (the same classes).
__all__ += ["AvgPool1D", "AvgPool2D", "AvgPool3D", "MaxPool1D", "MaxPool2D", "MaxPool3D"]
__all__ += ["GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D"]
__all__ += ["GlobalMaxPool3D"]
# Adaptive pooling, cropping, upsampling and the pass-through and masking layers.
# Image preprocessing: resizing, cropping and geometric augmentation.
__all__ += ["RandomElasticTransform", "RandomPerspective"]
__all__ += ["MaxNumBoundingBoxes", "Pipeline", "RandomCrop"]
__all__ += ["Rescaling", "Resizing"]
__all__ += ["CenterCrop", "RandomFlip", "RandomRotation", "RandomShear", "RandomTranslation", "RandomZoom"]
__all__ += ["AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D"]
__all__ += ["AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D"]
__all__ += ["Cropping1D", "Cropping2D", "Cropping3D", "UpSampling1D", "UpSampling2D", "UpSampling3D"]
__all__ += ["Identity", "Masking"]
# Numeric and categorical preprocessing.
__all__ += ["CategoryEncoding", "Discretization", "HashedCrossing", "Hashing", "Normalization"]
# Audio preprocessing.
__all__ += ["MelSpectrogram", "STFTSpectrogram"]
# Text and vocabulary preprocessing (computed on the host on every engine).
__all__ += ["IntegerLookup", "StringLookup", "TextVectorization"]
# Colour, intensity and mixing augmentations.
__all__ += ["AugMix", "AutoContrast", "ContrastLimitedAdaptiveHistogramEqualization", "CutMix", "Equalization", "MixUp"]
__all__ += ["RandAugment", "RandomBrightness", "RandomColorDegeneration", "RandomColorJitter", "RandomContrast"]
__all__ += ["RandomErasing", "RandomGaussianBlur", "RandomGrayscale", "RandomHue", "RandomInvert"]
__all__ += ["RandomPosterization", "RandomSaturation", "RandomSharpness", "Solarization"]
# Keras 3 exports the class under this name only (`keras.layers.GroupQueryAttention`); kerasx also keeps the class's.
GroupQueryAttention = GroupedQueryAttention
__all__ += ["GroupQueryAttention", "GroupedQueryAttention"]

# Keras 1 spellings of the seed guides (`merge`, `Convolution2D`, ...): kerasx.legacy, imported last since it builds
# on the layers above; importing it also registers its translator of Keras 1 layer arguments.
from kerasx.legacy._layers import Convolution1D, Convolution2D, Convolution3D, merge  # noqa: E402

__all__ += ["Convolution1D", "Convolution2D", "Convolution3D", "merge"]


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
