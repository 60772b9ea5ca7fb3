"""kerasx.random: bit-identical to a NumPy computation from the same Threefry bits, on every backend.

The references below are computed in this process with NumPy from `kerasx.backend.numpy.random` bits, following the
documented transforms, so a pass on each backend means every backend gives the same bits.
"""

import importlib
import math

import numpy as np
import pytest
import scipy.special

import support
from kerasx import backend, ops
from kerasx import random as kr
from kerasx.backend import _threefry
from kerasx.backend.numpy import core as np_core
from kerasx.backend.numpy import random as np_random
from kerasx.random._erfinv import erfinv

BACKEND = backend.backend()
_COMPILERS = {"jax": ("jax", "jit"), "tensorflow": ("tensorflow", "function")}


def key_of(seed):
    return np.array(_threefry.seed_to_key(seed), np.uint32)


def bits(shape, seed, num_bits):
    """The top `num_bits` of the Threefry bits of `seed`, computed with NumPy."""
    return (np_random.random_bits(shape, key_of(seed)) >> np.uint32(32 - num_bits)).astype(np.int64)


def assert_bit_identical(actual, expected, dtype):
    actual = support.to_numpy(actual)
    assert str(actual.dtype) == str(np_core.native_dtype(dtype)), f"dtype {actual.dtype} != {dtype}"
    expected = np.asarray(expected).astype(np_core.native_dtype(dtype))
    assert actual.shape == expected.shape
    support.record_comparison(actual, expected)
    assert (
        actual.tobytes() == expected.tobytes()
    ), f"not bit-identical; max diff {np.max(np.abs(actual.astype(float) - expected.astype(float)))}"


# The bits -----------------------------------------------------------------------------------------------------------


def test_threefry_known_answers():
    # Random123's known-answer vectors for Threefry-2x32 with 20 rounds.
    vectors = [
        ((0, 0), (0, 0), (0x6B200159, 0x99BA4EFE)),
        ((0xFFFFFFFF, 0xFFFFFFFF), (0xFFFFFFFF, 0xFFFFFFFF), (0x1CB996FC, 0xBB002BE7)),
        ((0x13198A2E, 0x03707344), (0x243F6A88, 0x85A308D3), (0xC4923A9C, 0x483DF7A0)),
    ]
    for key, counter, expected in vectors:
        words = [np.array([w], np.uint32) for w in key + counter]
        out = _threefry.threefry2x32(np_random.WORDS, *words)
        assert [int(w[0]) for w in out] == list(expected)
    # The selected engine: counter pair (0, 0) is the first two words of random_bits.
    first = support.to_numpy(backend.active.random.random_bits((2,), np.zeros(2, np.uint32)))
    assert first.tolist() == [0x6B200159, 0x99BA4EFE]


@pytest.mark.parametrize("shape, seed", [((7,), 0), ((3, 5, 2), 2**40 + 17), ((0,), 3), ((1001,), 123)])
def test_random_bits_match_numpy(shape, seed):
    out = backend.active.random.random_bits(shape, key_of(seed))
    assert_bit_identical(out, np_random.random_bits(shape, key_of(seed)), "uint32")
    top = backend.active.random.uniform_bits(shape, key_of(seed), 24)
    assert_bit_identical(top, bits(shape, seed, 24), "int32")


# Bit-identical draws ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dtype, minval, maxval",
    [
        pytest.param("float32", 0.0, 1.0, id="uniform-unit"),
        pytest.param("float32", -3.0, 0.7, id="uniform-range"),
        pytest.param("float16", -1.0, 2.0, id="uniform-float16"),
        pytest.param("bfloat16", 0.0, 1.0, id="uniform-bfloat16"),
        pytest.param("float64", 2.0, 5.0, id="uniform-float64"),
    ],
)
def test_uniform_bit_identical(dtype, minval, maxval):
    num_bits = {"float16": 11, "bfloat16": 8, "float32": 24, "float64": 31}[dtype]
    compute = np.float64 if dtype == "float64" else np.float32
    unit = bits((4, 50), 11, num_bits).astype(compute) * compute(2.0**-num_bits)
    expected = unit * compute(maxval - minval) + compute(minval)
    out = kr.uniform((4, 50), minval, maxval, dtype=dtype, seed=11)
    assert_bit_identical(out, expected, dtype)
    assert np.all(support.to_numpy(out).astype(float) >= minval)


def gaussian_reference(shape, seed, dtype, scale=1.0, mean=0.0, stddev=1.0):
    num_bits = 31 if dtype == "float64" else 23
    x = (2.0 * bits(shape, seed, num_bits) + (1 - 2**num_bits)) * 2.0**-num_bits
    return mean + stddev * (math.sqrt(2.0) * erfinv(x * scale, np))


@pytest.mark.parametrize(
    "dtype, mean, stddev",
    [
        pytest.param("float32", 0.0, 1.0, id="normal-standard"),
        pytest.param("float32", 3.0, 0.5, id="normal-scaled"),
        pytest.param("float16", -1.0, 2.0, id="normal-float16"),
        pytest.param("float64", 0.0, 1.0, id="normal-float64"),
    ],
)
def test_normal_bit_identical(dtype, mean, stddev):
    out = kr.normal((3, 40), mean, stddev, dtype=dtype, seed=42)
    assert_bit_identical(out, gaussian_reference((3, 40), 42, dtype, 1.0, mean, stddev), dtype)


@pytest.mark.parametrize(
    "dtype", ["float32", "bfloat16"], ids=["truncated_normal-float32", "truncated_normal-bfloat16"]
)
def test_truncated_normal_bit_identical(dtype):
    out = kr.truncated_normal((200,), 1.0, 2.0, dtype=dtype, seed=5)
    assert_bit_identical(out, gaussian_reference((200,), 5, dtype, math.erf(math.sqrt(2.0)), 1.0, 2.0), dtype)


def test_normal_tensor_mean_and_stddev():
    mean = np.array([0.0, 10.0, -5.0], "float32")
    out = kr.normal((2, 3), ops.convert_to_tensor(mean), ops.convert_to_tensor(np.float32(0.5)), seed=8)
    assert_bit_identical(out, gaussian_reference((2, 3), 8, "float32", 1.0, mean.astype(float), 0.5), "float32")


def test_randint_bit_identical():
    out = kr.randint((10, 10), -5, 12, seed=3)
    assert_bit_identical(out, -5 + bits((10, 10), 3, 31) % 17, "int32")
    support.assert_dtype(kr.randint((3,), 0, 2, dtype="uint8", seed=1), "uint8")


def test_categorical_bit_identical():
    logits = np.log(np.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]]))
    out = kr.categorical(logits, 30, seed=6)
    x = (2.0 * bits((2, 30, 3), 6, 23) + (1 - 2**23)) * 2.0**-23
    expected = np.argmax(logits[:, None, :] - np.log(-np.log((x + 1.0) * 0.5)), axis=-1)
    assert_bit_identical(out, expected, "int32")


@pytest.mark.parametrize(
    "shape, noise_shape, rate, dtype",
    [
        pytest.param((4, 25), None, 0.3, "float32", id="dropout-elementwise"),
        pytest.param((2, 5, 6), (2, 1, 6), 0.5, "float32", id="dropout-noise-shape"),
        pytest.param((2, 5, 6), (None, 1, None), 0.25, "float16", id="dropout-noise-shape-none"),
        pytest.param((3, 4), None, 0.0, "float32", id="dropout-rate-zero"),
    ],
)
def test_dropout_bit_identical(shape, noise_shape, rate, dtype):
    x = support.random_array(shape, dtype)
    mask_shape = tuple(s if n is None else n for n, s in zip(noise_shape or shape, shape))
    keep = bits(mask_shape, 9, 24) >= round(rate * 2**24)
    native = np_core.native_dtype(dtype)
    expected = np.where(keep, x * native.type(1.0 / (1.0 - rate)), native.type(0))
    assert_bit_identical(kr.dropout(x, rate, noise_shape=noise_shape, seed=9), expected, dtype)


@pytest.mark.parametrize("axis", [0, 1], ids=["shuffle-axis0", "shuffle-axis1"])
def test_shuffle_bit_identical(axis):
    x = np.arange(60, dtype="int32").reshape(6, 10)
    permutation = np.argsort(bits((x.shape[axis],), 4, 31), kind="stable")
    out = kr.shuffle(x, axis=axis, seed=4)
    assert_bit_identical(out, np.take(x, permutation, axis=axis), "int32")


# Statistics ---------------------------------------------------------------------------------------------------------


def test_erfinv_accuracy():
    x = np.linspace(-0.999999, 0.999999, 20001)
    np.testing.assert_allclose(erfinv(x, np), scipy.special.erfinv(x), rtol=2e-6, atol=1e-7)


def test_distribution_statistics():
    normal = support.to_numpy(kr.normal((200_000,), 2.0, 3.0, seed=1)).astype(np.float64)
    assert abs(normal.mean() - 2.0) < 0.03 and abs(normal.std() - 3.0) < 0.03
    assert abs(np.mean(np.abs(normal - 2.0) < 3.0) - 0.6827) < 0.005

    truncated = support.to_numpy(kr.truncated_normal((200_000,), seed=2)).astype(np.float64)
    assert truncated.min() > -2.0 and truncated.max() < 2.0
    assert abs(truncated.std() - 0.87962566) < 0.005 and abs(truncated.mean()) < 0.01

    uniform = support.to_numpy(kr.uniform((200_000,), -1.0, 3.0, seed=3)).astype(np.float64)
    assert uniform.min() >= -1.0 and uniform.max() < 3.0
    assert abs(uniform.mean() - 1.0) < 0.02 and abs(uniform.var() - 16 / 12) < 0.02

    integers = support.to_numpy(kr.randint((100_000,), 3, 10, seed=4))
    assert integers.min() == 3 and integers.max() == 9
    np.testing.assert_allclose(np.bincount(integers - 3) / integers.size, np.full(7, 1 / 7), atol=0.01)


def test_categorical_frequencies():
    probabilities = np.array([[0.1, 0.2, 0.7], [0.6, 0.0, 0.4]])
    with np.errstate(divide="ignore"):
        logits = np.log(probabilities).astype("float32")
    samples = support.to_numpy(kr.categorical(logits, 20_000, seed=7))
    assert samples.shape == (2, 20_000)
    for row, p in zip(samples, probabilities):
        np.testing.assert_allclose(np.bincount(row, minlength=3) / row.size, p, atol=0.015)


def test_dropout_rate_and_scaling():
    x = np.ones((100, 1000), "float32")
    out = support.to_numpy(kr.dropout(x, 0.3, seed=5))
    kept = out != 0
    assert abs(kept.mean() - 0.7) < 0.01
    np.testing.assert_allclose(out[kept], np.float32(1 / 0.7), rtol=1e-6)
    support.assert_dtype(kr.dropout(np.ones((2, 2), "int32"), 0.5, seed=1), "float32")


def test_shuffle_is_a_permutation():
    x = np.arange(1000)
    out = support.to_numpy(kr.shuffle(x, seed=1))
    assert sorted(out.tolist()) == x.tolist() and not np.array_equal(out, x)


# Seeds and generators -----------------------------------------------------------------------------------------------


def test_seed_generator_advances():
    generator = kr.SeedGenerator(42)
    first = support.to_numpy(kr.normal((5,), seed=generator))
    second = support.to_numpy(kr.normal((5,), seed=generator))
    assert not np.array_equal(first, second)
    assert support.to_numpy(generator.state).tolist() == [42, 2]
    # An int seed is the first draw of a generator with that seed.
    np.testing.assert_array_equal(first, support.to_numpy(kr.normal((5,), seed=42)))
    np.testing.assert_array_equal(second, support.to_numpy(kr.normal((5,), seed=np.array([42, 1], np.uint32))))
    np.testing.assert_array_equal(first, support.to_numpy(kr.normal((5,), seed=kr.SeedGenerator(42))))
    assert generator.state.dtype == "uint32" and not generator.state.trainable


def test_same_int_seed_same_draw():
    for fn in (
        lambda s: kr.uniform((8,), seed=s),
        lambda s: kr.normal((8,), seed=s),
        lambda s: kr.randint((8,), 0, 100, seed=s),
    ):
        np.testing.assert_array_equal(support.to_numpy(fn(7)), support.to_numpy(fn(7)))
        assert not np.array_equal(support.to_numpy(fn(7)), support.to_numpy(fn(8)))


def test_seed_generator_key_tensor_seed():
    key = ops.convert_to_tensor(np.array([5, 3], "int32"))
    np.testing.assert_array_equal(
        support.to_numpy(kr.uniform((4,), seed=key)),
        support.to_numpy(kr.uniform((4,), seed=np.array([5, 3], np.uint32))),
    )


def test_set_random_seed_makes_seed_none_reproducible():
    kr.set_random_seed(1234)
    first = support.to_numpy(kr.normal((6,)))
    kr.set_random_seed(1234)
    again = support.to_numpy(kr.normal((6,)))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, support.to_numpy(kr.normal((6,))))


def test_seed_generator_config_round_trip():
    generator = kr.SeedGenerator(9, name="dropout_seed")
    clone = kr.SeedGenerator.from_config(generator.get_config())
    np.testing.assert_array_equal(
        support.to_numpy(kr.uniform((3,), seed=generator)), support.to_numpy(kr.uniform((3,), seed=clone))
    )


def test_state_capture_under_stateless_scope():
    generator = kr.SeedGenerator(3)
    state = ops.convert_to_tensor(np.array([3, 10], np.uint32))
    with backend.StatelessScope([(generator.state, state)]) as scope:
        inside = support.to_numpy(kr.uniform((4,), seed=generator))
    assert support.to_numpy(generator.state).tolist() == [3, 0]  # the variable itself is untouched
    ((variable, new_state),) = scope.assignments()
    assert variable is generator.state and support.to_numpy(new_state).tolist() == [3, 11]
    np.testing.assert_array_equal(inside, support.to_numpy(kr.uniform((4,), seed=np.array([3, 10], np.uint32))))


@pytest.mark.skipif(BACKEND not in _COMPILERS, reason="the engine does not trace Python functions")
def test_traced_generator_in_compiled_step():
    module, name = _COMPILERS[BACKEND]
    compile_fn = getattr(importlib.import_module(module), name)
    generator = kr.SeedGenerator(21)

    def step(state):
        with backend.StatelessScope([(generator.state, state)]) as scope:
            gaussian = kr.normal((64,), seed=generator)
            uniform = kr.uniform((64,), seed=generator)
            dropped = kr.dropout(ops.convert_to_tensor(np.ones(64, "float32")), 0.5, seed=generator)
        return gaussian, uniform, dropped, scope.get_current_value(generator.state)

    gaussian, uniform, dropped, new_state = compile_fn(step)(ops.convert_to_tensor(np.array([21, 0], np.uint32)))
    assert support.to_numpy(new_state).tolist() == [21, 3]
    # Traced: computed on the engine from the same bits, equal to float32 rounding.
    support.assert_close(gaussian, support.to_numpy(kr.normal((64,), seed=21)), rtol=1e-5, atol=1e-6)
    # Exact transforms stay bit-identical when compiled.
    assert_bit_identical(uniform, support.to_numpy(kr.uniform((64,), seed=np.array([21, 1], np.uint32))), "float32")
    assert_bit_identical(
        dropped, support.to_numpy(kr.dropout(np.ones(64, "float32"), 0.5, seed=np.array([21, 2], np.uint32))), "float32"
    )


@pytest.mark.skipif(BACKEND not in _COMPILERS, reason="the engine does not trace Python functions")
def test_traced_truncated_normal_and_categorical():
    module, name = _COMPILERS[BACKEND]
    compile_fn = getattr(importlib.import_module(module), name)
    logits = np.log(np.array([[0.2, 0.3, 0.5]], "float32"))

    def draw(key, logits):
        return kr.truncated_normal((500,), seed=key), kr.categorical(logits, 500, seed=key)

    key = np.array([77, 0], np.uint32)
    truncated, samples = compile_fn(draw)(ops.convert_to_tensor(key), ops.convert_to_tensor(logits))
    support.assert_close(truncated, support.to_numpy(kr.truncated_normal((500,), seed=key)), rtol=1e-5, atol=1e-6)
    host = support.to_numpy(kr.categorical(logits, 500, seed=key))
    assert np.mean(support.to_numpy(samples) == host) > 0.99  # argmax ties within float32 rounding may flip


@pytest.mark.skipif(BACKEND != "tensorflow", reason="only tf.function traces with dimensions unknown until run time")
def test_unknown_dimensions_in_tf_function():
    tf = importlib.import_module("tensorflow")

    @tf.function(input_signature=[tf.TensorSpec((None, 4), tf.float32)])
    def draw(x):
        return kr.dropout(x, 0.5, seed=3), kr.normal(ops.shape(x), seed=3), kr.shuffle(x, seed=3)

    x = support.random_array((6, 4))
    dropped, gaussian, shuffled = draw(x)
    assert_bit_identical(dropped, support.to_numpy(kr.dropout(x, 0.5, seed=3)), "float32")
    support.assert_close(gaussian, support.to_numpy(kr.normal((6, 4), seed=3)), rtol=1e-5, atol=1e-6)
    assert_bit_identical(shuffled, support.to_numpy(kr.shuffle(x, seed=3)), "float32")


def test_binomial_bit_identical():
    counts = np.array([[0, 1, 5, 12]], "int64")
    probabilities = np.array([[0.3], [0.5], [0.9]], "float32")
    shape = (3, 4)
    trials = bits((12,) + shape, 31, 24) < (probabilities * np.float32(2.0**24))
    counted = trials & (np.arange(12).reshape(12, 1, 1) < counts)
    out = kr.binomial(shape, counts, probabilities, seed=31)
    assert_bit_identical(out, counted.sum(axis=0), "float32")
    many = support.to_numpy(kr.binomial((50_000,), 20, 0.25, seed=32)).astype(np.float64)
    assert abs(many.mean() - 5.0) < 0.05 and abs(many.var() - 3.75) < 0.1


@pytest.mark.parametrize("alpha", [0.3, 1.0, 2.5, 9.0])
def test_gamma_moments(alpha):
    samples = support.to_numpy(kr.gamma((100_000,), alpha, seed=41)).astype(np.float64)
    assert samples.min() > 0.0
    # gamma(alpha, 1): mean alpha, variance alpha; the standard error of the mean is sqrt(alpha / n).
    assert abs(samples.mean() - alpha) < 5 * math.sqrt(alpha / samples.size)
    assert abs(samples.var() / alpha - 1.0) < 0.05
    again = kr.gamma((100_000,), alpha, seed=41)
    assert_bit_identical(again, samples.astype("float32"), "float32")


def test_beta_moments_and_range():
    alpha, beta = np.float32(2.0), np.float32(5.0)
    samples = support.to_numpy(kr.beta((100_000,), alpha, beta, seed=43)).astype(np.float64)
    assert samples.min() > 0.0 and samples.max() < 1.0
    mean = alpha / (alpha + beta)
    variance = alpha * beta / ((alpha + beta) ** 2 * (alpha + beta + 1))
    assert abs(samples.mean() - mean) < 0.003 and abs(samples.var() / variance - 1.0) < 0.05


@pytest.mark.skipif(BACKEND not in _COMPILERS, reason="the engine does not trace Python functions")
def test_traced_gamma_matches_host():
    module, name = _COMPILERS[BACKEND]
    compile_fn = getattr(importlib.import_module(module), name)
    alpha = np.array([0.5, 1.0, 3.0, 7.0], "float32")
    key = np.array([5, 0], np.uint32)
    draw = compile_fn(lambda k, a: kr.gamma((256, 4), a, seed=k))
    traced = draw(ops.convert_to_tensor(key), ops.convert_to_tensor(alpha))
    support.assert_close(traced, support.to_numpy(kr.gamma((256, 4), alpha, seed=key)), rtol=1e-4, atol=1e-5)


# Errors -------------------------------------------------------------------------------------------------------------


def test_errors():
    with pytest.raises(ValueError, match="positive shape parameters"):
        kr.gamma((2,), -1.0, seed=1)
    with pytest.raises(ValueError, match="non-negative counts"):
        kr.binomial((2,), -3, 0.5, seed=1)
    with pytest.raises(ValueError, match="Invalid seed"):
        kr.normal((2,), seed="abc")
    with pytest.raises(ValueError, match="Invalid seed"):
        kr.normal((2,), seed=np.zeros(3, np.uint32))
    with pytest.raises(ValueError, match="integer seed"):
        kr.SeedGenerator(1.5)
    with pytest.raises(ValueError, match="draws floating-point numbers"):
        kr.normal((2,), dtype="int32", seed=1)
    with pytest.raises(ValueError, match="Invalid shape"):
        kr.uniform((2, -1), seed=1)
    with pytest.raises(ValueError, match="minval < maxval"):
        kr.randint((2,), 5, 5, seed=1)
    with pytest.raises(ValueError, match="`randint` returns integers"):
        kr.randint((2,), 0, 5, dtype="float32", seed=1)
    with pytest.raises(ValueError, match=r"0 <= rate < 1"):
        kr.dropout(np.ones(3, "float32"), 1.0, seed=1)
    with pytest.raises(ValueError, match="noise_shape must have the rank"):
        kr.dropout(np.ones((2, 3), "float32"), 0.5, noise_shape=(2, 2), seed=1)
    with pytest.raises(ValueError, match=r"logits of shape \(batch_size, num_classes\)"):
        kr.categorical(np.zeros(3, "float32"), 2, seed=1)
    with pytest.raises(ValueError, match="positive int num_samples"):
        kr.categorical(np.zeros((1, 3), "float32"), 0, seed=1)
