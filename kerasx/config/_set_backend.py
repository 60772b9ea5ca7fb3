"""`set_backend`: switch engines inside a running process by re-importing kerasx, as Keras 3 reloads itself."""

from __future__ import annotations

import importlib
import os
import sys
import warnings

from kerasx.backend import _config

BAD_BACKEND = (
    "Unknown backend. Received: backend={backend!r}. Available backends are {valid}: pass one of them, "
    'e.g. `kerasx.config.set_backend("torch")`.'
)
RELOADED = (
    "kerasx.config.set_backend re-imported kerasx with the {backend!r} backend. Objects made before (layers, models, "
    "tensors, optimizers) still belong to the previous backend and will fail or mix engines if used: re-run the code "
    "that made them, and re-import kerasx's modules (`import kerasx`, `from kerasx import layers`) so that your "
    "names point to the new ones."
)


def _is_kerasx_module(key: str, module) -> bool:
    if key == "kerasx" or key.startswith("kerasx."):
        return True
    # `python -m kerasx run` registers kerasx's modules under Keras's names too (`keras.layers`): those go as well,
    # so that `import keras` afterwards gives the re-imported kerasx.
    return (key == "keras" or key.startswith("keras.")) and getattr(module, "__name__", "").startswith("kerasx")


def set_backend(backend: str) -> None:
    """Switches kerasx to another engine by removing kerasx's modules from `sys.modules` and importing it again
    with `KERAS_BACKEND=backend`, as Keras 3 does.

    Nothing made before the switch is converted: layers, models, tensors and optimizers created earlier belong to
    the old engine. Re-import kerasx's modules after the call (`import kerasx`, `from kerasx import layers`) and
    re-run the code that builds your objects. Settings changed at run time (`set_floatx`, `set_epsilon`, ...) start
    over from the environment and `$KERASX_HOME/kerasx.json`, since the settings module is re-imported too. Prefer
    setting `KERAS_BACKEND` before the first import: that never leaves objects of two engines in one process.

    Args:
        backend: "jax", "torch", "tensorflow" or "numpy".

    Example:

    >>> import subprocess, sys
    >>> script = (
    ...     "import warnings; warnings.simplefilter('ignore'); import kerasx; kerasx.config.set_backend('numpy'); "
    ...     "import kerasx; print(kerasx.config.backend(), type(kerasx.ops.ones(())).__module__)"
    ... )
    >>> subprocess.run([sys.executable, "-c", script], capture_output=True, text=True).stdout
    'numpy numpy\\n'
    """
    if backend not in _config.VALID_BACKENDS:
        raise ValueError(BAD_BACKEND.format(backend=backend, valid=_config.VALID_BACKENDS))
    os.environ["KERAS_BACKEND"] = backend
    for key in [key for key, module in list(sys.modules.items()) if _is_kerasx_module(key, module)]:
        del sys.modules[key]
    importlib.import_module("kerasx")
    warnings.warn(RELOADED.format(backend=backend), stacklevel=2)
