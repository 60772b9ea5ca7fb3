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

# TensorFlow's whitespace split: ASCII whitespace only.
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


# ASCII letters only, as TensorFlow's `strings.lower`. The tables work on UTF-8 bytes, where every byte of a
# non-ASCII character is >= 0x80 and so untouched: one `bytes.translate` over the whole batch joined by NUL replaces
# a `str.translate` (a dict lookup per character) per string.
_BYTE_LOWER = bytes.maketrans(string.ascii_uppercase.encode(), string.ascii_lowercase.encode())
_BYTE_SAME = bytes(range(256))
_BYTE_PUNCTUATION = string.punctuation.encode()


def _translate(texts: list, table: bytes, delete: bytes) -> list:
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:
        # A string holding a NUL would be cut in two: translate one string at a time.
        return [t.encode("utf-8").translate(table, delete).decode("utf-8") for t in texts]
    return joined.encode("utf-8").translate(table, delete).decode("utf-8").split("\x00")


def lower(texts: list) -> list:
    return _translate(texts, _BYTE_LOWER, b"") if texts else []


def strip_punctuation(texts: list) -> list:
    return _translate(texts, _BYTE_SAME, _BYTE_PUNCTUATION) if texts else []


def lower_and_strip_punctuation(texts: list) -> list:
    return _translate(texts, _BYTE_LOWER, _BYTE_PUNCTUATION) if texts else []


def split_whitespace(texts: list) -> list:
    # `str.split()` also splits on non-ASCII spaces (U+00A0, ...), which TensorFlow keeps: only ASCII text takes it.
    if "".join(texts).isascii():
        return [t.split() for t in texts]
    return [t.split() if t.isascii() else [w for w in _ASCII_WHITESPACE.split(t) if w] for t in texts]


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
