"""Debugging caps on training: at most `max_epochs` epochs per `fit`, and at most `max_steps_per_epoch` steps per
epoch of `fit`, `evaluate` and `predict`. Also read from `KERAS_MAX_EPOCHS` and `KERAS_MAX_STEPS_PER_EPOCH` at import,
so that a script can be run quickly without editing it: `KERAS_MAX_EPOCHS=1 python train.py`."""

from __future__ import annotations

from kerasx.backend import _config


def max_epochs():
    """The cap on the epochs of any `fit` call, or None (no cap; also 0).

    Example:

    >>> import kerasx
    >>> kerasx.config.max_epochs() is None
    True
    """
    return _config.SETTINGS.max_epochs


def set_max_epochs(max_epochs) -> None:
    """Caps the number of epochs of every later `fit` call (with a warning when it cuts one short).

    Args:
        max_epochs: a non-negative int, or None to lift the cap (0 lifts it too, as in Keras 3).

    Example:

    >>> import kerasx
    >>> kerasx.config.set_max_epochs(2)  # `fit(..., epochs=10)` now runs 2 epochs and warns
    >>> kerasx.config.max_epochs()
    2
    >>> kerasx.config.set_max_epochs(None)
    """
    _config.SETTINGS.max_epochs = _config.check_limit(max_epochs, "max_epochs")


def max_steps_per_epoch():
    """The cap on the steps of one epoch of `fit`, `evaluate` or `predict`, or None (no cap; also 0).

    Example:

    >>> import kerasx
    >>> kerasx.config.max_steps_per_epoch() is None
    True
    """
    return _config.SETTINGS.max_steps_per_epoch


def set_max_steps_per_epoch(max_steps_per_epoch) -> None:
    """Caps the number of steps (batches) of each epoch of every later `fit`, `evaluate` and `predict` call.

    Args:
        max_steps_per_epoch: a non-negative int, or None to lift the cap (0 lifts it too, as in Keras 3).

    Example:

    >>> import numpy as np
    >>> import kerasx
    >>> model = kerasx.Sequential([kerasx.Input((2,)), kerasx.layers.Dense(1)])
    >>> kerasx.config.set_max_steps_per_epoch(1)
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     predictions = model.predict(np.ones((8, 2)), batch_size=2, verbose=0)
    >>> predictions.shape
    (2, 1)
    >>> kerasx.config.set_max_steps_per_epoch(None)
    """
    _config.SETTINGS.max_steps_per_epoch = _config.check_limit(max_steps_per_epoch, "max_steps_per_epoch")
