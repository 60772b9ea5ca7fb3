"""Process-wide switches of `kerasx.config`: unsafe deserialization, traceback filtering, interactive logging,
flash attention and Flax NNX. Each is stored in `kerasx.backend._config.SETTINGS`, where the code that honours it
reads it (saving, the fit loop and ops, the progress bar and summary, `ops.dot_product_attention`)."""

from __future__ import annotations

from kerasx.backend import _config


def enable_unsafe_deserialization() -> None:
    """Turns safe mode off for the whole process: `load_model` then runs the Python code stored in a file (the
    bytecode of a `Lambda` layer's lambda) even when called with its default `safe_mode=True`.

    Only do this for files you trust: the stored code runs with your permissions. Passing `safe_mode=False` to one
    `load_model` call is the narrower choice.

    Example:

    >>> import kerasx
    >>> from kerasx.backend import _config
    >>> kerasx.config.enable_unsafe_deserialization()
    >>> _config.SETTINGS.safe_mode
    False
    >>> _config.SETTINGS.safe_mode = None  # back to the default, for the examples that follow
    """
    _config.SETTINGS.safe_mode = False


def enable_traceback_filtering() -> None:
    """Hides kerasx's internal frames in the tracebacks of errors raised out of `fit`, `evaluate`, `predict`, layer
    calls and ops (the default), leaving the frames of your code.

    Example:

    >>> import kerasx
    >>> kerasx.config.disable_traceback_filtering()
    >>> kerasx.config.enable_traceback_filtering()
    >>> kerasx.config.is_traceback_filtering_enabled()
    True
    """
    _config.SETTINGS.traceback_filtering = True


def disable_traceback_filtering() -> None:
    """Shows every frame, kerasx's included, in the tracebacks of errors raised out of kerasx: useful to debug
    kerasx itself or to report a bug.

    Example:

    >>> import kerasx
    >>> kerasx.config.disable_traceback_filtering()
    >>> kerasx.config.is_traceback_filtering_enabled()
    False
    >>> kerasx.config.enable_traceback_filtering()
    """
    _config.SETTINGS.traceback_filtering = False


def is_traceback_filtering_enabled() -> bool:
    """True when kerasx hides its internal frames in tracebacks (the default); see `disable_traceback_filtering`.

    Example:

    >>> import kerasx
    >>> kerasx.config.is_traceback_filtering_enabled()
    True
    """
    return _config.SETTINGS.traceback_filtering


def enable_interactive_logging() -> None:
    """Progress bars, epoch lines and `summary()` tables go to stdout (the default), redrawn in place on a
    terminal.

    Example:

    >>> import kerasx
    >>> kerasx.config.enable_interactive_logging()
    >>> kerasx.config.is_interactive_logging_enabled()
    True
    """
    _config.SETTINGS.interactive_logging = True


def disable_interactive_logging() -> None:
    """Progress bars, epoch lines and `summary()` tables go to the `kerasx` logger of Python's `logging` (level
    INFO) instead of stdout: the choice for jobs whose output is collected by a logging setup.

    Example:

    >>> import kerasx
    >>> kerasx.config.disable_interactive_logging()
    >>> kerasx.config.is_interactive_logging_enabled()
    False
    >>> kerasx.config.enable_interactive_logging()
    """
    _config.SETTINGS.interactive_logging = False


def is_interactive_logging_enabled() -> bool:
    """True when progress and summaries are written to stdout, False when they go to Python's `logging`.

    Example:

    >>> import kerasx
    >>> kerasx.config.is_interactive_logging_enabled()
    True
    """
    return _config.SETTINGS.interactive_logging


def enable_flash_attention() -> None:
    """Lets `ops.dot_product_attention(flash_attention=None)` use the engine's flash attention kernel where the
    engine, device and inputs allow it (the default). It does not force it: that is `flash_attention=True`.

    Example:

    >>> import kerasx
    >>> kerasx.config.enable_flash_attention()
    >>> kerasx.config.is_flash_attention_enabled() is None
    True
    """
    _config.SETTINGS.flash_attention = None


def disable_flash_attention() -> None:
    """`ops.dot_product_attention(flash_attention=None)` then never uses a flash attention kernel.

    Example:

    >>> import kerasx
    >>> kerasx.config.disable_flash_attention()
    >>> kerasx.config.is_flash_attention_enabled()
    False
    >>> kerasx.config.enable_flash_attention()
    """
    _config.SETTINGS.flash_attention = False


def is_flash_attention_enabled():
    """False after `disable_flash_attention()`, else None ("where possible"), as Keras 3 answers.

    Example:

    >>> import kerasx
    >>> kerasx.config.is_flash_attention_enabled() is None
    True
    """
    return _config.SETTINGS.flash_attention


def is_nnx_enabled() -> bool:
    """Whether Flax NNX integration is on: always False, since kerasx has no Flax integration (its jax layers are
    plain pytrees of arrays, not NNX modules).

    Example:

    >>> import kerasx
    >>> kerasx.config.is_nnx_enabled()
    False
    """
    return False
