"""What a `FeatureSpace` is made of: `Feature` (an input's dtype, its preprocessing layer, how it is encoded),
`Cross` (features hashed together), the feature types Keras 3 names ("float_normalized", "string_categorical", ...)
and the two small layers of the space (identity for plain floats, concatenation).

The class names are Keras 3's (`Feature`, `Cross`, `TFDIdentity`, `TFDConcat`): a `.keras` file names them, and
files go both ways between kerasx and Keras.
"""

from __future__ import annotations

from kerasx import layers, ops
from kerasx.backend._session import unique_name
from kerasx.serialization import _registry

FEATURE_OUTPUT_MODES = ("int", "one_hot", "float")
CROSS_OUTPUT_MODES = ("int", "one_hot")
BAD_FEATURE_OUTPUT_MODE = (
    "Invalid value for argument `output_mode`. Expected one of {modes}. Received: output_mode={output_mode!r}. "
    "Use 'one_hot' for categories to encode, 'int' for indices, 'float' for numbers."
)
BAD_PREPROCESSOR = (
    "A Feature's `preprocessor` must be a layer (or its serialized config). Received: preprocessor={preprocessor!r} "
    "of type {type}. Pass e.g. `kerasx.layers.StringLookup()`."
)
BAD_FEATURE_TYPE = (
    "Invalid feature type for feature '{name}'. Received: feature={feature!r}. Expected a `FeatureSpace.<type>(...)` "
    "object or one of the names {types}."
)

FEATURE_TYPES = (
    "float",
    "float_normalized",
    "float_rescaled",
    "float_discretized",
    "integer_categorical",
    "string_categorical",
    "integer_hashed",
    "string_hashed",
)


@_registry.builtin
class Feature:
    """One feature of a `FeatureSpace`: the input dtype, the layer that preprocesses it, and its `output_mode`
    ("int", "one_hot" or "float").

    Example:
        >>> import kerasx
        >>> feature = kerasx.utils.FeatureSpace.feature("string", kerasx.layers.StringLookup(), "one_hot")
        >>> feature.dtype, feature.output_mode
        ('string', 'one_hot')
    """

    def __init__(self, dtype: str, preprocessor, output_mode: str):
        if output_mode not in FEATURE_OUTPUT_MODES:
            raise ValueError(BAD_FEATURE_OUTPUT_MODE.format(modes=FEATURE_OUTPUT_MODES, output_mode=output_mode))
        if isinstance(preprocessor, dict):
            preprocessor = _registry.deserialize_keras_object(preprocessor, kind="layer")
        if not isinstance(preprocessor, layers.Layer):
            raise TypeError(BAD_PREPROCESSOR.format(preprocessor=preprocessor, type=type(preprocessor).__name__))
        self.dtype = dtype
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self) -> dict:
        return {
            "dtype": self.dtype,
            "preprocessor": _registry.serialize_keras_object(self.preprocessor),
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config: dict) -> Feature:
        return cls(**config)


@_registry.builtin
class Cross:
    """Features crossed together by `FeatureSpace`: their combined values hashed into `crossing_dim` bins.

    Its name (and the key of its output) is the feature names joined by "_X_".

    Example:
        >>> import kerasx
        >>> kerasx.utils.FeatureSpace.cross(("color", "size"), crossing_dim=16).name
        'color_X_size'
    """

    def __init__(self, feature_names, crossing_dim: int, output_mode: str = "one_hot"):
        if output_mode not in CROSS_OUTPUT_MODES:
            raise ValueError(BAD_FEATURE_OUTPUT_MODE.format(modes=CROSS_OUTPUT_MODES, output_mode=output_mode))
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self) -> str:
        return "_X_".join(self.feature_names)

    def get_config(self) -> dict:
        return {"feature_names": self.feature_names, "crossing_dim": self.crossing_dim, "output_mode": self.output_mode}

    @classmethod
    def from_config(cls, config: dict) -> Cross:
        return cls(**config)


@_registry.builtin
class TFDIdentity(layers.Layer):
    """The preprocessor of a plain "float" feature: its input, as float32 (Keras 3's name for it).

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> from kerasx.utils._feature_specs import TFDIdentity
        >>> ops.convert_to_numpy(TFDIdentity(dtype="float32")(np.array([[1.5]]))).tolist()
        [[1.5]]
    """

    def call(self, inputs):
        return inputs


@_registry.builtin
class TFDConcat(layers.Layer):
    """Concatenates the encoded features of a "concat" `FeatureSpace` along `axis` (Keras 3's name for it).

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> from kerasx.utils._feature_specs import TFDConcat
        >>> ops.convert_to_numpy(TFDConcat(axis=-1)([np.ones((1, 2)), np.zeros((1, 1))])).tolist()
        [[1.0, 1.0, 0.0]]
    """

    def __init__(self, axis: int, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs):
        return ops.concatenate(list(inputs), axis=self.axis)

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


# The feature types -------------------------------------------------------------------------------------------------
def _preprocessor_name(kind: str, name: str | None) -> str:
    return f"{name or unique_name(kind)}_preprocessor"


def float_feature(name: str | None = None) -> Feature:
    preprocessor = TFDIdentity(dtype="float32", name=_preprocessor_name("float", name))
    return Feature("float32", preprocessor, "float")


def float_rescaled(scale: float = 1.0, offset: float = 0.0, name: str | None = None) -> Feature:
    preprocessor = layers.Rescaling(scale=scale, offset=offset, name=_preprocessor_name("float_rescaled", name))
    return Feature("float32", preprocessor, "float")


def float_normalized(name: str | None = None) -> Feature:
    preprocessor = layers.Normalization(axis=-1, name=_preprocessor_name("float_normalized", name))
    return Feature("float32", preprocessor, "float")


def float_discretized(num_bins: int, bin_boundaries=None, output_mode: str = "one_hot", name: str | None = None):
    preprocessor = layers.Discretization(
        num_bins=num_bins, bin_boundaries=bin_boundaries, name=_preprocessor_name("float_discretized", name)
    )
    return Feature("float32", preprocessor, output_mode)


def integer_categorical(max_tokens=None, num_oov_indices: int = 1, output_mode: str = "one_hot", name=None):
    preprocessor = layers.IntegerLookup(
        name=_preprocessor_name("integer_categorical", name), max_tokens=max_tokens, num_oov_indices=num_oov_indices
    )
    return Feature("int32", preprocessor, output_mode)


def string_categorical(max_tokens=None, num_oov_indices: int = 1, output_mode: str = "one_hot", name=None):
    preprocessor = layers.StringLookup(
        name=_preprocessor_name("string_categorical", name), max_tokens=max_tokens, num_oov_indices=num_oov_indices
    )
    return Feature("string", preprocessor, output_mode)


def string_hashed(num_bins: int, output_mode: str = "one_hot", name: str | None = None) -> Feature:
    preprocessor = layers.Hashing(num_bins=num_bins, name=_preprocessor_name("string_hashed", name))
    return Feature("string", preprocessor, output_mode)


def integer_hashed(num_bins: int, output_mode: str = "one_hot", name: str | None = None) -> Feature:
    preprocessor = layers.Hashing(num_bins=num_bins, name=_preprocessor_name("integer_hashed", name))
    return Feature("int32", preprocessor, output_mode)


def standardize_feature(name: str, feature, hashing_dim: int, num_discretization_bins: int) -> Feature:
    """A `Feature` from what `FeatureSpace(features=...)` takes for `name`: a Feature, its config, or a type name
    (built with the space's default sizes)."""
    if isinstance(feature, Feature):
        return feature
    if isinstance(feature, dict):
        return _registry.deserialize_keras_object(feature, kind="feature")
    if feature == "float":
        return float_feature(name=name)
    if feature == "float_normalized":
        return float_normalized(name=name)
    if feature == "float_rescaled":
        return float_rescaled(name=name)
    if feature == "float_discretized":
        return float_discretized(num_discretization_bins, name=name)
    if feature == "integer_categorical":
        return integer_categorical(name=name)
    if feature == "string_categorical":
        return string_categorical(name=name)
    if feature == "integer_hashed":
        return integer_hashed(hashing_dim, name=name)
    if feature == "string_hashed":
        return string_hashed(hashing_dim, name=name)
    raise ValueError(BAD_FEATURE_TYPE.format(name=name, feature=feature, types=FEATURE_TYPES))


def cardinality(preprocessor) -> int | None:
    """The number of values a categorical preprocessor's integer outputs take (the one-hot size), or None."""
    if isinstance(preprocessor, (layers.IntegerLookup, layers.StringLookup)):
        return preprocessor.vocabulary_size()
    if isinstance(preprocessor, layers.CategoryEncoding):
        return preprocessor.num_tokens
    if isinstance(preprocessor, (layers.Discretization, layers.Hashing, layers.HashedCrossing)):
        return preprocessor.num_bins
    return None
