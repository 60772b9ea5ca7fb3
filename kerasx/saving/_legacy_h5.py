"""Legacy HDF5 full-model files: `model.save("m.h5")` of tf.keras 2, and of Keras 3 (its legacy path).

Layout (documented by Keras): the root's attributes hold `model_config` (the architecture as JSON), `keras_version`,
`backend` and, for compiled models, `training_config`; the group `model_weights` lists its layers in the attribute
`layer_names`, and each layer's group lists its arrays in `weight_names` (`"dense/kernel:0"`, ...), in the order of
the layer's trainable then non-trainable weights (a nested model's group holds all of its layers' weights).

tf.keras 2 configs differ from Keras 3's in a few spellings, translated here before the usual import: InputLayer's
`batch_input_shape`, a first layer's `batch_input_shape` in a Sequential, call nodes as lists of
`[layer, node, tensor, kwargs]`, nested models whose node indices start at 1, losses with `reduction="auto"`,
metrics wrapped as `MeanMetricWrapper`, and optimizer options of tf.keras's optimizers. The model is compiled with
a fresh optimizer: the file's `optimizer_weights` are not read.
"""

from __future__ import annotations

from typing import Any

import h5py
import numpy as np

from kerasx.saving import (
    _archive,
    _compile_config,
    _errors,
    _keras_config,
    _keras_functional,
    _keras_ops,
    _weights_h5,
    limits,
)
from kerasx.serialization import _registry

_MODEL_CLASSES = ("Functional", "Model", "Sequential")
# tf.keras 2 arguments with no Keras 3 counterpart that only repeat what the model's inputs already say.
_KERAS2_ONLY_ARGUMENTS = ("batch_input_shape", "input_length", "time_major")
# Recurrent layers: tf.keras 2 gives them `implementation` (a performance choice) and lists initial states as inputs.
_RECURRENT = ("SimpleRNN", "LSTM", "GRU", "RNN", "Bidirectional")
# Options of tf.keras 2's optimizers that Keras 3's do not take.
_KERAS2_OPTIMIZER_OPTIONS = ("jit_compile", "is_legacy_optimizer")


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _strings(values) -> list:
    return [_text(v) for v in np.asarray(values).tolist()] if values is not None else []


# Config translation -------------------------------------------------------------------------------------------
def _is_object(value) -> bool:
    return (
        isinstance(value, dict) and isinstance(value.get("class_name"), str) and isinstance(value.get("config"), dict)
    )


def _skips_first_node(entry) -> bool:
    """tf.keras 2 counts a nested model's own graph as its node 0 when the model starts with an InputLayer."""
    if entry.get("class_name") not in _MODEL_CLASSES:
        return False
    layers = entry["config"].get("layers")
    return bool(layers) and isinstance(layers[0], dict) and layers[0].get("class_name") == "InputLayer"


def _translate(value, keras2: bool = True) -> Any:
    if isinstance(value, list):
        return [_translate(v, keras2) for v in value]
    if not isinstance(value, dict):
        return value
    if not _is_object(value):
        return {k: _translate(v, keras2) for k, v in value.items()}
    entry = {k: _translate(v, keras2) for k, v in value.items() if k != "config"}
    config = dict(value["config"])
    class_name = entry["class_name"]
    if class_name == "InputLayer" and "batch_input_shape" in config:
        config["batch_shape"] = config.pop("batch_input_shape")
    if class_name == "Sequential":
        config = _sequential(config, keras2)
    elif isinstance(config.get("layers"), list) and "output_layers" in config:
        if class_name == "Model":
            entry["class_name"] = "Functional"
        config = _functional(config, keras2)
    else:
        config = {k: _translate(v, keras2) for k, v in config.items() if k not in _KERAS2_ONLY_ARGUMENTS}
        if class_name in _RECURRENT:
            config.pop("implementation", None)
        axis = config.get("axis")
        if class_name == "BatchNormalization" and isinstance(axis, list) and len(axis) == 1:
            config["axis"] = axis[0]
    if config.get("reduction") == "auto":
        config["reduction"] = "sum_over_batch_size"
    entry["config"] = config
    return entry


def _mark_op(entry: dict) -> None:
    """Keras 3's legacy files name an op of a functional graph by its class alone (no module): mark it as an op
    when no layer has that name (Keras 3 cannot load such files)."""
    if entry.get("module") is None and _registry.get_registered_object(entry["class_name"]) is None:
        for module, class_name in _keras_ops.OPS_BY_CLASS:
            if class_name == entry["class_name"]:
                entry["module"] = _keras_ops.KERAS_OPS_MODULE + module
                return


def _sequential(config: dict, keras2: bool) -> dict:
    layers = [dict(layer) for layer in config.get("layers") or []]
    first = layers[0].get("config") if layers and _is_object(layers[0]) else None
    if first is not None and layers[0]["class_name"] != "InputLayer" and "batch_input_shape" in first:
        input_config = {"batch_shape": first["batch_input_shape"], "dtype": first.get("dtype", "float32")}
        layers.insert(0, {"class_name": "InputLayer", "config": input_config})
    return {k: _translate(v, keras2) for k, v in dict(config, layers=layers).items()}


def _functional(config: dict, keras2: bool) -> dict:
    entries = config["layers"]
    names = {e.get("name") for e in entries if isinstance(e, dict)}
    shifted = {e["name"] for e in entries if keras2 and _is_object(e) and _skips_first_node(e)}

    def ref(item):
        name, node, tensor = item[0], item[1], item[2]
        return {"class_name": "__keras_tensor__", "config": {"keras_history": [name, node - (name in shifted), tensor]}}

    def is_triple(item):
        return (
            isinstance(item, list)
            and len(item) in (3, 4)
            and isinstance(item[0], str)
            and item[0] in names
            and all(isinstance(i, int) and not isinstance(i, bool) for i in item[1:3])
        )

    def tensors_in(value) -> Any:
        if is_triple(value) and len(value) == 3:
            return ref(value)
        if isinstance(value, list):
            return [tensors_in(v) for v in value]
        if isinstance(value, dict):
            return {k: tensors_in(v) for k, v in value.items()}
        return value

    layers = []
    for entry in entries:
        translated = _translate({k: v for k, v in entry.items() if k != "inbound_nodes"}, keras2)
        if not keras2:
            _mark_op(translated)
        nodes = []
        for node in entry.get("inbound_nodes") or []:
            if isinstance(node, list) and all(is_triple(item) for item in node):
                # tf.keras 2: one [layer, node, tensor, kwargs] per input; several inputs are passed as a list.
                refs = [ref(item) for item in node]
                kwargs = tensors_in(node[0][3] if len(node[0]) == 4 and isinstance(node[0][3], dict) else {})
                if entry.get("class_name") in _RECURRENT and len(refs) > 1:
                    # tf.keras 2 lists a recurrent layer's initial states after its input.
                    refs, kwargs = refs[:1], dict(kwargs, initial_state=refs[1:])
                nodes.append({"args": [refs[0] if len(refs) == 1 else refs], "kwargs": kwargs})
            else:
                nodes.append(node)
        translated["inbound_nodes"] = nodes
        layers.append(translated)

    def io(value):
        if is_triple(value):
            node = value[1] - (value[0] in shifted)
            entry = next(e for e in layers if e.get("name") == value[0])
            # Keras 3 counts a nested functional model's calls from 1 in `input_layers`/`output_layers`.
            node += 1 if keras2 and entry["class_name"] == "Functional" else 0
            return [value[0], node, value[2]]
        if isinstance(value, list):
            return [io(v) for v in value]
        if isinstance(value, dict):
            return {k: io(v) for k, v in value.items()}
        return value

    result = {k: v for k, v in config.items() if k not in ("layers", "input_layers", "output_layers")}
    result.update(layers=layers, input_layers=io(config["input_layers"]), output_layers=io(config["output_layers"]))
    return result


def _compile_entry(training_config: dict) -> dict:
    """A tf.keras 2 `training_config` as the `compile_config` of a `.keras` file."""
    optimizer = _translate(training_config.get("optimizer_config"))
    if _is_object(optimizer):
        name = optimizer["class_name"]
        # tf.keras 2.11+ registers its optimizers as "Custom>Adam"; the plain name is kerasx's.
        optimizer["class_name"] = name.split(">", 1)[1] if name.startswith("Custom>") else name
        optimizer["config"] = {k: v for k, v in optimizer["config"].items() if k not in _KERAS2_OPTIMIZER_OPTIONS}

    def metric(value):
        if _is_object(value) and value["class_name"] == "MeanMetricWrapper":
            return value["config"].get("name")
        if isinstance(value, list):
            return [metric(v) for v in value]
        if isinstance(value, dict) and not _is_object(value):
            return {k: metric(v) for k, v in value.items()}
        return value

    def loss(value):
        if _is_object(value):
            return dict(value, config={k: v for k, v in value["config"].items() if k != "fn"})
        if isinstance(value, list):
            return [loss(v) for v in value]
        if isinstance(value, dict):
            return {k: loss(v) for k, v in value.items()}
        return value

    return {
        "optimizer": optimizer,
        "loss": loss(_translate(training_config.get("loss"))),
        "loss_weights": training_config.get("loss_weights"),
        "metrics": metric(training_config.get("metrics")),
        "weighted_metrics": metric(training_config.get("weighted_metrics")),
    }


# Weights ------------------------------------------------------------------------------------------------------
def _load_weights(group: h5py.Group, model, path: str) -> None:
    found = _weights_h5.read_datasets(group, path)
    available = set(_strings(group.attrs.get("layer_names")))
    plan = []
    for layer in _weights_h5.model_layers(model):
        variables = list(layer.trainable_weights) + list(layer.non_trainable_weights)
        if not variables:
            continue
        if layer.name not in available:
            raise ValueError(
                _errors.MISSING_WEIGHTS.format(
                    path=path, layer=layer.name, group=f"model_weights/{layer.name}", variables=len(variables)
                )
            )
        weight_names = _strings(group[layer.name].attrs.get("weight_names"))
        if len(weight_names) != len(variables):
            raise ValueError(
                _errors.WRONG_WEIGHT_COUNT.format(
                    path=path,
                    layer=layer.name,
                    group=f"model_weights/{layer.name}",
                    received=len(weight_names),
                    expected=len(variables),
                    variables=", ".join(v.path for v in variables),
                )
            )
        for variable, weight_name in zip(variables, weight_names):
            directory, _, base = f"{layer.name}/{weight_name}".rpartition("/")
            dataset = found.get(directory, {}).get(base)
            if dataset is None or tuple(dataset.shape) != tuple(variable.shape):
                raise ValueError(
                    _errors.WRONG_WEIGHT_SHAPE.format(
                        path=path,
                        layer=layer.name,
                        variable=variable.path,
                        expected=tuple(variable.shape),
                        member=f"model_weights/{directory}/{base}",
                        received=None if dataset is None else tuple(dataset.shape),
                    )
                )
            plan.append((variable, dataset))
    for variable, dataset in plan:
        variable.assign(np.asarray(dataset[()]))


# Loading ------------------------------------------------------------------------------------------------------
def _json_attribute(file, name: str, path: str):
    raw = file.attrs.get(name)
    if raw is None:
        return None
    data = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    if len(data) > limits.MAX_CONFIG_BYTES:
        raise ValueError(
            _errors.MEMBER_TOO_LARGE.format(
                path=path, name=name, size=len(data), limit=limits.MAX_CONFIG_BYTES, limit_name="MAX_CONFIG_BYTES"
            )
        )
    return _archive.parse_json(path, name, data)


def load_legacy_model(path: str, custom_objects, compile: bool, safe_mode):
    """The model of a legacy `.h5` file, with its weights; compiled with its training config when `compile`."""
    try:
        file = h5py.File(path, "r")
    except OSError as error:
        raise ValueError(_errors.H5_NOT_READABLE.format(path=path, error=error)) from error
    with file:
        config = _json_attribute(file, "model_config", path)
        if not _is_object(config):
            raise ValueError(_errors.LEGACY_NO_MODEL.format(path=path))
        keras2 = not _text(file.attrs.get("keras_version", "2")).startswith("3")
        config = _keras_functional.restore_shared_ids(_translate(config, keras2))
        importer = _keras_config.Importer(path, custom_objects, safe_mode)
        with _registry.custom_object_scope(custom_objects), _registry.object_sharing_scope():
            entry = importer.object({k: v for k, v in config.items() if k in _keras_config.OBJECT_KEYS})
            model = _registry.deserialize_keras_object(entry, custom_objects, kind="model")
            weights = file.get("model_weights", file)
            _load_weights(weights, model, path)  # pyright: ignore[reportArgumentType] - model_weights is a group
            training_config = _json_attribute(file, "training_config", path)
            if compile and isinstance(training_config, dict) and training_config.get("optimizer_config"):
                _compile_config.compile_from_config(
                    model, _compile_entry(training_config), path, custom_objects, safe_mode
                )
    return model
