"""Activation functions by Keras 3 name, built on `kerasx.ops` (integer inputs give floatx, as the ops do): the
table of names `kerasx.activations.get` reads. The functions live by kind in `_rectifiers`, `_squashing` and
`_normalizing`."""

from __future__ import annotations

from kerasx.activations._normalizing import (
    log_softmax,
    softmax,
    sparsemax,
)
from kerasx.activations._rectifiers import (
    celu,
    elu,
    gelu,
    glu,
    hard_silu,
    leaky_relu,
    mish,
    relu,
    relu6,
    selu,
    silu,
    softplus,
    sparse_plus,
    squareplus,
)
from kerasx.activations._squashing import (
    exponential,
    hard_shrink,
    hard_sigmoid,
    hard_tanh,
    linear,
    log_sigmoid,
    sigmoid,
    soft_shrink,
    softsign,
    sparse_sigmoid,
    tanh,
    tanh_shrink,
    threshold,
)

ALL_FUNCTIONS = {
    fn.__name__: fn
    for fn in (
        celu,
        elu,
        exponential,
        gelu,
        glu,
        hard_shrink,
        hard_sigmoid,
        hard_silu,
        hard_tanh,
        leaky_relu,
        linear,
        log_sigmoid,
        log_softmax,
        mish,
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
        tanh,
        tanh_shrink,
        threshold,
    )
}
ALIASES = {"swish": silu, "hard_swish": hard_silu}
