"""The error for a name a kerasx namespace lacks: `kerasx.layers.Foo` raises an AttributeError that says kerasx does
not provide it and, when Keras 3 has `keras.layers.Foo`, that Keras 3 has it and kerasx does not yet.

Every public namespace package ends with `__getattr__ = missing_name_hook(__name__)`. Python calls a module's
`__getattr__` only when the normal lookup fails, so names that exist cost nothing extra. Keras's names come from
`kerasx/_keras_names.py`, a table generated from the installed Keras 3 (kerasx never imports Keras at run time).

`from kerasx.layers import Foo` still raises Python's own `ImportError: cannot import name 'Foo'`: the import
statement replaces the AttributeError's message with its own.
"""

from __future__ import annotations

import sys

from kerasx import _keras_names

PRIVATE_KERAS = (
    "module 'kerasx' has no attribute 'src': `keras.src` is Keras 3's private implementation, which kerasx does not "
    "mirror. Use the public name instead (e.g. `keras.layers.Dense`, not `keras.src.layers.Dense`)."
)
KERAS_HAS_IT = (
    "module '{module}' has no attribute '{name}': Keras 3 has `{keras_path}`, but kerasx does not provide it yet. "
    "Until it does, write it with what kerasx has (a custom layer, loss or function) or run this program with "
    "Keras {version}; `dir({module})` lists what kerasx provides."
)
NOBODY_HAS_IT = (
    "module '{module}' has no attribute '{name}': neither kerasx nor Keras {version} has `{keras_path}`. Check the "
    "spelling; `dir({module})` lists what kerasx provides."
)

_PARSED: dict = {}


def keras_names(namespace: str) -> frozenset:
    """Keras 3's public names in `keras.<namespace>` ("" for `keras`), submodules included."""
    names = _PARSED.get(namespace)
    if names is None:
        names = _PARSED[namespace] = frozenset(_keras_names.NAMES.get(namespace, "").split())
    return names


def missing_name_error(module_name: str, name: str) -> AttributeError:
    """The AttributeError for `name` missing from the kerasx module `module_name` (e.g. "kerasx.layers")."""
    module = sys.modules.get(module_name)
    if name.startswith("_"):
        # Private and special names (`__wrapped__`, `_ipython_display_`) are probed by tools: Python's own message.
        return AttributeError(f"module '{module_name}' has no attribute '{name}'", name=name, obj=module)
    if module_name == "kerasx" and name == "src":
        # Reached when TensorFlow had already loaded Keras 3's private modules, so `import keras.src.x` bound them.
        return AttributeError(PRIVATE_KERAS, name=name, obj=module)
    suffix = module_name[len("kerasx"):]
    keras_path = f"keras{suffix}.{name}"
    template = KERAS_HAS_IT if name in keras_names(suffix.lstrip(".")) else NOBODY_HAS_IT
    message = template.format(
        module=module_name, name=name, keras_path=keras_path, version=_keras_names.KERAS_VERSION
    )
    return AttributeError(message, name=name, obj=module)


def missing_name_hook(module_name: str):
    """A module-level `__getattr__` for `module_name` that raises `missing_name_error`.

    Example:

    >>> from kerasx._missing import missing_name_hook
    >>> hook = missing_name_hook("kerasx.layers")
    >>> try:
    ...     hook("DenseX")
    ... except AttributeError as error:
    ...     message = str(error)
    >>> message.startswith("module 'kerasx.layers' has no attribute 'DenseX': neither kerasx nor Keras 3")
    True
    """

    def __getattr__(name: str):
        raise missing_name_error(module_name, name)

    return __getattr__
