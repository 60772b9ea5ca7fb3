"""`TensorBoard`: writes the training logs as TensorBoard scalars.

The writer comes from the `tensorboard` package when it is installed, else from TensorFlow's `tf.summary`. Either
is imported when a TensorBoard callback is created, never when kerasx is imported (importing TensorFlow takes
seconds and, in a torch or jax session, is otherwise not needed at all).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import time

from kerasx.callbacks._callback import Callback

NO_WRITER = (
    "The TensorBoard callback needs the `tensorboard` package (or TensorFlow) to write event files, and neither is "
    "installed. Install it with `pip install tensorboard`."
)
BAD_UPDATE_FREQ = (
    "Invalid value for argument update_freq: expected 'epoch', 'batch' or a positive number of batches. "
    "Received: update_freq={value!r}."
)


class _EventFileWriter:
    """Scalars through the `tensorboard` package's event writer (no TensorFlow needed)."""

    def __init__(self, log_dir: str):
        writer_module = importlib.import_module("tensorboard.summary.writer.event_file_writer")
        self._event_pb2 = importlib.import_module("tensorboard.compat.proto.event_pb2")
        self._summary_pb2 = importlib.import_module("tensorboard.compat.proto.summary_pb2")
        self._writer = writer_module.EventFileWriter(log_dir)

    def scalar(self, tag: str, value: float, step: int) -> None:
        summary = self._summary_pb2.Summary(value=[self._summary_pb2.Summary.Value(tag=tag, simple_value=value)])
        self._writer.add_event(self._event_pb2.Event(wall_time=time.time(), step=step, summary=summary))

    def flush(self) -> None:
        self._writer.flush()

    def close(self) -> None:
        self._writer.close()


class _TFSummaryWriter:
    """Scalars through `tf.summary` (TensorFlow installed, the `tensorboard` package not).

    `tf.summary.scalar` itself needs the tensorboard package, so this writes the same tensor summary with the
    low-level `tf.summary.write` and the metadata the TensorBoard scalars plugin looks for.
    """

    def __init__(self, log_dir: str):
        self._tf = importlib.import_module("tensorflow")
        summary_pb2 = importlib.import_module("tensorflow.core.framework.summary_pb2")
        self._metadata = summary_pb2.SummaryMetadata(
            plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars"),
            data_class=summary_pb2.DATA_CLASS_SCALAR,
        )
        self._writer = self._tf.summary.create_file_writer(log_dir)

    def scalar(self, tag: str, value: float, step: int) -> None:
        with self._writer.as_default():
            tensor = self._tf.constant(value, dtype=self._tf.float32)
            self._tf.summary.write(tag, tensor, step=step, metadata=self._metadata)

    def flush(self) -> None:
        self._writer.flush()

    def close(self) -> None:
        self._writer.close()


def _writer_class():
    # TensorFlow is the fallback because it is the heavier import; tensorboard alone writes the same event files.
    if importlib.util.find_spec("tensorboard") is not None:
        return _EventFileWriter
    if importlib.util.find_spec("tensorflow") is not None:
        return _TFSummaryWriter
    raise ImportError(NO_WRITER)


class TensorBoard(Callback):
    """Writes the loss and metrics to TensorBoard event files under `log_dir`.

    Training values go to `log_dir/train`, `val_*` values (without the prefix) to `log_dir/validation`, as
    `epoch_<name>` scalars at each epoch end (step: the epoch index) and, when `update_freq` is a number of
    batches, as `batch_<name>` scalars every `update_freq` training batches (step: the batch count since `fit`
    started). View them with `tensorboard --logdir <log_dir>`.

    Args:
        log_dir: folder for the event files.
        update_freq: "epoch", "batch" (every batch) or an integer N (every N batches).

    Raises:
        ImportError: neither the `tensorboard` package nor TensorFlow is installed.

    Example:
        >>> import kerasx
        >>> callback = kerasx.callbacks.TensorBoard(log_dir="logs/run-1", update_freq=100)
        >>> callback.log_dir, callback.update_freq
        ('logs/run-1', 100)

    `model.fit(x, y, epochs=10, callbacks=[callback])` then writes `logs/run-1/train` and `logs/run-1/validation`.
    """

    def __init__(self, log_dir="logs", update_freq="epoch"):
        super().__init__()
        if update_freq == "batch":
            update_freq = 1
        is_count = isinstance(update_freq, int) and not isinstance(update_freq, bool) and update_freq >= 1
        if update_freq != "epoch" and not is_count:
            raise ValueError(BAD_UPDATE_FREQ.format(value=update_freq))
        self.log_dir = os.fspath(log_dir)
        self.update_freq = update_freq
        self._writer_class = _writer_class()
        self._writers: dict = {}
        self._num_train_batches = 0

    def _wants(self, hook: str) -> bool:
        if hook == "on_train_batch_end":
            return self.update_freq != "epoch"
        return super()._wants(hook)

    def _writer(self, run: str):
        if run not in self._writers:
            self._writers[run] = self._writer_class(os.path.join(self.log_dir, run))
        return self._writers[run]

    def on_train_begin(self, logs=None):
        self._num_train_batches = 0

    def on_train_batch_end(self, batch, logs=None):
        self._num_train_batches += 1
        if self.update_freq == "epoch" or self._num_train_batches % self.update_freq:
            return
        writer = self._writer("train")
        for name, value in (logs or {}).items():
            writer.scalar(f"batch_{name}", float(value), step=self._num_train_batches)

    def on_epoch_end(self, epoch, logs=None):
        for name, value in (logs or {}).items():
            run, name = ("validation", name[len("val_") :]) if name.startswith("val_") else ("train", name)
            self._writer(run).scalar(f"epoch_{name}", float(value), step=epoch)
        for writer in self._writers.values():
            writer.flush()

    def on_train_end(self, logs=None):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}
