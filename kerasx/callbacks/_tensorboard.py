"""`TensorBoard`: writes the training logs, weight histograms and images, the model config and embedding
checkpoints as TensorBoard event files, on every engine, without TensorFlow (see `_tensorboard_writer`)."""

from __future__ import annotations

import os
import time
import warnings
from typing import Literal

import numpy as np

from kerasx import ops
from kerasx.backend import backend, image_data_format
from kerasx.callbacks import _tensorboard_writer
from kerasx.callbacks._callback import Callback

BAD_UPDATE_FREQ = (
    "Invalid value for argument update_freq: expected 'epoch', 'batch' or a positive number of batches. "
    "Received: update_freq={value!r}."
)
BAD_FREQ = "Invalid value for argument {name}: expected an int >= 0 (0 turns it off). Received: {name}={value!r}."
BAD_PROFILE_BATCH = (
    "profile_batch must be a non-negative integer or 2-tuple of positive integers. A pair of positive integers "
    "signifies a range of batches to profile. Found: {value!r}"
)
PROFILING_UNAVAILABLE = (
    "Profiling is not yet available with the {backend} backend. Received: profile_batch={value!r} (must be 0)."
)
NOT_SERIALIZABLE = "Model failed to serialize as JSON. Ignoring... {error}"
PROFILER_NOT_RUN = (
    "TensorBoard(profile_batch={value!r}): kerasx does not run the {backend} profiler, so no trace is written; "
    "the other summaries are. Profile with the engine's own tools (e.g. `jax.profiler.trace`)."
)


def _check_freq(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(BAD_FREQ.format(name=name, value=value))
    return value


def _profile_range(profile_batch) -> tuple:
    """(start, stop) batches of the profile range, Keras 3's parsing (an int, "start,stop", or a pair)."""
    value = profile_batch
    try:
        if isinstance(value, str):
            value = [int(part) for part in value.split(",")]
        if isinstance(value, int) and not isinstance(value, bool):
            start, stop = value, value
        elif isinstance(value, (list, tuple)) and len(value) == 2:
            start, stop = (int(v) for v in value)
        else:
            raise ValueError
    except ValueError:
        raise ValueError(BAD_PROFILE_BATCH.format(value=profile_batch)) from None
    if start < 0 or stop < start:
        raise ValueError(BAD_PROFILE_BATCH.format(value=profile_batch))
    return start, stop


def weight_image(weight) -> np.ndarray | None:
    """A weight as images `(k, height, width, 1)`, laid out as Keras 3 shows them; None for other ranks."""
    image = np.squeeze(np.asarray(ops.convert_to_numpy(weight)))
    if image.ndim == 1:
        image = image.reshape(1, image.shape[0], 1, 1)
    elif image.ndim == 2:
        if image.shape[0] > image.shape[1]:
            image = image.T
        image = image.reshape(1, image.shape[0], image.shape[1], 1)
    elif image.ndim == 3:
        if image_data_format() == "channels_last":
            image = np.transpose(image, (2, 0, 1))
        image = image.reshape(image.shape[0], image.shape[1], image.shape[2], 1)
    if image.ndim == 4 and image.shape[-1] in (1, 3, 4):
        return image
    return None


class TensorBoard(Callback):
    """Writes TensorBoard event files under `log_dir`: view them with `tensorboard --logdir <log_dir>`.

    What is written, as Keras 3 writes it (same tags, steps and summary kinds):

    - `log_dir/train`: `epoch_<name>` scalars of the training logs and the learning rate at each epoch end (step:
      the epoch); with `update_freq` a number of batches, `batch_<name>` scalars every that many training batches
      (step: the batch count since `fit` started); the model config (tag "keras") for the graph view with
      `write_graph`; weight histograms (`<weight path>/histogram`) and, with `write_images`, weight images every
      `histogram_freq` epochs.
    - `log_dir/validation`: the `val_*` logs as `epoch_<name>` scalars, and `evaluation_<name>_vs_iterations` at
      each evaluation's end (step: the optimizer's iterations).
    - With `embeddings_freq`, `log_dir/projector_config.pbtxt` for the embedding projector and the weights in
      `log_dir/train/keras_embedding.ckpt-<epoch>.weights.h5` every that many epochs.

    Needs the `tensorboard` package (not TensorFlow).

    Args:
        log_dir: folder for the event files.
        histogram_freq: epochs between weight histograms (0: none).
        write_graph: write the model config (Functional and Sequential models) for TensorBoard's graph view.
        write_images: with `histogram_freq`, also write the weights as images.
        write_steps_per_second: also write the training speed (`epoch_steps_per_second`, and per batch with an
            `update_freq` count).
        update_freq: "epoch", "batch" (every batch) or an integer N (every N batches).
        profile_batch: batch (or "start,stop" / pair) to profile. Keras 3 refuses it on torch; kerasx also runs
            no engine profiler on jax and TensorFlow (a warning says so) and writes everything else.
        embeddings_freq: epochs between embedding checkpoints (0: none).
        embeddings_metadata: a metadata file for all Embedding layers, or layer name -> file.

    Raises:
        ImportError: the `tensorboard` package is not installed.

    Example:
        >>> import kerasx
        >>> callback = kerasx.callbacks.TensorBoard(log_dir="logs/run-1", histogram_freq=1, update_freq=100)
        >>> callback.log_dir, callback.histogram_freq, callback.update_freq
        ('logs/run-1', 1, 100)

    `model.fit(x, y, epochs=10, callbacks=[callback])` then writes `logs/run-1/train` and `logs/run-1/validation`.
    """

    def __init__(
        self,
        log_dir="logs",
        histogram_freq=0,
        write_graph=True,
        write_images=False,
        write_steps_per_second=False,
        update_freq: Literal["epoch", "batch"] | int = "epoch",
        profile_batch=0,
        embeddings_freq=0,
        embeddings_metadata=None,
    ):
        super().__init__()
        if update_freq == "batch":
            update_freq = 1
        is_count = isinstance(update_freq, int) and not isinstance(update_freq, bool) and update_freq >= 1
        if update_freq != "epoch" and not is_count:
            raise ValueError(BAD_UPDATE_FREQ.format(value=update_freq))
        _tensorboard_writer.require_tensorboard()
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = _check_freq("histogram_freq", histogram_freq)
        self.write_graph = bool(write_graph)
        self.write_images = bool(write_images)
        self.write_steps_per_second = bool(write_steps_per_second)
        self.update_freq: Literal["epoch"] | int = update_freq
        self.embeddings_freq = _check_freq("embeddings_freq", embeddings_freq)
        self.embeddings_metadata = embeddings_metadata
        self.profile_batch = profile_batch
        start, stop = _profile_range(profile_batch)
        if profile_batch:
            if backend() not in ("jax", "tensorflow"):
                raise ValueError(PROFILING_UNAVAILABLE.format(backend=backend(), value=profile_batch))
            if start + stop > 0:
                warnings.warn(PROFILER_NOT_RUN.format(value=profile_batch, backend=backend()), stacklevel=2)
        self._writers: dict = {}
        self._global_train_batch = 0
        self._global_test_batch = 0
        self._batch_start_time = 0.0
        self._epoch_start_time = 0.0
        self._epoch_start_iterations = 0.0

    def _wants(self, hook: str) -> bool:
        if hook in ("on_train_batch_begin", "on_train_batch_end"):
            return self.update_freq != "epoch" or self.write_steps_per_second
        return super()._wants(hook)

    def _writer(self, run: str) -> _tensorboard_writer.EventWriter:
        if run not in self._writers:
            self._writers[run] = _tensorboard_writer.EventWriter(os.path.join(self.log_dir, run))
        return self._writers[run]

    # Setup ----------------------------------------------------------------------------------------------------------
    def set_model(self, model) -> None:
        super().set_model(model)
        self._close_writers()
        if self.write_graph and type(model).__name__ in ("Functional", "Sequential"):
            try:
                model_json = model.to_json()
            except Exception as error:  # noqa: BLE001 - a model that cannot be serialized is shown without its graph
                warnings.warn(NOT_SERIALIZABLE.format(error=error), stacklevel=2)
            else:
                self._writer("train").keras_model("keras", model_json, step=0)
        if self.embeddings_freq:
            embedding_layers = [layer for layer in model.layers if type(layer).__name__ == "Embedding"]
            text = _tensorboard_writer.projector_config_text(embedding_layers, self.embeddings_metadata)
            os.makedirs(self.log_dir, exist_ok=True)
            with open(os.path.join(self.log_dir, "projector_config.pbtxt"), "w", encoding="utf-8") as file:
                file.write(text)

    def _close_writers(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    # Hooks ----------------------------------------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._global_train_batch = 0

    def on_train_end(self, logs=None):
        self._close_writers()

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        if self.write_steps_per_second:
            self._batch_start_time = time.time()

    def _records_batch(self) -> bool:
        return self.update_freq != "epoch" and self._global_train_batch % self.update_freq == 0

    def on_train_batch_end(self, batch, logs=None):
        if not self._records_batch():
            return
        writer = self._writer("train")
        if self.write_steps_per_second:
            elapsed = time.time() - self._batch_start_time
            writer.scalar("batch_steps_per_second", 1.0 / max(elapsed, 1e-12), step=self._global_train_batch)
        for name, value in (logs or {}).items():
            writer.scalar(f"batch_{name}", float(value), step=self._global_train_batch)

    def on_test_begin(self, logs=None):
        self._writer("validation")

    def on_test_batch_begin(self, batch, logs=None):
        self._global_test_batch += 1

    def on_test_end(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        iterations = getattr(optimizer, "iterations", None)
        if iterations is None:
            return
        step = int(ops.convert_to_numpy(iterations))
        writer = self._writer("validation")
        for name, value in (logs or {}).items():
            writer.scalar(f"evaluation_{name}_vs_iterations", float(value), step=step)

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._epoch_start_iterations = self._iterations()
            self._epoch_start_time = time.time()

    def on_epoch_end(self, epoch, logs=None):
        self._log_epoch_metrics(epoch, logs or {})
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            path = os.path.join(self.log_dir, "train", f"keras_embedding.ckpt-{epoch}.weights.h5")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            self.model.save_weights(path)
        for writer in self._writers.values():
            writer.flush()

    # Writing ----------------------------------------------------------------------------------------------------------
    def _iterations(self) -> float:
        iterations = getattr(getattr(self.model, "optimizer", None), "iterations", None)
        return 0.0 if iterations is None else float(ops.convert_to_numpy(iterations))

    def _learning_rates(self) -> dict:
        optimizer = getattr(self.model, "optimizer", None)
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        inner = getattr(optimizer, "optimizers", None)
        if inner is not None:
            return {f"learning_rate_{o.name}": float(ops.convert_to_numpy(o.learning_rate)) for o in inner}
        if optimizer is not None and hasattr(optimizer, "learning_rate") and hasattr(optimizer, "iterations"):
            return {"learning_rate": float(ops.convert_to_numpy(optimizer.learning_rate))}
        return {}

    def _log_epoch_metrics(self, epoch: int, logs: dict) -> None:
        if not logs:
            return
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        validation = {k[len("val_") :]: v for k, v in logs.items() if k.startswith("val_")}
        train.update(self._learning_rates())
        if self.write_steps_per_second:
            elapsed = max(time.time() - self._epoch_start_time, 1e-12)
            train["steps_per_second"] = (self._iterations() - self._epoch_start_iterations) / elapsed
        for run, values in (("train", train), ("validation", validation)):
            if values:
                writer = self._writer(run)
                for name, value in values.items():
                    writer.scalar(f"epoch_{name}", float(value), step=epoch)

    def _log_weights(self, epoch: int) -> None:
        writer = self._writer("train")
        for layer in self.model.layers:
            for weight in layer.weights:
                name = weight.path.replace(":", "_")
                writer.histogram(f"{name}/histogram", ops.convert_to_numpy(weight), step=epoch)
                if self.write_images:
                    image = weight_image(weight)
                    if image is not None:
                        writer.image(f"{name}/image", image, step=epoch)
        writer.flush()

