"""Keras 1 spellings of the model API: `Model(input=..., output=...)` and `fit(nb_epoch=...)`.

Registered in the core's hooks (`kerasx.layers._layer.CONSTRUCTOR_TRANSLATORS`,
`kerasx.trainers._loops.LEGACY_FIT_KWARGS`); imported by `kerasx.models`.
"""

from __future__ import annotations

from kerasx.layers._layer import CONSTRUCTOR_TRANSLATORS
from kerasx.legacy._warn import deprecated
from kerasx.models._model import Model
from kerasx.trainers._loops import LEGACY_FIT_KWARGS

LEGACY_MODEL_ARGUMENT = (
    "`Model({old}=...)` is the Keras 1 spelling; use `Model({new}=...)` (or `Model(inputs, outputs)`) instead."
)
LEGACY_FIT_ARGUMENT = "`fit(nb_epoch={value!r})` is the Keras 1 spelling; use `fit(epochs={value!r})` instead."
BOTH_SPELLINGS = (
    "{where} received both the Keras 1 argument `{old}` and its Keras 3 spelling `{new}`. Pass only `{new}`."
)

_MODEL_RENAMES = {"input": "inputs", "output": "outputs"}


def translate_model_arguments(cls, args: tuple, kwargs: dict):
    """`Model(input=..., output=...)` -> `Model(inputs=..., outputs=...)`."""
    if not issubclass(cls, Model) or kwargs.keys().isdisjoint(_MODEL_RENAMES):
        return args, kwargs
    kwargs = dict(kwargs)
    for old, new in _MODEL_RENAMES.items():
        if old in kwargs:
            if new in kwargs:
                raise TypeError(BOTH_SPELLINGS.format(where=f"{cls.__name__}()", old=old, new=new))
            deprecated(LEGACY_MODEL_ARGUMENT.format(old=old, new=new))
            kwargs[new] = kwargs.pop(old)
    return args, kwargs


def translate_fit_arguments(arguments: dict, extra: dict) -> dict:
    """`fit(nb_epoch=n)` -> `fit(epochs=n)`; returns the arguments left untranslated."""
    if "nb_epoch" not in extra:
        return extra
    extra = dict(extra)
    value = extra.pop("nb_epoch")
    if arguments.get("epochs", 1) != 1:
        raise TypeError(BOTH_SPELLINGS.format(where="fit()", old="nb_epoch", new="epochs"))
    deprecated(LEGACY_FIT_ARGUMENT.format(value=value))
    arguments["epochs"] = value
    return extra


if translate_model_arguments not in CONSTRUCTOR_TRANSLATORS:
    CONSTRUCTOR_TRANSLATORS.append(translate_model_arguments)
if translate_fit_arguments not in LEGACY_FIT_KWARGS:
    LEGACY_FIT_KWARGS.append(translate_fit_arguments)
