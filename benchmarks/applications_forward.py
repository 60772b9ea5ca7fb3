"""Forward time of `applications.ResNet50` (random weights, 224x224, batch 8) on one engine: kerasx against Keras 3
on the same engine, the peer this machine has (torchvision is not installable here).

    KERAS_BACKEND=torch python benchmarks/applications_forward.py [--repeats 5] [--batch 8] [--size 224]

Each library runs in its own process with one intra-op thread (as run.py does), builds the model, calls it once to
trace or compile, then times `--repeats` calls of `model(x, training=False)` on the same NumPy batch (converted to
the engine's tensor once, outside the timing) and reports the median; the ratio is kerasx / Keras 3 (below 1:
kerasx is faster). Printed as one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from _threads import thread_env

WORKER = "--worker"


def _measure(library: str, repeats: int, batch: int, size: int) -> dict:
    import numpy as np

    module = __import__(library)
    model = module.applications.ResNet50(weights=None, input_shape=(size, size, 3))
    images = module.ops.convert_to_tensor(np.random.default_rng(0).uniform(-1, 1, (batch, size, size, 3)),
                                          dtype="float32")
    started = time.perf_counter()
    module.ops.convert_to_numpy(model(images, training=False))
    first_s = time.perf_counter() - started
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        module.ops.convert_to_numpy(model(images, training=False))
        times.append(time.perf_counter() - started)
    return {"library": library, "first_call_s": first_s, "forward_ms": 1000 * statistics.median(times)}


def _run_worker(library: str, args) -> dict:
    # One process per library, one intra-op thread each, so that neither competes with the other.
    env = dict(os.environ, **thread_env(1))
    command = [sys.executable, __file__, WORKER, library, "--repeats", str(args.repeats), "--batch", str(args.batch),
               "--size", str(args.size)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(WORKER, dest="worker", default=None)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--size", type=int, default=224)
    args = parser.parse_args()
    if args.worker:
        if os.environ.get("KERAS_BACKEND") == "torch":
            import torch

            torch.set_num_threads(1)
        print(json.dumps(_measure(args.worker, args.repeats, args.batch, args.size)))
        return
    results = {library: _run_worker(library, args) for library in ("kerasx", "keras")}
    report = {
        "engine": os.environ.get("KERAS_BACKEND", "jax"),
        "batch": args.batch,
        "size": args.size,
        "kerasx_ms": results["kerasx"]["forward_ms"],
        "keras3_ms": results["keras"]["forward_ms"],
        "ratio_kerasx_over_keras3": results["kerasx"]["forward_ms"] / results["keras"]["forward_ms"],
        "first_call_s": {library: result["first_call_s"] for library, result in results.items()},
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
