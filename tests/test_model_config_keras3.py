"""`Model.get_config()` / `from_config()` of functional and Sequential models against Keras 3 on the same backend.

Each architecture is built with the same layer names in both libraries; their `get_config()` must serialize to the
same JSON, and each library must rebuild the other's config into a model that predicts the same numbers once the
weights are copied (`set_weights(get_weights())`). Ops on symbolic tensors are named by a per-session counter in
Keras, so both sessions are cleared first (kerasx names them per model, starting at the same names).
"""

import json

import numpy as np
import pytest

import kerasx
import support

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)


# The same architecture in either library (`lib` is `keras` or `kerasx`) ---------------------------------------
def dense_chain(lib):
    x = lib.Input((4,), name="x")
    hidden = lib.layers.Dense(3, activation="relu", name="hidden")(x)
    return lib.Model(x, lib.layers.Dense(2, name="out")(hidden), name="chain")


def shared_layer(lib):
    # The shared layer's second call is computed first (it is deeper), yet Keras numbers calls as they were made.
    x = lib.Input((4,), name="x")
    dense = lib.layers.Dense(4, name="shared")
    first, second = dense(x), dense(x)
    deeper = lib.layers.Dense(4, name="deeper")(second)
    joined = lib.layers.Concatenate(name="joined")([first, deeper])
    return lib.Model(x, lib.layers.Dense(2, name="out")(joined), name="shared_model")


def nested_model(lib):
    inner_input = lib.Input((4,), name="inner_x")
    inner = lib.Model(inner_input, lib.layers.Dense(3, name="inner_dense")(inner_input), name="inner")
    x = lib.Input((4,), name="x")
    return lib.Model(x, [lib.layers.Dense(2, name="head")(inner(x)), inner(x)], name="outer")


def ops_in_graph(lib):
    x = lib.Input((4,), name="x")
    hidden = lib.layers.Dense(3, name="hidden")(x)
    summed = lib.ops.add(hidden[:, 0:1], hidden * 2)
    return lib.Model(x, lib.layers.Dense(1, name="out")(summed), name="ops_model")


def dict_inputs_outputs(lib):
    a, b = lib.Input((3,), name="a"), lib.Input((2,), name="b")
    joined = lib.layers.Concatenate(name="joined")([a, b])
    outputs = {"score": lib.layers.Dense(1, name="score")(joined), "label": lib.layers.Dense(2, name="label")(joined)}
    return lib.Model({"a": a, "b": b}, outputs, name="multi")


def recurrent_with_dropout(lib):
    # Keras records `training=False` (Dropout's and LSTM's default) and `mask=None` on these calls.
    x = lib.Input((5, 4), name="x")
    hidden = lib.layers.BatchNormalization(name="norm")(x)
    hidden = lib.layers.LSTM(3, name="lstm")(lib.layers.Dropout(0.2, name="drop")(hidden))
    return lib.Model(x, lib.layers.Dense(1, name="out")(hidden), name="recurrent")


def attention(lib):
    # MultiHeadAttention is built from two shapes: `build_config` is a `shapes_dict`.
    query, value = lib.Input((5, 8), name="query"), lib.Input((6, 8), name="value")
    return lib.Model([query, value], lib.layers.MultiHeadAttention(2, 4, name="attention")(query, value))


def wrapped_layers(lib):
    # A model inside TimeDistributed, and Bidirectional's two copies of its layer: entries nested in a config.
    inner_input = lib.Input((4,), name="inner_x")
    inner = lib.Model(inner_input, lib.layers.Dense(3, name="inner_dense")(inner_input), name="inner")
    x = lib.Input((5, 4), name="x")
    per_step = lib.layers.TimeDistributed(inner, name="per_step")(x)
    recurrent = lib.layers.Bidirectional(lib.layers.LSTM(2, name="lstm"), name="both_ways")(per_step)
    return lib.Model(x, recurrent, name="wrapping")


def sequential_in_functional(lib):
    stack = lib.Sequential([lib.layers.Dense(3, name="stacked")], name="stack")
    x = lib.Input((4,), name="x")
    return lib.Model(x, stack(x), name="wrapper")


def sequential_unbuilt(lib):
    return lib.Sequential([lib.layers.Dense(3, name="first"), lib.layers.Dense(2, name="second")], name="stack")


def sequential_built(lib):
    model = sequential_unbuilt(lib)
    model.build((None, 4))
    return model


def sequential_with_input(lib):
    layers = [lib.Input((4,), name="x"), lib.layers.Dense(3, name="first"), lib.layers.Dropout(0.1, name="drop")]
    return lib.Sequential(layers, name="stack")


FUNCTIONAL = [
    dense_chain,
    shared_layer,
    nested_model,
    ops_in_graph,
    dict_inputs_outputs,
    recurrent_with_dropout,
    attention,
    wrapped_layers,
    sequential_in_functional,
]
SEQUENTIAL = [sequential_built, sequential_with_input]
ALL = FUNCTIONAL + SEQUENTIAL + [sequential_unbuilt]


def _build_both(architecture):
    keras.backend.clear_session(free_memory=False)
    kerasx.backend.clear_session(free_memory=False)
    return architecture(keras), architecture(kerasx)


def _json(config) -> str:
    return json.dumps(config, sort_keys=True)


def _inputs(model):
    structure = None if isinstance(model, (keras.Sequential, kerasx.Sequential)) else model.input
    if isinstance(structure, dict):
        return {name: RNG.normal(size=(3,) + tuple(t.shape[1:])).astype("float32") for name, t in structure.items()}
    arrays = [RNG.normal(size=(3,) + tuple(t.shape[1:])).astype("float32") for t in model.inputs]
    return arrays[0] if len(arrays) == 1 else arrays


def _predictions(model, x) -> list:
    outputs = model.predict(x, verbose=0)
    if isinstance(outputs, dict):
        return [np.asarray(outputs[key]) for key in sorted(outputs)]
    return [np.asarray(o) for o in (outputs if isinstance(outputs, (list, tuple)) else [outputs])]


def _assert_same_predictions(reference, rebuilt, x) -> None:
    expected, received = _predictions(reference, x), _predictions(rebuilt, x)
    assert len(expected) == len(received)
    for a, b in zip(expected, received):
        support.assert_close(b, a, atol=1e-5)


def _model_class(lib, model):
    return lib.Sequential if isinstance(model, (keras.Sequential, kerasx.Sequential)) else lib.Model


# get_config ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("architecture", ALL, ids=lambda f: f.__name__)
def test_get_config_equals_keras(architecture):
    keras_model, kerasx_model = _build_both(architecture)
    assert _json(kerasx_model.get_config()) == _json(keras_model.get_config())


def test_get_config_layer_entries_have_keras_keys():
    keras_model, kerasx_model = _build_both(nested_model)
    entries = {entry["name"]: entry for entry in kerasx_model.get_config()["layers"]}
    assert list(entries["head"]) == ["module", "class_name", "config", "registered_name", "build_config", "name",
                                     "inbound_nodes"]
    assert list(entries["head"]["build_config"]["input_shape"]) == [None, 3]
    assert "build_config" not in entries["x"]  # an InputLayer records no build
    inner = entries["inner"]
    assert (inner["module"], inner["registered_name"], inner["compile_config"]) == (
        "keras.src.models.functional", "Functional", {}
    )
    assert [node["kwargs"] for node in inner["inbound_nodes"]] == [{"mask": None}, {"mask": None}]
    assert kerasx_model.get_config()["output_layers"] == [["head", 0, 0], ["inner", 2, 0]]
    assert "shared_object_id" not in _json(kerasx_model.get_config())


def test_files_keep_shared_object_ids_and_kerasx_form_stays_private():
    _, model = _build_both(nested_model)
    exported = kerasx.saving.serialize_keras_object(model)["config"]
    assert all("shared_object_id" in entry for entry in exported["layers"])
    assert all("build_config" not in entry for entry in exported["layers"])
    native = model._native_config()
    assert set(native) == {"name", "trainable", "layers", "nodes", "inputs", "outputs"}


# from_config, both directions ------------------------------------------------------------------------------------
@pytest.mark.parametrize("architecture", FUNCTIONAL + SEQUENTIAL, ids=lambda f: f.__name__)
def test_kerasx_rebuilds_keras_config(architecture):
    keras_model, _ = _build_both(architecture)
    rebuilt = _model_class(kerasx, keras_model).from_config(keras_model.get_config())
    rebuilt.set_weights(keras_model.get_weights())
    _assert_same_predictions(keras_model, rebuilt, _inputs(keras_model))
    assert _json(rebuilt.get_config()) == _json(keras_model.get_config())


@pytest.mark.parametrize("architecture", FUNCTIONAL + SEQUENTIAL, ids=lambda f: f.__name__)
def test_keras_rebuilds_kerasx_config(architecture):
    _, kerasx_model = _build_both(architecture)
    rebuilt = _model_class(keras, kerasx_model).from_config(kerasx_model.get_config())
    rebuilt.set_weights(kerasx_model.get_weights())
    _assert_same_predictions(kerasx_model, rebuilt, _inputs(kerasx_model))


def test_unbuilt_sequential_rebuilds_both_ways():
    keras_model, kerasx_model = _build_both(sequential_unbuilt)
    from_keras = kerasx.Sequential.from_config(keras_model.get_config())
    from_kerasx = keras.Sequential.from_config(kerasx_model.get_config())
    assert [layer.name for layer in from_keras.layers] == [layer.name for layer in from_kerasx.layers] == [
        "first", "second"
    ]
    assert not from_keras.built and _json(from_keras.get_config()) == _json(keras_model.get_config())


def test_nested_models_sharing_a_layer_rebuild_as_in_keras(tmp_path):
    # Keras's in-memory config has no shared_object_id: both libraries rebuild the shared layer once per model.
    def build(lib):
        shared = lib.layers.Dense(3, name="shared")
        a = lib.Input((4,), name="a")
        first = lib.Model(a, shared(a), name="first")
        b = lib.Input((4,), name="b")
        second = lib.Model(b, lib.layers.Dense(2, name="head")(shared(b)), name="second")
        z = lib.Input((4,), name="z")
        return lib.Model(z, [first(z), second(z)], name="outer")

    keras_model, kerasx_model = _build_both(build)
    assert _json(kerasx_model.get_config()) == _json(keras_model.get_config())
    assert len(kerasx.Model.from_config(kerasx_model.get_config()).weights) == len(
        keras.Model.from_config(keras_model.get_config()).weights
    ) == 6
    # A file keeps the sharing (its config marks the shared layer).
    kerasx_model.save(tmp_path / "outer.keras")
    assert len(kerasx.saving.load_model(tmp_path / "outer.keras").weights) == len(kerasx_model.weights) == 4


@pytest.mark.parametrize("architecture", [dense_chain, ops_in_graph, nested_model, sequential_with_input],
                         ids=lambda f: f.__name__)
def test_kerasx_native_configs_still_rebuild(architecture):
    _, model = _build_both(architecture)
    native = kerasx.layers.serialize(model)["config"]
    assert "layers" in native and ("nodes" in native or isinstance(model, kerasx.Sequential))
    rebuilt = _model_class(kerasx, model).from_config(native)
    rebuilt.set_weights(model.get_weights())
    _assert_same_predictions(model, rebuilt, _inputs(model))


def test_functional_subclass_round_trips():
    class Scored(kerasx.Model):
        def train_step(self, data):  # a subclass that changes a step only stays functional
            return super().train_step(data)

    x = kerasx.Input((4,), name="x")
    model = Scored(x, kerasx.layers.Dense(2, name="out")(x), name="scored")
    rebuilt = Scored.from_config(model.get_config())
    assert isinstance(rebuilt, Scored) and isinstance(rebuilt, kerasx.models.Functional)
    rebuilt.set_weights(model.get_weights())
    _assert_same_predictions(model, rebuilt, _inputs(model))


def test_clone_model_keeps_working_with_ops_and_nested_models():
    for architecture in (ops_in_graph, nested_model, sequential_in_functional):
        _, model = _build_both(architecture)
        clone = kerasx.models.clone_model(model)
        assert all(a is not b for a, b in zip(clone.weights, model.weights))
        clone.set_weights(model.get_weights())
        _assert_same_predictions(model, clone, _inputs(model))


# Lambda layers: bytecode in a config is refused unless unsafe deserialization is enabled, as in Keras 3 ---------
def _lambda_config():
    x = keras.Input((2,), name="x")
    return keras.Model(x, keras.layers.Lambda(lambda t: t * 2, name="double")(x)).get_config()


def test_lambda_in_keras_config_is_refused_like_keras():
    # Each library gets its own config: Keras's `from_config` empties the dict it reads.
    with pytest.raises(ValueError, match="Lambda"):
        keras.Model.from_config(_lambda_config())
    with pytest.raises(ValueError, match="enable_unsafe_deserialization"):
        kerasx.Model.from_config(_lambda_config())


def test_lambda_in_keras_config_loads_when_unsafe_deserialization_is_enabled(monkeypatch):
    from kerasx.backend import _config

    monkeypatch.setattr(_config.SETTINGS, "safe_mode", False)  # `enable_unsafe_deserialization()`, undone after
    model = kerasx.Model.from_config(_lambda_config())
    support.assert_close(model.predict(np.array([[1.0, -3.0]], "float32"), verbose=0), np.array([[2.0, -6.0]]))
