"""`audio_dataset_from_directory`: batches of WAV files from class sub-folders, read with Python's `wave` module."""

from __future__ import annotations

import wave

import numpy as np

from kerasx.utils import _directory_dataset, _directory_index

ALLOWED_FORMATS = (".wav",)
NO_AUDIO = "No {which}audio files found in directory {directory}. Allowed format(s): " + str(ALLOWED_FORMATS)
RAGGED_AND_LENGTH = "Cannot set both `ragged` and `output_sequence_length`"
BAD_RATE_TYPE = "`sampling_rate` should have an integer value. Received: sampling_rate={value}"
BAD_RATE = "`sampling_rate` should be higher than 0. Received: sampling_rate={value}"
OTHER_RATE = (
    "{path} is sampled at {rate} Hz, not at the requested sampling_rate={requested}. kerasx does not resample audio "
    "(Keras 3 needs tensorflow-io for it): resample the files, or leave `sampling_rate=None`."
)
BAD_SAMPLE_WIDTH = "{path}: {bits}-bit samples are not supported; expected 8-, 16-, 24- or 32-bit PCM."


def _pcm_to_float(frames: bytes, width: int, path: str) -> np.ndarray:
    if width == 1:
        return (np.frombuffer(frames, np.uint8).astype(np.float32) - 128.0) / 128.0
    if width == 2:
        return np.frombuffer(frames, "<i2").astype(np.float32) / 32768.0
    if width == 3:
        raw = np.frombuffer(frames, np.uint8).reshape(-1, 3).astype(np.int32)
        values = raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)
        values = np.where(values >= 1 << 23, values - (1 << 24), values)
        return values.astype(np.float32) / float(1 << 23)
    if width == 4:
        return (np.frombuffer(frames, "<i4").astype(np.float64) / float(1 << 31)).astype(np.float32)
    raise ValueError(BAD_SAMPLE_WIDTH.format(path=path, bits=8 * width))


def read_wav(path: str, sampling_rate: int | None = None, output_sequence_length: int | None = None) -> np.ndarray:
    """A WAV file as float32 of shape (samples, channels) in [-1, 1), cut or zero-padded to
    `output_sequence_length` samples (`tf.audio.decode_wav`'s `desired_samples`)."""
    with wave.open(path, "rb") as file:
        channels, width, rate = file.getnchannels(), file.getsampwidth(), file.getframerate()
        frames = file.readframes(file.getnframes())
    if sampling_rate is not None and rate != sampling_rate:
        raise ValueError(OTHER_RATE.format(path=path, rate=rate, requested=sampling_rate))
    audio = _pcm_to_float(frames, width, path).reshape(-1, channels)
    if output_sequence_length is None:
        return audio
    padded = np.zeros((output_sequence_length, channels), np.float32)
    kept = audio[:output_sequence_length]
    padded[: len(kept)] = kept
    return padded


def audio_dataset_from_directory(directory, labels="inferred", label_mode: str | None = "int", class_names=None,
                                 batch_size: int | None = 32, sampling_rate: int | None = None,
                                 output_sequence_length: int | None = None, ragged: bool = False,
                                 shuffle: bool = True, seed=None, validation_split: float | None = None,
                                 subset: str | None = None, follow_links: bool = False, verbose: bool = True):
    """Batches of `(audio, labels)` from a folder with one sub-folder of `.wav` files per class.

    Audio is float32 of shape (batch, samples, channels) in [-1, 1): cut or zero-padded to
    `output_sequence_length`, or else padded with zeros to the longest file of the batch (as Keras 3's
    `padded_batch`). With `ragged=True` (no padding) a batch holds a list of arrays of their own lengths, and the
    result is the PyDataset on every backend (Keras 3 gives `tf.RaggedTensor` batches). Labels, `class_names`,
    shuffling and `validation_split`/`subset` work as in `image_dataset_from_directory`. On TensorFlow the result
    is a `tf.data.Dataset`, elsewhere a `PyDataset`.

    Args:
        directory: the folder.
        labels: "inferred", a list of int labels in the sorted order of the files, or None.
        label_mode: "int", "categorical", "binary" or None.
        class_names: the sub-folders to use and their order, with inferred labels.
        batch_size: files per batch (None: single files).
        sampling_rate: the rate every file must have (kerasx does not resample), or None.
        output_sequence_length: samples per file after cutting or padding.
        ragged: whether to keep each file's length (no padding).
        shuffle: whether to shuffle.
        seed: the shuffling seed.
        validation_split: the fraction of the files kept for validation.
        subset: "training", "validation" or "both".
        follow_links: whether to follow symbolic links to folders.
        verbose: print the number of files and classes found.

    Returns:
        A dataset, or `[training, validation]` with `subset="both"`.

    Example:

    >>> import os, tempfile, wave
    >>> import numpy as np
    >>> from kerasx import utils
    >>> root = tempfile.mkdtemp()
    >>> for name, length in (("no", 3), ("yes", 5)):
    ...     os.mkdir(os.path.join(root, name))
    ...     with wave.open(os.path.join(root, name, "0.wav"), "wb") as file:
    ...         file.setnchannels(1); file.setsampwidth(2); file.setframerate(8000)
    ...         file.writeframes(np.full(length, 16384, "<i2").tobytes())
    >>> dataset = utils.audio_dataset_from_directory(root, shuffle=False, verbose=False)
    >>> audio, labels = next(iter(dataset))
    >>> np.asarray(audio)[:, :, 0].tolist(), np.asarray(labels).tolist()
    ([[0.5, 0.5, 0.5, 0.0, 0.0], [0.5, 0.5, 0.5, 0.5, 0.5]], [0, 1])
    """
    labels, label_mode = _directory_index.check_arguments(labels, label_mode, class_names, "audio")
    if ragged and output_sequence_length is not None:
        raise ValueError(RAGGED_AND_LENGTH)
    if sampling_rate is not None:
        if not isinstance(sampling_rate, int):
            raise ValueError(BAD_RATE_TYPE.format(value=sampling_rate))
        if sampling_rate <= 0:
            raise ValueError(BAD_RATE.format(value=sampling_rate))
    _directory_index.check_validation_split(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1_000_000)

    def load_samples(paths):
        clips = [read_wav(path, sampling_rate, output_sequence_length) for path in paths]
        if ragged:
            return clips
        length = max(len(clip) for clip in clips)
        batch = np.zeros((len(clips), length, clips[0].shape[1]), np.float32)
        for index, clip in enumerate(clips):
            batch[index, : len(clip)] = clip
        return batch

    return _directory_dataset.datasets_from_directory(
        directory, labels, label_mode, class_names, batch_size, shuffle, seed, validation_split, subset,
        follow_links, verbose, ALLOWED_FORMATS, NO_AUDIO, load_samples,
        # Without output_sequence_length the clips' lengths differ: the time axis (after the batch axis).
        varying_axes=() if output_sequence_length is not None else ((1,) if batch_size is not None else (0,)),
        native=not ragged,
    )
