"""TensorBoard event files written with the `tensorboard` package alone (no TensorFlow): scalars, histograms,
images and the Keras model config, as the summaries `tf.summary` writes, so TensorBoard shows them the same way.

The package is imported when a writer is made, never when kerasx is imported. Its `EventFileWriter` is not used:
it opens files through `tf.io.gfile`, which imports TensorFlow whenever it is installed (seconds, and a second
engine in a jax or torch process); the records are written to a local file with the package's `RecordWriter`.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import itertools
import os
import socket
import time

import numpy as np

NO_TENSORBOARD = (
    "The TensorBoard callback writes event files with the `tensorboard` package, which is not installed. Install "
    "it with `pip install tensorboard` (or `pip install kerasx[tensorboard]`)."
)
UNKNOWN_EMBEDDINGS = (
    "Unrecognized `Embedding` layer names passed to `kerasx.callbacks.TensorBoard` `embeddings_metadata` argument: "
    "{names}. Use the names of the model's Embedding layers, or one path for all of them."
)
# As `tf.summary.histogram` and `tf.summary.image` do by default.
HISTOGRAM_BUCKETS = 30
MAX_IMAGES = 3
# Numbers the event files of one process, as TensorBoard's writers do, so two writers never share a file name.
_FILE_NUMBERS = itertools.count()


def require_tensorboard() -> None:
    if importlib.util.find_spec("tensorboard") is None:
        raise ImportError(NO_TENSORBOARD)


def _module(name: str):
    return importlib.import_module(name)


def png_bytes(image: np.ndarray) -> bytes:
    """PNG encoding of a `(height, width, channels)` uint8 image (channels 1, 3 or 4)."""
    pil_image = _module("PIL.Image")
    channels = image.shape[-1]
    mode = {1: "L", 3: "RGB", 4: "RGBA"}[channels]
    buffer = io.BytesIO()
    pil_image.fromarray(image[..., 0] if channels == 1 else image, mode=mode).save(buffer, format="PNG")
    return buffer.getvalue()


def to_uint8(images: np.ndarray) -> np.ndarray:
    """Float images in [0, 1] to uint8 as `tf.image.convert_image_dtype(..., saturate=True)` does."""
    if images.dtype == np.uint8:
        return images
    return np.clip(np.asarray(images, np.float64) * 255.5, 0, 255).astype(np.uint8)


class EventWriter:
    """One run's event file (`log_dir`), written summary by summary."""

    def __init__(self, log_dir: str):
        require_tensorboard()
        record_writer = _module("tensorboard.summary.writer.record_writer")
        self._event_pb2 = _module("tensorboard.compat.proto.event_pb2")
        self._summary_pb2 = _module("tensorboard.compat.proto.summary_pb2")
        self._tensor_util = _module("tensorboard.util.tensor_util")
        self._scalar = _module("tensorboard.plugins.scalar.summary_v2")
        self._histogram = _module("tensorboard.plugins.histogram.summary_v2")
        self._image_metadata = _module("tensorboard.plugins.image.metadata")
        os.makedirs(log_dir, exist_ok=True)
        name = f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}.{os.getpid()}.{next(_FILE_NUMBERS)}"
        self.path = os.path.join(log_dir, name)
        self._writer = record_writer.RecordWriter(open(self.path, "wb"))  # noqa: SIM115 - closed by `close`
        source = self._event_pb2.SourceMetadata(writer="kerasx")
        self._write(self._event_pb2.Event(wall_time=time.time(), file_version="brain.Event:2", source_metadata=source))
        self.flush()

    def _write(self, event) -> None:
        self._writer.write(event.SerializeToString())

    def _add(self, summary, step: int) -> None:
        self._write(self._event_pb2.Event(wall_time=time.time(), step=int(step), summary=summary))

    def scalar(self, tag: str, value, step: int) -> None:
        self._add(self._scalar.scalar_pb(tag, float(value)), step)

    def histogram(self, tag: str, values, step: int) -> None:
        data = np.asarray(values, dtype=np.float64)
        self._add(self._histogram.histogram_pb(tag, data, buckets=HISTOGRAM_BUCKETS), step)

    def image(self, tag: str, images: np.ndarray, step: int) -> None:
        """`images`: `(k, height, width, channels)`; the first `MAX_IMAGES` are written."""
        images = to_uint8(np.asarray(images))[:MAX_IMAGES]
        height, width = images.shape[1], images.shape[2]
        encoded = [str(width).encode(), str(height).encode()] + [png_bytes(image) for image in images]
        tensor = self._tensor_util.make_tensor_proto(np.array(encoded, dtype=object))
        metadata = self._image_metadata.create_summary_metadata(display_name=None, description=None)
        summary = self._summary_pb2.Summary()
        summary.value.add(tag=tag, metadata=metadata, tensor=tensor)
        self._add(summary, step)

    def keras_model(self, tag: str, model_json: str, step: int) -> None:
        """The model config, for TensorBoard's graph view of Keras models (plugin "graph_keras_model")."""
        metadata = self._summary_pb2.SummaryMetadata(
            plugin_data=self._summary_pb2.SummaryMetadata.PluginData(plugin_name="graph_keras_model", content=b"1")
        )
        tensor = self._tensor_util.make_tensor_proto(np.array(model_json.encode("utf-8"), dtype=object))
        summary = self._summary_pb2.Summary()
        summary.value.add(tag=tag, metadata=metadata, tensor=tensor)
        self._add(summary, step)

    def flush(self) -> None:
        self._writer.flush()

    def close(self) -> None:
        if not self._writer.closed:
            self._writer.close()


def projector_config_text(embedding_layers, metadata) -> str:
    """The `projector_config.pbtxt` of TensorBoard's embedding projector for these Embedding layers, as Keras 3
    writes it (`metadata`: one path, or layer name -> path). Raises ValueError for names of no Embedding layer."""
    projector = _module("tensorboard.plugins.projector")
    text_format = _module("google.protobuf.text_format")
    config = projector.ProjectorConfig()
    remaining = dict(metadata) if isinstance(metadata, dict) else metadata
    for layer in embedding_layers:
        embedding = config.embeddings.add()
        embedding.tensor_name = "layer_with_weights-0/embeddings/.ATTRIBUTES/VARIABLE_VALUE"
        if isinstance(remaining, str):
            embedding.metadata_path = remaining
        elif remaining and layer.name in remaining:
            embedding.metadata_path = remaining.pop(layer.name)
    if remaining and not isinstance(remaining, str):
        raise ValueError(UNKNOWN_EMBEDDINGS.format(names=sorted(remaining)))
    return text_format.MessageToString(config)
