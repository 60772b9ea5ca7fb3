"""The callbacks and callback options Keras 3 added: RemoteMonitor (real HTTP POSTs to a loopback server),
SwapEMAWeights (weights swapped for validation, compared with Keras 3), TerminateOnNaN(raise_error),
BackupAndRestore(double_checkpoint) and ReduceLROnPlateau(baseline), each inside a real `fit`."""

import http.server
import json
import os
import threading
import urllib.parse

import numpy as np
import pytest

import kerasx
import support
from kerasx import callbacks

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(0)
X = RNG.normal(size=(16, 3)).astype("float32")
Y = (X @ np.array([[1.0], [-2.0], [0.5]], "float32") + 0.3).astype("float32")


def _model(lib, **optimizer_kwargs):
    model = lib.Sequential([lib.layers.Input((3,)), lib.layers.Dense(1)])
    model.set_weights([np.linspace(-0.5, 0.5, 3, dtype="float32").reshape(3, 1), np.array([0.1], "float32")])
    model.compile(optimizer=lib.optimizers.SGD(learning_rate=0.05, **optimizer_kwargs), loss="mse")
    return model


class _Recorder(http.server.BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 - the name http.server calls
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, dict(self.headers), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Recorder.received = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.received
    finally:
        httpd.shutdown()
        httpd.server_close()


@support.needs_gradients
def test_remote_monitor_posts_each_epoch_as_a_form_field(server):
    root, received = server
    model = _model(kerasx)
    monitor = callbacks.RemoteMonitor(root=root, path="/epochs/", field="payload", headers={"X-Run": "7"})
    history = model.fit(X, Y, batch_size=8, epochs=3, verbose=0, callbacks=[monitor])
    assert [path for path, _, _ in received] == ["/epochs/"] * 3
    for epoch, (_, headers, body) in enumerate(received):
        assert headers["X-Run"] == "7"
        assert headers["Content-Type"] == "application/x-www-form-urlencoded"
        fields = urllib.parse.parse_qs(body.decode())
        sent = json.loads(fields["payload"][0])
        assert sent["epoch"] == epoch
        assert sent["loss"] == pytest.approx(history.history["loss"][epoch], rel=1e-6)


def test_remote_monitor_json_body_matches_what_keras_sends(server):
    root, received = server
    logs = {"loss": np.float32(0.25), "val_loss": np.array(0.5), "acc": 1.0}
    callbacks.RemoteMonitor(root=root, send_as_json=True).on_epoch_end(2, logs)
    keras.callbacks.RemoteMonitor(root=root, send_as_json=True).on_epoch_end(2, logs)
    (ours_path, ours_headers, ours_body), (keras_path, _, keras_body) = received
    assert ours_path == keras_path == "/publish/epoch/end/"
    assert ours_headers["Content-Type"] == "application/json"
    assert json.loads(ours_body) == json.loads(keras_body) == {"epoch": 2, "loss": 0.25, "val_loss": 0.5, "acc": 1.0}


def test_remote_monitor_warns_when_the_server_is_unreachable():
    # A port nothing listens on (bound, then closed) on the loopback interface.
    probe = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    port = probe.server_address[1]
    probe.server_close()
    with pytest.warns(UserWarning, match="Could not reach RemoteMonitor root server"):
        callbacks.RemoteMonitor(root=f"http://127.0.0.1:{port}").on_epoch_end(0, {"loss": 1.0})


@support.needs_gradients
def test_terminate_on_nan_raise_error_stops_fit_at_once():
    model = _model(kerasx)
    y = Y.copy()
    y[9] = np.nan  # the second batch of 8 has a NaN target: its loss is NaN
    seen = []
    recorder = callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(batch))
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 1"):
        stopper = callbacks.TerminateOnNaN(raise_error=True)
        model.fit(X, y, batch_size=8, epochs=2, verbose=0, shuffle=False, callbacks=[stopper, recorder])
    assert seen == [0]  # the callback raised before the next one saw batch 1
    model = _model(kerasx)
    history = model.fit(X, y, batch_size=8, epochs=2, verbose=0, shuffle=False, callbacks=[callbacks.TerminateOnNaN()])
    assert len(history.history["loss"]) == 1


@support.needs_gradients
def test_backup_and_restore_double_checkpoint_falls_back_to_the_previous_backup(tmp_path):
    backup_dir = tmp_path / "backup"

    class Interrupt(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 2:
                raise KeyboardInterrupt

    model = _model(kerasx)
    backup = callbacks.BackupAndRestore(backup_dir, double_checkpoint=True)
    weights_after = []
    keep = callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: weights_after.append(model.get_weights()))
    with pytest.raises(KeyboardInterrupt):
        model.fit(X, Y, batch_size=8, epochs=5, verbose=0, callbacks=[keep, backup, Interrupt()])
    metadata = json.loads((backup_dir / "training_metadata.json").read_text())
    assert metadata["epoch"] == 3 and metadata["previous"]["epoch"] == 2
    # The latest backup is damaged: the next fit resumes from the one before it (after epoch index 1).
    (backup_dir / metadata["weights"]).write_bytes(b"not an HDF5 file")
    resumed = _model(kerasx)
    starts = []
    probe = callbacks.LambdaCallback(on_epoch_begin=lambda epoch, logs: starts.append(epoch))
    restored = []
    snapshot = callbacks.LambdaCallback(on_train_begin=lambda logs: restored.append(resumed.get_weights()))
    resumed.fit(X, Y, batch_size=8, epochs=3, verbose=0,
                callbacks=[callbacks.BackupAndRestore(backup_dir, double_checkpoint=True), snapshot, probe])
    assert starts == [2]
    for actual, expected in zip(restored[0], weights_after[1]):
        np.testing.assert_array_equal(actual, expected)
    assert not backup_dir.exists()


@support.needs_gradients
def test_backup_and_restore_without_double_checkpoint_keeps_one_backup(tmp_path):
    backup_dir = tmp_path / "backup"
    model = _model(kerasx)
    model.fit(X, Y, batch_size=8, epochs=3, verbose=0,
              callbacks=[callbacks.BackupAndRestore(backup_dir, delete_checkpoint=False)])
    assert sorted(os.listdir(backup_dir)) == [
        "backup-000003.optimizer.npz", "backup-000003.weights.h5", "training_metadata.json",
    ]
    (backup_dir / "backup-000003.weights.h5").write_bytes(b"damaged")
    with pytest.raises(ValueError, match="not a readable HDF5 file"):
        _model(kerasx).fit(X, Y, epochs=4, verbose=0, callbacks=[callbacks.BackupAndRestore(backup_dir)])


def test_reduce_lr_on_plateau_accepts_baseline_and_ignores_it_as_keras_does():
    ours = callbacks.ReduceLROnPlateau(monitor="loss", baseline=0.01, patience=0, factor=0.5)
    theirs = keras.callbacks.ReduceLROnPlateau(monitor="loss", baseline=0.01, patience=0, factor=0.5)
    for lib, callback in ((kerasx, ours), (keras, theirs)):
        model = _model(lib)
        callback.set_model(model)
        callback.on_train_begin()
        callback.on_epoch_end(0, {"loss": 1.0})  # an improvement over "no value yet", whatever the baseline
        assert float(lib.ops.convert_to_numpy(model.optimizer.learning_rate)) == pytest.approx(0.05)


def _ema_fit(lib, swap_on_epoch):
    model = _model(lib, use_ema=True, ema_momentum=0.5)
    seen = []
    recorder = lib.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(model.get_weights()))
    history = model.fit(X, Y, batch_size=4, epochs=3, verbose=0, shuffle=False, validation_data=(X, Y),
                        callbacks=[lib.callbacks.SwapEMAWeights(swap_on_epoch=swap_on_epoch), recorder])
    return history.history, seen, model.get_weights(), model


@support.needs_gradients
@pytest.mark.parametrize("swap_on_epoch", [False, True])
def test_swap_ema_weights_in_fit_matches_keras(swap_on_epoch):
    ours, theirs = _ema_fit(kerasx, swap_on_epoch), _ema_fit(keras, swap_on_epoch)
    for key in ("loss", "val_loss"):
        support.assert_close(np.array(ours[0][key]), np.array(theirs[0][key]), rtol=1e-5, atol=1e-6)
    # What callbacks after it see at each epoch end: the averages with swap_on_epoch, else the trained weights.
    for ours_weights, keras_weights in zip(ours[1], theirs[1]):
        for actual, expected in zip(ours_weights, keras_weights):
            support.assert_close(actual, expected, rtol=1e-5, atol=1e-6)
    if swap_on_epoch:
        for actual, expected in zip(ours[2], theirs[2]):
            support.assert_close(actual, expected, rtol=1e-5, atol=1e-6)


@support.needs_gradients
def test_swap_ema_weights_evaluate_uses_the_averages_and_restores_the_weights():
    model = _model(kerasx, use_ema=True, ema_momentum=0.5)
    model.fit(X, Y, batch_size=4, epochs=2, verbose=0, shuffle=False)
    trained = model.get_weights()
    averages = [kerasx.ops.convert_to_numpy(a) for a in model.optimizer._averages]
    swap = callbacks.SwapEMAWeights()
    ema_loss = model.evaluate(X, Y, verbose=0, callbacks=[swap])
    predicted = model.predict(X, verbose=0, callbacks=[swap])
    for actual, expected in zip(model.get_weights(), trained):
        np.testing.assert_array_equal(actual, expected)
    kernel, bias = averages
    support.assert_close(predicted, X @ kernel + bias, rtol=1e-5, atol=1e-6)
    support.assert_close(ema_loss, np.mean((X @ kernel + bias - Y) ** 2), rtol=1e-5, atol=1e-6)


def test_swap_ema_weights_needs_an_ema_optimizer():
    model = _model(kerasx)
    swap = callbacks.SwapEMAWeights()
    swap.set_model(model)
    with pytest.raises(ValueError, match="create it with `use_ema=True`"):
        swap.on_test_begin()
