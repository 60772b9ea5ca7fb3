"""Keras 3's public surface, read off the installed `keras` package, and kerasx's answer to each name.

Keras 3 generates one module per public namespace (`keras/config/__init__.py`, `keras/ops/numpy/__init__.py`, ...)
that re-exports its public names; walking those files gives the specification without a hand-kept list. The same
path under `kerasx` (`keras.ops.numpy.add` -> `kerasx.ops.numpy.add`) must hold the name.

Run as a script for the coverage table: `python tests/keras_surface.py` (or `python -m nox -s surface`).
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
import types
from dataclasses import dataclass, field

# The namespace tree Keras generates lives beside `keras/src`, which is private.
_PRIVATE_FOLDERS = ("src", "_tf_keras", "__pycache__")


@dataclass
class Namespace:
    keras_name: str
    names: dict = field(default_factory=dict)  # public name -> the Keras object

    @property
    def kerasx_name(self) -> str:
        return "kerasx" + self.keras_name[len("keras"):]


def keras_namespaces() -> list[Namespace]:
    """Every public namespace of the installed Keras, with its public non-module names."""
    import keras  # noqa: PLC0415 - the oracle is imported only when the surface is asked for

    base = os.path.dirname(keras.__file__)
    found = []
    for root, folders, files in os.walk(base):
        folders[:] = sorted(f for f in folders if f not in _PRIVATE_FOLDERS)
        if "__init__.py" not in files:
            continue
        relative = os.path.relpath(root, base)
        module_name = "keras" if relative == "." else "keras." + relative.replace(os.sep, ".")
        module = importlib.import_module(module_name)
        names = {
            name: getattr(module, name)
            for name in dir(module)
            if not name.startswith("_") and not isinstance(getattr(module, name), types.ModuleType)
        }
        found.append(Namespace(module_name, names))
    return found


def kerasx_lookup(path: str):
    """The object at a kerasx dotted path, or None (a missing module or attribute)."""
    parts = path.split(".")
    for split in range(len(parts), 0, -1):
        module_name = ".".join(parts[:split])
        try:
            obj = importlib.import_module(module_name)
        except ImportError:
            continue
        for attribute in parts[split:]:
            try:
                obj = getattr(obj, attribute)
            except AttributeError:
                return None
        return obj
    return None


def _signature(obj):
    target = obj.__init__ if inspect.isclass(obj) else obj
    if not callable(target):
        return None
    try:
        return inspect.signature(target)
    except (TypeError, ValueError):
        return None


def keyword_parameters(obj) -> list[str]:
    """Names a caller may pass by keyword (positional-or-keyword and keyword-only, `self` excluded); for a class,
    also those its `__init__` forwards through `**kwargs` to its bases."""
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    names: list[str] = []
    for signature in _signature_chain(obj):
        parameters = signature.parameters.values()
        names += [p.name for p in parameters if p.kind in kinds and p.name != "self" and p.name not in names]
        if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
            break
    return names


def _signature_chain(obj) -> list:
    if not inspect.isclass(obj):
        signature = _signature(obj)
        return [] if signature is None else [signature]
    chain = []
    for owner in obj.__mro__:
        if owner is object or "__init__" not in vars(owner):
            continue
        try:
            chain.append(inspect.signature(vars(owner)["__init__"]))
        except (TypeError, ValueError):
            break
    return chain


def _accepted_keywords(obj):
    """Keyword names kerasx's callable accepts; None when it accepts any. A class whose `__init__` forwards
    `**kwargs` accepts what its bases' `__init__`s name."""
    accepted: set = set()
    for signature in _signature_chain(obj):
        parameters = signature.parameters.values()
        accepted |= {p.name for p in parameters if p.kind is not inspect.Parameter.POSITIONAL_ONLY}
        if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
            return accepted
    # A function's `**kwargs` takes anything; a class's last `**kwargs` can only reach `object.__init__`, which takes
    # nothing, so kerasx's base classes use it to refuse unknown names with a clear error.
    return accepted if inspect.isclass(obj) else None


def rejected_keywords(keras_obj, kerasx_obj) -> list[str]:
    """Keyword parameters of the Keras callable that kerasx's signature (and its bases') would refuse."""
    accepted = _accepted_keywords(kerasx_obj)
    if accepted is None:
        return []
    return [name for name in keyword_parameters(keras_obj) if name not in accepted]


def coverage(namespaces: list[Namespace]) -> list[tuple[str, int, int]]:
    """(namespace, names kerasx has at the same path, Keras's names) per namespace."""
    rows = []
    for namespace in namespaces:
        present = sum(kerasx_lookup(f"{namespace.kerasx_name}.{name}") is not None for name in namespace.names)
        rows.append((namespace.keras_name, present, len(namespace.names)))
    return rows


def main() -> int:
    rows = coverage(keras_namespaces())
    width = max(len(name) for name, _, _ in rows)
    print(f"{'namespace':<{width}}  present / Keras 3")
    for name, present, total in rows:
        share = f"{100 * present / total:5.1f}%" if total else "     -"
        print(f"{name:<{width}}  {present:4d} / {total:<4d} {share}")
    present = sum(r[1] for r in rows)
    total = sum(r[2] for r in rows)
    print(f"{'all':<{width}}  {present:4d} / {total:<4d} {100 * present / total:5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
