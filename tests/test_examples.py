"""The examples run on the session's backend and print what they promise (one subprocess each)."""

import support

QUICKSTART = support.REPO_ROOT / "examples" / "quickstart.py"


def test_quickstart_runs(tmp_path):
    code = f"import runpy; runpy.run_path({str(QUICKSTART)!r}, run_name='__main__')"
    result = support.run_python(code, tmp_path, env={"KERAS_BACKEND": support.BACKEND})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"on backend {support.BACKEND!r}" in lines[0]
    assert "[[2.5, -0.5], [4.5, 5.5]]  (float32)" in result.stdout
    assert "[300.0, -99.0]  (int16)" in result.stdout
    assert "shape (None, 2), dtype float32" in result.stdout
    assert "random.normal((3,), seed=42)" in lines[-1]
