"""`Attention` (Luong-style dot or concat scores) and `AdditiveAttention` (Bahdanau-style), over `[query, value]` or
`[query, value, key]` lists."""

from __future__ import annotations

from kerasx import ops, random
from kerasx.layers import _attention_equations as eq
from kerasx.layers._layer import Layer
from kerasx.ops import KerasTensor
from kerasx.serialization import _registry

BAD_SCORE_MODE = "Attention: `score_mode` must be 'dot' or 'concat'. Received: score_mode={value!r}."
NOT_A_LIST = (
    "Layer '{name}' ({cls}) must be called on a list of inputs, [query, value] or [query, value, key]. "
    "Received: inputs of type {type}."
)
BAD_LENGTH = (
    "Layer '{name}' ({cls}) takes a list of 2 or 3 inputs, [query, value] or [query, value, key]. "
    "Received: {length} inputs."
)
BAD_MASK = (
    "Layer '{name}' ({cls}) takes `mask` as a list of 2 or 3 entries, [query_mask, value_mask(, key_mask)]. "
    "Received: mask={mask!r}."
)


@_registry.builtin
class Attention(Layer):
    """Dot-product attention: scores `query @ key^T` (or, with `score_mode="concat"`, `sum(tanh(query + key))`),
    softmax over the keys, weighted sum of the values.

    Args:
        use_scale: multiply the scores by a trainable scalar `scale` (initialized to 1).
        score_mode: "dot" or "concat".
        dropout: dropout rate on the attention distribution while training.
        seed: seed of the dropout.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: `[query (B, Tq, dim), value (B, Tv, dim)]` or `[query, value, key (B, Tv, dim)]`; key defaults to value.
        mask: `[query_mask (B, Tq), value_mask (B, Tv)]`; masked values get no attention and masked queries output 0.
        training: whether dropout applies.
        return_attention_scores: also return the `(B, Tq, Tv)` attention distribution.
        use_causal_mask: query position `i` attends only to value positions `j <= i`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> query = np.array([[[1.0, 0.0]]], "float32")
        >>> value = np.array([[[1.0, 0.0], [0.0, 1.0]]], "float32")
        >>> output, scores = kerasx.layers.Attention()([query, value], return_attention_scores=True)
        >>> np.round(kerasx.ops.convert_to_numpy(scores), 4)
        array([[[0.7311, 0.2689]]], dtype=float32)
    """

    supports_masking = True

    def __init__(self, use_scale: bool = False, score_mode: str = "dot", dropout: float = 0.0,
                 seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.use_scale, self.score_mode, self.dropout, self.seed = use_scale, score_mode, dropout, seed
        if self.dropout > 0:
            self.seed_generator = random.SeedGenerator(seed)
        if score_mode not in ("dot", "concat"):
            raise ValueError(BAD_SCORE_MODE.format(value=score_mode))

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(name="concat_score_weight", shape=(), initializer="ones")

    def _calculate_scores(self, query, key):
        """`(B, Tq, Tv)` scores of `(B, Tq, dim)` queries against `(B, Tv, dim)` keys."""
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.swapaxes(key, -2, -1))
            return scores if self.scale is None else ops.multiply(scores, self.scale)
        pairs = ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3))
        if self.scale is not None:
            pairs = ops.multiply(self.scale, pairs)
        return ops.multiply(self.concat_score_weight, ops.sum(ops.tanh(pairs), axis=-1))

    def _apply_scores(self, scores, value, scores_mask=None, training=False):
        """`(attended values, attention distribution)`; `scores_mask` False entries get no attention."""
        if scores_mask is not None:
            # A large offset rather than a constant, as Keras 3 does: a fully masked row keeps its relative scores.
            offset = 65504.0 if ops.dtype(scores) == "float16" else 1.0e9
            if len(scores_mask.shape) == 2:
                scores_mask = ops.expand_dims(scores_mask, -2)
            scores = ops.where(scores_mask, scores, ops.subtract(scores, offset))
        weights = ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = random.dropout(weights, self.dropout, seed=self.seed_generator)
        return ops.matmul(weights, value), weights

    def _calculate_score_mask(self, scores, value_mask, use_causal_mask):
        if not use_causal_mask:
            return value_mask
        shape = ops.shape(scores)
        causal = eq.causal_mask(shape[-2], shape[-1])
        if value_mask is None:
            return causal
        return ops.logical_and(ops.expand_dims(value_mask, -2), causal)

    def call(self, inputs, mask=None, training=False, return_attention_scores=False, use_causal_mask=False):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = mask[0] if mask else None
        value_mask = mask[1] if mask else None
        scores = self._calculate_scores(query, key)
        scores_mask = self._calculate_score_mask(scores, value_mask, use_causal_mask)
        output, distribution = self._apply_scores(scores, value, scores_mask, training)
        if query_mask is not None:
            output = ops.where(ops.expand_dims(query_mask, -1), output, ops.zeros((), ops.dtype(output)))
        if return_attention_scores:
            return output, distribution
        return output

    def compute_mask(self, inputs, mask=None):
        self._validate_inputs(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return ops.convert_to_tensor(mask[0])

    def compute_output_shape(self, input_shape):
        return (*input_shape[0][:-1], input_shape[1][-1])

    def compute_output_spec(self, inputs, mask=None, return_attention_scores=False, training=None,
                            use_causal_mask=False):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        output = KerasTensor(self.compute_output_shape([query.shape, value.shape]), self.compute_dtype)
        if return_attention_scores:
            return output, KerasTensor((*query.shape[:-1], key.shape[-2]), self.compute_dtype)
        return output

    def _validate_inputs(self, inputs, mask=None) -> None:
        cls = type(self).__name__
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(NOT_A_LIST.format(name=self.name, cls=cls, type=type(inputs).__name__))
        if not 2 <= len(inputs) <= 3:
            raise ValueError(BAD_LENGTH.format(name=self.name, cls=cls, length=len(inputs)))
        if mask is not None and (not isinstance(mask, (list, tuple)) or not 2 <= len(mask) <= 3):
            raise ValueError(BAD_MASK.format(name=self.name, cls=cls, mask=mask))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"use_scale": self.use_scale, "score_mode": self.score_mode, "dropout": self.dropout,
                       "seed": self.seed})
        return config


@_registry.builtin
class AdditiveAttention(Attention):
    """Additive (Bahdanau-style) attention: scores `sum(scale * tanh(query + key))` over the features, softmax over
    the keys, weighted sum of the values.

    Args:
        use_scale: learn a per-feature `scale` vector (glorot-uniform initialized); otherwise the scale is 1.
        dropout: dropout rate on the attention distribution while training.
        **kwargs: base Layer arguments (and `seed`).

    Call arguments:
        As for `Attention`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.AdditiveAttention(use_scale=False)
        >>> query = np.zeros((1, 1, 2), "float32")
        >>> value = np.array([[[1.0, 1.0], [-1.0, -1.0]]], "float32")
        >>> print(kerasx.ops.convert_to_numpy(layer([query, value], return_attention_scores=True)[1]).round(4))
        [[[0.9546 0.0454]]]
    """

    def __init__(self, use_scale: bool = True, dropout: float = 0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(input_shape[0][-1],), initializer="glorot_uniform")

    def _calculate_scores(self, query, key):
        pairs = ops.tanh(ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3)))
        if self.use_scale:
            pairs = ops.multiply(self.scale, pairs)
        return ops.sum(pairs, axis=-1)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["score_mode"]
        return config
