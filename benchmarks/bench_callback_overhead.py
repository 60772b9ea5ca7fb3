"""What the bench's step timer (`python -m kerasx bench`) costs a training step, on the MLP workload.

    KERAS_BACKEND=torch python benchmarks/bench_callback_overhead.py [--steps 50] [--repeats 7]

Two measures: (1) the hook itself, `CallbackList.on_train_batch_end` with the timer against an empty list, over
100,000 calls (what the timer adds to each step, free of the step's own noise); (2) `fit` over the same batches
with and without the timer, alternating, median steps/s of each (the whole effect, within the machine's noise).
Both are printed as a fraction of the MLP's median step time.
"""

from __future__ import annotations

import argparse
import statistics
import time

import _workloads
import kerasx
from kerasx._bench._timing import StepTimer
from kerasx.callbacks import CallbackList

HOOK_CALLS = 100_000


def _mlp():
    units = _workloads.MLP_UNITS
    hidden = [kerasx.layers.Dense(u, activation="relu") for u in units[1:-1]]
    output = kerasx.layers.Dense(units[-1], activation="softmax")
    model = kerasx.models.Sequential([kerasx.layers.Input(shape=(units[0],)), *hidden, output])
    model.compile(optimizer=kerasx.optimizers.Adam(_workloads.LEARNING_RATE), loss="sparse_categorical_crossentropy")
    return model


def _hook_seconds(callbacks) -> float:
    callback_list = CallbackList(callbacks, steps=HOOK_CALLS, epochs=1, verbose=0)
    started = time.perf_counter()
    for step in range(HOOK_CALLS):
        callback_list.on_train_batch_end(step, None)
    return (time.perf_counter() - started) / HOOK_CALLS


def _fit_steps_per_s(model, x, y, batch_size, with_timer) -> float:
    callbacks = [StepTimer(started=time.perf_counter())] if with_timer else []
    started = time.perf_counter()
    model.fit(x, y, batch_size=batch_size, epochs=1, shuffle=False, verbose=0, callbacks=callbacks)
    return (len(x) // batch_size) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    workload = _workloads.WORKLOADS["mlp"]
    x, y = _workloads.make_data("mlp", workload.batch_size * args.steps)
    model = _mlp()
    model.fit(x[: workload.batch_size * 2], y[: workload.batch_size * 2], batch_size=workload.batch_size, verbose=0)
    rates = {False: [], True: []}
    for _ in range(args.repeats):
        for with_timer in (False, True):
            rates[with_timer].append(_fit_steps_per_s(model, x, y, workload.batch_size, with_timer))
    without, with_timer = statistics.median(rates[False]), statistics.median(rates[True])
    step_s = 1 / without
    hook_s = max(_hook_seconds([StepTimer(started=0.0)]) - _hook_seconds([]), 0.0)
    print(f"engine {kerasx.config.backend()}, {workload.description}, {args.steps} steps x {args.repeats} repeats")
    print(f"step: {step_s * 1e3:.3f} ms; timer hook: {hook_s * 1e6:.2f} us = {100 * hook_s / step_s:.4f}% of a step")
    print(f"fit steps/s without timer {without:.1f}, with timer {with_timer:.1f} "
          f"({100 * (without - with_timer) / without:+.2f}% slower, median of {args.repeats})")
    for verbose in (0, 2):
        # What fit's own History and progress bar cost each batch when the bar prints only per epoch.
        own = CallbackList([], add_history=True, add_progbar=True, steps=HOOK_CALLS, epochs=1, verbose=verbose)
        started = time.perf_counter()
        for step in range(HOOK_CALLS):
            own.on_train_batch_begin(step, None)
            own.on_train_batch_end(step, None)
        own_s = (time.perf_counter() - started) / HOOK_CALLS
        print(f"History + progress bar (verbose={verbose}): {own_s * 1e6:.2f} us per batch = "
              f"{100 * own_s / step_s:.4f}% of a step")


if __name__ == "__main__":
    main()
