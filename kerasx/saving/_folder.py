"""The unzipped form of a `.keras` file, `model.save(path, zipped=False)`: a folder holding the archive's three
members as plain files (config.json, metadata.json, model.weights.h5) and its layers' assets under `assets/`
(vocabularies: `assets/layers/string_lookup/vocabulary.txt`), as Keras 3 writes and reads it.

Reading takes only those three names and the regular files under `assets/` (other entries are never opened, links
are refused), and bounds each file's size, and the assets' count and total size, like the archive does. Writing
builds the folder beside the target and renames it into place, so a failed save leaves any previous model folder
whole.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile

from kerasx.saving import _archive, _errors, limits

ASSETS_FOLDER = "assets"
ASSETS_TOO_LARGE = (
    "Refusing to load {path!r}: the files under its assets/ folder hold {size} bytes, above the limit of {limit} "
    "bytes. Raise `kerasx.saving.limits.MAX_ASSETS_BYTES` if the folder is trusted and genuinely this large."
)
TOO_MANY_ASSETS = (
    "Refusing to load {path!r}: its assets/ folder holds more than {limit} entries. Raise "
    "`kerasx.saving.limits.MAX_ARCHIVE_MEMBERS` if the folder is trusted."
)


def write_folder(path: str, members: dict) -> None:
    """Writes `{name: bytes}` as files of the folder `path`, replacing a previous folder there."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise FileExistsError(_errors.FOLDER_IS_A_FILE.format(path=path))
    parent = os.path.dirname(os.path.abspath(path))
    temporary = tempfile.mkdtemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=parent)
    try:
        assets = [name for name in members if name.startswith(_archive.ASSETS_PREFIX)]
        for name in [*_archive.MEMBERS, *assets]:
            target = os.path.join(temporary, *name.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as file:
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
    members.update(_read_assets(path))
    return members


def _read_assets(path: str) -> dict:
    """{"assets/<relative path>": bytes} of the regular files under the folder's `assets/`, links refused."""
    root = os.path.join(path, ASSETS_FOLDER)
    if not os.path.lexists(root):
        return {}
    if os.path.islink(root) or not os.path.isdir(root):
        raise ValueError(_errors.UNSAFE_FOLDER_MEMBER.format(path=path, name=ASSETS_FOLDER))
    found, total, count, stack = {}, 0, 0, [root]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                count += 1
                if count > limits.MAX_ARCHIVE_MEMBERS:
                    raise ValueError(TOO_MANY_ASSETS.format(path=path, limit=limits.MAX_ARCHIVE_MEMBERS))
                relative = os.path.relpath(entry.path, path).replace(os.sep, "/")
                if entry.is_symlink() or not (
                    entry.is_dir(follow_symlinks=False) or entry.is_file(follow_symlinks=False)
                ):
                    raise ValueError(_errors.UNSAFE_FOLDER_MEMBER.format(path=path, name=relative))
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                    continue
                budget = limits.MAX_ASSETS_BYTES - total
                with open(entry.path, "rb") as file:
                    data = file.read(budget + 1)  # bounded even if the file grows after it was listed
                total += max(len(data), entry.stat(follow_symlinks=False).st_size)
                if total > limits.MAX_ASSETS_BYTES:
                    raise ValueError(ASSETS_TOO_LARGE.format(path=path, size=total, limit=limits.MAX_ASSETS_BYTES))
                found[relative] = data
    return found
