"""Initializers: Keras 3 names, fans and configs; seeded ones bit-identical to a NumPy computation of the same seed."""

import math

import numpy as np
import pytest

import support
from kerasx import initializers, ops
from kerasx.random import SeedGenerator
from test_random import assert_bit_identical, bits, gaussian_reference

TRUNCATED_STDDEV = 0.87962566103423978


def uniform_reference(shape, seed, minval, maxval):
    unit = bits(shape, seed, 24).astype(np.float32) * np.float32(2.0**-24)
    return unit * np.float32(maxval - minval) + np.float32(minval)


@pytest.mark.parametrize(
    "shape, fans",
    [((), (1, 1)), ((5,), (5, 5)), ((3, 4), (3, 4)), ((3, 3, 4, 8), (36, 72)), ((2, 5, 6), (10, 12))],
)
def test_compute_fans(shape, fans):
    assert initializers.compute_fans(shape) == fans


def variance_scaling_reference(shape, seed, scale, mode, distribution):
    fan_in, fan_out = initializers.compute_fans(shape)
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    variance = scale / max(1.0, n)
    if distribution == "uniform":
        limit = math.sqrt(3 * variance)
        return uniform_reference(shape, seed, -limit, limit)
    if distribution == "untruncated_normal":
        return gaussian_reference(shape, seed, "float32", stddev=math.sqrt(variance))
    return gaussian_reference(
        shape, seed, "float32", math.erf(math.sqrt(2)), stddev=math.sqrt(variance) / TRUNCATED_STDDEV
    )


PRESETS = [
    ("GlorotUniform", 1.0, "fan_avg", "uniform"),
    ("GlorotNormal", 1.0, "fan_avg", "truncated_normal"),
    ("HeUniform", 2.0, "fan_in", "uniform"),
    ("HeNormal", 2.0, "fan_in", "truncated_normal"),
    ("LecunUniform", 1.0, "fan_in", "uniform"),
    ("LecunNormal", 1.0, "fan_in", "truncated_normal"),
]


@pytest.mark.parametrize("shape", [(5, 7), (3, 3, 4, 8)], ids=["dense", "conv"])
@pytest.mark.parametrize("name, scale, mode, distribution", PRESETS, ids=[p[0] for p in PRESETS])
def test_presets_bit_identical(name, scale, mode, distribution, shape):
    out = getattr(initializers, name)(seed=17)(shape)
    assert_bit_identical(out, variance_scaling_reference(shape, 17, scale, mode, distribution), "float32")


@pytest.mark.parametrize("distribution", ["truncated_normal", "untruncated_normal", "uniform"])
@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "fan_avg"])
def test_variance_scaling_bit_identical(mode, distribution):
    out = initializers.VarianceScaling(0.5, mode, distribution, seed=3)((4, 6))
    assert_bit_identical(out, variance_scaling_reference((4, 6), 3, 0.5, mode, distribution), "float32")


def test_random_normal_uniform_truncated_bit_identical():
    assert_bit_identical(
        initializers.RandomNormal(1.0, 0.5, seed=2)((3, 4)),
        gaussian_reference((3, 4), 2, "float32", 1.0, 1.0, 0.5),
        "float32",
    )
    assert_bit_identical(
        initializers.RandomUniform(-0.2, 0.3, seed=2)((3, 4)), uniform_reference((3, 4), 2, -0.2, 0.3), "float32"
    )
    expected = gaussian_reference((3, 4), 2, "float32", math.erf(math.sqrt(2)), 0.0, 0.05)
    assert_bit_identical(initializers.TruncatedNormal(seed=2)((3, 4)), expected, "float32")
    assert_bit_identical(
        initializers.RandomNormal(seed=2)((3,), dtype="float64"),
        gaussian_reference((3,), 2, "float64", stddev=0.05),
        "float64",
    )


@pytest.mark.parametrize(
    "shape", [(4, 6), (6, 4), (2, 3, 4)], ids=["Orthogonal-wide", "Orthogonal-tall", "Orthogonal-rank3"]
)
def test_orthogonal(shape):
    out = initializers.Orthogonal(gain=2.0, seed=5)(shape)
    rows, cols = math.prod(shape[:-1]), shape[-1]
    normal = gaussian_reference((max(rows, cols), min(rows, cols)), 5, "float32").astype(np.float32)
    q, r = np.linalg.qr(normal.astype(np.float64))
    q = q * np.sign(np.diagonal(r))
    expected = 2.0 * (q.T if rows < cols else q)
    assert_bit_identical(out, expected.reshape(shape), "float32")
    flat = support.to_numpy(out).reshape(rows, cols).astype(np.float64) / 2.0
    gram = flat @ flat.T if rows < cols else flat.T @ flat
    support.assert_close(gram, np.eye(min(rows, cols)), atol=1e-5)


@pytest.mark.parametrize(
    "initializer, dtype, expected",
    [
        pytest.param(initializers.Zeros(), "float32", np.zeros((2, 3)), id="Zeros"),
        pytest.param(initializers.Ones(), "int32", np.ones((2, 3)), id="Ones-int"),
        pytest.param(initializers.Constant(2.5), "float16", np.full((2, 3), 2.5), id="Constant"),
        pytest.param(
            initializers.Constant([1.0, 2.0, 3.0]), "float32", np.tile([1.0, 2.0, 3.0], (2, 1)), id="Constant-broadcast"
        ),
        pytest.param(initializers.Identity(gain=3.0), "float32", 3.0 * np.eye(2, 3), id="Identity"),
    ],
)
def test_deterministic_initializers(initializer, dtype, expected):
    out = initializer((2, 3), dtype=dtype)
    support.assert_dtype(out, dtype)
    support.assert_close(out, expected)
    assert ops.is_tensor(out)


def test_default_dtype_is_floatx():
    support.assert_dtype(initializers.Zeros()((2,)), "float32")
    support.assert_dtype(initializers.GlorotUniform(seed=1)((2, 2)), "float32")


def test_seed_semantics():
    init = initializers.HeNormal(seed=8)
    np.testing.assert_array_equal(support.to_numpy(init((3, 3))), support.to_numpy(init((3, 3))))
    unseeded = initializers.GlorotUniform()
    np.testing.assert_array_equal(support.to_numpy(unseeded((3, 3))), support.to_numpy(unseeded((3, 3))))
    stream = initializers.RandomUniform(seed=SeedGenerator(4))
    assert not np.array_equal(support.to_numpy(stream((3, 3))), support.to_numpy(stream((3, 3))))


def test_statistics():
    weights = support.to_numpy(initializers.GlorotUniform(seed=1)((400, 600))).astype(np.float64)
    limit = math.sqrt(6 / 1000)
    assert -limit <= weights.min() and weights.max() < limit
    assert abs(weights.std() - limit / math.sqrt(3)) < 1e-3
    weights = support.to_numpy(initializers.HeNormal(seed=2)((3, 3, 64, 128))).astype(np.float64)
    assert abs(weights.std() - math.sqrt(2 / (9 * 64))) < 1e-3


@pytest.mark.parametrize(
    "identifier, cls",
    [
        ("glorot_uniform", initializers.GlorotUniform),
        ("GlorotNormal", initializers.GlorotNormal),
        ("he_uniform", initializers.HeUniform),
        ("he_normal", initializers.HeNormal),
        ("lecun_uniform", initializers.LecunUniform),
        ("lecun_normal", initializers.LecunNormal),
        ("zeros", initializers.Zeros),
        ("ones", initializers.Ones),
        ("constant", initializers.Constant),
        ("random_normal", initializers.RandomNormal),
        ("random_uniform", initializers.RandomUniform),
        ("truncated_normal", initializers.TruncatedNormal),
        ("variance_scaling", initializers.VarianceScaling),
        ("orthogonal", initializers.Orthogonal),
        ("identity", initializers.Identity),
        (initializers.HeUniform, initializers.HeUniform),
    ],
)
def test_get(identifier, cls):
    assert type(initializers.get(identifier)) is cls


def test_get_passthrough_and_errors():
    instance = initializers.Constant(1.0)
    assert initializers.get(instance) is instance and initializers.get(None) is None

    def custom(shape, dtype=None):
        return ops.ones(shape, dtype=dtype)

    assert initializers.get(custom) is custom
    with pytest.raises(ValueError, match="Could not interpret initializer identifier: 'glorot'"):
        initializers.get("glorot")
    with pytest.raises(ValueError, match="Could not interpret initializer identifier"):
        initializers.get(3)


@pytest.mark.parametrize(
    "initializer",
    [
        initializers.VarianceScaling(2.0, "fan_out", "untruncated_normal", seed=5),
        initializers.GlorotUniform(seed=6),
        initializers.RandomUniform(-1.0, 2.0, seed=7),
        initializers.TruncatedNormal(0.5, 0.1, seed=8),
        initializers.Orthogonal(gain=0.5, seed=9),
        initializers.Constant(4.0),
        initializers.Identity(2.0),
        initializers.RandomNormal(seed=SeedGenerator(3)),
    ],
    ids=lambda init: type(init).__name__,
)
def test_config_round_trip(initializer):
    config = initializers.serialize(initializer)
    assert config["class_name"] == type(initializer).__name__
    clone = initializers.deserialize(config)
    assert type(clone) is type(initializer) and clone.get_config() == initializer.get_config()
    if not isinstance(getattr(initializer, "seed", None), SeedGenerator):
        np.testing.assert_array_equal(support.to_numpy(clone((3, 3))), support.to_numpy(initializer((3, 3))))


def test_errors():
    with pytest.raises(ValueError, match="Invalid mode for VarianceScaling"):
        initializers.VarianceScaling(mode="fan")
    with pytest.raises(ValueError, match="Invalid distribution for VarianceScaling"):
        initializers.VarianceScaling(distribution="normal")
    with pytest.raises(ValueError, match="positive scale"):
        initializers.VarianceScaling(scale=0)
    with pytest.raises(ValueError, match="Invalid seed for GlorotUniform"):
        initializers.GlorotUniform(seed="x")
    with pytest.raises(ValueError, match="only makes 2D matrices"):
        initializers.Identity()((2, 2, 2))
    with pytest.raises(ValueError, match="rank >= 2"):
        initializers.Orthogonal(seed=1)((4,))
    with pytest.raises(ValueError, match="Invalid shape for Zeros"):
        initializers.Zeros()((2, -1))
    with pytest.raises(ValueError, match="draws floating-point numbers"):
        initializers.RandomNormal(seed=1)((2,), dtype="int32")
