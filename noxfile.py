"""Developer tasks. `nox` runs what CI runs (session `ci`: lint, then every backend's tests, with its share of the
application tests, and doctests, each in two pytest-xdist workers); `nox -s tests-torch` runs the test suite on one
backend; `nox -s doctests` runs the docstring examples once per backend; `nox -s lint` runs ruff and pyright;
`nox -s surface` prints the coverage of Keras 3's public API; `nox -s conformance` and `nox -s import_time` run the
conformance report and the import-time benchmark.

Sessions use the current environment (`venv_backend="none"`): install once with
`pip install torch==2.13.0 && pip install -e ".[all,test]"`, nothing is reinstalled per session.
Extra arguments go to pytest: `nox -s tests-torch -- -k add -x`.
"""

import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nox

BACKENDS = ("jax", "torch", "tensorflow", "numpy")

# `python -m nox` is the whole check, as CI runs it: lint, then every backend's tests and doctests (session `ci`).
nox.options.sessions = ["ci"]


# The jax tests compile thousands of small programs once each, so XLA's compile time, not run time, is most of their
# time: compiling without LLVM's optimization passes took test_losses.py from 234 s to 160 s here. Same flags as
# tests/conftest.py sets for a plain pytest run.
JAX_TEST_XLA_FLAGS = "--xla_backend_optimization_level=0 --xla_llvm_disable_expensive_passes=true"


def backend_env(backend: str) -> dict:
    # TF_ENABLE_ONEDNN_OPTS: TensorFlow's NCHW convolutions on the CPU (Keras 3's channels_first path, which the
    # tests and doctests compare with) exist only among oneDNN's kernels, which TensorFlow turns on by itself only on
    # CPUs with AVX-512 (see tests/conftest.py).
    env = {"KERAS_BACKEND": backend, "TF_ENABLE_ONEDNN_OPTS": "1"}
    if backend == "torch":
        # CI runs two xdist workers on two cores: torch's OpenMP threads then only contend (and spin) for the other
        # worker's core. One thread per worker took a torch test sample from 70 s to 58 s here; TensorFlow's and
        # XLA's thread pools showed no such difference, and keep their defaults.
        env["OMP_NUM_THREADS"] = os.environ.get("OMP_NUM_THREADS", "1")
    if backend == "jax":
        # 64-bit dtypes are part of the dtype table; jax narrows them to 32 bits unless x64 is enabled.
        env["JAX_ENABLE_X64"] = "1"
        env["XLA_FLAGS"] = JAX_TEST_XLA_FLAGS
    return env


def _tests_session(backend: str):
    @nox.session(name=f"tests-{backend}", venv_backend="none")
    def tests(session: nox.Session) -> None:
        session.run("python", "-m", "pytest", *session.posargs, env=backend_env(backend))

    tests.__doc__ = f"Run the test suite with KERAS_BACKEND={backend}."
    return tests


for _backend in BACKENDS:
    _tests_session(_backend)


# Every test of tests/applications/ (and the full-size CIFAR-10 test of tests/test_datasets.py, the slow example runs of
# tests/test_examples_seed.py) carries the marker `applications` (tests/conftest.py), which the normal run leaves out;
# these sessions run them all. CI runs, inside each backend's test session, that backend's share of the day's half
# (`--applications-share`), so that two CI runs on consecutive days run every test once (see tests/conftest.py).
APPLICATIONS_ONLY = (
    "-m", "applications", "tests/applications", "tests/test_datasets.py", "tests/test_examples_seed.py",
)


def _applications_session(backend: str):
    @nox.session(name=f"applications-{backend}", venv_backend="none")
    def applications(session: nox.Session) -> None:
        session.run("python", "-m", "pytest", *APPLICATIONS_ONLY, *session.posargs, env=backend_env(backend))

    applications.__doc__ = f"Run the application tests marked `applications` with KERAS_BACKEND={backend}."
    return applications


for _backend in BACKENDS:
    _applications_session(_backend)


@nox.session(venv_backend="none")
def applications(session: nox.Session) -> None:
    """Run every application test on every backend in turn."""
    for backend in BACKENDS:
        session.run("python", "-m", "pytest", *APPLICATIONS_ONLY, *session.posargs, env=backend_env(backend))


# Every docstring example of the package runs as a doctest ("ours run or do not exist"). The engine packages
# (`kerasx/backend/<engine>/`) are not collected: importing another engine's modules would import that engine.
DOCTEST_ARGS = ("kerasx",) + tuple(f"--ignore=kerasx/backend/{engine}" for engine in BACKENDS)


def _doctest_command(*posargs) -> tuple:
    return ("python", "-m", "pytest", "--doctest-modules", *DOCTEST_ARGS, *posargs)


def _doctests_session(backend: str):
    @nox.session(name=f"doctests-{backend}", venv_backend="none")
    def doctests(session: nox.Session) -> None:
        session.run(*_doctest_command(*session.posargs), env=backend_env(backend))

    doctests.__doc__ = f"Run the docstring examples with KERAS_BACKEND={backend}."
    return doctests


for _backend in BACKENDS:
    _doctests_session(_backend)


@nox.session(venv_backend="none")
def doctests(session: nox.Session) -> None:
    """Run the docstring examples once per backend: each prints the same text on every engine."""
    for backend in BACKENDS:
        session.run(*_doctest_command(*session.posargs), env=backend_env(backend))


@nox.session(venv_backend="none")
def surface(session: nox.Session) -> None:
    """Print kerasx's coverage of Keras 3's public names and keywords per namespace (tests/test_surface.py fails on
    any gap that tests/surface_absences.py does not list)."""
    session.run("python", "tests/keras_surface.py", *session.posargs)


@nox.session(venv_backend="none")
def lint(session: nox.Session) -> None:
    """ruff (style and correctness) and pyright (types, basic mode), as configured in pyproject.toml."""
    session.run("python", "-m", "ruff", "check", "kerasx", "tests", "benchmarks", "examples", "noxfile.py")
    session.run("python", "-m", "pyright")


# CI's machine has 2 cores. Each session below runs its tests in two pytest-xdist workers that take whole test files
# as they free up (`--dist loadfile`: a file's module-level fixtures are built once), so both cores stay busy to the
# end of every session whatever its size; two fixed chains of sessions side by side left one core idle for the last
# quarter of the run, as the jax chain took a third longer than the other.
# The application tests run inside each backend's test session (its share of them, `--applications-share`, with
# `-m` widened to take them in): one start and collection per backend instead of two, and their long files join the
# same longest-first queue instead of ending a session of their own.
CI_SESSIONS = tuple(f"{kind}-{backend}" for backend in BACKENDS for kind in ("tests", "doctests"))
WITH_APPLICATIONS_SHARE = ("-m", "applications or not applications", "--applications-share")
# `--no-loadscope-reorder`: xdist would otherwise order files by their number of tests; tests/conftest.py orders
# them by their recorded duration, longest first (tests/file_durations.json), so no long file starts last.
XDIST = ("-n", "2", "--dist", "loadfile", "--no-loadscope-reorder")


@nox.session(venv_backend="none")
def ci(session: nox.Session) -> None:
    """lint, then the tests (with their share of the application tests) and the doctests of every backend, one session
    after the other, each in two workers; a failed session does not stop the later ones, and fails this one at the
    end. Last, it prints each session's wall time and each test session's slowest files, so that the end of CI's
    output (all that is kept of a run) tells where its time went."""
    started = time.monotonic()
    lint(session)
    failed, rows = [], [f"{'lint':24} {time.monotonic() - started:7.0f} s"]
    logs = Path(tempfile.mkdtemp(prefix="kerasx-ci-timings-"))
    for name in CI_SESSIONS:
        extra = (f"--timings-log={logs / name}.log", *WITH_APPLICATIONS_SHARE) if name.startswith("tests-") else ()
        command = [sys.executable, "-m", "nox", "-s", name, "--", *XDIST, *extra, *session.posargs]
        print(f"\n===== nox -s {name} =====", flush=True)
        begun = time.monotonic()
        returncode = subprocess.run(command).returncode
        rows.append(f"{name:24} {time.monotonic() - begun:7.0f} s{'  FAILED' if returncode else ''}")
        if returncode != 0:
            failed.append(name)
    rows.append(f"{'total':24} {time.monotonic() - started:7.0f} s")
    print("\n===== where the time went =====\n" + "\n".join(rows), flush=True)
    # tests/timings.py reads the --timings-log files; tests/ is no package, so it is loaded from its path.
    spec = importlib.util.spec_from_file_location("timings", Path(__file__).parent / "tests" / "timings.py")
    assert spec is not None and spec.loader is not None
    timings = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(timings)
    for log in sorted(logs.glob("*.log")):
        per_file = timings.per_file_seconds(str(log))
        print(f"{log.stem}: {sum(per_file.values()):.0f} s of test time; slowest files: " + ", ".join(
            f"{Path(name).stem} {seconds:.0f}" for name, seconds in per_file.most_common(8)
        ), flush=True)
    if failed:
        session.error(f"failed: {', '.join(failed)} (each session's output is above)")


@nox.session(venv_backend="none")
def conformance(session: nox.Session) -> None:
    """Write reports/conformance.md and reports/conformance.json (op x backend: pass/fail, max error)."""
    session.run("python", "tests/conformance.py", *session.posargs)


@nox.session(venv_backend="none")
def import_time(session: nox.Session) -> None:
    """Median `import kerasx` vs `import <engine>` time per installed engine."""
    session.run("python", "benchmarks/import_time.py", *session.posargs)


@nox.session(venv_backend="none")
def benchmarks(session: nox.Session) -> None:
    """kerasx vs hand-written engine loops vs Keras 3 (`nox -s benchmarks -- --quick` for the smoke test)."""
    session.run("python", "benchmarks/run.py", *session.posargs)
