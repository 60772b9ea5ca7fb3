"""Callbacks that report: CSVLogger, Progbar and ProgbarLogger, TensorBoard.

Driven directly through their hooks by the fake loop of tests/callback_fakes.py: no trainer, no engine work.
"""

from __future__ import annotations

import glob
import importlib.util
import io
import os
import struct
import sys

import numpy as np
import pytest

from kerasx import callbacks
from kerasx.callbacks import _progbar, _tensorboard_writer
from callback_fakes import FakeModel, fake_fit, read_csv

# ---------------------------------------------------------------------------------------------------------------
# CSVLogger


def test_csv_logger_writes_rows_and_appends(tmp_path):
    path = tmp_path / "log.csv"
    logs = lambda e: {"loss": 0.5 / (e + 1), "val_loss": 1.0}  # noqa: E731
    fake_fit(FakeModel(), [callbacks.CSVLogger(path)], 2, 1, epoch_logs=logs)
    rows = read_csv(path)
    assert rows[0] == ["epoch", "loss", "val_loss"]
    assert [int(r[0]) for r in rows[1:]] == [0, 1]
    np.testing.assert_allclose([[float(v) for v in r[1:]] for r in rows[1:]], [[0.5, 1.0], [0.25, 1.0]])
    logs = lambda e: {"loss": 0.1, "val_loss": 2.0}  # noqa: E731
    fake_fit(FakeModel(), [callbacks.CSVLogger(path, append=True)], 1, 1, epoch_logs=logs)
    rows = read_csv(path)
    assert len(rows) == 4 and rows[0] == ["epoch", "loss", "val_loss"] and rows[3] == ["0", "0.1", "2.0"]


def test_csv_logger_separator_and_missing_validation(tmp_path):
    path = tmp_path / "log.tsv"
    logs = [{"loss": 2.0, "accuracy": 0.5}, {"loss": 1.0, "accuracy": 0.75, "val_loss": 3.0, "val_accuracy": 0.25}]
    fake_fit(FakeModel(), [callbacks.CSVLogger(path, separator="\t")], 2, 1, epoch_logs=lambda e: logs[e])
    assert read_csv(path, "\t") == [
        ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"],
        ["0", "0.5", "2.0", "NA", "NA"],
        ["1", "0.75", "1.0", "0.25", "3.0"],
    ]


# ---------------------------------------------------------------------------------------------------------------
# Progbar and ProgbarLogger


class FakeClock:
    def __init__(self, start=100.0):
        self.now = start

    def __call__(self):
        return self.now


class TTY(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(_progbar, "_now", fake)
    return fake


def test_progbar_verbose1_plain_output(clock, capsys):
    bar = callbacks.Progbar(50, verbose=1)
    clock.now += 1.0  # first step: 1 s (compilation), excluded from the per-step time
    bar.update(1, [("loss", 0.5)])
    clock.now += 11 * 0.02
    bar.update(12, [("loss", 0.3), ("accuracy", 0.9)])
    clock.now += 0.01  # within 0.05 s of the last redraw: not drawn
    bar.update(13, [("loss", 0.3)])
    out = capsys.readouterr().out.splitlines()
    # ETA after step 12: 38 steps x 20 ms = 0.76 s -> "1s". Loss: mean over steps weighted by steps covered.
    loss = (0.5 * 1 + 0.3 * 11) / 12
    assert out == [
        " 1/50 ──────────────────── 49s 1s/step - loss: 0.5000",
        f"12/50 ━━━━──────────────── 1s 20ms/step - loss: {loss:.4f} - accuracy: 0.9000",
    ]
    clock.now += 37 * 0.02
    bar.update(50, [("loss", 0.3)])
    last = capsys.readouterr().out
    assert last.endswith("\n") and last.startswith("50/50 ━━━━━━━━━━━━━━━━━━━━ 2s 20ms/step - loss: ")


def test_progbar_verbose1_tty_redraws_in_place(clock, monkeypatch):
    stream = TTY()
    monkeypatch.setattr(sys, "stdout", stream)
    bar = callbacks.Progbar(4, verbose=1, stateful_metrics=["loss"], width=4)
    for step in range(1, 5):
        clock.now += 0.1
        bar.update(step, [("loss", 1.0 / step)])
    text = stream.getvalue()
    assert text.count("\r") == 4 and text.endswith("\n") and text.count("\n") == 1
    final = text.rsplit("\r", 1)[1]
    assert final.startswith("4/4 \x1b[32m━━━━\x1b[0m") and "loss: 0.2500" in final  # stateful: shown as given


def test_progbar_unknown_target_and_verbose2(clock, capsys):
    bar = callbacks.Progbar(None, verbose=1)
    clock.now += 0.5
    bar.update(3, [("loss", 1.0)])
    assert capsys.readouterr().out == "      3/Unknown 0s 167ms/step - loss: 1.0000\n"
    bar = callbacks.Progbar(10, verbose=2)
    clock.now += 0.1
    bar.update(1, [("loss", 1.0)])
    clock.now += 0.9
    bar.update(10, [("loss", 1.0)])
    assert capsys.readouterr().out == "10/10 - 1s - 100ms/step - loss: 1.0000\n"


def test_progbar_logger_verbose2_one_line_per_epoch(clock, capsys):
    def epoch_logs(epoch):
        clock.now += 1.0
        return {"loss": 0.5 / (epoch + 1), "val_loss": 1e-4}

    fake_fit(FakeModel(), [], 2, 50, epoch_logs=epoch_logs, verbose=2)
    assert capsys.readouterr().out.splitlines() == [
        "Epoch 1/2",
        "50/50 - 1s - 20ms/step - loss: 0.5000 - val_loss: 1.0000e-04",
        "Epoch 2/2",
        "50/50 - 1s - 20ms/step - loss: 0.2500 - val_loss: 1.0000e-04",
    ]


def test_progbar_logger_verbose1_unknown_steps(clock, capsys):
    def batch_loss(epoch, step):
        clock.now += 0.01
        return 0.25

    fake_fit(FakeModel(), [], 2, None, batch_loss=batch_loss, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    # Epoch 1 counts steps (4), later epochs draw a bar out of 4; validation inside fit prints nothing.
    assert lines[0] == "Epoch 1/2" and lines[1].startswith("      1/Unknown")
    assert lines[-3] == "Epoch 2/2" and lines[-2].startswith("1/4 ━━━━━─────────────── 0s 10ms/step - loss: 0.2500")
    assert lines[-1].startswith("4/4 ━━━━━━━━━━━━━━━━━━━━ 0s 10ms/step - loss: 0.5000 - val_loss: 0.7500")


def test_progbar_logger_evaluate_and_predict(clock, capsys):
    cbs = callbacks.CallbackList([], add_progbar=True, verbose=2, epochs=1, steps=3)
    cbs.on_test_begin()
    for step in range(3):
        clock.now += 0.1
        cbs.on_test_batch_end(step, {"loss": 0.5})
    cbs.on_test_end({"loss": 0.5, "accuracy": 1.0})
    cbs.on_predict_begin()
    for step in range(3):
        clock.now += 0.1
        cbs.on_predict_batch_end(step, {"outputs": np.zeros(2)})
    cbs.on_predict_end()
    assert capsys.readouterr().out.splitlines() == [
        "3/3 - 0s - 100ms/step - loss: 0.5000 - accuracy: 1.0000",
        "3/3 - 0s - 100ms/step",
    ]


# ---------------------------------------------------------------------------------------------------------------
# TensorBoard

HAS_SUMMARY_WRITER = importlib.util.find_spec("tensorboard") is not None


def read_scalars(folder) -> dict:
    """{(tag, step): value} from the event files in `folder`, read with the proto module of the writer used."""
    event_pb2 = importlib.import_module("tensorboard.compat.proto.event_pb2")
    scalars = {}
    for path in glob.glob(os.path.join(folder, "events.out.tfevents.*")):
        data = open(path, "rb").read()
        offset = 0
        while offset < len(data):  # TFRecord framing: length, its crc, payload, payload crc
            (length,) = struct.unpack("<Q", data[offset : offset + 8])
            event = event_pb2.Event.FromString(data[offset + 12 : offset + 12 + length])
            offset += 16 + length
            for value in event.summary.value:
                if value.HasField("simple_value"):
                    number = value.simple_value
                elif value.tensor.float_val:
                    number = value.tensor.float_val[0]
                else:
                    number = np.frombuffer(value.tensor.tensor_content, "float32")[0]
                scalars[(value.tag, event.step)] = float(number)
    return scalars


@pytest.mark.skipif(not HAS_SUMMARY_WRITER, reason="the tensorboard package is not installed")
def test_tensorboard_writes_epoch_and_batch_scalars(tmp_path):
    board = callbacks.TensorBoard(log_dir=tmp_path, update_freq=2)
    epoch_logs = lambda e: {"loss": 1.0 + e, "val_loss": 2.0 + e}  # noqa: E731
    fake_fit(FakeModel(), [board], 2, 3, epoch_logs=epoch_logs, batch_loss=lambda e, s: 10.0 * e + s, validate=False)
    train, validation = read_scalars(tmp_path / "train"), read_scalars(tmp_path / "validation")
    np.testing.assert_allclose([train[("epoch_loss", 0)], train[("epoch_loss", 1)]], [1.0, 2.0])
    np.testing.assert_allclose([validation[("epoch_loss", 0)], validation[("epoch_loss", 1)]], [2.0, 3.0])
    # Every 2nd of 6 batches, step = batches since fit started: batch 1 of epoch 0, batches 0 and 2 of epoch 1.
    batch = {step: v for (tag, step), v in train.items() if tag == "batch_loss"}
    assert batch == {2: 1.0, 4: 10.0, 6: 12.0}


def test_tensorboard_without_writer_raises_import_error(monkeypatch):
    monkeypatch.setattr(_tensorboard_writer.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImportError, match=r"`pip install tensorboard`"):
        callbacks.TensorBoard("logs")
