"""`StringLookup` and `IntegerLookup`: tokens to vocabulary indices (or back, with `invert=True`)."""

from __future__ import annotations

from kerasx.layers._preprocessing._index_lookup import IndexLookup
from kerasx.serialization import _registry

ONLY_INT64 = (
    "Only `vocabulary_dtype='int64'` is supported at this time. Received: vocabulary_dtype={vocabulary_dtype}"
)


@_registry.builtin
class StringLookup(IndexLookup):
    """Maps strings to integer indices of a vocabulary, learned with `adapt` or given.

    Indices are laid out as Keras 3 documents: the mask token (if any) at 0, then `num_oov_indices` OOV indices,
    then the vocabulary, most frequent token first after `adapt`. Strings are worked on the host (NumPy) on every
    engine, since only TensorFlow has string tensors: the layer takes NumPy string arrays, Python lists and (on
    TensorFlow) `tf.string` tensors, also inside `tf.function` and `tf.data.Dataset.map`; with `invert=True` it
    returns a NumPy string array (a `tf.string` tensor on TensorFlow).

    Args:
        max_tokens: largest vocabulary size, mask and OOV indices included; None for no limit.
        num_oov_indices: number of out-of-vocabulary indices (0: unknown tokens are an error).
        mask_token: token mapped to index 0 in `"int"` mode (dropped by the other modes); None for no mask.
        oov_token: token returned for OOV indices when `invert=True`.
        vocabulary: a list, tuple, 1-D array or tensor of tokens, or the path of a text file, one token a line.
        idf_weights: in `"tf_idf"` mode, one inverse document frequency per vocabulary token.
        invert: map indices back to tokens (`"int"` mode only).
        output_mode: `"int"` (indices), `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"` (last axis encoded).
        pad_to_max_tokens: encodings have `max_tokens` entries whatever the vocabulary size.
        sparse: must be False: kerasx has dense tensors only.
        encoding: text encoding of byte strings.
        salt: accepted for Keras 3 configs (hashing of OOV strings, see `num_oov_indices`).

    Call arguments:
        inputs: strings of any shape (indices when `invert=True`).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.StringLookup()
        >>> layer.adapt(["b", "c", "c", "a", "b", "c"])
        >>> layer.get_vocabulary()
        ['[UNK]', 'c', 'b', 'a']
        >>> kerasx.ops.convert_to_numpy(layer(np.array([["a", "c"], ["z", "b"]]))).tolist()
        [[3, 1], [0, 2]]
    """

    def __init__(
        self,
        max_tokens: int | None = None,
        num_oov_indices: int = 1,
        mask_token: str | None = None,
        oov_token: str = "[UNK]",
        vocabulary=None,
        idf_weights=None,
        invert: bool = False,
        output_mode: str = "int",
        pad_to_max_tokens: bool = False,
        sparse: bool = False,
        encoding: str = "utf-8",
        name: str | None = None,
        salt=None,
        **kwargs,
    ):
        self.encoding = encoding
        kwargs.pop("vocabulary_dtype", None)
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary_dtype="string",
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            name=name,
            salt=salt,
            **kwargs,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        del config["vocabulary_dtype"]
        config["encoding"] = self.encoding
        return config


@_registry.builtin
class IntegerLookup(IndexLookup):
    """Maps integers to contiguous indices of a vocabulary, learned with `adapt` or given.

    Indices are laid out as Keras 3 documents: the mask token (if any) at 0, then `num_oov_indices` OOV indices
    (with several, an unknown value `v` goes to `v % num_oov_indices`), then the vocabulary, most frequent value
    first after `adapt`. The lookup runs on the host (NumPy) on every engine, also inside `tf.function` and
    `tf.data.Dataset.map` on TensorFlow.

    Args:
        max_tokens: largest vocabulary size, mask and OOV indices included; None for no limit.
        num_oov_indices: number of out-of-vocabulary indices (0: unknown tokens are an error).
        mask_token: token mapped to index 0 in `"int"` mode (dropped by the other modes); None for no mask.
        oov_token: token returned for OOV indices when `invert=True`.
        vocabulary: a list, tuple, 1-D array or tensor of tokens, or the path of a text file, one token a line.
        idf_weights: in `"tf_idf"` mode, one inverse document frequency per vocabulary token.
        invert: map indices back to tokens (`"int"` mode only).
        output_mode: `"int"` (indices), `"one_hot"`, `"multi_hot"`, `"count"` or `"tf_idf"` (last axis encoded).
        pad_to_max_tokens: encodings have `max_tokens` entries whatever the vocabulary size.
        sparse: must be False: kerasx has dense tensors only.
        vocabulary_dtype: "int64" (the only one Keras 3 takes).
        oov_method: "floormod" (`v % num_oov_indices`) for several OOV indices.
        salt: accepted for Keras 3 configs ("farmhash" hashing).

    Call arguments:
        inputs: integers of any shape (indices when `invert=True`).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
        >>> kerasx.ops.convert_to_numpy(layer(np.array([[12, 1138, 42], [42, 1000, 36]]))).tolist()
        [[1, 3, 4], [4, 0, 2]]
    """

    def __init__(
        self,
        max_tokens: int | None = None,
        num_oov_indices: int = 1,
        mask_token: int | None = None,
        oov_token: int = -1,
        vocabulary=None,
        vocabulary_dtype: str = "int64",
        idf_weights=None,
        invert: bool = False,
        output_mode: str = "int",
        sparse: bool = False,
        pad_to_max_tokens: bool = False,
        oov_method: str = "floormod",
        salt=None,
        name: str | None = None,
        **kwargs,
    ):
        if vocabulary_dtype != "int64":
            raise ValueError(ONLY_INT64.format(vocabulary_dtype=vocabulary_dtype))
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary_dtype=vocabulary_dtype,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            oov_method=oov_method,
            name=name,
            salt=salt,
            **kwargs,
        )

    def get_config(self) -> dict:
        config = super().get_config()
        for key in ("oov_token", "mask_token"):
            if config[key] is not None:
                config[key] = int(config[key])
        if config["vocabulary"] is not None and not isinstance(config["vocabulary"], str):
            config["vocabulary"] = [int(v) for v in config["vocabulary"]]
        return config
