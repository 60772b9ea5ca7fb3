"""Process-wide state that `clear_session` resets: the counters behind automatic names (`dense`, `dense_1`, ...)."""

from __future__ import annotations

import gc
import re
import threading

_NAME_COUNTS: dict = {}
_NAME_LOCK = threading.Lock()


def unique_name(base: str) -> str:
    """`base`, then `base_1`, `base_2`, ... for later requests of the same base since the last `clear_session`."""
    with _NAME_LOCK:
        count = _NAME_COUNTS.get(base, 0)
        _NAME_COUNTS[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def to_snake_case(name: str) -> str:
    """A class name as Keras 3 turns it into a default object name: "MultiHeadAttention" -> "multi_head_attention"."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def get_uid(prefix: str = "") -> int:
    """The next number of the counter named `prefix`: 1, then 2, 3, ... until `clear_session` resets it.

    It is the counter automatic layer names use: after a first `Dense` (named `dense`), `get_uid("dense")` is 2,
    and the next `Dense` is named `dense_2`, as in Keras 3.

    Args:
        prefix: the counter's name.

    Example:

    >>> import kerasx
    >>> kerasx.backend.clear_session()
    >>> kerasx.backend.get_uid("block"), kerasx.backend.get_uid("block"), kerasx.backend.get_uid("other")
    (1, 2, 1)
    """
    with _NAME_LOCK:
        count = _NAME_COUNTS.get(prefix, 0) + 1
        _NAME_COUNTS[prefix] = count
    return count


def clear_session(free_memory: bool = True) -> None:
    """Forgets the automatic names given so far: the next `Dense()` is `dense` again, the next model `functional`.

    Models and layers that exist keep their names. Useful when many models are built in one process (a loop of
    experiments, a notebook re-run) and the names should start over.

    Args:
        free_memory: also run Python's garbage collector, so that models no longer referenced release their memory
            now (a full collection can take a moment; pass False in a tight loop).

    Example:

    >>> import kerasx
    >>> kerasx.backend.clear_session()
    >>> [kerasx.layers.Dense(1).name, kerasx.layers.Dense(1).name]
    ['dense', 'dense_1']
    >>> kerasx.backend.clear_session(free_memory=False)
    >>> kerasx.layers.Dense(1).name
    'dense'
    """
    with _NAME_LOCK:
        _NAME_COUNTS.clear()
    if free_memory:
        gc.collect()
