"""`kerasx.tree`: Keras 3's functions over nested structures (flatten, pack, map, compare, traverse).

Leaves come in depth-first order; dicts give their values in sorted-key order (`OrderedDict` in its own order), so
`pack_sequence_as(s, flatten(s))` rebuilds `s`. `None` is a leaf. See `_nodes.py` for what counts as a node.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from kerasx.tree import _match, _nodes

NO_STRUCTURE = "Must provide at least one structure. Received: structures=()."
CHECK_TYPES_TRUE = "The `check_types` argument is deprecated and no longer has any effect, please remove."
CHECK_TYPES_FALSE = (
    "The `check_types` argument is deprecated and no longer has any effect. For a looser check, use "
    "`keras.tree.assert_same_paths()`, which considers `list`, `tuple`, `namedtuple` and `deque` as matching"
)
NOT_ITERABLE = (
    "pack_sequence_as expects `flat_sequence` to be an iterable of leaves (a list, as `flatten` returns). "
    "Received: flat_sequence={value!r} of type {type_name}."
)
TOO_FEW_LEAVES = (
    "Too few leaves for the structure; expected: {expected}, got: {received}. Received: structure={structure!r}."
)
TOO_MANY_LEAVES = (
    "Too many leaves for the structure; expected: {expected}, got: {received}. Received: structure={structure!r}."
)
DIFFERENT_PATHS = "`a` and `b` don't have the same paths."
_END = object()


class MAP_TO_NONE:  # noqa: N801 - Keras 3's public name
    """The value a `traverse` function returns to replace a sub-structure with `None`.

    (Returning `None` itself means "keep going" / "leave unchanged".)

    Example:

    >>> from kerasx import tree
    >>> tree.traverse(lambda x: tree.MAP_TO_NONE if isinstance(x, tuple) else None, [(1, 2), [3]])
    [None, [3]]
    """


def is_nested(structure: Any) -> bool:
    """Whether `structure` is a node (list, tuple, namedtuple, dict, OrderedDict, defaultdict, deque) rather than
    a leaf.

    Example:

    >>> from kerasx import tree
    >>> tree.is_nested(42), tree.is_nested({"foo": 42}), tree.is_nested(None)
    (False, True, False)
    """
    return _nodes.kind_of(structure) != _nodes.LEAF


def flatten(structure: Any) -> list:
    """The leaves of `structure` as a list, depth first; dict values come in sorted-key order (an `OrderedDict`
    in its own order). A leaf gives a one-element list.

    Args:
        structure: an arbitrarily nested structure.

    Returns:
        A list of the leaves.

    Example:

    >>> from kerasx import tree
    >>> tree.flatten([[1, 2, 3], [4, [5], [[6]]]])
    [1, 2, 3, 4, 5, 6]
    >>> tree.flatten({100: "world!", 6: "Hello"})
    ['Hello', 'world!']
    >>> tree.flatten(None)
    [None]
    """
    leaves: list = []
    _flatten_into(structure, leaves)
    return leaves


def _flatten_into(x, leaves: list, none_is_leaf: bool = True) -> None:
    kind = _nodes.kind_of(x, none_is_leaf)
    if kind == _nodes.LEAF:
        leaves.append(x)
        return
    for child in _nodes.children(x, kind):
        _flatten_into(child, leaves, none_is_leaf)


def flatten_with_path(structure: Any) -> list:
    """Like `flatten`, but each leaf comes as `(path, leaf)`: the path is the tuple of indices (sequences,
    namedtuples) and keys (dicts) that lead to it.

    Args:
        structure: an arbitrarily nested structure.

    Returns:
        A list of `(path, leaf)` pairs in `flatten`'s order.

    Example:

    >>> from kerasx import tree
    >>> tree.flatten_with_path([{"foo": 42}, (1, None)])
    [((0, 'foo'), 42), ((1, 0), 1), ((1, 1), None)]
    """
    pairs: list = []
    _flatten_with_path_into(structure, (), pairs)
    return pairs


def _flatten_with_path_into(x, path: tuple, pairs: list) -> None:
    kind = _nodes.kind_of(x)
    if kind == _nodes.LEAF:
        pairs.append((path, x))
        return
    for entry, child in zip(_nodes.path_entries(x, kind), _nodes.children(x, kind)):
        _flatten_with_path_into(child, (*path, entry), pairs)


def _count_leaves(x, none_is_leaf: bool = True) -> int:
    kind = _nodes.kind_of(x, none_is_leaf)
    if kind == _nodes.LEAF:
        return 1
    return sum(_count_leaves(child, none_is_leaf) for child in _nodes.children(x, kind))


def _pack(x, leaves, none_is_leaf: bool):
    """`x`'s structure with its leaves taken in order from the iterator `leaves`."""
    kind = _nodes.kind_of(x, none_is_leaf)
    if kind == _nodes.LEAF:
        return next(leaves)
    return _nodes.rebuild(x, kind, [_pack(child, leaves, none_is_leaf) for child in _nodes.children(x, kind)])


def pack_sequence_as(structure: Any, flat_sequence) -> Any:
    """`flat_sequence` packed into the nesting of `structure`: the inverse of `flatten`.

    Leaves fill the structure in `flatten`'s order; rebuilt dicts keep `structure`'s key order.

    Args:
        structure: an arbitrarily nested structure.
        flat_sequence: an iterable with as many items as `structure` has leaves.

    Returns:
        A structure like `structure` holding the items of `flat_sequence`.

    Raises:
        TypeError: when `flat_sequence` is not iterable.
        ValueError: when it holds more or fewer items than `structure` has leaves.

    Example:

    >>> from kerasx import tree
    >>> tree.pack_sequence_as({"key3": "", "key1": "", "key2": ""}, ["value1", "value2", "value3"])
    {'key3': 'value3', 'key1': 'value1', 'key2': 'value2'}
    >>> tree.pack_sequence_as((("a", "b"), ("c", "d", "e"), "f"), [1, 2, 3, 4, 5, 6])
    ((1, 2), (3, 4, 5), 6)
    """
    try:
        leaves = list(flat_sequence)
    except TypeError:
        raise TypeError(NOT_ITERABLE.format(value=flat_sequence, type_name=type(flat_sequence).__name__)) from None
    remaining = iter(leaves)
    try:
        packed = _pack(structure, remaining, True)
        complete = next(remaining, _END) is _END
    except StopIteration:
        complete = False
    if not complete:
        expected = _count_leaves(structure)
        template = TOO_FEW_LEAVES if len(leaves) < expected else TOO_MANY_LEAVES
        raise ValueError(template.format(expected=expected, received=len(leaves), structure=structure))
    return packed


def _flatten_up_to(shallow, others: tuple, none_is_leaf: bool, columns: list) -> None:
    """For each leaf of `shallow`, appends `(leaf, *others' sub-structures at that place)` to `columns`;
    ValueError where an other's nodes differ from `shallow`'s."""
    kind = _nodes.kind_of(shallow, none_is_leaf)
    if kind == _nodes.LEAF:
        columns.append((shallow, *others))
        return
    matched = [_match.matching_children(shallow, kind, other, none_is_leaf) for other in others]
    for index, child in enumerate(_nodes.children(shallow, kind)):
        _flatten_up_to(child, tuple(other_children[index] for other_children in matched), none_is_leaf, columns)


def _map_one(func, x, none_is_leaf: bool):
    kind = _nodes.kind_of(x, none_is_leaf)
    if kind == _nodes.LEAF:
        return func(x)
    return _nodes.rebuild(x, kind, [_map_one(func, child, none_is_leaf) for child in _nodes.children(x, kind)])


def map_structure(func: Callable, *structures: Any, none_is_leaf: bool = True) -> Any:
    """`func` applied to the leaves of `structures` (all nested alike), in a structure like the first one.

    Args:
        func: a callable taking one argument per structure.
        *structures: structures with the same nesting: the same node types and sizes, dicts with the same keys
            (`dict`, `OrderedDict` and `defaultdict` match each other), the same namedtuple class.
        none_is_leaf: when False, `None` is not passed to `func` but stays `None` in the result (the other
            structures must hold `None` there too).

    Returns:
        A structure like `structures[0]` holding `func`'s results.

    Raises:
        ValueError: when no structure is given or the structures are nested differently.

    Example:

    >>> from kerasx import tree
    >>> tree.map_structure(lambda v: v**2, [[1], [2], [3]])
    [[1], [4], [9]]
    >>> tree.map_structure(lambda x, y: x * y, {"a": 2, "b": (3, 4)}, {"b": (5, 6), "a": 7})
    {'a': 14, 'b': (15, 24)}
    >>> tree.map_structure(lambda v: v * 2, [None, 1], none_is_leaf=False)
    [None, 2]
    """
    if not structures:
        raise ValueError(NO_STRUCTURE)
    if len(structures) == 1:
        return _map_one(func, structures[0], none_is_leaf)
    first, others = structures[0], structures[1:]
    columns: list = []
    _flatten_up_to(first, others, none_is_leaf, columns)
    results = []
    for column in columns:
        for value in column:
            if _nodes.kind_of(value, none_is_leaf) != _nodes.LEAF:
                raise ValueError(_match.DIFFERENT_STRUCTURES)
        results.append(func(*column))
    return _pack(first, iter(results), none_is_leaf)


def map_structure_up_to(shallow_structure: Any, func: Callable, *structures: Any) -> Any:
    """`func` applied to the sub-structures of `structures` found at the leaves of `shallow_structure`.

    `structures` must be nested like `shallow_structure` down to its leaves and may be nested deeper below them:
    what lies there is passed to `func` whole. `shallow_structure`'s leaves themselves (`None` included) are not
    passed to `func`.

    Args:
        shallow_structure: the structure that says how deep to go.
        func: a callable taking one argument per structure.
        *structures: structures nested at least as deep as `shallow_structure`.

    Returns:
        A structure like `shallow_structure` holding `func`'s results.

    Raises:
        ValueError: when no structure is given or one is nested differently above `shallow_structure`'s leaves.

    Example:

    >>> from kerasx import tree
    >>> tree.map_structure_up_to([None, None], len, [[1, 1], [2, 2, 2]])
    [2, 3]
    >>> tree.map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]])
    ['[1, 1]', ['2', '2']]
    """
    if not structures:
        raise ValueError(NO_STRUCTURE)
    columns: list = []
    _flatten_up_to(shallow_structure, structures, True, columns)
    return _pack(shallow_structure, iter([func(*column[1:]) for column in columns]), True)


def assert_same_structure(a: Any, b: Any, check_types: bool | None = None) -> None:
    """Raises ValueError unless `a` and `b` are nested the same way (leaves may differ).

    Node types must match at each level (a list is not a tuple, two namedtuple classes differ even with the same
    fields); `dict`, `OrderedDict` and `defaultdict` match each other when their keys are the same. Use
    `assert_same_paths` for a check that ignores the node types.

    Args:
        a: a nested structure.
        b: a nested structure.
        check_types: deprecated (Keras 3 ignores it and warns); it has no effect.

    Example:

    >>> from kerasx import tree
    >>> tree.assert_same_structure([(0, 1)], [(2, 3)])
    >>> tree.assert_same_structure([0, 1], (2, 3))
    Traceback (most recent call last):
        ...
    ValueError: Expected an instance of list, got (2, 3).
    """
    if check_types is not None:
        warnings.warn(CHECK_TYPES_TRUE if check_types else CHECK_TYPES_FALSE, DeprecationWarning, stacklevel=2)
    columns: list = []
    _flatten_up_to(a, (b,), True, columns)
    for _, value in columns:
        if _nodes.kind_of(value) != _nodes.LEAF:
            raise ValueError(_match.DIFFERENT_STRUCTURES)


def _paths(structure) -> set:
    return {path for path, _ in flatten_with_path(structure)}


def assert_same_paths(a: Any, b: Any) -> None:
    """Raises ValueError unless `a` and `b` have the same leaf paths (see `flatten_with_path`), whatever their
    node types: `[0, 1]` and `(2, 3)` match, and so do two namedtuple classes with the same number of fields.

    The error lists the paths found in one structure and not the other.

    Example:

    >>> from kerasx import tree
    >>> tree.assert_same_paths([0, 1], (2, 3))
    >>> tree.assert_same_paths({"a": 1}, {"b": 1})
    Traceback (most recent call last):
        ...
    ValueError: `a` and `b` don't have the same paths.
    Paths in `a` missing in `b`:
    {('a',)}
    Paths in `b` missing in `a`:
    {('b',)}
    """
    a_paths, b_paths = _paths(a), _paths(b)
    if a_paths == b_paths:
        return
    message = DIFFERENT_PATHS
    if a_paths - b_paths:
        message += f"\nPaths in `a` missing in `b`:\n{a_paths - b_paths}"
    if b_paths - a_paths:
        message += f"\nPaths in `b` missing in `a`:\n{b_paths - a_paths}"
    raise ValueError(message)


def _is_map_to_none(value) -> bool:
    # Keras 3's own MAP_TO_NONE is honoured too, so code written against `keras.tree` keeps working.
    return isinstance(value, type) and value.__name__ == "MAP_TO_NONE"


def _traverse_children(func, structure, top_down: bool):
    kind = _nodes.kind_of(structure)
    if kind == _nodes.LEAF:
        return structure
    return _nodes.rebuild(
        structure, kind, [traverse(func, child, top_down) for child in _nodes.children(structure, kind)]
    )


def traverse(func: Callable, structure: Any, top_down: bool = True) -> Any:
    """Calls `func` on every sub-structure of `structure` (nodes and leaves), depth first, and returns the
    structure with the sub-structures `func` replaced.

    Top down (the default), a node is visited before its children: when `func` returns None the traversal goes on
    into the node's children, otherwise the node is replaced by the returned value and its children are not
    visited. Bottom up, the children are visited first and `func` sees the node rebuilt from them: None keeps it,
    another value replaces it. Return `MAP_TO_NONE` to replace a sub-structure with `None`.

    Args:
        func: a callable of one argument.
        structure: the structure to traverse.
        top_down: whether parents are visited before their children.

    Returns:
        The traversed structure.

    Example:

    >>> from kerasx import tree
    >>> visited = []
    >>> tree.traverse(visited.append, [(1, 2), [3], {"a": 4}])
    [(1, 2), [3], {'a': 4}]
    >>> visited
    [[(1, 2), [3], {'a': 4}], (1, 2), 1, 2, [3], 3, {'a': 4}, 4]
    >>> tree.traverse(lambda x: x * 10 if isinstance(x, int) else None, {"b": [1], "a": 2}, top_down=False)
    {'b': [10], 'a': 20}
    """
    if top_down:
        result = func(structure)
        if result is None:
            return _traverse_children(func, structure, top_down)
    else:
        traversed = _traverse_children(func, structure, top_down)
        result = func(traversed)
        if result is None:
            return traversed
    return None if _is_map_to_none(result) else result


def _list_to_tuple(x):
    return tuple(x) if isinstance(x, list) else None


def lists_to_tuples(structure: Any) -> Any:
    """`structure` with every list replaced by a tuple, at any depth.

    Example:

    >>> from kerasx import tree
    >>> tree.lists_to_tuples([1, [2, {"a": [3]}]])
    (1, (2, {'a': (3,)}))
    """
    return traverse(_list_to_tuple, structure, top_down=False)


def _is_shape(x) -> bool:
    return isinstance(x, (list, tuple)) and all(isinstance(dim, int) or dim is None for dim in x)


def _map_shapes(func, x):
    if _is_shape(x):
        return func(x)
    kind = _nodes.kind_of(x)
    if kind == _nodes.LEAF:
        return func(x)
    return _nodes.rebuild(x, kind, [_map_shapes(func, child) for child in _nodes.children(x, kind)])


def map_shape_structure(func: Callable, structure: Any) -> Any:
    """`map_structure` for structures of shapes: a list or tuple of ints and Nones is passed to `func` whole.

    Args:
        func: a callable of one argument (a shape, or another leaf).
        structure: a nested structure of shapes.

    Returns:
        The structure with `func` applied to each shape.

    Example:

    >>> from kerasx import tree
    >>> tree.map_shape_structure(lambda shape: shape[1:], {"a": (None, 3), "b": [(2, 4, 5), [None]]})
    {'a': (3,), 'b': [(4, 5), []]}
    """
    return _map_shapes(func, structure)
