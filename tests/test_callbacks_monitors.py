"""Callbacks that watch the logs: EarlyStopping, TerminateOnNaN, ReduceLROnPlateau, LearningRateScheduler,
and the argument errors of every callback.

Driven directly through their hooks by the fake loop of tests/callback_fakes.py: no trainer, no engine work.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from kerasx import callbacks
from callback_fakes import FakeModel, FakeOptimizer, fake_fit

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
# TerminateOnNaN


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
