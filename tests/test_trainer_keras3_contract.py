"""Keras 3's training contract, checked against Keras 3.15.1 running the same programs (`import keras` and
`import kerasx as keras`, same initial weights and data): what a custom step receives as `data`, how what it returns
becomes the batch logs, the epoch logs, `History` and `evaluate`'s result, what `Model.metrics` holds, that
`compute_loss` tracks nothing, the order of metrics everywhere, the `logs` every callback hook receives, and models
whose only loss comes from `add_loss`.

On JAX, Keras runs only steps written over explicit state (`train_step(state, data)`), so the oracle of the
programs with a stateful custom step runs in a subprocess on torch (the contract does not depend on the engine).
Run as a script, this file prints the named programs' results as JSON (`KERAS_BACKEND=torch python
tests/test_trainer_keras3_contract.py <program>...`).
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import kerasx

try:
    import tensorflow as tf
except ImportError:  # the tf.data cases need it
    tf = None

BACKEND = kerasx.backend.backend()
TOLERANCE = 1e-5

if BACKEND == "numpy" and __name__ != "__main__":
    pytest.skip("the numpy backend is inference only", allow_module_level=True)


def _initializer(shape, dtype=None):
    """Deterministic weights from the shape alone: a model built by its first batch starts where Keras's does."""
    rng = np.random.default_rng(int(np.prod(shape)) * 7 + len(shape))
    return (rng.normal(size=shape) * 0.3).astype("float32")


def _data(num_samples=40):
    rng = np.random.default_rng(0)
    x = rng.random((num_samples, 4)).astype("float32")
    y = rng.random((num_samples, 1)).astype("float32")
    labels = (rng.random((num_samples, 1)) > 0.5).astype("float32")
    return x, y, labels


def _mlp(lib, model_class=None):
    inputs = lib.Input((4,))
    hidden = lib.layers.Dense(3, activation="relu", kernel_initializer=_initializer)(inputs)
    outputs = lib.layers.Dense(1, kernel_initializer=_initializer)(hidden)
    return (model_class or lib.Model)(inputs, outputs)


def _history(history) -> dict:
    """History as Keras fills it: the key order is part of the contract."""
    return {"keys": list(history.history), "values": history.history}


# Programs: each takes the library module and returns plain data. ---------------------------------------------------
def guide_test_step(lib):
    """Keras's "Providing your own evaluation step" (torch and TensorFlow guides): the step updates every one of
    `self.metrics` (the compiled metrics are one of them) and returns `{m.name: m.result()}`, a nested dict."""

    class CustomModel(lib.Model):
        def test_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    x, y, _ = _data()
    model = _mlp(lib, CustomModel)
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    names_before = model.metrics_names
    history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, validation_data=(x, y), verbose=0)
    return {
        "metrics_names": [names_before, model.metrics_names],
        "history": _history(history),
        "evaluate": model.evaluate(x, y, batch_size=16, verbose=0),
        "evaluate_dict": model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True),
        "weights": model.get_weights(),
    }


def untracked_compute_loss(lib):
    """`compute_loss` updates no metric: a custom step that calls it and reports `self.metrics` reports a zero
    loss, while the default test step (which tracks the loss itself) reports the real one."""

    class Untracked(lib.Model):
        def train_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            self.compute_loss(y=y, y_pred=y_pred)
            return {m.name: m.result() for m in self.metrics}

    x, y, _ = _data()
    model = _mlp(lib, Untracked)
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    return {"history": _history(history), "evaluate": model.evaluate(x, y, batch_size=16, verbose=0)}


class _BatchLogs:
    """A callback recording the logs of every training batch and epoch (as lists of items, in order)."""

    @staticmethod
    def make(lib):
        class Recorder(lib.callbacks.Callback):
            def __init__(self):
                super().__init__()
                self.batches, self.epochs = [], []

            def on_train_batch_end(self, batch, logs=None):
                self.batches.append(list(logs.items()))

            def on_epoch_end(self, epoch, logs=None):
                self.epochs.append(list(logs.items()))

        return Recorder()


def custom_step_logs(lib):
    """A step returning its own numbers, a nested dict among them: batch logs are those (sorted, the nested dict
    lifted), and so are the epoch logs and History (the last batch's, not the model's metrics)."""

    class Reporting(lib.Model):
        def train_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            return {"zeta": loss * 2.0, "loss": loss, "batch": {"beta": lib.ops.mean(y_pred), "alpha": 1.0}}

        def test_step(self, data):
            x, y = data
            return {"total": lib.ops.sum(y)}

    x, y, _ = _data()
    model = _mlp(lib, Reporting)
    # No compiled metrics: Keras's TensorFlow backend leaves them unbuilt with these steps and then fails to
    # read them at the end of the epoch.
    model.compile(optimizer="sgd", loss="mse")
    recorder = _BatchLogs.make(lib)
    history = model.fit(
        x, y, batch_size=16, epochs=2, shuffle=False, validation_data=(x, y), validation_batch_size=16,
        callbacks=[recorder], verbose=0,
    )
    return {
        "history": _history(history),
        "batches": recorder.batches,
        "epochs": recorder.epochs,
        "evaluate": model.evaluate(x, y, batch_size=16, verbose=0),
        "evaluate_dict": model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True),
    }


def attribute_metrics(lib):
    """A metric assigned to a model attribute is one of `model.metrics`: reset at each epoch, reported by
    `get_metrics_result()`, part of a compiled step's state."""

    class Counting(lib.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.seen = lib.metrics.Sum(name="seen")

        def train_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            self.seen.update_state(lib.ops.sum(lib.ops.ones_like(y)))
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
            return self.get_metrics_result()

    x, y, _ = _data()
    inputs = lib.Input((4,))
    model = Counting(inputs, lib.layers.Dense(1, kernel_initializer=_initializer)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    return {"metrics_names": model.metrics_names, "history": _history(history)}


def metric_order(lib):
    """Several outputs, loss weights, metrics, weighted metrics and sample weights: the names and order of every
    log, of `evaluate`'s list and dict, of `train_on_batch`/`test_on_batch` results, and `metrics_names`."""
    x, y, labels = _data()
    inputs = lib.Input((4,))
    hidden = lib.layers.Dense(6, activation="relu", kernel_initializer=_initializer)(inputs)
    regression = lib.layers.Dense(1, kernel_initializer=_initializer, name="reg")(hidden)
    classification = lib.layers.Dense(1, activation="sigmoid", kernel_initializer=_initializer, name="cls")(hidden)
    model = lib.Model(inputs, [regression, classification])
    model.compile(
        optimizer="adam", loss=["mse", "binary_crossentropy"], loss_weights=[0.3, 1.7], metrics=["mae", "accuracy"],
        weighted_metrics=[["mae"], ["accuracy"]],
    )
    names_before = model.metrics_names
    sample_weight = np.linspace(0.5, 1.5, len(x)).astype("float32")
    history = model.fit(
        x, [y, labels], batch_size=16, epochs=2, shuffle=False, sample_weight=sample_weight, validation_split=0.25,
        verbose=0,
    )
    return {
        "metrics_names": [names_before, model.metrics_names],
        "history": _history(history),
        "evaluate": model.evaluate(x, [y, labels], batch_size=16, verbose=0),
        "evaluate_dict": model.evaluate(x, [y, labels], batch_size=16, verbose=0, return_dict=True),
        "train_on_batch": model.train_on_batch(x, [y, labels]),
        "train_on_batch_dict": model.train_on_batch(x, [y, labels], return_dict=True),
        "test_on_batch": model.test_on_batch(x, [y, labels]),
        "weights": model.get_weights(),
    }


def callback_logs(lib):
    """Every hook gets a dict (`{}` where there is nothing to report), with its keys in Keras's order."""

    class Hooks(lib.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seen = {}

        def _record(self, hook, logs):
            self.seen.setdefault(hook, list(logs) if isinstance(logs, dict) else repr(logs))

    for hook in ("on_train_begin", "on_train_end", "on_test_begin", "on_test_end", "on_predict_begin",
                 "on_predict_end"):
        setattr(Hooks, hook, lambda self, logs=None, hook=hook: self._record(hook, logs))
    for hook in ("on_epoch_begin", "on_epoch_end", "on_train_batch_begin", "on_train_batch_end",
                 "on_test_batch_begin", "on_test_batch_end", "on_predict_batch_begin", "on_predict_batch_end"):
        setattr(Hooks, hook, lambda self, index, logs=None, hook=hook: self._record(hook, logs))

    x, y, _ = _data()
    model = _mlp(lib)
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    hooks = Hooks()
    model.fit(x, y, epochs=1, batch_size=16, shuffle=False, validation_data=(x, y), callbacks=[hooks], verbose=0)
    model.evaluate(x, y, callbacks=[hooks], verbose=0)
    model.predict(x, callbacks=[hooks], verbose=0)
    return hooks.seen


def add_loss_only(lib):
    """No compiled loss: the loss is what a layer adds with `add_loss` (and a regularizer)."""

    class Penalty(lib.layers.Layer):
        def call(self, inputs):
            self.add_loss(lib.ops.mean(lib.ops.square(inputs - 0.5)))
            return inputs

    x, _, _ = _data()
    inputs = lib.Input((4,))
    hidden = lib.layers.Dense(2, kernel_initializer=_initializer, kernel_regularizer="l2")(inputs)
    model = lib.Model(inputs, Penalty()(hidden))
    model.compile(optimizer="sgd")
    history = model.fit(x, epochs=3, batch_size=16, shuffle=False, verbose=0)
    return {"history": _history(history), "weights": model.get_weights(), "evaluate": model.evaluate(x, verbose=0)}


def _describe(data):
    """The structure a step received; lists and tuples alike (Keras's torch DataLoader makes lists of tuples)."""
    if isinstance(data, (list, tuple)):
        return "(" + ", ".join(_describe(item) for item in data) + ")"
    if isinstance(data, dict):
        return "{" + ", ".join(f"{key}: {_describe(value)}" for key, value in sorted(data.items())) + "}"
    if data is None:
        return "None"
    return f"T(batch, {', '.join(str(int(d)) for d in data.shape[1:])})"


def _dataset(structure):
    return tf.data.Dataset.from_tensor_slices(structure).batch(4)


def data_forms(lib):
    """What `data` a custom step receives, for every kind of input."""
    received = {}

    def first_input(data):
        x = data[0] if isinstance(data, (list, tuple)) else data
        x = x["features"] if isinstance(x, dict) else x
        return x[0] if isinstance(x, (list, tuple)) else x

    class Recording(lib.Model):
        def train_step(self, data):
            received.setdefault("train", _describe(data))
            return {"seen": 1.0}

        def test_step(self, data):
            received.setdefault("test", _describe(data))
            return {"seen": 1.0}

        def predict_step(self, data):
            received.setdefault("predict", _describe(data))
            return first_input(data)

    class Batches(lib.utils.PyDataset):
        def __init__(self, batch):
            super().__init__()
            self.batch = batch

        def __len__(self):
            return 2

        def __getitem__(self, index):
            return self.batch

    def repeat(batch):
        while True:
            yield batch

    x, y, _ = _data(8)
    weights = np.ones(8, "float32")
    cases = {
        "fit(x, y)": lambda m: m.fit(x, y, batch_size=4, verbose=0),
        "fit(x)": lambda m: m.fit(x, batch_size=4, verbose=0),
        "fit(x, y, sample_weight)": lambda m: m.fit(x, y, sample_weight=weights, batch_size=4, verbose=0),
        "fit(x, y, class_weight)": lambda m: m.fit(x, (y > 0.5).astype("int32"), class_weight={0: 1.0, 1: 2.0},
                                                   batch_size=4, verbose=0),
        "fit(dict, y)": lambda m: m.fit({"features": x}, y, batch_size=4, verbose=0),
        "fit([x], y)": lambda m: m.fit([x], y, batch_size=4, verbose=0),
        "fit([x])": lambda m: m.fit([x], batch_size=4, verbose=0),
        "generator (x, y)": lambda m: m.fit(repeat((x, y)), steps_per_epoch=1, verbose=0),
        "generator (x,)": lambda m: m.fit(repeat((x,)), steps_per_epoch=1, verbose=0),
        "generator (x, y, sample_weight)": lambda m: m.fit(repeat((x, y, weights)), steps_per_epoch=1, verbose=0),
        "generator ({features}, y)": lambda m: m.fit(repeat(({"features": x}, y)), steps_per_epoch=1, verbose=0),
        "PyDataset (x, y)": lambda m: m.fit(Batches((x, y)), verbose=0),
        "PyDataset x": lambda m: m.fit(Batches(x), verbose=0),
        "tf.data (x, y)": lambda m: m.fit(_dataset((x, y)), verbose=0),
        "tf.data x": lambda m: m.fit(_dataset(x), verbose=0),
        "tf.data {features}": lambda m: m.fit(_dataset({"features": x}), verbose=0),
        "train_on_batch(x, y)": lambda m: m.train_on_batch(x, y),
        "train_on_batch(x)": lambda m: m.train_on_batch(x),
        "evaluate(x, y)": lambda m: m.evaluate(x, y, verbose=0),
        "evaluate(x)": lambda m: m.evaluate(x, verbose=0),
        "evaluate(x, y, sample_weight)": lambda m: m.evaluate(x, y, sample_weight=weights, verbose=0),
        "test_on_batch(x, y)": lambda m: m.test_on_batch(x, y),
        "predict(x)": lambda m: m.predict(x, verbose=0),
        "predict([x])": lambda m: m.predict([x], verbose=0),
        "predict(dict)": lambda m: m.predict({"features": x}, verbose=0),
        "predict generator (x,)": lambda m: m.predict(repeat((x,)), steps=1, verbose=0),
        "predict generator (x, y)": lambda m: m.predict(repeat((x, y)), steps=1, verbose=0),
        "predict tf.data x": lambda m: m.predict(_dataset(x), verbose=0),
    }
    results = {}
    for name, run in cases.items():
        if tf is None and "tf.data" in name:
            continue
        received.clear()
        inputs = lib.Input((4,), name="features")
        model = Recording(inputs, lib.layers.Dense(1)(inputs))
        model.compile(optimizer="sgd")
        run(model)
        results[name] = dict(received)
    return results


PROGRAMS = {
    "guide_test_step": guide_test_step,
    "untracked_compute_loss": untracked_compute_loss,
    "custom_step_logs": custom_step_logs,
    "attribute_metrics": attribute_metrics,
    "metric_order": metric_order,
    "callback_logs": callback_logs,
    "add_loss_only": add_loss_only,
    "data_forms": data_forms,
}
# Programs with a stateful custom step, which Keras's JAX backend does not run.
STATEFUL_STEPS = ("guide_test_step", "untracked_compute_loss", "custom_step_logs", "attribute_metrics", "data_forms")


def plain(value):
    """Results as JSON data (tuples as lists, arrays as nested lists, numbers as floats)."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        return np.asarray(kerasx.ops.convert_to_numpy(value) if kerasx.backend.is_tensor(value) else value).tolist()
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, (int, float, np.number)):
        return float(value)
    return repr(value)


class Oracle:
    """Keras 3's results: in this process on the active engine, or (stateful steps on JAX) from one subprocess on
    torch that runs every such program at once, started on first need."""

    def __init__(self):
        self.keras = pytest.importorskip("keras")
        self.process = None
        self.subprocess_results = None

    def _start(self):
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env = dict(os.environ, KERAS_BACKEND="torch")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), *STATEFUL_STEPS], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )

    def run(self, name):
        if BACKEND != "jax" or name not in STATEFUL_STEPS:
            return plain(PROGRAMS[name](self.keras))
        if self.subprocess_results is None:
            if self.process is None:
                self._start()
            stdout, stderr = self.process.communicate(timeout=600)
            assert self.process.returncode == 0, f"the Keras oracle on torch failed:\n{stderr[-3000:]}"
            self.subprocess_results = json.loads(stdout.strip().splitlines()[-1])
        return self.subprocess_results[name]

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


@pytest.fixture(scope="module")
def oracle():
    keras_oracle = Oracle()
    if BACKEND == "jax":
        keras_oracle._start()  # runs while the first tests do
    yield keras_oracle
    keras_oracle.stop()


def assert_same(actual, expected, what="result", skip=()):
    """Equal structure (dict keys in the same order, list lengths) and numbers within TOLERANCE; keys in `skip`
    are compared by name only."""
    if isinstance(expected, dict):
        assert list(actual) == list(expected), f"{what}: keys {list(actual)} != Keras {list(expected)}"
        for key in expected:
            if key not in skip:
                assert_same(actual[key], expected[key], f"{what}[{key!r}]", skip)
        return
    if isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{what}: {actual} != Keras {expected}"
        for index, (a, e) in enumerate(zip(actual, expected)):
            if isinstance(e, list) and len(e) == 2 and isinstance(e[0], str) and e[0] in skip:
                assert a[0] == e[0], f"{what}[{index}]: {a[0]} != Keras {e[0]}"  # a log item: (name, value)
                continue
            assert_same(a, e, f"{what}[{index}]", skip)
        return
    if isinstance(expected, float):
        np.testing.assert_allclose(actual, expected, rtol=TOLERANCE, atol=TOLERANCE, err_msg=what)
        return
    assert actual == expected, f"{what}: {actual!r} != Keras {expected!r}"


def _run_both(oracle, name, skip=()):
    expected = oracle.run(name)
    actual = plain(PROGRAMS[name](kerasx))
    assert_same(actual, expected, name, skip)
    return actual


# Tests. ------------------------------------------------------------------------------------------------------------
def test_custom_test_step_of_the_guide(oracle):
    result = _run_both(oracle, "guide_test_step")
    assert result["metrics_names"] == [["loss", "compile_metrics"], ["loss", "compile_metrics"]]
    assert result["history"]["keys"] == ["loss", "mae", "val_loss", "val_mae"]
    # Sorted before the nested dict is lifted: "compile_metrics" (holding "mae") comes before "loss".
    assert list(result["evaluate_dict"]) == ["mae", "loss"]


def test_compute_loss_updates_no_metric(oracle):
    result = _run_both(oracle, "untracked_compute_loss")
    assert result["history"]["values"] == {"loss": [0.0, 0.0]}
    assert result["evaluate"] > 0.0


def test_a_custom_steps_logs_are_the_batch_and_epoch_logs(oracle):
    result = _run_both(oracle, "custom_step_logs")
    assert result["history"]["keys"] == ["alpha", "beta", "loss", "val_total", "zeta"]
    # The epoch logs are the last batch's (a partial batch of 8 samples), not the model's loss metric.
    assert [item for item in result["epochs"][0] if item[0] != "val_total"] == result["batches"][2]
    assert result["evaluate"] == result["evaluate_dict"]["total"]


def test_metrics_assigned_to_attributes_are_model_metrics(oracle):
    result = _run_both(oracle, "attribute_metrics")
    assert result["metrics_names"] == ["loss", "seen"]
    assert result["history"]["values"]["seen"] == [40.0, 40.0]  # reset at each epoch


def test_metric_order_with_several_outputs(oracle):
    # Keras's TensorFlow backend weighs each output's loss tracker per batch, not per sample (its batch size is
    # unknown while tracing), unlike its JAX and torch backends and kerasx on every engine: on TensorFlow those
    # entries are compared by name and position only.
    skip = ("reg_loss", "cls_loss", "val_reg_loss", "val_cls_loss") if BACKEND == "tensorflow" else ()
    expected = oracle.run("metric_order")
    actual = plain(metric_order(kerasx))
    if skip:
        # The lists of evaluate/train_on_batch/test_on_batch hold those losses at positions 1 and 2.
        for key in ("evaluate", "train_on_batch", "test_on_batch"):
            actual[key] = [value for index, value in enumerate(actual[key]) if index not in (1, 2)]
            expected[key] = [value for index, value in enumerate(expected[key]) if index not in (1, 2)]
    assert_same(actual, expected, "metric_order", skip)
    assert actual["history"]["keys"] == sorted(actual["history"]["keys"])
    assert actual["metrics_names"][1] == ["loss", "compile_metrics", "reg_loss", "cls_loss"]


def test_every_callback_hook_gets_a_logs_dict(oracle):
    result = _run_both(oracle, "callback_logs")
    assert result["on_train_batch_begin"] == [] and result["on_predict_batch_begin"] == []
    assert result["on_epoch_end"] == ["loss", "mae", "val_loss", "val_mae"]


def test_fit_with_only_add_loss(oracle):
    result = _run_both(oracle, "add_loss_only")
    losses = result["history"]["values"]["loss"]
    assert losses[-1] < losses[0]


def test_what_a_custom_step_receives(oracle):
    _run_both(oracle, "data_forms")


def test_a_step_receives_a_tuple_to_unpack():
    """`x, y = data` works: the batch of `fit(x, y)` is a tuple (not a list, not with a third None)."""
    received = []

    class Model(kerasx.Model):
        def train_step(self, data):
            received.append(type(data))
            x, y = data
            return {"loss": kerasx.ops.mean(y)}

    x, y, _ = _data(8)
    model = _mlp(kerasx, Model)
    model.compile(optimizer="sgd")
    model.fit(x, y, batch_size=4, verbose=0)
    assert received == [tuple, tuple]


@pytest.mark.parametrize(
    "data",
    [
        "x", ("x",), ("x", "y"), ("x", "y", "w"), ["x", "y"], {"a": "x"}, (("x", "x"), "y"),
    ],
    ids=["alone", "1-tuple", "2-tuple", "3-tuple", "list", "dict", "nested"],
)
def test_unpack_x_y_sample_weight_as_keras(data):
    keras = pytest.importorskip("keras")
    assert kerasx.utils.unpack_x_y_sample_weight(data) == keras.utils.unpack_x_y_sample_weight(data)


@pytest.mark.parametrize(
    "arguments",
    [("x",), (["x", "x"],), (("x",),), ("x", "y"), ("x", "y", "w"), ({"a": "x"},), ("x", None, "w")],
    ids=["x", "list", "tuple", "x-y", "x-y-w", "dict", "no-y"],
)
def test_pack_x_y_sample_weight_as_keras(arguments):
    keras = pytest.importorskip("keras")
    assert kerasx.utils.pack_x_y_sample_weight(*arguments) == keras.utils.pack_x_y_sample_weight(*arguments)


def test_unpack_rejects_longer_tuples():
    with pytest.raises(ValueError, match="Received a tuple of length 4"):
        kerasx.utils.unpack_x_y_sample_weight((1, 2, 3, 4))


def test_evaluate_rejects_unknown_keyword_arguments():
    keras = pytest.importorskip("keras")
    x, y, _ = _data()
    messages = []
    for lib in (keras, kerasx):
        model = _mlp(lib)
        model.compile(optimizer="sgd", loss="mse")
        with pytest.raises(ValueError, match="Arguments not recognized") as error:
            model.evaluate(x, y, verbose=0, foo=1)
        messages.append(str(error.value))
    assert messages[1].startswith(messages[0])


@pytest.mark.parametrize("method", ["train_on_batch", "test_on_batch"])
def test_on_batch_methods_check_the_number_of_samples(method):
    x, y, _ = _data(8)
    model = _mlp(kerasx)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match=rf"passed to {method} must have the same number of samples.*\[6, 8\]"):
        getattr(model, method)(x, y[:6])


def test_metrics_property_before_and_after_compile():
    model = _mlp(kerasx)
    assert model.metrics == []
    model.compile(optimizer="sgd", loss="mse")
    assert model.metrics_names == ["loss"]  # no compiled metrics: no "compile_metrics" entry, as in Keras
    model.compile(optimizer="sgd", loss="mse", weighted_metrics=["mae"])
    assert model.metrics_names == ["loss", "compile_metrics"]


if __name__ == "__main__":
    import keras as _keras

    print(json.dumps({name: plain(PROGRAMS[name](_keras)) for name in sys.argv[1:]}))
