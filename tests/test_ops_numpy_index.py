"""Indexing and selection vs NumPy: get_item (`x[key]`), take, take_along_axis, where, nonzero, select, bincount,
unravel_index."""

import numpy as np
import pytest

import support
from kerasx import ops
from numpy_support import check_gradients, check_op, sample

X = sample((4, 5, 6), "float32", seed=50)

# id -> key (NumPy semantics; arrays in keys become tensors of the selected engine in test_get_item).
KEYS = {
    "get_item-int": 1,
    "get_item-negative-int": -1,
    "get_item-slice": slice(1, 3),
    "get_item-step": (slice(None), slice(None, None, 2)),
    "get_item-negative-step": (slice(None, None, -1), 2),
    "get_item-ellipsis": (Ellipsis, 3),
    "get_item-newaxis": (None, 1, Ellipsis, None),
    "get_item-mixed": (slice(1, None), 0, slice(None, 4, 3)),
    "get_item-int-array": np.array([3, 0, -1]),
    "get_item-int-list": [2, 2],
    "get_item-2d-int-array": np.array([[0, 1], [3, 2]]),
    "get_item-array-then-slice": (np.array([1, 3]), slice(1, 4)),
    "get_item-slice-then-array": (slice(None), np.array([4, 0, 2])),
    "get_item-two-arrays": (np.array([0, 2, 3]), np.array([1, 1, 4])),
    "get_item-adjacent-arrays": (slice(None), np.array([0, 4]), np.array([[1], [5]])),
    "get_item-separated-arrays": (np.array([0, 3]), slice(None), np.array([1, 2])),
    "get_item-array-and-int": (0, slice(None), np.array([5, 1])),
    "get_item-bool-mask": np.array([True, False, True, True]),
    "get_item-bool-mask-2d": X[..., 0] > 0,
    "get_item-bool-after-slice": (slice(None), np.array([True, False, False, True, True])),
}


@pytest.mark.parametrize("case", [pytest.param(c, id=c) for c in KEYS])
def test_get_item(case):
    key = KEYS[case]
    expected = X[key]
    result = ops.get_item(X, key)
    support.assert_close(result, expected)
    support.assert_dtype(result, "float32")
    # The same through `[]` on an engine tensor's KerasTensor stand-in and with engine-tensor indices.
    native_key = tuple(ops.convert_to_tensor(k) if isinstance(k, np.ndarray) else k for k in
                       (key if isinstance(key, tuple) else (key,)))
    support.assert_close(ops.get_item(ops.convert_to_tensor(X), native_key), expected)
    symbolic = ops.KerasTensor(X.shape)[key]
    assert symbolic.shape == tuple(d if "bool" not in case or i != _mask_axis(case) else None
                                   for i, d in enumerate(expected.shape)), (symbolic.shape, expected.shape)


def _mask_axis(case):
    return 1 if case == "get_item-bool-after-slice" else 0


def test_get_item_symbolic_unknown_dims():
    x = ops.KerasTensor((None, 5, 6), "int32")
    assert x[0].shape == (5, 6)
    assert x[:, 1:4].shape == (None, 3, 6)
    assert x[..., None, ::2].shape == (None, 5, 1, 3)
    assert x[np.array([0, 1])].shape == (2, 5, 6)
    assert x[:, ops.KerasTensor((2, 3), "int32")].shape == (None, 2, 3, 6)
    assert x[1:3].dtype == "int32"


@pytest.mark.parametrize(
    "key,error,message",
    [
        pytest.param((0, 0, 0, 0), IndexError, "Too many indices", id="get_item-too-many"),
        pytest.param(9, IndexError, "out of range", id="get_item-out-of-range"),
        pytest.param("a", TypeError, "Unsupported index", id="get_item-bad-key"),
        pytest.param((Ellipsis, Ellipsis), ValueError, "single ellipsis", id="get_item-two-ellipses"),
        pytest.param(np.array([0.5]), TypeError, "integers or bools", id="get_item-float-index"),
    ],
)
def test_get_item_errors(key, error, message):
    with pytest.raises(error, match=message):
        ops.get_item(X, key)


@pytest.mark.parametrize(
    "indices,axis",
    [
        pytest.param(np.array([2, 0, -1]), 1, id="take-axis1"),
        pytest.param(np.array([[1, 0], [3, -2]]), 2, id="take-2d-indices"),
        pytest.param(np.array([7, 100, 0]), None, id="take-flat"),
        pytest.param(np.array(3), 0, id="take-scalar-index"),
    ],
)
def test_take(indices, axis):
    check_op(ops.take, [X, indices], np.take(X, indices, axis=axis), dtype="float32", kwargs={"axis": axis})
    ints = np.round(X).astype("int32")
    check_op(ops.take, [ints, indices], np.take(ints, indices, axis=axis), dtype="int32", kwargs={"axis": axis},
             symbolic=False)


@pytest.mark.parametrize(
    "axis,index_shape",
    [
        pytest.param(1, (4, 3, 6), id="take_along_axis-axis1"),
        pytest.param(-1, (4, 5, 2), id="take_along_axis-last"),
        pytest.param(0, (1, 5, 1), id="take_along_axis-broadcast"),
        pytest.param(None, (7,), id="take_along_axis-flat"),
    ],
)
def test_take_along_axis(axis, index_shape):
    size = X.size if axis is None else X.shape[axis]
    indices = np.random.default_rng(51).integers(-size, size, size=index_shape)
    expected = np.take_along_axis(X, indices, axis=axis)
    check_op(ops.take_along_axis, [X, indices], expected, dtype="float32", kwargs={"axis": axis})


def test_take_along_axis_with_argsort_is_sort():
    x = sample((3, 7), "int32", -9, 9, seed=52)
    check_op(lambda t: ops.take_along_axis(t, ops.argsort(t, axis=1), axis=1), [x], np.sort(x, axis=1), dtype="int32")


@pytest.mark.parametrize(
    "x1,x2,dtype",
    [
        pytest.param(sample((4, 5), "float32", seed=53), sample((5,), "float32", seed=54), "float32",
                     id="where-float32"),
        pytest.param(sample((4, 5), "int32", -9, 9, seed=53), 0, "int32", id="where-python-scalar"),
        pytest.param(sample((4, 1), "int8", -9, 9, seed=53), sample((5,), "uint8", 0, 9, seed=54), "int16",
                     id="where-promote"),
    ],
)
def test_where(x1, x2, dtype):
    condition = sample((4, 5), "float32", seed=55) > 0
    check_op(ops.where, [condition, x1, x2], np.where(condition, x1, x2).astype(dtype), dtype=dtype)


def test_where_condition_of_numbers_and_errors():
    condition = np.array([0.0, 2.0, -1.0], np.float32)
    check_op(ops.where, [condition, 1.0, 2.0], np.where(condition, 1.0, 2.0).astype("float32"), dtype="float32")
    with pytest.raises(ValueError, match="needs both `x1` and `x2`"):
        ops.where(condition, 1.0)


def test_nonzero_and_where_with_condition_only():
    x = np.round(sample((3, 4), "float32", seed=56))
    check_op(ops.nonzero, [x], np.nonzero(x), dtype="int32", symbolic=False)
    check_op(ops.where, [x], np.nonzero(x), dtype="int32", symbolic=False)
    symbolic = ops.nonzero(ops.KerasTensor((None, 4)))
    assert [t.shape for t in symbolic] == [(None,), (None,)] and symbolic[0].dtype == "int32"


def test_select():
    x = sample((3, 4), "float32", seed=57)
    conditions = [x < -1, x > 1]
    choices = [x * 10, x * 100]
    check_op(ops.select, [conditions, choices], np.select(conditions, choices), dtype="float32")
    check_op(ops.select, [conditions, choices], np.select(conditions, choices, default=-7), dtype="float32",
             kwargs={"default": -7})
    with pytest.raises(ValueError, match="as many conditions as choices"):
        ops.select([x > 0], choices)


@pytest.mark.parametrize(
    "weights,minlength",
    [pytest.param(False, 0, id="bincount-counts"), pytest.param(True, 0, id="bincount-weights"),
     pytest.param(False, 10, id="bincount-minlength")],
)
def test_bincount(weights, minlength):
    x = np.array([0, 1, 1, 3, 2, 1, 7], np.int32)
    w = sample((7,), "float32", 0, 2, seed=58) if weights else None
    expected = np.bincount(x, weights=w, minlength=minlength)
    dtype = "float32" if weights else "int32"
    result = check_op(ops.bincount, [x], expected.astype(dtype), dtype=dtype, symbolic=False,
                      kwargs={"weights": w, "minlength": minlength})
    assert ops.bincount(ops.KerasTensor((None,), "int32"), minlength=minlength).shape == (None,)
    assert result is not None


def test_bincount_batched_and_errors():
    x = np.array([[0, 1, 1], [2, 2, 2]], np.int32)
    expected = np.stack([np.bincount(row, minlength=4) for row in x])
    check_op(ops.bincount, [x], expected, dtype="int32", symbolic=False, kwargs={"minlength": 4})
    with pytest.raises(ValueError, match="sparse=True is not supported"):
        ops.bincount(x, sparse=True)


def test_unravel_index():
    indices = np.array([0, 7, 22, 59], np.int32)
    check_op(ops.unravel_index, [indices, (3, 4, 5)], np.unravel_index(indices, (3, 4, 5)), dtype="int32")


@support.needs_gradients
@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=f"{c}-grad") for c in ("get_item-mixed", "get_item-int-array", "get_item-two-arrays",
                                                "get_item-separated-arrays", "get_item-bool-mask-2d")],
)
def test_get_item_gradients(case):
    key = KEYS[case]
    check_gradients(lambda t: ops.get_item(t, key), lambda t: t[key], X, compiled="bool" not in case)


@support.needs_gradients
def test_take_where_select_gradients():
    indices = np.array([[1, 0], [3, -2]])
    check_gradients(lambda t: ops.take(t, indices, axis=2), lambda t: np.take(t, indices, axis=2), X)
    order = np.argsort(X, axis=1)
    check_gradients(lambda t: ops.take_along_axis(t, order, axis=1), lambda t: np.take_along_axis(t, order, axis=1), X)
    condition = X > 0
    check_gradients(lambda a, b: ops.where(condition, a, b), lambda a, b: np.where(condition, a, b), X, X[0])
