"""`SymbolicScope`: marks code that runs only to find output shapes and dtypes (a layer's `call` on KerasTensors or
engine placeholders), as Keras 3's does. Inside it, a `StatelessScope(collect_losses=True)` collects no losses: the
values of a shape-finding run are placeholders, not losses.
"""

from __future__ import annotations

import threading

_LOCAL = threading.local()


class SymbolicScope:
    """Context manager marking the symbolic stage: code inside runs to compute shapes, not values.

    kerasx opens one around the placeholder runs that find a layer's output shapes; user code can open one around
    its own shape-only runs.

    Example:

    >>> import kerasx
    >>> from kerasx.backend._symbolic_scope import in_symbolic_scope
    >>> with kerasx.SymbolicScope():
    ...     inside = in_symbolic_scope()
    >>> inside, in_symbolic_scope()
    (True, False)
    """

    def __enter__(self):
        self._outer = getattr(_LOCAL, "scope", None)
        _LOCAL.scope = self
        return self

    def __exit__(self, *exc_info):
        _LOCAL.scope = self._outer
        return False


def in_symbolic_scope() -> bool:
    return getattr(_LOCAL, "scope", None) is not None
