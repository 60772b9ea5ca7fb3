"""Every public class and function of kerasx has a docstring with a summary line and a runnable example.

"Ours run or do not exist" (STYLE.md): an `Example:` section with `>>>` lines, which `nox -s doctests` runs on
every backend. The public namespaces are discovered, not listed, so a new package is held to this as soon as it
exists: `kerasx` itself, every package `kerasx/<name>/__init__.py` whose name does not start with `_`, and every
module a namespace exports in its `__all__` (`kerasx.ops.nn`, `kerasx.optimizers.schedules`, ...). The engine
packages (`kerasx.backend.<engine>`, also exported as `kerasx.backend.active`) are not namespaces of their own: they
implement the contract documented in `kerasx/backend/_contract`, and importing another engine's package would import
that engine. A class that an engine package defines (`kerasx.Variable`) is documented by its nearest base class
outside the engine packages.

A name exported by several namespaces (`kerasx.utils.set_random_seed is kerasx.random.set_random_seed`) is checked
once, under the first namespace that exports it.
"""

import doctest
import functools
import importlib
import inspect
import sys
import types
from pathlib import Path

import pytest

import kerasx

PACKAGE_ROOT = Path(kerasx.__file__).resolve().parent
ENGINES = frozenset(
    path.parent.name for path in (PACKAGE_ROOT / "backend").glob("*/__init__.py") if not path.parent.name.startswith("_")
)


def is_engine_module(name: str) -> bool:
    parts = name.split(".")
    return len(parts) > 2 and parts[:2] == ["kerasx", "backend"] and parts[2] in ENGINES


# `__all__` entries that the namespace cannot resolve; reported by `test_exported_names_resolve`, not at collection.
UNRESOLVED = []


def public_namespaces() -> dict:
    """`{name: module}` of every public namespace, `kerasx` first, then the packages and their exported modules."""
    packages = sorted(
        f"kerasx.{path.parent.name}" for path in PACKAGE_ROOT.glob("*/__init__.py") if not path.parent.name.startswith("_")
    )
    pending = ["kerasx", *packages]
    found = {}
    while pending:
        name = pending.pop(0)
        if name in found:
            continue
        module = found[name] = importlib.import_module(name)
        for exported in getattr(module, "__all__", ()):
            value = getattr(module, exported, None)
            if value is None:
                UNRESOLVED.append(f"{name}.{exported}")
            elif isinstance(value, types.ModuleType) and value.__name__.startswith("kerasx."):
                if not is_engine_module(value.__name__):
                    pending.append(value.__name__)
    return found


NAMESPACES = public_namespaces()


def public_objects() -> dict:
    """`{"namespace.name": object}` for every exported class and function, each object once."""
    objects, seen = {}, set()
    for namespace, module in NAMESPACES.items():
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name, None)
            if not (inspect.isclass(value) or inspect.isroutine(value)) or id(value) in seen:
                continue
            seen.add(id(value))
            objects[f"{namespace}.{name}"] = value
    return objects


OBJECTS = public_objects()


def documented(obj):
    """The object whose docstring documents `obj`: a class of an engine package is documented by its nearest base
    class outside the engine packages."""
    if inspect.isclass(obj) and is_engine_module(obj.__module__):
        return next(base for base in obj.__mro__ if not is_engine_module(base.__module__))
    return obj


def own_docstring(obj) -> str:
    # A class's `__doc__` is its own (never inherited): a subclass without a docstring does not pass on its base's.
    return inspect.cleandoc(obj.__doc__ or "")


@functools.lru_cache(maxsize=None)
def collected_examples(module_name: str) -> frozenset:
    """Qualified names of the docstrings with examples that `--doctest-modules` collects from a module."""
    tests = doctest.DocTestFinder().find(sys.modules[module_name])
    return frozenset(test.name for test in tests if test.examples)


def test_namespaces_are_discovered():
    # Guards the parametrized tests below against silently checking nothing.
    expected = {"kerasx", "kerasx.layers", "kerasx.ops.nn", "kerasx.optimizers.schedules", "kerasx.backend"}
    assert expected <= set(NAMESPACES)
    assert not any(is_engine_module(name) for name in NAMESPACES)
    assert len(OBJECTS) > 500


def test_exported_names_resolve():
    assert not UNRESOLVED, f"names in `__all__` that the namespace does not have: {sorted(set(UNRESOLVED))}"


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_public_name_has_summary_and_example(name):
    doc = own_docstring(documented(OBJECTS[name]))
    assert doc and doc.splitlines()[0].strip(), f"{name} has no docstring summary line"
    assert "\nExample:" in doc, f"{name}'s docstring has no `Example:` section"
    example = doc.split("\nExample:", 1)[1]
    assert ">>> " in example, f"{name}'s `Example:` section has no `>>>` line"


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_example_is_collected_as_a_doctest(name):
    # An example only counts if `pytest --doctest-modules kerasx` runs it: the docstring must belong to an object
    # that the doctest finder reaches from the module defining it.
    obj = documented(OBJECTS[name])
    if ">>> " not in own_docstring(obj):
        pytest.skip("no example yet (reported by test_public_name_has_summary_and_example)")
    body = inspect.unwrap(getattr(obj, "eager", obj))
    module_name = body.__module__
    qualified = f"{module_name}.{body.__qualname__}"
    assert qualified in collected_examples(module_name), f"{name}: the doctest finder does not collect {qualified}"
