"""A model's architecture as JSON text: `Model.to_json` and `models.model_from_json`, in Keras 3's format."""

from __future__ import annotations

import json

from kerasx.saving import _archive, _saving_lib

JSON_SOURCE = "<model_from_json>"
NOT_A_MODEL_CONFIG = (
    "model_from_json expects the JSON of a model config (an object, as `model.to_json()` writes). Received JSON of "
    "a {kind}."
)


def model_to_json(model, **kwargs) -> str:
    """The JSON of `model`'s config as a `.keras` file stores it (with `build_config` and, for a compiled model,
    `compile_config`); `kwargs` go to `json.dumps` (e.g. `indent=2`)."""
    return json.dumps(_saving_lib.model_config(model), **kwargs)


def model_from_json(json_string: str, custom_objects: dict | None = None):
    """A new model from JSON written by `model.to_json()` (kerasx or Keras 3): same architecture, new weights;
    compiled when the JSON holds compile arguments.

    Classes are looked up by name (kerasx's, registered ones, `custom_objects`); nothing named in the text is
    imported, and stored Python bytecode is refused (as `load_model` with `safe_mode=True`).

    Args:
        json_string: the JSON text.
        custom_objects: dict of name -> class or function for custom layers, losses, metrics, ...

    Returns:
        The model.

    Example:
        >>> import kerasx
        >>> model = kerasx.Sequential([kerasx.Input(shape=(3,)), kerasx.layers.Dense(2, name="out")])
        >>> copy = kerasx.models.model_from_json(model.to_json())
        >>> [layer.name for layer in copy.layers], copy.output_shape
        (['out'], (None, 2))
    """
    config = _archive.parse_json(JSON_SOURCE, "json_string", json_string.encode("utf-8"))
    if not isinstance(config, dict):
        raise ValueError(NOT_A_MODEL_CONFIG.format(kind=type(config).__name__))
    return _saving_lib.model_from_config(config, JSON_SOURCE, custom_objects)
