"""Keras 3 as the oracle of op tests: the same call through `keras.ops` (under the same KERAS_BACKEND, in-process),
for values where NumPy has no equivalent and for symbolic shapes/dtypes (`compute_output_spec` on `keras.KerasTensor`
inputs)."""

from __future__ import annotations

import numpy as np
import pytest

import kerasx
import support
from kerasx import ops

keras = pytest.importorskip("keras")


def _leaves(value) -> list:
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def _symbolic(value, tensor_class, batch_unknown: bool):
    if isinstance(value, np.ndarray):
        shape = (None,) + value.shape[1:] if batch_unknown and value.shape else value.shape
        return tensor_class(shape, str(value.dtype))
    if isinstance(value, (list, tuple)) and any(isinstance(v, np.ndarray) for v in value):
        return type(value)(_symbolic(v, tensor_class, batch_unknown) for v in value)
    return value


def keras_values(keras_fn, *args, **kwargs) -> list:
    """NumPy leaves of `keras_fn(*args, **kwargs)` run eagerly by Keras 3."""
    return [np.asarray(keras.ops.convert_to_numpy(leaf)) for leaf in _leaves(keras_fn(*args, **kwargs))]


def check_against_keras(fn, keras_fn, *args, rtol=1e-5, atol=1e-6, symbolic=True, **kwargs):
    """`fn` (kerasx) and `keras_fn` (Keras 3) agree on values and dtypes eagerly and, with `symbolic`, on the
    symbolic output specs, with all sizes known and with the first input dimension unknown. Returns kerasx's result."""
    result = fn(*args, **kwargs)
    ours, theirs = _leaves(result), keras_values(keras_fn, *args, **kwargs)
    assert len(ours) == len(theirs), f"{len(ours)} outputs, Keras 3 gives {len(theirs)}"
    for actual, expected in zip(ours, theirs):
        support.assert_close(actual, expected, rtol=rtol, atol=atol)
        assert ops.dtype(actual) == kerasx.backend.standardize_dtype(expected.dtype.name), (
            f"dtype {ops.dtype(actual)} != Keras 3's {expected.dtype}"
        )
    if symbolic:
        check_spec_against_keras(fn, keras_fn, *args, **kwargs)
    return result


def check_spec_against_keras(fn, keras_fn, *args, **kwargs):
    """kerasx's symbolic result on KerasTensor stand-ins of the array arguments has Keras 3's shapes and dtypes."""
    for batch_unknown in (False, True):
        ours = _leaves(fn(*[_symbolic(a, ops.KerasTensor, batch_unknown) for a in args], **kwargs))
        theirs = _leaves(keras_fn(*[_symbolic(a, keras.KerasTensor, batch_unknown) for a in args], **kwargs))
        assert len(ours) == len(theirs), f"{len(ours)} symbolic outputs, Keras 3 gives {len(theirs)}"
        for mine, keras_tensor in zip(ours, theirs):
            assert tuple(mine.shape) == tuple(keras_tensor.shape), (
                f"symbolic shape {mine.shape} != Keras 3's {keras_tensor.shape} (batch unknown: {batch_unknown})"
            )
            assert mine.dtype == keras.backend.standardize_dtype(keras_tensor.dtype), (
                f"symbolic dtype {mine.dtype} != Keras 3's {keras_tensor.dtype}"
            )
