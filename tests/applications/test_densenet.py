"""DenseNet121/169/201 against Keras 3 (tests/applications_oracle.py): layers, parameter counts, output shapes,
Keras-written weights and the ImageNet file layout, at the smallest input (32x32)."""

import pytest

from applications_oracle import check_application

SMALL: dict = {"input_shape": (32, 32, 3)}


def test_densenet121_without_top_pooled(tmp_path):
    # The family's test in the normal run; the ImageNet layout is checked by the marked ones (CI time).
    check_application("DenseNet121", tmp_path, include_top=False, pooling="max", imagenet_layout=False, **SMALL)


@pytest.mark.applications
def test_densenet121_with_top(tmp_path):
    check_application("DenseNet121", tmp_path, classes=10, **SMALL)


@pytest.mark.applications
@pytest.mark.parametrize("name", ["DenseNet169", "DenseNet201"])
def test_deeper_densenets(tmp_path, name):
    check_application(name, tmp_path, include_top=False, pooling="avg", imagenet_layout=False, **SMALL)
