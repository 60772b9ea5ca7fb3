"""`kerasx.utils.bounding_boxes` against Keras 3's `keras.utils.bounding_boxes` on the same inputs (same backend, in
process): values and dtypes, symbolic shapes, dict inputs, errors, traced calls and gradients."""

import importlib

import numpy as np
import pytest

import kerasx
import support
from kerasx import ops
from kerasx.utils import bounding_boxes as bb
from kerasx.layers._preprocessing._bounding_boxes import _formats

keras = pytest.importorskip("keras")
keras_bb = keras.utils.bounding_boxes
BACKEND = kerasx.backend.backend()
_COMPILERS = {"jax": ("jax", "jit"), "tensorflow": ("tensorflow", "function")}

FORMATS = _formats.SUPPORTED_FORMATS
HEIGHT, WIDTH = 30, 40


def xyxy_boxes(shape, seed=0):
    """Boxes of `shape + (4,)` with x1 < x2 and y1 < y2, mostly inside a HEIGHT x WIDTH image."""
    rng = np.random.default_rng(seed)
    corner = rng.uniform(-5, 30, shape + (2,))
    size = rng.uniform(1, 15, shape + (2,))
    return np.concatenate([corner, corner + size], axis=-1).astype("float32")


def in_format(boxes, bounding_box_format):
    """NumPy boxes converted by Keras 3 (the oracle) from xyxy to `bounding_box_format`."""
    converted = keras_bb.convert_format(boxes, "xyxy", bounding_box_format, height=HEIGHT, width=WIDTH)
    return np.asarray(keras.ops.convert_to_numpy(converted))


def assert_same(ours, theirs, rtol=1e-5, atol=1e-5):
    """Same structure, values and dtypes."""
    if isinstance(theirs, dict):
        assert isinstance(ours, dict) and set(ours) == set(theirs)
        for key in theirs:
            assert_same(ours[key], theirs[key], rtol, atol)
        return
    expected = np.asarray(keras.ops.convert_to_numpy(theirs))
    support.assert_close(ours, expected, rtol=rtol, atol=atol)
    assert ops.dtype(ops.convert_to_tensor(ours)) == kerasx.backend.standardize_dtype(expected.dtype.name)


# convert_format ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", FORMATS)
@pytest.mark.parametrize("source", FORMATS)
def test_convert_format_matches_keras(source, target):
    boxes = in_format(xyxy_boxes((2, 3)), source)
    ours = bb.convert_format(boxes, source, target, height=HEIGHT, width=WIDTH)
    assert_same(ours, keras_bb.convert_format(boxes, source, target, height=HEIGHT, width=WIDTH))


@pytest.mark.parametrize("source, target", [("center_yxhw", "rel_xywh"), ("xyxy", "yxyx"), ("rel_xyxy", "xywh")])
def test_convert_format_symbolic_shapes(source, target):
    boxes = in_format(xyxy_boxes((2, 3)), source)
    support.check_symbolic(lambda b: bb.convert_format(b, source, target, height=HEIGHT, width=WIDTH), boxes)


@pytest.mark.parametrize("dtype", ["float16", "float64"])
def test_convert_format_dtype_and_case(dtype):
    boxes = xyxy_boxes((4,)) * 3
    ours = bb.convert_format(boxes, "XYXY", "Center_XYWH", dtype=dtype)
    assert_same(ours, keras_bb.convert_format(boxes, "XYXY", "Center_XYWH", dtype=dtype), rtol=1e-3)


def test_convert_format_of_a_box_dict_updates_and_returns_it():
    boxes = xyxy_boxes((3,))
    labels = np.array([1, 2, 3])
    ours_dict = {"boxes": boxes, "labels": labels}
    ours = bb.convert_format(ours_dict, "xyxy", "rel_center_xywh", height=HEIGHT, width=WIDTH)
    theirs = keras_bb.convert_format({"boxes": boxes, "labels": labels}, "xyxy", "rel_center_xywh", HEIGHT, WIDTH)
    assert ours is ours_dict
    assert ours["labels"] is labels
    assert_same(ours["boxes"], theirs["boxes"])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"source": "xyxy", "target": "corners"}, r"does not know the bounding box format target='corners'"),
        ({"source": "rel_center_yxhw", "target": "xyxy"}, r"source='rel_center_yxhw'. Expected one of"),
        ({"source": "xyxy", "target": "rel_xyxy"}, r"needs `height` and `width`.*height=None, width=None"),
    ],
)
def test_convert_format_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        bb.convert_format(xyxy_boxes((2,)), **kwargs)


def test_convert_format_refuses_boxes_without_four_coordinates():
    with pytest.raises(ValueError, match=r"last dimension has size 4.*boxes.shape=\(2, 3\)"):
        bb.convert_format(np.zeros((2, 3)), "xyxy", "yxyx")


# clip_to_image_size, crop, pad -----------------------------------------------------------------------------------


@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize("bounding_box_format", ["xyxy", "rel_xyxy"])
def test_clip_to_image_size_matches_keras(bounding_box_format, batched):
    shape = (2, 5) if batched else (5,)
    boxes = xyxy_boxes(shape) * 2 - 20
    if bounding_box_format == "rel_xyxy":
        boxes = boxes / 30
    # int32: Keras 3's numpy backend narrows int64 arrays to int32 on conversion, kerasx's keeps int64.
    labels = np.arange(np.prod(shape), dtype="int32").reshape(shape)
    sizes = {"height": HEIGHT, "width": WIDTH}
    ours = bb.clip_to_image_size({"boxes": boxes, "labels": labels}, **sizes, bounding_box_format=bounding_box_format)
    theirs = keras_bb.clip_to_image_size(
        {"boxes": boxes, "labels": labels}, **sizes, bounding_box_format=bounding_box_format
    )
    assert_same(ours, theirs)
    assert (support.to_numpy(ours["labels"]) == -1).any(), "no box was clipped away: the case checks nothing"


def test_clip_to_image_size_without_labels_keeps_other_entries():
    boxes = xyxy_boxes((4,)) * 2
    ours = bb.clip_to_image_size({"boxes": boxes, "scores": "kept"}, height=HEIGHT, width=WIDTH)
    assert ours["scores"] == "kept" and "labels" not in ours
    assert_same(ours["boxes"], keras_bb.clip_to_image_size({"boxes": boxes}, height=HEIGHT, width=WIDTH)["boxes"])


def test_clip_to_image_size_errors():
    with pytest.raises(ValueError, match=r"clip_to_image_size\(\) works on boxes in the format\(s\).*'yxyx'"):
        bb.clip_to_image_size({"boxes": xyxy_boxes((2,))}, HEIGHT, WIDTH, bounding_box_format="yxyx")
    with pytest.raises(ValueError, match=r"needs `height` and `width`.*height=None"):
        bb.clip_to_image_size({"boxes": xyxy_boxes((2,))})
    with pytest.raises(TypeError, match=r"takes a dict with a 'boxes' entry.*ndarray"):
        bb.clip_to_image_size(xyxy_boxes((2,)), HEIGHT, WIDTH)


@pytest.mark.parametrize("dtype", ["float32", "int32"])
@pytest.mark.parametrize("shape", [(4,), (2, 3)])
def test_crop_and_pad_match_keras(shape, dtype):
    boxes = (xyxy_boxes(shape) * 2).astype(dtype)
    cropped = bb.crop(boxes, top=5, left=8, height=20, width=25)
    assert_same(cropped, keras_bb.crop(boxes, top=5, left=8, height=20, width=25))
    padded = bb.pad(boxes, top=3, left=7, height=60, width=70)
    assert_same(padded, keras_bb.pad(boxes, top=3, left=7, height=60, width=70))
    support.check_symbolic(lambda b: bb.crop(b, 5, 8, 20, 25), boxes)


@pytest.mark.parametrize("function", ["crop", "pad", "affine_transform"])
def test_geometry_refuses_other_formats(function):
    with pytest.raises(ValueError, match=rf"{function}\(\) works on boxes in the format\(s\) \('xyxy',\).*'xywh'"):
        getattr(bb, function)(xyxy_boxes((1, 2)), *([0] * (8 if function == "affine_transform" else 4)),
                              bounding_box_format="xywh")


# affine_transform --------------------------------------------------------------------------------------------------


def _affine_parameters(seed, center):
    rng = np.random.default_rng(seed)
    parameters = {
        "angle": rng.uniform(-40, 40, (2,)),
        "translate_x": rng.uniform(-0.2, 0.2, (2,)),
        "translate_y": rng.uniform(-0.2, 0.2, (2,)),
        "scale": rng.uniform(0.7, 1.3, (2,)),
        "shear_x": rng.uniform(-20, 20, (2,)),
        "shear_y": rng.uniform(-20, 20, (2,)),
    }
    parameters = {name: value.astype("float32") for name, value in parameters.items()}
    if center:
        parameters["center_x"] = rng.uniform(0.2, 0.8, (2,)).astype("float32")
        parameters["center_y"] = rng.uniform(0.2, 0.8, (2,)).astype("float32")
    return parameters


@pytest.mark.parametrize("seed, center", [(0, False), (1, True)])
def test_affine_transform_matches_keras(seed, center):
    boxes = xyxy_boxes((2, 3), seed)
    parameters = _affine_parameters(seed, center)
    ours = bb.affine_transform(boxes, **parameters, height=HEIGHT, width=WIDTH)
    theirs = keras_bb.affine_transform(boxes, **parameters, height=HEIGHT, width=WIDTH)
    assert_same(ours, theirs, rtol=1e-5, atol=1e-4)


def test_affine_transform_identity_and_scalar_parameters():
    boxes = xyxy_boxes((3,))
    zero = np.float32(0.0)
    same = bb.affine_transform(boxes, zero, zero, zero, np.float32(1.0), zero, zero, HEIGHT, WIDTH)
    support.assert_close(same, boxes, atol=1e-4)


# compute_iou, compute_ciou -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("use_masking", [False, True])
@pytest.mark.parametrize("ranks", [(2, 2), (3, 3), (3, 2), (2, 3)])
@pytest.mark.parametrize("bounding_box_format", ["xyxy", "rel_yxyx"])
def test_compute_iou_matches_keras(bounding_box_format, ranks, use_masking):
    xyxy1 = xyxy_boxes((2, 4) if ranks[0] == 3 else (4,), seed=1)
    xyxy2 = xyxy_boxes((2, 5) if ranks[1] == 3 else (5,), seed=2)
    xyxy1[..., 1, :] = -1.0  # padding boxes, masked with use_masking
    xyxy2[..., 3, :] = -2.0
    boxes1, boxes2 = in_format(xyxy1, bounding_box_format), in_format(xyxy2, bounding_box_format)
    kwargs = {"use_masking": use_masking, "mask_val": -3, "image_shape": (HEIGHT, WIDTH, 3)}
    ours = bb.compute_iou(boxes1, boxes2, bounding_box_format, **kwargs)
    if ranks[0] == ranks[1] or not use_masking:
        assert_same(ours, keras_bb.compute_iou(boxes1, boxes2, bounding_box_format, **kwargs))
    else:
        # Keras 3 masks only boxes of equal ranks (it transposes the wrong axes otherwise): its unmasked table,
        # masked here in NumPy, is the expectation.
        theirs = keras_bb.compute_iou(boxes1, boxes2, bounding_box_format, image_shape=kwargs["image_shape"])
        padding = (xyxy1.max(-1) < 0)[..., :, None] | (xyxy2.max(-1) < 0)[..., None, :]
        support.assert_close(ours, np.where(padding, -3.0, keras.ops.convert_to_numpy(theirs)), atol=1e-5)
    if use_masking:
        # One padding row (5 pairs) and one padding column (4 pairs) meet once: 8 masked pairs per image.
        assert (support.to_numpy(ours) == -3).sum() == 8 * (1 if ranks == (2, 2) else 2)
    assert (support.to_numpy(ours) > 0.01).any(), "no boxes overlap: the case checks little"
    if ranks == (3, 3):  # the check makes each input's first dimension unknown: a batch only when both are batched
        support.check_symbolic(
            lambda a, b: bb.compute_iou(a, b, bounding_box_format, **kwargs), boxes1, boxes2
        )


def test_compute_iou_errors():
    with pytest.raises(ValueError, match=r"Received: boxes1 of rank 1 and boxes2 of rank 2"):
        bb.compute_iou(np.zeros((4,)), np.zeros((2, 4)), "xyxy")
    with pytest.raises(ValueError, match=r"compute_iou\(\) needs `image_shape`.*'rel_xyxy'"):
        bb.compute_iou(np.zeros((1, 4)), np.zeros((2, 4)), "rel_xyxy")
    with pytest.raises(ValueError, match=r"compute_iou\(\) does not know the bounding box format"):
        bb.compute_iou(np.zeros((1, 4)), np.zeros((2, 4)), "corners")


@pytest.mark.parametrize("shape", [(5,), (2, 3)])
@pytest.mark.parametrize("bounding_box_format", ["xyxy", "xywh", "center_yxhw"])
def test_compute_ciou_matches_keras(bounding_box_format, shape):
    boxes1 = in_format(xyxy_boxes(shape, seed=3), bounding_box_format)
    boxes2 = in_format(xyxy_boxes(shape, seed=4) * 0.5 + xyxy_boxes(shape, seed=3) * 0.5, bounding_box_format)
    ours = bb.compute_ciou(boxes1, boxes2, bounding_box_format)
    assert_same(ours, keras_bb.compute_ciou(boxes1, boxes2, bounding_box_format))
    support.check_symbolic(lambda a, b: bb.compute_ciou(a, b, bounding_box_format), boxes1, boxes2)


def test_compute_ciou_of_relative_boxes_equals_that_of_absolute_ones():
    # Keras 3 refuses relative formats here whatever `image_shape`; kerasx converts them with it.
    boxes1, boxes2 = xyxy_boxes((4,), seed=5), xyxy_boxes((4,), seed=6)
    relative1, relative2 = in_format(boxes1, "rel_xyxy"), in_format(boxes2, "rel_xyxy")
    ours = bb.compute_ciou(relative1, relative2, "rel_xyxy", image_shape=(HEIGHT, WIDTH, 3))
    assert_same(ours, keras_bb.compute_ciou(boxes1, boxes2, "xyxy"), atol=1e-5)
    with pytest.raises(ValueError, match=r"compute_ciou\(\) needs `image_shape`"):
        bb.compute_ciou(relative1, relative2, "rel_xyxy")


@support.needs_gradients
def test_compute_ciou_gradient_matches_finite_differences():
    boxes1 = xyxy_boxes((1,), seed=7).astype("float64")
    boxes2 = xyxy_boxes((1,), seed=7).astype("float64") + np.array([2.0, -1.0, 4.0, 3.0])

    def loss(b1):
        return ops.sum(bb.compute_ciou(ops.cast(b1, "float32"), boxes2, "xyxy"))

    (analytic,) = support.grad_of(loss, boxes1.astype("float32"))
    numeric = support.numeric_grad(lambda b1: float(support.to_numpy(loss(b1))), boxes1, eps=1e-2)
    support.assert_close(analytic, numeric, rtol=2e-2, atol=2e-3)
    assert np.abs(analytic).max() > 1e-3


# encode_box_to_deltas, decode_deltas_to_boxes ----------------------------------------------------------------------


@pytest.mark.parametrize("variance", [None, [0.1, 0.1, 0.2, 0.2]])
@pytest.mark.parametrize("encoding", ["center_yxhw", "center_xywh"])
@pytest.mark.parametrize("anchor_format, box_format", [("xyxy", "xyxy"), ("center_xywh", "rel_yxyx")])
def test_deltas_match_keras_and_round_trip(anchor_format, box_format, encoding, variance):
    anchors = in_format(xyxy_boxes((5,), seed=9), anchor_format)
    boxes = in_format(xyxy_boxes((2, 5), seed=10), box_format)
    kwargs = {"variance": variance, "image_shape": (HEIGHT, WIDTH, 3)}
    deltas = bb.encode_box_to_deltas(anchors, boxes, anchor_format, box_format, encoding, **kwargs)
    assert_same(deltas, keras_bb.encode_box_to_deltas(anchors, boxes, anchor_format, box_format, encoding, **kwargs))
    deltas = support.to_numpy(deltas)
    decoded = bb.decode_deltas_to_boxes(anchors, deltas, anchor_format, box_format, encoding, **kwargs)
    # Keras 3 multiplies NumPy deltas with engine tensors, which torch refuses: it gets tensors.
    theirs = keras_bb.decode_deltas_to_boxes(
        anchors, keras.ops.convert_to_tensor(deltas), anchor_format, box_format, encoding, **kwargs
    )
    assert_same(decoded, theirs)
    support.assert_close(decoded, boxes, rtol=1e-4, atol=1e-4)


def test_decode_deltas_of_feature_levels():
    anchors = {"P3": xyxy_boxes((4,), seed=11), "P4": xyxy_boxes((2,), seed=12)}
    deltas = {"P3": xyxy_boxes((2, 4), seed=13) / 40, "P4": xyxy_boxes((2, 2), seed=14) / 40}
    ours = bb.decode_deltas_to_boxes(anchors, deltas, "xyxy", "center_xywh")
    keras_deltas = {level: keras.ops.convert_to_tensor(value) for level, value in deltas.items()}
    assert_same(ours, keras_bb.decode_deltas_to_boxes(anchors, keras_deltas, "xyxy", "center_xywh"))


def test_deltas_errors():
    anchors = xyxy_boxes((2,))
    with pytest.raises(ValueError, match=r"`variance` of 4 values.*Received: variance=\[1, 2, 3\]"):
        bb.encode_box_to_deltas(anchors, anchors, "xyxy", "xyxy", variance=[1, 2, 3])
    with pytest.raises(ValueError, match=r"encodes deltas in \('center_xywh', 'center_yxhw'\).*encoding_format='xyxy'"):
        bb.encode_box_to_deltas(anchors, anchors, "xyxy", "xyxy", encoding_format="xyxy")
    with pytest.raises(ValueError, match=r"encoded_format='yxyx'"):
        bb.decode_deltas_to_boxes(anchors, anchors, "xyxy", "xyxy", encoded_format="yxyx")


# Traced ---------------------------------------------------------------------------------------------------------


@pytest.mark.skipif(BACKEND not in _COMPILERS, reason="only jax.jit and tf.function compile Python functions")
def test_functions_run_inside_a_compiled_function():
    module, name = _COMPILERS[BACKEND]
    compile_function = getattr(importlib.import_module(module), name)
    anchors, boxes = xyxy_boxes((4,), seed=15), xyxy_boxes((2, 4), seed=16)

    def pipeline(anchors, boxes):
        relative = bb.convert_format(boxes, "xyxy", "rel_center_xywh", height=HEIGHT, width=WIDTH)
        deltas = bb.encode_box_to_deltas(anchors, relative, "xyxy", "rel_center_xywh", image_shape=(HEIGHT, WIDTH, 3))
        clipped = bb.clip_to_image_size({"boxes": boxes}, height=HEIGHT, width=WIDTH)["boxes"]
        return deltas, bb.compute_iou(anchors, clipped, "xyxy"), bb.crop(boxes, 2, 3, 20, 20)

    inputs = [ops.convert_to_tensor(anchors), ops.convert_to_tensor(boxes)]
    for compiled, eager in zip(compile_function(pipeline)(*inputs), pipeline(*inputs)):
        support.assert_close(compiled, support.to_numpy(eager), atol=1e-5)
