"""The graph-side view of a layer: its inbound nodes and the tensors and shapes at each of them.

A layer called on symbolic tensors records one `kerasx.ops.Node` per call in `_inbound_nodes`. As in Keras 3,
`layer.input` / `layer.output` are those of the FIRST call, also for a shared layer, so that feature extraction
(`Model(model.inputs, [layer.output for layer in model.layers])`) works on any functional model. The per-node
`get_*_at(node_index)` forms reach the later calls (the Keras 1/2 spelling).
"""

from __future__ import annotations

NEVER_CALLED = (
    'The layer "{name}" has never been called on symbolic inputs and thus has no defined {attribute}. '
    "Call it on a `kerasx.Input(...)` tensor (or inside a functional model) first."
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
    """`input`, `output`, `input_shape`, `output_shape` (first call) and `get_*_at(node_index)` (any call)."""

    # Provided by `Layer`.
    name: str
    _inbound_nodes: list

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

    @property
    def input(self):
        """The input tensor(s) of the layer's first call (a list when that call took several tensors).

        Example:
        >>> import kerasx
        >>> x = kerasx.Input((3,))
        >>> shared = kerasx.layers.Dense(3)
        >>> y = shared(shared(x))
        >>> shared.input is x, shared.get_input_at(1) is x
        (True, False)
        """
        return _single_or_list(self._node_at(0, "input").input_tensors)

    @property
    def output(self):
        """The output tensor(s) of the layer's first call.

        Example:
        >>> import kerasx
        >>> x = kerasx.Input((3,))
        >>> shared = kerasx.layers.Dense(3)
        >>> h = shared(x)
        >>> y = shared(h)
        >>> shared.output is h, shared.get_output_at(1) is y
        (True, True)
        """
        return _single_or_list(self._node_at(0, "output").output_tensors)

    @property
    def input_shape(self):
        """Input shape(s) of the layer's first call."""
        return _shapes(self._node_at(0, "input").input_tensors)

    @property
    def output_shape(self):
        """Output shape(s) of the layer's first call."""
        return _shapes(self._node_at(0, "output").output_tensors)

    def get_input_at(self, node_index: int):
        """Input tensor(s) of call number `node_index` (0 is the first call)."""
        return _single_or_list(self._node_at(node_index, "input").input_tensors)

    def get_output_at(self, node_index: int):
        """Output tensor(s) of call number `node_index` (0 is the first call)."""
        return _single_or_list(self._node_at(node_index, "output").output_tensors)

    def get_input_shape_at(self, node_index: int):
        """Input shape(s) of call number `node_index`."""
        return _shapes(self._node_at(node_index, "input").input_tensors)

    def get_output_shape_at(self, node_index: int):
        """Output shape(s) of call number `node_index`."""
        return _shapes(self._node_at(node_index, "output").output_tensors)
