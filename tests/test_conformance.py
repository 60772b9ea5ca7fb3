"""The conformance report's pieces: error recording in `support.assert_close` and grouping of tests by op."""

import numpy as np
import pytest

import conformance
import support


@pytest.mark.parametrize(
    "actual, expected, error",
    [
        ([1.0, 2.0], [1.0, 2.5], 0.5),
        ([np.nan, 1.0], [np.nan, 1.0], 0.0),
        ([np.inf, -np.inf], [np.inf, -np.inf], 0.0),
        ([np.nan, 1.0], [0.0, 1.0], float("inf")),
        ([np.inf], [1.0], float("inf")),
        ([1.0, 2.0], [1.0], float("inf")),
        ([], [], 0.0),
    ],
)
def test_max_abs_error(actual, expected, error):
    assert support.max_abs_error(np.array(actual), np.array(expected)) == error


def test_assert_close_records_the_largest_error_of_the_current_test(request):
    support.assert_close(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-7]))
    support.assert_close(np.array([3.0]), np.array([3.0 - 4e-7]))
    with pytest.raises(AssertionError):
        support.assert_close(np.array([1.0]), np.array([1.5]))
    record = support.CONFORMANCE_RECORDS[request.node.nodeid]
    assert record["num_comparisons"] == 3
    assert record["max_abs_error"] == pytest.approx(0.5)


OPS = {"add", "relu", "conv", "conv_transpose", "slice", "slice_update"}


@pytest.mark.parametrize(
    "nodeid, op",
    [
        ("tests/test_ops_numpy.py::test_binary[add-broadcast]", "add"),
        ("tests/test_ops_numpy.py::test_binary[add-float32-broadcast]", "add"),
        ("tests/test_ops_nn.py::test_conv[conv_transpose-2d-same]", "conv_transpose"),
        ("tests/test_ops_nn.py::test_relu", "relu"),
        ("tests/test_ops_core.py::test_slice_update_traced_start[eager]", "slice_update"),
        ("tests/test_ops_core.py::test_slice_errors", "slice"),
        ("tests/test_ops_core.py::test_sliced[x]", "(not an op) tests/test_ops_core.py::test_sliced"),
        ("tests/test_ops_nn.py::test_helper[x-1]", "(not an op) tests/test_ops_nn.py::test_helper"),
    ],
)
def test_op_of_reads_the_parametrize_id(nodeid, op):
    assert conformance.op_of(nodeid, OPS) == op


def test_group_by_op_and_markdown():
    raw = {
        "numpy": {
            "exit_status": 1,
            "ops": sorted(OPS),
            "tests": {
                "t.py::test_a[add-x]": {"outcome": "passed", "max_abs_error": 1e-7, "num_comparisons": 1},
                "t.py::test_a[add-y]": {"outcome": "failed", "max_abs_error": 0.5, "num_comparisons": 1},
                "t.py::test_b[relu-x]": {"outcome": "skipped", "max_abs_error": None, "num_comparisons": 0},
            },
        }
    }
    grouped = conformance.group_by_op(raw)
    assert grouped["add"]["numpy"]["passed"] == 1
    assert grouped["add"]["numpy"]["failures"] == ["t.py::test_a[add-y]"]
    assert grouped["add"]["numpy"]["max_abs_error"] == 0.5
    report = conformance.markdown(grouped, raw, ["t.py"])
    assert "| add | FAIL 1/2, 5.0e-01 |" in report
    assert "| relu | skipped (1) |" in report
    assert "- numpy: `t.py::test_a[add-y]`" in report
