"""Public ops: `kerasx.ops.add`, `kerasx.ops.conv`, ... Every op works eagerly on the selected engine's tensors and
symbolically on KerasTensors (output shape and dtype without running an engine).

The public surface is the union of the `__all__` lists of the faces `core`, `numpy`, `nn`, `linalg` and `math`,
each re-exported here by name (`image` is a face of its own, as Keras 3's `keras.ops.image`).
`tests/test_ops_surface.py` checks that this list and the faces agree.
"""

from kerasx import _missing
from kerasx.ops import _operators, core, image, linalg, math, nn, numpy
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._node import Node
from kerasx.ops.core import (
    associative_scan, cast, cond, convert_to_numpy, convert_to_tensor, custom_gradient, dtype, fori_loop, is_tensor,
    map, rearrange, saturate_cast, scan, scatter, scatter_update, shape, slice, slice_update, stop_gradient, switch,
    unstack, vectorized_map, while_loop,
)
from kerasx.ops.linalg import (
    cholesky, cholesky_inverse, det, eig, eigh, inv, jvp, lstsq, lu_factor, matrix_rank, norm, pinv, qr, solve,
    solve_triangular, svd,
)
from kerasx.ops.math import (
    cdist, erf, erfc, erfinv, extract_sequences, fft, fft2, ifft2, in_top_k, irfft, istft, logdet, logsumexp, rfft,
    rsqrt, segment_max, segment_min, segment_prod, segment_sum, stft, view_as_complex, view_as_real,
)
from kerasx.ops.nn import (
    adaptive_average_pool, adaptive_max_pool, average_pool, batch_normalization, binary_crossentropy,
    categorical_crossentropy, celu, conv, conv_transpose, ctc_decode, ctc_loss, depth_to_space, depthwise_conv,
    dot_product_attention, elu, fold, gelu, glu, hard_shrink, hard_sigmoid, hard_silu, hard_swish, hard_tanh,
    layer_normalization, leaky_relu, log_sigmoid, log_softmax, max_pool, moments, multi_hot, normalize, one_hot,
    polar, psnr, relu, relu6, rms_normalization, selu, separable_conv, sigmoid, silu, soft_shrink, softmax, softplus,
    softsign, space_to_depth, sparse_categorical_crossentropy, sparse_plus, sparse_sigmoid, sparsemax, squareplus,
    swish, tanh_shrink, threshold, unfold,
)
from kerasx.ops.numpy import (
    abs, absolute, add, all, allclose, amax, amin, angle, any, append, arange, arccos, arccosh, arcsin, arcsinh,
    arctan, arctan2, arctanh, argmax, argmin, argpartition, argsort, array, array_split, average, bartlett, bincount,
    bitwise_and, bitwise_invert, bitwise_left_shift, bitwise_not, bitwise_or, bitwise_right_shift, bitwise_xor,
    blackman, broadcast_to, cbrt, ceil, clip, concatenate, conj, conjugate, copy, corrcoef, correlate, cos, cosh,
    count_nonzero, cross, cumprod, cumsum, deg2rad, diag, diagflat, diagonal, diff, digitize, divide, divide_no_nan,
    dot, dsplit, dstack, einsum, empty, empty_like, equal, exp, exp2, expand_dims, expm1, eye, fabs, flip, fliplr,
    flipud, floor, floor_divide, fmax, fmin, fmod, full, full_like, gcd, geomspace, get_item, greater, greater_equal,
    hamming, hanning, heaviside, histogram, hsplit, hstack, hypot, i0, identity, imag, inner, isclose, isfinite,
    isin, isinf, isnan, isneginf, isposinf, isreal, kaiser, kron, lcm, ldexp, left_shift, less, less_equal, linspace,
    log, log10, log1p, log2, logaddexp, logaddexp2, logical_and, logical_not, logical_or, logical_xor, logspace,
    matmul, max, maximum, mean, median, meshgrid, min, minimum, mod, moveaxis, multiply, nan_to_num, nanargmax,
    nanargmin, nancumprod, nancumsum, nanmax, nanmean, nanmedian, nanmin, nanpercentile, nanprod, nanquantile,
    nanstd, nansum, nanvar, ndim, negative, nextafter, nonzero, not_equal, ones, ones_like, outer, pad, percentile,
    power, prod, ptp, quantile, rad2deg, ravel, real, reciprocal, repeat, reshape, right_shift, roll, rot90, round,
    searchsorted, select, sign, signbit, sin, sinc, sinh, size, slogdet, sort, split, sqrt, square, squeeze, stack,
    std, subtract, sum, swapaxes, take, take_along_axis, tan, tanh, tensordot, tile, top_k, trace, transpose,
    trapezoid, tri, tril, triu, true_divide, trunc, unique, unravel_index, vander, var, vdot, vectorize, view,
    vsplit, vstack, where, zeros, zeros_like,
)

__all__ = (
    ["KerasTensor", "Node", "core", "linalg", "math", "nn", "numpy"]
    + core.__all__
    + numpy.__all__
    + nn.__all__
    + linalg.__all__
    + math.__all__
)

del _operators


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
