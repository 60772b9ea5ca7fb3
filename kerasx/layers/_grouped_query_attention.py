"""`GroupedQueryAttention`: multi-head attention whose key/value heads are shared by groups of query heads."""

from __future__ import annotations

import math

from kerasx import constraints, initializers, ops, regularizers
from kerasx.backend import _config
from kerasx.layers import _attention_equations as eq
from kerasx.layers._dropout import Dropout
from kerasx.layers._einsum_dense import EinsumDense
from kerasx.layers._layer import Layer
from kerasx.layers._multi_head_attention import (
    FLASH_WITH_DROPOUT,
    FLASH_WITH_SCORES,
    KEY_VALUE_MISMATCH,
    check_positive,
    check_sliding_window,
)
from kerasx.ops import KerasTensor, _masking
from kerasx.serialization import _registry

BAD_GROUPS = (
    "GroupedQueryAttention needs `num_query_heads` to be a multiple of `num_key_value_heads`. "
    "Received: num_query_heads={query}, num_key_value_heads={kv}."
)
FEATURE_MISMATCH = (
    "Layer '{name}' (GroupedQueryAttention): the last axes of query and value must be equal. "
    "Received: query_shape={query_shape}, value_shape={value_shape}."
)


@_registry.builtin
class GroupedQueryAttention(Layer):
    """Grouped-query attention (Ainslie et al., 2023): `num_query_heads` query heads share `num_key_value_heads`
    key/value heads, `num_query_heads // num_key_value_heads` query heads per group. One key/value head is
    multi-query attention; as many as query heads is multi-head attention.

    Args:
        head_dim: size of each attention head.
        num_query_heads: number of query heads.
        num_key_value_heads: number of key and value heads; must divide `num_query_heads`.
        dropout: dropout rate on the attention probabilities.
        use_bias: whether the projections have biases.
        sliding_window: None, or attend only to keys less than this many positions away.
        flash_attention: True asks for a fused flash kernel; None lets `kerasx.config` decide.
        kernel_initializer, bias_initializer: initializers of the projections.
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties added to `losses`.
        kernel_constraint, bias_constraint: projections applied by optimizers after updates.
        use_gate: multiply the attended values by a sigmoid gate computed from the query.
        seed: seed of the dropout.
        **kwargs: base Layer arguments.

    Call arguments:
        As for `MultiHeadAttention`; the scores returned are `(B, num_query_heads, T, S)`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.GroupedQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)
        >>> tuple(layer(np.ones((1, 3, 8)), np.ones((1, 5, 8))).shape)
        (1, 3, 8)
        >>> tuple(layer.weights[2].shape)
        (8, 2, 4)
    """

    def __init__(
        self,
        head_dim: int,
        num_query_heads: int,
        num_key_value_heads: int,
        dropout: float = 0.0,
        use_bias: bool = True,
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
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        check_positive("head_dim", head_dim)
        check_positive("num_query_heads", num_query_heads)
        check_positive("num_key_value_heads", num_key_value_heads)
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError(BAD_GROUPS.format(query=num_query_heads, kv=num_key_value_heads))
        self.supports_masking = True
        self.head_dim, self.num_query_heads, self.num_key_value_heads = head_dim, num_query_heads, num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout, self.use_bias, self.use_gate = dropout, use_bias, use_gate
        check_sliding_window(sliding_window)
        self.sliding_window = sliding_window
        self._flash_attention = flash_attention or _config.SETTINGS.flash_attention
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(head_dim))
        if self._flash_attention and self.dropout > 0.0:
            raise ValueError(FLASH_WITH_DROPOUT.format(name=self.name, cls=type(self).__name__, dropout=dropout))

    def _dense(self, equation, output_shape, bias_axes, name, **extra) -> EinsumDense:
        return EinsumDense(
            equation,
            output_shape=output_shape,
            bias_axes=bias_axes if self.use_bias else None,
            name=name,
            kernel_initializer=type(self.kernel_initializer).from_config(self.kernel_initializer.get_config()),
            bias_initializer=type(self.bias_initializer).from_config(self.bias_initializer.get_config()),
            kernel_regularizer=self.kernel_regularizer,
            bias_regularizer=self.bias_regularizer,
            activity_regularizer=self.activity_regularizer,
            kernel_constraint=self.kernel_constraint,
            bias_constraint=self.bias_constraint,
            dtype=self.dtype_policy,
            **extra,
        )

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        self.feature_dim = query_shape[-1]
        query_heads = (None, self.num_query_heads, self.head_dim)
        kv_heads = (None, self.num_key_value_heads, self.head_dim)
        self._query_dense = self._dense("bqm,muh->bquh", query_heads, "uh", "query")
        self._query_dense.build(query_shape)
        self._key_dense = self._dense("bkm,mvh->bkvh", kv_heads, "vh", "key")
        self._key_dense.build(key_shape)
        if self.use_gate:
            self._gate_dense = self._dense("bqm,muh->bquh", query_heads, "uh", "gate", activation="sigmoid")
            self._gate_dense.build(query_shape)
        self._value_dense = self._dense("bkm,mvh->bkvh", kv_heads, "vh", "value")
        self._value_dense.build(value_shape)
        self._dropout_layer = None
        if self.dropout > 0.0:
            self._dropout_layer = Dropout(rate=self.dropout, seed=self.seed, dtype=self.dtype_policy)
        self._output_dense = self._dense("bquh,uhm->bqm", (None, self.feature_dim), "m", "attention_output")
        self._output_dense.build((None, None, self.num_query_heads, self.head_dim))

    def call(
        self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None, attention_mask=None,
        return_attention_scores=False, training=None, use_causal_mask=False,
    ):
        # The Keras masks of the tensor arguments fill the `*_mask` arguments left None, as Keras 3's `__call__` does.
        query_mask = _masking.get_mask(query) if query_mask is None else query_mask
        value_mask = _masking.get_mask(value) if value_mask is None else value_mask
        if key is None:
            key = value
        elif key_mask is None:
            key_mask = _masking.get_mask(key)
        for tensor in (query, value, key):
            if _masking.get_mask(tensor) is not None:
                _masking.set_mask(tensor, None)  # consumed here; the projections must not warn about it
        causal_only = (
            use_causal_mask and query_mask is None and value_mask is None and key_mask is None
            and attention_mask is None and self.sliding_window is None
            and type(self)._compute_attention is GroupedQueryAttention._compute_attention
        )
        if not causal_only:
            extra = []
            if use_causal_mask or self.sliding_window is not None:
                query_length, key_length = ops.shape(query)[1], ops.shape(value)[1]
                if use_causal_mask:
                    extra.append(eq.causal_mask(query_length, key_length))
                if self.sliding_window is not None:
                    extra.append(eq.sliding_window_mask(query_length, key_length, self.sliding_window))
            attention_mask = eq.merge_masks(query_mask, value_mask, key_mask, attention_mask, extra)
        gate = self._gate_dense(query) if self.use_gate else None
        query = self._query_dense(query)
        key = self._key_dense(key)
        value = self._value_dense(value)
        output, scores = self._compute_attention(
            query, key, value, attention_mask, training, return_attention_scores, use_causal_mask=causal_only
        )
        if gate is not None:
            output = ops.multiply(output, gate)
        output = self._output_dense(output)
        return (output, scores) if return_attention_scores else output

    def _compute_attention(
        self, query, key, value, attention_mask=None, training=None, return_attention_scores=False,
        use_causal_mask=False,
    ):
        """`(output, scores)` of `(B, T, num_query_heads, head_dim)` queries over `(B, S, num_key_value_heads,
        head_dim)` keys and values; scores None on the fused path."""
        if self._flash_attention and return_attention_scores:
            raise ValueError(FLASH_WITH_SCORES.format(name=self.name, cls=type(self).__name__))
        if self.dropout <= 0.0 and not return_attention_scores:
            # dot_product_attention groups the query heads itself: no repeated key/value copies.
            if attention_mask is not None:
                attention_mask = ops.cast(eq.expand_mask(attention_mask, 4, 1), "bool")
            output = ops.dot_product_attention(
                query, key, value, mask=attention_mask, scale=self._inverse_sqrt_head_dim,
                is_causal=use_causal_mask, flash_attention=self._flash_attention,
            )
            return output, None
        key = ops.repeat(key, self.num_repeats, axis=2)
        value = ops.repeat(value, self.num_repeats, axis=2)
        if use_causal_mask:
            attention_mask = eq.causal_mask(ops.shape(query)[1], ops.shape(key)[1])
        query = ops.multiply(query, ops.cast(self._inverse_sqrt_head_dim, ops.dtype(query)))
        scores = ops.einsum("bquh,bkuh->buqk", query, key)
        if attention_mask is not None:
            attention_mask = eq.expand_mask(attention_mask, 4, 1)
        scores = eq.masked_softmax(scores, attention_mask, (-1,))
        weights = scores if self._dropout_layer is None else self._dropout_layer(scores, training=training)
        return ops.einsum("buqk,bkuh->bquh", weights, value), scores

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        if query_shape[-1] != value_shape[-1]:
            raise ValueError(FEATURE_MISMATCH.format(name=self.name, query_shape=query_shape, value_shape=value_shape))
        if tuple(value_shape)[1:-1] != tuple(key_shape)[1:-1]:
            raise ValueError(KEY_VALUE_MISMATCH.format(name=self.name, cls=type(self).__name__,
                                                       value_shape=value_shape, key_shape=key_shape))
        return tuple(query_shape)

    def compute_output_spec(
        self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None, attention_mask=None,
        return_attention_scores=False, training=None, use_causal_mask=False,
    ):
        shape = self.compute_output_shape(query.shape, value.shape, None if key is None else key.shape)
        output = KerasTensor(shape, self.compute_dtype)
        if not return_attention_scores:
            return output
        key_length = value.shape[1] if key is None else key.shape[1]
        scores = KerasTensor((query.shape[0], self.num_query_heads, query.shape[1], key_length), self.compute_dtype)
        return output, scores

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "head_dim": self.head_dim,
                "num_query_heads": self.num_query_heads,
                "num_key_value_heads": self.num_key_value_heads,
                "use_bias": self.use_bias,
                "use_gate": self.use_gate,
                "sliding_window": self.sliding_window,
                "dropout": self.dropout,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
                "seed": self.seed,
            }
        )
        return config
