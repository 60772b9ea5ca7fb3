"""Matching a second structure against the first one's nodes, with the errors Keras 3 raises on a mismatch.

Two nodes match when they are of the same kind and size: a list matches only a list, a namedtuple only the same
namedtuple class, and `dict`, `OrderedDict` and `defaultdict` match each other when their keys are the same (the
children are then paired by key).
"""

from __future__ import annotations

from kerasx.tree import _nodes

DIFFERENT_STRUCTURES = "Structures don't have the same nested structure."
WRONG_TYPE = "Expected an instance of {expected}, got {received!r}."
EXPECTED_NONE = "Expected None, got {received!r}."
WRONG_ARITY = "{kind} arity mismatch; expected: {expected}, got: {received}; {kind}: {value!r}."
WRONG_KEYS = (
    "dictionary key mismatch; expected key(s): {expected}, got key(s): {received}, missing key(s): {missing}, "
    "extra key(s): {extra}; {kind}: {value!r}."
)
WRONG_CLASS = "{kind} type mismatch; expected type: {expected!r}, got type: {received!r}; tuple: {value!r}."


def matching_children(first, kind: int, other, none_is_leaf: bool) -> list:
    """The children of `other`, in the order of `first`'s children; ValueError when `other` is not the same kind
    of node as `first` (`kind`) with the same size."""
    other_kind = _nodes.kind_of(other, none_is_leaf)
    if kind == _nodes.NONE:
        if other_kind != _nodes.NONE:
            raise ValueError(EXPECTED_NONE.format(received=other))
        return []
    if kind in _nodes.MAPPINGS:
        if other_kind not in _nodes.MAPPINGS:
            raise ValueError(WRONG_TYPE.format(expected=_nodes.MAPPING_NAME, received=other))
        keys = _nodes.ordered_keys(first, kind)
        if len(keys) != len(other) or any(key not in other for key in keys):
            _raise_wrong_keys(first, keys, other, other_kind)
        return [other[key] for key in keys]
    if other_kind != kind:
        raise ValueError(WRONG_TYPE.format(expected=_nodes.KIND_NAMES[kind], received=other))
    if kind in (_nodes.NAMEDTUPLE, _nodes.STRUCTSEQ) and type(other) is not type(first):
        name = "namedtuple" if kind == _nodes.NAMEDTUPLE else "PyStructSequence"
        raise ValueError(WRONG_CLASS.format(kind=name, expected=type(first), received=type(other), value=other))
    if len(other) != len(first):
        raise ValueError(
            WRONG_ARITY.format(kind=_nodes.KIND_NAMES[kind], expected=len(first), received=len(other), value=other)
        )
    return list(other)


def _raise_wrong_keys(first, keys: list, other, other_kind: int):
    other_keys = _nodes.ordered_keys(other, other_kind)
    raise ValueError(
        WRONG_KEYS.format(
            expected=keys,
            received=other_keys,
            missing=[key for key in keys if key not in other],
            extra=[key for key in other_keys if key not in keys],
            kind=type(first).__name__,  # as Keras 3 says it: the expected type, the received value
            value=other,
        )
    )
