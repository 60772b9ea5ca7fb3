"""Connectionist temporal classification (CTC): the negative log-probability of a label sequence, summed over
every alignment of it to the frames of the prediction (blank = class 0)."""

from __future__ import annotations

import numpy as np

from kerasx import backend, ops
from kerasx.losses._loss import LossFunctionWrapper

BAD_CTC_TARGETS = (
    "CTC: targets `y_true` must be integer labels of shape (batch_size, max_label_length), padded with 0 (the "
    "blank class). Received: y_true.shape={shape}."
)
BAD_CTC_LOGITS = (
    "CTC: predictions `y_pred` must be logits of shape (batch_size, num_frames, num_classes) with a known number of "
    "frames. Received: y_pred.shape={shape}."
)

# Stands for log(0): finite, so that impossible paths add nothing and leave no NaN in the gradients.
_LOG_ZERO = -1e30


def _logsumexp(values: list, axis=None):
    stacked = ops.stack(values, axis=0) if axis is None else values
    axis = 0 if axis is None else axis
    peak = ops.max(stacked, axis=axis, keepdims=True)
    total = ops.log(ops.sum(ops.exp(ops.subtract(stacked, peak)), axis=axis))
    return ops.add(total, ops.squeeze(peak, axis))


def _shift_right(values, steps: int):
    """`values[:, s - steps]`, with log(0) where `s < steps`."""
    padded = ops.pad(values, ((0, 0), (steps, 0)), constant_values=_LOG_ZERO)
    return padded[:, : ops.shape(values)[1]]


def ctc_log_likelihood(labels, log_probs, label_length, frame_length):
    """Per sample `log p(labels | frames)` by the forward recursion over the blank-interleaved labels.

    `labels` `(batch, max_length)` int32, `log_probs` `(batch, num_frames, num_classes)` log-softmax values,
    `label_length` and `frame_length` `(batch,)`: frames from `frame_length` on are not read.
    """
    batch_size, max_length = ops.shape(labels)
    num_frames = ops.shape(log_probs)[1]
    blanks = ops.zeros_like(labels)
    # blank, l1, blank, l2, ..., blank: (batch, 2 * max_length + 1)
    extended = ops.reshape(ops.stack([blanks, labels], axis=-1), (batch_size, 2 * max_length))  # pyright: ignore[reportOperatorIssue] - static sizes
    extended = ops.pad(extended, ((0, 0), (0, 1)))
    num_states = 2 * max_length + 1  # pyright: ignore[reportOperatorIssue]
    indices = ops.broadcast_to(ops.expand_dims(extended, 1), (batch_size, num_frames, num_states))
    emissions = ops.take_along_axis(log_probs, indices, axis=2)
    # A label may be reached from two states back unless it is a blank or repeats the label before it.
    two_back = ops.pad(extended, ((0, 0), (2, 0)), constant_values=-1)[:, :num_states]
    may_skip = ops.logical_and(ops.not_equal(extended, 0), ops.not_equal(extended, two_back))
    first_states = ops.convert_to_tensor(np.arange(num_states) < 2)
    alpha = ops.where(first_states, emissions[:, 0], _LOG_ZERO)
    frame_length = ops.expand_dims(ops.cast(frame_length, "int32"), 1)
    for t in range(1, num_frames):  # pyright: ignore[reportArgumentType]
        skipped = ops.where(may_skip, _shift_right(alpha, 2), _LOG_ZERO)
        step = ops.add(_logsumexp([alpha, _shift_right(alpha, 1), skipped]), emissions[:, t])
        alpha = ops.where(ops.less(t, frame_length), step, alpha)
    # The path ends on the last label or on the blank after it.
    last = ops.expand_dims(2 * ops.cast(label_length, "int32"), 1)
    states = ops.expand_dims(ops.arange(num_states, dtype="int32"), 0)
    ends = ops.logical_or(ops.equal(states, last), ops.equal(states, ops.subtract(last, 1)))
    return _logsumexp(ops.where(ends, alpha, _LOG_ZERO), axis=1)


def ctc(y_true, y_pred):
    """CTC loss per sample: `-log p(y_true | y_pred)` over all alignments of the labels to the frames.

    `y_true`: integer labels `(batch_size, max_label_length)`, padded with 0, which is also the blank class.
    `y_pred`: logits `(batch_size, num_frames, num_classes)` (a softmax is applied inside); every frame counts.

    Example:

    >>> import numpy as np
    >>> from kerasx import losses
    >>> logits = np.log(np.array([[[0.5, 0.5], [0.5, 0.5]]]))
    >>> [round(float(v), 6) for v in losses.ctc(np.array([[1]]), logits)]  # 3 of 4 paths spell "1"
    [0.287682]
    """
    y_pred = ops.convert_to_tensor(y_pred)
    if not backend.is_float(ops.dtype(y_pred)):
        y_pred = ops.cast(y_pred, backend.floatx())
    true_shape, pred_shape = tuple(ops.shape(y_true)), tuple(ops.shape(y_pred))
    if len(true_shape) != 2:
        raise ValueError(BAD_CTC_TARGETS.format(shape=true_shape))
    if len(pred_shape) != 3 or not isinstance(pred_shape[1], int):
        raise ValueError(BAD_CTC_LOGITS.format(shape=pred_shape))
    labels = ops.cast(y_true, "int32")
    label_length = ops.sum(ops.cast(ops.not_equal(labels, 0), "int32"), axis=-1)
    frame_length = ops.full(ops.shape(labels)[:1], pred_shape[1], dtype="int32")
    log_probs = ops.log_softmax(y_pred, axis=-1)
    return ops.negative(ctc_log_likelihood(labels, log_probs, label_length, frame_length))


class CTC(LossFunctionWrapper):
    """Connectionist temporal classification loss for unaligned label sequences (see `ctc`).

    Example:

    >>> import numpy as np
    >>> from kerasx import losses
    >>> logits = np.log(np.array([[[0.5, 0.5], [0.5, 0.5]]]))
    >>> round(float(losses.CTC()(np.array([[1]]), logits)), 6)
    0.287682
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, reduction=reduction, name=name, dtype=dtype)
