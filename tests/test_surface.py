"""Keras 3's public surface is kerasx's specification: every public name of the installed Keras 3, at the same path
under `kerasx`, accepting the same keyword arguments, unless `surface_absences.py` lists it with a reason.

The list of absences only shrinks: a name listed there that kerasx now provides fails too, so the list stays true.
`python tests/keras_surface.py` (or `python -m nox -s surface`) prints the coverage per namespace.
"""

from __future__ import annotations

import pytest

import keras_surface
import surface_absences

pytest.importorskip("keras")

NAMESPACES = {namespace.keras_name: namespace for namespace in keras_surface.keras_namespaces()}


def _listed(blocks) -> dict:
    listed: dict = {}
    for reason, paths in blocks:
        for path in paths:
            assert path not in listed, f"{path} is listed twice in surface_absences.py"
            listed[path] = reason
    return listed


ABSENT_NAMES = _listed(surface_absences.ABSENT_NAMES)
ABSENT_KEYWORDS = _listed(surface_absences.ABSENT_KEYWORDS)


def _namespace_of(path: str) -> str:
    return path.split("(")[0].rsplit(".", 1)[0]


@pytest.mark.parametrize("keras_name", sorted(NAMESPACES))
def test_every_keras_name_exists_at_the_same_kerasx_path(keras_name):
    namespace = NAMESPACES[keras_name]
    missing, now_present = [], []
    for name in sorted(namespace.names):
        path = f"{keras_name}.{name}"
        present = keras_surface.kerasx_lookup(f"{namespace.kerasx_name}.{name}") is not None
        if not present and path not in ABSENT_NAMES:
            missing.append(path)
        if present and path in ABSENT_NAMES:
            now_present.append(path)
    assert not missing, f"kerasx lacks these Keras 3 names (write them, or list them with a reason): {missing}"
    assert not now_present, f"kerasx now provides these: remove them from surface_absences.py: {now_present}"


@pytest.mark.parametrize("keras_name", sorted(NAMESPACES))
def test_every_keras_keyword_is_accepted(keras_name):
    namespace = NAMESPACES[keras_name]
    refused, now_accepted = [], []
    for name, keras_obj in sorted(namespace.names.items()):
        path = f"{keras_name}.{name}"
        kerasx_obj = keras_surface.kerasx_lookup(f"{namespace.kerasx_name}.{name}")
        if kerasx_obj is None or not callable(keras_obj):
            continue
        rejected = set(keras_surface.rejected_keywords(keras_obj, kerasx_obj))
        for parameter in keras_surface.keyword_parameters(keras_obj):
            listed = f"{path}({parameter})" in ABSENT_KEYWORDS
            if parameter in rejected and not listed:
                refused.append(f"{path}({parameter})")
            if parameter not in rejected and listed:
                now_accepted.append(f"{path}({parameter})")
    assert not refused, f"kerasx's signatures refuse these Keras 3 keywords (accept them, or list them): {refused}"
    assert not now_accepted, f"kerasx now accepts these: remove them from surface_absences.py: {now_accepted}"


def test_absences_name_only_keras_paths():
    """A listed name that Keras 3.15.1 does not have is a stale entry (a typo, or a name Keras dropped)."""
    def known(path):
        namespace = NAMESPACES.get(_namespace_of(path))
        return namespace is not None and path.split("(")[0].rsplit(".", 1)[1] in namespace.names

    stale = [path for path in (*ABSENT_NAMES, *ABSENT_KEYWORDS) if not known(path)]
    assert not stale, f"surface_absences.py lists paths Keras 3 does not have: {stale}"


def test_the_surface_walk_finds_keras_namespaces():
    # Guards the walk itself: if Keras changed its layout the tests above would pass vacuously.
    assert {"keras", "keras.layers", "keras.ops", "keras.ops.numpy", "keras.config", "keras.utils"} <= set(NAMESPACES)
    assert len(NAMESPACES["keras.layers"].names) > 150
    assert "Dense" in NAMESPACES["keras.layers"].names
