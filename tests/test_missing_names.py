"""A name a kerasx namespace lacks is an AttributeError that says so, and says when Keras 3 has it; the table of
Keras 3's names behind the message matches the installed Keras (regenerate it with tests/generate_keras_names.py)."""

from __future__ import annotations

import importlib
import importlib.util
import re

import pytest

import generate_keras_names
import keras_surface
import kerasx
from kerasx import _keras_names, _missing


def _exists(module_name: str) -> bool:
    try:
        return importlib.util.find_spec(module_name) is not None
    except ModuleNotFoundError:  # its parent package does not exist either
        return False


# Every kerasx module at the path of a Keras 3 namespace.
KERASX_NAMESPACES = sorted(
    namespace.kerasx_name for namespace in keras_surface.keras_namespaces() if _exists(namespace.kerasx_name)
)


def test_the_stored_table_is_the_installed_keras():
    expected = generate_keras_names.public_names()
    assert _keras_names.KERAS_VERSION == expected["version"]
    stored = {namespace: sorted(names.split()) for namespace, names in _keras_names.NAMES.items()}
    assert stored == expected["names"], "run `python tests/generate_keras_names.py`"


@pytest.mark.parametrize("module_name", KERASX_NAMESPACES)
def test_every_namespace_says_what_is_missing(module_name):
    module = importlib.import_module(module_name)
    keras_path = "keras" + module_name[len("kerasx"):]
    with pytest.raises(AttributeError, match=re.escape(f"neither kerasx nor Keras 3.15.1 has `{keras_path}.Nope`")):
        module.Nope  # noqa: B018
    assert not hasattr(module, "Nope")
    lacking = sorted(_missing.keras_names(module_name[len("kerasx."):]) - set(dir(module)))
    lacking = [name for name in lacking if not _has(module, name)]
    if lacking:
        with pytest.raises(AttributeError, match=re.escape(f"Keras 3 has `{keras_path}.{lacking[0]}`, but kerasx")):
            getattr(module, lacking[0])


def _has(module, name) -> bool:
    try:
        getattr(module, name)
    except AttributeError:
        return False
    return True


def test_the_error_names_the_module_and_attribute():
    with pytest.raises(AttributeError) as caught:
        kerasx.layers.Densee  # noqa: B018
    assert caught.value.name == "Densee" and caught.value.obj is kerasx.layers
    assert str(caught.value).startswith("module 'kerasx.layers' has no attribute 'Densee': ")


def test_a_submodule_keras_has_is_named_as_such():
    # A Keras 3 namespace that kerasx's parent module lacks (which ones shrinks as kerasx grows).
    lacking = [
        (parent, name)
        for parent in sorted(_keras_names.NAMES)
        if _exists(f"kerasx.{parent}".rstrip("."))
        for name in sorted(_missing.keras_names(parent))
        if f"{parent}.{name}".lstrip(".") in _keras_names.NAMES
        and not _has(importlib.import_module(f"kerasx.{parent}".rstrip(".")), name)
    ]
    if not lacking:
        pytest.skip("kerasx has every Keras 3 namespace")
    parent, name = lacking[0]
    keras_path = f"keras.{parent}.{name}".replace("..", ".")
    with pytest.raises(AttributeError, match=re.escape(f"Keras 3 has `{keras_path}`, but kerasx does not")):
        getattr(importlib.import_module(f"kerasx.{parent}".rstrip(".")), name)


def test_private_names_keep_pythons_message():
    with pytest.raises(AttributeError, match=r"^module 'kerasx.layers' has no attribute '__wrapped__'$"):
        kerasx.layers.__wrapped__  # noqa: B018


def test_lazy_top_level_names_still_resolve():
    assert kerasx.layers is importlib.import_module("kerasx.layers")
    assert kerasx.Model is importlib.import_module("kerasx.models").Model


def test_the_hook_runs_only_for_missing_names(monkeypatch):
    calls = []
    hook = kerasx.layers.__getattr__

    def counting(name):
        calls.append(name)
        return hook(name)

    monkeypatch.setattr(kerasx.layers, "__getattr__", counting)
    assert kerasx.layers.Dense is kerasx.layers.__dict__["Dense"]
    assert calls == []
    assert not hasattr(kerasx.layers, "Densee")
    assert calls == ["Densee"]
