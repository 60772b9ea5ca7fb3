"""NumPy backend: nn ops (the reference every engine is tested against), one private module per concept."""

# No fused kernels: the recurrent layers run ops.scan, the normalization layers their ops.
from kerasx.backend._unfused import conv_bias, conv_transpose_bias, group_norm, gru, layer_norm, lstm
from kerasx.backend.numpy._nn_activations import (
    celu,
    elu,
    gelu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
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
    tanh_shrink,
    threshold,
)
from kerasx.backend.numpy._nn_attention import dot_product_attention
from kerasx.backend.numpy._nn_conv import conv, conv_transpose, depthwise_conv, separable_conv
from kerasx.backend.numpy._nn_losses import (
    binary_crossentropy,
    categorical_crossentropy,
    multi_hot,
    one_hot,
    sparse_categorical_crossentropy,
)
from kerasx.backend.numpy._nn_norm import batch_normalization, moments, normalize
from kerasx.backend.numpy._nn_pool import average_pool, max_pool

# The public list is the import list above, written once: each name implements a function of the nn contract
# (`kerasx/backend/_contract/nn.py`), and `tests/test_contract.py` checks that the two agree.
__all__ = sorted(name for name in globals() if not name.startswith("_"))
