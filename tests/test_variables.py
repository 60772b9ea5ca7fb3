"""Variables: creation, assignment, operators, stateless scopes, and gradients through variable values."""

import numpy as np
import pytest

import support
from kerasx import backend, initializers, ops
from kerasx.backend import StatelessScope, Variable

BACKEND = backend.backend()


def value_of(variable):
    return support.to_numpy(variable.value)


@pytest.mark.parametrize(
    "initial, dtype, expected_dtype",
    [
        pytest.param(np.arange(6.0).reshape(2, 3), None, "float64", id="numpy-float64"),
        pytest.param([[1.0, 2.0]], None, "float32", id="list-of-floats-floatx"),
        pytest.param([1, 2, 3], None, "int32", id="list-of-ints"),
        pytest.param(np.ones((2,), "float32"), "float16", "float16", id="explicit-dtype"),
        pytest.param(True, None, "bool", id="scalar-bool"),
    ],
)
def test_create_from_value(initial, dtype, expected_dtype):
    variable = Variable(initial, dtype=dtype, name="v")
    assert variable.dtype == expected_dtype
    assert variable.shape == np.shape(initial) and variable.ndim == np.ndim(initial)
    assert backend.is_variable(variable) and variable.name == "v" and variable.path == "v"
    support.assert_close(variable.numpy(), np.asarray(initial).astype(expected_dtype))
    support.assert_dtype(variable.value, expected_dtype)


def test_create_from_initializer():
    variable = Variable(initializers.GlorotUniform(seed=3), shape=(4, 5), name="kernel")
    assert variable.shape == (4, 5) and variable.dtype == "float32"
    np.testing.assert_array_equal(variable.numpy(), support.to_numpy(initializers.GlorotUniform(seed=3)((4, 5))))
    ones = Variable(initializers.get("ones"), shape=(3,), dtype="int32")
    assert ones.dtype == "int32"
    support.assert_close(ones.numpy(), np.ones(3))


def test_creation_errors():
    with pytest.raises(ValueError, match=r"the initializer is callable, so `shape` is required"):
        Variable(initializers.Zeros(), name="bias")
    with pytest.raises(ValueError, match=r"initial value has shape \(2,\) but shape=\(3,\) was requested"):
        Variable(np.zeros(2), shape=(3,))


def test_assign_family():
    variable = Variable(np.zeros((2, 2), "float32"), name="w")
    variable.assign(np.full((2, 2), 3.0))
    support.assert_close(value_of(variable), np.full((2, 2), 3.0))
    variable.assign_add(np.eye(2))
    support.assert_close(value_of(variable), 3.0 + np.eye(2))
    variable.assign_sub(ops.convert_to_tensor(np.ones((2, 2), "float32")))
    support.assert_close(value_of(variable), 2.0 + np.eye(2))
    support.assert_dtype(variable.value, "float32")
    counter = Variable(np.array(5, "int32"))
    counter.assign_add(2)
    assert int(counter.numpy()) == 7 and counter.dtype == "int32"


def test_assign_shape_mismatch_message():
    variable = Variable(np.zeros((2, 3), "float32"), name="kernel")
    expected = rf"Cannot assign a value of shape \(3, 2\) to variable 'kernel' of shape \(2, 3\) \(backend: {BACKEND}\)"
    with pytest.raises(ValueError, match=expected):
        variable.assign(np.zeros((3, 2), "float32"))
    support.assert_close(variable.numpy(), np.zeros((2, 3)))  # unchanged


def test_trainable_flag():
    assert Variable(np.zeros(2)).trainable
    frozen = Variable(np.zeros(2), trainable=False)
    assert not frozen.trainable
    frozen.assign(np.ones(2))
    support.assert_close(frozen.numpy(), np.ones(2))


def test_numpy_array_protocol_and_python_protocols():
    variable = Variable(np.array([[1.0, 2.0], [3.0, 4.0]], "float32"), name="m")
    array = variable.numpy()
    assert isinstance(array, np.ndarray) and array.dtype == np.float32
    array[0, 0] = 100.0  # a copy: the variable keeps its value
    support.assert_close(value_of(variable), [[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(np.asarray(variable, dtype="float64"), [[1.0, 2.0], [3.0, 4.0]])
    assert len(variable) == 2
    assert repr(variable) == "<Variable path=m, shape=(2, 2), dtype=float32, value=[[1. 2.]\n [3. 4.]]>"
    assert len({variable, Variable(np.zeros(1))}) == 2
    assert bool(Variable(np.array(1.0))) and not bool(Variable(np.array(0.0)))


@pytest.mark.parametrize(
    "fn, expected",
    [
        pytest.param(lambda v: v + 1.0, lambda a: a + 1.0, id="add-scalar"),
        pytest.param(lambda v: 2.0 * v, lambda a: 2.0 * a, id="rmul"),
        pytest.param(lambda v: v - v, lambda a: a - a, id="subtract-self"),
        pytest.param(lambda v: v / 4.0, lambda a: a / 4.0, id="divide"),
        pytest.param(lambda v: -v, lambda a: -a, id="negative"),
        pytest.param(lambda v: v @ np.ones((3, 2), "float32"), lambda a: a @ np.ones((3, 2)), id="matmul"),
        pytest.param(lambda v: v**2, lambda a: a**2, id="power"),
        pytest.param(lambda v: v[1], lambda a: a[1], id="getitem"),
        pytest.param(lambda v: v > 0.5, lambda a: a > 0.5, id="greater"),
        pytest.param(lambda v: abs(v), lambda a: abs(a), id="abs"),
    ],
)
def test_operators(fn, expected):
    initial = support.random_array((2, 3))
    variable = Variable(initial)
    support.assert_close(fn(variable), expected(initial.astype(np.float64)), rtol=1e-6)
    assert ops.is_tensor(fn(variable))


def test_ops_accept_variables():
    variable = Variable(np.array([1.0, -2.0, 3.0], "float32"))
    support.assert_close(ops.add(variable, variable), [2.0, -4.0, 6.0])
    support.assert_close(ops.convert_to_tensor(variable), [1.0, -2.0, 3.0])
    assert ops.shape(variable) == (3,) and ops.dtype(variable) == "float32"


# Stateless scopes ---------------------------------------------------------------------------------------------------


def test_stateless_scope_reads_replacements_and_captures_assignments():
    weights = Variable(np.ones((2,), "float32"), name="w")
    bias = Variable(np.zeros((2,), "float32"), name="b")
    replacement = ops.convert_to_tensor(np.array([5.0, 6.0], "float32"))
    with StatelessScope([(weights, replacement)]) as scope:
        support.assert_close(weights.value, [5.0, 6.0])
        support.assert_close(bias.value, [0.0, 0.0])  # not replaced: its own value
        weights.assign_add(np.ones(2, "float32"))
        bias.assign(np.array([7.0, 8.0], "float32"))
        support.assert_close(weights.value, [6.0, 7.0])  # reads see the scope's assignments
        support.assert_close(bias.value, [7.0, 8.0])
    support.assert_close(weights.numpy(), [1.0, 1.0])  # nothing mutated
    support.assert_close(bias.numpy(), [0.0, 0.0])
    assigned = {variable.name: support.to_numpy(value).tolist() for variable, value in scope.assignments()}
    assert assigned == {"w": [6.0, 7.0], "b": [7.0, 8.0]}


def test_nested_stateless_scopes():
    variable = Variable(np.zeros(1, "float32"))
    other = Variable(np.zeros(1, "float32"))
    with StatelessScope([(variable, np.ones(1, "float32")), (other, np.full(1, 2.0, "float32"))]):
        with StatelessScope([(variable, np.full(1, 3.0, "float32"))]):
            support.assert_close(variable.value, [3.0])
            support.assert_close(other.value, [2.0])
        support.assert_close(variable.value, [1.0])


# Gradients ----------------------------------------------------------------------------------------------------------


@support.needs_gradients
def test_value_and_grad_against_analytic():
    a, b = support.random_array((3,)), support.random_array((3,), rng=np.random.default_rng(1))

    def fn(params, scale):
        x, y = params
        return ops.sum(ops.multiply(ops.square(x), y)) * scale

    value, (grad_x, grad_y) = backend.value_and_grad(fn)([ops.convert_to_tensor(a), ops.convert_to_tensor(b)], 2.0)
    support.assert_close(value, 2.0 * np.sum(a.astype(np.float64) ** 2 * b), rtol=1e-5)
    support.assert_close(grad_x, 4.0 * a * b, rtol=1e-5)
    support.assert_close(grad_y, 2.0 * a**2, rtol=1e-5)


@support.needs_gradients
def test_value_and_grad_has_aux():
    x = support.random_array((4,))

    def fn(params):
        total = ops.sum(ops.square(params[0]))
        return total, {"mean": ops.mean(params[0])}

    (value, aux), (grad,) = backend.value_and_grad(fn, has_aux=True)([ops.convert_to_tensor(x)])
    support.assert_close(value, np.sum(x.astype(np.float64) ** 2), rtol=1e-5)
    support.assert_close(aux["mean"], x.mean(), rtol=1e-5)
    support.assert_close(grad, 2 * x, rtol=1e-5)


@support.needs_gradients
def test_gradient_through_variable_in_stateless_scope():
    # The pattern of a training step: the variable's value is replaced by a differentiated parameter tensor.
    kernel = Variable(support.random_array((3, 2)), name="kernel")
    x = support.random_array((5, 3), rng=np.random.default_rng(2))

    def loss(params, inputs):
        with StatelessScope([(kernel, params[0])]):
            return ops.sum(ops.square(ops.matmul(inputs, kernel)))

    w = kernel.numpy().astype(np.float64)
    value, (grad,) = backend.value_and_grad(loss)([ops.convert_to_tensor(kernel)], ops.convert_to_tensor(x))
    support.assert_close(value, np.sum((x @ w) ** 2), rtol=1e-5)
    support.assert_close(grad, 2 * x.T.astype(np.float64) @ (x @ w), rtol=1e-4)
    support.assert_close(kernel.numpy(), w)  # untouched


@pytest.mark.skipif(support.TRAINS, reason="only the numpy backend refuses to compute gradients")
def test_numpy_backend_refuses_gradients():
    with pytest.raises(RuntimeError, match="The numpy backend is for inference only.*KERAS_BACKEND=jax"):
        backend.value_and_grad(lambda params: ops.sum(params[0]))
