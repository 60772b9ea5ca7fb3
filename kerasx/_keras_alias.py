"""Keras's module names served by kerasx: after `install()`, `import keras`, `from keras import layers` and
`import keras.ops` give kerasx's modules, one copy each (`sys.modules["keras.layers"] is kerasx.layers`).

A finder placed first on `sys.meta_path` answers every `keras` and `keras.*` name, so that the installed Keras (if
any) is never mixed in: `keras.X` is `kerasx.X`; a Keras 3 module kerasx lacks, or a private `keras.src` path, is a
ModuleNotFoundError that says so. Used by `python -m kerasx run script.py` (see `kerasx/__main__.py`).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import os
import runpy
import sys
import traceback

from kerasx import _missing

PRIVATE_PATH = (
    "No module named {name!r}: `keras.src` is Keras 3's private implementation, and kerasx serves only Keras's "
    "public modules under Keras's names. Import the public name instead (e.g. `from keras import layers`)."
)
NOT_PROVIDED = (
    "No module named {name!r}: Keras 3 has it, but kerasx does not provide it yet (this program runs on kerasx "
    "through `python -m kerasx run`). Run it with Keras 3 itself, or without that module."
)
NOT_IN_KERAS = "No module named {name!r}: neither kerasx nor Keras 3 has it (this program runs on kerasx)."
# Keras 3's private packages: TensorFlow imports Keras 3 when it is imported itself (so the tensorflow backend brings
# it along) and its `tf.keras` keeps using these; they stay Keras's own.
PRIVATE_PACKAGES = ("keras.src", "keras._tf_keras", "keras.api")


def kerasx_name(keras_name: str) -> str:
    return "kerasx" + keras_name[len("keras"):]


def _is_keras_name(name: str) -> bool:
    return name == "keras" or name.startswith("keras.")


def _private_package(name: str):
    """The private Keras package `name` is in (or is), else None."""
    for package in PRIVATE_PACKAGES:
        if name == package or name.startswith(package + "."):
            return package
    return None


class _Alias(importlib.abc.Loader):
    """Loads a Keras name as the already imported kerasx module."""

    def __init__(self, module):
        self.module = module
        self.original_spec = module.__spec__

    def create_module(self, spec):
        return self.module

    def exec_module(self, module):
        # The import system stamped the Keras name's spec on the module; kerasx's own keeps `importlib.reload`,
        # pickling and `-m` working on the real module.
        module.__spec__ = self.original_spec


class KerasAliasFinder(importlib.abc.MetaPathFinder):
    """Answers `keras` and `keras.*` with kerasx's modules (see the module docstring)."""

    def find_spec(self, fullname, path=None, target=None):
        if not _is_keras_name(fullname):
            return None
        package = _private_package(fullname)
        if package is not None:
            if package in sys.modules and fullname != package:
                return None  # the real Keras, already loaded by TensorFlow, imports more of itself
            raise ModuleNotFoundError(PRIVATE_PATH.format(name=fullname), name=fullname)
        target_name = kerasx_name(fullname)
        try:
            module = importlib.import_module(target_name)
        except ModuleNotFoundError as error:
            if error.name != target_name:
                raise
            parent, _, leaf = fullname.rpartition(".")
            known = leaf in _missing.keras_names(parent[len("keras."):] if "." in parent else "")
            template = NOT_PROVIDED if known and parent.startswith("keras") else NOT_IN_KERAS
            raise ModuleNotFoundError(template.format(name=fullname), name=fullname) from None
        return importlib.util.spec_from_loader(fullname, _Alias(module), is_package=hasattr(module, "__path__"))


def install() -> KerasAliasFinder:
    """Serves Keras's module names with kerasx's modules in this process, from now on.

    Public Keras modules already imported (TensorFlow imports Keras 3 along with itself) leave `sys.modules`, so
    that the next `import keras` gives kerasx; objects that hold them, such as `tf.keras`, keep them.
    """
    for finder in sys.meta_path:
        if isinstance(finder, KerasAliasFinder):
            return finder
    for name, module in list(sys.modules.items()):
        if (
            _is_keras_name(name)
            and _private_package(name) is None
            and not getattr(module, "__name__", "").startswith("kerasx")
        ):
            del sys.modules[name]
    finder = KerasAliasFinder()
    sys.meta_path.insert(0, finder)
    return finder


def _script_frames(tb):
    """The traceback from the script's own first frame on: the runner's frames (this module, runpy) are not the
    user's and `python script.py` would not show them."""
    runner_files = (__file__, runpy.__file__, "<frozen runpy>")
    while tb is not None and tb.tb_frame.f_code.co_filename in runner_files:
        tb = tb.tb_next
    return tb


def run_script(path: str, arguments: list) -> None:
    """Runs the file `path` as `python path arguments...` would, with Keras's names served by kerasx: `sys.argv`
    is `[path, *arguments]`, the script's folder comes first on `sys.path`, and `__name__` is "__main__".

    An exception the script raises is printed as Python prints it (without the runner's frames) and the process
    exits with status 1; `sys.exit` inside the script works as usual.
    """
    install()
    sys.argv = [path, *arguments]
    sys.path[0] = os.path.dirname(os.path.abspath(path))
    try:
        runpy.run_path(path, run_name="__main__")
    except (SystemExit, KeyboardInterrupt):
        raise
    except BaseException as error:  # noqa: BLE001 - reported as the interpreter would, then exit 1
        traceback.print_exception(type(error), error, _script_frames(error.__traceback__))
        sys.exit(1)
