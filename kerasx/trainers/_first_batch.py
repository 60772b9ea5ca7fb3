"""Building what training needs from the first batch, before any step runs, as Keras 3 does.

A model defined by subclassing, or a Sequential without an input shape, has no variables until it sees data; the
optimizer must be built for the variables it will update, and the compiled loss and metrics need the outputs'
names and shapes. All of that comes from one symbolic call of the model on the first batch's shapes (no engine
work), or, for a model whose `call` cannot run on symbolic tensors, from one eager call.
"""

from __future__ import annotations

from kerasx import ops
from kerasx.backend import _tree
from kerasx.layers import _call_context
from kerasx.trainers._structures import output_names_of
from kerasx.trainers.data import unpack_x_y_sample_weight


def _symbolic(value):
    if value is None:
        return None
    return ops.KerasTensor(tuple(value.shape), ops.dtype(value))


def _model_built(model) -> bool:
    return getattr(model, "built", False) and all(layer.built for layer in model._flatten_layers())


def _training_state_missing(model, mode) -> bool:
    """Whether the compiled loss, metrics or optimizer that the `mode` step uses are still to be built."""
    if mode == "predict" or not getattr(model, "compiled", False):
        return False
    if model._compile_loss is not None and not model._compile_loss.built:
        return True
    if model._compile_metrics is not None and not model._compile_metrics.built:
        return True
    return model.optimizer is not None and not model.optimizer.built


def needs_build(model, mode) -> bool:
    """Whether anything the `mode` step ("train", "test", "predict") uses is still to be created."""
    return not _model_built(model) or _training_state_missing(model, mode)


def _outputs(model, x, symbolic_only):
    """The model's outputs for `x`: symbolic where `call` allows it; else, unless `symbolic_only`, from an eager
    call (training=False: no moving statistics change). None when neither gives them."""
    try:
        with _call_context.call_scope(training=False, record_nodes=False):
            return model(_tree.map_structure(_symbolic, x), training=False)
    except Exception:  # noqa: BLE001 - an eager call raises the real error, with the engine's values
        if symbolic_only:
            return None
    return model(x, training=False)


def build_from_batch(model, mode, data) -> bool:
    """Builds the model, the compiled loss and metrics (when the batch has targets) and, for a compiled model, the
    optimizer, from the batch `data`. Returns True when everything the step uses exists afterwards (a sublayer
    that `call` never uses may stay unbuilt: the step does not need it)."""
    x, y, _ = unpack_x_y_sample_weight(data)
    y_pred = None
    if not _model_built(model):
        # A built model with an unbuilt sublayer gets no eager call: its step does not need that sublayer.
        y_pred = _outputs(model, x, symbolic_only=getattr(model, "built", False))
    compiled = getattr(model, "compiled", False)
    if compiled and mode != "predict" and y is not None:
        compile_loss, compile_metrics = model._compile_loss, model._compile_metrics
        loss_unbuilt = compile_loss is not None and not compile_loss.built
        if loss_unbuilt or (compile_metrics is not None and not compile_metrics.built):
            if y_pred is None:
                y_pred = _outputs(model, x, symbolic_only=True)
            if y_pred is not None:
                names = output_names_of(model, y_pred)
                if loss_unbuilt:
                    compile_loss.build(names)  # pyright: ignore[reportOptionalMemberAccess] - loss_unbuilt implies a loss
                if compile_metrics is not None and not compile_metrics.built:
                    losses = compile_loss.losses if compile_loss is not None else None
                    compile_metrics.build(names, y, y_pred, losses or [None] * len(names))
    if compiled and mode != "predict" and model.optimizer is not None and not model.optimizer.built:
        model.optimizer.build(model._step_trainable_variables())
    return getattr(model, "built", False) and not _training_state_missing(model, mode)
