"""Complex dtypes on every backend: parts (real, imag, conj, angle, abs), arithmetic and promotion vs NumPy, symbolic
dtypes vs Keras 3; and einsum's integer result dtypes (torch sums integer axes in int64)."""

import numpy as np
import pytest

import support
from keras_oracle import check_spec_against_keras, keras
from kerasx import ops
from numpy_support import check_op

RNG = np.random.default_rng(7)
Z64 = (RNG.normal(size=(2, 3)) + 1j * RNG.normal(size=(2, 3))).astype("complex64")
Z128 = Z64.astype("complex128")
COMPLEX = [pytest.param(Z64, id="complex64"), pytest.param(Z128, id="complex128")]

# name -> (NumPy reference, result dtype for complex64 input)
PARTS = {
    "real": (np.real, "float32"),
    "imag": (np.imag, "float32"),
    "conj": (np.conj, "complex64"),
    "conjugate": (np.conjugate, "complex64"),
    "angle": (np.angle, "float32"),
    "abs": (np.abs, "float32"),
    "absolute": (np.absolute, "float32"),
    "sign": (lambda z: z / np.abs(z), "complex64"),
    "isreal": (np.isreal, "bool"),
}
WIDER = {"float32": "float64", "complex64": "complex128", "bool": "bool"}
# Keras 3.15's symbolic rules give these the complex input dtype, while its eager results (every backend) are real;
# kerasx's symbolic dtype is the eager one (check_op compares them), so Keras's rule is not the oracle here.
KERAS_SPEC_KEEPS_COMPLEX = {"real", "imag", "angle", "abs", "absolute"}


@pytest.mark.parametrize("name", sorted(PARTS))
@pytest.mark.parametrize("z", COMPLEX)
def test_complex_parts(name, z):
    reference, dtype = PARTS[name]
    dtype = dtype if z.dtype == np.complex64 else WIDER[dtype]
    check_op(getattr(ops, name), [z], reference(z), dtype=dtype, rtol=1e-5, atol=1e-6)
    if name in KERAS_SPEC_KEEPS_COMPLEX:
        eager = keras.ops.convert_to_numpy(getattr(keras.ops, name)(Z64))
        assert keras.backend.standardize_dtype(eager.dtype) == PARTS[name][1]
    else:
        check_spec_against_keras(getattr(ops, name), getattr(keras.ops, name), Z64)


def test_isreal_finds_zero_imaginary_parts():
    z = np.array([1 + 0j, 2 + 1j, -3 + 0j], "complex64")
    check_op(ops.isreal, [z], np.array([True, False, True]), dtype="bool")


@pytest.mark.parametrize("name", ["real", "imag", "conj", "angle"])
def test_parts_of_real_tensors_keep_their_meaning(name):
    x = np.array([-1.5, 0.0, 2.0], "float32")
    reference, _ = PARTS[name]
    check_op(getattr(ops, name), [x], reference(x).astype("float32"), dtype="float32")


@pytest.mark.parametrize(
    "name,reference",
    [
        ("add", np.add),
        ("subtract", np.subtract),
        ("multiply", np.multiply),
        ("divide", np.divide),
        ("matmul", lambda a, b: a @ b.T),
    ],
)
def test_complex_binary_arithmetic(name, reference):
    other = (Z64 * (0.5 - 2j) + 1).astype("complex64")
    fn = getattr(ops, name)
    if name == "matmul":
        check_op(lambda a, b: fn(a, ops.transpose(b)), [Z64, other], reference(Z64, other), dtype="complex64",
                 rtol=1e-5, atol=1e-5)
    else:
        check_op(fn, [Z64, other], reference(Z64, other), dtype="complex64", rtol=1e-5, atol=1e-5)
        check_spec_against_keras(fn, getattr(keras.ops, name), Z64, other)


@pytest.mark.parametrize(
    "name,reference",
    [("exp", np.exp), ("sqrt", np.sqrt), ("square", np.square), ("negative", np.negative), ("log", np.log)],
)
def test_complex_unary_math(name, reference):
    check_op(getattr(ops, name), [Z64], reference(Z64), dtype="complex64", rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name,reference", [("sum", np.sum), ("mean", np.mean)])
def test_complex_reductions(name, reference):
    check_op(getattr(ops, name), [Z64], reference(Z64, axis=1), dtype="complex64", kwargs={"axis": 1}, rtol=1e-5,
             atol=1e-5)


@pytest.mark.parametrize(
    "other,expected",
    [
        (np.ones(3, "float32"), "complex64"),
        (np.ones(3, "float64"), "complex128"),
        (np.ones(3, "int32"), "complex64"),
        (2.0, "complex64"),
        (3, "complex64"),
    ],
)
def test_complex_promotion(other, expected):
    result = ops.add(Z64, other)
    support.assert_close(result, Z64 + other)
    support.assert_dtype(result, expected)


def test_python_complex_converts_like_keras():
    # Keras 3's rule (keras.src.backend.common.dtypes.PYTHON_DTYPES_MAP); jax's 64-bit mode does not change it.
    expected = "complex128" if support.BACKEND == "tensorflow" else "complex64"
    support.assert_dtype(ops.convert_to_tensor(1 + 2j), expected)
    support.assert_dtype(ops.convert_to_tensor([1j, 2.0]), expected)
    support.assert_close(ops.convert_to_tensor([1j, 2.0]), np.array([1j, 2.0]))


@pytest.mark.parametrize("dtype,expected", [("int8", "int32"), ("uint8", "uint8"), ("int16", "int16"),
                                            ("int32", "int32"), ("float32", "float32")])
@pytest.mark.parametrize("subscripts", ["ij->i", "ij->", "ij,jk->ik", "ij,ij->j"])
def test_einsum_integer_results_keep_their_dtype(subscripts, dtype, expected):
    a = support.random_array((2, 3), dtype, -3, 3)
    b = support.random_array((3, 2) if subscripts == "ij,jk->ik" else (2, 3), dtype, -3, 3, np.random.default_rng(1))
    operands = [a] if subscripts.count(",") == 0 else [a, b]
    reference = np.einsum(subscripts, *[o.astype("int64" if "int" in dtype else dtype) for o in operands])
    result = check_op(lambda *o: ops.einsum(subscripts, *o), operands, reference.astype(expected), dtype=expected)
    check_spec_against_keras(lambda *o: ops.einsum(subscripts, *o), lambda *o: keras.ops.einsum(subscripts, *o),
                             *operands)
    assert result is not None
