"""Conformance report: every op on every installed backend, pass/fail and the largest error against NumPy.

    python tests/conformance.py            # or: nox -s conformance
    python tests/conformance.py -- -k add  # extra arguments go to pytest

Runs the op test files (`tests/test_ops_*.py`) once per installed backend, each in its own pytest process with
`--conformance-json` (see conftest.py), then groups the tests by op: a test's parametrize id starts with the public
op name (`test_binary[add-broadcast]` belongs to `add`). Writes `reports/conformance.md` and
`reports/conformance.json`; the raw per-backend results stay in `reports/raw/`.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("jax", "torch", "tensorflow", "numpy")
# pytest exit codes: 0 all passed, 1 some failed, 5 nothing collected; anything else means the run itself broke.
RUN_COMPLETED = (0, 1, 5)
OUTCOMES = ("passed", "failed", "error", "skipped")
NOT_AN_OP = "(not an op)"


def installed_backends() -> list:
    return [b for b in BACKENDS if importlib.util.find_spec(b) is not None]


def run_backend(backend: str, test_files: list, raw_dir: Path, pytest_args: list) -> dict:
    """Run the op tests on one backend; returns the raw JSON written by conftest.py (empty tests if it crashed)."""
    raw_path = raw_dir / f"{backend}.json"
    raw_path.unlink(missing_ok=True)
    env = dict(os.environ, KERAS_BACKEND=backend)
    if backend == "jax":
        env["JAX_ENABLE_X64"] = "1"
    command = [sys.executable, "-m", "pytest", *test_files, "-p", "no:cacheprovider"]
    command += ["--conformance-json", str(raw_path), *pytest_args]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode not in RUN_COMPLETED or not raw_path.is_file():
        print(f"{backend:>10}: pytest exited with {result.returncode} ({seconds:.0f} s); its output:", flush=True)
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        return {"backend": backend, "exit_status": result.returncode, "ops": [], "tests": {}, "crashed": True}
    raw = json.loads(raw_path.read_text())
    counts = ", ".join(f"{sum(t['outcome'] == o for t in raw['tests'].values())} {o}" for o in OUTCOMES)
    print(f"{backend:>10}: {counts} ({seconds:.0f} s)", flush=True)
    return raw


def op_of(nodeid: str, ops: set) -> str:
    """Public op a test belongs to: the first part of its parametrize id, else the longest op name that starts its
    function name (`test_slice_update_traced_start` -> `slice_update`), else "(not an op) <file>::<function>"."""
    function, _, param_id = nodeid.split("::")[-1].partition("[")
    candidate = param_id.rstrip("]").split("-")[0]
    if candidate in ops:
        return candidate
    name = function.removeprefix("test_")
    prefixes = [op for op in ops if name == op or name.startswith(op + "_")]
    if prefixes:
        return max(prefixes, key=len)
    return f"{NOT_AN_OP} {nodeid.split('[')[0]}"


def group_by_op(raw: dict) -> dict:
    """op -> backend -> {passed, failed, error, skipped, max_abs_error, failures: [node ids]}."""
    ops = set().union(*(set(r["ops"]) for r in raw.values()))
    grouped: dict = {}
    for backend, result in raw.items():
        for nodeid, test in result["tests"].items():
            cell = grouped.setdefault(op_of(nodeid, ops), {}).setdefault(
                backend, {**{o: 0 for o in OUTCOMES}, "max_abs_error": None, "failures": []}
            )
            cell[test["outcome"]] += 1
            if test["outcome"] in ("failed", "error"):
                cell["failures"].append(nodeid)
            error = test.get("max_abs_error")
            if error is not None:
                cell["max_abs_error"] = error if cell["max_abs_error"] is None else max(cell["max_abs_error"], error)
    # Ops alphabetically, then the tests that name no op.
    return dict(sorted(grouped.items(), key=lambda item: (item[0].startswith(NOT_AN_OP), item[0])))


def format_error(error) -> str:
    if error is None:
        return "no values compared"
    return "inf" if math.isinf(error) else f"{error:.1e}"


def format_cell(cell: dict | None) -> str:
    if cell is None:
        return "-"
    ran = cell["passed"] + cell["failed"] + cell["error"]
    if ran == 0:
        return f"skipped ({cell['skipped']})"
    status = "pass" if cell["failed"] + cell["error"] == 0 else "FAIL"
    return f"{status} {cell['passed']}/{ran}, {format_error(cell['max_abs_error'])}"


def markdown(grouped: dict, raw: dict, test_files: list) -> str:
    backends = list(raw)
    lines = [
        "# kerasx conformance report",
        "",
        f"Op tests: {', '.join(test_files) or 'none found'}. Backends: {', '.join(backends)}.",
        "Each cell: pass/FAIL, tests passed / tests run for that op, and the largest |actual - expected| that",
        "`support.assert_close` saw in them (`inf`: nan/inf mismatch or wrong shape). Skipped tests are not counted.",
        "",
        "| backend | passed | failed | errors | skipped | pytest exit status |",
        "|---|---|---|---|---|---|",
    ]
    for backend, result in raw.items():
        counts = {o: sum(t["outcome"] == o for t in result["tests"].values()) for o in OUTCOMES}
        status = "crashed" if result.get("crashed") else result["exit_status"]
        lines.append(
            f"| {backend} | {counts['passed']} | {counts['failed']} | {counts['error']} | {counts['skipped']} | {status} |"
        )
    lines += ["", "| op | " + " | ".join(backends) + " |", "|---" * (len(backends) + 1) + "|"]
    for op, cells in grouped.items():
        lines.append(f"| {op} | " + " | ".join(format_cell(cells.get(b)) for b in backends) + " |")
    failures = [(b, nodeid) for cells in grouped.values() for b, cell in cells.items() for nodeid in cell["failures"]]
    if failures:
        lines += ["", "## Failing tests", ""] + [f"- {b}: `{nodeid}`" for b, nodeid in sorted(failures)]
    return "\n".join(lines) + "\n"


def json_safe(value):
    """inf is not valid JSON; write it as the string "inf"."""
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    return value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, help="default: every installed backend")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "reports", help="report directory")
    args, pytest_args = parser.parse_known_args(argv)
    pytest_args = [a for a in pytest_args if a != "--"]
    test_files = sorted(str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "tests").glob("test_ops_*.py"))
    backends = args.backends or installed_backends()
    raw_dir = args.out / "raw"
    raw_dir.mkdir(parents=True, exist_ok=True)
    if not test_files:
        print("No op test files (tests/test_ops_*.py) found; the report will be empty.")
        raw = {b: {"backend": b, "exit_status": 5, "ops": [], "tests": {}} for b in backends}
    else:
        raw = {b: run_backend(b, test_files, raw_dir, pytest_args) for b in backends}
    grouped = group_by_op(raw)
    (args.out / "conformance.md").write_text(markdown(grouped, raw, test_files))
    report = {"test_files": test_files, "backends": {b: raw[b]["exit_status"] for b in backends}, "ops": grouped}
    (args.out / "conformance.json").write_text(json.dumps(json_safe(report), indent=1))
    print(f"Wrote {args.out / 'conformance.md'} and {args.out / 'conformance.json'} ({len(grouped)} ops).")
    return 1 if any(r.get("crashed") for r in raw.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
