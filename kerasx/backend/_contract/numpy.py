"""Contract of `kerasx/backend/<engine>/numpy.py` (the numpy-like ops).

Engine functions receive native tensors already cast by the public op in `kerasx.ops` (binary ops: one dtype;
float functions: float inputs), normalized axes and lower-case enums, and return results in the dtype the public
op documents (index results are int32). Ops that the public layer composes from these (true_divide, amax, hstack,
linspace, cross, ...) have no engine function.
"""

from __future__ import annotations

from typing import Any, Protocol

Tensor = Any


class NumpyContract(Protocol):
    def abs(self, x) -> Tensor:
        """Absolute value, same dtype (bools and unsigned ints unchanged)."""

    def add(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting; inputs share a dtype, the result keeps it."""

    def all(self, x, axis=None, keepdims=False) -> Tensor:
        """Logical and of a bool tensor. `axis`: None or a tuple of ints."""

    def any(self, x, axis=None, keepdims=False) -> Tensor:
        """Logical or of a bool tensor. `axis`: None or a tuple of ints."""

    def arange(self, start, stop=None, step=None, dtype=None) -> Tensor:
        """Values start, start + step, ... below stop; all arguments are Python numbers, dtype a name."""

    def arccos(self, x) -> Tensor:
        """Inverse cosine."""

    def arccosh(self, x) -> Tensor:
        """Inverse hyperbolic cosine."""

    def arcsin(self, x) -> Tensor:
        """Inverse sine."""

    def arcsinh(self, x) -> Tensor:
        """Inverse hyperbolic sine."""

    def arctan(self, x) -> Tensor:
        """Inverse tangent."""

    def arctan2(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting on float inputs of one dtype."""

    def arctanh(self, x) -> Tensor:
        """Inverse hyperbolic tangent."""

    def argmax(self, x, axis=None, keepdims=False) -> Tensor:
        """int32 index of the first maximum; `axis` an int, or None for the flattened tensor."""

    def argmin(self, x, axis=None, keepdims=False) -> Tensor:
        """int32 index of the first minimum; `axis` an int, or None for the flattened tensor."""

    def argsort(self, x, axis=-1) -> Tensor:
        """int32 indices of a stable ascending sort along the int `axis`."""

    def bincount(self, x, weights=None, minlength=0, sparse=False) -> Tensor:
        """Counts (int32) or summed `weights` (their dtype) per value of a 1-D or 2-D (per row) int tensor.

        `minlength` is an int; `sparse` is always False.
        """

    def bitwise_and(self, x, y) -> Tensor:
        """Elementwise bitwise op on integer (or bool) tensors of one dtype."""

    def bitwise_left_shift(self, x, y) -> Tensor:
        """Elementwise bitwise op on integer (or bool) tensors of one dtype."""

    def bitwise_not(self, x) -> Tensor:
        """Bitwise not of an integer or bool tensor."""

    def bitwise_or(self, x, y) -> Tensor:
        """Elementwise bitwise op on integer (or bool) tensors of one dtype."""

    def bitwise_right_shift(self, x, y) -> Tensor:
        """Elementwise bitwise op on integer (or bool) tensors of one dtype."""

    def bitwise_xor(self, x, y) -> Tensor:
        """Elementwise bitwise op on integer (or bool) tensors of one dtype."""

    def broadcast_to(self, x, shape) -> Tensor:
        """x broadcast to `shape` (a tuple of ints)."""

    def cbrt(self, x) -> Tensor:
        """Real cube root."""

    def ceil(self, x) -> Tensor:
        """Round up (float input)."""

    def clip(self, x, x_min, x_max) -> Tensor:
        """min(max(x, x_min), x_max); bounds are tensors of x's dtype."""

    def concatenate(self, xs, axis=0) -> Tensor:
        """Tensors of one dtype joined along the int `axis`."""

    def conj(self, x) -> Tensor:
        """Complex conjugate of a complex tensor (complex64 or complex128), same dtype."""

    def copy(self, x) -> Tensor:
        """A copy of x."""

    def cos(self, x) -> Tensor:
        """Cosine."""

    def cosh(self, x) -> Tensor:
        """Hyperbolic cosine."""

    def count_nonzero(self, x, axis=None) -> Tensor:
        """int32 count of nonzero elements. `axis`: None or a tuple of ints."""

    def cumprod(self, x, axis=None, dtype=None) -> Tensor:
        """Cumulative product in x's dtype (already `dtype`); `axis` an int, or None to flatten first."""

    def cumsum(self, x, axis=None, dtype=None) -> Tensor:
        """Cumulative sum in x's dtype (already `dtype`); `axis` an int, or None to flatten first."""

    def diag(self, x, k=0) -> Tensor:
        """1-D x -> matrix with x on diagonal k; 2-D x -> its diagonal k."""

    def diagonal(self, x, offset=0, axis1=0, axis2=1) -> Tensor:
        """Diagonal `offset` of the planes (axis1, axis2) (non-negative ints), appended as the last axis."""

    def divide(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting on float inputs of one dtype."""

    def einsum(self, subscripts, *operands, **kwargs) -> Tensor:
        """Einstein summation; operands share a dtype."""

    def equal(self, x1, x2) -> Tensor:
        """Elementwise comparison with broadcasting; inputs share a dtype; returns bool."""

    def exp(self, x) -> Tensor:
        """e**x."""

    def exp2(self, x) -> Tensor:
        """2**x."""

    def expand_dims(self, x, axis) -> Tensor:
        """x with size-1 axes at the output positions `axis` (a tuple of non-negative ints)."""

    def expm1(self, x) -> Tensor:
        """exp(x) - 1."""

    def eye(self, N, M=None, k=0, dtype=None) -> Tensor:
        """N x M (M None: N) matrix with ones on diagonal k; `dtype` a name."""

    def flip(self, x, axis=None) -> Tensor:
        """x reversed along `axis` (a tuple of non-negative ints)."""

    def floor(self, x) -> Tensor:
        """Round down (float input)."""

    def floor_divide(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting; inputs share a dtype, the result keeps it."""

    def fmax(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting; inputs share a dtype, the result keeps it."""

    def fmin(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting; inputs share a dtype, the result keeps it."""

    def fmod(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting; inputs share a dtype, the result keeps it."""

    def full(self, shape, fill_value, dtype=None) -> Tensor:
        """`fill_value` (a tensor of `dtype`, broadcastable) broadcast to `shape`."""

    def full_like(self, x, fill_value, dtype=None) -> Tensor:
        """`fill_value` (a tensor of `dtype`) broadcast to x's shape; `dtype` a name or None."""

    def gcd(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting; inputs share a dtype, the result keeps it."""

    def get_item(self, x, key) -> Tensor:
        """x[key]: key is a tuple of ints, slices, None, Ellipsis and native int/bool tensors (NumPy rules)."""

    def greater(self, x1, x2) -> Tensor:
        """Elementwise comparison with broadcasting; inputs share a dtype; returns bool."""

    def greater_equal(self, x1, x2) -> Tensor:
        """Elementwise comparison with broadcasting; inputs share a dtype; returns bool."""

    def hypot(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting on float inputs of one dtype."""

    def i0(self, x) -> Tensor:
        """Modified Bessel function of the first kind, order 0 (float input)."""

    def imag(self, x) -> Tensor:
        """Imaginary part of a complex tensor: float32 for complex64, float64 for complex128."""

    def isclose(self, x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False) -> Tensor:
        """|x1 - x2| <= atol + rtol * |x2| (equal infinities close; NaNs close if equal_nan); returns bool."""

    def isfinite(self, x) -> Tensor:
        """Bool test of a float tensor."""

    def isin(self, x1, x2, assume_unique=False, invert=False) -> Tensor:
        """Bool: whether each element of x1 occurs in x2 (negated with invert)."""

    def isinf(self, x) -> Tensor:
        """Bool test of a float tensor."""

    def isnan(self, x) -> Tensor:
        """Bool test of a float tensor."""

    def isneginf(self, x) -> Tensor:
        """Bool test of a float tensor."""

    def isposinf(self, x) -> Tensor:
        """Bool test of a float tensor."""

    def lcm(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting; inputs share a dtype, the result keeps it."""

    def less(self, x1, x2) -> Tensor:
        """Elementwise comparison with broadcasting; inputs share a dtype; returns bool."""

    def less_equal(self, x1, x2) -> Tensor:
        """Elementwise comparison with broadcasting; inputs share a dtype; returns bool."""

    def log(self, x) -> Tensor:
        """Natural logarithm."""

    def log10(self, x) -> Tensor:
        """Base-10 logarithm."""

    def log1p(self, x) -> Tensor:
        """log(1 + x)."""

    def log2(self, x) -> Tensor:
        """Base-2 logarithm."""

    def logaddexp(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting on float inputs of one dtype."""

    def logaddexp2(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting on float inputs of one dtype."""

    def logical_and(self, x1, x2) -> Tensor:
        """Elementwise logical op on bool tensors."""

    def logical_not(self, x) -> Tensor:
        """Logical not of a bool tensor."""

    def logical_or(self, x1, x2) -> Tensor:
        """Elementwise logical op on bool tensors."""

    def logical_xor(self, x1, x2) -> Tensor:
        """Elementwise logical op on bool tensors."""

    def make_complex(self, real, imag) -> Tensor:
        """Complex tensor `real + 1j * imag` of float inputs of one dtype (float32 -> complex64, float64 ->
        complex128), broadcast together."""

    def matmul(self, x1, x2) -> Tensor:
        """Matrix product with NumPy's rules (1-D operands, broadcast batches); inputs share a dtype."""

    def max(self, x, axis=None, keepdims=False, initial=None) -> Tensor:
        """Maximum, at least `initial` (a Python number) when given. `axis`: None or a tuple of ints."""

    def maximum(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting; inputs share a dtype, the result keeps it."""

    def mean(self, x, axis=None, keepdims=False) -> Tensor:
        """Mean of a float tensor. `axis`: None or a tuple of ints."""

    def median(self, x, axis=None, keepdims=False) -> Tensor:
        """Median (mean of the middle two) of a float tensor. `axis`: None or a tuple of ints."""

    def meshgrid(self, *x, indexing='xy') -> list:
        """List of coordinate grids from 1-D tensors; `indexing` is 'xy' or 'ij'."""
        ...

    def min(self, x, axis=None, keepdims=False, initial=None) -> Tensor:
        """Minimum, at most `initial` (a Python number) when given. `axis`: None or a tuple of ints."""

    def minimum(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting; inputs share a dtype, the result keeps it."""

    def mod(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting; inputs share a dtype, the result keeps it."""

    def moveaxis(self, x, source, destination) -> Tensor:
        """x with axes `source` moved to `destination` (tuples of non-negative ints)."""

    def multiply(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting; inputs share a dtype, the result keeps it."""

    def nan_to_num(self, x, nan=0.0, posinf=None, neginf=None) -> Tensor:
        """NaN -> nan, +inf -> posinf, -inf -> neginf (None: the dtype's extreme finite values); ints unchanged."""

    def negative(self, x) -> Tensor:
        """-x (never bool)."""

    def nextafter(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting on float inputs of one dtype."""

    def nonzero(self, x) -> tuple:
        """Tuple of int32 1-D coordinate tensors of the True elements of a bool tensor (ndim >= 1)."""
        ...

    def not_equal(self, x1, x2) -> Tensor:
        """Elementwise comparison with broadcasting; inputs share a dtype; returns bool."""

    def ones(self, shape, dtype=None) -> Tensor:
        """Ones of `shape` (a tuple of ints) and `dtype` (a name)."""

    def ones_like(self, x, dtype=None) -> Tensor:
        """Ones with x's shape; `dtype` a name or None (x's dtype)."""

    def pad(self, x, pad_width, mode='constant', constant_values=None) -> Tensor:
        """x padded by `pad_width` (one (before, after) pair per axis).

        `mode` is always 'constant' here (the public op builds the other modes from `take`); `constant_values` is a
        0-d tensor of x's dtype.
        """

    def power(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting; inputs share a dtype, the result keeps it."""

    def prod(self, x, axis=None, keepdims=False, dtype=None) -> Tensor:
        """Product in x's dtype (already `dtype` when one was given). `axis`: None or a tuple of ints."""

    def quantile(self, x, q, axis=None, method='linear', keepdims=False) -> Tensor:
        """Quantiles q (a tensor of x's dtype, 0-d or 1-d) with NumPy's `method`; shape q.shape + reduced."""

    def real(self, x) -> Tensor:
        """Real part of a complex tensor: float32 for complex64, float64 for complex128."""

    def reciprocal(self, x) -> Tensor:
        """1 / x."""

    def repeat(self, x, repeats, axis=None) -> Tensor:
        """Elements repeated along the int `axis`; `repeats` is an int, a list of ints or an int32 tensor."""

    def reshape(self, x, newshape) -> Tensor:
        """x with shape `newshape` (a tuple of ints, at most one -1)."""

    def roll(self, x, shift, axis=None) -> Tensor:
        """x rolled by `shift` (a tuple of ints) along `axis` (a tuple of non-negative ints of the same length)."""

    def round(self, x, decimals=0) -> Tensor:
        """Round halves to even at `decimals` places (an int; negative rounds integers to tens, ...)."""

    def searchsorted(self, sorted_sequence, values, side='left') -> Tensor:
        """int32 insertion points of `values` in the 1-D ascending `sorted_sequence` (same dtype)."""

    def sign(self, x) -> Tensor:
        """-1, 0 or 1 in x's dtype (never bool)."""

    def signbit(self, x) -> Tensor:
        """Bool test of a float tensor."""

    def sin(self, x) -> Tensor:
        """Sine."""

    def sinh(self, x) -> Tensor:
        """Hyperbolic sine."""

    def sort(self, x, axis=-1) -> Tensor:
        """Stable ascending sort along the int `axis`."""

    def split(self, x, indices_or_sections, axis=0) -> list:
        """List of pieces of x along the int `axis`.

        `indices_or_sections` is an int (even pieces) or a list of split indices.
        """
        ...

    def sqrt(self, x) -> Tensor:
        """Square root."""

    def square(self, x) -> Tensor:
        """x * x (never bool)."""

    def squeeze(self, x, axis=None) -> Tensor:
        """x without the size-1 axes in `axis` (a tuple of non-negative ints)."""

    def stack(self, x, axis=0) -> Tensor:
        """Tensors of one dtype and shape joined along a new int `axis`."""

    def std(self, x, axis=None, keepdims=False) -> Tensor:
        """Population std (ddof=0) of a float tensor. `axis`: None or a tuple of ints."""

    def subtract(self, x1, x2) -> Tensor:
        """Elementwise with broadcasting; inputs share a dtype, the result keeps it."""

    def sum(self, x, axis=None, keepdims=False) -> Tensor:
        """Sum in x's dtype (already the accumulator dtype). `axis`: None or a tuple of ints."""

    def swapaxes(self, x, axis1, axis2) -> Tensor:
        """x with two (non-negative int) axes swapped."""

    def take(self, x, indices, axis=None) -> Tensor:
        """Elements of x at int `indices` (negative count from the end) along the int `axis`."""

    def take_along_axis(self, x, indices, axis=None) -> Tensor:
        """x gathered along the int `axis` by int `indices` of the same (already broadcast) shape."""

    def tan(self, x) -> Tensor:
        """Tangent."""

    def tanh(self, x) -> Tensor:
        """Hyperbolic tangent."""

    def tensordot(self, x1, x2, axes=2) -> Tensor:
        """Sum of products over `axes`: an int or a pair of tuples of non-negative ints."""

    def tile(self, x, repeats) -> Tensor:
        """x tiled `repeats` (a tuple of ints, one per axis of x) times."""

    def top_k(self, x, k, sorted=True) -> tuple:
        """(values, int32 indices) of the k largest along the last axis; ties favour the lower index."""
        ...

    def transpose(self, x, axes=None) -> Tensor:
        """x with axes permuted by `axes` (a full tuple)."""

    def tri(self, N, M=None, k=0, dtype=None) -> Tensor:
        """N x M (M None: N) matrix with ones on and below diagonal k; `dtype` a name."""

    def tril(self, x, k=0) -> Tensor:
        """x with elements above diagonal k of the last two axes zeroed."""

    def triu(self, x, k=0) -> Tensor:
        """x with elements below diagonal k of the last two axes zeroed."""

    def trunc(self, x) -> Tensor:
        """Round towards zero; integers are returned unchanged."""

    def var(self, x, axis=None, keepdims=False) -> Tensor:
        """Population variance (ddof=0) of a float tensor. `axis`: None or a tuple of ints."""

    def where(self, condition, x1=None, x2=None) -> Tensor:
        """Elementwise x1 if condition else x2; condition is bool, x1 and x2 share a dtype."""

    def zeros(self, shape, dtype=None) -> Tensor:
        """Zeros of `shape` (a tuple of ints) and `dtype` (a name)."""

    def zeros_like(self, x, dtype=None) -> Tensor:
        """Zeros with x's shape; `dtype` a name or None (x's dtype)."""
