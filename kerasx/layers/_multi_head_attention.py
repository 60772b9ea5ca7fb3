"""`MultiHeadAttention`: query/key/value projections per head, scaled dot-product attention, output projection."""

from __future__ import annotations

import math

from kerasx import constraints, initializers, ops, regularizers
from kerasx.backend import _config
from kerasx.layers import _attention_equations as eq
from kerasx.layers._dropout import Dropout
from kerasx.layers._einsum_dense import EinsumDense
from kerasx.layers._layer import Layer
from kerasx.ops import KerasTensor, _masking
from kerasx.serialization import _registry

BAD_POSITIVE = (
    "MultiHeadAttention needs `{argument}` to be a positive integer{extra}. Received: {argument}={value!r}."
)
BAD_OUTPUT_SHAPE = (
    "MultiHeadAttention: `output_shape` must be an int, a tuple or a list of ints. Received: output_shape={value!r}."
)
BAD_ATTENTION_AXES = (
    "MultiHeadAttention: `attention_axes` must be an int, a list or a tuple of axes. "
    "Received: attention_axes={value!r}."
)
BAD_SLIDING_WINDOW = (
    "MultiHeadAttention: `sliding_window` must be None or a positive integer. Received: sliding_window={value!r}."
)
FLASH_WITH_DROPOUT = (
    "Layer '{name}' ({cls}): flash attention does not apply dropout. Set `dropout=0.0` to use flash attention, or "
    "pass `flash_attention=False`. Received: dropout={dropout}."
)
FLASH_WITH_SCORES = (
    "Layer '{name}' ({cls}): flash attention never materializes the attention scores, so it cannot return them. "
    "Disable flash attention (`flash_attention=None`, `kerasx.config.disable_flash_attention()`) to get them."
)
KEY_VALUE_MISMATCH = (
    "Layer '{name}' ({cls}): `key` and `value` must have the same shape except for the last axis. "
    "Received: value_shape={value_shape} and key_shape={key_shape}."
)


def check_positive(argument: str, value, extra: str = "") -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(BAD_POSITIVE.format(argument=argument, value=value, extra=extra))


def check_sliding_window(value) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
        raise ValueError(BAD_SLIDING_WINDOW.format(value=value))


@_registry.builtin
class MultiHeadAttention(Layer):
    """Multi-head attention (Vaswani et al., 2017): `query`, `key` and `value` are projected to `num_heads` heads,
    each head computes `softmax(q k^T / sqrt(key_dim)) v`, and the heads are projected back together.

    Masks: a `query`/`value`/`key` carrying a Keras mask (e.g. from `Embedding(mask_zero=True)`) masks the padded
    positions; `attention_mask` (`(B, T, S)`, True where attention is allowed) and `use_causal_mask` combine with
    them. Without dropout or returned scores, rank-3 inputs run through `ops.dot_product_attention` (the engine's
    fused kernel where there is one).

    Args:
        num_heads: number of attention heads.
        key_dim: size of each head for query and key.
        value_dim: size of each head for value; defaults to `key_dim`.
        dropout: dropout rate on the attention probabilities.
        use_bias: whether the projections have biases.
        output_shape: the output's trailing shape; defaults to the query's last axis.
        attention_axes: axes of the inputs attention runs over; defaults to every axis but batch, heads and features.
        sliding_window: None, or attend only to keys less than this many positions away.
        flash_attention: True asks for a fused flash kernel; None lets `kerasx.config` decide.
        kernel_initializer, bias_initializer: initializers of the projections.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties added to `losses`.
        kernel_constraint, bias_constraint: projections applied by optimizers after updates.
        use_gate: multiply the attended values by a sigmoid gate computed from the query (gated attention).
        seed: seed of the dropout.
        **kwargs: base Layer arguments (name, dtype, ...).

    Call arguments:
        query: `(B, T, dim)`. value: `(B, S, dim)`. key: `(B, S, dim)`, defaults to `value`.
        query_mask, value_mask, key_mask: optional bool `(B, T)` / `(B, S)`; taken from the inputs' Keras masks.
        attention_mask: optional bool `(B, T, S)`.
        return_attention_scores: also return the `(B, num_heads, T, S)` attention probabilities.
        training: whether dropout applies.
        use_causal_mask: query position `t` attends only to key positions `s <= t`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.MultiHeadAttention(num_heads=2, key_dim=4)
        >>> output, scores = layer(np.ones((1, 3, 8)), np.ones((1, 5, 8)), return_attention_scores=True)
        >>> tuple(output.shape), tuple(scores.shape)
        ((1, 3, 8), (1, 2, 3, 5))
        >>> [v.path for v in layer.weights][:3]
        ['multi_head_attention/query/kernel', 'multi_head_attention/query/bias', 'multi_head_attention/key/kernel']
    """

    def __init__(
        self,
        num_heads: int,
        key_dim: int,
        value_dim: int | None = None,
        dropout: float = 0.0,
        use_bias: bool = True,
        output_shape=None,
        attention_axes=None,
        sliding_window: int | None = None,
        flash_attention: bool | None = None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        use_gate: bool = False,
        seed: int | None = None,
        **kwargs,
    ):
        check_positive("num_heads", num_heads)
        check_positive("key_dim", key_dim)
        if value_dim is not None:
            check_positive("value_dim", value_dim, " or None")
        super().__init__(**kwargs)
        self.supports_masking = True
        # The projections apply it (as in Keras 3); the layer's own output gets no second penalty.
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._num_heads, self._key_dim = num_heads, key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout, self._use_bias, self._use_gate = dropout, use_bias, use_gate
        if output_shape:
            if isinstance(output_shape, int):
                output_shape = (output_shape,)
            try:
                output_shape = tuple(output_shape)
            except TypeError:
                raise ValueError(BAD_OUTPUT_SHAPE.format(value=output_shape)) from None
        self._output_shape = output_shape
        # As in Keras 3, False does not override the global switch: only True forces flash attention.
        self._flash_attention = flash_attention or _config.SETTINGS.flash_attention
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(BAD_ATTENTION_AXES.format(value=attention_axes))
        self._attention_axes = attention_axes
        check_sliding_window(sliding_window)
        self._sliding_window = sliding_window
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(self._key_dim))
        if self._flash_attention and self._dropout > 0.0:
            raise ValueError(FLASH_WITH_DROPOUT.format(name=self.name, cls=type(self).__name__, dropout=dropout))

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)

    def _sublayer_kwargs(self) -> dict:
        # Fresh initializer objects per projection: a seeded initializer reused would give every kernel one value.
        return dict(
            kernel_initializer=type(self._kernel_initializer).from_config(self._kernel_initializer.get_config()),
            bias_initializer=type(self._bias_initializer).from_config(self._bias_initializer.get_config()),
            kernel_regularizer=self._kernel_regularizer,
            bias_regularizer=self._bias_regularizer,
            activity_regularizer=self._activity_regularizer,
            kernel_constraint=self._kernel_constraint,
            bias_constraint=self._bias_constraint,
            dtype=self.dtype_policy,
        )

    def _projection(self, input_rank, last_dims, name, **extra) -> EinsumDense:
        equation, bias_axes, output_rank = eq.projection_equation(input_rank - 1, 1, len(last_dims))
        return EinsumDense(
            equation,
            output_shape=eq.partial_shape(output_rank - 1, last_dims),
            bias_axes=bias_axes if self._use_bias else None,
            name=name,
            **extra,
            **self._sublayer_kwargs(),
        )

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        self._check_key_value(value_shape, key_shape)
        # Public attributes: `.keras` files name the projections' weight groups after them (`query_dense/vars`).
        heads_key, heads_value = [self._num_heads, self._key_dim], [self._num_heads, self._value_dim]
        self.query_dense = self._projection(len(query_shape), heads_key, "query")
        self.query_dense.build(query_shape)
        self.key_dense = self._projection(len(key_shape), heads_key, "key")
        self.key_dense.build(key_shape)
        if self._use_gate:
            self._gate_dense = self._projection(len(query_shape), heads_value, "gate", activation="sigmoid")
            self._gate_dense.build(query_shape)
        self.value_dense = self._projection(len(value_shape), heads_value, "value")
        self.value_dense.build(value_shape)
        self._build_attention(len(value_shape) + 1)
        output_shape = self._output_shape or [query_shape[-1]]
        equation, bias_axes, output_rank = eq.projection_equation(len(query_shape) - 1, 2, len(output_shape))
        self.output_dense = EinsumDense(
            equation,
            output_shape=eq.partial_shape(output_rank - 1, output_shape),
            bias_axes=bias_axes if self._use_bias else None,
            name="attention_output",
            **self._sublayer_kwargs(),
        )
        projected = list(self.query_dense.compute_output_shape(query_shape))
        projected[-1] = self._value_dim
        self.output_dense.build(tuple(projected))

    def _check_key_value(self, value_shape, key_shape) -> None:
        if tuple(value_shape)[1:-1] != tuple(key_shape)[1:-1]:
            raise ValueError(KEY_VALUE_MISMATCH.format(name=self.name, cls=type(self).__name__,
                                                       value_shape=value_shape, key_shape=key_shape))

    def _build_attention(self, rank: int) -> None:
        """Equations, softmax axes and dropout for projected tensors of `rank` (inputs' rank + 1)."""
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            self._attention_axes = tuple(a if a >= 0 else (rank - 1) + a for a in self._attention_axes)
        self._dot_product_equation, self._combine_equation, scores_rank = eq.attention_equations(
            rank, self._attention_axes
        )
        num_axes = len(self._attention_axes)
        self._softmax_axes = tuple(range(scores_rank - num_axes, scores_rank))
        self._scores_rank = scores_rank
        self._fused_rank = rank == 4
        self._dropout_layer = None
        if self._dropout > 0.0:
            self._dropout_layer = Dropout(rate=self._dropout, seed=self.seed, dtype=self.dtype_policy)

    def _compute_attention(
        self, query, key, value, attention_mask=None, training=None, return_attention_scores=False,
        use_causal_mask=False,
    ):
        """Attention of projected `(B, T, N, key_dim)` query, `(B, S, N, key_dim)` key and `(B, S, N, value_dim)`
        value: `(output, scores)`, scores None on the fused path."""
        if self._flash_attention and return_attention_scores:
            raise ValueError(FLASH_WITH_SCORES.format(name=self.name, cls=type(self).__name__))
        if self._dropout <= 0.0 and not return_attention_scores and self._fused_rank:
            if attention_mask is not None:
                attention_mask = ops.cast(eq.expand_mask(attention_mask, 4, len(self._softmax_axes)), "bool")
            output = ops.dot_product_attention(
                query, key, value, mask=attention_mask, scale=self._inverse_sqrt_key_dim,
                is_causal=use_causal_mask, flash_attention=self._flash_attention,
            )
            return output, None
        if use_causal_mask:
            causal = eq.causal_mask(ops.shape(query)[1], ops.shape(value)[1])
            attention_mask = causal if attention_mask is None else ops.logical_and(
                ops.cast(attention_mask, "bool"), causal)
        query = ops.multiply(query, ops.cast(self._inverse_sqrt_key_dim, ops.dtype(query)))
        scores = ops.einsum(self._dot_product_equation, key, query)
        if attention_mask is not None:
            attention_mask = eq.expand_mask(attention_mask, self._scores_rank, len(self._softmax_axes))
        scores = eq.masked_softmax(scores, attention_mask, self._softmax_axes)
        weights = scores if self._dropout_layer is None else self._dropout_layer(scores, training=training)
        return ops.einsum(self._combine_equation, weights, value), scores

    def call(
        self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None, attention_mask=None,
        return_attention_scores=False, training=None, use_causal_mask=False,
    ):
        # Keras masks of the inputs, as Keras 3 fills them in (the query's mask always comes from the query).
        query_mask = _masking.get_mask(query)
        if value_mask is None:
            value_mask = _masking.get_mask(value)
        if key is None:
            key = value
        elif key_mask is None:
            key_mask = _masking.get_mask(key)
        # As Keras 3 does: the masks are consumed here, so the projections below must not see (and warn about) them.
        for tensor in (query, value, key):
            if _masking.get_mask(tensor) is not None:
                _masking.set_mask(tensor, None)
        causal_only = (
            use_causal_mask and query_mask is None and value_mask is None and key_mask is None
            and attention_mask is None and self._sliding_window is None
            and type(self)._compute_attention is MultiHeadAttention._compute_attention
        )
        extra = {}
        if causal_only:
            # No mask tensor at all: the engine's causal kernel (torch's fused one) does the masking.
            extra["use_causal_mask"] = True
        else:
            attention_mask = self._compute_attention_mask(
                query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask
            )
        gate = self._gate_dense(query) if self._use_gate else None
        query = self.query_dense(query)
        key = self.key_dense(key)
        value = self.value_dense(value)
        output, scores = self._compute_attention(
            query, key, value, attention_mask, training, return_attention_scores, **extra
        )
        if gate is not None:
            output = ops.multiply(output, gate)
        output = self.output_dense(output)
        if return_attention_scores:
            return output, scores
        return output

    def _compute_attention_mask(
        self, query, value, query_mask=None, value_mask=None, key_mask=None, attention_mask=None,
        use_causal_mask=False,
    ):
        extra = []
        if use_causal_mask or self._sliding_window is not None:
            query_length, key_length = ops.shape(query)[1], ops.shape(value)[1]
            if use_causal_mask:
                extra.append(eq.causal_mask(query_length, key_length))
            if self._sliding_window is not None:
                extra.append(eq.sliding_window_mask(query_length, key_length, self._sliding_window))
        return eq.merge_masks(query_mask, value_mask, key_mask, attention_mask, extra)

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        self._check_key_value(value_shape, value_shape if key_shape is None else tuple(key_shape))
        if self._output_shape:
            return query_shape[:-1] + tuple(self._output_shape)
        return query_shape

    def compute_output_spec(
        self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None, attention_mask=None,
        return_attention_scores=False, training=None, use_causal_mask=False,
    ):
        shape = self.compute_output_shape(query.shape, value.shape, None if key is None else key.shape)
        output = KerasTensor(shape, self.compute_dtype)
        if not return_attention_scores:
            return output
        # (batch, heads, <query attention axes>, <key attention axes>) for the default axes of rank-3 inputs.
        scores_shape = (query.shape[0], self._num_heads) + tuple(query.shape[1:-1]) + tuple(value.shape[1:-1])
        return output, KerasTensor(scores_shape, self.compute_dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "num_heads": self._num_heads,
                "key_dim": self._key_dim,
                "value_dim": self._value_dim,
                "dropout": self._dropout,
                "use_bias": self._use_bias,
                "use_gate": self._use_gate,
                "output_shape": self._output_shape,
                "attention_axes": self._attention_axes,
                "sliding_window": self._sliding_window,
                "kernel_initializer": initializers.serialize(self._kernel_initializer),
                "bias_initializer": initializers.serialize(self._bias_initializer),
                "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self._bias_regularizer),
                "activity_regularizer": regularizers.serialize(self._activity_regularizer),
                "kernel_constraint": constraints.serialize(self._kernel_constraint),
                "bias_constraint": constraints.serialize(self._bias_constraint),
                "seed": self.seed,
            }
        )
        return config
