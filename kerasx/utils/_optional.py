"""Optional third-party packages, imported on first use: Pillow for images, pydot for model plots, IPython's
display for showing plots in notebooks.

`import kerasx.utils` imports neither; the first function that needs one calls its loader here, which imports it
once (importlib caches modules) or raises an ImportError that names the pip extra to install.
"""

from __future__ import annotations

import importlib

MISSING = (
    "{feature} needs the `{package}` package, which is not installed. Install it with "
    "`pip install \"kerasx[{extra}]\"` (or `pip install {package}`)."
)


def _load(module: str, package: str, extra: str, feature: str):
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ImportError(MISSING.format(feature=feature, package=package, extra=extra)) from error


def pil_image(feature: str):
    """`PIL.Image` (Pillow), for `feature` (named in the error when Pillow is missing)."""
    return _load("PIL.Image", "pillow", "image", feature)


def pydot(feature: str):
    """The `pydot` module, for `feature` (named in the error when pydot is missing)."""
    return _load("pydot", "pydot", "plot", feature)


def ipython_display():
    """`IPython.display` when IPython is installed (plots are then shown in notebooks), else None."""
    try:
        return importlib.import_module("IPython.display")
    except ImportError:
        return None
