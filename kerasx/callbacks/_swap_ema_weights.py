"""`SwapEMAWeights`: evaluates and predicts with the optimizer's moving averages of the weights."""

from __future__ import annotations

import numpy as np

from kerasx import ops
from kerasx.callbacks._callback import Callback

NO_EMA = (
    "SwapEMAWeights needs an optimizer that keeps moving averages of the weights: create it with `use_ema=True`, "
    "e.g. `kerasx.optimizers.Adam(use_ema=True)`. Received: an optimizer {name!r} with use_ema={use_ema}."
)
NO_EMA_IN_MULTI = (
    "SwapEMAWeights needs at least one optimizer with `use_ema=True`; every inner optimizer of this "
    "MultiOptimizer has use_ema=False."
)
NOT_BUILT = (
    "SwapEMAWeights found the optimizer {name!r} not built yet, so it has no moving averages to swap in. "
    "Train the model (`fit`) before evaluating or predicting with EMA weights."
)


def _ema_optimizers(optimizer) -> list:
    """The optimizers holding moving averages: the inner one of a loss-scale wrapper, those of a MultiOptimizer."""
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)
    inner = getattr(optimizer, "optimizers", None)
    if inner is not None:
        with_ema = [o for o in inner if getattr(o, "use_ema", False)]
        if not with_ema:
            raise ValueError(NO_EMA_IN_MULTI)
        return with_ema
    if not getattr(optimizer, "use_ema", False):
        name, use_ema = getattr(optimizer, "name", None), getattr(optimizer, "use_ema", None)
        raise ValueError(NO_EMA.format(name=name, use_ema=use_ema))
    return [optimizer]


def _pairs(optimizer) -> list:
    if not getattr(optimizer, "built", False):
        raise ValueError(NOT_BUILT.format(name=optimizer.name))
    return list(zip(optimizer._trainable_variables, optimizer._averages))


class SwapEMAWeights(Callback):
    """Puts the optimizer's exponential moving averages (EMA) of the weights into the model for evaluation and
    prediction, and the trained weights back afterwards.

    The optimizer must be created with `use_ema=True`. During `evaluate`/`predict` (and the validation of `fit`)
    the model holds the averages; training continues from the trained weights. With `swap_on_epoch=True` the
    averages are also swapped in at each epoch end, so that callbacks running then (e.g. `ModelCheckpoint`) see
    them; after the last epoch the model keeps them.

    Args:
        swap_on_epoch: also swap at the end of each epoch (and back at the start of the next).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> model = kerasx.Sequential([kerasx.Input(shape=(1,)), kerasx.layers.Dense(1, use_bias=False)])
        >>> model.compile(optimizer=kerasx.optimizers.SGD(1.0, use_ema=True, ema_momentum=0.5), loss="mse")
        >>> model.optimizer.build(model.trainable_variables)
        >>> model.set_weights([np.array([[2.0]])])
        >>> _ = model.optimizer._averages[0].assign(np.array([[1.0]]))  # as if training had averaged to 1.0
        >>> callback = kerasx.callbacks.SwapEMAWeights()
        >>> callback.set_model(model)
        >>> callback.on_test_begin()
        >>> float(model.get_weights()[0][0, 0])
        1.0
        >>> callback.on_test_end()
        >>> float(model.get_weights()[0][0, 0])
        2.0
    """

    def __init__(self, swap_on_epoch: bool = False):
        super().__init__()
        self.swap_on_epoch = bool(swap_on_epoch)
        self._ema_weights_in_model = False

    def _swap(self) -> None:
        for optimizer in _ema_optimizers(self.model.optimizer):
            for variable, average in _pairs(optimizer):
                # A copy: on torch the NumPy view would share memory with the variable that is overwritten next.
                trained = np.array(ops.convert_to_numpy(variable))
                variable.assign(average)
                average.assign(trained)

    def _averages_from_model(self) -> None:
        # At the end of `fit` the optimizer may finalize: variables <- averages. The model holds the averages now,
        # so the averages must hold them too for that to keep them.
        for optimizer in _ema_optimizers(self.model.optimizer):
            for variable, average in _pairs(optimizer):
                average.assign(variable)

    def _swap_in(self) -> None:
        if not self._ema_weights_in_model:
            self._swap()
            self._ema_weights_in_model = True

    def _swap_out(self) -> None:
        if self._ema_weights_in_model:
            self._swap()
            self._ema_weights_in_model = False

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch:
            self._swap_out()

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap_in()
            if epoch == self.params.get("epochs", 0) - 1:
                self._averages_from_model()

    def on_test_begin(self, logs=None):
        self._swap_in()

    def on_test_end(self, logs=None):
        self._swap_out()

    def on_predict_begin(self, logs=None):
        self._swap_in()

    def on_predict_end(self, logs=None):
        # Keras 3.15 leaves the averages in the model after `predict` (its test is inverted); the trained weights
        # come back here, as for `evaluate`.
        self._swap_out()
