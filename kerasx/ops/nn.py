"""Public neural-network ops: activations, convolutions, pooling, normalization, encodings and losses, attention.

Each concept lives in a private module that lists its ops in `__all__`; this face re-exports every one of them by
name, and `kerasx.ops` re-exports this face. `tests/test_ops_surface.py` checks that the lists agree.
"""

from __future__ import annotations

from kerasx import _missing
from kerasx.ops import (
    _nn_activations, _nn_adaptive_pool, _nn_attention, _nn_conv, _nn_ctc, _nn_losses, _nn_norm, _nn_piecewise,
    _nn_polar, _nn_pool, _nn_psnr, _nn_softmax, _nn_space,
)
from kerasx.ops._nn_activations import (
    celu, elu, gelu, glu, log_sigmoid, selu, sigmoid, silu, softplus, softsign, squareplus, swish, tanh_shrink,
)
from kerasx.ops._nn_adaptive_pool import adaptive_average_pool, adaptive_max_pool
from kerasx.ops._nn_attention import dot_product_attention
from kerasx.ops._nn_conv import conv, conv_transpose, depthwise_conv, separable_conv
from kerasx.ops._nn_ctc import ctc_decode, ctc_loss
from kerasx.ops._nn_losses import (
    binary_crossentropy, categorical_crossentropy, multi_hot, one_hot, sparse_categorical_crossentropy,
)
from kerasx.ops._nn_norm import batch_normalization, layer_normalization, moments, normalize, rms_normalization
from kerasx.ops._nn_piecewise import (
    hard_shrink, hard_sigmoid, hard_silu, hard_swish, hard_tanh, leaky_relu, relu, relu6, soft_shrink, sparse_plus,
    sparse_sigmoid, threshold,
)
from kerasx.ops._nn_polar import polar
from kerasx.ops._nn_pool import average_pool, max_pool
from kerasx.ops._nn_psnr import psnr
from kerasx.ops._nn_softmax import log_softmax, softmax, sparsemax
from kerasx.ops._nn_space import depth_to_space, fold, space_to_depth, unfold

__all__ = sorted(
    _nn_activations.__all__
    + _nn_adaptive_pool.__all__
    + _nn_attention.__all__
    + _nn_conv.__all__
    + _nn_ctc.__all__
    + _nn_losses.__all__
    + _nn_norm.__all__
    + _nn_piecewise.__all__
    + _nn_polar.__all__
    + _nn_pool.__all__
    + _nn_psnr.__all__
    + _nn_softmax.__all__
    + _nn_space.__all__
)


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
