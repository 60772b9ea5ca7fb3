"""`FeatureSpace`: structured data (a dict of columns) preprocessed and encoded by one object, as Keras 3's
`keras.utils.FeatureSpace`, built from kerasx's preprocessing layers."""

from __future__ import annotations

from typing import Any

import numpy as np

from kerasx import layers, ops, saving
from kerasx.backend import _tf_graph, active
from kerasx.layers._layer_state import overrides
from kerasx.serialization import _registry
from kerasx.utils import _feature_columns, _feature_specs
from kerasx.utils._feature_specs import Cross, Feature

NO_FEATURES = "The `features` argument cannot be None or empty. Received: features={features!r}."
BAD_OUTPUT_MODE = (
    "Invalid value for argument `output_mode`. Expected one of {{'dict', 'concat'}}. Received: "
    "output_mode={output_mode!r}."
)
NO_CROSSING_DIM = (
    "When specifying `crosses`, the argument `crossing_dim` (dimensionality of the crossing space) should be "
    "specified as well. Received: crossing_dim={crossing_dim!r}."
)
UNKNOWN_CROSSED = (
    "All features referenced in the `crosses` argument should be present in the `features` dict. Received unknown "
    "features: {cross}. Known features: {known}."
)
NOT_ADAPTED = (
    "You need to call `.adapt(dataset)` on the FeatureSpace before you can start using it: features {names} learn "
    "their preprocessing from data."
)
BAD_ADAPT_DATA = (
    "`adapt()` can only be called on a tf.data.Dataset or a dict of arrays/lists. Received instead: {data!r} (of "
    "type {type})."
)
NOT_A_DICT = (
    "A FeatureSpace can only be called with a dict of feature name -> values. Received: data={data!r} (of type {type})."
)
MISSING_FEATURE = (
    "The FeatureSpace has feature '{name}', missing from the data. Received keys: {keys}. Pass one value per feature."
)
ONE_HOT_NOT_INT = (
    "Feature '{name}' has `output_mode='one_hot'`. Thus its preprocessor should return an integer dtype. Instead it "
    "returns a {dtype} dtype."
)
ONE_HOT_UNKNOWN_SIZE = (
    "Feature '{name}' has `output_mode='one_hot'`. However it isn't a standard feature and the dimensionality of "
    "its output space is not known, thus it cannot be one-hot encoded. Try using `output_mode='int'`."
)
CANNOT_CONCAT = (
    "Cannot concatenate features because feature '{name}' has not been encoded (it has dtype {dtype}). Consider "
    "using `output_mode='dict'`."
)


@_registry.builtin
@_tf_graph.skip_autograph
class FeatureSpace(layers.Layer):
    """Preprocesses and encodes structured data: a dict of features in, one vector (or a dict of encoded
    features) out.

    Each feature has a type: "float" (as is), "float_normalized" (`Normalization`), "float_rescaled"
    (`Rescaling`), "float_discretized" (`Discretization`, then one-hot), "integer_categorical" and
    "string_categorical" (`IntegerLookup`/`StringLookup`, then one-hot), "integer_hashed" and "string_hashed"
    (`Hashing`, then one-hot); a type name uses the defaults, `FeatureSpace.<type>(...)` sets its arguments, and
    `FeatureSpace.feature(dtype, preprocessor, output_mode)` takes any preprocessing layer. Crossed features are
    hashed together (`HashedCrossing`) after preprocessing. Encoded features come in sorted name order, the crosses
    after them. `adapt` learns vocabularies and statistics; the space then runs on dicts of arrays or tensors, in
    a `tf.data` pipeline (on every engine), or as the front of a functional model (`get_inputs`,
    `get_encoded_features`). `save` writes a `.keras` file that `kerasx.saving.load_model` (or Keras 3) reads.

    Args:
        features: dict of feature name -> type name or `Feature` (from the helpers below).
        output_mode: "concat" (one vector) or "dict" (one encoded tensor per feature and cross).
        crosses: list of tuples of feature names, or `FeatureSpace.cross(...)` objects.
        crossing_dim: number of hash bins of a cross given as a tuple.
        hashing_dim: number of bins of the "integer_hashed" and "string_hashed" type names.
        num_discretization_bins: number of bins of the "float_discretized" type name.
        name: the name of the space.

    Call arguments:
        data: dict of feature name -> values of shape `(batch,)` or `(batch, 1)`, or scalars (one sample, whose
            outputs then have no batch axis).

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> from kerasx.utils import FeatureSpace
        >>> data = {"price": np.array([1.0, 2.0, 3.0]), "color": np.array(["red", "blue", "red"])}
        >>> space = FeatureSpace({"price": "float_normalized", "color": "string_categorical"})
        >>> space.adapt(data)
        >>> np.round(ops.convert_to_numpy(space(data)).astype("float64"), 3).tolist()
        [[0.0, 1.0, 0.0, -1.225], [0.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.225]]
        >>> sorted(space.get_inputs())
        ['color', 'price']
    """

    @classmethod
    def cross(cls, feature_names, crossing_dim: int, output_mode: str = "one_hot") -> Cross:
        """A cross of `feature_names`, hashed into `crossing_dim` bins; `output_mode` "one_hot" or "int"."""
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype: str, preprocessor, output_mode: str) -> Feature:
        """A feature of input `dtype` preprocessed by the layer `preprocessor`; `output_mode` "int", "one_hot" or
        "float"."""
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name: str | None = None) -> Feature:
        """Float values, as they are."""
        return _feature_specs.float_feature(name=name)

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name: str | None = None) -> Feature:
        """Float values times `scale` plus `offset` (`Rescaling`)."""
        return _feature_specs.float_rescaled(scale=scale, offset=offset, name=name)

    @classmethod
    def float_normalized(cls, name: str | None = None) -> Feature:
        """Float values standardized with the mean and variance `adapt` measures (`Normalization`)."""
        return _feature_specs.float_normalized(name=name)

    @classmethod
    def float_discretized(cls, num_bins: int, bin_boundaries=None, output_mode="one_hot", name=None) -> Feature:
        """Float values in `num_bins` bins (`Discretization`; boundaries given or learned by `adapt`)."""
        return _feature_specs.float_discretized(num_bins, bin_boundaries, output_mode, name)

    @classmethod
    def integer_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None) -> Feature:
        """Integer categories indexed by a vocabulary that `adapt` learns (`IntegerLookup`)."""
        return _feature_specs.integer_categorical(max_tokens, num_oov_indices, output_mode, name)

    @classmethod
    def string_categorical(cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None) -> Feature:
        """String categories indexed by a vocabulary that `adapt` learns (`StringLookup`)."""
        return _feature_specs.string_categorical(max_tokens, num_oov_indices, output_mode, name)

    @classmethod
    def string_hashed(cls, num_bins: int, output_mode="one_hot", name=None) -> Feature:
        """Strings hashed into `num_bins` bins (`Hashing`, FarmHash as Keras 3)."""
        return _feature_specs.string_hashed(num_bins, output_mode, name)

    @classmethod
    def integer_hashed(cls, num_bins: int, output_mode="one_hot", name=None) -> Feature:
        """Integers hashed into `num_bins` bins (`Hashing`)."""
        return _feature_specs.integer_hashed(num_bins, output_mode, name)

    def __init__(
        self,
        features: dict,
        output_mode: str = "concat",
        crosses=None,
        crossing_dim: int = 32,
        hashing_dim: int = 32,
        num_discretization_bins: int = 32,
        name: str | None = None,
    ):
        super().__init__(name=name)
        if not features:
            raise ValueError(NO_FEATURES.format(features=features))
        if output_mode not in ("dict", "concat"):
            raise ValueError(BAD_OUTPUT_MODE.format(output_mode=output_mode))
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.output_mode = output_mode
        self.features = {
            key: _feature_specs.standardize_feature(key, value, hashing_dim, num_discretization_bins)
            for key, value in features.items()
        }
        self.crosses = [self._standardize_cross(cross) for cross in crosses or []]
        self.crosses_by_name = {cross.name: cross for cross in self.crosses}
        self.preprocessors = {key: feature.preprocessor for key, feature in self.features.items()}
        self.crossers = {
            cross.name: layers.HashedCrossing(cross.crossing_dim, name=cross.name) for cross in self.crosses
        }
        self.one_hot_encoders = {}
        self.concat = None
        self._feature_inputs = {
            key: layers.Input(shape=(1,), dtype=feature.dtype, name=key) for key, feature in self.features.items()
        }
        self._encoded = None
        self._is_adapted = False
        self._sublayers_built = False

    def _standardize_cross(self, cross) -> Cross:
        if isinstance(cross, dict):
            cross = _registry.deserialize_keras_object(cross, kind="cross")
        if isinstance(cross, Cross):
            return cross
        if not self.crossing_dim:
            raise ValueError(NO_CROSSING_DIM.format(crossing_dim=self.crossing_dim))
        if any(key not in self.features for key in cross):
            raise ValueError(UNKNOWN_CROSSED.format(cross=cross, known=list(self.features)))
        return Cross(cross, crossing_dim=self.crossing_dim)

    # Adapting --------------------------------------------------------------------------------------------------
    def _adaptable_names(self) -> list:
        names = []
        for key, preprocessor in self.preprocessors.items():
            # Statistics or a vocabulary given up front are not learned again (as Keras 3 decides).
            if isinstance(preprocessor, layers.Normalization) and preprocessor.input_mean is not None:
                continue
            lookup = getattr(preprocessor, "_lookup_layer", None)  # TextVectorization's vocabulary
            if isinstance(preprocessor, layers.TextVectorization) and getattr(lookup, "_has_input_vocabulary", False):
                continue
            if callable(getattr(preprocessor, "adapt", None)):
                names.append(key)
        return names

    def adapt(self, dataset) -> None:
        """Learns each feature's preprocessing (vocabularies, mean and variance, bin boundaries) from `dataset`: a
        tf.data.Dataset of dicts (batched or not) or a dict of arrays or lists, one value per sample."""
        if isinstance(dataset, dict):
            source = _feature_columns.ArrayColumns(dataset)
        elif hasattr(dataset, "element_spec") and hasattr(dataset, "batch"):
            source = _feature_columns.DatasetColumns(dataset)
        else:
            raise ValueError(BAD_ADAPT_DATA.format(data=dataset, type=type(dataset)))
        for key in self._adaptable_names():
            self.preprocessors[key].adapt(source.column(key))
        self._is_adapted = True
        self.get_encoded_features()
        self.built = True
        self._sublayers_built = True

    def _check_if_adapted(self) -> None:
        if self._is_adapted:
            return
        names = self._adaptable_names()
        if names:
            raise ValueError(NOT_ADAPTED.format(names=names))
        self._is_adapted = True

    def _check_if_built(self) -> None:
        if not self._sublayers_built:
            self._check_if_adapted()
            self.get_encoded_features()
            self._sublayers_built = True

    # The graph of the space ------------------------------------------------------------------------------------
    def get_inputs(self) -> dict:
        """The dict of feature name -> `Input` (shape `(1,)`, the feature's dtype) the encoded features are
        computed from: the inputs of a functional model."""
        self._check_if_built()
        return self._feature_inputs

    def get_encoded_features(self) -> Any:
        """The encoded features computed from `get_inputs()`: one KerasTensor ("concat") or a dict of them."""
        self._check_if_adapted()
        if self._encoded is None:
            self._encoded = self._encode(self._feature_inputs)
        return self._encoded

    def _encode(self, features: dict):
        preprocessed = {key: self.preprocessors[key](features[key]) for key in self.features}
        crossed = {
            cross.name: self.crossers[cross.name]([preprocessed[key] for key in cross.feature_names])
            for cross in self.crosses
        }
        names = sorted(preprocessed) + sorted(crossed)
        encoded = {}
        for key in names:
            value = preprocessed[key] if key in preprocessed else crossed[key]
            if key not in self.one_hot_encoders and not self._sublayers_built:
                self._make_encoder(key, value)
            encoder = self.one_hot_encoders.get(key)
            encoded[key] = encoder(value) if encoder is not None else value
        if self.output_mode == "dict":
            return encoded
        if self.concat is None:
            for key, value in encoded.items():
                dtype = str(value.dtype) if isinstance(value, np.ndarray) else ops.dtype(value)
                if dtype.startswith(("int", "uint")) or dtype in ("string", "object") or dtype.startswith("<U"):
                    raise ValueError(CANNOT_CONCAT.format(name=key, dtype=dtype))
            self.concat = _feature_specs.TFDConcat(axis=-1)
        return self.concat([encoded[key] for key in names])

    def _make_encoder(self, key: str, value) -> None:
        spec = self.features[key] if key in self.features else self.crosses_by_name[key]
        if spec.output_mode != "one_hot":
            return
        dtype = ops.dtype(value)
        if not dtype.startswith(("int", "uint")):
            raise ValueError(ONE_HOT_NOT_INT.format(name=key, dtype=dtype))
        preprocessor = self.preprocessors.get(key) or self.crossers.get(key)
        size = _feature_specs.cardinality(preprocessor)
        if size is None:
            raise ValueError(ONE_HOT_UNKNOWN_SIZE.format(name=key))
        self.one_hot_encoders[key] = layers.CategoryEncoding(num_tokens=size, output_mode="multi_hot")

    # Calling ---------------------------------------------------------------------------------------------------
    def __call__(self, data):
        self._check_if_built()
        if not isinstance(data, dict):
            raise ValueError(NOT_A_DICT.format(data=data, type=type(data)))
        missing = [key for key in self.features if key not in data]
        if missing:
            raise ValueError(MISSING_FEATURE.format(name=missing[0], keys=sorted(data)))
        values = [data[key] for key in self.features]
        if any(_tf_graph.is_graph_tensor(x) and not active.core.is_tensor(x) for x in values):
            return self._call_in_tf_graph(values)
        columns, rebatched = {}, False
        for key, value in zip(self.features, values):
            value = self._convert_input(key, value)
            rank = len(ops.shape(value))
            if rank == 0:
                value, rebatched = ops.reshape(value, (1, 1)) if _is_engine(value) else np.reshape(value, (1, 1)), True
            elif rank == 1:
                value = ops.expand_dims(value, -1) if _is_engine(value) else value[:, None]
            columns[key] = value
        outputs = self._encode(columns)
        if rebatched:
            if self.output_mode == "concat":
                return ops.squeeze(outputs, axis=0)
            return {
                key: ops.squeeze(x, axis=0) if len(ops.shape(x)) == 2 and ops.shape(x)[0] == 1 else x
                for key, x in outputs.items()
            }
        return outputs

    def _convert_input(self, key: str, value):
        if _tf_graph.is_eager_tensorflow(value) and not active.core.is_tensor(value):
            value = value.numpy()
        if not _is_engine(value):
            value = np.asarray(value)
            if value.dtype == object or value.dtype.kind == "S":
                # Bytes (what TensorFlow strings give) read as text, as TensorFlow's lookups read them.
                value = np.vectorize(_feature_columns.as_text, otypes=[str])(value) if value.size else value.astype(str)
        if self.features[key].dtype == "float32" and _float_dtype(value) not in (None, "float32"):
            # A float feature reaches its layer in float32, as Keras 3's layers cast it.
            value = ops.cast(value, "float32") if _is_engine(value) else value.astype("float32")
        return value

    def _call_in_tf_graph(self, values: list):
        """The space inside a tf.data map on jax, torch or numpy: the eager space runs on the host when the
        TensorFlow graph runs."""
        rebatched = any(len(x.shape) == 0 for x in values)
        specs = self.get_encoded_features()
        keys = None if self.output_mode == "concat" else list(specs)
        spec_list = [specs] if keys is None else [specs[key] for key in keys]
        shapes = [tuple(spec.shape)[1:] if rebatched else tuple(spec.shape) for spec in spec_list]
        dtypes = [str(spec.dtype) for spec in spec_list]
        features = list(self.features)

        def run(*arrays):
            outputs = self(dict(zip(features, arrays)))
            outputs = [outputs] if keys is None else [outputs[key] for key in keys]
            return [np.asarray(ops.convert_to_numpy(x)) if not isinstance(x, np.ndarray) else x for x in outputs]

        results = _tf_graph.graph_host_call(run, values, dtypes, shapes)
        return results[0] if keys is None else dict(zip(keys, results))

    # Saving ----------------------------------------------------------------------------------------------------
    def get_config(self) -> dict:
        return {
            "features": {key: _registry.serialize_keras_object(value) for key, value in self.features.items()},
            "output_mode": self.output_mode,
            "crosses": [_registry.serialize_keras_object(cross) for cross in self.crosses],
            "crossing_dim": self.crossing_dim,
            "hashing_dim": self.hashing_dim,
            "num_discretization_bins": self.num_discretization_bins,
        }

    @classmethod
    def from_config(cls, config: dict) -> FeatureSpace:
        return cls(**config)

    def get_build_config(self) -> dict:
        """{feature name: its preprocessor's build config}, the `build_config` Keras 3 writes for a space."""
        return {key: _layer_build_config(feature.preprocessor) for key, feature in self.features.items()}

    def build_from_config(self, config: dict) -> None:
        """Builds the preprocessors from `get_build_config()` before a file's weights are loaded into them; the
        space counts as adapted (its state comes from the file)."""
        for key, build in config.items():
            preprocessor = self.features[key].preprocessor
            if not preprocessor.built and isinstance(build, dict) and build.get("input_shape") is not None:
                preprocessor.build(tuple(build["input_shape"]))
        self._is_adapted = True

    def save(self, filepath) -> None:
        """Saves the space to a `.keras` file, which `kerasx.saving.load_model` (or Keras 3's) reads back."""
        saving.save_model(self, filepath)


def _layer_build_config(layer) -> dict:
    if overrides(layer, "get_build_config"):
        # A preprocessor that describes its state itself (a vocabulary lookup).
        return dict(layer.get_build_config())
    shape = getattr(layer, "_build_input_shape", None)
    return {"input_shape": list(shape)} if shape is not None and layer.built else {}


def _is_engine(value) -> bool:
    return active.core.is_tensor(value)


def _float_dtype(value) -> str | None:
    dtype = ops.dtype(value) if _is_engine(value) else str(np.asarray(value).dtype)
    return dtype if dtype.startswith(("float", "bfloat")) else None
