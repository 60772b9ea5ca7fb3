"""Public ops: `kerasx.ops.add`, `kerasx.ops.conv`, ... Every op works eagerly on the selected engine's tensors and
symbolically on KerasTensors (output shape and dtype without running an engine).

The public surface is the union of the `__all__` lists of the faces `core`, `numpy`, `nn` and `linalg`, each
re-exported here by name. `tests/test_ops_surface.py` checks that this list and the faces agree.
"""

from kerasx import _missing
from kerasx.ops import _operators, core, linalg, nn, numpy
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._node import Node
from kerasx.ops.core import (
    cast, cond, convert_to_numpy, convert_to_tensor, custom_gradient, dtype, fori_loop, is_tensor, map,
    saturate_cast, scan, scatter, scatter_update, shape, slice, slice_update, stop_gradient, switch, vectorized_map,
    while_loop,
)
from kerasx.ops.linalg import (
    cholesky, det, eigh, inv, lstsq, norm, qr, solve, solve_triangular, svd,
)
from kerasx.ops.nn import (
    average_pool, batch_normalization, binary_crossentropy, categorical_crossentropy, celu, conv, conv_transpose,
    depthwise_conv, dot_product_attention, elu, gelu, glu, hard_shrink, hard_sigmoid, hard_silu, hard_swish,
    hard_tanh, leaky_relu, log_sigmoid, log_softmax, max_pool, moments, multi_hot, normalize, one_hot, relu, relu6,
    selu, separable_conv, sigmoid, silu, soft_shrink, softmax, softplus, softsign, sparse_categorical_crossentropy,
    sparse_plus, sparse_sigmoid, sparsemax, squareplus, swish, tanh_shrink, threshold,
)
from kerasx.ops.numpy import (
    abs, absolute, add, all, allclose, amax, amin, angle, any, append, arange, arccos, arccosh, arcsin, arcsinh,
    arctan, arctan2, arctanh, argmax, argmin, argpartition, argsort, array, array_split, average, bartlett,
    bincount, bitwise_and, bitwise_invert, bitwise_left_shift, bitwise_not, bitwise_or, bitwise_right_shift,
    bitwise_xor, blackman, broadcast_to, cbrt, ceil, clip, concatenate, conj, conjugate, copy, cos, cosh,
    count_nonzero, cross, cumprod, cumsum, deg2rad, diag, diagflat, diagonal, diff, digitize, divide, divide_no_nan,
    dot, dsplit, dstack, einsum, empty, empty_like, equal, exp, exp2, expand_dims, expm1, eye, fabs, flip, fliplr,
    flipud, floor, floor_divide, fmax, fmin, fmod, full, full_like, gcd, geomspace, get_item, greater,
    greater_equal, hamming, hanning, heaviside, hsplit, hstack, hypot, i0, identity, imag, inner, isclose, isfinite,
    isin, isinf, isnan, isneginf, isposinf, isreal, kaiser, kron, lcm, left_shift, less, less_equal, linspace, log,
    log10, log1p, log2, logaddexp, logaddexp2, logical_and, logical_not, logical_or, logical_xor, logspace, matmul,
    max, maximum, mean, median, meshgrid, min, minimum, mod, moveaxis, multiply, nan_to_num, ndim, negative,
    nextafter, nonzero, not_equal, ones, ones_like, outer, pad, percentile, power, prod, ptp, quantile, rad2deg,
    ravel, real, reciprocal, repeat, reshape, right_shift, roll, rot90, round, searchsorted, select, sign, signbit,
    sin, sinc, sinh, size, sort, split, sqrt, square, squeeze, stack, std, subtract, sum, swapaxes, take,
    take_along_axis, tan, tanh, tensordot, tile, top_k, trace, transpose, trapezoid, tri, tril, triu, true_divide,
    trunc, unravel_index, vander, var, vdot, vsplit, vstack, where, zeros, zeros_like,
)

__all__ = (
    ["KerasTensor", "Node", "core", "linalg", "nn", "numpy"] + core.__all__ + numpy.__all__ + nn.__all__ + linalg.__all__
)

del _operators


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
