"""Host-side (NumPy) encodings of vocabulary indices: one-hot, multi-hot, counts and TF-IDF.

Indices outside `[0, depth)` (the masked tokens, marked -1) count nowhere, as TensorFlow's bincount drops them in
Keras 3. A rank-1 input is one sample; rank 2 is a batch of samples over its last axis.
"""

from __future__ import annotations

import numpy as np

TOO_DEEP = "Encoding `output_mode={output_mode}` takes inputs of rank 2 at most. Received: shape={shape}."


def one_hot(indices: np.ndarray, depth: int) -> np.ndarray:
    if indices.ndim > 1 and indices.shape[-1] == 1:
        indices = indices[..., 0]
    return (indices[..., None] == np.arange(depth)).astype("int64")


def counts(rows: list, depth: int) -> np.ndarray:
    """`(len(rows), depth)` counts of each row's indices (a list of 1-D arrays, possibly of different lengths)."""
    result = np.zeros((len(rows), depth), dtype="int64")
    for i, row in enumerate(rows):
        kept = row[(row >= 0) & (row < depth)]
        result[i] = np.bincount(kept, minlength=depth)[:depth]
    return result


def encode_rows(rows: list, output_mode: str, depth: int, idf=None) -> np.ndarray:
    """multi_hot / count / tf_idf of each row, `(len(rows), depth)`."""
    result = counts(rows, depth)
    if output_mode == "multi_hot":
        return np.minimum(result, 1)
    if output_mode == "tf_idf":
        return result.astype("float32") * np.asarray(idf, dtype="float32")
    return result


def encode(indices: np.ndarray, output_mode: str, depth: int, idf=None) -> np.ndarray:
    if output_mode == "one_hot":
        return one_hot(indices, depth)
    if indices.ndim > 2:
        raise ValueError(TOO_DEEP.format(output_mode=output_mode, shape=indices.shape))
    single = indices.ndim <= 1
    rows = [indices.reshape(-1)] if single else list(indices)
    encoded = encode_rows(rows, output_mode, depth, idf)
    return encoded[0] if single else encoded
