"""Layer assets in a `.keras` archive: the files a layer writes with `save_assets(dir_path)` (a vocabulary), stored
as `assets/<layer path>/<file>` members, the layout Keras 3 writes (`assets/layers/string_lookup/vocabulary.txt`).

Loading writes the archive's asset members into a private temporary folder (names already checked by the archive
reader: no absolute paths, no `..`), hands each layer its own subfolder through `load_assets(dir_path)`, and removes
the folder afterwards; nothing is read from outside the archive.
"""

from __future__ import annotations

import os
import shutil
import tempfile

from kerasx.saving import _weights_h5

PREFIX = "assets/"


def _layer_paths(model) -> list:
    """(path inside `assets/`, layer) of every layer with asset hooks, in the weights file's order."""
    entries = []
    for group_path, layer, _ in _weights_h5.layer_groups(model):
        if callable(getattr(layer, "save_assets", None)) or callable(getattr(layer, "load_assets", None)):
            entries.append((group_path[: -len("vars")].rstrip("/"), layer))
    return entries


def collect_assets(model) -> dict:
    """{archive member name: bytes} of the files every layer's `save_assets` writes (empty for most models)."""
    entries = [(path, layer) for path, layer in _layer_paths(model) if callable(getattr(layer, "save_assets", None))]
    if not entries:
        return {}
    members = {}
    root = tempfile.mkdtemp(prefix="kerasx-assets-")
    try:
        for path, layer in entries:
            folder = os.path.join(root, *path.split("/")) if path else root
            os.makedirs(folder, exist_ok=True)
            layer.save_assets(folder)
            for current, _, files in os.walk(folder):
                for name in sorted(files):
                    relative = os.path.relpath(os.path.join(current, name), root).replace(os.sep, "/")
                    if relative.startswith(f"{path}/" if path else "") and relative not in members:
                        with open(os.path.join(current, name), "rb") as file:
                            members[PREFIX + relative] = file.read()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    # A parent's walk also met its sublayers' folders: each file is kept once, under its own path.
    return members


def restore_assets(model, members: dict) -> None:
    """Hands each layer with `load_assets` its folder of the archive's `assets/...` members, when it has one."""
    assets = {name[len(PREFIX) :]: data for name, data in members.items() if name.startswith(PREFIX)}
    entries = [(path, layer) for path, layer in _layer_paths(model) if callable(getattr(layer, "load_assets", None))]
    if not assets or not entries:
        return
    root = tempfile.mkdtemp(prefix="kerasx-assets-")
    try:
        for relative, data in assets.items():
            target = os.path.join(root, *relative.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as file:
                file.write(data)
        for path, layer in entries:
            folder = os.path.join(root, *path.split("/")) if path else root
            if os.path.isdir(folder):
                layer.load_assets(folder)
    finally:
        shutil.rmtree(root, ignore_errors=True)
