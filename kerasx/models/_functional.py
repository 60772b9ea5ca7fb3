"""`Functional`: a model defined by a graph of layers and ops from its `inputs` to its `outputs`."""

from __future__ import annotations

import functools

import numpy as np

from kerasx import ops
from kerasx.backend import _tree, active, backend
from kerasx.layers import InputLayer, _call_context
from kerasx.models import _functional_config, _keras_form, _model
from kerasx.models._graph import Graph, operation_name
from kerasx.ops import KerasTensor, _masking
from kerasx.serialization import _registry

NOT_SYMBOLIC = (
    "All model {kind} must be KerasTensors (from `kerasx.Input` and layers or ops applied to them). "
    "Received: {kind}[{index}] of type {type}: {value}"
)
WRONG_INPUT_COUNT = (
    "Model '{name}' expects {expected} input(s) ({names}), but received {received}. "
    "Pass a list with one tensor per input, or a dict keyed by input name."
)
MISSING_INPUT = (
    "Model '{name}' was called with a dict that has no entry for input '{key}'. Received keys: {keys}. "
    "Expected keys: {names}."
)
NOT_OPTIONAL = (
    "The input '{input}' of model '{name}' is not optional, but None was passed. Pass a tensor, or make the input "
    "optional: `kerasx.Input(..., optional=True)`."
)
INCOMPATIBLE_INPUT = (
    "Input '{input}' of model '{name}' is incompatible with the model: expected shape {expected}, received shape "
    "{received} (backend: {backend}). Pass data whose shape matches `kerasx.Input(...)`; None dimensions accept "
    "any size."
)


def _flatten_tensors(structure, kind: str) -> list:
    flat = _tree.flatten(structure)
    for index, tensor in enumerate(flat):
        if not isinstance(tensor, KerasTensor):
            raise TypeError(
                NOT_SYMBOLIC.format(kind=kind, index=index, type=type(tensor).__name__, value=repr(tensor)[:100])
            )
    return flat


def _tensor_name(tensor: KerasTensor) -> str:
    node, index = tensor._history if tensor._history is not None else (None, 0)
    if node is None:
        return tensor.name or "input"
    name = operation_name(node.operation)
    return name if len(node.output_tensors) == 1 else f"{name}_{index}"


@_registry.builtin
class Functional(_model.Model):
    """A model from symbolic `inputs` to `outputs` (built by `kerasx.Model(inputs, outputs)`).

    Calling it replays the recorded layer and op calls on real tensors; calling it on KerasTensors adds a node, so
    a model can be used as a layer of another model (sharing its weights).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> image, extra = kerasx.Input(shape=(8,), name="image"), kerasx.Input(shape=(2,), name="extra")
        >>> joined = kerasx.layers.concatenate([kerasx.layers.Dense(4)(image), extra])
        >>> model = kerasx.Model([image, extra], kerasx.layers.Dense(1)(joined))
        >>> isinstance(model, kerasx.models.Functional), model.output_shape
        (True, (None, 1))
        >>> model.predict([np.ones((3, 8)), np.ones((3, 2))], verbose=0).shape
        (3, 1)

        A functional model is a layer too: calling it on new inputs reuses its weights.

        >>> a, b = kerasx.Input(shape=(8,)), kerasx.Input(shape=(2,))
        >>> bigger = kerasx.Model([a, b], kerasx.layers.Dense(3)(model([a, b])))
        >>> len(bigger.trainable_weights) - len(model.trainable_weights)
        2
    """

    _convert_input_args = False

    def __init__(self, inputs, outputs, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        flat_inputs = _flatten_tensors(inputs, "inputs")
        flat_outputs = _flatten_tensors(outputs, "outputs")
        graph = Graph(flat_inputs, flat_outputs)
        internal = {
            "_inputs_struct": inputs,
            "_outputs_struct": outputs,
            "_input_tensors": flat_inputs,
            "_output_tensors": flat_outputs,
            "_graph": graph,
            # Nodes called with an explicit `training` (Keras 3 files record `training=False` on some calls): a
            # call of the model with `training` given overrides it, as in Keras.
            "_training_nodes": frozenset(id(node) for node in graph.nodes if "training" in node.kwargs),
        }
        for key, value in internal.items():
            object.__setattr__(self, key, value)
        self._graph_layers = list(graph.layers)
        self.built = True

    # Structure ---------------------------------------------------------------------------------------------------
    @property
    def layers(self) -> list:
        """Every layer of the graph once (InputLayers first), in execution order."""
        return list(self._graph_layers)

    @property
    def operations(self) -> list:
        """Every operation of the graph once, in execution order, as Keras 3's `Functional.operations`: the
        InputLayers, then the layers and the ops called on symbolic tensors (an op appears as the `kerasx.ops`
        function that was called, e.g. `kerasx.ops.relu`; Keras 3 lists an object of its op's class).

        Example:
            >>> import kerasx
            >>> inputs = kerasx.Input((3,))
            >>> model = kerasx.Model(inputs, kerasx.layers.Dense(1)(kerasx.layers.Dense(2)(inputs)))
            >>> [type(operation).__name__ for operation in model.operations]
            ['InputLayer', 'Dense', 'Dense']
        """
        operations = [layer for layer in self._graph_layers if isinstance(layer, InputLayer)]
        seen = {id(operation) for operation in operations}
        for node in self._graph.nodes:
            operation = node.operation
            if id(operation) not in seen:
                seen.add(id(operation))
                operations.append(operation)
        return operations

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def inputs(self) -> list:
        return list(self._input_tensors)

    @property
    def outputs(self) -> list:
        return list(self._output_tensors)

    @property
    def input_names(self) -> list:
        if isinstance(self._inputs_struct, dict):
            return sorted(self._inputs_struct, key=str)
        return [_tensor_name(t) for t in self._input_tensors]

    @property
    def output_names(self) -> list:
        if isinstance(self._outputs_struct, dict):
            return sorted(self._outputs_struct, key=str)
        return [_tensor_name(t) for t in self._output_tensors]

    @property
    def input_shape(self):
        shapes = [t.shape for t in self._input_tensors]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [t.shape for t in self._output_tensors]
        return shapes[0] if len(shapes) == 1 else shapes

    # Config ------------------------------------------------------------------------------------------------------
    def get_config(self) -> dict:
        """The model's layers and the calls between them, in Keras 3's form (`keras.Model.get_config()`).

        Each layer entry holds the layer's serialized form and its `inbound_nodes` (the calls it received, whose
        tensors are `{"class_name": "__keras_tensor__", ...}` references); `input_layers` and `output_layers` name
        the model's inputs and outputs as `[layer name, node index, tensor index]`.

        Example:
            >>> import kerasx
            >>> inputs = kerasx.Input(shape=(4,), name="features")
            >>> model = kerasx.Model(inputs, kerasx.layers.Dense(2, name="score")(inputs), name="scorer")
            >>> config = model.get_config()
            >>> [entry["name"] for entry in config["layers"]], config["output_layers"]
            (['features', 'score'], ['score', 0, 0])
            >>> config["layers"][1]["build_config"]
            {'input_shape': (None, 4)}
            >>> kerasx.Model.from_config(config).output_shape
            (None, 2)
        """
        if _registry.in_native_config_scope():
            return self._native_config()
        return _keras_form.functional_config(self)

    def _native_config(self) -> dict:
        """kerasx's own form (see `kerasx.models._functional_config`), which files are written from."""
        return _functional_config.functional_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A new model from `get_config()`: Keras 3's form (written by kerasx or by Keras) or kerasx's own."""
        if _keras_form.is_keras_functional(config):
            config = _keras_form.native_functional(config, custom_objects)
        inputs, outputs = _functional_config.rebuild_graph(config, custom_objects)
        return cls(inputs, outputs, name=config.get("name"), trainable=config.get("trainable", True))

    # Calling -----------------------------------------------------------------------------------------------------
    def call(self, inputs, training=None, mask=None):
        values = self._standardize_inputs(inputs)
        if mask is not None:
            masks = _tree.flatten(mask) if _tree.is_nested(mask) else [mask]
            for value, input_mask in zip(values, masks):
                if input_mask is not None:
                    _masking.set_mask(value, input_mask)
        call_node = _call_node
        if training is not None and self._training_nodes:
            call_node = functools.partial(_call_node_in_mode, training=training, nodes=self._training_nodes)
        with _call_context.call_scope(training=training):
            computed = self._graph.run(self._input_tensors, values, call_node)
        flat_outputs = [computed[id(t)] for t in self._output_tensors]
        return _tree.pack_sequence_as(self._outputs_struct, flat_outputs)

    def _standardize_inputs(self, inputs) -> list:
        """Flat list of input values in the order of `self.inputs`, converted to the inputs' dtypes."""
        expected = self._input_tensors
        names = self.input_names
        if isinstance(inputs, dict):
            values = []
            for key in names:
                if key not in inputs:
                    raise ValueError(
                        MISSING_INPUT.format(name=self.name, key=key, keys=sorted(inputs, key=str), names=names)
                    )
                values.append(inputs[key])
        elif _tree.is_nested(inputs):
            values = _tree.flatten(inputs)
        else:
            values = [inputs]
        if len(values) != len(expected):
            raise ValueError(
                WRONG_INPUT_COUNT.format(name=self.name, expected=len(expected), names=names, received=len(values))
            )
        return [self._conform(value, tensor, name) for value, tensor, name in zip(values, expected, names)]

    def _conform(self, value, tensor: KerasTensor, name: str):
        if value is None:
            # Only an input made with `Input(optional=True)` takes None; its layers then receive None (Keras 3).
            producer = tensor._history[0].operation if tensor._history is not None else None
            if getattr(producer, "optional", False):
                return None
            raise ValueError(NOT_OPTIONAL.format(input=name, name=self.name))
        # Text stays on the host (NumPy arrays, or TensorFlow's tf.string tensors) for the text layers to read.
        text = tensor.dtype == "string" and not isinstance(value, KerasTensor)
        if text and not active.core.is_tensor(value):
            value = np.asarray(value)
        shape = tuple(value.shape) if text else (tuple(ops.shape(value)) if hasattr(value, "shape") else ())
        if len(shape) != len(tensor.shape) or any(
            e is not None and r is not None and e != r for e, r in zip(tensor.shape, shape)
        ):
            raise ValueError(
                INCOMPATIBLE_INPUT.format(
                    input=name, name=self.name, expected=tensor.shape, received=shape, backend=backend()
                )
            )
        if text:
            return value
        if isinstance(value, KerasTensor):
            return value if value.dtype == tensor.dtype else ops.cast(value, tensor.dtype)
        if active.core.is_tensor(value) and ops.dtype(value) == tensor.dtype:
            return value
        return ops.convert_to_tensor(value, dtype=tensor.dtype)


def _call_node(node, args, kwargs):
    return node.operation(*args, **kwargs)


def _call_node_in_mode(node, args, kwargs, training, nodes):
    if id(node) in nodes:
        kwargs = {**kwargs, "training": training}
    return node.operation(*args, **kwargs)


_model.register_functional_class(Functional)
