"""Ops promote Python lists like arrays: the ops that promote through `_dispatch.promote`/`promote_float` (not only
the fast-path elementwise ones) accept nested lists, as Keras's do, and give NumPy's answer."""

import numpy as np
import pytest

from kerasx import ops

CASES = [
    ("bitwise_and", lambda: ops.bitwise_and([12, 10], [6, 3]), np.bitwise_and([12, 10], [6, 3])),
    ("isclose", lambda: ops.isclose([1.0, 1.1], [1.000001, 1.0]), np.isclose([1.0, 1.1], [1.000001, 1.0])),
    ("heaviside", lambda: ops.heaviside([-1.0, 0.0, 2.0], [0.5, 0.5, 0.5]), np.heaviside([-1.0, 0.0, 2.0], 0.5)),
    ("divide_no_nan", lambda: ops.divide_no_nan([1.0, 2.0], [0.0, 4.0]), np.array([0.0, 0.5])),
    ("searchsorted", lambda: ops.searchsorted([1, 3, 5], [0, 3, 6]), np.searchsorted([1, 3, 5], [0, 3, 6])),
    ("tensordot", lambda: ops.tensordot([[1, 2], [3, 4]], [[1, 0], [0, 1]]), np.array(5)),
    ("relu", lambda: ops.relu([[-1.0, 2.0]]), np.array([[0.0, 2.0]])),
]


@pytest.mark.parametrize("name, compute, expected", CASES, ids=[c[0] for c in CASES])
def test_list_inputs_match_numpy(name, compute, expected):
    result = ops.convert_to_numpy(compute())
    np.testing.assert_allclose(result.astype(np.float64), np.asarray(expected, np.float64), rtol=1e-6)
    assert result.shape == np.shape(expected)


def test_list_input_dtypes_follow_the_inference_rules():
    # Python ints infer int32 and floats floatx, as `convert_to_tensor` does.
    assert ops.dtype(ops.bitwise_and([12, 10], [6, 3])) == "int32"
    assert ops.dtype(ops.heaviside([-1.0, 0.0], [0.5, 0.5])) == "float32"
