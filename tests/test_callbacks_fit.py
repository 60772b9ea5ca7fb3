"""Callbacks driving a real `fit` on every training engine, with outcomes checked against a NumPy SGD.

The model is linear (Dense(2) on 3 features, fixed initial weights) trained with plain SGD on the mean squared
error, so the weights after any sequence of steps and learning rates are a few lines of NumPy: a learning rate, a
stop or a weight change made by a callback must show up in them, also where the step is compiled (jax.jit,
tf.function). A "score" entry injected into the logs drives the monitoring callbacks through chosen sequences.
"""

import csv
import os

import numpy as np
import pytest

import kerasx
import support
from kerasx import callbacks, layers, ops

pytestmark = support.needs_gradients

NUM_SAMPLES = 16


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(NUM_SAMPLES, 3)).astype("float32")
    y = (x @ np.array([[1.0, -2.0], [0.5, 0.0], [-1.0, 1.5]], "float32") + 0.3).astype("float32")
    return x, y


def _initial_weights():
    return [np.linspace(-0.5, 0.5, 6, dtype="float32").reshape(3, 2), np.array([0.1, -0.1], "float32")]


def _model(learning_rate=0.1):
    inputs = layers.Input((3,))
    model = kerasx.Model(inputs, layers.Dense(2)(inputs))
    model.set_weights(_initial_weights())
    model.compile(optimizer=kerasx.optimizers.SGD(learning_rate=learning_rate), loss="mse")
    return model


def numpy_sgd(steps, learning_rates, weights=None, batch_size=NUM_SAMPLES):
    """Weights after SGD steps over consecutive batches (in order, wrapping at the end of the data).

    `learning_rates[i]` is the rate of step i.
    """
    x, y = (a.astype(np.float64) for a in _data())
    kernel, bias = (w.astype(np.float64) for w in (weights or _initial_weights()))
    for step in range(steps):
        start = (step * batch_size) % NUM_SAMPLES
        xb, yb = x[start : start + batch_size], y[start : start + batch_size]
        d_error = 2 * (xb @ kernel + bias - yb) / yb.size
        kernel, bias = kernel - learning_rates[step] * xb.T @ d_error, bias - learning_rates[step] * d_error.sum(0)
    return [kernel.astype(np.float32), bias.astype(np.float32)]


def _assert_weights(model, expected):
    for actual, wanted in zip(model.get_weights(), expected):
        support.assert_close(actual, wanted, rtol=1e-5, atol=1e-6)


def _score_injector(scores):
    """Sets `logs["score"]` at each epoch end from `scores` (list it before the callbacks that read it)."""
    return callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: logs.__setitem__("score", scores[epoch]))


def _weight_recorder(model, store):
    return callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: store.append(model.get_weights()))


class Recorder(callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []


def _record(hook):
    def method(self, *args):
        index = args[0] if args and isinstance(args[0], int) else None
        self.calls.append(hook if index is None else f"{hook}:{index}")

    return method


for _hook in callbacks._callback.HOOKS:
    setattr(Recorder, _hook, _record(_hook))


def test_hook_order_in_fit_evaluate_and_predict():
    x, y = _data()
    model = _model()
    recorder = Recorder()
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, validation_data=(x[:4], y[:4]), callbacks=[recorder],
              verbose=0)
    epoch = lambda e: [
        f"on_epoch_begin:{e}",
        "on_train_batch_begin:0", "on_train_batch_end:0", "on_train_batch_begin:1", "on_train_batch_end:1",
        "on_test_begin", "on_test_batch_begin:0", "on_test_batch_end:0", "on_test_end",
        f"on_epoch_end:{e}",
    ]  # fmt: skip
    assert recorder.calls == ["on_train_begin", *epoch(0), *epoch(1), "on_train_end"]
    recorder.calls.clear()
    model.evaluate(x, y, batch_size=16, callbacks=[recorder], verbose=0)
    model.predict(x, batch_size=16, callbacks=[recorder], verbose=0)
    assert recorder.calls == [
        "on_test_begin", "on_test_batch_begin:0", "on_test_batch_end:0", "on_test_end",
        "on_predict_begin", "on_predict_batch_begin:0", "on_predict_batch_end:0", "on_predict_end",
    ]  # fmt: skip


def test_batch_logs_hold_the_running_loss():
    x, y = _data()
    model = _model()
    seen = []
    logger = callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(logs["loss"]))
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, callbacks=[logger], verbose=0)
    first = numpy_sgd(0, [])
    xf, yf = (a.astype(np.float64) for a in _data())
    loss_0 = np.mean((xf[:8] @ first[0] + first[1] - yf[:8]) ** 2)
    after_one = numpy_sgd(1, [0.1], batch_size=8)
    loss_1 = np.mean((xf[8:] @ after_one[0] + after_one[1] - yf[8:]) ** 2)
    support.assert_close(np.array(seen, np.float32), np.array([loss_0, (loss_0 + loss_1) / 2], np.float32), rtol=1e-5)


@pytest.mark.parametrize("restore", [True, False], ids=["EarlyStopping-restore_best", "EarlyStopping-keep_last"])
def test_early_stopping_patience_and_restored_weights(restore):
    x, y = _data()
    model = _model()
    recorded = []
    stopper = callbacks.EarlyStopping(monitor="score", mode="min", patience=2, restore_best_weights=restore)
    scores = [3.0, 1.0, 2.0, 2.5, 0.5, 0.1]
    history = model.fit(x, y, batch_size=NUM_SAMPLES, epochs=6, shuffle=False, verbose=0,
                        callbacks=[_score_injector(scores), _weight_recorder(model, recorded), stopper])
    # Best at epoch 1; epochs 2 and 3 do not improve: patience 2 is used up at the end of epoch 3.
    assert len(history.history["loss"]) == 4 and stopper.stopped_epoch == 3 and stopper.best_epoch == 1
    expected = recorded[1] if restore else recorded[3]
    for actual, wanted in zip(model.get_weights(), expected):
        np.testing.assert_array_equal(actual, wanted)
    _assert_weights(model, numpy_sgd(2 if restore else 4, [0.1] * 4))


def test_early_stopping_on_real_validation_loss():
    x, y = _data()
    model = _model(learning_rate=0.05)
    # The training data is its own validation set, so val_loss falls each epoch and training never stops early ...
    history = model.fit(x, y, batch_size=NUM_SAMPLES, epochs=4, validation_data=(x, y), verbose=0,
                        callbacks=[callbacks.EarlyStopping(patience=0)])
    assert len(history.history["val_loss"]) == 4
    # ... until a min_delta larger than any improvement: it stops after the second epoch (never after the first).
    history = model.fit(x, y, batch_size=NUM_SAMPLES, epochs=4, validation_data=(x, y), verbose=0,
                        callbacks=[callbacks.EarlyStopping(patience=0, min_delta=1e3)])
    assert len(history.history["val_loss"]) == 2


def test_reduce_lr_on_plateau_changes_the_rate_of_the_next_steps():
    x, y = _data()
    model = _model()
    reducer = callbacks.ReduceLROnPlateau(
        monitor="score", mode="min", factor=0.5, patience=1, min_delta=0.0, min_lr=0.02
    )
    history = model.fit(x, y, batch_size=NUM_SAMPLES, epochs=5, shuffle=False, verbose=0,
                        callbacks=[_score_injector([1.0] * 5), reducer])
    rates = [0.1, 0.1, 0.05, 0.025, 0.02]  # reduced after each epoch without improvement, down to min_lr
    np.testing.assert_allclose(history.history["learning_rate"], rates, rtol=1e-6)
    np.testing.assert_allclose(float(model.optimizer.learning_rate), 0.02, rtol=1e-6)
    _assert_weights(model, numpy_sgd(5, rates))


def test_learning_rate_scheduler_sets_each_epochs_rate():
    x, y = _data()
    model = _model()
    scheduler = callbacks.LearningRateScheduler(lambda epoch, rate: 0.2 / (epoch + 1))
    history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0, callbacks=[scheduler])
    rates = [0.2, 0.1, 0.2 / 3]
    np.testing.assert_allclose(history.history["learning_rate"], rates, rtol=1e-6)
    _assert_weights(model, numpy_sgd(6, np.repeat(rates, 2), batch_size=8))


def test_stop_training_from_a_batch_hook_ends_fit_after_that_batch():
    x, y = _data()
    model = _model()

    def stop(batch, logs):
        if len(history_steps) == 5:
            model.stop_training = True
        history_steps.append(batch)

    history_steps = []
    history = model.fit(x, y, batch_size=4, epochs=5, shuffle=False, verbose=0,
                        callbacks=[callbacks.LambdaCallback(on_train_batch_end=stop)])
    assert history_steps == [0, 1, 2, 3, 0, 1] and len(history.history["loss"]) == 2
    assert int(ops.convert_to_numpy(model.optimizer.iterations)) == 6
    _assert_weights(model, numpy_sgd(6, [0.1] * 6, batch_size=4))


def test_weights_set_by_a_callback_take_effect():
    x, y = _data()
    model = _model()
    replacement = [np.full((3, 2), 0.25, "float32"), np.zeros(2, "float32")]

    def replace(epoch, logs):
        if epoch == 1:
            model.set_weights(replacement)

    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0,
              callbacks=[callbacks.LambdaCallback(on_epoch_begin=replace)])
    _assert_weights(model, numpy_sgd(2, [0.1, 0.1], weights=replacement, batch_size=8))


def test_terminate_on_nan_stops_at_the_first_bad_batch(capsys):
    x, y = _data()
    y = y.copy()
    y[9] = np.nan  # in the third batch of 4
    model = _model()
    history = model.fit(x, y, batch_size=4, epochs=3, shuffle=False, verbose=0, callbacks=[callbacks.TerminateOnNaN()])
    assert int(ops.convert_to_numpy(model.optimizer.iterations)) == 3
    assert len(history.history["loss"]) == 1 and np.isnan(history.history["loss"][0])
    assert "Batch 2: Invalid loss, terminating training" in capsys.readouterr().out


def test_csv_logger_writes_the_history(tmp_path):
    x, y = _data()
    model = _model()
    path = tmp_path / "log.csv"
    history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, validation_data=(x, y), verbose=0,
                        callbacks=[callbacks.CSVLogger(str(path))])
    with open(path, newline="") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == ["epoch", "loss", "val_loss"]
    assert [int(row["epoch"]) for row in rows] == [0, 1, 2]
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose([float(row[key]) for row in rows], history.history[key], rtol=1e-6)


# Saving: ModelCheckpoint and BackupAndRestore write real files through model.save_weights / save / load_weights.


def _fresh_model():
    model = _model()
    model.set_weights([np.zeros((3, 2), "float32"), np.zeros(2, "float32")])
    return model


def test_model_checkpoint_names_files_after_epoch_and_val_loss(tmp_path):
    x, y = _data()
    model = _model()
    recorded = []
    pattern = str(tmp_path / "ckpt-{epoch:02d}-{val_loss:.2f}.weights.h5")
    checkpoint = callbacks.ModelCheckpoint(pattern, save_weights_only=True)
    history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, validation_data=(x, y), verbose=0,
                        callbacks=[_weight_recorder(model, recorded), checkpoint])
    expected_names = [f"ckpt-{e + 1:02d}-{v:.2f}.weights.h5" for e, v in enumerate(history.history["val_loss"])]
    assert sorted(os.listdir(tmp_path)) == sorted(expected_names)
    for name, weights in zip(expected_names, recorded):
        restored = _fresh_model()
        restored.load_weights(str(tmp_path / name))
        for actual, wanted in zip(restored.get_weights(), weights):
            np.testing.assert_array_equal(actual, wanted)


def test_model_checkpoint_save_best_only_keeps_the_best_epoch(tmp_path):
    x, y = _data()
    model = _model()
    recorded = []
    path = str(tmp_path / "best.weights.h5")
    checkpoint = callbacks.ModelCheckpoint(path, monitor="score", mode="max", save_best_only=True,
                                           save_weights_only=True)
    model.fit(x, y, batch_size=8, epochs=4, shuffle=False, verbose=0,
              callbacks=[_score_injector([0.1, 0.7, 0.3, 0.5]), _weight_recorder(model, recorded), checkpoint])
    restored = _fresh_model()
    restored.load_weights(path)
    for actual, wanted in zip(restored.get_weights(), recorded[1]):
        np.testing.assert_array_equal(actual, wanted)
    assert checkpoint.best == 0.7


def test_model_checkpoint_saves_the_whole_model(tmp_path):
    x, y = _data()
    model = _model()
    path = str(tmp_path / "model-{epoch}.keras")
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0, callbacks=[callbacks.ModelCheckpoint(path)])
    assert sorted(os.listdir(tmp_path)) == ["model-1.keras", "model-2.keras"]
    loaded = kerasx.saving.load_model(str(tmp_path / "model-2.keras"))
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6, atol=1e-7)


class Interrupt(callbacks.Callback):
    """Raises at the start of epoch `at_epoch`, like a crash in the middle of a long run."""

    def __init__(self, at_epoch):
        super().__init__()
        self.at_epoch = at_epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.at_epoch:
            raise KeyboardInterrupt(f"interrupted at epoch {epoch}")


def test_backup_and_restore_resumes_an_interrupted_fit(tmp_path):
    x, y = _data()

    def adam_model():
        model = _model()
        model.compile(optimizer=kerasx.optimizers.Adam(learning_rate=0.05), loss="mse")
        return model

    uninterrupted = adam_model()
    full = uninterrupted.fit(x, y, batch_size=8, epochs=4, shuffle=False, verbose=0)

    backup_dir = str(tmp_path / "backup")
    interrupted = adam_model()
    with pytest.raises(KeyboardInterrupt):
        interrupted.fit(x, y, batch_size=8, epochs=4, shuffle=False, verbose=0,
                        callbacks=[callbacks.BackupAndRestore(backup_dir), Interrupt(at_epoch=2)])
    assert os.path.exists(os.path.join(backup_dir, "training_metadata.json"))

    resumed = adam_model()  # a new process would start from fresh weights and optimizer state
    epochs_run = []
    history = resumed.fit(x, y, batch_size=8, epochs=4, shuffle=False, verbose=0,
                          callbacks=[callbacks.BackupAndRestore(backup_dir),
                                     callbacks.LambdaCallback(on_epoch_begin=lambda e, logs: epochs_run.append(e))])
    assert epochs_run == [2, 3]
    np.testing.assert_allclose(history.history["loss"], full.history["loss"][2:], rtol=1e-5)
    assert int(ops.convert_to_numpy(resumed.optimizer.iterations)) == 8
    for actual, wanted in zip(resumed.get_weights(), uninterrupted.get_weights()):
        support.assert_close(actual, wanted, rtol=1e-5, atol=1e-6)
    assert not os.path.exists(backup_dir)  # deleted after a complete run
