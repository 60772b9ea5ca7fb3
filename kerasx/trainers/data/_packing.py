"""The batch forms `fit`/`evaluate`/`predict` hand to the steps: `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`."""

from __future__ import annotations

from typing import Any

BAD_BATCH = (
    "A batch must be `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`. Received a tuple of length {length}. "
    "Make the generator/dataset yield one of these forms (wrap several inputs in a tuple or dict of their own: "
    "`((x1, x2), y)`)."
)


def unpack_x_y_sample_weight(data: Any) -> tuple:
    """Splits a batch into `(x, y, sample_weight)`, with None for the parts it lacks.

    A tuple (or list) of length 1, 2 or 3 is `(x,)`, `(x, y)` or `(x, y, sample_weight)`; anything else (an array,
    a dict) is `x` alone. Custom `train_step`/`test_step`/`predict_step` methods use it to accept every form
    `fit` passes them.

    Args:
        data: a batch as the training loop passes it to a step.

    Returns:
        The tuple `(x, y, sample_weight)`.

    Example:

    >>> import numpy as np
    >>> x, y, sample_weight = unpack_x_y_sample_weight((np.ones((2, 3)), np.zeros((2, 1))))
    >>> y.shape, sample_weight is None
    ((2, 1), True)
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(BAD_BATCH.format(length=len(data)))


def pack_x_y_sample_weight(x: Any, y: Any = None, sample_weight: Any = None) -> Any:
    """The batch form `fit` uses for `x`, `y` and `sample_weight`: the shortest tuple that holds them.

    Without `y`, a single `x` stays as it is (an array or dict), and a list or tuple of inputs becomes `(x,)` so
    that it is not read as `(x, y)`.

    Args:
        x: the inputs.
        y: the targets, or None.
        sample_weight: the sample weights, or None (ignored without `y`).

    Returns:
        `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`.

    Example:

    >>> import numpy as np
    >>> x, y = np.ones((2, 3)), np.zeros((2, 1))
    >>> len(pack_x_y_sample_weight(x, y))
    2
    >>> pack_x_y_sample_weight(x) is x
    True
    >>> len(pack_x_y_sample_weight([x, x]))
    1
    """
    if y is None:
        return (x,) if isinstance(x, (list, tuple)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)
