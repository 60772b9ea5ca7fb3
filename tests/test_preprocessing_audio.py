"""STFTSpectrogram and MelSpectrogram against Keras 3 on the selected backend: outputs (1e-5), weights, configs,
symbolic shapes, gradients of the STFT kernels and `.keras` files both ways."""

from __future__ import annotations

import numpy as np
import pytest

import kerasx
import support
from keras_layer_oracle import check_layer_against_keras

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)
SIGNALS = RNG.normal(size=(2, 96, 2)).astype("float32")
MONO = RNG.normal(size=(2, 1000)).astype("float32")


@pytest.mark.parametrize(
    "init_kwargs, gradients",
    [
        # The linear mode for the gradient and finite-difference check (log and magnitude curve too much for it).
        ({"mode": "stft", "frame_length": 16, "frame_step": 8}, True),
        ({"frame_length": 16, "frame_step": 8}, False),
        ({"mode": "psd", "frame_length": 16, "frame_step": 4, "fft_length": 32, "padding": "same"}, False),
        ({"mode": "stft", "frame_length": 8, "expand_dims": True, "window": "hamming", "periodic": True}, False),
        pytest.param(
            {"mode": "angle", "frame_length": 8, "scaling": "spectrum", "data_format": "channels_first"}, False,
            marks=pytest.mark.skipif(
                support.BACKEND == "tensorflow", reason="Keras 3's channels_first conv fails on TensorFlow's CPU"
            ),
        ),
        ({"mode": "imag", "frame_length": 12, "window": None}, False),
    ],
)
def test_stft_spectrogram_matches_keras(init_kwargs, gradients, tmp_path):
    inputs = np.transpose(SIGNALS, (0, 2, 1)) if init_kwargs.get("data_format") == "channels_first" else SIGNALS
    check_layer_against_keras(
        "STFTSpectrogram", init_kwargs, inputs, tmp_path=tmp_path if gradients else None, gradients=gradients,
        rtol=1e-5, atol=1e-4,
    )


def test_stft_spectrogram_default_kernels_equal_keras():
    ours = kerasx.layers.STFTSpectrogram(mode="magnitude", frame_length=16)
    theirs = keras.layers.STFTSpectrogram(mode="magnitude", frame_length=16)
    support.assert_close(ours(SIGNALS), np.asarray(keras.ops.convert_to_numpy(theirs(SIGNALS))), rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize(
    "init_kwargs",
    [
        {"fft_length": 256, "sequence_stride": 128, "num_mel_bins": 16, "sampling_rate": 8000},
        {"fft_length": 128, "sequence_stride": 100, "sequence_length": 100, "power_to_db": False, "window": "hamming",
         "num_mel_bins": 20, "min_freq": 100.0, "max_freq": 3000.0, "mag_exp": 1.0},
        {"fft_length": 64, "sequence_stride": 40, "num_mel_bins": 8, "top_db": 20.0, "ref_power": 2.0},
    ],
)
def test_mel_spectrogram_matches_keras(init_kwargs, tmp_path):
    check_layer_against_keras("MelSpectrogram", init_kwargs, MONO, tmp_path=tmp_path, gradients=False, rtol=1e-5,
                              atol=1e-4)


def test_spectrogram_errors():
    with pytest.raises(ValueError, match="frame_step"):
        kerasx.layers.STFTSpectrogram(frame_length=8, frame_step=9)
    with pytest.raises(ValueError, match="fft_length >= frame_length"):
        kerasx.layers.STFTSpectrogram(frame_length=8, fft_length=4)
    with pytest.raises(ValueError, match="mode"):
        kerasx.layers.STFTSpectrogram(mode="power")
    with pytest.raises(TypeError, match="float16, float32 or float64"):
        kerasx.layers.STFTSpectrogram(frame_length=8)(SIGNALS.astype("int32"))
    with pytest.raises(ValueError, match="fft_length >= sequence_length"):
        kerasx.layers.MelSpectrogram(fft_length=64, sequence_length=128)
