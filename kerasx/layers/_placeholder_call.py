"""Symbolic calls of layers whose `call` computes with the engine's own ops.

A layer may compute with `torch.sum`, `jnp.sum` or `tf.reduce_sum` instead of kerasx ops (Keras's engine guides do,
e.g. in an activity-regularization layer). Those ops refuse KerasTensors, so when the symbolic call raises a
TypeError, `call` runs again on engine placeholders (`backend.core.output_specs`) and only the shapes and dtypes
of its outputs are kept: losses it added are dropped and variable assignments stay in a stateless scope.
"""

from __future__ import annotations

from kerasx.backend import StatelessScope, _tree, active
from kerasx.ops import KerasTensor


def symbolic_call(layer, args, kwargs):
    """`layer.call(*args, **kwargs)` on KerasTensors, through engine placeholders if kerasx's rules cannot run it."""
    try:
        return layer.call(*args, **kwargs)
    except TypeError as error:
        flat = _tree.flatten((args, kwargs))
        if not any(isinstance(x, KerasTensor) for x in flat):
            raise
        try:
            return _placeholder_call(layer, args, kwargs, flat)
        except Exception:  # noqa: BLE001 - not an engine-op case: the symbolic call's error is the one to see
            raise error from None


def _placeholder_call(layer, args, kwargs, flat):
    positions = [i for i, x in enumerate(flat) if isinstance(x, KerasTensor)]
    input_specs = [(flat[i].shape, flat[i].dtype) for i in positions]
    last_outputs = []

    def run(*tensors):
        leaves = list(flat)
        for position, tensor in zip(positions, tensors):
            leaves[position] = tensor
        call_args, call_kwargs = _tree.pack_sequence_as((args, kwargs), leaves)
        outputs = layer.call(*call_args, **call_kwargs)
        last_outputs[:] = [outputs]
        return _tree.flatten(outputs)

    try:
        with StatelessScope():
            specs = active.core.output_specs(run, input_specs)
    finally:
        # Losses of a placeholder run hold engine placeholders (jax tracers, graph tensors): never real losses.
        layer._clear_losses()
    leaves = _tree.flatten(last_outputs[0])
    symbolic = [leaf if spec is None else KerasTensor(spec[0], spec[1]) for leaf, spec in zip(leaves, specs)]
    return _tree.pack_sequence_as(last_outputs[0], symbolic)
