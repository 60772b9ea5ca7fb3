"""`any_symbolic`, the test every op runs on its arguments, beside `KerasTensor` (defined on the backend floor, so
that `kerasx.backend.is_keras_tensor` can see it; re-exported here, where the ops import it from)."""

from __future__ import annotations

from kerasx.backend._keras_tensor import NOT_A_VALUE, KerasTensor

__all__ = ["NOT_A_VALUE", "KerasTensor", "any_symbolic"]


def any_symbolic(args, kwargs=None) -> bool:
    """True when an argument (or an item of a list/tuple argument) is a KerasTensor."""
    for arg in args:
        if isinstance(arg, KerasTensor):
            return True
        if isinstance(arg, (list, tuple)):
            for item in arg:
                if isinstance(item, KerasTensor):
                    return True
    if kwargs:
        return any_symbolic(tuple(kwargs.values()))
    return False
