"""Exact resume with BackupAndRestore, and no non-finite checkpoint (issue 18).

A run interrupted at a batch (an exception raised from a callback right after that batch's backup: what is on disk
is what a kill would leave, the writes being atomic) and restarted from fresh objects must end bit-identical to the
run that was never interrupted: weights, optimizer state, random-generator states, metrics and History. Each variant
is interrupted at 8 positions in a chain (every restart resumes from the previous interruption), so one inexact
resume anywhere shows in the final state. The real `kill -9` runs are in test_reliability_kill.py.
"""

import json
import os
import random
import warnings

import numpy as np
import pytest
import support

import reliability_variants as variants
from kerasx import callbacks

pytestmark = support.needs_gradients

class Interrupted(Exception):
    pass


class InterruptAt(callbacks.Callback):
    """Raises once the optimizer has taken `iteration` steps in total (listed after BackupAndRestore)."""

    def __init__(self, iteration):
        super().__init__()
        self.iteration = iteration

    def on_train_batch_end(self, batch, logs=None):
        if int(support.to_numpy(self.model.optimizer.iterations)) == self.iteration:
            raise Interrupted(self.iteration)


def _restart(model, fresh, fresh_random) -> None:
    """Puts the model back in the state a restarted process builds (weights, optimizer, generators, metrics as
    `variants.model()` leaves them, Python's `random` too: it seeds the shuffling), keeping its compiled steps: a
    new model per restart would compile 10 times a test."""
    random.setstate(fresh_random)
    for variable, value in zip(list(model.variables) + list(model.optimizer.variables), fresh):
        variable.assign(value)
    model.reset_metrics()


def _assert_identical(actual, expected):
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        np.testing.assert_array_equal(a, e)


@pytest.mark.parametrize("name,fit_kwargs,save_freq", variants.VARIANTS, ids=[v[0] for v in variants.VARIANTS])
def test_resume_after_interruptions_is_bitwise_identical(tmp_path, name, fit_kwargs, save_freq):
    model = variants.model()
    fresh = [np.array(support.to_numpy(v)) for v in list(model.variables) + list(model.optimizer.variables)]
    fresh_random = random.getstate()
    expected = variants.fit(model, fit_kwargs, [], callbacks.BackupAndRestore(tmp_path / "ref", save_freq=save_freq))
    expected_state = variants.state(model)
    total = int(support.to_numpy(model.optimizer.iterations))
    positions = variants.positions(name, total)

    backup_dir = tmp_path / "backup"
    for position in positions:
        _restart(model, fresh, fresh_random)
        with pytest.raises(Interrupted):
            variants.fit(model, fit_kwargs, [InterruptAt(int(position))], callbacks.BackupAndRestore(backup_dir, save_freq))
    _restart(model, fresh, fresh_random)
    history = variants.fit(model, fit_kwargs, [], callbacks.BackupAndRestore(backup_dir, save_freq=save_freq))

    _assert_identical(variants.state(model), expected_state)
    # As in Keras, the resumed fit's History holds the epochs it ran; they equal the uninterrupted run's bitwise.
    ran = len(history.epoch)
    assert history.epoch == expected.epoch[variants.EPOCHS - ran :]
    assert history.history == {key: values[variants.EPOCHS - ran :] for key, values in expected.history.items()}
    assert not backup_dir.exists()


def test_batch_backup_records_the_data_position(tmp_path):
    model = variants.model()
    backup = callbacks.BackupAndRestore(tmp_path, save_freq=2, delete_checkpoint=False)
    with pytest.raises(Interrupted):
        variants.fit(model, dict(shuffle=True), [InterruptAt(7)], backup)
    metadata = json.loads((tmp_path / "training_metadata.json").read_text())
    # 7 steps of 5-batch epochs: the backup after step 6 is epoch 1 (0-based), batch 1 done in that epoch.
    assert (metadata["epoch"], metadata["step"]) == (1, 1)
    assert metadata["position"]["active"] and metadata["position"]["consumed"] == 1
    assert metadata["position"]["rng"]["bit_generator"] == "PCG64"
    assert len(metadata["seeds"]) == 2  # the dropout layer's generator and the global one


class PoisonAt(callbacks.Callback):
    """Makes the weights NaN after batch `step` (a diverging run), before the checkpoint callbacks listed after."""

    def __init__(self, step):
        super().__init__()
        self.step = step
        self.count = 0

    def on_train_batch_end(self, batch, logs=None):
        self.count += 1
        if self.count == self.step:
            kernel = self.model.layers[0].kernel
            kernel.assign(np.full(tuple(kernel.shape), np.nan, dtype="float32"))


def _finite_file(path) -> bool:
    copy = variants.model()
    copy.load_weights(path)
    return all(np.isfinite(support.to_numpy(v)).all() for v in copy.weights)


def test_nan_run_leaves_only_finite_checkpoints(tmp_path):
    model = variants.model()
    weights = tmp_path / "ckpt.weights.h5"
    every_batch = tmp_path / "batch-{batch}.weights.h5"
    backup_dir = tmp_path / "backup"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        variants.fit(model, dict(shuffle=False), [
            PoisonAt(7),
            callbacks.ModelCheckpoint(weights, save_weights_only=True, monitor="loss"),
            callbacks.ModelCheckpoint(every_batch, save_weights_only=True, save_freq=1),
            callbacks.TerminateOnNaN(),
        ], callbacks.BackupAndRestore(backup_dir, save_freq=1, delete_checkpoint=False))
    assert model.stop_training
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    path = model.layers[0].kernel.path
    assert any(m.startswith("ModelCheckpoint: not saving") and path in m and "NaN or Inf" in m for m in messages)
    assert any(m.startswith("BackupAndRestore: not saving") for m in messages)
    # Epoch 1's file and batches 1..6 were written before the weights went bad; nothing after.
    assert _finite_file(weights)
    names = sorted(p.name for p in tmp_path.glob("batch-*.weights.h5"))
    assert names == [f"batch-{b}.weights.h5" for b in (1, 2, 3, 4, 5)]  # batch-1 rewritten at epoch 2's batch 1
    for path in tmp_path.glob("batch-*.weights.h5"):
        assert _finite_file(path)
    metadata = json.loads((backup_dir / "training_metadata.json").read_text())
    assert (metadata["epoch"], metadata["step"]) == (1, 2)  # the last finite backup: step 7, before the poison
    assert _finite_file(backup_dir / metadata["weights"])
    assert not any(name.endswith(".tmp") for name in os.listdir(backup_dir))


def test_model_checkpoint_best_value_ignores_a_skipped_save(tmp_path):
    model = variants.model()
    callback = callbacks.ModelCheckpoint(tmp_path / "best.keras", save_best_only=True, monitor="loss")
    callback.set_model(model)
    callback.on_train_begin()
    kernel = model.layers[0].kernel
    kernel.assign(np.full(tuple(kernel.shape), np.inf, dtype="float32"))
    with pytest.warns(RuntimeWarning, match=rf"variable '{kernel.path}' holds NaN or Inf"):
        callback.on_epoch_end(0, {"loss": 0.5})
    assert callback.best is None
    assert not (tmp_path / "best.keras").exists()
