"""Engine selection: KERAS_BACKEND, else $KERASX_HOME/kerasx.json, else jax; clear errors otherwise.

Each test starts a fresh interpreter (`support.run_python`) with a controlled environment. Most of them select the
numpy backend or block the engine module (`sys.modules[name] = None`), so they import no engine and cost ~0.3 s;
the ones that must import a real engine run only in that backend's session.
"""

import pytest

import support
from kerasx.backend import _config

PRINT_SETTINGS = "import kerasx; print(kerasx.backend.backend(), kerasx.backend.floatx())"
ENGINES = ("jax", "torch", "tensorflow")


def blocked(*modules: str) -> str:
    """Prelude making `import <module>` fail as if the package were not installed."""
    return "import sys\n" + "".join(f"sys.modules[{m!r}] = None\n" for m in modules)


def test_unknown_backend_lists_valid_names(tmp_path):
    result = support.run_python("import kerasx", tmp_path, env={"KERAS_BACKEND": "mxnet"})
    assert result.returncode != 0
    assert "ValueError" in result.stderr
    assert "KERAS_BACKEND='mxnet'" in result.stderr
    for name in _config.VALID_BACKENDS:
        assert name in result.stderr.split("Valid backends are:")[1]


def test_unknown_backend_in_config_file_names_the_file(tmp_path):
    result = support.run_python("import kerasx", tmp_path, config={"backend": "theano"})
    assert result.returncode != 0
    assert "ValueError" in result.stderr
    assert "kerasx.json:backend='theano'" in result.stderr


def test_config_file_selects_backend_when_env_unset(tmp_path):
    result = support.run_python(PRINT_SETTINGS, tmp_path, config={"backend": "numpy", "floatx": "float64"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["numpy", "float64"]


def test_env_var_wins_over_config_file(tmp_path):
    # The config names torch, which is blocked: only KERAS_BACKEND=numpy lets the import succeed.
    code = blocked("torch") + PRINT_SETTINGS
    result = support.run_python(code, tmp_path, env={"KERAS_BACKEND": "numpy"}, config={"backend": "torch"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["numpy", "float32"]


def test_config_file_that_is_not_json_is_a_clear_error(tmp_path):
    (tmp_path / "kerasx_home").mkdir()
    (tmp_path / "kerasx_home" / "kerasx.json").write_text("backend = torch")
    result = support.run_python("import kerasx", tmp_path)
    assert result.returncode != 0
    assert "ValueError" in result.stderr
    assert "is not a JSON object" in result.stderr


def test_default_backend_is_jax_without_importing_it(tmp_path):
    # With jax blocked, the default selection shows up as the missing-engine error for jax.
    result = support.run_python(blocked("jax") + "import kerasx", tmp_path)
    assert result.returncode != 0
    assert "kerasx backend 'jax' is selected (by default)" in result.stderr
    assert 'pip install "kerasx[jax]"' in result.stderr


def test_missing_engine_chosen_by_config_file_names_the_file(tmp_path):
    result = support.run_python(blocked("torch") + "import kerasx", tmp_path, config={"backend": "torch"})
    assert result.returncode != 0
    assert "ImportError" in result.stderr
    assert f"kerasx backend 'torch' is selected (by {tmp_path / 'kerasx_home' / 'kerasx.json'})" in result.stderr


@pytest.mark.skipif(support.BACKEND != "jax", reason="imports jax; runs in the jax session")
def test_default_backend_is_jax(tmp_path):
    result = support.run_python(PRINT_SETTINGS, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["jax", "float32"]


@pytest.mark.parametrize("engine", ENGINES)
def test_missing_engine_names_the_pip_extra(tmp_path, engine):
    if engine != support.BACKEND:
        pytest.skip(f"runs in the {engine} session")
    result = support.run_python(blocked(engine) + "import kerasx", tmp_path, env={"KERAS_BACKEND": engine})
    assert result.returncode != 0
    assert "ImportError" in result.stderr
    assert f"kerasx backend '{engine}' is selected (by KERAS_BACKEND)" in result.stderr
    assert f'pip install "kerasx[{engine}]"' in result.stderr
