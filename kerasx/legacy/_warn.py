"""The one way the compatibility module warns: a `DeprecationWarning` attributed to the user's line."""

from __future__ import annotations

import sys
import warnings


def _inside_kerasx(frame) -> bool:
    name = frame.f_globals.get("__name__", "")
    return name == "kerasx" or name.startswith("kerasx.")


def deprecated(message: str) -> None:
    """Warns with `message`, pointing at the first caller outside kerasx (the line that used the old spelling),
    so that Python's default filters show it in scripts and the warning names the user's file, not ours."""
    frame = sys._getframe(1)
    level = 2
    while frame is not None and _inside_kerasx(frame):
        frame = frame.f_back
        level += 1
    warnings.warn(message, DeprecationWarning, stacklevel=level)
