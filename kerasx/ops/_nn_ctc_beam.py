"""CTC beam search on NumPy arrays (the eager part of `ctc_decode(strategy="beam_search")`).

Each beam entry is a label path (padded with -1) whose last step was either an emitted label or a blank;
extending every entry by every class, merging equal paths by summing their probabilities (in log space) and
keeping the best `beam_width` paths of each kind is the algorithm of Keras 3's JAX backend, which this follows
step for step (ties included) so that the decoded paths and scores agree.
"""

from __future__ import annotations

import numpy as np

_PAD = -1


def _merge(inverse, scores):
    """Per distinct path, the log of the summed probabilities of its entries."""
    peak = np.max(scores)
    merged = np.zeros_like(scores)
    with np.errstate(invalid="ignore", over="ignore"):
        np.add.at(merged, inverse, np.exp(scores - peak))
    with np.errstate(divide="ignore"):
        return np.log(merged) + peak


def _unique_rows(paths):
    """Distinct rows in ascending lexicographic order, padded with -1 rows to the input length, and the inverse."""
    rows, inverse = np.unique(paths, axis=0, return_inverse=True)
    padded = np.full_like(paths, _PAD)
    padded[: len(rows)] = rows
    return padded, inverse.reshape(-1)


def _extend(paths, scores, masked, step_scores, num_classes, blank):
    paths = np.repeat(paths, num_classes, axis=0)
    scores = np.repeat(scores, num_classes)
    previous_masked = np.repeat(masked, num_classes)
    rows = np.arange(len(paths))
    tail_index = np.argmax(paths == _PAD, axis=1)
    tails = np.where(tail_index == 0, _PAD, paths[rows, tail_index - 1])
    classes = np.arange(num_classes)
    classes[blank] = _PAD
    classes = np.tile(classes, len(paths) // num_classes)
    masked = classes == _PAD
    repeated = ~previous_masked & (tails == classes)
    classes = np.where(repeated, _PAD, classes)
    paths = paths.copy()
    paths[rows, tail_index] = classes
    return paths, scores + np.tile(step_scores, len(paths) // num_classes), masked


def _prune(paths, scores, masked, beam_width):
    paths, inverse = _unique_rows(paths)
    emit = _merge(inverse, np.where(masked, -np.inf, scores))
    blank = _merge(inverse, np.where(masked, scores, -np.inf))
    top = np.argsort(np.logaddexp(emit, blank), kind="stable")[-beam_width:]
    paths = np.tile(paths[top], (2, 1))
    scores = np.concatenate([emit[top], blank[top]])
    masked = np.concatenate([np.zeros(beam_width, bool), np.ones(beam_width, bool)])
    return paths, scores, masked


def _decode_one(logprobs, length, beam_width, top_paths, blank):
    max_time, num_classes = logprobs.shape
    paths = np.full((2 * beam_width, max_time), _PAD, dtype=np.int32)
    first = min(num_classes, beam_width)
    best = np.argsort(logprobs[0], kind="stable")[-first:]
    paths[:first, 0] = np.where(best == blank, _PAD, best)
    scores = np.full(2 * beam_width, -np.inf, dtype=logprobs.dtype)
    scores[:first] = logprobs[0][best]
    masked = paths[:, 0] == _PAD
    for t in range(1, max_time):
        if t >= length:
            continue
        paths, scores, masked = _extend(paths, scores, masked, logprobs[t], num_classes, blank)
        paths, scores, masked = _prune(paths, scores, masked, beam_width)
    unique, inverse = _unique_rows(paths)
    merged = _merge(inverse, scores)
    top = np.argsort(merged, kind="stable")[-top_paths:][::-1]
    return unique[top], merged[top]


def beam_search(logprobs, lengths, beam_width, top_paths, blank):
    """`(paths (top_paths, batch, max_time) int32, scores (batch, top_paths))` of log-softmax `logprobs`."""
    num_classes = logprobs.shape[-1]
    # Keras flips the class axis so that ties break towards higher class indices, as TensorFlow's decoder does.
    flipped = np.flip(logprobs, axis=2)
    flipped_blank = num_classes - blank - 1
    results = [
        _decode_one(flipped[b], int(lengths[b]), beam_width, top_paths, flipped_blank) for b in range(len(logprobs))
    ]
    paths = np.stack([p for p, _ in results])
    scores = np.stack([s for _, s in results])
    paths = np.where(paths == _PAD, _PAD, num_classes - paths - 1).astype(np.int32)
    return np.transpose(paths, (1, 0, 2)), scores
