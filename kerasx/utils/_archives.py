"""Safe extraction of tar and zip archives: every member is checked before anything is written, the archive is
extracted into a temporary folder beside the target, and the folder is renamed into place once complete.

Refused (the whole archive, with a ValueError naming the member): absolute paths, paths that leave the target
through `..`, symbolic or hard links whose target lies outside it, and device files or FIFOs.
"""

from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
import zipfile

UNSAFE_MEMBER = (
    "Refusing to extract {archive}: its member {member!r} {reason}. Archives may only create regular files, folders "
    "and links inside the extraction folder {target}. Inspect the archive, or extract it yourself if you trust it."
)
BAD_ARCHIVE_FORMAT = (
    "Unknown archive_format {value!r}: expected 'auto', 'tar', 'zip', a list of those, or None (no extraction)."
)
_FORMATS = ("tar", "zip")


def _inside(root: str, path: str) -> bool:
    root = os.path.realpath(root)
    path = os.path.realpath(path)
    return path == root or path.startswith(root + os.sep)


def _path_problem(name: str, target: str) -> str | None:
    if os.path.isabs(name) or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "has an absolute path"
    if not _inside(target, os.path.join(target, name)):
        return "lies outside the extraction folder"
    return None


def _tar_member_problem(member: tarfile.TarInfo, target: str) -> str | None:
    problem = _path_problem(member.name, target)
    if problem:
        return problem
    if member.ischr() or member.isblk() or member.isfifo() or member.isdev():
        return "is a device file or a FIFO"
    if member.issym():
        if os.path.isabs(member.linkname):
            return f"is a symbolic link to the absolute path {member.linkname!r}"
        link_target = os.path.join(target, os.path.dirname(member.name), member.linkname)
        if not _inside(target, link_target):
            return f"is a symbolic link to {member.linkname!r}, outside the extraction folder"
    if member.islnk() and (
        os.path.isabs(member.linkname) or not _inside(target, os.path.join(target, member.linkname))
    ):
        return f"is a hard link to {member.linkname!r}, outside the extraction folder"
    return None


def _check_members(archive_path: str, names_and_problems, target: str) -> None:
    for name, problem in names_and_problems:
        if problem:
            raise ValueError(UNSAFE_MEMBER.format(archive=archive_path, member=name, reason=problem, target=target))


def _extract_tar(archive_path: str, work_folder: str, target: str) -> None:
    with tarfile.open(archive_path) as archive:
        members = archive.getmembers()
        _check_members(archive_path, ((m.name, _tar_member_problem(m, work_folder)) for m in members), target)
        if hasattr(tarfile, "data_filter"):
            # The standard library's own checks too, where this Python has them.
            archive.extractall(work_folder, members=members, filter="data")
        else:
            archive.extractall(work_folder, members=members)


def _extract_zip(archive_path: str, work_folder: str, target: str) -> None:
    with zipfile.ZipFile(archive_path) as archive:
        infos = archive.infolist()
        _check_members(archive_path, ((i.filename, _path_problem(i.filename, work_folder)) for i in infos), target)
        # zipfile writes symbolic-link entries as regular files holding the link text: nothing can point outside.
        archive.extractall(work_folder, members=infos)


def _formats(archive_format) -> list:
    if archive_format is None:
        return []
    if archive_format == "auto":
        return list(_FORMATS)
    formats = [archive_format] if isinstance(archive_format, str) else list(archive_format)
    for value in formats:
        if value not in _FORMATS:
            raise ValueError(BAD_ARCHIVE_FORMAT.format(value=archive_format))
    return formats


def extract_archive(archive_path: str, target: str, archive_format="auto") -> bool:
    """Extracts `archive_path` into the folder `target` (replaced whole if it exists); False when the file is not
    an archive of one of the formats asked for."""
    for archive_type in _formats(archive_format):
        is_match = tarfile.is_tarfile if archive_type == "tar" else zipfile.is_zipfile
        if not is_match(archive_path):
            continue
        parent = os.path.dirname(os.path.abspath(target)) or "."
        os.makedirs(parent, exist_ok=True)
        work_folder = tempfile.mkdtemp(dir=parent, prefix=f".{os.path.basename(target)}.extracting-")
        try:
            (_extract_tar if archive_type == "tar" else _extract_zip)(archive_path, work_folder, target)
            _move_into_place(work_folder, target)
        except BaseException:
            shutil.rmtree(work_folder, ignore_errors=True)
            raise
        return True
    return False


def _move_into_place(work_folder: str, target: str) -> None:
    if not os.path.lexists(target):
        os.rename(work_folder, target)
        return
    # A previous extraction is moved aside first, so the target is never a half-written mix of the two.
    old = tempfile.mkdtemp(dir=os.path.dirname(os.path.abspath(target)), prefix=f".{os.path.basename(target)}.old-")
    os.rmdir(old)
    os.rename(target, old)
    os.rename(work_folder, target)
    if os.path.isdir(old) and not os.path.islink(old):
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.remove(old)
