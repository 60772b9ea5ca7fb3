"""Approximate quantiles over batches, as Keras 3's `Discretization.adapt` computes them.

A summary is a `(2, n)` float32 array: sorted values and the weight (number of samples) each stands for. Each batch
is summarized by every `len / (1 / epsilon)`-th sorted value; summaries merge by sorting their columns together and
are compressed back to `1 / epsilon` columns by interpolating the cumulative weights. Bin boundaries are the
compression to `num_bins` columns, less the last. Keeping Keras's exact steps (including its float32 casts) gives
the same boundaries to the last bit.
"""

from __future__ import annotations

import numpy as np


def empty_summary() -> np.ndarray:
    return np.zeros((2, 0), dtype="float32")


def summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    ordered = np.sort(np.reshape(values, [-1]))
    step = max(ordered.size / (1.0 / epsilon), 1)
    picked = ordered[int(step - 1)::int(step)]
    return np.stack([picked, np.ones_like(picked) * step])


def compress(summary: np.ndarray, epsilon: float) -> np.ndarray:
    if summary.shape[1] * epsilon < 1:
        return summary
    targets = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    fractions = cumulative / cumulative[-1]
    values = np.interp(targets, fractions, summary[0])
    cumulative = np.interp(targets, fractions, cumulative)
    weights = np.diff(cumulative, prepend=0.0)
    return np.stack((values, weights)).astype("float32")


def merge(first: np.ndarray, second: np.ndarray, epsilon: float) -> np.ndarray:
    merged = np.concatenate((first, second), axis=1)
    return compress(np.take(merged, np.argsort(merged[0]), axis=1), epsilon)


def bin_boundaries(summary: np.ndarray, num_bins: int) -> list:
    return compress(summary, 1.0 / num_bins)[0, :-1].tolist()
