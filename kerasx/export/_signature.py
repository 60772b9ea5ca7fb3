"""Input signatures of exported functions: what the user gives (`InputSpec`, `KerasTensor`, `tf.TensorSpec`, an
array), or what a built model was called with, as a nested structure of the engines' `ExportSpec`s."""

from __future__ import annotations

from kerasx.backend import _tree, standardize_dtype
from kerasx.backend._export_spec import ExportSpec

NOT_A_SPEC = (
    "An input signature holds specs with a shape and a dtype (`kerasx.InputSpec`, `kerasx.KerasTensor`, "
    "`tf.TensorSpec`, or an example array). Received: {value!r} (of type {type}). Example: "
    "`input_signature=[kerasx.InputSpec(shape=(None, 8), dtype='float32')]`."
)
NO_SHAPE = (
    "An InputSpec in an input signature needs its full `shape` (None for unknown sizes). Received: {value!r}. "
    "Example: `kerasx.InputSpec(shape=(None, 8), dtype='float32')`."
)
UNBUILT = (
    "Model '{name}' must be built before export: call it on data, call `model.build(input_shape)`, or give "
    "`input_signature`. Received: an unbuilt model and input_signature=None."
)


def _shape(value) -> tuple:
    shape = getattr(value, "shape", None)
    if shape is None:
        raise ValueError(NO_SHAPE.format(value=value))
    dims = list(shape) if not hasattr(shape, "as_list") or shape.rank is not None else []
    return tuple(None if dim is None else int(dim) for dim in dims)


def _dtype(value) -> str:
    dtype = getattr(value, "dtype", None)
    dtype = getattr(dtype, "name", dtype)  # tf.DType and numpy dtypes both have a name
    return standardize_dtype(dtype if dtype is not None else "float32")


_SPEC_TYPES = ("InputSpec", "KerasTensor", "TensorSpec", "ShapeDtypeStruct")


def to_spec(value, name: str | None = None) -> ExportSpec:
    """An `ExportSpec` for one leaf of an input signature; an example array keeps its sizes but its batch axis."""
    if isinstance(value, ExportSpec):
        return value
    is_spec = type(value).__name__ in _SPEC_TYPES
    if is_spec and getattr(value, "shape", None) is None:
        raise ValueError(NO_SHAPE.format(value=value))
    if not hasattr(value, "shape") or not hasattr(value, "dtype"):
        raise TypeError(NOT_A_SPEC.format(value=value, type=type(value).__name__))
    shape = _shape(value)
    if not is_spec and shape:
        shape = (None, *shape[1:])  # an example batch stands for any batch size
    spec_name = getattr(value, "name", None) if is_spec else None
    return ExportSpec(shape, _dtype(value), spec_name if isinstance(spec_name, str) and spec_name else name)


def standardize(input_signature) -> tuple[list, list[ExportSpec]]:
    """`(structure, flat specs)`: `structure` is the list of positional arguments with `ExportSpec` leaves."""
    if not isinstance(input_signature, (list, tuple)):
        input_signature = [input_signature]
    leaves = _tree.flatten(list(input_signature))
    specs = []
    for index, leaf in enumerate(leaves):
        spec = to_spec(leaf, name=f"input_{index}" if len(leaves) > 1 else "inputs")
        specs.append(spec)
    return _tree.pack_sequence_as(list(input_signature), specs), specs


def model_signature(model) -> list:
    """The positional input signature of a model's `call`: its functional inputs, or the shapes it was built with."""
    inputs = getattr(model, "_inputs_struct", None)
    if inputs is not None:
        return [_tree.map_structure(lambda t: ExportSpec((None, *tuple(t.shape)[1:]), t.dtype, None), inputs)]
    shapes = getattr(model, "_build_input_shape", None)
    if not model.built or shapes is None:
        raise ValueError(UNBUILT.format(name=model.name))
    dtype = standardize_dtype(model.compute_dtype)
    return [_map_shapes(lambda shape: ExportSpec((None, *tuple(shape)[1:]), dtype, None), shapes)]


def _is_shape(value) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(d, int) or d is None for d in value)


def _map_shapes(fn, shapes):
    """`fn` applied to every shape (a tuple of sizes) of a nested structure of shapes."""
    if _is_shape(shapes):
        return fn(shapes)
    if isinstance(shapes, dict):
        return {key: _map_shapes(fn, value) for key, value in shapes.items()}
    return [_map_shapes(fn, value) for value in shapes]
