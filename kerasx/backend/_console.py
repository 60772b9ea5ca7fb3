"""Where kerasx's progress bars and model summaries go: stdout while interactive logging is enabled (the default),
else the `kerasx` logger of Python's `logging` at INFO level, as Keras 3 sends them to `absl.logging`.

A job running on a server calls `kerasx.config.disable_interactive_logging()` and configures `logging` (handlers,
format, level) to route the lines with its other logs.
"""

from __future__ import annotations

import logging
import sys

from kerasx.backend import _config

LOGGER = logging.getLogger("kerasx")


def interactive() -> bool:
    return _config.SETTINGS.interactive_logging


def write(text: str) -> None:
    """Writes `text` as is to stdout, or logs it as one message (without the carriage returns and final newline
    that only mean something on a terminal)."""
    if _config.SETTINGS.interactive_logging:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    message = text.replace("\r", "").rstrip("\n")
    if message.strip():
        LOGGER.info(message)


def print_line(text: str) -> None:
    """`print(text)` while interactive, else one log message."""
    write(f"{text}\n")
