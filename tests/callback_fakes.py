"""A fake model, optimizer and training loop that drive callbacks through their hooks: no trainer, no engine work.

The fake model "trains" by adding 1 to every weight per batch, so after epoch `e` (0-based) of `s` steps each
weight equals `(e + 1) * s`: restored weights tell which epoch they come from. Used by tests/test_callbacks_*.py.
"""

from __future__ import annotations

import csv
import glob
import os

import numpy as np

import kerasx
from kerasx import callbacks

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


def saved_files(folder) -> list:
    return sorted(os.path.basename(p) for p in glob.glob(os.path.join(folder, "*")))


def read_csv(path, separator=","):
    with open(path, newline="") as file:
        return list(csv.reader(file, delimiter=separator))
