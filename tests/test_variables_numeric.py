"""Variables read as the numbers and arrays they hold, as Keras 3's do (`int(optimizer.iterations)`, `float(v)`,
`np.asarray(v)`, operators with Python numbers both ways, `round`, `repr`), and the engine's own functions take them
(`jnp.sum(v)`, `tf.reduce_sum(v)`, `torch.sum(v)`). Each case runs on a `keras.Variable` and a `kerasx.Variable` of
the same value and is checked against NumPy and against Keras."""

import math
import operator

import numpy as np
import pytest

import kerasx
import support
from kerasx.backend import _variable

keras = pytest.importorskip("keras")
BACKEND = kerasx.backend.backend()


def _variables(lib):
    # Integer and bool variables are not trainable: Keras on torch cannot make them Parameters that need gradients.
    return {
        "s": lib.Variable(np.float32(3.5), name="s"),
        "i": lib.Variable(np.int32(4), dtype="int32", trainable=False, name="i"),
        "b": lib.Variable(True, dtype="bool", trainable=False, name="b"),
        "v": lib.Variable(np.array([1.0, -2.0, 3.0], "float32"), name="v"),
        "w": lib.Variable(np.array([1.0, 5.0, 3.0], "float32"), name="w"),
        "m": lib.Variable(np.arange(6, dtype="float32").reshape(2, 3), name="m"),
        "r": lib.Variable(np.array([0.26, -1.74, 2.5], "float32"), name="r"),
    }


NUMPY = {
    "s": np.float32(3.5),
    "i": np.int32(4),
    "b": np.bool_(True),
    "v": np.array([1.0, -2.0, 3.0], "float32"),
    "w": np.array([1.0, 5.0, 3.0], "float32"),
    "m": np.arange(6, dtype="float32").reshape(2, 3),
    "r": np.array([0.26, -1.74, 2.5], "float32"),
}


def _as_numpy(x):
    if hasattr(x, "detach"):
        x = x.detach().cpu()
    if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
        x = x.numpy()
    return np.asarray(x)


def _dtype_name(x) -> str:
    return kerasx.backend.standardize_dtype(_as_numpy(x).dtype)


PYTHON_CONVERSIONS = {
    "int(s)": lambda v: int(v["s"]),
    "float(s)": lambda v: float(v["s"]),
    "int(i)": lambda v: int(v["i"]),
    "complex(s)": lambda v: complex(v["s"]),
    "math.floor(s)": lambda v: math.floor(v["s"]),
    "math.sqrt(i)": lambda v: math.sqrt(v["i"]),
    "max(s, 1.0)": lambda v: float(max(v["s"], 1.0)),
    "float(sum([s, s]))": lambda v: float(sum([v["s"], v["s"]])),
}


@pytest.mark.parametrize("case", sorted(PYTHON_CONVERSIONS))
def test_python_number_conversions_match_keras(case):
    fn = PYTHON_CONVERSIONS[case]
    actual, expected = fn(_variables(kerasx)), fn(_variables(keras))
    assert type(actual) is type(expected) and actual == expected == fn(NUMPY)


@pytest.mark.skipif(BACKEND == "numpy", reason="the numpy backend does not train")
def test_int_of_optimizer_iterations_counts_steps_as_in_keras():
    x = np.random.default_rng(0).normal(size=(12, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    counts = []
    for lib in (keras, kerasx):
        model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        model.fit(x, y, batch_size=4, epochs=2, verbose=0)
        iterations = model.optimizer.iterations
        counts.append((int(iterations), float(iterations), f"{iterations:d}" if lib is kerasx else f"{int(iterations):d}"))
    assert counts[1] == counts[0] == (6, 6.0, "6")


ARRAY_CONVERSIONS = {
    "np.asarray(s)": lambda v: np.asarray(v["s"]),
    "np.asarray(v)": lambda v: np.asarray(v["v"]),
    "np.asarray(m)": lambda v: np.asarray(v["m"]),
    "np.array(v, float64)": lambda v: np.array(v["v"], dtype="float64"),
    "np.array(i, float)": lambda v: np.array(v["i"], dtype=float),
    "np.sum(m)": lambda v: np.sum(v["m"]),
    "np.add(v, 1)": lambda v: np.add(v["v"], 1),
    "np.float32(2) * s": lambda v: np.float32(2) * v["s"],
    "np.ones(3) + v": lambda v: np.ones(3) + v["v"],
}


@pytest.mark.parametrize("case", sorted(ARRAY_CONVERSIONS))
def test_numpy_conversions_match_numpy_and_keras(case):
    fn = ARRAY_CONVERSIONS[case]
    actual, expected = np.asarray(fn(_variables(kerasx))), np.asarray(fn(NUMPY))
    assert actual.dtype == expected.dtype and actual.shape == expected.shape
    np.testing.assert_array_equal(actual, expected)
    try:
        oracle = np.asarray(fn(_variables(keras)))
    except TypeError:
        # Keras's numpy-backend Variable.__array__ takes no dtype; kerasx follows NumPy's protocol there.
        assert BACKEND == "numpy" and "array(" in case
        return
    np.testing.assert_array_equal(actual, oracle)


OPERATORS = {
    "s + 1": lambda v: v["s"] + 1,
    "1 + s": lambda v: 1 + v["s"],
    "2 * v": lambda v: 2 * v["v"],
    "v * 0.5": lambda v: v["v"] * 0.5,
    "1 / s": lambda v: 1 / v["s"],
    "s - 1": lambda v: v["s"] - 1,
    "10 - v": lambda v: 10 - v["v"],
    "2 ** s": lambda v: 2 ** v["s"],
    "v ** 2": lambda v: v["v"] ** 2,
    "i // 3": lambda v: v["i"] // 3,
    "7 % i": lambda v: 7 % v["i"],
    "i + 1": lambda v: v["i"] + 1,
    "i * 1.5": lambda v: v["i"] * 1.5,
    "-s": lambda v: -v["s"],
    "abs(v)": lambda v: abs(v["v"]),
    "~b": lambda v: ~v["b"],
    "v > 0": lambda v: v["v"] > 0,
    "0 < v": lambda v: 0 < v["v"],
    "s == 3.5": lambda v: v["s"] == 3.5,
    "v == w": lambda v: v["v"] == v["w"],
    "v != w": lambda v: v["v"] != v["w"],
    "v <= w": lambda v: v["v"] <= v["w"],
    "m @ v": lambda v: v["m"] @ v["v"],
    "v[1:]": lambda v: v["v"][1:],
    "m[1, 2]": lambda v: v["m"][1, 2],
    "round(s)": lambda v: round(v["s"]),
    "round(r)": (lambda v: round(v["r"]), lambda a: np.round(a["r"])),
    "round(r, 1)": (lambda v: round(v["r"], 1), lambda a: np.round(a["r"], 1)),
}


@pytest.mark.parametrize("case", sorted(OPERATORS))
def test_operators_match_numpy_and_keras(case):
    fn, reference = OPERATORS[case] if isinstance(OPERATORS[case], tuple) else (OPERATORS[case], OPERATORS[case])
    actual = fn(_variables(kerasx))
    oracle = fn(_variables(keras))
    expected = np.asarray(reference(NUMPY))
    assert kerasx.ops.is_tensor(actual)
    support.assert_close(actual, expected, rtol=1e-6, atol=1e-6)
    if not (case == "i * 1.5" and BACKEND == "jax" and _dtype_name(oracle) == "float64"):
        # (Keras on jax in 64-bit mode leaves int * float to jnp, which gives float64; kerasx keeps Keras's dtype
        # table, float32, as Keras does on every other engine.)
        assert _dtype_name(actual) == _dtype_name(oracle)
    np.testing.assert_allclose(_as_numpy(actual), _as_numpy(oracle), rtol=1e-6, atol=1e-6)


def test_repr_and_str_match_keras():
    ours, theirs = _variables(kerasx), _variables(keras)
    for name in ("s", "i", "v", "m"):
        assert repr(ours[name]) == repr(theirs[name]) and str(ours[name]) == str(theirs[name])
    assert repr(ours["v"]) == "<Variable path=v, shape=(3,), dtype=float32, value=[ 1. -2.  3.]>"


def test_formatting_with_a_spec():
    variables = _variables(kerasx)
    assert f"{variables['s']:.3f}" == "3.500" and f"{variables['i']:4d}" == "   4"
    assert f"{variables['s']:>8.2e}" == "3.50e+00" and f"{variables['s']}" == str(variables["s"])
    with pytest.raises(TypeError):
        f"{variables['v']:.3f}"  # like a NumPy array, a vector has no number format


def test_len_and_iteration_of_vectors():
    variables = _variables(kerasx)
    assert len(variables["v"]) == 3 and len(variables["m"]) == 2
    assert [float(x) for x in variables["v"]] == [1.0, -2.0, 3.0]
    np.testing.assert_array_equal([_as_numpy(row) for row in variables["m"]], NUMPY["m"])
    for name in ("s", "i"):
        with pytest.raises(TypeError, match=rf"Variable '{name}' is a scalar \(shape \(\)\), so it has no length"):
            len(variables[name])
        with pytest.raises(TypeError, match="cannot be iterated"):
            iter(variables[name])


def test_bool_of_one_element_and_refusal_of_vectors():
    variables = _variables(kerasx)
    assert bool(variables["b"]) is True and bool(variables["s"]) is True
    assert bool(kerasx.Variable(np.float32(0.0))) is False
    assert bool(kerasx.Variable(np.ones((1, 1), "float32")))
    with pytest.raises(ValueError, match=r"The truth value of variable 'v' of shape \(3,\) is ambiguous"):
        bool(variables["v"])
    assert "kerasx.ops.any" in _variable.AMBIGUOUS_TRUTH


@pytest.mark.parametrize("lib", [keras, kerasx], ids=["keras", "kerasx"])
def test_non_scalar_to_python_number_is_a_type_error(lib):
    variables = _variables(lib)
    for convert in (int, float):
        with pytest.raises(TypeError):
            convert(variables["v"])


def test_non_scalar_message_says_how_to_fix_it():
    with pytest.raises(TypeError, match=r"Received: variable 'v' with shape=\(3,\)\. Convert one element"):
        int(_variables(kerasx)["v"])


@pytest.mark.parametrize("lib", [keras, kerasx], ids=["keras", "kerasx"])
def test_integer_variables_are_not_indices_as_in_keras(lib):
    # No `__index__`: an integer variable is a tensor, not a Python int (`range(int(v))` is the spelling).
    counter = _variables(lib)["i"]
    with pytest.raises(TypeError):
        range(counter)
    with pytest.raises(TypeError):
        operator.index(counter)
    assert list(range(int(counter))) == [0, 1, 2, 3]


def _engine_cases():
    if BACKEND == "jax":
        import jax
        import jax.numpy as jnp

        return {
            "jnp.sum(v)": (lambda v: jnp.sum(v["v"]), lambda a: np.sum(a["v"])),
            "jnp.add(s, 1)": (lambda v: jnp.add(v["s"], 1), lambda a: a["s"] + 1),
            "jnp.stack([v, w])": (lambda v: jnp.stack([v["v"], v["w"]]), lambda a: np.stack([a["v"], a["w"]])),
            "jnp.matmul(m, v)": (lambda v: jnp.matmul(v["m"], v["v"]), lambda a: a["m"] @ a["v"]),
            "jax.jit(f)(v)": (lambda v: jax.jit(lambda x: x * 2)(v["v"]), lambda a: a["v"] * 2),
            "jax.grad(f)(v)": (lambda v: jax.grad(lambda x: jnp.sum(x * x))(v["v"]), lambda a: 2 * a["v"]),
            "jax.nn.relu(v)": (lambda v: jax.nn.relu(v["v"]), lambda a: np.maximum(a["v"], 0)),
            "jnp.asarray(m)": (lambda v: jnp.asarray(v["m"]), lambda a: a["m"]),
        }
    if BACKEND == "tensorflow":
        import tensorflow as tf

        return {
            "tf.reduce_sum(v)": (lambda v: tf.reduce_sum(v["v"]), lambda a: np.sum(a["v"])),
            "tf.add(s, 1.0)": (lambda v: tf.add(v["s"], 1.0), lambda a: a["s"] + 1),
            "tf.stack([v, w])": (lambda v: tf.stack([v["v"], v["w"]]), lambda a: np.stack([a["v"], a["w"]])),
            "tf.linalg.matvec(m, v)": (lambda v: tf.linalg.matvec(v["m"], v["v"]), lambda a: a["m"] @ a["v"]),
            "tf.function(f)(v)": (lambda v: tf.function(lambda x: x * 2)(v["v"]), lambda a: a["v"] * 2),
            "tf.cast(i, float32)": (lambda v: tf.cast(v["i"], tf.float32), lambda a: a["i"].astype("float32")),
            "tf.shape(m)": (lambda v: tf.shape(v["m"]), lambda a: np.array(a["m"].shape, "int32")),
        }
    if BACKEND == "torch":
        import torch

        return {
            "torch.sum(v)": (lambda v: torch.sum(v["v"]), lambda a: np.sum(a["v"])),
            "torch.add(s, 1)": (lambda v: torch.add(v["s"], 1), lambda a: a["s"] + 1),
            "torch.stack([v, w])": (lambda v: torch.stack([v["v"], v["w"]]), lambda a: np.stack([a["v"], a["w"]])),
            "torch.matmul(m, v)": (lambda v: torch.matmul(v["m"], v["v"]), lambda a: a["m"] @ a["v"]),
            "relu(v)": (lambda v: torch.nn.functional.relu(v["v"]), lambda a: np.maximum(a["v"], 0)),
            "tensor + v": (lambda v: torch.ones(3) + v["v"], lambda a: 1 + a["v"]),
            "torch.cat(dim=0)": (lambda v: torch.cat([v["v"], v["w"]], dim=0), lambda a: np.concatenate([a["v"], a["w"]])),
        }
    return {
        "np.sum(v)": (lambda v: np.sum(v["v"]), lambda a: np.sum(a["v"])),
        "np.stack([v, w])": (lambda v: np.stack([v["v"], v["w"]]), lambda a: np.stack([a["v"], a["w"]])),
        "np.matmul(m, v)": (lambda v: np.matmul(v["m"], v["v"]), lambda a: a["m"] @ a["v"]),
    }


@pytest.mark.parametrize("case", sorted(_engine_cases()))
def test_engine_functions_take_variables(case):
    fn, reference = _engine_cases()[case]
    actual = fn(_variables(kerasx))
    support.assert_close(_as_numpy(actual), np.asarray(reference(NUMPY)), rtol=1e-6, atol=1e-6)


def test_gradients_through_torch_functions_of_variables():
    if BACKEND != "torch":
        pytest.skip("torch autograd through torch functions of a Variable")
    import torch

    variable = kerasx.Variable(np.array([1.0, -2.0, 3.0], "float32"))
    torch.sum(torch.square(variable)).backward()
    support.assert_close(variable.value.grad, [2.0, -4.0, 6.0])
