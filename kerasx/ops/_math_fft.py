"""Fast Fourier transforms of complex signals given as `(real, imag)` pairs (as Keras 3 takes and returns them),
and the conversions between complex tensors and real tensors whose last axis holds (real, imaginary)."""

from __future__ import annotations

from kerasx.backend import _dtypes, active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy
_math = active.math

NOT_A_PAIR = (
    "`x` must be a tuple `(real, imag)` of two float tensors of the same shape, at least 1-D. Received: {received}."
)
NEEDS_LAST_AXIS = "The last axis of `x` (the transformed one) must have a known size. Received: x.shape={shape}."
NEEDS_TWO_AXES = "`{name}` transforms the last two axes: `x` needs at least 2 dimensions. Received: x.shape={shape}."
NEEDS_RANK_1 = "`x` must be at least 1-D. Received: x.shape={shape}."
BAD_LAST_AXIS = "The last axis of `x` must have size 2 (real, imaginary). Received: x.shape={shape}."
BAD_FFT_LENGTH = "`fft_length` must be a positive int or None. Received: fft_length={fft_length}."


def _float_dtype(*dtypes) -> str:
    return _dtypes.float_result(*dtypes)


def _pair_shape(x, name: str, min_rank: int = 1) -> tuple:
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(NOT_A_PAIR.format(received=f"x={x!r:.200}"))
    real_shape, imag_shape = shape_of(x[0]), shape_of(x[1])
    if real_shape != imag_shape or len(real_shape) < 1:
        raise ValueError(NOT_A_PAIR.format(received=f"shapes {real_shape} and {imag_shape}"))
    if len(real_shape) < min_rank:
        raise ValueError(NEEDS_TWO_AXES.format(name=name, shape=real_shape))
    if real_shape[-1] is None:
        raise ValueError(NEEDS_LAST_AXIS.format(shape=real_shape))
    return tuple(real_shape)


def _complex_of(x):
    """A native complex tensor from `(real, imag)`, and the float dtype the results are given in."""
    dtype = _float_dtype(dtype_of(x[0]), dtype_of(x[1]))
    compute = "float64" if dtype == "float64" else "float32"
    return _np.make_complex(tensor(x[0], compute), tensor(x[1], compute)), dtype


def _parts(z, dtype: str) -> tuple:
    return tensor(_np.real(z), dtype), tensor(_np.imag(z), dtype)


def _pair_spec(x, name: str, min_rank: int):
    shape = _pair_shape(x, name, min_rank)
    dtype = _float_dtype(dtype_of(x[0]), dtype_of(x[1]))
    return KerasTensor(shape, dtype), KerasTensor(shape, dtype)


def _fft_spec(x):
    return _pair_spec(x, "fft", 1)


def _fft2_spec(x):
    return _pair_spec(x, "fft2", 2)


def _ifft2_spec(x):
    return _pair_spec(x, "ifft2", 2)


@op(_fft_spec)
def fft(x: tuple[TensorLike, TensorLike]) -> tuple[Tensor, Tensor]:
    """Discrete Fourier transform over the last axis of a complex signal given as `(real, imag)`.

    Args:
        x: a tuple `(real, imag)` of float tensors of one shape (at least 1-D, last axis of known size).

    Returns:
        A tuple `(real, imag)` of the transform, each of the input shape and float dtype.

    Example:
        >>> from kerasx import ops
        >>> real, imag = ops.fft(([1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 0.0, 0.0]))
        >>> ops.convert_to_numpy(real), ops.convert_to_numpy(imag)
        (array([10., -2., -2., -2.], dtype=float32), array([ 0.,  2.,  0., -2.], dtype=float32))
    """
    _pair_shape(x, "fft")
    z, dtype = _complex_of(x)
    return _parts(_math.fft(z, num_axes=1), dtype)


@op(_fft2_spec)
def fft2(x: tuple[TensorLike, TensorLike]) -> tuple[Tensor, Tensor]:
    """Discrete Fourier transform over the last two axes of a complex signal given as `(real, imag)`.

    Args:
        x: a tuple `(real, imag)` of float tensors of one shape (at least 2-D, last axis of known size).

    Returns:
        A tuple `(real, imag)` of the transform, each of the input shape and float dtype.

    Example:
        >>> from kerasx import ops
        >>> real, imag = ops.fft2(([[1.0, 2.0], [3.0, 4.0]], [[0.0, 0.0], [0.0, 0.0]]))
        >>> ops.convert_to_numpy(real)
        array([[10., -2.],
               [-4.,  0.]], dtype=float32)
    """
    _pair_shape(x, "fft2", 2)
    z, dtype = _complex_of(x)
    return _parts(_math.fft(z, num_axes=2), dtype)


@op(_ifft2_spec)
def ifft2(x: tuple[TensorLike, TensorLike]) -> tuple[Tensor, Tensor]:
    """Inverse discrete Fourier transform over the last two axes (scaled by `1 / (m * n)`), of `(real, imag)`.

    Args:
        x: a tuple `(real, imag)` of float tensors of one shape (at least 2-D, last axis of known size).

    Returns:
        A tuple `(real, imag)` of the inverse transform, each of the input shape and float dtype.

    Example:
        >>> from kerasx import ops
        >>> real, imag = ops.ifft2(([[10.0, -2.0], [-4.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]]))
        >>> ops.convert_to_numpy(real)
        array([[1., 2.],
               [3., 4.]], dtype=float32)
    """
    _pair_shape(x, "ifft2", 2)
    z, dtype = _complex_of(x)
    return _parts(_math.ifft(z, num_axes=2), dtype)


def _check_fft_length(fft_length):
    if fft_length is not None and (not isinstance(fft_length, int) or fft_length < 1):
        raise ValueError(BAD_FFT_LENGTH.format(fft_length=fft_length))


def _rfft_spec(x, fft_length=None):
    _check_fft_length(fft_length)
    shape = tuple(shape_of(x))
    if not shape:
        raise ValueError(NEEDS_RANK_1.format(shape=shape))
    length = fft_length if fft_length is not None else shape[-1]
    out = shape[:-1] + (None if length is None else length // 2 + 1,)
    dtype = _float_dtype(dtype_of(x))
    return KerasTensor(out, dtype), KerasTensor(out, dtype)


@op(_rfft_spec)
def rfft(x: TensorLike, fft_length: int | None = None) -> tuple[Tensor, Tensor]:
    """Fourier transform of a real signal over its last axis, keeping the `fft_length // 2 + 1` non-negative
    frequencies (the others are their complex conjugates).

    Args:
        x: real input tensor, at least 1-D; integers and bools give floatx.
        fft_length: length of the transform: the last axis is cropped or zero-padded to it (default: its size).

    Returns:
        A tuple `(real, imag)`, each of shape `x.shape[:-1] + (fft_length // 2 + 1,)` and the float dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> real, imag = ops.rfft([1.0, 2.0, 3.0, 4.0])
        >>> ops.convert_to_numpy(real), ops.convert_to_numpy(imag)
        (array([10., -2., -2.], dtype=float32), array([0., 2., 0.], dtype=float32))
    """
    spec = _rfft_spec(x, fft_length)
    dtype = spec[0].dtype
    x = tensor(x, "float64" if dtype == "float64" else "float32")
    length = fft_length if fft_length is not None else shape_of(x)[-1]
    return _parts(_math.rfft(x, length), dtype)


def _irfft_spec(x, fft_length=None):
    _check_fft_length(fft_length)
    shape = _pair_shape(x, "irfft")
    length = fft_length if fft_length is not None else 2 * (shape[-1] - 1)
    return KerasTensor(shape[:-1] + (length,), _float_dtype(dtype_of(x[0]), dtype_of(x[1])))


@op(_irfft_spec)
def irfft(x: tuple[TensorLike, TensorLike], fft_length: int | None = None) -> Tensor:
    """Inverse of `rfft`: the real signal whose non-negative frequencies are `x = (real, imag)`.

    Args:
        x: a tuple `(real, imag)` of float tensors of one shape, the frequencies along the last axis.
        fft_length: length of the output signal (default `2 * (x[0].shape[-1] - 1)`); the frequencies are cropped
            or zero-padded to `fft_length // 2 + 1`.

    Returns:
        A real tensor of shape `x[0].shape[:-1] + (fft_length,)`, in the float dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.irfft(([10.0, -2.0, -2.0], [0.0, 2.0, 0.0])))
        array([1., 2., 3., 4.], dtype=float32)
    """
    spec = _irfft_spec(x, fft_length)
    z, dtype = _complex_of(x)
    return tensor(_math.irfft(z, spec.shape[-1]), dtype)


def _view_as_complex_spec(x) -> KerasTensor:
    shape = tuple(shape_of(x))
    if not shape or shape[-1] != 2:
        raise ValueError(BAD_LAST_AXIS.format(shape=shape))
    return KerasTensor(shape[:-1], "complex64")


@op(_view_as_complex_spec)
def view_as_complex(x: TensorLike) -> Tensor:
    """Complex tensor from a real one whose last axis (of size 2) holds the real and imaginary parts.

    Args:
        x: real tensor of shape `(..., 2)`.

    Returns:
        A complex64 tensor of shape `x.shape[:-1]` (complex64 whatever the float dtype, as in Keras 3).

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.view_as_complex([[1.0, 2.0], [3.0, 4.0]]))
        array([1.+2.j, 3.+4.j], dtype=complex64)
    """
    _view_as_complex_spec(x)
    x = tensor(x, "float32")
    last = len(shape_of(x)) - 1
    return _np.make_complex(_np.take(x, tensor(0, "int32"), axis=last), _np.take(x, tensor(1, "int32"), axis=last))


def _view_as_real_spec(x) -> KerasTensor:
    return KerasTensor(tuple(shape_of(x)) + (2,), _dtypes.real_part_dtype(_float_dtype(dtype_of(x))))


@op(_view_as_real_spec)
def view_as_real(x: TensorLike) -> Tensor:
    """Real tensor whose new last axis (of size 2) holds the real and imaginary parts of complex `x`.

    Args:
        x: complex tensor (a real one has zero imaginary parts).

    Returns:
        A tensor of shape `x.shape + (2,)`: float32 for complex64, float64 for complex128.

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.view_as_real(np.array([1 + 2j, 3 + 4j], "complex64")))
        array([[1., 2.],
               [3., 4.]], dtype=float32)
    """
    spec = _view_as_real_spec(x)
    x = tensor(x)
    if _dtypes.is_complex(dtype_of(x)):
        return _np.stack([_np.real(x), _np.imag(x)], axis=len(shape_of(x)))
    x = tensor(x, spec.dtype)
    return _np.stack([x, _np.zeros_like(x)], axis=len(shape_of(x)))


__all__ = ["fft", "fft2", "ifft2", "irfft", "rfft", "view_as_complex", "view_as_real"]
