"""ONNX helpers shared by the engines' exporters: the optional packages and the repair of a converted graph."""

from __future__ import annotations

import importlib

ONNX_MISSING = (
    "Exporting to ONNX{route} needs the `{package}` package, which is not installed ({error}). Install it with "
    "`pip install \"kerasx[export]\"` (or `pip install {package}`)."
)


def load_package(module: str, package: str, route: str = ""):
    """`module`, or an ImportError naming the package to install (`route` says which converter needs it)."""
    try:
        return importlib.import_module(module)  # sys.modules' entry after the first call
    except ImportError as error:
        raise ImportError(ONNX_MISSING.format(route=route, package=package, error=error)) from error


INVALID_ONNX = (
    "The ONNX graph converted from the {backend} backend is not valid ONNX, so nothing was written to {filepath!r} "
    "(a file already there is left as it was). The ONNX checker says: {error}.{hint}"
)
# tf2onnx logs what it cannot convert and writes the graph anyway, with the TensorFlow op left in place.
TENSORFLOW_HINT = (
    " tf2onnx leaves some TensorFlow loops unconverted (a recurrent layer with return_sequences=True, for one): "
    "export with `unroll=True` on the recurrent layers, or from the jax or torch backend (move the weights with "
    "`save_weights`/`load_weights`)."
)


def check_file(path: str, backend: str, filepath: str) -> None:
    """Raises a ValueError naming the checker's complaint when the ONNX file at `path` is not valid ONNX."""
    onnx = load_package("onnx", "onnx")
    try:
        onnx.checker.check_model(path, full_check=True)
    except onnx.checker.ValidationError as error:
        first_line = str(error).strip().splitlines()[0].rstrip(".")
        hint = TENSORFLOW_HINT if backend == "tensorflow" else ""
        message = INVALID_ONNX.format(backend=backend, filepath=filepath, error=first_line, hint=hint)
        raise ValueError(message) from error


def _one(onnx, name: str, value: float):
    return onnx.helper.make_node("Constant", [], [name], value=onnx.helper.make_tensor(name, 1, [], [value]))


def replace_erfc(filepath: str) -> None:
    """Rewrites `Erfc(x)` (TensorFlow's gelu; tf2onnx emits it, but ONNX has no such operator) as `1 - Erf(x)`."""
    onnx = load_package("onnx", "onnx")
    model = onnx.load(filepath)
    graph = model.graph
    nodes = []
    changed = False
    for index, node in enumerate(graph.node):
        if node.op_type != "Erfc" or node.domain not in ("", "ai.onnx"):
            nodes.append(node)
            continue
        changed = True
        erf, one = f"{node.name or index}_erf", f"{node.name or index}_one"
        nodes.append(onnx.helper.make_node("Erf", [node.input[0]], [erf]))
        # ONNX's Sub broadcasts the scalar one; float32 because gelu's erfc in TensorFlow is float32 here.
        nodes.append(_one(onnx, one, 1.0))
        nodes.append(onnx.helper.make_node("Sub", [one, erf], [node.output[0]]))
    if changed:
        del graph.node[:]
        graph.node.extend(nodes)
        onnx.save(model, filepath)
