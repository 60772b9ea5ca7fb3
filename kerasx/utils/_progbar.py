"""`Progbar` as Keras 3's `keras.utils.Progbar`: the bar `fit` draws, with Keras's choice of averaged metrics.

The drawing is `kerasx.callbacks`' progress bar; what differs is which values are averaged: all of them, except
`stateful_metrics` (or only `stateless_metrics`), and a finalizing update shows the values it is given.
"""

from __future__ import annotations

import numpy as np

from kerasx.callbacks import _progbar

BOTH_METRIC_LISTS = (
    "Only one of `stateful_metrics` or `stateless_metrics` can be provided: `stateful_metrics` lists the values "
    "shown as given (the others are averaged), `stateless_metrics` the values averaged (the others are shown as "
    "given). Received: stateful_metrics={stateful!r}, stateless_metrics={stateless!r}."
)


class Progbar(_progbar.Progbar):
    """A progress bar printed to stdout, with values averaged over the steps they were reported for.

    Args:
        target: total number of steps, or None when unknown.
        width: bar width in characters.
        verbose: 0 (silent), 1 (bar redrawn in place) or 2 (one line when finished).
        interval: minimum seconds between two redraws with verbose=1.
        stateful_metrics: names of values shown as given; all others are averaged. Exclusive with
            `stateless_metrics`.
        stateless_metrics: names of values averaged; all others are shown as given.
        unit_name: the step unit in the rate (`ms/step`).

    Example:

    >>> from kerasx import utils
    >>> bar = utils.Progbar(target=4, verbose=2)
    >>> bar.update(2, values=[("loss", 1.0)])
    >>> bar.add(2, values=[("loss", 0.5)])  # doctest: +ELLIPSIS
    4/4 - ...s - ...step - loss: 0.5000
    """

    def __init__(self, target, width: int = 20, verbose: int = 1, interval: float = 0.05, stateful_metrics=None,
                 stateless_metrics=None, unit_name: str = "step"):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(BOTH_METRIC_LISTS.format(stateful=stateful_metrics, stateless=stateless_metrics))
        super().__init__(target, width, verbose, interval, stateful_metrics, unit_name)
        self.stateless_metrics = None if stateless_metrics is None else set(stateless_metrics)
        if self.stateless_metrics is not None:
            self.stateful_metrics = None
        self._finalizing = False

    def update(self, current: int, values=None, finalize: bool | None = None) -> None:
        """Moves the bar to step `current`.

        Args:
            current: the step reached.
            values: `(name, value)` pairs for this update (averaged over the steps since the previous update
                unless the name is stateful).
            finalize: whether this is the last update; by default `current >= target`.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._finalizing = finalize
        super().update(current, values, finalize)

    def _averaged(self, name: str) -> bool:
        if self.stateful_metrics is not None:
            return name not in self.stateful_metrics
        return self.stateless_metrics is not None and name in self.stateless_metrics

    def _record(self, current: int, values) -> None:
        steps = max(current - self._seen_so_far, 1)
        for name, value in values:
            if not self._averaged(name) or self._finalizing:
                self._values[name] = (value, 1)
                continue
            total, count = self._values.get(name, (0.0, 0))
            self._values[name] = (total + value * steps, count + steps)

    def _metrics_text(self) -> str:
        parts = []
        for name, (total, count) in self._values.items():
            mean = (total if isinstance(total, float) else float(np.mean(total))) / max(count, 1)
            parts.append(f" - {name}: {mean:.4f}" if abs(mean) > 1e-3 else f" - {name}: {mean:.4e}")
        return "".join(parts)
