"""ResNet50/101/152 and ResNet50V2/101V2/152V2 against Keras 3 (tests/applications_oracle.py): layers, parameter
counts, output shapes, Keras-written weights and the ImageNet file layout, at the smallest input (32x32)."""

import pytest

from applications_oracle import check_application

SMALL: dict = {"input_shape": (32, 32, 3)}


def test_resnet50v2_without_top_pooled(tmp_path):
    # The family's test in the normal run; the ImageNet layout is checked by the marked ones (CI time).
    check_application("ResNet50V2", tmp_path, include_top=False, pooling="avg", imagenet_layout=False, **SMALL)


@pytest.mark.applications
def test_resnet50_with_top(tmp_path):
    check_application("ResNet50", tmp_path, classes=10, classifier_activation=None, **SMALL)


@pytest.mark.applications
@pytest.mark.parametrize("name", ["ResNet101", "ResNet152", "ResNet101V2", "ResNet152V2"])
def test_deeper_resnets_without_top(tmp_path, name):
    check_application(name, tmp_path, include_top=False, pooling="max", imagenet_layout=False, **SMALL)


@pytest.mark.applications
def test_resnet50v2_with_top(tmp_path):
    check_application("ResNet50V2", tmp_path, classes=5, **SMALL)
