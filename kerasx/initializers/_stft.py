"""`STFT`: convolution kernels whose outputs are the real or imaginary part of a short-time Fourier transform."""

from __future__ import annotations

import numpy as np

from kerasx.backend import active
from kerasx.initializers._base import Initializer, check_shape, resolve_dtype
from kerasx.serialization import _registry

BAD_SIDE = "Invalid value for argument `side` of STFT: expected 'real' or 'imag'. Received: side={side!r}."
BAD_SCALING = (
    "Invalid value for argument `scaling` of STFT: expected None, 'density' or 'spectrum'. "
    "Received: scaling={scaling!r}."
)
UNKNOWN_WINDOW = (
    "Unknown window for STFT. Received: window={window!r}. Expected None, an array of `frame_length` values, or one "
    "of {known}."
)
BAD_WINDOW_SHAPE = (
    "The window of STFT must hold one value per frame step: shape ({frame_length},). Received: window shape={shape}."
)
BAD_STFT_SHAPE = (
    "STFT makes kernels of shape (frame_length, input_channels, num_frequencies). Received: shape={shape}."
)


def _cosine_sum(coefficients):
    def window(length: int) -> np.ndarray:
        if length == 1:
            return np.ones(1)
        phase = 2.0 * np.pi * np.arange(length) / (length - 1)
        return sum(c * np.cos(k * phase) * (-1) ** k for k, c in enumerate(coefficients))  # pyright: ignore[reportReturnType] - a sum of arrays

    return window


# The symmetric windows of scipy.signal.windows, written out so that kerasx does not need SciPy at run time.
_WINDOWS = {
    "hann": _cosine_sum((0.5, 0.5)),
    "hamming": _cosine_sum((0.54, 0.46)),
    "blackman": _cosine_sum((0.42, 0.5, 0.08)),
    "bartlett": np.bartlett,
    "boxcar": np.ones,
}


def window_values(window: str, length: int, periodic: bool) -> np.ndarray:
    """The named window over `length` samples; a periodic window is the symmetric one of `length + 1` samples
    without its last sample (what a DFT of that length sees)."""
    if window not in _WINDOWS:
        raise ValueError(UNKNOWN_WINDOW.format(window=window, known=sorted(_WINDOWS)))
    if periodic:
        return np.asarray(_WINDOWS[window](length + 1), dtype="float64")[:-1]
    return np.asarray(_WINDOWS[window](length), dtype="float64")


@_registry.builtin
class STFT(Initializer):
    """Kernels of shape `(frame_length, input_channels, num_frequencies)` computing one side of a windowed DFT.

    Frequency `k` of `num_frequencies` (the non-negative half of a DFT of length `2 * (num_frequencies - 1)`) gets
    `cos(-2 pi t k / n)` ("real") or `sin(-2 pi t k / n)` ("imag") at frame step `t`, multiplied by the window and
    divided by its L2 norm ("density") or L1 norm ("spectrum").

    Args:
        side: "real" or "imag".
        window: a window name ("hann", "hamming", "blackman", "bartlett", "boxcar"), an array of `frame_length`
            values, or None (no window, no scaling).
        scaling: "density", "spectrum" or None.
        periodic: whether a named window is periodic (for spectral analysis) rather than symmetric.

    Example:

    >>> from kerasx import initializers, ops
    >>> kernel = initializers.STFT("real", window=None)(shape=(4, 1, 3))
    >>> [round(float(v), 3) for v in ops.convert_to_numpy(kernel)[:, 0, 1]]
    [1.0, 0.0, -1.0, -0.0]
    """

    def __init__(self, side: str = "real", window="hann", scaling: str | None = "density", periodic: bool = False):
        if side not in ("real", "imag"):
            raise ValueError(BAD_SIDE.format(side=side))
        if isinstance(window, str) and window not in _WINDOWS:
            raise ValueError(UNKNOWN_WINDOW.format(window=window, known=sorted(_WINDOWS)))
        if scaling not in (None, "density", "spectrum"):
            raise ValueError(BAD_SCALING.format(scaling=scaling))
        self.side, self.window, self.scaling, self.periodic = side, window, scaling, bool(periodic)

    def __call__(self, shape, dtype=None):
        shape = check_shape("STFT", shape)
        if len(shape) != 3:
            raise ValueError(BAD_STFT_SHAPE.format(shape=shape))
        frame_length, _, num_frequencies = shape
        dft_length = 2 * (num_frequencies - 1)
        angles = -2.0 * np.pi * np.outer(np.arange(frame_length), np.arange(num_frequencies)) / dft_length
        kernel = (np.cos(angles) if self.side == "real" else np.sin(angles))[:, None, :]
        if self.window is not None:
            if isinstance(self.window, str):
                window = window_values(self.window, frame_length, self.periodic)
            else:
                window = np.asarray(self.window, dtype="float64")
            if window.shape != (frame_length,):
                raise ValueError(BAD_WINDOW_SHAPE.format(frame_length=frame_length, shape=window.shape))
            kernel = kernel * window[:, None, None]
            if self.scaling == "density":
                kernel = kernel / np.sqrt(np.sum(window**2))
            elif self.scaling == "spectrum":
                kernel = kernel / np.sum(np.abs(window))
        kernel = np.broadcast_to(kernel, shape)
        return active.core.convert_to_tensor(np.ascontiguousarray(kernel), resolve_dtype(dtype))

    def get_config(self) -> dict:
        window = self.window.tolist() if isinstance(self.window, np.ndarray) else self.window
        return {"side": self.side, "window": window, "periodic": self.periodic, "scaling": self.scaling}
