"""`model.summary()`: a text table of a model's layers, output shapes and parameter counts.

Functional graphs list every layer and op in execution order, with a "Connected to" column when the graph is not a
simple chain; Sequential and subclassed models list their layers. Shapes come from the nodes the layer has in this
model's graph ("multiple" when a shared layer's calls disagree, "?" when unknown, e.g. inside subclassed models).
"""

from __future__ import annotations

import numpy as np

from kerasx.layers import InputLayer, Layer
from kerasx.models._graph import operation_name

_UNITS = ("B", "KB", "MB", "GB", "TB")


def readable_size(num_bytes: float) -> str:
    """Bytes in the largest unit that keeps the number >= 1 (1024 steps), e.g. "1.50 KB"."""
    unit = 0
    while num_bytes >= 1024 and unit < len(_UNITS) - 1:
        num_bytes /= 1024
        unit += 1
    return f"{num_bytes:.2f} {_UNITS[unit]}"


def _itemsize(dtype: str) -> int:
    return 2 if dtype == "bfloat16" else np.dtype(dtype).itemsize


def _totals(variables) -> tuple:
    count = sum(int(np.prod(v.shape)) for v in variables)
    size = sum(int(np.prod(v.shape)) * _itemsize(v.dtype) for v in variables)
    return count, size


def _format_shapes(shapes):
    if not shapes:
        return "?"
    if any(s != shapes[0] for s in shapes[1:]):
        return "multiple"
    shape = shapes[0]
    return str(shape[0]) if isinstance(shape, list) and len(shape) == 1 else str(shape)


def _node_output_shapes(node):
    shapes = [t.shape for t in node.output_tensors]
    return shapes[0] if len(shapes) == 1 else shapes


def _graph_of(model):
    graph = getattr(model, "_graph", None)
    if graph is None and getattr(model, "_functional", None) is not None:
        graph = model._functional._graph
    return graph


def _is_sequential_like(model, graph) -> bool:
    if getattr(model, "_functional", None) is not None or graph is None:
        return True
    consumers = {}
    for node in graph.nodes:
        if len(node.input_tensors) > 1 or len(node.output_tensors) > 1:
            return False
        for tensor in node.input_tensors:
            consumers[id(tensor)] = consumers.get(id(tensor), 0) + 1
    seen = set()
    for node in graph.nodes:
        if id(node.operation) in seen:
            return False
        seen.add(id(node.operation))
    return all(count == 1 for count in consumers.values())


def _connections(node) -> str:
    parts = []
    for tensor in node.input_tensors:
        if tensor._history is None:
            parts.append(tensor.name or "?")
            continue
        parent, index = tensor._history
        operation = parent.operation
        node_index = operation._inbound_nodes.index(parent) if isinstance(operation, Layer) else 0
        parts.append(f"{operation_name(operation)}[{node_index}][{index}]")
    return ", ".join(parts) or "-"


def _rows(model, sequential_like: bool):
    """(entity, label, shape text, connected-to text) per row; entity is a Layer or None for op nodes."""
    graph = _graph_of(model)
    rows = []
    if graph is None:
        for layer in model.layers:
            shapes = [_node_output_shapes(n) for n in layer._inbound_nodes]
            rows.append((layer, f"{layer.name} ({type(layer).__name__})", _format_shapes(shapes), ""))
        return rows
    layers = model.layers
    shapes = {id(layer): [] for layer in layers}
    connections = {id(layer): [] for layer in layers}
    for layer in layers:
        if isinstance(layer, InputLayer):
            shapes[id(layer)].append(layer.batch_shape)
    op_rows = {}
    for node in graph.nodes:
        operation = node.operation
        if isinstance(operation, Layer):
            if id(operation) in shapes:
                shapes[id(operation)].append(_node_output_shapes(node))
                connections[id(operation)].append(_connections(node))
        else:
            label = f"{operation_name(operation)} ({operation_name(operation).title().replace('_', '')})"
            op_rows[id(node)] = (None, label, _format_shapes([_node_output_shapes(node)]), _connections(node))
    # Rows in execution order: each layer at its first node, op nodes where they run.
    placed = set()
    for layer in layers:
        if isinstance(layer, InputLayer) and id(layer) not in placed:
            placed.add(id(layer))
            rows.append((layer, f"{layer.name} ({type(layer).__name__})", _format_shapes(shapes[id(layer)]), "-"))
    for node in graph.nodes:
        operation = node.operation
        if id(node) in op_rows:
            rows.append(op_rows[id(node)])
        elif isinstance(operation, Layer) and id(operation) in shapes and id(operation) not in placed:
            placed.add(id(operation))
            label = f"{operation.name} ({type(operation).__name__})"
            rows.append((operation, label, _format_shapes(shapes[id(operation)]), "; ".join(connections[id(operation)])))
    return rows


def _param_text(layer) -> str:
    if layer is None:
        return "0"
    if not layer.built:
        return "0 (unbuilt)"
    return f"{layer.count_params():,}"


def _wrap(text: str, width: int) -> list:
    width = max(width, 1)
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False, show_trainable=False):
    """Prints the summary table of `model` line by line with `print_fn` (default `print`)."""
    print_fn = print_fn or print
    graph = _graph_of(model)
    sequential_like = _is_sequential_like(model, graph)
    headers = ["Layer (type)", "Output Shape", "Param #"]
    if not sequential_like:
        headers.append("Connected to")
    if show_trainable:
        headers.append("Trainable")
    line_length = line_length or (65 if sequential_like else 98) + (11 if show_trainable else 0)
    if positions is None:
        fractions = [0.42, 0.78, 1.0] if sequential_like else [0.3, 0.55, 0.67, 1.0]
        if show_trainable:
            fractions = [f * (line_length - 11) / line_length for f in fractions] + [1.0]
        positions = fractions
    if all(p <= 1 for p in positions):
        positions = [int(line_length * p) for p in positions]
    widths = [b - a for a, b in zip([0] + positions[:-1], positions)]

    def print_row(cells, indent=""):
        cells = [indent + cells[0]] + list(cells[1:])
        pieces = [_wrap(cell, width - 1) for cell, width in zip(cells, widths)]
        for line in range(max(len(p) for p in pieces)):
            text = ""
            for piece, width in zip(pieces, widths):
                text += (piece[line] if line < len(piece) else "").ljust(width)
            print_fn(text.rstrip())

    def print_model_rows(current, depth):
        current_graph = _graph_of(current)
        rows = _rows(current, _is_sequential_like(current, current_graph))
        for layer, label, shape, connected in rows:
            cells = [label, shape, _param_text(layer)]
            if not sequential_like:
                cells.append(connected)
            if show_trainable:
                cells.append("-" if layer is None else ("Y" if layer.trainable else "N"))
            print_row(cells, indent="  " * depth)
            is_model = layer is not None and hasattr(layer, "layers") and layer is not current
            if expand_nested and is_model:
                print_model_rows(layer, depth + 1)

    print_fn(f'Model: "{model.name}"')
    print_fn("_" * line_length)
    print_row(headers)
    print_fn("=" * line_length)
    print_model_rows(model, 0)
    print_fn("=" * line_length)
    built = model.built
    trainable_count, trainable_size = _totals(model.trainable_weights) if built else (0, 0)
    frozen_count, frozen_size = _totals(model.non_trainable_weights) if built else (0, 0)
    print_fn(f"Total params: {trainable_count + frozen_count:,} ({readable_size(trainable_size + frozen_size)})")
    print_fn(f"Trainable params: {trainable_count:,} ({readable_size(trainable_size)})")
    print_fn(f"Non-trainable params: {frozen_count:,} ({readable_size(frozen_size)})")
    print_fn("_" * line_length)

