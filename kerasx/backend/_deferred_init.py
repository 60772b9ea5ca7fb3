"""Deferred initial values: while a saved model is rebuilt, its variables start as zeros instead of running their
initializers, and only those the file does not fill run their initializer afterwards.

Why: `load_model` builds the model its config describes, then overwrites every saved variable. Running a random
initializer first is wasted work and the largest transient of a load: the Threefry generator behind
`glorot_uniform` holds about 4x the variable's bytes while it runs (measured with tracemalloc on a 512x512 kernel),
so a hostile file refused after the build cost 4x its largest variable. Zeros cost 1x of resident memory: `np.zeros`
maps pages the OS fills lazily, so only the engine's own copy (or NumPy's) touches memory.
"""

from __future__ import annotations

import contextlib
import contextvars

import numpy as np

_RECORDS: contextvars.ContextVar[list | None] = contextvars.ContextVar("deferred_initializers", default=None)


@contextlib.contextmanager
def deferred_initializers():
    """Within this scope a variable made with a callable initializer starts as zeros; yields the list of
    `(variable, initializer)` so made, for `run_deferred` to initialize those nothing else filled.

    Example:
        >>> import kerasx
        >>> from kerasx.backend import _deferred_init
        >>> with _deferred_init.deferred_initializers() as deferred:
        ...     v = kerasx.Variable(kerasx.initializers.Ones(), shape=(2,))
        >>> v.numpy().tolist(), len(deferred)
        ([0.0, 0.0], 1)
        >>> _deferred_init.run_deferred(deferred, filled=[])
        >>> v.numpy().tolist()
        [1.0, 1.0]
    """
    records: list = []
    token = _RECORDS.set(records)
    try:
        yield records
    finally:
        _RECORDS.reset(token)


def placeholder(variable, initializer, shape: tuple, dtype: str):
    """Zeros standing for `initializer(shape, dtype)` inside `deferred_initializers` (recorded there), else None.

    Example:
        >>> from kerasx.backend import _deferred_init
        >>> _deferred_init.placeholder(None, None, (2,), "float32") is None  # outside the scope
        True
        >>> with _deferred_init.deferred_initializers() as deferred:
        ...     _deferred_init.placeholder(None, None, (2,), "float32").tolist()
        [0.0, 0.0]
    """
    records = _RECORDS.get()
    if records is None:
        return None
    records.append((variable, initializer))
    if variable is not None:
        return variable._zeros(shape, dtype)
    return np.zeros(shape, dtype)


def run_deferred(records: list, filled) -> None:
    """Runs the recorded initializer of every variable of `records` that is not among `filled` (a state no saved
    file holds keeps the value its initializer gives).

    Example:
        >>> from kerasx.backend import _deferred_init
        >>> _deferred_init.run_deferred([], filled=[])  # nothing recorded, nothing to run
    """
    done = {id(variable) for variable in filled}
    for variable, initializer in records:
        if id(variable) not in done:
            variable.assign(initializer(variable.shape, variable._dtype))
