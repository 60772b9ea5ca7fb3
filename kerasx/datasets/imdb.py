"""IMDB movie reviews for sentiment classification: `load_data`, `get_word_index`."""

from kerasx import _missing
from kerasx.datasets._text import imdb_word_index as get_word_index
from kerasx.datasets._text import load_imdb as load_data

__all__ = ["get_word_index", "load_data"]

__getattr__ = _missing.missing_name_hook(__name__)
