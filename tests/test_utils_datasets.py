"""The dataset builders against Keras 3's (run in-process on TensorFlow): the same batches, labels, class names and
file splits, on folders the tests write. On TensorFlow kerasx returns tf.data datasets, elsewhere PyDatasets that
need no TensorFlow (checked in a fresh interpreter)."""

from __future__ import annotations

import os
import subprocess
import sys
import wave

import numpy as np
import pytest

import kerasx
from kerasx import utils
from kerasx.backend import backend

keras = pytest.importorskip("keras")
pytest.importorskip("tensorflow")
pytest.importorskip("PIL")

RNG = np.random.RandomState(1)
CLASSES = ("ant", "bee", "cat")


def _batches(dataset) -> list:
    """Every batch of one pass as NumPy (or bytes) structures."""
    def as_array(leaf):
        return np.array(leaf, dtype=object) if isinstance(leaf, bytes) else np.asarray(leaf)

    return [kerasx.tree.map_structure(as_array, batch) for batch in dataset]


def _assert_same_batches(ours, theirs, atol=0.0):
    ours, theirs = _batches(ours), _batches(theirs)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        kerasx.tree.assert_same_structure(kerasx.tree.lists_to_tuples(a), kerasx.tree.lists_to_tuples(b))
        for x, y in zip(kerasx.tree.flatten(a), kerasx.tree.flatten(b)):
            assert x.shape == y.shape and x.dtype == y.dtype, (x.shape, y.shape, x.dtype, y.dtype)
            if x.dtype == object:
                assert x.tolist() == y.tolist()
            else:
                np.testing.assert_allclose(x, y, atol=atol, rtol=0)


@pytest.fixture(scope="module")
def image_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("images")
    for index, name in enumerate(CLASSES):
        os.mkdir(root / name)
        for number in range(4 + index):
            height, width = RNG.randint(5, 14, size=2)
            pixels = RNG.randint(0, 256, size=(height, width, 3)).astype("uint8")
            if number == 1:
                pixels = pixels[:, :, :1]  # a grayscale PNG
            keras.utils.save_img(root / name / f"{number}.png", pixels, scale=False)
        if index == 0:
            keras.utils.save_img(root / name / "alpha.png", RNG.randint(0, 256, size=(6, 9, 4)), scale=False)
            (root / name / "notes.md").write_text("not an image")
            os.mkdir(root / name / "nested")
            keras.utils.save_img(root / name / "nested" / "deep.png", RNG.randint(0, 256, size=(7, 7, 3)), scale=False)
    os.mkdir(root / ".hidden")
    return root


IMAGE_CASES = [
    dict(),
    dict(label_mode="categorical", batch_size=4, image_size=(6, 5)),
    dict(color_mode="grayscale", image_size=8, interpolation="nearest"),
    dict(color_mode="rgba", interpolation="bicubic", image_size=(9, 4)),
    dict(interpolation="area", crop_to_aspect_ratio=True, image_size=(5, 8)),
    dict(interpolation="bilinear", pad_to_aspect_ratio=True, image_size=(10, 6)),
    dict(interpolation="lanczos3", image_size=(7, 7), batch_size=None),
    dict(interpolation="mitchellcubic", data_format="channels_first", image_size=(4, 6)),
    dict(labels=None, batch_size=5, image_size=(3, 3)),
    dict(class_names=["cat", "ant"], label_mode="binary", image_size=(4, 4)),
]


@pytest.mark.parametrize("kwargs", IMAGE_CASES, ids=repr)
def test_image_batches_match_keras(image_folder, kwargs):
    kwargs = {"image_size": (8, 8), **kwargs, "shuffle": False, "verbose": False}
    ours = utils.image_dataset_from_directory(image_folder, **kwargs)
    theirs = keras.utils.image_dataset_from_directory(image_folder, **kwargs)
    # The area and scale-and-translate kernels differ from TensorFlow's by float32 rounding only.
    atol = 1e-3 if kwargs.get("interpolation") in ("area", "lanczos3", "mitchellcubic") else 1e-4
    _assert_same_batches(ours, theirs, atol=atol)
    assert ours.class_names == theirs.class_names
    assert list(ours.file_paths) == list(theirs.file_paths)


def test_explicit_labels_match_keras(image_folder):
    count = len(keras.utils.image_dataset_from_directory(image_folder, labels=None, verbose=False).file_paths)
    labels = [index % 2 for index in range(count)]
    kwargs = dict(labels=labels, image_size=(5, 5), shuffle=False, batch_size=4, verbose=False)
    ours = utils.image_dataset_from_directory(image_folder, **kwargs)
    theirs = keras.utils.image_dataset_from_directory(image_folder, **kwargs)
    _assert_same_batches(ours, theirs, atol=1e-4)
    assert ours.class_names == theirs.class_names == ["0", "1"]


@pytest.mark.parametrize("subset", ["training", "validation", "both"])
def test_seeded_shuffle_and_validation_split_pick_the_files_keras_picks(image_folder, subset):
    kwargs = dict(image_size=(4, 4), shuffle=True, seed=1337, validation_split=0.3, subset=subset, batch_size=3,
                  verbose=False)
    ours = utils.image_dataset_from_directory(image_folder, **kwargs)
    theirs = keras.utils.image_dataset_from_directory(image_folder, **kwargs)
    pairs = list(zip(ours, theirs)) if subset == "both" else [(ours, theirs)]
    for ours_part, theirs_part in pairs:
        assert list(ours_part.file_paths) == list(theirs_part.file_paths)

        def samples(dataset):
            found = []
            for images, labels in dataset:
                found += [(np.asarray(image).round(3).tobytes(), int(label)) for image, label in zip(images, labels)]
            return sorted(found)

        # Keras adds a tf.data shuffle of its own, so the batches hold the same samples in another order.
        first_epoch = samples(ours_part)
        assert first_epoch == samples(theirs_part)
        assert samples(ours_part) == first_epoch  # a second epoch: reshuffled, the same samples


def test_shuffled_epochs_differ_but_repeat_with_the_seed(image_folder):
    def orders(seed):
        dataset = utils.image_dataset_from_directory(image_folder, image_size=(2, 2), batch_size=2, seed=seed,
                                                     verbose=False)
        return [[int(label) for _, labels in dataset for label in labels] for _ in range(3)]

    first = orders(7)
    assert first == orders(7)
    assert first[0] != first[1] or first[1] != first[2]
    assert sorted(first[0]) == sorted(first[1])


def test_builder_errors_match_keras(image_folder, tmp_path):
    cases = [
        dict(label_mode="sparse"),
        dict(color_mode="cmyk"),
        dict(image_size=(1, 2, 3)),
        dict(interpolation="cubic"),
        dict(validation_split=1.5, subset="training", seed=1),
        dict(validation_split=0.2),
        dict(subset="training"),
        dict(validation_split=0.2, subset="testing", seed=1),
        dict(validation_split=0.2, subset="training"),
        dict(label_mode="binary"),
        dict(class_names=["zebra"]),
        dict(labels=[0, 1]),
        dict(labels="folders"),
        dict(crop_to_aspect_ratio=True, pad_to_aspect_ratio=True),
    ]
    for kwargs in cases:
        with pytest.raises(ValueError) as ours:
            utils.image_dataset_from_directory(image_folder, verbose=False, **kwargs)
        with pytest.raises(ValueError):
            dataset = keras.utils.image_dataset_from_directory(image_folder, verbose=False, **kwargs)
            next(iter(dataset))
        assert str(ours.value)
    os.mkdir(tmp_path / "empty")
    with pytest.raises(ValueError, match="No images found in directory"):
        utils.image_dataset_from_directory(tmp_path / "empty", verbose=False)


@pytest.fixture(scope="module")
def text_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("texts")
    for index, name in enumerate(("neg", "pos")):
        os.mkdir(root / name)
        for number in range(5 + index):
            (root / name / f"{number}.txt").write_text(f"review {number} of {name}: " + "é" * number)
    return root


@pytest.mark.parametrize("kwargs", [dict(), dict(max_length=7, batch_size=3, label_mode="binary"),
                                    dict(labels=None, batch_size=None), dict(label_mode="categorical")], ids=repr)
def test_text_batches_match_keras(text_folder, kwargs):
    kwargs = {**kwargs, "shuffle": False, "verbose": False}
    ours = utils.text_dataset_from_directory(text_folder, **kwargs)
    theirs = keras.utils.text_dataset_from_directory(text_folder, **kwargs)
    _assert_same_batches(ours, theirs)
    assert ours.class_names == theirs.class_names


def test_text_validation_split_matches_keras(text_folder):
    kwargs = dict(seed=3, validation_split=0.25, subset="both", verbose=False)
    ours, theirs = utils.text_dataset_from_directory(text_folder, **kwargs), \
        keras.utils.text_dataset_from_directory(text_folder, **kwargs)
    for ours_part, theirs_part in zip(ours, theirs):
        def samples(dataset):
            return sorted((np.asarray(text).item(), int(label))
                          for texts, labels in dataset for text, label in zip(texts, labels))

        assert samples(ours_part) == samples(theirs_part)


def _write_wav(path, samples, rate=8000):
    with wave.open(str(path), "wb") as file:
        file.setnchannels(samples.shape[1])
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(samples.astype("<i2").tobytes())


@pytest.fixture(scope="module")
def audio_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("audio")
    for index, name in enumerate(("no", "yes")):
        os.mkdir(root / name)
        for number in range(3 + index):
            length = RNG.randint(20, 60)
            _write_wav(root / name / f"{number}.wav", RNG.randint(-32768, 32767, size=(length, 2)))
    return root


@pytest.mark.parametrize("kwargs", [dict(), dict(output_sequence_length=30, batch_size=2),
                                    dict(label_mode="categorical", batch_size=3), dict(labels=None, batch_size=None)],
                         ids=repr)
def test_audio_batches_match_keras(audio_folder, kwargs):
    kwargs = {**kwargs, "shuffle": False, "verbose": False}
    ours = utils.audio_dataset_from_directory(audio_folder, **kwargs)
    theirs = keras.utils.audio_dataset_from_directory(audio_folder, **kwargs)
    _assert_same_batches(ours, theirs)
    assert ours.class_names == theirs.class_names


def test_audio_ragged_and_sampling_rate(audio_folder):
    dataset = utils.audio_dataset_from_directory(audio_folder, ragged=True, shuffle=False, batch_size=5,
                                                 verbose=False)
    clips, _ = dataset[0]
    reference = next(iter(keras.utils.audio_dataset_from_directory(audio_folder, ragged=True, shuffle=False,
                                                                    batch_size=5, verbose=False)))[0]
    for clip, expected in zip(clips, reference):
        np.testing.assert_array_equal(clip, expected.numpy())
    assert utils.audio_dataset_from_directory(audio_folder, sampling_rate=8000, verbose=False, shuffle=False)
    with pytest.raises(ValueError, match="sampled at 8000 Hz, not at the requested sampling_rate=16000"):
        next(iter(utils.audio_dataset_from_directory(audio_folder, sampling_rate=16000, verbose=False)))
    with pytest.raises(ValueError, match="Cannot set both `ragged` and `output_sequence_length`"):
        utils.audio_dataset_from_directory(audio_folder, ragged=True, output_sequence_length=3)


TIMESERIES_CASES = [
    dict(sequence_length=5),
    dict(sequence_length=4, sequence_stride=3, sampling_rate=2, batch_size=3, start_index=2, end_index=40),
    dict(sequence_length=3, batch_size=None),
    dict(sequence_length=6, targets=None, batch_size=7),
]


@pytest.mark.parametrize("kwargs", TIMESERIES_CASES, ids=repr)
def test_timeseries_batches_match_keras(kwargs):
    data = np.arange(100, dtype="float32").reshape(50, 2)
    kwargs = {"targets": np.arange(50) * 10, **kwargs}
    _assert_same_batches(utils.timeseries_dataset_from_array(data, **kwargs),
                         keras.utils.timeseries_dataset_from_array(data, **kwargs))


def test_timeseries_shuffle_uses_keras_windows_and_errors_match():
    data, targets = np.arange(40), np.arange(40)
    ours = utils.timeseries_dataset_from_array(data, targets, 4, shuffle=True, seed=5, batch_size=8)
    theirs = keras.utils.timeseries_dataset_from_array(data, targets, 4, shuffle=True, seed=5, batch_size=8)

    def windows(dataset):
        return sorted(tuple(np.asarray(w).tolist()) for batch, _ in dataset for w in batch)

    assert windows(ours) == windows(theirs)
    for kwargs in (dict(start_index=-1), dict(start_index=40), dict(end_index=50), dict(start_index=5, end_index=3),
                   dict(sampling_rate=0), dict(sequence_stride=40)):
        with pytest.raises(ValueError) as error:
            utils.timeseries_dataset_from_array(data, targets, 4, **kwargs)
        with pytest.raises(ValueError, match=str(error.value).split(".")[0].split(" Received")[0]):
            keras.utils.timeseries_dataset_from_array(data, targets, 4, **kwargs)


@pytest.mark.parametrize("make", [
    lambda: np.arange(20).reshape(10, 2),
    lambda: (np.arange(10), np.arange(10) * 2),
    lambda: [np.arange(10.0), np.ones((10, 3))],
])
@pytest.mark.parametrize("sizes", [dict(left_size=0.8), dict(right_size=3), dict(left_size=4, right_size=0.2)])
@pytest.mark.parametrize("shuffle", [False, True])
def test_split_dataset_matches_keras(make, sizes, shuffle):
    ours = utils.split_dataset(make(), shuffle=shuffle, seed=11, **sizes)
    # Keras on torch gives torch subsets of arrays (its torch path); its tf.data path is the oracle here.
    theirs = keras.utils.split_dataset(make(), shuffle=shuffle, seed=11, preferred_backend="tensorflow", **sizes)
    for ours_part, theirs_part in zip(ours, theirs):
        _assert_same_batches(ours_part, theirs_part)


def test_split_dataset_batches_and_errors():
    left, right = utils.split_dataset((np.arange(10), np.arange(10)), left_size=6)
    batches = list(left.batch(4)) if hasattr(left, "batch") else []
    assert [len(x) for x, _ in batches] == [4, 2]
    for kwargs in (dict(), dict(left_size=0, right_size=0), dict(left_size=10), dict(left_size=1.5),
                   dict(left_size=0.6, right_size=0.6), dict(left_size=8, right_size=5)):
        with pytest.raises(ValueError):
            utils.split_dataset(np.arange(10), **kwargs)
        with pytest.raises(ValueError):
            keras.utils.split_dataset(np.arange(10), preferred_backend="tensorflow", **kwargs)
    with pytest.raises(TypeError, match="must be a NumPy array"):
        utils.split_dataset(5, left_size=1)


def test_native_dataset_kind_per_backend(image_folder):
    dataset = utils.image_dataset_from_directory(image_folder, image_size=(3, 3), verbose=False)
    if backend() == "tensorflow":
        assert type(dataset).__module__.startswith("tensorflow")
        assert dataset.class_names == list(CLASSES) and len(dataset) == 1
    else:
        assert isinstance(dataset, utils.PyDataset)
        # The tf.data methods Keras programs call on the result.
        mapped = dataset.map(lambda images, labels: (images / 255.0, labels)).prefetch(2).cache()
        images, labels = next(iter(mapped.take(1)))
        assert float(np.max(images)) <= 1.0 and mapped.class_names == list(CLASSES)


@pytest.mark.skipif(backend() in ("tensorflow", "numpy"), reason="engine-free datasets are for jax and torch; "
                    "the numpy backend does not train")
def test_fit_on_a_builder_dataset_without_tensorflow(image_folder):
    code = (
        "import sys, numpy as np, kerasx\n"
        f"ds = kerasx.utils.image_dataset_from_directory({str(image_folder)!r}, image_size=(6, 6), batch_size=4, "
        "seed=1, verbose=False)\n"
        "model = kerasx.Sequential([kerasx.layers.Flatten(), kerasx.layers.Dense(3)])\n"
        "model.compile('adam', kerasx.losses.SparseCategoricalCrossentropy(from_logits=True))\n"
        "history = model.fit(ds.map(lambda x, y: (x / 255.0, y)), epochs=8, verbose=0)\n"
        "losses = history.history['loss']\n"
        "assert losses[-1] < losses[0], losses\n"
        "assert 'tensorflow' not in sys.modules, 'TensorFlow was imported'\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "KERAS_BACKEND": backend()})
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stderr[-3000:]
