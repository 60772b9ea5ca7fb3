"""The graph-side view of a layer: its inbound nodes and the tensors and shapes at each of them.

A layer called on symbolic tensors records one `kerasx.ops.Node` per call in `_inbound_nodes`. With a single node,
`layer.input` / `layer.output` are unambiguous; a shared layer has several and must be asked per node.
"""

from __future__ import annotations

NEVER_CALLED = (
    'The layer "{name}" has never been called on symbolic inputs and thus has no defined {attribute}. '
    "Call it on a `kerasx.Input(...)` tensor (or inside a functional model) first."
)
MULTIPLE_NODES = (
    'Layer {name} has multiple inbound nodes, hence the notion of "layer {attribute}" is ill-defined. '
    "Use `get_{attribute}_at(node_index)` instead."
)
MULTIPLE_SHAPES = (
    'The layer "{name}" has multiple inbound nodes with different {attribute} shapes, hence the notion of '
    '"{attribute} shape" is ill-defined for the layer. Use `get_{attribute}_shape_at(node_index)` instead.'
)
BAD_NODE_INDEX = (
    'Asked to get {attribute} at node {index} of layer "{name}", but the layer has only {count} inbound node(s). '
    "Pass a node index between 0 and {last}."
)


def _single_or_list(tensors: list):
    return tensors[0] if len(tensors) == 1 else list(tensors)


def _shapes(tensors: list):
    return _single_or_list([t.shape for t in tensors])


class NodeAccessMixin:
    """`input`, `output`, `input_shape`, `output_shape` and their per-node `get_*_at(node_index)` forms."""

    def _node_at(self, index: int, attribute: str):
        nodes = self._inbound_nodes
        if not nodes:
            raise AttributeError(NEVER_CALLED.format(name=self.name, attribute=attribute))
        if not -len(nodes) <= index < len(nodes):
            raise ValueError(
                BAD_NODE_INDEX.format(
                    attribute=attribute, index=index, name=self.name, count=len(nodes), last=len(nodes) - 1
                )
            )
        return nodes[index]

    def _only_node(self, attribute: str):
        if len(self._inbound_nodes) > 1:
            raise AttributeError(MULTIPLE_NODES.format(name=self.name, attribute=attribute))
        return self._node_at(0, attribute)

    def _agreed_shape(self, attribute: str):
        self._node_at(0, attribute)
        tensors = "input_tensors" if attribute == "input" else "output_tensors"
        shapes = [_shapes(getattr(node, tensors)) for node in self._inbound_nodes]
        if any(shape != shapes[0] for shape in shapes[1:]):
            raise AttributeError(MULTIPLE_SHAPES.format(name=self.name, attribute=attribute))
        return shapes[0]

    @property
    def input(self):
        """The input tensor(s) of the layer's only inbound node."""
        return _single_or_list(self._only_node("input").input_tensors)

    @property
    def output(self):
        """The output tensor(s) of the layer's only inbound node."""
        return _single_or_list(self._only_node("output").output_tensors)

    @property
    def input_shape(self):
        """Input shape(s), if every inbound node agrees."""
        return self._agreed_shape("input")

    @property
    def output_shape(self):
        """Output shape(s), if every inbound node agrees."""
        return self._agreed_shape("output")

    def get_input_at(self, node_index: int):
        return _single_or_list(self._node_at(node_index, "input").input_tensors)

    def get_output_at(self, node_index: int):
        return _single_or_list(self._node_at(node_index, "output").output_tensors)

    def get_input_shape_at(self, node_index: int):
        return _shapes(self._node_at(node_index, "input").input_tensors)

    def get_output_shape_at(self, node_index: int):
        return _shapes(self._node_at(node_index, "output").output_tensors)
