"""torch backend."""

from kerasx.backend.torch import (
    core,
    distribution,
    export,
    image,
    linalg,
    math,
    module_wrapper,
    nn,
    numpy,
    random,
    trainer,
)

NAME = core.NAME
Variable = core.Variable

__all__ = [
    "NAME", "Variable", "core", "distribution", "export", "image", "linalg", "math", "module_wrapper", "nn", "numpy",
    "random", "trainer",
]
