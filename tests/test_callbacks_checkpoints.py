"""Callbacks that save training state: ModelCheckpoint, BackupAndRestore.

Driven directly through their hooks by the fake loop of tests/callback_fakes.py: no trainer, no engine work.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import kerasx
from kerasx import callbacks
from callback_fakes import FakeModel, FakeOptimizer, Interrupt, fake_fit, saved_files

# ---------------------------------------------------------------------------------------------------------------
# ModelCheckpoint


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
