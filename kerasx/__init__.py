"""kerasx: write a model once with Keras-style building blocks, run it on JAX, PyTorch or TensorFlow.

The engine is chosen with the `KERAS_BACKEND` environment variable (jax, torch, tensorflow, or numpy for
inference-only reference runs). Importing kerasx imports only that engine and writes nothing to disk.
"""

import importlib
import sys

try:
    from kerasx import _missing, backend, ops
    from kerasx.backend import StatelessScope, Variable
    from kerasx.backend._device import device
    from kerasx.backend._name_scope import name_scope
    from kerasx.backend._remat import RematScope, remat
    from kerasx.backend._symbolic_scope import SymbolicScope
    from kerasx.ops import KerasTensor
finally:
    # The engine's import left collection paused for kerasx's own modules (see `_select.pause_collection`).
    if "kerasx.backend._select" in sys.modules:
        sys.modules["kerasx.backend._select"].resume_collection()

from kerasx._version import __version__

# Imported on first use: `import kerasx` then costs the engine plus the ops, not every layer, metric and callback.
_LAZY_MODULES = (
    "activations",
    "applications",
    "callbacks",
    "config",
    "constraints",
    "datasets",
    "distillation",
    "distribution",
    "dtype_policies",
    "export",
    "initializers",
    "layers",
    "legacy",
    "losses",
    "metrics",
    "mixed_precision",
    "models",
    "optimizers",
    "preprocessing",
    "quantizers",
    "random",
    "regularizers",
    "saving",
    "tree",
    "utils",
    "visualization",
    "wrappers",
)
_LAZY_NAMES = {
    "DTypePolicy": "kerasx.dtype_policies",
    "FloatDTypePolicy": "kerasx.dtype_policies",
    "Function": "kerasx.models._function",
    "Initializer": "kerasx.initializers",
    "Input": "kerasx.layers",
    "InputSpec": "kerasx.layers",
    "Layer": "kerasx.layers",
    "Loss": "kerasx.losses",
    "Metric": "kerasx.metrics",
    "Model": "kerasx.models",
    "Operation": "kerasx.ops._operation",
    "Optimizer": "kerasx.optimizers",
    "Quantizer": "kerasx.quantizers",
    "Regularizer": "kerasx.regularizers",
    "Sequential": "kerasx.models",
}

__all__ = [
    "KerasTensor",
    "RematScope",
    "StatelessScope",
    "SymbolicScope",
    "Variable",
    "__version__",
    "backend",
    "device",
    "name_scope",
    "ops",
    "remat",
    "version",
    *_LAZY_MODULES,
    *_LAZY_NAMES,
]


def version() -> str:
    """The version of kerasx, as a string (`keras.version()` gives Keras's).

    Example:
        >>> import kerasx
        >>> kerasx.version() == kerasx.__version__
        True
    """
    return __version__


def __getattr__(name):
    if name in _LAZY_MODULES:
        return importlib.import_module(f"kerasx.{name}")
    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(_LAZY_NAMES[name]), name)
    # Says whether Keras 3 has the name (see `kerasx._missing`).
    raise _missing.missing_name_error("kerasx", name)


def __dir__():
    return sorted(set(globals()) | set(__all__))
