"""Contract of `kerasx/backend/<engine>/image.py`.

Only the resampling that Keras 3 leaves to each engine's own primitive lives here, so that kerasx matches Keras on
that engine (jax.image.resize, tf.image.resize and torch's interpolate differ in their kernels and antialiasing).
The public op in `kerasx.ops.image` checks the arguments, crops or pads to the aspect ratio and moves the layout.
"""

from __future__ import annotations

from typing import Any, Protocol

Tensor = Any


class ImageContract(Protocol):
    def resize(self, images, size, interpolation="bilinear", antialias=False) -> Tensor:
        """`images` (batch, height, width, channels), a float tensor, resampled to `size` (height, width).

        `interpolation` is one the engine supports (the public op has checked it against `resize_methods()`).
        Returns a float tensor of the input's dtype.
        """

    def round_position(self, x) -> Tensor:
        """Float positions rounded to the nearest pixel, as Keras 3's sampling rounds them on this engine: halves
        away from zero on jax (jax.scipy.ndimage) and tensorflow (ImageProjectiveTransformV3), up on numpy
        (scipy.ndimage), to even on torch (`torch.round`)."""

    def resize_methods(self) -> tuple:
        """The `interpolation` names this engine's `resize` takes, in the order Keras 3 lists them."""
        ...
