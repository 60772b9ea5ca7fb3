"""The one dtype promotion table (`kerasx.backend._dtypes.result_type`) and `ops.add` following it on every engine.

EXPECTED is written out here, independently of the lattice in `_dtypes.py`: it is JAX's promotion table (the one
Keras 3 documents) for our 15 dtypes, except that JAX's weak float ("f*", where uint64 meets a signed integer)
resolves to `floatx()` instead of float64.
"""

import itertools
import os

import ml_dtypes
import numpy as np
import pytest

import kerasx
import support
from kerasx import ops
from kerasx.backend import _dtypes

CODES = {
    "b": "bool",
    "u8": "uint8",
    "u16": "uint16",
    "u32": "uint32",
    "u64": "uint64",
    "i8": "int8",
    "i16": "int16",
    "i32": "int32",
    "i64": "int64",
    "bf": "bfloat16",
    "f16": "float16",
    "f32": "float32",
    "f64": "float64",
    "c64": "complex64",
    "c128": "complex128",
    "f*": "floatx",
}

TABLE = """
     b    u8   u16  u32  u64  i8   i16  i32  i64  bf   f16  f32  f64  c64  c128
b    b    u8   u16  u32  u64  i8   i16  i32  i64  bf   f16  f32  f64  c64  c128
u8   u8   u8   u16  u32  u64  i16  i16  i32  i64  bf   f16  f32  f64  c64  c128
u16  u16  u16  u16  u32  u64  i32  i32  i32  i64  bf   f16  f32  f64  c64  c128
u32  u32  u32  u32  u32  u64  i64  i64  i64  i64  bf   f16  f32  f64  c64  c128
u64  u64  u64  u64  u64  u64  f*   f*   f*   f*   bf   f16  f32  f64  c64  c128
i8   i8   i16  i32  i64  f*   i8   i16  i32  i64  bf   f16  f32  f64  c64  c128
i16  i16  i16  i32  i64  f*   i16  i16  i32  i64  bf   f16  f32  f64  c64  c128
i32  i32  i32  i32  i64  f*   i32  i32  i32  i64  bf   f16  f32  f64  c64  c128
i64  i64  i64  i64  i64  f*   i64  i64  i64  i64  bf   f16  f32  f64  c64  c128
bf   bf   bf   bf   bf   bf   bf   bf   bf   bf   bf   f32  f32  f64  c64  c128
f16  f16  f16  f16  f16  f16  f16  f16  f16  f16  f32  f16  f32  f64  c64  c128
f32  f32  f32  f32  f32  f32  f32  f32  f32  f32  f32  f32  f32  f64  c64  c128
f64  f64  f64  f64  f64  f64  f64  f64  f64  f64  f64  f64  f64  f64  c128 c128
c64  c64  c64  c64  c64  c64  c64  c64  c64  c64  c64  c64  c64  c128 c64  c128
c128 c128 c128 c128 c128 c128 c128 c128 c128 c128 c128 c128 c128 c128 c128 c128
"""


def _parse_table(text: str) -> dict:
    header, *rows = [line.split() for line in text.strip().splitlines()]
    return {(CODES[row[0]], CODES[col]): CODES[cell] for row in rows for col, cell in zip(header, row[1:])}


EXPECTED = _parse_table(TABLE)
DTYPES = _dtypes.ALLOWED_DTYPES
PAIRS = [(a, b) for a in DTYPES for b in DTYPES]

# (tensor dtype, Python scalar, result): Python scalars are weak and keep the tensor's dtype where it can hold them.
WEAK_CASES = [
    ("int8", 1, "int8"),
    ("uint8", 1, "uint8"),
    ("int64", 1, "int64"),
    ("bool", 1, "int32"),
    ("bool", True, "bool"),
    ("int32", 1.5, "floatx"),
    ("uint64", 1.5, "floatx"),
    ("float16", 1.5, "float16"),
    ("bfloat16", 1, "bfloat16"),
    ("float64", 1.5, "float64"),
]


def expected_dtype(name: str) -> str:
    return kerasx.backend.floatx() if name == "floatx" else name


def x64_enabled() -> bool:
    # jax silently narrows 64-bit dtypes to 32 bits unless JAX_ENABLE_X64 is on (the jax nox session sets it).
    return support.BACKEND != "jax" or os.environ.get("JAX_ENABLE_X64", "").lower() in ("1", "true")


def skip_without_x64(*dtypes):
    if not x64_enabled() and any(d.endswith("64") for d in dtypes):
        pytest.skip("64-bit dtypes need JAX_ENABLE_X64=1 on jax")


@pytest.fixture
def floatx_float64():
    previous = kerasx.backend.floatx()
    kerasx.backend.set_floatx("float64")
    yield
    kerasx.backend.set_floatx(previous)


def test_expected_table_is_complete():
    assert sorted(set(a for a, _ in EXPECTED)) == sorted(DTYPES)
    assert len(EXPECTED) == len(DTYPES) ** 2 == 225


@pytest.mark.parametrize("x1, x2", PAIRS, ids=[f"result_type-{a}-{b}" for a, b in PAIRS])
def test_result_type_matches_table(x1, x2):
    assert _dtypes.result_type(x1, x2) == expected_dtype(EXPECTED[(x1, x2)])


def test_result_type_is_symmetric_and_idempotent():
    for x1, x2 in PAIRS:
        assert _dtypes.result_type(x1, x2) == _dtypes.result_type(x2, x1), (x1, x2)
    for x in DTYPES:
        assert _dtypes.result_type(x, x) == x
        assert _dtypes.result_type(x) == x


def test_result_type_of_three_ignores_order():
    # Ops on 3+ inputs (where, clip, concatenate) promote all at once; the result must not depend on argument order.
    # Pairwise promotion is not the same thing: uint64 + int8 resolves the weak float to floatx before bfloat16 joins.
    for x1 in DTYPES:
        for x2 in DTYPES:
            for x3 in ("bool", "uint64", "int8", "bfloat16", "float16"):
                results = {_dtypes.result_type(*order) for order in itertools.permutations((x1, x2, x3))}
                assert len(results) == 1, (x1, x2, x3, results)
    assert _dtypes.result_type("uint64", "int8", "bfloat16") == "bfloat16"


def test_weak_float_follows_floatx(floatx_float64):
    assert _dtypes.result_type("uint64", "int64") == "float64"
    assert _dtypes.result_type("int32", 1.5) == "float64"
    assert _dtypes.result_type("float16", 1.5) == "float16"
    assert _dtypes.float_result("int8") == "float64"


@pytest.mark.parametrize("dtype, scalar, expected", WEAK_CASES, ids=[f"result_type-{d}-{s!r}" for d, s, _ in WEAK_CASES])
def test_result_type_with_python_scalar(dtype, scalar, expected):
    assert _dtypes.result_type(dtype, scalar) == expected_dtype(expected)
    assert _dtypes.result_type(scalar, dtype) == expected_dtype(expected)


@pytest.mark.parametrize("dtype, expected", [("int8", "float32"), ("bool", "float32"), ("float16", "float16")])
def test_float_result(dtype, expected):
    assert _dtypes.float_result(dtype) == expected


# Keras 3 reads Python's int as int64 on tensorflow and int32 elsewhere (tests/test_backend_names.py compares).
PYTHON_INT = "int64" if support.BACKEND == "tensorflow" else "int32"
STANDARDIZE_CASES = [
    ("float", "float32"),
    ("double", "float64"),
    ("int", PYTHON_INT),
    (float, "float32"),
    (int, PYTHON_INT),
    (bool, "bool"),
    (np.float32, "float32"),
    (np.bool_, "bool"),
    (np.uint16, "uint16"),
    (np.dtype("int64"), "int64"),
    (ml_dtypes.bfloat16, "bfloat16"),
    (np.dtype(ml_dtypes.bfloat16), "bfloat16"),
]


@pytest.mark.parametrize("dtype, expected", STANDARDIZE_CASES, ids=[f"standardize_dtype-{e}" for _, e in STANDARDIZE_CASES])
def test_standardize_dtype(dtype, expected):
    assert _dtypes.standardize_dtype(dtype) == expected


@pytest.mark.parametrize("dtype", DTYPES)
def test_standardize_dtype_of_engine_dtype(dtype):
    skip_without_x64(dtype)
    native = ops.convert_to_tensor(as_numpy(X1, dtype)).dtype
    assert _dtypes.standardize_dtype(native) == dtype
    assert _dtypes.standardize_dtype(native) == dtype  # second call hits the cache


def test_unknown_dtype_is_a_clear_error():
    with pytest.raises(ValueError, match=r"Unknown dtype. Received: dtype='complex32'"):
        _dtypes.standardize_dtype("complex32")
    with pytest.raises(ValueError, match=r"Unknown dtype. Received: dtype=<class 'numpy.str_'>"):
        _dtypes.standardize_dtype(np.str_)


# Small values, exact in every dtype (bool included), so the sums are exact too.
X1 = np.array([[1, 0, 1]])
X2 = np.array([[1], [0]])


def as_numpy(values: np.ndarray, dtype: str) -> np.ndarray:
    return values.astype(ml_dtypes.bfloat16 if dtype == "bfloat16" else dtype)


def sum_of(*values, dtype: str) -> np.ndarray:
    total = sum(np.asarray(v).astype("float64") for v in values)
    return (total > 0).astype("float64") if dtype == "bool" else total


@pytest.mark.parametrize("x1, x2", PAIRS, ids=[f"add-{a}-{b}" for a, b in PAIRS])
def test_add_dtype_on_engine(x1, x2):
    skip_without_x64(x1, x2)
    expected = expected_dtype(EXPECTED[(x1, x2)])
    a, b = as_numpy(X1, x1), as_numpy(X2, x2)
    result = support.check_symbolic(ops.add, a, b)
    support.assert_dtype(result, expected)
    support.assert_close(result, sum_of(a, b, dtype=expected))
    tensors = ops.add(ops.convert_to_tensor(a), ops.convert_to_tensor(b))
    support.assert_dtype(tensors, expected)


@pytest.mark.parametrize(
    "dtype, scalar, expected", WEAK_CASES, ids=[f"add-{d}-python-{type(s).__name__}" for d, s, _ in WEAK_CASES]
)
def test_add_python_scalar_on_engine(dtype, scalar, expected):
    skip_without_x64(dtype)
    expected = expected_dtype(expected)
    x = as_numpy(X1, dtype)
    for result in (support.check_symbolic(ops.add, x, scalar), ops.add(scalar, ops.convert_to_tensor(x))):
        support.assert_dtype(result, expected)
        support.assert_close(result, sum_of(x, scalar, dtype=expected))
