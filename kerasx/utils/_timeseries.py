"""`timeseries_dataset_from_array`: sliding windows over a time series, batched, without TensorFlow."""

from __future__ import annotations

import numpy as np

from kerasx.utils import _directory_index, _native
from kerasx.utils._batched import BatchedDataset

BAD_START = "`start_index` must be 0 or greater. Received: start_index={value}"
START_PAST_END = (
    "`start_index` must be lower than the length of the data. Received: start_index={value}, for data of length "
    "{length}"
)
END_BEFORE_START = (
    "`end_index` must be higher than `start_index`. Received: start_index={start}, and end_index={end} "
)
END_PAST_END = (
    "`end_index` must be lower than the length of the data. Received: end_index={value}, for data of length {length}"
)
BAD_END = "`end_index` must be higher than 0. Received: end_index={value}"
NOT_POSITIVE = "`{name}` must be higher than 0. Received: {name}={value}"
TOO_LARGE = "`{name}` must be lower than the length of the data. Received: {name}={value}, for data of length {length}"


def _check(data, start_index, end_index, sampling_rate, sequence_stride) -> None:
    length = len(data)
    if start_index:
        if start_index < 0:
            raise ValueError(BAD_START.format(value=start_index))
        if start_index >= length:
            raise ValueError(START_PAST_END.format(value=start_index, length=length))
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(END_BEFORE_START.format(start=start_index, end=end_index))
        if end_index >= length:
            raise ValueError(END_PAST_END.format(value=end_index, length=length))
        if end_index <= 0:
            raise ValueError(BAD_END.format(value=end_index))
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value <= 0:
            raise ValueError(NOT_POSITIVE.format(name=name, value=value))
        if value >= length:
            raise ValueError(TOO_LARGE.format(name=name, value=value, length=length))


def timeseries_dataset_from_array(data, targets, sequence_length: int, sequence_stride: int = 1,
                                  sampling_rate: int = 1, batch_size: int | None = 128, shuffle: bool = False,
                                  seed=None, start_index: int | None = None, end_index: int | None = None,
                                  format: str = "tf"):
    """Batches of windows of `data` (each `sequence_length` steps, `sampling_rate` apart), with the target of
    each window's first step.

    Window `i` starts at step `start_index + i * sequence_stride`; windows end before `end_index`. With `shuffle`
    the windows are permuted with `np.random.RandomState(seed)`, as Keras 3 permutes them, and again after every
    epoch. On TensorFlow the result is a `tf.data.Dataset`, elsewhere a `PyDataset` (no TensorFlow needed).

    Args:
        data: an array (or list) of time steps, time first.
        targets: the target of each step (`targets[i]` goes with the window starting at step `i`), or None.
        sequence_length: steps per window.
        sequence_stride: steps between the starts of two windows.
        sampling_rate: steps between two steps of a window.
        batch_size: windows per batch (None: single windows).
        shuffle: whether to shuffle the windows.
        seed: the shuffling seed.
        start_index: the first step used.
        end_index: the step before which windows end.
        format: "tf" (the default: native datasets as described above).

    Returns:
        A dataset of `windows` or `(windows, targets)` batches.

    Example:

    >>> import numpy as np
    >>> from kerasx import utils
    >>> dataset = utils.timeseries_dataset_from_array(np.arange(10), np.arange(10) * 10, sequence_length=3,
    ...                                               batch_size=4)
    >>> windows, targets = next(iter(dataset))
    >>> np.asarray(windows).tolist(), np.asarray(targets).tolist()
    ([[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]], [0, 10, 20, 30])
    """
    _check(data, start_index, end_index, sampling_rate, sequence_stride)
    _directory_index.check_format(format)
    start = start_index or 0
    end = len(data) if end_index is None else end_index
    num_windows = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_windows = min(num_windows, len(targets))
    positions = np.arange(0, num_windows, sequence_stride)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1_000_000)
        np.random.RandomState(seed).shuffle(positions)
    steps = np.asarray(data[start:end])
    offsets = np.arange(sequence_length) * sampling_rate
    target_steps = None if targets is None else np.asarray(targets[start:end])

    def load(indices):
        starts = positions[indices]
        windows = steps[starts[:, None] + offsets]
        return windows if target_steps is None else (windows, target_steps[starts])

    def unbatch(batch):
        return batch[0] if target_steps is None else (batch[0][0], batch[1][0])

    dataset = BatchedDataset(len(positions), load, batch_size, shuffle=shuffle, seed=seed, unbatch=unbatch)
    return _native.native_dataset(dataset)
