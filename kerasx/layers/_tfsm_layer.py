"""`TFSMLayer`: a reloaded TensorFlow SavedModel endpoint used as an inference layer, on every backend.

Loading and calling the SavedModel is TensorFlow's work (`kerasx.backend._saved_model`); the active engine's
`export.call_saved_function` hands it the inputs (directly on tensorflow, through a host callback on jax, as host
arrays on torch and numpy).
"""

from __future__ import annotations

import os

from kerasx.backend import _config, _saved_model, _tree, active, standardize_dtype
from kerasx.layers._layer import Layer
from kerasx.ops import KerasTensor
from kerasx.serialization import _registry

UNSAFE_SAVED_MODEL = (
    "Refusing to deserialize a `TFSMLayer` (filepath={filepath!r}): it loads an external SavedModel, whose graph "
    "can run arbitrary TensorFlow operations (reading and writing files among them), so it is refused by default, "
    "as in Keras 3. If you trust the SavedModel and the file that names it, pass `safe_mode=False` to the loading "
    "function (`kerasx.saving.load_model`, `TFSMLayer.from_config`) or call "
    "`kerasx.config.enable_unsafe_deserialization()`."
)


class _SavedModelVariable:
    """A variable of the reloaded SavedModel as the weights file sees it: Keras 3's TFSMLayer writes the values of
    the variables its endpoints read as the layer's arrays, so kerasx writes and reads the same ones (reading a file
    sets the SavedModel's own variable, so that the endpoint computes with the file's values)."""

    def __init__(self, layer_name: str, variable):
        self.variable = variable
        self.path = f"{layer_name}/{variable.name}"

    @property
    def shape(self) -> tuple:
        return tuple(self.variable.shape)

    def numpy(self):
        return self.variable.numpy()

    def assign(self, value) -> None:
        self.variable.assign(value)


@_registry.builtin
class TFSMLayer(Layer):
    """A TensorFlow SavedModel endpoint (from `Model.export` or `tf.saved_model.save`) as a layer, for inference.

    The SavedModel's variables stay inside it: the layer has no kerasx weights, and it is not trained by `fit`.
    A `.keras` file stores the values of the variables its endpoints read (as Keras 3's does, so that files go both
    ways). Loading a file or config with a TFSMLayer loads the SavedModel it names, which can run any TensorFlow
    operation: `from_config` refuses unless unsafe deserialization is allowed (`safe_mode=False`), as in Keras 3.
    TensorFlow must be installed; the layer runs on every backend (on jax through a host callback, on torch and
    numpy through host arrays).

    Args:
        filepath: the SavedModel folder.
        call_endpoint: the endpoint called when `training` is not True: a function attribute of the reloaded
            object (e.g. "serve", what `Model.export` writes) or a signature name (e.g. "serving_default").
        call_training_endpoint: the endpoint called when `training=True`; None uses `call_endpoint`.
        trainable: accepted as Keras 3 does; the SavedModel's variables are not trained here.
        name, dtype: base Layer arguments.

    Call arguments:
        inputs: what the endpoint takes: one tensor, or a list (a signature's inputs in sorted name order) or a
            dict (a signature's inputs by name).
        training: picks `call_training_endpoint` when True.

    Example:
        >>> import os, tempfile
        >>> import numpy as np
        >>> import kerasx
        >>> import tensorflow as tf
        >>> module = tf.Module()
        >>> module.scale = tf.Variable([2.0, 3.0])
        >>> module.serve = tf.function(lambda x: x * module.scale,
        ...                            input_signature=[tf.TensorSpec((None, 2), tf.float32)])
        >>> path = os.path.join(tempfile.mkdtemp(), "scaled")
        >>> tf.saved_model.save(module, path)
        >>> layer = kerasx.layers.TFSMLayer(path, call_endpoint="serve")
        >>> print(kerasx.ops.convert_to_numpy(layer(np.ones((1, 2), "float32"))))
        [[2. 3.]]
    """

    def __init__(self, filepath, call_endpoint: str = "serve", call_training_endpoint: str | None = None,
                 trainable: bool = True, name: str | None = None, dtype=None, **kwargs):
        super().__init__(trainable=trainable, name=name, dtype=dtype, **kwargs)
        self.filepath = os.fspath(filepath)
        self.call_endpoint = call_endpoint
        self.call_training_endpoint = call_training_endpoint
        reloaded = _saved_model.load(self.filepath)
        object.__setattr__(self, "_reloaded", reloaded)
        object.__setattr__(self, "_endpoints", {
            False: _saved_model.find_endpoint(reloaded, self.filepath, call_endpoint, "call_endpoint"),
            True: _saved_model.find_endpoint(
                reloaded, self.filepath, call_training_endpoint or call_endpoint, "call_training_endpoint"
            ),
        })
        functions = [self._endpoints[False][0]] + ([self._endpoints[True][0]] if call_training_endpoint else [])
        object.__setattr__(self, "_saved_model_variables", _saved_model.endpoint_variables(functions))
        self.built = True

    def call(self, inputs, training=False):
        function, takes_keywords = self._endpoints[bool(training)]
        name = self.call_training_endpoint if training and self.call_training_endpoint else self.call_endpoint
        return active.export.call_saved_function(function, takes_keywords, name, inputs)

    def compute_output_spec(self, inputs, training=False):
        function, takes_keywords = self._endpoints[bool(training)]
        leaves = _tree.flatten(inputs)
        batch = tuple(leaves[0].shape)[0] if leaves and tuple(leaves[0].shape) else None

        shapes = _saved_model.output_shapes(function, takes_keywords, batch)
        return _tree.map_structure(lambda spec: KerasTensor(spec.shape, standardize_dtype(spec.dtype)), shapes)

    def _saved_variables(self) -> dict:
        return {str(i): _SavedModelVariable(self.name, v) for i, v in enumerate(self._saved_model_variables)}

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "filepath": self.filepath,
            "call_endpoint": self.call_endpoint,
            "call_training_endpoint": self.call_training_endpoint,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode: bool | None = None):
        """Makes the layer from `get_config()`'s dict, only where unsafe deserialization is allowed: `safe_mode=False`
        here, in the load in progress (`load_model(..., safe_mode=False)`), or for the whole process."""
        del custom_objects  # the config holds no nested objects
        if safe_mode is None:
            safe_mode = _registry.in_safe_mode()  # the load in progress decides; outside any load, refused
        # As in Keras 3, an unset `safe_mode` counts as safe: a config must not load a SavedModel by default.
        if safe_mode is not False and _config.SETTINGS.safe_mode is not False:
            raise ValueError(UNSAFE_SAVED_MODEL.format(filepath=config.get("filepath")))
        return cls(**config)
