"""The `.keras` zip archive: writing it, and reading its three members without trusting it.

Members are read into memory (never extracted to disk); names are checked before anything is read, and each
member's declared size is bounded first, then the bound is enforced again while decompressing (headers can lie).
"""

from __future__ import annotations

import errno
import io
import json
import os
import stat
import struct
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


def _unsafe_reason(name: str) -> str | None:
    """Why `name` could write or read outside a private folder, or None when it is a plain relative name."""
    if "\x00" in name:
        return "contains a NUL character"
    if "\\" in name:
        return "contains a backslash (a Windows path separator)"
    if name.startswith("/") or os.path.isabs(name):
        return "is an absolute path"
    if len(name) >= 2 and name[1] == ":":
        return "starts with a drive letter"
    parts = name.split("/")
    if ".." in parts:
        return "contains '..' (it would leave the archive's folder)"
    if "" in parts or "." in parts:
        return "has an empty or '.' path component"
    return None


_FILE_TYPES = {
    stat.S_IFLNK: "symbolic link",
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
    stat.S_IFIFO: "named pipe",
    stat.S_IFSOCK: "socket",
}


def _check_infos(path: str, infos: list) -> None:
    """Every member's name, type and declared sizes, before anything is read."""
    if len(infos) > limits.MAX_ARCHIVE_MEMBERS:
        raise ValueError(_errors.TOO_MANY_MEMBERS.format(path=path, count=len(infos), limit=limits.MAX_ARCHIVE_MEMBERS))
    expected = ", ".join(MEMBERS)
    seen = set()
    for info in infos:
        is_folder = info.filename.startswith(ASSETS_PREFIX) and info.filename.endswith("/")
        name = info.filename.rstrip("/") if is_folder else info.filename
        reason = _unsafe_reason(name)
        if reason:
            raise ValueError(_errors.UNSAFE_MEMBER_NAME.format(path=path, name=info.filename, reason=reason))
        if info.filename in seen:
            raise ValueError(_errors.DUPLICATE_MEMBER.format(path=path, name=info.filename))
        seen.add(info.filename)
        if info.filename not in MEMBERS and not info.filename.startswith(ASSETS_PREFIX):
            raise ValueError(_errors.UNEXPECTED_MEMBER.format(path=path, name=info.filename, expected=expected))
        kind = _FILE_TYPES.get(stat.S_IFMT(info.external_attr >> 16)) if info.create_system == 3 else None
        if kind:  # Unix modes are meaningful only in entries a Unix system made (create_system 3)
            raise ValueError(_errors.LINK_MEMBER.format(path=path, name=info.filename, kind=kind))
    files = {info.filename for info in infos if not info.filename.endswith("/")}
    for name in files:
        parent = name.rsplit("/", 1)[0] if "/" in name else None
        while parent:
            if parent in files:
                raise ValueError(_errors.CONFLICTING_MEMBER.format(path=path, name=parent, other=name))
            parent = parent.rsplit("/", 1)[0] if "/" in parent else None


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


def _check_ratio(path: str, info: zipfile.ZipInfo) -> None:
    if info.file_size > limits.MIN_RATIO_CHECK_BYTES and info.file_size > limits.MAX_COMPRESSION_RATIO * max(
        info.compress_size, 1
    ):
        raise ValueError(
            _errors.COMPRESSION_RATIO.format(
                path=path, name=info.filename, size=info.file_size, compressed=info.compress_size,
                ratio=info.file_size / max(info.compress_size, 1), limit=limits.MAX_COMPRESSION_RATIO,
            )
        )


def read_archive(path: str, skip_weights: bool = False) -> dict:
    """{member name: bytes} for the three members and any `assets/...` files, after checking every member's name,
    type and declared sizes (the assets together within `limits.MAX_ASSETS_BYTES`); directory entries are skipped.
    With `skip_weights` the weights member is checked but not read: `open_weights` opens it once the model it
    fills bounds its size."""
    if file_kind(path) != "zip":
        raise ValueError(_errors.NOT_A_MODEL_FILE.format(path=path, head=HDF5_SIGNATURE))
    expected = ", ".join(MEMBERS)
    with zipfile.ZipFile(path, "r") as archive:
        infos = archive.infolist()
        _check_infos(path, infos)
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
            _check_ratio(path, info)
        return {
            info.filename: _read_checked(archive, info, path, _limit(info.filename))
            for info in infos
            if not (skip_weights and info.filename == WEIGHTS)
        }


def weights_size(path: str) -> int:
    """The uncompressed size the archive's weights member declares (checked by `read_archive` already)."""
    with zipfile.ZipFile(path, "r") as archive:
        return archive.getinfo(WEIGHTS).file_size


def open_weights(path: str, limit: int) -> io.RawIOBase | io.BytesIO:
    """The weights member as a seekable file for h5py, within `limit` bytes. A stored member (Keras's and
    kerasx's layout) is a window onto the archive: nothing is read until h5py asks, so a refusal found in the
    HDF5 structure costs no copy of the member, and a good load holds one dataset at a time, not the whole
    member twice (chunks, then their join). A compressed member is decompressed into memory, bounded."""
    with zipfile.ZipFile(path, "r") as archive:
        info = archive.getinfo(WEIGHTS)
        if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x1:
            return io.BytesIO(_read_checked(archive, info, path, limit))
    if info.file_size > limit:
        raise _too_large(path, WEIGHTS, info.file_size)
    file = open(path, "rb")  # noqa: SIM115 - owned by the window, closed with it
    try:
        file.seek(info.header_offset)
        header = file.read(_LOCAL_HEADER.size)
        if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise ValueError(_errors.CORRUPT_MEMBER.format(path=path, name=WEIGHTS, error="bad local file header"))
        name_length, extra_length = struct.unpack_from("<HH", header, 26)
        return _MemberWindow(file, info.header_offset + _LOCAL_HEADER.size + name_length + extra_length,
                             info.file_size)
    except BaseException:
        file.close()
        raise


_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # a zip local file header's 30 fixed bytes


class _MemberWindow(io.RawIOBase):
    """Bytes `[start, start + size)` of an open file, as a read-only seekable file (a stored zip member)."""

    def __init__(self, file, start: int, size: int):
        super().__init__()
        self._file, self._start, self._size, self._position = file, start, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._position, 2: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer) -> int:
        wanted = min(len(buffer), max(0, self._size - self._position))
        if wanted == 0:
            return 0
        self._file.seek(self._start + self._position)
        count = self._file.readinto(memoryview(buffer)[:wanted])
        self._position += count
        return count

    def close(self) -> None:
        self._file.close()
        super().close()


def _read_checked(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, limit: int) -> bytes:
    try:
        return _read_bounded(archive, info, path, limit)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise ValueError(_errors.CORRUPT_MEMBER.format(path=path, name=info.filename, error=error)) from error


def _too_large(path, name, size):
    return ValueError(
        _errors.MEMBER_TOO_LARGE.format(
            path=path, name=name, size=size, limit=_limit(name), limit_name=_limit_name(name)
        )
    )


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, limit: int) -> bytes:
    """The member's bytes, never more than its declared size (headers can lie) nor `limit`."""
    if info.file_size > limit:
        raise _too_large(path, info.filename, info.file_size)
    chunks, total = [], 0
    with archive.open(info) as member:
        while True:
            chunk = member.read(min(2**20, info.file_size + 1 - total))
            if not chunk:
                break
            total += len(chunk)
            if total > info.file_size:
                raise ValueError(_errors.MEMBER_LONGER_THAN_DECLARED.format(
                    path=path, name=info.filename, size=info.file_size
                ))
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
