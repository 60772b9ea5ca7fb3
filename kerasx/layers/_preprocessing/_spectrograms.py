"""Audio front ends: `STFTSpectrogram` (a short-time Fourier transform as a trainable 1-D convolution, as Keras 3
builds it) and `MelSpectrogram` (power spectrogram on the mel scale, in decibels)."""

from __future__ import annotations

import math
import warnings
from typing import Literal

from kerasx import initializers, ops
from kerasx.backend import epsilon, standardize_data_format
from kerasx.layers._input_spec import InputSpec
from kerasx.layers._layer import Layer
from kerasx.layers._preprocessing import _graph_host
from kerasx.serialization import _registry

STFT_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")
BAD_FRAME_STEP = (
    "STFTSpectrogram needs 1 <= frame_step <= frame_length. Received: frame_step={step!r}, "
    "frame_length={length!r}."
)
SHORT_FFT = "{cls} needs fft_length >= {what}. Received: fft_length={fft!r}, {what}={length!r}."
BAD_MODE = "STFTSpectrogram takes mode in {modes}. Received: mode={mode!r}."
BAD_SCALING = "STFTSpectrogram takes scaling None, 'density' or 'spectrum'. Received: scaling={scaling!r}."
BAD_PADDING = "STFTSpectrogram takes padding 'valid' or 'same'. Received: padding={padding!r}."
FFT_NOT_POWER_OF_TWO = "STFTSpectrogram runs fastest with a power-of-two fft_length. Received: fft_length={fft}."
NOT_FLOAT = (
    "Layer '{name}' ({cls}) takes float16, float32 or float64 signals. Received: inputs of dtype {dtype}. "
    "Cast the audio to float first."
)

# Mel scale of the HTK convention: mel(f) = 1127 * ln(1 + f / 700).
_MEL_BREAK_HERTZ = 700.0
_MEL_HIGH_Q = 1127.0


@_registry.builtin
class STFTSpectrogram(_graph_host.HostInGraphMixin, Layer):
    """Spectrogram of 1-D signals by a short-time Fourier transform, computed as a strided 1-D convolution whose
    kernels (`real_kernel`, `imag_kernel`: windowed Fourier bases, see `kerasx.initializers.STFT`) are trainable.

    Args:
        mode: `"log"` (log magnitude), `"magnitude"`, `"psd"` (power spectral density), `"real"`, `"imag"`,
            `"angle"` (phase) or `"stft"` (real and imaginary parts concatenated over frequencies).
        frame_length: samples per frame (the window length).
        frame_step: samples between frames (default `frame_length // 2`).
        fft_length: FFT size (default the next power of two of `frame_length`); `fft_length // 2 + 1` frequencies.
        window: window name (`"hann"`, `"hamming"`, ...), an array, or None (rectangular).
        periodic: whether the window is periodic (for spectral analysis) rather than symmetric.
        scaling: `"density"`, `"spectrum"` or None: the kernels' normalization.
        padding: `"valid"` or `"same"` (over time).
        expand_dims: when True, channels stay their own axis: `(batch, time, freqs, channels)`.
        data_format: `"channels_last"` (inputs `(batch, samples, channels)`) or `"channels_first"`.
        **kwargs: base Layer arguments (name, dtype, trainable, ...).

    Call arguments:
        inputs: float signals of shape `(batch, samples, channels)` (channels_last).

    Output shape: `(batch, frames, channels * freqs)` (channels_last); see `expand_dims`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.STFTSpectrogram(mode="magnitude", frame_length=8, frame_step=4, window=None)
        >>> tone = np.cos(np.pi * np.arange(32) / 2.0).reshape(1, 32, 1).astype("float32")
        >>> spectrum = kerasx.ops.convert_to_numpy(layer(tone))
        >>> spectrum.shape, int(spectrum[0, 0].argmax())
        ((1, 7, 5), 2)
    """

    def __init__(
        self,
        mode: Literal["log", "magnitude", "psd", "real", "imag", "angle", "stft"] = "log",
        frame_length: int = 256,
        frame_step: int | None = None,
        fft_length: int | None = None,
        window="hann",
        periodic: bool = False,
        scaling: Literal["density", "spectrum"] | None = "density",
        padding: Literal["valid", "same"] = "valid",
        expand_dims: bool = False,
        data_format: str | None = None,
        **kwargs,
    ):
        if frame_step is not None and not 1 <= frame_step <= frame_length:
            raise ValueError(BAD_FRAME_STEP.format(step=frame_step, length=frame_length))
        if fft_length is not None and fft_length < frame_length:
            raise ValueError(
                SHORT_FFT.format(cls="STFTSpectrogram", what="frame_length", fft=fft_length, length=frame_length)
            )
        if fft_length is not None and fft_length & (fft_length - 1):
            warnings.warn(FFT_NOT_POWER_OF_TWO.format(fft=fft_length), stacklevel=2)
        if mode not in STFT_MODES:
            raise ValueError(BAD_MODE.format(modes=STFT_MODES, mode=mode))
        if scaling not in (None, "density", "spectrum"):
            raise ValueError(BAD_SCALING.format(scaling=scaling))
        if padding not in ("valid", "same"):
            raise ValueError(BAD_PADDING.format(padding=padding))
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = frame_length
        self.frame_step = frame_step
        self._frame_step = frame_step or frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
        self.window = window
        self.periodic = periodic
        self.scaling = scaling
        self.padding: Literal["valid", "same"] = padding
        self.expand_dims = expand_dims
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        if self.mode != "imag":
            self.real_kernel = self.add_weight(
                name="real_kernel",
                shape=shape,
                initializer=initializers.STFT("real", self.window, self.scaling, self.periodic),
            )
        if self.mode != "real":
            self.imag_kernel = self.add_weight(
                name="imag_kernel",
                shape=shape,
                initializer=initializers.STFT("imag", self.window, self.scaling, self.periodic),
            )

    def _frames(self, inputs, kernel):
        """`(batch, channels, freqs, frames)`: each channel convolved on its own with the Fourier kernel."""
        channels_last = self.data_format == "channels_last"
        if channels_last:
            num_samples, channels = inputs.shape[1], inputs.shape[2]
            signals = ops.reshape(ops.transpose(inputs, (0, 2, 1)), (-1, num_samples, 1))
        else:
            channels, num_samples = inputs.shape[1], inputs.shape[2]
            signals = ops.reshape(inputs, (-1, 1, num_samples))
        outputs = ops.conv(
            signals, ops.cast(kernel, ops.dtype(inputs)), strides=self._frame_step, padding=self.padding,
            data_format="channels_last" if channels_last else "channels_first",
        )
        if channels_last:
            outputs = ops.transpose(outputs, (0, 2, 1))
        return ops.reshape(outputs, (-1, channels, outputs.shape[1], outputs.shape[2]))

    def _arranged(self, outputs):
        channels, freqs, frames = outputs.shape[1], outputs.shape[2], outputs.shape[3]
        if self.data_format == "channels_last":
            if self.expand_dims:
                return ops.transpose(outputs, (0, 3, 2, 1))
            return ops.transpose(ops.reshape(outputs, (-1, channels * freqs, frames)), (0, 2, 1))
        if self.expand_dims:
            return ops.transpose(outputs, (0, 1, 3, 2))
        return ops.reshape(outputs, (-1, channels * freqs, frames))

    def call(self, inputs):
        dtype = ops.dtype(inputs)
        if dtype not in ("float16", "float32", "float64"):
            raise TypeError(NOT_FLOAT.format(name=self.name, cls="STFTSpectrogram", dtype=dtype))
        real = self._frames(inputs, self.real_kernel) if self.mode != "imag" else None
        imag = self._frames(inputs, self.imag_kernel) if self.mode != "real" else None
        if real is None:
            return self._arranged(imag)
        if imag is None:
            return self._arranged(real)
        if self.mode == "angle":
            return self._arranged(ops.arctan2(imag, real))
        if self.mode == "stft":
            return self._arranged(ops.concatenate([real, imag], axis=2))
        power = ops.add(ops.square(real), ops.square(imag))
        if self.mode == "psd":
            # One-sided density: the inner frequencies count twice (their negative twins folded in).
            inner = ops.pad(power[:, :, 1:-1, :], [[0, 0], [0, 0], [1, 1], [0, 0]])
            return self._arranged(ops.add(power, inner))
        magnitude = self._arranged(ops.sqrt(ops.maximum(power, epsilon())))
        if self.mode == "magnitude":
            return magnitude
        return ops.log(ops.maximum(magnitude, epsilon()))

    def compute_output_shape(self, input_shape):
        channels_last = self.data_format == "channels_last"
        batch = input_shape[0]
        num_samples, channels = (input_shape[1], input_shape[2]) if channels_last else (input_shape[2], input_shape[1])
        freqs = self._fft_length // 2 + 1
        if self.mode == "stft":
            freqs *= 2
        frames = None
        if num_samples is not None:
            if self.padding == "valid":
                frames = (num_samples - self.frame_length) // self._frame_step + 1
            else:
                frames = (num_samples - 1) // self._frame_step + 1
        if self.expand_dims:
            return (batch, frames, freqs, channels) if channels_last else (batch, channels, frames, freqs)
        features = None if channels is None else freqs * channels
        return (batch, frames, features) if channels_last else (batch, features, frames)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "mode": self.mode,
                "frame_length": self.frame_length,
                "frame_step": self.frame_step,
                "fft_length": self.fft_length,
                "window": self.window,
                "periodic": self.periodic,
                "scaling": self.scaling,
                "padding": self.padding,
                "data_format": self.data_format,
                "expand_dims": self.expand_dims,
            }
        )
        return config


def _hertz_to_mel(hertz):
    return ops.multiply(_MEL_HIGH_Q, ops.log(ops.add(1.0, ops.divide(hertz, _MEL_BREAK_HERTZ))))


def mel_weight_matrix(num_mel_bins: int, num_spectrogram_bins: int, sampling_rate: float, lower_edge_hertz: float,
                      upper_edge_hertz: float, dtype: str = "float32"):
    """`(num_spectrogram_bins, num_mel_bins)` triangular filters (peak 1) mapping linear frequencies on
    `[0, sampling_rate / 2]` to mel bands on `[lower_edge_hertz, upper_edge_hertz]` (HTK mel scale); the zero
    frequency gets no weight."""
    nyquist = ops.divide(ops.cast(sampling_rate, dtype), 2.0)
    zero = ops.convert_to_tensor(0.0, dtype)
    frequencies = ops.linspace(zero, nyquist, num_spectrogram_bins)[1:]
    bins_mel = ops.expand_dims(_hertz_to_mel(frequencies), 1)
    edges = ops.linspace(
        _hertz_to_mel(ops.convert_to_tensor(lower_edge_hertz, dtype)),
        _hertz_to_mel(ops.convert_to_tensor(upper_edge_hertz, dtype)),
        num_mel_bins + 2,
    )
    lower = ops.reshape(edges[:-2], (1, num_mel_bins))
    center = ops.reshape(edges[1:-1], (1, num_mel_bins))
    upper = ops.reshape(edges[2:], (1, num_mel_bins))
    rising = ops.divide(ops.subtract(bins_mel, lower), ops.subtract(center, lower))
    falling = ops.divide(ops.subtract(upper, bins_mel), ops.subtract(upper, center))
    weights = ops.maximum(zero, ops.minimum(rising, falling))
    return ops.pad(weights, [[1, 0], [0, 0]])


@_registry.builtin
class MelSpectrogram(_graph_host.HostInGraphMixin, Layer):
    """Mel spectrogram of 1-D signals: `|STFT|^mag_exp` (centred frames), projected on `num_mel_bins` triangular mel
    filters, in decibels when `power_to_db`.

    Args:
        fft_length: FFT size; `fft_length // 2 + 1` linear frequencies.
        sequence_stride: samples between frames.
        sequence_length: window length (default `fft_length`).
        window: window name (`"hann"`, `"hamming"`) or None.
        sampling_rate: samples per second of the signals.
        num_mel_bins: number of mel bands.
        min_freq, max_freq: frequency range of the mel filters in Hz (`max_freq` defaults to `sampling_rate / 2`).
        power_to_db: whether to convert to decibels: `10 log10(max(x, min_power) / ref_power)`, clipped at `top_db`
            below the largest value of the batch.
        top_db: dynamic range in dB kept below the maximum.
        mag_exp: exponent of the magnitude (2: power).
        min_power: floor of the power before the logarithm.
        ref_power: the power of 0 dB.
        **kwargs: base Layer arguments (name, dtype, ...).

    Call arguments:
        inputs: float signals of shape `(batch, samples)` or `(samples,)`.

    Output shape: `(batch, num_mel_bins, frames)` with `frames = 1 + samples // sequence_stride`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> layer = kerasx.layers.MelSpectrogram(fft_length=64, sequence_stride=32, num_mel_bins=8,
        ...                                      sampling_rate=8000)
        >>> signal = np.sin(2 * np.pi * 1000 * np.arange(256) / 8000).reshape(1, 256).astype("float32")
        >>> tuple(kerasx.ops.convert_to_numpy(layer(signal)).shape)
        (1, 8, 9)
    """

    def __init__(
        self,
        fft_length: int = 2048,
        sequence_stride: int = 512,
        sequence_length: int | None = None,
        window: str | None = "hann",
        sampling_rate: int = 16000,
        num_mel_bins: int = 128,
        min_freq: float = 20.0,
        max_freq: float | None = None,
        power_to_db: bool = True,
        top_db: float = 80.0,
        mag_exp: float = 2.0,
        min_power: float = 1e-10,
        ref_power: float = 1.0,
        **kwargs,
    ):
        sequence_length = sequence_length or fft_length
        if fft_length < sequence_length:
            raise ValueError(
                SHORT_FFT.format(cls="MelSpectrogram", what="sequence_length", fft=fft_length, length=sequence_length)
            )
        super().__init__(**kwargs)
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = num_mel_bins
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power

    def call(self, inputs):
        # The engines' stft runs in float32 or float64 only.
        dtype = self.compute_dtype if self.compute_dtype in ("float32", "float64") else "float32"
        inputs = ops.convert_to_tensor(inputs, dtype=dtype)
        real, imag = ops.stft(
            inputs, self.sequence_length, self.sequence_stride, self.fft_length, window=self.window, center=True
        )
        spectrum = ops.power(ops.sqrt(ops.add(ops.square(real), ops.square(imag))), self.mag_exp)
        matrix = mel_weight_matrix(
            self.num_mel_bins, spectrum.shape[-1], self.sampling_rate, self.min_freq, self.max_freq
        )
        outputs = ops.tensordot(spectrum, matrix, axes=1)
        if self.power_to_db:
            outputs = self._decibels(outputs)
        return ops.cast(ops.swapaxes(outputs, -1, -2), self.compute_dtype)

    def _decibels(self, power):
        decibels = ops.multiply(10.0, ops.log10(ops.maximum(power, self.min_power)))
        reference = ops.abs(ops.convert_to_tensor(self.ref_power))
        decibels = ops.subtract(decibels, ops.multiply(10.0, ops.log10(ops.maximum(reference, self.min_power))))
        # The floor is `top_db` below the largest value of the whole batch, as Keras 3 computes it.
        return ops.maximum(decibels, ops.subtract(ops.max(decibels), self.top_db))

    def compute_output_shape(self, input_shape):
        # Keras 3's symbolic frame count (it can differ by one from the eager `1 + samples // stride`).
        def frames(num_samples):
            return None if num_samples is None else (num_samples + self.sequence_stride + 1) // self.sequence_stride

        if len(input_shape) == 1:
            return (self.num_mel_bins, frames(input_shape[0]))
        return (input_shape[0], self.num_mel_bins, frames(input_shape[1]))

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "fft_length": self.fft_length,
                "sequence_stride": self.sequence_stride,
                "sequence_length": self.sequence_length,
                "window": self.window,
                "sampling_rate": self.sampling_rate,
                "num_mel_bins": self.num_mel_bins,
                "min_freq": self.min_freq,
                "max_freq": self.max_freq,
                "power_to_db": self.power_to_db,
                "top_db": self.top_db,
                "mag_exp": self.mag_exp,
                "min_power": self.min_power,
                "ref_power": self.ref_power,
            }
        )
        return config
