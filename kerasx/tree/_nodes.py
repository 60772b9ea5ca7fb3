"""What counts as a node of a nested structure, in which order its children come, and how it is rebuilt.

The nodes are those of Keras 3 (which uses optree's defaults): `list`, `tuple`, namedtuples, struct sequences
(`time.struct_time`, `os.stat_result`), `dict`, `collections.OrderedDict`, `collections.defaultdict` and
`collections.deque`. Everything else is a leaf, subclasses of `list` and `dict` included; `None` is a leaf unless a
caller asks otherwise (`map_structure(..., none_is_leaf=False)`).

A dict's children come in sorted-key order (an `OrderedDict` keeps its own order); a rebuilt dict keeps the key
order of the dict it was built from.
"""

from __future__ import annotations

import collections

LEAF = 0
LIST = 1
TUPLE = 2
NAMEDTUPLE = 3
STRUCTSEQ = 4
DICT = 5
ORDEREDDICT = 6
DEFAULTDICT = 7
DEQUE = 8
NONE = 9  # None as a node without children (none_is_leaf=False)

KIND_NAMES = {
    LIST: "list",
    TUPLE: "tuple",
    NAMEDTUPLE: "collections.namedtuple",
    STRUCTSEQ: "PyStructSequence",
    DICT: "dict",
    ORDEREDDICT: "collections.OrderedDict",
    DEFAULTDICT: "collections.defaultdict",
    DEQUE: "collections.deque",
}
MAPPINGS = (DICT, ORDEREDDICT, DEFAULTDICT)
# A dict node matches any of the three mapping kinds with the same keys; this is the name errors use for them.
MAPPING_NAME = "dict, collections.OrderedDict, or collections.defaultdict"

# Exact types only: a subclass of list or dict is a leaf, as in Keras 3.
_EXACT_KINDS = {
    list: LIST,
    tuple: TUPLE,
    dict: DICT,
    collections.OrderedDict: ORDEREDDICT,
    collections.defaultdict: DEFAULTDICT,
    collections.deque: DEQUE,
}
_ACCEPTS_SUBCLASSES = 1 << 10  # Py_TPFLAGS_BASETYPE: struct sequences are the tuple types without it


def _tuple_subclass_kind(cls) -> int:
    fields = getattr(cls, "_fields", None)
    if (
        isinstance(fields, tuple)
        and all(isinstance(name, str) for name in fields)
        and callable(getattr(cls, "_make", None))
        and callable(getattr(cls, "_asdict", None))
    ):
        return NAMEDTUPLE
    if not cls.__flags__ & _ACCEPTS_SUBCLASSES and all(
        isinstance(getattr(cls, name, None), int) for name in ("n_sequence_fields", "n_fields", "n_unnamed_fields")
    ):
        return STRUCTSEQ
    return LEAF


def kind_of(x, none_is_leaf: bool = True) -> int:
    cls = type(x)
    kind = _EXACT_KINDS.get(cls)
    if kind is not None:
        return kind
    if x is None:
        return LEAF if none_is_leaf else NONE
    if issubclass(cls, tuple):
        return _tuple_subclass_kind(cls)
    return LEAF


def sorted_keys(mapping) -> list:
    """The keys sorted; keys of different types that do not compare are sorted by type name first, and keys that
    still do not compare keep their insertion order."""
    keys = list(mapping)
    try:
        return sorted(keys)
    except TypeError:
        pass
    try:
        return sorted(keys, key=lambda key: (f"{type(key).__module__}.{type(key).__qualname__}", key))
    except TypeError:
        return keys


def ordered_keys(x, kind: int) -> list:
    """A mapping's keys in flattening order."""
    return list(x) if kind == ORDEREDDICT else sorted_keys(x)


def children(x, kind: int) -> list:
    if kind in MAPPINGS:
        return [x[key] for key in ordered_keys(x, kind)]
    if kind == NONE:
        return []
    return list(x)


def path_entries(x, kind: int) -> list:
    """One path entry per child: the key for mappings, the index otherwise."""
    if kind in MAPPINGS:
        return ordered_keys(x, kind)
    if kind == NONE:
        return []
    return list(range(len(x)))


def rebuild(x, kind: int, new_children: list):
    """A node like `x` (same type and metadata) holding `new_children`, given in flattening order."""
    if kind == LIST:
        return new_children
    if kind == TUPLE:
        return tuple(new_children)
    if kind in MAPPINGS:
        by_key = dict(zip(ordered_keys(x, kind), new_children))
        if kind == ORDEREDDICT:
            return collections.OrderedDict(by_key)
        values = {key: by_key[key] for key in x}
        return collections.defaultdict(x.default_factory, values) if kind == DEFAULTDICT else values
    if kind == NAMEDTUPLE:
        return type(x)(*new_children)
    if kind == STRUCTSEQ:
        return type(x)(new_children)
    if kind == DEQUE:
        return collections.deque(new_children, maxlen=x.maxlen)
    return None  # NONE: a None node rebuilds to None
