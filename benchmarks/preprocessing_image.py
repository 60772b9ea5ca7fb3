"""Image preprocessing throughput: `Resizing(32, 32)` then `RandomFlip()` (training) over 10,000 64x64x3 images in
batches of 250, kerasx against Keras 3 on the same engine.

    python benchmarks/preprocessing_image.py                      # jax, torch, tensorflow; 5 repeats
    python benchmarks/preprocessing_image.py --engines torch --repeats 3 --images 2000

Each (engine, library) pair runs in its own process (same thread settings: `--threads`, default 1); the two libraries
of one engine alternate repeat by repeat, so machine drift hits both alike. A repeat is one pass over the images,
eager layer calls on NumPy batches (the way `Dataset.map`-free input pipelines call them), after one warm-up pass.
Prints per-engine medians (images/s) and the ratio kerasx / Keras 3 (above 1: kerasx is faster).
"""

from __future__ import annotations

import argparse
import statistics

from _repeat_worker import request, start_worker

WORKER = """
import json, os, sys, time
import numpy as np
library = __import__(sys.argv[1])
images = np.random.default_rng(0).integers(0, 256, (int(sys.argv[2]), 64, 64, 3)).astype("float32")
resize = library.layers.Resizing(32, 32)
flip = library.layers.RandomFlip(seed=1)
batch = 250

def one_pass():
    total = 0.0
    for start in range(0, len(images), batch):
        out = flip(resize(images[start:start + batch]), training=True)
        total += float(library.ops.convert_to_numpy(out)[0, 0, 0, 0])
    return total

one_pass()
print("ready", flush=True)
for line in sys.stdin:
    begin = time.perf_counter()
    one_pass()
    print(json.dumps(time.perf_counter() - begin), flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="jax,torch,tensorflow")
    parser.add_argument("--images", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    print(f"| engine | kerasx images/s | Keras 3 images/s | kerasx / Keras 3 | ({args.images} images, median of "
          f"{args.repeats}, {args.threads} thread(s)) |")
    print("|---|---|---|---|---|")
    for engine in args.engines.split(","):
        processes = {library: start_worker(engine, WORKER, [library, args.images], args.threads)
                     for library in ("kerasx", "keras")}
        seconds: dict = {library: [] for library in processes}
        for repeat in range(args.repeats):
            order = list(processes) if repeat % 2 == 0 else list(reversed(processes))
            for library in order:
                seconds[library].append(float(request(processes[library])))
        for process in processes.values():
            process.kill()
        rates = {library: args.images / statistics.median(values) for library, values in seconds.items()}
        print(f"| {engine} | {rates['kerasx']:.0f} | {rates['keras']:.0f} | {rates['kerasx'] / rates['keras']:.2f} | |")


if __name__ == "__main__":
    main()
