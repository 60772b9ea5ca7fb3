"""Text preprocessing throughput: `TextVectorization(max_tokens=20000, output_sequence_length=16)` adapted on 100,000
short strings (5 to 12 words, capitals and punctuation) and then called on them in batches of 1,000, kerasx against
Keras 3 on the same engine.

    python benchmarks/preprocessing_text.py                       # jax, torch, tensorflow; 5 repeats
    python benchmarks/preprocessing_text.py --engines torch --repeats 3 --strings 20000

Each (engine, library) pair runs in its own process (same thread settings: `--threads`, default 1); the two libraries
of one engine alternate repeat by repeat, so machine drift hits both alike. A repeat is one `adapt` over all the
strings plus one pass of eager calls over them (NumPy string batches, as an input pipeline calls the layer), after
one warm-up repeat. Prints per-engine medians (strings/s of adapt + call) and the ratio kerasx / Keras 3 (above 1:
kerasx is faster). kerasx does the text work in NumPy/Python on the host; Keras 3 in TensorFlow's C++ string ops.
"""

from __future__ import annotations

import argparse
import statistics

from _repeat_worker import request, start_worker

WORKER = """
import json, sys, time
import numpy as np
library = __import__(sys.argv[1])
rng = np.random.default_rng(0)
words = np.array(["".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), rng.integers(2, 9))) for _ in range(5000)])
marks = np.array(["", "", "", ",", ".", "!", "?"])
def sentence():
    chosen = rng.choice(words, rng.integers(5, 13), p=None)
    text = " ".join(w.capitalize() if rng.random() < 0.2 else w for w in chosen)
    return text + rng.choice(marks)
strings = np.array([sentence() for _ in range(int(sys.argv[2]))])
batch = 1000

def one_repeat():
    layer = library.layers.TextVectorization(max_tokens=20000, output_sequence_length=16)
    begin = time.perf_counter()
    layer.adapt(strings)
    adapted = time.perf_counter()
    total = 0
    for start in range(0, len(strings), batch):
        total += int(library.ops.convert_to_numpy(layer(strings[start:start + batch]))[0, 0])
    return adapted - begin, time.perf_counter() - adapted

one_repeat()
print("ready", flush=True)
for line in sys.stdin:
    print(json.dumps(one_repeat()), flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="jax,torch,tensorflow")
    parser.add_argument("--strings", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    print(f"| engine | kerasx adapt s | Keras 3 adapt s | kerasx call s | Keras 3 call s | kerasx strings/s | "
          f"Keras 3 strings/s | kerasx / Keras 3 | ({args.strings} strings, median of {args.repeats}, "
          f"{args.threads} thread(s)) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for engine in args.engines.split(","):
        processes = {library: start_worker(engine, WORKER, [library, args.strings], args.threads)
                     for library in ("kerasx", "keras")}
        times: dict = {library: [] for library in processes}
        for repeat in range(args.repeats):
            order = list(processes) if repeat % 2 == 0 else list(reversed(processes))
            for library in order:
                times[library].append(tuple(request(processes[library])))
        for process in processes.values():
            process.kill()
        adapt = {library: statistics.median(t[0] for t in values) for library, values in times.items()}
        call = {library: statistics.median(t[1] for t in values) for library, values in times.items()}
        rates = {library: args.strings / statistics.median(sum(t) for t in values) for library, values in times.items()}
        print(f"| {engine} | {adapt['kerasx']:.2f} | {adapt['keras']:.2f} | {call['kerasx']:.2f} | "
              f"{call['keras']:.2f} | {rates['kerasx']:.0f} | {rates['keras']:.0f} | "
              f"{rates['kerasx'] / rates['keras']:.2f} | |")


if __name__ == "__main__":
    main()
