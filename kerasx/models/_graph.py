"""The graph of a functional model: the nodes between its inputs and outputs, in an order that can be replayed.

Every symbolic tensor knows the node that produced it (`tensor._history = (node, index)`). Walking back from the
outputs until the inputs gives the nodes the model needs; a node's depth is its longest distance to an output, so
running nodes by decreasing depth computes every tensor before it is used.
"""

from __future__ import annotations

from kerasx.backend import _tree
from kerasx.layers import InputLayer, Layer
from kerasx.ops import KerasTensor

DISCONNECTED = (
    "Output tensor {output} of the model is not connected to the model inputs: it depends on {missing}, which is "
    "not among `inputs` ({inputs}). Add it to the model's inputs, e.g. `Model([..., {name}], outputs)`."
)
DUPLICATE_NAMES = (
    'The name "{name}" is used {count} times in the model. All layer names in a model must be unique. '
    "Pass distinct `name=` arguments to the layers."
)


def _describe(tensor: KerasTensor) -> str:
    history = tensor._history
    if history is not None and isinstance(history[0].operation, InputLayer):
        layer = history[0].operation
        return f"Input '{layer.name}' (shape {layer.batch_shape})"
    name = f" '{tensor.name}'" if tensor.name else ""
    return f"the tensor{name} of shape {tensor.shape}, which has no producing layer"


def operation_name(operation) -> str:
    return getattr(operation, "name", None) or getattr(operation, "__name__", type(operation).__name__)


class Graph:
    """Nodes of a functional model in execution order, and the unique layers they call.

    Args:
        inputs: flat list of input KerasTensors.
        outputs: flat list of output KerasTensors.
    """

    def __init__(self, inputs: list, outputs: list):
        input_ids = {id(t) for t in inputs}
        post_order, parents = self._walk(inputs, outputs, input_ids)
        depth = {id(node): 0 for node in post_order}
        for node in reversed(post_order):
            for parent in parents[id(node)]:
                depth[id(parent)] = max(depth[id(parent)], depth[id(node)] + 1)
        position = {id(node): i for i, node in enumerate(post_order)}
        self.nodes = sorted(post_order, key=lambda n: (-depth[id(n)], position[id(n)]))
        self.depth = depth
        self.layers = self._layers(inputs, outputs)

    @staticmethod
    def _walk(inputs, outputs, input_ids):
        """Post-order of the nodes needed for `outputs`, and each node's parent nodes (within the graph)."""
        post_order, parents, done = [], {}, set()
        for output in outputs:
            if id(output) in input_ids:
                continue
            stack = [(output._history[0], False)] if output._history is not None else []
            if not stack:
                raise ValueError(_disconnected(output, output, inputs))
            while stack:
                node, expanded = stack.pop()
                if id(node) in done:
                    continue
                if expanded:
                    done.add(id(node))
                    post_order.append(node)
                    continue
                stack.append((node, True))
                node_parents = []
                # A node without inputs is an InputLayer's: reaching it means an Input missing from `inputs`.
                if (
                    not node.input_tensors
                    and id(node) not in done
                    and not any(id(t) in input_ids for t in node.output_tensors)
                ):
                    raise ValueError(_disconnected(output, node.output_tensors[0], inputs))
                for tensor in node.input_tensors:
                    if id(tensor) in input_ids:
                        continue
                    if tensor._history is None:
                        raise ValueError(_disconnected(output, tensor, inputs))
                    node_parents.append(tensor._history[0])
                # Reversed so that the first input's branch is finished first (stable, readable order).
                stack.extend((parent, False) for parent in reversed(node_parents) if id(parent) not in done)
                parents[id(node)] = node_parents
        return post_order, parents

    def _layers(self, inputs, outputs) -> list:
        """The layers of the graph once each, in the order Keras 3 lists a functional model's layers.

        That order is by decreasing depth (the longest path to an output, a layer taking the deepest of its calls),
        and, at equal depth, by when a depth-first walk from the outputs first reaches the layer. InputLayers not
        reached from the outputs come last.
        """
        order, post_order = self._walk_from_outputs(inputs, outputs)
        node_depth, depth = {}, {}
        for node in reversed(post_order):
            operation = node.operation
            node_depth[id(node)] = max(node_depth.get(id(node), 0), depth.get(id(operation), 0))
            depth[id(operation)] = node_depth[id(node)]
            for tensor in node.input_tensors:
                if tensor._history is not None:
                    parent = tensor._history[0]
                    node_depth[id(parent)] = max(node_depth[id(node)] + 1, node_depth.get(id(parent), 0))
        operations = {id(node.operation): node.operation for node in post_order}
        for tensor in inputs:
            layer = tensor._history[0].operation if tensor._history is not None else None
            if isinstance(layer, InputLayer) and id(layer) not in depth:
                operations[id(layer)], depth[id(layer)], order[id(layer)] = layer, 0, -1
        ranked = sorted(operations, key=lambda key: (-depth[key], order[key]))
        layers = [operations[key] for key in ranked if isinstance(operations[key], Layer)]
        counts = {}
        for layer in layers:
            counts[layer.name] = counts.get(layer.name, 0) + 1
        for name, count in counts.items():
            if count > 1:
                raise ValueError(DUPLICATE_NAMES.format(name=name, count=count))
        return layers

    @staticmethod
    def _walk_from_outputs(inputs, outputs) -> tuple:
        """({id(operation): first-visit index}, nodes in post-order) of a depth-first walk from the outputs that
        stops at the inputs."""
        input_ids = {id(t) for t in inputs}
        order, post_order, finished = {}, [], set()
        stack = [(tensor, False) for tensor in reversed(outputs) if tensor._history is not None]
        while stack:
            tensor, expanded = stack.pop()
            node = tensor._history[0]
            if id(node) in finished or (id(tensor) in input_ids and not isinstance(node.operation, InputLayer)):
                # An intermediate tensor given as a model input: its producer is outside the model.
                continue
            if expanded:
                finished.add(id(node))
                post_order.append(node)
                continue
            order.setdefault(id(node.operation), len(order))
            stack.append((tensor, True))
            if id(tensor) not in input_ids:
                stack.extend((t, False) for t in reversed(node.input_tensors) if t._history is not None)
        return order, post_order

    def run(self, inputs: list, input_values: list, call_node) -> dict:
        """Replays the nodes on values: returns `id(KerasTensor) -> value` for every tensor computed.

        `call_node(node, args, kwargs)` runs one node on arguments whose KerasTensors were replaced by values.
        """
        values = {id(t): v for t, v in zip(inputs, input_values)}

        def value_of(x):
            return values[id(x)] if isinstance(x, KerasTensor) else x

        for node in self.nodes:
            if all(id(t) in values for t in node.output_tensors):
                continue
            # Fast path for the common node `layer(x)`: no structure walking.
            if len(node.args) == 1 and not node.kwargs and isinstance(node.args[0], KerasTensor):
                args, kwargs = (values[id(node.args[0])],), {}
            else:
                args = _tree.map_structure(value_of, node.args)
                kwargs = _tree.map_structure(value_of, node.kwargs)
            outputs = call_node(node, args, kwargs)
            if isinstance(node.outputs, KerasTensor):
                values[id(node.outputs)] = outputs
                continue
            for symbolic, value in zip(_tree.flatten(node.outputs), _tree.flatten(outputs)):
                if isinstance(symbolic, KerasTensor):
                    values[id(symbolic)] = value
        return values


def _disconnected(output, tensor, inputs) -> str:
    input_names = ", ".join(_describe(t) for t in inputs) or "none"
    name = tensor.name or "missing_input"
    return DISCONNECTED.format(output=output, missing=_describe(tensor), inputs=input_names, name=name)
