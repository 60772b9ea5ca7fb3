"""`KerasFileEditor`: the weights of a `.keras` or `.weights.h5` file as a nested dict to inspect, compare with a
model, edit (add, delete, rename objects and weights) and save as a `.weights.h5` file that kerasx and Keras load."""

from __future__ import annotations

import io
import os

import h5py
import numpy as np

from kerasx import _atomic_files as _atomic
from kerasx.saving import _saving_lib, _weights_h5

BAD_FILENAME = (
    "Invalid filename: expected a `.keras` `.weights.h5` extension. Received: filepath={path}. KerasFileEditor opens "
    "a model saved with `model.save` or weights saved with `model.save_weights`."
)
BAD_SAVE_PATH = (
    "Invalid `filepath` argument: expected a `.weights.h5` extension. Received: filepath={path}. The editor saves "
    "weights only; load them with `model.load_weights(filepath)`."
)
NOT_A_DICT = (
    "Argument `weights` should be a dict where keys are weight names (usually '0', '1', etc.) and values are NumPy "
    "arrays. Received: type(weights)={kind}"
)
PATH_NOT_FOUND = "Path '{path}' not found in model. `editor.summary()` lists the objects of the file."
NAME_TWICE = "Name '{name}' occurs more than once in the model; try passing a complete path (e.g. 'layers/{name}')."
NAME_NOT_FOUND = "Source name '{name}' does not appear in the model. Use `editor.summary()` to list all objects."
NOT_A_LEAF_NAME = (
    "Argument `target_name` should be a leaf name, not a full path name. Received: target_name='{name}'"
)
WEIGHT_NOT_FOUND = "Weight {weight} not found in object {name}. Weights found: {found}"


def _tree_of(file: h5py.File, path: str) -> tuple:
    """(nested weights dict, {"/<object path>": group attributes}) of an open weights file. An object's datasets
    live in its `vars` group; the dict keeps them directly under the object's path, beside its sub-objects."""
    weights, metadata = {}, {}
    for group_path, datasets in sorted(_weights_h5.read_datasets(file, path).items()):
        parts = [p for p in group_path.split("/") if p]
        if parts and parts[-1] == "vars":
            parts = parts[:-1]
        node = weights
        for part in parts:
            node = node.setdefault(part, {})
        for name in sorted(datasets):
            node[name] = datasets[name][()]
        attributes = dict(file[group_path].attrs) if group_path else dict(file.attrs)
        if attributes and parts:
            metadata["/" + "/".join(parts)] = attributes
    return weights, metadata


def _count_leaves(tree: dict) -> int:
    return sum(_count_leaves(v) if isinstance(v, dict) else 1 for v in tree.values())


def _reference_tree(model) -> dict:
    """The weights dict of `model` as `model.save` would write it (through the same writer), never touching disk."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as file:
        _weights_h5.write_weights(file, model, model.optimizer if getattr(model, "compiled", False) else None)
        return _tree_of(file, "<reference model>")[0]


class KerasFileEditor:
    """Inspects, edits and resaves the weights of a Keras file (`.keras` or `.weights.h5`, written by kerasx or
    Keras 3).

    Adapts weights saved before an architecture change: delete the objects of removed layers, rename objects, add the
    weights of new layers, then save a `.weights.h5` file for `model.load_weights`. Objects are named by their path
    in the file (`"layers/dense_2"`, `"optimizer"`); a bare name (`"dense_2"`) works when it occurs once.

    Attributes: `filepath`, `config` and `metadata` (of a `.keras` file; None for a weights file), `weights_dict`
    (nested dict of object names, ending in NumPy arrays keyed "0", "1", ...), `object_metadata` (each object's HDF5
    attributes, by path).

    Args:
        filepath: path of the `.keras` or `.weights.h5` file to open.

    Example:

    >>> import os, tempfile
    >>> import numpy as np
    >>> import kerasx
    >>> folder = tempfile.mkdtemp()
    >>> model = kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2), kerasx.layers.Dense(1)])
    >>> model.save(os.path.join(folder, "model.keras"))
    >>> editor = kerasx.saving.KerasFileEditor(os.path.join(folder, "model.keras"))  # doctest: +ELLIPSIS
    Keras model file '...model.keras'
    Saved with Keras ...
    >>> sorted(editor.weights_dict["layers"])
    ['dense', 'dense_1']
    >>> editor.delete_object("layers/dense_1")
    >>> editor.add_object("layers/dense_1", weights={"0": np.ones((2, 1)), "1": np.zeros((1,))})
    >>> editor.compare(model)["status"]  # doctest: +ELLIPSIS
    Running comparison
    ...
    'success'
    >>> editor.save(os.path.join(folder, "edited.weights.h5"))
    >>> model.load_weights(os.path.join(folder, "edited.weights.h5"))
    >>> kerasx.ops.convert_to_numpy(model.layers[1].kernel).ravel().tolist()
    [1.0, 1.0]
    """

    def __init__(self, filepath):
        path = os.fspath(filepath)
        self.filepath = path
        self.config = None
        self.metadata = None
        if str(path).endswith(".keras"):
            self.config, self.metadata, weights = _saving_lib.read_model_file(path)
            with h5py.File(io.BytesIO(weights), "r") as file:
                self.weights_dict, self.object_metadata = _tree_of(file, path)
        elif str(path).endswith(".weights.h5"):
            with h5py.File(path, "r") as file:
                self.weights_dict, self.object_metadata = _tree_of(file, path)
        else:
            raise ValueError(BAD_FILENAME.format(path=path))
        print(f"Keras model file '{path}'")
        if self.metadata:
            version = self.metadata.get("keras_version", "?")
            print(f"Saved with Keras {version} - date: {self.metadata.get('date_saved', '?')}")

    # Inspecting ---------------------------------------------------------------------------------------------------
    def summary(self) -> None:
        """Prints the tree of objects and weights of the file (each weight's shape and dtype).

        Example:

        >>> import os, tempfile
        >>> import kerasx
        >>> path = os.path.join(tempfile.mkdtemp(), "w.weights.h5")
        >>> kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2)]).save_weights(path)
        >>> kerasx.saving.KerasFileEditor(path).summary()  # doctest: +ELLIPSIS
        Keras model file '...w.weights.h5'
        Weights structure
          > layers
              └─ dense
                  ├─ 0: shape=(3, 2), dtype=float32
                  └─ 1: shape=(2,), dtype=float32
        """
        print("Weights structure")
        self._print_tree(self.weights_dict, "  ", first=True)

    def _print_tree(self, tree: dict, prefix: str, first: bool) -> bool:
        for index, (key, value) in enumerate(tree.items()):
            last = index == len(tree) - 1
            connector = "> " if first else ("└─ " if last else "├─ ")
            first = False
            if isinstance(value, dict):
                print(f"{prefix}{connector}{key}")
                first = self._print_tree(value, prefix + ("    " if last else "│   "), first)
            else:
                print(f"{prefix}{connector}{key}: shape={value.shape}, dtype={value.dtype}")
        return first

    def compare(self, reference_model) -> dict:
        """Lists every difference between the file's weights and those `reference_model` would save: objects or
        weights present on one side only, and weights of different shapes.

        Args:
            reference_model: the model (built) the file should fit.

        Returns:
            `{"status": "success" or "error", "error_count": differences found, "match_count": weights present on
            both sides with the same shape}`.

        Example:

        >>> import os, tempfile
        >>> import kerasx
        >>> path = os.path.join(tempfile.mkdtemp(), "w.weights.h5")
        >>> kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2)]).save_weights(path)
        >>> editor = kerasx.saving.KerasFileEditor(path)  # doctest: +ELLIPSIS
        Keras model file ...
        >>> bigger = kerasx.Sequential([kerasx.Input((4,)), kerasx.layers.Dense(2)])
        >>> editor.compare(bigger)  # doctest: +NORMALIZE_WHITESPACE
        Running comparison
        ...Weight shape mismatch for /layers/dense/0
            In reference model: shape=(4, 2)
            In saved file: shape=(3, 2)
        ─────────────────────
        Found 1 error: saved file is not compatible with the reference model
        {'status': 'error', 'error_count': 1, 'match_count': 1}
        """
        print("Running comparison")
        reference = _reference_tree(reference_model)
        errors, matches = self._compare(self.weights_dict, reference, "", "saved file", "reference model", True)
        more_errors, _ = self._compare(reference, self.weights_dict, "", "reference model", "saved file", False)
        errors += more_errors
        print("─────────────────────")
        if errors == 0:
            print("Comparison successful: saved file is compatible with the reference model")
            print(f"    Found {matches} matching weight{'' if matches == 1 else 's'}")
        else:
            print(f"Found {errors} error{'' if errors == 1 else 's'}: saved file is not compatible with the "
                  "reference model")
        return {"status": "success" if errors == 0 else "error", "error_count": errors, "match_count": matches}

    def _compare(self, target, reference, path, target_name, reference_name, check_shapes) -> tuple:
        """(differences, matches) of what `reference` holds against `target`; shapes are checked on the first pass
        only, so that each difference counts once."""
        errors = matches = 0
        for key, value in reference.items():
            inner = f"{path}/{key}"
            if key not in target:
                errors += 1
                kind = "Object" if isinstance(value, dict) else "Weight"
                print(f"...{kind} {inner} present in {reference_name}, missing from {target_name}")
                if isinstance(value, dict):
                    print(f"    In {reference_name}, {inner} contains the following keys: {list(value)}")
            elif isinstance(value, dict) and isinstance(target[key], dict):
                sub_errors, sub_matches = self._compare(
                    target[key], value, inner, target_name, reference_name, check_shapes
                )
                errors, matches = errors + sub_errors, matches + sub_matches
            elif check_shapes:
                current = target[key]
                if isinstance(current, dict) or isinstance(value, dict) or tuple(current.shape) != tuple(value.shape):
                    errors += 1
                    print(f"...Weight shape mismatch for {inner}\n    In {reference_name}: "
                          f"shape={getattr(value, 'shape', 'an object')}\n    In {target_name}: "
                          f"shape={getattr(current, 'shape', 'an object')}")
                else:
                    matches += 1
        return errors, matches

    # Editing ------------------------------------------------------------------------------------------------------
    def _holder(self, object_name: str) -> tuple:
        """(dict holding the object, its key) for a path ("layers/dense") or a name occurring once."""
        if "/" in object_name:
            parts = object_name.split("/")
            node = self.weights_dict
            for part in parts[:-1]:
                if not isinstance(node.get(part), dict):
                    raise ValueError(PATH_NOT_FOUND.format(path=object_name))
                node = node[part]
            if parts[-1] not in node:
                raise ValueError(PATH_NOT_FOUND.format(path=object_name))
            return node, parts[-1]
        holders = []

        def find(node):
            for key, value in node.items():
                if key == object_name:
                    holders.append(node)
                if isinstance(value, dict):
                    find(value)

        find(self.weights_dict)
        if len(holders) > 1:
            raise ValueError(NAME_TWICE.format(name=object_name))
        if not holders:
            raise ValueError(NAME_NOT_FOUND.format(name=object_name))
        return holders[0], object_name

    def rename_object(self, object_name: str, new_name: str) -> None:
        """Renames an object (e.g. a layer) of the file.

        Args:
            object_name: name or path of the object (e.g. `"dense_2"` or `"layers/dense_2"`).
            new_name: its new name, a leaf name (no "/").

        Example:

        >>> import os, tempfile
        >>> import kerasx
        >>> path = os.path.join(tempfile.mkdtemp(), "w.weights.h5")
        >>> kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2)]).save_weights(path)
        >>> editor = kerasx.saving.KerasFileEditor(path)  # doctest: +ELLIPSIS
        Keras model file ...
        >>> editor.rename_object("layers/dense", "dense_1")
        >>> list(editor.weights_dict["layers"])
        ['dense_1']
        """
        if "/" in new_name:
            raise ValueError(NOT_A_LEAF_NAME.format(name=new_name))
        holder, key = self._holder(object_name)
        holder[new_name] = holder.pop(key)

    def delete_object(self, object_name: str) -> None:
        """Removes an object (e.g. a layer) and all its weights from the file.

        Args:
            object_name: name or path of the object (e.g. `"dense_2"` or `"layers/dense_2"`).

        Example:

        >>> import os, tempfile
        >>> import kerasx
        >>> path = os.path.join(tempfile.mkdtemp(), "w.weights.h5")
        >>> kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2)]).save_weights(path)
        >>> editor = kerasx.saving.KerasFileEditor(path)  # doctest: +ELLIPSIS
        Keras model file ...
        >>> editor.delete_object("layers/dense")
        >>> editor.weights_dict
        {'layers': {}}
        """
        holder, key = self._holder(object_name)
        del holder[key]

    def add_object(self, object_path: str, weights: dict) -> None:
        """Adds an object (e.g. a layer) with its weights; every object above it in the path must exist.

        Args:
            object_path: full path of the new object (e.g. `"layers/dense_2"`).
            weights: weight names to arrays, e.g. `{"0": kernel, "1": bias}`.

        Example:

        >>> import os, tempfile
        >>> import numpy as np
        >>> import kerasx
        >>> path = os.path.join(tempfile.mkdtemp(), "w.weights.h5")
        >>> kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2)]).save_weights(path)
        >>> editor = kerasx.saving.KerasFileEditor(path)  # doctest: +ELLIPSIS
        Keras model file ...
        >>> editor.add_object("layers/dense_1", {"0": np.ones((2, 1))})
        >>> sorted(editor.weights_dict["layers"])
        ['dense', 'dense_1']
        """
        if not isinstance(weights, dict):
            raise ValueError(NOT_A_DICT.format(kind=type(weights)))
        parts = object_path.split("/")
        node = self.weights_dict
        for part in parts[:-1]:
            if not isinstance(node.get(part), dict):
                raise ValueError(PATH_NOT_FOUND.format(path="/".join(parts[:-1])))
            node = node[part]
        node[parts[-1]] = {name: np.asarray(value) for name, value in weights.items()}

    def delete_weight(self, object_name: str, weight_name: str) -> None:
        """Removes one weight of an object.

        Args:
            object_name: name or path of the object (e.g. `"dense_2"` or `"layers/dense_2"`).
            weight_name: the weight (e.g. `"0"`).

        Example:

        >>> import os, tempfile
        >>> import kerasx
        >>> path = os.path.join(tempfile.mkdtemp(), "w.weights.h5")
        >>> kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2)]).save_weights(path)
        >>> editor = kerasx.saving.KerasFileEditor(path)  # doctest: +ELLIPSIS
        Keras model file ...
        >>> editor.delete_weight("layers/dense", "1")
        >>> list(editor.weights_dict["layers"]["dense"])
        ['0']
        """
        holder, key = self._holder(object_name)
        if not isinstance(holder[key], dict) or weight_name not in holder[key]:
            found = list(holder[key]) if isinstance(holder[key], dict) else []
            raise ValueError(WEIGHT_NOT_FOUND.format(weight=weight_name, name=object_name, found=found))
        del holder[key][weight_name]

    def add_weights(self, object_name: str, weights: dict) -> None:
        """Adds weights to an existing object (replacing those of the same names).

        Args:
            object_name: name or path of the object (e.g. `"dense_2"` or `"layers/dense_2"`).
            weights: weight names to arrays, e.g. `{"2": extra}`.

        Example:

        >>> import os, tempfile
        >>> import numpy as np
        >>> import kerasx
        >>> path = os.path.join(tempfile.mkdtemp(), "w.weights.h5")
        >>> kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2)]).save_weights(path)
        >>> editor = kerasx.saving.KerasFileEditor(path)  # doctest: +ELLIPSIS
        Keras model file ...
        >>> editor.add_weights("dense", {"2": np.zeros((2,))})
        >>> list(editor.weights_dict["layers"]["dense"])
        ['0', '1', '2']
        """
        if not isinstance(weights, dict):
            raise ValueError(NOT_A_DICT.format(kind=type(weights)))
        holder, key = self._holder(object_name)
        holder[key].update({name: np.asarray(value) for name, value in weights.items()})

    # Saving -------------------------------------------------------------------------------------------------------
    def save(self, filepath) -> None:
        """Writes the edited weights to a `.weights.h5` file (each object's weights in its `<path>/vars` group, as
        `save_weights` writes them), for `model.load_weights` in kerasx or Keras.

        Args:
            filepath: path ending in `.weights.h5`.

        Example:

        >>> import os, tempfile
        >>> import kerasx
        >>> folder = tempfile.mkdtemp()
        >>> model = kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2)])
        >>> model.save_weights(os.path.join(folder, "w.weights.h5"))
        >>> editor = kerasx.saving.KerasFileEditor(os.path.join(folder, "w.weights.h5"))  # doctest: +ELLIPSIS
        Keras model file ...
        >>> editor.save(os.path.join(folder, "copy.weights.h5"))
        >>> model.load_weights(os.path.join(folder, "copy.weights.h5"))
        """
        path = os.fspath(filepath)
        if not str(path).endswith(".weights.h5"):
            raise ValueError(BAD_SAVE_PATH.format(path=path))
        with _atomic.atomic_path(path) as temporary, h5py.File(temporary, "w") as file:
            self._write(file, self.weights_dict, "")

    def resave_weights(self, filepath) -> None:
        """Same as `save`: writes the edited weights to a `.weights.h5` file.

        Args:
            filepath: path ending in `.weights.h5`.

        Example:

        >>> import os, tempfile
        >>> import kerasx
        >>> folder = tempfile.mkdtemp()
        >>> kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2)]).save_weights(f"{folder}/w.weights.h5")
        >>> editor = kerasx.saving.KerasFileEditor(f"{folder}/w.weights.h5")  # doctest: +ELLIPSIS
        Keras model file ...
        >>> editor.resave_weights(f"{folder}/again.weights.h5")
        >>> os.path.exists(f"{folder}/again.weights.h5")
        True
        """
        self.save(filepath)

    def _write(self, file: h5py.File, tree: dict, path: str) -> None:
        arrays = {name: value for name, value in tree.items() if not isinstance(value, dict)}
        if arrays:
            group = file.require_group(f"{path}/vars" if path else "vars")
            for name, value in arrays.items():
                group.create_dataset(name, data=np.asarray(value))
        for name, value in tree.items():
            if isinstance(value, dict) and value:
                self._write(file, value, f"{path}/{name}" if path else name)
