"""`LambdaCallback`: a callback built from plain functions, one per hook."""

from __future__ import annotations

from kerasx.callbacks._callback import HOOKS, Callback

UNKNOWN_HOOK = (
    "LambdaCallback got an unexpected keyword argument {name!r}. Expected hook names: {known}. Functions take "
    "(epoch, logs) for epoch hooks, (batch, logs) for batch hooks and (logs) for begin/end hooks."
)
NOT_CALLABLE = "LambdaCallback expects a function or None for {name}. Received: {name}={value!r}."


class LambdaCallback(Callback):
    """Calls the given functions at the matching hooks; the other hooks do nothing.

    `on_epoch_begin` / `on_epoch_end` take `(epoch, logs)`, batch hooks (`on_train_batch_end`, `on_test_batch_end`,
    ...) take `(batch, logs)`, the begin/end hooks (`on_train_begin`, `on_predict_end`, ...) take `(logs)`.

    Args:
        on_epoch_begin, on_epoch_end, on_train_begin, on_train_end, on_train_batch_begin, on_train_batch_end: functions
            for those hooks.
        **kwargs: functions for the other hooks, by hook name.

    Example:
        >>> import kerasx
        >>> losses = []
        >>> callback = kerasx.callbacks.LambdaCallback(
        ...     on_epoch_end=lambda epoch, logs: losses.append(logs["loss"]),
        ...     on_train_end=lambda logs: print("done after", len(losses), "epochs"))
        >>> callback.on_epoch_end(0, {"loss": 0.5})
        >>> callback.on_epoch_end(1, {"loss": 0.25})
        >>> callback.on_train_end({})
        done after 2 epochs
        >>> losses
        [0.5, 0.25]
    """

    def __init__(
        self,
        on_epoch_begin=None,
        on_epoch_end=None,
        on_train_begin=None,
        on_train_end=None,
        on_train_batch_begin=None,
        on_train_batch_end=None,
        **kwargs,
    ):
        super().__init__()
        known = set(HOOKS) | {"on_batch_begin", "on_batch_end"}
        for name in kwargs:
            if name not in known:
                raise TypeError(UNKNOWN_HOOK.format(name=name, known=", ".join(sorted(known))))
        functions = dict(
            on_epoch_begin=on_epoch_begin,
            on_epoch_end=on_epoch_end,
            on_train_begin=on_train_begin,
            on_train_end=on_train_end,
            on_train_batch_begin=on_train_batch_begin,
            on_train_batch_end=on_train_batch_end,
            **kwargs,
        )
        for name, function in functions.items():
            if function is None:
                continue
            if not callable(function):
                raise TypeError(NOT_CALLABLE.format(name=name, value=function))
            # An instance attribute replaces the empty hook; CallbackList sees it and calls it.
            setattr(self, name, function)
