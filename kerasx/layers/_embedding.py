"""`Embedding`: maps integer indices to rows of a trainable table."""

from __future__ import annotations

from kerasx import constraints, initializers, ops, regularizers
from kerasx.backend import is_int
from kerasx.layers._layer import Layer
from kerasx.layers._lora import LoraMixin
from kerasx.layers._quantized_embedding import Int8EmbeddingMixin
from kerasx.serialization import _registry

BAD_DIM = "Embedding: `{name}` must be a positive int. Received: {name}={value!r}."

# Keras spells the default "uniform" (RandomUniform(-0.05, 0.05)); the initializer registry knows it by its class.
_INITIALIZER_ALIASES = {"uniform": "random_uniform", "normal": "random_normal"}


def _check_dim(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(BAD_DIM.format(name=name, value=value))
    return value


@_registry.builtin
class Embedding(LoraMixin, Int8EmbeddingMixin, Layer):
    """Turns indices into dense vectors: `output[..., :] = embeddings[inputs[...]]`.

    Args:
        input_dim: size of the vocabulary (indices are in `[0, input_dim)`).
        output_dim: size of each vector.
        embeddings_initializer: initializer of the `(input_dim, output_dim)` table.
        embeddings_regularizer: penalty on the table, added to `losses`.
        embeddings_constraint: projection an optimizer applies to the table after each update.
        mask_zero: index 0 is padding: the output carries the mask `inputs != 0` for downstream layers
            (so index 0 cannot be a real token; size `input_dim` accordingly).
        weights: optional initial value of the table, as `[array]`.
        input_length: accepted for compatibility with older Keras code and ignored.
        lora_rank: when set, the layer is built with LoRA on (see `enable_lora`): the table is frozen and a
            trainable update `lora_alpha / lora_rank * A @ B` of that rank is added to it.
        lora_alpha: scale numerator of the LoRA update; defaults to `lora_rank`.
        quantization_config: a `kerasx.quantizers.QuantizationConfig` used when the layer is quantized (by a
            quantized dtype such as "int8_from_float32", or by `quantize`).
        **kwargs: base Layer arguments.

    Input shape: `(batch, ...)` integer indices. Output shape: `(batch, ..., output_dim)`.

    Call arguments:
        inputs: integer tensor of indices.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> table = np.array([[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]])
        >>> layer = kerasx.layers.Embedding(3, 2, weights=[table])
        >>> print(kerasx.ops.convert_to_numpy(layer(np.array([[2, 1]]))))
        [[[3. 4.]
          [1. 2.]]]
        >>> masked = kerasx.layers.Embedding(3, 2, mask_zero=True)
        >>> print(kerasx.ops.convert_to_numpy(masked.compute_mask(np.array([[2, 1, 0]]))))
        [[ True  True False]]
    """

    _lora_target = "embeddings"
    _lora_prefix = "lora_embeddings"
    _lora_alpha_at_build = False

    def __init__(
        self,
        input_dim,
        output_dim,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        weights=None,
        input_length=None,
        lora_rank: int | None = None,
        lora_alpha: float | None = None,
        quantization_config=None,
        **kwargs,
    ):
        kwargs["dtype"] = self._init_quantization(kwargs.get("dtype"), quantization_config)
        super().__init__(**kwargs)
        self._init_lora(lora_rank, lora_alpha)
        self.input_dim = _check_dim("input_dim", input_dim)
        self.output_dim = _check_dim("output_dim", output_dim)
        if isinstance(embeddings_initializer, str):
            embeddings_initializer = _INITIALIZER_ALIASES.get(embeddings_initializer, embeddings_initializer)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        if weights is not None:
            self.build()
            self.set_weights(weights if isinstance(weights, (list, tuple)) else [weights])

    def build(self, input_shape=None):
        if getattr(self, "embeddings", None) is not None:
            return
        if self.quantization_mode == "int8":
            self._int8_build()
        else:
            self.embeddings = self.add_weight(
                shape=(self.input_dim, self.output_dim),
                initializer=self.embeddings_initializer,
                regularizer=self.embeddings_regularizer,
                constraint=self.embeddings_constraint,
                name="embeddings",
            )
        self.built = True
        self._build_lora()

    def call(self, inputs):
        if not is_int(ops.dtype(inputs)):
            inputs = ops.cast(inputs, "int32")
        if self.quantization_mode == "int8":
            return self._int8_lookup(inputs)
        return ops.take(self._lora_merged() if self.lora_enabled else self.embeddings, inputs, axis=0)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.output_dim)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
                "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
                "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
                "mask_zero": self.mask_zero,
                # Keras 3 writes it always for Embedding (Dense only when set).
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            }
        )
        return self._lora_config(self._quantized_dtype_config(config))


# `quantize` refuses subclasses (their extra weights would stay float), as Keras 3's does.
Embedding._quantizable_class = Embedding
