"""`save_model` / `load_model` (the `.keras` archive) and `save_weights` / `load_weights` (`.weights.h5`).

A `.keras` file is a zip of config.json (the architecture, plus the compile arguments, in the Keras 3 format),
metadata.json (kerasx version, the backend it was saved on, date) and model.weights.h5 (layer and optimizer
variables). Every write goes to a temporary file that then replaces the target, so an interrupted save leaves the
previous file intact.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import warnings

import h5py

from kerasx import _atomic_files as _atomic
from kerasx._version import __version__
from kerasx.backend import _deferred_init, _tree, backend
from kerasx.layers._layer_state import as_shapes, overrides
from kerasx.saving import (
    _archive,
    _assets,
    _compile_config,
    _errors,
    _folder,
    _keras_config,
    _keras_functional,
    _legacy_h5,
    _legacy_h5_weights,
    _sharded_weights,
    _weights_h5,
    limits,
)
from kerasx.serialization import _registry

MODEL_SUFFIX = ".keras"
WEIGHTS_SUFFIX = ".weights.h5"
SHARDED_RENAMED = (
    "Sharded weights are indexed by a `.weights.json` file: saving to {path!r} instead of {requested!r}, with the "
    "shards beside it."
)


# Whole models ---------------------------------------------------------------------------------------------------
def _check_suffix(path, suffix: str, action: str) -> str:
    path = os.fspath(path)
    if not str(path).endswith(suffix):
        raise ValueError(_errors.BAD_SUFFIX.format(action=action, path=path, suffix=suffix))
    return path


def _weights_bytes(model, optimizer) -> bytes:
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as file:
        _weights_h5.write_weights(file, model, optimizer)
    return buffer.getvalue()


def model_config(model) -> dict:
    config = _keras_config.export_config(_registry.serialize_keras_object(model), model=model)
    build_shape = getattr(model, "_build_input_shape", None)
    if build_shape is not None:
        config["build_config"] = {"input_shape": _tree.map_structure(lambda d: d, build_shape)}
    elif overrides(model, "build_from_config"):
        # An object built from more than an input shape (FeatureSpace: one build per preprocessor), as Keras 3.
        config["build_config"] = model.get_build_config()
    compiled = _compile_config.export_compile_config(model)
    if compiled is not None:
        config["compile_config"] = compiled
    return config


def save_model(model, filepath, overwrite=True, zipped=None) -> None:
    """Saves architecture, weights, compile arguments and optimizer state to a `.keras` file.

    Args:
        model: the model.
        filepath: path ending in `.keras`; with `zipped=False`, the path of a folder (no `.keras` suffix).
        overwrite: whether to replace an existing file or folder.
        zipped: True or None (the default) writes the zip archive; False writes its three files (config.json,
            metadata.json, model.weights.h5) into a folder, which `load_model` reads as well, as Keras 3 does.

    Example:
        >>> import os, tempfile
        >>> import kerasx
        >>> model = kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2)])
        >>> folder = os.path.join(tempfile.mkdtemp(), "model")
        >>> kerasx.saving.save_model(model, folder, zipped=False)
        >>> sorted(os.listdir(folder))
        ['config.json', 'metadata.json', 'model.weights.h5']
        >>> kerasx.saving.load_model(folder).count_params()
        8
    """
    zipped = True if zipped is None else bool(zipped)
    if zipped:
        path = _check_suffix(filepath, MODEL_SUFFIX, "save a model to")
    else:
        path = os.fspath(filepath)
        for suffix in (MODEL_SUFFIX, ".h5"):
            if str(path).endswith(suffix):
                raise ValueError(_errors.UNZIPPED_SUFFIX.format(path=path, suffix=suffix))
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path!r} exists and overwrite=False was passed to save.")
    metadata = {
        "kerasx_version": __version__,
        "keras_version": "3",
        "backend": backend(),
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
    }
    members = {
        _archive.METADATA: json.dumps(metadata).encode("utf-8"),
        _archive.CONFIG: json.dumps(model_config(model)).encode("utf-8"),
        _archive.WEIGHTS: _weights_bytes(model, model.optimizer if getattr(model, "compiled", False) else None),
    }
    members.update(_assets.collect_assets(model))
    if not zipped:
        _folder.write_folder(path, members)
        return
    with _atomic.atomic_path(path) as temporary:
        _archive.write_archive(temporary, members)


def read_model_file(filepath) -> tuple:
    """(config dict, metadata dict, weights bytes) of a `.keras` file or an unzipped model folder, checked for
    hostile structure."""
    path = os.fspath(filepath)
    return _parse_members(path, _read_members(path))


def _read_members(path: str) -> dict:
    return _folder.read_folder(path) if _archive.file_kind(path) == "folder" else _archive.read_archive(path)


def _open_weights(path: str, model):
    """The archive's weights member as a file for h5py, once its declared size is checked against the model."""
    size = _archive.weights_size(path)
    model_bytes, bound = _weights_h5.weights_file_bound(model)
    if size > bound:
        raise ValueError(
            _errors.WEIGHTS_TOO_LARGE_FOR_MODEL.format(
                path=path, size=size, model_bytes=model_bytes, limit=bound, factor=limits.WEIGHTS_SIZE_FACTOR
            )
        )
    return _archive.open_weights(path, bound)


def _parse_members(path: str, members: dict) -> tuple:
    config, metadata = _parse_config(path, members)
    return config, metadata, members[_archive.WEIGHTS]


def _parse_config(path: str, members: dict) -> tuple:
    config = _archive.parse_json(path, _archive.CONFIG, members[_archive.CONFIG])
    metadata = {}
    if _archive.METADATA in members:
        metadata = _archive.parse_json(path, _archive.METADATA, members[_archive.METADATA])
    if not isinstance(config, dict):
        raise ValueError(_errors.BAD_CONFIG_ENTRY.format(path=path, entry=type(config).__name__, why="not a dict"))
    return config, metadata


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved with `model.save` (by kerasx or Keras 3) from a `.keras` file, or a legacy `.h5` file
    of tf.keras 2 or Keras 3 (architecture, weights and compile arguments; not the optimizer state).

    Nothing in the file is executed: classes are looked up by name among kerasx's own and those you registered
    (`register_keras_serializable`) or pass in `custom_objects`; a module named in the file is never imported.

    Args:
        filepath: path of the `.keras` file (or legacy `.h5` file, or folder written with `zipped=False`).
        custom_objects: dict of name -> class or function for custom layers, losses, metrics, ...
        compile: whether to compile the model with the saved compile arguments and restore the optimizer state.
        safe_mode: False allows Lambda layers whose code (Python bytecode) is stored in the file. Only for
            trusted files; the file cannot change this.

    Returns:
        The model, with its weights (and, when compiled, its optimizer state).

    Example:
        >>> import os
        >>> import tempfile
        >>> import numpy as np
        >>> import kerasx
        >>> model = kerasx.Sequential([kerasx.Input(shape=(3,)), kerasx.layers.Dense(2)])
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "model.keras")
        ...     model.save(path)
        ...     restored = kerasx.models.load_model(path)
        >>> x = np.ones((1, 3))
        >>> bool(np.array_equal(model.predict(x, verbose=0), restored.predict(x, verbose=0)))
        True
    """
    path = os.fspath(filepath)
    if _archive.file_kind(path) == "hdf5":
        return _legacy_h5.load_legacy_model(path, custom_objects, compile, safe_mode)
    zipped = _archive.file_kind(path) == "zip"
    # A zipped weights member is read only once the model built from the config bounds its size: a member that
    # declares gigabytes for a small model is refused before any of it is read.
    members = _archive.read_archive(path, skip_weights=True) if zipped else _folder.read_folder(path)
    config, _ = _parse_config(path, members)
    with _registry.custom_object_scope(custom_objects), _registry.object_sharing_scope():
        # The variables get no storage and run no initializer while the model is rebuilt: the file's weights are
        # checked before anything is assigned, so a refused file costs none of them (`_deferred_init`).
        with _deferred_init.deferred_initializers() as made:
            model = model_from_config(config, path, custom_objects, compile, safe_mode)
        optimizer = model.optimizer if compile and getattr(model, "compiled", False) else None
        weights = _open_weights(path, model) if zipped else io.BytesIO(members[_archive.WEIGHTS])
        with weights:
            try:
                file = h5py.File(weights, "r")
            except OSError as error:
                raise ValueError(_errors.CORRUPT_WEIGHTS.format(path=path, error=error)) from error
            with file:
                _weights_h5.load_weights_into(file, model, path, optimizer=optimizer, skip_optimizer=not compile)
        # After the weights, as Keras 3 does: a TF-IDF vocabulary is set together with its loaded weights.
        _assets.restore_assets(model, members)
        # Variables nothing assigned (e.g. optimizer slots of a file saved before training) get their initial value.
        _deferred_init.run_pending(made)
    return model


def model_from_config(config: dict, path: str, custom_objects=None, compile=True, safe_mode=True):
    """A new model (not yet holding saved weights) from a Keras-format model config: built from its
    `build_config`, compiled from its `compile_config` when `compile`."""
    config = _keras_functional.restore_shared_ids(config)
    importer = _keras_config.Importer(path, custom_objects, safe_mode)
    with (
        _registry.custom_object_scope(custom_objects),
        _registry.object_sharing_scope(),
        _registry.safe_mode_scope(importer.safe_mode),
    ):
        model_entry = importer.object({k: v for k, v in config.items() if k in _keras_config.OBJECT_KEYS})
        model = _registry.deserialize_keras_object(model_entry, custom_objects, kind="model")
        build = config.get("build_config")
        if not model.built and isinstance(build, dict) and build.get("input_shape") is not None:
            model.build(as_shapes(importer.value(build["input_shape"])))
        elif isinstance(build, dict) and overrides(model, "build_from_config"):
            model.build_from_config(importer.value(build))
        compile_entry = config.get("compile_config")
        if compile and isinstance(compile_entry, dict) and compile_entry.get("optimizer") is not None:
            _compile_config.compile_from_config(model, compile_entry, path, custom_objects, safe_mode)
    return model


# Weights only ---------------------------------------------------------------------------------------------------
def save_weights(model, filepath, overwrite=True, max_shard_size=None) -> None:
    """Writes the model's weights (and its optimizer's state, when compiled) to a `.weights.h5` file.

    `model.save_weights(filepath)` calls this function; the file is the Keras 3 format, readable by Keras 3 too.
    With `max_shard_size` the weights are split over several `.weights.h5` shards indexed by a `.weights.json`
    file (Keras 3's sharded format; a `.weights.h5` path is changed to `.weights.json`, with a warning).

    Args:
        model: the model.
        filepath: path ending in `.weights.h5` (or `.weights.json` with `max_shard_size`).
        overwrite: whether to replace an existing file.
        max_shard_size: largest size of one shard in GB (2**30 bytes); None writes one file.

    Example:
        >>> import os
        >>> import tempfile
        >>> import numpy as np
        >>> import kerasx
        >>> model = kerasx.Sequential([kerasx.Input(shape=(3,)), kerasx.layers.Dense(2)])
        >>> copy = kerasx.Sequential([kerasx.Input(shape=(3,)), kerasx.layers.Dense(2)])
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "model.weights.h5")
        ...     kerasx.saving.save_weights(model, path)
        ...     kerasx.saving.load_weights(copy, path)
        >>> bool(np.array_equal(model.layers[0].kernel.numpy(), copy.layers[0].kernel.numpy()))
        True
    """
    if max_shard_size is not None:
        path = os.fspath(filepath)
        if path.endswith(WEIGHTS_SUFFIX):
            requested, path = path, path[: -len(WEIGHTS_SUFFIX)] + _sharded_weights.SHARDED_SUFFIX
            warnings.warn(SHARDED_RENAMED.format(path=path, requested=requested), stacklevel=2)
        path = _check_suffix(path, _sharded_weights.SHARDED_SUFFIX, "save sharded weights to")
    else:
        path = _check_suffix(filepath, WEIGHTS_SUFFIX, "save weights to")
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path!r} exists and overwrite=False was passed to save_weights.")
    optimizer = model.optimizer if getattr(model, "compiled", False) else None
    if max_shard_size is not None:
        _sharded_weights.save_sharded(model, path, max_shard_size, optimizer)
        return
    with _atomic.atomic_path(path) as temporary, h5py.File(temporary, "w") as file:
        _weights_h5.write_weights(file, model, optimizer)


def load_weights(model, filepath, skip_mismatch=False) -> None:
    """Loads a `.weights.h5` file (kerasx or Keras 3), or sharded weights indexed by a `.weights.json` file, into
    `model`; every layer's weights must be present and match in number and shape (nothing is assigned otherwise).
    A legacy `.h5`/`.hdf5` weights file (tf.keras 2's, and the pretrained files of the applications) is matched
    to the model's layers by order, as Keras 3 does.

    `model.load_weights(filepath)` calls this function. When the model is compiled, the optimizer state saved with
    the weights is restored too.

    Args:
        model: a built model with the same layers as the one that was saved.
        filepath: path ending in `.weights.h5` (or `.weights.json` for sharded weights, `.h5` for legacy weights).
        skip_mismatch: skip, with a warning, each layer whose saved weights do not match (count or shapes), and
            the optimizer state if it does not match, instead of failing.

    Example:
        >>> import os
        >>> import tempfile
        >>> import numpy as np
        >>> import kerasx
        >>> model = kerasx.Sequential([kerasx.Input(shape=(2,)), kerasx.layers.Dense(1, kernel_initializer="ones")])
        >>> other = kerasx.Sequential([kerasx.Input(shape=(2,)), kerasx.layers.Dense(1)])
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     model.save_weights(os.path.join(folder, "ones.weights.h5"))
        ...     kerasx.saving.load_weights(other, os.path.join(folder, "ones.weights.h5"))
        >>> print(other.predict(np.array([[1.0, 2.0]]), verbose=0))
        [[3.]]
    """
    optimizer = model.optimizer if getattr(model, "compiled", False) else None
    if os.fspath(filepath).endswith(_sharded_weights.SHARDED_SUFFIX):
        _sharded_weights.load_sharded(model, os.fspath(filepath), optimizer, skip_mismatch)
        return
    if not os.fspath(filepath).endswith(WEIGHTS_SUFFIX) and os.fspath(filepath).endswith(
        _legacy_h5_weights.LEGACY_SUFFIXES
    ):
        _legacy_h5_weights.load_weights(model, os.fspath(filepath))
        return
    path = _check_suffix(filepath, WEIGHTS_SUFFIX, "load weights from")
    try:
        file = h5py.File(path, "r")
    except FileNotFoundError:
        raise
    except OSError as error:
        raise ValueError(_errors.H5_NOT_READABLE.format(path=path, error=error)) from error
    with file:
        _weights_h5.load_weights_into(file, model, path, optimizer=optimizer, skip_mismatch=skip_mismatch)
