"""Linear-algebra ops against numpy.linalg: values, dtypes, symbolic shapes, gradients, errors.

Factorizations are unique only up to signs that differ between engines, so qr/svd/eigh are checked through
reconstructions and invariants (orthonormality, ordering), not raw factors.
"""

import math

import numpy as np
import pytest

import support
from kerasx import ops
from kerasx.ops import KerasTensor


def rng(seed=0):
    return np.random.default_rng(seed)


def spd(shape, dtype="float32", seed=0):
    """Symmetric positive-definite matrices of shape (..., n, n)."""
    a = rng(seed).normal(size=shape)
    return (a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(dtype)


def normal(shape, dtype="float32", seed=0):
    return rng(seed).normal(size=shape).astype(dtype)


def tolerance(dtype):
    return {"float16": 2e-2, "float32": 1e-4, "float64": 1e-9}.get(dtype, 1e-4)


DTYPE_CASES = [
    pytest.param("float32", "float32", id="float32"),
    pytest.param("float64", "float64", id="float64"),
    pytest.param("int32", "float32", id="int-to-floatx"),
    pytest.param("float16", "float16", id="float16-computed-in-float32"),
]


def int_spd(shape):
    """Integer SPD matrices (for the int -> floatx cases)."""
    a = rng(3).integers(-2, 3, size=shape)
    return a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1], dtype=int)


def input_matrix(dtype, shape=(2, 3, 3)):
    return int_spd(shape).astype("int32") if dtype == "int32" else spd(shape, dtype)


def reference(x):
    return np.asarray(x, np.float64)


@pytest.mark.parametrize("dtype, expected", DTYPE_CASES)
@pytest.mark.parametrize("upper", [False, True], ids=["cholesky-lower", "cholesky-upper"])
def test_cholesky(dtype, expected, upper):
    x = input_matrix(dtype)
    out = support.check_symbolic(ops.cholesky, x, upper=upper)
    support.assert_dtype(out, expected)
    support.assert_close(
        out, np.linalg.cholesky(reference(x), upper=upper), rtol=tolerance(expected), atol=tolerance(expected)
    )


@pytest.mark.parametrize("dtype, expected", DTYPE_CASES)
@pytest.mark.parametrize("name", ["det", "inv"])
def test_det_and_inv(name, dtype, expected):
    x = input_matrix(dtype)
    out = support.check_symbolic(getattr(ops, name), x)
    support.assert_dtype(out, expected)
    support.assert_close(
        out, getattr(np.linalg, name)(reference(x)), rtol=tolerance(expected), atol=tolerance(expected)
    )


@pytest.mark.parametrize(
    "a_shape, b_shape",
    [
        pytest.param((3, 3), (3, 2), id="solve-matrix"),
        pytest.param((3, 3), (3,), id="solve-vector"),
        pytest.param((2, 4, 4), (2, 4), id="solve-batched-vectors"),
        pytest.param((2, 4, 4), (4, 3), id="solve-broadcast-rhs"),
        pytest.param((4, 4), (3, 4, 2), id="solve-broadcast-matrix"),
    ],
)
def test_solve(a_shape, b_shape):
    a, b = spd(a_shape), normal(b_shape, seed=1)
    vector = len(b_shape) == 1 or b_shape == a_shape[:-1]
    expected = np.linalg.solve(reference(a), reference(b)[..., None] if vector else reference(b))
    out = support.check_symbolic(ops.solve, a, b)
    support.assert_close(out, expected[..., 0] if vector else expected, rtol=1e-4, atol=1e-5)
    support.assert_dtype(ops.solve(a.astype("int32"), b), "float32")


@pytest.mark.parametrize("lower", [True, False], ids=["solve_triangular-lower", "solve_triangular-upper"])
@pytest.mark.parametrize("b_shape", [(2, 3, 2), (3,)], ids=["matrix", "vector"])
def test_solve_triangular(lower, b_shape):
    a, b = spd((2, 3, 3)), normal(b_shape, seed=2)
    triangle = np.tril(reference(a)) if lower else np.triu(reference(a))
    rhs = reference(b)[..., None] if len(b_shape) == 1 else reference(b)
    expected = np.linalg.solve(triangle, rhs)
    # `a` is full: the op must read only the requested triangle.
    out = support.check_symbolic(ops.solve_triangular, a, b, lower=lower)
    support.assert_close(out, expected[..., 0] if len(b_shape) == 1 else expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("b_shape", [(5, 2), (5,)], ids=["lstsq-matrix", "lstsq-vector"])
def test_lstsq(b_shape):
    a, b = normal((5, 3)), normal(b_shape, seed=4)
    out = support.check_symbolic(ops.lstsq, a, b)
    support.assert_close(out, np.linalg.lstsq(reference(a), reference(b), rcond=None)[0], rtol=1e-4, atol=1e-5)


def test_eigh():
    x = spd((2, 4, 4))
    eigenvalues, eigenvectors = support.check_symbolic(ops.eigh, x)
    support.assert_close(eigenvalues, np.linalg.eigvalsh(reference(x)), rtol=1e-4)
    v = support.to_numpy(eigenvectors).astype(np.float64)
    support.assert_close(
        v @ (support.to_numpy(eigenvalues)[..., None] * np.swapaxes(v, -1, -2)), x, rtol=1e-4, atol=1e-4
    )
    support.assert_close(np.swapaxes(v, -1, -2) @ v, np.broadcast_to(np.eye(4), v.shape), atol=1e-5)


@pytest.mark.parametrize("shape", [(2, 5, 3), (2, 3, 5)], ids=["tall", "wide"])
@pytest.mark.parametrize("mode", ["reduced", "complete"], ids=["qr-reduced", "qr-complete"])
def test_qr(shape, mode):
    x = normal(shape)
    q, r = support.check_symbolic(ops.qr, x, mode=mode)
    q, r = support.to_numpy(q).astype(np.float64), support.to_numpy(r).astype(np.float64)
    expected_q, expected_r = np.linalg.qr(reference(x), mode=mode)
    assert q.shape == expected_q.shape and r.shape == expected_r.shape
    support.assert_close(q @ r, x, atol=1e-5)
    support.assert_close(
        np.swapaxes(q, -1, -2) @ q, np.broadcast_to(np.eye(q.shape[-1]), q.shape[:-2] + (q.shape[-1],) * 2), atol=1e-5
    )
    support.assert_close(np.tril(r, -1), np.zeros_like(r))


@pytest.mark.parametrize("shape", [(2, 4, 3), (2, 3, 5)], ids=["tall", "wide"])
@pytest.mark.parametrize("full_matrices", [True, False], ids=["svd-full", "svd-reduced"])
def test_svd(shape, full_matrices):
    x = normal(shape)
    u, s, vh = support.check_symbolic(ops.svd, x, full_matrices=full_matrices)
    u, s, vh = (support.to_numpy(t).astype(np.float64) for t in (u, s, vh))
    expected_u, expected_s, expected_vh = np.linalg.svd(reference(x), full_matrices=full_matrices)
    assert (u.shape, vh.shape) == (expected_u.shape, expected_vh.shape)
    support.assert_close(s, expected_s, rtol=1e-4, atol=1e-5)
    k = s.shape[-1]
    support.assert_close(u[..., :k] * s[..., None, :] @ vh[..., :k, :], x, atol=1e-5)
    values_only = support.check_symbolic(ops.svd, x, compute_uv=False)
    support.assert_close(values_only, expected_s, rtol=1e-4, atol=1e-5)


NORM_CASES = [
    pytest.param((2, 3, 4), None, None, False, id="norm-all-entries"),
    pytest.param((2, 3, 4), None, None, True, id="norm-all-entries-keepdims"),
    pytest.param((2, 3, 4), None, -1, False, id="norm-vector-2"),
    pytest.param((2, 3, 4), 1, 1, True, id="norm-vector-1"),
    pytest.param((2, 3, 4), 3, 0, False, id="norm-vector-3"),
    pytest.param((2, 3, 4), -1.5, 2, True, id="norm-vector-negative"),
    pytest.param((2, 3, 4), math.inf, 2, False, id="norm-vector-inf"),
    pytest.param((2, 3, 4), -math.inf, 1, True, id="norm-vector-neg-inf"),
    pytest.param((2, 3, 4), 0, 2, False, id="norm-vector-count"),
    pytest.param((5,), 4, None, False, id="norm-vector-ord-no-axis"),
    pytest.param((3, 4), "fro", None, True, id="norm-matrix-fro"),
    pytest.param((2, 3, 4), "nuc", (1, 2), False, id="norm-matrix-nuc"),
    pytest.param((2, 3, 4), 2, (2, 1), True, id="norm-matrix-2-swapped"),
    pytest.param((2, 3, 4), -2, (0, 2), False, id="norm-matrix-neg-2"),
    pytest.param((2, 3, 4), 1, (1, 2), True, id="norm-matrix-1"),
    pytest.param((2, 3, 4), -1, (2, 0), False, id="norm-matrix-neg-1"),
    pytest.param((2, 3, 4), math.inf, (1, 2), False, id="norm-matrix-inf"),
    pytest.param((2, 3, 4), -math.inf, (0, 1), True, id="norm-matrix-neg-inf"),
]


@pytest.mark.parametrize("shape, ord, axis, keepdims", NORM_CASES)
def test_norm(shape, ord, axis, keepdims):
    x = normal(shape)
    if ord == 0:
        x[..., 0] = 0.0  # something for the count of nonzeros to skip
    out = support.check_symbolic(ops.norm, x, ord=ord, axis=axis, keepdims=keepdims)
    support.assert_dtype(out, "float32")
    expected = np.linalg.norm(reference(x), ord=ord, axis=axis, keepdims=keepdims)
    support.assert_close(out, expected, rtol=1e-5, atol=1e-5)


def test_norm_dtypes():
    support.assert_dtype(ops.norm(np.array([3, 4], "int32")), "float32")
    support.assert_close(ops.norm(np.array([3, 4], "int32")), 5.0)
    support.assert_dtype(ops.norm(np.array([3.0, 4.0], "float16")), "float16")


# Gradients (finite differences of the NumPy function in float64) -------------------------------------------------


def weights(shape, seed=9):
    return normal(shape, seed=seed)


@support.needs_gradients
def test_cholesky_gradient():
    s, w = normal((3, 3)), weights((3, 3))

    def loss(s):
        x = ops.add(ops.matmul(s, ops.transpose(s)), 3.0 * np.eye(3, dtype="float32"))
        return ops.sum(ops.multiply(ops.cholesky(x), w))

    (grad,) = support.grad_of(loss, s)
    expected = support.numeric_grad(lambda v: np.sum(np.linalg.cholesky(v @ v.T + 3 * np.eye(3)) * w), s)
    support.assert_close(grad, expected, rtol=1e-3, atol=1e-3)


@support.needs_gradients
@pytest.mark.parametrize("name", ["det", "inv"])
def test_det_inv_gradient(name):
    x, w = spd((2, 3, 3)), weights((2, 3, 3) if name == "inv" else (2,))
    (grad,) = support.grad_of(lambda v: ops.sum(ops.multiply(getattr(ops, name)(v), w)), x)
    expected = support.numeric_grad(lambda v: np.sum(getattr(np.linalg, name)(v) * w), x)
    support.assert_close(grad, expected, rtol=1e-3, atol=1e-3)


@support.needs_gradients
def test_solve_gradient():
    a, b, w = spd((3, 3)), normal((3, 2), seed=1), weights((3, 2))
    grad_a, grad_b = support.grad_of(lambda a, b: ops.sum(ops.multiply(ops.solve(a, b), w)), a, b)
    support.assert_close(
        grad_a, support.numeric_grad(lambda v: np.sum(np.linalg.solve(v, b) * w), a), rtol=1e-3, atol=1e-3
    )
    support.assert_close(
        grad_b, support.numeric_grad(lambda v: np.sum(np.linalg.solve(a, v) * w), b), rtol=1e-3, atol=1e-3
    )


@support.needs_gradients
@pytest.mark.parametrize(
    "ord, axis",
    [(None, None), (None, 1), (1, 1), (3, 0), ("fro", (0, 1)), ("nuc", (0, 1)), (2, (0, 1)), (math.inf, (0, 1))],
    ids=[
        "norm-all",
        "norm-vector-2",
        "norm-vector-1",
        "norm-vector-3",
        "norm-fro",
        "norm-nuc",
        "norm-spectral",
        "norm-inf",
    ],
)
def test_norm_gradient(ord, axis):
    x = normal((3, 4), seed=5)
    (grad,) = support.grad_of(lambda v: ops.sum(ops.norm(v, ord=ord, axis=axis)), x)
    expected = support.numeric_grad(lambda v: np.sum(np.linalg.norm(v, ord=ord, axis=axis)), x, eps=1e-4)
    support.assert_close(grad, expected, rtol=1e-3, atol=1e-3)


# Errors ------------------------------------------------------------------------------------------------------------


def test_errors():
    with pytest.raises(ValueError, match=r"square matrices .* Received: x of shape \(3, 4\)"):
        ops.inv(np.zeros((3, 4), "float32"))
    with pytest.raises(ValueError, match="rank >= 2"):
        ops.det(np.zeros((3,), "float32"))
    with pytest.raises(ValueError, match="right-hand side does not match"):
        ops.solve(spd((3, 3)), np.zeros((4, 2), "float32"))
    with pytest.raises(ValueError, match="Invalid QR mode"):
        ops.qr(np.zeros((3, 3), "float32"), mode="raw")
    with pytest.raises(ValueError, match="Invalid norm order for a vector norm"):
        ops.norm(np.zeros((3,), "float32"), ord="fro")
    with pytest.raises(ValueError, match="Invalid norm order for a matrix norm"):
        ops.norm(np.zeros((3, 3), "float32"), ord=3)
    with pytest.raises(ValueError, match="one axis or two distinct axes"):
        ops.norm(np.zeros((3, 3, 3), "float32"), axis=(0, 1, 2))
    with pytest.raises(ValueError, match="pass `axis` unless the input is a vector or matrix"):
        ops.norm(np.zeros((3, 3, 3), "float32"), ord=1)
    with pytest.raises(ValueError, match=r"`lstsq` needs a of shape \(M, N\)"):
        ops.lstsq(np.zeros((2, 3, 3), "float32"), np.zeros((3,), "float32"))
    with pytest.raises(ValueError, match="square matrices"):
        ops.cholesky(KerasTensor((None, 2, 3)))
