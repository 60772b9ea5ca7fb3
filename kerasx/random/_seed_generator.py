"""Seeds: `SeedGenerator` (a stateful stream of keys) and the conversion of any `seed` argument to a key.

A key is a uint32 tensor of shape (2,). An int seed `s` gives the key `(s mod 2**32, s >> 32)`; a SeedGenerator
holds that key as its state and hands out one key per draw, counting draws in the second word. So
`normal(shape, seed=42)` equals the first draw of `normal(shape, seed=SeedGenerator(42))`, on every engine.
"""

from __future__ import annotations

import random as python_random

import numpy as np

from kerasx import backend as backend_package
from kerasx.backend import Variable, _dtypes, _threefry, active

_random = active.random
_core = active.core

BAD_SEED = (
    "Invalid seed. Received: seed={seed!r} of type {type}. Expected None (a fresh seed from the global "
    "generator), a Python int, a `kerasx.random.SeedGenerator`, or an integer key tensor of shape (2,)."
)
BAD_GENERATOR_SEED = (
    "`SeedGenerator` needs an integer seed. Received: seed={seed!r} of type {type}. Pass an int, or None for a "
    "random one."
)

_GLOBAL_GENERATOR = None


def make_default_seed() -> int:
    """A seed from Python's `random` module (reproducible after `set_random_seed`).

    Returns:
        An int in [1, 1e9].

    Example:
        >>> import kerasx
        >>> kerasx.utils.set_random_seed(0)
        >>> first = kerasx.random.make_default_seed()
        >>> kerasx.utils.set_random_seed(0)
        >>> kerasx.random.make_default_seed() == first
        True
    """
    return python_random.randint(1, int(1e9))


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


class SeedGenerator:
    """A stream of random keys: pass it as `seed=` to get different numbers at each call.

    Its state is a non-trainable uint32 Variable `[seed_low, counter]`; each draw (`next()`) returns the current
    key and assigns the incremented counter. Inside a `StatelessScope` (a compiled training step) that assignment
    is recorded in the scope instead of mutating the variable, so the state update is part of the step's output.

    Args:
        seed: int, or None for a random seed (see `set_random_seed`).
        name: name of the state variable's owner.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> generator = kerasx.random.SeedGenerator(seed=1)
        >>> first = kerasx.ops.convert_to_numpy(kerasx.random.uniform((3,), seed=generator))
        >>> second = kerasx.ops.convert_to_numpy(kerasx.random.uniform((3,), seed=generator))
        >>> bool(np.array_equal(first, second))
        False
        >>> replay = kerasx.random.SeedGenerator(seed=1)
        >>> bool(np.array_equal(first, kerasx.ops.convert_to_numpy(kerasx.random.uniform((3,), seed=replay))))
        True
    """

    def __init__(self, seed=None, name=None):
        if seed is None:
            seed = make_default_seed()
        if not _is_int(seed):
            raise ValueError(BAD_GENERATOR_SEED.format(seed=seed, type=type(seed).__name__))
        self._initial_seed = int(seed)
        self.name = name or "seed_generator"
        # Keras 3's generators hold the backend module they draw with.
        self.backend = backend_package
        self.state = Variable(
            np.array(_threefry.seed_to_key(self._initial_seed), dtype=np.uint32),
            dtype="uint32",
            trainable=False,
            name=f"{self.name}_state",
        )

    def next(self):
        """The key for this draw (uint32, shape (2,)); advances the state."""
        key, new_state = _random.next_key(self.state.value)
        self.state.assign(new_state)
        return key

    def get_config(self) -> dict:
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self):
        return f"<SeedGenerator seed={self._initial_seed}, name={self.name}>"


def global_seed_generator() -> SeedGenerator:
    """The generator behind `seed=None` (created on first use).

    Returns:
        The global `SeedGenerator`; `set_random_seed` replaces it with a seeded one.

    Example:
        >>> import kerasx
        >>> kerasx.utils.set_random_seed(7)
        >>> isinstance(kerasx.random.global_seed_generator(), kerasx.random.SeedGenerator)
        True
        >>> kerasx.random.global_seed_generator() is kerasx.random.global_seed_generator()
        True
    """
    global _GLOBAL_GENERATOR
    if _GLOBAL_GENERATOR is None:
        _GLOBAL_GENERATOR = SeedGenerator(name="global_seed_generator")
    return _GLOBAL_GENERATOR


def set_random_seed(seed: int) -> None:
    """Make everything random reproducible: kerasx's global generator, Python's `random` and NumPy's global RNG.

    kerasx draws its numbers from its own generator (never from an engine's RNG), so this is all it needs.

    Args:
        seed: an int.

    Example:
        >>> import numpy as np
        >>> import kerasx
        >>> kerasx.utils.set_random_seed(1234)
        >>> a = kerasx.ops.convert_to_numpy(kerasx.layers.Dense(2)(np.ones((1, 3))))
        >>> kerasx.utils.set_random_seed(1234)
        >>> b = kerasx.ops.convert_to_numpy(kerasx.layers.Dense(2)(np.ones((1, 3))))
        >>> bool(np.array_equal(a, b))
        True
    """
    global _GLOBAL_GENERATOR
    if not _is_int(seed):
        raise ValueError(BAD_GENERATOR_SEED.format(seed=seed, type=type(seed).__name__))
    python_random.seed(seed)
    np.random.seed(int(seed) % 2**32)
    _GLOBAL_GENERATOR = SeedGenerator(int(seed), name="global_seed_generator")


def draw_key(seed):
    """Key for one draw from a `seed` argument: None, an int, a SeedGenerator, or a key tensor.

    Int seeds give a NumPy key (concrete on every engine); generators give their state's engine tensor.

    Args:
        seed: None (the global generator), an int, a `SeedGenerator` (advanced by one draw), or a `(2,)` integer
            key tensor (returned as uint32).

    Returns:
        A `(2,)` uint32 key for `kerasx.backend.random.random_bits`.

    Example:
        >>> import kerasx
        >>> key = kerasx.random.draw_key(42)
        >>> key.shape, str(key.dtype)
        ((2,), 'uint32')
        >>> bool((kerasx.random.draw_key(42) == key).all())
        True
    """
    if seed is None:
        return global_seed_generator().next()
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if _is_int(seed):
        return np.array(_threefry.seed_to_key(int(seed)), dtype=np.uint32)
    if isinstance(seed, np.ndarray) or _core.is_tensor(seed):
        dtype = _dtypes.standardize_dtype(seed.dtype) if isinstance(seed, np.ndarray) else _core.dtype_name(seed)
        if tuple(seed.shape) == (2,) and _dtypes.is_int(dtype):
            return seed.astype(np.uint32) if isinstance(seed, np.ndarray) else _core.cast(seed, "uint32")
    raise ValueError(BAD_SEED.format(seed=seed, type=type(seed).__name__))


def is_concrete(value) -> bool:
    """True when `value` has a value now (not a tensor being traced by jax.jit / tf.function / torch.compile)."""
    if isinstance(value, (np.ndarray, int, float)):
        return True
    return not _core.is_traced(value)


def host_key(key) -> np.ndarray:
    return np.asarray(key if isinstance(key, np.ndarray) else _core.convert_to_numpy(key), dtype=np.uint32)
