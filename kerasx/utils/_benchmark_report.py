"""The bench's outputs: a plain-text or Markdown table of the rows, JSON, and a bar chart (matplotlib, optional)."""

from __future__ import annotations

import importlib
import json
import math

MATPLOTLIB_MISSING = (
    "--plot needs the `matplotlib` package, which is not installed. Install it with "
    "`pip install \"kerasx[visualization]\"` (or `pip install matplotlib`)."
)


def _number(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    return f"{value:.3g}"


def _difference(value) -> str:
    if value is None:
        return "-"
    return "0" if value == 0 else f"{value:.1e}"


def _milliseconds(value) -> str:
    return "-" if value is None else f"{value * 1000:.3g}"


def _logs(logs: dict) -> str:
    return " ".join(f"{name}={value:.4g}" for name, value in logs.items()) or "-"


def _batch_sizes(rows: list) -> list:
    sizes: list = []
    for row in rows:
        sizes += [size for size in row.get("predict_ms") or {} if size not in sizes]
    return sizes


def _columns(rows: list) -> list:
    """(header, cell function) pairs; a saved model's rows get a predict column per batch size."""
    columns = [
        ("engine", lambda r: r["engine"]),
        ("status", lambda r: r["status"]),
        ("wall s", lambda r: _number(r.get("wall_s"))),
        ("import s", lambda r: _number(r.get("import_s"))),
        ("1st step s", lambda r: _number(r.get("first_step_s"))),
        ("steps/s", lambda r: _number(r.get("steps_per_s"))),
        ("samples/s", lambda r: _number(r.get("samples_per_s"))),
    ]
    sizes = _batch_sizes(rows)
    if sizes:
        columns += [(f"predict ms @{size}", lambda r, s=size: _number((r.get("predict_ms") or {}).get(s)))
                    for size in sizes]
    else:
        columns.append(("predict ms", lambda r: _milliseconds(r.get("predict_s"))))
    columns += [
        ("RSS MB", lambda r: _number(r.get("peak_rss_mb"))),
        ("device MB", lambda r: _number(r.get("peak_device_mb"))),
        ("final logs", lambda r: _logs(r.get("final_logs") or {})),
        ("Δ logs", lambda r: _difference(r.get("logs_diff"))),
        ("Δ predictions", lambda r: _difference(r.get("predictions_diff"))),
    ]
    return columns


def _notes(rows: list) -> list:
    lines = []
    reference = next((row.get("reference") for row in rows if row.get("reference")), None)
    logs_reference = next((row.get("logs_reference") for row in rows if row.get("logs_reference")), reference)
    if reference:
        lines.append(f"Δ: max |difference| of predictions against {reference}, of final logs against {logs_reference}; "
                     "fit timings of the last fit call, after its first step.")
    for row in rows:
        if row.get("note"):
            lines.append(f"{row['engine']}: {row['note']}")
        if row.get("error"):
            lines.append(f"{row['engine']}: exit status {row.get('exit_code')}:\n{row['error']}")
    layer_rows = [row for row in rows if row.get("reference") != row["engine"]
                  and any(key.startswith("layer/") for key in row.get("port_check") or {})]
    for row in layer_rows:
        worst = max(row["port_check"].items(), key=lambda item: item[1])
        lines.append(f"{row['engine']}: port_check over {len(row['port_check'])} outputs and layers, largest "
                     f"{_difference(worst[1])} at {worst[0]}")
    return lines


def format_table(rows: list, markdown: bool = False) -> str:
    """The rows as an aligned text table (or a Markdown table), with notes and error tails below.

    Example:
    >>> print(format_table([{"engine": "jax", "status": "skipped", "note": "not installed"}]).splitlines()[-1])
    jax: not installed
    """
    columns = _columns(rows)
    cells = [[cell(row) for _, cell in columns] for row in rows]
    headers = [header for header, _ in columns]
    if markdown:
        lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        lines += ["| " + " | ".join(line) + " |" for line in cells]
    else:
        widths = [max(len(text) for text in [header, *(line[i] for line in cells)]) for i, header in enumerate(headers)]
        lines = ["  ".join(text.ljust(width) for text, width in zip(line, widths)).rstrip()
                 for line in [headers, *cells]]
    notes = _notes(rows)
    return "\n".join(lines + ([""] if notes else []) + notes)


def to_json(rows: list) -> str:
    """The rows as JSON (infinite differences written as the string "inf").

    Example:
    >>> to_json([{"engine": "torch", "predictions_diff": float("inf")}])
    '[{"engine": "torch", "predictions_diff": "inf"}]'
    """
    def clean(value):
        if isinstance(value, float) and math.isinf(value):
            return "inf"
        if isinstance(value, dict):
            return {key: clean(item) for key, item in value.items()}
        if isinstance(value, list):
            return [clean(item) for item in value]
        return value

    return json.dumps(clean(rows))


def _pyplot():
    try:
        matplotlib = importlib.import_module("matplotlib")
    except ImportError as error:
        raise ImportError(MATPLOTLIB_MISSING) from error
    matplotlib.use("Agg")  # files only: no display needed
    return importlib.import_module("matplotlib.pyplot")


def plot(rows: list, path: str) -> None:
    """Writes a bar chart of steps/s and peak memory (RSS, and device memory where any) per engine to `path`."""
    pyplot = _pyplot()
    ran = [row for row in rows if row["status"] == "ok"]
    names = [row["engine"] for row in ran]
    figure, (speed, memory) = pyplot.subplots(1, 2, figsize=(9, 3.5))
    speed.bar(names, [row.get("steps_per_s") or 0.0 for row in ran], color="tab:blue")
    speed.set_title("fit steps/s (higher is better)")
    positions = list(range(len(names)))
    memory.bar([p - 0.2 for p in positions], [row.get("peak_rss_mb") or 0.0 for row in ran], 0.4, label="RSS")
    memory.bar([p + 0.2 for p in positions], [row.get("peak_device_mb") or 0.0 for row in ran], 0.4, label="device")
    memory.set_xticks(positions, names)
    memory.set_title("peak memory, MB")
    memory.legend()
    figure.tight_layout()
    figure.savefig(path)
    pyplot.close(figure)
