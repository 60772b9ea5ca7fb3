"""The check every visualization function makes first: images come as a batch."""

from __future__ import annotations

from kerasx import ops

NOT_BATCHED = "{function}() takes a batch of images, a tensor of rank 4. Received: images.shape={shape}."


def check_batched(images, function: str) -> tuple:
    """The shape of `images`, or a ValueError naming `function` when they are not a batch (rank 4)."""
    shape = tuple(ops.shape(images))
    if len(shape) != 4:
        raise ValueError(NOT_BATCHED.format(function=function, shape=shape))
    return shape
