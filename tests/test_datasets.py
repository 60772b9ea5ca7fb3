"""kerasx.datasets against Keras 3's loaders, from the same small files in the real formats, served by a loopback HTTP
server (no network): the module's origin constant is pointed at the server and its hash at the file's; Keras's
`get_file` is pointed at the same server (without its published hash) and its own cache folder. Also the download
failures: a wrong hash, a truncated download and an interrupted one leave nothing in the cache.
"""

import gzip
import hashlib
import http.server
import inspect
import io
import json
import os
import pickle
import tarfile
import threading

import numpy as np
import pytest

import kerasx
from kerasx.datasets import _cifar, _digits, _housing, _text
from kerasx.utils import _download

keras = pytest.importorskip("keras")
keras_datasets = pytest.importorskip("keras.src.datasets")

BACKEND = kerasx.backend.backend()
KERAS_ORIGINS = ("https://storage.googleapis.com/tensorflow/tf-keras-datasets/", "https://www.cs.toronto.edu/~kriz/")
LOADERS = {
    "mnist": ("load_data",), "fashion_mnist": ("load_data",), "cifar10": ("load_data",),
    "cifar100": ("load_data",), "imdb": ("load_data", "get_word_index"),
    "reuters": ("load_data", "get_word_index", "get_label_names"), "boston_housing": ("load_data",),
    "california_housing": ("load_data",),
}


class _Server:
    """Serves `files` ({name: bytes}); `mode[name]` = "truncate" declares the full length but sends half."""

    def __init__(self):
        self.files, self.mode, self.requests = {}, {}, []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                name = self.path.rsplit("/", 1)[-1]
                server.requests.append(name)
                body = server.files.get(name)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if server.mode.get(name) == "truncate" else body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def add(self, name: str, body: bytes) -> str:
        self.files[name] = body
        return hashlib.sha256(body).hexdigest()


@pytest.fixture(scope="module")
def server():
    served = _Server()
    yield served
    served.httpd.shutdown()


@pytest.fixture
def homes(tmp_path, monkeypatch, server):
    """kerasx's cache in tmp/kerasx (no Keras copy to reuse); Keras's loaders fetch from the server into tmp/keras."""
    monkeypatch.setenv("KERASX_HOME", str(tmp_path / "kerasx"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    for module in (_digits, _text, _housing):
        monkeypatch.setattr(module, "ORIGIN_FOLDER", server.url)
    monkeypatch.setattr(_cifar, "CIFAR10_ORIGIN", server.url + "cifar-10-python.tar.gz")
    monkeypatch.setattr(_cifar, "CIFAR100_ORIGIN", server.url + "cifar-100-python.tar.gz")
    keras_get_file = keras.utils.get_file

    def local_get_file(*args, **kwargs):
        origin = kwargs.pop("origin")
        for published in KERAS_ORIGINS:
            origin = origin.replace(published, server.url)
        kwargs.update(origin=origin, file_hash=None, cache_dir=str(tmp_path / "keras"))
        return keras_get_file(*args, **kwargs)

    for name in LOADERS:
        monkeypatch.setattr(getattr(keras_datasets, name), "get_file", local_get_file)
    return tmp_path


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _ragged(rng, count: int, vocabulary: int = 40) -> np.ndarray:
    sequences = np.empty(count, dtype="object")
    for i in range(count):
        sequences[i] = [int(w) for w in rng.randint(1, vocabulary, size=rng.randint(2, 12))]
    return sequences


def _assert_same(actual, expected):
    if isinstance(expected, (tuple, list)) and not isinstance(expected, np.ndarray):
        assert type(actual) is type(expected) and len(actual) == len(expected)
        for a, e in zip(actual, expected):
            _assert_same(a, e)
        return
    if isinstance(expected, np.ndarray):
        assert isinstance(actual, np.ndarray)
        assert actual.dtype == expected.dtype and actual.shape == expected.shape
        if expected.dtype == object:
            assert [list(x) for x in actual] == [list(x) for x in expected]
        else:
            np.testing.assert_array_equal(actual, expected)
        return
    assert actual == expected


def test_signatures_are_keras_3s():
    for module, names in LOADERS.items():
        for name in names:
            ours = inspect.signature(getattr(getattr(kerasx.datasets, module), name)).parameters
            theirs = inspect.signature(getattr(getattr(keras.datasets, module), name)).parameters
            assert [(p.name, p.kind, p.default) for p in ours.values()] == [
                (p.name, p.kind, p.default) for p in theirs.values()
            ], f"{module}.{name}"


def test_mnist_and_fashion_mnist(homes, server, monkeypatch):
    rng = np.random.RandomState(0)
    arrays = {"x_train": rng.randint(0, 256, (5, 28, 28)).astype("uint8"), "y_train": np.arange(5, dtype="uint8"),
              "x_test": rng.randint(0, 256, (3, 28, 28)).astype("uint8"), "y_test": np.arange(3, dtype="uint8")}
    monkeypatch.setattr(_digits, "MNIST_HASH", server.add("mnist.npz", _npz(**arrays)))
    _assert_same(kerasx.datasets.mnist.load_data(), keras.datasets.mnist.load_data())
    for split, count in (("train", 4), ("t10k", 2)):
        server.add(f"{split}-labels-idx1-ubyte.gz", gzip.compress(bytes(8) + rng.randint(0, 10, count).astype("uint8").tobytes()))
        images = rng.randint(0, 256, count * 28 * 28).astype("uint8").tobytes()
        server.add(f"{split}-images-idx3-ubyte.gz", gzip.compress(bytes(16) + images))
    _assert_same(kerasx.datasets.fashion_mnist.load_data(), keras.datasets.fashion_mnist.load_data())
    assert sorted(os.listdir(homes / "kerasx" / "datasets" / "fashion-mnist")) == sorted(_digits.FASHION_FILES)


def _tar_gz(members: dict) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=1) as archive:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    return buffer.getvalue()


def _batch(images: np.ndarray, **labels) -> bytes:
    # The published batches are Python 2 pickles with bytes keys; protocol 4 writes bytes without the
    # `_codecs.encode` global that protocol 2 needs in Python 3 (and that both loaders refuse).
    batch = {b"data": images.reshape(len(images), -1)} | {key.encode(): value for key, value in labels.items()}
    return pickle.dumps(batch, protocol=4)


def test_cifar100_both_label_modes(homes, server, monkeypatch):
    rng = np.random.RandomState(1)
    members = {}
    for split, count in (("train", 6), ("test", 4)):
        images = rng.randint(0, 256, (count, 3, 32, 32)).astype("uint8")
        members[f"cifar-100-python/{split}"] = _batch(images, fine_labels=[int(v) for v in rng.randint(0, 100, count)],
                                                      coarse_labels=[int(v) for v in rng.randint(0, 20, count)])
    monkeypatch.setattr(_cifar, "CIFAR100_HASH", server.add("cifar-100-python.tar.gz", _tar_gz(members)))
    for label_mode in ("fine", "coarse"):
        _assert_same(kerasx.datasets.cifar100.load_data(label_mode), keras.datasets.cifar100.load_data(label_mode))
    with pytest.raises(ValueError, match="label_mode"):
        kerasx.datasets.cifar100.load_data("medium")


def test_cifar10_batches_are_read_as_keras_reads_them(homes, server, monkeypatch):
    rng = np.random.RandomState(5)
    members, batches = {}, []
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        images = rng.randint(0, 256, (3, 3, 32, 32)).astype("uint8")
        members[f"cifar-10-batches-py/{name}"] = _batch(images, labels=[int(v) for v in rng.randint(0, 10, 3)])
        batches.append((images, None))
    monkeypatch.setattr(_cifar, "CIFAR10_HASH", server.add("cifar-10-python.tar.gz", _tar_gz(members)))
    (x_train, y_train), (x_test, y_test) = kerasx.datasets.cifar10.load_data()
    # Keras's own batch parser on the files kerasx extracted (its load_data needs five batches of 10,000: below).
    folder = homes / "kerasx" / "datasets" / _cifar.CIFAR10_NAME / "cifar-10-batches-py"
    parsed = [keras_datasets.cifar.load_batch(str(folder / name)) for name in sorted(os.listdir(folder))]
    expected_x = np.concatenate([images for images, _ in parsed[:5]]).transpose(0, 2, 3, 1)
    np.testing.assert_array_equal(x_train, expected_x)
    np.testing.assert_array_equal(y_train[:, 0], np.concatenate([labels for _, labels in parsed[:5]]))
    np.testing.assert_array_equal(x_test, parsed[5][0].transpose(0, 2, 3, 1))
    np.testing.assert_array_equal(y_test[:, 0], parsed[5][1])
    assert (x_train.dtype, y_train.dtype, x_test.dtype, y_test.dtype) == (np.uint8,) * 4
    assert x_train.shape == (15, 32, 32, 3) and y_test.shape == (3, 1)


# Slow (180 MB of batches, about 10 s alone): it runs in the `applications` sessions with the other slow tests.
@pytest.mark.applications
@pytest.mark.skipif(BACKEND != "numpy", reason="NumPy-only loader: one backend reads the full-size CIFAR-10 batches")
def test_cifar10_full_size_batches(homes, server, monkeypatch):
    # Keras 3 reads exactly five training batches of 10,000 images: the archive holds batches of that size, of
    # low-entropy pixels so that it stays small.
    pattern = (np.arange(10000 * 3072) % 251).astype("uint8").reshape(10000, 3, 32, 32)
    members = {f"cifar-10-batches-py/data_batch_{i}": _batch(pattern + i, labels=[(j + i) % 10 for j in range(10000)])
               for i in range(1, 6)}
    members["cifar-10-batches-py/test_batch"] = _batch(pattern[:7], labels=list(range(7)))
    monkeypatch.setattr(_cifar, "CIFAR10_HASH", server.add("cifar-10-python.tar.gz", _tar_gz(members)))
    ours, theirs = kerasx.datasets.cifar10.load_data(), keras.datasets.cifar10.load_data()
    _assert_same(ours, theirs)
    assert ours[0][0].shape == (50000, 32, 32, 3) and ours[1][1].dtype == np.uint8


IMDB_CASES = [{}, {"num_words": 20, "skip_top": 3, "maxlen": 9, "seed": 7}, {"start_char": None, "oov_char": None,
              "index_from": 0, "num_words": 15}, {"start_char": None, "index_from": 2}]


def test_imdb_and_reuters(homes, server, monkeypatch):
    rng = np.random.RandomState(2)
    monkeypatch.setattr(_text, "IMDB_HASH", server.add("imdb.npz", _npz(
        x_train=_ragged(rng, 12), y_train=rng.randint(0, 2, 12), x_test=_ragged(rng, 9), y_test=rng.randint(0, 2, 9))))
    monkeypatch.setattr(_text, "REUTERS_HASH", server.add("reuters.npz", _npz(
        x=_ragged(rng, 20), y=rng.randint(0, 46, 20))))
    words = json.dumps({"the": 1, "a": 2, "film": 3}).encode()
    monkeypatch.setattr(_text, "IMDB_WORD_INDEX_HASH", hashlib.md5(words).hexdigest())
    monkeypatch.setattr(_text, "REUTERS_WORD_INDEX_HASH", hashlib.md5(words).hexdigest())
    server.add("imdb_word_index.json", words)
    server.add("reuters_word_index.json", words)
    for kwargs in IMDB_CASES:
        _assert_same(kerasx.datasets.imdb.load_data(**kwargs), keras.datasets.imdb.load_data(**kwargs))
        _assert_same(kerasx.datasets.reuters.load_data(test_split=0.3, **kwargs),
                     keras.datasets.reuters.load_data(test_split=0.3, **kwargs))
    with pytest.raises(ValueError, match="maxlen=2"):
        kerasx.datasets.imdb.load_data(maxlen=2)
    assert kerasx.datasets.imdb.get_word_index() == keras.datasets.imdb.get_word_index() == {"the": 1, "a": 2,
                                                                                           "film": 3}
    assert kerasx.datasets.reuters.get_word_index() == keras.datasets.reuters.get_word_index()
    assert kerasx.datasets.reuters.get_label_names() == keras.datasets.reuters.get_label_names()


def test_boston_and_california_housing(homes, server, monkeypatch):
    rng = np.random.RandomState(3)
    monkeypatch.setattr(_housing, "BOSTON_HASH", server.add("boston_housing.npz", _npz(
        x=rng.rand(21, 13), y=rng.rand(21))))
    monkeypatch.setattr(_housing, "CALIFORNIA_HASH", server.add("california_housing.npz", _npz(
        x=rng.rand(650, 8).astype("float32"), y=rng.rand(650).astype("float32"))))
    for kwargs in ({}, {"test_split": 0.5, "seed": 3}, {"test_split": 0.0}):
        _assert_same(kerasx.datasets.boston_housing.load_data(**kwargs), keras.datasets.boston_housing.load_data(**kwargs))
        for version in ("large", "small"):
            _assert_same(kerasx.datasets.california_housing.load_data(version, **kwargs),
                         keras.datasets.california_housing.load_data(version, **kwargs))
    with pytest.raises(ValueError, match="version"):
        kerasx.datasets.california_housing.load_data("medium")
    with pytest.raises(ValueError, match="test_split"):
        kerasx.datasets.boston_housing.load_data(test_split=1)


def _cache_files(homes) -> list:
    folder = homes / "kerasx" / "datasets"
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_failed_downloads_leave_nothing_in_the_cache(homes, server, monkeypatch):
    body = _npz(x=np.arange(60000.0).reshape(-1, 12), y=np.zeros(5000))  # several download chunks
    right_hash = server.add("boston_housing.npz", body)

    monkeypatch.setattr(_housing, "BOSTON_HASH", "0" * 64)
    with pytest.raises(ValueError, match="hash"):
        kerasx.datasets.boston_housing.load_data()
    assert _cache_files(homes) == []

    monkeypatch.setattr(_housing, "BOSTON_HASH", right_hash)
    server.mode["boston_housing.npz"] = "truncate"
    with pytest.raises(OSError, match="closed after"):
        kerasx.datasets.boston_housing.load_data()
    assert _cache_files(homes) == []
    server.mode.clear()

    class Interrupted(_download.Progbar):
        def update(self, current, *args, **kwargs):
            if current > 0 and not kwargs.get("finalize"):
                raise KeyboardInterrupt
            super().update(current, *args, **kwargs)

    monkeypatch.setattr(_download, "Progbar", Interrupted)
    with pytest.raises(KeyboardInterrupt):
        kerasx.datasets.boston_housing.load_data()
    assert _cache_files(homes) == []
    monkeypatch.undo()

    # The same origin, whole: loaded and kept under its name.
    monkeypatch.setenv("KERASX_HOME", str(homes / "kerasx"))
    monkeypatch.setattr(_housing, "ORIGIN_FOLDER", server.url)
    monkeypatch.setattr(_housing, "BOSTON_HASH", right_hash)
    (x_train, _), (x_test, _) = kerasx.datasets.boston_housing.load_data()
    assert len(x_train) + len(x_test) == 5000 and _cache_files(homes) == ["boston_housing.npz"]


def test_a_keras_download_is_reused(homes, server, monkeypatch):
    rng = np.random.RandomState(4)
    body = _npz(x=rng.rand(10, 13), y=rng.rand(10))
    monkeypatch.setattr(_housing, "BOSTON_HASH", server.add("boston_housing.npz", body))
    keras_copy = homes / "keras_home" / "datasets" / "boston_housing.npz"
    keras_copy.parent.mkdir(parents=True)
    keras_copy.write_bytes(body)
    before = len(server.requests)
    kerasx.datasets.boston_housing.load_data()
    assert len(server.requests) == before and _cache_files(homes) == []
