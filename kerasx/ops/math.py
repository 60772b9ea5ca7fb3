"""Public math ops (Keras 3's `keras.src.ops.math`, exported at `keras.ops`): special functions, segment
reductions, Fourier transforms and spectrograms, distances and log-determinants.

Each concept lives in a private module that lists its ops in `__all__`; this face re-exports every one of them by
name, and `kerasx.ops` re-exports this face. `tests/test_ops_surface.py` checks that the lists agree.
"""

from __future__ import annotations

from kerasx.ops import _math_distance, _math_fft, _math_segment, _math_special, _math_spectral
from kerasx.ops._linalg_det import logdet
from kerasx.ops._math_distance import cdist
from kerasx.ops._math_fft import fft, fft2, ifft2, irfft, rfft, view_as_complex, view_as_real
from kerasx.ops._math_segment import in_top_k, segment_max, segment_min, segment_prod, segment_sum
from kerasx.ops._math_special import erf, erfc, erfinv, logsumexp, rsqrt
from kerasx.ops._math_spectral import extract_sequences, istft, stft

# `_linalg_det` also holds `slogdet`, which Keras 3 puts in keras.ops.numpy: this face takes `logdet` by name.
__all__ = sorted(
    _math_distance.__all__
    + _math_fft.__all__
    + _math_segment.__all__
    + _math_special.__all__
    + _math_spectral.__all__
    + ["logdet"]
)
