"""Connectionist temporal classification: the CTC loss (forward algorithm in log space, over the engine's `scan`)
and CTC decoding (greedy, or beam search over label prefixes).

The loss follows Keras 3 (and optax): the state per label position is split into "just emitted the label" and
"in a blank after it", so that repeated labels need a blank between them; impossible transitions get a large
negative log-probability instead of -inf, which keeps gradients finite.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from kerasx.backend import _dtypes, active
from kerasx.ops._dispatch import dtype_of, op, shape_of, tensor
from kerasx.ops._keras_tensor import KerasTensor
from kerasx.ops._nn_ctc_beam import beam_search
from kerasx.ops._np_common import as_tensor
from kerasx.ops._types import Tensor, TensorLike

_np = active.numpy
_nn = active.nn
_core = active.core

_LOG_EPSILON = -1e5

BAD_CTC_SHAPES = (
    "`ctc_loss` needs target (batch, max_label_length) int, output (batch, max_time, num_classes), target_length "
    "and output_length (batch,). Received: target.shape={target}, output.shape={output}, "
    "target_length.shape={target_length}, output_length.shape={output_length}."
)
BAD_DECODE_SHAPES = (
    "`ctc_decode` needs inputs (batch, max_time, num_classes) and sequence_lengths (batch,). Received: "
    "inputs.shape={inputs}, sequence_lengths.shape={lengths}."
)
BAD_STRATEGY = "`strategy` must be \"greedy\" or \"beam_search\". Received: strategy={strategy!r}."
BEAM_NOT_TRACEABLE = (
    "`ctc_decode(strategy=\"beam_search\")` runs eagerly (its beam bookkeeping is data dependent); it cannot run "
    "inside a compiled function. Call it outside `jit`/`tf.function`/`torch.compile`, or use strategy=\"greedy\"."
)


def _ctc_loss_spec(target, output, target_length, output_length, mask_index=0) -> KerasTensor:
    shapes = [tuple(shape_of(t)) for t in (target, output, target_length, output_length)]
    if [len(s) for s in shapes] != [2, 3, 1, 1]:
        raise ValueError(BAD_CTC_SHAPES.format(target=shapes[0], output=shapes[1], target_length=shapes[2],
                                               output_length=shapes[3]))
    return KerasTensor((shapes[1][0],), _dtypes.result_type(dtype_of(output), "float32"))


def _paddings(lengths, max_length: int, dtype: str):
    """1.0 at positions at or beyond each length, shape (batch, max_length)."""
    positions = _np.expand_dims(_np.arange(0, max_length, 1, dtype="int32"), (0,))
    return tensor(_np.greater_equal(positions, _np.expand_dims(lengths, (1,))), dtype)


def _add_to_tail(phi, score):
    """`phi` with `score` log-added to every position but the first."""
    return _np.concatenate([phi[:, :1], _np.logaddexp(phi[:, 1:], score)], axis=1)


@op(_ctc_loss_spec)
def ctc_loss(target: TensorLike, output: TensorLike, target_length: TensorLike, output_length: TensorLike,
             mask_index: int = 0) -> Tensor:
    """CTC loss: minus the log-probability of each label sequence summed over all its alignments to the output.

    Args:
        target: integer labels, shape `(batch, max_label_length)`, padded beyond `target_length`.
        output: unnormalized scores (logits), shape `(batch, max_time, num_classes)`; a log-softmax is applied.
        target_length: the number of labels of each example, shape `(batch,)`.
        output_length: the number of valid time steps of each example, shape `(batch,)`.
        mask_index: the class index of the blank.

    Returns:
        The loss per example, shape `(batch,)`, in float32 (float64 for float64 outputs).

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> logits = np.zeros((1, 2, 3), "float32")  # uniform over {blank, 1, 2} at each of 2 steps
        >>> # Paths giving [1]: (1, 1), (blank, 1), (1, blank): 3 of 9.
        >>> round(float(ops.convert_to_numpy(ops.ctc_loss([[1]], logits, [1], [2]))[0]), 4)
        1.0986
    """
    spec = _ctc_loss_spec(target, output, target_length, output_length, mask_index)
    dtype = spec.dtype
    target = tensor(target, "int32")
    output = tensor(output, dtype)
    target_length, output_length = tensor(target_length, "int32"), tensor(output_length, "int32")
    batch, max_time, num_classes = shape_of(output)
    max_labels = shape_of(target)[1]
    logprobs = _nn.log_softmax(output, axis=-1)
    repeat = tensor(_np.equal(target[:, :-1], target[:, 1:]), dtype)
    repeat = _np.concatenate([repeat, _np.zeros((batch, 1), dtype=dtype)], axis=1)
    blank = _np.transpose(logprobs[:, :, mask_index:mask_index + 1], (1, 0, 2))
    emit = _np.einsum("btk,bnk->tbn", logprobs, _nn.one_hot(target, num_classes, -1, dtype))
    time_padding = _np.transpose(_paddings(output_length, max_time, dtype), (1, 0))
    one, epsilon = as_tensor(1.0, dtype), as_tensor(_LOG_EPSILON, dtype)
    phi = _np.concatenate(
        [_np.zeros((batch, 1), dtype=dtype), _np.full((batch, max_labels), epsilon, dtype=dtype)], axis=1
    )
    emitted = _np.full((batch, max_labels), epsilon, dtype=dtype)

    def step(carry, inputs):
        prev_phi, prev_emit = carry
        logprob_emit, logprob_blank, pad = inputs
        # Leaving an emitted label for the blank after it, unless the next label repeats it.
        phi_in = _add_to_tail(prev_phi, _np.add(prev_emit, _np.multiply(epsilon, repeat)))
        next_emit = _np.logaddexp(_np.add(phi_in[:, :-1], logprob_emit), _np.add(prev_emit, logprob_emit))
        next_phi = _np.add(phi_in, logprob_blank)
        next_phi = _add_to_tail(
            next_phi, _np.add(_np.add(prev_emit, logprob_blank), _np.multiply(epsilon, _np.subtract(one, repeat)))
        )
        pad = _np.reshape(pad, (batch, 1))
        keep = _np.subtract(one, pad)
        next_emit = _np.add(_np.multiply(pad, prev_emit), _np.multiply(keep, next_emit))
        next_phi = _np.add(_np.multiply(pad, prev_phi), _np.multiply(keep, next_phi))
        return (next_phi, next_emit), None

    (phi, emitted), _ = _core.scan(step, (phi, emitted), (emit, blank, time_padding))
    final = _add_to_tail(phi, emitted)
    label_lengths = _np.subtract(
        as_tensor(max_labels, "int32"),
        tensor(_np.sum(_paddings(target_length, max_labels, "int32"), axis=(1,)), "int32"),
    )
    pick = _nn.one_hot(label_lengths, max_labels + 1, -1, dtype)
    return _np.negative(_np.sum(_np.multiply(final, pick), axis=(1,)))


def _ctc_decode_spec(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1, merge_repeated=True,
                     mask_index=0):
    shape, lengths = tuple(shape_of(inputs)), tuple(shape_of(sequence_lengths))
    if len(shape) != 3 or len(lengths) != 1:
        raise ValueError(BAD_DECODE_SHAPES.format(inputs=shape, lengths=lengths))
    if strategy not in ("greedy", "beam_search"):
        raise ValueError(BAD_STRATEGY.format(strategy=strategy))
    paths = 1 if strategy == "greedy" else top_paths
    dtype = _dtypes.result_type(dtype_of(inputs), "float32")
    return KerasTensor((paths, shape[0], shape[1]), "int32"), KerasTensor((shape[0], paths), dtype)


def _greedy(inputs, lengths, merge_repeated, mask_index):
    batch, max_time, _ = shape_of(inputs)
    indices = tensor(_np.argmax(inputs, axis=2), "int32")
    scores = _np.max(inputs, axis=(2,))
    beyond = _np.greater_equal(_np.expand_dims(_np.arange(0, max_time, 1, dtype="int32"), (0,)),
                               _np.expand_dims(lengths, (1,)))
    blank = _np.full_like(indices, as_tensor(mask_index, "int32"))
    indices = _np.where(beyond, blank, indices)
    scores = _np.where(beyond, _np.zeros_like(scores), scores)
    if merge_repeated:
        repeats = _np.equal(indices[:, 1:], indices[:, :-1])
        repeats = _np.concatenate([_np.zeros((batch, 1), dtype="bool"), repeats], axis=1)
        indices = _np.where(repeats, blank, indices)
    dropped = _np.equal(indices, blank)
    indices = _np.where(dropped, _np.full_like(indices, as_tensor(-1, "int32")), indices)
    # Kept labels first, in time order, then the -1s.
    order = _np.broadcast_to(_np.arange(0, max_time, 1, dtype="int32"), (batch, max_time))
    order = _np.argsort(_np.where(dropped, _np.full_like(order, as_tensor(max_time, "int32")), order), axis=1)
    indices = _np.take_along_axis(indices, order, axis=1)
    total = _np.negative(_np.sum(scores, axis=(1,), keepdims=True))
    return _np.expand_dims(indices, (0,)), total


@op(_ctc_decode_spec)
def ctc_decode(inputs: TensorLike, sequence_lengths: TensorLike,
               strategy: Literal["greedy", "beam_search"] = "greedy", beam_width: int = 100, top_paths: int = 1,
               merge_repeated: bool = True, mask_index: int = 0) -> tuple[Tensor, Tensor]:
    """Decodes CTC outputs into label sequences.

    "greedy" takes the best class at each step, merges repeats (with `merge_repeated`) and drops blanks.
    "beam_search" keeps the `beam_width` most probable label prefixes (summing the probabilities of the
    alignments that give the same prefix) and returns the `top_paths` best; it runs eagerly.

    Args:
        inputs: scores, shape `(batch, max_time, num_classes)` (logits; beam search applies a log-softmax).
        sequence_lengths: valid time steps per example, shape `(batch,)`.
        strategy: "greedy" or "beam_search".
        beam_width: prefixes kept per step (beam search).
        top_paths: sequences returned per example (beam search; greedy returns 1).
        merge_repeated: merge repeated classes (greedy).
        mask_index: the class index of the blank.

    Returns:
        `(paths, scores)`: int32 labels of shape `(top_paths, batch, max_time)`, padded with -1, and scores of
        shape `(batch, top_paths)`: the negated sum of the best scores (greedy) or the log-probability of each
        sequence (beam search).

    Example:
        >>> import numpy as np
        >>> from kerasx import ops
        >>> logits = np.log(np.array([[[0.1, 0.8, 0.1], [0.1, 0.8, 0.1], [0.8, 0.1, 0.1], [0.1, 0.1, 0.8]]]))
        >>> paths, scores = ops.ctc_decode(logits.astype("float32"), [4])
        >>> ops.convert_to_numpy(paths)
        array([[[ 1,  2, -1, -1]]], dtype=int32)
    """
    spec = _ctc_decode_spec(inputs, sequence_lengths, strategy, beam_width, top_paths, merge_repeated, mask_index)
    inputs = tensor(inputs, spec[1].dtype)
    lengths = tensor(sequence_lengths, "int32")
    if strategy == "greedy":
        return _greedy(inputs, lengths, bool(merge_repeated), int(mask_index))
    if _core.is_traced(inputs):
        raise ValueError(BEAM_NOT_TRACEABLE)
    paths, scores = beam_search(
        np.asarray(_core.convert_to_numpy(_nn.log_softmax(inputs, axis=-1))),
        np.asarray(_core.convert_to_numpy(lengths)), int(beam_width), int(top_paths), int(mask_index),
    )
    return tensor(paths, "int32"), tensor(scores, spec[1].dtype)


__all__ = ["ctc_decode", "ctc_loss"]
