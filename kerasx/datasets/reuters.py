"""Reuters newswires for topic classification: `load_data`, `get_word_index`, `get_label_names`."""

from kerasx import _missing
from kerasx.datasets._text import load_reuters as load_data
from kerasx.datasets._text import reuters_label_names as get_label_names
from kerasx.datasets._text import reuters_word_index as get_word_index

__all__ = ["get_label_names", "get_word_index", "load_data"]

__getattr__ = _missing.missing_name_hook(__name__)
