"""`get_file`: download a file once into kerasx's cache, check its hash, and optionally extract it safely.

The cache is `$KERASX_HOME/datasets` (`~/.kerasx/datasets`) unless `cache_dir`/`cache_subdir` say otherwise. A file
Keras 3 already downloaded to its own cache (`$KERAS_HOME/<cache_subdir>`, e.g. `~/.keras/datasets`) is used where
it is, read-only: kerasx never writes there. A download is written to a temporary file beside its final name and renamed
into place only once complete and matching `file_hash`, so an interrupted or corrupted download never sits at the
final name.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import warnings

from kerasx.backend import _config, _console
from kerasx.utils import _archives
from kerasx.utils._progbar import Progbar

NO_ORIGIN = 'Please specify the "origin" argument (the URL of the file to download). Received: origin=None.'
NO_FNAME = (
    "Can't parse the file name from the origin provided: '{origin}'. Please specify the `fname` argument."
)
PATH_AS_FNAME = (
    "Paths are no longer accepted as the `fname` argument. To specify the file's parent directory, use the "
    "`cache_dir` argument. Received: fname={fname}"
)
FETCH_FAILURE = "URL fetch failure on {origin}: {code} -- {reason}"
INCOMPLETE = (
    "URL fetch failure on {origin}: the connection closed after {received} of {total} bytes. Nothing was kept; "
    "retry the download."
)
CORRUPTED = (
    "Incomplete or corrupted file detected: the {algorithm} file hash of the download from {origin} is {actual}, "
    "not the provided value of {expected}. The download was deleted; check `file_hash` and the URL, then retry."
)
STALE_CACHE = (
    "A local file was found, but it seems to be incomplete or outdated because the {algorithm} file hash does not "
    "match the original value of {expected} so we will re-download the data."
)
NOT_EXTRACTED = "Could not extract archive {path}: it is none of the formats {archive_format!r}."
BAD_HASH_ALGORITHM = "Unknown hash_algorithm {value!r}: expected 'auto', 'sha256' or 'md5'."

_CHUNK_BYTES = 1 << 16


def _hasher(algorithm: str, file_hash: str | None):
    if algorithm == "sha256" or (algorithm == "auto" and file_hash is not None and len(file_hash) == 64):
        return hashlib.sha256()
    if algorithm in ("md5", "auto"):
        return hashlib.md5()
    raise ValueError(BAD_HASH_ALGORITHM.format(value=algorithm))


def _algorithm_name(algorithm: str, file_hash: str | None) -> str:
    return _hasher(algorithm, file_hash).name


def hash_file(path: str, algorithm: str = "sha256", file_hash: str | None = None) -> str:
    """The hex digest of the file at `path` (sha256 or md5; "auto" picks by the length of `file_hash`)."""
    hasher = _hasher(algorithm, file_hash)
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(_CHUNK_BYTES), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def _matches(path: str, file_hash: str, algorithm: str) -> bool:
    return hash_file(path, algorithm, file_hash) == str(file_hash)


def _keras_cache_home() -> str:
    return os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))


def _cache_folder(cache_dir, cache_subdir: str) -> str:
    base = os.path.expanduser(cache_dir) if cache_dir is not None else str(_config.config_home())
    with contextlib.suppress(OSError):  # not creatable: the temporary folder below stands in, as in Keras 3
        os.makedirs(base, exist_ok=True)
    if not os.access(base, os.W_OK):
        base = os.path.join(tempfile.gettempdir(), ".kerasx")
    folder = os.path.join(base, cache_subdir)
    os.makedirs(folder, exist_ok=True)
    return folder


def _targets(fname, origin: str, folder: str, extract: bool) -> tuple:
    """(the download's path, the extraction folder or None), named as Keras 3 names them."""
    provided = fname is not None and str(fname) != ""
    name = os.fspath(fname) if provided else os.path.basename(urllib.parse.urlsplit(origin).path)  # pyright: ignore[reportArgumentType,reportCallIssue] - not None when provided
    if not name:
        raise ValueError(NO_FNAME.format(origin=origin))
    if provided and os.sep in name:
        raise ValueError(PATH_AS_FNAME.format(fname=name))
    if not extract:
        return os.path.join(folder, name), None, name
    if provided and "." in name:
        stem = name[: name.find(".")]
        return os.path.join(folder, name), os.path.join(folder, f"{stem}_extracted"), name
    return os.path.join(folder, f"{name}_archive"), os.path.join(folder, name), f"{name}_archive"


def _download(origin: str, target: str, file_hash, algorithm: str) -> None:
    _console.print_line(f"Downloading data from {origin}")
    folder = os.path.dirname(target)
    handle, partial = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            try:
                response = urllib.request.urlopen(origin)
            except urllib.error.HTTPError as error:
                raise OSError(FETCH_FAILURE.format(origin=origin, code=error.code, reason=error.msg)) from error
            except urllib.error.URLError as error:
                raise OSError(FETCH_FAILURE.format(origin=origin, code=error.errno, reason=error.reason)) from error
            with response:
                length = response.headers.get("Content-Length")
                total = int(length) if length and int(length) > 0 else None
                progbar = Progbar(total)
                received = 0
                for chunk in iter(lambda: response.read(_CHUNK_BYTES), b""):
                    out.write(chunk)
                    received += len(chunk)
                    progbar.update(received, finalize=False)
                if total is not None and received < total:
                    raise OSError(INCOMPLETE.format(origin=origin, received=received, total=total))
                progbar.update(received, finalize=True)
        if file_hash is not None and not _matches(partial, file_hash, algorithm):
            actual = hash_file(partial, algorithm, file_hash)
            raise ValueError(
                CORRUPTED.format(algorithm=_algorithm_name(algorithm, file_hash), origin=origin, actual=actual,
                                 expected=file_hash)
            )
        os.replace(partial, target)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise


def _keras_cached_copy(name: str, cache_subdir: str, file_hash, algorithm: str) -> str | None:
    """Keras 3's cached download of `name` (in `$KERAS_HOME/<cache_subdir>`: "datasets" for data, "models" for
    the applications' weights), when it is there and matches `file_hash` (read, never written)."""
    path = os.path.join(_keras_cache_home(), cache_subdir, name)
    if not os.path.isfile(path):
        return None
    if file_hash is not None and not _matches(path, file_hash, algorithm):
        return None
    return path


def get_file(fname: str | None = None, origin: str | None = None, untar: bool = False, md5_hash: str | None = None,
             file_hash: str | None = None, cache_subdir: str = "datasets", hash_algorithm: str = "auto",
             extract: bool = False, archive_format="auto", cache_dir: str | None = None,
             force_download: bool = False) -> str:
    """Downloads a file from `origin` unless it is already cached, and returns its local path.

    The file lands in `cache_dir/cache_subdir` (default `$KERASX_HOME/datasets`); a copy that Keras 3 downloaded
    to its default cache (`~/.keras/<cache_subdir>`) is reused in place when kerasx's cache has none. With
    `file_hash` the cached file is checked (and downloaded again when it differs) and so is every download: a
    mismatch deletes it and raises ValueError. With `extract=True` a tar or zip archive is extracted, safely
    (absolute paths, `..`, links leading outside and device files are refused), and the extraction folder is
    returned.

    Args:
        fname: the file's name in the cache; by default the last part of `origin`'s path. With `extract=True`,
            what follows its first "." is dropped for the extraction folder (`data.tar.gz` -> `data_extracted`).
        origin: the URL (`https://`, `http://` or `file://`).
        untar: deprecated: `extract=True, archive_format="tar"`.
        md5_hash: deprecated: `file_hash` with `hash_algorithm="md5"`.
        file_hash: the expected sha256 or md5 hex digest.
        cache_subdir: the sub-folder of the cache.
        hash_algorithm: "sha256", "md5", or "auto" (sha256 for a 64-character hash, else md5).
        extract: whether to extract the file as an archive.
        archive_format: "auto" (tar then zip), "tar", "zip", a list of those, or None.
        cache_dir: the cache folder; default `$KERASX_HOME` (`~/.kerasx`).
        force_download: download even when a cached file exists.

    Returns:
        The path of the downloaded file, or of the extraction folder with `extract=True`.

    Example:

    >>> import os, pathlib, tempfile
    >>> from kerasx import utils
    >>> folder = tempfile.mkdtemp()
    >>> source = pathlib.Path(folder, "hello.txt")
    >>> _ = source.write_text("hello")
    >>> path = utils.get_file(origin=source.as_uri(), cache_dir=os.path.join(folder, "cache"),  # doctest: +ELLIPSIS
    ...                       file_hash="2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
    Downloading data from file://...
    >>> pathlib.Path(path).read_text()
    'hello'
    """
    if origin is None:
        raise ValueError(NO_ORIGIN)
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    _hasher(hash_algorithm, file_hash)  # an unknown algorithm fails before anything is downloaded
    extract = extract or untar
    folder = _cache_folder(cache_dir, cache_subdir)
    target, extraction_folder, name = _targets(fname, origin, folder, extract)

    archive = target
    if force_download:
        _download(origin, target, file_hash, hash_algorithm)
    elif os.path.exists(target):
        if file_hash is not None and not _matches(target, file_hash, hash_algorithm):
            algorithm = _algorithm_name(hash_algorithm, file_hash)
            _console.print_line(STALE_CACHE.format(algorithm=algorithm, expected=file_hash))
            _download(origin, target, file_hash, hash_algorithm)
    else:
        keras_copy = None if cache_dir is not None else _keras_cached_copy(name, cache_subdir, file_hash,
                                                                           hash_algorithm)
        if keras_copy is not None:
            archive = keras_copy
        else:
            _download(origin, target, file_hash, hash_algorithm)

    if not extract:
        return archive
    if untar:
        archive_format = "tar"
    if not _archives.extract_archive(archive, extraction_folder, archive_format):
        warnings.warn(NOT_EXTRACTED.format(path=archive, archive_format=archive_format), stacklevel=2)
    return extraction_folder
