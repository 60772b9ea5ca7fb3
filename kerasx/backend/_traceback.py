"""Traceback filtering: an exception raised out of kerasx's entry points (`fit`, `evaluate`, `predict`, a layer
call, an op) shows the caller's frames and hides kerasx's internal ones, as Keras 3 does, while
`kerasx.config.is_traceback_filtering_enabled()` is True (the default).

The exception itself is unchanged (same object, message, cause and context); only its `__traceback__` loses the frames
whose code lives in the kerasx package. When every frame is kerasx's, the innermost one (where it was raised) stays.
The filter runs only when an exception passes through, so a call that succeeds pays nothing but the `try`.
"""

from __future__ import annotations

import functools
import os
import traceback
import types

from kerasx.backend import _config

# The kerasx package folder, with a trailing separator so that `kerasx_extra/` does not match.
PACKAGE_FOLDER = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def is_internal(filename: str) -> bool:
    return filename.startswith(PACKAGE_FOLDER)


def filter_frames(tb):
    """A new traceback with the frames of `tb` whose code is outside kerasx; the innermost frame if none is."""
    frames = list(traceback.walk_tb(tb))
    kept = None
    for frame, line in reversed(frames):
        if not is_internal(frame.f_code.co_filename):
            kept = types.TracebackType(kept, frame, frame.f_lasti, line)
    if kept is None and frames:
        frame, line = frames[-1]
        kept = types.TracebackType(None, frame, frame.f_lasti, line)
    return kept


def filtered(error: BaseException) -> BaseException:
    """`error` with its kerasx frames removed when filtering is enabled, else `error` untouched; to re-raise."""
    if _config.SETTINGS.traceback_filtering:
        return error.with_traceback(filter_frames(error.__traceback__))
    return error


def filter_traceback(function):
    """Decorator: exceptions raised out of `function` lose their kerasx-internal frames (see the module docstring).

    Example:

    >>> from kerasx.backend._traceback import filter_traceback
    >>> @filter_traceback
    ... def double(x):
    ...     return 2 * x
    >>> double(3)
    6
    """

    @functools.wraps(function)
    def error_handler(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - re-raised below
            # Re-raising the object being handled keeps its cause and context (no self-reference is added); no local
            # keeps the traceback, so no reference cycle holds the frames alive.
            raise filtered(error)  # noqa: B904 - the same exception, re-raised with fewer frames

    return error_handler
