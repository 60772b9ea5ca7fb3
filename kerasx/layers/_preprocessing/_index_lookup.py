"""`IndexLookup`: the vocabulary table under StringLookup, IntegerLookup and TextVectorization, computed on the host.

Tokens map to `[mask?][oov * num_oov_indices][vocabulary]` indices, the layout Keras 3 documents. The table is a
Python dict and lookups run in NumPy through `kerasx.backend`'s `host_call` (`tf.numpy_function` inside a
TensorFlow graph), so the layers need no TensorFlow on jax, torch or numpy.
"""

from __future__ import annotations

import collections
import itertools
import os

import numpy as np

from kerasx import backend
from kerasx.backend import active
from kerasx.layers._layer import Layer
from kerasx.layers._preprocessing import _encoding, _fingerprints, _graph_host, _text
from kerasx.ops import KerasTensor
from kerasx.serialization import _registry

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
BAD_MAX_TOKENS = "If set, `max_tokens` must be greater than 1. Received: max_tokens={max_tokens}"
PAD_NEEDS_MAX = "If pad_to_max_tokens is True, must set `max_tokens`. Received: max_tokens={max_tokens}"
BAD_NUM_OOV = "`num_oov_indices` must be greater than or equal to 0. Received: num_oov_indices={num_oov_indices}"
BAD_OUTPUT_MODE = "Layer '{name}': `output_mode` must be one of {modes}. Received: output_mode={output_mode!r}"
BAD_OOV_METHOD = "Layer '{name}': `oov_method` must be 'floormod' or 'farmhash'. Received: oov_method={oov_method!r}"
INVERT_NEEDS_INT = "`output_mode` must be `'int'` when `invert` is true. Received: output_mode={output_mode}"
NO_SPARSE = (
    "Layer '{name}': kerasx has dense tensors only, so `sparse=True` is not supported. Received: sparse={sparse}. "
    "Use sparse=False (the dense output holds the same values)."
)
IDF_ONLY_TF_IDF = (
    "`idf_weights` should only be set if `output_mode` is `'tf_idf'`. Received: idf_weights={idf_weights} and "
    "output_mode={output_mode}"
)
IDF_NEEDED = (
    "When specifying the `vocabulary` argument, in TF-IDF output mode, the `idf_weights` argument must also be "
    "provided. Received: idf_weights=None (layer '{name}')."
)
EMPTY_VOCABULARY = "Cannot set an empty vocabulary. Received: vocabulary={vocabulary}"
REPEATED_TOKENS = (
    "The passed vocabulary has at least one repeated term. Please uniquify your dataset. The repeated terms are: "
    "{repeated}"
)
MISPLACED_SPECIAL = (
    "Found reserved {which} token at unexpected location in `vocabulary`. Either remove all mask and OOV tokens, "
    "or include them only at the start of the vocabulary in precisely this order: {special}. Received: "
    "{which}_token={token!r} at vocabulary index {index}"
)
VOCABULARY_TOO_LARGE = (
    "Attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary size is {size}; "
    "`max_tokens` is {max_tokens}."
)
IDF_LENGTH = "`idf_weights` must be the same length as vocabulary. len(idf_weights) is {got}; len(vocabulary) is {n}"
NO_FILE = "Vocabulary file {path} does not exist."
FILE_IN_SAFE_MODE = (
    "Requested the loading of a vocabulary file outside of the model archive, which is disallowed while loading in "
    "safe mode. If you trust the file, pass `safe_mode=False` to `load_model`. Vocabulary file: '{path}'"
)
NO_TF_IDF_FILE = "output_mode `'tf_idf'` does not support loading a vocabulary from file. Received: vocabulary={path!r}"
ADAPT_FIXED = (
    "Cannot adapt layer '{name}' after setting a static vocabulary via `vocabulary` argument or `set_vocabulary()` "
    "method."
)
UNKNOWN_SIZE = (
    "When using `output_mode={output_mode}` and `pad_to_max_tokens=False`, you must set the layer's vocabulary "
    "before calling it. Either pass a `vocabulary` argument to the layer, or call `adapt` with some sample data "
    "(layer '{name}')."
)
OOV_WITHOUT_INDEX = (
    "Layer '{name}': when `num_oov_indices=0` all inputs should be in vocabulary, found OOV values {values}, "
    "consider setting `num_oov_indices=1`."
)


class _IdfWeights:
    """The saved form of the layer's IDF weights (Keras 3 writes them as the weight "idf_weights" of the layer,
    though they are not one of its `weights`): what the weights file reader needs of a variable."""

    def __init__(self, layer):
        self.layer = layer
        self.path = f"{layer.name}/idf_weights"

    @property
    def shape(self) -> tuple:
        if self.layer._idf is not None:
            return self.layer._idf.shape
        size = self.layer.max_tokens if self.layer.pad_to_max_tokens else self.layer._frozen_vocab_size
        return (size or 0,)

    def numpy(self):
        return self.layer._idf

    def assign(self, value) -> None:
        self.layer._idf = np.asarray(value, dtype="float32")


def _listify(value):
    if value is None or isinstance(value, str):
        return value
    if active.core.is_tensor(value):
        value = active.core.convert_to_numpy(value)
    return np.asarray(value).tolist() if isinstance(value, (np.ndarray, tuple)) else list(value)


def is_batch_iterable(data) -> bool:
    """Batches to adapt on one at a time (a generator, a tf.data.Dataset, a PyDataset), not one array of data."""
    if isinstance(data, (list, tuple, np.ndarray, str, bytes)) or active.core.is_tensor(data):
        return False
    return hasattr(data, "__iter__")


class IndexLookup(_graph_host.HostInGraphMixin, Layer):
    """Base of the lookup layers; `vocabulary_dtype` is "string" or "int64"."""

    _check_tensor_inputs = False
    _convert_input_args = False
    # The work runs on the host (a Python callback): no XLA compilation of steps holding the layer (Keras 3's flag).
    supports_jit = False

    def __init__(
        self,
        max_tokens,
        num_oov_indices,
        mask_token,
        oov_token,
        vocabulary_dtype,
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        oov_method="floormod",
        name=None,
        salt=None,
        **kwargs,
    ):
        label = name or type(self).__name__  # for messages: the layer has no name yet
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(BAD_MAX_TOKENS.format(max_tokens=max_tokens))
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(PAD_NEEDS_MAX.format(max_tokens=max_tokens))
        if num_oov_indices < 0:
            raise ValueError(BAD_NUM_OOV.format(num_oov_indices=num_oov_indices))
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if output_mode not in OUTPUT_MODES:
            raise ValueError(BAD_OUTPUT_MODE.format(name=label, modes=OUTPUT_MODES, output_mode=output_mode))
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(BAD_OOV_METHOD.format(name=label, oov_method=oov_method))
        if invert and output_mode != "int":
            raise ValueError(INVERT_NEEDS_INT.format(output_mode=output_mode))
        if sparse:
            raise ValueError(NO_SPARSE.format(name=label, sparse=sparse))
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(IDF_ONLY_TF_IDF.format(idf_weights=idf_weights, output_mode=output_mode))
        frozen_size = kwargs.pop("vocabulary_size", None)
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("dtype", None)
        super().__init__(name=name, **kwargs)
        self.invert = bool(invert)
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = False
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method = oov_method
        self.salt = [salt, salt] if isinstance(salt, int) else (list(salt) if salt is not None else None)
        self.input_vocabulary = None if isinstance(vocabulary, str) else vocabulary
        self.input_idf_weights = idf_weights
        self._frozen_vocab_size = frozen_size
        self._has_input_vocabulary = has_input_vocabulary
        self._tokens: list = []
        self._table: dict = {}
        self._idf = None
        self._reset_counts()
        if output_mode == "tf_idf" and has_input_vocabulary and idf_weights is None:
            raise ValueError(IDF_NEEDED.format(name=self.name))
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # dtypes: the layer holds no float weights; its inputs are tokens.
    @property
    def compute_dtype(self) -> str:
        return self.vocabulary_dtype

    @property
    def variable_dtype(self) -> str:
        return self.vocabulary_dtype

    # Index layout --------------------------------------------------------------------------------------------------
    def _oov_start_index(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self) -> int:
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self) -> int:
        """Size of the vocabulary, mask and OOV indices included."""
        return len(self._tokens) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """The tokens in index order: with `include_special_tokens`, a token's position is its index (mask and OOV
        tokens first); without, the learned or given tokens only."""
        special = [self.oov_token] * self._token_start_index()
        if self.mask_token is not None and self.output_mode == "int":
            special[0] = self.mask_token
        return (special if include_special_tokens else []) + list(self._tokens)

    def _key(self, value):
        return str(value) if self.vocabulary_dtype == "string" else int(value)

    def _host_tokens(self, values) -> np.ndarray:
        if self.vocabulary_dtype == "string":
            return _text.as_text_array(values, getattr(self, "encoding", "utf-8"))
        return np.asarray(values).astype("int64")

    # Vocabulary ----------------------------------------------------------------------------------------------------
    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Replaces the vocabulary (a list, tuple, 1-D array or tensor, or the path of a text file with one token
        per line) and, in `"tf_idf"` mode, the IDF weights (one per token)."""
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(IDF_NEEDED.format(name=self.name))
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(IDF_ONLY_TF_IDF.format(idf_weights=idf_weights, output_mode=self.output_mode))
        if isinstance(vocabulary, str):
            vocabulary = self._read_vocabulary_file(vocabulary)
        elif active.core.is_tensor(vocabulary) and not isinstance(vocabulary, np.ndarray):
            vocabulary = active.core.convert_to_numpy(vocabulary)
        values = [self._key(v) for v in self._host_tokens(vocabulary).reshape(-1).tolist()]
        if not values:
            raise ValueError(EMPTY_VOCABULARY.format(vocabulary=vocabulary))
        token_start = self._token_start_index()
        special = self.get_vocabulary()[:token_start]
        found_special = values[:token_start] == [self._key(s) if s is not None else s for s in special]
        tokens = values[token_start:] if found_special else values
        repeated = [t for t, n in collections.Counter(tokens).items() if n > 1]
        if repeated:
            raise ValueError(REPEATED_TOKENS.format(repeated=repeated))
        for which, token in (("mask", self.mask_token), ("oov", self.oov_token if self.invert else None)):
            if token is not None and self._key(token) in tokens:
                index = len(values) - 1 - values[::-1].index(self._key(token))
                raise ValueError(
                    MISPLACED_SPECIAL.format(which=which, special=special, token=token, index=[index])
                )
        if self.max_tokens is not None and token_start + len(tokens) > self.max_tokens:
            raise ValueError(VOCABULARY_TOO_LARGE.format(size=token_start + len(tokens), max_tokens=self.max_tokens))
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf" and idf_weights is not None:
            weights = np.asarray(_listify(idf_weights), dtype="float64")
            if len(weights) != len(values):
                raise ValueError(IDF_LENGTH.format(got=len(weights), n=len(values)))
            # Without special tokens given, the OOV (and mask) entries take the average weight.
            front = 0 if found_special else token_start
            fill = 0.0 if found_special else float(np.average(weights))
            back = self._depth() - front - len(weights) if self.pad_to_max_tokens else 0
            self._idf = np.pad(weights, (front, back), constant_values=(fill, 0.0)).astype("float32")

    def _read_vocabulary_file(self, path: str) -> list:
        if _registry.in_safe_mode():
            raise ValueError(FILE_IN_SAFE_MODE.format(path=path))
        if not os.path.exists(path):
            raise ValueError(NO_FILE.format(path=path))
        if self.output_mode == "tf_idf":
            raise ValueError(NO_TF_IDF_FILE.format(path=path))
        with open(path, encoding="utf-8") as file:
            lines = file.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        return lines

    def _set_tokens(self, tokens: list) -> None:
        self._tokens = list(tokens)
        start = self._token_start_index()
        self._table = {token: start + i for i, token in enumerate(self._tokens)}
        if self.mask_token is not None:
            # The mask token in the same dict lookup: index 0 in "int" mode, -1 (dropped by counts) otherwise.
            self._table[self._key(self.mask_token)] = 0 if self.output_mode == "int" else -1
        size = self.vocabulary_size()
        if self.output_mode != "int" and not self.pad_to_max_tokens and self._frozen_vocab_size not in (None, size):
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, the vocabulary size "
                f"cannot be changed after the layer is called. Old vocab size is {self._frozen_vocab_size}, new "
                f"vocab size is {size}"
            )
        self._frozen_vocab_size = size

    # Adapt ---------------------------------------------------------------------------------------------------------
    def _reset_counts(self) -> None:
        self._token_counts: collections.Counter = collections.Counter()
        self._document_counts: collections.Counter = collections.Counter()
        self._num_documents = 0

    def reset_state(self) -> None:
        self._reset_counts()

    def adapt(self, data, steps: int | None = None) -> None:
        """Learns the vocabulary from `data` (an array or list of tokens, or an iterable of batches such as a
        tf.data.Dataset), the most frequent first, ties broken by the tokens' order (high to low); in `"tf_idf"`
        mode also each token's inverse document frequency."""
        self.reset_state()
        if is_batch_iterable(data):
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        else:
            array = self._host_tokens(self._to_host(data))
            self.update_state(array[:, None] if array.ndim == 1 else array)
        self.finalize_state()

    def _to_host(self, data):
        if isinstance(data, (list, tuple, np.ndarray)):
            return data
        return active.core.convert_to_numpy(data) if active.core.is_tensor(data) else np.asarray(data)

    def update_state(self, data) -> None:
        """Counts the tokens of one batch (each row one document)."""
        array = self._host_tokens(self._to_host(data))
        if array.ndim == 0:
            array = array[None]
        if array.ndim == 1:
            array = array[None]
        self._count_rows([[self._key(v) for v in row] for row in array.reshape(array.shape[0], -1).tolist()])

    def _count_rows(self, rows: list) -> None:
        if self._has_input_vocabulary:
            raise ValueError(ADAPT_FIXED.format(name=self.name))
        self._token_counts.update(itertools.chain.from_iterable(rows))
        if self.output_mode == "tf_idf":
            for row in rows:
                self._document_counts.update(set(row))
            self._num_documents += len(rows)

    def finalize_state(self) -> None:
        if self._has_input_vocabulary or not self._token_counts:
            return
        counts = self._token_counts
        for special in (self.mask_token, self.oov_token):
            if special is not None:
                counts.pop(self._key(special), None)
        # Most frequent first; equal counts by token, high to low (Keras 3's order).
        tokens = sorted(counts, key=lambda token: (counts[token], token), reverse=True)
        if self.max_tokens:
            tokens = tokens[: self.max_tokens - self._token_start_index()]
        self._frozen_vocab_size = None
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            documents = np.array([self._document_counts[t] for t in tokens], dtype="float64")
            weights = np.log(1 + self._num_documents / (1 + documents)).astype("float32")
            mean = float(weights.mean(dtype="float32")) if len(weights) else 0.0
            back = self._depth() - self._token_start_index() - len(weights) if self.pad_to_max_tokens else 0
            weights = np.pad(weights, (self._token_start_index(), back), constant_values=(mean, 0.0))
            self._idf = weights.astype("float32")
        self.reset_state()

    # Call ----------------------------------------------------------------------------------------------------------
    def _depth(self) -> int:
        if self.pad_to_max_tokens:
            return self.max_tokens  # pyright: ignore[reportReturnType] - __init__ requires it with padding
        if self._frozen_vocab_size is None:
            raise RuntimeError(UNKNOWN_SIZE.format(output_mode=self.output_mode, name=self.name))
        return self._frozen_vocab_size

    def lookup_indices(self, flat: np.ndarray) -> np.ndarray:
        """int64 indices of a flat token array; masked tokens get -1 outside `"int"` mode (dropped by counts)."""
        if self.vocabulary_dtype == "string":
            keys = flat.tolist()  # Python strings: `_host_tokens` and the text layer's tokens are `str`
        else:
            keys = flat.astype("int64").tolist()
        missing = -2
        default = self._oov_start_index() if self.num_oov_indices == 1 else missing
        get = self._table.get
        indices = np.fromiter(map(get, keys, itertools.repeat(default)), dtype="int64", count=len(keys))
        oov = indices == missing
        if oov.any():
            if self.num_oov_indices == 0:
                shown = [k for k, o in zip(keys, oov) if o][:10]
                raise ValueError(OOV_WITHOUT_INDEX.format(name=self.name, values=shown))
            values = flat[oov]
            if self.vocabulary_dtype == "string" or self.oov_method == "farmhash":
                # FarmHash Fingerprint64 (SipHash with a salt) of the token's text, as TensorFlow's hash buckets.
                key = (int(self.salt[0]), int(self.salt[1])) if self.salt is not None else None
                buckets = _fingerprints.hash_buckets(values, self.num_oov_indices, key)
            else:
                buckets = np.mod(values.astype("int64"), self.num_oov_indices)
            indices[oov] = buckets + self._oov_start_index()
        return indices

    def _inverse(self, array: np.ndarray) -> np.ndarray:
        vocabulary = self.get_vocabulary()
        default = self.oov_token
        flat = [vocabulary[i] if 0 <= i < len(vocabulary) else default for i in array.reshape(-1).tolist()]
        if self.mask_token is not None:
            flat = [self.mask_token if i == 0 else v for i, v in zip(array.reshape(-1).tolist(), flat)]
        if self.vocabulary_dtype == "string":
            return np.array(flat, dtype=str).reshape(array.shape)
        return np.array(flat, dtype="int64").reshape(array.shape)

    def _host_call(self, array: np.ndarray) -> np.ndarray:
        if self.invert:
            return self._inverse(np.asarray(array).astype("int64"))
        tokens = self._host_tokens(array)
        indices = self.lookup_indices(tokens.reshape(-1)).reshape(tokens.shape)
        if self.output_mode == "int":
            return indices
        return _encoding.encode(indices, self.output_mode, self._depth(), self._idf)

    def _output_dtype(self) -> str:
        if self.invert:
            return "string" if self.vocabulary_dtype == "string" else "int64"
        return "float32" if self.output_mode == "tf_idf" else "int64"

    def call(self, inputs):
        if self.output_mode != "int":
            self._depth()
        if isinstance(inputs, (list, tuple, str, bytes, int)):
            inputs = np.asarray(inputs)
        shape = self.compute_output_shape(tuple(np.shape(inputs)) if isinstance(inputs, np.ndarray) else
                                          tuple(inputs.shape))
        return active.core.host_call(self._host_call, inputs, self._output_dtype(), shape)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        if self.output_mode == "one_hot":
            if len(input_shape) > 1 and input_shape[-1] == 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        return input_shape[:-1] + (depth,)

    def compute_output_spec(self, inputs, **kwargs):
        # Keras 3's symbolic dtype: int64 indices, floatx for the encodings (its eager counts are int64).
        dtype = ("string" if self.vocabulary_dtype == "string" else "int64") if self.invert else "int64"
        if self.output_mode != "int":
            dtype = backend.floatx()
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype)

    def build(self, input_shape=None):
        self.built = True

    # Saving --------------------------------------------------------------------------------------------------------
    def get_build_config(self) -> dict:
        return {}

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "invert": self.invert,
                "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices,
                "oov_token": self.oov_token,
                "mask_token": self.mask_token,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
                "pad_to_max_tokens": self.pad_to_max_tokens,
                "vocabulary_dtype": self.vocabulary_dtype,
                "idf_weights": _listify(self.input_idf_weights),
                "vocabulary": _listify(self.input_vocabulary),
                "vocabulary_size": self._frozen_vocab_size,
                "oov_method": self.oov_method,
                "salt": self.salt,
            }
        )
        return config

    def _saved_variables(self) -> dict:
        return {"idf_weights": _IdfWeights(self)} if self.output_mode == "tf_idf" else {}

    def save_assets(self, dir_path: str) -> None:
        """Writes the vocabulary to `dir_path/vocabulary.txt` (one token a line), unless the config holds it."""
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as file:
            file.write("\n".join(str(token) for token in self.get_vocabulary()))

    def load_assets(self, dir_path: str) -> None:
        """Reads back the vocabulary `save_assets` wrote."""
        if self.input_vocabulary is not None:
            return
        path = os.path.join(dir_path, "vocabulary.txt")
        if not os.path.isfile(path):
            return
        with open(path, encoding="utf-8") as file:
            lines = file.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        if not lines:
            return
        values = lines if self.vocabulary_dtype == "string" else [int(line) for line in lines]
        self.set_vocabulary(values, idf_weights=self._idf if self.output_mode == "tf_idf" else None)
