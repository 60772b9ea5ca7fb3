"""`ReversibleEmbedding`: an `Embedding` that can also project hidden states back to vocabulary logits."""

from __future__ import annotations

from kerasx import ops
from kerasx.backend import standardize_dtype
from kerasx.layers._embedding import Embedding
from kerasx.ops import KerasTensor, _masking
from kerasx.quantizers import AbsMaxQuantizer, QuantizationConfig
from kerasx.serialization import _registry

BAD_SOFT_CAP = (
    "ReversibleEmbedding: `logit_soft_cap` must be None or a positive number. Received: logit_soft_cap={value!r}."
)


def _check_soft_cap(value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(BAD_SOFT_CAP.format(value=value))
    return value


@_registry.builtin
class ReversibleEmbedding(Embedding):
    """An `Embedding` that can be called in reverse: `layer(hidden, reverse=True)` multiplies `hidden` by the
    transposed table (tied weights, as in language models that share their input and output embeddings) or by a
    separate trainable `(output_dim, input_dim)` matrix (`tie_weights=False`). There is no bias.

    Args:
        input_dim: size of the vocabulary (indices are in `[0, input_dim)`).
        output_dim: size of each vector.
        tie_weights: reverse with the transposed `embeddings` (True) or with a `reverse_embeddings` weight of its
            own (False, initialized like the table).
        embeddings_initializer, embeddings_regularizer, embeddings_constraint, mask_zero: as in `Embedding`.
        reverse_dtype: dtype of the reverse projection's matmul (inputs and kernel are cast to it); None keeps the
            compute dtype.
        logit_soft_cap: when set, reverse logits become `tanh(logits / logit_soft_cap) * logit_soft_cap`, which
            bounds them to `(-logit_soft_cap, logit_soft_cap)`.
        quantization_config: as in `Embedding`; `quantize("int8")` also quantizes the untied reverse matrix (one
            scale per vocabulary entry), and the reverse projection then runs on int8 values.
        **kwargs: other `Embedding` arguments (`weights`, `lora_rank`, ...) and base Layer arguments.

    Call arguments:
        inputs: integer indices, or with `reverse=True` hidden states `(..., output_dim)`.
        reverse: embed (False) or project back to `(..., input_dim)` logits (True).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> table = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
        >>> layer = kerasx.layers.ReversibleEmbedding(3, 2, weights=[table])
        >>> hidden = layer(np.array([[2, 0]]))
        >>> print(kerasx.ops.convert_to_numpy(hidden))
        [[[1. 1.]
          [1. 0.]]]
        >>> print(kerasx.ops.convert_to_numpy(layer(hidden, reverse=True)))
        [[[1. 1. 2.]
          [1. 0. 1.]]]
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        tie_weights: bool = True,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero: bool = False,
        reverse_dtype=None,
        logit_soft_cap: float | None = None,
        quantization_config=None,
        **kwargs,
    ):
        # `Embedding` builds at once when given `weights`; this layer's own attributes must exist first.
        weights = kwargs.pop("weights", None)
        super().__init__(
            input_dim,
            output_dim,
            embeddings_initializer=embeddings_initializer,
            embeddings_regularizer=embeddings_regularizer,
            embeddings_constraint=embeddings_constraint,
            mask_zero=mask_zero,
            quantization_config=quantization_config,
            **kwargs,
        )
        self.tie_weights = bool(tie_weights)
        self.reverse_dtype = None if reverse_dtype is None else standardize_dtype(reverse_dtype)
        self.logit_soft_cap = _check_soft_cap(logit_soft_cap)
        if weights is not None:
            self.build()
            self.set_weights(weights if isinstance(weights, (list, tuple)) else [weights])

    def build(self, input_shape=None):
        super().build(input_shape)
        if self.tie_weights or getattr(self, "reverse_embeddings", None) is not None:
            return
        if self.quantization_mode == "int8":
            self._int8_reverse_build()
            return
        self.reverse_embeddings = self.add_weight(
            shape=(self.output_dim, self.input_dim),
            initializer=self.embeddings_initializer,
            name="reverse_embeddings",
            trainable=True,
        )

    # int8: the untied matrix gets one scale per vocabulary entry (its columns), as the table has one per row.
    def _int8_reverse_build(self) -> None:
        self.reverse_embeddings = self.add_weight(name="reverse_embeddings", shape=(self.output_dim, self.input_dim),
                                                  initializer="zeros", dtype="int8", trainable=False)
        self.reverse_embeddings_scale = self.add_weight(name="reverse_embeddings_scale", shape=(self.input_dim,),
                                                        initializer="ones", trainable=False)

    def _quantize_weights(self, mode, config) -> None:
        super()._quantize_weights(mode, config)
        if self.tie_weights:
            return
        quantizer = QuantizationConfig.weight_quantizer_or_default(config, AbsMaxQuantizer(axis=0))
        values, scale = quantizer(self.reverse_embeddings, to_numpy=True)
        self._drop_weight(self.reverse_embeddings)
        self._int8_reverse_build()
        self.reverse_embeddings.assign(values)
        self.reverse_embeddings_scale.assign(ops.squeeze(scale, axis=0))

    def _int8_logits(self, inputs):
        if self.tie_weights:
            kernel, scale = ops.transpose(self.embeddings), self.embeddings_scale
        else:
            kernel, scale = self.reverse_embeddings, self.reverse_embeddings_scale
        quantizer = QuantizationConfig.activation_quantizer_or_default(
            self.quantization_config, AbsMaxQuantizer(axis=-1)
        )
        if quantizer is None:
            inputs_scale = ops.ones((1,), dtype=self.compute_dtype)
        else:
            inputs, inputs_scale = quantizer(inputs)
        # Integer values in float: exact products, sums exact below 2**24 (int8 matmuls are not on every engine).
        logits = ops.matmul(ops.cast(inputs, self.compute_dtype), ops.cast(kernel, self.compute_dtype))
        return ops.divide(logits, ops.multiply(inputs_scale, scale))

    def call(self, inputs, reverse=False):
        if not reverse:
            outputs = super().call(inputs)
            # As in Keras, the padding mask rides on the eager output only; `compute_mask` says None, since the
            # same layer also produces (unmasked) logits.
            mask = super().compute_mask(inputs)
            if mask is not None:
                _masking.set_mask(outputs, mask)
            return outputs
        if self.quantization_mode == "int8":
            logits = self._int8_logits(inputs)
        else:
            if self.tie_weights:
                # With LoRA on, the table in use is the frozen one plus its low-rank update, in both directions.
                kernel = ops.transpose(self._lora_merged() if self.lora_enabled else self.embeddings)
            else:
                kernel = self.reverse_embeddings
            if self.reverse_dtype is not None:
                inputs = ops.cast(inputs, self.reverse_dtype)
                kernel = ops.cast(kernel, self.reverse_dtype)
            logits = ops.matmul(inputs, kernel)
        if self.logit_soft_cap is not None:
            logits = ops.multiply(ops.tanh(ops.divide(logits, self.logit_soft_cap)), self.logit_soft_cap)
        return logits

    def compute_mask(self, inputs, mask=None):
        return None

    def _saved_variables(self) -> dict:
        # Keras 3 writes the untied reverse matrix after the table, in the same group.
        saved = super()._saved_variables()
        if self.built and not self.tie_weights:
            extra = [self.reverse_embeddings]
            if self.quantization_mode == "int8":
                extra.append(self.reverse_embeddings_scale)
            saved.update({str(len(saved) + i): weight for i, weight in enumerate(extra)})
        return saved

    def compute_output_shape(self, input_shape, reverse=False):
        if reverse:
            return (*tuple(input_shape)[:-1], self.input_dim)
        return (*input_shape, self.output_dim)

    def compute_output_spec(self, inputs, reverse=False):
        shape = self.compute_output_shape(tuple(inputs.shape), reverse=reverse)
        dtype = self.reverse_dtype if reverse and self.reverse_dtype is not None else self.compute_dtype
        return KerasTensor(shape, dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "tie_weights": self.tie_weights,
                "reverse_dtype": self.reverse_dtype,
                "logit_soft_cap": self.logit_soft_cap,
            }
        )
        return config


# `quantize()` knows this class's extra weights (the untied reverse matrix), as Keras 3's does.
ReversibleEmbedding._quantizable_class = ReversibleEmbedding
