"""What EarlyStopping, ModelCheckpoint and ReduceLROnPlateau share: the monitored value, its direction, improvement."""

from __future__ import annotations

import warnings

MODES = ("auto", "min", "max")

BAD_MODE = (
    "Invalid value for argument mode of {callback}: expected one of 'auto', 'min', 'max'. Received: mode={mode!r}. "
    "Use 'min' when lower values of the monitored metric are better, 'max' when higher are better."
)
UNKNOWN_DIRECTION = (
    "{callback} received monitor={monitor!r} but cannot tell whether that metric should be minimized or maximized "
    "(mode='auto' knows losses, errors, accuracies and a model metric with a direction). Pass mode='min' to treat "
    "lower values as better, or mode='max' to treat higher values as better."
)
MISSING_MONITOR = (
    "{callback} is conditioned on metric `{monitor}`, which is not available in the logs. Available metrics are: "
    "{available}. Check the `monitor` argument (validation metrics start with 'val_' and exist only when `fit` "
    "gets validation data)."
)
BAD_COUNT = "Invalid value for argument {name}: expected a non-negative integer. Received: {name}={value!r}."

_MAXIMIZED_NAMES = frozenset(
    {"acc", "auc", "precision", "recall", "f1_score", "fbeta_score", "r2_score", "iou", "mean_iou", "binary_iou"}
)
_MAXIMIZED_SUFFIXES = ("accuracy", "_acc", "_iou", "_auc")
_MAXIMIZED_PREFIXES = ("precision_at_", "recall_at_", "sensitivity_at_", "specificity_at_")
_MINIMIZED_NAMES = frozenset({"mse", "mae", "mape", "msle", "rmse", "poisson", "logcosh", "kl_divergence", "kld"})
_MINIMIZED_SUFFIXES = ("loss", "error", "crossentropy", "hinge", "divergence")


def check_mode(callback: str, mode) -> str:
    if mode not in MODES:
        raise ValueError(BAD_MODE.format(callback=callback, mode=mode))
    return mode


def check_count(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(BAD_COUNT.format(name=name, value=value))
    return value


def _direction_from_model(model, name: str):
    # Metric objects may say which way is better (`_direction` "up"/"down"); compile metrics nest theirs.
    pending = list(getattr(model, "metrics", None) or ())
    while pending:
        metric = pending.pop()
        pending.extend(getattr(metric, "metrics", None) or ())
        direction = getattr(metric, "_direction", None)
        if getattr(metric, "name", None) == name and direction in ("up", "down"):
            return "max" if direction == "up" else "min"
    return None


def _direction_from_name(name: str):
    if name in _MAXIMIZED_NAMES or name.endswith(_MAXIMIZED_SUFFIXES) or name.startswith(_MAXIMIZED_PREFIXES):
        return "max"
    if name in _MINIMIZED_NAMES or name.endswith(_MINIMIZED_SUFFIXES):
        return "min"
    return None


def resolve_direction(callback: str, monitor: str, mode: str, model) -> str:
    """'min' or 'max': `mode` itself, or for 'auto' what the model's metric or the metric's name says."""
    if mode != "auto":
        return mode
    name = monitor[len("val_") :] if monitor.startswith("val_") else monitor
    direction = _direction_from_model(model, name) if model is not None else None
    direction = direction or _direction_from_name(name)
    if direction is None:
        raise ValueError(UNKNOWN_DIRECTION.format(callback=callback, monitor=monitor))
    return direction


def is_improvement(current: float, reference, direction: str, min_delta: float) -> bool:
    """`current` beats `reference` (None: nothing to beat yet) by more than `min_delta` (>= 0) in `direction`."""
    if reference is None:
        return True
    if direction == "min":
        return current < reference - min_delta
    return current > reference + min_delta


def monitored_value(callback: str, monitor: str, logs):
    """The monitored value as a float, or None with a warning when `logs` lacks it."""
    logs = logs or {}
    value = logs.get(monitor)
    if value is None:
        available = ", ".join(logs) or "(none)"
        warnings.warn(MISSING_MONITOR.format(callback=callback, monitor=monitor, available=available), stacklevel=3)
        return None
    return float(value)


def worst_value(direction: str) -> float:
    return float("inf") if direction == "min" else float("-inf")
