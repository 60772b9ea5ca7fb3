"""Xception (smallest input 71x71) and InceptionV3 (75x75) against Keras 3 (tests/applications_oracle.py):
layers, parameter counts, output shapes, Keras-written weights and the ImageNet file layout; the size checks."""

import pytest

import kerasx
from applications_oracle import check_application, keras


def test_xception_without_top_pooled(tmp_path):
    # The family's test in the normal run; the ImageNet layout is checked by the marked ones (CI time).
    check_application("Xception", tmp_path, include_top=False, pooling="avg", input_shape=(71, 71, 3),
                      imagenet_layout=False)


@pytest.mark.applications
def test_xception_with_top(tmp_path):
    check_application("Xception", tmp_path, classes=4, input_shape=(71, 71, 3))


@pytest.mark.applications
def test_inception_v3_with_top(tmp_path):
    check_application("InceptionV3", tmp_path, classes=6, input_shape=(75, 75, 3))


@pytest.mark.applications
def test_inception_v3_without_top_feature_map(tmp_path):
    result = check_application("InceptionV3", tmp_path, include_top=False, input_shape=(75, 75, 3),
                               imagenet_layout=False)
    assert tuple(result["kerasx"].output.shape) == (None, 1, 1, 2048)


@pytest.mark.parametrize("name, size", [("Xception", 70), ("InceptionV3", 74)])
def test_inputs_below_the_smallest_size_are_refused(name, size):
    kwargs = {"weights": None, "include_top": False, "input_shape": (size, size, 3)}
    with pytest.raises(ValueError):
        getattr(keras.applications, name)(**kwargs)
    with pytest.raises(ValueError, match="at least"):
        getattr(kerasx.applications, name)(**kwargs)
