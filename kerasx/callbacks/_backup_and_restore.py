"""`BackupAndRestore`: periodic backups of the training state so an interrupted `fit` resumes where it stopped."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import warnings
from typing import Literal

import numpy as np

from kerasx.callbacks._callback import Callback
from kerasx.callbacks._finite import SKIPPED_NON_FINITE, first_non_finite
from kerasx.callbacks._model_checkpoint import check_save_freq
from kerasx.random import global_seed_generator

METADATA_FILE = "training_metadata.json"
_BACKUP_PREFIX = "backup-"

BAD_BACKUP_DIR = (
    "Invalid value for argument backup_dir: expected a non-empty path of a folder for the backup files. "
    "Received: backup_dir={value!r}."
)
MODEL_CANNOT_BACKUP = (
    "BackupAndRestore needs `model.save_weights(filepath)` and `model.load_weights(filepath)`, and this model lacks "
    "`{method}` (Received: model of type {model_type})."
)
MODEL_NOT_BUILT = (
    "BackupAndRestore found a backup in {backup_dir!r} but the model is not built yet, so its weights cannot be "
    "restored. Build the model (call it on data or `model.build(input_shape)`) before `fit`."
)
OPTIMIZER_MISMATCH = (
    "The optimizer backup in {path!r} holds {num_saved} variables with shapes {saved_shapes}, but the model's "
    "optimizer has {num_current} with shapes {current_shapes}. The backup comes from a different model or "
    "optimizer: delete {backup_dir!r} to start training from scratch."
)


STATE_MISMATCH = (
    "The backup in {path!r} holds {num_saved} {what} but the model has {num_current}. The backup comes from a "
    "different model: delete {backup_dir!r} to start training from scratch."
)


def _shapes(arrays) -> list:
    return [tuple(np.shape(a)) for a in arrays]


def _encode(variables) -> list:
    """Exact bytes of small state variables (seeds, metric totals) for the JSON metadata, written atomically."""
    encoded = []
    for variable in variables:
        array = np.array(variable.numpy(), order="C")  # not ascontiguousarray: it makes scalars 1-d
        encoded.append({"shape": list(array.shape), "data": base64.b64encode(array.tobytes()).decode("ascii")})
    return encoded


def _decode_into(variables, encoded, what: str, path: str, backup_dir: str) -> None:
    if len(variables) != len(encoded):
        raise ValueError(
            STATE_MISMATCH.format(
                path=path, num_saved=len(encoded), what=what, num_current=len(variables), backup_dir=backup_dir
            )
        )
    for variable, entry in zip(variables, encoded):
        dtype = np.asarray(variable.numpy()).dtype
        array = np.frombuffer(base64.b64decode(entry["data"]), dtype=dtype).reshape(tuple(entry["shape"]))
        variable.assign(array)


def _seed_variables(model) -> list:
    """The random-generator states (dropout, noise layers) and the global generator's: they are not weights, so the
    weights file leaves them out, but a resumed run must draw the same masks as the uninterrupted one."""
    saved = {id(v) for v in getattr(model, "weights", None) or ()}
    states = [v for v in getattr(model, "variables", None) or () if id(v) not in saved]
    return states + [global_seed_generator().state]


def _metric_variables(model) -> list:
    return list(getattr(model, "metrics_variables", None) or ())


def _replace_atomically(path: str, text: str) -> None:
    temporary = f"{path}.tmp"
    with open(temporary, "w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


class BackupAndRestore(Callback):
    """Backs up the model weights, the optimizer state and the epoch reached; restores them when `fit` starts.

    Each backup writes new files, `backup-<n>.weights.h5` (with `model.save_weights`) and `backup-<n>.optimizer.npz`
    (the optimizer's variables), then atomically replaces `training_metadata.json`, which names them and the epoch
    to resume from; an interruption at any moment leaves the previous complete backup in place. At the start of
    `fit`, an existing backup is loaded and `fit` continues from its epoch (set as `model._initial_epoch`). When
    `fit` ends normally the backup files are deleted (with `delete_checkpoint=True`).

    The metadata also records what a resumed run needs to continue exactly as if never stopped: the batch
    reached in the epoch, the data position and shuffling state (array data), the random-generator states (dropout),
    the metrics' running totals. With array data a batch-level backup (`save_freq=N`)
    resumes at the batch after it; other data (generators, datasets) restarts the interrupted epoch. A backup is
    skipped, with a RuntimeWarning, while a weight or optimizer variable holds NaN or Inf.

    With `double_checkpoint=True` the backup before the latest is kept too, and restored when the latest cannot be
    read (a file damaged by the interruption, a disk error).

    The backup is written when this callback's `on_epoch_end` runs: list it after callbacks that change the
    optimizer at epoch end (ReduceLROnPlateau), or their change of that epoch is missing from the backup.

    Args:
        backup_dir: folder for the backup files, not shared with anything else.
        save_freq: "epoch" to back up at the end of each epoch, or an integer N to back up every N training
            batches.
        double_checkpoint: also keep the previous backup, as a fallback when the latest cannot be loaded.
        delete_checkpoint: delete the backup when training ends normally.

    Example:
        >>> import os
        >>> import tempfile
        >>> import kerasx
        >>> model = kerasx.Sequential([kerasx.Input(shape=(1,)), kerasx.layers.Dense(1)])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     callback = kerasx.callbacks.BackupAndRestore(folder)
        ...     callback.set_model(model)
        ...     callback.on_train_begin()
        ...     callback.on_epoch_end(0, {"loss": 0.5})
        ...     print(sorted(os.listdir(folder)))
        ['backup-000001.optimizer.npz', 'backup-000001.weights.h5', 'training_metadata.json']
    """

    def __init__(
        self,
        backup_dir: str | os.PathLike,
        save_freq: str | int = "epoch",
        double_checkpoint: bool = False,
        delete_checkpoint: bool = True,
    ):
        super().__init__()
        if not backup_dir or not isinstance(backup_dir, (str, os.PathLike)):
            raise ValueError(BAD_BACKUP_DIR.format(value=backup_dir))
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq: int | Literal["epoch"] = check_save_freq(save_freq)
        self.double_checkpoint = bool(double_checkpoint)
        self.delete_checkpoint = delete_checkpoint
        self._previous = None
        self._current_epoch = 0
        self._batches_since_save = 0
        self._num_backups = 0

    def _wants(self, hook: str) -> bool:
        if hook == "on_train_batch_end":
            return self.save_freq != "epoch"
        return super()._wants(hook)

    @property
    def _metadata_path(self) -> str:
        return os.path.join(self.backup_dir, METADATA_FILE)

    def _read_metadata(self):
        if not os.path.exists(self._metadata_path):
            return None
        with open(self._metadata_path, encoding="utf-8") as file:
            return json.load(file)

    def _require(self, method: str) -> None:
        if not callable(getattr(self.model, method, None)):
            raise TypeError(MODEL_CANNOT_BACKUP.format(method=method, model_type=type(self.model).__name__))

    def on_train_begin(self, logs=None):
        self._require("save_weights")
        self._batches_since_save = 0
        self._pending = None
        metadata = self._read_metadata()
        self._previous = None
        if metadata is None:
            self._current_epoch = 0
            self._num_backups = 0
            return
        self._require("load_weights")
        if not getattr(self.model, "built", True):
            raise ValueError(MODEL_NOT_BUILT.format(backup_dir=self.backup_dir))
        try:
            state = self._restore(metadata)
        except (OSError, ValueError):
            # A damaged latest backup (unreadable: OSError, or ValueError from the weights loader): the previous one,
            # kept by `double_checkpoint`, is the state to resume.
            if not metadata.get("previous"):
                raise
            state = self._restore(metadata["previous"])
        self._previous = state if self.double_checkpoint else None
        self._num_backups = metadata["num_backups"]
        self._current_epoch = state["epoch"]
        self.model._initial_epoch = state["epoch"]
        iterator = getattr(self.model, "_train_iterator", None)
        step = state.get("step") or 0
        if iterator is not None and state.get("position") is not None:
            iterator.restore(state["position"], step)
        elif step:
            step = 0  # data that cannot be repositioned (a generator, a dataset): the interrupted epoch restarts
        # The metrics' running totals are set when the resumed epoch begins: `fit` resets the metrics just before.
        # History is not restored: as in Keras, the resumed `fit` returns the History of the epochs it ran.
        self._pending = {"step": step, "metrics": state.get("metrics")}

    def _restore(self, state: dict) -> dict:
        self.model.load_weights(os.path.join(self.backup_dir, state["weights"]))
        if state.get("optimizer"):
            self._restore_optimizer(os.path.join(self.backup_dir, state["optimizer"]))
        if state.get("seeds") is not None:
            _decode_into(_seed_variables(self.model), state["seeds"], "random-generator states",
                         self._metadata_path, self.backup_dir)
        return {key: value for key, value in state.items() if key not in ("previous", "num_backups")}

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch
        pending, self._pending = self._pending, None
        if not pending:
            return
        if pending["step"] and pending["metrics"] is not None:
            _decode_into(_metric_variables(self.model), pending["metrics"], "metric variables",
                         self._metadata_path, self.backup_dir)

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_since_save += 1
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._backup(epoch=self._current_epoch, step=batch + 1)

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        if self.save_freq == "epoch":
            self._backup(epoch=epoch + 1, step=0)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint:
            self._delete_backup_files(keep=())
            with contextlib.suppress(OSError):  # The folder holds other files, or is gone already: both fine.
                os.rmdir(self.backup_dir)

    def _optimizer_variables(self) -> list:
        optimizer = getattr(self.model, "optimizer", None)
        return list(getattr(optimizer, "variables", None) or ())

    def _backup(self, epoch: int, step: int = 0) -> None:
        """Writes a complete backup under new names, then points the metadata at it and removes older files."""
        bad = first_non_finite(self.model)
        if bad is not None:
            # The previous backup stays the one a restart resumes from: it is finite.
            when = f"epoch {epoch + 1}, batch {step}" if step else f"the end of epoch {epoch}"
            message = SKIPPED_NON_FINITE.format(
                callback="BackupAndRestore", what=f"a backup in {self.backup_dir!r}", when=when, variable=bad
            )
            warnings.warn(message, RuntimeWarning, stacklevel=2)
            return
        os.makedirs(self.backup_dir, exist_ok=True)
        self._num_backups += 1
        stem = f"{_BACKUP_PREFIX}{self._num_backups:06d}"
        weights_file = f"{stem}.weights.h5"
        self.model.save_weights(os.path.join(self.backup_dir, weights_file))
        variables = self._optimizer_variables()
        optimizer_file = None
        if variables:
            optimizer_file = f"{stem}.optimizer.npz"
            with open(os.path.join(self.backup_dir, optimizer_file), "wb") as file:
                np.savez(file, *[np.asarray(v) for v in variables])
                file.flush()
                os.fsync(file.fileno())
        iterator = getattr(self.model, "_train_iterator", None)
        state = {
            "epoch": epoch,
            "step": step,
            "weights": weights_file,
            "optimizer": optimizer_file,
            # Small state goes into the metadata itself, which is replaced atomically with everything it names.
            "position": iterator.position() if iterator is not None else None,
            "seeds": _encode(_seed_variables(self.model)),
            "metrics": _encode(_metric_variables(self.model)) if step else None,
        }
        metadata = {**state, "num_backups": self._num_backups, "previous": self._previous}
        _replace_atomically(self._metadata_path, json.dumps(metadata))
        keep = [weights_file, optimizer_file, METADATA_FILE]
        if self._previous:
            keep += [self._previous["weights"], self._previous["optimizer"]]
        self._delete_backup_files(keep=tuple(keep))
        if self.double_checkpoint:
            self._previous = state

    def _delete_backup_files(self, keep) -> None:
        if not os.path.isdir(self.backup_dir):
            return
        for name in os.listdir(self.backup_dir):
            ours = name.startswith(_BACKUP_PREFIX) or name.startswith(METADATA_FILE)
            if ours and name not in keep:
                os.remove(os.path.join(self.backup_dir, name))

    def _restore_optimizer(self, path: str) -> None:
        with np.load(path) as saved:
            arrays = [saved[f"arr_{i}"] for i in range(len(saved.files))]
        optimizer = self.model.optimizer
        variables = self._optimizer_variables()
        if len(variables) != len(arrays) and not getattr(optimizer, "built", True):
            # Optimizers create their slot variables on first use; the backup needs them now.
            optimizer.build(self.model.trainable_variables)
            variables = self._optimizer_variables()
        if _shapes(variables) != _shapes(arrays):
            raise ValueError(
                OPTIMIZER_MISMATCH.format(
                    path=path,
                    num_saved=len(arrays),
                    saved_shapes=_shapes(arrays),
                    num_current=len(variables),
                    current_shapes=_shapes(variables),
                    backup_dir=self.backup_dir,
                )
            )
        for variable, array in zip(variables, arrays):
            variable.assign(array)
