"""Global settings: which engine, default float dtype, epsilon, image layout, and the process-wide switches of
`kerasx.config` (safe mode, traceback filtering, interactive logging, flash attention, fit caps).

Settings come from `KERAS_BACKEND`, else `$KERASX_HOME/kerasx.json` (default home `~/.kerasx`), else defaults; the fit
caps also from `KERAS_MAX_EPOCHS` and `KERAS_MAX_STEPS_PER_EPOCH`, as in Keras 3. Nothing here ever writes a file:
the config file is the user's to create. The switches live here, on the ground floor, so that every layer of kerasx
(ops, trainers, saving) can read them without importing `kerasx.config`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal, cast

VALID_BACKENDS = ("jax", "torch", "tensorflow", "numpy")
DEFAULT_BACKEND = "jax"
VALID_FLOATX = ("float16", "bfloat16", "float32", "float64")
VALID_DATA_FORMATS = ("channels_last", "channels_first")
ImageDataFormat = Literal["channels_last", "channels_first"]

UNKNOWN_BACKEND = (
    "Unknown kerasx backend. Received: {source}={name!r}. Valid backends are: {valid}. "
    "Fix it by setting KERAS_BACKEND to one of them, e.g. `KERAS_BACKEND=torch python train.py`."
)
BAD_CONFIG_FILE = (
    "The kerasx config file {path} is not a JSON object. Received: {content!r}. "
    'Expected something like {{"backend": "jax", "floatx": "float32"}}; fix or delete the file.'
)


def config_home() -> Path:
    return Path(os.environ.get("KERASX_HOME", Path.home() / ".kerasx"))


def read_config_file() -> dict:
    path = config_home() / "kerasx.json"
    if not path.is_file():
        return {}
    text = path.read_text()
    try:
        content = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(BAD_CONFIG_FILE.format(path=path, content=text[:200])) from error
    if not isinstance(content, dict):
        raise ValueError(BAD_CONFIG_FILE.format(path=path, content=content))
    return content


def resolve_backend_name(config: dict) -> str:
    name = os.environ.get("KERAS_BACKEND")
    source = "KERAS_BACKEND"
    if not name:
        name = config.get("backend", DEFAULT_BACKEND)
        source = f"{config_home() / 'kerasx.json'}:backend"
    normalized = str(name).strip().lower()
    if normalized not in VALID_BACKENDS:
        raise ValueError(UNKNOWN_BACKEND.format(source=source, name=name, valid=", ".join(VALID_BACKENDS)))
    return normalized


BAD_LIMIT = (
    "{name} must be a non-negative int, or None (0 and None mean no limit). Received: {name}={value!r}{source}. "
    "Pass e.g. {name}=2, or None to lift the limit."
)


def check_limit(value, name: str, source: str = ""):
    if value is None:
        return None
    if isinstance(value, bool) or (not isinstance(value, int) and not hasattr(value, "__index__")):
        raise ValueError(BAD_LIMIT.format(name=name, value=value, source=source))
    if int(value) < 0:
        raise ValueError(BAD_LIMIT.format(name=name, value=value, source=source))
    return int(value)


def _limit_from_environment(variable: str, name: str):
    text = os.environ.get(variable)
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        value = text
    return check_limit(value, name, source=f" (from the {variable} environment variable)")


class _Settings:
    """Mutable process-wide settings; the engine choice itself is fixed at import."""

    def __init__(self, config: dict):
        self.floatx = _check_floatx(config.get("floatx", "float32"))
        self.epsilon = float(config.get("epsilon", 1e-7))
        self.image_data_format: ImageDataFormat = _check_data_format(config.get("image_data_format", "channels_last"))
        # None: each `load_model` call decides with its `safe_mode` argument; False once
        # `enable_unsafe_deserialization()` ran, which overrides it, as in Keras 3.
        self.safe_mode: bool | None = None
        self.traceback_filtering = True
        self.interactive_logging = True
        # None: "use it where the engine can" (Keras 3's default); False: never.
        self.flash_attention: bool | None = None
        self.max_epochs = _limit_from_environment("KERAS_MAX_EPOCHS", "max_epochs")
        self.max_steps_per_epoch = _limit_from_environment("KERAS_MAX_STEPS_PER_EPOCH", "max_steps_per_epoch")


def _check_floatx(value) -> str:
    if value not in VALID_FLOATX:
        raise ValueError(f"Unknown floatx. Received: floatx={value!r}. Expected one of {VALID_FLOATX}.")
    return value


def _check_data_format(value) -> ImageDataFormat:
    if value not in VALID_DATA_FORMATS:
        raise ValueError(
            f"Unknown image data format. Received: data_format={value!r}. Expected one of {VALID_DATA_FORMATS}."
        )
    return cast(ImageDataFormat, value)


# Read once, at import: the engine choice cannot change afterwards.
CONFIG = read_config_file()
BACKEND_NAME = resolve_backend_name(CONFIG)
SETTINGS = _Settings(CONFIG)


def backend() -> str:
    """Name of the engine kerasx runs on: "jax", "torch", "tensorflow" or "numpy".

    Chosen once, at import, by `KERAS_BACKEND`, else the "backend" entry of `$KERASX_HOME/kerasx.json`, else "jax".

    Example:

    >>> import kerasx
    >>> kerasx.config.backend() in ("jax", "torch", "tensorflow", "numpy")
    True
    """
    return BACKEND_NAME


def floatx() -> str:
    """Default float dtype for weights and for Python floats, e.g. "float32".

    Example:

    >>> import kerasx
    >>> kerasx.config.floatx()
    'float32'
    """
    return SETTINGS.floatx


def set_floatx(value: str) -> None:
    SETTINGS.floatx = _check_floatx(value)


def epsilon() -> float:
    """The small constant that guards divisions and logarithms in losses, metrics and normalizations (1e-7).

    Example:

    >>> import kerasx
    >>> kerasx.config.epsilon()
    1e-07
    """
    return SETTINGS.epsilon


def set_epsilon(value: float) -> None:
    """Sets the fuzz factor returned by `epsilon()`; losses and metrics read it on every call.

    Args:
        value: a float.

    Example:

    >>> import kerasx
    >>> previous = kerasx.config.epsilon()
    >>> kerasx.config.set_epsilon(1e-5)
    >>> kerasx.config.epsilon()
    1e-05
    >>> kerasx.config.set_epsilon(previous)
    """
    SETTINGS.epsilon = float(value)


def image_data_format() -> ImageDataFormat:
    """The default layout of image tensors: "channels_last" (`(batch, height, width, channels)`) or
    "channels_first" (`(batch, channels, height, width)`), read by layers whose `data_format` is None.

    Example:

    >>> import kerasx
    >>> kerasx.config.image_data_format()
    'channels_last'
    """
    return SETTINGS.image_data_format


def set_image_data_format(data_format: str) -> None:
    """Sets the default layout of image tensors for layers created afterwards.

    Args:
        data_format: "channels_last" or "channels_first".

    Example:

    >>> import kerasx
    >>> kerasx.config.set_image_data_format("channels_first")
    >>> kerasx.layers.Conv2D(4, 3).data_format
    'channels_first'
    >>> kerasx.config.set_image_data_format("channels_last")
    """
    SETTINGS.image_data_format = _check_data_format(str(data_format).lower())


def standardize_data_format(data_format: str | None) -> ImageDataFormat:
    """The image data format a layer uses: `data_format` checked and lower-cased, or the global default for None.

    Args:
        data_format: "channels_last", "channels_first" (any case) or None.

    Returns:
        "channels_last" or "channels_first".

    Example:
        >>> import kerasx
        >>> kerasx.backend.standardize_data_format("Channels_First")
        'channels_first'
        >>> kerasx.backend.standardize_data_format(None) == kerasx.backend.image_data_format()
        True
    """
    if data_format is None:
        return SETTINGS.image_data_format
    return _check_data_format(str(data_format).lower())
