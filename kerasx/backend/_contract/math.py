"""Contract of `kerasx/backend/<engine>/math.py`: special functions, Fourier transforms, segment reductions and
bit-level views, the engine parts of `kerasx.ops`' math ops (Keras 3's `keras.src.ops.math`).

The public op converts and validates: float functions receive float tensors, the Fourier transforms complex (or,
for `rfft`, float) tensors, segment reductions segment ids already inside `[0, num_segments)`.
"""

from __future__ import annotations

from typing import Any, Protocol

Tensor = Any


class MathContract(Protocol):
    def erf(self, x) -> Tensor:
        """Error function of a float tensor, same dtype."""

    def erfc(self, x) -> Tensor:
        """Complementary error function `1 - erf(x)`, accurate where erf(x) is close to 1."""

    def erfinv(self, x) -> Tensor:
        """Inverse error function on [-1, 1] (+-inf at +-1, NaN outside)."""

    def fft(self, x, num_axes=1) -> Tensor:
        """Discrete Fourier transform of a complex tensor over its last `num_axes` axes (1 or 2), same dtype."""

    def ifft(self, x, num_axes=1) -> Tensor:
        """Inverse of `fft` (scaled by 1/n), over the last `num_axes` axes, same dtype."""

    def rfft(self, x, fft_length) -> Tensor:
        """Fourier transform of a real float tensor over its last axis, cropped or zero-padded to `fft_length`
        (an int): complex64 for float32, complex128 for float64, last axis `fft_length // 2 + 1`."""

    def irfft(self, x, fft_length) -> Tensor:
        """Inverse of `rfft`: real tensor with last axis `fft_length` (an int) from a complex one (float32 for
        complex64, float64 for complex128)."""

    def segment_reduce(self, data, segment_ids, num_segments, reduction) -> Tensor:
        """`reduction` ("sum", "prod", "max" or "min") of the rows of `data` (along axis 0) sharing a segment id.

        `segment_ids` is an int32 vector of `data.shape[0]` ids in `[0, num_segments)`; the result has
        `num_segments` rows. Empty segments hold the reduction's identity: 0, 1, -inf / +inf (the smallest / largest
        integer for integer data)."""

    def view(self, x, dtype) -> Tensor:
        """The bits of `x` read as `dtype` (a name), as NumPy's `ndarray.view`: with a different item size the last
        axis is rescaled (it must be contiguous and divisible)."""
