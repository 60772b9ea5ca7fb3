"""tensorflow backend."""

from kerasx.backend.tensorflow import (
    core,
    distribution,
    export,
    image,
    jax_layer,
    linalg,
    math,
    nn,
    numpy,
    random,
    trainer,
)

NAME = core.NAME
Variable = core.Variable

__all__ = [
    "NAME", "Variable", "core", "distribution", "export", "image", "jax_layer", "linalg", "math", "nn", "numpy",
    "random", "trainer",
]
