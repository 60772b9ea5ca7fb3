"""JAX backend: nn ops, one private module per concept."""

# The compiler fuses the ops of these layers (normalization, the bias add after a convolution) by itself.
from kerasx.backend._unfused import conv_bias, conv_transpose_bias, group_norm, layer_norm
from kerasx.backend.jax._nn_activations import (
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
from kerasx.backend.jax._nn_attention import dot_product_attention
from kerasx.backend.jax._nn_conv import conv, conv_transpose, depthwise_conv, separable_conv
from kerasx.backend.jax._nn_losses import (
    binary_crossentropy,
    categorical_crossentropy,
    multi_hot,
    one_hot,
    sparse_categorical_crossentropy,
)
from kerasx.backend.jax._nn_norm import batch_normalization, moments, normalize
from kerasx.backend.jax._nn_pool import average_pool, max_pool
from kerasx.backend.jax._nn_rnn import gru, lstm

# The public list is the import list above, written once: each name implements a function of the nn contract
# (`kerasx/backend/_contract/nn.py`), and `tests/test_contract.py` checks that the two agree.
__all__ = sorted(name for name in globals() if not name.startswith("_"))
