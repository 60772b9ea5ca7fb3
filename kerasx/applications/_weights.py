"""The `weights` argument of every application: None (random), "imagenet" (the published pretrained file,
downloaded once through `utils.get_file`), or the path of a weights file.

The pretrained files are the ones Keras 3's applications download (same URLs, file names and hashes), cached in
the `models` folder of kerasx's cache (`~/.kerasx/models`); a copy Keras 3 already downloaded to `~/.keras/models`
is used where it is. They are legacy HDF5 weight files, loaded by layer order, so an architecture must have
Keras's layers with weights in Keras's order.
"""

from __future__ import annotations

from typing import Any

from kerasx.utils import _download

# Most pretrained files live under this folder, each in a sub-folder per family (`vgg16/...h5`).
KERAS_APPLICATIONS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/"
CACHE_SUBDIR = "models"


def pretrained_file(origin: str, file_hash: str | None, file_name: str | None = None) -> str:
    """The local path of a published weights file, downloaded (hash checked) into the `models` cache unless it
    is already there (or in Keras 3's cache)."""
    name = file_name if file_name is not None else origin.rsplit("/", 1)[-1]
    return _download.get_file(name, origin, cache_subdir=CACHE_SUBDIR, file_hash=file_hash)


def load_weights(model, weights: Any, origin: str, file_hash: str | None, file_name: str | None = None) -> None:
    """Loads `weights` into `model`: the published file at `origin` (named `file_name`, by default the end of
    `origin`) for "imagenet", the file at the path given, nothing for None. `weights` was checked before the
    model was built (`_model_frame.check_weights`)."""
    if weights == "imagenet":
        model.load_weights(pretrained_file(origin, file_hash, file_name))
    elif weights is not None:
        model.load_weights(weights)
