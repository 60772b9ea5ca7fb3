"""Nested structures (lists, tuples, dicts, None) of leaves: flatten, rebuild and map.

Dicts are walked in sorted-key order so that a flattened structure is the same on every engine and every run.
"""

from __future__ import annotations

from typing import Any


def is_nested(x) -> bool:
    return isinstance(x, (list, tuple, dict))


def flatten(structure) -> list:
    leaves = []
    _flatten_into(structure, leaves)
    return leaves


def _flatten_into(x, leaves):
    if isinstance(x, dict):
        for key in sorted(x, key=str):
            _flatten_into(x[key], leaves)
    elif isinstance(x, (list, tuple)):
        for item in x:
            _flatten_into(item, leaves)
    else:
        leaves.append(x)


def pack_sequence_as(structure, flat) -> Any:
    iterator = iter(flat)
    result = _pack(structure, iterator)
    remaining = sum(1 for _ in iterator)
    if remaining:
        raise ValueError(f"pack_sequence_as: {remaining} leaves more than the structure holds.")
    return result


def _pack(x, iterator) -> Any:
    if isinstance(x, dict):
        packed = {key: _pack(x[key], iterator) for key in sorted(x, key=str)}
        return type(x)((key, packed[key]) for key in x) if type(x) is not dict else {k: packed[k] for k in x}
    if isinstance(x, (list, tuple)):
        items = [_pack(item, iterator) for item in x]
        if isinstance(x, tuple) and hasattr(x, "_fields"):
            return type(x)(*items)
        return type(x)(items)
    try:
        return next(iterator)
    except StopIteration:
        raise ValueError("pack_sequence_as: the flat list has fewer leaves than the structure.") from None


def map_structure(fn, *structures) -> Any:
    flats = [flatten(s) for s in structures]
    lengths = {len(f) for f in flats}
    if len(lengths) > 1:
        raise ValueError(f"map_structure: structures have different numbers of leaves: {sorted(lengths)}.")
    return pack_sequence_as(structures[0], [fn(*leaves) for leaves in zip(*flats)])
