"""Thread-local state of the layer calls in progress.

Nested layers read three things from here: the `training` flag of the outermost call (so `model(x, training=True)`
runs every Dropout inside in training mode without threading the argument through user code), whether a symbolic
call should record graph nodes, and the number of the outermost call, which dates the losses layers add (losses
from an older call are dropped when a newer call adds its own). Symbolic calls made to compute output shapes
(inside another layer's symbolic call) do not record nodes, so a layer's `_inbound_nodes` holds only the calls a
user made.
"""

from __future__ import annotations

import itertools
import threading

_STATE = threading.local()
_OUTER_CALLS = itertools.count(1)


class CallContext:
    """One frame: the resolved `training` value, whether symbolic calls record nodes, the outer call's number."""

    __slots__ = ("training", "record_nodes", "call_number")

    def __init__(self, training, record_nodes, call_number):
        self.training = training
        self.record_nodes = record_nodes
        self.call_number = call_number


def _stack() -> list:
    stack = getattr(_STATE, "stack", None)
    if stack is None:
        stack = _STATE.stack = []
    return stack


def current() -> CallContext | None:
    """The innermost call frame, or None outside any layer call."""
    stack = _stack()
    return stack[-1] if stack else None


def record_nodes() -> bool:
    frame = current()
    return True if frame is None else frame.record_nodes


def call_number() -> int:
    """Number of the outermost call in progress; 0 outside any call."""
    frame = current()
    return 0 if frame is None else frame.call_number


class call_scope:
    """Context pushing a frame; unspecified values (None) are inherited from the enclosing frame, and the
    outermost frame gets a new call number.

    A class rather than a generator-based context manager: it runs on every layer call (about 1 us cheaper).
    """

    __slots__ = ("_frame",)

    def __init__(self, training=None, record_nodes=None):
        stack = _stack()
        outer = stack[-1] if stack else None
        if outer is None:
            self._frame = CallContext(training, True if record_nodes is None else record_nodes, next(_OUTER_CALLS))
        else:
            self._frame = CallContext(
                outer.training if training is None else training,
                outer.record_nodes if record_nodes is None else record_nodes,
                outer.call_number,
            )

    def __enter__(self) -> CallContext:
        _stack().append(self._frame)
        return self._frame

    def __exit__(self, *exc_info):
        _stack().pop()
        return False
