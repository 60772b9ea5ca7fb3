"""`model_to_dot` and `plot_model`: a model's graph of layers drawn with Graphviz (through pydot).

A functional or Sequential model gives one box per layer (InputLayers included) and one arrow per connection;
`expand_nested` draws nested models as clusters of their own layers. A model without a graph (a subclassed model)
is one box. pydot (pip) and Graphviz's `dot` program (a system package) are needed; both are looked for on first
use, and their absence raises an ImportError naming the install commands.
"""

from __future__ import annotations

import os

from kerasx.models import Functional, Sequential
from kerasx.ops import KerasTensor
from kerasx.utils import _optional

NOT_BUILT = (
    "This model has not yet been built. Build the model first by calling `build()` or by calling the model on a "
    "batch of data. Received: model={name!r}"
)
NO_GRAPHVIZ = (
    "plot_model needs Graphviz's `dot` program, which was not found ({error}). Install Graphviz: "
    "`apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS) or `conda install graphviz`; "
    "pydot itself comes with `pip install \"kerasx[plot]\"`."
)
# The formats IPython shows as images (Keras 3 asks it for every format but pdf, which fails for svg and dot).
_IMAGE_FORMATS = ("png", "jpg", "jpeg", "gif")
UNKNOWN_KWARGS = "Unrecognized keyword arguments: {kwargs}. model_to_dot accepts `layer_range` besides its arguments."
BAD_LAYER_RANGE = (
    "layer_range must be a list or tuple of two layer names (the first and the last layer to draw, both in the "
    "model). Received: layer_range={value!r}"
)


def _graph_of(model):
    """The Functional holding `model`'s graph, or None for a model without one."""
    if isinstance(model, Sequential):
        return model._functional
    if isinstance(model, Functional):
        return model
    return None


def _format_shapes(tensors) -> str:
    shapes = [tuple(tensor.shape) for tensor in tensors]
    return str(shapes[0]) if len(shapes) == 1 else str(shapes)


def _label(layer, node, show_shapes, show_dtype, show_layer_names, show_layer_activations, show_trainable) -> str:
    class_name = type(layer).__name__
    name = getattr(layer, "name", None) or getattr(layer, "__name__", class_name)
    lines = [f"{name} ({class_name})" if show_layer_names else class_name]
    if show_shapes and node is not None:
        if node.input_tensors:
            lines.append(f"Input shape: {_format_shapes(node.input_tensors)}")
        lines.append(f"Output shape: {_format_shapes(node.output_tensors)}")
    if show_dtype and node is not None:
        dtypes = [tensor.dtype for tensor in node.output_tensors]
        lines.append(f"Output dtype: {dtypes[0] if len(dtypes) == 1 else dtypes}")
    activation = getattr(layer, "activation", None)
    if show_layer_activations and activation is not None:
        lines.append(f"Activation: {getattr(activation, '__name__', activation)}")
    if show_trainable and hasattr(layer, "trainable"):
        lines.append(f"Trainable: {bool(layer.trainable)}")
    return "\n".join(lines)


def _layer_nodes(graph) -> list:
    """(layer, its first node in the graph) for every layer of `graph` in drawing order, inputs first."""
    found: dict = {}
    for tensor in graph.inputs:
        node = tensor._history[0]
        found.setdefault(id(node.operation), (node.operation, node))
    for node in graph._graph.nodes:
        found.setdefault(id(node.operation), (node.operation, node))
    return list(found.values())


def _selected(layer_nodes: list, layer_range) -> list:
    if layer_range is None:
        return layer_nodes
    if not isinstance(layer_range, (list, tuple)) or len(layer_range) != 2:
        raise ValueError(BAD_LAYER_RANGE.format(value=layer_range))
    names = [getattr(layer, "name", None) for layer, _ in layer_nodes]
    if layer_range[0] not in names or layer_range[1] not in names:
        raise ValueError(BAD_LAYER_RANGE.format(value=layer_range))
    return layer_nodes[names.index(layer_range[0]):names.index(layer_range[1]) + 1]


class _Drawing:
    """Adds the boxes and arrows of one model (and of its nested models when expanded) to a pydot graph."""

    def __init__(self, pydot, options: dict, expand_nested: bool):
        self.pydot = pydot
        self.options = options
        self.expand_nested = expand_nested

    def _box(self, target, layer, node) -> None:
        box = self.pydot.Node(str(id(layer)), label=_label(layer, node, **self.options), shape="box",
                              style="rounded")
        target.add_node(box)

    def add_model(self, target, model, layer_range=None) -> tuple:
        """Draws `model` into `target`; returns (the ids arrows into the model go to, the ids arrows out of it
        leave from)."""
        graph = _graph_of(model)
        if graph is None:
            self._box(target, model, None)
            return [str(id(model))], [str(id(model))]
        layer_nodes = _layer_nodes(graph)
        if isinstance(model, Sequential):
            # A Sequential model is drawn as its `layers`, which do not include its InputLayer (as in Keras 3).
            layer_nodes = [(layer, node) for layer, node in layer_nodes if node.input_tensors]
        layer_nodes = _selected(layer_nodes, layer_range)
        drawn = {id(layer) for layer, _ in layer_nodes}
        entries, exits = {}, {}
        for layer, node in layer_nodes:
            if self.expand_nested and _graph_of(layer) is not None:
                cluster = self.pydot.Cluster(str(id(layer)), label=f"{layer.name} ({type(layer).__name__})",
                                             style="dashed")
                entries[id(layer)], exits[id(layer)] = self.add_model(cluster, layer)
                target.add_subgraph(cluster)
            else:
                self._box(target, layer, node)
                entries[id(layer)] = exits[id(layer)] = [str(id(layer))]
        edges = set()
        for layer, _ in layer_nodes:
            for node in graph._graph.nodes:
                if node.operation is not layer:
                    continue
                for position, tensor in enumerate(node.input_tensors):
                    source = tensor._history[0].operation if isinstance(tensor, KerasTensor) and tensor._history \
                        else None
                    if source is None or id(source) not in drawn:
                        continue
                    sinks = entries[id(layer)]
                    sink = sinks[min(position, len(sinks) - 1)]
                    for start in exits[id(source)]:
                        edges.add((start, sink))
        for start, end in sorted(edges):
            target.add_edge(self.pydot.Edge(start, end))
        first = [entry for layer, _ in layer_nodes[:1] for entry in entries[id(layer)]]
        input_ids = [id(tensor._history[0].operation) for tensor in graph.inputs]
        output_ids = [id(tensor._history[0].operation) for tensor in graph.outputs]
        model_entries = [e for i in input_ids if i in entries for e in entries[i]] or first
        model_exits = [e for i in output_ids if i in exits for e in exits[i]] or first
        return model_entries, model_exits


def model_to_dot(model, show_shapes: bool = False, show_dtype: bool = False, show_layer_names: bool = True,
                 rankdir: str = "TB", expand_nested: bool = False, dpi: int = 200, subgraph: bool = False,
                 show_layer_activations: bool = False, show_trainable: bool = False, splines: str = "ortho",
                 **kwargs):
    """The model's graph as a `pydot.Dot` (or a `pydot.Cluster` with `subgraph=True`).

    Args:
        model: a built functional or Sequential model (any other model is drawn as one box).
        show_shapes: add each layer's input and output shapes.
        show_dtype: add each layer's output dtype.
        show_layer_names: write layer names beside their class names.
        rankdir: "TB" (top to bottom) or "LR" (left to right).
        expand_nested: draw nested models' own layers, in a dashed cluster.
        dpi: the image resolution.
        subgraph: return a `pydot.Cluster` to place in another graph.
        show_layer_activations: add the activation of layers that have one.
        show_trainable: add whether each layer is trainable.
        splines: Graphviz's edge style ("ortho", "spline", "polyline", ...).
        **kwargs: `layer_range`, two layer names: draw only the layers between them.

    Returns:
        A `pydot.Dot`.

    Example:

    >>> import kerasx
    >>> inputs = kerasx.Input((3,), name="features")
    >>> model = kerasx.Model(inputs, kerasx.layers.Dense(2, name="scores")(inputs))
    >>> dot = kerasx.utils.model_to_dot(model)
    >>> sorted(node.get_label() for node in dot.get_nodes())
    ['features (InputLayer)', 'scores (Dense)']
    """
    layer_range = kwargs.pop("layer_range", None)
    if kwargs:
        raise ValueError(UNKNOWN_KWARGS.format(kwargs=kwargs))
    if not getattr(model, "built", True):
        raise ValueError(NOT_BUILT.format(name=getattr(model, "name", model)))
    pydot = _optional.pydot("model_to_dot")
    if subgraph:
        dot = pydot.Cluster(style="dashed", graph_name=model.name, label=model.name)
    else:
        dot = pydot.Dot(graph_type="digraph")
        dot.set("rankdir", rankdir)
        dot.set("concentrate", True)
        dot.set("dpi", dpi)
        dot.set("splines", splines)
    options = dict(show_shapes=show_shapes, show_dtype=show_dtype, show_layer_names=show_layer_names,
                   show_layer_activations=show_layer_activations, show_trainable=show_trainable)
    _Drawing(pydot, options, expand_nested).add_model(dot, model, layer_range)
    return dot


def plot_model(model, to_file: str = "model.png", show_shapes: bool = False, show_dtype: bool = False,
               show_layer_names: bool = False, rankdir: str = "TB", expand_nested: bool = False, dpi: int = 200,
               show_layer_activations: bool = False, show_trainable: bool = False, splines: str = "ortho",
               **kwargs):
    """Draws the model's graph into `to_file`, in the format its extension names (png, svg, pdf, dot, ...).

    The arguments are `model_to_dot`'s. Needs pydot (`pip install "kerasx[plot]"`) and Graphviz's `dot` program
    (`apt-get install graphviz`, `brew install graphviz` or `conda install graphviz`): an ImportError says which
    is missing.

    Returns:
        With IPython installed, an `IPython.display.Image` of a png/jpeg/gif file or an `IPython.display.SVG`;
        otherwise None.

    Example:

    >>> import os, tempfile
    >>> import kerasx
    >>> inputs = kerasx.Input((3,))
    >>> model = kerasx.Model(inputs, kerasx.layers.Dense(2)(inputs))
    >>> path = os.path.join(tempfile.mkdtemp(), "model.svg")
    >>> _ = kerasx.utils.plot_model(model, to_file=path, show_shapes=True)
    >>> open(path).read().lstrip().startswith("<?xml")
    True
    """
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype, show_layer_names=show_layer_names,
                       rankdir=rankdir, expand_nested=expand_nested, dpi=dpi,
                       show_layer_activations=show_layer_activations,
                       show_trainable=show_trainable, splines=splines, **kwargs)
    extension = os.path.splitext(os.fspath(to_file))[1][1:] or "png"
    try:
        dot.write(to_file, format=extension)
    except (FileNotFoundError, OSError) as error:
        raise ImportError(NO_GRAPHVIZ.format(error=error)) from error
    display = _optional.ipython_display()
    if display is None:
        return None
    if extension == "svg":
        return display.SVG(filename=to_file)
    if extension in _IMAGE_FORMATS:
        return display.Image(filename=to_file)
    return None
