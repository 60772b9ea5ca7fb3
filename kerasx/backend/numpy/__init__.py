"""NumPy reference backend (inference only)."""

from kerasx.backend.numpy import core, distribution, export, image, linalg, math, nn, numpy, random, trainer

NAME = core.NAME
Variable = core.Variable

__all__ = [
    "NAME", "Variable", "core", "distribution", "export", "image", "linalg", "math", "nn", "numpy", "random",
    "trainer",
]
