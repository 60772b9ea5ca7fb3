"""The epoch/batch loops of fit, evaluate and predict: written once, engine-free."""

from __future__ import annotations

import numpy as np

from kerasx import callbacks as callbacks_module
from kerasx.backend import _tree, active
from kerasx.trainers.data import EpochIterator, train_validation_split, unpack_x_y_sample_weight
from kerasx.trainers.data._epoch_iterator import convert_batch

UNKNOWN_FIT_ARGUMENT = (
    "fit() got unexpected keyword arguments {names}. Received: {kwargs}. See `help(Model.fit)` for the arguments."
)

# Hook through which the Keras-1 compatibility module translates legacy spellings (e.g. `nb_epoch`).
LEGACY_FIT_KWARGS: list = []


def fit_arguments(arguments: dict, extra: dict) -> dict:
    arguments = {k: v for k, v in arguments.items() if k not in ("self", "kwargs", "__class__")}
    for translate in LEGACY_FIT_KWARGS:
        extra = translate(arguments, extra)
    if extra:
        raise TypeError(UNKNOWN_FIT_ARGUMENT.format(names=sorted(extra), kwargs=extra))
    return arguments


class LazyLogs(dict):
    """Batch logs whose tensors become Python floats only when a callback reads them (no per-step host sync)."""

    def __init__(self, results):
        super().__init__()
        self._results = results

    def _materialize(self):
        if self._results is not None:
            super().update(to_floats(self._results))
            self._results = None

    def __getitem__(self, key):
        self._materialize()
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._materialize()
        return super().get(key, default)

    def items(self):
        self._materialize()
        return super().items()

    def keys(self):
        self._materialize()
        return super().keys()

    def values(self):
        self._materialize()
        return super().values()

    def __iter__(self):
        self._materialize()
        return super().__iter__()

    def __len__(self):
        self._materialize()
        return super().__len__()

    def __contains__(self, key):
        self._materialize()
        return super().__contains__(key)

    def copy(self):
        self._materialize()
        return dict(self)


def to_floats(results) -> dict:
    out = {}
    for name, value in results.items():
        array = np.asarray(active.core.convert_to_numpy(value)) if active.core.is_tensor(value) else np.asarray(value)
        out[name] = float(array) if array.ndim == 0 else array
    return out


def _verbose(verbose, iterator) -> int:
    if active.distribution.process_id() != 0:
        return 0  # in a multi-process run only the coordinator prints progress
    if verbose == "auto":
        return 1
    return int(verbose)


def fit(model, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
        validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
        steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1):
    model._assert_compiled("fit")
    if validation_split and validation_data is None:
        (x, y, sample_weight), validation_data = train_validation_split((x, y, sample_weight), validation_split)
    iterator = EpochIterator(x, y, sample_weight, batch_size, steps_per_epoch, shuffle, class_weight, "fit")
    verbose = _verbose(verbose, iterator)
    callback_list = callbacks_module.CallbackList(
        callbacks, add_history=True, add_progbar=verbose != 0, model=model, verbose=verbose, epochs=epochs,
        steps=iterator.num_batches,
    )
    validation = None
    if validation_data is not None:
        val_x, val_y, val_sw = unpack_x_y_sample_weight(validation_data)
        validation = EpochIterator(
            val_x, val_y, val_sw, validation_batch_size or batch_size, validation_steps, False, None, "fit"
        )
    model.stop_training = False
    model._initial_epoch = None
    train_function = model._step_function("train")
    callback_list.on_train_begin()
    start = model._initial_epoch if model._initial_epoch is not None else initial_epoch
    logs = {}
    for epoch in range(start, epochs):
        model.reset_metrics()
        callback_list.on_epoch_begin(epoch)
        for step, batch in iterator.epoch():
            callback_list.on_train_batch_begin(step)
            train_function = model._step_function("train")
            callback_list.on_train_batch_end(step, LazyLogs(train_function(batch)))
            if model.stop_training:
                break
        logs = to_floats(model.get_metrics_result())
        if validation is not None and _should_validate(epoch, validation_freq):
            # Validation runs the test hooks, as `evaluate(callbacks=...)` would inside Keras's fit.
            callback_list.on_test_begin()
            val_logs = _evaluate_iterator(model, validation, callback_list)
            callback_list.on_test_end(val_logs)
            logs.update({f"val_{name}": value for name, value in val_logs.items()})
        callback_list.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    callback_list.on_train_end(logs)
    return model.history


def _should_validate(epoch, validation_freq) -> bool:
    if isinstance(validation_freq, int):
        return (epoch + 1) % validation_freq == 0
    return (epoch + 1) in validation_freq


def _evaluate_iterator(model, iterator, callback_list):
    model.reset_metrics()
    for step, batch in iterator.epoch():
        if callback_list is not None:
            callback_list.on_test_batch_begin(step)
        results = model._step_function("test")(batch)
        if callback_list is not None:
            callback_list.on_test_batch_end(step, LazyLogs(results))
    return to_floats(model.get_metrics_result())


def evaluate(model, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None, callbacks=None,
             return_dict=False):
    model._assert_compiled("evaluate")
    iterator = EpochIterator(x, y, sample_weight, batch_size, steps, False, None, "evaluate")
    verbose = _verbose(verbose, iterator)
    callback_list = callbacks_module.CallbackList(
        callbacks, add_progbar=verbose != 0, model=model, verbose=verbose, epochs=1, steps=iterator.num_batches
    )
    callback_list.on_test_begin()
    logs = _evaluate_iterator(model, iterator, callback_list)
    callback_list.on_test_end(logs)
    if return_dict:
        return logs
    values = list(logs.values())
    return values[0] if len(values) == 1 else values


def predict(model, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
    iterator = EpochIterator(x, None, None, batch_size, steps, False, None, "predict")
    verbose = _verbose(verbose, iterator) if callbacks or verbose not in ("auto", 0) else 0
    callback_list = None
    if callbacks or verbose:
        callback_list = callbacks_module.CallbackList(
            callbacks, add_progbar=verbose != 0, model=model, verbose=verbose, epochs=1, steps=iterator.num_batches
        )
        callback_list.on_predict_begin()
    outputs = []
    for step, batch in iterator.epoch():
        if callback_list is not None:
            callback_list.on_predict_batch_begin(step)
        batch_outputs = model._step_function("predict")(batch)
        outputs.append(_tree.map_structure(active.core.convert_to_numpy, batch_outputs))
        if callback_list is not None:
            callback_list.on_predict_batch_end(step, {"outputs": batch_outputs})
    if callback_list is not None:
        callback_list.on_predict_end()
    if not outputs:
        raise ValueError("predict() got no data: the input is empty. Pass at least one sample.")
    return _tree.map_structure(lambda *parts: np.concatenate(parts, axis=0), *outputs)


def train_on_batch(model, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
    model._assert_compiled("train_on_batch")
    iterator = EpochIterator(x, y, sample_weight, 2**31 - 1, None, False, class_weight, "train_on_batch")
    (_, batch), = list(iterator.epoch())
    model.reset_metrics()
    logs = to_floats(model._step_function("train")(batch))
    return _logs_result(logs, return_dict)


def test_on_batch(model, x, y=None, sample_weight=None, return_dict=False):
    model._assert_compiled("test_on_batch")
    batch = convert_batch((x, y, sample_weight))
    model.reset_metrics()
    logs = to_floats(model._step_function("test")(batch))
    return _logs_result(logs, return_dict)


def predict_on_batch(model, x):
    batch = convert_batch((x, None, None))
    return _tree.map_structure(active.core.convert_to_numpy, model._step_function("predict")(batch))


def _logs_result(logs, return_dict):
    if return_dict:
        return logs
    values = list(logs.values())
    return values[0] if len(values) == 1 else values
