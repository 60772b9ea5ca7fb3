"""`Hashing` and `HashedCrossing`: values (or crosses of values) to hash bins, with TensorFlow's hash functions
computed on the host in pure Python (`_fingerprints`), so they need no TensorFlow on any engine."""

from __future__ import annotations

from typing import Literal

import numpy as np

from kerasx import ops
from kerasx.backend import active, floatx
from kerasx.layers._layer import Layer
from kerasx.layers._preprocessing import _categorical, _fingerprints, _graph_host
from kerasx.ops import KerasTensor
from kerasx.serialization import _registry

BAD_NUM_BINS = "{cls} needs a positive integer num_bins. Received: num_bins={num_bins!r}."
BAD_SALT = (
    "Hashing takes salt as one integer or a pair of integers (the 128-bit SipHash key). Received: salt={salt!r}."
)
INT_MODE_DTYPE = (
    "Hashing with output_mode='int' outputs integers: dtype must be 'int32' or 'int64'. Received: dtype={dtype!r}."
)
CROSS_NEEDS_INPUTS = (
    "Layer '{name}' (HashedCrossing) is called on a list or tuple of at least two inputs. Received: inputs={inputs!r}."
    " Pass e.g. `layer((feature_a, feature_b))`."
)
CROSS_SHAPES = (
    "Layer '{name}' (HashedCrossing) takes inputs of one shape among (), (batch,) and (batch, 1). "
    "Received: shapes {shapes}."
)
CROSS_TYPES = (
    "Layer '{name}' (HashedCrossing) crosses integer or string features. Received: dtypes {dtypes}. "
    "Cast float features to integers first (or bin them with Discretization)."
)


def as_host_array(values):
    """Python values (lists, strings, numbers) as a NumPy array; tensors and arrays as they are."""
    if isinstance(values, (list, tuple, str, bytes, int, float)):
        return np.asarray(values)
    return values


def _dtype_name(x) -> str:
    if isinstance(x, np.ndarray):
        return "string" if x.dtype.kind in "USO" else str(x.dtype)
    return ops.dtype(x)


@_registry.builtin
class Hashing(_graph_host.HostInGraphMixin, Layer):
    """Hashes strings or integers into `num_bins` bins: the same bins as Keras 3 (TensorFlow's hashes).

    Without a salt the hash is FarmHash's 64-bit fingerprint (`tf.strings.to_hash_bucket_fast`); with one it is
    SipHash-2-4 keyed by the salt (`to_hash_bucket_strong`). Integers are hashed as their decimal strings and floats
    are truncated to integers first, as Keras does. The hashing runs on the host (NumPy and pure Python: about 5 us
    per distinct value, 40 us with a salt), on every engine, with no TensorFlow needed; inside `tf.data.Dataset.map` or
    `tf.function` it runs through `tf.numpy_function`.

    Args:
        num_bins: number of hash bins; with `mask_value`, bin 0 is the mask's and the others take the hashes.
        mask_value: a value mapped to bin 0 (None: no mask bin).
        salt: an int or a pair of ints: when given, the keyed (strong) hash is used.
        output_mode: `"int"` (bin indices), `"one_hot"`, `"multi_hot"` or `"count"` (see CategoryEncoding).
        sparse: must be False (kerasx returns dense tensors).
        **kwargs: base Layer arguments; `dtype` defaults to int64 for "int" outputs and floatx otherwise.

    Call arguments:
        inputs: strings (NumPy string arrays or Python lists), or integers, of any shape.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.Hashing(num_bins=10)
        >>> print(kerasx.ops.convert_to_numpy(layer(np.array([["a"], ["b"], ["hello"]]))).ravel())
        [9 2 6]
        >>> salted = kerasx.layers.Hashing(num_bins=10, salt=133)
        >>> print(kerasx.ops.convert_to_numpy(salted([["a"], ["b"], ["hello"]])).ravel())
        [7 4 0]
    """

    _check_tensor_inputs = False
    _convert_input_args = False
    # The hashing is a host callback, which XLA cannot compile: `compile(jit_compile="auto")` then leaves XLA off.
    supports_jit = False

    def __init__(
        self,
        num_bins: int,
        mask_value=None,
        salt: int | tuple[int, int] | list[int] | None = None,
        output_mode: Literal["int", "one_hot", "multi_hot", "count"] = "int",
        sparse: bool = False,
        **kwargs,
    ):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else floatx()
        super().__init__(**kwargs)
        if isinstance(num_bins, bool) or not isinstance(num_bins, int) or num_bins <= 0:
            raise ValueError(BAD_NUM_BINS.format(cls="Hashing", num_bins=num_bins))
        self.output_mode = _categorical.check_output_mode("Hashing", output_mode)
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError(INT_MODE_DTYPE.format(dtype=self.dtype))
        self.sparse = _categorical.check_sparse("Hashing", sparse)
        self.num_bins = num_bins
        self.mask_value = mask_value
        if salt is None:
            self.salt = None
        elif isinstance(salt, (tuple, list)) and len(salt) == 2:
            self.salt = list(salt)
        elif isinstance(salt, int) and not isinstance(salt, bool):
            self.salt = [salt, salt]
        else:
            raise ValueError(BAD_SALT.format(salt=salt))
        self.strong_hash = self.salt is not None

    @property
    def compute_dtype(self) -> str:
        return self._dtype

    def _bins_on_host(self, values: np.ndarray) -> np.ndarray:
        values = np.asarray(values)
        num_bins = self.num_bins
        mask = None
        if self.mask_value is not None and num_bins > 1:
            # Bin 0 is the mask's: the hashes go to bins 1 .. num_bins - 1.
            num_bins -= 1
            mask_value = self.mask_value
            if values.dtype.kind in "SO" and isinstance(mask_value, str):
                mask_value = mask_value.encode("utf-8")
            mask = values == mask_value
        key = None if self.salt is None else (self.salt[0], self.salt[1])
        bins = _fingerprints.hash_buckets(values, num_bins, key)
        if mask is not None:
            bins = np.where(mask, 0, bins + 1)
        return bins.astype("int64")

    def call(self, inputs):
        inputs = as_host_array(inputs)
        shape = tuple(inputs.shape)
        bins = active.core.host_call(self._bins_on_host, inputs, "int64", shape)
        return _categorical.encode(ops.convert_to_tensor(bins), self.output_mode, self.num_bins, self.dtype)

    def compute_output_shape(self, input_shape):
        return _categorical.encoded_shape(input_shape, self.output_mode, self.num_bins)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), self.dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "num_bins": self.num_bins,
                "salt": self.salt,
                "mask_value": self.mask_value,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
            }
        )
        return config


@_registry.builtin
class HashedCrossing(_graph_host.HostInGraphMixin, Layer):
    """Crosses categorical features and hashes each combination into `num_bins` bins, as Keras 3 does
    (`tf.sparse.cross_hashed`'s fingerprint concatenation, computed on the host without TensorFlow).

    Args:
        num_bins: number of hash bins.
        output_mode: `"int"` (bin indices) or `"one_hot"`.
        sparse: must be False (kerasx returns dense tensors).
        name: the layer's name.
        dtype: the output dtype; int64 for "int" outputs by default.

    Call arguments:
        inputs: a tuple or list of at least two integer or string features of the same shape: `()`, `(batch,)` or
            `(batch, 1)` (NumPy arrays, Python lists or tensors).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.HashedCrossing(num_bins=10)
        >>> print(kerasx.ops.convert_to_numpy(layer((np.array([1, 2]), np.array(["a", "b"])))))
        [5 9]
    """

    _check_tensor_inputs = False
    _convert_input_args = False
    # The hashing is a host callback, which XLA cannot compile: `compile(jit_compile="auto")` then leaves XLA off.
    supports_jit = False

    def __init__(
        self,
        num_bins: int,
        output_mode: Literal["int", "one_hot"] = "int",
        sparse: bool = False,
        name: str | None = None,
        dtype=None,
        **kwargs,
    ):
        if dtype is None:
            dtype = "int64" if output_mode == "int" else floatx()
        super().__init__(name=name, dtype=dtype, **kwargs)
        if isinstance(num_bins, bool) or not isinstance(num_bins, int) or num_bins <= 0:
            raise ValueError(BAD_NUM_BINS.format(cls="HashedCrossing", num_bins=num_bins))
        self.output_mode = _categorical.check_output_mode("HashedCrossing", output_mode, ("int", "one_hot"))
        self.sparse = _categorical.check_sparse("HashedCrossing", sparse)
        self.num_bins = num_bins

    @property
    def compute_dtype(self) -> str:
        return self._dtype

    def _check(self, inputs) -> None:
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise ValueError(CROSS_NEEDS_INPUTS.format(name=self.name, inputs=inputs))
        shapes = [tuple(x.shape) for x in inputs]
        rank = len(shapes[0])
        if rank > 2 or (rank == 2 and shapes[0][-1] != 1) or any(s != shapes[0] for s in shapes):
            raise ValueError(CROSS_SHAPES.format(name=self.name, shapes=shapes))
        dtypes = [_dtype_name(x) for x in inputs]
        if not all(d == "string" or "int" in d for d in dtypes):
            raise ValueError(CROSS_TYPES.format(name=self.name, dtypes=dtypes))

    def _cross_on_host(self, stacked: np.ndarray) -> np.ndarray:
        return _fingerprints.cross_buckets(list(stacked), self.num_bins)

    def call(self, inputs):
        inputs = [as_host_array(x) for x in inputs] if isinstance(inputs, (list, tuple)) else inputs
        self._check(inputs)
        # The features travel to the host as one array (an object array when strings and integers mix).
        if all(isinstance(x, np.ndarray) for x in inputs):
            mixed = len({x.dtype.kind in "USO" for x in inputs}) > 1
            stacked = np.stack([x.astype(object) for x in inputs]) if mixed else np.stack(inputs)
            bins = active.core.host_call(self._cross_on_host, stacked, "int64", stacked.shape[1:])
        else:
            bins = self._cross_tensors(inputs)
        return _categorical.encode(ops.convert_to_tensor(bins), self.output_mode, self.num_bins, self.dtype)

    def _cross_tensors(self, inputs):
        # Tensors (possibly traced, e.g. in tf.data): strings and integers go to the host one feature at a time as
        # fingerprints (int64), which cross like integers.
        features = []
        for x in inputs:
            if _dtype_name(x) == "string":
                x = active.core.host_call(_string_fingerprints, x, "int64", tuple(x.shape))
            features.append(ops.cast(ops.convert_to_tensor(x), "int64"))
        return active.core.host_call(self._cross_fingerprints, ops.stack(features), "int64", tuple(inputs[0].shape))

    def _cross_fingerprints(self, stacked: np.ndarray) -> np.ndarray:
        return _fingerprints.cross_buckets(list(np.asarray(stacked)), self.num_bins)

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape[0])
        return _categorical.encoded_shape(shape, self.output_mode, self.num_bins)

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape([x.shape for x in inputs]), self.dtype)

    def get_config(self) -> dict:
        return {
            "num_bins": self.num_bins,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype,
        }


def _string_fingerprints(values: np.ndarray) -> np.ndarray:
    # As signed int64: the cross reads them back as unsigned 64-bit values.
    flat = [_fingerprints.fingerprint64(_fingerprints.as_bytes(v)) for v in np.asarray(values).reshape(-1).tolist()]
    return np.asarray(flat, dtype="uint64").view("int64").reshape(np.shape(values))
