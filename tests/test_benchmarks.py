"""The benchmark command's quick mode on the current backend's engine: it runs, and its JSON holds every figure as a
finite positive number. No timing assertions: machines are noisy."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

import kerasx

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO_ROOT / "benchmarks"
sys.path.insert(0, str(BENCH_DIR))

import _report  # noqa: E402
import run  # noqa: E402

ENGINE = kerasx.backend.backend()
FIGURES = ("train_steps_per_s", "train_step_ms", "first_step_s", "setup_s", "predict_1_ms", "predict_128_ms",
           "call_1_ms", "peak_rss_mb")
needs_engine = pytest.mark.skipif(ENGINE == "numpy", reason="the numpy backend does not train: nothing to benchmark")


def _positive(value) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and value > 0


@needs_engine
def test_quick_run_writes_every_figure(tmp_path):
    """The CI smoke test of the benchmark's `--quick`: every workload, kerasx and the hand-written loop, this engine."""
    command = [sys.executable, str(BENCH_DIR / "run.py"), "--quick", "--engines", ENGINE, "--contenders",
               "kerasx,hand", "--import-runs", "0", "--out", str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "results.json").read_text())

    assert report["meta"]["threads"] == 1 and "intra-op" in report["meta"]["threads_setting"]
    assert len(report["meta"]["load_average_before"]) == 3
    rows = {(row["workload"], row["contender"]): row for row in report["results"]}
    assert sorted(rows) == sorted((w, c) for w in run.W.WORKLOADS for c in ("hand", "kerasx"))
    for (workload, name), row in rows.items():
        assert (row["engine"], row["status"]) == (ENGINE, "ok"), (workload, name, row.get("reason"))
        for figure in FIGURES:
            assert _positive(row[figure]), (workload, name, figure, row[figure])
        assert math.isfinite(row["final_loss"])

    assert sorted(r["workload"] for r in report["ratios"]) == sorted(run.W.WORKLOADS)
    for ratios in report["ratios"]:
        assert ratios["engine"] == ENGINE and _positive(ratios["train_vs_hand"])
        assert _positive(ratios["predict_1_over_call_1"])
    assert report["import_time"] == {}
    markdown = (tmp_path / "results.md").read_text()
    assert "| engine | workload | contender |" in markdown and "kerasx `fit`" in markdown


def test_ratios_divide_kerasx_throughput_by_each_contender():
    rows = [
        {"engine": "torch", "workload": "mlp", "contender": "kerasx", "status": "ok", "train_steps_per_s": 9.0,
         "predict_1_ms": 3.0, "call_1_ms": 2.0},
        {"engine": "torch", "workload": "mlp", "contender": "hand", "status": "ok", "train_steps_per_s": 10.0},
        {"engine": "torch", "workload": "mlp", "contender": "keras3", "status": "ok", "train_steps_per_s": 3.0,
         "predict_1_ms": 12.0},
        {"engine": "torch", "workload": "lstm", "contender": "kerasx", "status": "unavailable"},
    ]
    mlp, lstm = _report.ratios(rows)
    assert mlp["train_vs_hand"] == pytest.approx(0.9) and mlp["train_vs_keras3"] == pytest.approx(3.0)
    assert mlp["predict_1_over_call_1"] == pytest.approx(1.5)
    assert mlp["keras3_predict_1_over_kerasx"] == pytest.approx(4.0)
    assert lstm["kerasx_status"] == "unavailable" and "train_vs_hand" not in lstm


def test_unknown_workload_is_refused():
    done = subprocess.run([sys.executable, str(BENCH_DIR / "run.py"), "--workloads", "resnet"], capture_output=True,
                          text=True, timeout=60, cwd=REPO_ROOT)
    assert done.returncode == 2 and "unknown workload(s) ['resnet']" in done.stderr


def test_import_times_are_measured_in_fresh_processes():
    """On the numpy engine (cheap to import): the same code path run.py uses for every engine."""
    imports = run.measure_imports("numpy", runs=1, with_keras=False)
    for figure in ("engine_wall_s", "kerasx_wall_s", "engine_cpu_s", "kerasx_cpu_s"):
        assert _positive(imports[figure]), (figure, imports[figure])
    assert imports["kerasx_overhead_wall_s"] == pytest.approx(imports["kerasx_wall_s"] - imports["engine_wall_s"])
    assert imports["runs"] == 1 and "keras_wall_s" not in imports
