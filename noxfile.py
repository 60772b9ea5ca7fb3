"""Developer tasks. `nox` runs what CI runs (session `ci`: lint, then every backend's tests and doctests, two chains
side by side); `nox -s tests-torch` runs the test suite on one backend; `nox -s doctests` runs the docstring examples
once per backend; `nox -s lint` runs ruff and pyright; `nox -s surface` prints the coverage of Keras 3's public
API; `nox -s conformance` and `nox -s import_time` run the conformance report and the import-time benchmark.

Sessions use the current environment (`venv_backend="none"`): install once with
`pip install torch==2.13.0 && pip install -e ".[all,test]"`, nothing is reinstalled per session.
Extra arguments go to pytest: `nox -s tests-torch -- -k add -x`.
"""

import contextlib
import subprocess
import sys
import tempfile

import nox

BACKENDS = ("jax", "torch", "tensorflow", "numpy")

# `python -m nox` is the whole check, as CI runs it: lint, then every backend's tests and doctests (session `ci`).
nox.options.sessions = ["ci"]


def backend_env(backend: str) -> dict:
    env = {"KERAS_BACKEND": backend}
    if backend == "jax":
        # 64-bit dtypes are part of the dtype table; jax narrows them to 32 bits unless x64 is enabled.
        env["JAX_ENABLE_X64"] = "1"
    return env


def _tests_session(backend: str):
    @nox.session(name=f"tests-{backend}", venv_backend="none")
    def tests(session: nox.Session) -> None:
        session.run("python", "-m", "pytest", *session.posargs, env=backend_env(backend))

    tests.__doc__ = f"Run the test suite with KERAS_BACKEND={backend}."
    return tests


for _backend in BACKENDS:
    _tests_session(_backend)


# The application constructors marked `applications` (tests/applications/, see tests/applications_oracle.py) are
# left out of `tests-<backend>`, which runs the one cheap constructor per family left unmarked; CI runs the marked
# ones in these sessions, with the full-size CIFAR-10 archive of tests/test_datasets.py (slow, marked the same
# way). `nox -s applications` runs the whole folder, marked or not, on every backend.
APPLICATIONS_ONLY = ("-m", "applications", "tests/applications", "tests/test_datasets.py")


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
    """Run every application test (tests/applications/, marked or not) once per backend."""
    for backend in BACKENDS:
        session.run("python", "-m", "pytest", "-m", "applications or not applications", "tests/applications",
                    *session.posargs, env=backend_env(backend))


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


# CI's machine has 2 cores: the backend sessions run as two chains side by side, each about half of the work (jax
# and tensorflow are the long test sessions). Sessions of one chain run one after the other, as `nox -s a b` does.
CI_CHAINS = (
    ("tests-jax", "tests-numpy", "doctests-jax", "doctests-numpy", "applications-jax", "applications-numpy"),
    ("tests-tensorflow", "tests-torch", "doctests-tensorflow", "doctests-torch", "applications-tensorflow",
     "applications-torch"),
)


@nox.session(venv_backend="none")
def ci(session: nox.Session) -> None:
    """lint, then the tests and doctests of every backend in two chains side by side; each chain's output is printed
    when it ends, and a failed session in either fails this one."""
    lint(session)
    failed = []
    with contextlib.ExitStack() as stack:
        chains = []
        for names in CI_CHAINS:
            log = stack.enter_context(tempfile.TemporaryFile(mode="w+"))
            command = [sys.executable, "-m", "nox", "-s", *names]
            if session.posargs:
                command += ["--", *session.posargs]
            chains.append((names, log, subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True)))
        for names, log, process in chains:
            code = process.wait()
            log.seek(0)
            print(f"\n===== nox -s {' '.join(names)}: exit {code} =====", flush=True)
            sys.stdout.write(log.read())
            sys.stdout.flush()
            if code != 0:
                failed.append(" ".join(names))
    if failed:
        session.error(f"failed: {'; '.join(failed)} (each chain's output is printed above)")


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
