"""Output shapes of engine code run on placeholders whose sizes are partly unknown.

Engines without unknown dimensions in their abstract evaluation (jax.eval_shape, torch meta tensors) run the code
twice, with every unknown dimension set to two different sizes; an output dimension that follows is unknown too.
"""

from __future__ import annotations

# Two sizes no real dimension is likely to be tied to by coincidence.
FILL_SIZES = (83, 89)


def with_unknown_dims(evaluate, input_specs) -> list:
    """`evaluate(concrete_specs) -> [(shape, dtype) or None]` for specs whose shapes may hold None."""
    input_specs = [(tuple(shape), dtype) for shape, dtype in input_specs]
    if not any(d is None for shape, _ in input_specs for d in shape):
        return evaluate(input_specs)
    first, second = (
        evaluate([(tuple(size if d is None else d for d in shape), dtype) for shape, dtype in input_specs])
        for size in FILL_SIZES
    )
    merged = []
    for a, b in zip(first, second):
        if a is None or b is None:
            merged.append(None)
            continue
        merged.append((tuple(x if x == y else None for x, y in zip(a[0], b[0])), a[1]))
    return merged
