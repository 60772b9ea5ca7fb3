"""Test configuration: the suite runs once per backend, selected with KERAS_BACKEND (see noxfile.py)."""

import numpy as np
import pytest

import kerasx

BACKEND = kerasx.backend.backend()


@pytest.fixture(autouse=True)
def _fixed_numpy_seed():
    np.random.seed(1234)


def pytest_report_header(config):
    return f"kerasx backend: {BACKEND}"
