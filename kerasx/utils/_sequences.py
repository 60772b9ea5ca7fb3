"""`pad_sequences`: variable-length sequences to one padded (or truncated) array."""

from __future__ import annotations

import numpy as np

NOT_A_SEQUENCE_LIST = "`sequences` must be iterable. Received: sequences={value!r}."
NOT_ITERABLE_SEQUENCE = "`sequences` must be a list of iterables. Found non-iterable: {value}"
STRING_VALUE = (
    "`dtype` {dtype} is not compatible with `value`'s type: {value_type}\n"
    "You should set `dtype=object` for variable length strings."
)
BAD_TRUNCATING = 'Truncating type "{value}" not understood. Expected "pre" or "post".'
BAD_PADDING = 'Padding type "{value}" not understood. Expected "pre" or "post".'
BAD_SAMPLE_SHAPE = (
    "Shape of sample {shape} of sequence at position {index} is different from expected shape {expected}: "
    "every step of every sequence must have the shape of the first non-empty sequence's steps."
)


def pad_sequences(sequences, maxlen: int | None = None, dtype="int32", padding: str = "pre",
                  truncating: str = "pre", value=0.0) -> np.ndarray:
    """A list of sequences as one array of shape `(len(sequences), maxlen, *step_shape)`.

    Shorter sequences are filled with `value` (before them with `padding="pre"`, after with `"post"`); longer ones
    lose their first steps (`truncating="pre"`) or their last (`"post"`). The step shape is that of the first
    non-empty sequence's steps; empty sequences give rows of `value`.

    Args:
        sequences: a list of sequences (lists or arrays of steps).
        maxlen: the output length; by default the longest sequence's length.
        dtype: the output dtype; for strings use `object` (or a NumPy string dtype).
        padding: "pre" or "post".
        truncating: "pre" or "post".
        value: the padding value.

    Returns:
        A NumPy array of `dtype`.

    Example:

    >>> from kerasx import utils
    >>> utils.pad_sequences([[1, 2, 3], [4, 5], [6]], maxlen=2)
    array([[2, 3],
           [4, 5],
           [0, 6]], dtype=int32)
    >>> utils.pad_sequences([[1], [2, 3]], padding="post", value=-1)
    array([[ 1, -1],
           [ 2,  3]], dtype=int32)
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(NOT_A_SEQUENCE_LIST.format(value=sequences))
    lengths = []
    step_shape: tuple = ()
    found_step_shape = False
    for sequence in sequences:
        try:
            lengths.append(len(sequence))
        except TypeError as error:
            raise ValueError(NOT_ITERABLE_SEQUENCE.format(value=sequence)) from error
        if not found_step_shape and len(sequence):
            step_shape = np.asarray(sequence).shape[1:]
            found_step_shape = True
    if maxlen is None:
        maxlen = int(np.max(lengths))
    string_dtype = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not string_dtype:
        raise ValueError(STRING_VALUE.format(dtype=dtype, value_type=type(value)))
    padded = np.full((len(sequences), maxlen) + step_shape, value, dtype=dtype)
    for index, sequence in enumerate(sequences):
        if not len(sequence):
            continue
        if truncating == "pre":
            kept = sequence[-maxlen:]
        elif truncating == "post":
            kept = sequence[:maxlen]
        else:
            raise ValueError(BAD_TRUNCATING.format(value=truncating))
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != step_shape:
            raise ValueError(BAD_SAMPLE_SHAPE.format(shape=kept.shape[1:], index=index, expected=step_shape))
        if padding == "post":
            padded[index, : len(kept)] = kept
        elif padding == "pre":
            padded[index, -len(kept):] = kept
        else:
            raise ValueError(BAD_PADDING.format(value=padding))
    return padded
