"""A model's compile arguments in a `.keras` file's `compile_config`, written and read as Keras 3 does.

Losses and metrics are given by name ("mse"), as objects (`SparseCategoricalCrossentropy(from_logits=True)`),
or as lists and dicts of those per output. Objects are serialized with their class; loss and metric classes that
share a name (`MeanAbsoluteError`) are told apart by where they appear, so each entry is read with its own table.
"""

from __future__ import annotations

import warnings

from kerasx import losses as losses_module
from kerasx import metrics as metrics_module
from kerasx import optimizers as optimizers_module
from kerasx.backend import _tree
from kerasx.metrics._names import ALL_CLASSES as METRIC_CLASSES
from kerasx.saving import _keras_config
from kerasx.serialization import _registry
from kerasx.trainers import Trainer

LOSS_CLASSES = dict(losses_module.ALL_CLASSES)
# The classes each compile argument may name besides registered ones.
_KNOWN = {"loss": LOSS_CLASSES, "metrics": METRIC_CLASSES, "weighted_metrics": METRIC_CLASSES}


def _serialize_entry(entry):
    def one(item):
        if item is None or isinstance(item, str):
            return item
        return _registry.serialize_keras_object(item)

    return _tree.map_structure(one, entry) if entry is not None else None


def export_compile_config(model) -> dict | None:
    """The arguments `compile` was called with, in the Keras file form; None for a model that was not compiled."""
    if not getattr(model, "compiled", False) or model.optimizer is None:
        return None
    compile_loss, compile_metrics = model._compile_loss, model._compile_metrics
    config = {
        "optimizer": optimizers_module.serialize(model.optimizer),
        "loss": _serialize_entry(compile_loss._loss) if compile_loss is not None else None,
        "loss_weights": compile_loss._loss_weights if compile_loss is not None else None,
        "metrics": _serialize_entry(compile_metrics._metrics) if compile_metrics is not None else None,
        "weighted_metrics": _serialize_entry(compile_metrics._weighted_metrics) if compile_metrics else None,
        "run_eagerly": model.run_eagerly,
        "steps_per_execution": getattr(model, "steps_per_execution", 1),
        "jit_compile": model._jit_compile_config,
    }
    return {key: _keras_config.export_config(value, known=_KNOWN.get(key)) for key, value in config.items()}


def _deserialize_entry(entry, deserialize):
    if entry is None:
        return None
    if isinstance(entry, str):
        # A registered custom function ("package>name"); built-in names ("mse") are resolved by compile.
        return (_registry.get_registered_object(entry) if ">" in entry else None) or entry
    if isinstance(entry, dict) and "class_name" in entry:
        return deserialize(entry)
    if isinstance(entry, dict):
        return {k: _deserialize_entry(v, deserialize) for k, v in entry.items()}
    if isinstance(entry, (list, tuple)):
        return [_deserialize_entry(v, deserialize) for v in entry]
    return entry


CUSTOM_COMPILE = (
    "`compile()` was not called while loading {name!r}: its class {cls} overrides `compile()`, whose arguments the "
    "file's compile config may not fit. Call `model.compile(...)` yourself after loading (or load with "
    "`compile=False` to silence this)."
)


def compile_from_config(model, entry: dict, path: str, custom_objects, safe_mode) -> None:
    """Compiles `model` with a file's `compile_config` (checked and converted like the rest of the config); a model
    whose class overrides `compile` is left uncompiled with a warning, as Keras 3 does (its arguments are its own)."""
    if type(model).compile is not Trainer.compile:
        warnings.warn(CUSTOM_COMPILE.format(name=model.name, cls=type(model).__name__), stacklevel=3)
        return
    model.compile(**compile_arguments(entry, path, custom_objects, safe_mode))


def compile_arguments(entry: dict, path: str, custom_objects, safe_mode) -> dict:
    """The keyword arguments of `compile` a `compile_config` describes (checked and converted like the rest of
    the config)."""
    config = {}
    for key, value in entry.items():
        importer = _keras_config.Importer(path, custom_objects, safe_mode, known=_KNOWN.get(key))
        config[importer.key(key)] = importer.value(value)
    steps = config.get("steps_per_execution", 1)
    return dict(
        optimizer=optimizers_module.deserialize(config["optimizer"]),
        loss=_deserialize_entry(config.get("loss"), losses_module.deserialize),
        loss_weights=config.get("loss_weights"),
        metrics=_deserialize_entry(config.get("metrics"), metrics_module.deserialize),
        weighted_metrics=_deserialize_entry(config.get("weighted_metrics"), metrics_module.deserialize),
        run_eagerly=bool(config.get("run_eagerly", False)),
        steps_per_execution=steps if isinstance(steps, int) and not isinstance(steps, bool) and steps > 0 else 1,
    )
