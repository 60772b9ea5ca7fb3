"""Bounding boxes through the non-affine warps: RandomPerspective against Keras 3 for the same draw (its
`transform_bounding_boxes` and a dict call), RandomElasticTransform (which Keras 3 cannot do with boxes) against a
NumPy reference on the field its images move along, and a seed giving the same boxes on every kerasx engine."""

from __future__ import annotations

import numpy as np
import pytest

import kerasx
import support
from kerasx import ops
from kerasx.layers._preprocessing import _random_warp
from kerasx.utils import bounding_boxes

keras = pytest.importorskip("keras")

RNG = np.random.default_rng(5)
IMAGES = RNG.uniform(0, 255, (3, 7, 9, 2)).astype("float32")
# Inside, over the right edge, the whole image, and a padding box (-1) in the middle of the batch.
BOXES = {
    "boxes": np.array(
        [
            [[1, 2, 5, 6], [6, 3, 11, 8], [0, 0, 9, 7]],
            [[2, 1, 8, 7], [-1, -1, -1, -1], [0.5, 0.5, 2.5, 3.5]],
            [[0, 0, 3, 3], [4, 4, 9, 7], [7, 0, 9, 2]],
        ],
        "float32",
    ),
    "labels": np.array([[1, 2, 3], [3, -1, 4], [2, 5, 6]], "int32"),
}


def _boxes(library):
    return {key: library.ops.convert_to_tensor(value) for key, value in BOXES.items()}


def _keras_perspective(transformation, shape):
    """Keras 3's transformation dict made from kerasx's draw."""
    keys = ("start_points", "end_points", "apply_perspective")
    return {**{k: keras.ops.convert_to_tensor(support.to_numpy(transformation[k])) for k in keys}, "input_shape": shape}


def _numpy(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


# RandomPerspective -----------------------------------------------------------------------------------------------


def test_perspective_boxes_match_keras_for_the_same_draw():
    ours = kerasx.layers.RandomPerspective(factor=(0.5, 1.0), scale=0.6, seed=3, bounding_box_format="xyxy")
    theirs = keras.layers.RandomPerspective(factor=(0.5, 1.0), scale=0.6, bounding_box_format="xyxy")
    transformation = ours.get_random_transformation(ops.convert_to_tensor(IMAGES))
    # One image left alone: its boxes are only clipped, as in Keras.
    transformation["apply_perspective"] = ops.convert_to_tensor(np.array([True, False, True]))
    actual = ours.transform_bounding_boxes(_boxes(kerasx), transformation)
    expected = theirs.transform_bounding_boxes(_boxes(keras), _keras_perspective(transformation, IMAGES.shape))
    support.assert_close(actual["boxes"], _numpy(expected["boxes"]), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(support.to_numpy(actual["labels"]), _numpy(expected["labels"]))
    # The warp moved the boxes of the warped images, and the clipped box over the edge is inside the image now.
    moved = support.to_numpy(actual["boxes"])
    assert not np.allclose(moved[0], BOXES["boxes"][0]) and moved[0, 1, 2] <= 9
    np.testing.assert_array_equal(moved[1], np.clip(BOXES["boxes"][1], 0, [9, 7, 9, 7]))


@pytest.mark.parametrize("box_format", ["center_xywh", "rel_yxyx"])
def test_perspective_boxes_come_back_in_the_layer_format(box_format):
    # Keras 3.15 returns "xyxy" boxes whatever the layer's format; kerasx returns the layer's format, the same boxes.
    height, width = IMAGES.shape[1:3]
    boxes = bounding_boxes.convert_format(BOXES["boxes"][:, :1], "xyxy", box_format, height=height, width=width)
    ours = kerasx.layers.RandomPerspective(scale=0.4, seed=4, bounding_box_format=box_format)
    theirs = keras.layers.RandomPerspective(scale=0.4, bounding_box_format=box_format)
    transformation = ours.get_random_transformation(ops.convert_to_tensor(IMAGES))
    actual = ours.transform_bounding_boxes({"boxes": boxes, "labels": BOXES["labels"][:, :1]}, transformation)
    expected = theirs.transform_bounding_boxes(
        {"boxes": keras.ops.convert_to_tensor(support.to_numpy(boxes)), "labels": BOXES["labels"][:, :1]},
        _keras_perspective(transformation, IMAGES.shape),
    )
    as_xyxy = bounding_boxes.convert_format(actual["boxes"], box_format, "xyxy", height=height, width=width)
    support.assert_close(as_xyxy, _numpy(expected["boxes"]), rtol=1e-5, atol=1e-5)


def test_perspective_dict_call_moves_images_and_boxes_as_keras():
    data = {"images": IMAGES, "bounding_boxes": BOXES, "labels": np.arange(3)}
    drawn = kerasx.layers.RandomPerspective(scale=0.5, seed=9, bounding_box_format="xyxy")
    transformation = drawn.get_random_transformation({"images": ops.convert_to_tensor(IMAGES)})
    out = kerasx.layers.RandomPerspective(scale=0.5, seed=9, bounding_box_format="xyxy")(data)
    theirs = keras.layers.RandomPerspective(scale=0.5, bounding_box_format="xyxy")
    keras_transformation = _keras_perspective(transformation, IMAGES.shape)
    expected = theirs.transform_bounding_boxes(_boxes(keras), keras_transformation)
    support.assert_close(out["bounding_boxes"]["boxes"], _numpy(expected["boxes"]), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(support.to_numpy(out["bounding_boxes"]["labels"]), _numpy(expected["labels"]))
    support.assert_close(out["images"], _numpy(theirs.transform_images(IMAGES, keras_transformation)), atol=1e-4)
    np.testing.assert_array_equal(support.to_numpy(out["labels"]), np.arange(3))
    # At inference nothing moves.
    kept = drawn(data, training=False)["bounding_boxes"]
    np.testing.assert_array_equal(support.to_numpy(kept["boxes"]), BOXES["boxes"])


# RandomElasticTransform ------------------------------------------------------------------------------------------


def _reference_extent(boxes, labels, row_shifts, column_shifts):
    """NumPy: a box becomes the extent of the output pixel cells whose centre's source point lies in the box
    (computed in float32 as the layer adds), clipped to the image; a box no pixel shows collapses to zeros; boxes
    left without area get label -1."""
    _, height, width = row_shifts.shape
    moved = np.zeros_like(boxes)
    for b, n in np.ndindex(*boxes.shape[:2]):
        x1, y1, x2, y2 = boxes[b, n]
        source_x = column_shifts[b] + np.arange(width, dtype="float32") + np.float32(0.5)
        source_y = row_shifts[b] + np.arange(height, dtype="float32")[:, None] + np.float32(0.5)
        rows, columns = np.nonzero((source_x >= x1) & (source_x <= x2) & (source_y >= y1) & (source_y <= y2))
        if rows.size:
            moved[b, n] = [columns.min(), rows.min(), columns.max() + 1, rows.max() + 1]
    moved = np.clip(moved, 0, [width, height, width, height])
    area = (moved[..., 2] - moved[..., 0]) * (moved[..., 3] - moved[..., 1])
    return moved, np.where(area > 0, labels, -1)


def _elastic(**kwargs):
    return kerasx.layers.RandomElasticTransform(
        factor=(1.0, 1.0), scale=(0.6, 1.0), bounding_box_format="xyxy", **kwargs
    )


def test_elastic_field_is_the_one_the_images_move_along():
    # Images that hold their own row and column index: bilinear sampling of a ramp returns the source position,
    # wherever that lies inside the image.
    height, width = 12, 14
    rows, columns = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    ramps = np.broadcast_to(np.stack([rows, columns], -1), (2, height, width, 2)).astype("float32")
    layer = _elastic(seed=1)
    transformation = layer.get_random_transformation(ops.convert_to_tensor(ramps))
    warped = support.to_numpy(layer.transform_images(ops.convert_to_tensor(ramps), transformation))
    row_shifts, column_shifts = (support.to_numpy(v) for v in layer._displacements(transformation, height, width))
    source_rows, source_columns = rows + row_shifts, columns + column_shifts
    inside = (source_rows >= 0) & (source_rows <= height - 1) & (source_columns >= 0) & (source_columns <= width - 1)
    assert inside.mean() > 0.5 and np.abs(column_shifts).max() > 0.5
    np.testing.assert_allclose(warped[..., 0][inside], source_rows[inside], atol=1e-3)
    np.testing.assert_allclose(warped[..., 1][inside], source_columns[inside], atol=1e-3)


def test_elastic_boxes_match_a_numpy_reference_on_the_same_field():
    height, width = 12, 14
    images = RNG.uniform(0, 255, (3, height, width, 1)).astype("float32")
    boxes = np.array(
        [
            [[1, 2, 6, 7], [9, 8, 16, 14], [0, 0, 14, 12], [20, 20, 30, 30]],
            [[3.2, 3.2, 3.3, 3.3], [-1, -1, -1, -1], [2.5, 1.5, 11.5, 4.5], [0, 0, 1, 1]],
            [[4, 4, 10, 9], [-3, -2, 4, 3], [12, 0, 14, 12], [5, 5, 6, 6]],
        ],
        "float32",
    )
    labels = np.arange(12, dtype="int32").reshape(3, 4)
    layer = _elastic(seed=2)
    transformation = layer.get_random_transformation(ops.convert_to_tensor(images))
    transformation["apply_transform"] = ops.convert_to_tensor(np.array([True, True, False]))
    actual = layer.transform_bounding_boxes({"boxes": boxes, "labels": labels}, transformation)
    row_shifts, column_shifts = (support.to_numpy(v) for v in layer._displacements(transformation, height, width))
    expected_boxes, expected_labels = _reference_extent(boxes, labels, row_shifts, column_shifts)
    # The third image is not distorted: its boxes are only clipped.
    expected_boxes[2] = np.clip(boxes[2], 0, [width, height, width, height])
    expected_labels[2] = np.where(np.prod(expected_boxes[2, :, 2:] - expected_boxes[2, :, :2], -1) > 0, labels[2], -1)
    np.testing.assert_array_equal(support.to_numpy(actual["boxes"]), expected_boxes)
    np.testing.assert_array_equal(support.to_numpy(actual["labels"]), expected_labels)
    # The box outside the image and the padding box are gone; the others moved and kept their labels.
    assert expected_labels[0, 3] == -1 and expected_labels[1, 1] == -1 and (expected_labels[0, :3] >= 0).all()
    assert not np.array_equal(expected_boxes[0, 0], boxes[0, 0])


def test_elastic_boxes_in_another_format():
    height, width = 12, 14
    images = np.zeros((2, height, width, 1), "float32")
    xyxy = np.array([[[1, 2, 6, 7]], [[3, 3, 12, 10]]], "float32")
    relative = bounding_boxes.convert_format(xyxy, "xyxy", "rel_center_xywh", height=height, width=width)
    layer = kerasx.layers.RandomElasticTransform(factor=(1.0, 1.0), seed=3, bounding_box_format="rel_center_xywh")
    transformation = layer.get_random_transformation(ops.convert_to_tensor(images))
    actual = layer.transform_bounding_boxes({"boxes": relative, "labels": np.ones((2, 1), "int32")}, transformation)
    row_shifts, column_shifts = (support.to_numpy(v) for v in layer._displacements(transformation, height, width))
    expected, _ = _reference_extent(xyxy, np.ones((2, 1), "int32"), row_shifts, column_shifts)
    as_xyxy = bounding_boxes.convert_format(actual["boxes"], "rel_center_xywh", "xyxy", height=height, width=width)
    support.assert_close(as_xyxy, expected, atol=1e-5)


def test_zero_field_keeps_boxes_and_a_constant_field_shifts_them():
    height, width = 6, 8
    boxes = ops.convert_to_tensor(np.array([[[1, 2, 5, 6], [0, 0, 8, 6], [6, 1, 8, 3], [2, 2, 2, 4]]], "float32"))
    zeros = ops.zeros((1, height, width))
    same = support.to_numpy(_random_warp._source_extent(boxes, zeros, zeros, height, width))
    # Integer boxes stay; a box without width shows in no pixel and collapses.
    np.testing.assert_array_equal(same, [[[1, 2, 5, 6], [0, 0, 8, 6], [6, 1, 8, 3], [0, 0, 0, 0]]])
    # Each output pixel shows the input 2 columns right and 1 row up: the content moves 2 left and 1 down.
    shifted = _random_warp._source_extent(boxes, zeros - 1.0, zeros + 2.0, height, width)
    np.testing.assert_array_equal(
        support.to_numpy(shifted), [[[0, 3, 3, 6], [0, 1, 6, 6], [4, 2, 6, 4], [0, 0, 0, 0]]]
    )


def test_elastic_masks_and_images_move_along_one_field():
    images = RNG.uniform(0, 255, (2, 10, 10, 1)).astype("float32")
    layer = _elastic(seed=4, interpolation="nearest")
    out = layer({"images": images, "segmentation_masks": images.copy()})
    assert not np.allclose(support.to_numpy(out["images"]), images)
    np.testing.assert_array_equal(support.to_numpy(out["segmentation_masks"]), support.to_numpy(out["images"]))


# Boxes of a dict call with seed 7 on 21x27 images, computed once: the same on every kerasx engine.
LABELS_KEPT = [[1, 2, 3], [3, -1, 4], [2, 5, 6]]
SEEDED_BOXES = {
    "RandomPerspective": (
        {"scale": 0.8},
        [
            [[1.6764, 3.6294, 12.8912, 16.7453], [12.7413, 6.8961, 27, 21], [0, 0, 27, 21]],
            [[5.3024, 2.8587, 27, 15.601], [0, 0, 0, 0], [1.7699, 1.8141, 10.7898, 10.415]],
            [[0, 0, 12.6248, 16.1312], [9.887, 18.5716, 25.9003, 21], [23.711, 0, 27, 10.9297]],
        ],
        LABELS_KEPT,
    ),
    "RandomElasticTransform": (
        {"scale": (0.8, 1.0)},
        [
            [[1, 5, 16, 19], [17, 9, 27, 21], [0, 0, 27, 21]],
            [[4, 1, 25, 21], [0, 0, 0, 0], [1, 1, 7, 11]],
            [[0, 0, 10, 11], [11, 11, 27, 21], [20, 0, 27, 6]],
        ],
        LABELS_KEPT,
    ),
}


@pytest.mark.parametrize("name", sorted(SEEDED_BOXES))
def test_a_seed_gives_the_same_boxes_on_every_engine(name):
    kwargs, expected_boxes, expected_labels = SEEDED_BOXES[name]
    layer = getattr(kerasx.layers, name)(factor=(1.0, 1.0), seed=7, bounding_box_format="xyxy", **kwargs)
    images = np.zeros((3, 21, 27, 1), "float32")
    out = layer({"images": images, "bounding_boxes": {**BOXES, "boxes": BOXES["boxes"] * 3}})["bounding_boxes"]
    np.testing.assert_allclose(support.to_numpy(out["boxes"]), expected_boxes, atol=1e-4)
    np.testing.assert_array_equal(support.to_numpy(out["labels"]), expected_labels)
