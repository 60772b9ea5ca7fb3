"""Functions over nested structures of lists, tuples, namedtuples, dicts and deques, as Keras 3's `keras.tree`.

Dicts are flattened in sorted-key order (an `OrderedDict` in its own order) and rebuilt in their own key order;
`None` is a leaf; subclasses of `list` and `dict` are leaves. This package imports nothing else of kerasx.
"""

from kerasx import _missing
from kerasx.tree._api import (
    MAP_TO_NONE,
    assert_same_paths,
    assert_same_structure,
    flatten,
    flatten_with_path,
    is_nested,
    lists_to_tuples,
    map_shape_structure,
    map_structure,
    map_structure_up_to,
    pack_sequence_as,
    traverse,
)

__all__ = [
    "MAP_TO_NONE",
    "assert_same_paths",
    "assert_same_structure",
    "flatten",
    "flatten_with_path",
    "is_nested",
    "lists_to_tuples",
    "map_shape_structure",
    "map_structure",
    "map_structure_up_to",
    "pack_sequence_as",
    "traverse",
]


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
