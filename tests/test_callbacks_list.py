"""Callback, CallbackList, History and LambdaCallback.

Driven directly through their hooks by the fake loop of tests/callback_fakes.py: no trainer, no engine work.
"""

from __future__ import annotations

import numpy as np
import pytest

from kerasx import callbacks
from callback_fakes import FakeModel, fake_fit, read_csv

# ---------------------------------------------------------------------------------------------------------------
# Callback, CallbackList, History


class Recorder(callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def __getattribute__(self, name):
        if name.startswith("on_") and name not in ("on_batch_begin", "on_batch_end"):
            calls = object.__getattribute__(self, "calls")
            return lambda *args: calls.append((name, *[a for a in args if isinstance(a, int)]))
        return object.__getattribute__(self, name)

    def _wants(self, hook):
        return True


def test_callback_list_hook_order():
    recorder = Recorder()
    fake_fit(FakeModel(), [recorder], epochs=2, steps=2)
    epoch = lambda e: [  # noqa: E731
        ("on_epoch_begin", e),
        ("on_train_batch_begin", 0),
        ("on_train_batch_end", 0),
        ("on_train_batch_begin", 1),
        ("on_train_batch_end", 1),
        ("on_test_begin",),
        ("on_test_batch_begin", 0),
        ("on_test_batch_end", 0),
        ("on_test_batch_begin", 1),
        ("on_test_batch_end", 1),
        ("on_test_end",),
        ("on_epoch_end", e),
    ]
    assert recorder.calls == [("on_train_begin",), *epoch(0), *epoch(1), ("on_train_end",)]


def test_callback_list_order_params_and_defaults():
    model = FakeModel()
    first, second = callbacks.Callback(), callbacks.TerminateOnNaN()
    cbs = callbacks.CallbackList([first, second], add_history=True, add_progbar=True, model=model, verbose=2, epochs=3)
    expected = [callbacks.Callback, callbacks.TerminateOnNaN, callbacks.History, callbacks.ProgbarLogger]
    assert [type(c) for c in cbs] == expected
    assert all(c.model is model for c in cbs)
    assert all(c.params == {"verbose": 2, "epochs": 3} for c in cbs)
    assert model.history is cbs.callbacks[2]
    # A History or ProgbarLogger already given is used, not duplicated.
    history = callbacks.History()
    cbs = callbacks.CallbackList([history], add_history=True, add_progbar=False, model=model)
    assert cbs.callbacks == [history] and model.history is history
    # Appending later sets model and params too.
    cbs.append(first)
    assert len(cbs) == 2 and first.model is model


def test_callback_list_calls_only_implementing_callbacks():
    class OldStyle(callbacks.Callback):
        """Overrides the Keras 2 name only."""

        def __init__(self):
            super().__init__()
            self.batches = []

        def on_batch_end(self, batch, logs=None):
            self.batches.append((batch, logs["loss"]))

    old = OldStyle()
    seen = []
    lambda_callback = callbacks.LambdaCallback(on_test_batch_end=lambda batch, logs: seen.append(batch))
    cbs = callbacks.CallbackList([old, lambda_callback], add_history=True, add_progbar=True, verbose=0, steps=3)
    assert cbs._call_on_train_batch_end == (old.on_train_batch_end,)
    assert cbs._call_on_test_batch_end == (lambda_callback.on_test_batch_end,)
    assert cbs._call_on_train_batch_begin == ()
    assert [m.__self__ for m in cbs._call_on_epoch_end] == [cbs.callbacks[2]]  # only History
    cbs.on_train_batch_end(4, {"loss": 0.25})
    cbs.on_test_batch_end(7, {})
    assert old.batches == [(4, 0.25)] and seen == [7]


@pytest.mark.parametrize("verbose", [0, 2])
def test_callback_list_batches_print_nothing_below_verbose_one(verbose, capsys):
    """History plus a progress bar at verbose 0 or 2 write nothing per batch (what each batch costs in these hooks is
    measured in benchmarks/bench_callback_overhead.py, not here)."""
    cbs = callbacks.CallbackList([], add_history=True, add_progbar=True, verbose=verbose, epochs=1, steps=100)
    cbs.on_train_begin()
    cbs.on_epoch_begin(0)
    capsys.readouterr()
    for step in range(100):
        cbs.on_train_batch_begin(step, {"loss": 0.5})
        cbs.on_train_batch_end(step, {"loss": 0.5})
    assert capsys.readouterr().out == ""


def test_callback_list_rejects_non_callbacks():
    with pytest.raises(TypeError, match=r"Received: callbacks\[1\]=.*of type function.*LambdaCallback"):
        callbacks.CallbackList([callbacks.History(), read_csv])


def test_history_records_epoch_logs():
    model = FakeModel()
    history = fake_fit(model, [], epochs=3, steps=2)
    assert isinstance(history, callbacks.History)
    assert history.epoch == [0, 1, 2]
    np.testing.assert_allclose(history.history["loss"], [1.0, 1 / 2, 1 / 3])
    np.testing.assert_allclose(history.history["val_loss"], [1.5, 1.5 / 2, 1.5 / 3])


def test_lambda_callback():
    events = []
    callback = callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: events.append(("epoch_end", epoch, logs["loss"])),
        on_train_begin=lambda logs: events.append(("train_begin",)),
        on_predict_end=lambda logs: events.append(("predict_end",)),
    )
    fake_fit(FakeModel(), [callback], epochs=2, steps=1)
    callbacks.CallbackList([callback]).on_predict_end()
    assert events == [("train_begin",), ("epoch_end", 0, 1.0), ("epoch_end", 1, 0.5), ("predict_end",)]
    with pytest.raises(TypeError, match="unexpected keyword argument 'on_epoch_finish'"):
        callbacks.LambdaCallback(on_epoch_finish=print)
    with pytest.raises(TypeError, match="Received: on_epoch_end=3"):
        callbacks.LambdaCallback(on_epoch_end=3)
