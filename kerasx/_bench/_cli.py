"""`python -m kerasx bench TARGET [SCRIPT ARGS...] [--engines jax,torch,tensorflow] [...]`: the command line of
`benchmark`. Options the bench does not know go to the script; put the script's own options after `--` when their
names clash with the bench's (`python -m kerasx bench train.py --engines jax -- --repeats 3`)."""

from __future__ import annotations

import argparse
import sys

from kerasx.utils import _benchmark_report as _report
from kerasx.utils._benchmark import benchmark

DESCRIPTION = (
    "Runs a Keras script (as `python -m kerasx run` does), or loads a saved .keras model, once per engine in its own "
    "process, and reports wall and import time, time to the first compiled step, fit steps/s and samples/s, predict "
    "latency, peak memory, the final logs, and how far each engine's results are from the first engine's."
)
JIT_CHOICE = (
    "Unknown --jit-compile value. Received: {value!r}; expected true, false or auto, alone or per engine "
    "(e.g. `--jit-compile jax=true,tensorflow=false`)."
)
_JIT_VALUES = {"true": True, "false": False, "auto": "auto"}


def _jit_compile(text):
    if text is None:
        return None
    if "=" not in text:
        if text.lower() not in _JIT_VALUES:
            raise ValueError(JIT_CHOICE.format(value=text))
        return _JIT_VALUES[text.lower()]
    choices = {}
    for part in text.split(","):
        engine, _, value = part.partition("=")
        if value.lower() not in _JIT_VALUES:
            raise ValueError(JIT_CHOICE.format(value=text))
        choices[engine.strip()] = _JIT_VALUES[value.lower()]
    return choices


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kerasx bench", description=DESCRIPTION)
    parser.add_argument("target", help="a script (.py) or a saved model (.keras)")
    parser.add_argument("--engines", help="comma-separated engines (default: every installed one of "
                                          "jax, torch, tensorflow; numpy may be named)")
    parser.add_argument("--repeats", type=int, default=1, help="runs per engine; timings are medians")
    parser.add_argument("--threads", type=int, help="intra-op threads per engine (default: the engines' own)")
    parser.add_argument("--jit-compile", help="true, false or auto for every engine, or per engine: "
                                              "jax=true,torch=false")
    parser.add_argument("--batch-size", default="1,32", help="a saved model's predict batch sizes (default 1,32)")
    parser.add_argument("--train", action="store_true", help="also train a saved model on random data")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per run (default 600)")
    parser.add_argument("--json", nargs="?", const="-", metavar="PATH", help="write the rows as JSON (- for stdout)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--plot", metavar="OUT.png", help="bar chart of steps/s and memory (needs matplotlib)")
    return parser


def main(argv: list) -> int:
    """Runs the bench command; returns 0 when every engine that ran succeeded, 1 otherwise, 2 for bad usage."""
    split = argv.index("--") if "--" in argv else len(argv)
    parser = _parser()
    args, script_args = parser.parse_known_args(argv[:split])
    script_args += argv[split + 1:]
    try:
        rows = benchmark(
            args.target, engines=args.engines, args=script_args, repeats=args.repeats, threads=args.threads,
            jit_compile=_jit_compile(args.jit_compile), batch_sizes=[int(b) for b in args.batch_size.split(",")],
            train=args.train, timeout=args.timeout,
        )
    except ValueError as error:
        print(f"python -m kerasx bench: {error}", file=sys.stderr)
        return 2
    if args.json == "-":
        print(_report.to_json(rows))
    else:
        print(_report.format_table(rows, markdown=args.markdown))
        if args.json:
            with open(args.json, "w", encoding="utf-8") as file:
                file.write(_report.to_json(rows))
    if args.plot:
        _report.plot(rows, args.plot)
    return 0 if all(row["status"] in ("ok", "skipped") for row in rows) else 1
