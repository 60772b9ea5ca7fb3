"""Products, diagonals, triangles and trace vs NumPy: values, dtypes, symbolic shapes, gradients, errors."""

import numpy as np
import pytest

import support
from kerasx import ops
from numpy_support import check_gradients, check_op, sample

# id -> (op, NumPy reference, shapes of the operands)
PRODUCTS = {
    "matmul-2d": (ops.matmul, np.matmul, [(3, 4), (4, 5)]),
    "matmul-batch-broadcast": (ops.matmul, np.matmul, [(2, 1, 3, 4), (5, 4, 2)]),
    "matmul-vector-left": (ops.matmul, np.matmul, [(4,), (2, 4, 3)]),
    "matmul-vector-right": (ops.matmul, np.matmul, [(2, 3, 4), (4,)]),
    "matmul-vectors": (ops.matmul, np.matmul, [(4,), (4,)]),
    "dot-vectors": (ops.dot, np.dot, [(4,), (4,)]),
    "dot-matrix-vector": (ops.dot, np.dot, [(3, 4), (4,)]),
    "dot-nd": (ops.dot, np.dot, [(2, 3, 4), (5, 4, 2)]),
    "dot-scalar": (ops.dot, np.dot, [(2, 3), ()]),
    "tensordot-int": (ops.tensordot, np.tensordot, [(2, 3, 4), (3, 4, 5)]),
    "tensordot-axes": (lambda a, b: ops.tensordot(a, b, axes=([0, 2], [2, 0])),
                       lambda a, b: np.tensordot(a, b, axes=([0, 2], [2, 0])), [(2, 3, 4), (4, 5, 2)]),
    "tensordot-zero": (lambda a, b: ops.tensordot(a, b, axes=0), lambda a, b: np.tensordot(a, b, axes=0),
                       [(2, 3), (4,)]),
    "inner-vectors": (ops.inner, np.inner, [(4,), (4,)]),
    "inner-nd": (ops.inner, np.inner, [(2, 3, 4), (5, 4)]),
    "outer": (ops.outer, np.outer, [(2, 3), (4,)]),
    "vdot": (ops.vdot, np.vdot, [(2, 3), (3, 2)]),
    "kron-2d": (ops.kron, np.kron, [(2, 3), (3, 2)]),
    "kron-mixed-rank": (ops.kron, np.kron, [(3,), (2, 2)]),
    "cross-3": (ops.cross, np.cross, [(4, 3), (4, 3)]),
    "cross-broadcast": (ops.cross, np.cross, [(2, 1, 3), (5, 3)]),
    "cross-2-and-3": (ops.cross, np.cross, [(4, 2), (4, 3)]),
    "cross-2": (ops.cross, np.cross, [(4, 2), (4, 2)]),
    "cross-axes": (lambda a, b: ops.cross(a, b, axisa=0, axisb=1, axisc=0),
                   lambda a, b: np.cross(a, b, axisa=0, axisb=1, axisc=0), [(3, 4), (4, 3)]),
    "einsum-matmul": (lambda a, b: ops.einsum("ij,jk->ik", a, b), lambda a, b: np.einsum("ij,jk->ik", a, b),
                      [(3, 4), (4, 5)]),
    "einsum-batch": (lambda a, b: ops.einsum("bij,bjk->bik", a, b), lambda a, b: np.einsum("bij,bjk->bik", a, b),
                     [(2, 3, 4), (2, 4, 5)]),
    "einsum-ellipsis": (lambda a, b: ops.einsum("...ij,jk", a, b), lambda a, b: np.einsum("...ij,jk", a, b),
                        [(2, 3, 4), (4, 5)]),
    "einsum-implicit": (lambda a, b: ops.einsum("ij,kj", a, b), lambda a, b: np.einsum("ij,kj", a, b),
                        [(3, 4), (5, 4)]),
    "einsum-trace": (lambda a, b: ops.einsum("ii,jk->jk", a, b), lambda a, b: np.einsum("ii,jk->jk", a, b),
                     [(3, 3), (2, 2)]),
}


def _operands(shapes, dtype, seed=30):
    return [sample(shape, dtype, -3, 3, seed=seed + i) for i, shape in enumerate(shapes)]


@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in PRODUCTS])
def test_products_float32(case):
    fn, reference, shapes = PRODUCTS[case]
    operands = _operands(shapes, "float32")
    expected = reference(*[o.astype("float64") for o in operands]).astype("float32")
    check_op(fn, operands, expected, dtype="float32", rtol=1e-5, atol=1e-5)


INT_PRODUCTS = ["matmul-batch-broadcast", "matmul-vectors", "dot-nd", "tensordot-axes", "inner-nd", "outer", "vdot",
                "kron-2d", "cross-broadcast", "einsum-batch"]


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c}-int32") for c in INT_PRODUCTS])
def test_products_int32(case):
    fn, reference, shapes = PRODUCTS[case]
    operands = _operands(shapes, "int32")
    check_op(fn, operands, reference(*operands), dtype="int32", symbolic=False)


def test_products_promote_and_accept_small_ints():
    a = sample((3, 4), "int8", -3, 3, seed=1)
    b = sample((4, 2), "uint8", 0, 3, seed=2)
    expected = a.astype("int16") @ b.astype("int16")
    check_op(ops.matmul, [a, b], expected, dtype="int16")
    check_op(ops.einsum, ["ij,jk->ik", a, b], expected, dtype="int16", symbolic=False)
    check_op(ops.matmul, [a, b.astype("float16")], (a @ b).astype("float16"), dtype="float16", rtol=1e-3)


@pytest.mark.parametrize(
    "call,message",
    [
        pytest.param(lambda: ops.matmul(np.ones((3, 4)), np.ones((3, 4))), "contracted dimensions",
                     id="matmul-mismatch"),
        pytest.param(lambda: ops.matmul(np.ones((3, 4)), 2.0), "does not take scalars", id="matmul-scalar"),
        pytest.param(lambda: ops.tensordot(np.ones((3, 4)), np.ones((3, 4)), axes=1), "contracted dimensions",
                     id="tensordot-mismatch"),
        pytest.param(lambda: ops.cross(np.ones((4,)), np.ones((3,))), "2 or 3 components", id="cross-bad-size"),
        pytest.param(lambda: ops.einsum("ij,jk->ik", np.ones((2, 3)), np.ones((4, 5))), "Index 'j' has sizes",
                     id="einsum-mismatch"),
        pytest.param(lambda: ops.einsum("ij->i", np.ones((2, 3, 4))), "does not match rank", id="einsum-rank"),
    ],
)
def test_product_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "shape1,shape2,subscripts,expected",
    [
        pytest.param((None, 3, 4), (4, 5), "bij,jk->bik", (None, 3, 5), id="einsum-symbolic"),
        pytest.param((None, 3, 4), (None, 4), "...ij,...j->...i", (None, 3), id="einsum-symbolic-ellipsis"),
    ],
)
def test_einsum_symbolic(shape1, shape2, subscripts, expected):
    assert ops.einsum(subscripts, ops.KerasTensor(shape1), ops.KerasTensor(shape2)).shape == expected


def test_matmul_symbolic_unknown_dims():
    out = ops.matmul(ops.KerasTensor((None, 1, 3, 4), "int8"), ops.KerasTensor((7, 4, None), "uint8"))
    assert out.shape == (None, 7, 3, None) and out.dtype == "int16"


# Diagonals, triangles, trace ------------------------------------------------------------------------------------

M = sample((3, 4, 5), "float32", -3, 3, seed=40)
MATRIX_CASES = {
    "diagonal": (lambda x: ops.diagonal(x), lambda x: np.diagonal(x)),
    "diagonal-offset": (lambda x: ops.diagonal(x, offset=1, axis1=1, axis2=2),
                        lambda x: np.diagonal(x, offset=1, axis1=1, axis2=2)),
    "diagonal-negative": (lambda x: ops.diagonal(x, offset=-2, axis1=-1, axis2=0),
                          lambda x: np.diagonal(x, offset=-2, axis1=-1, axis2=0)),
    "diag-extract": (lambda x: ops.diag(x[0], k=1), lambda x: np.diag(x[0], k=1)),
    "diag-build": (lambda x: ops.diag(x[0, 0], k=-1), lambda x: np.diag(x[0, 0], k=-1)),
    "diagflat": (lambda x: ops.diagflat(x[0, :2, :2], k=1), lambda x: np.diagflat(x[0, :2, :2], k=1)),
    "tril": (ops.tril, np.tril),
    "tril-k": (lambda x: ops.tril(x, k=-1), lambda x: np.tril(x, k=-1)),
    "triu": (ops.triu, np.triu),
    "triu-k": (lambda x: ops.triu(x, k=2), lambda x: np.triu(x, k=2)),
    "trace": (lambda x: ops.trace(x[0]), lambda x: np.trace(x[0])),
    "trace-axes": (lambda x: ops.trace(x, offset=1, axis1=1, axis2=2),
                   lambda x: np.trace(x, offset=1, axis1=1, axis2=2)),
    "vander": (lambda x: ops.vander(x[0, 0]), lambda x: np.vander(x[0, 0])),
    "vander-increasing": (lambda x: ops.vander(x[0, 0], N=3, increasing=True),
                          lambda x: np.vander(x[0, 0], N=3, increasing=True)),
}


@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in MATRIX_CASES])
def test_matrix_structure(case):
    fn, reference = MATRIX_CASES[case]
    check_op(fn, [M], reference(M.astype("float64")).astype("float32"), dtype="float32", rtol=1e-5, atol=1e-5)
    ints = np.round(M).astype("int32")
    check_op(fn, [ints], reference(ints), dtype="int32", symbolic=False, rtol=1e-5, atol=1e-5)


def test_trace_accumulates_small_ints_in_int32():
    x = np.full((3, 3), 100, np.int8)
    check_op(ops.trace, [x], np.array(300), dtype="int32")
    check_op(ops.trace, [x > 0], np.array(3), dtype="int32")


def test_tril_triu_need_matrices():
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        ops.tril(np.ones((3,)))


# Gradients ------------------------------------------------------------------------------------------------------

GRAD_PRODUCTS = ["matmul-batch-broadcast", "matmul-vector-left", "dot-nd", "dot-scalar", "tensordot-axes", "inner-nd",
                 "outer", "vdot", "kron-2d", "cross-broadcast", "cross-2", "einsum-batch", "einsum-trace"]


@support.needs_gradients
@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c}-grad") for c in GRAD_PRODUCTS])
def test_product_gradients(case):
    fn, reference, shapes = PRODUCTS[case]
    check_gradients(fn, reference, *_operands(shapes, "float32"))


@support.needs_gradients
@pytest.mark.parametrize(
    "case", [pytest.param(c, id=f"{c}-grad") for c in ("diagonal-offset", "diag-build", "tril-k", "triu", "trace-axes",
                                                       "vander")]
)
def test_matrix_gradients(case):
    fn, reference = MATRIX_CASES[case]
    check_gradients(fn, reference, M)
