"""Public numpy-like ops (Keras 3 names, signatures and semantics).

Each concept lives in a private module that lists its ops in `__all__`; this face re-exports every one of them by
name, and `kerasx.ops` re-exports this face. `tests/test_ops_surface.py` checks that the lists agree.
"""

from __future__ import annotations

from kerasx import _missing
from kerasx.ops import (
    _np_arith, _np_binary_math, _np_bitwise, _np_classify, _np_compare, _np_correlate, _np_exp_log, _np_fill,
    _np_get_item, _np_index, _np_join, _np_matrix, _np_nan, _np_nan_quantile, _np_products, _np_ranges, _np_rearrange,
    _np_reduce, _np_round_sign, _np_shape, _np_sort, _np_split, _np_stats, _np_trig, _np_unique, _np_vectorize,
    _np_windows,
)
from kerasx.ops._np_arith import (
    add, divide, divide_no_nan, floor_divide, fmod, mod, multiply, power, subtract, true_divide,
)
from kerasx.ops._np_binary_math import (
    arctan2, fmax, fmin, gcd, heaviside, hypot, lcm, logaddexp, logaddexp2, maximum, minimum, nextafter,
)
from kerasx.ops._np_bitwise import (
    bitwise_and, bitwise_invert, bitwise_left_shift, bitwise_not, bitwise_or, bitwise_right_shift, bitwise_xor,
    left_shift, right_shift, view,
)
from kerasx.ops._np_classify import (
    angle, conj, conjugate, imag, isfinite, isinf, isnan, isneginf, isposinf, isreal, real, signbit,
)
from kerasx.ops._np_compare import (
    allclose, equal, greater, greater_equal, isclose, isin, less, less_equal, logical_and, logical_not, logical_or,
    logical_xor, not_equal,
)
from kerasx.ops._linalg_det import slogdet
from kerasx.ops._np_correlate import corrcoef, correlate, histogram
from kerasx.ops._np_exp_log import (
    cbrt, exp, exp2, expm1, i0, ldexp, log, log10, log1p, log2, reciprocal, sqrt, square,
)
from kerasx.ops._np_fill import (
    array, copy, empty, empty_like, eye, full, full_like, identity, ones, ones_like, tri, zeros, zeros_like,
)
from kerasx.ops._np_get_item import get_item
from kerasx.ops._np_index import bincount, nonzero, select, take, take_along_axis, unravel_index, where
from kerasx.ops._np_join import append, concatenate, dstack, hstack, stack, vstack
from kerasx.ops._np_nan import (
    nanargmax, nanargmin, nancumprod, nancumsum, nanmax, nanmean, nanmin, nanprod, nanstd, nansum, nanvar,
)
from kerasx.ops._np_nan_quantile import nanmedian, nanpercentile, nanquantile
from kerasx.ops._np_matrix import diag, diagflat, diagonal, trace, tril, triu, vander
from kerasx.ops._np_products import cross, dot, einsum, inner, kron, matmul, outer, tensordot, vdot
from kerasx.ops._np_ranges import arange, geomspace, linspace, logspace, meshgrid
from kerasx.ops._np_rearrange import flip, fliplr, flipud, pad, repeat, roll, rot90, tile
from kerasx.ops._np_reduce import all, amax, amin, any, count_nonzero, max, mean, median, min, prod, ptp, std, sum, var
from kerasx.ops._np_round_sign import abs, absolute, ceil, clip, fabs, floor, nan_to_num, negative, round, sign, trunc
from kerasx.ops._np_shape import (
    broadcast_to, expand_dims, moveaxis, ndim, ravel, reshape, size, squeeze, swapaxes, transpose,
)
from kerasx.ops._np_sort import argmax, argmin, argpartition, argsort, digitize, searchsorted, sort, top_k
from kerasx.ops._np_split import array_split, dsplit, hsplit, split, vsplit
from kerasx.ops._np_stats import average, cumprod, cumsum, diff, percentile, quantile, trapezoid
from kerasx.ops._np_unique import unique
from kerasx.ops._np_vectorize import vectorize
from kerasx.ops._np_trig import (
    arccos, arccosh, arcsin, arcsinh, arctan, arctanh, cos, cosh, deg2rad, rad2deg, sin, sinc, sinh, tan, tanh,
)
from kerasx.ops._np_windows import bartlett, blackman, hamming, hanning, kaiser

__all__ = sorted(
    _np_arith.__all__
    + _np_binary_math.__all__
    + _np_bitwise.__all__
    + _np_classify.__all__
    + _np_compare.__all__
    + _np_exp_log.__all__
    + _np_fill.__all__
    + _np_get_item.__all__
    + _np_index.__all__
    + _np_join.__all__
    + _np_matrix.__all__
    + _np_products.__all__
    + _np_ranges.__all__
    + _np_rearrange.__all__
    + _np_reduce.__all__
    + _np_round_sign.__all__
    + _np_shape.__all__
    + _np_sort.__all__
    + _np_split.__all__
    + _np_stats.__all__
    + _np_trig.__all__
    + _np_windows.__all__
    + _np_correlate.__all__
    + _np_nan.__all__
    + _np_nan_quantile.__all__
    + _np_unique.__all__
    + _np_vectorize.__all__
    + ["slogdet"]  # `_linalg_det` also holds `logdet`, which Keras 3 exports in keras.ops only
)


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
