"""`python -m kerasx bench` and `kerasx.utils.benchmark`: a program or a saved model runs once per engine and the
table reports its timings, memory, final logs and the distance of each engine's results from the first engine's.

Each test runs two engines (the engine under test and a partner), so that the suite's run on each backend stays
short while the four runs together cover every engine; the numbers checked are the engines' agreement and the
timings' consistency (a positive steps/s that fits inside the wall time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import kerasx
from kerasx.utils import _benchmark as _driver
from kerasx.utils import _benchmark_report as _report
from kerasx._bench import _cli
from kerasx._bench._timing import StepTimer
from bench_programs import functions

BACKEND = kerasx.config.backend()
PROGRAMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench_programs")
# The engine that trains beside the engine under test (the numpy engine only predicts, so its partner is jax).
TRAINING_PARTNER = {"jax": "torch", "torch": "jax", "tensorflow": "jax", "numpy": "jax"}
TRAINING_PAIR = [BACKEND, TRAINING_PARTNER[BACKEND]] if BACKEND != "numpy" else ["jax", "torch"]
# numpy imports fastest and predicts the reference values; the engine under test is compared with it.
PREDICT_PAIR = ["numpy", BACKEND] if BACKEND != "numpy" else ["numpy", "jax"]


def _installed(engines):
    missing = [engine for engine in engines if not _driver.installed(engine)]
    if missing:
        pytest.skip(f"needs {missing}")


def _check_timings(row):
    assert row["status"] == "ok", row.get("error")
    assert row["exit_code"] == 0
    assert 0 < row["import_s"] < row["wall_s"]
    assert row["peak_rss_mb"] > 50  # an engine and kerasx are loaded
    assert row["peak_device_mb"] is None or row["peak_device_mb"] >= 0


def test_mlp_script_trains_alike_on_two_engines():
    _installed(TRAINING_PAIR)
    rows = kerasx.utils.benchmark(os.path.join(PROGRAMS, "mlp.py"), engines=TRAINING_PAIR)
    assert [row["engine"] for row in rows] == TRAINING_PAIR
    for row in rows:
        _check_timings(row)
        [fit_call] = row["fit_calls"]
        assert fit_call["steps"] == 2 * 8  # 2 epochs of 128 samples in batches of 16
        assert row["steps_per_s"] == fit_call["steps_per_s"] > 0
        assert row["samples_per_s"] == pytest.approx(16 * row["steps_per_s"])
        # The 15 steps after the first fit inside the run, as does the first step.
        assert 15 / row["steps_per_s"] + row["first_step_s"] < row["wall_s"]
        assert set(row["final_logs"]) == {"loss", "accuracy"}
        assert row["predict_calls"] == 1 and row["predict_s"] > 0
        assert row["reference"] == TRAINING_PAIR[0]
    # Same seed, same data, no shuffling: the engines train to the same weights up to float32 rounding.
    assert rows[0]["logs_diff"] == 0 and rows[0]["predictions_diff"] == 0
    assert rows[1]["logs_diff"] < 1e-5
    assert rows[1]["predictions_diff"] < 1e-5


def test_command_line_runs_a_script_with_its_arguments(tmp_path):
    _installed(PREDICT_PAIR)
    json_path = tmp_path / "rows.json"
    command = [sys.executable, "-m", "kerasx", "bench", os.path.join(PROGRAMS, "convnet.py"), "--epochs", "2",
               "--engines", ",".join(PREDICT_PAIR), "--markdown", "--json", str(json_path)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr
    table = completed.stdout.splitlines()
    assert table[0].startswith("| engine | status | wall s | import s | 1st step s | steps/s | samples/s |")
    assert [line.split(" | ")[0] for line in table[2:4]] == [f"| {engine}" for engine in PREDICT_PAIR]
    rows = json.loads(json_path.read_text())
    numpy_row, engine_row = rows
    assert numpy_row["fit_calls"] == [] and numpy_row["final_logs"] == {}
    if engine_row["engine"] != "numpy":
        # `--epochs 2` reached the script: 2 epochs of 4 steps.
        assert [call["steps"] for call in engine_row["fit_calls"]] == [8]
        # The numpy engine does not train: the final logs are compared with the first engine that trained.
        assert engine_row["logs_reference"] == engine_row["engine"] and engine_row["logs_diff"] == 0
        # The script predicts after training, so its predictions differ from the untrained numpy model's.
        assert engine_row["predictions_diff"] > 1e-5


@pytest.fixture(scope="module")
def saved_cnn(tmp_path_factory):
    kerasx.utils.set_random_seed(0)
    model = kerasx.models.Sequential([
        kerasx.layers.Input(shape=(12, 12, 3)),
        # Named: automatic names count the layers made before in the process (other test files, under xdist).
        kerasx.layers.Conv2D(4, 3, activation="relu", name="conv2d"),
        kerasx.layers.MaxPooling2D(name="max_pooling2d"),
        kerasx.layers.Flatten(name="flatten"),
        kerasx.layers.Dense(5, activation="softmax", name="dense"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    path = str(tmp_path_factory.mktemp("bench") / "cnn.keras")
    model.save(path)
    return path


def test_saved_model_predicts_alike_and_trains(saved_cnn):
    _installed(PREDICT_PAIR)
    rows = kerasx.utils.benchmark(saved_cnn, engines=PREDICT_PAIR, batch_sizes=(1, 8), train=True, train_steps=5)
    for row in rows:
        _check_timings(row)
        assert set(row["predict_ms"]) == {"1", "8"}
        for size, milliseconds in row["predict_ms"].items():
            assert row["predict_samples_per_s"][size] == pytest.approx(1000 * int(size) / milliseconds)
        # port_check's keys: the model's output and each layer's.
        assert set(row["port_check"]) == {"output/0", "layer/conv2d", "layer/max_pooling2d", "layer/flatten",
                                          "layer/dense"}
        assert max(row["port_check"].values()) < 1e-5
        assert row["predictions_diff"] < 1e-5
    assert rows[0]["fit_calls"] == []  # the numpy engine does not train
    trained = rows[1]
    if trained["engine"] != "numpy":
        [fit_call] = trained["fit_calls"]
        assert fit_call["steps"] == 5 and fit_call["samples_per_s"] == pytest.approx(8 * fit_call["steps_per_s"])
        assert set(trained["final_logs"]) == {"loss", "accuracy"}
        assert np.isfinite(trained["final_logs"]["loss"])


def test_failure_on_one_engine_leaves_the_others_and_missing_engines_are_skipped(monkeypatch):
    # The driver's handling does not depend on the engine: jax, the quickest to import after numpy, runs the script.
    other = "jax"
    absent = "tensorflow"
    _installed(["numpy", other])
    monkeypatch.setattr(_driver, "installed", lambda engine: engine != absent)
    rows = _driver.benchmark(os.path.join(PROGRAMS, "fails_on_numpy.py"), engines=["numpy", other, absent])
    failed, ran, skipped = rows
    assert failed["status"] == "failed" and failed["exit_code"] == 1
    assert "RuntimeError: this program does not run on the numpy engine" in failed["error"]
    assert ran["status"] == "ok" and ran["note"] == _driver.NO_RUN_NOTE
    assert ran["fit_calls"] == [] and ran["predict_calls"] == 0 and ran["wall_s"] > 0
    assert ran["reference"] == other and ran["predictions_diff"] is None
    assert skipped == {"engine": absent, "status": "skipped", "note": _driver.NOT_INSTALLED.format(engine=absent)}
    assert f'pip install "kerasx[{absent}]"' in skipped["note"]
    table = _report.format_table(rows)
    assert "RuntimeError: this program does not run on the numpy engine" in table
    assert f"{other}: {_driver.NO_RUN_NOTE}" in table


def test_timer_counts_steps_after_the_first():
    timer = StepTimer(started=10.0)
    timer.step_ends = [11.0, 11.5, 12.0, 12.5]
    timer.ended = 12.5
    timer.on_train_end({"loss": np.float32(0.25)})
    timer.ended = 12.5
    result = timer.result(samples_per_step=4)
    assert result["steps"] == 4 and result["first_step_s"] == 1.0
    assert result["steps_per_s"] == pytest.approx(3 / 1.5)
    assert result["samples_per_s"] == pytest.approx(4 * 3 / 1.5)
    assert result["final_logs"] == {"loss": 0.25}


def _fake_rows():
    return [
        {"engine": "jax", "status": "ok", "wall_s": 5.0, "import_s": 1.0, "steps_per_s": 100.0,
         "peak_rss_mb": 300.0, "peak_device_mb": None, "final_logs": {"loss": 0.5}, "predict_s": 0.002,
         "logs_diff": 0.0, "predictions_diff": 0.0, "reference": "jax"},
        {"engine": "torch", "status": "ok", "wall_s": 6.0, "import_s": 2.0, "steps_per_s": 50.0,
         "peak_rss_mb": 250.0, "peak_device_mb": 10.0, "final_logs": {"loss": 0.5}, "predict_s": 0.001,
         "logs_diff": 2e-7, "predictions_diff": float("inf"), "reference": "jax"},
    ]


def test_report_formats():
    text = _report.format_table(_fake_rows()).splitlines()
    assert text[1].split() == ["jax", "ok", "5", "1", "-", "100", "-", "2", "300", "-", "loss=0.5", "0", "0"]
    assert text[2].split()[-3:] == ["loss=0.5", "2.0e-07", "inf"]
    assert json.loads(_report.to_json(_fake_rows()))[1]["predictions_diff"] == "inf"


def test_plot_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "bench.png"
    _report.plot(_fake_rows(), str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("target, message", [
    (os.path.join(PROGRAMS, "absent.py"), "needs an existing script"),
    (lambda: None, "must be reachable by name"),
])
def test_unrunnable_targets_are_value_errors(target, message):
    with pytest.raises(ValueError, match=message):
        kerasx.utils.benchmark(target, engines=["numpy"])


def test_unknown_engine_is_a_value_error():
    with pytest.raises(ValueError, match="Received: engines=\\['mxnet'\\]"):
        kerasx.utils.benchmark(os.path.join(PROGRAMS, "mlp.py"), engines="mxnet")


def test_a_function_runs_by_name_in_each_engines_process():
    [row] = kerasx.utils.benchmark(functions.predict_twice, engines=["numpy"])
    _check_timings(row)
    assert row["predict_calls"] == 2 and row["predict_s"] > 0 and row["predictions_diff"] == 0


@pytest.mark.parametrize("text, expected", [
    (None, None), ("true", True), ("False", False), ("auto", "auto"),
    ("jax=true,tensorflow=false", {"jax": True, "tensorflow": False}),
])
def test_jit_compile_choices(text, expected):
    choice = _cli._jit_compile(text)
    assert choice == expected
    assert _driver._jit_choice(choice, "tensorflow") == (expected.get("tensorflow") if isinstance(expected, dict)
                                                         else expected)


def test_unknown_jit_compile_choice_is_a_value_error():
    with pytest.raises(ValueError, match="Received: 'jax=maybe'"):
        _cli._jit_compile("jax=maybe")
