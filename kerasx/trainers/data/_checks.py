"""Checks of in-memory data that run once per `fit`/`evaluate`/`predict` call, never per step.

Strings and Python objects cannot become tensors on any engine: they are caught before any batch is made, with what
to do instead. Integer class labels outside `[0, num_classes)` would index past the predictions (torch and
TensorFlow fail deep inside the loss, jax silently computes garbage): NumPy targets are checked, vectorized, once
per call. Tensors and datasets are not read (that would be a device sync, or a pass over the whole dataset).
"""

from __future__ import annotations

import weakref

import numpy as np

from kerasx.backend import _config, _dtypes, _tree
from kerasx.layers import _call_context
from kerasx.losses._labels import class_label_spec as loss_label_spec
from kerasx.metrics._labels import class_label_spec as metric_label_spec
from kerasx.ops import KerasTensor
from kerasx.trainers._structures import flatten_outputs

STRING_DATA = (
    "{method}() received {argument} holding strings (dtype {dtype}, e.g. {sample!r}), but a model computes on "
    "numbers. Encode the strings first: map them to integer ids with `keras.layers.StringLookup`, or text to token "
    "ids with `keras.layers.TextVectorization` (run on the data, before {method}()), or with your own vocabulary; "
    "then pass the integer array."
)
OBJECT_DATA = (
    "{method}() received {argument} as a NumPy array of Python objects (dtype object, e.g. {sample!r}), which no "
    "engine can turn into a tensor. Convert it to a numeric array, e.g. `np.asarray(array, dtype='float32')` "
    "(sequences of different lengths must first be padded to one length); strings must be encoded first, e.g. with "
    "`keras.layers.StringLookup` or `keras.layers.TextVectorization`."
)
LABEL_OUT_OF_RANGE = (
    "{method}() received the class label {argument}[{position}] = {value}, outside [0, {num_classes}): {output} has "
    "{num_classes} classes (the size of its last dimension), and {consumers} read integer targets as class indices. "
    "Out of range: {count} of {total} labels (smallest {low}, largest {high}). Fix the labels (labels counted from "
    "1: pass `y - 1`); or, if there are {needed} classes, give the model's last layer {needed} units; or, to skip "
    "one label value, pass it as `ignore_class=` to `SparseCategoricalCrossentropy`."
)

_ARGUMENT_NAMES = ("x", "y", "sample_weight")
# Output tensors of subclassed models, traced from the input shapes: model -> (input signature, outputs or None).
_TRACED_OUTPUTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _leaves_with_paths(structure, path):
    if isinstance(structure, dict):
        for key, value in structure.items():
            yield from _leaves_with_paths(value, f"{path}[{key!r}]")
    elif isinstance(structure, (list, tuple)):
        for index, value in enumerate(structure):
            yield from _leaves_with_paths(value, f"{path}[{index}]")
    elif structure is not None:
        yield path, structure


def _first_element(array):
    if not array.size:
        return None
    value = array.flat[0]
    return value.item() if isinstance(value, np.generic) else value


def check_numeric_arrays(data, method: str, text_x: bool = False) -> None:
    """Raises a ValueError naming the argument when `(x, y, sample_weight)` (NumPy leaves) holds strings or
    Python objects; with `text_x` (a model with text inputs, `Input(dtype="string")`), `x` may hold strings."""
    for name, structure in zip(_ARGUMENT_NAMES, data):
        for path, leaf in _leaves_with_paths(structure, name):
            kind = getattr(getattr(leaf, "dtype", None), "kind", None)
            if kind not in ("U", "S", "O"):
                continue
            sample = _first_element(leaf)
            if text_x and name == "x" and (kind != "O" or isinstance(sample, (str, bytes))):
                continue
            if kind == "O" and not isinstance(sample, (str, bytes)):
                raise ValueError(OBJECT_DATA.format(method=method, argument=path, sample=sample))
            raise ValueError(STRING_DATA.format(method=method, argument=path, dtype=leaf.dtype, sample=sample))


def _spec(array):
    if array is None:
        return None
    # Float data reaches the model in floatx (see `_epoch_iterator._convert_leaf`).
    dtype = _config.floatx() if array.dtype.kind == "f" else _dtypes.standardize_dtype(array.dtype)
    return KerasTensor((None,) + tuple(array.shape)[1:], dtype)


def _symbolic_outputs(model, x):
    """The model's output tensors for inputs shaped like `x` (no engine work); None when `call` cannot trace."""
    outputs = getattr(model, "_output_tensors", None)
    if outputs is not None:
        return list(outputs)
    functional = getattr(model, "_functional", None)
    if functional is not None:
        return list(functional._output_tensors)
    specs = _tree.map_structure(_spec, x)
    # Compiling again (as after replacing a layer) traces again.
    signature = tuple((tuple(spec.shape), spec.dtype) for spec in _tree.flatten(specs) if spec is not None)
    key = (id(model._compile_loss), id(model._compile_metrics), signature)
    cached = _TRACED_OUTPUTS.get(model)
    if cached is not None and cached[0] == key:
        return cached[1]  # a trace costs ~0.6 ms for a 10-layer MLP: once per input signature, not per fit call
    try:
        with _call_context.call_scope(training=False, record_nodes=False):
            outputs = _tree.flatten(model(specs, training=False))
    except Exception:  # noqa: BLE001 - a model that cannot trace is checked by its steps instead
        outputs = None
    _TRACED_OUTPUTS[model] = (key, outputs)
    return outputs


def _consumers(model, index) -> list:
    """(name, label spec) of the loss and metrics of output `index` that read class indices."""
    found = []
    compile_loss = model._compile_loss
    if compile_loss is not None and compile_loss.built:
        loss = compile_loss.losses[index]
        spec = loss_label_spec(loss) if loss is not None else None
        if spec is not None:
            found.append((f"the loss '{loss.name}'", spec))  # pyright: ignore[reportOptionalMemberAccess] - spec implies a loss
    compile_metrics = model._compile_metrics
    if compile_metrics is not None and compile_metrics.built:
        for metric_index, _, metric in compile_metrics.per_output:
            spec = metric_label_spec(metric) if metric_index == index else None
            if spec is not None:
                found.append((f"the metric '{metric.name}'", spec))
    return found


def _first_bad_label(labels: np.ndarray, num_classes: int, ignore_class):
    """Mask of out-of-range labels, or None when all are in range (min/max first: no mask in the common case)."""
    if labels.size == 0 or (labels.min() >= 0 and labels.max() < num_classes):
        return None
    bad = (labels < 0) | (labels >= num_classes)
    if ignore_class is not None:
        bad &= labels != ignore_class
    return bad if bad.any() else None


def check_class_labels(model, x, y, method: str, argument: str = "y") -> None:
    """Raises a ValueError when a NumPy target read as class indices (sparse cross-entropy, sparse accuracy) holds
    a label outside `[0, num_classes)`, `num_classes` being the size of the model output's class axis.

    Runs after the model, its compiled loss and its metrics are built (they say which outputs read class indices);
    anything else (unbuilt, tensors, generators) is left to the steps.
    """
    if y is None or not getattr(model, "compiled", False):
        return
    names = None
    for compiled in (model._compile_loss, model._compile_metrics):
        if compiled is not None and compiled.built:
            names = compiled.output_names
    if not names:
        return
    try:
        targets = flatten_outputs(y, names)
    except ValueError:
        return  # the step raises the structure error with its own message
    outputs = None
    for index, target in enumerate(targets):
        if not isinstance(target, np.ndarray) or target.dtype.kind not in "iuf":
            continue
        consumers = _consumers(model, index)
        if not consumers:
            continue
        if outputs is None:
            outputs = _symbolic_outputs(model, x)
            if outputs is None or len(outputs) != len(names):
                return
        spec = consumers[0][1]
        num_classes = outputs[index].shape[spec["axis"]]
        if num_classes is None:
            continue
        bad = _first_bad_label(target, num_classes, spec["ignore_class"])
        if bad is None:
            continue
        position = tuple(int(i) for i in np.argwhere(bad)[0])
        where = "" if len(names) == 1 else (f"[{names[index]!r}]" if isinstance(y, dict) else f"[{index}]")
        raise ValueError(
            LABEL_OUT_OF_RANGE.format(
                method=method,
                argument=argument + where,
                position=", ".join(str(i) for i in position),
                value=target[position].item(),
                num_classes=num_classes,
                output=f"the model's output '{names[index]}'" if len(names) > 1 else f"model '{model.name}'",
                consumers=" and ".join(name for name, _ in consumers),
                count=int(bad.sum()),
                total=target.size,
                low=target.min().item(),
                high=target.max().item(),
                needed=max(int(target.max()) + 1, num_classes),
            )
        )
