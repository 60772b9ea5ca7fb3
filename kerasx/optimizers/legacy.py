"""Keras 3's `keras.optimizers.legacy` names: the tf.keras 2 optimizers, which Keras 3 and kerasx do not provide.

The names exist so that a program written for tf.keras 2 imports; building one raises an ImportError (as Keras 3
does) that names the kerasx optimizer to use instead. No instance ever exists, so `isinstance(x, legacy.Optimizer)`
is False, as in Keras 3.
"""

from __future__ import annotations

from typing import NoReturn

from kerasx import _missing

UNSUPPORTED = (
    "`kerasx.optimizers.legacy.{name}` is not supported: kerasx, like Keras 3, has no tf.keras 2 (`legacy`) "
    "optimizers. Use `kerasx.optimizers.{name}` instead{hint}; it runs on every backend. (A program that needs the "
    "tf.keras 2 optimizers themselves needs the `tf_keras` package with TensorFlow, not kerasx.)"
)
_SUBCLASS_HINT = " (subclass it to write your own optimizer)"


class _Unsupported:
    """A name Keras 3 keeps for tf.keras 2 code; building one raises an ImportError saying what to use."""

    _hint = ""

    def __init__(self, *args, **kwargs) -> NoReturn:
        raise ImportError(UNSUPPORTED.format(name=type(self).__name__, hint=self._hint))


class Optimizer(_Unsupported):
    """tf.keras 2's optimizer base class, which kerasx does not provide: subclass `kerasx.optimizers.Optimizer`.

    Example:
        >>> import kerasx
        >>> try:
        ...     kerasx.optimizers.legacy.Optimizer()
        ... except ImportError as error:
        ...     print("`kerasx.optimizers.Optimizer`" in str(error))
        True
    """

    _hint = _SUBCLASS_HINT


class Adagrad(_Unsupported):
    """tf.keras 2's Adagrad, which kerasx does not provide: use `kerasx.optimizers.Adagrad`.

    Example:
        >>> import kerasx
        >>> try:
        ...     kerasx.optimizers.legacy.Adagrad(learning_rate=0.1)
        ... except ImportError as error:
        ...     print("`kerasx.optimizers.Adagrad`" in str(error))
        True
    """


class Adam(_Unsupported):
    """tf.keras 2's Adam, which kerasx does not provide: use `kerasx.optimizers.Adam`.

    Example:
        >>> import kerasx
        >>> try:
        ...     kerasx.optimizers.legacy.Adam(learning_rate=1e-3)
        ... except ImportError as error:
        ...     print("`kerasx.optimizers.Adam`" in str(error))
        True
    """


class Ftrl(_Unsupported):
    """tf.keras 2's Ftrl, which kerasx does not provide: use `kerasx.optimizers.Ftrl`.

    Example:
        >>> import kerasx
        >>> try:
        ...     kerasx.optimizers.legacy.Ftrl()
        ... except ImportError as error:
        ...     print("`kerasx.optimizers.Ftrl`" in str(error))
        True
    """


class RMSprop(_Unsupported):
    """tf.keras 2's RMSprop, which kerasx does not provide: use `kerasx.optimizers.RMSprop`.

    Example:
        >>> import kerasx
        >>> try:
        ...     kerasx.optimizers.legacy.RMSprop()
        ... except ImportError as error:
        ...     print("`kerasx.optimizers.RMSprop`" in str(error))
        True
    """


class SGD(_Unsupported):
    """tf.keras 2's SGD, which kerasx does not provide: use `kerasx.optimizers.SGD`.

    Example:
        >>> import kerasx
        >>> try:
        ...     kerasx.optimizers.legacy.SGD(learning_rate=0.01, momentum=0.9)
        ... except ImportError as error:
        ...     print("`kerasx.optimizers.SGD`" in str(error))
        True
    """


__all__ = ["SGD", "Adagrad", "Adam", "Ftrl", "Optimizer", "RMSprop"]

# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`).
__getattr__ = _missing.missing_name_hook(__name__)
