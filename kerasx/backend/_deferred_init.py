"""Deferred initial values: while a saved model is rebuilt, its variables get no storage and run no initializer
until something assigns or reads them; those still untouched when the load ends run their initializer then.

Why: `load_model` builds the model its config describes, then overwrites every saved variable. Running a random
initializer first is wasted work and the largest transient of a load: the Threefry generator behind
`glorot_uniform` holds about 4x the variable's bytes while it runs (measured with tracemalloc on a 512x512 kernel),
so a hostile file refused once the model was built cost 4x its largest variable; deferred, it costs nothing.

How a variable knows (`Variable._pending_initializer`, see `_variable.py`): a pending variable has no `_value`,
the attribute every engine keeps its storage in. Every path that reads the storage (`value`, `numpy()`, an
engine's trainer or exporter reading `_value`, TF's `handle`) reaches `Variable.__getattr__`, which runs the
initializer first: a layer computing something from a pending variable while it loads sees its initial value.
Every assignment (`assign`, and so `set_weights`, a layer's own loading, `SavedWeight.assign`) gives the variable
storage without running the initializer, which is no longer pending. So which variables the file filled is never
guessed from a list of what the generic loader assigned.
"""

from __future__ import annotations

import contextlib
import contextvars

_PENDING: contextvars.ContextVar[list | None] = contextvars.ContextVar("deferred_initializers", default=None)


@contextlib.contextmanager
def deferred_initializers():
    """Within this scope a variable made with a callable initializer starts pending (no storage, the initializer
    not run); yields the list of the variables so made, for `run_pending`.

    Example:
        >>> import kerasx
        >>> from kerasx.backend import _deferred_init
        >>> with _deferred_init.deferred_initializers() as made:
        ...     filled = kerasx.Variable(kerasx.initializers.Ones(), shape=(2,))
        ...     untouched = kerasx.Variable(kerasx.initializers.Ones(), shape=(2,))
        ...     _ = filled.assign([3.0, 4.0])
        >>> _deferred_init.run_pending(made)  # only `untouched` runs its initializer
        >>> filled.numpy().tolist(), untouched.numpy().tolist()
        ([3.0, 4.0], [1.0, 1.0])
    """
    made: list = []
    token = _PENDING.set(made)
    try:
        yield made
    finally:
        _PENDING.reset(token)


def record(variable) -> bool:
    """Records `variable` as pending when a `deferred_initializers` scope is open; whether it was.

    Example:
        >>> from kerasx.backend import _deferred_init
        >>> _deferred_init.record(object())  # no scope open: the variable initializes as usual
        False
    """
    made = _PENDING.get()
    if made is None:
        return False
    made.append(variable)
    return True


def run_pending(variables) -> None:
    """Runs the initializer of every variable of `variables` that nothing assigned or read yet, in the order they
    were made (a state no saved file holds keeps the value its initializer gives).

    Example:
        >>> from kerasx.backend import _deferred_init
        >>> _deferred_init.run_pending([])  # nothing made, nothing to run
    """
    for variable in variables:
        variable._initialize_if_pending()
