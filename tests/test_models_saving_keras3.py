"""Keras 3's model and saving names: clone_model (clone_function, call_function, input_tensors, recursive),
Model.to_json / models.model_from_json, sharded weights (max_shard_size) read by Keras 3 and from Keras 3,
load_weights(skip_mismatch), get_custom_objects / CustomObjectScope, and deserialize_keras_object(safe_mode)."""

import json
import os

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers, models, saving

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)
X = RNG.normal(size=(5, 4)).astype("float32")


def _functional(lib=kerasx):
    inputs = lib.Input(shape=(4,), name="features")
    hidden = lib.layers.Dense(6, activation="relu", name="hidden")(inputs)
    outputs = lib.layers.Dense(2, name="out")(lib.layers.Add(name="sum")([hidden, hidden]))
    return lib.Model(inputs, outputs, name="net")


def _predict(model, x=X):
    return np.asarray(model.predict(x, verbose=0))


def test_clone_functional_makes_new_layers_with_the_same_architecture():
    model = _functional()
    clone = models.clone_model(model)
    assert clone.name == model.name and [layer.name for layer in clone.layers] == [l.name for l in model.layers]
    assert all(a is not b for a, b in zip(clone.layers[1:], model.layers[1:]))
    assert [w.shape for w in clone.get_weights()] == [w.shape for w in model.get_weights()]
    clone.set_weights(model.get_weights())
    support.assert_close(_predict(clone), _predict(model))


def test_clone_function_and_call_function_match_keras():
    def run(lib):
        model = _functional(lib)
        model.set_weights([np.full(w.shape, 0.1 * (i + 1), "float32") for i, w in enumerate(model.get_weights())])

        def clone_function(layer):
            if isinstance(layer, lib.layers.Dense):
                config = layer.get_config()
                config["activation"] = "tanh"
                return type(layer).from_config(config)
            return layer.__class__.from_config(layer.get_config())

        def call_function(layer, *args, **kwargs):
            out = layer(*args, **kwargs)
            return lib.layers.Dropout(0.5, name="after_hidden")(out) if layer.name == "hidden" else out

        clone = lib.models.clone_model(model, clone_function=clone_function, call_function=call_function)
        clone.set_weights(model.get_weights())
        names = [layer.name for layer in model.layers]
        return [layer.name for layer in clone.layers], names[:2] + ["after_hidden"] + names[2:], _predict(clone)

    ours, theirs = run(kerasx), run(keras)
    assert ours[0] == ours[1] and theirs[0] == theirs[1]
    support.assert_close(ours[2], theirs[2], rtol=1e-5, atol=1e-6)


def test_clone_function_returning_the_layer_shares_weights_and_input_tensors_replace_inputs():
    model = _functional()
    new_input = kerasx.Input(shape=(4,), name="other")
    clone = models.clone_model(model, input_tensors=new_input, clone_function=lambda layer: layer)
    assert clone.inputs[0] is new_input
    assert clone.get_layer("hidden") is model.get_layer("hidden")
    support.assert_close(_predict(clone), _predict(model))


def test_clone_sequential_keeps_the_input_and_compiles_like_the_model():
    model = kerasx.Sequential([kerasx.Input((4,), name="x"), layers.Dense(3, name="d")], name="seq")
    model.compile(optimizer=kerasx.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    clone = models.clone_model(model)
    assert clone.name == "seq" and clone.compiled and clone.input_shape == (None, 4)
    assert clone.optimizer is not model.optimizer and clone.optimizer.get_config() == model.optimizer.get_config()
    with pytest.raises(ValueError, match="`call_function` is not supported for Sequential"):
        models.clone_model(model, call_function=lambda layer, *a, **k: layer(*a, **k))


def test_recursive_clone_applies_the_function_inside_nested_models():
    inner = kerasx.Sequential([kerasx.Input((4,)), layers.Dense(4, name="inner_dense")], name="inner")
    inputs = kerasx.Input((4,))
    model = kerasx.Model(inputs, layers.Dense(1, name="head")(inner(inputs)))
    seen = []

    def clone_function(layer):
        seen.append(layer.name)
        return type(layer).from_config(layer.get_config())

    models.clone_model(model, clone_function=clone_function, recursive=True)
    assert "inner_dense" in seen and "inner" not in seen
    seen.clear()
    models.clone_model(model, clone_function=clone_function)
    assert "inner" in seen and "inner_dense" not in seen


def test_subclassed_models_clone_from_config_only():
    @saving.register_keras_serializable(package="CloneTest")
    class Tiny(kerasx.Model):
        def __init__(self, units=2, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.dense = layers.Dense(units)

        def call(self, x):
            return self.dense(x)

        def get_config(self):
            return {"units": self.units, "name": self.name}

    clone = models.clone_model(Tiny(units=3))
    assert type(clone) is Tiny and clone.units == 3
    with pytest.raises(ValueError, match="`clone_function` is only supported for Sequential and Functional"):
        models.clone_model(Tiny(), clone_function=lambda layer: layer)


@pytest.mark.parametrize("compiled", [False, True])
def test_to_json_round_trips_and_goes_both_ways_with_keras(compiled):
    ours = _functional()
    theirs = _functional(keras)
    if compiled:
        ours.compile(optimizer="adam", loss="mse", metrics=["mae"])
        theirs.compile(optimizer="adam", loss="mse", metrics=["mae"])
    ours_json, theirs_json = ours.to_json(), theirs.to_json()
    assert json.loads(ours.to_json(indent=2)) == json.loads(ours_json)
    for text in (ours_json, theirs_json):
        restored = models.model_from_json(text)
        assert [layer.name for layer in restored.layers] == [layer.name for layer in ours.layers]
        assert restored.compiled == compiled
        restored.set_weights(ours.get_weights())
        support.assert_close(_predict(restored), _predict(ours))
    from_ours = keras.models.model_from_json(ours_json)
    assert [layer.name for layer in from_ours.layers] == [layer.name for layer in theirs.layers]
    assert from_ours.compiled == compiled


def _mlp(lib):
    model = lib.Sequential([lib.Input((40,)), lib.layers.Dense(300), lib.layers.Dense(150),
                            lib.layers.BatchNormalization(), lib.layers.Dense(3)])
    model.compile(optimizer="adam", loss="mse")
    model.optimizer.build(model.trainable_variables)
    return model


def _randomize(model):
    model.set_weights([RNG.normal(size=w.shape).astype(w.dtype) for w in model.get_weights()])


def test_sharded_weights_move_between_kerasx_and_keras(tmp_path):
    ours = _mlp(kerasx)
    _randomize(ours)
    ours.save_weights(tmp_path / "ours.weights.json", max_shard_size=0.0003)
    index = json.loads((tmp_path / "ours.weights.json").read_text())
    shards = sorted(p for p in os.listdir(tmp_path) if p.startswith("ours_"))
    assert shards == ["ours_00000.weights.h5", "ours_00001.weights.h5", "ours_00002.weights.h5"]
    assert index["metadata"]["total_size"] == sum(w.nbytes for w in ours.get_weights()) + sum(
        np.asarray(v.numpy()).nbytes for v in ours.optimizer.variables
    )
    theirs = _mlp(keras)
    theirs.load_weights(str(tmp_path / "ours.weights.json"))
    for actual, expected in zip(theirs.get_weights(), ours.get_weights()):
        np.testing.assert_array_equal(actual, expected)
    _randomize(theirs)
    theirs.save_weights(str(tmp_path / "theirs.weights.json"), max_shard_size=0.0003)
    back = _mlp(kerasx)
    back.load_weights(tmp_path / "theirs.weights.json")
    for actual, expected in zip(back.get_weights(), theirs.get_weights()):
        np.testing.assert_array_equal(actual, expected)
    for ours_variable, keras_variable in zip(back.optimizer.variables, theirs.optimizer.variables):
        np.testing.assert_array_equal(np.asarray(ours_variable.numpy()), keras.ops.convert_to_numpy(keras_variable))


def test_sharded_save_checks_the_shard_size_and_renames_an_h5_path(tmp_path):
    model = _mlp(kerasx)
    with pytest.raises(ValueError, match="alone takes 48000 bytes"):
        model.save_weights(tmp_path / "m.weights.json", max_shard_size=0.00001)
    with pytest.warns(UserWarning, match="saving to .*m.weights.json"):
        model.save_weights(str(tmp_path / "m.weights.h5"), max_shard_size=1)
    assert sorted(os.listdir(tmp_path)) == ["m.weights.json", "m_00000.weights.h5"]
    (tmp_path / "evil.weights.json").write_text(json.dumps({"weight_map": {"/vars": ["../outside.h5"]}}))
    with pytest.raises(ValueError, match="is not a file name"):
        model.load_weights(tmp_path / "evil.weights.json")


def test_load_weights_skip_mismatch_loads_what_matches_like_keras(tmp_path):
    def pair(lib, units):
        model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(3, name="a"), lib.layers.Dense(units, name="b")])
        return model

    source = pair(kerasx, 2)
    _randomize(source)
    path = tmp_path / "source.weights.h5"
    source.save_weights(path)
    target = pair(kerasx, 5)
    before = target.get_weights()
    with pytest.raises(ValueError):
        target.load_weights(path)
    with pytest.warns(UserWarning, match="Could not load weights in layer 'b'"):
        target.load_weights(path, skip_mismatch=True)
    np.testing.assert_array_equal(target.get_weights()[0], source.get_weights()[0])
    np.testing.assert_array_equal(target.get_weights()[2], before[2])
    keras_target = pair(keras, 5)
    keras_before = keras_target.get_weights()
    with pytest.warns(UserWarning):
        keras_target.load_weights(str(path), skip_mismatch=True)
    np.testing.assert_array_equal(keras_target.get_weights()[0], source.get_weights()[0])
    np.testing.assert_array_equal(keras_target.get_weights()[2], keras_before[2])


def test_get_custom_objects_and_custom_object_scope_resolve_names():
    def triple(x):
        return 3 * x

    config = {"class_name": "Activation", "config": {"activation": "triple_fn", "name": "act"}}
    with pytest.raises(ValueError):
        saving.deserialize_keras_object(config)
    with saving.CustomObjectScope({"triple_fn": triple}):
        layer = saving.deserialize_keras_object(config)
    support.assert_close(layer(np.ones((1, 2), "float32")), np.full((1, 2), 3.0))
    saving.get_custom_objects()["triple_fn"] = triple
    try:
        assert saving.get_registered_object("triple_fn") is triple
        assert saving.deserialize_keras_object(config).name == "act"
    finally:
        del saving.get_custom_objects()["triple_fn"]

    @saving.register_keras_serializable(package="CustomObjectsTest")
    def halve(x):
        return x / 2

    assert saving.get_custom_objects()["CustomObjectsTest>halve"] is halve
    assert "Dense" not in saving.get_custom_objects()


def test_deserialize_keras_object_refuses_bytecode_unless_safe_mode_is_off():
    theirs = keras.layers.Lambda(lambda x: x + 1.0)
    config = keras.saving.serialize_keras_object(theirs)
    with pytest.raises(ValueError, match="safe_mode=False"):
        saving.deserialize_keras_object(config)
    layer = saving.deserialize_keras_object(config, safe_mode=False)
    support.assert_close(layer(np.zeros((1, 2), "float32")), np.ones((1, 2)))
    dense = saving.deserialize_keras_object(keras.saving.serialize_keras_object(keras.layers.Dense(3, name="d")))
    assert type(dense) is layers.Dense and dense.units == 3 and dense.name == "d"
