"""Contract of `kerasx/backend/<engine>/nn.py`.

Arguments arrive normalized by the public op in `kerasx.ops.nn`: tensors are native and already of the result
dtype (floats for everything but one_hot/multi_hot indices and max_pool), `axis` is a non-negative int (or a tuple of
them where noted), `strides`/`dilation_rate`/`pool_size`/`output_padding` are tuples with one int per spatial axis,
`padding` is "valid" or "same", `data_format` is "channels_last" or "channels_first", and `scale`/`epsilon` are floats.
Kernels use the Keras layout: `(*spatial, in_channels // groups, out_channels)`.
"""

from __future__ import annotations

from typing import Any, Protocol

Tensor = Any


class NNContract(Protocol):
    # Activations (elementwise unless noted; float in, same dtype out) -------------------------------------------
    def relu(self, x) -> Tensor:
        """max(x, 0)."""

    def relu6(self, x) -> Tensor:
        """min(max(x, 0), 6)."""

    def sigmoid(self, x) -> Tensor:
        """1 / (1 + exp(-x))."""

    def sparse_sigmoid(self, x) -> Tensor:
        """0 for x <= -1, 1 for x >= 1, (x + 1) / 2 between."""

    def softplus(self, x) -> Tensor:
        """log(1 + exp(x))."""

    def softsign(self, x) -> Tensor:
        """x / (1 + |x|)."""

    def soft_shrink(self, x, threshold=0.5) -> Tensor:
        """x - threshold above threshold, x + threshold below -threshold, 0 between."""

    def sparse_plus(self, x) -> Tensor:
        """0 for x <= -1, (x + 1)^2 / 4 for -1 < x < 1, x for x >= 1."""

    def silu(self, x) -> Tensor:
        """x * sigmoid(x)."""

    def squareplus(self, x, b=4) -> Tensor:
        """(x + sqrt(x^2 + b)) / 2."""

    def log_sigmoid(self, x) -> Tensor:
        """log(sigmoid(x)) = -softplus(-x)."""

    def leaky_relu(self, x, negative_slope=0.2) -> Tensor:
        """x for x >= 0, negative_slope * x below."""

    def hard_sigmoid(self, x) -> Tensor:
        """clip(x / 6 + 1 / 2, 0, 1)."""

    def hard_silu(self, x) -> Tensor:
        """x * hard_sigmoid(x)."""

    def elu(self, x, alpha=1.0) -> Tensor:
        """x for x > 0, alpha * (exp(x) - 1) below."""

    def selu(self, x) -> Tensor:
        """scale * elu(x, alpha) with the self-normalizing constants alpha=1.67326324, scale=1.05070098."""

    def gelu(self, x, approximate=True) -> Tensor:
        """x * Phi(x); `approximate` uses the tanh formula."""

    def celu(self, x, alpha=1.0) -> Tensor:
        """max(x, 0) + min(alpha * (exp(x / alpha) - 1), 0)."""

    def glu(self, x, axis=-1) -> Tensor:
        """a * sigmoid(b) where a, b are the two halves of x along `axis` (an int)."""

    def tanh_shrink(self, x) -> Tensor:
        """x - tanh(x)."""

    def hard_tanh(self, x) -> Tensor:
        """clip(x, -1, 1)."""

    def hard_shrink(self, x, threshold=0.5) -> Tensor:
        """x where |x| > threshold, else 0."""

    def threshold(self, x, threshold, default_value) -> Tensor:
        """x where x > threshold, else default_value."""

    def softmax(self, x, axis=-1) -> Tensor:
        """exp(x) / sum(exp(x)) over `axis` (an int or a tuple of ints)."""

    def log_softmax(self, x, axis=-1) -> Tensor:
        """x - logsumexp(x) over `axis` (an int or a tuple of ints)."""

    def sparsemax(self, x, axis=-1) -> Tensor:
        """Euclidean projection of x onto the probability simplex along `axis` (an int)."""

    # Convolutions ---------------------------------------------------------------------------------------------------
    def conv(self, inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1) -> Tensor:
        """N-D convolution (N = 1, 2, 3); groups = input channels // kernel.shape[-2]."""

    def depthwise_conv(self, inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1) -> Tensor:
        """Per-channel convolution; kernel `(*spatial, in_channels, channel_multiplier)`; output channel
        `c * channel_multiplier + m`."""

    def separable_conv(
        self, inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None, dilation_rate=1
    ) -> Tensor:
        """depthwise_conv followed by a 1x..x1 conv with `pointwise_kernel` (stride 1, "valid")."""

    def conv_transpose(
        self, inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None, dilation_rate=1
    ) -> Tensor:
        """Transposed convolution; kernel `(*spatial, out_channels, in_channels)`; `output_padding` is None or a
        tuple. Sizes and cropping follow `kerasx.backend._conv_geometry`."""

    # Pooling --------------------------------------------------------------------------------------------------------
    def conv_bias(self, inputs, kernel, bias, strides, padding, data_format, dilation_rate) -> Any:
        """`conv(inputs, kernel, ...) + bias` (bias along the channel axis) in one engine kernel call, or None where
        the engine has none (the caller then adds the bias with ops). Arguments as `conv` receives them, normalized;
        `bias` is a `(out_channels,)` tensor; inputs, kernel and bias share one float32/float64 dtype."""

    def conv_transpose_bias(
        self, inputs, kernel, bias, strides, padding, output_padding, data_format, dilation_rate
    ) -> Any:
        """`conv_transpose(inputs, kernel, ...) + bias` in one engine kernel call, or None, as for `conv_bias`."""

    def max_pool(self, inputs, pool_size, strides=None, padding="valid", data_format=None) -> Tensor:
        """Window maximum; padded cells never win. Keeps the input dtype (also integers)."""

    def average_pool(self, inputs, pool_size, strides=None, padding="valid", data_format=None) -> Tensor:
        """Window mean over the cells inside the input (padded cells are not counted)."""

    # Normalization --------------------------------------------------------------------------------------------------
    def moments(self, x, axes, keepdims=False, synchronized=False) -> tuple:
        """(mean, variance) over `axes` (a tuple). `synchronized` only matters across replicas; one process has
        nothing to synchronize."""
        ...

    def batch_normalization(self, x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3) -> Tensor:
        """(x - mean) / sqrt(variance + epsilon) * scale + offset; the 1-D parameters run along `axis` (an int)."""

    def normalize(self, x, axis=-1, order=2, epsilon=None) -> Tensor:
        """x / max(norm_order(x over axis), epsilon); `axis` is a tuple, `epsilon` a float."""

    def layer_norm(self, x, gamma, beta, axes, epsilon) -> Any:
        """A whole layer normalization in the engine's fused kernel, or None where it has none for this call (the
        caller then computes it with ops): `(x - mean) / sqrt(variance + epsilon) * gamma + beta`, statistics per
        sample over `axes`, a tuple of the last axes of `x` in order. `gamma` and `beta` are None or tensors shaped
        like those axes, of `x`'s float32/float64 dtype; `epsilon` is a float."""

    def group_norm(self, x, groups, gamma, beta, epsilon) -> Any:
        """A whole group normalization in the engine's fused kernel, or None as for `layer_norm`: the channels of
        axis 1 of `x` (batch, channels, ...) split into `groups` groups of consecutive channels, each group
        normalized per sample over its channels and the spatial axes, then `* gamma + beta` per channel (each None
        or a (channels,) tensor of `x`'s float32/float64 dtype)."""

    # Encodings and losses -------------------------------------------------------------------------------------------
    def one_hot(self, x, num_classes, axis=-1, dtype=None, sparse=False) -> Tensor:
        """Integer `x` -> one-hot vectors of `num_classes` inserted at `axis` (an int in the output's range);
        out-of-range indices give all zeros. `dtype` is a dtype name; `sparse` is always False (dense results)."""

    def multi_hot(self, inputs, num_classes, axis=-1, dtype=None, sparse=False) -> Tensor:
        """Max of one_hot over the label axis (axis 0 of a rank-1 input, axis 1 otherwise); `sparse` is False."""

    def binary_crossentropy(self, target, output, from_logits=False) -> Tensor:
        """Elementwise -(t log(p) + (1 - t) log(1 - p)); probabilities clipped to [epsilon, 1 - epsilon]."""

    def categorical_crossentropy(self, target, output, from_logits=False, axis=-1) -> Tensor:
        """-sum(t * log(p)) over `axis` (an int); probabilities are renormalized and clipped first."""

    def sparse_categorical_crossentropy(self, target, output, from_logits=False, axis=-1) -> Tensor:
        """categorical_crossentropy with integer class indices `target` (shape of output without `axis`)."""

    # Attention ------------------------------------------------------------------------------------------------------
    def dot_product_attention(
        self, query, key, value, bias=None, mask=None, scale=None, is_causal=False, flash_attention=None,
        attn_logits_soft_cap=None,
    ) -> Tensor:
        """softmax(cap(scale * q k^T) + bias, masked) v with (batch, seq, heads, head_dim) layout; key/value may
        have fewer heads than query (grouped-query attention). `scale` is always a float; `mask` is bool or None.

        `attn_logits_soft_cap` None leaves the logits as they are; a float c caps them softly to (-c, c) with
        `c * tanh(logits / c)`. `flash_attention` False forbids a fused kernel; None or True allow one where the
        engine has it and the result is the same."""

    # Recurrent layers (fused) -----------------------------------------------------------------------------------
    def lstm(
        self, inputs, initial_h, initial_c, kernel, recurrent_kernel, bias, go_backwards=False, return_sequences=True
    ) -> Any:
        """A whole LSTM layer in the engine's own fused kernel, or None where the engine has none for this call
        (the caller then runs its generic `ops.scan` loop). Keras layout and equations: `inputs` (batch, time,
        features), states (batch, units), kernel (features, 4 * units), recurrent_kernel (units, 4 * units), bias
        (4 * units,) or None, gates i, f, c, o with sigmoid gates and tanh activations. `go_backwards` reads the
        sequence from its last step (the outputs stay in that reversed order). Returns `(last_output, outputs,
        h, c)`, `outputs` (batch, time, units) when `return_sequences`, else None."""

    def gru(self, inputs, initial_h, kernel, recurrent_kernel, bias, go_backwards=False, return_sequences=True) -> Any:
        """A whole GRU layer (Keras `reset_after=True` equations) in the engine's fused kernel, or None as for
        `lstm`. Keras layout: kernel (features, 3 * units), recurrent_kernel (units, 3 * units), gates z, r, h,
        bias (2, 3 * units) (input bias, recurrent bias) or None; sigmoid gates, tanh candidate. Returns
        `(last_output, outputs, h)`, `outputs` None unless `return_sequences`."""
