"""Host-side (NumPy) text work of the lookup and text layers: strings in, Python lists and NumPy arrays out.

No engine but TensorFlow has string tensors, so kerasx does text on the host on every engine. Each function
reproduces what Keras 3's TensorFlow string ops give: ASCII-only lower-casing (`tf.strings.lower` without an
encoding), the punctuation set of Keras's regular expression, splitting on ASCII whitespace (`tf.strings.split`),
Unicode code points for `split="character"` and space-joined n-grams in increasing width (`tf.strings.ngrams`).
"""

from __future__ import annotations

import re
import string

import numpy as np

# ASCII letters only: TensorFlow's `strings.lower` leaves other characters as they are.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_PUNCTUATION = re.compile("[" + re.escape(string.punctuation) + "]")
_ASCII_WHITESPACE = re.compile("[ \t\n\v\f\r]+")


def as_text_array(values, encoding: str = "utf-8") -> np.ndarray:
    """A NumPy array of Python `str` (object dtype) from strings, bytes (TensorFlow's), lists or arrays of them."""
    array = np.asarray(values, dtype=object) if isinstance(values, (list, tuple)) else np.asarray(values)
    if array.dtype.kind == "U":
        return array.astype(object)
    if array.dtype.kind in "SO":
        flat = [v.decode(encoding) if isinstance(v, bytes) else str(v) for v in array.reshape(-1).tolist()]
        return np.array(flat + [None], dtype=object)[:-1].reshape(array.shape)
    return array.astype(str).astype(object)


def lower(texts: list) -> list:
    return [t.translate(_ASCII_LOWER) for t in texts]


def strip_punctuation(texts: list) -> list:
    return [_PUNCTUATION.sub("", t) for t in texts]


def split_whitespace(texts: list) -> list:
    return [[token for token in _ASCII_WHITESPACE.split(t) if token] for t in texts]


def split_characters(texts: list) -> list:
    return [list(t) for t in texts]


def ngrams(rows: list, widths: tuple) -> list:
    """Each row's n-grams of every width of `widths`, in that order, tokens joined by a space; a row shorter than a
    width has none of it."""
    result = []
    for tokens in rows:
        grams = []
        for width in widths:
            if width == 1:
                grams.extend(tokens)
            else:
                grams.extend(" ".join(tokens[i : i + width]) for i in range(len(tokens) - width + 1))
        result.append(grams)
    return result


def as_object_array(values) -> np.ndarray:
    """An object array of `values` (a list of str, or anything a callable returned), without NumPy making a 2-D
    array out of equal-length rows."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array
