"""What the bench measures inside a run: a callback that times every `fit` step, and wrappers that attach it to
`fit` and time `predict`, installed on kerasx's `Model` in the bench's worker process only.

The callback overrides only `on_train_batch_end` and `on_train_end`, so `CallbackList` calls nothing else per step,
and it reads no logs (reading them would wait for the device each step). It costs one `perf_counter` and one list
append per step: about 0.3 us against a 0.3 ms step of the small MLP (`benchmarks/bench_callback_overhead.py`).
"""

from __future__ import annotations

import functools
import inspect
import time

import numpy as np

from kerasx import tree
from kerasx.callbacks import Callback
from kerasx.models import Model


class StepTimer(Callback):
    """Records when each training step of one `fit` call ends, and the logs `fit` ends with.

    Steps per second leave out the first step, which traces and compiles: `(steps - 1) / (end - first_step_end)`,
    where `end` is when `fit` hands over its final logs (the device has finished by then).

    Example:
    >>> timer = StepTimer(started=0.0)
    >>> timer.on_train_batch_end(0)
    >>> timer.on_train_batch_end(1)
    >>> timer.on_train_end({"loss": 0.5})
    >>> timer.result()["steps"], timer.result()["final_logs"]
    (2, {'loss': 0.5})
    """

    def __init__(self, started: float):
        super().__init__()
        self.started = started
        self.step_ends: list = []
        self.ended = None
        self.final_logs: dict = {}

    def on_train_batch_end(self, batch, logs=None):
        self.step_ends.append(time.perf_counter())

    def on_train_end(self, logs=None):
        self.ended = time.perf_counter()
        self.final_logs = {key: float(value) for key, value in (logs or {}).items() if np.ndim(value) == 0}

    def result(self, samples_per_step: float | None = None) -> dict:
        """The call's numbers: steps, seconds to the first step's end, steps/s and samples/s after it."""
        steps = len(self.step_ends)
        first_step_s = self.step_ends[0] - self.started if steps else None
        steps_per_s = None
        if steps > 1 and self.ended is not None and self.ended > self.step_ends[0]:
            steps_per_s = (steps - 1) / (self.ended - self.step_ends[0])
        samples_per_s = steps_per_s * samples_per_step if steps_per_s and samples_per_step else None
        return {
            "steps": steps, "first_step_s": first_step_s, "steps_per_s": steps_per_s, "samples_per_s": samples_per_s,
            "final_logs": self.final_logs,
        }


def num_samples(x) -> int | None:
    """The number of samples in array-like `x` (the first leaf's length); None for datasets and generators."""
    if x is None:
        return None
    leaves = tree.flatten(x) if isinstance(x, (list, tuple, dict)) else [x]
    shape = getattr(leaves[0], "shape", None) if leaves else None
    return int(shape[0]) if shape else None


class Recorder:
    """Everything measured in one process: a result per `fit` and `predict` call, in call order.

    Example:
    >>> recorder = Recorder()
    >>> recorder.fit_calls, recorder.predict_calls
    ([], [])
    """

    def __init__(self):
        self.fit_calls: list = []
        self.predict_calls: list = []
        self.last_predict: tuple | None = None  # (model, x, batch_size, outputs) of the latest predict call

    def timed_fit(self, fit):
        signature = inspect.signature(fit)

        @functools.wraps(fit)
        def wrapper(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            timer = StepTimer(started=time.perf_counter())
            bound.arguments["callbacks"] = [*(bound.arguments["callbacks"] or []), timer]
            history = fit(*bound.args, **bound.kwargs)
            steps_per_epoch = (timer.params or {}).get("steps")
            samples = num_samples(bound.arguments["x"])
            per_step = samples / steps_per_epoch if samples and steps_per_epoch else None
            self.fit_calls.append(timer.result(per_step))
            return history

        return wrapper

    def timed_predict(self, predict):
        signature = inspect.signature(predict)

        @functools.wraps(predict)
        def wrapper(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            started = time.perf_counter()
            outputs = predict(*args, **kwargs)
            x = bound.arguments["x"]
            self.predict_calls.append({"seconds": time.perf_counter() - started, "samples": num_samples(x)})
            self.last_predict = (bound.arguments["self"], x, bound.arguments["batch_size"], outputs)
            return outputs

        return wrapper

    def timed_compile(self, compile_method, jit_compile):
        @functools.wraps(compile_method)
        def wrapper(model, *args, **kwargs):
            kwargs["jit_compile"] = jit_compile
            return compile_method(model, *args, **kwargs)

        return wrapper

    def install(self, jit_compile=None) -> None:
        """Wraps `Model.fit` and `Model.predict` (and `compile`, to force `jit_compile` when given) in this
        process, for every model class."""
        wrapped = {"fit": self.timed_fit(Model.fit), "predict": self.timed_predict(Model.predict)}
        if jit_compile is not None:
            wrapped["compile"] = self.timed_compile(Model.compile, jit_compile)
        for name, method in wrapped.items():
            setattr(Model, name, method)
