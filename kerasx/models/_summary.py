"""`model.summary()`: the table Keras 3 prints, drawn with the same box characters, column widths and wrapping.

Rows: a Sequential's or subclassed model's layers; a functional model's layers and ops in execution order, with a
"Connected to" column unless the graph is a plain chain. A cell wraps at spaces; a word longer than its column is cut
with "…". Widths follow Keras 3: a default line length (88, or 108 with "Connected to"; 12 more with
`show_trainable`) capped by the terminal width, split at `positions`, then narrowed evenly by the borders and padding.
"""

from __future__ import annotations

import re
import shutil

import numpy as np

from kerasx.backend import _console
from kerasx.layers import Layer
from kerasx.models._graph import operation_name

_UNITS = ("B", "KB", "MB", "GB", "TB", "PB")

CHAIN_LINE_LENGTH = 88
GRAPH_LINE_LENGTH = 108
TRAINABLE_EXTRA_LENGTH = 12
CHAIN_POSITIONS = (0.45, 0.80, 1.0)
GRAPH_POSITIONS = (0.3, 0.56, 0.74, 1.0)
# The terminal keeps 4 columns of margin, as in Keras.
TERMINAL_MARGIN = 4
MIN_COLUMN_WIDTH = 4

NARROW_COLUMNS = (
    "model.summary() of '{name}' needs at least {minimum} characters per column. Received: line_length={length}, "
    "positions={positions} (column widths {widths}). Pass a larger `line_length` or other `positions`."
)
BAD_LAYER_RANGE = (
    "`layer_range` must be two layer names (or regular expressions) in a list or tuple, the first and the last "
    "layer to show. Received: layer_range={value!r}."
)
NO_LAYER_IN_RANGE = (
    "`layer_range` matches no layer of model '{name}'. Received: layer_range={value!r}. The layers are: {names}."
)

# Box characters of the table: top, header separator, row separator and bottom as (left, fill, joint, right).
_TOP = ("┏", "━", "┳", "┓")
_HEADER_BOTTOM = ("┡", "━", "╇", "┩")
_ROW_SEPARATOR = ("├", "─", "┼", "┤")
_BOTTOM = ("└", "─", "┴", "┘")
_HEADER_BAR = "┃"
_BODY_BAR = "│"
_WORD = re.compile(r"\s*\S+\s*")


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
    unique = list({id(v): v for v in variables}.values())
    count = sum(int(np.prod(v.shape)) for v in unique)
    size = sum(int(np.prod(v.shape)) * _itemsize(v.dtype) for v in unique)
    return count, size


# Cell texts ----------------------------------------------------------------------------------------------------------
def _format_shape(shape) -> str:
    return "(" + ", ".join(str(dim) for dim in shape) + ")"


def _format_outputs(tensors) -> str:
    shapes = [_format_shape(t.shape) for t in tensors]
    return shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"


def _shape_text(entity, node=None) -> str:
    """The output shape of the last call of a layer (or of an op's node); else the shape its build implies."""
    if node is not None:
        return _format_outputs(node.output_tensors)
    nodes = getattr(entity, "_inbound_nodes", None)
    if nodes:
        return _format_outputs(nodes[-1].output_tensors)
    build_shape = getattr(entity, "_build_input_shape", None)
    if build_shape is None:
        return "?"
    try:
        shape = entity.compute_output_shape(build_shape)
    except Exception:  # noqa: BLE001 - a layer that cannot tell its output shape shows "?", as in Keras
        return "?"
    if isinstance(shape, (list, tuple)) and shape and all(isinstance(s, (list, tuple)) for s in shape):
        return "[" + ", ".join(_format_shape(s) for s in shape) + "]"
    return _format_shape(shape)


def _param_text(entity) -> str:
    if not isinstance(entity, Layer):
        return "0"
    if not entity.built:
        return "0 (unbuilt)"
    return f"{entity.count_params():,}"


def _trainable_text(entity) -> str:
    if not isinstance(entity, Layer) or not entity.weights:
        return "-"
    return "Y" if entity.trainable else "N"


def _connection_text(layer_nodes: list) -> str:
    parts = []
    for node in layer_nodes:
        for tensor in node.input_tensors:
            if tensor._history is None:
                parts.append(f"{tensor.name or '?'}[0][0]")
                continue
            parent, index = tensor._history
            operation = parent.operation
            nodes = getattr(operation, "_inbound_nodes", None) if isinstance(operation, Layer) else None
            node_index = nodes.index(parent) if nodes and parent in nodes else 0
            parts.append(f"{_node_name(parent)}[{node_index}][{index}]")
    return ", ".join(parts) or "-"


def _node_name(node) -> str:
    return getattr(node, "name", None) or operation_name(node.operation)


def _op_class_name(name: str) -> str:
    return "".join(part.title() for part in name.split("_"))


# Rows ----------------------------------------------------------------------------------------------------------------
def _input_nodes(model) -> list:
    """The nodes of the model's Input layers, in input order (the graph starts after them)."""
    nodes = []
    for tensor in getattr(model, "_input_tensors", ()):
        node = tensor._history[0] if tensor._history is not None else None
        if node is not None and node not in nodes:
            nodes.append(node)
    return nodes


def _is_chain(model) -> bool:
    """True unless a functional graph branches: two nodes at one depth, a node with several inputs, or a layer
    called twice (Keras's rule for leaving out "Connected to")."""
    if getattr(model, "_functional", None) is not None:
        return True  # a Sequential
    graph = getattr(model, "_graph", None)
    if graph is None:
        return True  # a subclassed model: its layers, as a sequence
    depths = [graph.depth[id(node)] for node in graph.nodes]
    for node in graph.nodes:
        if len(node.input_tensors) > 1:
            return False
    for input_node in _input_nodes(model):
        # An Input sits one level above the deepest node that reads it.
        outputs = {id(t) for t in input_node.output_tensors}
        readers = [graph.depth[id(n)] for n in graph.nodes if any(id(t) in outputs for t in n.input_tensors)]
        depths.append(max(readers, default=-1) + 1)
    if len(depths) != len(set(depths)):
        return False
    calls = {}
    for node in graph.nodes:
        if isinstance(node.operation, Layer):
            calls[id(node.operation)] = calls.get(id(node.operation), 0) + 1
    return all(count == 1 for count in calls.values())


def _entries(model) -> list:
    """(entity, node or None, nodes of the entity in this graph) per row, in execution order."""
    graph = getattr(model, "_graph", None)
    if graph is None:
        return [(layer, None, []) for layer in model.layers]
    entries, index_of = [], {}
    for node in _input_nodes(model) + list(graph.nodes):
        operation = node.operation
        if not isinstance(operation, Layer):
            entries.append((operation, node, [node]))
        elif id(operation) in index_of:
            entries[index_of[id(operation)]][2].append(node)
        else:
            index_of[id(operation)] = len(entries)
            entries.append((operation, None, [node]))
    return entries


def _select_range(model, entries, layer_range):
    if layer_range is None:
        return entries
    if not isinstance(layer_range, (list, tuple)) or len(layer_range) != 2:
        raise ValueError(BAD_LAYER_RANGE.format(value=layer_range))
    if not all(isinstance(pattern, str) for pattern in layer_range):
        raise ValueError(BAD_LAYER_RANGE.format(value=layer_range))
    names = [_entry_name(entity, node) for entity, node, _ in entries]
    first = [i for i, name in enumerate(names) if re.match(layer_range[0], name)]
    last = [i for i, name in enumerate(names) if re.match(layer_range[1], name)]
    if not first or not last:
        raise ValueError(NO_LAYER_IN_RANGE.format(name=model.name, value=layer_range, names=names))
    start, stop = min(first), max(last)
    if start > stop:
        start, stop = min(last), max(first)
    return entries[start : stop + 1]


def _entry_name(entity, node) -> str:
    return _node_name(node) if node is not None else entity.name


def _cells(entity, node, layer_nodes, prefix, connected, show_trainable) -> list:
    if node is not None:
        name = _node_name(node)
        label = f"{prefix}{name} ({_op_class_name(operation_name(entity))})"
    else:
        label = f"{prefix}{entity.name} ({type(entity).__name__})"
    cells = [label, _shape_text(entity, node), _param_text(entity)]
    if connected:
        cells.append(_connection_text(layer_nodes))
    if show_trainable:
        cells.append(_trainable_text(entity))
    return cells


def _rows(model, entries, connected, show_trainable, expand_nested, depth=0) -> list:
    prefix = "   " * depth + "└ " if depth else ""
    rows = []
    for entity, node, layer_nodes in entries:
        rows.append(_cells(entity, node, layer_nodes if depth == 0 else [], prefix, connected, show_trainable))
        nested = getattr(entity, "layers", None) if node is None and entity is not model else None
        if expand_nested and nested:
            rows.extend(
                _rows(model, [(layer, None, []) for layer in nested], connected, show_trainable, True, depth + 1)
            )
    return rows


# Layout --------------------------------------------------------------------------------------------------------------
def terminal_line_length(default: int) -> int:
    """The default table width, narrowed to the terminal (`COLUMNS`, else the terminal's size, else 80)."""
    return min(default, shutil.get_terminal_size().columns - TERMINAL_MARGIN)


def column_widths(model_name, line_length: int, positions) -> list:
    """Widths of the columns' text, once the borders and a space of padding on each side are taken off.

    `positions` are the right edges of the columns, as fractions of `line_length` (Keras) or as character counts.
    The columns, one border each plus one, and two spaces of padding each, must fit in `line_length`: what is
    too much comes off the columns as evenly as it divides, the first columns giving the rounded share first.
    """
    absolute = any(p > 1 for p in positions)
    edges = [int(p) if absolute else int(p * line_length) for p in positions]
    widths = [right - left for left, right in zip([0] + edges[:-1], edges)]
    if any(width < MIN_COLUMN_WIDTH for width in widths):
        raise ValueError(
            NARROW_COLUMNS.format(
                name=model_name, minimum=MIN_COLUMN_WIDTH, length=line_length, positions=list(positions), widths=widths
            )
        )
    padded = [width + 2 for width in widths]
    excess = sum(padded) - (line_length - len(padded) - 1)
    shrunk = []
    for index, width in enumerate(padded):
        share = 0 if excess <= 0 else min(width, round(excess / (len(padded) - index)))
        shrunk.append(width - share)
        excess -= share
    return [max(width - 2, 1) for width in shrunk]


def wrap_cell(text: str, width: int) -> list:
    """Lines of at most `width` characters, broken at spaces; a word longer than a line gets one, cut with "…"."""
    lines, line = [], ""
    for word in _WORD.findall(text):
        if len(line) + len(word.rstrip()) <= width:
            line += word
            continue
        if line:
            lines.append(line)
        line = word
    lines.append(line)
    wrapped = []
    for line in lines:
        line = line.rstrip()
        wrapped.append(line if len(line) <= width else line[: width - 1] + "…")
    return wrapped


def _justify(line: str, width: int, how: str) -> str:
    if how == "right":
        return line.rjust(width)
    if how == "center":
        left = (width - len(line)) // 2
        return " " * left + line + " " * (width - len(line) - left)
    return line.ljust(width)


def _rule(widths, characters) -> str:
    left, fill, joint, right = characters
    return left + joint.join(fill * (width + 2) for width in widths) + right


def _table_lines(cells, widths, alignments, bar, bottom=False) -> list:
    pieces = [wrap_cell(cell, width) for cell, width in zip(cells, widths)]
    height = max(len(piece) for piece in pieces)
    if bottom:  # header cells sit on the rule below them
        pieces = [[""] * (height - len(piece)) + piece for piece in pieces]
    lines = []
    for index in range(height):
        texts = [
            _justify(piece[index] if index < len(piece) else "", width, how)
            for piece, width, how in zip(pieces, widths, alignments)
        ]
        lines.append(bar + bar.join(f" {text} " for text in texts) + bar)
    return lines


def render_table(headers, alignments, rows, widths) -> list:
    """The lines of a table in Keras 3's summary style (heavy header, a rule between rows)."""
    lines = [_rule(widths, _TOP)]
    lines += _table_lines(headers, widths, alignments, _HEADER_BAR, bottom=True)
    lines.append(_rule(widths, _HEADER_BOTTOM))
    for index, row in enumerate(rows):
        if index:
            lines.append(_rule(widths, _ROW_SEPARATOR))
        lines += _table_lines(row, widths, alignments, _BODY_BAR)
    lines.append(_rule(widths, _BOTTOM))
    return lines


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False, show_trainable=False,
                  layer_range=None):
    """Prints the summary table of `model` line by line with `print_fn` (default `print`; after
    `kerasx.config.disable_interactive_logging()`, one message to Python's `logging`, as Keras 3 logs it)."""
    logged = None
    if print_fn is None and not _console.interactive():
        logged = []
        print_fn = logged.append
    print_fn = print_fn or print
    connected = not _is_chain(model)
    headers = ["Layer (type)", "Output Shape", "Param #"]
    alignments = ["left", "left", "right"]
    default_length = CHAIN_LINE_LENGTH
    default_positions = list(CHAIN_POSITIONS)
    if connected:
        headers.append("Connected to")
        alignments.append("left")
        default_length = GRAPH_LINE_LENGTH
        default_positions = list(GRAPH_POSITIONS)
    if show_trainable:
        headers.append("Trainable")
        alignments.append("center")
        default_length += TRAINABLE_EXTRA_LENGTH
        if positions is None:
            default_positions = [p * 0.9 for p in default_positions] + [1.0]
    line_length = line_length or terminal_line_length(default_length)
    widths = column_widths(model.name, line_length, positions or default_positions)
    entries = _select_range(model, _entries(model), layer_range)
    rows = _rows(model, entries, connected, show_trainable, expand_nested)

    built = getattr(model, "built", False)
    trainable_count, trainable_size = _totals(model.trainable_weights) if built else (0, 0)
    frozen_count, frozen_size = _totals(model.non_trainable_weights) if built else (0, 0)
    optimizer = getattr(model, "optimizer", None)
    optimizer_built = bool(getattr(model, "compiled", False) and optimizer is not None and optimizer.built)
    optimizer_count, optimizer_size = _totals(optimizer.variables) if optimizer_built else (0, 0)  # pyright: ignore[reportOptionalMemberAccess] - optimizer_built implies one
    total_count = trainable_count + frozen_count + optimizer_count
    total_size = trainable_size + frozen_size + optimizer_size

    print_fn(f'Model: "{model.name}"')
    for line in render_table(headers, alignments, rows, widths):
        print_fn(line)
    print_fn(f" Total params: {total_count:,} ({readable_size(total_size)})")
    print_fn(f" Trainable params: {trainable_count:,} ({readable_size(trainable_size)})")
    print_fn(f" Non-trainable params: {frozen_count:,} ({readable_size(frozen_size)})")
    if optimizer_built:
        print_fn(f" Optimizer params: {optimizer_count:,} ({readable_size(optimizer_size)})")
    if logged is not None:
        _console.write("\n".join(logged))
