"""A library timed in a process of its own: `start_worker` runs a worker script with kerasx's benchmark thread settings
(`_threads.thread_env`, the same for every contender) and waits for its "ready" line; each `request` then asks it
for one timed repeat (a "go" line) and returns the JSON line it answers. The preprocessing benchmarks alternate two
such workers, kerasx and Keras 3 on one engine, repeat by repeat."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from _threads import thread_env

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start_worker(engine: str, code: str, arguments: list, threads: int) -> subprocess.Popen:
    """`python -c code *arguments` with KERAS_BACKEND=engine and the thread caps, once it has printed "ready"."""
    env = dict(os.environ, KERAS_BACKEND=engine, PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]),
               **thread_env(threads))
    process = subprocess.Popen([sys.executable, "-c", code, *map(str, arguments)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == "ready":
            return process
    raise RuntimeError(f"the worker {arguments} on {engine} did not start")


def request(process: subprocess.Popen):
    """One timed repeat of a started worker: the value of the JSON line it prints."""
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("go\n")
    process.stdin.flush()
    return json.loads(process.stdout.readline())
