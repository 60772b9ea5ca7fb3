"""Callbacks driven directly through their hooks by a small fake training loop: no trainer, no engine work.

The fake model "trains" by adding 1 to every weight per batch, so after epoch `e` (0-based) of `s` steps each
weight equals `(e + 1) * s`: restored weights tell which epoch they come from.
"""

from __future__ import annotations

import csv
import glob
import importlib.util
import io
import json
import math
import os
import struct
import sys
import time

import numpy as np
import pytest

import kerasx
from kerasx import callbacks
from kerasx.callbacks import _progbar, _tensorboard_writer

# ---------------------------------------------------------------------------------------------------------------
# Fake model, optimizer and loop


class FakeOptimizer:
    """Holds the learning rate in float32, like the real optimizers, and kerasx Variables as its state."""

    def __init__(self, learning_rate=0.01, variables=None, build_shapes=None):
        self._learning_rate = np.float32(learning_rate)
        self.variables = list(variables or [])
        self._build_shapes = build_shapes
        self.built = bool(self.variables) or build_shapes is None

    @property
    def learning_rate(self):
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self._learning_rate = np.float32(value)

    def build(self, variables):
        self.variables = [kerasx.Variable(np.zeros(shape, "float32"), name="slot") for shape in self._build_shapes]
        self.built = True


class FakeModel:
    def __init__(self, shapes=((2, 3), (3,)), optimizer=None, with_save=False):
        self.weights = [np.zeros(shape, "float32") for shape in shapes]
        self.optimizer = optimizer if optimizer is not None else FakeOptimizer()
        self.stop_training = False
        self.built = True
        self.trainable_variables = []
        self.saved = []
        if with_save:
            self.save = self._save

    def train_step(self):
        self.weights = [w + 1 for w in self.weights]
        for variable in self.optimizer.variables:
            # Float slots grow by 0.5, integer ones (an iteration counter) by 1.
            variable.assign(np.asarray(variable) + (1 if "int" in variable.dtype else 0.5))

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.array(w) for w in weights]

    def save_weights(self, filepath):
        # The real model writes HDF5; any format round-tripping through load_weights does for the callbacks.
        with open(filepath, "wb") as file:
            np.savez(file, *self.weights)
        self.saved.append(("weights", filepath))

    def load_weights(self, filepath):
        with np.load(filepath) as saved:
            self.weights = [saved[f"arr_{i}"] for i in range(len(saved.files))]

    def _save(self, filepath):
        with open(filepath, "wb") as file:
            np.savez(file, *self.weights)
        self.saved.append(("model", filepath))


class Interrupt(Exception):
    pass


def fake_fit(model, callback_list, epochs, steps, epoch_logs=None, batch_loss=None, verbose=0, validate=True):
    """The loop the trainer runs: hooks in Keras order, `stop_training` read after each batch and epoch.

    `epoch_logs(epoch)` gives the epoch's logs (default: loss and val_loss decreasing), `batch_loss(epoch, step)`
    the running loss after a batch.
    """
    epoch_logs = epoch_logs or (lambda e: {"loss": 1.0 / (e + 1), "val_loss": 1.5 / (e + 1)})
    batch_loss = batch_loss or (lambda e, s: 1.0 / (e + 1) + 0.1 / (s + 1))
    cbs = callbacks.CallbackList(
        callback_list,
        add_history=True,
        add_progbar=verbose != 0,
        model=model,
        verbose=verbose,
        epochs=epochs,
        steps=steps,
    )
    model.stop_training = False
    model._initial_epoch = 0
    cbs.on_train_begin()
    logs = {}
    for epoch in range(model._initial_epoch, epochs):
        cbs.on_epoch_begin(epoch)
        for step in range(steps if steps is not None else 4):
            cbs.on_train_batch_begin(step)
            model.train_step()
            logs = {"loss": batch_loss(epoch, step)}
            cbs.on_train_batch_end(step, logs)
            if model.stop_training:
                break
        logs = dict(epoch_logs(epoch))
        if validate:
            cbs.on_test_begin()
            for step in range(2):
                cbs.on_test_batch_begin(step)
                cbs.on_test_batch_end(step, {"loss": 0.5})
            cbs.on_test_end({"loss": 0.5})
        cbs.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    cbs.on_train_end(logs)
    return model.history


# ---------------------------------------------------------------------------------------------------------------
# Callback, CallbackList, History


class Recorder(callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def __getattribute__(self, name):
        if name.startswith("on_") and name not in ("on_batch_begin", "on_batch_end"):
            calls = object.__getattribute__(self, "calls")
            return lambda *args: calls.append((name, *[a for a in args if isinstance(a, int)]))
        return object.__getattribute__(self, name)

    def _wants(self, hook):
        return True


def test_callback_list_hook_order():
    recorder = Recorder()
    fake_fit(FakeModel(), [recorder], epochs=2, steps=2)
    epoch = lambda e: [  # noqa: E731
        ("on_epoch_begin", e),
        ("on_train_batch_begin", 0),
        ("on_train_batch_end", 0),
        ("on_train_batch_begin", 1),
        ("on_train_batch_end", 1),
        ("on_test_begin",),
        ("on_test_batch_begin", 0),
        ("on_test_batch_end", 0),
        ("on_test_batch_begin", 1),
        ("on_test_batch_end", 1),
        ("on_test_end",),
        ("on_epoch_end", e),
    ]
    assert recorder.calls == [("on_train_begin",), *epoch(0), *epoch(1), ("on_train_end",)]


def test_callback_list_order_params_and_defaults():
    model = FakeModel()
    first, second = callbacks.Callback(), callbacks.TerminateOnNaN()
    cbs = callbacks.CallbackList([first, second], add_history=True, add_progbar=True, model=model, verbose=2, epochs=3)
    expected = [callbacks.Callback, callbacks.TerminateOnNaN, callbacks.History, callbacks.ProgbarLogger]
    assert [type(c) for c in cbs] == expected
    assert all(c.model is model for c in cbs)
    assert all(c.params == {"verbose": 2, "epochs": 3} for c in cbs)
    assert model.history is cbs.callbacks[2]
    # A History or ProgbarLogger already given is used, not duplicated.
    history = callbacks.History()
    cbs = callbacks.CallbackList([history], add_history=True, add_progbar=False, model=model)
    assert cbs.callbacks == [history] and model.history is history
    # Appending later sets model and params too.
    cbs.append(first)
    assert len(cbs) == 2 and first.model is model


def test_callback_list_calls_only_implementing_callbacks():
    class OldStyle(callbacks.Callback):
        """Overrides the Keras 2 name only."""

        def __init__(self):
            super().__init__()
            self.batches = []

        def on_batch_end(self, batch, logs=None):
            self.batches.append((batch, logs["loss"]))

    old = OldStyle()
    seen = []
    lambda_callback = callbacks.LambdaCallback(on_test_batch_end=lambda batch, logs: seen.append(batch))
    cbs = callbacks.CallbackList([old, lambda_callback], add_history=True, add_progbar=True, verbose=0, steps=3)
    assert cbs._call_on_train_batch_end == (old.on_train_batch_end,)
    assert cbs._call_on_test_batch_end == (lambda_callback.on_test_batch_end,)
    assert cbs._call_on_train_batch_begin == ()
    assert [m.__self__ for m in cbs._call_on_epoch_end] == [cbs.callbacks[2]]  # only History
    cbs.on_train_batch_end(4, {"loss": 0.25})
    cbs.on_test_batch_end(7, {})
    assert old.batches == [(4, 0.25)] and seen == [7]


@pytest.mark.parametrize("verbose", [0, 2])
def test_callback_list_batch_overhead_is_small(verbose):
    """History plus a progress bar that prints nothing per batch: a training batch costs < 5 us in hooks."""
    cbs = callbacks.CallbackList([], add_history=True, add_progbar=True, verbose=verbose, epochs=1, steps=100)
    logs = {"loss": 0.5}
    num_batches = 20_000
    best = math.inf
    for _ in range(5):
        start = time.perf_counter()
        for step in range(num_batches):
            cbs.on_train_batch_begin(step, logs)
            cbs.on_train_batch_end(step, logs)
        best = min(best, (time.perf_counter() - start) / num_batches)
    assert best < 5e-6, f"{best * 1e6:.2f} us per batch"


def test_callback_list_rejects_non_callbacks():
    with pytest.raises(TypeError, match=r"Received: callbacks\[1\]=.*of type function.*LambdaCallback"):
        callbacks.CallbackList([callbacks.History(), read_csv])


def test_history_records_epoch_logs():
    model = FakeModel()
    history = fake_fit(model, [], epochs=3, steps=2)
    assert isinstance(history, callbacks.History)
    assert history.epoch == [0, 1, 2]
    np.testing.assert_allclose(history.history["loss"], [1.0, 1 / 2, 1 / 3])
    np.testing.assert_allclose(history.history["val_loss"], [1.5, 1.5 / 2, 1.5 / 3])


def test_lambda_callback():
    events = []
    callback = callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: events.append(("epoch_end", epoch, logs["loss"])),
        on_train_begin=lambda logs: events.append(("train_begin",)),
        on_predict_end=lambda logs: events.append(("predict_end",)),
    )
    fake_fit(FakeModel(), [callback], epochs=2, steps=1)
    callbacks.CallbackList([callback]).on_predict_end()
    assert events == [("train_begin",), ("epoch_end", 0, 1.0), ("epoch_end", 1, 0.5), ("predict_end",)]
    with pytest.raises(TypeError, match="unexpected keyword argument 'on_epoch_finish'"):
        callbacks.LambdaCallback(on_epoch_finish=print)
    with pytest.raises(TypeError, match="Received: on_epoch_end=3"):
        callbacks.LambdaCallback(on_epoch_end=3)


# ---------------------------------------------------------------------------------------------------------------
# EarlyStopping


# Epoch values of the monitored metric, the arguments, the 0-based epoch at which training must stop (None: runs
# all epochs) and the best epoch. Reasoning per case in the ids.
EARLY_STOPPING_CASES = [
    pytest.param([1.0, 0.8, 0.9, 0.85, 0.7], dict(patience=2), 3, 1, id="EarlyStopping-patience2-stops-after-2-bad"),
    pytest.param([1.0, 0.8, 0.9, 0.7, 0.75], dict(patience=0), 2, 1, id="EarlyStopping-patience0-first-bad-epoch"),
    pytest.param([1.0, 0.9, 0.8, 0.7, 0.6], dict(patience=1), None, 4, id="EarlyStopping-always-improving"),
    pytest.param(
        [1.0, 0.95, 0.9, 0.85, 0.5], dict(patience=2, min_delta=0.1), 2, 0, id="EarlyStopping-min-delta-small-gains"
    ),
    pytest.param(
        [0.5, 0.6, 0.7, 0.6, 0.8], dict(patience=1, monitor="val_accuracy"), 3, 2, id="EarlyStopping-auto-max-accuracy"
    ),
    pytest.param([0.5, 0.4, 0.3, 0.2, 0.1], dict(patience=1, mode="max"), 1, 0, id="EarlyStopping-mode-max"),
    pytest.param(
        [1.0, 0.9, 0.8, 0.7, 0.6], dict(patience=3, baseline=0.5), 2, 2, id="EarlyStopping-baseline-never-reached"
    ),
    pytest.param(
        [1.0, 0.9, 0.4, 0.5, 0.6, 0.45], dict(patience=3, baseline=0.5), 5, 2, id="EarlyStopping-baseline-reached"
    ),
    pytest.param(
        [0.1, 0.2, 0.3, 0.9, 0.8, 0.85, 0.9],
        dict(patience=1, start_from_epoch=3),
        5,
        4,
        id="EarlyStopping-start-from-epoch-ignores-warmup",
    ),
]


@pytest.mark.parametrize("values,kwargs,stop_epoch,best_epoch", EARLY_STOPPING_CASES)
def test_early_stopping_stops_and_restores_best_weights(values, kwargs, stop_epoch, best_epoch, capsys):
    monitor = kwargs.get("monitor", "val_loss")
    steps = 2
    model = FakeModel()
    early_stopping = callbacks.EarlyStopping(restore_best_weights=True, verbose=1, **kwargs)
    history = fake_fit(model, [early_stopping], len(values), steps, epoch_logs=lambda e: {monitor: values[e]})
    last_epoch = len(values) - 1 if stop_epoch is None else stop_epoch
    assert history.epoch == list(range(last_epoch + 1))
    assert early_stopping.stopped_epoch == (stop_epoch or 0)
    assert early_stopping.best_epoch == best_epoch
    for weight in model.weights:
        np.testing.assert_array_equal(weight, np.full(weight.shape, (best_epoch + 1) * steps, "float32"))
    out = capsys.readouterr().out
    assert (out.count(": early stopping") == 1) == (stop_epoch is not None)
    assert stop_epoch is None or f"Epoch {stop_epoch + 1}: early stopping" in out
    assert f"Restoring model weights from the end of the best epoch: {best_epoch + 1}." in out


def test_early_stopping_without_restore_keeps_last_weights():
    model = FakeModel()
    fake_fit(model, [callbacks.EarlyStopping(patience=0)], 5, 3, epoch_logs=lambda e: {"val_loss": [1, 2, 3, 4, 5][e]})
    np.testing.assert_array_equal(model.weights[1], np.full((3,), 6.0))  # stopped after epoch 1: 2 epochs x 3 steps


def test_early_stopping_warns_when_monitor_missing():
    early_stopping = callbacks.EarlyStopping(monitor="val_loss", patience=0)
    model = FakeModel()
    expected = r"EarlyStopping is conditioned on metric `val_loss`.*Available metrics are: loss"
    with pytest.warns(UserWarning, match=expected):
        fake_fit(model, [early_stopping], 3, 1, epoch_logs=lambda e: {"loss": 1.0 + e}, validate=False)
    assert early_stopping.stopped_epoch == 0


# (callback class, arguments, expected message): each argument error names the received value.
BAD_ARGUMENTS = [
    (callbacks.EarlyStopping, dict(mode="lowest"), r"mode of EarlyStopping.*Received: mode='lowest'"),
    (callbacks.EarlyStopping, dict(patience=-1), r"Received: patience=-1"),
    (callbacks.ModelCheckpoint, dict(filepath="m.keras", mode="up"), r"Received: mode='up'"),
    (callbacks.ModelCheckpoint, dict(filepath="m.h5"), r"must end in `\.keras`.*filepath='m.h5'"),
    (
        callbacks.ModelCheckpoint,
        dict(filepath="m.keras", save_weights_only=True),
        r"must end in `\.weights\.h5`.*filepath='m.keras'",
    ),
    (callbacks.ModelCheckpoint, dict(filepath="m.keras", save_freq="batch"), r"Received: save_freq='batch'"),
    (callbacks.ReduceLROnPlateau, dict(mode=None), r"Received: mode=None"),
    (callbacks.ReduceLROnPlateau, dict(factor=1.0), r"must be in \(0, 1\).*factor=1.0"),
    (callbacks.ReduceLROnPlateau, dict(min_lr=-1), r"Received: min_lr=-1"),
    (callbacks.ReduceLROnPlateau, dict(cooldown=1.5), r"Received: cooldown=1.5"),
    (callbacks.BackupAndRestore, dict(backup_dir=""), r"Received: backup_dir=''"),
    (callbacks.BackupAndRestore, dict(backup_dir="b", save_freq=0), r"Received: save_freq=0"),
    (callbacks.CSVLogger, dict(filename="a.csv", separator=";;"), r"Received: separator=';;'"),
    (callbacks.TensorBoard, dict(update_freq="often"), r"Received: update_freq='often'"),
    (callbacks.Progbar, dict(target=10, verbose=3), r"Received: verbose=3"),
    (callbacks.Progbar, dict(target=0), r"Received: target=0"),
]


@pytest.mark.parametrize(
    "cls,kwargs,match",
    [pytest.param(*case, id=f"{case[0].__name__}-{'-'.join(case[1])}") for case in BAD_ARGUMENTS],
)
def test_bad_arguments_raise(cls, kwargs, match):
    with pytest.raises(ValueError, match=match):
        cls(**kwargs)


def test_auto_mode_needs_a_known_direction():
    callback = callbacks.EarlyStopping(monitor="val_widgets")
    with pytest.raises(ValueError, match=r"monitor='val_widgets'.*Pass mode='min'.*mode='max'"):
        fake_fit(FakeModel(), [callback], 2, 1, epoch_logs=lambda e: {"val_widgets": 1.0})

    class Metric:
        name, _direction = "widgets", "up"

    model = FakeModel()
    model.metrics = [type("CompileMetrics", (), {"name": "compile_metrics", "metrics": [Metric()]})()]
    callback = callbacks.EarlyStopping(monitor="val_widgets", patience=0)
    fake_fit(model, [callback], 4, 1, epoch_logs=lambda e: {"val_widgets": [1.0, 2.0, 1.5, 3.0][e]})
    assert callback.direction == "max" and callback.stopped_epoch == 2


# ---------------------------------------------------------------------------------------------------------------
# ModelCheckpoint


def saved_files(folder) -> list:
    return sorted(os.path.basename(p) for p in glob.glob(os.path.join(folder, "*")))


def test_model_checkpoint_save_best_only_writes_improved_epochs(tmp_path, capsys):
    val_loss = [0.9, 0.7, 0.8, 0.6, 0.65]
    model = FakeModel(with_save=True)
    path = str(tmp_path / "ckpt" / "model-{epoch:02d}-{val_loss:.2f}.keras")
    checkpoint = callbacks.ModelCheckpoint(path, save_best_only=True, verbose=1)
    fake_fit(model, [checkpoint], 5, 2, epoch_logs=lambda e: {"loss": 1.0, "val_loss": val_loss[e]})
    assert saved_files(tmp_path / "ckpt") == ["model-01-0.90.keras", "model-02-0.70.keras", "model-04-0.60.keras"]
    assert [kind for kind, _ in model.saved] == ["model"] * 3
    with np.load(tmp_path / "ckpt" / "model-04-0.60.keras") as saved:
        np.testing.assert_array_equal(saved["arr_1"], np.full((3,), 8.0))  # after 4 epochs of 2 steps
    out = capsys.readouterr().out
    assert "Epoch 1: val_loss improved from inf to 0.90000, saving model to" in out
    assert "Epoch 3: val_loss did not improve from 0.70000" in out


def test_model_checkpoint_every_epoch_weights_only_and_threshold(tmp_path):
    model = FakeModel()
    path = str(tmp_path / "w-{epoch}.weights.h5")
    fake_fit(model, [callbacks.ModelCheckpoint(path, save_weights_only=True)], 3, 1)
    assert saved_files(tmp_path) == ["w-1.weights.h5", "w-2.weights.h5", "w-3.weights.h5"]
    # initial_value_threshold: only values above 0.75 accuracy count.
    model = FakeModel()
    path = str(tmp_path / "best.weights.h5")
    checkpoint = callbacks.ModelCheckpoint(
        path, monitor="accuracy", save_best_only=True, save_weights_only=True, initial_value_threshold=0.75
    )
    fake_fit(model, [checkpoint], 4, 1, epoch_logs=lambda e: {"accuracy": [0.5, 0.8, 0.7, 0.9][e]})
    assert model.saved == [("weights", path), ("weights", path)]
    assert checkpoint.best == 0.9


def test_model_checkpoint_save_freq_in_batches(tmp_path):
    model = FakeModel()
    path = str(tmp_path / "e{epoch}-b{batch}.weights.h5")
    fake_fit(model, [callbacks.ModelCheckpoint(path, save_weights_only=True, save_freq=3)], 2, 4)
    # Batches counted across epochs: the 3rd (epoch 1, batch 3), 6th (epoch 2, batch 2).
    assert saved_files(tmp_path) == ["e1-b3.weights.h5", "e2-b2.weights.h5"]


def test_model_checkpoint_errors(tmp_path):
    model = FakeModel()  # no `save`: whole-model checkpoints are impossible
    with pytest.raises(TypeError, match=r"calls `model.save\(filepath\)`.*Received: model of type FakeModel"):
        fake_fit(model, [callbacks.ModelCheckpoint(str(tmp_path / "m.keras"))], 1, 1)
    checkpoint = callbacks.ModelCheckpoint(str(tmp_path / "{epoch}-{val_acc}.weights.h5"), save_weights_only=True)
    with pytest.raises(ValueError, match=r"names 'val_acc'.*Available log entries: loss, val_loss"):
        fake_fit(FakeModel(), [checkpoint], 1, 1)
    checkpoint = callbacks.ModelCheckpoint(str(tmp_path / "x.weights.h5"), save_weights_only=True, save_best_only=True)
    with pytest.warns(UserWarning, match="ModelCheckpoint is conditioned on metric `val_loss`"):
        fake_fit(model, [checkpoint], 1, 1, epoch_logs=lambda e: {"loss": 1.0}, validate=False)
    assert saved_files(tmp_path) == []


# ---------------------------------------------------------------------------------------------------------------
# Learning rate callbacks


def test_reduce_lr_on_plateau_patience_cooldown_and_min_lr():
    val_loss = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5]
    model = FakeModel(optimizer=FakeOptimizer(learning_rate=1.0))
    reduce = callbacks.ReduceLROnPlateau(factor=0.5, patience=2, cooldown=1, min_lr=0.2, verbose=1)
    history = fake_fit(model, [reduce], len(val_loss), 1, epoch_logs=lambda e: {"val_loss": val_loss[e]})
    # Epoch 0 sets best; 1, 2 do not improve -> x0.5 after epoch 2; epoch 3 is cooldown; 4, 5 -> x0.5 after 5;
    # epoch 6 improves; 7, 8 (cooldown ended) -> would be 0.125, clipped to min_lr 0.2 after 8; 9 cooldown; 10 counts
    # one epoch (patience 2 not reached). The logged rate is the one used during the epoch.
    expected = [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2]
    np.testing.assert_allclose(history.history["learning_rate"], expected, rtol=1e-6)
    np.testing.assert_allclose(float(model.optimizer.learning_rate), 0.2, rtol=1e-6)


def test_reduce_lr_stops_at_min_lr_and_respects_min_delta(capsys):
    model = FakeModel(optimizer=FakeOptimizer(learning_rate=1e-3))
    # Improvements of 2e-5 per epoch stay below min_delta=1e-4 over the run: every epoch is on the plateau.
    reduce = callbacks.ReduceLROnPlateau(monitor="loss", factor=0.1, patience=1, min_lr=1e-5, verbose=1)
    history = fake_fit(model, [reduce], 5, 1, epoch_logs=lambda e: {"loss": 1.0 - 2e-5 * e}, validate=False)
    # Lowered at the end of epochs 1 and 2; the log holds the rate each epoch trained with.
    np.testing.assert_allclose(history.history["learning_rate"], [1e-3, 1e-3, 1e-4, 1e-5, 1e-5], rtol=1e-6)
    out = capsys.readouterr().out
    assert out.count("ReduceLROnPlateau reducing learning rate to") == 2


@pytest.mark.parametrize(
    "schedule,expected",
    [
        pytest.param(lambda epoch, lr: lr * 0.5, [0.05, 0.025, 0.0125], id="LearningRateScheduler-halving"),
        pytest.param(lambda epoch: 0.1 / (epoch + 1), [0.1, 0.05, 0.1 / 3], id="LearningRateScheduler-epoch-only"),
        pytest.param(lambda epoch, lr: np.float32(0.3), [0.3, 0.3, 0.3], id="LearningRateScheduler-numpy-float"),
    ],
)
def test_learning_rate_scheduler(schedule, expected, capsys):
    model = FakeModel(optimizer=FakeOptimizer(learning_rate=0.1))
    history = fake_fit(model, [callbacks.LearningRateScheduler(schedule, verbose=1)], 3, 1)
    np.testing.assert_allclose(history.history["learning_rate"], expected, rtol=1e-6)
    assert "Epoch 3: LearningRateScheduler setting learning rate to" in capsys.readouterr().out


def test_learning_rate_scheduler_errors():
    with pytest.raises(TypeError, match="Received: schedule=0.1"):
        callbacks.LearningRateScheduler(0.1)
    scheduler = callbacks.LearningRateScheduler(lambda epoch, lr: "fast")
    with pytest.raises(ValueError, match=r"must return a float.*Received: 'fast' \(type str\) for epoch 0"):
        fake_fit(FakeModel(), [scheduler], 1, 1)
    model = FakeModel()
    model.optimizer = None
    with pytest.raises(ValueError, match=r"needs `model.optimizer.learning_rate`.*optimizer=None"):
        fake_fit(model, [callbacks.LearningRateScheduler(lambda e, lr: lr)], 1, 1)


# ---------------------------------------------------------------------------------------------------------------
# CSVLogger, TerminateOnNaN


def read_csv(path, separator=","):
    with open(path, newline="") as file:
        return list(csv.reader(file, delimiter=separator))


def test_csv_logger_writes_rows_and_appends(tmp_path):
    path = tmp_path / "log.csv"
    logs = lambda e: {"loss": 0.5 / (e + 1), "val_loss": 1.0}  # noqa: E731
    fake_fit(FakeModel(), [callbacks.CSVLogger(path)], 2, 1, epoch_logs=logs)
    rows = read_csv(path)
    assert rows[0] == ["epoch", "loss", "val_loss"]
    assert [int(r[0]) for r in rows[1:]] == [0, 1]
    np.testing.assert_allclose([[float(v) for v in r[1:]] for r in rows[1:]], [[0.5, 1.0], [0.25, 1.0]])
    logs = lambda e: {"loss": 0.1, "val_loss": 2.0}  # noqa: E731
    fake_fit(FakeModel(), [callbacks.CSVLogger(path, append=True)], 1, 1, epoch_logs=logs)
    rows = read_csv(path)
    assert len(rows) == 4 and rows[0] == ["epoch", "loss", "val_loss"] and rows[3] == ["0", "0.1", "2.0"]


def test_csv_logger_separator_and_missing_validation(tmp_path):
    path = tmp_path / "log.tsv"
    logs = [{"loss": 2.0, "accuracy": 0.5}, {"loss": 1.0, "accuracy": 0.75, "val_loss": 3.0, "val_accuracy": 0.25}]
    fake_fit(FakeModel(), [callbacks.CSVLogger(path, separator="\t")], 2, 1, epoch_logs=lambda e: logs[e])
    assert read_csv(path, "\t") == [
        ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"],
        ["0", "0.5", "2.0", "NA", "NA"],
        ["1", "0.75", "1.0", "0.25", "3.0"],
    ]


def test_terminate_on_nan_stops_at_the_bad_batch(capsys):
    model = FakeModel()
    bad = lambda epoch, step: math.nan if (epoch, step) == (1, 2) else 0.5  # noqa: E731
    history = fake_fit(model, [callbacks.TerminateOnNaN()], 4, 5, batch_loss=bad)
    assert history.epoch == [0, 1]  # the epoch ends at once, no further epoch starts
    np.testing.assert_array_equal(model.weights[1], np.full((3,), 8.0))  # 5 steps + 3 steps
    assert "Batch 2: Invalid loss, terminating training" in capsys.readouterr().out
    model = FakeModel()
    fake_fit(model, [callbacks.TerminateOnNaN()], 2, 2, batch_loss=lambda e, s: math.inf if s == 1 else 0.5)
    np.testing.assert_array_equal(model.weights[1], np.full((3,), 2.0))


# ---------------------------------------------------------------------------------------------------------------
# Progbar and ProgbarLogger


class FakeClock:
    def __init__(self, start=100.0):
        self.now = start

    def __call__(self):
        return self.now


class TTY(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(_progbar, "_now", fake)
    return fake


def test_progbar_verbose1_plain_output(clock, capsys):
    bar = callbacks.Progbar(50, verbose=1)
    clock.now += 1.0  # first step: 1 s (compilation), excluded from the per-step time
    bar.update(1, [("loss", 0.5)])
    clock.now += 11 * 0.02
    bar.update(12, [("loss", 0.3), ("accuracy", 0.9)])
    clock.now += 0.01  # within 0.05 s of the last redraw: not drawn
    bar.update(13, [("loss", 0.3)])
    out = capsys.readouterr().out.splitlines()
    # ETA after step 12: 38 steps x 20 ms = 0.76 s -> "1s". Loss: mean over steps weighted by steps covered.
    loss = (0.5 * 1 + 0.3 * 11) / 12
    assert out == [
        " 1/50 ──────────────────── 49s 1s/step - loss: 0.5000",
        f"12/50 ━━━━──────────────── 1s 20ms/step - loss: {loss:.4f} - accuracy: 0.9000",
    ]
    clock.now += 37 * 0.02
    bar.update(50, [("loss", 0.3)])
    last = capsys.readouterr().out
    assert last.endswith("\n") and last.startswith("50/50 ━━━━━━━━━━━━━━━━━━━━ 2s 20ms/step - loss: ")


def test_progbar_verbose1_tty_redraws_in_place(clock, monkeypatch):
    stream = TTY()
    monkeypatch.setattr(sys, "stdout", stream)
    bar = callbacks.Progbar(4, verbose=1, stateful_metrics=["loss"], width=4)
    for step in range(1, 5):
        clock.now += 0.1
        bar.update(step, [("loss", 1.0 / step)])
    text = stream.getvalue()
    assert text.count("\r") == 4 and text.endswith("\n") and text.count("\n") == 1
    final = text.rsplit("\r", 1)[1]
    assert final.startswith("4/4 \x1b[32m━━━━\x1b[0m") and "loss: 0.2500" in final  # stateful: shown as given


def test_progbar_unknown_target_and_verbose2(clock, capsys):
    bar = callbacks.Progbar(None, verbose=1)
    clock.now += 0.5
    bar.update(3, [("loss", 1.0)])
    assert capsys.readouterr().out == "      3/Unknown 0s 167ms/step - loss: 1.0000\n"
    bar = callbacks.Progbar(10, verbose=2)
    clock.now += 0.1
    bar.update(1, [("loss", 1.0)])
    clock.now += 0.9
    bar.update(10, [("loss", 1.0)])
    assert capsys.readouterr().out == "10/10 - 1s - 100ms/step - loss: 1.0000\n"


def test_progbar_logger_verbose2_one_line_per_epoch(clock, capsys):
    def epoch_logs(epoch):
        clock.now += 1.0
        return {"loss": 0.5 / (epoch + 1), "val_loss": 1e-4}

    fake_fit(FakeModel(), [], 2, 50, epoch_logs=epoch_logs, verbose=2)
    assert capsys.readouterr().out.splitlines() == [
        "Epoch 1/2",
        "50/50 - 1s - 20ms/step - loss: 0.5000 - val_loss: 1.0000e-04",
        "Epoch 2/2",
        "50/50 - 1s - 20ms/step - loss: 0.2500 - val_loss: 1.0000e-04",
    ]


def test_progbar_logger_verbose1_unknown_steps(clock, capsys):
    def batch_loss(epoch, step):
        clock.now += 0.01
        return 0.25

    fake_fit(FakeModel(), [], 2, None, batch_loss=batch_loss, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    # Epoch 1 counts steps (4), later epochs draw a bar out of 4; validation inside fit prints nothing.
    assert lines[0] == "Epoch 1/2" and lines[1].startswith("      1/Unknown")
    assert lines[-3] == "Epoch 2/2" and lines[-2].startswith("1/4 ━━━━━─────────────── 0s 10ms/step - loss: 0.2500")
    assert lines[-1].startswith("4/4 ━━━━━━━━━━━━━━━━━━━━ 0s 10ms/step - loss: 0.5000 - val_loss: 0.7500")


def test_progbar_logger_evaluate_and_predict(clock, capsys):
    cbs = callbacks.CallbackList([], add_progbar=True, verbose=2, epochs=1, steps=3)
    cbs.on_test_begin()
    for step in range(3):
        clock.now += 0.1
        cbs.on_test_batch_end(step, {"loss": 0.5})
    cbs.on_test_end({"loss": 0.5, "accuracy": 1.0})
    cbs.on_predict_begin()
    for step in range(3):
        clock.now += 0.1
        cbs.on_predict_batch_end(step, {"outputs": np.zeros(2)})
    cbs.on_predict_end()
    assert capsys.readouterr().out.splitlines() == [
        "3/3 - 0s - 100ms/step - loss: 0.5000 - accuracy: 1.0000",
        "3/3 - 0s - 100ms/step",
    ]


# ---------------------------------------------------------------------------------------------------------------
# BackupAndRestore


def optimizer_with_state():
    slots = [kerasx.Variable(np.zeros((2, 3), "float32")), kerasx.Variable(np.zeros((), "int32"))]
    return FakeOptimizer(variables=slots)


def stop_at(epoch_to_interrupt):
    def on_epoch_begin(epoch, logs):
        if epoch == epoch_to_interrupt:
            raise Interrupt()

    return callbacks.LambdaCallback(on_epoch_begin=on_epoch_begin)


def test_backup_and_restore_resumes_epoch_weights_and_optimizer(tmp_path):
    backup_dir = tmp_path / "backup"
    model = FakeModel(optimizer=optimizer_with_state())
    with pytest.raises(Interrupt):
        fake_fit(model, [callbacks.BackupAndRestore(backup_dir), stop_at(2)], 4, 3)
    files = saved_files(backup_dir)
    assert files == ["backup-000002.optimizer.npz", "backup-000002.weights.h5", "training_metadata.json"]
    assert json.loads((backup_dir / "training_metadata.json").read_text())["epoch"] == 2

    # A fresh process: new model and optimizer state, same backup folder.
    model = FakeModel(optimizer=optimizer_with_state())
    epochs_run = []
    record = callbacks.LambdaCallback(on_epoch_begin=lambda epoch, logs: epochs_run.append(epoch))
    backup = callbacks.BackupAndRestore(backup_dir)
    cbs = callbacks.CallbackList([backup, record], model=model, epochs=4, steps=3)
    cbs.on_train_begin()
    assert model._initial_epoch == 2
    np.testing.assert_array_equal(model.weights[0], np.full((2, 3), 6.0))  # 2 epochs x 3 steps
    np.testing.assert_array_equal(np.asarray(model.optimizer.variables[0]), np.full((2, 3), 3.0))
    np.testing.assert_array_equal(np.asarray(model.optimizer.variables[1]), np.array(6, "int32"))

    # The whole resumed run: epochs 2 and 3 only, and the backup is gone at the end.
    model = FakeModel(optimizer=optimizer_with_state())
    fake_fit_from_backup = fake_fit_resuming(model, [callbacks.BackupAndRestore(backup_dir), record], 4, 3)
    assert fake_fit_from_backup.epoch == [2, 3]
    np.testing.assert_array_equal(model.weights[1], np.full((3,), 12.0))
    assert not backup_dir.exists()


def fake_fit_resuming(model, callback_list, epochs, steps):
    """fake_fit, except the loop starts at the epoch BackupAndRestore restored."""
    cbs = callbacks.CallbackList(callback_list, add_history=True, model=model, epochs=epochs, steps=steps)
    model._initial_epoch = 0
    cbs.on_train_begin()
    for epoch in range(model._initial_epoch, epochs):
        cbs.on_epoch_begin(epoch)
        for step in range(steps):
            model.train_step()
            cbs.on_train_batch_end(step, {"loss": 1.0})
        cbs.on_epoch_end(epoch, {"loss": 1.0})
    cbs.on_train_end({"loss": 1.0})
    return model.history


def test_backup_and_restore_every_n_batches_and_keep(tmp_path):
    backup_dir = tmp_path / "backup"
    model = FakeModel()
    with pytest.raises(Interrupt):
        fake_fit(model, [callbacks.BackupAndRestore(backup_dir, save_freq=4), stop_at(1)], 3, 3)
    # Batches 1..3 of epoch 0: no backup yet (save_freq=4); the interruption at epoch 1 loses them.
    assert not backup_dir.exists()
    model = FakeModel()
    backup = callbacks.BackupAndRestore(backup_dir, save_freq=2, delete_checkpoint=False)
    fake_fit(model, [backup], 2, 3)
    metadata = json.loads((backup_dir / "training_metadata.json").read_text())
    assert metadata["epoch"] == 1 and metadata["optimizer"] is None  # last backup after batch 6 (epoch 1)
    assert saved_files(backup_dir) == ["backup-000003.weights.h5", "training_metadata.json"]


def test_backup_and_restore_optimizer_mismatch_and_lazy_build(tmp_path):
    backup_dir = tmp_path / "backup"
    with pytest.raises(Interrupt):
        model = FakeModel(optimizer=optimizer_with_state())
        fake_fit(model, [callbacks.BackupAndRestore(backup_dir), stop_at(1)], 2, 1)
    # An optimizer that creates its slots on first use gets built before the restore.
    lazy = FakeOptimizer(build_shapes=[(2, 3), ()])
    model = FakeModel(optimizer=lazy)
    callbacks.CallbackList([callbacks.BackupAndRestore(backup_dir)], model=model).on_train_begin()
    np.testing.assert_array_equal(np.asarray(lazy.variables[0]), np.full((2, 3), 0.5))
    other = FakeModel(optimizer=FakeOptimizer(variables=[kerasx.Variable(np.zeros((4,), "float32"))]))
    expected = r"holds 2 variables with shapes \[\(2, 3\), \(\)\].*has 1 with shapes \[\(4,\)\]"
    with pytest.raises(ValueError, match=expected):
        callbacks.CallbackList([callbacks.BackupAndRestore(backup_dir)], model=other).on_train_begin()


# ---------------------------------------------------------------------------------------------------------------
# TensorBoard

HAS_SUMMARY_WRITER = importlib.util.find_spec("tensorboard") is not None


def read_scalars(folder) -> dict:
    """{(tag, step): value} from the event files in `folder`, read with the proto module of the writer used."""
    event_pb2 = importlib.import_module("tensorboard.compat.proto.event_pb2")
    scalars = {}
    for path in glob.glob(os.path.join(folder, "events.out.tfevents.*")):
        data = open(path, "rb").read()
        offset = 0
        while offset < len(data):  # TFRecord framing: length, its crc, payload, payload crc
            (length,) = struct.unpack("<Q", data[offset : offset + 8])
            event = event_pb2.Event.FromString(data[offset + 12 : offset + 12 + length])
            offset += 16 + length
            for value in event.summary.value:
                if value.HasField("simple_value"):
                    number = value.simple_value
                elif value.tensor.float_val:
                    number = value.tensor.float_val[0]
                else:
                    number = np.frombuffer(value.tensor.tensor_content, "float32")[0]
                scalars[(value.tag, event.step)] = float(number)
    return scalars


@pytest.mark.skipif(not HAS_SUMMARY_WRITER, reason="the tensorboard package is not installed")
def test_tensorboard_writes_epoch_and_batch_scalars(tmp_path):
    board = callbacks.TensorBoard(log_dir=tmp_path, update_freq=2)
    epoch_logs = lambda e: {"loss": 1.0 + e, "val_loss": 2.0 + e}  # noqa: E731
    fake_fit(FakeModel(), [board], 2, 3, epoch_logs=epoch_logs, batch_loss=lambda e, s: 10.0 * e + s, validate=False)
    train, validation = read_scalars(tmp_path / "train"), read_scalars(tmp_path / "validation")
    np.testing.assert_allclose([train[("epoch_loss", 0)], train[("epoch_loss", 1)]], [1.0, 2.0])
    np.testing.assert_allclose([validation[("epoch_loss", 0)], validation[("epoch_loss", 1)]], [2.0, 3.0])
    # Every 2nd of 6 batches, step = batches since fit started: batch 1 of epoch 0, batches 0 and 2 of epoch 1.
    batch = {step: v for (tag, step), v in train.items() if tag == "batch_loss"}
    assert batch == {2: 1.0, 4: 10.0, 6: 12.0}


def test_tensorboard_without_writer_raises_import_error(monkeypatch):
    monkeypatch.setattr(_tensorboard_writer.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImportError, match=r"`pip install tensorboard`"):
        callbacks.TensorBoard("logs")
