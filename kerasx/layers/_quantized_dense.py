"""Int8 quantization of `Dense` and `EinsumDense`: int8 kernels with one scale per output channel, inputs
quantized on the fly, outputs de-scaled; gradients reach the inputs through the de-quantized kernel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kerasx import ops
from kerasx.layers._lora import SavedWeight
from kerasx.layers._quantized import QuantizableMixin
from kerasx.quantizers import AbsMaxQuantizer, QuantizationConfig, abs_max_quantize

ELLIPSIS_EQUATION = (
    "Layer '{name}' (EinsumDense) cannot be quantized with the equation {equation!r}: quantization needs every "
    "axis named by a letter (no '...'), as in Keras 3."
)


def relayout(x, source: str, target: str):
    """`x`, with one axis per letter of `source`, laid out along `target`: axes of letters missing from `target`
    (size 1) are dropped, the others transposed into `target`'s order, and size-1 axes added for its new letters."""
    dropped = [i for i, letter in enumerate(source) if letter not in target]
    if dropped:
        x = ops.squeeze(x, axis=tuple(dropped))
    kept = [letter for letter in source if letter in target]
    order = [letter for letter in target if letter in kept]
    if kept != order:
        x = ops.transpose(x, tuple(kept.index(letter) for letter in order))
    for i, letter in enumerate(target):
        if letter not in source:
            x = ops.expand_dims(x, i)
    return x


class _Int8Base(QuantizableMixin):
    # Provided by `Layer`, `LoraMixin`, and the int8 mixins below.
    add_weight: Callable[..., Any]
    lora_enabled: bool
    lora_rank: int  # with `lora_alpha`, a number whenever `lora_enabled`
    lora_alpha: float
    _lora_a: Any
    _lora_b: Any
    _lora_delta: Callable[[], Any]
    _zero_lora: Callable[[], None]
    _saved_target: Callable[[], Any]
    _int8_requantized_merge: Callable[[], tuple]

    def _int8_inputs_quantizer(self):
        return QuantizationConfig.activation_quantizer_or_default(self.quantization_config, AbsMaxQuantizer())

    def _int8_saved_variables(self, names) -> dict:
        """Dataset name -> weight in Keras 3's order of `names`; with LoRA on, the kernel and its scale are the
        merged kernel re-quantized (what Keras 3 saves)."""
        merged: Callable[[int], Any] | None = None
        if self.lora_enabled and self.quantization_mode == "int8":
            cache = {}

            def merge(index: int):
                if not cache:
                    kernel, scale = self._int8_requantized_merge()
                    cache["values"] = (kernel, scale)
                return cache["values"][index]

            merged = merge

        weights = []
        for name in names:
            value = getattr(self, name, None)
            if value is None:
                continue
            if name == "kernel" and merged is not None:
                value = SavedWeight(value, lambda: merged(0), self._zero_lora)
            elif name == "kernel_scale" and merged is not None:
                value = SavedWeight(value, lambda: merged(1))
            elif name == "kernel":
                value = self._saved_target()
            weights.append(value)
        return {str(i): w for i, w in enumerate(weights)}


class Int8DenseMixin(_Int8Base):
    """int8 for `Dense`: kernel `(input_dim, units)` int8, `kernel_scale` `(units,)`."""

    units: int  # Provided by `Dense`.

    def _int8_build(self, kernel_shape) -> None:
        self.inputs_quantizer = self._int8_inputs_quantizer()
        self.kernel = self.add_weight(name="kernel", shape=kernel_shape, initializer="zeros", dtype="int8",
                                      trainable=False)
        self.kernel_scale = self.add_weight(name="kernel_scale", shape=(self.units,), initializer="ones",
                                            trainable=False)

    def _quantize_weights(self, mode, config) -> None:
        quantizer = QuantizationConfig.weight_quantizer_or_default(config, AbsMaxQuantizer(axis=0))
        values, scale = quantizer(self.kernel, to_numpy=True)
        shape = tuple(self.kernel.shape)
        self._drop_weight(self.kernel)
        self._int8_build(shape)
        self.kernel.assign(values)
        self.kernel_scale.assign(ops.squeeze(scale, axis=0))

    def _int8_requantized_merge(self):
        float_kernel = ops.divide(ops.cast(self.kernel, self.compute_dtype), self.kernel_scale)
        merged = ops.add(float_kernel, self._lora_delta())
        kernel, scale = abs_max_quantize(merged, axis=0, to_numpy=True)
        return kernel, ops.squeeze(scale, axis=0)

    def _int8_matmul(self, inputs):
        compute_dtype, quantizer = self.compute_dtype, self.inputs_quantizer

        @ops.custom_gradient
        def matmul(x, kernel, kernel_scale):
            def grad(upstream):
                float_kernel = ops.divide(ops.cast(kernel, compute_dtype), kernel_scale)
                return ops.matmul(upstream, ops.transpose(float_kernel)), None, None

            scale = kernel_scale
            if quantizer:
                x, x_scale = quantizer(x, axis=-1)
                scale = ops.multiply(scale, x_scale)
            # Integer values in float: exact products, sums exact below 2**24 (int8 matmuls are not on every engine).
            outputs = ops.matmul(ops.cast(x, compute_dtype), ops.cast(kernel, compute_dtype))
            return ops.divide(outputs, scale), grad

        outputs = matmul(inputs, self.kernel, self.kernel_scale)
        if self.lora_enabled:
            update = ops.matmul(ops.matmul(inputs, self._lora_a), self._lora_b)
            outputs = ops.cast(ops.add(outputs, ops.multiply(update, self.lora_alpha / self.lora_rank)), compute_dtype)
        return outputs

    def _saved_variables(self) -> dict:
        names = ("kernel", "bias", "kernel_scale") if self.quantization_mode == "int8" else ("kernel", "bias")
        return self._int8_saved_variables(names)


class Int8EinsumDenseMixin(_Int8Base):
    """int8 for `EinsumDense`: the kernel int8, `kernel_scale` laid out along the output's axes (size 1 on the
    axes the kernel does not produce), as Keras 3 stores it."""

    equation: str  # Provided by `EinsumDense`.

    def _einsum_letters(self):
        if "..." in self.equation:
            raise ValueError(ELLIPSIS_EQUATION.format(name=self.name, equation=self.equation))
        inputs, rest = self.equation.split(",")
        kernel, output = rest.split("->")
        return inputs, kernel, output

    def _int8_build(self, kernel_shape) -> None:
        inputs, kernel, output = self._einsum_letters()
        self.inputs_quantizer = self._int8_inputs_quantizer()
        self.quantization_axis = tuple(i for i, letter in enumerate(inputs) if letter not in output)
        self.kernel = self.add_weight(name="kernel", shape=tuple(kernel_shape), initializer="zeros", dtype="int8",
                                      trainable=False)
        sizes = dict(zip(kernel, kernel_shape))
        scale_shape = tuple(sizes.get(letter, 1) for letter in output)
        self.kernel_scale = self.add_weight(name="kernel_scale", shape=scale_shape, initializer="ones",
                                            trainable=False)

    def _kernel_quantizer(self):
        _, kernel, output = self._einsum_letters()
        return AbsMaxQuantizer(axis=tuple(i for i, letter in enumerate(kernel) if letter not in output))

    def _kernel_scale_of(self, kernel_value, quantizer):
        _, kernel, output = self._einsum_letters()
        values, scale = quantizer(kernel_value, to_numpy=True)
        return values, relayout(scale, kernel, output)

    def _quantize_weights(self, mode, config) -> None:
        quantizer = QuantizationConfig.weight_quantizer_or_default(config, self._kernel_quantizer())
        values, scale = self._kernel_scale_of(self.kernel, quantizer)
        shape = tuple(self.kernel.shape)
        self._drop_weight(self.kernel)
        self._int8_build(shape)
        self.kernel.assign(values)
        self.kernel_scale.assign(scale)

    def _float_kernel(self, kernel, kernel_scale):
        _, kernel_letters, output = self._einsum_letters()
        return ops.divide(ops.cast(kernel, self.compute_dtype), relayout(kernel_scale, output, kernel_letters))

    def _int8_requantized_merge(self):
        merged = ops.add(self._float_kernel(self.kernel, self.kernel_scale), self._lora_delta())
        return self._kernel_scale_of(merged, self._kernel_quantizer())

    def _int8_einsum(self, inputs):
        input_letters, kernel_letters, output = self._einsum_letters()
        compute_dtype, quantizer, equation = self.compute_dtype, self.inputs_quantizer, self.equation
        # The input's gradient contracts the upstream gradient with the kernel over the output-only axes.
        present = "".join(letter for letter in input_letters if letter in output or letter in kernel_letters)
        grad_equation = f"{output},{kernel_letters}->{present}"

        @ops.custom_gradient
        def einsum(x, kernel, kernel_scale):
            def grad(upstream):
                result = ops.einsum(grad_equation, upstream, self._float_kernel(kernel, kernel_scale))
                if present != input_letters:
                    result = ops.broadcast_to(relayout(result, present, input_letters), ops.shape(x))
                return result, None, None

            scale = kernel_scale
            if quantizer:
                x, x_scale = quantizer(x, axis=self.quantization_axis)
                scale = ops.multiply(relayout(x_scale, input_letters, output), kernel_scale)
            outputs = ops.einsum(equation, ops.cast(x, compute_dtype), ops.cast(kernel, compute_dtype))
            return ops.divide(outputs, scale), grad

        outputs = einsum(inputs, self.kernel, self.kernel_scale)
        if self.lora_enabled:
            update = ops.matmul(ops.einsum(equation, inputs, self._lora_a), self._lora_b)
            outputs = ops.cast(ops.add(outputs, ops.multiply(update, self.lora_alpha / self.lora_rank)), compute_dtype)
        return outputs

    def _saved_variables(self) -> dict:
        names = ("kernel", "bias", "kernel_scale") if self.quantization_mode == "int8" else ("kernel", "bias")
        return self._int8_saved_variables(names)
