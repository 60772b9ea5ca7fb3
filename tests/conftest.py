"""Test configuration: the suite runs once per backend, selected with KERAS_BACKEND (see noxfile.py).

`--conformance-json PATH` writes, after the run, every test's outcome and the largest error `support.assert_close`
saw in it, for the conformance report (`python tests/conformance.py`). `--timings-log PATH` appends a line per test
phase as it ends (`outcome seconds phase end worker nodeid`), so failures and slow files can be read while a long run
goes on: `python tests/timings.py PATH` sums it per file.
"""

import datetime
import json
import os
import sys
import time
import zlib
from pathlib import Path

# Keras 3's TensorFlow convolutions (the oracle of the channels_first tests) call TensorFlow's NCHW kernels, which on
# the CPU exist only among oneDNN's; TensorFlow turns oneDNN on by itself only on CPUs with AVX-512, so without this
# the machine's CPU would decide whether those tests can run. Set before kerasx imports TensorFlow.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
# The jax tests compile thousands of small programs once each: without LLVM's optimization passes XLA compiles them
# about a third faster, and the tests measure results, not speed (noxfile.py sets the same for its sessions).
os.environ.setdefault("XLA_FLAGS", "--xla_backend_optimization_level=0 --xla_llvm_disable_expensive_passes=true")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import kerasx  # noqa: E402
import support
from kerasx.dtype_policies import _dtype_policy  # noqa: E402

BACKEND = kerasx.backend.backend()

_OUTCOMES: dict = {}


@pytest.fixture(autouse=True)
def _fixed_numpy_seed():
    np.random.seed(1234)


@pytest.fixture(autouse=True)
def _process_dtype_settings_restored():
    """Puts back `floatx()` and the global dtype policy after each test.

    A test that "restores" with `set_global_policy("float32")` leaves an explicit float32 policy behind, which then
    outranks `set_floatx("float64")` in whichever test the same xdist worker runs next (CI failed that way once).
    """
    floatx = kerasx.backend.floatx()
    policy = _dtype_policy.GLOBAL_POLICY[0]
    yield
    _dtype_policy.GLOBAL_POLICY[0] = policy
    if kerasx.backend.floatx() != floatx:
        kerasx.backend.set_floatx(floatx)


def pytest_report_header(config):
    return f"kerasx backend: {BACKEND}"


def pytest_addoption(parser):
    parser.addoption(
        "--conformance-json",
        metavar="PATH",
        default=None,
        help="write each test's outcome and the max abs error seen by support.assert_close to PATH (JSON)",
    )
    parser.addoption(
        "--applications-share",
        action="store_true",
        help="run only this backend's share of the `applications` tests (CI: each runs on one backend per run)",
    )
    parser.addoption(
        "--timings-log",
        metavar="PATH",
        default=None,
        help="append `outcome seconds phase end worker nodeid` to PATH as each test phase ends (see tests/timings.py)",
    )


# The application tests build Keras's model and kerasx's for each constructor (5-10 s each on CI's machine, about 130
# tests per backend). They all carry the `applications` marker (left out of the normal run by pyproject.toml's `-m`).
# CI runs them inside each backend's test session with `--applications-share`: each test on one backend, and in
# one of two halves that alternate by day, both chosen by a hash of the test's name; so two CI runs on consecutive
# days run every test once, at about 10 minutes per run. `nox -s applications` runs all on every backend.
# Weighted by cost: building a large application on jax compiles every initializer and layer separately, about three
# times torch's time for the same test (EfficientNetV2L: 227 s on jax), so jax takes one share in seven.
SHARE_BACKENDS = ("jax", "torch", "torch", "tensorflow", "tensorflow", "numpy", "numpy")
SHARE_HALVES = 2
APPLICATIONS_FOLDER = "tests/applications/"
SHARED_EXAMPLES = "tests/test_examples_seed.py"
TRAINING_BACKENDS = ("jax", "torch", "tensorflow")


def _is_mine(nodeid: str) -> bool:
    code = zlib.crc32(nodeid.encode())
    half = datetime.date.today().toordinal() % SHARE_HALVES
    return SHARE_BACKENDS[code % len(SHARE_BACKENDS)] == BACKEND and (code // len(SHARE_BACKENDS)) % SHARE_HALVES == half


# Seconds each test file took per backend in a full run (tests/timings.py --write). Under pytest-xdist's
# `--dist loadfile` a worker takes whole files in collection order as it frees up, so the run ends when the worker
# that took the last big file ends: sorting files longest first (and `--no-loadscope-reorder`, so xdist keeps that
# order instead of ordering by test count) leaves only small files for the end. A file without a record (a new one)
# counts as NEW_FILE_SECONDS.
FILE_DURATIONS = Path(__file__).with_name("file_durations.json")
NEW_FILE_SECONDS = 60.0


def _longest_files_first(items) -> None:
    if not FILE_DURATIONS.exists():
        return
    durations = json.loads(FILE_DURATIONS.read_text()).get(BACKEND, {})
    rank = {}
    for position, item in enumerate(items):
        path = item.nodeid.split("::")[0]
        rank.setdefault(path, (-durations.get(path, NEW_FILE_SECONDS), position))
    items.sort(key=lambda item: rank[item.nodeid.split("::")[0]])


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.startswith(APPLICATIONS_FOLDER):
            item.add_marker(pytest.mark.applications)
    _longest_files_first(items)
    if not config.getoption("--applications-share"):
        return
    kept, dropped = [], []
    for item in items:
        # Marked tests elsewhere (the full-size CIFAR-10 test) pick their own backend, but for the slow example runs,
        # which train: each runs on one of the training backends per CI run (the normal run checks that all three
        # engines give the same first losses on the quick example).
        if item.nodeid.startswith(APPLICATIONS_FOLDER):
            is_mine = _is_mine(item.nodeid)
        elif item.nodeid.startswith(SHARED_EXAMPLES):
            is_mine = TRAINING_BACKENDS[zlib.crc32(item.nodeid.encode()) % len(TRAINING_BACKENDS)] == BACKEND
        else:
            is_mine = True
        (kept if is_mine else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


# Worst outcome over a test's setup, call and teardown phases wins.
_SEVERITY = {"passed": 0, "skipped": 1, "failed": 2, "error": 3}


_TIMINGS_LOG: list = []


def pytest_configure(config):
    # Under pytest-xdist the controller receives every worker's reports: only it writes, once per phase.
    path = config.getoption("--timings-log")
    if path and not hasattr(config, "workerinput"):
        # `{backend}` in the path keeps one log per backend when a script runs every backend's session in turn.
        _TIMINGS_LOG.append(path.replace("{backend}", BACKEND))


def pytest_runtest_logreport(report):
    if _TIMINGS_LOG:
        # The phase's end (seconds since the epoch) and its xdist worker show when a worker sat idle (the end of a
        # session waiting on one long file): `python tests/timings.py --idle PATH`.
        worker = getattr(getattr(report, "node", None), "gateway", None)
        worker_id = getattr(worker, "id", "main")
        # A parametrized id can hold a newline; the log keeps one line per phase.
        nodeid = report.nodeid.replace("\n", "\\n")
        with open(_TIMINGS_LOG[0], "a") as log:
            log.write(f"{report.outcome} {report.duration:.3f} {report.when} {time.time():.1f} {worker_id} {nodeid}\n")
    if report.failed:
        outcome = "failed" if report.when == "call" else "error"
    elif report.skipped:
        outcome = "skipped"
    else:
        outcome = "passed"
    previous = _OUTCOMES.get(report.nodeid, "passed")
    _OUTCOMES[report.nodeid] = max(previous, outcome, key=_SEVERITY.__getitem__)


def _records() -> dict:
    # Merged over every loaded copy of the helpers, in case a test file imports them as `tests.support`.
    copies = {id(m): m for m in (support, sys.modules.get("tests.support")) if m is not None}
    records: dict = {}
    for module in copies.values():
        for nodeid, record in module.CONFORMANCE_RECORDS.items():
            merged = records.setdefault(nodeid, {"max_abs_error": 0.0, "num_comparisons": 0})
            merged["max_abs_error"] = max(merged["max_abs_error"], record["max_abs_error"])
            merged["num_comparisons"] += record["num_comparisons"]
    return records


def pytest_sessionfinish(session, exitstatus):
    path = session.config.getoption("--conformance-json")
    if not path:
        return
    records = _records()
    tests = {
        nodeid: {"outcome": outcome, **records.get(nodeid, {"max_abs_error": None, "num_comparisons": 0})}
        for nodeid, outcome in _OUTCOMES.items()
    }
    content = {"backend": BACKEND, "ops": sorted(kerasx.ops.__all__), "exit_status": int(exitstatus), "tests": tests}
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(content, indent=1, sort_keys=True))
