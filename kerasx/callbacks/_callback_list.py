"""`CallbackList`: calls a list of callbacks in order; what the training loop talks to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kerasx.callbacks._callback import HOOKS, Callback
from kerasx.callbacks._history import History
from kerasx.callbacks._progbar import ProgbarLogger

NOT_A_CALLBACK = (
    "Expected each callback to be an instance of kerasx.callbacks.Callback. Received: callbacks[{index}]={value!r} "
    "of type {type_name}. Subclass Callback, or wrap plain functions in kerasx.callbacks.LambdaCallback."
)


def _as_list(callbacks) -> list:
    if callbacks is None:
        return []
    if isinstance(callbacks, Callback):
        return [callbacks]
    callbacks = list(callbacks)
    for index, callback in enumerate(callbacks):
        if not isinstance(callback, Callback):
            type_name = type(callback).__name__
            raise TypeError(NOT_A_CALLBACK.format(index=index, value=callback, type_name=type_name))
    return callbacks


class CallbackList(Callback):
    """Forwards every hook to `callbacks`, in order, passing the same `logs` dict to each (an empty dict when the
    caller gives none, as Keras does).

    User callbacks come first, in the order given; with `add_history=True` a `History` is appended and with
    `add_progbar=True` a `ProgbarLogger` after it, unless the list already holds one. Entries that callbacks add to
    `logs` (such as `learning_rate`) are therefore recorded by History and printed by the progress bar.

    Each hook only calls the callbacks that implement it, a list fixed when the model, params or callbacks change:
    a batch hook no callback implements costs one empty loop (well under a microsecond).

    Args:
        callbacks: a Callback or a list of them.
        add_history: append a `History` if there is none.
        add_progbar: append a `ProgbarLogger` if there is none.
        model: the model the callbacks act on.
        **params: `verbose`, `epochs`, `steps` and any other entries for `callback.params`.

    Example:
        >>> import kerasx
        >>> printer = kerasx.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch, logs))
        >>> callbacks = kerasx.callbacks.CallbackList([printer], add_history=True, epochs=2)
        >>> for epoch, loss in enumerate([0.5, 0.25]):
        ...     callbacks.on_epoch_end(epoch, {"loss": loss})
        0 {'loss': 0.5}
        1 {'loss': 0.25}
        >>> callbacks.callbacks[-1].history
        {'loss': [0.5, 0.25]}
    """

    # Set by `_refresh_dispatch`: per hook, the bound methods of the callbacks that implement it.
    _call_on_train_begin: tuple[Callable[..., Any], ...]
    _call_on_epoch_begin: tuple[Callable[..., Any], ...]
    _call_on_train_batch_begin: tuple[Callable[..., Any], ...]
    _call_on_train_batch_end: tuple[Callable[..., Any], ...]
    _call_on_epoch_end: tuple[Callable[..., Any], ...]
    _call_on_train_end: tuple[Callable[..., Any], ...]
    _call_on_test_begin: tuple[Callable[..., Any], ...]
    _call_on_test_batch_begin: tuple[Callable[..., Any], ...]
    _call_on_test_batch_end: tuple[Callable[..., Any], ...]
    _call_on_test_end: tuple[Callable[..., Any], ...]
    _call_on_predict_begin: tuple[Callable[..., Any], ...]
    _call_on_predict_batch_begin: tuple[Callable[..., Any], ...]
    _call_on_predict_batch_end: tuple[Callable[..., Any], ...]
    _call_on_predict_end: tuple[Callable[..., Any], ...]

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        super().__init__()
        self.callbacks = _as_list(callbacks)
        self._history = next((c for c in self.callbacks if isinstance(c, History)), None)
        self._progbar = next((c for c in self.callbacks if isinstance(c, ProgbarLogger)), None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)
        self._refresh_dispatch()

    def __iter__(self):
        return iter(self.callbacks)

    def __len__(self) -> int:
        return len(self.callbacks)

    def append(self, callback: Callback) -> None:
        (callback,) = _as_list([callback])
        if self.model is not None:
            callback.set_model(self.model)
        if self.params:
            callback.set_params(self.params)
        self.callbacks.append(callback)
        self._refresh_dispatch()

    def set_params(self, params: dict) -> None:
        super().set_params(params)
        for callback in self.callbacks:
            callback.set_params(params)
        self._refresh_dispatch()

    def set_model(self, model) -> None:
        super().set_model(model)
        for callback in self.callbacks:
            callback.set_model(model)
        self._refresh_dispatch()

    def _refresh_dispatch(self) -> None:
        # One tuple of bound methods per hook, so a hook call is a loop over exactly the callbacks that need it.
        for hook in HOOKS:
            methods = tuple(getattr(callback, hook) for callback in self.callbacks if callback._wants(hook))
            setattr(self, f"_call_{hook}", methods)

    def on_train_begin(self, logs=None):
        logs = {} if logs is None else logs
        for method in self._call_on_train_begin:
            method(logs)

    def on_train_end(self, logs=None):
        logs = {} if logs is None else logs
        for method in self._call_on_train_end:
            method(logs)

    def on_epoch_begin(self, epoch, logs=None):
        logs = {} if logs is None else logs
        for method in self._call_on_epoch_begin:
            method(epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        logs = {} if logs is None else logs
        for method in self._call_on_epoch_end:
            method(epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        methods = self._call_on_train_batch_begin
        if methods:
            logs = {} if logs is None else logs
            for method in methods:
                method(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        methods = self._call_on_train_batch_end
        if methods:
            logs = {} if logs is None else logs
            for method in methods:
                method(batch, logs)

    def on_batch_begin(self, batch, logs=None):
        self.on_train_batch_begin(batch, logs)

    def on_batch_end(self, batch, logs=None):
        self.on_train_batch_end(batch, logs)

    def on_test_begin(self, logs=None):
        logs = {} if logs is None else logs
        for method in self._call_on_test_begin:
            method(logs)

    def on_test_end(self, logs=None):
        logs = {} if logs is None else logs
        for method in self._call_on_test_end:
            method(logs)

    def on_test_batch_begin(self, batch, logs=None):
        methods = self._call_on_test_batch_begin
        if methods:
            logs = {} if logs is None else logs
            for method in methods:
                method(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        methods = self._call_on_test_batch_end
        if methods:
            logs = {} if logs is None else logs
            for method in methods:
                method(batch, logs)

    def on_predict_begin(self, logs=None):
        logs = {} if logs is None else logs
        for method in self._call_on_predict_begin:
            method(logs)

    def on_predict_end(self, logs=None):
        logs = {} if logs is None else logs
        for method in self._call_on_predict_end:
            method(logs)

    def on_predict_batch_begin(self, batch, logs=None):
        methods = self._call_on_predict_batch_begin
        if methods:
            logs = {} if logs is None else logs
            for method in methods:
                method(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        methods = self._call_on_predict_batch_end
        if methods:
            logs = {} if logs is None else logs
            for method in methods:
                method(batch, logs)
