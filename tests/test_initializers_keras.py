"""Initializers against Keras 3 itself (same backend): the snake-case aliases, the fan axes of the variance-scaling
family, the STFT kernels, and configs that go both ways."""

import math

import numpy as np
import pytest

import support
from kerasx import initializers
from test_initializers import variance_scaling_reference
from test_random import assert_bit_identical

keras = pytest.importorskip("keras")

ALIASES = [
    ("constant", "Constant"), ("glorot_normal", "GlorotNormal"), ("glorot_uniform", "GlorotUniform"),
    ("he_normal", "HeNormal"), ("he_uniform", "HeUniform"), ("identity", "Identity"),
    ("IdentityInitializer", "Identity"), ("lecun_normal", "LecunNormal"), ("lecun_uniform", "LecunUniform"),
    ("ones", "Ones"), ("orthogonal", "Orthogonal"), ("OrthogonalInitializer", "Orthogonal"),
    ("random_normal", "RandomNormal"), ("random_uniform", "RandomUniform"), ("stft", "STFT"),
    ("STFTInitializer", "STFT"), ("truncated_normal", "TruncatedNormal"), ("variance_scaling", "VarianceScaling"),
    ("zeros", "Zeros"),
]


@pytest.mark.parametrize("alias, name", ALIASES)
def test_aliases_are_the_classes_as_in_keras(alias, name):
    assert getattr(initializers, alias) is getattr(initializers, name)
    assert getattr(keras.initializers, alias) is getattr(keras.initializers, name)
    assert isinstance(initializers.get(alias), getattr(initializers, name))


@pytest.mark.parametrize("shape, input_axes, output_axes", [((4, 8, 16), [1], [0, 2]), ((6, 5), [0], [1])])
def test_fans_with_axes_match_keras(shape, input_axes, output_axes):
    expected = keras.src.initializers.random_initializers.compute_fans(shape, input_axes, output_axes)
    assert initializers.compute_fans(shape, input_axes, output_axes) == expected
    # Only one side given: the axes are ignored, as in Keras.
    assert initializers.compute_fans(shape, input_axes, None) == initializers.compute_fans(shape)


def test_variance_scaling_with_axes_draws_from_the_axes_fans():
    shape = (4, 8, 16)
    init = initializers.HeUniform(seed=5, input_axes=[1], output_axes=[0, 2])
    values = support.to_numpy(init(shape))
    # fan_in is 8 (axis 1), not 4 * 8 as the default rule for rank 3 would give.
    reference = variance_scaling_reference((8, 64), 5, 2.0, "fan_in", "uniform").reshape(shape)
    assert_bit_identical(values, reference, "float32")
    assert np.abs(values).max() <= math.sqrt(6.0 / 8)


@pytest.mark.parametrize("name", ["GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "LecunNormal",
                                  "LecunUniform", "VarianceScaling"])
def test_configs_with_axes_go_both_ways_with_keras(name):
    ours = getattr(initializers, name)(seed=3, input_axes=[0], output_axes=[1])
    theirs = getattr(keras.initializers, name)(seed=3, input_axes=[0], output_axes=[1])
    assert ours.get_config() == theirs.get_config()
    from_keras = initializers.deserialize(keras.initializers.serialize(theirs))
    assert from_keras.get_config() == theirs.get_config()
    to_keras = keras.initializers.deserialize(initializers.serialize(ours))
    assert to_keras.get_config() == ours.get_config()


@pytest.mark.parametrize("side", ["real", "imag"])
@pytest.mark.parametrize(
    "window, scaling, periodic",
    [("hann", "density", False), ("hamming", "spectrum", True), ("blackman", None, False),
     ("bartlett", "density", True), ("boxcar", "spectrum", False), (None, "density", False)],
)
def test_stft_matches_keras(side, window, scaling, periodic):
    shape = (16, 1, 9)
    ours = initializers.STFT(side, window, scaling, periodic)
    theirs = keras.initializers.STFT(side, window, scaling, periodic)
    support.assert_close(ours(shape), keras.ops.convert_to_numpy(theirs(shape)), atol=1e-5)
    assert ours.get_config() == theirs.get_config()
    assert keras.initializers.deserialize(initializers.serialize(ours)).get_config() == ours.get_config()
    assert initializers.deserialize(keras.initializers.serialize(theirs)).get_config() == ours.get_config()


def test_stft_with_an_array_window_matches_keras():
    window = np.linspace(0.1, 1.0, 8)
    support.assert_close(
        initializers.STFT("imag", window, "spectrum")((8, 1, 5)),
        keras.ops.convert_to_numpy(keras.initializers.STFT("imag", window, "spectrum")((8, 1, 5))),
        atol=1e-5,
    )


def test_stft_errors():
    with pytest.raises(ValueError, match="expected 'real' or 'imag'"):
        initializers.STFT("both")
    with pytest.raises(ValueError, match="Unknown window for STFT"):
        initializers.STFT(window="kaiserish")
    with pytest.raises(ValueError, match="expected None, 'density' or 'spectrum'"):
        initializers.STFT(scaling="l2")
    with pytest.raises(ValueError, match=r"shape \(frame_length, input_channels, num_frequencies\)"):
        initializers.STFT()((4, 4))
    with pytest.raises(ValueError, match=r"one value per frame step: shape \(8,\)"):
        initializers.STFT(window=np.ones(4))((8, 1, 5))
