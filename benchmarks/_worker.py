"""One contender on one engine, in its own process, driven by `run.py` one JSON command per line.

    python benchmarks/_worker.py ENGINE CONTENDER THREADS

Commands (stdin) and answers (one JSON line each on the protocol channel):
  {"cmd": "setup", "workload": name, "samples": n, "warmup_steps": k}
                                                     -> {"status": "ok", "first_step_s": s, "setup_s": s}
                                                       or {"status": "unavailable"|"error", "reason": text}
  {"cmd": "train", "steps": k}                       -> {"elapsed_s": s, "loss": float}
  {"cmd": "latency", "kind": "predict_1"|"predict_128"|"call_1", "calls": n, "budget_s": s}
                                                     -> {"times_s": [...]}
  {"cmd": "rss"}                                     -> {"peak_rss_mb": float}
The protocol channel is the original stdout; fd 1 is pointed at stderr so that anything an engine prints cannot
corrupt it.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
import traceback

import _threads
import _workloads as W

CONTENDERS = ("kerasx", "keras3", "hand", "hand-compile", "hand-xla")
LATENCY_KINDS = ("predict_1", "predict_128", "call_1")


def _factory(engine: str, contender: str):
    """A function (workload, x, y) -> contender object; imports only what this contender needs."""
    if contender in ("kerasx", "keras3"):
        import _framework

        lib = __import__("kerasx" if contender == "kerasx" else "keras")
        return lambda workload, x, y: _framework.FrameworkContender(lib, workload, x, y)
    if engine == "jax" and contender == "hand":
        import _hand_jax

        return _hand_jax.JaxContender
    if engine == "torch" and contender in ("hand", "hand-compile"):
        import _hand_torch

        compiled = contender == "hand-compile"
        return lambda workload, x, y: _hand_torch.TorchContender(workload, x, y, compiled=compiled)
    if engine == "tensorflow" and contender in ("hand", "hand-xla"):
        import _hand_tf

        jit_compile = contender == "hand-xla"
        return lambda workload, x, y: _hand_tf.TensorFlowContender(workload, x, y, jit_compile=jit_compile)
    raise ValueError(f"No contender {contender!r} on engine {engine!r}.")


def _latency(contender, kind: str, x_one, x_batch, calls: int, budget_s: float) -> list:
    fn = contender.call if kind == "call_1" else contender.predict
    x = x_batch if kind == "predict_128" else x_one
    times, spent = [], 0.0
    for _ in range(calls):
        start = time.perf_counter()
        fn(x)
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        spent += elapsed
        if spent > budget_s and len(times) >= 2:
            break
    return times


def main(engine: str, contender_name: str, threads: int) -> None:
    channel = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    _threads.configure_engine(engine, threads)
    factory = _factory(engine, contender_name)
    from _framework import Unavailable

    contender, x_one, x_batch = None, None, None
    for line in sys.stdin:
        command = json.loads(line)
        cmd = command["cmd"]
        try:
            if cmd == "setup":
                contender, started = None, time.perf_counter()
                workload = W.WORKLOADS[command["workload"]]
                x, y = W.make_data(workload.name, command["samples"])
                x_one, x_batch = W.take(x, 1), W.take(x, 128)
                try:
                    contender = factory(workload, x, y)
                except Unavailable as error:
                    answer = {"status": "unavailable", "reason": str(error)}
                else:
                    first_step = contender.first_step()
                    if command["warmup_steps"]:  # second traces, allocator growth
                        contender.train(command["warmup_steps"])
                    errors = {}
                    for kind in LATENCY_KINDS:  # warm-up: inference compilation is not part of the latencies
                        try:  # twice: kerasx runs a step's first call eagerly and compiles on the second
                            _latency(contender, kind, x_one, x_batch, 2, 1e9)
                        except Exception:  # noqa: BLE001 - this figure fails; training and the other figures still count
                            errors[kind] = traceback.format_exc(limit=6)[-2000:]
                    answer = {"status": "ok", "first_step_s": first_step, "setup_s": time.perf_counter() - started,
                              "errors": errors}
            elif cmd == "train":
                elapsed, loss = contender.train(command["steps"])
                answer = {"elapsed_s": elapsed, "loss": loss}
            elif cmd == "latency":
                answer = {"times_s": _latency(contender, command["kind"], x_one, x_batch, command["calls"],
                                              command["budget_s"])}
            elif cmd == "rss":
                answer = {"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}
            else:
                answer = {"status": "error", "reason": f"unknown command {cmd!r}"}
        except Exception:  # noqa: BLE001 - reported to the parent, which records the figure as failed and goes on
            if cmd == "setup":
                contender = None
            answer = {"status": "error", "reason": traceback.format_exc(limit=6)[-2000:]}
        channel.write(json.dumps(answer) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
