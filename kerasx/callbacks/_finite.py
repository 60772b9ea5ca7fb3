"""The check run before a checkpoint is written: a weight or optimizer variable holding NaN or Inf is never saved."""

from __future__ import annotations

import numpy as np

SKIPPED_NON_FINITE = (
    "{callback}: not saving {what} at {when}: variable '{variable}' holds NaN or Inf values. The previous "
    "checkpoint is kept. Lower the learning rate, clip gradients, or check the data for NaNs."
)


def _is_finite(value) -> bool:
    array = np.asarray(value)
    if array.dtype.kind in "biuOSU":
        return True  # integer and boolean state (counters, seeds) cannot be NaN
    return bool(np.isfinite(array).all())


def first_non_finite(model) -> str | None:
    """The path of the first model weight or optimizer variable holding NaN or Inf, or None when all are finite.

    Args:
        model: a model; its `weights` and its optimizer's `variables` (when compiled) are checked.

    Returns:
        The variable's path (`dense/kernel`), or None.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> from kerasx.callbacks._finite import first_non_finite
        >>> model = kerasx.Sequential([kerasx.Input(shape=(2,)), kerasx.layers.Dense(1)])
        >>> print(first_non_finite(model))
        None
        >>> _ = model.layers[0].bias.assign(np.array([np.nan], dtype="float32"))
        >>> first_non_finite(model) == model.layers[0].bias.path  # e.g. "dense/bias"
        True
    """
    optimizer = getattr(model, "optimizer", None)
    variables = list(getattr(model, "weights", None) or ()) + list(getattr(optimizer, "variables", None) or ())
    for variable in variables:
        if not _is_finite(variable.numpy() if hasattr(variable, "numpy") else variable):
            return str(getattr(variable, "path", None) or getattr(variable, "name", "?"))
    return None
