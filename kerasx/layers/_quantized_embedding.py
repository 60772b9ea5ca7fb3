"""Int8 quantization of `Embedding`: an int8 table with one scale per row (per token), de-scaled after lookup."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kerasx import ops
from kerasx.layers._lora import SavedWeight
from kerasx.layers._quantized import QuantizableMixin
from kerasx.quantizers import AbsMaxQuantizer, QuantizationConfig, abs_max_quantize


class Int8EmbeddingMixin(QuantizableMixin):
    """int8 for `Embedding`: `embeddings` `(input_dim, output_dim)` int8, `embeddings_scale` `(input_dim,)`; rows
    are quantized rather than columns because vocabularies are usually larger than `output_dim`."""

    # Provided by `Embedding`, `Layer` and `LoraMixin`.
    input_dim: int
    output_dim: int
    add_weight: Callable[..., Any]
    lora_enabled: bool
    lora_rank: int  # with `lora_alpha`, a number whenever `lora_enabled`
    lora_alpha: float
    _lora_a: Any
    _lora_b: Any
    _lora_delta: Callable[[], Any]
    _zero_lora: Callable[[], None]
    _saved_target: Callable[[], Any]

    def _int8_build(self) -> None:
        self.embeddings = self.add_weight(name="embeddings", shape=(self.input_dim, self.output_dim),
                                          initializer="zeros", dtype="int8", trainable=False)
        self.embeddings_scale = self.add_weight(name="embeddings_scale", shape=(self.input_dim,),
                                                initializer="ones", trainable=False)

    def _quantize_weights(self, mode, config) -> None:
        quantizer = QuantizationConfig.weight_quantizer_or_default(config, AbsMaxQuantizer(axis=-1))
        values, scale = quantizer(self.embeddings, to_numpy=True)
        self._drop_weight(self.embeddings)
        self._int8_build()
        self.embeddings.assign(values)
        self.embeddings_scale.assign(ops.squeeze(scale, axis=-1))

    def _int8_lookup(self, inputs):
        scale = ops.take(self.embeddings_scale, inputs, axis=0)
        outputs = ops.divide(ops.cast(ops.take(self.embeddings, inputs, axis=0), self.compute_dtype),
                             ops.expand_dims(scale, axis=-1))
        if self.lora_enabled:
            update = ops.matmul(ops.take(self._lora_a, inputs, axis=0), self._lora_b)
            outputs = ops.add(outputs, ops.multiply(update, self.lora_alpha / self.lora_rank))
            outputs = ops.cast(outputs, self.compute_dtype)
        return outputs

    def _int8_requantized_merge(self):
        table = ops.divide(ops.cast(self.embeddings, self.compute_dtype), ops.expand_dims(self.embeddings_scale, -1))
        values, scale = abs_max_quantize(ops.add(table, self._lora_delta()), axis=-1, to_numpy=True)
        return values, ops.squeeze(scale, axis=-1)

    def _saved_variables(self) -> dict:
        if not self.built:
            return {}
        if self.quantization_mode != "int8":
            return {"0": self._saved_target()}
        if not self.lora_enabled:
            return {"0": self.embeddings, "1": self.embeddings_scale}
        cache = {}

        def merged(index):
            if not cache:
                cache["values"] = self._int8_requantized_merge()
            return cache["values"][index]

        return {
            "0": SavedWeight(self.embeddings, lambda: merged(0), self._zero_lora),
            "1": SavedWeight(self.embeddings_scale, lambda: merged(1)),
        }
