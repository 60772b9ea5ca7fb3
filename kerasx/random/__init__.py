"""Random numbers that are the same on every engine: `kerasx.random.normal((3,), seed=42)` gives identical bits on
jax, torch, tensorflow and numpy.

All randomness comes from Threefry-2x32 bits (`kerasx.backend.random.random_bits(shape, key)`), exact integer
arithmetic on every engine. The transforms to distributions are written once, here:

- uniform, randint, binomial, dropout and shuffle use only exact operations (integer arithmetic, exact int-to-float
  conversions, single IEEE-rounded float operations, stable sorts): they run on the engine, bit-identical
  everywhere, eagerly and when compiled.
- normal, truncated_normal, categorical, gamma and beta need log/erfinv, whose last bit differs between engines.
  With a concrete key (eager code, int seeds) they are computed on the host with NumPy and rounded once:
  bit-identical. While traced (jax.jit, tf.function, torch.compile: a SeedGenerator's state inside a compiled step)
  they run on the engine and match the host values only to float32 rounding.

`seed` is None (the global generator, see `set_random_seed`), an int (the same numbers at every call), a
`SeedGenerator` (new numbers at every call, its state updated through `Variable.assign`) or a uint32 key tensor of
shape (2,).
"""

from kerasx import _missing
from kerasx.random._exact import binomial, dropout, randint, shuffle, uniform
from kerasx.random._gamma import beta, gamma
from kerasx.random._seed_generator import (
    SeedGenerator,
    draw_key,
    global_seed_generator,
    make_default_seed,
    set_random_seed,
)
from kerasx.random._transcendental import categorical, normal, truncated_normal

__all__ = [
    "SeedGenerator",
    "beta",
    "binomial",
    "categorical",
    "draw_key",
    "dropout",
    "gamma",
    "global_seed_generator",
    "make_default_seed",
    "normal",
    "randint",
    "set_random_seed",
    "shuffle",
    "truncated_normal",
    "uniform",
]


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
