"""The `.keras` zip archive: writing it, and reading its three members without trusting it.

Members are read into memory (never extracted to disk); names are checked before anything is read, and each
member's declared size is bounded first, then the bound is enforced again while decompressing (headers can lie).
"""

from __future__ import annotations

import errno
import json
import os
import zipfile
import zlib

from kerasx.saving import _errors, limits

CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.h5"
MEMBERS = (METADATA, CONFIG, WEIGHTS)
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
LIMIT_NAMES = {CONFIG: "MAX_CONFIG_BYTES", METADATA: "MAX_METADATA_BYTES", WEIGHTS: "MAX_WEIGHTS_BYTES"}
# Files layers write with `save_assets` (vocabularies), under `assets/<layer path>/`, as Keras 3 stores them.
ASSETS_PREFIX = "assets/"
ASSETS_LIMIT = "MAX_ASSETS_BYTES"


def write_member(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    archive.writestr(name, data)


def write_archive(path: str, members: dict) -> None:
    """Writes `{name: bytes}` as a zip (stored, uncompressed, like Keras: weights barely compress): the three
    members, then any `assets/...` members."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in MEMBERS:
            write_member(archive, name, members[name])
        for name in sorted(n for n in members if n.startswith(ASSETS_PREFIX)):
            write_member(archive, name, members[name])


def _is_unsafe_name(name: str) -> bool:
    if name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return True
    if len(name) >= 2 and name[1] == ":":
        return True
    return any(part in ("..", "") for part in name.split("/")) or os.path.isabs(name)


def _limit_name(name: str) -> str:
    return LIMIT_NAMES.get(name, ASSETS_LIMIT)


def _limit(name: str) -> int:
    return getattr(limits, _limit_name(name))


def file_kind(path: str) -> str:
    """"zip" or "hdf5", from the file's first bytes, or "folder" for an unzipped model; a clear error for anything
    else (missing, empty, truncated)."""
    if os.path.isdir(path):
        if os.path.isfile(os.path.join(path, CONFIG)):
            return "folder"  # written by `model.save(path, zipped=False)`
        raise IsADirectoryError(_errors.IS_A_DIRECTORY.format(path=path))
    try:
        with open(path, "rb") as file:
            head = file.read(8)
    except FileNotFoundError as error:
        raise FileNotFoundError(errno.ENOENT, _errors.FILE_NOT_FOUND.format(path=path), path) from error
    if not head:
        raise ValueError(_errors.EMPTY_FILE.format(path=path))
    if head == HDF5_SIGNATURE:
        return "hdf5"
    if head.startswith(ZIP_SIGNATURES):
        if not zipfile.is_zipfile(path):
            raise ValueError(_errors.TRUNCATED_ARCHIVE.format(path=path, size=os.path.getsize(path)))
        return "zip"
    raise ValueError(_errors.NOT_A_MODEL_FILE.format(path=path, head=head))


def read_archive(path: str) -> dict:
    """{member name: bytes} for the three members and any `assets/...` files, after checking names and sizes
    (the assets together within `limits.MAX_ASSETS_BYTES`); directory entries are skipped."""
    if file_kind(path) != "zip":
        raise ValueError(_errors.NOT_A_MODEL_FILE.format(path=path, head=HDF5_SIGNATURE))
    expected = ", ".join(MEMBERS)
    with zipfile.ZipFile(path, "r") as archive:
        infos = archive.infolist()
        seen = set()
        for info in infos:
            is_folder = info.filename.startswith(ASSETS_PREFIX) and info.filename.endswith("/")
            name = info.filename.rstrip("/") if is_folder else info.filename
            if _is_unsafe_name(name) or info.filename in seen:
                raise ValueError(_errors.UNSAFE_MEMBER_NAME.format(path=path, name=info.filename))
            seen.add(info.filename)
            if info.filename not in MEMBERS and not info.filename.startswith(ASSETS_PREFIX):
                raise ValueError(_errors.UNEXPECTED_MEMBER.format(path=path, name=info.filename, expected=expected))
        infos = [info for info in infos if not info.filename.endswith("/")]
        asset_bytes = sum(info.file_size for info in infos if info.filename.startswith(ASSETS_PREFIX))
        if asset_bytes > limits.MAX_ASSETS_BYTES:
            raise _too_large(path, ASSETS_PREFIX, asset_bytes)
        by_name = {info.filename: info for info in infos}
        for name in (CONFIG, WEIGHTS):
            if name not in by_name:
                raise ValueError(_errors.MISSING_MEMBER.format(path=path, name=name, expected=expected))
        for info in infos:
            if info.file_size > _limit(info.filename):
                raise _too_large(path, info.filename, info.file_size)
        members = {}
        for info in infos:
            try:
                members[info.filename] = _read_bounded(archive, info, path)
            except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                raise ValueError(_errors.CORRUPT_MEMBER.format(path=path, name=info.filename, error=error)) from error
        return members


def _too_large(path, name, size):
    return ValueError(
        _errors.MEMBER_TOO_LARGE.format(
            path=path, name=name, size=size, limit=_limit(name), limit_name=_limit_name(name)
        )
    )


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str) -> bytes:
    limit = min(_limit(info.filename), info.file_size)
    chunks, total = [], 0
    with archive.open(info) as member:
        while True:
            chunk = member.read(min(2**20, limit + 1 - total))
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise _too_large(path, info.filename, total)
            chunks.append(chunk)
    return b"".join(chunks)


def _depth(value, limit: int) -> bool:
    """Whether `value` nests at most `limit` levels (iterative: a deep value must not overflow the stack)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def parse_json(path: str, name: str, data: bytes):
    try:
        value = json.loads(data.decode("utf-8"))
    except RecursionError as error:
        raise ValueError(_errors.TOO_DEEP.format(path=path, name=name, limit=limits.MAX_CONFIG_DEPTH)) from error
    except (UnicodeDecodeError, ValueError) as error:
        raise ValueError(_errors.BAD_JSON.format(path=path, name=name, error=error)) from error
    if not _depth(value, limits.MAX_CONFIG_DEPTH):
        raise ValueError(_errors.TOO_DEEP.format(path=path, name=name, limit=limits.MAX_CONFIG_DEPTH))
    return value
