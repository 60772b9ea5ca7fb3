"""`SpectralNormalization`: keeps the largest singular value of a wrapped layer's kernel at 1 while training."""

from __future__ import annotations

from kerasx import initializers, ops
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._wrapper import Wrapper
from kerasx.serialization import _registry

BAD_POWER_ITERATIONS = (
    "SpectralNormalization: `power_iterations` must be a positive integer (steps of the power method per training "
    "call). Received: power_iterations={value!r}."
)
NO_KERNEL = (
    "Layer '{name}' (SpectralNormalization) normalizes the `kernel` (or `embeddings`) of the layer it wraps, but "
    "{cls} has neither. Received: layer={cls}. Wrap a layer with a kernel, e.g. Dense, Conv2D or Embedding."
)


@_registry.builtin
class SpectralNormalization(Wrapper):
    """Spectral normalization of a layer's kernel: each training call divides the kernel by its spectral norm (its
    largest singular value), estimated by power iteration, so that the layer is 1-Lipschitz (as in GAN
    discriminators).

    The kernel is viewed as a matrix `(everything but the last axis, last axis)`. The vector `vector_u`
    (non-trainable, shape `(1, kernel.shape[-1])`) carries the power method's estimate from call to call; a
    training call runs `power_iterations` steps from it, then assigns the normalized kernel to the wrapped layer's
    kernel variable and the new estimate to `vector_u` (an all-zero kernel is left as it is). At inference the
    wrapped layer runs with its kernel as it is.

    Args:
        layer: the layer to wrap; it must have a `kernel` (Dense, Conv*, ...) or `embeddings` (Embedding).
        power_iterations: power-method steps per training call.
        **kwargs: base Layer arguments.

    Call arguments:
        inputs: the wrapped layer's inputs.
        training: normalize the kernel (and update `vector_u`) before applying the layer.

    Output shape: the wrapped layer's.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> dense = kerasx.layers.Dense(2, use_bias=False, kernel_initializer=kerasx.initializers.Constant(3.0))
        >>> layer = kerasx.layers.SpectralNormalization(dense, power_iterations=2)
        >>> x = np.array([[1.0, 1.0]])
        >>> print(kerasx.ops.convert_to_numpy(layer(x)))
        [[6. 6.]]
        >>> print(np.round(kerasx.ops.convert_to_numpy(layer(x, training=True)), 4))
        [[1. 1.]]
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if isinstance(power_iterations, bool) or not isinstance(power_iterations, int) or power_iterations <= 0:
            raise ValueError(BAD_POWER_ITERATIONS.format(value=power_iterations))
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        kernel = getattr(self.layer, "kernel", None)
        if kernel is None:
            kernel = getattr(self.layer, "embeddings", None)
        if kernel is None:
            raise ValueError(NO_KERNEL.format(name=self.name, cls=type(self.layer).__name__))
        # Keras 3 tracks the kernel as the wrapper's own weight too: weights are [kernel, vector_u, *the rest].
        self.kernel = kernel
        self.kernel_shape = tuple(kernel.shape)
        self.vector_u = self.add_weight(
            shape=(1, self.kernel_shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02),
            trainable=False,
            name="vector_u",
            dtype=kernel.dtype,
        )

    def normalized_weights(self):
        """`(vector_u, kernel)`: the power method's new estimate and the kernel divided by its spectral norm."""
        weights = ops.reshape(self.kernel, (-1, self.kernel_shape[-1]))
        vector_u = self.vector_u.value
        vector_v = vector_u
        for _ in range(self.power_iterations):
            vector_v = ops.normalize(ops.matmul(vector_u, ops.transpose(weights)), axis=None)
            vector_u = ops.normalize(ops.matmul(vector_v, weights), axis=None)
        vector_u, vector_v = ops.stop_gradient(vector_u), ops.stop_gradient(vector_v)
        sigma = ops.matmul(ops.matmul(vector_v, weights), ops.transpose(vector_u))
        kernel = ops.reshape(ops.divide(self.kernel, sigma), self.kernel_shape)
        return ops.cast(vector_u, self.vector_u.dtype), ops.cast(kernel, self.kernel.dtype)

    def call(self, inputs, training=False):
        if training:
            vector_u, kernel = ops.cond(
                ops.all(ops.equal(self.kernel.value, 0)),
                lambda: (self.vector_u.value, self.kernel.value),
                self.normalized_weights,
            )
            self.vector_u.assign(vector_u)
            self.kernel.assign(kernel)
        return ops.cast(self.layer(inputs), ops.dtype(inputs))

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config["power_iterations"] = self.power_iterations
        return config
