"""`TextVectorization`: strings to token indices or encodings, through standardize -> split -> n-grams -> lookup."""

from __future__ import annotations

import itertools

import numpy as np

from kerasx import backend
from kerasx.backend import active
from kerasx.layers._layer import Layer
from kerasx.layers._preprocessing import _encoding, _graph_host, _text
from kerasx.layers._preprocessing._index_lookup import is_batch_iterable
from kerasx.layers._preprocessing._lookup import StringLookup
from kerasx.ops import KerasTensor
from kerasx.serialization import _registry

STANDARDIZERS = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
SPLITTERS = ("whitespace", "character")
BAD_CHOICE = "Layer '{name}': `{arg}` must be one of {allowed}, None or a callable. Received: {arg}={value!r}"
BAD_NGRAMS = "`ngrams` must be None, an integer, or a tuple of integers. Received: ngrams={ngrams}"
BAD_SEQUENCE_LENGTH = (
    "`output_sequence_length` must be either None or an integer when `output_mode` is 'int'. Received: "
    "output_sequence_length={value}"
)
SEQUENCE_LENGTH_NEEDS_INT = (
    "`output_sequence_length` must not be set if `output_mode` is not 'int'. Received output_sequence_length={value}."
)
NO_RAGGED = (
    "Layer '{name}': kerasx has dense tensors only, so `ragged=True` is not supported. Received: ragged={ragged}. "
    "Use ragged=False (rows are padded with 0) or `output_sequence_length`."
)
NO_SPARSE = "Layer '{name}': kerasx has dense tensors only, so `sparse=True` is not supported. Received: sparse=True."
BAD_RANK = (
    "When using `TextVectorization` to tokenize strings, the input rank must be 1 or the last shape dimension must "
    "be 1. Received: inputs.shape={shape} with rank={rank}"
)


@_registry.builtin
class TextVectorization(_graph_host.HostInGraphMixin, Layer):
    """Turns strings into sequences of token indices (or multi-hot, count or TF-IDF vectors).

    Each string is standardized (`"lower_and_strip_punctuation"` lower-cases ASCII letters and removes ASCII
    punctuation, as Keras 3 does), split into tokens (on whitespace, into characters, or by your callable), extended
    with n-grams, and looked up in a vocabulary learned with `adapt` (most frequent first) or given. Index 0 is the
    padding (the empty string) and 1 the OOV token. The text work runs on the host (NumPy) on every engine, since
    only TensorFlow has string tensors: the layer takes NumPy string arrays, Python lists and (on TensorFlow)
    `tf.string` tensors, also inside `tf.function` and `tf.data.Dataset.map`. A callable `standardize` receives
    a NumPy array of Python strings, a callable `split` that array and returns one list of tokens per string.

    Args:
        max_tokens: largest vocabulary size, padding and OOV included; None for no limit.
        standardize: "lower_and_strip_punctuation", "lower", "strip_punctuation", None or a callable.
        split: "whitespace", "character", None (each string is one token) or a callable.
        ngrams: None, an int n (n-grams of 1..n tokens) or a tuple of widths.
        output_mode: "int", "multi_hot", "count" or "tf_idf" ("one_hot" as Keras 3 takes it).
        output_sequence_length: in "int" mode, pad or truncate every row to this length (else to the longest row).
        pad_to_max_tokens: encodings have `max_tokens` entries whatever the vocabulary size.
        vocabulary: a list of tokens or the path of a text file, one token a line.
        idf_weights: in "tf_idf" mode, one weight per vocabulary token.
        sparse, ragged: must be False (kerasx has dense tensors only).
        encoding: text encoding of byte strings.

    Call arguments:
        inputs: strings of shape `(batch,)` or `(batch, 1)`.

    Output shape: `(batch, output_sequence_length or longest row)` of int64 in "int" mode, else
    `(batch, vocabulary size)`.

    Example:
        >>> import kerasx
        >>> layer = kerasx.layers.TextVectorization(output_sequence_length=4)
        >>> layer.adapt(["The cat sat.", "The dog sat on the mat!"])
        >>> layer.get_vocabulary()[:5]
        ['', '[UNK]', 'the', 'sat', 'on']
        >>> kerasx.ops.convert_to_numpy(layer(["the bird sat", "a cat"])).tolist()
        [[2, 1, 3, 0], [1, 7, 0, 0]]
    """

    _check_tensor_inputs = False
    _convert_input_args = False
    # The work runs on the host (a Python callback): no XLA compilation of steps holding the layer (Keras 3's flag).
    supports_jit = False

    def __init__(
        self,
        max_tokens: int | None = None,
        standardize="lower_and_strip_punctuation",
        split="whitespace",
        ngrams=None,
        output_mode: str = "int",
        output_sequence_length: int | None = None,
        pad_to_max_tokens: bool = False,
        vocabulary=None,
        idf_weights=None,
        sparse: bool = False,
        ragged: bool = False,
        encoding: str = "utf-8",
        name: str | None = None,
        **kwargs,
    ):
        label = name or type(self).__name__  # for messages: the layer has no name yet
        if sparse:
            raise ValueError(NO_SPARSE.format(name=label))
        if ragged:
            raise ValueError(NO_RAGGED.format(name=label, ragged=ragged))
        for arg, value, allowed in (("standardize", standardize, STANDARDIZERS), ("split", split, SPLITTERS)):
            if not (value is None or callable(value) or value in allowed):
                raise ValueError(BAD_CHOICE.format(name=label, arg=arg, allowed=allowed, value=value))
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if isinstance(ngrams, list):
            ngrams = tuple(ngrams)
        if not (ngrams is None or isinstance(ngrams, int) or (
            isinstance(ngrams, tuple) and all(isinstance(n, int) for n in ngrams)
        )):
            raise ValueError(BAD_NGRAMS.format(ngrams=ngrams))
        if output_mode == "int" and not (output_sequence_length is None or isinstance(output_sequence_length, int)):
            raise ValueError(BAD_SEQUENCE_LENGTH.format(value=output_sequence_length))
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(SEQUENCE_LENGTH_NEEDS_INT.format(value=output_sequence_length))
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens,
            mask_token="",
            output_mode=output_mode,
            has_input_vocabulary=has_input_vocabulary,
            encoding=encoding,
            vocabulary_size=vocabulary_size,
        )

    @property
    def compute_dtype(self) -> str:
        return "string"

    @property
    def variable_dtype(self) -> str:
        return "string"

    def build(self, input_shape=None):
        self.built = True

    # Text on the host ----------------------------------------------------------------------------------------------
    def _token_rows(self, values) -> list:
        """One list of tokens per input string (or, with `split=None`, the standardized strings themselves)."""
        array = _text.as_text_array(values, self._encoding)
        if self._split is not None and array.ndim > 1:
            if array.shape[-1] != 1:
                raise ValueError(BAD_RANK.format(shape=array.shape, rank=array.ndim))
            array = array[..., 0]
        shape = array.shape
        texts = array.reshape(-1).tolist()
        if self._standardize == "lower_and_strip_punctuation":
            texts = _text.lower_and_strip_punctuation(texts)
        elif self._standardize == "lower":
            texts = _text.lower(texts)
        elif self._standardize == "strip_punctuation":
            texts = _text.strip_punctuation(texts)
        if callable(self._standardize):
            standardized = self._standardize(_text.as_object_array(texts).reshape(shape))
            texts = _text.as_text_array(standardized, self._encoding).reshape(-1).tolist()
        if self._split is None:
            rows = [[t] for t in texts]
        elif self._split == "whitespace":
            rows = _text.split_whitespace(texts)
        elif self._split == "character":
            rows = _text.split_characters(texts)
        else:
            assert callable(self._split)  # __init__ accepts a name above, None or a callable
            split = self._split(_text.as_object_array(texts))
            rows = [[str(_text.as_text_array([t], self._encoding)[0]) for t in row] for row in split]
        return _text.ngrams(rows, self._ngrams) if self._ngrams is not None else rows

    def _host_call(self, values) -> np.ndarray:
        array = np.asarray(values)
        rows = self._token_rows(array)
        lookup = self._lookup_layer
        lengths = [len(row) for row in rows]
        flat = _text.as_object_array(list(itertools.chain.from_iterable(rows)))
        indices = lookup.lookup_indices(flat)
        if self._output_mode == "int":
            if self._split is None:
                return indices.reshape(array.shape)
            width = self._output_sequence_length
            if width is None:
                width = max(lengths, default=0)
            # Row i's tokens go to columns 0..len-1 (those below `width`); the rest stays padding (0).
            counts = np.asarray(lengths, dtype="int64")
            rows_of = np.repeat(np.arange(len(rows)), counts)
            columns = np.arange(len(indices)) - np.repeat(np.cumsum(counts) - counts, counts)
            kept = columns < width
            result = np.zeros((len(rows), width), dtype="int64")
            result[rows_of[kept], columns[kept]] = indices[kept]
            return result
        depth = lookup._depth()
        pieces = np.split(indices, np.cumsum(lengths)[:-1]) if rows else []
        if self._split is None and array.ndim <= 1:
            # Keras 3 encodes a batch of unsplit strings as one sample (its eager output is `(depth,)`).
            return _encoding.encode_rows([indices], self._output_mode, depth, lookup._idf)[0]
        return _encoding.encode_rows(pieces, self._output_mode, depth, lookup._idf)

    def call(self, inputs):
        if self._output_mode != "int":
            self._lookup_layer._depth()
        if isinstance(inputs, (list, tuple, str, bytes)):
            inputs = np.asarray(inputs, dtype=object)
        shape = self.compute_output_shape(tuple(inputs.shape))
        dtype = "float32" if self._output_mode == "tf_idf" else "int64"
        return active.core.host_call(self._host_call, inputs, dtype, shape)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self._output_mode == "int":
            if self._split is None:
                return input_shape
            return (input_shape[0] if input_shape else None, self._output_sequence_length)
        if self._split is None:
            if len(input_shape) <= 1:
                input_shape = input_shape + (1,)
        else:
            input_shape = input_shape + (None,)
        return self._lookup_layer.compute_output_shape(input_shape)

    def compute_output_spec(self, inputs, **kwargs):
        dtype = "int64" if self._output_mode == "int" else backend.floatx()
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype)

    # Vocabulary ----------------------------------------------------------------------------------------------------
    def adapt(self, data, batch_size=None, steps: int | None = None) -> None:
        """Learns the vocabulary from strings (an array or list, or an iterable of batches such as a
        tf.data.Dataset): the most frequent token first, ties broken by the tokens' order (high to low)."""
        self.reset_state()
        if is_batch_iterable(data):
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        else:
            self.update_state(data)
        self.finalize_state()

    def update_state(self, data) -> None:
        if active.core.is_tensor(data) and not isinstance(data, np.ndarray):
            data = active.core.convert_to_numpy(data)
        self._lookup_layer._count_rows(self._token_rows(data))

    def finalize_state(self) -> None:
        self._lookup_layer.finalize_state()

    def reset_state(self) -> None:
        self._lookup_layer.reset_state()

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """The tokens in index order (with `include_special_tokens`, the padding "" and OOV "[UNK]" first)."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        """Size of the vocabulary, padding and OOV indices included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Replaces the vocabulary (a list, array or file path) and, in "tf_idf" mode, the IDF weights."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # Saving --------------------------------------------------------------------------------------------------------
    def get_config(self) -> dict:
        config = super().get_config()
        lookup = self._lookup_layer
        config.update(
            {
                "max_tokens": lookup.max_tokens,
                "standardize": _registry.serialize_keras_object(self._standardize)
                if callable(self._standardize) else self._standardize,
                "split": _registry.serialize_keras_object(self._split) if callable(self._split) else self._split,
                "ngrams": self._ngrams_arg,
                "output_mode": self._output_mode,
                "output_sequence_length": self._output_sequence_length,
                "pad_to_max_tokens": lookup.pad_to_max_tokens,
                "sparse": False,
                "ragged": False,
                "vocabulary": lookup.get_config()["vocabulary"],
                "idf_weights": lookup.get_config()["idf_weights"],
                "encoding": self._encoding,
                "vocabulary_size": self.vocabulary_size(),
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("standardize", "split"):
            if isinstance(config.get(key), dict):
                config[key] = _registry.deserialize_keras_object(config[key])
        return cls(**config)

    def _saved_variables(self) -> dict:
        return self._lookup_layer._saved_variables()

    def save_assets(self, dir_path: str) -> None:
        """Writes the vocabulary (see `StringLookup.save_assets`)."""
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path: str) -> None:
        """Reads the vocabulary `save_assets` wrote."""
        self._lookup_layer.load_assets(dir_path)
