"""Keras 3's public classes are specified down to their members: every public attribute and method of a Keras 3
class (`keras.layers.Dense.get_build_config`, `keras.Model.get_state_tree`, ...) exists on the kerasx class at the
same path, unless `member_absences.py` lists it with a reason; and the members this file checks by behaviour agree
with Keras 3 on the same weights. The list of absences only shrinks, as `surface_absences.py`'s.

Members that both libraries set in `__init__` (not visible on the class) are found in the kerasx class's source.
"""

from __future__ import annotations

import inspect
import re

import numpy as np
import pytest

import kerasx
import keras_surface
import member_absences

keras = pytest.importorskip("keras")

BACKEND = kerasx.backend.backend()


def _classes() -> dict:
    pairs = {}
    for namespace in keras_surface.keras_namespaces():
        for name, keras_obj in namespace.names.items():
            if not inspect.isclass(keras_obj):
                continue
            kerasx_obj = keras_surface.kerasx_lookup(f"{namespace.kerasx_name}.{name}")
            if inspect.isclass(kerasx_obj):
                pairs[f"{namespace.keras_name}.{name}"] = (keras_obj, kerasx_obj)
    return pairs


CLASSES = _classes()


def _source(cls) -> str:
    parts = []
    for base in cls.__mro__:
        try:
            parts.append(inspect.getsource(base))
        except (OSError, TypeError):
            continue
    return "\n".join(parts)


def _has_member(cls, source: str, member: str) -> bool:
    if hasattr(cls, member):
        return True
    # An attribute set on the instance (`self.backend = ...`), or kept in a dict of attributes by name.
    return re.search(rf"(self|layer|obj)\.{member}\s*=|\"{member}\"", source) is not None


def _absence(path: str, member: str) -> str | None:
    engine_only = member_absences.ENGINE_MEMBERS.get(member)
    if engine_only is not None and engine_only[0] == BACKEND:
        return engine_only[1]
    return member_absences.ABSENT_MEMBERS.get(f"{path}.{member}") or member_absences.ABSENT_EVERYWHERE.get(member)


def test_every_keras_member_exists_on_the_kerasx_class():
    missing, now_present = [], []
    for path, (keras_cls, kerasx_cls) in sorted(CLASSES.items()):
        source = _source(kerasx_cls)
        for member in dir(keras_cls):
            if member.startswith("_"):
                continue
            present = _has_member(kerasx_cls, source, member)
            listed = f"{path}.{member}" in member_absences.ABSENT_MEMBERS
            if not present and _absence(path, member) is None:
                missing.append(f"{path}.{member}")
            if present and listed:
                now_present.append(f"{path}.{member}")
    assert not missing, f"kerasx lacks these Keras 3 members (write them, or list them with a reason): {missing}"
    assert not now_present, f"kerasx now has these: remove them from member_absences.py: {now_present}"


def test_absent_members_are_keras_members():
    stale = []
    for entry in member_absences.ABSENT_MEMBERS:
        path, member = entry.rsplit(".", 1)
        if path not in CLASSES or not hasattr(CLASSES[path][0], member):
            stale.append(entry)
    everywhere = list(member_absences.ABSENT_EVERYWHERE)
    everywhere += [member for member, (engine, _) in member_absences.ENGINE_MEMBERS.items() if engine == BACKEND]
    for member in everywhere:
        if not any(hasattr(keras_cls, member) for keras_cls, _ in CLASSES.values()):
            stale.append(member)
    assert not stale, f"member_absences.py lists members Keras 3 does not have: {stale}"


def test_the_walk_covers_the_core_classes():
    for path in ("keras.layers.Layer", "keras.Model", "keras.Sequential", "keras.Variable", "keras.KerasTensor",
                 "keras.optimizers.Adam", "keras.metrics.Mean", "keras.callbacks.Callback", "keras.layers.LSTM"):
        assert path in CLASSES
    assert len(CLASSES) > 380


# Behaviour, against Keras 3 on the same weights ------------------------------------------------------------------
def _dense_pair():
    keras_layer = keras.layers.Dense(3, name="head")
    kerasx_layer = kerasx.layers.Dense(3, name="head")
    keras_layer.build((None, 4))
    kerasx_layer.build((None, 4))
    kerasx_layer.set_weights(keras_layer.get_weights())
    return keras_layer, kerasx_layer


def test_build_config_round_trip_matches_keras():
    keras_layer, kerasx_layer = _dense_pair()
    assert kerasx_layer.get_build_config() == keras_layer.get_build_config() == {"input_shape": (None, 4)}
    assert kerasx.layers.Dense(2).get_build_config() is None
    assert keras.layers.Dense(2).get_build_config() is None
    fresh = kerasx.layers.Dense(3)
    fresh.build_from_config({"input_shape": [None, 4]})
    assert fresh.built and tuple(fresh.kernel.shape) == (4, 3)
    # A build over several shapes: MultiHeadAttention's, by argument name.
    keras_mha = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    kerasx_mha = kerasx.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    query, value = np.zeros((1, 3, 8), "float32"), np.zeros((1, 5, 6), "float32")
    keras_mha(query, value)
    kerasx_mha(query, value)
    assert kerasx_mha.get_build_config() == keras_mha.get_build_config()


def test_own_variable_store_matches_keras():
    keras_layer, kerasx_layer = _dense_pair()
    keras_store, kerasx_store = {}, {}
    keras_layer.save_own_variables(keras_store)
    kerasx_layer.save_own_variables(kerasx_store)
    assert sorted(kerasx_store) == sorted(keras_store) == ["0", "1"]
    for key in keras_store:
        np.testing.assert_array_equal(np.asarray(kerasx_store[key]), keras.ops.convert_to_numpy(keras_store[key]))
    target = kerasx.layers.Dense(3)
    target.build((None, 4))
    target.load_own_variables({k: keras.ops.convert_to_numpy(v) for k, v in keras_store.items()})
    np.testing.assert_array_equal(target.kernel.numpy(), kerasx_layer.kernel.numpy())
    with pytest.raises(ValueError, match="holds 1"):
        target.load_own_variables({"0": np.zeros((4, 3))})
    with pytest.raises(ValueError, match="shape"):
        target.load_own_variables({"0": np.zeros((3, 3)), "1": np.zeros((3,))})
    np.testing.assert_array_equal(target.kernel.numpy(), kerasx_layer.kernel.numpy())  # nothing assigned


class _Counter(kerasx.layers.Layer):
    """A layer whose saved state is its own making: a count kept outside any variable."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.count = 0

    def call(self, inputs):
        return inputs

    def save_own_variables(self, store):
        store["count"] = np.array(self.count)

    def load_own_variables(self, store):
        self.count = int(store["count"])


def test_weight_files_call_a_layers_own_store(tmp_path):
    inputs = kerasx.Input((2,))
    counter = _Counter(name="counter")
    model = kerasx.Model(inputs, kerasx.layers.Dense(1)(counter(inputs)))
    counter.count = 7
    path = str(tmp_path / "model.weights.h5")
    model.save_weights(path)
    counter.count = 0
    dense_before = model.layers[-1].kernel.numpy().copy()
    model.layers[-1].kernel.assign(np.zeros((2, 1), "float32"))
    model.load_weights(path)
    assert counter.count == 7
    np.testing.assert_array_equal(model.layers[-1].kernel.numpy(), dense_before)


def test_introspection_members_match_keras():
    keras_layer, kerasx_layer = _dense_pair()
    assert kerasx_layer.path == keras_layer.path == "head"
    assert kerasx.layers.Dense(2).path is None and keras.layers.Dense(2).path is None
    assert kerasx_layer.input_dtype == keras_layer.input_dtype == "float32"
    assert kerasx.layers.Dropout(0.5).call_signature_parameters == keras.layers.Dropout(0.5).call_signature_parameters
    assert kerasx_layer.call_signature_parameters == list(inspect.signature(kerasx_layer.call).parameters)
    assert kerasx_layer.quantization_mode is None and keras_layer.quantization_mode is None
    spec = kerasx_layer.symbolic_call(kerasx.KerasTensor((None, 4)))
    assert spec.shape == keras_layer.symbolic_call(keras.KerasTensor((None, 4))).shape == (None, 3)
    variable = kerasx_layer.add_variable((2,), "ones", name="extra")
    assert variable.path == "head/extra" and variable.trainable
    for lib in (keras, kerasx):
        with pytest.raises(NotImplementedError):
            lib.layers.Dense(2).add_metric(1.0)
        with pytest.raises(NotImplementedError):
            lib.layers.Dropout(0.5).quantize("int8")
    tensor = kerasx.KerasTensor((None, 2, 1))
    assert tensor.reshape((-1, 2)).shape == keras.KerasTensor((None, 2, 1)).reshape((-1, 2)).shape
    assert tensor.squeeze(-1).shape == (None, 2)
    assert tensor.ragged_rank is None and tensor.row_splits_dtype is None
    assert kerasx.random.SeedGenerator(1).backend is kerasx.backend


def _compiled_pair():
    models = []
    for lib in (keras, kerasx):
        lib.backend.clear_session(free_memory=False)
        inputs = lib.Input((3,), name="x")
        hidden = lib.layers.BatchNormalization(name="norm")(lib.layers.Dense(4, activation="tanh", name="hidden")(inputs))
        model = lib.Model(inputs, lib.layers.Dense(1, name="out")(hidden), name="net")
        model.compile(optimizer=lib.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
        models.append(model)
    models[1].set_weights(models[0].get_weights())
    return models


def _leaves(tree, prefix=""):
    if not isinstance(tree, dict):
        return {prefix: np.asarray(keras.ops.convert_to_numpy(tree)) if not isinstance(tree, np.ndarray) else tree}
    out = {}
    for key, value in tree.items():
        out.update(_leaves(value, f"{prefix}/{key}" if prefix else key))
    return out


@pytest.mark.skipif(BACKEND == "numpy", reason="the numpy backend runs inference only")
def test_state_tree_matches_keras_after_training():
    keras_model, kerasx_model = _compiled_pair()
    x = np.random.RandomState(0).normal(size=(16, 3)).astype("float32")
    y = np.random.RandomState(1).normal(size=(16, 1)).astype("float32")
    for model in (keras_model, kerasx_model):
        model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    keras_tree = keras_model.get_state_tree("numpy_array")
    kerasx_tree = kerasx_model.get_state_tree("numpy_array")
    assert sorted(kerasx_tree) == sorted(keras_tree)
    for kind in keras_tree:
        expected, received = _leaves(keras_tree[kind]), _leaves(kerasx_tree[kind])
        assert sorted(received) == sorted(expected), kind
        for path in expected:
            np.testing.assert_allclose(received[path], expected[path], rtol=1e-4, atol=1e-5, err_msg=path)
    # Keras's tree goes into kerasx's model, and back out unchanged.
    _, target = _compiled_pair()
    target.fit(x, y, batch_size=8, epochs=1, verbose=0)  # builds the optimizer and metrics
    target.set_state_tree(keras_tree)
    for kind, subtree in _leaves(target.get_state_tree("numpy_array")).items():
        np.testing.assert_allclose(subtree, _leaves(keras_tree)[kind], rtol=1e-6, err_msg=kind)
    with pytest.raises(ValueError, match="no such variable"):
        target.set_state_tree({"trainable_variables": {"missing": {"kernel": np.zeros(1)}}})
    with pytest.raises(ValueError, match="value_format"):
        target.get_state_tree("lists")


def test_compile_config_round_trip_matches_keras():
    keras_model, kerasx_model = _compiled_pair()
    keras_config, kerasx_config = keras_model.get_compile_config(), kerasx_model.get_compile_config()
    assert kerasx_config["loss"] == keras_config["loss"] == "mse"
    assert kerasx_config["metrics"] == keras_config["metrics"] == ["mae"]
    assert kerasx_config["optimizer"]["class_name"] == keras_config["optimizer"]["class_name"] == "Adam"
    target = kerasx.Model.from_config(kerasx_model.get_config())
    target.compile_from_config(keras_config)
    assert type(target.optimizer).__name__ == "Adam"
    assert float(target.optimizer.learning_rate) == pytest.approx(0.01)
    assert target.loss == "mse"


def test_step_functions():
    _, model = _compiled_pair()
    assert model.train_function is None and model.predict_function is None
    x = np.ones((4, 3), "float32")
    predict = model.make_predict_function()
    assert predict is model.predict_function is model.make_predict_function()
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(predict((x,))), model.predict(x, verbose=0), rtol=1e-5)
    logs = model.make_test_function()((x, np.zeros((4, 1), "float32")))
    expected = model.evaluate(x, np.zeros((4, 1), "float32"), return_dict=True, verbose=0)
    assert float(logs["loss"]) == pytest.approx(expected["loss"], rel=1e-5)
    if BACKEND != "numpy":
        step = model.make_train_function()
        losses = [float(step((x, np.zeros((4, 1), "float32")))["loss"]) for _ in range(3)]
        assert step is model.train_function and losses[-1] < losses[0]
    assert model.steps_per_execution == 1


@pytest.mark.skipif(BACKEND == "numpy", reason="the numpy backend runs inference only")
def test_overwrite_with_gradient_assigns_the_gradient_as_keras():
    results = []
    for lib in (keras, kerasx):
        holder = lib.layers.Layer(name="holder")
        kernel = holder.add_weight(shape=(2, 1), initializer="ones", name="kernel")
        bias = holder.add_weight(shape=(1,), initializer="zeros", name="bias")
        marked = holder.add_weight(shape=(2,), initializer="zeros", name="state", overwrite_with_gradient=True)
        optimizer = lib.optimizers.SGD(0.5)
        grads = [np.full((2, 1), 2.0, "float32"), np.ones((1,), "float32"), np.array([3.0, 4.0], "float32")]
        # Keras's torch optimizers take tensors only.
        optimizer.apply([lib.ops.convert_to_tensor(g) for g in grads], [kernel, bias, marked])
        results.append([np.asarray(v.numpy()) for v in (kernel, bias, marked)])
    for kerasx_value, keras_value in zip(results[1], results[0]):
        np.testing.assert_allclose(kerasx_value, keras_value, rtol=1e-6)
    np.testing.assert_array_equal(results[1][2], [3.0, 4.0])


def _variable_paths(lib) -> list:
    """Variable and layer paths of the usual ways to build layers inside others, in one library."""
    lib.backend.clear_session(free_memory=False)
    zeros = np.zeros((1, 3, 8), "float32")
    paths = []
    model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(2)])
    paths.append(([v.path for v in model.weights], model.layers[0].path, model.path))
    model = lib.Sequential([lib.layers.Dense(2)])
    model(np.zeros((1, 3), "float32"))
    paths.append([v.path for v in model.weights])

    class Subclassed(lib.Model):
        def __init__(self):
            super().__init__(name="sub")
            self.dense = lib.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    model = Subclassed()
    model(np.zeros((1, 3), "float32"))
    paths.append(([v.path for v in model.weights], model.dense.path))
    inner = lib.Sequential([lib.layers.Dense(2, name="q")], name="inner")
    inner(lib.Input((3,)))
    paths.append([v.path for v in inner.weights])
    for layer in (lib.layers.MultiHeadAttention(2, 4, name="mha"), lib.layers.LSTM(2, name="lstm"),
                  lib.layers.Bidirectional(lib.layers.GRU(2), name="bi"),
                  lib.layers.RNN([lib.layers.LSTMCell(2), lib.layers.GRUCell(3)], name="stacked")):
        layer(zeros, zeros) if isinstance(layer, lib.layers.MultiHeadAttention) else layer(zeros)
        paths.append([v.path for v in layer.weights])
    return paths


def test_variable_paths_follow_the_layers_built_around_them_as_in_keras():
    for expected, received in zip(_variable_paths(keras), _variable_paths(kerasx)):
        assert received == expected


def test_recurrent_layers_expose_their_cells_options_as_keras():
    for name, kwargs in (("LSTM", {"unit_forget_bias": False}), ("GRU", {"reset_after": False}), ("SimpleRNN", {})):
        options = dict(kernel_initializer="ones", recurrent_regularizer="l2", bias_constraint="non_neg", **kwargs)
        keras_layer = getattr(keras.layers, name)(3, **options)
        kerasx_layer = getattr(kerasx.layers, name)(3, **options)
        for attribute in ("kernel_initializer", "recurrent_regularizer", "bias_constraint"):
            assert type(getattr(kerasx_layer, attribute)).__name__ == type(getattr(keras_layer, attribute)).__name__
        for attribute, value in kwargs.items():
            assert getattr(kerasx_layer, attribute) == getattr(keras_layer, attribute) == value
    # A list of cells is stacked, as in Keras 3: same output shape, same weight shapes.
    keras_rnn = keras.layers.RNN([keras.layers.LSTMCell(2), keras.layers.GRUCell(3)])
    kerasx_rnn = kerasx.layers.RNN([kerasx.layers.LSTMCell(2), kerasx.layers.GRUCell(3)])
    sequence = np.random.RandomState(0).normal(size=(2, 4, 5)).astype("float32")
    keras_rnn(sequence)
    kerasx_rnn(sequence)
    kerasx_rnn.set_weights(keras_rnn.get_weights())
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(kerasx_rnn(sequence)),
                               keras.ops.convert_to_numpy(keras_rnn(sequence)), rtol=1e-5, atol=1e-6)


def test_py_dataset_epoch_hooks_and_batch_count():
    events = []

    class Batches(kerasx.utils.PyDataset):
        def __len__(self):
            return 3

        def __getitem__(self, index):
            events.append(index)
            return np.full((2, 2), index, "float32"), np.zeros((2, 1), "float32")

        def on_epoch_begin(self):
            events.append("begin")

        def on_epoch_end(self):
            events.append("end")

    data = Batches()
    assert data.num_batches == 3
    model = kerasx.Sequential([kerasx.Input((2,)), kerasx.layers.Dense(1)])
    model.compile(loss="mse")
    model.evaluate(data, verbose=0)
    # Each epoch opens with `on_epoch_begin` and closes with `on_epoch_end` around its batches (a batch read first
    # to learn the data's structure may come before; Keras 3 reads one too, with hooks of its own around it).
    assert events[-5:] == ["begin", 0, 1, 2, "end"] and events.count("begin") == 1


def test_early_stopping_reads_the_monitored_value_as_keras():
    logs = {"loss": 0.5, "val_loss": 0.25}
    for monitor in ("loss", "val_loss"):
        assert (kerasx.callbacks.EarlyStopping(monitor=monitor).get_monitor_value(logs)
                == keras.callbacks.EarlyStopping(monitor=monitor).get_monitor_value(logs))
