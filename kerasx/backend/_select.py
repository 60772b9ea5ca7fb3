"""Imports the selected engine package, and only that one."""

from __future__ import annotations

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


def load_engine(name: str):
    try:
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
