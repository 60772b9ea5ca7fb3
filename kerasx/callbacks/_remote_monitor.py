"""`RemoteMonitor`: posts the logs of each epoch to an HTTP server."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from kerasx.callbacks._callback import Callback

UNREACHABLE = "Could not reach RemoteMonitor root server at {root}"
# A monitoring server that does not answer must not hold training up for long.
_TIMEOUT_SECONDS = 10


def _plain(value):
    """A JSON-ready scalar: NumPy scalars and arrays of one value become Python numbers."""
    if isinstance(value, (np.ndarray, np.generic)):
        return value.item()
    return value


class RemoteMonitor(Callback):
    """Sends the epoch index and logs to `root + path` in an HTTP POST at the end of each epoch.

    By default the body is a form with one field, `field`, holding the logs as JSON (what Keras 3 sends); with
    `send_as_json=True` the body is the JSON object itself. A server that cannot be reached gives a warning, not an
    error, so training goes on. Uses only the Python standard library.

    Args:
        root: server address, e.g. "http://localhost:9000".
        path: path of the endpoint on that server.
        field: name of the form field holding the JSON (ignored with `send_as_json`).
        headers: extra HTTP headers, a dict.
        send_as_json: send the logs as a JSON body (Content-Type application/json).

    Example:
        >>> import kerasx
        >>> monitor = kerasx.callbacks.RemoteMonitor(root="http://localhost:9000", send_as_json=True)
        >>> monitor.root + monitor.path
        'http://localhost:9000/publish/epoch/end/'
    """

    def __init__(
        self,
        root: str = "http://localhost:9000",
        path: str = "/publish/epoch/end/",
        field: str = "data",
        headers: dict | None = None,
        send_as_json: bool = False,
    ):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        send = {"epoch": epoch, **{key: _plain(value) for key, value in (logs or {}).items()}}
        headers = dict(self.headers or {})
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("utf-8")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(self.root + self.path, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT_SECONDS) as response:
                response.read()
        except urllib.error.HTTPError:
            pass  # The server answered (with an error status): it was reached, as Keras 3 sees it.
        except (urllib.error.URLError, OSError):
            warnings.warn(UNREACHABLE.format(root=self.root), stacklevel=2)
