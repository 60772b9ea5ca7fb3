"""`ExportSpec`: one input of an exported function (shape with None for unknown sizes, dtype name, name), as the
engines' export code receives it from `kerasx.export`."""

from __future__ import annotations

import dataclasses


# A dataclass, not a NamedTuple: tree utilities (tf.nest, kerasx's) take a tuple for a node, and a spec is a leaf.
@dataclasses.dataclass(frozen=True)
class ExportSpec:
    shape: tuple
    dtype: str
    name: str | None = None


def example_shape(spec: ExportSpec, size: int = 2) -> tuple:
    """A concrete shape for tracing: unknown sizes become `size` (torch.export specializes sizes 0 and 1, so a
    traced example of 2 keeps them dynamic)."""
    return tuple(size if dim is None else dim for dim in spec.shape)


def dynamic_shape_names(specs) -> list:
    """jax2tf's `polymorphic_shapes` for flat export specs: every unknown size is a symbol; the first axis of every
    input is the same symbol `batch`, so that inputs of one batch combine."""
    shapes = []
    for index, spec in enumerate(specs):
        dims = [
            str(size) if size is not None else ("batch" if axis == 0 else f"d{index}_{axis}")
            for axis, size in enumerate(spec.shape)
        ]
        shapes.append(f"({', '.join(dims)},)" if len(dims) == 1 else f"({', '.join(dims)})")
    return shapes
