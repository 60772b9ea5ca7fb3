"""TensorBoard with every Keras 3 argument: event files of scalars, histograms, images, the model config and
embedding checkpoints, read back record by record on every engine (TensorFlow stays unimported on jax and torch),
with TensorBoard's own EventAccumulator and against Keras 3's TensorBoard where TensorFlow is loaded anyway."""

import glob
import io
import os
import re
import struct

import numpy as np
import pytest

import kerasx
import support
from kerasx import callbacks

pytest.importorskip("tensorboard")
event_pb2 = pytest.importorskip("tensorboard.compat.proto.event_pb2")
tensor_util = pytest.importorskip("tensorboard.util.tensor_util")

RNG = np.random.default_rng(0)
X = RNG.normal(size=(16, 4)).astype("float32")
Y = RNG.normal(size=(16, 1)).astype("float32")
def read_events(folder) -> list:
    """[(tag, step, plugin name, value)] of every summary in the event files of `folder`, in file order.

    The value: a float for scalars, the (k, 3) buckets of a histogram, the list of encoded strings of an image or
    model-config summary.
    """
    found = []
    for path in sorted(glob.glob(os.path.join(folder, "events.out.tfevents.*"))):
        data = open(path, "rb").read()
        offset = 0
        while offset < len(data):  # TFRecord framing: length, its crc, payload, payload crc
            (length,) = struct.unpack("<Q", data[offset : offset + 8])
            event = event_pb2.Event.FromString(data[offset + 12 : offset + 12 + length])
            offset += 16 + length
            for value in event.summary.value:
                array = tensor_util.make_ndarray(value.tensor)
                plugin = value.metadata.plugin_data.plugin_name
                if plugin == "scalars":
                    array = float(array)
                found.append((value.tag, event.step, plugin, array))
    return found


def _by_tag(events) -> dict:
    table = {}
    for tag, step, plugin, value in events:
        table.setdefault(tag, []).append((step, plugin, value))
    return table


def _model(lib):
    model = lib.Sequential([lib.Input((4,)), lib.layers.Dense(3, name="hidden"), lib.layers.Dense(1, name="out")])
    model.set_weights([np.linspace(-1, 1, w.size, dtype="float32").reshape(w.shape) for w in model.get_weights()])
    model.compile(optimizer=lib.optimizers.SGD(0.05), loss="mse")
    return model


def _fit(lib, log_dir, epochs=2, **options):
    model = _model(lib)
    board = lib.callbacks.TensorBoard(log_dir=str(log_dir), **options)
    history = model.fit(X, Y, batch_size=4, epochs=epochs, verbose=0, shuffle=False, validation_data=(X, Y),
                        callbacks=[board])
    return model, history.history


@support.needs_gradients
def test_every_summary_is_written_with_keras_tags_and_steps(tmp_path):
    model, history = _fit(kerasx, tmp_path, histogram_freq=1, write_images=True, write_steps_per_second=True,
                          update_freq=2)
    train, validation = _by_tag(read_events(tmp_path / "train")), _by_tag(read_events(tmp_path / "validation"))
    # The model config for the graph view, once, at step 0.
    ((step, plugin, value),) = train["keras"]
    assert (step, plugin) == (0, "graph_keras_model") and value.item().decode() == model.to_json()
    # Epoch scalars: the logs, the learning rate and the speed; validation logs without their prefix.
    assert [(s, v) for s, _, v in train["epoch_loss"]] == pytest.approx(list(enumerate(history["loss"])))
    assert [v for _, _, v in train["epoch_learning_rate"]] == pytest.approx([0.05, 0.05])
    assert all(v > 0 for _, _, v in train["epoch_steps_per_second"])
    assert [(s, v) for s, _, v in validation["epoch_loss"]] == pytest.approx(list(enumerate(history["val_loss"])))
    # After each validation: the evaluation logs at the optimizer's iteration count (4 steps per epoch).
    assert [s for s, _, _ in validation["evaluation_loss_vs_iterations"]] == [4, 8]
    # Every 2nd training batch of 8: steps 2, 4, 6, 8.
    assert [s for s, _, _ in train["batch_loss"]] == [2, 4, 6, 8]
    assert [s for s, _, _ in train["batch_steps_per_second"]] == [2, 4, 6, 8]
    # A histogram and an image of each weight at each epoch.
    for weight in model.weights:
        histograms = train[f"{weight.path}/histogram"]
        assert [(s, p) for s, p, _ in histograms] == [(0, "histograms"), (1, "histograms")]
        buckets = histograms[-1][2]
        assert buckets.shape == (30, 3) and buckets[:, 2].sum() == weight.numpy().size
        np.testing.assert_allclose([buckets[0, 0], buckets[-1, 1]], [weight.numpy().min(), weight.numpy().max()],
                                   rtol=1e-6)
        if weight.numpy().size > 1:  # a single number squeezes to a scalar: no image, as in Keras
            assert [(s, p) for s, p, _ in train[f"{weight.path}/image"]] == [(0, "images"), (1, "images")]
        else:
            assert f"{weight.path}/image" not in train


@support.needs_gradients
def test_weight_images_are_the_weights_as_keras_lays_them_out(tmp_path):
    image_module = pytest.importorskip("PIL.Image")
    model, _ = _fit(kerasx, tmp_path, epochs=1, histogram_freq=1, write_images=True, write_graph=False)
    train = _by_tag(read_events(tmp_path / "train"))
    kernel = model.get_layer("hidden").kernel.numpy()  # (4, 3): taller than wide, so it is shown transposed
    width, height, png = train[f"{model.get_layer('hidden').kernel.path}/image"][0][2]
    assert (int(width), int(height)) == (4, 3)
    pixels = np.asarray(image_module.open(io.BytesIO(png)))
    np.testing.assert_array_equal(pixels, np.clip(kernel.T * 255.5, 0, 255).astype("uint8"))


@support.needs_gradients
def test_embeddings_write_projector_config_and_checkpoints_like_keras(tmp_path):
    def embedding_model(lib):
        inputs = lib.Input((3,), dtype="int32")
        hidden = lib.layers.Embedding(10, 4, name="words")(inputs)
        model = lib.Model(inputs, lib.layers.Dense(1)(lib.layers.Flatten()(hidden)))
        model.compile(optimizer="sgd", loss="mse")
        return model

    model = embedding_model(kerasx)
    board = callbacks.TensorBoard(log_dir=str(tmp_path / "ours"), embeddings_freq=2,
                                  embeddings_metadata={"words": "vocab.tsv"}, write_graph=False)
    tokens = RNG.integers(0, 10, size=(8, 3)).astype("int32")
    model.fit(tokens, RNG.normal(size=(8, 1)).astype("float32"), epochs=3, verbose=0, callbacks=[board])
    assert sorted(os.listdir(tmp_path / "ours" / "train"))[-2:] == [
        "keras_embedding.ckpt-0.weights.h5", "keras_embedding.ckpt-2.weights.h5",
    ]
    restored = embedding_model(kerasx)
    restored.load_weights(tmp_path / "ours" / "train" / "keras_embedding.ckpt-2.weights.h5")
    np.testing.assert_array_equal(restored.get_layer("words").embeddings.numpy(),
                                  model.get_layer("words").embeddings.numpy())
    ours = (tmp_path / "ours" / "projector_config.pbtxt").read_text()
    keras = pytest.importorskip("keras")
    (tmp_path / "theirs").mkdir()  # Keras 3 writes the file without creating its folder
    theirs_board = keras.callbacks.TensorBoard(log_dir=str(tmp_path / "theirs"), embeddings_freq=1,
                                               embeddings_metadata={"words": "vocab.tsv"}, write_graph=False)
    theirs_board.set_model(embedding_model(keras))
    assert ours == (tmp_path / "theirs" / "projector_config.pbtxt").read_text()
    with pytest.raises(ValueError, match=r"Unrecognized `Embedding` layer names .*\['nope'\]"):
        callbacks.TensorBoard(str(tmp_path / "bad"), embeddings_freq=1, embeddings_metadata={"nope": "x"}).set_model(
            embedding_model(kerasx))


def test_profile_batch_is_checked_as_keras_checks_it(tmp_path):
    with pytest.raises(ValueError, match="profile_batch must be a non-negative integer"):
        callbacks.TensorBoard(str(tmp_path), profile_batch=(3, 1))
    with pytest.raises(ValueError, match="profile_batch must be a non-negative integer"):
        callbacks.TensorBoard(str(tmp_path), profile_batch="a,b")
    if support.BACKEND in ("torch", "numpy"):
        with pytest.raises(ValueError, match=f"not yet available with the {support.BACKEND} backend"):
            callbacks.TensorBoard(str(tmp_path), profile_batch=2)
    else:
        with pytest.warns(UserWarning, match="does not run the .* profiler"):
            callbacks.TensorBoard(str(tmp_path), profile_batch="2,3")
    assert callbacks.TensorBoard(str(tmp_path), profile_batch=0).profile_batch == 0


TF_FREE_FIT = """
import sys
import numpy as np
import kerasx
model = kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2)])
model.compile(optimizer="sgd", loss="mse")
board = kerasx.callbacks.TensorBoard(log_dir={log_dir!r}, histogram_freq=1, write_images=True, update_freq=1)
model.fit(np.ones((8, 3)), np.ones((8, 2)), batch_size=4, epochs=1, verbose=0, callbacks=[board])
print("tensorflow" in sys.modules)
"""


@support.needs_gradients
def test_tensorflow_is_not_imported_to_write_events(tmp_path):
    if support.BACKEND == "tensorflow":
        pytest.skip("TensorFlow is this session's engine")
    # A process of its own: other tests of this session (Keras 3 oracles, tf_keras files) import TensorFlow.
    log_dir = tmp_path / "logs"
    code = TF_FREE_FIT.format(log_dir=str(log_dir))
    result = support.run_python(code, tmp_path, env={"KERAS_BACKEND": support.BACKEND})
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split()[-1:] == ["False"]
    assert read_events(log_dir / "train")  # events were written


@support.needs_gradients
@pytest.mark.skipif(support.BACKEND != "tensorflow",
                    reason="Keras 3's TensorBoard and EventAccumulator import TensorFlow: compared on its session")
def test_event_files_match_keras_and_load_in_tensorboard(tmp_path):
    keras = pytest.importorskip("keras")
    accumulator = pytest.importorskip("tensorboard.backend.event_processing.plugin_event_accumulator")
    options = dict(histogram_freq=1, write_images=True, update_freq=2)
    _, ours_history = _fit(kerasx, tmp_path / "ours", **options)
    _, theirs_history = _fit(keras, tmp_path / "theirs", **options)
    for run in ("train", "validation"):
        ours, theirs = _by_tag(read_events(tmp_path / "ours" / run)), _by_tag(read_events(tmp_path / "theirs" / run))
        # The weight tags follow the variable paths, which start with the Sequential model's name
        # ("sequential/hidden/kernel"), numbered after the models each library made before ("sequential_5").
        theirs = {re.sub(r"^sequential(_\d+)?/", "", tag): value for tag, value in theirs.items()}
        written = sorted(ours)
        ours = {re.sub(r"^sequential(_\d+)?/", "", tag): value for tag, value in ours.items()}
        assert sorted(ours) == sorted(theirs)
        for tag in theirs:
            assert [(s, p) for s, p, _ in ours[tag]] == [(s, p) for s, p, _ in theirs[tag]], tag
            for (_, plugin, mine), (_, _, reference) in zip(ours[tag], theirs[tag]):
                if plugin == "scalars":
                    np.testing.assert_allclose(mine, reference, rtol=1e-4, atol=1e-5, err_msg=tag)
                elif plugin == "histograms":
                    # Same edges; a weight trained to within 1e-7 of an edge may fall in the next bucket.
                    np.testing.assert_allclose(mine[:, :2], reference[:, :2], rtol=1e-4, atol=1e-5, err_msg=tag)
                    assert np.abs(np.cumsum(mine[:, 2]) - np.cumsum(reference[:, 2])).max() <= 1, tag
        loaded = accumulator.EventAccumulator(str(tmp_path / "ours" / run))
        loaded.Reload()
        assert sorted(loaded.Tags()["tensors"]) == written
