"""`Progbar`, a text progress bar with ETA and metric values, and `ProgbarLogger`, the callback that drives it."""

from __future__ import annotations

import math
import sys
import time

from kerasx.backend import _console
from kerasx.callbacks._callback import Callback

BAD_VERBOSE = "Invalid value for argument verbose: expected 0, 1 or 2. Received: verbose={value!r}."
BAD_TARGET = "Invalid value for argument target: expected None or a positive integer. Received: target={value!r}."

_FILLED = "━"
_EMPTY_PLAIN = "─"
# On a terminal both parts of the bar use the heavy line, told apart by colour (green done, grey to go).
_GREEN, _GREY, _RESET = "\x1b[32m", "\x1b[37m", "\x1b[0m"


def _now() -> float:
    return time.monotonic()


def _is_interactive(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) or "ipykernel" in sys.modules


def format_duration(seconds: float) -> str:
    """`7s`, `2:05` or `1:02:05`: the ETA and elapsed-time format."""
    seconds = max(seconds, 0.0)
    if seconds < 60:
        return f"{seconds:.0f}s"
    minutes, whole_seconds = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes}:{whole_seconds:02d}"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{whole_seconds:02d}"


def format_rate(seconds_per_unit: float, unit_name: str) -> str:
    """`2s/step`, `20ms/step` or `350us/step`."""
    if seconds_per_unit >= 1:
        return f"{seconds_per_unit:.0f}s/{unit_name}"
    if seconds_per_unit >= 1e-3:
        return f"{seconds_per_unit * 1e3:.0f}ms/{unit_name}"
    return f"{seconds_per_unit * 1e6:.0f}us/{unit_name}"


def format_value(value) -> str:
    """Four decimals, or four significant digits in scientific notation below 1e-3; non-numbers as `str`."""
    if isinstance(value, (str, bool)):
        return str(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number == 0 or abs(number) > 1e-3 or not math.isfinite(number):
        return f"{number:.4f}"
    return f"{number:.4e}"


class Progbar:
    """A progress bar printed to stdout.

    verbose=1 draws `12/50 ━━━━━━━━──────────── 1s 20ms/step - loss: 0.3412` with the ETA while running and the
    elapsed time once finished; on a terminal (or in Jupyter) the line is redrawn in place, at most every `interval`
    seconds, elsewhere each redraw is a new line. verbose=2 prints one line when finished:
    `50/50 - 1s - 20ms/step - loss: 0.3412`. verbose=0 prints nothing.

    Values passed to `update` are averaged over the steps they cover, except names in `stateful_metrics`, which are
    shown as given (use it for values that are already running means). The time per step ignores the first step,
    which usually includes compilation.

    Args:
        target: total number of steps, or None when unknown (the bar then shows `12/Unknown`).
        width: bar width in characters.
        verbose: 0, 1 or 2.
        interval: minimum seconds between two redraws with verbose=1.
        stateful_metrics: names whose values are shown as given instead of averaged.
        unit_name: the step unit in the rate (`ms/step`).

    Example:
        >>> import kerasx
        >>> bar = kerasx.callbacks.Progbar(target=3, verbose=2)
        >>> for step, loss in enumerate([0.75, 0.5, 0.25]):
        ...     bar.update(step + 1, values=[("loss", loss)])  # doctest: +ELLIPSIS
        3/3 - ... - loss: 0.5000
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None, unit_name="step"):
        if target is not None and (isinstance(target, bool) or not isinstance(target, int) or target < 1):
            raise ValueError(BAD_TARGET.format(value=target))
        if verbose not in (0, 1, 2):
            raise ValueError(BAD_VERBOSE.format(value=verbose))
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.stateful_metrics = set(stateful_metrics or ())
        self.unit_name = unit_name
        self._dynamic_display = _is_interactive(sys.stdout)
        self._values: dict = {}
        self._seen_so_far = 0
        self._start = _now()
        self._first_step = 0
        self._first_step_time = None
        self._last_update = None
        self._previous_width = 0

    def update(self, current: int, values=None, finalize=None) -> None:
        """Moves the bar to step `current` with `values`, a list of `(name, value)` pairs.

        `finalize` (default: `current >= target`) ends the line.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._record(current, values or ())
        now = _now()
        if self._first_step_time is None and current >= 1:
            self._first_step_time = now
            self._first_step = current
        self._seen_so_far = current
        if self.verbose == 1:
            if not finalize and self._last_update is not None and now - self._last_update < self.interval:
                return
            self._last_update = now
            self._write(self._bar_line(current, now, finalize), finalize)
        elif self.verbose == 2 and finalize:
            self._write(self._summary_line(current, now), finalize=True)

    def add(self, n: int, values=None) -> None:
        """Advances the bar by `n` steps."""
        self.update(self._seen_so_far + n, values)

    def _record(self, current: int, values) -> None:
        steps = max(current - self._seen_so_far, 1)
        for name, value in values:
            if name in self.stateful_metrics:
                self._values[name] = value
                continue
            total, count = self._values.get(name, (0.0, 0))
            self._values[name] = (total + value * steps, count + steps)

    def _seconds_per_step(self, current: int, now: float) -> float:
        if self._first_step_time is not None and current > self._first_step:
            return (now - self._first_step_time) / (current - self._first_step)
        return (now - self._start) / max(current, 1)

    def _metrics_text(self) -> str:
        parts = []
        for name, value in self._values.items():
            if isinstance(value, tuple) and name not in self.stateful_metrics:
                value = value[0] / max(value[1], 1)
            parts.append(f" - {name}: {format_value(value)}")
        return "".join(parts)

    def _bar_line(self, current: int, now: float, finalize: bool):
        """The verbose=1 line and its printed width (colour codes take no room)."""
        rate = format_rate(self._seconds_per_step(current, now), self.unit_name) if current else ""
        if self.target is None:
            head = f"{current:7d}/Unknown {format_duration(now - self._start)}"
            line = f"{head} {rate}{self._metrics_text()}"
            return line, len(line)
        digits = len(str(self.target))
        filled = min(int(self.width * current / self.target), self.width)
        done, to_go = _FILLED * filled, (_FILLED if self._dynamic_display else _EMPTY_PLAIN) * (self.width - filled)
        if finalize:
            timing = format_duration(now - self._start)
        else:
            timing = format_duration(self._seconds_per_step(current, now) * (self.target - current))
        tail = f" {timing} {rate}{self._metrics_text()}"
        count = f"{current:{digits}d}/{self.target} "
        plain = count + done + to_go + tail
        if not self._dynamic_display:
            return plain, len(plain)
        return f"{count}{_GREEN}{done}{_RESET}{_GREY}{to_go}{_RESET}{tail}", len(plain)

    def _summary_line(self, current: int, now: float):
        target = self.target if self.target is not None else current
        rate = format_rate(self._seconds_per_step(current, now), self.unit_name)
        line = f"{current:{len(str(target))}d}/{target} - {format_duration(now - self._start)} - {rate}"
        line += self._metrics_text()
        return line, len(line)

    def _write(self, line_and_width, finalize: bool) -> None:
        line, width = line_and_width
        if self.verbose == 1 and self._dynamic_display:
            # Spaces erase the end of a longer previous line; "\x1b[K" would not work in Jupyter.
            text = f"\r{line}{' ' * max(self._previous_width - width, 0)}" + ("\n" if finalize else "")
            self._previous_width = width
        else:
            text = line + "\n"
        # stdout, or Python's `logging` after `kerasx.config.disable_interactive_logging()`.
        _console.write(text)


class ProgbarLogger(Callback):
    """Prints progress to stdout: a progress bar (verbose=1) or one line per epoch (verbose=2).

    Added by `fit`, `evaluate` and `predict` when `verbose != 0`; reads `verbose`, `epochs` and `steps` from the
    params. With `steps=None` (a generator of unknown length) the first epoch shows a step counter and later
    epochs use the number of steps the first one had. Evaluation run as validation inside `fit` is not shown.

    Example:
        >>> import kerasx
        >>> logger = kerasx.callbacks.ProgbarLogger()
        >>> logger.set_params({"verbose": 2, "epochs": 2, "steps": 10})
        >>> logger.on_train_begin()
        >>> for epoch, loss in enumerate([0.5, 0.25]):
        ...     logger.on_epoch_begin(epoch)
        ...     logger.on_epoch_end(epoch, {"loss": loss})  # doctest: +ELLIPSIS
        Epoch 1/2
        10/10 - ... - loss: 0.5000
        Epoch 2/2
        10/10 - ... - loss: 0.2500
    """

    def __init__(self):
        super().__init__()
        self.verbose = 1
        self.epochs = 1
        self.target = None
        self.seen = 0
        self.progbar: Progbar | None = None
        self._called_in_fit = False

    def set_params(self, params: dict) -> None:
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        if self.verbose not in (0, 1, 2):
            raise ValueError(BAD_VERBOSE.format(value=verbose))
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def _wants(self, hook: str) -> bool:
        if not self.verbose or hook.endswith("batch_begin"):
            return False
        if hook.endswith("batch_end"):
            # verbose=2 prints only at the end; it counts steps per batch only when it cannot know them.
            return self.verbose == 1 or self.target is None
        return super()._wants(hook)

    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_train_end(self, logs=None):
        self._called_in_fit = False

    def on_epoch_begin(self, epoch, logs=None):
        self._start_progbar()
        if self.verbose and self.epochs > 1:
            _console.print_line(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch, logs=None):
        self._update(batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._finalize(logs)

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._start_progbar()

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update(batch, logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finalize(logs)

    def on_predict_begin(self, logs=None):
        self._start_progbar()

    def on_predict_batch_end(self, batch, logs=None):
        # Predict logs hold the batch outputs, which are no metric to print.
        self._update(batch, None)

    def on_predict_end(self, logs=None):
        self._finalize(None)

    def _start_progbar(self) -> Progbar:
        self.seen = 0
        self.progbar = Progbar(self.target, verbose=self.verbose)
        return self.progbar

    def _update(self, batch: int, logs) -> None:
        progbar = self._start_progbar() if self.progbar is None else self.progbar
        self.seen = batch + 1
        if self.verbose == 1:
            self._show(progbar, self.seen, logs, finalize=False)

    def _finalize(self, logs) -> None:
        progbar = self._start_progbar() if self.progbar is None else self.progbar
        if self.target is None and self.seen:
            self.target = self.seen
            progbar.target = self.seen
        self._show(progbar, self.target or self.seen, logs, finalize=True)

    def _show(self, progbar: Progbar, current: int, logs, finalize: bool) -> None:
        logs = logs or {}
        # The trainer's logs are running means already: shown as given, not averaged again.
        progbar.stateful_metrics.update(logs)
        progbar.update(current, list(logs.items()), finalize=finalize)
