"""The epoch/batch loops of fit, evaluate and predict: written once, engine-free."""

from __future__ import annotations

import warnings

import numpy as np

from kerasx import callbacks as callbacks_module
from kerasx.backend import _config, _tree, active
from kerasx.trainers import _first_batch
from kerasx.trainers._logs import LazyLogs, flatten_in_order, metrics_result_or_logs, pythonify
from kerasx.trainers.data import EpochIterator, train_validation_split, unpack_x_y_sample_weight
from kerasx.trainers.data._arrays import class_weight_to_sample_weight, num_samples, to_numpy_leaf
from kerasx.trainers.data._checks import check_class_labels
from kerasx.trainers.data._epoch_iterator import convert_batch

UNKNOWN_FIT_ARGUMENT = (
    "fit() got unexpected keyword arguments {names}. Received: {kwargs}. See `help(Model.fit)` for the arguments."
)
UNKNOWN_EVALUATE_ARGUMENT = (
    "Arguments not recognized: {kwargs}. evaluate() takes x, y, batch_size, verbose, sample_weight, steps, "
    "callbacks and return_dict; see `help(Model.evaluate)`."
)
CLASS_AND_SAMPLE_WEIGHT = (
    "Arguments `sample_weight` and `class_weight` cannot be given together. Received: sample_weight={sample_weight}, "
    "class_weight={class_weight}. Fold the class weights into sample_weight, or pass only one of them."
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


def _capped_steps(steps):
    """`steps` under `kerasx.config.set_max_steps_per_epoch`'s cap (a debugging aid), with Keras 3's warning."""
    cap = _config.SETTINGS.max_steps_per_epoch
    if cap and (not steps or cap < steps):
        warnings.warn(f"Limiting steps_per_epoch to {cap}", stacklevel=3)
        return cap
    return steps


def _capped_epochs(epochs):
    cap = _config.SETTINGS.max_epochs
    if cap and cap < epochs:
        warnings.warn(f"Limiting epochs to {cap}", stacklevel=3)
        return cap
    return epochs


def _verbose(verbose, iterator) -> int:
    if active.distribution.process_id() != 0:
        return 0  # in a multi-process run only the coordinator prints progress
    if verbose == "auto":
        return 1
    return int(verbose)


def _build(model, mode, iterator) -> None:
    """Builds what the steps need from the first batch before any callback runs (a callback may read or restore
    the weights in `on_train_begin`), as Keras does."""
    if _first_batch.needs_build(model, mode):
        batch = iterator.first_batch()
        if batch is not None:
            _first_batch.build_from_batch(model, mode, batch)


def takes_text(model) -> bool:
    """Whether the model has text inputs (`Input(dtype="string")`), which its data may then hold as strings."""
    return any(getattr(t, "dtype", None) == "string" for t in getattr(model, "inputs", None) or [])


def fit(model, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
        validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
        steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1):
    model._assert_compiled("fit")
    epochs = _capped_epochs(epochs)
    if validation_split and validation_data is None:
        (x, y, sample_weight), validation_data = train_validation_split((x, y, sample_weight), validation_split)
    steps_per_epoch = _capped_steps(steps_per_epoch)
    iterator = EpochIterator(
        x, y, sample_weight, batch_size, steps_per_epoch, shuffle, class_weight, "fit", text_x=takes_text(model)
    )
    _build(model, "train", iterator)
    check_class_labels(model, x, y, "fit")
    verbose = _verbose(verbose, iterator)
    callback_list = callbacks_module.CallbackList(
        callbacks, add_history=True, add_progbar=verbose != 0, model=model, verbose=verbose, epochs=epochs,
        steps=iterator.num_batches,
    )
    validation = None
    if validation_data is not None:
        val_x, val_y, val_sw = unpack_x_y_sample_weight(validation_data)
        validation = EpochIterator(
            val_x, val_y, val_sw, validation_batch_size or batch_size, _capped_steps(validation_steps), False, None,
            "fit", text_x=takes_text(model),
        )
        check_class_labels(model, val_x, val_y, "fit", argument="validation_data y")
    model.stop_training = False
    model._initial_epoch = None
    # BackupAndRestore reads and restores the data position (batch reached, shuffling state) through this.
    model._train_iterator = iterator
    callback_list.on_train_begin()
    start = model._initial_epoch if model._initial_epoch is not None else initial_epoch
    training_logs = {}
    for epoch in range(start, epochs):
        model.reset_metrics()
        callback_list.on_epoch_begin(epoch)
        results = {}
        for step, batch in iterator.epoch():
            callback_list.on_train_batch_begin(step)
            results = model._step_function("train")(batch)
            callback_list.on_train_batch_end(step, LazyLogs(results))
            if model.stop_training:
                break
        epoch_logs = dict(metrics_result_or_logs(model, results))
        if validation is not None and _should_validate(epoch, validation_freq):
            # Validation runs the test hooks, as `evaluate(callbacks=...)` would inside Keras's fit.
            callback_list.on_test_begin()
            val_logs = _evaluate_iterator(model, validation, callback_list)
            callback_list.on_test_end(val_logs)
            epoch_logs.update({f"val_{name}": value for name, value in val_logs.items()})
        callback_list.on_epoch_end(epoch, pythonify(epoch_logs))
        training_logs = epoch_logs
        if model.stop_training:
            break
    if epochs > 0 and model.optimizer is not None:
        # Moving averages of the weights (use_ema) replace the weights once training ends, as in Keras.
        model.optimizer.finalize_variable_values(model.trainable_weights)
    callback_list.on_train_end(pythonify(training_logs))
    model._train_iterator = None
    return model.history


def _should_validate(epoch, validation_freq) -> bool:
    if isinstance(validation_freq, int):
        return (epoch + 1) % validation_freq == 0
    return (epoch + 1) in validation_freq


def _evaluate_iterator(model, iterator, callback_list):
    model.reset_metrics()
    results = {}
    for step, batch in iterator.epoch():
        callback_list.on_test_batch_begin(step)
        results = model._step_function("test")(batch)
        callback_list.on_test_batch_end(step, LazyLogs(results))
    return pythonify(metrics_result_or_logs(model, results))


def evaluate(model, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None, callbacks=None,
             return_dict=False, kwargs=None):
    if kwargs:
        raise ValueError(UNKNOWN_EVALUATE_ARGUMENT.format(kwargs=kwargs))
    model._assert_compiled("evaluate")
    iterator = EpochIterator(
        x, y, sample_weight, batch_size, _capped_steps(steps), False, None, "evaluate", text_x=takes_text(model)
    )
    _build(model, "test", iterator)
    check_class_labels(model, x, y, "evaluate")
    verbose = _verbose(verbose, iterator)
    callback_list = callbacks_module.CallbackList(
        callbacks, add_progbar=verbose != 0, model=model, verbose=verbose, epochs=1, steps=iterator.num_batches
    )
    callback_list.on_test_begin()
    logs = _evaluate_iterator(model, iterator, callback_list)
    callback_list.on_test_end(logs)
    return logs if return_dict else flatten_in_order(model, logs)


def predict(model, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
    iterator = EpochIterator(
        x, None, None, batch_size, _capped_steps(steps), False, None, "predict", text_x=takes_text(model)
    )
    _build(model, "predict", iterator)
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
        batch_outputs = _tree.map_structure(active.core.convert_to_numpy, model._step_function("predict")(batch))
        outputs.append(batch_outputs)
        if callback_list is not None:
            # As Keras passes them: the outputs as NumPy (a dict of outputs lifted to the top level).
            callback_list.on_predict_batch_end(step, pythonify({"outputs": batch_outputs}))
    if callback_list is not None:
        callback_list.on_predict_end()
    if not outputs:
        raise ValueError("predict() got no data: the input is empty. Pass at least one sample.")
    return _tree.map_structure(lambda *parts: np.concatenate(parts, axis=0), *outputs)


def train_on_batch(model, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
    model._assert_compiled("train_on_batch")
    if class_weight is not None:
        if sample_weight is not None:
            raise ValueError(CLASS_AND_SAMPLE_WEIGHT.format(sample_weight=sample_weight, class_weight=class_weight))
        sample_weight = class_weight_to_sample_weight(to_numpy_leaf(y), class_weight)
    # The step gets `(x, y, sample_weight)`, Nones included, as Keras's `train_on_batch` passes it.
    batch = convert_batch((x, y, sample_weight))
    num_samples(batch, "train_on_batch")
    function = model._step_function("train")
    model.reset_metrics()
    return _batch_result(model, function(batch), return_dict)


def test_on_batch(model, x, y=None, sample_weight=None, return_dict=False):
    model._assert_compiled("test_on_batch")
    batch = convert_batch((x, y, sample_weight))
    num_samples(batch, "test_on_batch")
    function = model._step_function("test")
    model.reset_metrics()
    return _batch_result(model, function(batch), return_dict)


def predict_on_batch(model, x):
    batch = convert_batch((x,))
    return _tree.map_structure(active.core.convert_to_numpy, model._step_function("predict")(batch))


def _batch_result(model, results, return_dict):
    logs = pythonify(results)
    return logs if return_dict else flatten_in_order(model, logs)
