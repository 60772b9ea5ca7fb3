"""JAX backend: image resampling with jax.image.resize, as Keras 3's jax backend does."""

from __future__ import annotations

import jax
import jax.numpy as jnp

_METHODS = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic")


def resize(images, size, interpolation="bilinear", antialias=False):
    shape = (images.shape[0], *size, images.shape[-1])
    return jax.image.resize(images, shape, method=interpolation, antialias=antialias)


def round_position(x):
    return jnp.sign(x) * jnp.floor(jnp.abs(x) + 0.5)


def resize_methods():
    return _METHODS
