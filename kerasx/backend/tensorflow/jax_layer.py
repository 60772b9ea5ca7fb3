"""TensorFlow backend: the engine half of `kerasx.layers.JaxLayer` and `FlaxLayer`, through jax2tf.

The JAX model function is converted with `jax.experimental.jax2tf.convert` (as Keras 3 does on TensorFlow), once per
value of `training`, with every unknown input dimension symbolic: it then takes and returns TensorFlow tensors,
inside `tf.function` too, and TensorFlow differentiates it. `init_fn` runs in JAX and its arrays become TensorFlow
variables. jax (and flax) are imported when the first such layer is made: a TensorFlow user without them pays
nothing.
"""

from __future__ import annotations

import importlib
import itertools
import string

import numpy as np
import tensorflow as tf

JAX_MISSING = (
    "{what} needs the `jax` package on the tensorflow backend (the JAX function runs through jax2tf), but it is not "
    "installed ({error}). Install it with `pip install jax`."
)
FLAX_MISSING = (
    "FlaxLayer needs the `flax` package, which is not installed ({error}). Install it with "
    '`pip install "kerasx[flax]"` (or `pip install flax`).'
)


def _module(name: str, message: str, what: str = "JaxLayer"):
    try:
        return importlib.import_module(name)  # sys.modules' entry after the first call
    except ImportError as error:
        raise ImportError(message.format(what=what, error=error)) from error


def _jax():
    return _module("jax", JAX_MISSING)


def tree_map(fn, tree, *rest):
    return _jax().tree_util.tree_map(fn, tree, *rest)


def tree_flatten(tree) -> tuple[list, object]:
    leaves, treedef = _jax().tree_util.tree_flatten(tree)
    return leaves, treedef


def tree_unflatten(treedef, leaves):
    return _jax().tree_util.tree_unflatten(treedef, leaves)


def is_array(value) -> bool:
    return isinstance(value, (np.ndarray, np.generic, tf.Tensor, tf.Variable, _jax().Array))


def placeholder_inputs(shapes):
    jnp = _module("jax.numpy", JAX_MISSING)

    def is_shape(value):
        return isinstance(value, (tuple, list)) and all(d is None or isinstance(d, int) for d in value)

    def ones(shape):
        return jnp.ones(tuple(1 if d is None else int(d) for d in shape))

    return _jax().tree_util.tree_map(ones, shapes, is_leaf=is_shape)


def as_key(seed):
    """A kerasx seed (a uint32 tensor of shape (2,)) as a raw JAX key, for `init_fn`, which runs in JAX."""
    return None if seed is None else _module("jax.numpy", JAX_MISSING).asarray(np.asarray(seed), dtype=np.uint32)


def call_key(seed):
    """A seed as the converted `call_fn` receives it: the TensorFlow tensor (a uint32 key inside JAX)."""
    return seed


def _polymorphic(shapes):
    """jax2tf's shape strings: the first dimension "batch", other unknown ones a letter each (Keras 3's form)."""
    letters = iter(itertools.chain(string.ascii_lowercase, (f"d{i}" for i in itertools.count())))

    def is_shape(value):
        return isinstance(value, (tuple, list)) and all(d is None or isinstance(d, int) for d in value)

    def spec(shape):
        dims = ["batch" if i == 0 else (next(letters) if d is None else str(d)) for i, d in enumerate(shape)]
        return "(" + ", ".join(dims) + ")"

    return _jax().tree_util.tree_map(spec, shapes, is_leaf=is_shape)


def call_functions(call_fn, argument_names, input_shape, platforms=None) -> dict:
    """`{False: fn, True: fn}`: `call_fn` converted to TensorFlow with `training` fixed, taking the other arguments
    in order (tensors or structures of them)."""
    jax2tf = _module("jax.experimental.jax2tf", JAX_MISSING)
    names = [name for name in argument_names if name != "training"]
    shapes = [_polymorphic(input_shape) if name == "inputs" else "..." for name in names]
    options = {"polymorphic_shapes": shapes}
    if platforms is not None:
        options["native_serialization_platforms"] = platforms
    index = argument_names.index("training") if "training" in argument_names else None

    def converted(training):
        def call(*args):
            return call_fn(*args) if index is None else call_fn(*args[:index], training, *args[index:])

        # AutoGraph cannot read what jax2tf returns.
        return tf.autograph.experimental.do_not_convert(jax2tf.convert(call, **options))

    if index is None:
        function = converted(False)
        return {False: function, True: function}
    return {False: converted(False), True: converted(True)}


def flax_linen():
    return _module("flax.linen", FLAX_MISSING)


def is_flax_module(value) -> bool:
    return isinstance(value, flax_linen().Module)


def flax_apply_mutable():
    return flax_linen().DenyList(["params"])
