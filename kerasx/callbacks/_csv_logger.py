"""`CSVLogger`: writes one CSV row of logs per epoch."""

from __future__ import annotations

import csv
import os
from typing import TextIO

import numpy as np

from kerasx.callbacks._callback import Callback

BAD_SEPARATOR = "Invalid value for argument separator: expected a single character. Received: separator={value!r}."


def _cell(value):
    # Arrays and lists (rare in logs) become one quoted "[a, b]" cell instead of spreading over columns.
    if isinstance(value, str):
        return value
    array = np.asarray(value)
    if array.ndim > 0:
        return "[" + ", ".join(str(v) for v in array.ravel().tolist()) + "]"
    return value


class CSVLogger(Callback):
    """Streams each epoch's logs to a CSV file: an `epoch` column (0-based), then the log names in sorted order.

    The columns are fixed by the first epoch; when it has no `val_*` entries (validation that starts later), a
    `val_` column is added for each name and filled with `NA` until validation results come. Missing entries are
    written as `NA`. The file is flushed after every row.

    Args:
        filename: path of the CSV file.
        separator: the column separator.
        append: add rows to an existing file (its header is kept) instead of overwriting it.

    Example:
        >>> import os
        >>> import tempfile
        >>> import kerasx
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "log.csv")
        ...     callback = kerasx.callbacks.CSVLogger(path)
        ...     callback.on_train_begin()
        ...     callback.on_epoch_end(0, {"loss": 0.5, "accuracy": 0.75})
        ...     callback.on_epoch_end(1, {"loss": 0.25, "accuracy": 0.875})
        ...     callback.on_train_end()
        ...     print(open(path).read(), end="")
        epoch,accuracy,loss,val_accuracy,val_loss
        0,0.75,0.5,NA,NA
        1,0.875,0.25,NA,NA
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        if not isinstance(separator, str) or len(separator) != 1:
            raise ValueError(BAD_SEPARATOR.format(value=separator))
        self.filename = os.fspath(filename)
        self.sep = separator
        self.append = append
        self.keys = None
        self.writer = None
        self.csv_file: TextIO | None = None
        self._write_header = True

    def on_train_begin(self, logs=None):
        self._write_header = True
        if self.append and os.path.exists(self.filename):
            self._write_header = os.path.getsize(self.filename) == 0
        self.keys = None
        self.writer = None
        # newline="" lets the csv module choose the line endings, as its documentation requires.
        self.csv_file = open(self.filename, "a" if self.append else "w", newline="", encoding="utf-8")  # noqa: SIM115 - closed by on_train_end

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys += [f"val_{key}" for key in self.keys]
        if self.writer is None:
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch", *self.keys], delimiter=self.sep)  # pyright: ignore[reportArgumentType] - opened by on_train_begin
            if self._write_header:
                self.writer.writeheader()
        row = {"epoch": epoch, **{key: _cell(logs.get(key, "NA")) for key in self.keys}}
        self.writer.writerow(row)
        self.csv_file.flush()  # pyright: ignore[reportOptionalMemberAccess]

    def on_train_end(self, logs=None):
        if self.csv_file is not None:
            self.csv_file.close()
        self.csv_file = None
        self.writer = None
