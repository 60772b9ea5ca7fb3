"""The switches of `kerasx.config` are honoured where Keras 3 honours them: traceback filtering in errors out of
`fit`/`predict`, layer calls and ops; interactive logging in the progress bar and `summary()`; the epoch and step
caps in `fit`, `evaluate` and `predict`. Each test runs the same program with kerasx and with Keras 3."""

from __future__ import annotations

import logging
import os
import traceback
import warnings

import numpy as np
import pytest

import kerasx
from kerasx.backend import _config, _traceback

keras = pytest.importorskip("keras")

KERAS_FOLDER = os.path.dirname(keras.__file__) + os.sep
TRAINS = kerasx.config.backend() != "numpy"


@pytest.fixture(autouse=True)
def _restore_settings():
    ours = dict(vars(_config.SETTINGS))
    yield
    vars(_config.SETTINGS).update(ours)
    keras.config.enable_traceback_filtering()
    keras.config.enable_interactive_logging()
    keras.config.set_max_epochs(None)
    keras.config.set_max_steps_per_epoch(None)


def _failing_layer(lib):
    class Failing(lib.layers.Layer):
        """Fails once armed, so that the model builds first (Keras's numpy backend traces `call` on real arrays, so
        "fail on real data" cannot tell the build from the predict)."""

        armed = False

        def call(self, inputs):
            if self.armed:
                raise RuntimeError("failing on purpose")
            return inputs

    return Failing()


def _frames(error, folder) -> tuple:
    """(frames inside `folder`, frames of this test file) in the traceback of `error`."""
    frames = traceback.extract_tb(error.__traceback__)
    return sum(f.filename.startswith(folder) for f in frames), sum(f.filename == __file__ for f in frames)


def _predict_error(lib):
    failing = _failing_layer(lib)
    model = lib.Sequential([lib.Input((2,)), failing])
    failing.armed = True
    with pytest.raises(RuntimeError, match="failing on purpose") as caught:
        model.predict(np.ones((4, 2), "float32"), verbose=0)
    return caught.value


def test_traceback_filtering_hides_internal_frames_as_keras_does():
    internal, own = _frames(_predict_error(kerasx), _traceback.PACKAGE_FOLDER)
    keras_internal, keras_own = _frames(_predict_error(keras), KERAS_FOLDER)
    # The re-raising frame of the filter is all that is left of the library, in both.
    assert internal == keras_internal == 1
    assert own == keras_own and own >= 2  # the call in this test and the layer's `call`


def test_disabled_traceback_filtering_shows_every_frame_as_keras_does():
    kerasx.config.disable_traceback_filtering()
    keras.config.disable_traceback_filtering()
    internal, own = _frames(_predict_error(kerasx), _traceback.PACKAGE_FOLDER)
    keras_internal, keras_own = _frames(_predict_error(keras), KERAS_FOLDER)
    assert internal > 3 and keras_internal > 3
    assert own == keras_own


def test_a_layer_call_error_is_filtered():
    layer = _failing_layer(kerasx)
    layer.armed = True
    with pytest.raises(RuntimeError) as caught:
        layer(np.ones((2, 2), "float32"))
    assert _frames(caught.value, _traceback.PACKAGE_FOLDER) == (1, 2)
    kerasx.config.disable_traceback_filtering()
    with pytest.raises(RuntimeError) as caught:
        layer(np.ones((2, 2), "float32"))
    assert _frames(caught.value, _traceback.PACKAGE_FOLDER)[0] > 1


def test_an_op_error_keeps_the_raising_frame_and_drops_the_rest():
    with pytest.raises(ValueError) as caught:
        kerasx.ops.reshape(kerasx.KerasTensor((2, 3)), (4,))
    frames = traceback.extract_tb(caught.value.__traceback__)
    internal = [f for f in frames if f.filename.startswith(_traceback.PACKAGE_FOLDER)]
    # The op's re-raise and, since every frame below it is kerasx's, the one that raised.
    assert len(internal) == 2 and "raise" in internal[-1].line
    kerasx.config.disable_traceback_filtering()
    with pytest.raises(ValueError) as caught:
        kerasx.ops.reshape(kerasx.KerasTensor((2, 3)), (4,))
    assert len(traceback.extract_tb(caught.value.__traceback__)) > len(frames)


def test_filtering_keeps_the_exception_cause():
    def fails():
        try:
            raise KeyError("inner")
        except KeyError as inner:
            raise ValueError("outer") from inner

    with pytest.raises(ValueError) as caught:
        _traceback.filter_traceback(fails)()
    assert isinstance(caught.value.__cause__, KeyError)


def _fit_and_summary(lib, capsys, caplog):
    model = lib.Sequential([lib.Input((2,)), lib.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with caplog.at_level(logging.INFO):
        model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, verbose=1)
        model.summary()
    return capsys.readouterr().out


@pytest.mark.skipif(not TRAINS, reason="the numpy backend does not train")
def test_disabled_interactive_logging_sends_progress_and_summary_to_logging(capsys, caplog):
    kerasx.config.disable_interactive_logging()
    keras.config.disable_interactive_logging()
    keras_out = _fit_and_summary(keras, capsys, caplog)
    # Keras 3 keeps its switches per thread, and its per-batch progress updates, which it runs on a callback
    # thread, still reach stdout; the epoch lines and the summary do not. kerasx's switch holds for the process.
    assert "Epoch" not in keras_out and "Model:" not in keras_out
    caplog.clear()
    assert _fit_and_summary(kerasx, capsys, caplog) == ""
    messages = [r.getMessage() for r in caplog.records if r.name == "kerasx"]
    assert messages[0] == "Epoch 1/2" and "Epoch 2/2" in messages
    assert any("loss:" in m for m in messages)
    summaries = [m for m in messages if m.startswith('Model: "sequential')]
    assert len(summaries) == 1 and "Trainable params: 3" in summaries[0]  # the whole table, one message, as Keras


@pytest.mark.skipif(not TRAINS, reason="the numpy backend does not train")
def test_interactive_logging_writes_to_stdout(capsys, caplog):
    out = _fit_and_summary(kerasx, capsys, caplog)
    assert "Epoch 1/2" in out and 'Model: "sequential' in out
    assert not [r for r in caplog.records if r.name == "kerasx"]


def _capped_run(lib):
    model = lib.Sequential([lib.Input((2,)), lib.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    batches = []
    counter = lib.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: batches.append(batch))
    x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(x, y, batch_size=2, epochs=5, verbose=0, callbacks=[counter], validation_data=(x, y))
        predictions = model.predict(x, batch_size=2, verbose=0)
    limits = sorted({str(w.message) for w in caught if "Limiting" in str(w.message)})
    return len(history.history["loss"]), batches, predictions.shape, limits


@pytest.mark.skipif(not TRAINS, reason="the numpy backend does not train")
def test_epoch_and_step_caps_match_keras():
    # Two epochs of two steps read the four batches once: a run that does not depend on whether the data restarts
    # at each epoch (kerasx) or goes on where the previous epoch stopped (Keras 3, for arrays).
    kerasx.config.set_max_epochs(2)
    kerasx.config.set_max_steps_per_epoch(2)
    keras.config.set_max_epochs(2)
    keras.config.set_max_steps_per_epoch(2)
    ours, theirs = _capped_run(kerasx), _capped_run(keras)
    assert ours == theirs
    assert ours == (2, [0, 1, 0, 1], (4, 1), ["Limiting epochs to 2", "Limiting steps_per_epoch to 2"])


def test_step_cap_applies_to_predict_without_training():
    model = kerasx.Sequential([kerasx.Input((2,)), kerasx.layers.Dense(1)])
    kerasx.config.set_max_steps_per_epoch(1)
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 1"):
        assert model.predict(np.ones((8, 2)), batch_size=2, verbose=0).shape == (2, 1)
    kerasx.config.set_max_steps_per_epoch(None)
    assert model.predict(np.ones((8, 2)), batch_size=2, verbose=0).shape == (8, 1)


@pytest.mark.parametrize(("switch", "argument", "engine_gets"), [
    ("enable", None, None), ("disable", None, False), ("disable", True, True), ("enable", False, False),
])
def test_dot_product_attention_reads_the_flash_switch(switch, argument, engine_gets, monkeypatch):
    getattr(kerasx.config, f"{switch}_flash_attention")()
    seen = []
    engine = kerasx.backend.active.nn.dot_product_attention

    def recording(*args):
        seen.append(args[7])  # the flash_attention argument of the engine contract
        return engine(*args)

    monkeypatch.setattr(kerasx.backend.active.nn, "dot_product_attention", recording)
    query = np.ones((1, 2, 1, 4), "float32")
    output = kerasx.ops.dot_product_attention(query, query, query, flash_attention=argument)
    assert seen == [engine_gets]
    np.testing.assert_allclose(kerasx.ops.convert_to_numpy(output), np.ones((1, 2, 1, 4)), rtol=1e-6)
