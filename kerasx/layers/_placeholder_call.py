"""Symbolic calls of layers whose `call` computes with the engine's own ops.

A layer may compute with `torch.sum`, `jnp.sum` or `tf.reduce_sum` instead of kerasx ops (Keras's engine guides do,
e.g. in an activity-regularization layer). Those ops refuse KerasTensors, so when the symbolic call raises a
TypeError (an AttributeError for tensor methods such as torch's `x.view`), `call` runs again on engine placeholders
(`backend.core.output_specs`) and only the shapes and dtypes of its outputs are kept: losses it added are dropped
and variable assignments (a metric's `update_state`) stay in a stateless scope. When that fails too, the error
says both what failed and how to make the layer usable in a graph (its own `compute_output_shape`).
"""

from __future__ import annotations

from kerasx.backend import StatelessScope, _tree, active, backend
from kerasx.backend._symbolic_scope import SymbolicScope
from kerasx.ops import KerasTensor

CANNOT_TRACE = (
    "Layer '{name}' ({cls}) could not compute its outputs for symbolic inputs of shapes {shapes} (backend: "
    "{backend}): kerasx's symbolic call raised the error above, and running `call` on {backend} placeholders "
    "raised {trace_type}: {trace_error}. If `call` runs on real data, implement `compute_output_shape` (e.g. "
    "`def compute_output_shape(self, input_shape): return input_shape[:-1] + (units,)`, one `<argument>_shape` "
    "parameter per tensor argument of `call`) so the layer can be used in functional models."
)
# Errors an engine op (or a tensor method) raises when handed a KerasTensor.
_ENGINE_REFUSALS = (TypeError, AttributeError)


def symbolic_call(layer, args, kwargs):
    """`layer.call(*args, **kwargs)` on KerasTensors, through engine placeholders if kerasx's rules cannot run it."""
    try:
        return layer.call(*args, **kwargs)
    except _ENGINE_REFUSALS as error:
        flat = _tree.flatten((args, kwargs))
        if getattr(error, "_kerasx_traced", False) or not any(isinstance(x, KerasTensor) for x in flat):
            raise  # a sublayer already tried its placeholders, or no symbolic input
        try:
            return _placeholder_call(layer, args, kwargs, flat)
        except Exception as trace_error:  # any failure of the user's code on engine tensors
            raise _explained(error, trace_error, layer, flat) from trace_error


def engine_call(layer, args, kwargs):
    """`layer.call(*args, **kwargs)` on engine placeholders straight away: for layers whose `call` is engine code by
    design (TorchModuleWrapper, JaxLayer), where a symbolic attempt could only fail, and not always with a
    TypeError."""
    return _placeholder_call(layer, args, kwargs, _tree.flatten((args, kwargs)))


def _explained(error, trace_error, layer, flat):
    """`error` (the symbolic call's), of the same type so that callers catching it still do, with both failures and
    the fix appended."""
    shapes = [x.shape for x in flat if isinstance(x, KerasTensor)]
    explanation = CANNOT_TRACE.format(
        name=layer.name,
        cls=type(layer).__name__,
        shapes=shapes[0] if len(shapes) == 1 else shapes,
        backend=backend(),
        trace_type=type(trace_error).__name__,
        trace_error=(str(trace_error).strip().splitlines() or [""])[0].rstrip("."),
    )
    try:
        explained = type(error)(f"{error}\n\n{explanation}")
    except Exception:  # noqa: BLE001 - an exception class with its own constructor: keep the original
        explained = error
    explained._kerasx_traced = True
    return explained


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
        with StatelessScope(), SymbolicScope():
            specs = active.core.output_specs(run, input_specs)
    finally:
        # Losses of a placeholder run hold engine placeholders (jax tracers, graph tensors): never real losses.
        layer._clear_losses()
    leaves = _tree.flatten(last_outputs[0])
    symbolic = [leaf if spec is None else KerasTensor(spec[0], spec[1]) for leaf, spec in zip(leaves, specs)]
    return _tree.pack_sequence_as(last_outputs[0], symbolic)
