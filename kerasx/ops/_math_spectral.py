"""Framing of signals and the short-time Fourier transform and its inverse (Keras 3's `stft`/`istft` conventions:
a periodic window of `sequence_length` centred in frames of `fft_length`, results as `(real, imag)` pairs).

Frame positions and windows depend only on static sizes, so they are computed once with NumPy; the signal goes
through gathers, the engine's real FFT and one segment sum (the overlap-add), all differentiable.
"""

from __future__ import annotations

import numpy as np

from kerasx.backend import _dtypes, active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._math_fft import _complex_of, _pair_shape
from kerasx.ops._math_segment import segment_sum
from kerasx.ops._np_rearrange import pad as pad_op
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy
_math = active.math

BAD_FRAMING = (
    "`sequence_length` and `sequence_stride` must be positive ints, with `sequence_length` at most the signal length "
    "{length}. Received: sequence_length={sequence_length}, sequence_stride={sequence_stride}."
)
BAD_FFT_LENGTH = (
    "`fft_length` must be an int at least `sequence_length`. Received: fft_length={fft_length}, "
    "sequence_length={sequence_length}."
)
BAD_WINDOW = (
    "`window` must be \"hann\", \"hamming\", None or a 1-D array of `sequence_length` ({sequence_length}) values. "
    "Received: window={window!r:.100}."
)
NEEDS_KNOWN_LENGTH = "The last axis of `x` (the signal) must have a known size. Received: x.shape={shape}."
NEEDS_FRAMES = "`x` must be at least 2-D (frames, frequencies). Received: x[0].shape={shape}."


def _num_frames(length: int, frame: int, stride: int) -> int:
    return 1 + (length - frame) // stride


def _frame_indices(num_frames: int, frame: int, stride: int) -> np.ndarray:
    return (np.arange(num_frames)[:, None] * stride + np.arange(frame)[None, :]).astype("int32")


def _check_framing(length, sequence_length, sequence_stride):
    valid = all(isinstance(v, int) and v > 0 for v in (sequence_length, sequence_stride))
    if not valid or (length is not None and sequence_length > length):
        raise ValueError(BAD_FRAMING.format(length=length, sequence_length=sequence_length,
                                            sequence_stride=sequence_stride))


def _extract_sequences_spec(x, sequence_length, sequence_stride) -> KerasTensor:
    shape = tuple(shape_of(x))
    if not shape:
        raise ValueError(NEEDS_KNOWN_LENGTH.format(shape=shape))
    _check_framing(shape[-1], sequence_length, sequence_stride)
    frames = None if shape[-1] is None else _num_frames(shape[-1], sequence_length, sequence_stride)
    return KerasTensor(shape[:-1] + (frames, sequence_length), dtype_of(x))


def _frames(x, frame: int, stride: int):
    length = shape_of(x)[-1]
    if length is None:
        raise ValueError(NEEDS_KNOWN_LENGTH.format(shape=shape_of(x)))
    indices = _frame_indices(_num_frames(length, frame, stride), frame, stride)
    return _np.take(x, tensor(indices), axis=len(shape_of(x)) - 1)


@op(_extract_sequences_spec)
def extract_sequences(x: TensorLike, sequence_length: int, sequence_stride: int) -> Tensor:
    """Frames of `sequence_length` values taken every `sequence_stride` values along the last axis of `x`.

    Args:
        x: input tensor, at least 1-D; its last axis (of known size) is the signal.
        sequence_length: length of each frame.
        sequence_stride: step between the starts of consecutive frames.

    Returns:
        A tensor of shape `x.shape[:-1] + (num_frames, sequence_length)` in the dtype of `x`, with
        `num_frames = 1 + (x.shape[-1] - sequence_length) // sequence_stride`.

    Example:
        >>> from kerasx import ops
        >>> ops.convert_to_numpy(ops.extract_sequences([1, 2, 3, 4, 5, 6], sequence_length=3, sequence_stride=2))
        array([[1, 2, 3],
               [3, 4, 5]], dtype=int32)
    """
    x = tensor(x)
    _extract_sequences_spec(x, sequence_length, sequence_stride)
    return _frames(x, sequence_length, sequence_stride)


def _window(window, sequence_length: int, fft_length: int) -> np.ndarray | None:
    """The analysis window centred in `fft_length` samples (float64), or None for a rectangular one."""
    if window is None:
        return None
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(BAD_WINDOW.format(sequence_length=sequence_length, window=window))
        # Periodic windows (as scipy.signal.get_window's default, which Keras 3 uses): their shifted copies add up
        # to a constant.
        phase = np.cos(2.0 * np.pi * np.arange(sequence_length) / sequence_length)
        values = 0.5 - 0.5 * phase if window == "hann" else 0.54 - 0.46 * phase
    else:
        values = np.asarray(active.core.convert_to_numpy(tensor(window)), dtype=np.float64)
        if values.shape != (sequence_length,):
            raise ValueError(BAD_WINDOW.format(sequence_length=sequence_length, window=window))
    left = (fft_length - sequence_length) // 2
    return np.pad(values, (left, fft_length - sequence_length - left))


def _check_stft(sequence_length, sequence_stride, fft_length):
    _check_framing(None, sequence_length, sequence_stride)
    if not isinstance(fft_length, int) or fft_length < sequence_length:
        raise ValueError(BAD_FFT_LENGTH.format(fft_length=fft_length, sequence_length=sequence_length))


def _stft_spec(x, sequence_length, sequence_stride, fft_length, window: str | TensorLike | None = "hann", center=True):
    _check_stft(sequence_length, sequence_stride, fft_length)
    shape = tuple(shape_of(x))
    if not shape:
        raise ValueError(NEEDS_KNOWN_LENGTH.format(shape=shape))
    length = shape[-1]
    if length is not None and center:
        length += 2 * (fft_length // 2)
    frames = None if length is None else _num_frames(length, fft_length, sequence_stride)
    dtype = _dtypes.float_result(dtype_of(x))
    out = shape[:-1] + (frames, fft_length // 2 + 1)
    return KerasTensor(out, dtype), KerasTensor(out, dtype)


@op(_stft_spec)
def stft(x: TensorLike, sequence_length: int, sequence_stride: int, fft_length: int,
         window: str | TensorLike | None = "hann", center: bool = True) -> tuple[Tensor, Tensor]:
    """Short-time Fourier transform: the real FFT of windowed frames taken along the last axis of `x`.

    Args:
        x: real signal, at least 1-D; its last axis (of known size) is time. Integers and bools give floatx.
        sequence_length: length of the window (the part of each frame that is used).
        sequence_stride: step between the starts of consecutive frames.
        fft_length: length of each frame and of its FFT, at least `sequence_length`; the window is centred in it.
        window: "hann", "hamming" (periodic windows), None (rectangular) or a 1-D array of `sequence_length`.
        center: pad the signal by `fft_length // 2` on both sides (reflecting it) so that frame `t` is centred on
            sample `t * sequence_stride`.

    Returns:
        A tuple `(real, imag)`, each of shape `x.shape[:-1] + (num_frames, fft_length // 2 + 1)` in the float dtype
        of `x`.

    Example:
        >>> from kerasx import ops
        >>> real, imag = ops.stft([0.0, 1.0, 0.0, -1.0] * 4, sequence_length=4, sequence_stride=4, fft_length=4,
        ...                       window=None, center=False)
        >>> ops.convert_to_numpy(real).shape, ops.convert_to_numpy(imag)[0]
        ((4, 3), array([ 0., -2.,  0.], dtype=float32))
    """
    spec = _stft_spec(x, sequence_length, sequence_stride, fft_length, window, center)
    dtype = spec[0].dtype
    compute = "float64" if dtype == "float64" else "float32"
    x = tensor(x, compute)
    if center:
        ndim = len(shape_of(x))
        pad = fft_length // 2
        x = pad_op(x, ((0, 0),) * (ndim - 1) + ((pad, pad),), mode="reflect")
    frames = _frames(x, fft_length, sequence_stride)
    weights = _window(window, sequence_length, fft_length)
    if weights is not None:
        frames = _np.multiply(frames, tensor(weights, compute))
    z = _math.rfft(frames, fft_length)
    return tensor(_np.real(z), dtype), tensor(_np.imag(z), dtype)


def _istft_length(num_frames, sequence_stride, fft_length, length, center):
    if length is not None:
        return length
    if num_frames is None:
        return None
    size = (num_frames - 1) * sequence_stride + fft_length
    return size - 2 * (fft_length // 2) if center else size


def _istft_spec(
    x, sequence_length, sequence_stride, fft_length, length=None, window: str | TensorLike | None = "hann", center=True
):
    _check_stft(sequence_length, sequence_stride, fft_length)
    shape = _pair_shape(x, "istft")
    if len(shape) < 2:
        raise ValueError(NEEDS_FRAMES.format(shape=shape))
    size = _istft_length(shape[-2], sequence_stride, fft_length, length, center)
    return KerasTensor(shape[:-2] + (size,), _dtypes.float_result(dtype_of(x[0]), dtype_of(x[1])))


@op(_istft_spec)
def istft(x: tuple[TensorLike, TensorLike], sequence_length: int, sequence_stride: int, fft_length: int,
          length: int | None = None, window: str | TensorLike | None = "hann", center: bool = True) -> Tensor:
    """Inverse short-time Fourier transform: the signal whose `stft` (with the same arguments) is `x`.

    Each frame's inverse real FFT is windowed and overlap-added, then divided by the overlap-added squared window
    (where that is not tiny), which undoes `stft` wherever the frames cover the signal.

    Args:
        x: a tuple `(real, imag)` of float tensors of shape `(..., num_frames, fft_length // 2 + 1)`.
        sequence_length: length of the window, as given to `stft`.
        sequence_stride: step between frames, as given to `stft`.
        fft_length: frame and FFT length, as given to `stft`.
        length: length of the output signal; None gives every sample the frames cover (less the `center`
            padding).
        window: the window given to `stft`: "hann", "hamming", None or a 1-D array of `sequence_length` values.
        center: whether `stft` padded the signal (the padding is cut off again).

    Returns:
        A real tensor of shape `x[0].shape[:-2] + (length,)` in the float dtype of `x`.

    Example:
        >>> from kerasx import ops
        >>> signal = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
        >>> spectrum = ops.stft(signal, sequence_length=4, sequence_stride=2, fft_length=4)
        >>> ops.convert_to_numpy(ops.istft(spectrum, sequence_length=4, sequence_stride=2, fft_length=4)).round(4)
        array([0., 1., 2., 3., 4., 5., 6., 7.], dtype=float32)
    """
    spec = _istft_spec(x, sequence_length, sequence_stride, fft_length, length, window, center)
    z, dtype = _complex_of(x)
    compute = "float64" if dtype == "float64" else "float32"
    frames = _math.irfft(z, fft_length)
    shape = tuple(shape_of(frames))
    num_frames, batch = shape[-2], shape[:-2]
    weights = _window(window, sequence_length, fft_length)
    window_values = np.ones(fft_length) if weights is None else weights
    frames = _np.multiply(frames, tensor(window_values, compute))
    positions = _frame_indices(num_frames, fft_length, sequence_stride).reshape(-1)
    size = (num_frames - 1) * sequence_stride + fft_length
    # Overlap-add: every (frame, sample) value goes to its position in the signal, summed where frames overlap.
    ndim = len(shape)
    rows = _np.reshape(_np.transpose(frames, (ndim - 2, ndim - 1) + tuple(range(ndim - 2))), (-1,) + batch)
    signal = segment_sum(rows, tensor(positions), num_segments=size)
    signal = _np.transpose(signal, tuple(range(1, ndim - 1)) + (0,))
    norm = np.zeros(size)
    np.add.at(norm, positions, np.tile(window_values**2, num_frames))
    scale = np.where(norm > 1e-10, norm, 1.0)
    if weights is None:
        # Keras 3 divides a rectangular window's result by the stride instead of the window sum.
        scale = scale * sequence_stride / fft_length
    signal = _np.divide(signal, tensor(scale, compute))
    start = fft_length // 2 if center else 0
    stop = size - (fft_length // 2 if center else 0) if length is None else start + length
    return tensor(signal[..., start:stop], spec.dtype)


__all__ = ["extract_sequences", "istft", "stft"]
