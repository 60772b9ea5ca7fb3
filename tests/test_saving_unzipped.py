"""`model.save(path, zipped=False)`: the `.keras` archive's three files in a folder, as Keras 3 writes it; kerasx and
Keras 3 (in-process, same backend) read each other's folders and predict the same."""

import os

import numpy as np
import pytest

import kerasx
import support
from kerasx import layers, saving

keras = pytest.importorskip("keras")

X = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
Y = np.random.default_rng(1).normal(size=(4, 2)).astype("float32")


def _model(library, seed=0):
    library.utils.set_random_seed(seed)
    model = library.Sequential([library.Input((3,)), library.layers.Dense(5, activation="relu"), library.layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    return model


def test_save_unzipped_writes_the_archive_members_as_files_and_loads_back(tmp_path):
    model = _model(kerasx)
    if support.TRAINS:
        model.train_on_batch(X, Y)
    folder = tmp_path / "model"
    model.save(folder, zipped=False)
    assert sorted(os.listdir(folder)) == ["config.json", "metadata.json", "model.weights.h5"]
    restored = saving.load_model(folder)
    support.assert_close(restored.predict(X, verbose=0), model.predict(X, verbose=0), rtol=0, atol=0)
    # The folder holds what the zip holds: the same model comes back from either.
    model.save(tmp_path / "model.keras")
    zipped = saving.load_model(tmp_path / "model.keras")
    assert zipped.get_config() == restored.get_config()
    if support.TRAINS:
        assert int(restored.optimizer.iterations) == int(model.optimizer.iterations) == 1


def test_keras_reads_kerasx_folder(tmp_path):
    model = _model(kerasx)
    model.save(tmp_path / "model", zipped=False)
    theirs = keras.saving.load_model(tmp_path / "model")
    support.assert_close(np.asarray(theirs.predict(X, verbose=0)), model.predict(X, verbose=0), atol=1e-6)


def test_kerasx_reads_keras_folder(tmp_path):
    model = _model(keras)
    model.save(str(tmp_path / "model"), zipped=False)
    ours = saving.load_model(tmp_path / "model")
    support.assert_close(ours.predict(X, verbose=0), np.asarray(model.predict(X, verbose=0)), atol=1e-6)


def test_overwrite_replaces_the_folder_and_overwrite_false_refuses(tmp_path):
    folder = tmp_path / "model"
    _model(kerasx, seed=1).save(folder, zipped=False)
    second = _model(kerasx, seed=2)
    second.save(folder, zipped=False)
    support.assert_close(saving.load_model(folder).predict(X, verbose=0), second.predict(X, verbose=0), atol=0)
    assert sorted(os.listdir(tmp_path)) == ["model"]  # no temporary folder left beside it
    with pytest.raises(FileExistsError, match="overwrite=False"):
        second.save(folder, zipped=False, overwrite=False)


def test_unzipped_path_errors(tmp_path):
    model = _model(kerasx)
    # As in Keras 3: a folder may not carry the archive's suffix.
    with pytest.raises(ValueError, match=r"zipped=False.*must not end in `\.keras`.*filepath="):
        model.save(tmp_path / "model.keras", zipped=False)
    with pytest.raises(ValueError, match="must not end in `.h5`"):
        model.save(tmp_path / "model.h5", zipped=False)
    (tmp_path / "taken").write_bytes(b"x")
    with pytest.raises(FileExistsError, match="a file of that name exists"):
        model.save(tmp_path / "taken", zipped=False)
    with pytest.raises(ValueError, match="must end in `.keras`"):
        model.save(tmp_path / "model")  # zipped by default


def test_folder_members_are_checked(tmp_path):
    model = _model(kerasx)
    folder = tmp_path / "model"
    model.save(folder, zipped=False)
    os.remove(folder / "model.weights.h5")
    with pytest.raises(ValueError, match="the model folder has no 'model.weights.h5' file"):
        saving.load_model(folder)
    model.save(folder, zipped=False)
    weights = folder / "model.weights.h5"
    os.replace(weights, tmp_path / "elsewhere.h5")
    os.symlink(tmp_path / "elsewhere.h5", weights)
    with pytest.raises(ValueError, match="is a link or not a regular file"):
        saving.load_model(folder)
    model.save(folder, zipped=False)
    original = saving.limits.MAX_CONFIG_BYTES
    saving.limits.MAX_CONFIG_BYTES = 10
    try:
        with pytest.raises(ValueError, match=r"'config.json' holds \d+ bytes, above the limit of 10"):
            saving.load_model(folder)
    finally:
        saving.limits.MAX_CONFIG_BYTES = original


def test_directory_without_config_is_not_a_model(tmp_path):
    with pytest.raises(IsADirectoryError, match="directory without a config.json"):
        saving.load_model(tmp_path)


def test_unzipped_layers_model_round_trip_keeps_weights(tmp_path):
    inputs = kerasx.Input((3,))
    outputs = layers.Dense(2, name="head")(layers.Dense(4, activation="tanh")(inputs))
    model = kerasx.Model(inputs, outputs)
    model.save(tmp_path / "functional", zipped=False)
    restored = saving.load_model(tmp_path / "functional")
    for ours, theirs in zip(restored.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(ours, theirs)


def _lookup_model(library):
    lookup = library.layers.StringLookup()
    lookup.adapt(np.array(["a", "b", "b", "c", "c", "c"]))
    inputs = library.Input((1,), dtype="string")
    return library.Model(inputs, lookup(inputs))


def test_unzipped_folder_keeps_assets_both_ways(tmp_path):
    # An adapted vocabulary is an asset file (assets/layers/string_lookup/vocabulary.txt), not part of the config.
    ours, theirs = _lookup_model(kerasx), _lookup_model(keras)
    ours.save(tmp_path / "ours", zipped=False)
    theirs.save(str(tmp_path / "theirs"), zipped=False)
    vocabulary = ["[UNK]", "c", "b", "a"]
    for folder in ("ours", "theirs"):
        assert os.listdir(tmp_path / folder / "assets" / "layers" / "string_lookup") == ["vocabulary.txt"]
        restored = saving.load_model(tmp_path / folder)
        assert restored.layers[-1].get_vocabulary() == vocabulary
        assert support.to_numpy(restored(np.array([["c"], ["a"], ["z"]]))).ravel().tolist() == [1, 3, 0]
    assert keras.saving.load_model(tmp_path / "ours").layers[-1].get_vocabulary() == vocabulary


def test_unzipped_assets_are_checked(tmp_path, monkeypatch):
    _lookup_model(kerasx).save(tmp_path / "model", zipped=False)
    asset = tmp_path / "model" / "assets" / "layers" / "string_lookup" / "vocabulary.txt"
    monkeypatch.setattr(saving.limits, "MAX_ASSETS_BYTES", 4)
    with pytest.raises(ValueError, match=r"assets/ folder hold \d+ bytes, above the limit of 4 bytes"):
        saving.load_model(tmp_path / "model")
    monkeypatch.undo()
    outside = tmp_path / "secret.txt"
    outside.write_text("x\n")
    asset.unlink()
    asset.symlink_to(outside)
    with pytest.raises(ValueError, match="string_lookup/vocabulary.txt' in the model folder is a link"):
        saving.load_model(tmp_path / "model")
