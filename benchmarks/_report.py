"""Ratios and the Markdown report of a benchmark run."""

from __future__ import annotations

import math

LABELS = {
    "kerasx": "kerasx `fit`",
    "keras3": "Keras 3 `fit`",
    ("jax", "hand"): "jax.jit step, donated state, optax Adam",
    ("torch", "hand"): "torch eager, nn.Module, torch.optim.Adam",
    ("torch", "hand-compile"): "torch.compile loss, torch.optim.Adam",
    ("tensorflow", "hand"): "tf.function + GradientTape, raw Adam op",
    ("tensorflow", "hand-xla"): "tf.function(jit_compile=True), raw Adam op",
}

# Issue 7's targets: kerasx fit throughput over the hand-written loop, per engine; over Keras 3, per engine.
HAND_TARGETS = {"jax": 0.95, "torch": 0.9, "tensorflow": 0.95}
KERAS3_TARGETS = {"jax": 1.0, "torch": 2.0, "tensorflow": 1.0}
PREDICT_TARGET = 1.5


def label(engine: str, contender: str) -> str:
    return LABELS.get(contender) or LABELS.get((engine, contender), contender)


def short(row: dict) -> str:
    if row["status"] != "ok":
        return row["status"]
    return f"{row['train_steps_per_s']:.1f} steps/s"


def _ratio(numerator, denominator):
    if numerator is None or denominator is None or not denominator:
        return None
    return numerator / denominator


def ratios(results: list) -> list:
    """Per engine x workload: kerasx's train throughput over each other contender's, and its predict/call ratio."""
    table = {}
    for row in results:
        table.setdefault((row["engine"], row["workload"]), {})[row["contender"]] = row
    out = []
    for (engine, workload), rows in table.items():
        kerasx = rows.get("kerasx", {})
        entry = {"engine": engine, "workload": workload, "kerasx_status": kerasx.get("status", "missing")}
        ours = kerasx.get("train_steps_per_s")
        for name, row in rows.items():
            if name != "kerasx":
                entry[f"train_vs_{name}"] = _ratio(ours, row.get("train_steps_per_s"))
        entry["predict_1_over_call_1"] = _ratio(kerasx.get("predict_1_ms"), kerasx.get("call_1_ms"))
        if "keras3" in rows:
            entry["keras3_predict_1_over_kerasx"] = _ratio(rows["keras3"].get("predict_1_ms"),
                                                          kerasx.get("predict_1_ms"))
        out.append(entry)
    return out


def _fmt(value, digits=2, suffix=""):
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    return f"{value:.{digits}f}{suffix}"


def _mark(value, target):
    if value is None:
        return "-"
    return f"{value:.2f}" + ("" if value >= target else " (below " + f"{target:g})")


def markdown(report: dict) -> str:
    meta = report["meta"]
    lines = [
        f"# kerasx benchmarks ({'quick smoke test' if meta['quick'] else 'full run'})",
        "",
        f"- command: `{meta['command']}`, {meta['date']}",
        f"- machine: {meta['machine']}; Python {meta['python']}; "
        + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
        f"- threads: {meta['threads_setting']}",
        f"- load average (1, 5, 15 min) before: {_loads(meta['load_average_before'])}, after: "
        f"{_loads(meta.get('load_average_after'))}",
        f"- train figures: median of {meta['repeats']} interleaved repeats after warm-up; latencies: median of calls "
        "after warm-up; first step includes tracing/compilation (for `fit` contenders: a 1-batch `fit` call).",
        "",
        "## Per contender",
        "",
        "| engine | workload | contender | train steps/s | ms/step | first step s | predict 1 ms | predict 128 ms "
        "| model(x) 1 ms | peak RSS MB | note |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in report["results"]:
        note = "" if row["status"] == "ok" else f"{row['status']}: {_first_line(row.get('reason'))}"
        note += " ".join(f"{kind} failed: {_first_line(reason)}" for kind, reason in row.get("errors", {}).items())
        lines.append(
            f"| {row['engine']} | {row['workload']} | {row['label']} | {_fmt(row.get('train_steps_per_s'))} "
            f"| {_fmt(row.get('train_step_ms'))} | {_fmt(row.get('first_step_s'))} | {_fmt(row.get('predict_1_ms'))} "
            f"| {_fmt(row.get('predict_128_ms'))} | {_fmt(row.get('call_1_ms'))} | {_fmt(row.get('peak_rss_mb'), 0)} "
            f"| {note} |"
        )
    lines += [
        "",
        "## Ratios (kerasx train steps/s over the other contender's; higher is better)",
        "",
        "| engine | workload | vs hand-written (target) | vs torch.compile | vs tf XLA loop | vs Keras 3 (target) "
        "| kerasx predict(1) / model(x) (target <= 1.5) | Keras 3 predict(1) / kerasx predict(1) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in report["ratios"]:
        if r["kerasx_status"] != "ok":
            lines.append(f"| {r['engine']} | {r['workload']} | kerasx {r['kerasx_status']} | | | | | |")
            continue
        lines.append(
            f"| {r['engine']} | {r['workload']} | {_mark(r.get('train_vs_hand'), HAND_TARGETS[r['engine']])} "
            f"| {_fmt(r.get('train_vs_hand-compile'))} | {_fmt(r.get('train_vs_hand-xla'))} "
            f"| {_mark(r.get('train_vs_keras3'), KERAS3_TARGETS[r['engine']])} "
            f"| {_fmt(r.get('predict_1_over_call_1'))} | {_fmt(r.get('keras3_predict_1_over_kerasx'))} |"
        )
    if report.get("import_time"):
        lines += [
            "",
            "## Import time (median of fresh processes, seconds; target: kerasx <= engine + 0.3 s)",
            "",
            "| engine | runs | `import <engine>` | `import kerasx` | overhead | CPU overhead "
            "| `import keras` (Keras 3) |",
            "|---|---|---|---|---|---|---|",
        ]
        for engine, r in report["import_time"].items():
            lines.append(
                f"| {engine} | {r['runs']} | {r['engine_wall_s']:.3f} | {r['kerasx_wall_s']:.3f} "
                f"| {r['kerasx_overhead_wall_s']:+.3f} | {r['kerasx_overhead_cpu_s']:+.3f} "
                f"| {_fmt(r.get('keras_wall_s'), 3)} |"
            )
    return "\n".join(lines) + "\n"


def _loads(values):
    return "-" if not values else ", ".join(f"{v:.2f}" for v in values)


def _first_line(text):
    if not text:
        return ""
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
    return (lines[-1] if lines else "")[:160].replace("|", "/")
