"""kerasx: write a model once with Keras-style building blocks, run it on JAX, PyTorch or TensorFlow.

The engine is chosen with the `KERAS_BACKEND` environment variable (jax, torch, tensorflow, or numpy for
inference-only reference runs). Importing kerasx imports only that engine and writes nothing to disk.
"""

from kerasx import backend, ops
from kerasx import callbacks
from kerasx import optimizers
from kerasx import initializers, random
from kerasx import activations, constraints, layers, models, regularizers
from kerasx import losses, metrics
from kerasx.backend import Variable
from kerasx.layers import Input, Layer
from kerasx.models import Model, Sequential
from kerasx.ops import KerasTensor

__version__ = "0.1.0"

__all__ = ["KerasTensor", "Variable", "__version__", "backend", "callbacks", "ops", "optimizers"]
__all__ += ["losses", "metrics"]
__all__ += ["Input", "Layer", "Model", "Sequential", "activations", "constraints", "layers", "models", "regularizers"]
__all__ += ["initializers", "random"]
