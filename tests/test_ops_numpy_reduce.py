"""Reductions, statistics, cumulative ops, sorting and searching vs NumPy: values, dtypes, symbolic shapes,
gradients and error messages."""

import numpy as np
import pytest

import support
from kerasx import ops
from numpy_support import check_gradients, check_op, sample

X = sample((2, 3, 4), "float32", -2, 2, seed=10)
AXES = [None, 1, -1, (0, 2)]

# name -> (reference, result dtype of an int32 input)
REDUCTIONS = {
    "sum": (np.sum, "int32"),
    "prod": (np.prod, "int32"),
    "mean": (np.mean, "float32"),
    "std": (np.std, "float32"),
    "var": (np.var, "float32"),
    "max": (np.max, "int32"),
    "min": (np.min, "int32"),
    "amax": (np.amax, "int32"),
    "amin": (np.amin, "int32"),
    "ptp": (np.ptp, "int32"),
    "median": (np.median, "float32"),
    "all": (np.all, "bool"),
    "any": (np.any, "bool"),
}


def _reduction_cases():
    for name in REDUCTIONS:
        for axis, keepdims in [(None, False), (-1, True), ((0, 2), False)]:
            yield pytest.param(name, axis, keepdims, id=f"{name}-axis{axis}-keepdims{keepdims}".replace(" ", ""))


@pytest.mark.parametrize("name,axis,keepdims", list(_reduction_cases()))
def test_reduction_float32(name, axis, keepdims):
    reference, _ = REDUCTIONS[name]
    x = X if name not in ("all", "any") else np.round(X)  # some zeros, so that all/any differ
    expected = reference(x.astype("float64"), axis=axis, keepdims=keepdims)
    dtype = "bool" if name in ("all", "any") else "float32"
    check_op(getattr(ops, name), [x], expected.astype(dtype), dtype=dtype, kwargs={"axis": axis, "keepdims": keepdims},
             rtol=2e-5, atol=1e-5)


@pytest.mark.parametrize("name", [pytest.param(n, id=f"{n}-int32") for n in REDUCTIONS])
def test_reduction_int32_dtypes(name):
    reference, dtype = REDUCTIONS[name]
    x = sample((3, 4), "int32", -3, 3, seed=11)
    expected = reference(x.astype("float64"), axis=1)
    check_op(getattr(ops, name), [x], expected.astype(dtype), dtype=dtype, kwargs={"axis": 1})


@pytest.mark.parametrize(
    "name,dtype,expected",
    [
        pytest.param("sum", "bool", "int32", id="sum-bool"),
        pytest.param("sum", "int8", "int32", id="sum-int8"),
        pytest.param("sum", "uint8", "uint32", id="sum-uint8"),
        pytest.param("sum", "float16", "float16", id="sum-float16"),
        pytest.param("prod", "int16", "int32", id="prod-int16"),
        pytest.param("mean", "bool", "float32", id="mean-bool"),
        pytest.param("max", "bool", "bool", id="max-bool"),
    ],
)
def test_reduction_result_dtypes(name, dtype, expected):
    x = sample((2, 5), dtype, 0, 3, seed=12)
    reference = getattr(np, name)(x.astype("float64"), axis=-1)
    check_op(getattr(ops, name), [x], reference.astype(expected), dtype=expected, kwargs={"axis": -1}, rtol=1e-3)


def test_max_min_initial():
    x = sample((2, 3), "float32", -1, 1)
    check_op(ops.max, [x], np.max(x, axis=1, initial=0.5), dtype="float32", kwargs={"axis": 1, "initial": 0.5})
    check_op(ops.min, [x], np.min(x, axis=0, initial=-0.5), dtype="float32", kwargs={"axis": 0, "initial": -0.5})


@pytest.mark.parametrize(
    "name,axis,keepdims",
    [pytest.param(n, a, k, id=f"{n}-axis{a}-keepdims{k}") for n in ("argmax", "argmin")
     for a, k in [(None, False), (None, True), (1, False), (-1, True), (0, False)]],
)
def test_argmax_argmin(name, axis, keepdims):
    expected = getattr(np, name)(X, axis=axis, keepdims=keepdims)
    check_op(getattr(ops, name), [X], expected, dtype="int32", kwargs={"axis": axis, "keepdims": keepdims})


def test_argmax_takes_the_first_of_ties():
    x = np.array([[1, 3, 3], [2, 2, 0]], np.int32)
    check_op(ops.argmax, [x], np.argmax(x, axis=1), dtype="int32", kwargs={"axis": 1})
    check_op(ops.argmin, [x], np.argmin(x, axis=1), dtype="int32", kwargs={"axis": 1})


@pytest.mark.parametrize("axis", [pytest.param(a, id=f"count_nonzero-axis{a}".replace(" ", "")) for a in AXES])
def test_count_nonzero(axis):
    x = np.round(X)
    check_op(ops.count_nonzero, [x], np.count_nonzero(x, axis=axis), dtype="int32", kwargs={"axis": axis})


@pytest.mark.parametrize(
    "method,q,axis,keepdims",
    [
        pytest.param(m, q, a, k, id=f"quantile-{m}-q{np.ndim(q)}-axis{a}-keepdims{k}".replace(" ", ""))
        for m, q, a, k in [("linear", 0.3, None, False), ("linear", [0.25, 0.75], (0, 2), True)]
        + [(m, [0.1, 0.5, 0.9], 1, False) for m in ("linear", "lower", "higher", "midpoint", "nearest")]
    ],
)
def test_quantile(method, q, axis, keepdims):
    expected = np.quantile(X.astype("float64"), q, axis=axis, method=method, keepdims=keepdims).astype("float32")
    kwargs = {"axis": axis, "method": method, "keepdims": keepdims}
    # The q axis comes first, so an unknown batch size shows up second: checked in test_quantile_symbolic.
    check_op(ops.quantile, [X, q], expected, dtype="float32", kwargs=kwargs, rtol=2e-5, atol=1e-6,
             symbolic=np.ndim(q) == 0)


def test_quantile_symbolic():
    x = ops.KerasTensor((None, 3, 4), "int32")
    assert ops.quantile(x, [0.1, 0.5], axis=1).shape == (2, None, 4)
    assert ops.quantile(x, 0.5, axis=(0, 2), keepdims=True).shape == (1, 3, 1)
    assert ops.percentile(x, [10.0], axis=None).dtype == "float32"


def test_percentile_and_int_quantile():
    q = [10.0, 50.0, 90.0]
    expected = np.percentile(X.astype("float64"), q, axis=-1).astype("float32")
    check_op(ops.percentile, [X, q], expected, dtype="float32", kwargs={"axis": -1}, rtol=2e-5, atol=1e-6,
             symbolic=False)
    ints = sample((11,), "int32", 0, 20)
    check_op(ops.quantile, [ints, 0.4], np.quantile(ints, 0.4).astype("float32"), dtype="float32")
    with pytest.raises(ValueError, match="Unknown quantile method"):
        ops.quantile(X, 0.5, method="cubic")


@pytest.mark.parametrize(
    "axis,weights",
    [
        pytest.param(None, None, id="average-unweighted"),
        pytest.param(1, "full", id="average-full-weights"),
        pytest.param(-1, "1d", id="average-1d-weights"),
        pytest.param(None, "full", id="average-all-axes"),
    ],
)
def test_average(axis, weights):
    if weights == "full":
        w = sample(X.shape, "float32", 0.5, 2, seed=13)
    elif weights == "1d":
        w = sample((X.shape[axis],), "float32", 0.5, 2, seed=13)
    else:
        w = None
    expected = np.average(X.astype("float64"), axis=axis, weights=w).astype("float32")
    check_op(ops.average, [X], expected, dtype="float32", kwargs={"axis": axis, "weights": w}, symbolic=False)
    check_op(lambda x: ops.average(x, axis=axis, weights=w), [X], expected, dtype="float32")


def test_average_rejects_misaligned_weights():
    with pytest.raises(ValueError, match="`average` needs `weights`"):
        ops.average(X, axis=None, weights=np.ones((4,), np.float32))


@pytest.mark.parametrize(
    "name,axis,dtype",
    [pytest.param(n, a, d, id=f"{n}-axis{a}-{d}") for n in ("cumsum", "cumprod") for a, d in
     [(None, "float32"), (0, "float32"), (-1, "float32"), (1, "int32")]],
)
def test_cumulative(name, axis, dtype):
    x = sample((2, 3, 4), dtype, -2, 2, seed=14) if dtype == "int32" else X
    expected = getattr(np, name)(x, axis=axis)
    check_op(getattr(ops, name), [x], expected.astype(dtype), dtype=dtype, kwargs={"axis": axis}, rtol=2e-5, atol=1e-5)


def test_cumsum_dtypes():
    bools = np.array([True, False, True, True])
    check_op(ops.cumsum, [bools], np.cumsum(bools), dtype="int32")
    check_op(ops.cumsum, [bools], np.cumsum(bools).astype("float32"), dtype="float32", kwargs={"dtype": "float32"})
    small = np.array([100, 100, 100], np.int8)
    check_op(ops.cumsum, [small], np.cumsum(small, dtype=np.int32), dtype="int32", kwargs={"dtype": "int32"})


@pytest.mark.parametrize(
    "n,axis", [pytest.param(n, a, id=f"diff-n{n}-axis{a}") for n, a in [(1, -1), (2, -1), (1, 0), (0, 1), (5, -1)]]
)
def test_diff(n, axis):
    check_op(ops.diff, [X], np.diff(X, n=n, axis=axis), dtype="float32", kwargs={"n": n, "axis": axis}, rtol=1e-5)


def test_diff_of_bools_and_ints():
    bools = np.array([True, True, False, True])
    check_op(ops.diff, [bools], np.diff(bools), dtype="bool")
    ints = np.array([[1, 4, 9], [2, 2, 7]], np.int32)
    check_op(ops.diff, [ints], np.diff(ints), dtype="int32")
    with pytest.raises(ValueError, match="non-negative integer order"):
        ops.diff(ints, n=-1)


@pytest.mark.parametrize("case", [pytest.param(c, id=f"trapezoid-{c}") for c in ("dx", "x1d", "xfull", "axis0")])
def test_trapezoid(case):
    y = sample((3, 5), "float32", -2, 2, seed=15)
    if case == "dx":
        kwargs = {"dx": 0.5}
    elif case == "x1d":
        kwargs = {"x": np.sort(sample((5,), "float32", 0, 4, seed=16))}
    elif case == "xfull":
        kwargs = {"x": np.sort(sample((3, 5), "float32", 0, 4, seed=16), axis=-1)}
    else:
        kwargs = {"x": np.sort(sample((3,), "float32", 0, 4, seed=16)), "axis": 0}
    expected = np.trapezoid(y.astype("float64"), **kwargs).astype("float32")
    check_op(ops.trapezoid, [y], expected, dtype="float32", kwargs=kwargs, rtol=2e-5, atol=1e-5)


# Sorting and searching ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,axis,dtype",
    [pytest.param(n, a, d, id=f"{n}-axis{a}-{d}") for n in ("sort", "argsort")
     for a, d in [(-1, "float32"), (0, "float32"), (None, "float32"), (1, "int32")]],
)
def test_sort_and_argsort(name, axis, dtype):
    # The int32 input has ties: argsort is stable (equal values keep their order), as NumPy's stable sort.
    x = sample((3, 6), dtype, -3, 3, seed=17)
    expected = getattr(np, name)(x, axis=axis, kind="stable")
    check_op(getattr(ops, name), [x], expected, dtype="int32" if name == "argsort" else dtype, kwargs={"axis": axis})


@pytest.mark.parametrize("k", [pytest.param(k, id=f"top_k-{k}") for k in (1, 3, 6)])
def test_top_k(k):
    x = sample((2, 3, 6), "float32", -3, 3, seed=18)
    order = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    expected = (np.take_along_axis(x, order, axis=-1), order)
    check_op(ops.top_k, [x, k], expected, dtype=["float32", "int32"])


def test_top_k_unsorted_returns_the_same_set():
    x = sample((4, 7), "float32", -3, 3, seed=19)
    values, indices = ops.top_k(x, 3, sorted=False)
    expected = np.sort(np.sort(x, axis=-1)[..., -3:], axis=-1)
    support.assert_close(np.sort(support.to_numpy(values), axis=-1), expected)
    support.assert_close(np.take_along_axis(x, support.to_numpy(indices), axis=-1), support.to_numpy(values))
    with pytest.raises(ValueError, match="0 <= k <= x.shape"):
        ops.top_k(x, 8)


@pytest.mark.parametrize("kth", [pytest.param(k, id=f"argpartition-kth{k}") for k in (0, 2, 4)])
def test_argpartition(kth):
    x = sample((3, 5), "float32", -3, 3, seed=20)
    # Any partition is valid, so check the property rather than particular indices.
    indices = support.check_symbolic(ops.argpartition, x, kth)
    support.assert_dtype(indices, "int32")
    parted = np.take_along_axis(x, support.to_numpy(indices), axis=-1)
    kth_values = np.sort(x, axis=-1)[:, kth : kth + 1]
    support.assert_close(parted[:, kth : kth + 1], kth_values, rtol=0, atol=0)
    assert np.all(parted[:, :kth] <= kth_values) and np.all(parted[:, kth + 1 :] >= kth_values)


@pytest.mark.parametrize("side", [pytest.param(s, id=f"searchsorted-{s}") for s in ("left", "right")])
def test_searchsorted(side):
    sequence = np.array([-1.0, 0.0, 0.0, 1.5, 3.0], np.float32)
    values = np.array([[-2.0, 0.0, 1.0], [1.5, 3.0, 4.0]], np.float32)
    check_op(ops.searchsorted, [sequence, values], np.searchsorted(sequence, values, side=side), dtype="int32",
             kwargs={"side": side})
    with pytest.raises(ValueError, match="Expected 'left' or 'right'"):
        ops.searchsorted(sequence, values, side="middle")


def test_digitize():
    bins = np.array([0.0, 1.0, 2.5, 4.0], np.float32)
    x = np.array([[-1.0, 0.0, 0.5], [2.5, 3.9, 7.0]], np.float32)
    check_op(ops.digitize, [x, bins], np.digitize(x, bins), dtype="int32")
    ints = np.array([0, 3, 9], np.int32)
    check_op(ops.digitize, [ints, np.array([1, 3, 5], np.int32)], np.digitize(ints, [1, 3, 5]), dtype="int32")


# Gradients ------------------------------------------------------------------------------------------------------

GRAD_CASES = {
    "sum": (lambda x: ops.sum(x, axis=1), lambda x: np.sum(x, axis=1)),
    "prod": (lambda x: ops.prod(x, axis=(0, 2)), lambda x: np.prod(x, axis=(0, 2))),
    "mean": (lambda x: ops.mean(x, axis=-1, keepdims=True), lambda x: np.mean(x, axis=-1, keepdims=True)),
    "std": (lambda x: ops.std(x, axis=1), lambda x: np.std(x, axis=1)),
    "var": (lambda x: ops.var(x), lambda x: np.var(x)),
    "max": (lambda x: ops.max(x, axis=1), lambda x: np.max(x, axis=1)),
    "min": (lambda x: ops.min(x, axis=-1), lambda x: np.min(x, axis=-1)),
    "amax": (lambda x: ops.amax(x, axis=0), lambda x: np.amax(x, axis=0)),
    "amin": (lambda x: ops.amin(x, axis=0), lambda x: np.amin(x, axis=0)),
    "ptp": (lambda x: ops.ptp(x, axis=1), lambda x: np.ptp(x, axis=1)),
    "median": (lambda x: ops.median(x, axis=-1), lambda x: np.median(x, axis=-1)),
    "quantile": (lambda x: ops.quantile(x, 0.3, axis=1), lambda x: np.quantile(x, 0.3, axis=1)),
    "average": (lambda x: ops.average(x, axis=-1, weights=np.arange(1.0, 5.0, dtype=np.float32)),
                lambda x: np.average(x, axis=-1, weights=np.arange(1.0, 5.0))),
    "cumsum": (lambda x: ops.cumsum(x, axis=1), lambda x: np.cumsum(x, axis=1)),
    "cumprod": (lambda x: ops.cumprod(x, axis=-1), lambda x: np.cumprod(x, axis=-1)),
    "diff": (lambda x: ops.diff(x, n=2), lambda x: np.diff(x, n=2)),
    "trapezoid": (lambda x: ops.trapezoid(x, dx=0.5), lambda x: np.trapezoid(x, dx=0.5)),
    "sort": (lambda x: ops.sort(x, axis=1), lambda x: np.sort(x, axis=1)),
    "top_k": (lambda x: ops.top_k(x, 2)[0], lambda x: -np.sort(-x, axis=-1)[..., :2]),
}


@support.needs_gradients
@pytest.mark.parametrize("name", [pytest.param(n, id=f"{n}-grad") for n in GRAD_CASES])
def test_gradients(name):
    fn, reference = GRAD_CASES[name]
    check_gradients(fn, reference, X)
