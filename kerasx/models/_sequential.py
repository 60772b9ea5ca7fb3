"""`Sequential`: a plain stack of single-input, single-output layers.

Once the input shape is known (an `Input`/`InputLayer` added first, `input_shape=` on the first layer, an explicit
`build`, or the first call), the stack is also recorded as a functional graph, so `model.inputs`, `model.outputs`,
`layer.output` and the summary's shapes are available and calls replay that graph.
"""

from __future__ import annotations

from kerasx import ops
from kerasx.backend import _session, _tree
from kerasx.layers import InputLayer, Layer, _call_context
from kerasx.layers import deserialize as deserialize_layer
from kerasx.layers import serialize as serialize_layer
from kerasx.layers._layer import _is_shape
from kerasx.models import _keras_form, _model
from kerasx.models._functional import Functional
from kerasx.ops import KerasTensor
from kerasx.serialization import _registry

NOT_A_LAYER = (
    "Only layers (instances of `kerasx.layers.Layer`) or `kerasx.Input` tensors can be added to Sequential model "
    "'{name}'. Received: {value!r} (of type {type})."
)
INPUT_NOT_FIRST = (
    "An input ({received}) can only be added to Sequential model '{name}' as its first element, but the model "
    "already has {what}. Create the model with the Input first: `Sequential([Input(shape), ...])`."
)
NOT_FROM_INPUT = (
    "Sequential model '{name}' accepts KerasTensors only directly from `kerasx.Input(...)`. Received: {value!r}. "
    "To chain layers on an arbitrary tensor, use the functional API (`kerasx.Model(inputs, outputs)`)."
)
DUPLICATE_NAME = (
    "All layers added to Sequential model '{name}' must have unique names. Name '{layer}' is already the name of a "
    "layer in this model. Pass a unique `name=` to the layer."
)
MULTI_OUTPUT = (
    "All layers in a Sequential model should have a single output tensor, but layer '{layer}' returned {received}. "
    "For layers with several outputs, use the functional API."
)
NO_LAYERS = "Sequential model '{name}' has no layers. Add layers with `model.add(layer)` before {action}."
NOT_BUILT = (
    "Sequential model '{name}' has no defined {attribute} yet: its input shape is unknown. Add an Input first "
    "(`model.add(kerasx.Input(shape))`), or build it with `model.build(input_shape)` or by calling it on data."
)


@_registry.builtin
class Sequential(_model.Model):
    """A model made of a list of layers, each fed with the output of the previous one.

    Args:
        layers: optional list of layers (the first may be a `kerasx.Input(...)` tensor or an InputLayer).
        trainable: whether the model's weights are trained.
        name: model name.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> model = kerasx.Sequential([
        ...     kerasx.Input(shape=(4,)),
        ...     kerasx.layers.Dense(8, activation="relu"),
        ...     kerasx.layers.Dense(2, activation="softmax"),
        ... ])
        >>> model.output_shape, len(model.layers)
        ((None, 2), 2)
        >>> model.add(kerasx.layers.Dense(1))
        >>> model.output_shape
        (None, 1)
        >>> model.predict(np.ones((3, 4)), verbose=0).shape
        (3, 1)
    """

    _convert_input_args = False

    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(trainable=trainable, name=name)
        self._layer_list = []
        object.__setattr__(self, "_functional", None)
        # Output KerasTensor of each entry of `_layer_list` in the recorded graph (entry 0: the Input tensor).
        object.__setattr__(self, "_layer_outputs", [])
        object.__setattr__(self, "_pending_input_dtype", None)
        for layer in layers or ():
            self.add(layer, rebuild=False)
        self._extend_graph()

    # Building the stack --------------------------------------------------------------------------------------------
    def add(self, layer, rebuild=True) -> None:
        """Appends a layer (or, first, an Input). With a known input shape, the layer is built right away."""
        if isinstance(layer, KerasTensor):
            origin = layer._history[0].operation if layer._history is not None else None
            if not isinstance(origin, InputLayer):
                raise ValueError(NOT_FROM_INPUT.format(name=self.name, value=layer))
            layer = origin
        if not isinstance(layer, Layer):
            raise TypeError(NOT_A_LAYER.format(name=self.name, value=layer, type=type(layer).__name__))
        if isinstance(layer, InputLayer):
            if self._layer_list:
                first = self._layer_list[0]
                what = f"input layer '{first.name}'" if isinstance(first, InputLayer) else "layers"
                raise ValueError(INPUT_NOT_FIRST.format(received=layer.name, name=self.name, what=what))
        elif not self._layer_list and layer._batch_input_shape is not None:
            self._layer_list.append(InputLayer(batch_shape=layer._batch_input_shape))
        if any(existing.name == layer.name for existing in self._layer_list):
            raise ValueError(DUPLICATE_NAME.format(name=self.name, layer=layer.name))
        self._layer_list.append(layer)
        if rebuild:
            try:
                self._extend_graph()
            except Exception:
                self._layer_list.pop()
                raise

    def pop(self):
        """Removes and returns the last layer."""
        if not self.layers:
            raise TypeError(NO_LAYERS.format(name=self.name, action="calling `pop`"))
        layer = self._layer_list.pop()
        if len(self._layer_outputs) > len(self._layer_list):
            node = self._layer_outputs.pop()._history[0]
            layer._inbound_nodes[:] = [n for n in layer._inbound_nodes if n is not node]
        self._make_functional()
        return layer

    def _extend_graph(self) -> None:
        """Calls the layers not yet in the recorded graph on the previous output, if the input is known."""
        if not self._layer_list or not isinstance(self._layer_list[0], InputLayer):
            return
        outputs = self._layer_outputs
        if not outputs:
            outputs.append(self._layer_list[0].output)
        # In the model's name scope, as Keras 3 builds it: paths "sequential/dense/kernel".
        with _call_context.call_scope(record_nodes=True), self._open_name_scope():
            while len(outputs) < len(self._layer_list):
                layer = self._layer_list[len(outputs)]
                x = layer(outputs[-1])
                if not isinstance(x, KerasTensor):
                    if layer._inbound_nodes:
                        layer._inbound_nodes.pop()
                    raise ValueError(MULTI_OUTPUT.format(layer=layer.name, received=type(x).__name__))
                outputs.append(x)
        self._make_functional()

    def _make_functional(self) -> None:
        outputs = self._layer_outputs
        if len(outputs) < 2:
            object.__setattr__(self, "_functional", None)
            self.built = False
            return
        # The graph speaks for the model in its errors, so it carries the model's name. Keras 3 builds an anonymous
        # Functional here, which takes the next `functional_<n>`: taking it too keeps later models' names as there.
        _session.unique_name("functional")
        functional = Functional(outputs[0], outputs[-1], name=self.name, trainable=self.trainable)
        object.__setattr__(self, "_functional", functional)
        object.__setattr__(self, "_build_input_shape", outputs[0].shape)
        self.built = True

    def _build_from(self, inputs) -> None:
        if not _tree.is_nested(inputs):
            object.__setattr__(self, "_pending_input_dtype", ops.dtype(inputs))
        super()._build_from(inputs)

    def build(self, input_shape=None):
        """Records the graph for inputs of `input_shape` (batch axis included; its size is not fixed)."""
        if not self.layers:
            raise ValueError(NO_LAYERS.format(name=self.name, action="building it"))
        if self._functional is not None:
            return
        if not isinstance(self._layer_list[0], InputLayer):
            if input_shape is None or not _is_shape(input_shape):
                return  # Nested inputs: the stack runs layer by layer, each layer building itself.
            batch_shape = (None,) + tuple(input_shape)[1:]
            dtype = self._pending_input_dtype
            self._layer_list.insert(0, InputLayer(batch_shape=batch_shape, dtype=dtype))
        self._extend_graph()

    def call(self, inputs, training=None, mask=None):
        if self._functional is not None:
            return self._functional.call(inputs, training=training, mask=mask)
        outputs = inputs
        for layer in self.layers:
            outputs = layer(outputs)
        return outputs

    # Structure ---------------------------------------------------------------------------------------------------
    @property
    def layers(self) -> list:
        """The layers of the stack (without the InputLayer)."""
        layers = list(self._layer_list)
        return layers[1:] if layers and isinstance(layers[0], InputLayer) else layers

    def _graph_model(self, attribute: str) -> Functional:
        if self._functional is None:
            raise AttributeError(NOT_BUILT.format(name=self.name, attribute=attribute))
        return self._functional

    @property
    def input(self):
        return self._graph_model("input").input

    @property
    def output(self):
        return self._graph_model("output").output

    @property
    def inputs(self) -> list:
        return self._graph_model("inputs").inputs

    @property
    def outputs(self) -> list:
        return self._graph_model("outputs").outputs

    @property
    def input_shape(self):
        return self._graph_model("input_shape").input_shape

    @property
    def output_shape(self):
        return self._graph_model("output_shape").output_shape

    # Config ------------------------------------------------------------------------------------------------------
    def get_config(self) -> dict:
        """The model's layers (its InputLayer first, when it has one) in Keras 3's form, and the input shape it
        was built for (`build_input_shape`, only once it is known), as `keras.Sequential.get_config()`.

        Example:
            >>> import kerasx
            >>> model = kerasx.Sequential([kerasx.Input((3,), name="x"), kerasx.layers.Dense(2, name="d")])
            >>> config = model.get_config()
            >>> [entry["class_name"] for entry in config["layers"]], config["build_input_shape"]
            (['InputLayer', 'Dense'], (None, 3))
            >>> config["layers"][1]["build_config"]
            {'input_shape': (None, 3)}
            >>> kerasx.Sequential.from_config(config).output_shape
            (None, 2)
        """
        if _registry.in_native_config_scope():
            layers = [serialize_layer(layer) for layer in self._layer_list]
        else:
            layers = [_keras_form.layer_entry(layer) for layer in self._layer_list]
        config = {"name": self.name, "trainable": self.trainable, "dtype": self._dtype_config(), "layers": layers}
        # Keras 3 writes the key only for a model that has its input shape.
        if self.built and self._build_input_shape is not None:
            config["build_input_shape"] = self._build_input_shape
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A new model from `get_config()`: Keras 3's form (written by kerasx or by Keras) or kerasx's own."""
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in config.get("layers", ()):
            layer_config = _keras_form.native_layer(layer_config, custom_objects)
            model.add(deserialize_layer(layer_config, custom_objects), rebuild=False)
        model._extend_graph()
        build_input_shape = config.get("build_input_shape")
        if not model.built and build_input_shape is not None:
            model.build(tuple(build_input_shape))
        return model
