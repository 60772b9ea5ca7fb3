"""IMDB movie reviews (sentiment) and Reuters newswires (46 topics), as sequences of word indices.

Both loaders shuffle with `seed`, shift every index by `index_from` (0 is padding, `start_char` marks the start,
`oov_char` replaces words outside `[skip_top, num_words)`), and drop sequences of `maxlen` words or more, in that
order, as Keras 3 does; the returned arrays are object arrays of Python lists.
"""

from __future__ import annotations

import json

import numpy as np

from kerasx.datasets import _safe_pickle
from kerasx.utils import _download

# Where Keras 3 downloads them from (tests point this at a local copy), and the files' hashes.
ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
IMDB_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
IMDB_WORD_INDEX_HASH = "bfafd718b763782e994055a2d397834f"
REUTERS_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
REUTERS_WORD_INDEX_HASH = "4d44cc38712099c9e383dc6e5f11a921"
REUTERS_LABELS = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply", "coffee", "sugar",
    "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas", "cpi", "money-fx", "interest", "gnp",
    "meal-feed", "alum", "oilseed", "gold", "tin", "strategic-metal", "livestock", "retail", "ipi", "iron-steel",
    "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog",
    "lead",
)

NOTHING_KEPT = (
    "After filtering for sequences shorter than maxlen={maxlen}, no sequence was kept. Received: maxlen={maxlen}; "
    "increase it."
)


def _shuffled(rng: np.random.RandomState, *arrays: np.ndarray) -> tuple:
    indices = np.arange(len(arrays[0]))
    rng.shuffle(indices)
    return tuple(array[indices] for array in arrays)


def _shift(sequences, start_char, index_from) -> list:
    if start_char is not None:
        return [[start_char] + [w + index_from for w in x] for x in sequences]
    return [[w + index_from for w in x] for x in sequences]


def _shorter_than(maxlen: int, sequences: list, labels) -> tuple:
    kept = [(x, y) for x, y in zip(sequences, labels) if len(x) < maxlen]
    return [x for x, _ in kept], [y for _, y in kept]


def _vocabulary(sequences: list, num_words, skip_top: int, oov_char) -> list:
    # Without num_words the largest index bounds the range, itself excluded, as in Keras 3.
    if not num_words:
        num_words = max(max(x) for x in sequences)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in sequences]
    return [[w for w in x if skip_top <= w < num_words] for x in sequences]


def load_imdb(path: str = "imdb.npz", num_words: int | None = None, skip_top: int = 0, maxlen: int | None = None,
              seed: int = 113, start_char: int | None = 1, oov_char: int | None = 2, index_from: int = 3,
              **kwargs) -> tuple:
    """Loads the IMDB reviews: `(x_train, y_train), (x_test, y_test)`, 25,000 each, labels 1 (positive) / 0.

    Words are indexed by frequency (3 + rank by default; see `get_word_index`). The file is downloaded once (hash
    checked) into `~/.kerasx/datasets` (a copy Keras 3 downloaded to `~/.keras/datasets` is reused).

    Args:
        path: the file's name in the cache.
        num_words: keep the `num_words - 1` most frequent indices; others become `oov_char` (or are dropped).
        skip_top: the most frequent indices below this become `oov_char` (or are dropped).
        maxlen: drop sequences of `maxlen` words or more.
        seed: the shuffle's seed.
        start_char: the index marking each sequence's start (None: no marker).
        oov_char: the index of words left out by `num_words`/`skip_top` (None: they are dropped).
        index_from: added to every word index.
        **kwargs: accepted and ignored, as by Keras 3.

    Returns:
        `x_train`, `x_test`: object arrays of lists of ints; `y_train`, `y_test`: int arrays.

    Example:
        >>> from kerasx.datasets import imdb
        >>> imdb.load_data.__defaults__  # (no network in examples: tests load small copies)
        ('imdb.npz', None, 0, None, 113, 1, 2, 3)
    """
    del kwargs
    path = _download.get_file(fname=path, origin=f"{ORIGIN_FOLDER}imdb.npz", file_hash=IMDB_HASH)
    data = _safe_pickle.load_npz(path)
    rng = np.random.RandomState(seed)
    x_train, labels_train = _shuffled(rng, data["x_train"], data["y_train"])
    x_test, labels_test = _shuffled(rng, data["x_test"], data["y_test"])
    if start_char is not None or index_from:
        x_train, x_test = _shift(x_train, start_char, index_from), _shift(x_test, start_char, index_from)
    else:
        x_train, x_test = [list(x) for x in x_train], [list(x) for x in x_test]
    if maxlen:
        x_train, labels_train = _shorter_than(maxlen, x_train, labels_train)
        x_test, labels_test = _shorter_than(maxlen, x_test, labels_test)
        if not x_train or not x_test:
            raise ValueError(NOTHING_KEPT.format(maxlen=maxlen))
    sequences = _vocabulary(x_train + x_test, num_words, skip_top, oov_char)
    labels = np.concatenate([labels_train, labels_test])
    split = len(x_train)
    return ((np.array(sequences[:split], dtype="object"), labels[:split]),
            (np.array(sequences[split:], dtype="object"), labels[split:]))


def _word_index(path: str, file_name: str, file_hash: str) -> dict:
    path = _download.get_file(path, origin=ORIGIN_FOLDER + file_name, file_hash=file_hash)
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def imdb_word_index(path: str = "imdb_word_index.json") -> dict:
    """The IMDB vocabulary, `{word: index}` (1 is the most frequent word; add `index_from` to match `load_data`).

    Args:
        path: the file's name in the cache (`~/.kerasx/datasets`).

    Returns:
        A dict from words to their indices.

    Example:
        >>> from kerasx.datasets import imdb
        >>> imdb.get_word_index.__defaults__
        ('imdb_word_index.json',)
    """
    return _word_index(path, "imdb_word_index.json", IMDB_WORD_INDEX_HASH)


def load_reuters(path: str = "reuters.npz", num_words: int | None = None, skip_top: int = 0,
                 maxlen: int | None = None, test_split: float = 0.2, seed: int = 113, start_char: int | None = 1,
                 oov_char: int | None = 2, index_from: int = 3) -> tuple:
    """Loads the Reuters newswires: `(x_train, y_train), (x_test, y_test)`, 11,228 wires over 46 topics
    (`get_label_names`), split after shuffling.

    Words are indexed by frequency (3 + rank by default; see `get_word_index`). The file is downloaded once (hash
    checked) into `~/.kerasx/datasets` (a copy Keras 3 downloaded to `~/.keras/datasets` is reused).

    Args:
        path: the file's name in the cache.
        num_words: keep the `num_words - 1` most frequent indices; others become `oov_char` (or are dropped).
        skip_top: the most frequent indices below this become `oov_char` (or are dropped).
        maxlen: drop sequences of `maxlen` words or more.
        test_split: the fraction of the wires kept for testing.
        seed: the shuffle's seed.
        start_char: the index marking each sequence's start (None: no marker).
        oov_char: the index of words left out by `num_words`/`skip_top` (None: they are dropped).
        index_from: added to every word index.

    Returns:
        `x_train`, `x_test`: object arrays of lists of ints; `y_train`, `y_test`: int arrays of topics.

    Example:
        >>> from kerasx.datasets import reuters
        >>> reuters.load_data.__defaults__
        ('reuters.npz', None, 0, None, 0.2, 113, 1, 2, 3)
    """
    path = _download.get_file(fname=path, origin=f"{ORIGIN_FOLDER}reuters.npz", file_hash=REUTERS_HASH)
    data = _safe_pickle.load_npz(path)
    sequences, labels = _shuffled(np.random.RandomState(seed), data["x"], data["y"])
    if start_char is not None or index_from:
        sequences = _shift(sequences, start_char, index_from)
    if maxlen:
        sequences, labels = _shorter_than(maxlen, sequences, labels)
    sequences = _vocabulary(sequences, num_words, skip_top, oov_char)
    split = int(len(sequences) * (1 - test_split))
    return ((np.array(sequences[:split], dtype="object"), np.array(labels[:split])),
            (np.array(sequences[split:], dtype="object"), np.array(labels[split:])))


def reuters_word_index(path: str = "reuters_word_index.json") -> dict:
    """The Reuters vocabulary, `{word: index}` (1 is the most frequent word; add `index_from` to match
    `load_data`).

    Args:
        path: the file's name in the cache (`~/.kerasx/datasets`).

    Returns:
        A dict from words to their indices.

    Example:
        >>> from kerasx.datasets import reuters
        >>> reuters.get_word_index.__defaults__
        ('reuters_word_index.json',)
    """
    return _word_index(path, "reuters_word_index.json", REUTERS_WORD_INDEX_HASH)


def reuters_label_names() -> tuple:
    """The 46 Reuters topics, in the order of the labels `load_data` returns.

    Example:
        >>> from kerasx.datasets import reuters
        >>> reuters.get_label_names()[:4], len(reuters.get_label_names())
        (('cocoa', 'grain', 'veg-oil', 'earn'), 46)
    """
    return REUTERS_LABELS
