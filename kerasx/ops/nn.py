"""Public neural-network ops: activations, convolutions, pooling, normalization, losses, attention.

Each concept lives in a private module; this module is the explicit public list.
"""

from __future__ import annotations

from kerasx.ops._nn_activations import (
    celu,
    elu,
    gelu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_swish,
    hard_tanh,
    leaky_relu,
    log_sigmoid,
    log_softmax,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    soft_shrink,
    softmax,
    softplus,
    softsign,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    squareplus,
    swish,
    tanh_shrink,
    threshold,
)
from kerasx.ops._nn_attention import dot_product_attention
from kerasx.ops._nn_conv import conv, conv_transpose, depthwise_conv, separable_conv
from kerasx.ops._nn_losses import (
    binary_crossentropy,
    categorical_crossentropy,
    multi_hot,
    one_hot,
    sparse_categorical_crossentropy,
)
from kerasx.ops._nn_norm import batch_normalization, moments, normalize
from kerasx.ops._nn_pool import average_pool, max_pool

__all__ = [
    "average_pool",
    "batch_normalization",
    "binary_crossentropy",
    "categorical_crossentropy",
    "celu",
    "conv",
    "conv_transpose",
    "depthwise_conv",
    "dot_product_attention",
    "elu",
    "gelu",
    "glu",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "leaky_relu",
    "log_sigmoid",
    "log_softmax",
    "max_pool",
    "moments",
    "multi_hot",
    "normalize",
    "one_hot",
    "relu",
    "relu6",
    "selu",
    "separable_conv",
    "sigmoid",
    "silu",
    "soft_shrink",
    "softmax",
    "softplus",
    "softsign",
    "sparse_categorical_crossentropy",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "squareplus",
    "swish",
    "tanh_shrink",
    "threshold",
]
