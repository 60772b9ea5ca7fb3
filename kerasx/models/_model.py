"""`Model`: a Layer with model-level conveniences (`layers`, `get_layer`, `summary`).

`Model(inputs, outputs)` builds a functional model (`Functional`, registered by `_functional.py`); subclassing
`Model` and defining `call` gives a model whose sublayers are tracked through attributes.
"""

from __future__ import annotations

from kerasx.export import _model_export
from kerasx.layers import Layer
from kerasx.layers._quantized import quantize_model
from kerasx.models import _summary
from kerasx.models._compile_config_members import CompileConfigMixin
from kerasx.saving import _model_json, _saving_lib
from kerasx.serialization import _registry
from kerasx.trainers import Trainer

LAYER_NAME_AND_INDEX = "Provide only a layer name or a layer index, not both. Received: index={index}, name={name!r}."
LAYER_INDEX_RANGE = "Was asked to retrieve layer at index {index} but model '{model}' only has {count} layers."
NO_SUCH_LAYER = "No such layer: {name!r} in model '{model}'. Existing layers are: {names}."
POSITIONAL_ARGUMENTS = (
    "{cls} received positional arguments {args}: a model takes either `(inputs, outputs)` (the functional API) or "
    "keyword arguments only (`name=...`, `trainable=...`)."
)
LAYER_NOTHING_GIVEN = "Provide either a layer name or a layer index to `get_layer`. Received neither."

# The functional model class; `Model(inputs, outputs)` constructs it. Set once by kerasx.models._functional, which
# subclasses Model (so it cannot be imported here).
_FUNCTIONAL_CLASS: list = []


def register_functional_class(cls) -> None:
    _FUNCTIONAL_CLASS[:] = [cls]


_FUNCTIONAL_SUBCLASSES: dict = {}


def _functional_subclass(cls, functional):
    if cls not in _FUNCTIONAL_SUBCLASSES:
        _FUNCTIONAL_SUBCLASSES[cls] = type(cls.__name__, (cls, functional), {"__module__": cls.__module__})
    return _FUNCTIONAL_SUBCLASSES[cls]


def _functional_arguments(args, kwargs) -> bool:
    return len(args) >= 2 or (len(args) == 1 and "outputs" in kwargs) or ("inputs" in kwargs and "outputs" in kwargs)


@_registry.builtin
class Model(CompileConfigMixin, Trainer, Layer):
    """A model: `Model(inputs, outputs)` for the functional API, or a subclass defining `call`.

    Args (functional form):
        inputs: KerasTensor(s) from `kerasx.Input`: one, a list, or a dict.
        outputs: KerasTensor(s) computed from `inputs`: one, a list, or a dict.
        name: model name.

    A subclassed model creates its layers in `__init__` and computes in `call(inputs, training=None)`; its weights are
    created at the first call. Both forms train with `compile` and `fit`, predict with `predict`, and save with `save`.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> inputs = kerasx.Input(shape=(3,))
        >>> outputs = kerasx.layers.Dense(1, kernel_initializer="ones")(inputs)
        >>> model = kerasx.Model(inputs, outputs)
        >>> print(model.predict(np.array([[1.0, 2.0, 3.0]]), verbose=0))
        [[6.]]
        >>> model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
        >>> model.evaluate(np.ones((4, 3)), np.full((4, 1), 2.0), verbose=0, return_dict=True)
        {'loss': 1.0, 'mae': 1.0}

        A subclassed model:

        >>> class TwoLayers(kerasx.Model):
        ...     def __init__(self, **kwargs):
        ...         super().__init__(**kwargs)
        ...         self.hidden = kerasx.layers.Dense(8, activation="relu")
        ...         self.score = kerasx.layers.Dense(1)
        ...     def call(self, inputs):
        ...         return self.score(self.hidden(inputs))
        >>> model = TwoLayers()
        >>> model.predict(np.ones((5, 3)), verbose=0).shape
        (5, 1)
        >>> [tuple(w.shape) for w in model.trainable_weights]
        [(3, 8), (8,), (8, 1), (1,)]
    """

    def __new__(cls, *args, **kwargs):
        if _functional_arguments(args, kwargs):
            functional = _FUNCTIONAL_CLASS[0]
            if cls is Model:
                cls = functional
            elif not issubclass(cls, functional) and "__init__" not in vars(cls):
                # `class MyModel(Model)` overriding only steps (e.g. train_step), built as MyModel(inputs, outputs).
                cls = _functional_subclass(cls, functional)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        if _functional_arguments(args, kwargs):
            # A subclass with its own `__init__` that passes `(inputs, outputs)` on to Model becomes functional, as
            # in Keras (the "going lower-level" models of the custom train_step guides).
            functional = _FUNCTIONAL_CLASS[0]
            if not isinstance(self, functional):
                object.__setattr__(self, "__class__", _functional_subclass(type(self), functional))
            functional.__init__(self, *args, **kwargs)
            return
        if args:
            raise TypeError(POSITIONAL_ARGUMENTS.format(cls=type(self).__name__, args=args))
        super().__init__(**kwargs)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A model from `get_config()`: a functional config rebuilds the graph, as
        `kerasx.Model.from_config(functional.get_config())` does in Keras; a subclass's config calls its constructor.

        A functional config is Keras 3's (`input_layers`/`output_layers`, from kerasx's or Keras's `get_config`) or
        kerasx's older one (`nodes`).
        """
        functional = _FUNCTIONAL_CLASS[0]
        graph = "nodes" in config or "input_layers" in config or "output_layers" in config
        if "layers" in config and graph and not issubclass(cls, functional):
            if cls is Model:
                return functional.from_config(config, custom_objects)
            return _functional_subclass(cls, functional).from_config(config, custom_objects)
        return cls(**config)

    @property
    def layers(self) -> list:
        """The model's direct sublayers, in the order they were assigned."""
        return list(self._children()[2])

    def get_layer(self, name=None, index=None):
        """A sublayer by `name` or by `index` into `layers`."""
        if name is not None and index is not None:
            raise ValueError(LAYER_NAME_AND_INDEX.format(index=index, name=name))
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(LAYER_INDEX_RANGE.format(index=index, model=self.name, count=len(layers)))
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(NO_SUCH_LAYER.format(name=name, model=self.name, names=[layer.name for layer in layers]))
        raise ValueError(LAYER_NOTHING_GIVEN)

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False, show_trainable=False,
                layer_range=None):
        """Prints a table of the layers (name and type, output shape, parameter count) and the parameter totals.

        Args:
            line_length: total width in characters; default 88 (108 with a "Connected to" column), at most the
                terminal's width minus 4.
            positions: right edges of the columns, as fractions of `line_length` or as absolute positions.
            print_fn: function called with each line (default `print`).
            expand_nested: also list the layers of nested models, indented.
            show_trainable: add a column telling whether each layer is trainable.
            layer_range: two layer names (or regular expressions): show only the layers from the first match of
                the first to the last match of the second.
        """
        _summary.print_summary(
            self,
            line_length=line_length,
            positions=positions,
            print_fn=print_fn,
            expand_nested=expand_nested,
            show_trainable=show_trainable,
            layer_range=layer_range,
        )

    def quantize(self, mode=None, config=None, filters=None, **kwargs) -> None:
        """Quantizes every quantizable layer of the built model in place (Dense, EinsumDense and Embedding;
        `layer.quantize`), as Keras 3's `Model.quantize`.

        Args:
            mode: "int8"; optional when `config` is given.
            config: a `kerasx.quantizers.QuantizationConfig` for every layer.
            filters: a regex (or list of regexes) a layer's name must match, or a callable taking the layer.
            **kwargs: `type_check=False` also quantizes subclasses of those layers.

        Example:
            >>> import numpy as np
            >>> import kerasx
            >>> model = kerasx.Sequential([kerasx.Input((4,)), kerasx.layers.Dense(2)])
            >>> model.quantize("int8")
            >>> [w.dtype for w in model.layers[0].weights]
            ['float32', 'int8', 'float32']
        """
        if quantize_model(self, mode, config, filters, **kwargs):
            # The compiled steps captured the float weights.
            self._reset_step_functions()

    # Saving (kerasx.saving holds the formats) ---------------------------------------------------------------------
    def save(self, filepath, overwrite=True, zipped=None) -> None:
        """Saves the model (architecture, weights, compile arguments, optimizer state) to a `.keras` file, or with
        `zipped=False` to a folder holding the same three files (see `kerasx.saving.save_model`)."""
        _saving_lib.save_model(self, filepath, overwrite=overwrite, zipped=zipped)

    def to_json(self, **kwargs) -> str:
        """The model's architecture (and compile arguments, when compiled) as JSON in Keras 3's format; rebuild it
        with `kerasx.models.model_from_json`. `kwargs` go to `json.dumps`.

        Example:
            >>> import json
            >>> import kerasx
            >>> model = kerasx.Sequential([kerasx.Input(shape=(3,)), kerasx.layers.Dense(2)])
            >>> config = json.loads(model.to_json())
            >>> config["class_name"], config["build_config"]
            ('Sequential', {'input_shape': [None, 3]})
        """
        return _model_json.model_to_json(self, **kwargs)

    def export(self, filepath, format: str = "tf_saved_model", verbose: bool | None = None, input_signature=None,
               **kwargs) -> None:
        """Writes the model's inference function as an artifact that runs without kerasx (see `kerasx.export`).

        Args:
            filepath: where to write (a folder for "tf_saved_model", a file for "onnx" and "torch").
            format: "tf_saved_model" (tensorflow, jax), "onnx" (torch, tensorflow, jax) or "torch" (torch.export
                `.pt2`, torch); "openvino" and "litert" are refused with the converter to use. A backend that
                cannot write a format says which can.
            verbose: print where the artifact went (default True).
            input_signature: specs of the call's inputs (`kerasx.InputSpec`, `KerasTensor`, `tf.TensorSpec`);
                by default the model's inputs, with a dynamic batch axis.
            **kwargs: `opset_version` (onnx); `jax2tf_kwargs`, `is_static` (tf_saved_model on jax); options of
                `torch.export.export` (torch).

        Example:
            >>> import os, tempfile
            >>> import kerasx
            >>> model = kerasx.Sequential([kerasx.Input((3,)), kerasx.layers.Dense(2)])
            >>> formats = {"tensorflow": "tf_saved_model", "jax": "tf_saved_model", "torch": "torch"}
            >>> path = os.path.join(tempfile.mkdtemp(), "artifact")
            >>> if kerasx.backend.backend() in formats:
            ...     model.export(path, format=formats[kerasx.backend.backend()], verbose=False)
            ... else:  # the numpy backend traces nothing
            ...     os.mkdir(path)
            >>> os.path.exists(path)
            True
        """
        _model_export.export_model(self, filepath, format=format, verbose=verbose, input_signature=input_signature,
                                   **kwargs)

    def save_weights(self, filepath, overwrite=True, max_shard_size=None) -> None:
        """Saves the weights (and optimizer state when compiled) to a `.weights.h5` file, in Keras 3's layout; with
        `max_shard_size` (GB), to shards indexed by a `.weights.json` file (see `kerasx.saving.save_weights`)."""
        _saving_lib.save_weights(self, filepath, overwrite=overwrite, max_shard_size=max_shard_size)

    def load_weights(self, filepath, skip_mismatch=False) -> None:
        """Loads a `.weights.h5` (or sharded `.weights.json`) file written by kerasx or Keras 3; mismatches are
        errors naming the layer, or with `skip_mismatch=True` warnings that skip that layer."""
        _saving_lib.load_weights(self, filepath, skip_mismatch=skip_mismatch)
