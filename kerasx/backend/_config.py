"""Global settings: which engine, default float dtype, epsilon, image layout.

Settings come from `KERAS_BACKEND`, else `$KERASX_HOME/kerasx.json` (default home `~/.kerasx`), else defaults.
Nothing here ever writes a file: the config file is the user's to create.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

VALID_BACKENDS = ("jax", "torch", "tensorflow", "numpy")
DEFAULT_BACKEND = "jax"
VALID_FLOATX = ("float16", "bfloat16", "float32", "float64")
VALID_DATA_FORMATS = ("channels_last", "channels_first")

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


class _Settings:
    """Mutable process-wide numeric settings; the engine choice itself is fixed at import."""

    def __init__(self, config: dict):
        self.floatx = _check_floatx(config.get("floatx", "float32"))
        self.epsilon = float(config.get("epsilon", 1e-7))
        self.image_data_format = _check_data_format(config.get("image_data_format", "channels_last"))


def _check_floatx(value) -> str:
    if value not in VALID_FLOATX:
        raise ValueError(f"Unknown floatx. Received: floatx={value!r}. Expected one of {VALID_FLOATX}.")
    return value


def _check_data_format(value) -> str:
    if value not in VALID_DATA_FORMATS:
        raise ValueError(
            f"Unknown image data format. Received: data_format={value!r}. Expected one of {VALID_DATA_FORMATS}."
        )
    return value


# Read once, at import: the engine choice cannot change afterwards.
CONFIG = read_config_file()
BACKEND_NAME = resolve_backend_name(CONFIG)
SETTINGS = _Settings(CONFIG)


def backend() -> str:
    """Name of the engine kerasx runs on: "jax", "torch", "tensorflow" or "numpy"."""
    return BACKEND_NAME


def floatx() -> str:
    """Default float dtype for weights and for Python floats, e.g. "float32"."""
    return SETTINGS.floatx


def set_floatx(value: str) -> None:
    SETTINGS.floatx = _check_floatx(value)


def epsilon() -> float:
    return SETTINGS.epsilon


def set_epsilon(value: float) -> None:
    SETTINGS.epsilon = float(value)


def image_data_format() -> str:
    return SETTINGS.image_data_format


def set_image_data_format(value: str) -> None:
    SETTINGS.image_data_format = _check_data_format(value)


def standardize_data_format(data_format: str | None) -> str:
    if data_format is None:
        return SETTINGS.image_data_format
    return _check_data_format(str(data_format).lower())
