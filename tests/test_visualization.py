"""`kerasx.visualization`: boxes drawn pixel for pixel as specified (Keras 3 needs OpenCV to draw them; where OpenCV
is installed, thin boxes are compared with Keras's), masks painted and blended as Keras 3 paints them, and the
matplotlib galleries (Agg backend): their figures, axes and images, against Keras 3's where it can plot them."""

import sys

import numpy as np
import pytest

import kerasx
import support
from kerasx import ops, visualization

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend is chosen before pyplot is imported

keras = pytest.importorskip("keras")
BACKEND = kerasx.backend.backend()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def blank(batch=1, height=12, width=16, channels=3, value=0):
    return np.full((batch, height, width, channels), value, "uint8")


def expected_outline(height, width, x1, y1, x2, y2, thickness):
    """The painted pixels, as the band between the outer and the inner rectangle of the outline."""
    outside, inside = thickness // 2, thickness - 1 - thickness // 2
    rows, cols = np.mgrid[0:height, 0:width]

    def within(top, bottom, left, right):
        return (rows >= top) & (rows <= bottom) & (cols >= left) & (cols <= right)

    outer = within(y1 - outside, y2 + outside, x1 - outside, x2 + outside)
    inner = within(y1 + inside + 1, y2 - inside - 1, x1 + inside + 1, x2 - inside - 1)
    return outer & ~inner


# draw_bounding_boxes -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("thickness", [1, 2, 3])
def test_draw_bounding_boxes_paints_exactly_the_outline(thickness):
    boxes = {"boxes": np.array([[[3, 2, 11, 9], [0, 0, 15, 11]]]), "labels": np.array([[1, 2]])}
    drawn = visualization.draw_bounding_boxes(blank(), boxes, "xyxy", color=(10, 20, 30), line_thickness=thickness)
    assert drawn.dtype == np.uint8 and drawn.shape == (1, 12, 16, 3)
    painted = expected_outline(12, 16, 3, 2, 11, 9, thickness) | expected_outline(12, 16, 0, 0, 15, 11, thickness)
    np.testing.assert_array_equal(drawn[0], np.where(painted[..., None], [10, 20, 30], 0))


def test_draw_bounding_boxes_fills_with_negative_thickness_and_skips_padding():
    boxes = {"boxes": np.array([[[1, 1, 3, 2], [5, 5, 9, 9]]]), "labels": np.array([[4, -1]])}
    drawn = visualization.draw_bounding_boxes(blank(), boxes, "xyxy", color=(255, 255, 255), line_thickness=-1)
    expected = np.zeros((12, 16), bool)
    expected[1:3, 1:4] = True
    np.testing.assert_array_equal(drawn[0, ..., 0] > 0, expected)


@pytest.mark.parametrize("bounding_box_format", ["rel_xyxy", "center_yxhw", "xywh"])
def test_draw_bounding_boxes_converts_formats(bounding_box_format):
    xyxy = np.array([[[2.0, 3.0, 10.0, 8.0]]], "float32")
    converted = keras.utils.bounding_boxes.convert_format(xyxy, "xyxy", bounding_box_format, height=12, width=16)
    boxes = {"boxes": keras.ops.convert_to_numpy(converted), "labels": np.array([[0]])}
    ours = visualization.draw_bounding_boxes(blank(), boxes, bounding_box_format, line_thickness=1)
    reference = visualization.draw_bounding_boxes(blank(), {"boxes": xyxy, "labels": np.array([[0]])}, "xyxy",
                                                  line_thickness=1)
    np.testing.assert_array_equal(ours, reference)
    assert (reference[0, 3, 2:11] == 128).all()


def test_draw_bounding_boxes_channels_first_and_engine_tensors():
    images = np.random.default_rng(0).integers(0, 200, (2, 12, 16, 3)).astype("uint8")
    boxes = {"boxes": np.array([[[1, 1, 8, 8]], [[4, 2, 20, 30]]]), "labels": np.array([[0], [3]])}
    last = visualization.draw_bounding_boxes(images, boxes, "xyxy", data_format="channels_last")
    first = visualization.draw_bounding_boxes(
        ops.convert_to_tensor(images.transpose(0, 3, 1, 2)),
        {key: ops.convert_to_tensor(value) for key, value in boxes.items()},
        "xyxy",
        data_format="channels_first",
    )
    np.testing.assert_array_equal(first, last.transpose(0, 3, 1, 2))
    assert not np.array_equal(last, images), "nothing was drawn"


def test_draw_bounding_boxes_scales_float_images_as_keras():
    boxes = {"boxes": np.zeros((1, 0, 4)), "labels": np.zeros((1, 0))}
    unit = np.linspace(0, 1, 12 * 16 * 3, dtype="float32").reshape(1, 12, 16, 3)
    np.testing.assert_array_equal(visualization.draw_bounding_boxes(unit, boxes, "xyxy"), (unit * 255).astype("uint8"))
    wide = unit * 400 - 50
    np.testing.assert_array_equal(
        visualization.draw_bounding_boxes(wide, boxes, "xyxy"), np.clip(wide, 0, 255).astype("uint8")
    )


def test_draw_bounding_boxes_grayscale_takes_the_first_color_value():
    boxes = {"boxes": np.array([[[0, 0, 3, 3]]]), "labels": np.array([[0]])}
    drawn = visualization.draw_bounding_boxes(blank(channels=1), boxes, "xyxy", color=(90, 10, 10), line_thickness=1)
    np.testing.assert_array_equal(drawn[0, ..., 0], np.where(expected_outline(12, 16, 0, 0, 3, 3, 1), 90, 0))


def test_draw_bounding_boxes_writes_labels_of_mapped_classes():
    pytest.importorskip("PIL")
    images = blank(batch=2, height=64, width=96)
    boxes = {"boxes": np.array([[[10, 40, 60, 60]], [[10, 40, 60, 60]]]), "labels": np.array([[1], [2]])}
    outline_only = visualization.draw_bounding_boxes(images, boxes, "xyxy", line_thickness=1)
    labelled = visualization.draw_bounding_boxes(images, boxes, "xyxy", class_mapping={1: "cat"}, line_thickness=1)
    # Class 1 is mapped: its name is written above the box (rows 0..31); class 2 is not: no text.
    assert (labelled[0, :32] != outline_only[0, :32]).any()
    np.testing.assert_array_equal(labelled[1], outline_only[1])
    assert set(np.unique(labelled[0])) <= {0, 128}
    with_score = visualization.draw_bounding_boxes(
        images, {**boxes, "confidences": np.array([[0.75], [0.5]])}, "xyxy", class_mapping={1: "cat"}
    )
    assert (with_score[0] > 0).sum() > (labelled[0] > 0).sum()


def test_draw_bounding_boxes_thin_boxes_match_keras_with_opencv():
    pytest.importorskip("cv2")
    images = np.random.default_rng(1).integers(0, 255, (2, 20, 24, 3)).astype("uint8")
    boxes = {"boxes": np.array([[[2, 3, 15, 12]], [[0, 0, 30, 10]]]), "labels": np.array([[0], [1]])}
    ours = visualization.draw_bounding_boxes(images, boxes, "xyxy", line_thickness=1)
    theirs = keras.visualization.draw_bounding_boxes(images, boxes, "xyxy", line_thickness=1)
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize(
    "images, boxes, error, match",
    [
        (np.zeros((4, 4, 3)), {"boxes": np.zeros((1, 1, 4)), "labels": np.zeros((1, 1))}, ValueError,
         r"draw_bounding_boxes\(\) takes a batch of images, a tensor of rank 4. Received: images.shape=\(4, 4, 3\)"),
        (np.zeros((1, 4, 4, 3)), np.zeros((1, 1, 4)), TypeError, r"as a dict with 'boxes' and 'labels'.*ndarray"),
        (np.zeros((1, 4, 4, 3)), {"boxes": np.zeros((1, 1, 4))}, ValueError, r"Received: keys \['boxes'\]"),
    ],
)
def test_draw_bounding_boxes_errors(images, boxes, error, match):
    with pytest.raises(error, match=match):
        visualization.draw_bounding_boxes(images, boxes, "xyxy")


# draw_segmentation_masks -------------------------------------------------------------------------------------------


def _segmentation_case(seed=0, dtype="uint8"):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (2, 5, 6, 3)).astype(dtype)
    masks = rng.integers(-1, 4, (2, 5, 6, 1)).astype("int32")
    return images, masks


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"num_classes": 4},
        {"num_classes": 4, "alpha": 0.35, "ignore_index": 0},
        {"num_classes": 3, "color_mapping": {0: (9, 9, 9), 1: (255, 0, 0), 2: (0, 255, 0)}},
        {"num_classes": 4, "blend": False},
    ],
    ids=["defaults", "num_classes", "alpha-ignore-0", "color_mapping", "no-blend"],
)
@pytest.mark.parametrize("dtype", ["uint8", "float32"])
def test_draw_segmentation_masks_matches_keras(kwargs, dtype):
    images, masks = _segmentation_case(dtype=dtype)
    if BACKEND in ("torch", "numpy") and masks.max() >= kwargs.get("num_classes", masks.max()):
        pytest.skip("Keras 3's one_hot fails on mask values >= num_classes on torch and numpy (so does its default "
                    "num_classes, the largest value); jax and tensorflow compare these cases")
    ours = visualization.draw_segmentation_masks(images, masks, **kwargs)
    theirs = np.asarray(keras.ops.convert_to_numpy(keras.visualization.draw_segmentation_masks(images, masks, **kwargs)))
    assert isinstance(ours, np.ndarray) and ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


def test_draw_segmentation_masks_channels_first_and_unbatched_channel():
    images, masks = _segmentation_case(seed=1)
    expected = np.asarray(keras.ops.convert_to_numpy(keras.visualization.draw_segmentation_masks(images, masks, 4)))
    first = visualization.draw_segmentation_masks(
        images.transpose(0, 3, 1, 2), masks.transpose(0, 3, 1, 2), 4, data_format="channels_first"
    )
    # Keras 3 returns channels-last images whatever `data_format`; so does kerasx.
    np.testing.assert_array_equal(first, expected)
    np.testing.assert_array_equal(visualization.draw_segmentation_masks(images, masks[..., 0], 4), expected)
    np.testing.assert_array_equal(
        visualization.draw_segmentation_masks(ops.convert_to_tensor(images), ops.convert_to_tensor(masks), 4), expected
    )


def test_draw_segmentation_masks_blends_by_alpha():
    images = blank(height=1, width=3, value=100)
    masks = np.array([[[[0], [1], [-1]]]])
    drawn = visualization.draw_segmentation_masks(
        images, masks, num_classes=2, color_mapping=[(200, 0, 100), (0, 50, 0)], alpha=0.25
    )
    np.testing.assert_array_equal(drawn[0, 0], [[125, 75, 100], [75, 87, 75], [100, 100, 100]])


def test_draw_segmentation_masks_errors():
    images, masks = _segmentation_case()
    with pytest.raises(TypeError, match=r"of an integer dtype. Received: segmentation_masks.dtype=float32"):
        visualization.draw_segmentation_masks(images, masks.astype("float32"))
    with pytest.raises(ValueError, match=r"Received no color for the classes \[1, 2\] \(num_classes=3\)"):
        visualization.draw_segmentation_masks(images, masks, num_classes=3, color_mapping={0: (1, 2, 3)})
    with pytest.raises(ValueError, match=r"draw_segmentation_masks\(\) takes a batch of images"):
        visualization.draw_segmentation_masks(images[0], masks[0])


# Galleries ---------------------------------------------------------------------------------------------------------


def _axes_images(figure):
    return [np.asarray(axis.images[0].get_array()) for axis in figure.axes if axis.images]


def test_plot_image_gallery_lays_out_the_images():
    images = np.random.default_rng(2).integers(0, 256, (4, 6, 5, 3)).astype("uint8")
    visualization.plot_image_gallery(
        images, y_true=np.array([0, 1, 2, 0]), y_pred=[1, 1, 0, 0], label_map={0: "a", 1: "b"}, show=False
    )
    figure = plt.gcf()
    assert len(figure.axes) == 4
    for shown, image in zip(_axes_images(figure), images):
        np.testing.assert_array_equal(shown, image)
    assert figure.axes[0].get_title() == "Label: a  Pred: b"
    assert figure.axes[2].get_title() == "Label: Unknown  Pred: a"


def test_plot_image_gallery_matches_keras():
    images = np.random.default_rng(3).uniform(0, 1, (5, 4, 4, 3)).astype("float32")
    keras.visualization.plot_image_gallery(images, value_range=(0, 1), show=False)
    theirs = plt.gcf()
    visualization.plot_image_gallery(images, value_range=(0, 1), show=False)
    ours = plt.gcf()
    assert ours is not theirs
    assert len(ours.axes) == len(theirs.axes) == 3  # Keras's grid: 3 rows of 5 // 3 = 1 column
    for mine, keras_image in zip(_axes_images(ours), _axes_images(theirs), strict=True):
        np.testing.assert_array_equal(mine, keras_image)
    np.testing.assert_array_equal(_axes_images(ours)[1], (images[1] * 255).astype("uint8"))


def test_plot_image_gallery_channels_first_grayscale_and_saving(tmp_path):
    images = np.random.default_rng(4).integers(0, 256, (2, 1, 4, 5)).astype("uint8")
    open_before = plt.get_fignums()
    path = tmp_path / "gallery.png"
    visualization.plot_image_gallery(images, rows=1, cols=2, path=str(path), data_format="channels_first")
    assert path.stat().st_size > 0
    assert plt.get_fignums() == open_before, "the saved figure was left open"
    visualization.plot_image_gallery(images, rows=1, cols=3, show=False, data_format="channels_first")
    figure = plt.gcf()
    assert len(figure.axes) == 3
    shown = _axes_images(figure)
    assert len(shown) == 2
    np.testing.assert_array_equal(shown[1], images[1, 0])


def test_plot_image_gallery_errors():
    images = blank(batch=2)
    with pytest.raises(ValueError, match=r"either saves the figure to `path` or shows it.*show=True"):
        visualization.plot_image_gallery(images, path="x.png", show=True)
    with pytest.raises(ValueError, match=r"needs a `label_map`"):
        visualization.plot_image_gallery(images, y_true=[0, 1], show=False)
    with pytest.raises(ValueError, match=r"plot_image_gallery\(\) takes a batch of images"):
        visualization.plot_image_gallery(images[0], show=False)


@pytest.mark.parametrize(
    "function, args",
    [
        ("plot_image_gallery", (blank(),)),
        ("plot_bounding_box_gallery", (blank(), "xyxy")),
        ("plot_segmentation_mask_gallery", (blank(), 2)),
    ],
)
def test_galleries_say_how_to_install_matplotlib(monkeypatch, function, args):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    monkeypatch.setitem(sys.modules, "matplotlib.patches", None)
    with pytest.raises(ImportError, match=r"needs the `matplotlib` package.*pip install matplotlib"):
        getattr(visualization, function)(*args, show=False)


def test_plot_bounding_box_gallery_draws_true_then_predicted_boxes():
    images = np.random.default_rng(5).integers(0, 100, (2, 3, 10, 12)).astype("uint8")  # channels first
    y_true = {"boxes": np.array([[[1, 1, 6, 6]], [[2, 2, 9, 7]]]), "labels": np.array([[0], [0]])}
    y_pred = {"boxes": np.array([[[3, 3, 8, 8]], [[0, 0, 4, 4]]]), "labels": np.array([[0], [-1]])}
    visualization.plot_bounding_box_gallery(
        images, "xyxy", y_true=y_true, y_pred=y_pred, rows=1, cols=2, legend=True, show=False,
        data_format="channels_first",
    )
    figure = plt.gcf()
    last = images.transpose(0, 2, 3, 1)
    expected = visualization.draw_bounding_boxes(last, y_true, "xyxy", color=(0, 188, 212))
    expected = visualization.draw_bounding_boxes(expected, y_pred, "xyxy", color=(255, 235, 59))
    for shown, image in zip(_axes_images(figure), expected, strict=True):
        np.testing.assert_array_equal(shown, image)
    assert [text.get_text() for text in figure.legends[0].get_texts()] == ["Ground Truth", "Prediction"]
    with pytest.raises(ValueError, match=r"takes `legend=True`.*or your own `legend_handles`, not both"):
        visualization.plot_bounding_box_gallery(last, "xyxy", legend=True, legend_handles=["x"], show=False)


@pytest.mark.parametrize("with_pred", [False, True])
def test_plot_segmentation_mask_gallery_matches_keras(with_pred):
    images, masks = _segmentation_case(seed=6)
    predicted = np.roll(masks, 1, axis=2) if with_pred else None
    keras.visualization.plot_segmentation_mask_gallery(images, 4, y_true=masks, y_pred=predicted, show=False)
    theirs = plt.gcf()
    visualization.plot_segmentation_mask_gallery(images, 4, y_true=masks, y_pred=predicted, show=False)
    ours = plt.gcf()
    assert ours is not theirs and len(ours.axes) == len(theirs.axes) == (6 if with_pred else 4)
    for mine, keras_image in zip(_axes_images(ours), _axes_images(theirs), strict=True):
        np.testing.assert_array_equal(mine, keras_image)
    np.testing.assert_array_equal(_axes_images(ours)[0], images[0])
    support.assert_close(_axes_images(ours)[1], visualization.draw_segmentation_masks(images, masks, 4)[0])


def test_importing_visualization_imports_neither_matplotlib_nor_pillow(tmp_path):
    code = (
        "import sys, kerasx.visualization, kerasx.utils.bounding_boxes; "
        "print(sorted(m for m in ('matplotlib', 'PIL', 'cv2') if m in sys.modules))"
    )
    result = support.run_python(code, tmp_path, env={"KERAS_BACKEND": "numpy"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
