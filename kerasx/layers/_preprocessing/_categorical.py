"""Integer indices to `int`, `one_hot`, `multi_hot` or `count` outputs with kerasx.ops (on the engine): the
encoding of CategoryEncoding, Discretization, Hashing and HashedCrossing."""

from __future__ import annotations

from kerasx import ops

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")
BAD_OUTPUT_MODE = (
    "Layer {cls} takes output_mode in {modes}. Received: output_mode={mode!r}. Pick one of those strings."
)
SPARSE_UNSUPPORTED = (
    "Layer {cls} cannot make sparse outputs: kerasx's preprocessing layers return dense tensors on every engine. "
    "Received: sparse={sparse!r}. Pass sparse=False."
)


def check_output_mode(cls: str, output_mode, modes=OUTPUT_MODES) -> str:
    if output_mode not in modes:
        raise ValueError(BAD_OUTPUT_MODE.format(cls=cls, modes=modes, mode=output_mode))
    return output_mode


def check_sparse(cls: str, sparse) -> bool:
    if sparse:
        raise ValueError(SPARSE_UNSUPPORTED.format(cls=cls, sparse=sparse))
    return False


def encoded_shape(input_shape, output_mode: str, depth: int) -> tuple:
    """The shape `encode` gives for inputs of `input_shape`."""
    shape = tuple(input_shape)
    if output_mode == "int":
        return shape
    if not shape:
        return (depth,)
    if output_mode == "one_hot":
        # A trailing axis of size 1 is replaced (one index per sample); otherwise each index gets its own row.
        return shape[:-1] + (depth,) if shape[-1] == 1 and len(shape) > 1 else shape + (depth,)
    return shape[:-1] + (depth,)


def encode(indices, output_mode: str, depth: int, dtype: str, count_weights=None):
    """`indices` (integers in [0, depth)) encoded as `output_mode` with `dtype` (`count_weights`' dtype for weighted
    counts)."""
    if output_mode == "int":
        return ops.cast(indices, dtype)
    if len(indices.shape) == 0:
        indices = ops.expand_dims(indices, -1)
    if output_mode == "multi_hot":
        return ops.multi_hot(indices, depth, dtype=dtype)
    if output_mode == "one_hot":
        if len(indices.shape) > 1 and indices.shape[-1] == 1:
            indices = ops.squeeze(indices, axis=-1)
        return ops.one_hot(indices, depth, dtype=dtype)
    # count: one-hot rows summed over the sample axis.
    if count_weights is not None:
        dtype = ops.dtype(count_weights)
    rows = ops.one_hot(indices, depth, dtype=dtype)
    if count_weights is not None:
        rows = ops.multiply(rows, ops.expand_dims(count_weights, -1))
    return ops.sum(rows, axis=1 if len(indices.shape) > 1 else 0)
