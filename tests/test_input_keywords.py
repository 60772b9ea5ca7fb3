"""`Input(tensor=..., optional=..., sparse=..., ragged=...)` and InputLayer's same keywords, against Keras 3."""

from __future__ import annotations

import numpy as np
import pytest

import kerasx

keras = pytest.importorskip("keras")


def _numpy(lib, x):
    return np.asarray(lib.ops.convert_to_numpy(x))


def _optional_model(lib):
    class AddOptional(lib.layers.Layer):
        def call(self, x, y=None):
            return x if y is None else x + y

    a, b = lib.Input((2,), name="a"), lib.Input((2,), name="b", optional=True)
    return lib.Model([a, b], AddOptional()(a, b))


def test_an_optional_input_takes_none_as_in_keras():
    results = []
    for lib in (kerasx, keras):
        model = _optional_model(lib)
        without = _numpy(lib, model([np.ones((1, 2), "float32"), None]))
        with_it = _numpy(lib, model([np.ones((1, 2), "float32"), np.full((1, 2), 2.0, "float32")]))
        results.append((without.tolist(), with_it.tolist(), model.layers[1].get_config()))
    assert results[0] == results[1]
    assert results[0][:2] == ([[1.0, 1.0]], [[3.0, 3.0]]) and results[0][2]["optional"] is True


def test_none_for_a_required_input_is_refused_as_in_keras():
    for lib, match in ((keras, "is not optional"), (kerasx, r"The input 'c' of model .* is not optional.*optional=True")):
        a, c = lib.Input((2,), name="a"), lib.Input((2,), name="c")
        model = lib.Model([a, c], lib.layers.Add()([a, c]))
        with pytest.raises(ValueError, match=match):
            model([np.ones((1, 2), "float32"), None])


def test_an_optional_input_survives_saving(tmp_path):
    model = _optional_model(kerasx)
    path = tmp_path / "optional.keras"
    model.save(path)
    restored = kerasx.saving.load_model(path, custom_objects={"AddOptional": type(model.layers[2])})
    assert restored.layers[1].optional is True
    assert _numpy(kerasx, restored([np.ones((1, 2), "float32"), None])).tolist() == [[1.0, 1.0]]


def test_input_wraps_an_existing_keras_tensor_as_in_keras():
    facts = []
    for lib in (kerasx, keras):
        tensor = lib.KerasTensor((None, 3), dtype="float32")
        x = lib.Input(tensor=tensor, name="wrapped")
        model = lib.Model(x, lib.layers.Dense(2)(x))
        facts.append((x is tensor, x.shape, model.input_shape,
                      model(np.ones((4, 3), "float32")).shape[-1]))
    assert facts[0] == facts[1] == (True, (None, 3), (None, 3), 2)


@pytest.mark.parametrize("keywords", [{"shape": (4,)}, {"batch_size": 8}, {"dtype": "int32"}, {"batch_shape": (2, 3)}])
def test_arguments_that_disagree_with_the_wrapped_tensor_are_refused_as_in_keras(keywords):
    with pytest.raises(ValueError):
        keras.Input(tensor=keras.KerasTensor((None, 3)), **keywords)
    with pytest.raises(ValueError, match=r"disagrees with the tensor's"):
        kerasx.Input(tensor=kerasx.KerasTensor((None, 3)), **keywords)


def test_wrapping_something_else_is_refused():
    with pytest.raises(ValueError, match=r"must be a KerasTensor.*Received: tensor="):
        kerasx.Input(tensor=np.ones((2, 3)))


@pytest.mark.parametrize("kind", ["sparse", "ragged"])
def test_sparse_and_ragged_inputs_are_clear_errors(kind):
    assert kerasx.Input((2,), **{kind: False}).shape == (None, 2)
    with pytest.raises(ValueError, match=rf"kerasx has no {kind} tensors.*Received: {kind}=True"):
        kerasx.Input((2,), **{kind: True})
    with pytest.raises(ValueError, match=rf"kerasx has no {kind} tensors"):
        kerasx.layers.InputLayer(shape=(2,), **{kind: True})


def test_input_layer_config_matches_keras():
    ours = kerasx.layers.InputLayer(shape=(3,), name="x").get_config()
    theirs = keras.layers.InputLayer(shape=(3,), name="x").get_config()
    assert ours == theirs
