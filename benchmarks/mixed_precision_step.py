"""Training step time of a small CNN in float32, mixed_bfloat16 and mixed_float16 on one engine, kerasx against
Keras 3 on the same engine. Keras 3 documents a speed-up from mixed precision on GPUs (tensor cores); on a CPU
16-bit math is usually slower, so run it where a GPU is lent.

    KERAS_BACKEND=jax python benchmarks/mixed_precision_step.py [--steps 20] [--batch 64] [--size 64]

Each (library, policy) runs in its own process: build, one `train_on_batch` to trace or compile, then the median of
`--steps` timed `train_on_batch` calls. Printed as one JSON line per library with `step_ms` per policy and the
ratio mixed / float32 (below 1: mixed precision is faster).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

WORKER = "--worker"
POLICIES = ("float32", "mixed_bfloat16", "mixed_float16")


def _measure(library: str, policy: str, steps: int, batch: int, size: int) -> float:
    import numpy as np

    module = __import__(library)
    module.mixed_precision.set_global_policy(policy)
    inputs = module.Input((size, size, 3))
    x = module.layers.Conv2D(64, 3, padding="same", activation="relu")(inputs)
    x = module.layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    x = module.layers.GlobalAveragePooling2D()(x)
    outputs = module.layers.Dense(10, activation="softmax", dtype="float32")(x)
    model = module.Model(inputs, outputs)
    model.compile("adam", "sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    images = rng.normal(size=(batch, size, size, 3)).astype("float32")
    labels = rng.integers(0, 10, size=(batch,))
    model.train_on_batch(images, labels)
    times = []
    for _ in range(steps):
        started = time.perf_counter()
        model.train_on_batch(images, labels)
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument(WORKER, nargs=2)
    args = parser.parse_args()
    if args.worker:
        library, policy = args.worker
        print(json.dumps(_measure(library, policy, args.steps, args.batch, args.size)))
        return
    for library in ("kerasx", "keras"):
        step_ms = {}
        for policy in POLICIES:
            command = [sys.executable, __file__, WORKER, library, policy, "--steps", str(args.steps),
                       "--batch", str(args.batch), "--size", str(args.size)]
            result = subprocess.run(command, capture_output=True, text=True, check=True)
            step_ms[policy] = json.loads(result.stdout.strip().splitlines()[-1])
        ratios = {policy: step_ms[policy] / step_ms["float32"] for policy in POLICIES[1:]}
        print(json.dumps({"library": library, "step_ms": step_ms, "mixed_over_float32": ratios}))


if __name__ == "__main__":
    main()
