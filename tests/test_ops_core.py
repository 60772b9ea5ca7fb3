"""Core ops: conversion, control flow (eagerly and compiled), slicing, scattering, gradient control."""

import importlib

import numpy as np
import pytest

import support
from kerasx import backend, ops
from kerasx.ops import KerasTensor

BACKEND = backend.backend()
_COMPILERS = {"jax": ("jax", "jit"), "tensorflow": ("tensorflow", "function")}


def compile_modes():
    """ "eager", plus "compiled" on engines that compile Python functions (jax.jit, tf.function)."""
    return ["eager", "compiled"] if BACKEND in _COMPILERS else ["eager"]


def run(mode, fn, *args):
    if mode == "compiled":
        module, name = _COMPILERS[BACKEND]
        fn = getattr(importlib.import_module(module), name)(fn)
    return fn(*[ops.convert_to_tensor(a) for a in args])


def rand(shape, dtype="float32", seed=0):
    return support.random_array(shape, dtype, rng=np.random.default_rng(seed))


# Conversion ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, dtype, expected_dtype",
    [
        pytest.param([1, 2], None, "int32", id="convert_to_tensor-int-list"),
        pytest.param(1.5, None, "float32", id="convert_to_tensor-float"),
        pytest.param(np.ones((2, 3), "float64"), None, "float64", id="convert_to_tensor-keeps-float64"),
        pytest.param([[1, 0]], "bool", "bool", id="convert_to_tensor-to-bool"),
        pytest.param(np.arange(4, dtype="int16"), "float32", "float32", id="convert_to_tensor-int16-to-float"),
    ],
)
def test_convert_to_tensor(value, dtype, expected_dtype):
    x = ops.convert_to_tensor(value, dtype=dtype)
    assert ops.is_tensor(x)
    support.assert_dtype(x, expected_dtype)
    support.assert_close(x, np.asarray(value).astype(expected_dtype))
    assert ops.shape(x) == np.shape(value)


def test_convert_to_numpy_and_is_tensor():
    x = ops.convert_to_tensor(np.arange(6, dtype="float32").reshape(2, 3))
    array = ops.convert_to_numpy(x)
    assert isinstance(array, np.ndarray) and array.shape == (2, 3)
    assert ops.is_tensor(x)
    assert not ops.is_tensor([1, 2]) and not ops.is_tensor(3.0)
    assert ops.is_tensor(np.zeros(2)) == (BACKEND == "numpy")
    with pytest.raises(TypeError, match="KerasTensor is symbolic"):
        ops.convert_to_numpy(KerasTensor((None, 2)))


@pytest.mark.parametrize(
    "source, target",
    [
        pytest.param("float32", "int32", id="cast-float-to-int"),
        pytest.param("int32", "float16", id="cast-int-to-half"),
        pytest.param("float32", "bool", id="cast-float-to-bool"),
        pytest.param("uint8", "float32", id="cast-uint8-to-float"),
    ],
)
def test_cast(source, target):
    x = np.array([[0.0, 1.0, 3.0], [7.0, 2.0, 0.0]]).astype(source)
    y = support.check_symbolic(ops.cast, x, target)
    support.assert_dtype(y, target)
    support.assert_close(y, x.astype(target))
    assert ops.dtype(ops.cast(KerasTensor((None, 3), source), "int8")) == "int8"


@pytest.mark.parametrize(
    "values, source, target, expected",
    [
        pytest.param(
            [-300.5, -1.5, 0.0, 200.7, 3e9], "float32", "uint8", [0, 0, 0, 200, 255], id="saturate_cast-float-to-uint8"
        ),
        pytest.param(
            [-1e10, -1.5, 127.9, 1e20], "float32", "int8", [-128, -1, 127, 127], id="saturate_cast-float-to-int8"
        ),
        # 2147483520 is the largest float32 that fits in int32.
        pytest.param(
            [-1e10, 5.5, 3e9], "float32", "int32", [-2147483648, 5, 2147483520], id="saturate_cast-float-to-int32"
        ),
        pytest.param([-5, 300, 70000], "int32", "uint8", [0, 255, 255], id="saturate_cast-int32-to-uint8"),
        pytest.param(
            [-1e6, 1.5, 1e6], "float32", "float16", [-65504.0, 1.5, 65504.0], id="saturate_cast-float-to-half"
        ),
        pytest.param([250, 3], "uint8", "int8", [127, 3], id="saturate_cast-uint8-to-int8"),
    ],
)
def test_saturate_cast(values, source, target, expected):
    x = np.array(values).astype(source)
    out = support.check_symbolic(ops.saturate_cast, x, target)
    support.assert_dtype(out, target)
    np.testing.assert_array_equal(support.to_numpy(out), np.array(expected).astype(target))


def test_shape_and_dtype():
    x = ops.convert_to_tensor(np.zeros((2, 5), "int16"))
    assert ops.shape(x) == (2, 5) and ops.dtype(x) == "int16"
    symbolic = KerasTensor((None, 5), "float16")
    assert ops.shape(symbolic) == (None, 5) and ops.dtype(symbolic) == "float16"


# cond / switch ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", compile_modes())
@pytest.mark.parametrize("take_true", [True, False])
def test_cond(mode, take_true):
    x = rand((3, 4))

    def fn(pred, x):
        return ops.cond(pred, lambda: ops.add(x, 1.0), lambda: ops.add(x, -1.0))

    support.assert_close(run(mode, fn, np.array(take_true), x), x + (1.0 if take_true else -1.0))


def test_cond_python_bool_and_structures():
    x = ops.convert_to_tensor(np.array([1.0, 2.0], "float32"))
    first, second = ops.cond(False, lambda: (x, ops.add(x, 1)), lambda: (ops.add(x, 2), ops.add(x, 3)))
    support.assert_close(first, [3.0, 4.0])
    support.assert_close(second, [4.0, 5.0])


def test_cond_symbolic():
    pred = KerasTensor((), "bool")
    x = KerasTensor((None, 3), "float32")
    out = ops.cond(pred, lambda: ops.add(x, 1.0), lambda: ops.add(x, 2.0))
    assert out.shape == (None, 3) and out.dtype == "float32"
    with pytest.raises(ValueError, match="branches of `cond` return different"):
        ops.cond(pred, lambda: x, lambda: KerasTensor((None, 4), "float32"))
    with pytest.raises(TypeError, match="expects a callable for `true_fn`"):
        ops.cond(True, 1.0, lambda: 2.0)


@pytest.mark.parametrize("mode", compile_modes())
@pytest.mark.parametrize("index, expected", [(-3, 1.0), (0, 1.0), (1, 20.0), (2, 4.0), (9, 4.0)])
def test_switch(mode, index, expected):
    branches = [lambda a: ops.add(a, -1.0), lambda a: ops.add(a, 18.0), lambda a: ops.add(a, a)]
    out = run(mode, lambda i, a: ops.switch(i, branches, a), np.array(index, "int32"), np.array(2.0, "float32"))
    support.assert_close(out, expected)


def test_switch_errors():
    with pytest.raises(ValueError, match="at least one branch"):
        ops.switch(0, [])
    with pytest.raises(TypeError, match="expects a callable for `branches`"):
        ops.switch(0, [lambda: 1, "two"])


# Loops ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", compile_modes())
def test_while_loop(mode):
    def fn(x):
        # Doubles x until its sum passes 100; counts the doublings.
        return ops.while_loop(lambda i, v: ops.less(ops.sum(v), 100.0), lambda i, v: (ops.add(i, 1), v * 2.0), (0, x))

    x = np.array([1.0, 2.0, 0.5], "float32")
    count, value = run(mode, fn, x)
    expected_count = int(np.ceil(np.log2(100.0 / x.sum())))
    support.assert_close(count, expected_count)
    support.assert_dtype(count, "int32")
    support.assert_close(value, x * 2.0**expected_count)


@pytest.mark.parametrize("mode", compile_modes())
def test_while_loop_maximum_iterations_single_var(mode):
    out = run(mode, lambda x: ops.while_loop(lambda v: ops.less(v, 1000.0), lambda v: v * 3.0, x, 4), np.float32(1))
    support.assert_close(out, 81.0)


def test_while_loop_keeps_container_type():
    out = ops.while_loop(lambda i, j: ops.less(i, 3), lambda i, j: [ops.add(i, 1), ops.add(j, 2)], [0, 10])
    assert isinstance(out, list) and len(out) == 2
    support.assert_close(out[0], 3)
    support.assert_close(out[1], 16)


def test_while_loop_symbolic():
    x = KerasTensor((None, 2), "float32")
    i, v = ops.while_loop(lambda i, v: True, lambda i, v: (i, v), (KerasTensor((), "int32"), x))
    assert (i.shape, i.dtype, v.shape, v.dtype) == ((), "int32", (None, 2), "float32")


@pytest.mark.parametrize("mode", compile_modes())
def test_fori_loop(mode):
    x = rand((4,))

    def fn(x):
        return ops.fori_loop(1, 5, lambda i, v: ops.add(v * 2.0, ops.cast(i, "float32")), x)

    expected = x.astype(np.float64)
    for i in range(1, 5):
        expected = expected * 2 + i
    support.assert_close(run(mode, fn, x), expected)


def scan_reference(xs, init, reverse):
    """cumulative sum carry and per-step `carry * x` outputs, in NumPy."""
    carry = init.astype(np.float64)
    ys = np.zeros(xs.shape, np.float64)
    for i in (range(len(xs) - 1, -1, -1) if reverse else range(len(xs))):
        ys[i] = carry * xs[i]
        carry = carry + xs[i]
    return carry, ys


@pytest.mark.parametrize("mode", compile_modes())
@pytest.mark.parametrize("reverse", [False, True], ids=["scan-forward", "scan-reverse"])
def test_scan(mode, reverse):
    xs, init = rand((5, 3)), rand((3,), seed=1)
    carry, ys = run(mode, lambda i, x: ops.scan(lambda c, x: (ops.add(c, x), c * x), i, x, reverse=reverse), init, xs)
    expected_carry, expected_ys = scan_reference(xs, init, reverse)
    support.assert_close(carry, expected_carry, rtol=1e-5)
    support.assert_close(ys, expected_ys, rtol=1e-5)


@pytest.mark.parametrize("mode", compile_modes())
def test_scan_nested_and_length(mode):
    a, b = rand((4, 2)), rand((4,), "int32")

    def fn(a, b):
        def step(carry, x):
            total, count = carry
            return (ops.add(total, x["a"]), ops.add(count, x["b"])), {"double": x["a"] * 2.0, "b": x["b"]}

        return ops.scan(step, (ops.convert_to_tensor(np.zeros(2, "float32")), 0), {"a": a, "b": b})

    (total, count), ys = run(mode, fn, a, b)
    support.assert_close(total, a.sum(0), rtol=1e-5)
    support.assert_close(count, b.sum())
    support.assert_close(ys["double"], a * 2)
    support.assert_close(ys["b"], b)
    support.assert_dtype(ys["b"], "int32")

    carry, ys = ops.scan(lambda c, x: (ops.add(c, 1), None), 0, length=6)
    support.assert_close(carry, 6)
    assert ys is None


@pytest.mark.skipif(BACKEND != "tensorflow", reason="only tf.function traces with dimensions unknown until run time")
def test_scan_and_slice_with_unknown_length_in_tf_function():
    tf = importlib.import_module("tensorflow")

    @tf.function(input_signature=[tf.TensorSpec((None, 3), tf.float32)])
    def fn(xs):
        carry, ys = ops.scan(lambda c, x: (ops.add(c, x), c * x), ops.convert_to_tensor(np.ones(3, "float32")), xs)
        return carry, ys, ops.slice(xs, [1, 0], (2, 3))

    xs = rand((5, 3))
    carry, ys, block = fn(xs)
    expected_carry, expected_ys = scan_reference(xs, np.ones(3), False)
    support.assert_close(carry, expected_carry, rtol=1e-5)
    support.assert_close(ys, expected_ys, rtol=1e-5)
    support.assert_close(block, xs[1:3])


def test_scan_empty_and_errors():
    carry, ys = ops.scan(lambda c, x: (ops.add(c, 1.0), x * 2.0), 0.0, np.zeros((0, 3), "float32"))
    support.assert_close(carry, 0.0)
    assert tuple(ops.shape(ys)) == (0, 3)
    with pytest.raises(ValueError, match="needs `xs` or `length`"):
        ops.scan(lambda c, x: (c, x), 0.0)


def test_scan_symbolic():
    xs = KerasTensor((7, None, 3), "float32")
    carry, ys = ops.scan(lambda c, x: (ops.add(c, x), ops.cast(x, "int32")), KerasTensor((None, 3), "float32"), xs)
    assert (carry.shape, carry.dtype) == ((None, 3), "float32")
    assert (ys.shape, ys.dtype) == ((7, None, 3), "int32")


@pytest.mark.parametrize("op_name", ["map", "vectorized_map"])
def test_map_and_vectorized_map(op_name):
    x = rand((4, 3))
    fn = getattr(ops, op_name)
    support.assert_close(fn(lambda row: ops.add(row * row, 1.0), x), x * x + 1.0)
    pair = fn(lambda xs: (xs[0] * 2.0, ops.add(xs[1], 1)), (x, np.arange(4, dtype="int32")))
    support.assert_close(pair[0], x * 2)
    support.assert_close(pair[1], np.arange(1, 5))
    symbolic = fn(lambda row: ops.cast(row, "float16"), KerasTensor((5, 3), "float32"))
    assert (symbolic.shape, symbolic.dtype) == ((5, 3), "float16")


# Slicing and scattering -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape, start, size, dtype",
    [
        pytest.param((5, 6), [1, 2], (3, 2), "float32", id="slice-2d"),
        pytest.param((4, 3, 5), [0, 1, 4], (4, 2, 1), "int32", id="slice-3d-int"),
        pytest.param((6,), [5], (1,), "float32", id="slice-last-element"),
    ],
)
def test_slice(shape, start, size, dtype):
    x = rand(shape, dtype)
    expected = x[tuple(slice(s, s + n) for s, n in zip(start, size))]
    out = support.check_symbolic(ops.slice, x, start, size)
    support.assert_close(out, expected)
    support.assert_dtype(out, dtype)
    support.assert_close(ops.slice(x, np.array(start, "int32"), size), expected)


@pytest.mark.parametrize("mode", compile_modes())
def test_slice_traced_start(mode):
    x = rand((5, 4))
    out = run(mode, lambda x, start: ops.slice(x, start, (2, 3)), x, np.array([2, 1], "int32"))
    support.assert_close(out, x[2:4, 1:4])


@pytest.mark.parametrize(
    "dtype, updates_dtype",
    [("float32", "float32"), ("int32", "int32"), ("float32", "int32")],
    ids=["slice_update-float", "slice_update-int", "slice_update-casts-updates"],
)
def test_slice_update(dtype, updates_dtype):
    x, updates = rand((4, 5), dtype), rand((2, 3), updates_dtype, seed=3)
    expected = x.copy()
    expected[1:3, 2:5] = updates
    out = support.check_symbolic(ops.slice_update, x, [1, 2], updates)
    support.assert_close(out, expected)
    support.assert_dtype(out, dtype)


@pytest.mark.parametrize("mode", compile_modes())
def test_slice_update_traced_start(mode):
    x, updates = rand((4, 5)), rand((2, 2), seed=2)
    expected = x.copy()
    expected[2:4, 0:2] = updates
    out = run(mode, lambda x, s, u: ops.slice_update(x, s, u), x, np.array([2, 0], "int32"), updates)
    support.assert_close(out, expected)


def test_slice_errors():
    x = rand((4, 5))
    with pytest.raises(ValueError, match="one start index per dimension"):
        ops.slice(x, [1], (2, 2))
    with pytest.raises(ValueError, match="does not fit in inputs of shape"):
        ops.slice(x, [3, 0], (2, 2))
    with pytest.raises(ValueError, match="slice shape as 2 non-negative integers"):
        ops.slice(x, [0, 0], (2,))
    with pytest.raises(ValueError, match="does not fit"):
        ops.slice_update(x, [0, 4], np.zeros((1, 2), "float32"))


@pytest.mark.parametrize(
    "indices, values_shape, shape, dtype",
    [
        pytest.param([[0, 1], [2, 3], [0, 1]], (3,), (3, 4), "float32", id="scatter-duplicates-accumulate"),
        pytest.param([[1], [3]], (2, 4), (5, 4), "float32", id="scatter-rows"),
        pytest.param([[0, 0], [1, 2]], (2,), (2, 3), "int32", id="scatter-int"),
    ],
)
def test_scatter(indices, values_shape, shape, dtype):
    values = rand(values_shape, dtype, seed=4)
    expected = np.zeros(shape, dtype)
    np.add.at(expected, tuple(np.array(indices).T), values)
    out = support.check_symbolic(ops.scatter, np.array(indices, "int32"), values, shape)
    support.assert_close(out, expected)
    support.assert_dtype(out, dtype)


@pytest.mark.parametrize(
    "indices, updates_shape, dtype",
    [
        pytest.param([[0, 1], [2, 3]], (2,), "float32", id="scatter_update-elements"),
        pytest.param([[1], [0]], (2, 4), "int32", id="scatter_update-rows-int"),
    ],
)
def test_scatter_update(indices, updates_shape, dtype):
    x, updates = rand((3, 4), dtype), rand(updates_shape, dtype, seed=5)
    expected = x.copy()
    expected[tuple(np.array(indices).T)] = updates
    out = support.check_symbolic(ops.scatter_update, x, np.array(indices, "int32"), updates)
    support.assert_close(out, expected)
    support.assert_dtype(out, dtype)


def test_scatter_errors():
    with pytest.raises(TypeError, match="integer `indices`"):
        ops.scatter([[0.5]], [1.0], (2,))
    with pytest.raises(ValueError, match="1 <= k <= 2"):
        ops.scatter([[0, 0, 0]], [1.0], (2, 2))
    with pytest.raises(ValueError, match=r"must have shape indices.shape\[:-1\]"):
        ops.scatter_update(np.zeros((3, 4), "float32"), [[0], [1]], np.ones((2, 3), "float32"))


# Gradient control -------------------------------------------------------------------------------------------------


def test_stop_gradient_value():
    x = rand((2, 3))
    out = support.check_symbolic(ops.stop_gradient, x)
    support.assert_close(out, x)


@support.needs_gradients
def test_stop_gradient_blocks_gradient():
    x = rand((2, 3))
    (grad,) = support.grad_of(lambda v: ops.sum(v * ops.stop_gradient(v)), x)
    support.assert_close(grad, x)  # d/dv (v * const(v)) = v, not 2v


def test_custom_gradient_forward():
    @ops.custom_gradient
    def square(x):
        return x * x, lambda upstream: upstream * 10.0

    x = rand((3,))
    support.assert_close(square(ops.convert_to_tensor(x)), x * x)


@support.needs_gradients
def test_custom_gradient_is_used():
    @ops.custom_gradient
    def clipped_identity(x):
        # Straight-through with the gradient scaled by 3: checks that grad_fn, not autodiff, is used.
        return ops.add(x, 0.0), lambda upstream: upstream * 3.0

    x = rand((4,))
    (grad,) = support.grad_of(lambda v: ops.sum(clipped_identity(v) * v), x)
    support.assert_close(grad, 3.0 * x + x)


@support.needs_gradients
def test_custom_gradient_two_inputs_two_outputs():
    @ops.custom_gradient
    def pair(a, b):
        def grad_fn(upstream_sum, upstream_product):
            return upstream_sum + upstream_product * b, upstream_sum + upstream_product * a

        return (ops.add(a, b), a * b), grad_fn

    a, b = rand((3,)), rand((3,), seed=1)

    def loss(a, b):
        total, product = pair(a, b)
        return ops.sum(total * 2.0 + product)

    grad_a, grad_b = support.grad_of(loss, a, b)
    support.assert_close(grad_a, 2.0 + b)
    support.assert_close(grad_b, 2.0 + a)


@support.needs_gradients
def test_gradient_through_scan_and_slice_update():
    x = rand((4, 3))

    def loss(x):
        _, ys = ops.scan(lambda c, row: (ops.add(c, row), c * row), ops.convert_to_tensor(np.ones(3, "float32")), x)
        patched = ops.slice_update(ys, [0, 0], ops.convert_to_tensor(np.zeros((1, 3), "float32")))
        return ops.sum(patched)

    (grad,) = support.grad_of(loss, x)
    expected = support.numeric_grad(lambda v: scan_reference(v, np.ones(3), False)[1][1:].sum(), x)
    support.assert_close(grad, expected, rtol=1e-4, atol=1e-3)


@support.needs_gradients
def test_gradient_through_scatter():
    values = rand((3,))
    indices = np.array([[0, 1], [1, 0], [0, 1]], "int32")
    weights = rand((2, 2), seed=7)
    (grad,) = support.grad_of(lambda v: ops.sum(ops.multiply(ops.scatter(indices, v, (2, 2)), weights)), values)
    support.assert_close(grad, weights[tuple(indices.T)])
