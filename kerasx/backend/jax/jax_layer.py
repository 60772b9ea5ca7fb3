"""JAX backend: the engine half of `kerasx.layers.JaxLayer` and `FlaxLayer` (pytrees, keys, Flax's API).

Flax is optional and costs ~0.4 s to import, so it is imported when the first FlaxLayer is made, not with kerasx.
"""

from __future__ import annotations

import importlib

import jax
import jax.numpy as jnp
import numpy as np

FLAX_MISSING = (
    "FlaxLayer needs the `flax` package, which is not installed ({error}). Install it with "
    '`pip install "kerasx[flax]"` (or `pip install flax`).'
)


def tree_map(fn, tree, *rest):
    """`fn` over the leaves of a pytree (classes registered with JAX, e.g. Flax's, included); None is no leaf."""
    return jax.tree_util.tree_map(fn, tree, *rest)


def tree_flatten(tree) -> tuple[list, object]:
    leaves, treedef = jax.tree_util.tree_flatten(tree)
    return leaves, treedef


def tree_unflatten(treedef, leaves):
    return jax.tree_util.tree_unflatten(treedef, leaves)


def is_array(value) -> bool:
    """An array leaf of a params/state tree (it becomes a variable); other leaves are the model's configuration."""
    return isinstance(value, (jax.Array, np.ndarray, np.generic))


def placeholder_inputs(shapes):
    """Ones of the given shape (a tuple) or structure of shapes, unknown dimensions as 1: `init_fn`'s inputs."""

    def is_shape(value):
        return isinstance(value, (tuple, list)) and all(d is None or isinstance(d, int) for d in value)

    def ones(shape):
        return jnp.ones(tuple(1 if d is None else int(d) for d in shape))

    return jax.tree_util.tree_map(ones, shapes, is_leaf=is_shape)


def as_key(seed):
    """A kerasx seed (uint32, shape (2,)) as the raw JAX PRNG key it already is; None stays None."""
    return None if seed is None else jnp.asarray(seed, dtype=jnp.uint32)


def call_key(seed):
    """A seed as `call_fn` receives it: here the JAX key itself."""
    return as_key(seed)


def call_functions(call_fn, argument_names, input_shape, platforms=None) -> dict:
    """`{False: fn, True: fn}`: `call_fn` with `training` fixed, taking the other arguments in order. JAX calls the
    function itself (`input_shape` and Keras 3's jax2tf `platforms` matter only on TensorFlow)."""
    if "training" not in argument_names:
        return {False: call_fn, True: call_fn}
    index = argument_names.index("training")

    def with_training(training):
        def call(*args):
            return call_fn(*args[:index], training, *args[index:])

        return call

    return {False: with_training(False), True: with_training(True)}


def flax_linen():
    """`flax.linen`, imported on first use."""
    try:
        return importlib.import_module("flax.linen")
    except ImportError as error:
        raise ImportError(FLAX_MISSING.format(error=error)) from error


def is_flax_module(value) -> bool:
    return isinstance(value, flax_linen().Module)


def flax_apply_mutable():
    """What `Module.apply` may mutate: every collection but "params" (those are the non-trainable weights)."""
    return flax_linen().DenyList(["params"])
