"""`EinsumDense`: a dense projection written as an einsum equation between the input and a kernel."""

from __future__ import annotations

import re

from kerasx import activations, constraints, initializers, ops, regularizers
from kerasx.initializers import VarianceScaling
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.layers._lora import LoraMixin
from kerasx.layers._quantized_dense import Int8EinsumDenseMixin
from kerasx.serialization import _registry

BAD_EQUATION = (
    "Layer '{name}' (EinsumDense) cannot use the equation {equation!r}: it must read `ab,bc->ac`, "
    "`...b,bc->...c` (batch axes elided on the left) or `ab...,bc->ac...` (elided on the right), with letters only."
)
SHARED_AXIS_MISMATCH = (
    "Layer '{name}' (EinsumDense): the input and the output share axis '{axis}' of the equation {equation!r}, "
    "but their sizes differ. Received: input_shape={input_shape}, output_shape={output_shape}."
)
UNBOUND_OUTPUT_AXIS = (
    "Layer '{name}' (EinsumDense): output axis '{axis}' of the equation {equation!r} appears neither in the input "
    "nor in the kernel, so its size is unknown. Name it in the kernel's part of the equation."
)
UNBOUND_KERNEL_AXIS = (
    "Layer '{name}' (EinsumDense): kernel axis '{axis}' of the equation {equation!r} appears neither in the input "
    "nor in the output, so the kernel's size along it is unknown."
)
BAD_BIAS_AXES = (
    "Layer '{name}' (EinsumDense): bias axis '{axis}' is not an output axis of the equation {equation!r}. "
    "Received: bias_axes={bias_axes!r}."
)
WRONG_INPUT_RANK = (
    "Layer '{name}' (EinsumDense): the equation {equation!r} names {letters} input axes, more than the input has. "
    "Received: input_shape={input_shape}."
)
_PATTERNS = (
    (re.compile(r"^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$"), False),
    (re.compile(r"^\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)$"), True),
    (re.compile(r"^([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]+)\.\.\.$"), False),
)


def einsum_shapes(name, equation, bias_axes, input_shape, partial_output_shape):
    """`(kernel_shape, bias_shape, output_shape, input_axes, output_axes)` for an EinsumDense equation.

    `input_axes`/`output_axes` are the kernel axes contracted with the input and those that reach the output (what
    a variance-scaling initializer needs to compute its fans).
    """
    for pattern, elides_left in _PATTERNS:
        match = pattern.match(equation)
        if match:
            left_elided = elides_left
            break
    else:
        raise ValueError(BAD_EQUATION.format(name=name, equation=equation))
    input_spec, kernel_spec, output_spec = match.groups()
    input_shape = tuple(input_shape)
    elided = len(input_shape) - len(input_spec)
    if elided < 0:
        raise ValueError(WRONG_INPUT_RANK.format(name=name, equation=equation, letters=len(input_spec),
                                                 input_shape=input_shape))
    output_shape = [input_shape[0]] + list(partial_output_shape)
    if elided > 0 and left_elided:
        output_shape[1:1] = input_shape[1:elided]
    elif elided > 0:
        output_shape += input_shape[len(input_shape) - elided:]
    if left_elided:
        input_index = {axis: i + elided - len(input_shape) for i, axis in enumerate(input_spec)}
        output_index = {axis: i + elided for i, axis in enumerate(output_spec)}
    else:
        input_index = {axis: i for i, axis in enumerate(input_spec)}
        output_index = {axis: i for i, axis in enumerate(output_spec)}
    for axis in input_spec:
        if axis in output_index:
            size = output_shape[output_index[axis]]
            if size is not None and size != input_shape[input_index[axis]]:
                raise ValueError(SHARED_AXIS_MISMATCH.format(name=name, axis=axis, equation=equation,
                                                             input_shape=input_shape, output_shape=tuple(output_shape)))
    for axis in output_spec:
        if axis not in input_spec and axis not in kernel_spec:
            raise ValueError(UNBOUND_OUTPUT_AXIS.format(name=name, axis=axis, equation=equation))
    kernel_shape, input_axes, output_axes = [], [], []
    for i, axis in enumerate(kernel_spec):
        if axis in output_index:
            kernel_shape.append(output_shape[output_index[axis]])
            output_axes.append(i)
        elif axis in input_index:
            kernel_shape.append(input_shape[input_index[axis]])
            input_axes.append(i)
        else:
            raise ValueError(UNBOUND_KERNEL_AXIS.format(name=name, axis=axis, equation=equation))
    bias_shape = None
    if bias_axes is not None:
        for axis in bias_axes:
            if axis not in output_spec:
                raise ValueError(BAD_BIAS_AXES.format(name=name, axis=axis, equation=equation, bias_axes=bias_axes))
        offset = elided if left_elided else 0
        sizes = {axis: output_shape[i + offset] for i, axis in enumerate(output_spec)}
        first = min(output_spec.find(axis) for axis in bias_axes)
        bias_shape = [sizes[axis] if axis in bias_axes else 1 for axis in output_spec[first:]]
        if not left_elided:
            bias_shape += [1] * elided
    return kernel_shape, bias_shape, tuple(output_shape), input_axes, output_axes


@_registry.builtin
class EinsumDense(LoraMixin, Int8EinsumDenseMixin, Layer):
    """A dense layer whose contraction is an einsum equation: `activation(einsum(equation, inputs, kernel) + bias)`.

    The equation names the input, kernel and output axes (`"ab,bc->ac"` is `Dense`); `...` elides the batch axes on
    the left (`"...b,bc->...c"`) or trailing axes on the right (`"ab...,bc->ac..."`). The kernel's shape follows from
    the input shape and `output_shape`.

    Args:
        equation: the einsum equation `input,kernel->output`.
        output_shape: the output's shape without the batch axis (and without elided axes); an int for rank 2.
            `None` entries take the input's size on an axis the input shares.
        activation: activation function or name; None is linear.
        bias_axes: letters of the output axes that get a bias; None for no bias.
        kernel_initializer, bias_initializer: initializers of the kernel and bias.
        kernel_regularizer, bias_regularizer: penalties on the weights, added to `losses`.
        kernel_constraint, bias_constraint: projections applied by optimizers after updates.
        lora_rank: when set, the layer is built with LoRA on (see `enable_lora`): the kernel is frozen and a
            trainable update `lora_alpha / lora_rank * A @ B` of that rank is added to it.
        lora_alpha: scale numerator of the LoRA update; defaults to `lora_rank`.
        gptq_unpacked_column_size: the kernel's column count before GPTQ packing, which Keras 3 records in the
            configs of GPTQ-quantized layers; kept in the config.
        quantization_config: a `kerasx.quantizers.QuantizationConfig` used when the layer is quantized (by a
            quantized dtype such as "int8_from_float32", or by `quantize`).
        **kwargs: base Layer arguments (name, dtype, activity_regularizer, ...).

    Call arguments:
        inputs: the input tensor, of the rank the equation names.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de",
        ...                                   kernel_initializer="ones")
        >>> tuple(layer(np.ones((1, 4, 5), "float32")).shape)
        (1, 4, 2, 3)
        >>> tuple(layer.kernel.shape), tuple(layer.bias.shape)
        ((5, 2, 3), (2, 3))
    """

    def __init__(
        self,
        equation: str,
        output_shape,
        activation=None,
        bias_axes: str | None = None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank: int | None = None,
        lora_alpha: float | None = None,
        gptq_unpacked_column_size: int | None = None,
        quantization_config=None,
        **kwargs,
    ):
        kwargs["dtype"] = self._init_quantization(kwargs.get("dtype"), quantization_config)
        super().__init__(**kwargs)
        self._init_lora(lora_rank, lora_alpha)
        self.gptq_unpacked_column_size = gptq_unpacked_column_size
        self.equation = equation
        self.partial_output_shape = (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._linear = activation is None or self.activation is activations.linear

    def build(self, input_shape):
        kernel_shape, bias_shape, _, input_axes, output_axes = einsum_shapes(
            self.name, self.equation, self.bias_axes, input_shape, self.partial_output_shape
        )
        self.input_spec = InputSpec(ndim=len(input_shape))
        initializer = self.kernel_initializer
        if isinstance(initializer, VarianceScaling) and (
            initializer.input_axes is None or initializer.output_axes is None
        ):
            # The kernel's fans are the contracted and the produced axes, not its first and last ones.
            config = dict(initializer.get_config(), input_axes=input_axes, output_axes=output_axes)
            initializer = type(initializer).from_config(config)
        if self.quantization_mode == "int8":
            self._int8_build(tuple(kernel_shape))
        else:
            self.kernel = self.add_weight(
                name="kernel",
                shape=tuple(kernel_shape),
                initializer=initializer,
                regularizer=self.kernel_regularizer,
                constraint=self.kernel_constraint,
            )
        self.bias = None
        if bias_shape is not None:
            self.bias = self.add_weight(
                name="bias",
                shape=tuple(bias_shape),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.built = True
        self._build_lora()

    def call(self, inputs, training=None):
        if self.quantization_mode == "int8":
            outputs = self._int8_einsum(inputs)
        else:
            outputs = ops.einsum(self.equation, inputs, self._lora_merged() if self.lora_enabled else self.kernel)
        if self.bias is not None:
            outputs = ops.add(outputs, self.bias)
        return outputs if self._linear else self.activation(outputs)

    def compute_output_shape(self, input_shape):
        return einsum_shapes(self.name, self.equation, self.bias_axes, input_shape, self.partial_output_shape)[2]

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "output_shape": self.partial_output_shape,
                "equation": self.equation,
                "activation": activations.serialize(self.activation),
                "bias_axes": self.bias_axes,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint),
            }
        )
        if self.gptq_unpacked_column_size:
            config["gptq_unpacked_column_size"] = self.gptq_unpacked_column_size
        return self._lora_config(self._quantized_dtype_config(config))


# `quantize` refuses subclasses (their extra weights would stay float), as Keras 3's does.
EinsumDense._quantizable_class = EinsumDense
