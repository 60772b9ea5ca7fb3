"""The unzipped form of a `.keras` file, `model.save(path, zipped=False)`: a folder holding the archive's three
members as plain files (config.json, metadata.json, model.weights.h5), as Keras 3 writes and reads it.

Reading takes only those three names (other entries are never opened) and bounds each file's size like the archive
does. Writing builds the folder beside the target and renames it into place, so a failed save leaves any previous
model folder whole.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile

from kerasx.saving import _archive, _errors, limits


def write_folder(path: str, members: dict) -> None:
    """Writes `{name: bytes}` as files of the folder `path`, replacing a previous folder there."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise FileExistsError(_errors.FOLDER_IS_A_FILE.format(path=path))
    parent = os.path.dirname(os.path.abspath(path))
    temporary = tempfile.mkdtemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=parent)
    try:
        for name in _archive.MEMBERS:
            with open(os.path.join(temporary, name), "wb") as file:
                file.write(members[name])
                file.flush()
                os.fsync(file.fileno())
        if os.path.isdir(path):
            # A folder cannot be renamed over a non-empty one: move the old one aside, then drop it.
            aside = tempfile.mkdtemp(prefix=f".{os.path.basename(path)}.", suffix=".old", dir=parent)
            os.replace(path, os.path.join(aside, "model"))
            os.replace(temporary, path)
            shutil.rmtree(aside, ignore_errors=True)
        else:
            os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(temporary)
        raise


def read_folder(path: str) -> dict:
    """{member name: bytes} of the folder's members, after checking that they are regular files within bounds."""
    expected = ", ".join(_archive.MEMBERS)
    members = {}
    for name in _archive.MEMBERS:
        member = os.path.join(path, name)
        if not os.path.lexists(member):
            if name == _archive.METADATA:
                continue
            raise ValueError(_errors.FOLDER_MISSING_MEMBER.format(path=path, name=name, expected=expected))
        if os.path.islink(member) or not os.path.isfile(member):
            raise ValueError(_errors.UNSAFE_FOLDER_MEMBER.format(path=path, name=name))
        limit_name = _archive.LIMIT_NAMES[name]
        limit = getattr(limits, limit_name)
        size = os.path.getsize(member)
        with open(member, "rb") as file:
            data = file.read(min(size, limit) + 1)  # bounded even if the file grows after it was measured
        if max(size, len(data)) > limit:
            raise ValueError(
                _errors.FOLDER_MEMBER_TOO_LARGE.format(
                    path=path, name=name, size=max(size, len(data)), limit=limit, limit_name=limit_name
                )
            )
        members[name] = data
    return members
