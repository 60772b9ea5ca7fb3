"""`Dense`: `activation(inputs @ kernel + bias)` over the last axis."""

from __future__ import annotations

from kerasx import activations, constraints, initializers, ops, regularizers
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.layers._lora import LoraMixin
from kerasx.layers._quantized_dense import Int8DenseMixin
from kerasx.serialization import _registry

BAD_UNITS = "Dense needs a positive integer number of units. Received: units={units!r}."
UNKNOWN_LAST_AXIS = (
    "Layer '{name}' (Dense) needs the size of the last input axis to create its kernel, but it is unknown. "
    "Received: input_shape={shape}. Give the input a known last dimension, e.g. `kerasx.Input(shape=(None, 16))`."
)


@_registry.builtin
class Dense(LoraMixin, Int8DenseMixin, Layer):
    """Densely connected layer: `output = activation(inputs @ kernel + bias)`.

    Inputs of rank > 2 are contracted over their last axis: `(batch, d0, ..., input_dim)` ->
    `(batch, d0, ..., units)`.

    Args:
        units: size of the output's last axis.
        activation: activation function or name; None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers of the `(input_dim, units)` kernel and `(units,)` bias.
        kernel_regularizer, bias_regularizer: penalties on the weights, added to `losses`.
        activity_regularizer: penalty on the output, added to `losses`.
        kernel_constraint, bias_constraint: projections applied by optimizers after updates.
        lora_rank: when set, the layer is built with LoRA on (see `enable_lora`): the kernel is frozen and a
            trainable update `lora_alpha / lora_rank * A @ B` of that rank is added to it.
        lora_alpha: scale numerator of the LoRA update; defaults to `lora_rank`.
        quantization_config: a `kerasx.quantizers.QuantizationConfig` used when the layer is quantized (by a
            quantized dtype such as "int8_from_float32", or by `quantize`).
        **kwargs: base Layer arguments (name, dtype, trainable, input_shape, ...).

    Call arguments:
        inputs: tensor of shape `(batch, ..., input_dim)`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.Dense(3, kernel_initializer="ones", bias_initializer="zeros")
        >>> print(kerasx.ops.convert_to_numpy(layer(np.array([[1.0, 2.0], [3.0, 4.0]]))))
        [[3. 3. 3.]
         [7. 7. 7.]]
        >>> tuple(layer.kernel.shape)
        (2, 3)
        >>> layer(kerasx.Input(shape=(5, 2))).shape
        (None, 5, 3)
    """

    supports_masking = True
    _lora_alpha_at_build = False

    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank: int | None = None,
        lora_alpha: float | None = None,
        quantization_config=None,
        **kwargs,
    ):
        kwargs["dtype"] = self._init_quantization(kwargs.get("dtype"), quantization_config)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._init_lora(lora_rank, lora_alpha)
        if isinstance(units, bool) or not isinstance(units, int) or units <= 0:
            raise ValueError(BAD_UNITS.format(units=units))
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(UNKNOWN_LAST_AXIS.format(name=self.name, shape=input_shape))
        if self.quantization_mode == "int8":
            self._int8_build((input_dim, self.units))
        else:
            self.kernel = self.add_weight(
                shape=(input_dim, self.units),
                initializer=self.kernel_initializer,
                regularizer=self.kernel_regularizer,
                constraint=self.kernel_constraint,
                name="kernel",
            )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                name="bias",
            )
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True
        self._build_lora()

    def call(self, inputs):
        if self.quantization_mode == "int8":
            outputs = self._int8_matmul(inputs)
        else:
            outputs = ops.matmul(inputs, self._lora_merged() if self.lora_enabled else self.kernel)
        if self.bias is not None:
            outputs = ops.add(outputs, self.bias)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
            }
        )
        # Keras 3 writes the key only when the layer has an activity regularizer.
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return self._lora_config(self._quantized_dtype_config(config))


# `quantize` refuses subclasses (their extra weights would stay float), as Keras 3's does.
Dense._quantizable_class = Dense
