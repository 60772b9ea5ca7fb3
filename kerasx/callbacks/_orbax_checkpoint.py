"""`OrbaxCheckpoint`: the model's state saved with Orbax (the `orbax-checkpoint` package) in numbered step folders,
as Keras 3's callback writes them: a `pytree` item (the variables by path) and, unless weights only, a
`model_config` item (the model's config as JSON)."""

from __future__ import annotations

import importlib
import importlib.util
import os

import numpy as np

from kerasx.callbacks import _monitor
from kerasx.callbacks._callback import Callback

NO_ORBAX = (
    "OrbaxCheckpoint requires the 'orbax-checkpoint' package, which is not installed. Install it with "
    "`pip install orbax-checkpoint` (or `pip install kerasx[orbax]`)."
)
BAD_SAVE_FREQ = (
    "Unrecognized save_freq: {value!r}. Expected save_freq are 'epoch' or integer values (save every that many "
    "batches)."
)


def _orbax():
    """The `orbax.checkpoint` package, imported when a callback is made (it imports jax), never with kerasx."""
    if importlib.util.find_spec("orbax") is None or importlib.util.find_spec("orbax.checkpoint") is None:
        raise ImportError(NO_ORBAX)
    return importlib.import_module("orbax.checkpoint")


def _nested(variables) -> dict:
    """{path part: ...: value} of the variables, by their paths, as Keras 3's `get_state_tree` nests them; scalars
    become Python numbers (Orbax stores them as such)."""
    tree = {}
    for variable in variables:
        parts = variable.path.split("/")
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        value = np.asarray(variable.numpy())
        node[parts[-1]] = value.item() if value.ndim == 0 else value
    return tree


def state_tree(model) -> dict:
    """The model's variables in the four groups of a training step's state, nested by path."""
    optimizer = getattr(model, "optimizer", None)
    return {
        "trainable_variables": _nested(model.trainable_variables),
        "non_trainable_variables": _nested(model.non_trainable_variables),
        "optimizer_variables": _nested(optimizer.variables if optimizer is not None else []),
        "metrics_variables": _nested(getattr(model, "metrics_variables", [])),
    }


class OrbaxCheckpoint(Callback):
    """Saves the model's state with Orbax during `fit`, each save in a folder named by its step, as Keras 3 does.

    Every save writes `<directory>/<step>/pytree` (the trainable, non-trainable, optimizer and metric variables,
    nested by variable path) and, unless `save_weights_only`, `<directory>/<step>/model_config` (the model's config
    as JSON). The step is the epoch index for `save_freq="epoch"`, else the number of batches seen. Orbax removes
    older steps beyond `max_to_keep`. Needs the `orbax-checkpoint` package (`pip install kerasx[orbax]`).

    Args:
        directory: folder of the checkpoints.
        monitor: log entry compared between saves when `save_best_only=True` (e.g. "val_loss").
        verbose: 0 or 1 (accepted, as in Keras; nothing is printed).
        save_best_only: save only when `monitor` improves on the best value seen.
        mode: "auto", "min" or "max": which direction of `monitor` is better.
        save_freq: "epoch" (at each epoch's end) or an integer (every that many batches).
        initial_value_threshold: best value to beat at first, with `save_best_only`.
        max_to_keep: how many of the latest checkpoints to keep (None: all).
        save_on_background: write asynchronously while training goes on (True) or before it goes on (False).
        save_weights_only: save the variables only, without the model config.

    Example:

    >>> import os, tempfile
    >>> import numpy as np
    >>> import kerasx
    >>> model = kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(1)])
    >>> folder = os.path.join(tempfile.mkdtemp(), "ckpt")
    >>> checkpoint = kerasx.callbacks.OrbaxCheckpoint(folder, max_to_keep=2, save_on_background=False)
    >>> checkpoint.set_model(model)  # what `fit(..., callbacks=[checkpoint])` does, then calls the hooks below
    >>> for epoch in range(3):
    ...     checkpoint.on_epoch_end(epoch, {"loss": 1.0 / (epoch + 1)})
    >>> checkpoint.on_train_end()
    >>> sorted(name for name in os.listdir(folder) if name.isdigit())
    ['1', '2']
    """

    def __init__(
        self,
        directory,
        monitor="val_loss",
        verbose=0,
        save_best_only=False,
        mode="auto",
        save_freq="epoch",
        initial_value_threshold=None,
        max_to_keep=1,
        save_on_background=True,
        save_weights_only=False,
    ):
        super().__init__()
        orbax = _orbax()
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int)):
            raise ValueError(BAD_SAVE_FREQ.format(value=save_freq))
        self.directory = os.fspath(directory)
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.mode = _monitor.check_mode("OrbaxCheckpoint", mode)
        self.save_freq = save_freq
        self.best = None if initial_value_threshold is None else float(initial_value_threshold)
        self.max_to_keep = max_to_keep
        self.save_on_background = save_on_background
        self.save_weights_only = save_weights_only
        self.direction = None
        self._orbax = orbax
        self._batches_since_save = 0
        self._total_batches_seen = 0
        self._futures = []
        training = orbax.v1.training
        self.checkpointer = training.Checkpointer(
            directory=self.directory,
            preservation_policy=None if max_to_keep is None else training.preservation_policies.LatestN(max_to_keep),
            # Every save asked for is taken (the callback decides when); rapid asynchronous saves need a policy.
            save_decision_policy=training.save_decision_policies.FixedIntervalPolicy(1),
        )

    def set_model(self, model):
        super().set_model(model)
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None:
            # A model trained before (and reloaded) goes on numbering its batch steps from where it stopped.
            self._total_batches_seen = int(np.asarray(optimizer.iterations.numpy()))

    def _wants(self, hook: str) -> bool:
        if hook == "on_train_batch_end":
            return self.save_freq != "epoch"
        return super()._wants(hook)

    def is_multihost_enabled(self) -> bool:
        """Whether this run spans several JAX processes, among which Orbax coordinates the saves."""
        return bool(self._orbax.multihost.is_jax_distributed_client_initialized())

    def is_primary_host(self) -> bool:
        """Whether this process leads the saves (always True in a single-process run)."""
        if not self.is_multihost_enabled():
            return True
        return bool(self._orbax.multihost.is_primary_host(primary_host=0))

    def _improved(self, logs) -> bool:
        if not self.save_best_only:
            return True
        current = _monitor.monitored_value("OrbaxCheckpoint", self.monitor, logs or {})
        if current is None:
            return False
        if self.direction is None:
            self.direction = _monitor.resolve_direction("OrbaxCheckpoint", self.monitor, self.mode, self.model)
        if not _monitor.is_improvement(current, self.best, self.direction, 0.0):
            return False
        self.best = current
        return True

    def on_train_batch_end(self, batch, logs=None):
        self._total_batches_seen += 1
        self._batches_since_save += 1
        if isinstance(self.save_freq, int) and self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            if self._improved(logs):
                self._save(self._total_batches_seen)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch" and self._improved(logs):
            self._save(epoch)

    def _save(self, step: int) -> None:
        tree = state_tree(self.model)
        if self.save_weights_only:
            tree = {key: tree[key] for key in ("trainable_variables", "non_trainable_variables")}
        payload = {"pytree": tree}
        if not self.save_weights_only:
            # The model's own JSON (Keras 3's format, build and compile configs included), as Keras writes it.
            payload["model_config"] = {"config": self.model.to_json()}
        with self._orbax.v1.Context():
            if self.save_on_background:
                self._futures.append(self.checkpointer.save_checkpointables_async(step, payload))
            else:
                self.checkpointer.save_checkpointables(step, payload)

    def wait_until_finished(self) -> None:
        """Blocks until every save started in the background is written."""
        for future in self._futures:
            future.result()
        self._futures.clear()
        self.checkpointer.wait()

    def on_train_end(self, logs=None):
        # Closing waits for the saves still in flight.
        self.wait_until_finished()
        self.checkpointer.close()
