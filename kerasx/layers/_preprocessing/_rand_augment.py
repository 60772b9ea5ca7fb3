"""Policies made of other augmentation layers: `RandAugment` (a few random operations in sequence) and `AugMix`
(chains of random operations mixed together).

All draws, including which operations run, come from the policy's own `SeedGenerator`, so a seed gives the same
batch on every engine. Keras 3's AugMix picks its operations with Python's global `random` module instead (not
reproducible from the layer's seed); kerasx draws that choice from the seed.
"""

from __future__ import annotations

from kerasx import ops, random
from kerasx.layers._preprocessing._histogram import AutoContrast, Equalization
from kerasx.layers._preprocessing._image_base import ImagesOnlyLayer
from kerasx.layers._preprocessing._random_affine import RandomRotation, RandomShear, RandomTranslation
from kerasx.layers._preprocessing._random_color import RandomBrightness, RandomColorDegeneration, RandomContrast
from kerasx.layers._preprocessing._random_pixels import RandomPosterization, RandomSharpness, Solarization
from kerasx.random._seed_generator import is_concrete
from kerasx.serialization import _registry

# Keras 3's operation lists, in its order (the index a draw picks).
RAND_AUGMENT_OPERATIONS = (
    "random_shear", "random_translation", "random_rotation", "random_brightness", "random_color_degeneration",
    "random_contrast", "random_sharpness", "random_posterization", "solarization", "auto_contrast", "equalization",
)
AUG_MIX_OPERATIONS = (
    "random_shear", "random_translation", "random_rotation", "random_posterization", "solarization", "auto_contrast",
    "equalization", "random_brightness", "random_color_degeneration", "random_contrast", "random_sharpness",
)
AUG_MIX_GEOMETRIC_OPERATIONS = AUG_MIX_OPERATIONS[:7]


def _make_operations(policy, factor, value_range, interpolation, seed, data_format, names) -> None:
    """The augmentation layers a policy picks from, made with the policy's strength `factor` (a pair) and set as
    its attributes (Keras 3's attribute names)."""
    common = {"seed": seed, "data_format": data_format}
    makers = {
        "random_shear": lambda: RandomShear(x_factor=factor, y_factor=factor, interpolation=interpolation, **common),
        "random_translation": lambda: RandomTranslation(
            height_factor=factor, width_factor=factor, interpolation=interpolation, **common
        ),
        "random_rotation": lambda: RandomRotation(factor=factor, interpolation=interpolation, **common),
        "random_brightness": lambda: RandomBrightness(factor=factor, value_range=value_range, **common),
        "random_color_degeneration": lambda: RandomColorDegeneration(factor=factor, value_range=value_range, **common),
        "random_contrast": lambda: RandomContrast(factor=factor, value_range=value_range, **common),
        "random_sharpness": lambda: RandomSharpness(factor=factor, value_range=value_range, **common),
        "solarization": lambda: Solarization(
            addition_factor=factor, threshold_factor=factor, value_range=value_range, **common
        ),
        "random_posterization": lambda: RandomPosterization(
            factor=max(1, int(8 * factor[1])), value_range=value_range, **common
        ),
        "auto_contrast": lambda: AutoContrast(value_range=value_range, data_format=data_format),
        "equalization": lambda: Equalization(value_range=value_range, data_format=data_format),
    }
    for name in names:
        setattr(policy, name, makers[name]())


def _apply_one(images, index, candidates):
    """`images` through the candidate `index` picks (a list of callables); every candidate and a selection when the
    index is a traced value (inside a compiled function), only the picked one when it is known."""
    if is_concrete(index):
        return candidates[int(ops.convert_to_numpy(index))](images)
    for position, candidate in enumerate(candidates):
        images = ops.where(index == position, candidate(images), images)
    return images


class _Policy(ImagesOnlyLayer):
    _USE_BASE_FACTOR = False
    _HOST_IN_TF_GRAPH = "unknown_batch"  # its affine and per-image draws need the batch size
    _FACTOR_BOUNDS = (0, 1)
    _names: tuple[str, ...] = ()

    @property
    def _operation_layers(self) -> dict:
        return {name: getattr(self, name) for name in self._names}

    def build(self, input_shape):
        for layer in self._operation_layers.values():
            layer.build(input_shape)
        self.built = True


@_registry.builtin
class RandAugment(_Policy):
    """RandAugment while training: `num_ops` operations, each picked at random from shear, translation, rotation,
    brightness, colour degeneration, contrast, sharpness, posterization, solarization, auto contrast and
    equalization, are applied in sequence with strength `factor`.

    Args:
        value_range: `(low, high)` of the pixel values.
        num_ops: number of operations applied to each batch.
        factor: strength of the operations: a number `f` in [0, 1] (the range `[0, f]`) or a pair.
        interpolation: interpolation of the geometric operations ("bilinear" or "nearest").
        seed: int seed of the layer's random draws.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: base layer arguments.

    Call arguments:
        data: RGB images `(batch, height, width, 3)` or one image, or a dict with an "images" entry.
        training: augment only when True (the default when called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> layer = kerasx.layers.RandAugment(seed=3)
        >>> tuple(layer(images).shape)
        (2, 8, 8, 3)
        >>> bool(np.array_equal(kerasx.ops.convert_to_numpy(layer(images, training=False)), images))
        True
    """

    _CONFIG_KEYS = ("value_range", "num_ops", "factor", "interpolation", "seed")

    def __init__(self, value_range=(0, 255), num_ops: int = 2, factor=0.5, interpolation: str = "bilinear",
                 seed: int | None = None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.num_ops = num_ops
        self._set_factor(factor)
        self.interpolation = interpolation
        self._set_seed(seed)
        self._names = RAND_AUGMENT_OPERATIONS
        _make_operations(self, self.factor, value_range, interpolation, seed, data_format, self._names)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        seed = self._seed(seed)
        picks = random.randint((self.num_ops,), 0, len(RAND_AUGMENT_OPERATIONS), seed=seed)
        transforms = {
            name: layer.get_random_transformation(data, training=True, seed=seed)
            for name, layer in self._operation_layers.items()
        }
        return {"transforms": transforms, "layer_idxes": picks}

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        transforms = transformation["transforms"]
        candidates = [
            (lambda x, name=name: self._operation_layers[name].transform_images(x, transforms[name]))
            for name in RAND_AUGMENT_OPERATIONS
        ]
        for step in range(self.num_ops):
            images = _apply_one(images, transformation["layer_idxes"][step], candidates)
        return ops.cast(images, self.compute_dtype)


@_registry.builtin
class AugMix(_Policy):
    """AugMix while training: `num_chains` chains of up to `chain_depth` random operations each augment a copy of
    the images; the chains are mixed with Dirichlet(alpha) weights and the mix is blended with the original images
    by a Beta(alpha, alpha) weight.

    Each step of a chain picks one of the operations (or none) from the layer's seed. The operations are shear,
    translation, rotation, posterization, solarization, auto contrast and equalization, plus (with `all_ops`)
    brightness, colour degeneration, contrast and sharpness.

    Args:
        value_range: `(low, high)` of the pixel values.
        num_chains: number of augmentation chains.
        chain_depth: number of steps of each chain.
        factor: strength of the operations: a number `f` in [0, 1] (the range `[0, f]`) or a pair.
        alpha: the Dirichlet and Beta parameter of the mixing weights.
        all_ops: whether the intensity operations are candidates too.
        interpolation: interpolation of the geometric operations ("bilinear" or "nearest").
        seed: int seed of the layer's random draws.
        data_format: "channels_last" or "channels_first"; None means `kerasx.config.image_data_format()`.
        **kwargs: base layer arguments.

    Call arguments:
        data: RGB images `(batch, height, width, 3)` or one image, or a dict with an "images" entry.
        training: augment only when True (the default when called directly).

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> out = kerasx.ops.convert_to_numpy(kerasx.layers.AugMix(seed=3)(images))
        >>> out.shape, bool(out.min() >= 0.0 and out.max() <= 255.0)
        ((2, 8, 8, 3), True)
    """

    _CONFIG_KEYS = (
        "value_range", "num_chains", "chain_depth", "factor", "alpha", "all_ops", "interpolation", "seed"
    )

    def __init__(self, value_range=(0, 255), num_chains: int = 3, chain_depth: int = 3, factor=0.3,
                 alpha: float = 1.0, all_ops: bool = True, interpolation: str = "bilinear", seed: int | None = None,
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range
        self.num_chains = num_chains
        self.chain_depth = chain_depth
        self._set_factor(factor)
        self.alpha = alpha
        self.all_ops = all_ops
        self.interpolation = interpolation
        self._set_seed(seed)
        self._names = AUG_MIX_OPERATIONS if all_ops else AUG_MIX_GEOMETRIC_OPERATIONS
        _make_operations(self, self.factor, value_range, interpolation, seed, data_format, self._names)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        seed = self._seed(seed)
        gammas = random.gamma((self.num_chains,), self.alpha, seed=seed)
        chain_weights = gammas / ops.sum(gammas, axis=-1, keepdims=True)
        original_weight = random.beta((), self.alpha, self.alpha, seed=seed)
        # One pick per chain step: an operation's index, or len(operations) for "no operation at this step".
        picks = random.randint((self.num_chains, self.chain_depth), 0, len(self._names) + 1, seed=seed)
        transforms = {
            name: layer.get_random_transformation(data, training=True, seed=seed)
            for name, layer in self._operation_layers.items()
        }
        return {
            "chain_mixing_weights": chain_weights, "weight_sample": original_weight, "picks": picks,
            "transforms": transforms,
        }

    def transform_images(self, images, transformation, training=True):
        images = ops.cast(images, self.compute_dtype)
        if not training or transformation is None:
            return images
        dtype = self.compute_dtype
        chain_weights = ops.cast(transformation["chain_mixing_weights"], dtype)
        original_weight = ops.cast(transformation["weight_sample"], dtype)
        transforms = transformation["transforms"]
        candidates = [
            (lambda x, name=name: self._operation_layers[name].transform_images(x, transforms[name]))
            for name in self._names
        ] + [lambda x: x]
        mixed = ops.zeros_like(images)
        for chain in range(self.num_chains):
            augmented = images
            for step in range(self.chain_depth):
                augmented = _apply_one(augmented, transformation["picks"][chain, step], candidates)
            mixed = mixed + augmented * chain_weights[chain]
        images = original_weight * images + (1 - original_weight) * mixed
        return ops.cast(ops.clip(images, self.value_range[0], self.value_range[1]), dtype)
