"""The `.weights.h5` layout, the one Keras 3 writes, so that files move between kerasx and Keras.

Every layer owns an HDF5 group `<path>/vars` (attribute `name`: the layer's name) holding datasets "0", "1", ...:
its own variables, trainable ones first. Paths follow attributes: a model's layers live under `layers/<name>`,
where <name> is the snake_case class name numbered within its container (`dense`, `dense_1`, ...); a sublayer held
in attribute `cell` lives under `<layer path>/cell`; a list attribute `blocks` gives `<layer path>/blocks/<name>`.
The optimizer's variables are in `optimizer/vars`. Random-generator states are not weights and are not saved.

Reading never follows links (soft or external) and refuses datasets stored outside the file; every dataset's shape
is compared with its variable before any data is read.
"""

from __future__ import annotations

import warnings

import h5py
import numpy as np

from kerasx.layers import InputLayer, Layer
from kerasx.layers._layer_state import overrides
from kerasx.layers._tracking import to_snake_case
from kerasx.saving import _errors, limits
from kerasx.serialization import _registry
from kerasx.trainers import Trainer

OPTIMIZER_GROUP = "optimizer/vars"
OPTIMIZER_NOT_COMPILED = (
    "The weights file {path!r} holds optimizer state, but model '{model}' has no optimizer (it is not compiled); "
    "the optimizer state was not loaded. Compile the model before `load_weights` to restore it."
)


def _join(path: str, name: str) -> str:
    return f"{path}/{name}" if path else name


def model_layers(model) -> list:
    layers = model.layers
    if type(model) is _registry.get_registered_object("Sequential"):
        # Keras does not save a Sequential model's InputLayer.
        layers = [layer for layer in layers if not isinstance(layer, InputLayer)]
    return layers


def _attributes(layer) -> list:
    """(attribute name, value) of the layer's sublayers and containers, sorted by name like Keras's `dir` walk."""
    names = layer.__dict__.get("_tracked_names", {})
    if isinstance(layer, Trainer):
        # A model's own bookkeeping attributes are private; its layers are reached through `layers`.
        items = [(n, layer.__dict__[n]) for n in names if not n.startswith("_") and n in layer.__dict__]
        items.append(("layers", model_layers(layer)))
    else:
        items = [(n, layer.__dict__[n]) for n in names if not n.startswith("__") and n in layer.__dict__]
    return sorted(items, key=lambda item: item[0])


def layer_groups(model) -> list:
    """[(group path, layer, own variables)] for every layer reachable from `model` (itself first), each once."""
    entries, visited = [], set()

    def visit(layer, path):
        if id(layer) in visited:
            return
        visited.add(id(layer))
        # Dataset name -> variable: "0", "1", ..., or the keys a layer gives its state (`Layer._store_variables`).
        entries.append((_join(path, "vars"), layer, layer._store_variables()))
        for attribute, value in _attributes(layer):
            if isinstance(value, Layer):
                visit(value, _join(path, attribute))
            elif isinstance(value, (list, tuple, dict)):
                container(value.values() if isinstance(value, dict) else value, _join(path, attribute))

    def container(values, path):
        used = {}
        for item in values:
            if not isinstance(item, Layer):
                continue
            name = to_snake_case(type(item).__name__)
            # Numbered over every layer of the container, visited before or not, as Keras does.
            if name in used:
                used[name] += 1
                name = f"{name}_{used[name]}"
            else:
                used[name] = 0
            visit(item, _join(path, name))

    visit(model, "")
    return entries


def write_weights(file: h5py.File, model, optimizer=None) -> None:
    """Writes the model's variables (and the optimizer's, when given) into an open, empty HDF5 file."""
    for group_path, layer, variables in layer_groups(model):
        group = file.require_group(group_path)
        group.attrs["name"] = layer.name
        if overrides(layer, "save_own_variables"):
            # Its state is what its own method writes (Keras 3 calls the method for every layer; the default
            # writes what the loop below does).
            store: dict = {}
            layer.save_own_variables(store)
            for name, value in store.items():
                group.create_dataset(name, data=np.asarray(value.numpy() if hasattr(value, "numpy") else value))
            continue
        for name, variable in variables.items():
            group.create_dataset(name, data=np.asarray(variable.numpy()))
    if optimizer is not None:
        for group_path, owner in optimizer_groups(optimizer):
            group = file.require_group(group_path)
            group.attrs["name"] = owner.name
            for i, variable in enumerate(owner.variables):
                group.create_dataset(str(i), data=np.asarray(variable.numpy()))


def optimizer_groups(optimizer, path: str = "optimizer") -> list:
    """[(group path, optimizer)]: `optimizer/vars` holds all the optimizer's state; as Keras 3 does, the state of
    each optimizer it wraps is written again in a group of its own (`optimizer/inner_optimizer/vars`, a list
    `optimizers` as `optimizer/optimizers/<snake_case class name, numbered>/vars`)."""
    entries = [(_join(path, "vars"), optimizer)]
    for attribute, value in optimizer._saved_children():
        if not isinstance(value, (list, tuple)):
            entries.extend(optimizer_groups(value, _join(path, attribute)))
            continue
        used = {}
        for item in value:
            name = to_snake_case(type(item).__name__)
            used[name] = used.get(name, -1) + 1
            suffix = f"_{used[name]}" if used[name] else ""
            entries.extend(optimizer_groups(item, _join(path, f"{attribute}/{name}{suffix}")))
    return entries


def weights_file_bound(model) -> tuple:
    """(bytes of the model's own variables, the most bytes a weights file for it may hold): the bound put on a
    `.keras` archive's weights member before it is read, `limits.WEIGHTS_SIZE_FACTOR` times the variables (the
    optimizer's state rides along) plus HDF5 structure (about 1.5 KB per group or dataset, measured)."""
    model_bytes, entries = 0, 0
    for _, _, variables in layer_groups(model):
        entries += 1 + len(variables)
        for variable in variables.values():
            model_bytes += int(np.prod(variable.shape, dtype=np.int64)) * np.dtype(_numpy_dtype(variable)).itemsize
    bound = limits.WEIGHTS_SIZE_FACTOR * (model_bytes + 16 * 2**10 * entries) + limits.MAX_WEIGHTS_OVERHEAD_BYTES
    return model_bytes, bound


def _numpy_dtype(variable) -> str:
    dtype = str(getattr(variable, "dtype", "float32"))
    return "float32" if dtype in ("bfloat16", "float8_e4m3fn", "float8_e5m2") else dtype


def _check_dataset(dataset, member: str, path: str) -> None:
    if dataset.external:
        raise ValueError(_errors.H5_EXTERNAL_STORAGE.format(path=path, member=member, how="external raw files"))
    if dataset.is_virtual:
        raise ValueError(_errors.H5_EXTERNAL_STORAGE.format(path=path, member=member, how="a virtual dataset"))
    if dataset.dtype.kind not in "biuf":
        raise ValueError(_errors.H5_BAD_DATASET.format(path=path, member=member, what=f"dataset of {dataset.dtype}"))
    size = int(np.prod(dataset.shape, dtype=np.float64)) * dataset.dtype.itemsize
    if size > limits.MAX_WEIGHTS_BYTES:
        raise ValueError(
            _errors.H5_TOO_LARGE.format(
                path=path, member=member, shape=dataset.shape, size=size, limit=limits.MAX_WEIGHTS_BYTES
            )
        )


def read_datasets(file: h5py.Group, path: str) -> dict:
    """{group path: {dataset name: Dataset}} over the whole file, through hard links only; no data is read."""
    found, stack, count = {}, [("", file)], 0
    while stack:
        group_path, group = stack.pop()
        for name in group:
            member = _join(group_path, name)  # pyright: ignore[reportArgumentType] - h5py iterates member names
            link = group.get(name, getlink=True)
            if not isinstance(link, h5py.HardLink):
                raise ValueError(_errors.H5_NOT_HARD_LINK.format(path=path, member=member, kind=type(link).__name__))
            count += 1
            if count > limits.MAX_H5_ENTRIES:
                raise ValueError(_errors.H5_TOO_MANY.format(path=path, limit=limits.MAX_H5_ENTRIES))
            value = group[name]
            if isinstance(value, h5py.Group):
                stack.append((member, value))
            elif isinstance(value, h5py.Dataset):
                _check_dataset(value, member, path)
                found.setdefault(group_path, {})[name] = value
            else:
                raise ValueError(_errors.H5_BAD_DATASET.format(path=path, member=member, what=type(value).__name__))
    return found


def _ordered(datasets: dict, names):
    """The datasets of `names` in that order (an int n: "0".."n-1"), or None when the names are anything else."""
    names = [str(i) for i in range(names)] if isinstance(names, int) else list(names)
    if sorted(datasets) != sorted(names):
        return None
    return [datasets[name] for name in names]


def _describe(variables) -> str:
    return ", ".join(f"'{v.path}' {tuple(v.shape)}" for v in variables) or "no variables"


SKIPPED_LAYER = "Could not load weights in layer '{layer}' from {path!r}: skipping it (skip_mismatch=True). {error}"
SKIPPED_OPTIMIZER = "Could not load the optimizer state from {path!r}: skipping it (skip_mismatch=True). {error}"
SKIPPED_EXTRA = "{error} They were ignored (skip_mismatch=True)."


def _plan_layer(group_path, layer, variables, datasets, path, skip_mismatch=False) -> list:
    if not skip_mismatch:
        return _plan_layer_strict(group_path, layer, variables, datasets, path)
    try:
        return _plan_layer_strict(group_path, layer, variables, datasets, path)
    except ValueError as error:
        warnings.warn(SKIPPED_LAYER.format(layer=layer.name, path=path, error=error), stacklevel=4)
        return []


def _plan_layer_strict(group_path, layer, variables, datasets, path) -> list:
    if datasets is None:
        if variables:
            raise ValueError(
                _errors.MISSING_WEIGHTS.format(
                    path=path, layer=layer.name, group=group_path, variables=_describe(variables.values())
                )
            )
        return []
    ordered = _ordered(datasets, variables)
    if ordered is None:
        raise ValueError(
            _errors.WRONG_WEIGHT_COUNT.format(
                path=path,
                layer=layer.name,
                group=group_path,
                received=len(datasets),
                expected=len(variables),
                variables=_describe(variables.values()),
            )
        )
    for variable, dataset in zip(variables.values(), ordered):
        if tuple(dataset.shape) != tuple(variable.shape):
            raise ValueError(
                _errors.WRONG_WEIGHT_SHAPE.format(
                    path=path,
                    layer=layer.name,
                    variable=variable.path,
                    expected=tuple(variable.shape),
                    member=dataset.name.lstrip("/"),
                    received=tuple(dataset.shape),
                )
            )
    return list(zip(variables.values(), ordered))


def _plan_optimizer(optimizer, model, datasets, path) -> list:
    if not optimizer.built and len(datasets) > len(optimizer.variables):
        optimizer.build(model.trainable_variables)
    variables = optimizer.variables
    ordered = _ordered(datasets, len(variables))
    if ordered is None:
        raise ValueError(
            _errors.OPTIMIZER_MISMATCH.format(
                path=path, received=len(datasets), name=optimizer.name, expected=len(variables)
            )
        )
    for variable, dataset in zip(variables, ordered):
        if tuple(dataset.shape) != tuple(variable.shape):
            raise ValueError(
                _errors.OPTIMIZER_SHAPE.format(
                    path=path,
                    variable=variable.path,
                    expected=tuple(variable.shape),
                    member=dataset.name.lstrip("/"),
                    received=tuple(dataset.shape),
                )
            )
    return list(zip(variables, ordered))


def load_weights_into(
    file: h5py.File, model, path: str, optimizer=None, skip_optimizer=False, skip_mismatch=False
) -> None:
    """Checks every group, count and shape of the file against the model first, then assigns all the arrays.

    Args:
        file: open HDF5 file in the `.weights.h5` layout.
        model: the model (or layer) receiving the weights.
        path: the file's name, for messages.
        optimizer: the optimizer receiving `optimizer/vars` (built on the model's trainable variables if needed).
        skip_optimizer: ignore the file's optimizer state without a warning (`load_model(compile=False)`).
        skip_mismatch: a layer (or the optimizer) whose weights do not match is skipped with a warning instead of
            failing the whole load.
    """
    load_datasets_into(read_datasets(file, path), model, path, optimizer, skip_optimizer, skip_mismatch)


def load_datasets_into(found: dict, model, path: str, optimizer=None, skip_optimizer=False, skip_mismatch=False):
    """`load_weights_into` for datasets already found (`read_datasets`, merged over the shards of a sharded
    file)."""
    plan, custom = [], []
    for group_path, layer, variables in layer_groups(model):
        datasets = found.pop(group_path, None)
        if overrides(layer, "load_own_variables"):
            # The layer reads its own store, after every other layer's arrays were checked and assigned.
            custom.append((layer, {name: np.asarray(dataset[()]) for name, dataset in (datasets or {}).items()}))
            continue
        plan.extend(_plan_layer(group_path, layer, variables, datasets, path, skip_mismatch))
    optimizer_datasets = found.pop(OPTIMIZER_GROUP, None)
    for group in [group for group in found if group.startswith("optimizer/")]:
        # A wrapped optimizer's own group (see `optimizer_groups`) repeats state `optimizer/vars` already holds.
        del found[group]
    extra = sorted(group for group, datasets in found.items() if datasets)
    if extra:
        expected = [group for group, _, variables in layer_groups(model) if variables]
        error = _errors.EXTRA_WEIGHTS.format(path=path, groups=extra, model=model.name, expected=expected)
        if not skip_mismatch:
            raise ValueError(error)
        warnings.warn(SKIPPED_EXTRA.format(error=error), stacklevel=3)
    if optimizer_datasets and not skip_optimizer:
        if optimizer is None:
            warnings.warn(OPTIMIZER_NOT_COMPILED.format(path=path, model=model.name), stacklevel=3)
        elif skip_mismatch:
            try:
                plan.extend(_plan_optimizer(optimizer, model, optimizer_datasets, path))
            except ValueError as error:
                warnings.warn(SKIPPED_OPTIMIZER.format(path=path, error=error), stacklevel=3)
        else:
            plan.extend(_plan_optimizer(optimizer, model, optimizer_datasets, path))
    for variable, dataset in plan:
        variable.assign(np.asarray(dataset[()]))
    for layer, store in custom:
        layer.load_own_variables(store)
