"""`kerasx.backend`'s Keras 3 names (`get_uid`, `is_float_dtype`, `is_int_dtype`, `is_keras_tensor`, `result_type`,
...) and `KerasTensor`'s keyword arguments give what `keras.backend` and `keras.KerasTensor` give."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import kerasx
from kerasx.backend import _keras_tensor

keras = pytest.importorskip("keras")

DTYPES = ("bool", "uint8", "int16", "int64", "float16", "bfloat16", "float32", "float64", np.float32, np.int8, int, float)
KERAS_BACKEND_NAMES = sorted(name for name in dir(keras.backend) if not name.startswith("_"))


@pytest.mark.parametrize("name", KERAS_BACKEND_NAMES)
def test_every_keras_backend_name_has_keras_parameters(name):
    def parameters(function):
        # The name of a `*args` parameter cannot be passed, so only its kind counts.
        return [p.kind if p.kind is p.VAR_POSITIONAL else (p.name, p.kind)
                for p in inspect.signature(function).parameters.values()]

    assert parameters(getattr(kerasx.backend, name)) == parameters(getattr(keras.backend, name))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_dtype_predicates_answer_as_keras(dtype):
    assert kerasx.backend.is_float_dtype(dtype) == keras.backend.is_float_dtype(dtype)
    assert kerasx.backend.is_int_dtype(dtype) == keras.backend.is_int_dtype(dtype)
    assert kerasx.backend.standardize_dtype(dtype) == keras.backend.standardize_dtype(dtype)


def test_dtype_predicates_refuse_unknown_dtypes_as_keras():
    with pytest.raises(ValueError):
        keras.backend.is_float_dtype("float7")
    with pytest.raises(ValueError, match="float7"):
        kerasx.backend.is_float_dtype("float7")


@pytest.mark.parametrize("dtypes", [("int8", "uint8"), ("int32", "float16"), ("bfloat16", "float16"), ("bool", "int8")])
def test_result_type_answers_as_keras(dtypes):
    assert kerasx.backend.result_type(*dtypes) == keras.backend.result_type(*dtypes)


def test_get_uid_counts_like_keras_and_shares_the_layer_name_counter():
    results = []
    for lib in (kerasx, keras):
        lib.backend.clear_session(free_memory=False)
        counts = [lib.backend.get_uid("block"), lib.backend.get_uid("block"), lib.backend.get_uid()]
        lib.layers.Dense(1)
        counts.append(lib.backend.get_uid("dense"))
        counts.append(lib.layers.Dense(1).name)
        lib.backend.clear_session(free_memory=False)
        counts.append(lib.backend.get_uid("block"))
        results.append(counts)
    assert results[0] == results[1] == [1, 2, 1, 2, "dense_2", 1]


@pytest.mark.parametrize("make", [
    lambda lib: lib.KerasTensor((None, 3)),
    lambda lib: lib.Input((3,)),
    lambda lib: np.ones(3),
    lambda lib: lib.ops.ones((3,)),
    lambda lib: lib.Variable(np.ones(3)),
], ids=["KerasTensor", "Input", "array", "tensor", "Variable"])
def test_is_keras_tensor_answers_as_keras(make):
    assert kerasx.backend.is_keras_tensor(make(kerasx)) == keras.backend.is_keras_tensor(make(keras))


def test_keras_tensor_accepts_keras_keywords():
    for lib in (kerasx, keras):
        x = lib.KerasTensor((None, 4), dtype="int32", sparse=False, ragged=False, record_history=True, name="x")
        assert (x.shape, x.dtype, x.name, x.sparse, x.ragged) == ((None, 4), "int32", "x", False, False)
    assert kerasx.KerasTensor is kerasx.ops.KerasTensor is _keras_tensor.KerasTensor


@pytest.mark.parametrize("kind", ["sparse", "ragged"])
def test_keras_tensor_refuses_sparse_and_ragged_clearly(kind):
    with pytest.raises(ValueError, match=rf"kerasx has no {kind} tensors.*Received: {kind}=True"):
        kerasx.KerasTensor((None, 4), **{kind: True})


def test_keras_tensor_refuses_unknown_keywords_as_keras():
    with pytest.raises(TypeError):
        keras.KerasTensor((2,), colour="red")
    with pytest.raises(TypeError, match="colour"):
        kerasx.KerasTensor((2,), colour="red")


def test_record_history_false_keeps_results_out_of_the_graph():
    # Keras 3.15.1 fails here (AttributeError: no `_keras_history`, for ops and layers alike); kerasx does what the
    # keyword says: the results exist, with no history, so no functional model can be traced through them.
    recorded = kerasx.KerasTensor((None, 3))
    unrecorded = kerasx.KerasTensor((None, 3), record_history=False)
    assert kerasx.ops.add(recorded, 1.0)._history is not None
    assert kerasx.ops.add(unrecorded, 1.0)._history is None
    assert kerasx.layers.Dense(2)(unrecorded)._history is None
    with pytest.raises(AttributeError):
        keras.ops.add(keras.KerasTensor((None, 3), record_history=False), 1.0)
