"""Matching per-output configuration (losses, weights, metrics) to a model's outputs."""

from __future__ import annotations

from kerasx import ops
from kerasx.backend import _tree

WRONG_COUNT = (
    "`{what}` has {received} entries but the model has {expected} outputs ({names}). Received: {what}={value!r}. "
    "Pass one entry per output (a list in output order, or a dict keyed by output name)."
)
UNKNOWN_OUTPUT_KEY = (
    "`{what}` has keys {unknown} that are not output names of the model. Received: {what}={value!r}. "
    "The model's outputs are named {names}."
)


def per_output(value, output_names, what, broadcast_single=True) -> list:
    """A list aligned with `output_names` from a single value, a list, or a dict keyed by output name.

    A single (non-list, non-dict) value applies to every output when `broadcast_single`.
    """
    count = len(output_names)
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(output_names))
        if unknown:
            raise ValueError(UNKNOWN_OUTPUT_KEY.format(what=what, unknown=unknown, value=value, names=output_names))
        return [value.get(name) for name in output_names]
    if isinstance(value, (list, tuple)) and (count > 1 or (value and isinstance(value[0], (list, tuple)))):
        if len(value) != count:
            raise ValueError(
                WRONG_COUNT.format(what=what, received=len(value), expected=count, names=output_names, value=value)
            )
        return list(value)
    if broadcast_single or count == 1:
        return [value] * count
    raise ValueError(WRONG_COUNT.format(what=what, received=1, expected=count, names=output_names, value=value))


def flatten_outputs(structure, output_names):
    """Model outputs or targets as a list aligned with `output_names` (dicts by key, lists by position)."""
    if isinstance(structure, dict):
        missing = [name for name in output_names if name not in structure]
        if missing:
            raise ValueError(
                f"Targets are a dict, but keys {missing} are missing. Received keys: {sorted(structure)}. "
                f"Expected one entry per model output: {output_names}."
            )
        return [structure[name] for name in output_names]
    if isinstance(structure, (list, tuple)):
        return list(structure)
    return [structure]


def output_names_of(model, y_pred) -> list:
    names = getattr(model, "output_names", None)
    count = len(_tree.flatten(y_pred)) if isinstance(y_pred, (list, tuple, dict)) else 1
    if isinstance(y_pred, dict):
        return list(y_pred)
    if names and len(names) == count:
        return list(names)
    return ["output"] if count == 1 else [f"output_{i + 1}" for i in range(count)]


def batch_size_of(structure):
    """Number of samples in a batch (first dimension of its first tensor): a Python float when the shape says it,
    else (under `tf.function`, a batch dimension unknown while tracing) a float32 tensor read at run time.

    The common case, a single tensor, costs no walk over a structure.
    """
    first = structure if hasattr(structure, "shape") else _tree.flatten(structure)[0]
    size = ops.shape(first)[0]
    return float(size) if isinstance(size, int) else ops.cast(size, "float32")
