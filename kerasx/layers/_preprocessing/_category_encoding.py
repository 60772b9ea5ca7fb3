"""`CategoryEncoding`: integer category indices to one-hot, multi-hot or count vectors."""

from __future__ import annotations

from typing import Literal

from kerasx import ops
from kerasx.layers._layer import Layer
from kerasx.layers._preprocessing import _categorical, _graph_host
from kerasx.serialization import _registry

BAD_NUM_TOKENS = (
    "CategoryEncoding needs a positive integer num_tokens (the size of the encoded axis). "
    "Received: num_tokens={num_tokens!r}. When the categories are unknown in advance, use IntegerLookup instead."
)
COUNT_WEIGHTS_WITHOUT_COUNT = (
    "Layer '{name}' (CategoryEncoding) uses count_weights only with output_mode='count'. "
    "Received: output_mode={mode!r}. Pass output_mode='count' or drop count_weights."
)


@_registry.builtin
class CategoryEncoding(_graph_host.HostInGraphMixin, Layer):
    """Encodes integer category indices as one-hot, multi-hot or count vectors of size `num_tokens`.

    Indices must lie in `[0, num_tokens)`.

    Args:
        num_tokens: size of the encoded axis (the number of categories).
        output_mode: `"one_hot"` (each index its own vector; a trailing input axis of size 1 is replaced),
            `"multi_hot"` (one vector per sample, 1 where an index occurs; `"binary"` is the same) or `"count"`
            (how many times each index occurs in the sample).
        sparse: must be False (kerasx returns dense tensors).
        **kwargs: base Layer arguments (name, dtype, ...): `dtype` is the output's dtype.

    Call arguments:
        inputs: integer indices of shape `(batch,)` or `(batch, num_indices)`.
        count_weights: with `output_mode="count"`, a weight per index (same shape as `inputs`) summed instead of 1.

    Output shape: `(batch, num_tokens)` for multi_hot and count; one_hot adds a `num_tokens` axis.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.CategoryEncoding(num_tokens=4, output_mode="count")
        >>> print(kerasx.ops.convert_to_numpy(layer(np.array([[0, 1, 1], [3, 3, 2]]))))
        [[1. 2. 0. 0.]
         [0. 0. 1. 2.]]
    """

    _convert_input_args = False

    def __init__(
        self,
        num_tokens: int | None = None,
        output_mode: Literal["one_hot", "multi_hot", "count", "binary"] = "multi_hot",
        sparse: bool = False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        output_mode = "multi_hot" if output_mode == "binary" else output_mode
        modes = _categorical.OUTPUT_MODES[1:]
        self.output_mode = _categorical.check_output_mode("CategoryEncoding", output_mode, modes)
        if isinstance(num_tokens, bool) or not isinstance(num_tokens, int) or num_tokens < 1:
            raise ValueError(BAD_NUM_TOKENS.format(num_tokens=num_tokens))
        self.num_tokens = num_tokens
        self.sparse = _categorical.check_sparse("CategoryEncoding", sparse)

    def call(self, inputs, count_weights=None):
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(COUNT_WEIGHTS_WITHOUT_COUNT.format(name=self.name, mode=self.output_mode))
            count_weights = ops.convert_to_tensor(count_weights, dtype=self.compute_dtype)
        indices = ops.convert_to_tensor(inputs)
        return _categorical.encode(indices, self.output_mode, self.num_tokens, self.compute_dtype, count_weights)

    def compute_output_shape(self, input_shape):
        return _categorical.encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"num_tokens": self.num_tokens, "output_mode": self.output_mode})
        return config
