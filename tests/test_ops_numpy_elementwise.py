"""Elementwise numpy-like ops vs NumPy: values, result dtypes, symbolic shapes, gradients, error messages."""

import numpy as np
import pytest

import support
from kerasx import ops
from numpy_support import check_gradients, check_op, sample

# name -> (NumPy reference, low, high): float-valued unary ops (integer inputs give float32 = floatx).
FLOAT_UNARY = {
    "exp": (np.exp, -2, 2),
    "expm1": (np.expm1, -2, 2),
    "exp2": (np.exp2, -2, 2),
    "log": (np.log, 0.1, 3),
    "log1p": (np.log1p, -0.5, 2),
    "log2": (np.log2, 0.1, 3),
    "log10": (np.log10, 0.1, 3),
    "sqrt": (np.sqrt, 0.1, 3),
    "cbrt": (np.cbrt, -2, 2),
    "reciprocal": (np.reciprocal, 0.5, 2),
    "sin": (np.sin, -3, 3),
    "cos": (np.cos, -3, 3),
    "tan": (np.tan, -1, 1),
    "arcsin": (np.arcsin, -0.9, 0.9),
    "arccos": (np.arccos, -0.9, 0.9),
    "arctan": (np.arctan, -2, 2),
    "sinh": (np.sinh, -2, 2),
    "cosh": (np.cosh, -2, 2),
    "tanh": (np.tanh, -2, 2),
    "arcsinh": (np.arcsinh, -2, 2),
    "arccosh": (np.arccosh, 1.1, 3),
    "arctanh": (np.arctanh, -0.9, 0.9),
    "floor": (np.floor, -3, 3),
    "ceil": (np.ceil, -3, 3),
    "i0": (np.i0, -2, 2),
    "fabs": (np.fabs, -2, 2),
    "deg2rad": (np.deg2rad, -180, 180),
    "rad2deg": (np.rad2deg, -3, 3),
    "sinc": (np.sinc, -2, 2),
    "angle": (np.angle, -2, 2),
}

# Unary ops that keep the input dtype.
SAME_UNARY = {
    "abs": np.abs,
    "absolute": np.absolute,
    "negative": np.negative,
    "sign": np.sign,
    "trunc": np.trunc,
    "round": np.round,
    "square": np.square,
    "copy": np.copy,
    "conj": np.conj,
    "conjugate": np.conjugate,
    "real": np.real,
    "imag": np.zeros_like,
}


# The int -> floatx rule is one code path for all of these; int32 runs for a sample, since every run costs jax a
# compilation.
INT_SAMPLE = {"exp", "log", "sqrt", "cbrt", "reciprocal", "sin", "arctan", "floor", "ceil", "sinc", "abs", "negative",
              "sign", "trunc", "round", "square"}


def _float_cases():
    for name in FLOAT_UNARY:
        for dtype in ("float32", "int32") if name in INT_SAMPLE else ("float32",):
            yield pytest.param(name, dtype, id=f"{name}-{dtype}")


@pytest.mark.parametrize("name,dtype", list(_float_cases()))
def test_float_unary(name, dtype):
    reference, low, high = FLOAT_UNARY[name]
    x = sample((2, 3, 4), dtype, low, high)
    expected = reference(x.astype("float64")).astype("float32")
    check_op(getattr(ops, name), [x], expected, dtype="float32", rtol=2e-5, atol=1e-5)


@pytest.mark.parametrize(
    "name,dtype",
    [pytest.param(n, d, id=f"{n}-{d}") for n in SAME_UNARY for d in ("float32", "int32")
     if d == "float32" or n in INT_SAMPLE],
)
def test_same_dtype_unary(name, dtype):
    x = sample((3, 4), dtype, -5, 5)
    check_op(getattr(ops, name), [x], SAME_UNARY[name](x), dtype=dtype)


@pytest.mark.parametrize(
    "decimals",
    [pytest.param(d, id=f"round-decimals{d}") for d in (0, 2, -1)],
)
def test_round_decimals(decimals):
    # Halves included: NumPy rounds them to even.
    x = np.array([0.5, 1.5, 2.5, -0.5, 1.234, -7.89, 15.0, 25.0], np.float32)
    check_op(ops.round, [x], np.round(x, decimals), dtype="float32", kwargs={"decimals": decimals}, rtol=1e-6)
    ints = np.array([14, 15, 25, -35, 7], np.int32)
    check_op(ops.round, [ints], np.round(ints, decimals), dtype="int32", kwargs={"decimals": decimals})


@pytest.mark.parametrize("dtype", [pytest.param("float32", id="clip-float32"), pytest.param("int32", id="clip-int32")])
def test_clip(dtype):
    x = sample((4, 5), dtype, -4, 4)
    check_op(ops.clip, [x, -1, 2], np.clip(x, -1, 2), dtype=dtype)
    bounds = sample((5,), dtype, -2, 0)
    check_op(ops.clip, [x, bounds, 3], np.clip(x, bounds, 3), dtype=dtype)


def test_clip_and_square_of_bool_give_int32():
    x = np.array([True, False, True])
    check_op(ops.clip, [x, 0, 1], np.array([1, 0, 1]), dtype="int32")
    check_op(ops.square, [x], np.array([1, 0, 1]), dtype="int32")


SPECIAL = np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, 1.5, -2.0], np.float32)


@pytest.mark.parametrize(
    "name,reference",
    [
        pytest.param(n, r, id=n)
        for n, r in [
            ("isfinite", np.isfinite),
            ("isinf", np.isinf),
            ("isnan", np.isnan),
            ("isposinf", np.isposinf),
            ("isneginf", np.isneginf),
            ("signbit", np.signbit),
            ("isreal", np.isreal),
            ("logical_not", np.logical_not),
        ]
    ],
)
def test_bool_unary(name, reference):
    check_op(getattr(ops, name), [SPECIAL], reference(SPECIAL), dtype="bool")
    ints = np.array([-2, 0, 3], np.int32)
    check_op(getattr(ops, name), [ints], reference(ints), dtype="bool")


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({}, id="nan_to_num-defaults"),
        pytest.param({"nan": 7.0, "posinf": 100.0, "neginf": -100.0}, id="nan_to_num-values"),
    ],
)
def test_nan_to_num(kwargs):
    check_op(ops.nan_to_num, [SPECIAL], np.nan_to_num(SPECIAL, **kwargs), dtype="float32", kwargs=kwargs)
    ints = np.array([1, -2], np.int32)
    check_op(ops.nan_to_num, [ints], ints, dtype="int32", kwargs=kwargs)


# Binary ops ---------------------------------------------------------------------------------------------------------

SHAPES = [((2, 3), (2, 3)), ((2, 1, 3), (1, 4, 1)), ((3,), ()), ((3,), (2, 3))]

# name -> (reference, x1 range, x2 range, result kind): "promote" keeps int32, "float" gives float32, "bool".
BINARY = {
    "add": (np.add, (-3, 3), (-3, 3), "promote"),
    "subtract": (np.subtract, (-3, 3), (-3, 3), "promote"),
    "multiply": (np.multiply, (-3, 3), (-3, 3), "promote"),
    "divide": (np.divide, (-3, 3), (1, 3), "float"),
    "true_divide": (np.true_divide, (-3, 3), (1, 3), "float"),
    "floor_divide": (np.floor_divide, (-9, 9), (1, 4), "promote"),
    "mod": (np.mod, (-9, 9), (1, 4), "promote"),
    "fmod": (np.fmod, (-9, 9), (1, 4), "promote"),
    "power": (np.power, (1, 3), (0, 3), "promote"),
    "maximum": (np.maximum, (-3, 3), (-3, 3), "promote"),
    "minimum": (np.minimum, (-3, 3), (-3, 3), "promote"),
    "fmax": (np.fmax, (-3, 3), (-3, 3), "promote"),
    "fmin": (np.fmin, (-3, 3), (-3, 3), "promote"),
    "arctan2": (np.arctan2, (-3, 3), (-3, 3), "float"),
    "hypot": (np.hypot, (-3, 3), (-3, 3), "float"),
    "logaddexp": (np.logaddexp, (-3, 3), (-3, 3), "float"),
    "logaddexp2": (np.logaddexp2, (-3, 3), (-3, 3), "float"),
    "heaviside": (np.heaviside, (-2, 2), (0, 1), "float"),
    "equal": (np.equal, (-2, 2), (-2, 2), "bool"),
    "not_equal": (np.not_equal, (-2, 2), (-2, 2), "bool"),
    "less": (np.less, (-2, 2), (-2, 2), "bool"),
    "less_equal": (np.less_equal, (-2, 2), (-2, 2), "bool"),
    "greater": (np.greater, (-2, 2), (-2, 2), "bool"),
    "greater_equal": (np.greater_equal, (-2, 2), (-2, 2), "bool"),
    "logical_and": (np.logical_and, (-1, 1), (-1, 1), "bool"),
    "logical_or": (np.logical_or, (-1, 1), (-1, 1), "bool"),
    "logical_xor": (np.logical_xor, (-1, 1), (-1, 1), "bool"),
}


def _binary_cases():
    # Broadcasting is the engines' own; every pattern runs for a few ops, two for the rest (each new shape costs jax
    # a compilation). int32 runs wherever the result dtype depends on it.
    for name, (_, _, _, kind) in BINARY.items():
        patterns = range(len(SHAPES)) if name in ("add", "multiply", "divide", "less", "logical_and") else (0, 1)
        for index in patterns:
            yield pytest.param(name, "float32", *SHAPES[index], id=f"{name}-float32-{index}")
        if kind != "float" or name in ("divide", "hypot"):
            yield pytest.param(name, "int32", *SHAPES[1], id=f"{name}-int32")


def _expected_dtype(kind, dtype):
    return {"promote": dtype, "float": "float32", "bool": "bool"}[kind]


@pytest.mark.parametrize("name,dtype,shape1,shape2", list(_binary_cases()))
def test_binary(name, dtype, shape1, shape2):
    reference, range1, range2, kind = BINARY[name]
    x1 = sample(shape1, dtype, *range1, seed=1)
    x2 = sample(shape2, dtype, *range2, seed=2)
    if name == "heaviside":
        x1[..., 0] = 0  # the value at 0 comes from x2
    expected = reference(x1, x2)
    if kind == "float":
        expected = expected.astype("float32")
    check_op(getattr(ops, name), [x1, x2], expected, dtype=_expected_dtype(kind, dtype), rtol=2e-5, atol=1e-5)


@pytest.mark.parametrize(
    "name,reference",
    [pytest.param(n, r, id=f"{n}-python-scalar") for n, r in [("add", np.add), ("multiply", np.multiply),
                                                             ("subtract", np.subtract), ("maximum", np.maximum),
                                                             ("power", np.power), ("less", np.less)]],
)
def test_binary_with_python_scalars_is_weak(name, reference):
    x = sample((2, 3), "int8", 0, 3)
    check_op(getattr(ops, name), [x, 2], reference(x, np.int8(2)), dtype="bool" if name == "less" else "int8")
    check_op(getattr(ops, name), [2, x], reference(np.int8(2), x), dtype="bool" if name == "less" else "int8")
    y = sample((2, 3), "float16", 0.5, 2)
    check_op(getattr(ops, name), [y, 1.5], reference(y, np.float16(1.5)), dtype="bool" if name == "less" else "float16",
             rtol=2e-3, atol=2e-3)


@pytest.mark.parametrize(
    "x1_dtype,x2_dtype,expected",
    [
        pytest.param("int8", "uint8", "int16", id="add-int8-uint8"),
        pytest.param("int32", "float16", "float16", id="add-int32-float16"),
        pytest.param("float16", "float32", "float32", id="add-float16-float32"),
        pytest.param("bool", "int8", "int8", id="add-bool-int8"),
        pytest.param("uint8", "uint8", "uint8", id="add-uint8"),
    ],
)
def test_add_promotes_with_the_shared_table(x1_dtype, x2_dtype, expected):
    x1 = sample((2, 3), x1_dtype, 0, 3, seed=1)
    x2 = sample((2, 3), x2_dtype, 0, 3, seed=2)
    check_op(ops.add, [x1, x2], x1.astype(expected) + x2.astype(expected), dtype=expected)


def test_integer_division_and_power_of_ints():
    x1 = np.array([7, -7, 9], np.int32)
    x2 = np.array([2, 2, -4], np.int32)
    check_op(ops.divide, [x1, x2], (x1 / x2).astype("float32"), dtype="float32")
    check_op(ops.floor_divide, [x1, x2], x1 // x2, dtype="int32")
    check_op(ops.mod, [x1, x2], x1 % x2, dtype="int32")
    check_op(ops.fmod, [x1, x2], np.fmod(x1, x2), dtype="int32")
    bools = np.array([True, False, True])
    check_op(ops.floor_divide, [bools, np.array([True, True, True])], np.array([1, 0, 1]), dtype="int32")


def test_divide_no_nan_gives_zero_for_zero_denominators():
    x1 = np.array([1.0, 0.0, -3.0, 2.0], np.float32)
    x2 = np.array([0.0, 0.0, 2.0, 4.0], np.float32)
    check_op(ops.divide_no_nan, [x1, x2], np.array([0.0, 0.0, -1.5, 0.5], np.float32), dtype="float32")


def test_fmax_fmin_ignore_nan():
    x1 = np.array([np.nan, 1.0, np.nan, 3.0], np.float32)
    x2 = np.array([2.0, np.nan, np.nan, -1.0], np.float32)
    check_op(ops.fmax, [x1, x2], np.fmax(x1, x2), dtype="float32")
    check_op(ops.fmin, [x1, x2], np.fmin(x1, x2), dtype="float32")


def test_nextafter():
    x1 = np.array([1.0, -1.0, 0.0], np.float32)
    x2 = np.array([2.0, -2.0, -1.0], np.float32)
    check_op(ops.nextafter, [x1, x2], np.nextafter(x1, x2), dtype="float32", rtol=0, atol=0)


@pytest.mark.parametrize("name", [pytest.param("gcd", id="gcd"), pytest.param("lcm", id="lcm")])
def test_gcd_lcm(name):
    x1 = np.array([[12, -18, 0, 7], [9, 0, 15, 1]], np.int32)
    x2 = np.array([8, 12, 5, 0], np.int32)
    check_op(getattr(ops, name), [x1, x2], getattr(np, name)(x1, x2), dtype="int32")
    with pytest.raises(TypeError, match="integer or bool inputs"):
        getattr(ops, name)(x1.astype("float32"), x2)


@pytest.mark.parametrize("equal_nan", [pytest.param(False, id="isclose-plain"), pytest.param(True, id="isclose-nan")])
def test_isclose_and_allclose(equal_nan):
    x1 = np.array([1.0, 1.0 + 1e-6, 2.0, np.inf, np.nan, 1.0], np.float32)
    x2 = np.array([1.0, 1.0, 2.1, np.inf, np.nan, 1.0 + 1e-4], np.float32)
    check_op(ops.isclose, [x1, x2], np.isclose(x1, x2, equal_nan=equal_nan), dtype="bool",
             kwargs={"equal_nan": equal_nan})
    check_op(ops.isclose, [x1, x2], np.isclose(x1, x2, rtol=1e-3, atol=0.2), dtype="bool",
             kwargs={"rtol": 1e-3, "atol": 0.2})
    check_op(ops.allclose, [x1[:2], x2[:2]], np.array(True), dtype="bool")
    check_op(ops.allclose, [x1, x2], np.array(False), dtype="bool")


@pytest.mark.parametrize("invert", [pytest.param(False, id="isin-plain"), pytest.param(True, id="isin-invert")])
def test_isin(invert):
    x1 = sample((3, 4), "int32", 0, 9, seed=3)
    x2 = np.array([[1, 3], [5, 7]], np.int32)
    check_op(ops.isin, [x1, x2], np.isin(x1, x2, invert=invert), dtype="bool", kwargs={"invert": invert})


BITWISE = {
    "bitwise_and": np.bitwise_and,
    "bitwise_or": np.bitwise_or,
    "bitwise_xor": np.bitwise_xor,
    "bitwise_left_shift": np.left_shift,
    "left_shift": np.left_shift,
    "bitwise_right_shift": np.right_shift,
    "right_shift": np.right_shift,
}


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in BITWISE])
def test_bitwise(name):
    x = sample((3, 4), "int32", -50, 50, seed=4)
    y = sample((4,), "int32", 0, 5, seed=5)
    check_op(getattr(ops, name), [x, y], BITWISE[name](x, y), dtype="int32")
    check_op(getattr(ops, name), [x.astype("uint8"), 2], BITWISE[name](x.astype("uint8"), np.uint8(2)), dtype="uint8")
    with pytest.raises(TypeError, match="integer or bool inputs"):
        getattr(ops, name)(x.astype("float32"), y)


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in ("bitwise_not", "bitwise_invert")])
def test_bitwise_not(name):
    x = sample((3, 4), "int32", -50, 50)
    check_op(getattr(ops, name), [x], np.invert(x), dtype="int32")
    check_op(getattr(ops, name), [x.astype("uint8")], np.invert(x.astype("uint8")), dtype="uint8")
    bools = np.array([True, False])
    check_op(getattr(ops, name), [bools], np.invert(bools), dtype="bool")


def test_bool_arithmetic_follows_numpy():
    a = np.array([True, True, False, False])
    b = np.array([True, False, True, False])
    check_op(ops.add, [a, b], np.add(a, b), dtype="bool")
    check_op(ops.multiply, [a, b], np.multiply(a, b), dtype="bool")
    check_op(ops.maximum, [a, b], np.maximum(a, b), dtype="bool")
    check_op(ops.less, [a, b], np.less(a, b), dtype="bool")
    check_op(ops.bitwise_xor, [a, b], np.bitwise_xor(a, b), dtype="bool")


@pytest.mark.parametrize(
    "call,message",
    [
        pytest.param(lambda b: ops.subtract(b, b), "`subtract` is not defined for bool", id="subtract-bool"),
        pytest.param(lambda b: ops.negative(b), "`negative` is not defined for bool", id="negative-bool"),
        pytest.param(lambda b: ops.sign(b), "`sign` is not defined for bool", id="sign-bool"),
    ],
)
def test_bool_errors(call, message):
    with pytest.raises(TypeError, match=message):
        call(np.array([True, False]))


def test_symbolic_broadcast_errors():
    with pytest.raises(ValueError, match="cannot be broadcast"):
        ops.add(ops.KerasTensor((None, 3)), ops.KerasTensor((None, 4)))


# Gradients ------------------------------------------------------------------------------------------------------

UNARY_GRAD = {name: (reference, low, high) for name, (reference, low, high) in FLOAT_UNARY.items()
              if name not in ("floor", "ceil", "angle")}
UNARY_GRAD.update({
    "abs": (np.abs, 0.2, 2),
    "absolute": (np.absolute, -2, -0.2),
    "negative": (np.negative, -2, 2),
    "square": (np.square, -2, 2),
    "nan_to_num": (np.nan_to_num, -2, 2),
})


@support.needs_gradients
@pytest.mark.parametrize("name", [pytest.param(n, id=f"{n}-grad") for n in UNARY_GRAD])
def test_unary_gradients(name):
    reference, low, high = UNARY_GRAD[name]
    if name == "cbrt":
        low = 0.3  # the cube root's slope is infinite at 0
    x = sample((2, 3), "float32", low, high, seed=6)
    check_gradients(getattr(ops, name), reference, x)


BINARY_GRAD = {
    "add": (np.add, (-2, 2), (-2, 2)),
    "subtract": (np.subtract, (-2, 2), (-2, 2)),
    "multiply": (np.multiply, (-2, 2), (-2, 2)),
    "divide": (np.divide, (-2, 2), (0.5, 2)),
    "true_divide": (np.true_divide, (-2, 2), (0.5, 2)),
    "divide_no_nan": (np.divide, (-2, 2), (0.5, 2)),
    "power": (np.power, (0.5, 2), (-2, 2)),
    "maximum": (np.maximum, (-2, 2), (-2, 2)),
    "minimum": (np.minimum, (-2, 2), (-2, 2)),
    "fmax": (np.fmax, (-2, 2), (-2, 2)),
    "fmin": (np.fmin, (-2, 2), (-2, 2)),
    "arctan2": (np.arctan2, (-2, 2), (0.5, 2)),
    "hypot": (np.hypot, (0.5, 2), (-2, -0.5)),
    "logaddexp": (np.logaddexp, (-2, 2), (-2, 2)),
    "logaddexp2": (np.logaddexp2, (-2, 2), (-2, 2)),
    "mod": (np.mod, (0.1, 0.9), (1.1, 2)),
    "fmod": (np.fmod, (0.1, 0.9), (1.1, 2)),
}


@support.needs_gradients
@pytest.mark.parametrize("name", [pytest.param(n, id=f"{n}-grad") for n in BINARY_GRAD])
def test_binary_gradients(name):
    reference, range1, range2 = BINARY_GRAD[name]
    x1 = sample((2, 3), "float32", *range1, seed=7)
    x2 = sample((3,), "float32", *range2, seed=8)
    check_gradients(getattr(ops, name), reference, x1, x2)


@support.needs_gradients
def test_clip_gradient():
    x = np.array([-3.0, -0.5, 0.25, 0.75, 4.0], np.float32)
    check_gradients(lambda t: ops.clip(t, -1.0, 1.0), lambda t: np.clip(t, -1, 1), x)
