"""`kerasx.ops.image` and `psnr` against Keras 3 on the same engine (KERAS_BACKEND): values, dtypes, symbolic
shapes (all sizes known and batch unknown), both data formats, batched and unbatched images, errors, gradients."""

import inspect
import os
import sys
import typing

import numpy as np
import pytest

import kerasx
from keras_oracle import check_against_keras, check_spec_against_keras, keras
from kerasx import ops
from numpy_support import check_gradients

BACKEND = kerasx.backend.backend()
TRAINS = BACKEND != "numpy"
FORMATS = ("channels_last", "channels_first")
# Largest difference from Keras 3 per op on this engine, written out for the report when KERASX_IMAGE_DIFFS is set.
MAX_DIFF: dict = {}


def images(shape, data_format="channels_last", seed=0, low=0.0, high=1.0, dtype="float32"):
    """Random images given in channels-last `shape` (3-D or 4-D), laid out for `data_format`."""
    x = np.random.default_rng(seed).uniform(low, high, size=shape).astype(dtype)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, -3)
    return x


def compare(name, *args, rtol=1e-5, atol=1e-5, symbolic=True, **kwargs):
    ours = getattr(ops.image, name) if hasattr(ops.image, name) else getattr(ops, name)
    theirs = getattr(keras.ops.image, name) if hasattr(keras.ops.image, name) else getattr(keras.ops, name)
    result = check_against_keras(ours, theirs, *args, rtol=rtol, atol=atol, symbolic=symbolic, **kwargs)
    expected = np.asarray(keras.ops.convert_to_numpy(theirs(*args, **kwargs)), np.float64)
    diff = float(np.max(np.abs(ops.convert_to_numpy(result).astype(np.float64) - expected), initial=0.0))
    MAX_DIFF[name] = max(MAX_DIFF.get(name, 0.0), diff)
    return result


def compare_known_spec(name, x, *args, **kwargs):
    """The symbolic result on a KerasTensor of `x`'s shape (every size known) has Keras 3's shape and dtype."""
    ours = getattr(ops.image, name)(ops.KerasTensor(x.shape, str(x.dtype)), *args, **kwargs)
    theirs = getattr(keras.ops.image, name)(keras.KerasTensor(x.shape, str(x.dtype)), *args, **kwargs)
    assert (tuple(ours.shape), ours.dtype) == (tuple(theirs.shape), theirs.dtype)


@pytest.fixture(scope="module", autouse=True)
def _report_diffs():
    yield
    path = os.environ.get("KERASX_IMAGE_DIFFS")
    if path:
        with open(path, "a") as report:
            for name, diff in sorted(MAX_DIFF.items()):
                report.write(f"{BACKEND} {name} {diff:.3g}\n")


# --- the face: every op is written like the other public ops ---------------------------------------------------

IMAGE_OPS = sorted(name for name in dir(keras.ops.image) if not name.startswith("_"))


def test_face_has_every_keras_image_op():
    modules = {getattr(ops.image, name).eager.__module__ for name in ops.image.__all__}
    listed = sorted(name for module in modules for name in sys.modules[module].__all__)
    assert sorted(ops.image.__all__) == listed == IMAGE_OPS
    assert len(IMAGE_OPS) == 16


@pytest.mark.parametrize("name", IMAGE_OPS)
def test_image_op_is_a_typed_documented_op(name):
    fn = getattr(ops.image, name)
    body = fn.eager
    assert body.__code__.co_name == name and body.__module__.startswith("kerasx.ops._image_")
    assert callable(fn.compute_output_spec)
    doc = inspect.getdoc(fn)
    assert "\nArgs:" in doc and "\nReturns:" in doc and ">>> " in doc.split("\nExample:", 1)[1]
    signature = inspect.signature(body)
    assert all(p.annotation is not inspect.Parameter.empty for p in signature.parameters.values())
    typing.get_type_hints(body)
    keras_signature = inspect.signature(getattr(keras.ops.image, name))
    assert [(p.name, p.default) for p in signature.parameters.values()] == [
        (p.name, p.default) for p in keras_signature.parameters.values()
    ]


def test_psnr_signature_matches_keras():
    assert ops.psnr is ops.nn.psnr
    ours, theirs = inspect.signature(ops.psnr.eager), inspect.signature(keras.ops.psnr)
    assert [(p.name, p.default) for p in ours.parameters.values()] == [
        (p.name, p.default) for p in theirs.parameters.values()
    ]


# --- colour ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("shape", [(2, 5, 6, 3), (4, 7, 3)])
@pytest.mark.parametrize("name", ["rgb_to_grayscale", "rgb_to_hsv", "hsv_to_rgb"])
def test_colour_conversions_match_keras(name, shape, data_format):
    x = images(shape, data_format)
    # Grey pixels and pixels whose largest channel is tied exercise the hue's special cases.
    if data_format == "channels_last":
        x[..., 0, 0, :] = 0.5
        x[..., 0, 1, :] = [0.5, 0.2, 0.5]
    compare(name, x, data_format=data_format)


def test_grayscale_of_integer_and_single_channel_images():
    x = (images((2, 4, 4, 3)) * 255).astype("uint8")
    compare("rgb_to_grayscale", x, data_format="channels_last")
    single = images((2, 4, 4, 1))
    np.testing.assert_array_equal(ops.convert_to_numpy(ops.image.rgb_to_grayscale(single)), single)


def test_colour_errors_match_keras():
    with pytest.raises(ValueError, match="Invalid images rank"):
        ops.image.rgb_to_grayscale(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="needs float images"):
        ops.image.rgb_to_hsv(np.zeros((4, 4, 3), "int32"))
    with pytest.raises(ValueError, match="Invalid images rank"):
        ops.image.hsv_to_rgb(ops.KerasTensor((4, 3)))


# --- resize and scale_and_translate -------------------------------------------------------------------------------

METHODS = {
    "jax": ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5"),
    "numpy": ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5"),
    "tensorflow": ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5", "area"),
    "torch": ("bilinear", "nearest", "bicubic"),
}[BACKEND]


@pytest.mark.parametrize("antialias", [False, True])
@pytest.mark.parametrize("interpolation", METHODS)
@pytest.mark.parametrize("size", [(3, 4), (9, 13)])
def test_resize_matches_keras(interpolation, size, antialias):
    x = images((2, 6, 8, 3))
    compare("resize", x, size, interpolation=interpolation, antialias=antialias, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("shape", [(2, 6, 8, 3), (7, 5, 2)])
@pytest.mark.parametrize("aspect", ["crop_to_aspect_ratio", "pad_to_aspect_ratio", None])
def test_resize_layouts_and_aspect_ratio_match_keras(shape, data_format, aspect):
    x = images(shape, data_format)
    options = {aspect: True, "fill_value": 0.25} if aspect else {}
    for size in ((4, 4), (3, 7), (10, 3)):
        compare("resize", x, size, data_format=data_format, rtol=1e-4, atol=1e-5, **options)


def test_resize_of_integer_images_matches_keras():
    x = (images((2, 6, 8, 3)) * 255).astype("uint8")
    compare("resize", x, (5, 3), atol=1)
    compare("resize", x.astype("int32"), (9, 11), interpolation="nearest", atol=0)


def test_resize_errors_match_keras():
    x = images((1, 4, 4, 3))
    with pytest.raises(ValueError, match="tuple of 2 integers"):
        ops.image.resize(x, (2, 2, 2))
    with pytest.raises(ValueError, match="positive height and width"):
        ops.image.resize(x, (0, 2))
    with pytest.raises(ValueError, match="Invalid images rank"):
        ops.image.resize(np.zeros((4, 4)), (2, 2))
    with pytest.raises(ValueError, match="Only one of"):
        ops.image.resize(x, (2, 2), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="Only `'constant'`"):
        ops.image.resize(x, (2, 2), fill_mode="reflect")
    with pytest.raises(ValueError, match="interpolation"):
        ops.image.resize(x, (2, 2), interpolation="gaussian")
    with pytest.raises(ValueError, match="Invalid images rank"):
        ops.image.resize(ops.KerasTensor((None, 2, 4, 4, 3)), (2, 2))


@pytest.mark.skipif(not TRAINS, reason="the numpy backend computes no gradients")
@pytest.mark.parametrize("interpolation", ["bilinear", "bicubic"])
def test_resize_gradients_match_keras(interpolation):
    def keras_reference(x):
        return keras.ops.convert_to_numpy(keras.ops.image.resize(x, (5, 7), interpolation=interpolation))

    x = images((1, 4, 6, 2))
    check_gradients(lambda t: ops.image.resize(t, (5, 7), interpolation=interpolation), keras_reference, x,
                    rtol=2e-3, atol=2e-3)


@pytest.mark.parametrize("antialias", [True, False])
@pytest.mark.parametrize("method", ["linear", "bilinear", "cubic", "lanczos3", "lanczos5"])
def test_scale_and_translate_matches_keras(method, antialias):
    x = images((2, 6, 8, 3))
    for output_shape, scale, translation in [
        ((2, 3, 4, 3), [0.5, 0.5], [0.0, 0.0]),
        ((2, 9, 12, 3), [1.5, 1.5], [0.5, -1.0]),
        ((2, 6, 5, 3), [1.0, 0.7], [0.0, 0.3]),
    ]:
        compare("scale_and_translate", x, output_shape, np.array(scale, "float32"),
                np.array(translation, "float32"), (1, 2), method, antialias=antialias, atol=1e-5,
                symbolic=False)
    check_spec_against_keras(ops.image.scale_and_translate, keras.ops.image.scale_and_translate, x, (2, 3, 4, 3),
                             np.array([0.5, 0.5], "float32"), np.array([0.0, 0.0], "float32"), (1, 2), method)


def test_scale_and_translate_errors():
    with pytest.raises(ValueError, match="method"):
        ops.image.scale_and_translate(images((4, 4, 1)), (2, 2, 1), [0.5, 0.5], [0.0, 0.0], (0, 1), "nearest")
    with pytest.raises(ValueError, match="one entry per resized axis"):
        ops.image.scale_and_translate(images((4, 4, 1)), (2, 2, 1), [0.5], [0.0, 0.0], (0, 1), "linear")


# --- padding, cropping, patches ------------------------------------------------------------------------------------

PAD_CASES = [
    {"top_padding": 1, "bottom_padding": 2, "left_padding": 0, "right_padding": 3},
    {"top_padding": 2, "target_height": 9, "left_padding": 1, "target_width": 8},
    {"bottom_padding": 1, "target_height": 7, "right_padding": 2, "target_width": 10},
]
CROP_CASES = [
    {"top_cropping": 1, "bottom_cropping": 2, "left_cropping": 0, "right_cropping": 3},
    {"top_cropping": 2, "target_height": 3, "left_cropping": 1, "target_width": 4},
    {"bottom_cropping": 1, "target_height": 4, "right_cropping": 2, "target_width": 3},
]


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("shape", [(2, 6, 7, 3), (6, 7, 2)])
@pytest.mark.parametrize("case", range(3))
def test_pad_and_crop_match_keras(case, shape, data_format):
    x = images(shape, data_format)
    compare("pad_images", x, data_format=data_format, **PAD_CASES[case])
    # An unknown height or width can only be cropped to a given target size (Keras 3 says the same): the
    # batch-unknown check of an unbatched image would make the height unknown.
    compare("crop_images", x, data_format=data_format, symbolic=len(shape) == 4, **CROP_CASES[case])
    if len(shape) == 3:
        compare_known_spec("crop_images", x, data_format=data_format, **CROP_CASES[case])


def test_pad_and_crop_errors_match_keras():
    x = images((6, 7, 3))
    with pytest.raises(ValueError, match="Must specify exactly two of top_padding, bottom_padding, target_height"):
        ops.image.pad_images(x, top_padding=1, left_padding=1, right_padding=1)
    with pytest.raises(ValueError, match="top_padding must be >= 0"):
        ops.image.pad_images(x, top_padding=-1, bottom_padding=1, left_padding=1, right_padding=1)
    with pytest.raises(ValueError, match="top_padding must be >= 0"):
        ops.image.pad_images(x, bottom_padding=1, target_height=3, left_padding=1, right_padding=1)
    with pytest.raises(ValueError, match="Must specify exactly two of left_cropping, right_cropping, target_width"):
        ops.image.crop_images(x, top_cropping=1, bottom_cropping=1, left_cropping=1)
    with pytest.raises(ValueError, match="target_height must be >= 0"):
        ops.image.crop_images(x, top_cropping=4, bottom_cropping=4, left_cropping=1, right_cropping=1)
    with pytest.raises(ValueError, match="`target_height` must be specified"):
        ops.image.crop_images(ops.KerasTensor((None, None, 7, 3)), top_cropping=1, bottom_cropping=1,
                              left_cropping=1, right_cropping=1)
    with pytest.raises(ValueError, match="Invalid images rank"):
        ops.image.pad_images(np.zeros((3, 3)), 1, 1, 1, 1)


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("shape", [(2, 8, 9, 3), (8, 9, 2)])
@pytest.mark.parametrize("options", [
    {"size": 3}, {"size": (2, 3), "strides": (1, 2)}, {"size": 2, "padding": "same", "strides": 3},
    {"size": (2, 2), "strides": 1, "dilation_rate": 2},
])
def test_extract_patches_matches_keras(options, shape, data_format):
    x = images(shape, data_format)
    # Keras 3 cannot size the patches of an unbatched channels-first image whose first axis (the channels) is
    # unknown (TypeError), so that one is checked with every size known.
    symbolic = len(shape) == 4 or data_format == "channels_last"
    compare("extract_patches", x, data_format=data_format, symbolic=symbolic, **options)
    compare_known_spec("extract_patches", x, data_format=data_format, **options)


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("shape", [(2, 5, 6, 7, 2), (5, 6, 7, 1)])
@pytest.mark.parametrize("options", [{"size": 2}, {"size": (2, 3, 2), "strides": (1, 2, 3), "padding": "same"}])
def test_extract_patches_3d_matches_keras(options, shape, data_format):
    x = images(shape)
    if data_format == "channels_first":
        x = np.moveaxis(x, -1, -4)
    symbolic = len(shape) == 5 or data_format == "channels_last"
    compare("extract_patches_3d", x, data_format=data_format, symbolic=symbolic, **options)
    compare("extract_patches", x, data_format=data_format, symbolic=symbolic, **{**options, "size": (2, 2, 2)})
    compare_known_spec("extract_patches_3d", x, data_format=data_format, **options)


def test_extract_patches_errors_match_keras():
    with pytest.raises(TypeError, match="Expected an int or a tuple"):
        ops.image.extract_patches(images((4, 4, 1)), "2")
    with pytest.raises(ValueError, match="length 2 or 3"):
        ops.image.extract_patches(images((4, 4, 1)), (2, 2, 2, 2))


# --- sampling and warps ---------------------------------------------------------------------------------------------

SAMPLE_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


@pytest.mark.parametrize("fill_mode", SAMPLE_MODES)
@pytest.mark.parametrize("order", [0, 1])
@pytest.mark.parametrize("shape", [(7,), (5, 6), (4, 5, 3)])
def test_map_coordinates_matches_keras(shape, order, fill_mode):
    x = images(shape, seed=1)
    rng = np.random.default_rng(2)
    # Positions inside and well outside the input, and exact halves for the nearest-neighbour rounding.
    coordinates = rng.uniform(-4.0, 10.0, size=(len(shape), 3, 4)).astype("float32")
    coordinates[:, 0, 0] = 1.5
    if BACKEND == "tensorflow" and fill_mode in ("mirror", "reflect"):
        # Keras 3's tensorflow backend folds these modes its own way (and its "mirror" can index past the end);
        # kerasx follows jax / SciPy on every engine, checked here against SciPy.
        scipy_ndimage = pytest.importorskip("scipy.ndimage")
        expected = scipy_ndimage.map_coordinates(x, coordinates, order=order, mode=fill_mode)
        if order == 0:
            # SciPy rounds halves to even where jax (and kerasx) round them away from zero.
            coordinates[:, 0, 0] = 1.25
            expected = scipy_ndimage.map_coordinates(x, coordinates, order=0, mode=fill_mode)
        result = ops.image.map_coordinates(x, coordinates, order, fill_mode=fill_mode)
        np.testing.assert_allclose(ops.convert_to_numpy(result), expected, rtol=1e-5, atol=1e-5)
        return
    # Symbolic inputs with every size known: an unknown leading size of `coordinates` cannot be checked against
    # the rank of `inputs`, and Keras 3 rejects it too.
    compare("map_coordinates", x, coordinates, order, fill_mode=fill_mode, fill_value=0.5, symbolic=False)
    compare_known_spec("map_coordinates", x, coordinates, order, fill_mode=fill_mode, fill_value=0.5)


def test_map_coordinates_of_integers_matches_keras():
    x = (images((5, 6), seed=3) * 100).astype("int32")
    coordinates = np.random.default_rng(4).uniform(-1.0, 6.0, size=(2, 4, 4)).astype("float32")
    compare("map_coordinates", x, coordinates, 1, atol=0, symbolic=False)


def test_map_coordinates_errors_match_keras():
    with pytest.raises(ValueError, match="First dim of `coordinates`"):
        ops.image.map_coordinates(np.zeros((3, 3)), np.zeros((3, 4)), 1)
    with pytest.raises(ValueError, match="at least rank 2"):
        ops.image.map_coordinates(np.zeros((3,)), np.zeros((1,)), 1)
    with pytest.raises(ValueError, match="order"):
        ops.image.map_coordinates(np.zeros((3,)), np.zeros((1, 2)), 3)
    with pytest.raises(ValueError, match="fill_mode"):
        ops.image.map_coordinates(np.zeros((3,)), np.zeros((1, 2)), 1, fill_mode="edge")


# --- filters ------------------------------------------------------------------------------------------------------

def filter_same(x, kernel):
    """NumPy reference: each channel of channels-last `x` (H, W, C) cross-correlated with `kernel`, zero-padded
    as XLA's "SAME" (the extra row or column of an even kernel goes after)."""
    kh, kw = kernel.shape
    padded = np.pad(x, (((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2), (0, 0)))
    out = np.zeros(x.shape, np.float64)
    for i in range(kh):
        for j in range(kw):
            out += kernel[i, j] * padded[i:i + x.shape[0], j:j + x.shape[1]]
    return out


def gaussian(size, sigma):
    window = np.exp(-0.5 * ((np.arange(size) - (size - 1) / 2) / sigma) ** 2)
    return window / window.sum()


# Where Keras 3 itself breaks its documented behaviour, kerasx is checked against NumPy instead: its torch backend
# changes the output size for an even or non-square kernel, its tensorflow backend reshapes a non-square kernel
# instead of transposing it.
KERAS_BLUR_FAILS = {"torch": ("non-square", "even"), "tensorflow": ("non-square",)}.get(BACKEND, ())


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("shape", [(2, 8, 9, 3), (8, 9, 2)])
@pytest.mark.parametrize("kind, options", [
    ("default", {}), ("square", {"kernel_size": (5, 5), "sigma": (2.0, 0.7)}),
    ("non-square", {"kernel_size": (5, 3), "sigma": (2.0, 0.7)}), ("even", {"kernel_size": (4, 4)}),
])
def test_gaussian_blur_matches_keras(kind, options, shape, data_format):
    x = images(shape, data_format)
    if kind not in KERAS_BLUR_FAILS:
        compare("gaussian_blur", x, data_format=data_format, **options)
        return
    (size_x, size_y), (sigma_x, sigma_y) = options["kernel_size"], options.get("sigma", (1.0, 1.0))
    kernel = np.outer(gaussian(size_y, sigma_y), gaussian(size_x, sigma_x))
    batch = x if len(shape) == 4 else x[None]
    if data_format == "channels_first":
        batch = np.moveaxis(batch, 1, -1)
    expected = np.stack([filter_same(image, kernel) for image in batch])
    if data_format == "channels_first":
        expected = np.moveaxis(expected, -1, 1)
    result = ops.image.gaussian_blur(x, data_format=data_format, **options)
    np.testing.assert_allclose(ops.convert_to_numpy(result), expected.reshape(x.shape), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("data_format", FORMATS)
def test_sobel_edges_match_keras(data_format):
    x = images((2, 7, 8, 3), data_format)
    if BACKEND in ("jax", "torch"):
        compare("sobel_edges", x, data_format=data_format, atol=1e-5)
    else:
        # Keras 3's numpy and tensorflow backends pad by reflection (scipy.ndimage.sobel, tf.image.sobel_edges),
        # its jax and torch backends with zeros; kerasx pads with zeros on every engine, checked against NumPy.
        smooth, slope = np.array([1.0, 2.0, 1.0]), np.array([-1.0, 0.0, 1.0])
        batch = x if data_format == "channels_last" else np.moveaxis(x, 1, -1)
        expected = np.stack([
            np.stack([filter_same(image, np.outer(slope, smooth)), filter_same(image, np.outer(smooth, slope))], -1)
            for image in batch
        ])
        if data_format == "channels_first":
            expected = np.moveaxis(expected, 3, 1)
        result = ops.convert_to_numpy(ops.image.sobel_edges(x, data_format=data_format))
        np.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-5)
        check_spec_against_keras(ops.image.sobel_edges, keras.ops.image.sobel_edges, x, data_format=data_format)
    with pytest.raises(ValueError, match="expected rank 4"):
        ops.image.sobel_edges(images((7, 8, 3)))


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("shape", [(2, 16, 18, 3), (16, 18, 1)])
@pytest.mark.parametrize("options", [{}, {"max_val": 2.0, "filter_size": 5, "filter_sigma": 1.0, "k1": 0.02}])
def test_ssim_matches_keras(options, shape, data_format):
    first = images(shape, data_format, seed=0)
    second = np.clip(first + images(shape, data_format, seed=1, low=-0.2, high=0.2), 0.0, 1.0)
    compare("ssim", first, second, data_format=data_format, **options)
    with pytest.raises(ValueError, match="image2.shape"):
        ops.image.ssim(first, np.zeros((4, 4)))


AFFINES = np.array([
    [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0],  # identity
    [0.875, -0.25, 1.75, 0.25, 1.125, -0.625, 0.0, 0.0],  # rotation, shear, scale and a fractional shift
    [1.3125, 0.125, -2.25, -0.1875, 0.8125, 3.125, 0.0, 0.0],
], "float32")
# The coefficients are dyadic, so positions are exact in float32 and float64 alike: an exact half then rounds by
# the engine's rule (see `round_position`), not by which precision Keras happened to compute in.
# Keras 3's tensorflow backend has no "mirror" (ImageProjectiveTransformV3 lacks it) and folds positions before
# interpolating, which differs from jax at the image border for "wrap" and "reflect".
AFFINE_MODES = {"tensorflow": ("constant", "nearest")}.get(BACKEND, ("constant", "nearest", "wrap", "mirror", "reflect"))


@pytest.mark.parametrize("fill_mode", AFFINE_MODES)
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("data_format", FORMATS)
def test_affine_transform_matches_keras(data_format, interpolation, fill_mode):
    batch = images((3, 7, 8, 2), data_format)
    compare("affine_transform", batch, AFFINES, interpolation=interpolation, fill_mode=fill_mode, fill_value=0.3,
            data_format=data_format)
    single = images((7, 8, 2), data_format)
    compare("affine_transform", single, AFFINES[1], interpolation=interpolation, fill_mode=fill_mode,
            data_format=data_format)


def test_projective_transform_matches_tensorflow_semantics():
    # Keras documents `k = c0 x + c1 y + 1`; kerasx divides by it on every engine (Keras's tensorflow backend
    # does, its other backends drop it), checked here against a direct NumPy evaluation at integer positions.
    x = images((6, 7, 1), seed=5)
    transform = np.array([1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.05, 0.02], "float32")
    result = ops.convert_to_numpy(ops.image.affine_transform(x, transform, interpolation="nearest"))
    for y in range(6):
        for column in range(7):
            k = 0.05 * column + 0.02 * y + 1.0
            source_y, source_x = np.floor(y / k + 0.5), np.floor(column / k + 0.5)
            np.testing.assert_allclose(result[y, column, 0], x[int(source_y), int(source_x), 0])
    if BACKEND == "tensorflow":
        compare("affine_transform", x, transform)


@pytest.mark.skipif(not TRAINS, reason="the numpy backend computes no gradients")
def test_affine_transform_gradients_match_keras():
    transform = AFFINES[1:2]

    def keras_reference(x):
        return keras.ops.convert_to_numpy(keras.ops.image.affine_transform(x, transform.astype(x.dtype)))

    check_gradients(lambda t: ops.image.affine_transform(t, transform), keras_reference, images((1, 5, 6, 2)),
                    rtol=2e-3, atol=2e-3)


def test_affine_transform_errors_match_keras():
    x = images((4, 4, 1))
    with pytest.raises(ValueError, match="interpolation"):
        ops.image.affine_transform(x, AFFINES[0], interpolation="bicubic")
    with pytest.raises(ValueError, match="fill_mode"):
        ops.image.affine_transform(x, AFFINES[0], fill_mode="edge")
    with pytest.raises(ValueError, match="Invalid transform rank"):
        ops.image.affine_transform(x, AFFINES[None])
    with pytest.raises(ValueError, match="Invalid images rank"):
        ops.image.affine_transform(np.zeros((4, 4)), AFFINES[0])


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("data_format", FORMATS)
def test_perspective_transform_matches_keras(data_format, interpolation):
    start = np.array([[0, 0], [7, 0], [0, 6], [7, 6]], "float32")
    end = np.array([[1, 0.5], [6.5, 1], [0, 5], [7, 6.2]], "float32")
    compare("perspective_transform", images((7, 8, 2), data_format), start, end, interpolation=interpolation,
            fill_value=0.2, data_format=data_format, atol=1e-4, rtol=1e-4, symbolic=False)
    compare_known_spec("perspective_transform", images((7, 8, 2), data_format), start, end,
                       data_format=data_format)
    batch = images((2, 7, 8, 2), data_format)
    compare("perspective_transform", batch, np.stack([start, start]), np.stack([end, start]),
            interpolation=interpolation, data_format=data_format, atol=1e-4, rtol=1e-4, symbolic=False)


def test_perspective_transform_errors_match_keras():
    x = images((4, 4, 1))
    corners = np.zeros((4, 2), "float32")
    with pytest.raises(ValueError, match="Invalid start_points shape"):
        ops.image.perspective_transform(x, np.zeros((3, 2)), corners)
    with pytest.raises(ValueError, match="must have the same shape"):
        ops.image.perspective_transform(x, corners, np.zeros((1, 4, 2)))


@pytest.mark.parametrize("data_format", FORMATS)
def test_elastic_transform_properties(data_format):
    x = images((2, 12, 10, 3), data_format)
    # No displacement reads every pixel where it is.
    identity = ops.image.elastic_transform(x, alpha=0.0, sigma=1.5, seed=3, data_format=data_format)
    np.testing.assert_allclose(ops.convert_to_numpy(identity), x, atol=1e-6)
    first = ops.convert_to_numpy(ops.image.elastic_transform(x, alpha=3.0, sigma=1.5, seed=3,
                                                             data_format=data_format))
    again = ops.convert_to_numpy(ops.image.elastic_transform(x, alpha=3.0, sigma=1.5, seed=3,
                                                             data_format=data_format))
    other = ops.convert_to_numpy(ops.image.elastic_transform(x, alpha=3.0, sigma=1.5, seed=4,
                                                             data_format=data_format))
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other) and not np.allclose(first, x)
    # Bilinear reads under "reflect" stay within the range of the input.
    assert first.min() >= x.min() - 1e-6 and first.max() <= x.max() + 1e-6
    check_spec_against_keras(ops.image.elastic_transform, keras.ops.image.elastic_transform, x, seed=3,
                             data_format=data_format)
    with pytest.raises(ValueError, match="fill_mode"):
        ops.image.elastic_transform(x, fill_mode="edge")


def test_elastic_transform_field_is_the_same_on_every_engine():
    # The displacement noise comes from kerasx's counter-based generator: a seed gives these numbers everywhere.
    x = np.arange(30.0, dtype="float32").reshape(5, 6, 1)
    result = ops.convert_to_numpy(ops.image.elastic_transform(x, alpha=2.0, sigma=1.0, seed=7,
                                                              interpolation="nearest"))
    assert result.shape == x.shape and set(result.ravel()) <= set(x.ravel())
    assert np.count_nonzero(result != x) > 0


# --- psnr ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("max_val", [1.0, 255.0])
@pytest.mark.parametrize("shape", [(2, 6, 7, 3), (10,)])
def test_psnr_matches_keras(shape, max_val):
    first, second = images(shape, seed=0) * max_val, images(shape, seed=1) * max_val
    check_against_keras(ops.psnr, keras.ops.psnr, first, second, max_val, rtol=1e-5, atol=1e-4)
    check_against_keras(ops.nn.psnr, keras.ops.nn.psnr, first, second, max_val, rtol=1e-5, atol=1e-4)
    diff = abs(float(ops.psnr(first, second, max_val)) - float(keras.ops.psnr(first, second, max_val)))
    MAX_DIFF["psnr"] = max(MAX_DIFF.get("psnr", 0.0), diff)


def test_psnr_errors_match_keras():
    with pytest.raises(ValueError, match="must match for PSNR"):
        ops.psnr(np.zeros((2, 3)), np.zeros((3, 2)), 1.0)
    with pytest.raises(ValueError, match="same rank"):
        ops.psnr(ops.KerasTensor((2, 3)), ops.KerasTensor((2, 3, 1)), 1.0)
