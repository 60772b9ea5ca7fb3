"""Imports the selected engine package, and only that one."""

from __future__ import annotations

import gc
import importlib
import os

from kerasx.backend import _config

_ENGINE_MODULE = {"jax": "jax", "torch": "torch", "tensorflow": "tensorflow", "numpy": "numpy"}

ENGINE_MISSING = (
    "kerasx backend '{name}' is selected (by {source}) but the '{module}' package is not installed "
    "({error}). Install it with `pip install \"kerasx[{extra}]\"`, or select an installed backend with "
    "KERAS_BACKEND (one of {valid})."
)


def selection_source() -> str:
    """What chose the backend, for error messages: the variable, the config file, or the default."""
    if os.environ.get("KERAS_BACKEND"):
        return "KERAS_BACKEND"
    if "backend" in _config.CONFIG:
        return str(_config.config_home() / "kerasx.json")
    return "default"


_collection_paused = False


def pause_collection() -> None:
    """Garbage collection off while kerasx's own modules load (`resume_collection` when `import kerasx` ends).

    They allocate many small objects while the engine's large object graph is alive, and each full collection walks
    that graph: on torch that was ~0.4 s of a 0.6 s import overhead. The engine itself imports under normal GC.
    """
    global _collection_paused
    if gc.isenabled():
        gc.disable()
        _collection_paused = True


def resume_collection() -> None:
    global _collection_paused
    if _collection_paused:
        _collection_paused = False
        gc.enable()


def load_engine(name: str):
    try:
        importlib.import_module(_ENGINE_MODULE[name])
        pause_collection()
        return importlib.import_module(f"kerasx.backend.{name}")
    except ImportError as error:
        module = _ENGINE_MODULE[name]
        if error.name is None or error.name.split(".")[0] != module:
            raise
        raise ImportError(
            ENGINE_MISSING.format(
                name=name,
                source=selection_source(),
                module=module,
                error=error,
                extra=name,
                valid=", ".join(_config.VALID_BACKENDS),
            )
        ) from error


ACTIVE = load_engine(_config.BACKEND_NAME)
