"""Export: a model's inference function as an artifact other runtimes load without kerasx.

`kerasx.Model.export(path, format=...)` writes a TensorFlow SavedModel (from tensorflow, or jax through jax2tf), an
ONNX file (from torch through torch.onnx, tensorflow through tf2onnx, or jax translated from its jaxpr) or a
torch.export `.pt2` program (from torch); `ExportArchive` builds a SavedModel with several endpoints and variable
collections, and `kerasx.layers.TFSMLayer` reloads a SavedModel as a layer. A backend that cannot write a format says
so and names the one that can.

Example:
    >>> import kerasx
    >>> kerasx.export.ExportArchive.__name__
    'ExportArchive'
"""

from kerasx import _missing
from kerasx.export._archive import ExportArchive

__all__ = ["ExportArchive"]

__getattr__ = _missing.missing_name_hook(__name__)
