"""`get_file` offline: `file://` origins and a loopback HTTP server in a thread; hash checks, the cache (kerasx's
own and Keras 3's, read-only), forced downloads, corrupted and interrupted downloads, and safe extraction of tar and
zip archives, hostile ones included."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import io
import os
import tarfile
import threading
import zipfile

import pytest

from kerasx import utils
from kerasx.utils import _download

PAYLOAD = b"kerasx get_file payload\n" * 100
SHA256 = hashlib.sha256(PAYLOAD).hexdigest()
MD5 = hashlib.md5(PAYLOAD).hexdigest()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _TruncatingHandler(_QuietHandler):
    """Announces the whole file, sends half of it and closes: an interrupted download."""

    def do_GET(self):
        path = self.translate_path(self.path)
        with open(path, "rb") as file:
            data = file.read()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        self.close_connection = True


@contextlib.contextmanager
def _server(folder, handler=_QuietHandler):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture
def home(tmp_path, monkeypatch):
    """kerasx's and Keras's homes inside tmp_path: the tests never touch the real ones."""
    monkeypatch.setenv("KERASX_HOME", str(tmp_path / "kerasx_home"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    return tmp_path


@pytest.fixture
def served(tmp_path):
    folder = tmp_path / "served"
    folder.mkdir()
    (folder / "data.bin").write_bytes(PAYLOAD)
    return folder


def _leftovers(folder) -> list:
    return sorted(name for name in os.listdir(folder) if name.endswith(".part") or ".extracting-" in name)


def test_file_origin_downloads_into_the_kerasx_cache_and_checks_the_hash(home, served, capsys):
    origin = (served / "data.bin").as_uri()
    path = utils.get_file(origin=origin, file_hash=SHA256)
    assert path == str(home / "kerasx_home" / "datasets" / "data.bin")
    assert open(path, "rb").read() == PAYLOAD
    assert f"Downloading data from {origin}" in capsys.readouterr().out
    # Cached: the origin is not read again.
    (served / "data.bin").unlink()
    assert utils.get_file(origin=origin, file_hash=SHA256) == path
    assert _leftovers(home / "kerasx_home" / "datasets") == []


def test_http_origin_fname_md5_and_cache_subdir(home, served):
    with _server(served) as url:
        path = utils.get_file("renamed.bin", origin=f"{url}/data.bin", md5_hash=MD5,
                              cache_dir=str(home / "cache"), cache_subdir="sub")
        assert path == str(home / "cache" / "sub" / "renamed.bin")
        assert open(path, "rb").read() == PAYLOAD
        assert utils.get_file("auto.bin", origin=f"{url}/data.bin", file_hash=MD5, hash_algorithm="auto",
                              cache_dir=str(home / "cache"))


def test_a_stale_cached_file_is_downloaded_again_and_force_download_always_downloads(home, served, capsys):
    cache = home / "kerasx_home" / "datasets"
    cache.mkdir(parents=True)
    (cache / "data.bin").write_bytes(b"old")
    origin = (served / "data.bin").as_uri()
    path = utils.get_file(origin=origin, file_hash=SHA256)
    assert open(path, "rb").read() == PAYLOAD
    assert "file hash does not match the original value" in capsys.readouterr().out
    (served / "data.bin").write_bytes(b"new content")
    assert open(utils.get_file(origin=origin), "rb").read() == PAYLOAD  # no hash: the cache is trusted
    assert open(utils.get_file(origin=origin, force_download=True), "rb").read() == b"new content"


def test_a_corrupted_download_is_deleted_and_raises(home, served):
    cache = home / "kerasx_home" / "datasets"
    with _server(served) as url:
        with pytest.raises(ValueError, match=r"Incomplete or corrupted file detected: the sha256 file hash .* is "
                                             + SHA256):
            utils.get_file(origin=f"{url}/data.bin", file_hash="0" * 64)
    assert os.listdir(cache) == []


def test_an_interrupted_download_leaves_no_file(home, served):
    cache = home / "kerasx_home" / "datasets"
    with _server(served, _TruncatingHandler) as url:
        with pytest.raises(OSError, match="the connection closed after 1200 of 2400 bytes"):
            utils.get_file(origin=f"{url}/data.bin")
    assert os.listdir(cache) == []


def test_fetch_failures_and_argument_errors(home, served):
    with _server(served) as url:
        with pytest.raises(OSError, match=r"URL fetch failure on .*/missing.bin: 404"):
            utils.get_file(origin=f"{url}/missing.bin")
    assert _leftovers(home / "kerasx_home" / "datasets") == []
    with pytest.raises(ValueError, match='specify the "origin" argument'):
        utils.get_file("x")
    with pytest.raises(ValueError, match="Paths are no longer accepted as the `fname` argument"):
        utils.get_file(os.path.join("a", "b"), origin="file:///nowhere")
    with pytest.raises(ValueError, match="Can't parse the file name from the origin"):
        utils.get_file(origin="http://127.0.0.1/")
    with pytest.raises(ValueError, match="Unknown hash_algorithm 'sha1'"):
        utils.get_file(origin=(served / "data.bin").as_uri(), hash_algorithm="sha1")


def test_keras_cache_is_reused_read_only(home, served):
    keras_cache = home / "keras_home" / "datasets"
    keras_cache.mkdir(parents=True)
    (keras_cache / "data.bin").write_bytes(PAYLOAD)
    before = sorted(os.listdir(keras_cache))
    origin = (served / "missing-origin.bin").as_uri()  # never read: the Keras copy is used
    assert utils.get_file("data.bin", origin=origin, file_hash=SHA256) == str(keras_cache / "data.bin")
    assert utils.get_file("data.bin", origin=origin) == str(keras_cache / "data.bin")
    # A Keras copy with the wrong hash is ignored (and left alone): kerasx downloads into its own cache.
    (keras_cache / "data.bin").write_bytes(b"corrupt")
    path = utils.get_file("data.bin", origin=(served / "data.bin").as_uri(), file_hash=SHA256)
    assert path == str(home / "kerasx_home" / "datasets" / "data.bin")
    assert (keras_cache / "data.bin").read_bytes() == b"corrupt"
    assert sorted(os.listdir(keras_cache)) == before


def _tar(path, members, mode="w:gz"):
    with tarfile.open(path, mode) as archive:
        for info, data in members:
            archive.addfile(info, io.BytesIO(data) if data is not None else None)


def _file_member(name, data=b"content"):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def _link_member(name, target, kind=tarfile.SYMTYPE):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info, None


def test_extract_tar_and_zip_as_keras_names_them(home, served):
    _tar(served / "bundle.tar.gz", [_file_member("bundle/a.txt", b"a"), _file_member("bundle/sub/b.txt", b"b"),
                                    _link_member("bundle/link.txt", "a.txt")])
    with zipfile.ZipFile(served / "bundle.zip", "w") as archive:
        archive.writestr("z/c.txt", "c")
    with _server(served) as url:
        folder = utils.get_file("bundle.tar.gz", origin=f"{url}/bundle.tar.gz", extract=True)
        assert folder == str(home / "kerasx_home" / "datasets" / "bundle_extracted")
        assert open(os.path.join(folder, "bundle", "sub", "b.txt")).read() == "b"
        assert os.readlink(os.path.join(folder, "bundle", "link.txt")) == "a.txt"
        # No fname: the archive is kept as "<name>_archive" and extracted into "<name>".
        zipped = utils.get_file(origin=f"{url}/bundle.zip", extract=True, archive_format="zip")
        assert zipped == str(home / "kerasx_home" / "datasets" / "bundle.zip")
        assert open(os.path.join(zipped, "z", "c.txt")).read() == "c"
        assert os.path.isfile(zipped + "_archive")
        untarred = utils.get_file("plain", origin=f"{url}/bundle.tar.gz", untar=True)
        assert os.path.isfile(os.path.join(untarred, "bundle", "a.txt"))
        # Extracting again replaces the folder whole.
        os.remove(os.path.join(folder, "bundle", "a.txt"))
        open(os.path.join(folder, "stray.txt"), "w").close()
        assert utils.get_file("bundle.tar.gz", origin=f"{url}/bundle.tar.gz", extract=True) == folder
        assert sorted(os.listdir(folder)) == ["bundle"] and os.path.isfile(os.path.join(folder, "bundle", "a.txt"))
    assert _leftovers(home / "kerasx_home" / "datasets") == []


def test_extracting_a_non_archive_warns(home, served):
    with pytest.warns(UserWarning, match="Could not extract archive"):
        utils.get_file("data.bin", origin=(served / "data.bin").as_uri(), extract=True)


HOSTILE_TARS = {
    "absolute path": [_file_member("/tmp/kerasx-evil.txt")],
    "parent folder": [_file_member("../evil.txt")],
    "nested parent folder": [_file_member("ok/../../evil.txt")],
    "symlink outside": [_link_member("link", "../../outside")],
    "absolute symlink": [_link_member("link", "/etc/passwd")],
    "hard link outside": [_link_member("hard", "../outside", tarfile.LNKTYPE)],
    "device file": [(lambda info: (setattr(info, "type", tarfile.CHRTYPE), (info, None))[1])(tarfile.TarInfo("dev"))],
    "fifo": [(lambda info: (setattr(info, "type", tarfile.FIFOTYPE), (info, None))[1])(tarfile.TarInfo("fifo"))],
}


@pytest.mark.parametrize("case", sorted(HOSTILE_TARS))
def test_hostile_tar_archives_are_refused_whole(home, served, case):
    members = [_file_member("fine.txt"), *HOSTILE_TARS[case]]
    _tar(served / "evil.tar", members, mode="w")
    datasets = home / "kerasx_home" / "datasets"
    with pytest.raises(ValueError, match="Refusing to extract .*evil.tar: its member"):
        utils.get_file("evil.tar", origin=(served / "evil.tar").as_uri(), extract=True)
    assert not (datasets / "evil_extracted").exists()
    assert _leftovers(datasets) == []
    assert not (home / "evil.txt").exists() and not (home / "kerasx_home" / "evil.txt").exists()


@pytest.mark.parametrize("name", ["../evil.txt", "/abs/evil.txt", "a/../../evil.txt"])
def test_hostile_zip_archives_are_refused_whole(home, served, name):
    with zipfile.ZipFile(served / "evil.zip", "w") as archive:
        archive.writestr("fine.txt", "fine")
        archive.writestr(zipfile.ZipInfo(name), "evil")
    datasets = home / "kerasx_home" / "datasets"
    with pytest.raises(ValueError, match="Refusing to extract"):
        utils.get_file("evil.zip", origin=(served / "evil.zip").as_uri(), extract=True)
    assert not (datasets / "evil_extracted").exists()
    assert _leftovers(datasets) == []


def test_hash_file_algorithms(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(PAYLOAD)
    assert _download.hash_file(str(path)) == SHA256
    assert _download.hash_file(str(path), "md5") == MD5
    assert _download.hash_file(str(path), "auto", file_hash=MD5) == MD5
    assert _download.hash_file(str(path), "auto", file_hash=SHA256) == SHA256
