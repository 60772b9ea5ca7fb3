"""Imports the selected engine package, and only that one."""

from __future__ import annotations

import importlib

from kerasx.backend import _config

_ENGINE_MODULE = {"jax": "jax", "torch": "torch", "tensorflow": "tensorflow", "numpy": "numpy"}

ENGINE_MISSING = (
    "kerasx backend '{name}' is selected (by {source}) but the '{module}' package is not installed "
    "({error}). Install it with `pip install \"kerasx[{extra}]\"`, or select an installed backend with "
    "KERAS_BACKEND (one of {valid})."
)


def load_engine(name: str):
    try:
        return importlib.import_module(f"kerasx.backend.{name}")
    except ImportError as error:
        module = _ENGINE_MODULE[name]
        if error.name is None or error.name.split(".")[0] != module:
            raise
        source = "KERAS_BACKEND" if _config.os.environ.get("KERAS_BACKEND") else "the kerasx config/default"
        raise ImportError(
            ENGINE_MISSING.format(
                name=name, source=source, module=module, error=error, extra=name, valid=", ".join(_config.VALID_BACKENDS)
            )
        ) from error


ACTIVE = load_engine(_config.BACKEND_NAME)
