"""The numpy-like ops kerasx added to reach Keras 3's surface, vs NumPy and Keras 3 on every backend:
nan-reductions and nan-quantiles, unique, histogram, corrcoef, correlate, ldexp, view, vectorize, slogdet and
prod(dtype); symbolic specs vs Keras 3; gradients where differentiable."""

import os

import numpy as np
import pytest

import support
from keras_oracle import _leaves, _symbolic, check_against_keras, check_spec_against_keras, keras, keras_values
from kerasx import ops
from numpy_support import check_gradients, check_op, sample

# Keras 3 on jax with JAX_ENABLE_X64 returns jax's default int64 from its nan-ops on integers (and from nanargmax and
# nanargmin) where its own symbolic dtype, and its other engines, say int32; kerasx gives int32 everywhere.
JAX_X64 = support.BACKEND == "jax" and os.environ.get("JAX_ENABLE_X64", "").lower() in ("1", "true")

X = sample((3, 4, 5), "float32", -2, 2, seed=20)
X_NAN = X.copy()
X_NAN[0, 1, 2] = X_NAN[1, :, 3] = X_NAN[2, 0, :] = np.nan
X_NAN[2, :, 4] = np.nan  # a slice of only NaNs along axis 1
AXES = [None, 1, -1, (0, 2)]


def check_grads(*args, **kwargs):
    if support.TRAINS:
        check_gradients(*args, **kwargs)


def check_against_keras_spec(fn, keras_fn, *args, rtol=1e-5, atol=1e-6, **kwargs):
    """Values as Keras 3 computes them eagerly, shapes and dtypes as its symbolic spec (its documented dtypes) says:
    for calls where Keras's eager dtype on this engine departs from its own spec."""
    ours = _leaves(fn(*args, **kwargs))
    specs = _leaves(keras_fn(*[_symbolic(a, keras.KerasTensor, False) for a in args], **kwargs))
    for actual, expected, spec in zip(ours, keras_values(keras_fn, *args, **kwargs), specs, strict=True):
        support.assert_close(actual, expected, rtol=rtol, atol=atol)
        assert ops.dtype(actual) == keras.backend.standardize_dtype(spec.dtype)
    check_spec_against_keras(fn, keras_fn, *args, **kwargs)


NAN_REDUCTIONS = {
    "nansum": np.nansum, "nanprod": np.nanprod, "nanmean": np.nanmean, "nanvar": np.nanvar, "nanstd": np.nanstd,
    "nanmax": np.nanmax, "nanmin": np.nanmin, "nanmedian": np.nanmedian,
}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("name", sorted(NAN_REDUCTIONS))
def test_nan_reductions(name, axis):
    expected = NAN_REDUCTIONS[name](X_NAN.astype("float64"), axis=axis)
    for keepdims in (False, True):
        check_op(getattr(ops, name), [X_NAN], NAN_REDUCTIONS[name](X_NAN.astype("float64"), axis=axis,
                                                                     keepdims=keepdims).astype("float32"),
                 dtype="float32", kwargs={"axis": axis, "keepdims": keepdims}, rtol=2e-5, atol=2e-5)
    check_against_keras(getattr(ops, name), getattr(keras.ops, name), X_NAN, axis=axis, rtol=2e-5, atol=2e-5)
    assert expected is not None


@pytest.mark.parametrize("name", ["nansum", "nanprod", "nanmean", "nanvar", "nanstd", "nanmax", "nanmin",
                                  "nanmedian", "nanargmax", "nanargmin", "nancumsum", "nancumprod"])
@pytest.mark.parametrize("dtype", ["int8", "int32", "bool", "float16"])
def test_nan_ops_dtypes_match_keras(name, dtype):
    x = sample((2, 3), dtype, 0, 3, seed=21)
    fn, keras_fn = getattr(ops, name), getattr(keras.ops, name)
    if support.BACKEND == "tensorflow" and name == "nanmedian" and dtype in ("int8", "int32", "bool"):
        # Keras 3's tensorflow nanmedian fails on integers and bools (a float32 write into an integer
        # TensorArray): NumPy is the reference for the values, Keras's spec for the dtype.
        support.assert_close(fn(x, axis=1), np.nanmedian(x.astype("float64"), axis=1), rtol=1e-6)
        check_spec_against_keras(fn, keras_fn, x, axis=1)
    elif JAX_X64 and (dtype != "float16" and name not in _FLOAT_RESULTS or name in ("nanargmax", "nanargmin")):
        check_against_keras_spec(fn, keras_fn, x, axis=1, rtol=1e-3, atol=1e-3)
    else:
        check_against_keras(fn, keras_fn, x, axis=1, rtol=1e-3, atol=1e-3)


# The nan-ops whose result is a float whatever the input (the others keep an integer input's integer dtype).
_FLOAT_RESULTS = ("nanmean", "nanvar", "nanstd", "nanmedian")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", ["nanargmax", "nanargmin"])
@pytest.mark.parametrize("axis", [None, 0, 2])
def test_nan_arg_reductions(name, axis):
    x = X_NAN[:2]  # no all-NaN slice along axis 0 or 2 here; NumPy raises on those
    reference = getattr(np, name)(x, axis=axis)
    check_op(getattr(ops, name), [x], np.asarray(reference).astype("int32"), dtype="int32", kwargs={"axis": axis})
    check = check_against_keras_spec if JAX_X64 else check_against_keras
    check(getattr(ops, name), getattr(keras.ops, name), x, axis=axis)


def test_nan_arg_reductions_of_all_nan_slices_are_minus_one():
    x = np.array([[np.nan, np.nan], [1.0, np.nan]], "float32")
    check_op(ops.nanargmax, [x], np.array([-1, 0]), dtype="int32", kwargs={"axis": 1})
    check_op(ops.nanargmin, [x], np.array([-1, 0]), dtype="int32", kwargs={"axis": 1})


@pytest.mark.parametrize("name", ["nancumsum", "nancumprod"])
@pytest.mark.parametrize("axis", [None, 1])
def test_nan_cumulative(name, axis):
    x = X_NAN[:, :2, :3]
    expected = getattr(np, name)(x.astype("float64"), axis=axis).astype("float32")
    check_op(getattr(ops, name), [x], expected, dtype="float32", kwargs={"axis": axis}, rtol=1e-5, atol=1e-5)
    check_against_keras(getattr(ops, name), getattr(keras.ops, name), x, axis=axis, rtol=1e-5, atol=1e-5)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("method", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("axis,keepdims", [(None, False), (1, False), ((0, 2), True)])
def test_nan_quantiles(method, axis, keepdims):
    q = np.array([0.0, 0.3, 0.5, 1.0], "float32")
    expected = np.nanquantile(X_NAN.astype("float64"), q.astype("float64"), axis=axis, method=method,
                              keepdims=keepdims)
    check_op(ops.nanquantile, [X_NAN, q], expected.astype("float32"), dtype="float32",
             kwargs={"axis": axis, "method": method, "keepdims": keepdims}, rtol=1e-5, atol=1e-5)
    expected = np.nanpercentile(X_NAN.astype("float64"), 40.0, axis=axis, method=method, keepdims=keepdims)
    check_op(ops.nanpercentile, [X_NAN], expected.astype("float32"), dtype="float32",
             kwargs={"q": 40.0, "axis": axis, "method": method, "keepdims": keepdims}, rtol=1e-5, atol=1e-5)
    check_spec_against_keras(ops.nanquantile, keras.ops.nanquantile, X_NAN, q, axis=axis, method=method,
                             keepdims=keepdims)


def test_nan_reduction_gradients():
    check_grads(lambda x: ops.nansum(x, axis=1), lambda x: np.nansum(x, axis=1), X_NAN)
    check_grads(lambda x: ops.nanmean(x, axis=2), lambda x: np.nanmean(x, axis=2), X_NAN[:2])
    check_grads(lambda x: ops.nanvar(x, axis=2), lambda x: np.nanvar(x, axis=2), X_NAN[:2], rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"return_index": True, "return_inverse": True, "return_counts": True},
        {"return_counts": True, "size": 8, "fill_value": -1},
        {"return_index": True, "return_counts": True, "size": 2},
        {"axis": 0, "return_index": True, "return_inverse": True, "return_counts": True},
        {"axis": 1, "return_inverse": True},
    ],
    ids=["plain", "all-outputs", "padded", "truncated", "rows", "columns"],
)
def test_unique_matches_numpy(kwargs):
    x = np.array([[3, 1, 3], [2, 1, 2], [3, 1, 3], [0, 5, 0]], "int32")
    size, fill = kwargs.get("size"), kwargs.get("fill_value")
    numpy_kwargs = {k: v for k, v in kwargs.items() if k not in ("size", "fill_value")}
    expected = np.unique(x, **numpy_kwargs)
    expected = list(expected) if isinstance(expected, tuple) else [expected]
    if kwargs.get("return_inverse") and kwargs.get("axis") is None:
        position = 1 + int(bool(kwargs.get("return_index")))
        expected[position] = expected[position].reshape(x.shape)
    if size is not None:
        count = len(expected[0])
        padded = []
        for i, e in enumerate(expected):
            is_counts = kwargs.get("return_counts") and i == len(expected) - 1
            is_index = kwargs.get("return_index") and i == 1
            if len(e) >= size:
                padded.append(e[:size])
                continue
            filler = 0 if is_counts else (e[0] if is_index else fill)
            padded.append(np.concatenate([e, np.full(size - count, filler)]))
        expected = padded
    result = ops.unique(x, **kwargs)
    results = list(result) if isinstance(result, tuple) else [result]
    assert len(results) == len(expected)
    for actual, wanted in zip(results, expected):
        support.assert_close(actual, wanted)
        assert ops.dtype(actual) == "int32"
    if size is not None:
        check_spec_against_keras(lambda v: ops.unique(v, **kwargs), lambda v: keras.ops.unique(v, **kwargs), x)


def test_unique_unsorted_keeps_first_occurrence_order():
    values, index, inverse = ops.unique(np.array([3, 1, 2, 1, 3], "int32"), sorted=False, return_index=True,
                                        return_inverse=True)
    support.assert_close(values, np.array([3, 1, 2]))
    support.assert_close(index, np.array([0, 1, 2]))
    support.assert_close(inverse, np.array([0, 1, 2, 1, 0]))


def test_unique_of_floats_and_symbolic_size_is_required():
    support.assert_close(ops.unique(np.array([2.5, -1.0, 2.5], "float32")), np.array([-1.0, 2.5]))
    spec = ops.unique(ops.KerasTensor((None, 3), "int32"))
    assert spec.shape == (None,)


@pytest.mark.parametrize("bins,value_range", [(3, None), (5, (0.0, 4.0)), (4, (-1.0, 1.0))])
def test_histogram(bins, value_range):
    x = np.array([1.0, 2.0, 2.0, 3.0, 7.0, -0.5, 0.0], "float32")
    counts, edges = np.histogram(x, bins=bins, range=value_range)
    check_op(lambda v: ops.histogram(v, bins, value_range), [x], [counts.astype("float32"), edges], dtype="float32",
             rtol=1e-6, atol=1e-6)
    check_spec_against_keras(lambda v: ops.histogram(v, bins, value_range),
                             lambda v: keras.ops.histogram(v, bins, value_range), x)


def test_corrcoef():
    x = sample((3, 6), "float32", seed=22)
    check_op(ops.corrcoef, [x], np.corrcoef(x.astype("float64")).astype("float32"), dtype="float32", rtol=1e-5,
             atol=1e-5)
    check_against_keras(ops.corrcoef, keras.ops.corrcoef, x, rtol=1e-5, atol=1e-5, symbolic=False)
    check_grads(ops.corrcoef, np.corrcoef, x, rtol=1e-3, atol=1e-3)


def _keras_correlates_as_numpy(m: int, n: int, mode: str) -> bool:
    """Whether Keras 3 gives NumPy's correlation of lengths m and n here; kerasx does everywhere. Keras's torch
    backend returns x1's length for "same" when x2 is longer and a scalar for "valid" of equal lengths; its tensorflow
    backend fails ("valid") or shifts the values ("same") when x2 is longer."""
    if support.BACKEND == "torch":
        return not (mode == "same" and n > m or mode == "valid" and m == n)
    if support.BACKEND == "tensorflow":
        return not (mode in ("valid", "same") and n > m)
    return True


@pytest.mark.parametrize("mode", ["valid", "same", "full"])
@pytest.mark.parametrize("lengths", [(6, 3), (3, 6), (5, 4), (4, 4)], ids=str)
def test_correlate(mode, lengths):
    a, v = sample((lengths[0],), "float32", seed=23), sample((lengths[1],), "float32", seed=24)
    expected = np.correlate(a.astype("float64"), v.astype("float64"), mode=mode)
    check_op(lambda x, y: ops.correlate(x, y, mode=mode), [a, v], expected.astype("float32"), dtype="float32",
             rtol=1e-5, atol=1e-5, symbolic=False)
    if _keras_correlates_as_numpy(*lengths, mode):
        check_against_keras(lambda x, y: ops.correlate(x, y, mode=mode),
                            lambda x, y: keras.ops.correlate(x, y, mode=mode), a, v, rtol=1e-5, atol=1e-5,
                            symbolic=False)
    check_grads(lambda x, y: ops.correlate(x, y, mode=mode), lambda x, y: np.correlate(x, y, mode=mode), a, v)


def test_ldexp():
    mantissa, exponent = sample((2, 3), "float32", seed=25), np.array([[0, 1, -2], [3, -1, 4]], "int32")
    check_op(ops.ldexp, [mantissa, exponent], np.ldexp(mantissa, exponent), dtype="float32")
    check_against_keras(ops.ldexp, keras.ops.ldexp, mantissa, exponent)
    with pytest.raises(TypeError, match="integer"):
        ops.ldexp(mantissa, mantissa)


@pytest.mark.parametrize("source,target", [("float32", "int32"), ("float32", "uint8"), ("int32", "int16"),
                                           ("int16", "int32"), ("float32", "float16")])
def test_view(source, target):
    x = sample((2, 4), source, -5, 5, seed=26)
    check_op(lambda v: ops.view(v, target), [x], x.view(target), dtype=target)
    check_against_keras(lambda v: ops.view(v, target), lambda v: keras.ops.view(v, target), x)


def test_view_error():
    with pytest.raises(ValueError, match="whole number"):
        ops.view(np.ones(3, "int8"), "int32")


def test_vectorize_elementwise_and_with_signature():
    elementwise = ops.vectorize(lambda a, b: ops.where(ops.greater(a, b), a - b, a + b))
    a, b = sample((2, 3), "float32", seed=27), sample((3,), "float32", seed=28)
    support.assert_close(elementwise(a, b), np.where(a > b, a - b, a + b))
    matvec = ops.vectorize(lambda m, v: ops.matmul(m, v), signature="(m,n),(n)->(m)")
    m, v = sample((4, 2, 3), "float32", seed=29), sample((4, 3), "float32", seed=30)
    support.assert_close(matvec(m, v), np.einsum("bmn,bn->bm", m, v), rtol=1e-5, atol=1e-5)
    scaled = ops.vectorize(lambda x, scale: ops.multiply(x, scale), excluded={1})
    support.assert_close(scaled(a, 2.0), a * 2.0)


def test_vectorize_errors():
    with pytest.raises(ValueError, match="signature"):
        ops.vectorize(lambda a: a, signature="(n)")
    with pytest.raises(TypeError, match="names 2 tensor arguments"):
        ops.vectorize(lambda a: a, signature="(n),(n)->()")(np.ones(3))


def test_slogdet():
    a = sample((2, 3, 3), "float32", seed=31)
    sign, logabsdet = np.linalg.slogdet(a.astype("float64"))
    check_op(ops.slogdet, [a], [sign.astype("float32"), logabsdet.astype("float32")], dtype="float32", rtol=1e-5,
             atol=1e-5)
    check_against_keras(ops.slogdet, keras.ops.slogdet, a, rtol=1e-5, atol=1e-5, symbolic=False)
    check_grads(lambda m: ops.slogdet(m)[1], lambda m: np.linalg.slogdet(m)[1], a, rtol=2e-3, atol=2e-3)


@pytest.mark.parametrize("dtype", ["float32", "int32", "float64"])
def test_prod_dtype(dtype):
    x = sample((2, 3), "int8", 1, 3, seed=32)
    check_op(ops.prod, [x], np.prod(x.astype("float64"), axis=1).astype(dtype), dtype=dtype,
             kwargs={"axis": 1, "dtype": dtype})
    # Keras 3's tensorflow prod ignores `dtype` when it runs (int8 comes back); its spec, and kerasx, honour it.
    check = check_against_keras_spec if support.BACKEND == "tensorflow" else check_against_keras
    check(ops.prod, keras.ops.prod, x, axis=1, dtype=dtype)
