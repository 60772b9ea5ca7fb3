"""How a layer created inside a `RematScope` runs on data: the function to call instead of `layer.call`.

A rematerialized call runs twice, once forward and once more in the backward pass. `remat` already makes the
recomputation read the forward pass's variable values (the same dropout mask, the same batch statistics) and
assigns once; a layer's losses are the rest of its state, so they leave the rematerialized run as results too.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from kerasx import ops
from kerasx.backend import _tree, active
from kerasx.backend._remat import remat
from kerasx.backend._symbolic_scope import in_symbolic_scope
from kerasx.ops import KerasTensor


def rematerialized_call(layer, args, kwargs, call=None):
    """`call` (default `layer.call`), rematerialized as the layer's scope (`layer._remat_mode`) says for these
    arguments."""
    scope = layer._remat_mode
    call = layer.call if call is None else call
    if in_symbolic_scope():
        return call  # a run that only finds shapes (engine placeholders) computes no gradients
    if scope.mode == "full" or (scope.mode == "list_of_layers" and layer.name in scope.layer_names):
        return functools.partial(_stateful_remat, layer, call)
    if scope.mode == "activations":
        return _with_rematerialized_activation(layer, call)
    if scope.mode == "larger_than" and _output_size(layer, args, kwargs) > scope.output_size_threshold:
        return functools.partial(_stateful_remat, layer, call)
    return call


def _stateful_remat(layer, call, *args, **kwargs):
    sublayers = layer._flatten_layers()
    owners = []  # which sublayer added each loss of the latest run

    def call_returning_losses(*call_args, **call_kwargs):
        # Losses added inside the rematerialized run leave it as results (a jax tracer of the checkpointed trace
        # must not stay in a layer), and are added again outside, once.
        saved = [(sub, sub._losses, list(sub._losses), sub._losses_call) for sub in sublayers]
        outputs = call(*call_args, **call_kwargs)
        added = []
        for index, (sub, before, copy, call_number) in enumerate(saved):
            # `add_loss` starts a new list when the call number changed (a recomputation in the backward pass).
            new = sub._losses if sub._losses is not before else sub._losses[len(copy):]
            added += [(index, loss) for loss in new]
            object.__setattr__(sub, "_losses", copy)
            object.__setattr__(sub, "_losses_call", call_number)
        owners[:] = [index for index, _ in added]
        return outputs, [loss for _, loss in added]

    outputs, losses = remat(call_returning_losses)(*args, **kwargs)
    for owner, loss in zip(owners, losses):
        sublayers[owner].add_loss(loss)
    return outputs


def _with_rematerialized_activation(layer, call):
    activation = getattr(layer, "activation", None)
    if activation is None:
        return call

    @functools.wraps(call)
    def call_with_rematerialized_activation(*args, **kwargs):
        layer.activation = remat(activation)
        try:
            return call(*args, **kwargs)
        finally:
            layer.activation = activation

    return call_with_rematerialized_activation


def _output_size(layer, args, kwargs) -> int:
    """How many values the outputs of this call hold (found symbolically, without running the layer)."""

    def spec(x):
        # Engine tensors, and the NumPy arrays a model hands on unconverted.
        if active.core.is_tensor(x) or isinstance(x, np.ndarray):
            return KerasTensor(tuple(x.shape), ops.dtype(x))
        return x

    outputs = layer.compute_output_spec(*_tree.map_structure(spec, args), **_tree.map_structure(spec, kwargs))
    return sum(
        math.prod(d or 1 for d in x.shape) for x in _tree.flatten(outputs) if isinstance(x, KerasTensor)
    )
