"""Keras 1 compatibility: the spellings of the Keras 1 guides, translated to Keras 3 with a `DeprecationWarning`.

Kept out of the core classes: the core offers two hooks (`kerasx.layers._layer.CONSTRUCTOR_TRANSLATORS` and
`kerasx.trainers._loops.LEGACY_FIT_KWARGS`) and this package registers its translators there.

- `merge([...], mode=..., concat_axis=..., dot_axes=...)` -> `concatenate`, `add`, `multiply`, `average`,
  `maximum`, `dot` (importable from `kerasx.layers`).
- `Convolution2D(nb_filter, nb_row, nb_col, ...)`, `Convolution1D(nb_filter, filter_length, ...)` -> `Conv2D`,
  `Conv1D` (importable from `kerasx.layers`).
- Layer arguments `border_mode`, `subsample`, `subsample_length`, `dim_ordering`, `init`, `W_regularizer`,
  `b_regularizer`, `W_constraint`, `b_constraint`, `bias`, `output_dim` (Dense), `pool_length`, `stride`.
- `Model(input=..., output=...)` and `fit(nb_epoch=...)` (registered by `kerasx.models`).

And Keras 3's `keras.legacy.saving`: the tf.keras 2 config format of one object (`kerasx.legacy.saving`).
"""

# kerasx.layers imports kerasx.legacy._layers at its end (to export `merge` and to register the argument
# translator); importing it first keeps that order when kerasx.legacy is the first kerasx module imported.
from kerasx import _missing
from kerasx import layers as _layers_package  # noqa: F401
from kerasx.legacy import saving
from kerasx.legacy._layers import Convolution1D, Convolution2D, merge

__all__ = ["Convolution1D", "Convolution2D", "merge", "saving"]


# A name missing here raises an AttributeError that says whether Keras 3 has it (see `kerasx._missing`); Python
# calls a module's `__getattr__` only after the normal lookup failed, so existing names cost nothing more.
__getattr__ = _missing.missing_name_hook(__name__)
