"""`kerasx.tree` against Keras 3's `keras.tree` on many structures: same results (types, key order), same exception
types on mismatches.

Keras 3 uses optree on jax, tensorflow and numpy and torch's pytree on torch; their corner cases differ (torch's
rebuilds dicts in sorted-key order). kerasx follows the optree flavour on every backend, so the oracle here is Keras's
optree flavour whatever KERAS_BACKEND is.
"""

from __future__ import annotations

import collections
import importlib
import os
import subprocess
import sys
import time
import warnings

import numpy as np
import pytest

from kerasx import tree

pytest.importorskip("keras")
pytest.importorskip("optree")
keras_tree_api = importlib.import_module("keras.src.tree.tree_api")
keras_optree_impl = importlib.import_module("keras.src.tree.optree_impl")

Point = collections.namedtuple("Point", ["x", "y"])
OtherPoint = collections.namedtuple("Point", ["x", "y"])  # same name and fields, another class
Triple = collections.namedtuple("Triple", ["a", "b", "c"])


class ListSubclass(list):
    pass


class DictSubclass(dict):
    pass


class Opaque:
    def __repr__(self):
        return "Opaque()"


OPAQUE = Opaque()
ARRAY = np.arange(3.0)

STRUCTURES = [
    1,
    None,
    "text",
    ARRAY,
    [],
    (),
    {},
    [1],
    [None],
    ([1],),
    [[1, 2, 3], [4, [5], [[6]]]],
    (1, (2, 3), [4, (5,)]),
    {"b": 1, "a": 2, "c": [3, {"z": 4, "y": 5}]},
    {100: "world!", 6: "Hello"},
    {1: "a", "b": "c", 0.5: "d", None: "e", (1,): "f"},
    {OPAQUE: 1, "k": 2},
    collections.OrderedDict([("b", 1), ("a", [2, 3])]),
    collections.defaultdict(list, [("b", 1), ("a", (2, None))]),
    collections.deque([1, [2, 3]], maxlen=4),
    Point(1, [2, None]),
    Point(x={"q": 1}, y=(2,)),
    Triple(None, None, [None]),
    [None, [None, (None,)]],
    time.gmtime(0),
    os.stat_result(tuple(range(10))),
    [ListSubclass([1, 2]), DictSubclass(a=1), {1, 2}, frozenset({3})],
    {"arr": ARRAY, "nested": [ARRAY, (ARRAY,)]},
    [[], {}, ((),), [[[]]]],
]


@pytest.fixture(autouse=True)
def keras_optree(monkeypatch):
    monkeypatch.setattr(keras_tree_api, "tree_impl", keras_optree_impl)


def _same(ours, theirs):
    """Equal values of the same types, recursively (namedtuple vs tuple or dict vs OrderedDict is a difference),
    with dicts in the same key order."""
    assert type(ours) is type(theirs), (ours, theirs)
    if isinstance(ours, dict):
        assert list(ours) == list(theirs)
        for key in ours:
            _same(ours[key], theirs[key])
        if isinstance(ours, collections.defaultdict):
            assert ours.default_factory is theirs.default_factory
    elif isinstance(ours, (list, tuple, collections.deque)):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _same(a, b)
        if isinstance(ours, collections.deque):
            assert ours.maxlen == theirs.maxlen
    elif isinstance(ours, np.ndarray):
        np.testing.assert_array_equal(ours, theirs)
    else:
        assert ours is theirs or ours == theirs, (ours, theirs)


def _outcome(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            return "ok", fn(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - the exception type is what is compared
            return "raised", type(error)


def _compare(name, *args, **kwargs):
    ours = _outcome(getattr(tree, name), *args, **kwargs)
    theirs = _outcome(getattr(keras_tree_api, name), *args, **kwargs)
    assert ours[0] == theirs[0], (name, args, ours, theirs)
    if ours[0] == "raised":
        assert ours[1] is theirs[1], (name, args, ours, theirs)
    else:
        _same(ours[1], theirs[1])
    return ours


@pytest.mark.parametrize("structure", STRUCTURES, ids=repr)
def test_single_structure_functions_match_keras(structure):
    _compare("is_nested", structure)
    _compare("flatten", structure)
    _compare("flatten_with_path", structure)
    _compare("lists_to_tuples", structure)
    _compare("map_structure", lambda leaf: ("mapped", leaf), structure)
    _compare("map_structure", lambda leaf: ("mapped", leaf), structure, none_is_leaf=False)
    _compare("map_shape_structure", lambda leaf: ("shape", leaf), structure)
    _compare("assert_same_structure", structure, structure)
    _compare("assert_same_paths", structure, structure)
    leaves = tree.flatten(structure)
    _compare("pack_sequence_as", structure, [f"leaf{i}" for i in range(len(leaves))])
    _same(tree.pack_sequence_as(structure, (f"leaf{i}" for i in range(len(leaves)))),
          keras_tree_api.pack_sequence_as(structure, (f"leaf{i}" for i in range(len(leaves)))))
    _compare("pack_sequence_as", structure, leaves + ["extra"])
    _compare("pack_sequence_as", structure, leaves[:-1])
    _compare("pack_sequence_as", structure, 5)


@pytest.mark.parametrize("structure", STRUCTURES, ids=repr)
@pytest.mark.parametrize("top_down", [True, False])
def test_traverse_matches_keras(structure, top_down):
    visited_ours, visited_theirs = [], []
    ours = tree.traverse(visited_ours.append, structure, top_down=top_down)
    theirs = keras_tree_api.traverse(visited_theirs.append, structure, top_down=top_down)
    _same(ours, theirs)
    assert len(visited_ours) == len(visited_theirs)
    for a, b in zip(visited_ours, visited_theirs):
        _same(a, b)

    def replace(x):
        if isinstance(x, tuple) and not hasattr(x, "_fields"):
            return tree.MAP_TO_NONE if top_down else ("tuple", len(x))
        if isinstance(x, int) and not isinstance(x, bool):
            return x * 10
        return None

    def replace_keras(x):
        result = replace(x)
        return keras_tree_api.MAP_TO_NONE if result is tree.MAP_TO_NONE else result

    _same(tree.traverse(replace, structure, top_down=top_down),
          keras_tree_api.traverse(replace_keras, structure, top_down=top_down))


PAIRS = [
    ([1, (2, 3)], [10, (20, 30)]),
    ([1, 2], (10, 20)),
    ([1, 2], [10, 20, 30]),
    ([1, 2], [10, [20]]),
    ([1, [2]], [10, 20]),
    ({"a": 1}, {"b": 1}),
    ({"a": 1}, {"a": 1, "b": 2}),
    ({"a": 1, "b": 2}, collections.OrderedDict([("b", 10), ("a", 20)])),
    (collections.OrderedDict([("b", 10), ("a", 20)]), {"a": 1, "b": 2}),
    (collections.OrderedDict([("a", 1), ("b", 2)]), collections.OrderedDict([("b", 3), ("a", 4)])),
    (collections.defaultdict(int, {"b": 1, "a": 2}), {"a": 3, "b": 4}),
    ({"a": 1, "b": 2}, collections.defaultdict(int, {"b": 10, "a": 20})),
    (Point(1, 2), (1, 2)),
    ((1, 2), Point(1, 2)),
    (Point(1, 2), OtherPoint(1, 2)),
    (Point(1, 2), Point(3, [4])),
    ([None, 1], [2, 1]),
    ([2, 1], [None, 1]),
    ([None, 1], [[1], 1]),
    ([None], [None]),
    (None, None),
    (None, 1),
    (1, None),
    (1, [2]),
    ([1], 1),
    ([], []),
    ([], [1]),
    ({}, []),
    ({"a": 1}, [1]),
    ([1], {"a": 1}),
    (collections.deque([1]), [1]),
    (collections.deque([1, 2]), collections.deque([3, 4], maxlen=9)),
    (time.gmtime(0), time.gmtime(1)),
    (time.gmtime(0), tuple(time.gmtime(0))),
    ({"x": [1, {"y": 2}]}, {"x": [1, {"y": [2, 3]}]}),
    ({"x": [1, {"y": 2}]}, {"x": [1, {"z": 2}]}),
    ([ListSubclass([1])], [[1]]),
    ([[1]], [ListSubclass([1])]),
]


@pytest.mark.parametrize("a, b", PAIRS, ids=repr)
def test_two_structure_functions_match_keras(a, b):
    _compare("map_structure", lambda x, y: (x, y), a, b)
    _compare("map_structure", lambda x, y: (x, y), a, b, none_is_leaf=False)
    _compare("map_structure", lambda x, y, z: (x, y, z), a, b, b)
    _compare("assert_same_structure", a, b)
    _compare("assert_same_structure", a, b, check_types=False)
    _compare("assert_same_paths", a, b)
    # Keras 3 raises for a `None` leaf of the shallow structure (see the test below), so these use 0 there.
    shallow = tree.map_structure(lambda leaf: 0, a)
    _compare("map_structure_up_to", shallow, lambda x: ("up_to", x), b)
    _compare("map_structure_up_to", shallow, lambda x, y: (x, y), a, b)


def test_errors_say_what_differs():
    with pytest.raises(ValueError, match=r"Expected an instance of list, got \(10, 20\)"):
        tree.map_structure(lambda x, y: x, [1, 2], (10, 20))
    with pytest.raises(ValueError, match=r"list arity mismatch; expected: 2, got: 3"):
        tree.assert_same_structure([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match=r"missing key\(s\): \['a'\], extra key\(s\): \['b'\]"):
        tree.assert_same_structure({"a": 1}, {"b": 1})
    with pytest.raises(ValueError, match="namedtuple type mismatch"):
        tree.assert_same_structure(Point(1, 2), OtherPoint(1, 2))
    with pytest.raises(ValueError, match="don't have the same nested structure"):
        tree.map_structure(lambda x, y: x, [1, 2], [1, [2]])
    with pytest.raises(ValueError, match="Expected None, got 2"):
        tree.map_structure(lambda x, y: x, [None], [2], none_is_leaf=False)
    with pytest.raises(ValueError, match="Too few leaves for the structure; expected: 3, got: 2"):
        tree.pack_sequence_as([1, [2, 3]], [1, 2])
    with pytest.raises(ValueError, match="Too many leaves for the structure; expected: 1, got: 2"):
        tree.pack_sequence_as(1, [1, 2])
    with pytest.raises(TypeError, match="Received: flat_sequence=5 of type int"):
        tree.pack_sequence_as([1], 5)
    with pytest.raises(ValueError, match="Must provide at least one structure"):
        tree.map_structure(lambda x: x)
    with pytest.raises(ValueError, match="Must provide at least one structure"):
        tree.map_structure_up_to([0], len)
    with pytest.raises(ValueError, match=r"Paths in `a` missing in `b`:\n\{\('c',\)\}"):
        tree.assert_same_paths({"a": 1, "c": 2}, {"a": 1, "b": 2})


def test_check_types_is_deprecated_as_in_keras():
    with pytest.warns(DeprecationWarning, match="no longer has any effect, please remove"):
        tree.assert_same_structure([1], [2], check_types=True)
    with pytest.warns(DeprecationWarning, match="assert_same_paths"):
        tree.assert_same_structure([1], [2], check_types=False)


def test_structural_mismatch_calls_func_on_no_leaf():
    calls = []
    with pytest.raises(ValueError):
        tree.map_structure(lambda x, y: calls.append(x), [1, 2, (3,)], [1, 2, [3]])
    assert calls == []


def test_map_structure_up_to_passes_deeper_parts_whole():
    assert tree.map_structure_up_to({"a": 0, "b": 0}, len, {"b": [1], "a": [1, 2]}) == {"a": 2, "b": 1}
    assert tree.map_structure_up_to([0, 0], lambda a, b: (a, b), [[1], [2]], [3, 4]) == [([1], 3), ([2], 4)]
    # Keras 3.15.1's documented example (a shallow structure of Nones) raises in Keras itself (its leaf check
    # treats None as a node); kerasx gives the documented result.
    assert tree.map_structure_up_to([None, None], len, [[1, 1], [2, 2]]) == [2, 2]
    with pytest.raises(ValueError):
        keras_tree_api.map_structure_up_to([None, None], len, [[1, 1], [2, 2]])


def test_round_trip_keeps_types_and_key_order():
    structure = {
        "z": Point(1, collections.OrderedDict([("q", 2), ("p", 3)])),
        "a": collections.defaultdict(list, {"y": [4], "x": (5, None)}),
        "m": collections.deque([6], maxlen=2),
    }
    rebuilt = tree.pack_sequence_as(structure, tree.flatten(structure))
    _same(rebuilt, structure)
    assert tree.flatten(structure) == [5, None, 4, 6, 1, 2, 3]


def test_map_shape_structure_passes_shapes_whole():
    shapes = {"a": (None, 3), "b": [[1, 2], (4,)], "c": [], "d": None, "e": [(2, 3), "x", np.int64(2)]}
    ours = tree.map_shape_structure(lambda s: ("S", s), shapes)
    _same(ours, keras_tree_api.map_shape_structure(lambda s: ("S", s), shapes))
    assert ours["a"] == ("S", (None, 3)) and ours["e"][0] == ("S", (2, 3))


def test_kerasx_tree_is_reached_from_the_top_level():
    # A fresh interpreter: here `kerasx.tree` is already imported, which would hide a missing lazy entry.
    code = "import kerasx; print(kerasx.tree.flatten({'b': 1, 'a': 2}))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[2, 1]"
