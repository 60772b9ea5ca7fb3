"""Tensor creation vs NumPy: ranges, fills, identity/triangle matrices, grids, copies, windows; dtypes and symbolic
shapes; plus the Python operators on KerasTensor and Variable."""

import numpy as np
import pytest

import kerasx
import support
from kerasx import ops
from numpy_support import check_op, check_spec, sample


@pytest.mark.parametrize(
    "args,dtype,expected_dtype",
    [
        pytest.param((5,), None, "int32", id="arange-stop"),
        pytest.param((2, 9, 3), None, "int32", id="arange-step"),
        pytest.param((5, 0, -2), None, "int32", id="arange-negative-step"),
        pytest.param((0.0, 1.0, 0.25), None, "float32", id="arange-float"),
        pytest.param((1, 4.5), None, "float32", id="arange-mixed"),
        pytest.param((3,), "float16", "float16", id="arange-dtype"),
        pytest.param((0, -3), None, "int32", id="arange-empty"),
    ],
)
def test_arange(args, dtype, expected_dtype):
    expected = np.arange(*args).astype(expected_dtype)
    check_op(lambda: ops.arange(*args, dtype=dtype), [], expected, dtype=expected_dtype)
    check_spec(ops.arange, *args, dtype=dtype)


def test_arange_errors():
    with pytest.raises(ValueError, match="nonzero step"):
        ops.arange(0, 5, 0)
    with pytest.raises(ValueError, match="must be a concrete number"):
        ops.arange(ops.KerasTensor((), "int32"))


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"start": 0.0, "stop": 1.0, "num": 5}, id="linspace-basic"),
        pytest.param({"start": -2, "stop": 3, "num": 7, "endpoint": False}, id="linspace-no-endpoint"),
        pytest.param({"start": 1.0, "stop": 1.0, "num": 1}, id="linspace-single"),
        pytest.param({"start": 0, "stop": 10, "num": 4, "dtype": "int32"}, id="linspace-int-dtype"),
        pytest.param({"start": np.array([0.0, 1.0], np.float32), "stop": np.array([1.0, 5.0], np.float32), "num": 3,
                      "axis": -1}, id="linspace-arrays"),
    ],
)
def test_linspace(kwargs):
    expected = np.linspace(**kwargs)
    dtype = kwargs.get("dtype", "float32")
    check_op(lambda: ops.linspace(**kwargs), [], expected.astype(dtype), dtype=dtype)
    check_spec(ops.linspace, **kwargs)


def test_linspace_retstep():
    samples, step = np.linspace(-1.0, 1.0, 9, retstep=True)
    result = ops.linspace(-1.0, 1.0, 9, retstep=True)
    support.assert_close(result[0], samples.astype("float32"))
    support.assert_close(result[1], np.float32(step))
    spec = ops.linspace(ops.KerasTensor((3,)), 1.0, num=4, retstep=True, axis=1)
    assert spec[0].shape == (3, 4) and spec[1].shape == (3,)


@pytest.mark.parametrize(
    "name,kwargs",
    [
        pytest.param("logspace", {"start": 0.0, "stop": 2.0, "num": 5}, id="logspace-basic"),
        pytest.param("logspace", {"start": 1.0, "stop": 3.0, "num": 4, "base": 2.0, "endpoint": False},
                     id="logspace-base2"),
        pytest.param("geomspace", {"start": 1.0, "stop": 1000.0, "num": 4}, id="geomspace-basic"),
        pytest.param("geomspace", {"start": -2.0, "stop": -32.0, "num": 5, "endpoint": False}, id="geomspace-negative"),
    ],
)
def test_log_and_geometric_spaces(name, kwargs):
    expected = getattr(np, name)(**kwargs).astype("float32")
    check_op(lambda: getattr(ops, name)(**kwargs), [], expected, dtype="float32", rtol=1e-5)
    check_spec(getattr(ops, name), **kwargs)


@pytest.mark.parametrize(
    "name,reference,args,dtype",
    [
        pytest.param("zeros", np.zeros, ((2, 3),), None, id="zeros"),
        pytest.param("ones", np.ones, ((4,),), "int32", id="ones"),
        pytest.param("empty", np.zeros, (3,), "float16", id="empty"),
        pytest.param("full", np.full, ((2, 2), 7), None, id="full"),
        pytest.param("full", np.full, ((2, 3), np.array([1.0, 2.0, 3.0], np.float32)), "float32", id="full-array"),
        pytest.param("full", np.full, ((2,), True), "bool", id="full-bool"),
        pytest.param("eye", np.eye, (3,), None, id="eye"),
        pytest.param("eye", np.eye, (3, 5, 1), "int32", id="eye-rectangular"),
        pytest.param("eye", np.eye, (4, 3, -2), None, id="eye-below"),
        pytest.param("identity", np.identity, (3,), "bool", id="identity"),
        pytest.param("tri", np.tri, (3, 4, 1), None, id="tri"),
        pytest.param("tri", np.tri, (4, None, -1), "int32", id="tri-below"),
    ],
)
def test_fills(name, reference, args, dtype):
    expected_dtype = dtype or "float32"
    expected = reference(*args).astype(expected_dtype)
    check_op(lambda: getattr(ops, name)(*args, dtype=dtype), [], expected, dtype=expected_dtype)
    check_spec(getattr(ops, name), *args, dtype=dtype)


@pytest.mark.parametrize(
    "name,reference,extra",
    [
        pytest.param("zeros_like", np.zeros_like, (), id="zeros_like"),
        pytest.param("ones_like", np.ones_like, (), id="ones_like"),
        pytest.param("empty_like", np.zeros_like, (), id="empty_like"),
        pytest.param("full_like", np.full_like, (3,), id="full_like"),
    ],
)
def test_like(name, reference, extra):
    x = sample((2, 3), "int32", -3, 3)
    check_op(lambda t: getattr(ops, name)(t, *extra), [x], reference(x, *extra), dtype="int32")
    expected = reference(x, *extra, dtype="float16")
    check_op(lambda t: getattr(ops, name)(t, *extra, dtype="float16"), [x], expected, dtype="float16")


def test_full_like_casts_the_fill_value():
    x = sample((2, 2), "int32")
    check_op(ops.full_like, [x, 2.7], np.full_like(x, 2), dtype="int32")


@pytest.mark.parametrize("indexing", [pytest.param("xy", id="meshgrid-xy"), pytest.param("ij", id="meshgrid-ij")])
def test_meshgrid(indexing):
    a = np.arange(3, dtype=np.float32)
    b = np.arange(4, dtype=np.int32)
    c = np.arange(2, dtype=np.float32)
    expected = np.meshgrid(a, b, c, indexing=indexing)
    check_op(lambda *t: ops.meshgrid(*t, indexing=indexing), [a, b, c], expected,
             dtype=["float32", "int32", "float32"], symbolic=False)
    spec = ops.meshgrid(ops.KerasTensor((3,)), ops.KerasTensor((4,), "int32"), indexing=indexing)
    assert [s.shape for s in spec] == [e.shape for e in np.meshgrid(a, b, indexing=indexing)]
    with pytest.raises(ValueError, match="Expected 'xy' or 'ij'"):
        ops.meshgrid(a, b, indexing="yx")


def test_array_and_copy():
    x = sample((2, 3), "float32")
    check_op(ops.array, [x], x, dtype="float32")
    check_op(lambda t: ops.array(t, dtype="int32"), [x], x.astype("int32"), dtype="int32")
    check_op(ops.array, [[[1, 2], [3, 4]]], np.array([[1, 2], [3, 4]]), dtype="int32", symbolic=False)
    tensor = ops.convert_to_tensor(x)
    copied = ops.copy(tensor)
    assert copied is not tensor
    support.assert_close(copied, x)


@pytest.mark.parametrize(
    "name,args",
    [
        pytest.param("bartlett", (7,), id="bartlett"),
        pytest.param("blackman", (6,), id="blackman"),
        pytest.param("hamming", (7,), id="hamming"),
        pytest.param("hanning", (8,), id="hanning"),
        pytest.param("kaiser", (9, 5.0), id="kaiser"),
        pytest.param("hanning", (1,), id="hanning-single"),
    ],
)
def test_windows(name, args):
    expected = getattr(np, name)(*args).astype("float32")
    check_op(lambda: getattr(ops, name)(*args), [], expected, dtype="float32", rtol=1e-5, atol=2e-6)
    check_spec(getattr(ops, name), *args)


def test_creation_specs():
    assert ops.full((2, 3), ops.KerasTensor((3,))).shape == (2, 3)
    assert ops.zeros_like(ops.KerasTensor((None, 3), "int8")).dtype == "int8"
    spec = ops.full_like(ops.KerasTensor((None, 3), "int8"), 1.5, dtype="float16")
    assert spec.shape == (None, 3) and spec.dtype == "float16"


# Python operators -----------------------------------------------------------------------------------------------

A = sample((2, 3), "float32", 0.5, 2, seed=60)
B = sample((3,), "float32", 0.5, 2, seed=61)
I = sample((2, 3), "int32", 1, 9, seed=62)
J = sample((3,), "int32", 1, 3, seed=63)

OPERATORS = {
    "add": (lambda a, b: a + b, lambda a, b: b + a),
    "subtract": (lambda a, b: a - b, lambda a, b: b - a),
    "multiply": (lambda a, b: a * b, lambda a, b: b * a),
    "divide": (lambda a, b: a / b, lambda a, b: b / a),
    "floor_divide": (lambda a, b: a // b, lambda a, b: b // a),
    "mod": (lambda a, b: a % b, lambda a, b: b % a),
    "power": (lambda a, b: a**b, lambda a, b: b**a),
    "less": (lambda a, b: a < b, lambda a, b: b > a),
    "less_equal": (lambda a, b: a <= b, lambda a, b: b >= a),
    "equal": (lambda a, b: a == b, lambda a, b: b == a),
    "not_equal": (lambda a, b: a != b, lambda a, b: b != a),
    "bitwise_and": (lambda a, b: a & b, lambda a, b: b & a),
    "bitwise_or": (lambda a, b: a | b, lambda a, b: b | a),
    "bitwise_xor": (lambda a, b: a ^ b, lambda a, b: b ^ a),
}


def _wrap(kind, value):
    if kind == "variable":
        return kerasx.Variable(value, name="operand")
    if kind == "symbolic":
        return ops.KerasTensor(value.shape, str(value.dtype))
    return ops.convert_to_tensor(value)


@pytest.mark.parametrize(
    "name,kind",
    [pytest.param(n, k, id=f"{n}-operator-{k}") for n in OPERATORS for k in ("variable", "symbolic")],
)
def test_binary_operators(name, kind):
    forward, reflected = OPERATORS[name]
    a, b = (I, J) if name.startswith("bitwise") or name in ("floor_divide", "mod") else (A, B)
    expected = forward(a, b)
    left = _wrap(kind, a)
    results = [(forward(left, b), expected), (reflected(left, b), reflected(a, b)),
               (forward(left, _wrap("tensor", b)), expected)]
    for result, wanted in results:
        if kind == "symbolic":
            assert result.shape == wanted.shape and result.dtype == str(wanted.dtype)
        else:
            support.assert_close(result, wanted, rtol=1e-6)
    if kind != "symbolic":
        support.assert_close(reflected(b, left), reflected(b, a), rtol=1e-6)


def test_matmul_unary_and_getitem_operators():
    m = sample((3, 3), "float32", seed=64)
    v = kerasx.Variable(m, name="m")
    support.assert_close(v @ m, m @ m, rtol=1e-5)
    support.assert_close(m @ v, m @ m, rtol=1e-5)
    support.assert_close(-v, -m)
    support.assert_close(+v, m)
    support.assert_close(abs(v), np.abs(m))
    support.assert_close(v[1:, ::-1], m[1:, ::-1])
    support.assert_close(~kerasx.Variable(I, name="i"), ~I)
    support.assert_close(~kerasx.Variable(I > 4, name="b"), ~(I > 4))
    support.assert_close((kerasx.Variable(I > 4, name="b") & (I < 7)), (I > 4) & (I < 7))
    x = ops.KerasTensor((None, 3))
    assert (x @ ops.KerasTensor((3, 5))).shape == (None, 5)
    assert (-x).shape == (None, 3) and abs(x).dtype == "float32" and x[0].shape == (3,)
    assert [t.shape for t in ops.KerasTensor((2, 3))] == [(3,), (3,)]
    # A NumPy array on the left defers to the KerasTensor's reflected operator.
    assert isinstance(A + x, ops.KerasTensor)
